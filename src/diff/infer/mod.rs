//! Inferring what became of the units that neither identity nor a curated
//! event accounts for: renamed, moved, re-keyed units (1:1), and merges,
//! absorptions, splits and spin-offs (n:1, 1:n), each with a confidence and
//! evidence a person can read.
//!
//! The pipeline, as record-linkage and tree-diffing tools do it: cheap
//! exact keys first, scored candidates for what is left, groups last.
//!
//! 0. **Normalize** the leftovers: folded names and their words, acronyms
//!    (the given one, and the initials of the name with and without
//!    stopwords, so that LEISI meets "Law Enforcement Information Sharing
//!    Initiative"; a name that *is* the other's acronym counts as the same
//!    name, abbreviated), aliases, description words (without the unit's
//!    own name words, which a description often restates).
//! 1. *(Identity and curated events: done by the caller; their pairs are
//!    the context everything below starts from.)*
//! 2. **Exact keys**, repeated until nothing changes: identical sub-trees
//!    unique on both sides and the same name under matched parents
//!    (homonyms by context, parents first), both on names as written; a
//!    name unique on both sides with one corroborating feature (or borne
//!    by no other unit of either whole chart); a unique
//!    acronym that is more than both names' initials, with a shared name
//!    word; an alias. Once scoring is
//!    done, also the same name two levels below a matched unit when the
//!    parent between ended or began ("cousins": sub-units carried into a
//!    merged, split or spun-off unit), and the same name one level down or
//!    up below a matched unit (offices folded into a unit beside them);
//!    a name borne there by several units pairs as the units beside them
//!    went (the same change of kind), else kind with kind.
//! 3. **Scored 1:1 matching**: candidates from rare shared words (two of
//!    them, or the rarest of both names), acronyms and structure (never all
//!    pairs); features summed as log-odds, agreement on a name that many
//!    open units share discounted (term frequency); names that differ
//!    relate when one is that of a sub-unit both have, once each (a unit
//!    named after one of its parts); a unit that kept its parent and
//!    nearly all of several sub-units weighs more, and counts as a second
//!    kind of evidence; a parent that ended or began counts as followed
//!    when units beside the one now sit in the other's parent (look-alikes
//!    told apart by where a merged or split parent went). A pair is accepted when
//!    it is each side's best, clears [`ACCEPT`], leads the runner-up on
//!    either side by [`MARGIN`], rests on two independent kinds of evidence
//!    (a shared parent is not one: a unit abolished beside one established
//!    is the classic false rename), and does not look like part of a merge
//!    or split — unless it kept its name or took at least twice as many
//!    sub-units as its rival. Up to [`SCORED_ROUNDS`] rounds, exact keys in
//!    between, since every match changes parent and sub-unit
//!    correspondences. Pairs that cannot reach the bar even with the same
//!    name are dropped before the (costly) name comparison; with many open
//!    units, scoring runs on all cores.
//! 4. **n:1 and 1:n** from where the sub-units went (counting a sub-unit
//!    placed in a new unit inside another new unit toward the outer one),
//!    and for units without sub-units from names ("A and B Section" from
//!    "A Section" and "B Section"; "Fraud Analysis Section" and "Fraud
//!    Review Section" from "Fraud Section"). A unit that kept its name
//!    continues, and what was carved out of it is `spun_off`; a new unit
//!    *inside* the one its sub-units came from is a level added (moves,
//!    not a spin-off), and mirrored, an ended unit inside the one that
//!    took them a level removed; a new unit that the one which gave them
//!    now lives inside took them by a merger, not a spin-off. A unit
//!    claimed by two changes is left to neither.
//!
//! Ambiguity is not guessed: a unit whose best candidate falls short gets
//! a note naming the candidate and why (below the bar, one kind of
//! evidence, the runner-up too close, part of a merge or split).
//!
//! **Confidence.** A scored pair's confidence is the logistic of its
//! log-odds score, `1 / (1 + e^-score)`: the acceptance bar 1.4 is 0.80,
//! 3 is 0.95, 5 is 0.993. Exact keys carry fixed confidences (0.90–0.99);
//! n:1 and 1:n changes the logistic of `-1 + 4·strength + 2·names`, where
//! strength is the weakest share or purity of the sub-units that moved (0
//! when only names speak) and `names` is 1 when the names corroborate.
//!
//! **Symmetry.** Every rule reads the two sides alike, so that inferring
//! from B to A mirrors A to B (merged ↔ split, absorbed ↔ spun_off): the
//! diff's property tests check it.
//!
//! **Determinism.** Units are visited in tree order, candidates sorted,
//! ties broken by spelling; hash maps serve lookups only; parallel scoring
//! joins its chunks in order. Measured quality and speed:
//! `docs/inference-figures.md`.
//!
//! **Where things are.** This file holds the interface ([`Known`],
//! [`Match`], [`Group`], [`Inference`], [`infer`]) and the tuning
//! constants. The stages, one file each:
//!
//! - `text.rs`: stage 0, the vocabulary of name words, each unit's
//!   normalized text, topic words, acronyms and initials.
//! - `matcher.rs`: the matching in progress, which every stage reads:
//!   the pairs made so far, the open units, and the structural helpers
//!   (parents, siblings, where sub-units went); `tables.rs`, a side's
//!   tables (parents, sub-units, texts, name counts).
//! - `keys.rs`: stage 2, the exact keys (identical sub-trees, context,
//!   unique names, acronyms, aliases); `levels.rs`, the same name across
//!   a level (cousins, moves one level down or up).
//! - `score.rs`: stage 3, candidates, features, scores and acceptance.
//! - `groups.rs`: stage 4, merges, absorptions, splits and spin-offs,
//!   and the assembling of the [`Inference`].
//! - `similarity.rs`: the name and set similarity measures and the
//!   stable hash the stages share.
//! - `tests/`: the unit tests, by topic.

use crate::model::ChangeKind;
use crate::state::{OrgState, UnitIx};

use matcher::Matcher;

mod candidates;
mod features;
mod groups;
mod hash;
mod keys;
mod levels;
mod matcher;
mod parts;
mod score;
mod similarity;
mod tables;
#[cfg(test)]
mod tests;
mod text;

/// What is known before inference: units already paired (by identity or
/// curated events) and the leftovers on each side.
pub struct Known<'a> {
    /// The earlier state.
    pub before: &'a OrgState,
    /// The later state.
    pub after: &'a OrgState,
    /// Pairs (before, after) of the same unit, already established.
    pub pairs: &'a [(UnitIx, UnitIx)],
    /// Units of `before` not accounted for, in tree order.
    pub removed: &'a [UnitIx],
    /// Units of `after` not accounted for, in tree order.
    pub added: &'a [UnitIx],
}

/// A 1:1 match: the same unit, perhaps renamed, moved or re-keyed.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The unit in the earlier state.
    pub before: UnitIx,
    /// The unit in the later state.
    pub after: UnitIx,
    /// In (0, 1].
    pub confidence: f64,
    /// Sentences a person can read: "same acronym LEISI", "11 of 12
    /// sub-units moved with it", "runner-up Information Sharing Unit scored
    /// 0.41".
    pub evidence: Vec<String>,
}

/// An n:1 or 1:n change: merged, absorbed, split or spun_off.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Merged, absorbed, split or spun_off.
    pub kind: ChangeKind,
    /// The units in the earlier state.
    pub before: Vec<UnitIx>,
    /// The units in the later state.
    pub after: Vec<UnitIx>,
    /// In [0, 1].
    pub confidence: f64,
    /// Why the group is believed, in sentences a person can read.
    pub evidence: Vec<String>,
}

/// What inference found. Units of `removed` and `added` that appear in
/// neither `pairs` nor `groups` are abolished or established; the notes
/// hold evidence for them (a candidate that was too close to call).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inference {
    /// Units matched one to one.
    pub pairs: Vec<Match>,
    /// Units matched several to one or one to several.
    pub groups: Vec<Group>,
    /// Evidence for a leftover unit of `before`, e.g. "possibly renamed X
    /// (0.62), but Y scored 0.58: not guessed".
    pub notes_before: Vec<(UnitIx, String)>,
    /// Evidence for a leftover unit of `after`.
    pub notes_after: Vec<(UnitIx, String)>,
}

/// Rounds of scored matching (each preceded by exact keys).
pub const SCORED_ROUNDS: usize = 3;
/// A word found in more open units than this proposes no candidates: like
/// git's rename limit, it keeps candidate generation near-linear.
pub const DF_CAP: usize = 400;
/// A matched unit with more open sub-units than this does not propose
/// them all as candidates for each other by place alone: a mass of
/// look-alikes would be compared each with each.
pub const SIBLING_CAP: usize = 64;
/// The log-odds a scored pair needs: a probability of 0.80.
pub const ACCEPT: f64 = 1.4;
/// How far (in log-odds) a pair must lead the runner-up of either unit: a
/// pair that leads by less is a guess between look-alikes.
pub const MARGIN: f64 = 1.0;
/// The log-odds before any evidence: two leftovers picked at random are
/// rarely the same unit.
const PRIOR: f64 = -5.0;
/// A part of a split (merge) gets at least this share of its matched
/// sub-units from the unit split (merged)...
const PART_PURITY: f64 = 0.5;
/// ...and takes at least this share of that unit's...
const PART_SHARE: f64 = 0.15;
/// ...and the parts together take at least this share.
const COVERAGE: f64 = 0.6;
/// An absorbed unit sends at least this share of its matched sub-units to
/// the unit that absorbs it; a spun-off unit gets at least this share of
/// its matched sub-units from the unit it came from.
const MAJORITY: f64 = 0.5;
/// A unit that took this many times as many of another's sub-units as any
/// rival continues it (the rival absorbed or spun off), unless names say
/// the units merged or split.
const DOMINANCE: usize = 2;

/// Open before-units from which scoring is split across threads.
const PARALLEL_FROM: usize = 2_000;

const IDENTICAL_SUBTREE_CONFIDENCE: f64 = 0.99;
const CONTEXT_CONFIDENCE: f64 = 0.97;
const UNIQUE_NAME_CONFIDENCE: f64 = 0.97;
const COUSIN_CONFIDENCE: f64 = 0.9;
const ACRONYM_CONFIDENCE: f64 = 0.9;
const ALIAS_CONFIDENCE: f64 = 0.9;

/// Infers matches among the leftovers. Deterministic: the same input gives
/// the same output.
pub fn infer(known: &Known) -> Inference {
    let mut m = Matcher::new(known);
    m.match_identical_subtrees();
    for _ in 0..SCORED_ROUNDS {
        m.match_exact_keys(false);
        if m.match_scored() == 0 {
            break;
        }
    }
    // Only now is an unmatched parent one that ended or began, rather than
    // one still to be matched.
    m.match_exact_keys(true);
    let groups = m.find_groups();
    m.into_inference(groups)
}

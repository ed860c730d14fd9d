//! Stage 3, scored 1:1 matching: candidate generation (rare shared
//! words, acronyms, structure), the [`Features`] of a candidate pair and
//! their log-odds score, ranking, and acceptance (the bar, the margin,
//! two kinds of evidence, not part of a merge or split), with a doubt
//! noted for each unit whose best candidate falls short.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::matcher::{Found, Matcher, OpenAlikes, Parents, Siblings};
use super::similarity::{abbreviates, dice, logistic, name_relation, NameRelation};
use super::text::{Text, Vocabulary, Word};
use super::{
    ACCEPT, DF_CAP, DOMINANCE, MARGIN, PARALLEL_FROM, PART_PURITY, PART_SHARE, PRIOR, SIBLING_CAP,
};
use crate::diff::step::Side;
use crate::state::{StateUnit, UnitIx};

// ---------------------------------------------------------------------------
// Stage 3: scored 1:1 matching

/// How two units' acronyms relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Acronyms {
    /// Nothing to compare, or acronyms that only abbreviate the names.
    None,
    /// The same acronym (and not just the initials of both names).
    Same,
    /// The acronym of the unit on this side is the initials of the other's
    /// name ("LEISI"), and not of its own.
    Expands(Side),
    /// Both given, and different.
    Differ,
    /// The name of the unit on this side is the other's acronym: counted
    /// as the name ("LEISI" and "Law Enforcement Information Sharing
    /// Initiative" are the same name, abbreviated).
    Abbreviates(Side),
}

impl Acronyms {
    pub(super) fn of(a: &Text, b: &Text) -> Acronyms {
        if abbreviates(a, b) {
            return Acronyms::Abbreviates(Side::Before);
        }
        if abbreviates(b, a) {
            return Acronyms::Abbreviates(Side::After);
        }
        let own = |t: &Text, x: u64| t.initials.contains(&Some(x));
        match (a.acronym, b.acronym) {
            // Acronyms that are only each name's initials say nothing the
            // names do not.
            (Some(x), Some(y)) if own(a, x) && own(b, y) => Acronyms::None,
            (Some(x), Some(y)) if x == y => Acronyms::Same,
            (Some(x), _) if own(b, x) && !own(a, x) => Acronyms::Expands(Side::Before),
            (_, Some(y)) if own(a, y) && !own(b, y) => Acronyms::Expands(Side::After),
            (Some(_), Some(_)) => Acronyms::Differ,
            _ => Acronyms::None,
        }
    }

    fn agree(self) -> bool {
        matches!(self, Acronyms::Same | Acronyms::Expands(_))
    }
}

/// The log-odds weight of names that align (respelled or extended): with
/// a matched parent and the same kind, enough for a pair on its own
/// (`PRIOR` + 5 + 2 + 0.3 = 2.3, a probability of 0.91), even with a
/// description rewritten (1.8).
const ALIGNED_NAME: f64 = 5.0;

/// The weight of names that begin alike, with a word rare among the open
/// units, and end differently: a little less than names that align
/// outright, still enough beside a matched parent and the same kind.
const REQUALIFIED_NAME: f64 = 4.7;
/// How many after-units on each side of a unit, in each spelling order,
/// are candidates for it.
const NEIGHBOURS: usize = 4;
/// A word borne by no more open units than this (the two compared among
/// them) is rare enough to single out a unit, however many are open.
const RARE_WORD: usize = 8;

/// What two units have in common, each feature measured once.
#[derive(Debug, Clone)]
pub(super) struct Features {
    /// How the names relate. `None` until measured (it is the costly
    /// part), and scored as the best case short of the same name
    /// meanwhile.
    name: Option<NameRelation>,
    same_name: bool,
    /// Open units (both sides) with the rarer of the two names, when
    /// scoring; 0 when not counted.
    name_count: usize,
    pub(super) acronym: Acronyms,
    pub(super) parents: Parents,
    /// Sub-units: (carried from a to b, a's count, b's count).
    children: (usize, usize, usize),
    /// Description similarity (Dice over words), when both have one.
    pub(super) description: Option<f64>,
    same_kind: Option<bool>,
}

impl Features {
    /// The log-odds that the two units are the same, from hand-set weights
    /// (`shared/research/matching-anchors.md` §10.2).
    fn score(&self) -> f64 {
        let name = match self.name {
            _ if self.same_name => 6.0,
            None => ALIGNED_NAME,
            Some(NameRelation::Same) => 6.0,
            Some(NameRelation::Abbreviated) => 4.0,
            Some(NameRelation::Respelled | NameRelation::Extended) => ALIGNED_NAME,
            Some(NameRelation::Requalified) => REQUALIFIED_NAME,
            Some(NameRelation::Similar(s)) if s >= 0.9 => 4.0,
            Some(NameRelation::Similar(s)) if s >= 0.8 => 2.5,
            Some(NameRelation::Similar(s)) if s >= 0.7 => 1.0,
            Some(NameRelation::Similar(s)) if s >= 0.5 => -1.0,
            Some(NameRelation::Similar(_)) => -3.0,
        };
        // Term-frequency adjustment (Splink): agreeing on a name that many
        // open units share ("Operations Unit") says little. A name found
        // once on each side loses nothing; one shared by 300 loses
        // ln 150 = 5, but agreement never drops below 1.
        let name = if name > 1.0 {
            (name - (self.name_count as f64 / 2.0).ln().max(0.0)).max(1.0)
        } else {
            name
        };
        let acronym = match self.acronym {
            Acronyms::Same | Acronyms::Expands(_) => 2.5,
            Acronyms::Differ => -0.5,
            // Counted as the name.
            Acronyms::None | Acronyms::Abbreviates(_) => 0.0,
        };
        let parents = match self.parents {
            Parents::Same => 2.0,
            // Moves are rarer than staying put.
            Parents::Different => -0.5,
            Parents::Unknown => 0.0,
        };
        let children = match self.children_dice() {
            Some(d) if d >= 0.8 => 5.0,
            Some(d) if d >= 0.5 => 3.0,
            Some(d) if d >= 0.2 => 1.0,
            _ => 0.0,
        };
        let description = match self.description {
            Some(d) if d >= 0.8 => 4.5,
            Some(d) if d >= 0.5 => 2.5,
            Some(d) if d >= 0.3 => 0.5,
            // Descriptions get rewritten when units are reorganized or
            // renamed: a different one is weak evidence against.
            Some(_) => -0.5,
            None => 0.0,
        };
        let kind = match self.same_kind {
            Some(true) => 0.3,
            Some(false) => -0.5,
            None => 0.0,
        };
        PRIOR + name + acronym + parents + children + description + kind
    }

    /// Dice over sub-units, when either has some.
    pub(super) fn children_dice(&self) -> Option<f64> {
        let (carried, a, b) = self.children;
        (a + b > 0).then(|| 2.0 * carried as f64 / (a + b) as f64)
    }

    /// Independent kinds of evidence: a similar name, an acronym, a
    /// similar description, sub-units that moved along. A shared parent
    /// is one only beside a name that aligns (respelled, extended,
    /// abbreviated): a unit abolished and another established under the
    /// same parent are the classic false rename, but they rarely have
    /// names one of which extends or respells the other.
    fn kinds_of_evidence(&self) -> usize {
        let aligned = self.name.is_some_and(NameRelation::aligned);
        [
            self.name.is_some_and(|r| r.similarity() >= 0.7),
            aligned && self.parents == Parents::Same,
            self.acronym.agree(),
            self.description.is_some_and(|d| d >= 0.5),
            self.children.0 > 0 && self.children_dice().is_some_and(|d| d >= 0.5),
        ]
        .into_iter()
        .filter(|&e| e)
        .count()
    }

    pub(super) fn acronym_evidence(&self, m: &Matcher, a: UnitIx, b: UnitIx) -> Option<String> {
        let (ua, ub) = (m.before.state.unit(a), m.after.state.unit(b));
        let shown = |u: &StateUnit| u.acronym.clone().unwrap_or_else(|| u.name.clone());
        match self.acronym {
            Acronyms::Same => Some(format!("same acronym {}", shown(ua))),
            Acronyms::Expands(Side::Before) => {
                Some(format!("acronym {} stands for {}", shown(ua), ub.name))
            }
            Acronyms::Expands(Side::After) => {
                Some(format!("acronym {} stands for {}", shown(ub), ua.name))
            }
            Acronyms::Differ => Some(format!(
                "acronym changed from {} to {}",
                shown(ua),
                shown(ub)
            )),
            Acronyms::Abbreviates(Side::Before) => {
                Some(format!("{} is the acronym of {}", ua.name, ub.name))
            }
            Acronyms::Abbreviates(Side::After) => {
                Some(format!("{} is the acronym of {}", ub.name, ua.name))
            }
            Acronyms::None => None,
        }
    }

    pub(super) fn children_evidence(&self) -> Option<String> {
        let (carried, a, _) = self.children;
        (carried > 0).then(|| format!("{carried} of {a} sub-units moved with it"))
    }

    /// The features in words, strongest first.
    fn evidence(&self, m: &Matcher, a: UnitIx, b: UnitIx) -> Vec<String> {
        // An abbreviated name is said by the acronym evidence below.
        let (ua, ub) = (m.before.state.unit(a), m.after.state.unit(b));
        let mut out = match (self.name, self.acronym) {
            (_, Acronyms::Abbreviates(_)) => Vec::new(),
            _ if self.same_name => vec!["same name".to_string()],
            (Some(NameRelation::Respelled), _) => {
                vec![format!("{} and {} are spelled alike", ua.name, ub.name)]
            }
            (Some(NameRelation::Requalified), _) => {
                vec![format!("{} and {} begin alike", ua.name, ub.name)]
            }
            (Some(NameRelation::Extended), _) => {
                let (short, long) = if ua.name.len() < ub.name.len() {
                    (&ua.name, &ub.name)
                } else {
                    (&ub.name, &ua.name)
                };
                vec![format!("every word of {short} is in {long}")]
            }
            (Some(r), _) => vec![format!("name similarity {:.2}", r.similarity())],
            (None, _) => vec!["names not compared".to_string()],
        };
        if self.name_count > 2 {
            out.push(format!("a name {} unmatched units share", self.name_count));
        }
        out.extend(self.acronym_evidence(m, a, b));
        out.extend(self.children_evidence());
        if let Some(d) = self.description {
            out.push(format!("description similarity {d:.2}"));
        }
        match self.parents {
            Parents::Same => out.push(m.parent_evidence(b)),
            Parents::Different => out.push(format!(
                "now under {} (was under {})",
                m.after.parent_label(b),
                m.before.parent_label(a)
            )),
            Parents::Unknown => {}
        }
        out
    }
}

/// A scored candidate pair.
#[derive(Debug, Clone)]
struct Scored {
    a: UnitIx,
    b: UnitIx,
    score: f64,
    features: Features,
}

/// What one round of scored matching knows: the scored pairs, each
/// unit's ranking of them (before, after), the open look-alikes, and the
/// open units by place and word.
type Round<'r> = (
    &'r [Scored],
    &'r [Vec<Option<Ranking>>; 2],
    &'r OpenAlikes,
    &'r Siblings,
);

/// A unit's best candidate and runner-up, as indices into the scored list.
#[derive(Debug, Clone, Copy)]
struct Ranking {
    best: usize,
    runner_up: Option<usize>,
}

/// Lookups for candidate generation over the open units.
struct CandidateIndex {
    /// Open units (both sides) with each word, by word number.
    df: Vec<usize>,
    /// Open units (both sides) with each name, by name hash.
    names: HashMap<u64, usize>,
    /// Open after-units by word number.
    by_word: Vec<Vec<UnitIx>>,
    /// Open after-units by acronym, and by initials.
    by_acronym: HashMap<u64, Vec<UnitIx>>,
    by_initials: HashMap<u64, Vec<UnitIx>>,
    /// The rarest word of each open after-unit (by unit index).
    rarest_after: Vec<Option<Word>>,
    /// Open after-units by their parent.
    by_parent: HashMap<UnitIx, Vec<UnitIx>>,
    /// A word borne by no more open units than this is rare: one in a
    /// hundred of them, between 2 (the two compared) and [`RARE_WORD`].
    rare: usize,
    /// The open units of both sides sorted by spelling, forward and
    /// backward: names respelled lie near one another in one of the two.
    spellings: [Spellings; 2],
}

/// Open units sorted by a key of their spelling (the first 16 bytes of
/// the folded name without spaces, or of its reverse), and where each
/// before-unit stands in that order: the sorted-neighbourhood blocking of
/// record linkage, which finds names a letter or two apart that share no
/// word.
#[derive(Default)]
struct Spellings {
    /// (key, is an after-unit, unit), sorted.
    sorted: Vec<(u128, bool, UnitIx)>,
    /// The position of each open before-unit in `sorted`.
    position: HashMap<UnitIx, usize>,
}

impl Spellings {
    fn new(m: &Matcher, alikes: &OpenAlikes, backward: bool) -> Spellings {
        let key = |t: &Text| -> u128 {
            let mut letters: Vec<u8> = t.name.bytes().filter(|&c| c != b' ').collect();
            if backward {
                letters.reverse();
            }
            let mut bytes = [0u8; 16];
            for (slot, c) in bytes.iter_mut().zip(letters) {
                *slot = c;
            }
            u128::from_be_bytes(bytes)
        };
        let mut sorted: Vec<(u128, bool, UnitIx)> = Vec::new();
        for w in Side::BOTH {
            for &x in m.open(w) {
                if w == Side::Before || alikes.stands_for(m, w, x) {
                    sorted.push((key(m.side(w).text(x)), w == Side::After, x));
                }
            }
        }
        sorted.sort_unstable();
        let position = sorted
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.1)
            .map(|(i, e)| (e.2, i))
            .collect();
        Spellings { sorted, position }
    }

    /// The after-units nearest `a` in this order, [`NEIGHBOURS`] on each
    /// side.
    fn neighbours(&self, a: UnitIx) -> impl Iterator<Item = UnitIx> + '_ {
        let at = self.position.get(&a).copied().unwrap_or(0);
        let after = |e: &&(u128, bool, UnitIx)| e.1;
        let up = self.sorted[..at]
            .iter()
            .rev()
            .filter(after)
            .take(NEIGHBOURS);
        let down = self.sorted[at..].iter().filter(after).take(NEIGHBOURS);
        up.chain(down).map(|e| e.2)
    }
}

impl CandidateIndex {
    /// The index of the open units; of open look-alikes, only the first
    /// of each class is a candidate.
    fn new(m: &Matcher, alikes: &OpenAlikes) -> CandidateIndex {
        let words = m.vocabulary.words.len();
        let mut index = CandidateIndex {
            df: vec![0; words],
            names: HashMap::default(),
            by_word: vec![Vec::new(); words],
            by_acronym: HashMap::default(),
            by_initials: HashMap::default(),
            rarest_after: vec![None; m.after.len()],
            by_parent: HashMap::default(),
            rare: ((m.open_before.len() + m.open_after.len()) / 100).clamp(2, RARE_WORD),
            spellings: [false, true].map(|backward| Spellings::new(m, alikes, backward)),
        };
        for w in Side::BOTH {
            for &x in m.open(w) {
                let t = m.side(w).text(x);
                *index.names.entry(t.key).or_default() += 1;
                let candidate = w == Side::After && alikes.stands_for(m, w, x);
                for &word in t.words.iter().filter(|&&id| !m.vocabulary.is_stop(id)) {
                    index.df[word as usize] += 1;
                    if candidate {
                        index.by_word[word as usize].push(x);
                    }
                }
            }
        }
        let candidates = m
            .open_after
            .iter()
            .filter(|&&x| alikes.stands_for(m, Side::After, x));
        for &x in candidates {
            let t = m.after.text(x);
            if let Some(acronym) = t.acronym {
                index.by_acronym.entry(acronym).or_default().push(x);
            }
            for initials in t.initials.into_iter().flatten() {
                index.by_initials.entry(initials).or_default().push(x);
            }
            index.rarest_after[x.index()] = index.rare_words(t, &m.vocabulary).first().copied();
            if let Some(p) = m.after.parent(x) {
                index.by_parent.entry(p).or_default().push(x);
            }
        }
        index
    }

    /// The open sub-units of after-unit `p`, unless there are more than
    /// [`SIBLING_CAP`]: a place proposes its units only while they are
    /// few enough to compare each with each (words and sub-units still
    /// propose candidates among many).
    fn open_children(&self, p: UnitIx) -> &[UnitIx] {
        match self.by_parent.get(&p) {
            Some(units) if units.len() <= SIBLING_CAP => units,
            _ => &[],
        }
    }

    /// A name's words that open units share no more than [`DF_CAP`] times,
    /// rarest first (ties by spelling, the same from either side).
    fn rare_words(&self, t: &Text, vocabulary: &Vocabulary) -> Vec<Word> {
        let mut rare: Vec<Word> = t
            .words
            .iter()
            .copied()
            .filter(|&w| !vocabulary.is_stop(w) && self.df[w as usize] <= DF_CAP)
            .collect();
        rare.sort_by_key(|&w| (self.df[w as usize], vocabulary.word(w)));
        rare
    }

    /// Whether `words` single out a unit: one of them is rare among the
    /// open units, or no more than two open after-units bear them all.
    fn singles_out(&self, words: &[Word], m: &Matcher) -> bool {
        let words: Vec<Word> = words
            .iter()
            .copied()
            .filter(|&w| !m.vocabulary.is_stop(w))
            .collect();
        if words.iter().any(|&w| self.df[w as usize] <= self.rare) {
            return true;
        }
        let Some(&rarest) = words
            .iter()
            .min_by_key(|&&w| self.by_word[w as usize].len())
        else {
            return false;
        };
        let bearers = &self.by_word[rarest as usize];
        let bears_all = |b: &&UnitIx| {
            let own = &m.after.text(**b).words;
            words.iter().all(|w| own.binary_search(w).is_ok())
        };
        bearers.len() <= DF_CAP && bearers.iter().filter(bears_all).take(3).count() <= 2
    }

    /// Open after-units under a key, unless too many share it.
    fn capped(map: &HashMap<u64, Vec<UnitIx>>, key: u64) -> &[UnitIx] {
        match map.get(&key) {
            Some(units) if units.len() <= DF_CAP => units,
            _ => &[],
        }
    }
}

impl Matcher<'_> {
    /// One round of scored matching. Returns how many pairs it made.
    /// Look-alikes (see [`OpenAlikes`]) are scored once, by the first of
    /// them, and paired together ([`Matcher::alike_pairs`]).
    pub(super) fn match_scored(&mut self) -> usize {
        let alikes = self.open_alikes();
        let scored = self.score_candidates(&alikes);
        let siblings = self.siblings();
        let ranks = [
            rank(&scored, self.before.len(), |s| s.a),
            rank(&scored, self.after.len(), |s| s.b),
        ];
        let mut decisions = Vec::new();
        for &a in &self.open_before {
            let Some(ra) = ranks[0][a.index()] else {
                continue;
            };
            let best = &scored[ra.best];
            let alike = |w: Side, x: UnitIx| alikes.of(self, w, x).is_some();
            if alike(Side::Before, a) || alike(Side::After, best.b) {
                continue;
            }
            let Some(rb) = ranks[1][best.b.index()] else {
                continue;
            };
            if scored[rb.best].a != a {
                continue;
            }
            let runner_up = stronger(&scored, [ra.runner_up, rb.runner_up]);
            decisions.push(
                self.verdict(best, runner_up.map(|r| &scored[r]), (&siblings, &alikes))
                    .map(|evidence| vec![(a, best.b, logistic(best.score), evidence)])
                    .map_err(|reason| (a, best.b, reason)),
            );
        }
        for w in Side::BOTH {
            let classes = alikes.classes(w);
            // The scored candidates of the first of each class.
            let mut entries: HashMap<UnitIx, Vec<usize>> = classes
                .iter()
                .map(|members| (members[0], Vec::new()))
                .collect();
            for (i, s) in scored.iter().enumerate() {
                let ours = if w == Side::Before { s.a } else { s.b };
                if let Some(list) = entries.get_mut(&ours) {
                    list.push(i);
                }
            }
            for members in classes {
                let candidates = &entries[&members[0]];
                let context = (&scored[..], &ranks, &alikes, &siblings);
                decisions.push(self.alike_pairs(w, members, candidates, context));
            }
        }
        let mut found = Vec::new();
        for decision in decisions {
            match decision {
                Ok(pairs) => found.extend(pairs),
                Err((a, b, reason)) => self.doubt(a, b, &reason),
            }
        }
        self.pair_all(found)
    }

    /// Notes why `a` and `b` were not paired, for each of them.
    fn doubt(&mut self, a: UnitIx, b: UnitIx, reason: &str) {
        let note =
            |other: String| format!("possibly the same unit as {other}: {reason}: not guessed");
        let (for_a, for_b) = (note(self.after.label(b)), note(self.before.label(a)));
        self.doubts[0].insert(a, for_a);
        self.doubts[1].insert(b, for_b);
    }

    /// The pairs for `members`, open look-alikes of side `w`: each takes
    /// one of the best candidates of the first of them, in order, when
    /// each of those candidates has no look-alike, prefers them, and
    /// passes the verdict against its own runner-up and the best
    /// candidate left over. Which member takes which is arbitrary: the
    /// confidence says so ([`Matcher::pair`]).
    fn alike_pairs(
        &self,
        w: Side,
        members: &[UnitIx],
        candidates: &[usize],
        (scored, ranks, alikes, siblings): Round,
    ) -> Result<Vec<Found>, (UnitIx, UnitIx, String)> {
        let ours = |s: &Scored| if w == Side::Before { s.a } else { s.b };
        let theirs = |s: &Scored| if w == Side::Before { s.b } else { s.a };
        let mut entries = candidates.to_vec();
        entries.sort_by(|&i, &j| scored[j].score.total_cmp(&scored[i].score).then(i.cmp(&j)));
        let taken = members.len().min(entries.len());
        let left_over = entries.get(taken).copied();
        let mut pairs = Vec::new();
        for (&member, &i) in members.iter().zip(&entries[..taken]) {
            let y = theirs(&scored[i]);
            let Some(ry) = ranks[w.other() as usize][y.index()] else {
                continue;
            };
            if alikes.of(self, w.other(), y).is_some() || ours(&scored[ry.best]) != members[0] {
                continue;
            }
            let runner_up = stronger(scored, [ry.runner_up, left_over]);
            let (a, b) = if w == Side::Before {
                (member, y)
            } else {
                (y, member)
            };
            match self.verdict(
                &scored[i],
                runner_up.map(|r| &scored[r]),
                (siblings, alikes),
            ) {
                Ok(evidence) => pairs.push((a, b, logistic(scored[i].score), evidence)),
                Err(reason) => return Err((a, b, reason)),
            }
        }
        Ok(pairs)
    }

    /// The candidate pairs of open units that could be accepted or stand
    /// in the way of one, scored. A pair whose score could not reach
    /// [`ACCEPT`] - [`MARGIN`] even with the same name is dropped before
    /// its names are compared: it can neither win nor come close enough
    /// to a winner to matter.
    fn score_candidates(&self, alikes: &OpenAlikes) -> Vec<Scored> {
        let index = CandidateIndex::new(self, alikes);
        let score = |&a: &UnitIx| {
            if alikes.stands_for(self, Side::Before, a) {
                self.score_pairs_of(a, &index)
            } else {
                Vec::new()
            }
        };
        if self.open_before.len() < PARALLEL_FROM {
            return self.open_before.iter().flat_map(score).collect();
        }
        self.open_before.par_iter().flat_map_iter(score).collect()
    }

    /// The scored candidates of one open before-unit.
    fn score_pairs_of(&self, a: UnitIx, index: &CandidateIndex) -> Vec<Scored> {
        let ta = self.before.text(a);
        self.candidates(a, index)
            .into_iter()
            .filter_map(|b| {
                let mut features = self.features(a, b);
                if features.score() < ACCEPT - MARGIN {
                    return None;
                }
                let tb = self.after.text(b);
                let distinctive = |words: &[Word]| index.singles_out(words, self);
                features.name = Some(name_relation(ta, tb, &self.vocabulary, distinctive));
                features.name_count = index.names[&ta.key].min(index.names[&tb.key]);
                let score = features.score();
                Some(Scored {
                    a,
                    b,
                    score,
                    features,
                })
            })
            .collect()
    }

    /// Whether the best pair of two units is accepted: its evidence, or
    /// why not.
    fn verdict(
        &self,
        best: &Scored,
        runner_up: Option<&Scored>,
        around: (&Siblings, &OpenAlikes),
    ) -> Result<Vec<String>, String> {
        let (a, b) = (best.a, best.b);
        let p = logistic(best.score);
        if best.score < ACCEPT {
            return Err(format!("scored only {p:.2}, below the bar"));
        }
        if best.features.kinds_of_evidence() < 2 {
            return Err(format!(
                "scored {p:.2} on one kind of evidence only ({})",
                best.features.evidence(self, a, b).join("; ")
            ));
        }
        let mut evidence = best.features.evidence(self, a, b);
        match runner_up {
            Some(r) => {
                let margin = best.score - r.score;
                let who = if r.a == a {
                    self.after.label(r.b)
                } else {
                    self.before.label(r.a)
                };
                let line = format!(
                    "runner-up {who} scored {:.2} (margin {margin:.1})",
                    logistic(r.score)
                );
                if margin < MARGIN {
                    return Err(format!("scored {p:.2}, but {line}"));
                }
                evidence.push(line);
            }
            None => evidence.push("no other candidate".to_string()),
        }
        if let Some(why) = self.looks_like_group(a, b, &best.features, around) {
            return Err(format!(
                "scored {p:.2}, but {why}: part of a merge or split"
            ));
        }
        Ok(evidence)
    }

    /// Candidates for an open before-unit: open after-units sharing rare
    /// name words or an acronym form, or spelled nearly alike, open
    /// sub-units of its parent's counterpart, and the parents of its
    /// sub-units' counterparts.
    fn candidates(&self, a: UnitIx, index: &CandidateIndex) -> Vec<UnitIx> {
        let t = self.before.text(a);
        let mut out = self.word_candidates(t, index);
        for spellings in &index.spellings {
            out.extend(spellings.neighbours(a));
        }
        if let Some(acronym) = t.acronym {
            out.extend(CandidateIndex::capped(&index.by_acronym, acronym));
            out.extend(CandidateIndex::capped(&index.by_initials, acronym));
        }
        for initials in t.initials.into_iter().flatten() {
            out.extend(CandidateIndex::capped(&index.by_acronym, initials));
        }
        if let Some(pb) = self
            .before
            .parent(a)
            .and_then(|p| self.partner(Side::Before, p))
        {
            out.extend(index.open_children(pb));
        }
        for &c in self.before.children(a) {
            if let Some(pb) = self
                .partner(Side::Before, c)
                .and_then(|cb| self.after.parent(cb))
            {
                if self.is_open(Side::After, pb) {
                    out.push(pb);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Open after-units sharing with `t` two rare words, or the word
    /// rarest in both names ("Compliance Team", "Compliance Unit"). A
    /// qualifier shared among other words ("Northern Fraud Section",
    /// "Northern Visa Section") says too little, and at 100,000 units
    /// proposes too many pairs.
    fn word_candidates(&self, t: &Text, index: &CandidateIndex) -> Vec<UnitIx> {
        let rare = index.rare_words(t, &self.vocabulary);
        let mut hits: Vec<(UnitIx, Word)> = rare
            .iter()
            .flat_map(|&w| index.by_word[w as usize].iter().map(move |&b| (b, w)))
            .collect();
        hits.sort_unstable();
        hits.chunk_by(|x, y| x.0 == y.0)
            .filter(|shared| {
                let b = shared[0].0;
                shared.len() >= 2
                    || (Some(shared[0].1) == rare.first().copied()
                        && Some(shared[0].1) == index.rarest_after[b.index()])
            })
            .map(|shared| shared[0].0)
            .collect()
    }

    /// The features of a pair; the name similarity only when the names are
    /// the same (see [`Matcher::score_candidates`]).
    pub(super) fn features(&self, a: UnitIx, b: UnitIx) -> Features {
        let (ta, tb) = (self.before.text(a), self.after.text(b));
        let description = match (
            self.before.description(a, &self.vocabulary),
            self.after.description(b, &self.vocabulary),
        ) {
            (Some(x), Some(y)) => Some(dice(x, y)),
            _ => None,
        };
        let same_kind = match (ta.kind, tb.kind) {
            (Some(x), Some(y)) => Some(x == y),
            _ => None,
        };
        let same_name = ta.name == tb.name;
        Features {
            name: same_name.then_some(NameRelation::Same),
            same_name,
            name_count: 0,
            acronym: Acronyms::of(ta, tb),
            parents: self.parents(a, b),
            children: (
                self.carried(a, b),
                self.before.children(a).len(),
                self.after.children(b).len(),
            ),
            description,
            same_kind,
        }
    }

    /// Why `a` and `b` look like two parts of a merge or split rather than
    /// one unit, if they do: another unmatched unit sent most of its
    /// sub-units to `b`, or got most of its sub-units from `a`, and `a`
    /// and `b` share no more than [`DOMINANCE`] times as many; or `b` is
    /// named after `a` and another unit ("Fraud and Visa Section"), or `a`
    /// is the common core of the names of `b` and another; or one has an
    /// open part of another kind bearing the other's name, which `a` may
    /// live on as (or `b` may have been promoted from). A unit that kept
    /// its exact name continues regardless.
    fn looks_like_group(
        &self,
        a: UnitIx,
        b: UnitIx,
        f: &Features,
        (siblings, alikes): (&Siblings, &OpenAlikes),
    ) -> Option<String> {
        if f.same_name {
            return None;
        }
        // Parents may not be matched yet: `other`'s own siblings count too.
        // As many parts as `x` has look-alikes are their renames, not parts.
        let named = |w: Side, x: UnitIx, other: UnitIx| {
            let candidates = self.open_siblings(siblings, w, x, Some(other));
            let alike = alikes.of(self, w, x).map_or(1, <[UnitIx]>::len);
            self.name_parts(w, x, &candidates)
                .filter(|(parts, _)| parts.contains(&other) && parts.len() > alike)
                .map(|(_, how)| how)
        };
        self.rival_part(Side::After, b, a)
            .map(|x| format!("{} also sent sub-units to it", self.before.label(x)))
            .or_else(|| {
                self.rival_part(Side::Before, a, b)
                    .map(|y| format!("{} also took sub-units from it", self.after.label(y)))
            })
            .or_else(|| named(Side::After, b, a))
            .or_else(|| named(Side::Before, a, b))
            .or_else(|| self.part_named_after(Side::After, b, a))
            .or_else(|| self.part_named_after(Side::Before, a, b))
    }

    /// An open sub-unit of `x` (on side `w`) bearing the name of `other`,
    /// of another kind, when `other` has no sub-unit of that name itself
    /// (that would be the same part, carried along): "Jouy" lives on
    /// inside "Aizy-Jouy", it did not become it.
    fn part_named_after(&self, w: Side, x: UnitIx, other: UnitIx) -> Option<String> {
        let side = self.side(w);
        let their_side = self.side(w.other());
        let theirs = their_side.text(other);
        let written = &their_side.state.unit(other).name;
        let named = |s: &super::matcher::StateTables, c: UnitIx| &s.state.unit(c).name == written;
        if their_side
            .children(other)
            .iter()
            .any(|&c| named(their_side, c))
        {
            return None;
        }
        let part = side
            .children(x)
            .iter()
            .find(|&&c| self.is_open(w, c) && named(side, c) && side.text(c).kind != theirs.kind)?;
        Some(format!(
            "{} has a part named {}",
            side.label(x),
            side.label(*part)
        ))
    }

    /// An unmatched unit on the other side, besides `partner`, that would
    /// be a part if `x` (on side `w`) were split or merged: it shares at
    /// least [`PART_PURITY`] of its matched sub-units with `x`, and they
    /// are at least [`PART_SHARE`] of `x`'s.
    fn rival_part(&self, w: Side, x: UnitIx, partner: UnitIx) -> Option<UnitIx> {
        let flows = self.flows(w, x);
        // Flows count toward the outermost open unit: one around `partner`
        // went through it.
        let other = self.side(w.other());
        let through_partner =
            |y: UnitIx| std::iter::successors(Some(partner), |&p| other.parent(p)).any(|p| p == y);
        let kept: usize = flows
            .iter()
            .filter(|f| through_partner(f.to))
            .map(|f| f.count)
            .sum();
        flows.into_iter().find_map(|f| {
            let part = !through_partner(f.to)
                && self.is_open(w.other(), f.to)
                && f.purity() >= PART_PURITY
                && f.share() >= PART_SHARE
                && kept < DOMINANCE * f.count;
            part.then_some(f.to)
        })
    }
}

/// The stronger of two scored pairs (the earlier one on a tie).
fn stronger(scored: &[Scored], pairs: [Option<usize>; 2]) -> Option<usize> {
    pairs
        .into_iter()
        .flatten()
        .max_by(|&x, &y| scored[x].score.total_cmp(&scored[y].score).then(y.cmp(&x)))
}

/// For each unit (by index), its best scored candidate and runner-up.
fn rank(scored: &[Scored], n: usize, unit: impl Fn(&Scored) -> UnitIx) -> Vec<Option<Ranking>> {
    // Higher score first; ties go to the earlier pair, which only affects
    // the wording of a doubt (a tie is never accepted: its margin is 0).
    let better = |i: usize, j: usize| {
        scored[i].score > scored[j].score || (scored[i].score == scored[j].score && i < j)
    };
    let mut out: Vec<Option<Ranking>> = vec![None; n];
    for (i, s) in scored.iter().enumerate() {
        let slot = &mut out[unit(s).index()];
        *slot = Some(match *slot {
            None => Ranking {
                best: i,
                runner_up: None,
            },
            Some(r) if better(i, r.best) => Ranking {
                best: i,
                runner_up: Some(r.best),
            },
            Some(r) => Ranking {
                best: r.best,
                runner_up: Some(match r.runner_up {
                    Some(u) if better(u, i) => u,
                    _ => i,
                }),
            },
        });
    }
    out
}

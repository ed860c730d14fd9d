//! Stage 3, scored 1:1 matching: each open unit's candidates
//! (`candidates.rs`) scored by the [`Features`] of the pair
//! (`features.rs`), ranked, and accepted (the bar, the margin, two kinds
//! of evidence, not part of a merge or split), with a doubt noted for
//! each unit whose best candidate falls short.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::candidates::CandidateIndex;
use super::features::Features;
use super::matcher::{Found, Matcher, OpenAlikes, Siblings};
use super::similarity::{logistic, name_relation, NameRelation};
use super::text::Word;
use super::{ACCEPT, DOMINANCE, MARGIN, PARALLEL_FROM, PART_PURITY, PART_SHARE};
use crate::diff::step::Side;
use crate::state::UnitIx;

// ---------------------------------------------------------------------------
// Stage 3: scored 1:1 matching

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
                let relation = name_relation(ta, tb, &self.vocabulary, distinctive);
                let after_part = !relation.aligned() && self.shared_part_name(a, b).is_some();
                features.name = Some(match after_part {
                    true => NameRelation::AfterPart,
                    false => relation,
                });
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
        let named = |s: &super::tables::StateTables, c: UnitIx| &s.state.unit(c).name == written;
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

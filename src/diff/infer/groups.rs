//! Stage 4, n:1 and 1:n: merges, absorptions, splits and spin-offs found
//! from where the sub-units went ([`Flow`]) and from names, claims
//! settled when two changes want the same unit, and the end of the
//! pipeline: turning the matcher into the [`Inference`] returned.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use super::matcher::{Flow, Matcher};
use super::parts::{Levels, Part};
use super::similarity::{is_subset, logistic};
use super::text::Word;
use super::{Group, Inference, COVERAGE, MAJORITY, PART_PURITY, PART_SHARE};
use crate::diff::step::Side;
use crate::model::ChangeKind;
use crate::state::UnitIx;

// ---------------------------------------------------------------------------
// Stage 4: n:1 and 1:n

/// A change claimed for open units, before conflicts are settled.
#[derive(Debug, Clone)]
struct Claim {
    kind: ChangeKind,
    before: Vec<UnitIx>,
    after: Vec<UnitIx>,
    /// The open units it takes (a continuing unit is not taken).
    takes: Vec<(Side, UnitIx)>,
    /// The weakest share or purity of the sub-units behind it (0 when only
    /// names are).
    strength: f64,
    /// Whether the names corroborate.
    names: bool,
    /// The confidence it cannot exceed: that of the pairs it rests on.
    ceiling: f64,
    evidence: Vec<String>,
}

impl Matcher<'_> {
    /// Merges, absorptions, splits and spin-offs among the open units. A
    /// unit claimed by two of them (an n:m reorganization) is left out of
    /// both, with a note.
    pub(super) fn find_groups(&mut self) -> Vec<Group> {
        self.build_flow_target_texts();
        let siblings = self.siblings();
        let levels = self.levels();
        let mut claims = self.living_part_claims(&levels);
        for w in Side::BOTH {
            for &x in self.open(w) {
                let siblings = self.open_siblings(&siblings, w, x, None);
                claims.extend(self.fan_claim(w, x, &siblings, levels.of(w, x)));
                claims.extend(self.continuation_claims(w, x));
            }
        }
        let mut taken: [HashMap<UnitIx, usize>; 2] = Default::default();
        for claim in &claims {
            for &(w, x) in &claim.takes {
                *taken[w as usize].entry(x).or_default() += 1;
            }
        }
        let (kept, contested): (Vec<Claim>, Vec<Claim>) = claims
            .into_iter()
            .partition(|c| c.takes.iter().all(|&(w, x)| taken[w as usize][&x] == 1));
        for claim in contested {
            self.note_contested(&claim);
        }
        join_continuations(kept)
            .into_iter()
            .map(|c| Group {
                kind: c.kind,
                before: c.before,
                after: c.after,
                confidence: logistic(-1.0 + 4.0 * c.strength + if c.names { 2.0 } else { 0.0 })
                    .min(c.ceiling),
                evidence: c.evidence,
            })
            .collect()
    }

    /// Builds the texts of the units the open units' sub-units went to
    /// (or came from), continuing ones included: their names are compared.
    fn build_flow_target_texts(&mut self) {
        for w in Side::BOTH {
            let mut targets: Vec<UnitIx> = self
                .open(w)
                .iter()
                .flat_map(|&x| self.flows(w, x))
                .map(|f| f.to)
                .collect();
            targets.sort_unstable();
            targets.dedup();
            match w.other() {
                Side::Before => self.before.build_texts(&targets, &mut self.vocabulary),
                Side::After => self.after.build_texts(&targets, &mut self.vocabulary),
            }
        }
    }

    /// A split of an open before-unit, or (mirrored) a merge into an open
    /// after-unit: its sub-units went to (came from) two or more open
    /// units on the other side, two or more of its parts came out of it
    /// (went into it) to live on ([`Levels`]) — with any unit whose
    /// sub-units went to (came from) it —, or its name is the sum or the
    /// common core of theirs.
    fn fan_claim(&self, w: Side, x: UnitIx, siblings: &[UnitIx], living: &[Part]) -> Option<Claim> {
        let mut evidence = Vec::new();
        let mut parts: Vec<UnitIx> = Vec::new();
        let (mut coverage, mut purest) = (0.0, 1.0_f64);
        for f in self.flows(w, x) {
            if self.is_open(w.other(), f.to) && f.purity() >= PART_PURITY && f.share() >= PART_SHARE
            {
                parts.push(f.to);
                coverage += f.share();
                purest = purest.min(f.purity());
                evidence.push(self.flow_evidence(w, x, &f));
            }
        }
        let structural = parts.len() >= 2 && coverage >= COVERAGE;
        // Parts that live on speak for the whole only when there are two
        // or more: one unit alone inside a new one is a level added. When
        // they do, a unit whose sub-units went there (and little else of
        // its) is one of the units merged (split) too, though too few
        // such units would not have told the change alone.
        let living = if living.len() >= 2 { living } else { &[] };
        if !structural && living.is_empty() {
            parts.clear();
            evidence.clear();
        }
        for part in living {
            parts.push(match w {
                Side::Before => part.after,
                Side::After => part.before,
            });
            evidence.push(self.part_evidence(part, w == Side::After));
        }
        let named = self.name_parts(w, x, siblings);
        if !structural && living.is_empty() && named.is_none() {
            return None;
        }
        if let Some((named_parts, how)) = &named {
            evidence.push(how.clone());
            parts.extend(named_parts);
        }
        parts.sort_unstable();
        parts.dedup();
        let (kind, before, after) = match w {
            Side::Before => (ChangeKind::Split, vec![x], parts.clone()),
            Side::After => (ChangeKind::Merged, parts.clone(), vec![x]),
        };
        let mut takes = vec![(w, x)];
        takes.extend(parts.iter().map(|&y| (w.other(), y)));
        let strength = match (structural, living.is_empty()) {
            (true, _) => purest.min(coverage),
            (false, false) => 1.0,
            (false, true) => 0.0,
        };
        Some(Claim {
            kind,
            before,
            after,
            takes,
            strength,
            names: named.is_some(),
            ceiling: living.iter().map(|p| p.confidence).fold(1.0, f64::min),
            evidence,
        })
    }

    /// Units absorbed by a unit that continues and now live on inside it,
    /// and parts promoted out of a unit that continues ([`Levels`]): one
    /// claim per continuing unit.
    fn living_part_claims(&self, levels: &Levels) -> Vec<Claim> {
        let mut claims = Vec::new();
        let sides = [
            (Side::After, &levels.went_into),
            (Side::Before, &levels.came_out_of),
        ];
        for (w, by_whole) in sides {
            for (&whole, parts) in by_whole {
                if self.is_open(w, whole) {
                    // A merge or split: see `fan_claim`.
                    continue;
                }
                let moved: Vec<UnitIx> = parts
                    .iter()
                    .map(|p| match w {
                        Side::After => p.before,
                        Side::Before => p.after,
                    })
                    .collect();
                let (kind, before, after) = match w {
                    Side::After => (ChangeKind::Absorbed, moved.clone(), vec![whole]),
                    Side::Before => (ChangeKind::SpunOff, vec![whole], moved.clone()),
                };
                claims.push(Claim {
                    kind,
                    before,
                    after,
                    takes: moved.iter().map(|&y| (w.other(), y)).collect(),
                    strength: 1.0,
                    names: false,
                    ceiling: parts.iter().map(|p| p.confidence).fold(1.0, f64::min),
                    evidence: parts
                        .iter()
                        .map(|p| self.part_evidence(p, w == Side::After))
                        .collect(),
                });
            }
        }
        claims
    }

    /// Units among `siblings` (open, on the other side, their parent
    /// corresponding to `x`'s) whose names relate to `x`'s: either each
    /// name is part of `x`'s and together they make it up ("Fraud and Visa
    /// Section" from "Fraud Section" and "Visa Section"), or each contains
    /// all of `x`'s words ("Fraud Analysis Section", "Fraud Review Section"
    /// from "Fraud Section"), or each keeps all of `x`'s words but one and
    /// puts another in its place ("Northern Civil Rights Section",
    /// "Southern Civil Rights Section" from "Central Civil Rights
    /// Section"). Two or more, with how they relate.
    pub(super) fn name_parts(
        &self,
        w: Side,
        x: UnitIx,
        siblings: &[UnitIx],
    ) -> Option<(Vec<UnitIx>, String)> {
        let topic = &self.side(w).text(x).topic;
        if topic.is_empty() {
            return None;
        }
        let other = self.side(w.other());
        let labels = |units: &[UnitIx]| -> String {
            units
                .iter()
                .map(|&y| other.label(y))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let within: Vec<UnitIx> = siblings
            .iter()
            .copied()
            .filter(|&y| {
                let t = &other.text(y).topic;
                !t.is_empty() && t.len() < topic.len() && is_subset(t, topic)
            })
            .collect();
        let mut covered: Vec<Word> = within
            .iter()
            .flat_map(|&y| other.text(y).topic.iter().copied())
            .collect();
        covered.sort_unstable();
        covered.dedup();
        if within.len() >= 2 && covered.len() == topic.len() {
            let how = format!(
                "{} is named after {}",
                self.side(w).label(x),
                labels(&within)
            );
            return Some((within, how));
        }
        let around: Vec<UnitIx> = siblings
            .iter()
            .copied()
            .filter(|&y| {
                let t = &other.text(y).topic;
                (t.len() > topic.len() && is_subset(topic, t)) || swaps_one(topic, t)
            })
            .collect();
        (around.len() >= 2).then(|| {
            let how = format!(
                "{} are named after {}",
                labels(&around),
                self.side(w).label(x)
            );
            (around, how)
        })
    }

    /// An open before-unit absorbed by a continuing unit, or (mirrored) an
    /// open after-unit spun off from one: at least [`MAJORITY`] of its
    /// matched sub-units went to (came from) that unit, and either the
    /// names relate (one's words contain the other's) or they are two or
    /// more and at least [`PART_SHARE`] of that unit's. A unit that was
    /// inside the one that took its sub-units was a level removed, not
    /// absorbed (and a new one inside the one that gave them, a level
    /// added); and a new unit that the one which gave them now lives
    /// inside, as a part, was not carved out of it (mirrored, a unit that
    /// had inside it the one which took them was split, not absorbed).
    fn continuation_claims(&self, w: Side, x: UnitIx) -> Vec<Claim> {
        let side = self.side(w);
        let inside = |y: UnitIx| {
            std::iter::successors(side.parent(x), |&p| side.parent(p))
                .any(|p| self.partner(w, p) == Some(y))
        };
        let holds = |y: UnitIx| {
            self.partner(w.other(), y).is_some_and(|part| {
                std::iter::successors(side.parent(part), |&p| side.parent(p)).any(|p| p == x)
            })
        };
        let names_relate = |y: UnitIx| {
            let (ours, theirs) = (
                &self.side(w).text(x).topic,
                &self.side(w.other()).text(y).topic,
            );
            !ours.is_empty()
                && !theirs.is_empty()
                && (is_subset(ours, theirs) || is_subset(theirs, ours) || swaps_one(ours, theirs))
        };
        self.flows(w, x)
            .into_iter()
            .filter(|f| {
                let substantial = f.count >= 2 && f.purity() >= PART_SHARE;
                !self.is_open(w.other(), f.to)
                    && f.share() >= MAJORITY
                    && (substantial || names_relate(f.to))
                    && !inside(f.to)
                    && !holds(f.to)
            })
            .map(|f| {
                let (kind, before, after) = match w {
                    Side::Before => (ChangeKind::Absorbed, vec![x], vec![f.to]),
                    Side::After => (ChangeKind::SpunOff, vec![f.to], vec![x]),
                };
                Claim {
                    kind,
                    before,
                    after,
                    takes: vec![(w, x)],
                    strength: f.share(),
                    names: false,
                    ceiling: 1.0,
                    evidence: vec![self.flow_evidence(w, x, &f)],
                }
            })
            .collect()
    }

    /// "Fraud Section → Fraud Analysis Section: 3 of its 5 sub-units,
    /// making 3 of 3", in the before → after direction.
    fn flow_evidence(&self, w: Side, x: UnitIx, f: &Flow) -> String {
        let (a, b, of_a, of_b) = match w {
            Side::Before => (x, f.to, f.from_total, f.to_total),
            Side::After => (f.to, x, f.to_total, f.from_total),
        };
        format!(
            "{} → {}: {n} of its {of_a} sub-units, making {n} of {of_b}",
            self.before.label(a),
            self.after.label(b),
            n = f.count
        )
    }

    fn note_contested(&mut self, claim: &Claim) {
        let labels = |w: Side, units: &[UnitIx]| -> String {
            units
                .iter()
                .map(|&u| self.side(w).label(u))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let reason = format!(
            "possibly {} ({} → {}), but some of these units are claimed by another change: not guessed",
            claim.kind,
            labels(Side::Before, &claim.before),
            labels(Side::After, &claim.after)
        );
        for &(w, x) in &claim.takes {
            self.doubts[w as usize].insert(x, reason.clone());
        }
    }

    /// The pairs and groups found, and notes for the units left over.
    pub(super) fn into_inference(self, groups: Vec<Group>) -> Inference {
        let mut grouped: [Vec<bool>; 2] = [
            vec![false; self.before.len()],
            vec![false; self.after.len()],
        ];
        for g in &groups {
            g.before.iter().for_each(|x| grouped[0][x.index()] = true);
            g.after.iter().for_each(|x| grouped[1][x.index()] = true);
        }
        let mut notes: [Vec<(UnitIx, String)>; 2] = [Vec::new(), Vec::new()];
        for w in Side::BOTH {
            for &x in self.open(w) {
                if grouped[w as usize][x.index()] {
                    continue;
                }
                if let Some(note) = self.doubts[w as usize].get(&x) {
                    notes[w as usize].push((x, note.clone()));
                }
            }
        }
        let [notes_before, notes_after] = notes;
        Inference {
            pairs: self.found,
            groups,
            notes_before,
            notes_after,
        }
    }
}

/// Whether two topics of three words or more differ in one word each:
/// the same words, but one put in the place of another ("Northern Civil
/// Rights", "Southern Civil Rights"). Two words in common at least: one
/// alone is too often only a word many names begin with.
fn swaps_one(x: &[Word], y: &[Word]) -> bool {
    let only = |x: &[Word], y: &[Word]| x.iter().filter(|w| y.binary_search(w).is_err()).count();
    x.len() >= 3 && only(x, y) == 1 && only(y, x) == 1
}

/// Continuation claims joined per continuing unit: the units one unit
/// absorbed form one change, as do those spun off from one unit.
fn join_continuations(claims: Vec<Claim>) -> Vec<Claim> {
    let mut joined: BTreeMap<(ChangeKind, UnitIx), Claim> = BTreeMap::new();
    let mut out = Vec::new();
    for claim in claims {
        let continuing = match claim.kind {
            ChangeKind::Absorbed => claim.after[0],
            ChangeKind::SpunOff => claim.before[0],
            _ => {
                out.push(claim);
                continue;
            }
        };
        match joined.entry((claim.kind, continuing)) {
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(claim);
            }
            std::collections::btree_map::Entry::Occupied(mut e) => {
                let c = e.get_mut();
                for (into, from) in [(&mut c.before, &claim.before), (&mut c.after, &claim.after)] {
                    into.extend(from);
                    into.sort_unstable();
                    into.dedup();
                }
                c.takes.extend(claim.takes);
                c.strength = c.strength.min(claim.strength);
                c.ceiling = c.ceiling.min(claim.ceiling);
                c.evidence.extend(claim.evidence);
            }
        }
    }
    out.extend(joined.into_values());
    out
}

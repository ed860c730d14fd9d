//! How each state matches the next: by identity (the same id, unless
//! everything else disagrees), by curated events, then by inference on
//! what is left.

use std::borrow::Cow;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::infer::{self, Inference, Known};
use super::Basis;
use crate::dataset::Dataset;
use crate::date::Date;
use crate::model::{ChangeKind, Event};
use crate::state::{OrgState, UnitIx};
use crate::text;

/// A 1:1 link between a unit and itself one state later: the same unit,
/// perhaps renamed, moved or re-keyed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Link {
    pub before: UnitIx,
    pub after: UnitIx,
    pub basis: Basis,
    pub confidence: f64,
    pub evidence: Vec<String>,
    /// The curated event that made the link, if any.
    pub event: Option<usize>,
}

/// A change that is not a unit continuing: merged, absorbed, split,
/// spun off, replaced, transferred, established, abolished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct EventLink {
    #[serde(with = "crate::model::kind_by_name")]
    pub kind: ChangeKind,
    pub before: Vec<UnitIx>,
    pub after: Vec<UnitIx>,
    pub basis: Basis,
    pub confidence: f64,
    pub evidence: Vec<String>,
    /// The curated event, if any.
    pub event: Option<usize>,
}

/// How one state matches the next.
#[derive(Debug, PartialEq)]
pub(super) struct Step {
    /// When the changes of this step happened: between the two
    /// observations. `None` for undated states.
    pub interval: Option<Date>,
    /// For each unit of the later state (by index), the unit of the
    /// earlier state it continues, if any.
    pub continues: Vec<Option<UnitIx>>,
    /// The continuity links that a curated event or inference made, by the
    /// index of their `after` unit once the step is matched. Every other
    /// unit that continues keeps its id: most do, and they are not stored
    /// twice.
    pub links: Vec<Link>,
    pub events: Vec<EventLink>,
    /// Evidence for units left unmatched (e.g. a candidate too close to
    /// call), sorted by side and unit (see [`Step::notes_on`]).
    pub notes: Vec<(Side, UnitIx, String)>,
}

impl Step {
    /// The continuity link into unit `after` of the later state, if any.
    pub(super) fn link_into(&self, after: UnitIx) -> Option<Link> {
        let before = self.continues[after.index()]?;
        Some(match self.links.binary_search_by_key(&after, |l| l.after) {
            Ok(i) => self.links[i].clone(),
            Err(_) => Link {
                before,
                after,
                basis: Basis::Identity,
                confidence: 1.0,
                // Said when a change is described ("same id `x`"): most
                // identity links describe no change.
                evidence: Vec::new(),
                event: None,
            },
        })
    }

    /// The notes on a unit, in the order they were made.
    pub(super) fn notes_on(&self, side: Side, ix: UnitIx) -> impl Iterator<Item = &String> {
        let key = (side == Side::After, ix);
        let start = self
            .notes
            .partition_point(|(s, u, _)| (*s == Side::After, *u) < key);
        self.notes[start..]
            .iter()
            .take_while(move |(s, u, _)| (*s == Side::After, *u) == key)
            .map(|(_, _, note)| note)
    }

    /// Links `before` to `after` as one unit.
    fn link(&mut self, link: Link) {
        self.continues[link.after.index()] = Some(link.before);
        self.links.push(link);
    }

    /// Drops any continuity link from `before` or into `after`.
    fn unlink(&mut self, before: UnitIx, after: UnitIx) {
        self.continues[after.index()] = None;
        for c in self.continues.iter_mut().filter(|c| **c == Some(before)) {
            *c = None;
        }
        self.links
            .retain(|l| l.before != before && l.after != after);
    }
}

/// Which state of a step a unit belongs to: the one before or after.
/// As a number, it indexes pairs of per-side tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) enum Side {
    Before = 0,
    After = 1,
}

impl Side {
    /// Both sides, before first.
    pub(super) const BOTH: [Side; 2] = [Side::Before, Side::After];

    /// The side opposite this one.
    pub(super) fn other(self) -> Side {
        match self {
            Side::Before => Side::After,
            Side::After => Side::Before,
        }
    }
}

/// Two consecutive states.
#[derive(Clone, Copy)]
struct StatePair<'s> {
    before: &'s OrgState,
    after: &'s OrgState,
    /// For each unit of `after`, the unit of `before` with its id, when
    /// known (`after` was laid over `before`).
    same_id_before: Option<&'s [Option<UnitIx>]>,
    /// The dataset whose states `n` and `n + 1` they are, if they are a
    /// dataset's: units are then found by id through it.
    laid_from: Option<(&'s Dataset, usize)>,
}

/// Matches step `n` of a dataset's history: its state `n` to state
/// `n + 1`.
pub(super) fn match_dataset_step(dataset: &Dataset, n: usize) -> Step {
    let pair = StatePair {
        before: dataset.state_after(n),
        after: dataset.state_after(n + 1),
        same_id_before: Some(dataset.same_id_before(n)),
        laid_from: Some((dataset, n)),
    };
    match_step(pair, Some(interval(dataset, n)), &dataset.events)
}

/// When the changes of step `n` of a dataset's history happened: between
/// the snapshots that made its two states.
pub(super) fn interval(dataset: &Dataset, n: usize) -> Date {
    let snapshots = dataset.snapshots();
    let before = n.checked_sub(1).map(|i| &snapshots[i].date);
    Date::span(before, &snapshots[n].date)
}

/// Matches two undated states.
pub(super) fn match_undated(before: &OrgState, after: &OrgState) -> Step {
    let pair = StatePair {
        before,
        after,
        same_id_before: None,
        laid_from: None,
    };
    match_step(pair, None, &[])
}

/// Matches one state to the next.
fn match_step(pair: StatePair, interval: Option<Date>, events: &[Event]) -> Step {
    let StatePair { before, after, .. } = pair;
    let mut step = Step {
        interval,
        continues: vec![None; after.len()],
        links: Vec::new(),
        events: Vec::new(),
        notes: Vec::new(),
    };
    // Whether each unit (by index) is already accounted for.
    let mut taken_before = vec![false; before.len()];
    let mut taken_after = vec![false; after.len()];
    match_identity(pair, &mut step, &mut taken_before, &mut taken_after);
    match_curated(pair, events, &mut step, &mut taken_before, &mut taken_after);
    let leftovers = |state: &OrgState, taken: &[bool]| -> Vec<UnitIx> {
        state
            .preorder()
            .map(|(ix, _)| ix)
            .filter(|ix| !taken[ix.index()])
            .collect()
    };
    let removed = leftovers(before, &taken_before);
    let added = leftovers(after, &taken_after);
    // Nothing can be inferred between an empty state and another (the
    // first state of a history follows the empty organization).
    let both_sides = !before.is_empty() && !after.is_empty();
    if both_sides && (!removed.is_empty() || !added.is_empty()) {
        let pairs: Vec<(UnitIx, UnitIx)> = after
            .preorder()
            .filter_map(|(a, _)| step.continues[a.index()].map(|b| (b, a)))
            .collect();
        let inference = infer::infer(&Known {
            before,
            after,
            pairs: &pairs,
            removed: &removed,
            added: &added,
        });
        add_inferred(&mut step, inference);
    }
    step.links.sort_by_key(|l| l.after);
    // Stable: the notes on one unit keep their order.
    step.notes
        .sort_by_key(|(side, ix, _)| (*side == Side::After, *ix));
    step
}

/// Pairs units that keep their id, unless the id was evidently reused for
/// another unit (nothing else agrees).
fn match_identity(
    pair: StatePair,
    step: &mut Step,
    taken_before: &mut [bool],
    taken_after: &mut [bool],
) {
    let StatePair { before, after, .. } = pair;
    let same_id_before = pair.same_id_before();
    for ((a, _), &b) in after.preorder().zip(same_id_before.iter()) {
        let Some(b) = b else {
            continue;
        };
        if looks_reused(before, b, after, a) {
            step.notes.push((
                Side::Before,
                b,
                format!(
                    "id `{}` is now used by {}, which shares nothing else with it: treated as another unit",
                    before.unit(b).id,
                    after.unit(a).label()
                ),
            ));
            continue;
        }
        taken_before[b.index()] = true;
        taken_after[a.index()] = true;
        step.continues[a.index()] = Some(b);
    }
}

impl StatePair<'_> {
    /// The unit of one of the two states with this id.
    fn find(&self, side: Side, id: &str) -> Option<UnitIx> {
        match (self.laid_from, side) {
            (Some((dataset, n)), Side::Before) => dataset.find(n, id),
            (Some((dataset, n)), Side::After) => dataset.find(n + 1, id),
            (None, Side::Before) => self.before.find(id),
            (None, Side::After) => self.after.find(id),
        }
    }

    /// For each unit of `after` (by index), the unit of `before` with its
    /// id.
    fn same_id_before(&self) -> Cow<'_, [Option<UnitIx>]> {
        match self.same_id_before {
            Some(known) => {
                debug_assert_eq!(known.len(), self.after.len(), "one entry per unit");
                Cow::Borrowed(known)
            }
            None => Cow::Owned(
                self.after
                    .preorder()
                    .map(|(a, _)| self.before.find(&self.after.unit(a).id))
                    .collect(),
            ),
        }
    }
}

/// An id is taken as reused when the two units share no name word (of
/// more than three letters, and not one that many units of either state
/// bear, see `OrgState::is_common_word`), no acronym and no parent id.
pub(super) fn looks_reused(before: &OrgState, b: UnitIx, after: &OrgState, a: UnitIx) -> bool {
    let (ub, ua) = (before.unit(b), after.unit(a));
    // Most units are the previous state's very copy.
    if std::ptr::eq(ub, ua) || ub.name == ua.name {
        return false;
    }
    let same_acronym = match (&ub.acronym, &ua.acronym) {
        (Some(x), Some(y)) => text::fold(x) == text::fold(y),
        _ => false,
    };
    let parent_id = |s: &OrgState, ix| s.parent(ix).map(|p| s.unit(p).id.clone());
    if same_acronym || parent_id(before, b) == parent_id(after, a) {
        return false;
    }
    // Words last: telling common ones counts the words of whole states.
    let words_b: HashSet<String> = text::words(&ub.name).into_iter().collect();
    !text::words(&ua.name).iter().any(|w| {
        w.len() > 3 && words_b.contains(w) && !before.is_common_word(w) && !after.is_common_word(w)
    })
}

/// Applies the curated events that this step shows happening: every `from`
/// unit is in the state before, every `to` unit in the state after, the
/// units that end are gone after and those that begin were absent before.
fn match_curated(
    pair: StatePair,
    events: &[Event],
    step: &mut Step,
    taken_before: &mut [bool],
    taken_after: &mut [bool],
) {
    for (i, event) in events.iter().enumerate() {
        // A change dated after the later observation is not what this
        // step shows (the same units may come and go more than once). One
        // dated before the earlier observation may be: a unit can go
        // unseen by the snapshots in between.
        let after_the_step = step
            .interval
            .as_ref()
            .is_some_and(|i| event.date.earliest() > i.latest());
        if after_the_step {
            continue;
        }
        let Some((from, to)) = applies(event, pair) else {
            continue;
        };
        let evidence = curated_evidence(event);
        let continuity = matches!(
            event.kind,
            ChangeKind::Renamed
                | ChangeKind::Moved
                | ChangeKind::Redesignated
                | ChangeKind::Recoded
        );
        if continuity {
            // The same unit under another id: drop any identity claim on
            // either side first.
            step.unlink(from[0], to[0]);
            step.link(Link {
                before: from[0],
                after: to[0],
                basis: Basis::Curated,
                confidence: event.confidence.score(),
                evidence,
                event: Some(i),
            });
        } else {
            step.events.push(EventLink {
                kind: event.kind,
                before: from.clone(),
                after: to.clone(),
                basis: Basis::Curated,
                confidence: event.confidence.score(),
                evidence,
                event: Some(i),
            });
        }
        // A unit that continues through the event (the source of a
        // spin-off, the unit that absorbs others) stays free to be paired
        // with itself.
        if event.kind != ChangeKind::SpunOff {
            for ix in &from {
                taken_before[ix.index()] = true;
            }
        }
        if event.kind != ChangeKind::Absorbed {
            for ix in &to {
                taken_after[ix.index()] = true;
            }
        }
    }
}

/// The units of the event on each side, when this step is where it happens.
fn applies(event: &Event, pair: StatePair) -> Option<(Vec<UnitIx>, Vec<UnitIx>)> {
    let after = pair.after;
    let ending: Vec<&String> = event
        .from
        .iter()
        .filter(|id| !event.to.contains(id))
        .collect();
    let beginning: Vec<&String> = event
        .to
        .iter()
        .filter(|id| !event.from.contains(id))
        .collect();
    // Units folded into another may live on inside it, as its parts.
    let lives_on_inside = |id: &&String| {
        matches!(event.kind, ChangeKind::Absorbed | ChangeKind::Merged)
            && pair.find(Side::After, id).is_some_and(|ix| {
                after
                    .ancestors(ix)
                    .iter()
                    .any(|&a| event.to.contains(&after.unit(a).id))
            })
    };
    let ends_here = ending
        .iter()
        .all(|id| pair.find(Side::After, id).is_none() || lives_on_inside(id));
    // The unit that absorbs others continues: it need not be new.
    let begins_here = event.kind == ChangeKind::Absorbed
        || beginning
            .iter()
            .all(|id| pair.find(Side::Before, id).is_none());
    let happens = (!ending.is_empty() || !beginning.is_empty())
        && (!event.kind.ends_its_sources() || ends_here)
        && begins_here;
    if !happens {
        return None;
    }
    let from: Option<Vec<UnitIx>> = event
        .from
        .iter()
        .map(|id| pair.find(Side::Before, id))
        .collect();
    let to: Option<Vec<UnitIx>> = event
        .to
        .iter()
        .map(|id| pair.find(Side::After, id))
        .collect();
    Some((from?, to?))
}

/// The evidence of a curated event: its note and where it is written.
pub(super) fn curated_evidence(event: &Event) -> Vec<String> {
    let mut evidence = vec![format!(
        "curated event ({} confidence), {}",
        event.confidence.name(),
        event.origin()
    )];
    if let Some(note) = &event.note {
        evidence.push(note.clone());
    }
    evidence
}

fn add_inferred(step: &mut Step, inference: Inference) {
    for pair in inference.pairs {
        step.link(Link {
            before: pair.before,
            after: pair.after,
            basis: Basis::Inferred,
            confidence: pair.confidence,
            evidence: pair.evidence,
            event: None,
        });
    }
    for group in inference.groups {
        step.events.push(EventLink {
            kind: group.kind,
            before: group.before,
            after: group.after,
            basis: Basis::Inferred,
            confidence: group.confidence,
            evidence: group.evidence,
            event: None,
        });
    }
    for (ix, note) in inference.notes_before {
        step.notes.push((Side::Before, ix, note));
    }
    for (ix, note) in inference.notes_after {
        step.notes.push((Side::After, ix, note));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Unit;

    use crate::synth::unit;

    /// Twelve towns named "Saint ..." in one region, and the unit with id
    /// `x` in another, named `name`.
    fn saints(name: &str, x_first: bool) -> OrgState {
        let mut towns: Vec<Unit> = (0..12)
            .map(|i| unit(&format!("t{i}"), &format!("Saint Town{i}"), Vec::new()))
            .collect();
        let x = unit("x", name, Vec::new());
        let (first, second) = if x_first {
            towns.push(x);
            (towns, Vec::new())
        } else {
            (towns, vec![x])
        };
        let root = unit(
            "c",
            "Country",
            vec![unit("r1", "North", first), unit("r2", "South", second)],
        );
        OrgState::default().overlay(&crate::synth::snapshot("s", 2000, root), 0)
    }

    #[test]
    fn an_id_reused_by_a_unit_sharing_only_a_common_word_is_another_unit() {
        let before = saints("Saint Cirq", true);
        let find = |s: &OrgState| s.find("x").unwrap();
        // Elsewhere, sharing only "Saint", which most names bear.
        let after = saints("Saint Vincent", false);
        assert!(looks_reused(&before, find(&before), &after, find(&after)));
        // Sharing a word few names bear, it is the same unit.
        let after = saints("Saint Cirq Lapopie", false);
        assert!(!looks_reused(&before, find(&before), &after, find(&after)));
    }

    /// The pairs by id that laying a snapshot records, with units found
    /// through the dataset, give the links that looking every id up in
    /// the states gives, at every step of the embedded history
    /// (which has scoped and partial snapshots).
    #[test]
    fn ids_paired_while_laying_a_snapshot_match_ids_looked_up() {
        let dataset = crate::load::load(None).expect("the embedded dataset loads");
        for i in 0..dataset.snapshots().len() {
            let (before, after) = (dataset.state_after(i), dataset.state_after(i + 1));
            let links = |of_dataset: bool| {
                let pair = StatePair {
                    before,
                    after,
                    same_id_before: of_dataset.then(|| dataset.same_id_before(i)),
                    laid_from: of_dataset.then_some((&dataset, i)),
                };
                let step = match_step(pair, None, &dataset.events);
                after
                    .preorder()
                    .map(|(a, _)| step.link_into(a).map(|l| (l.before, l.basis, l.event)))
                    .collect::<Vec<_>>()
            };
            let id = &dataset.snapshots()[i].id;
            assert_eq!(links(true), links(false), "{id}");
        }
    }
}

//! The chain of states between two dates, and how each state matches the
//! next: by identity (the same id, unless everything else disagrees), by
//! curated events, then by inference on what is left.

use std::borrow::Cow;
use std::collections::HashSet;

use super::infer::{self, Inference, Known};
use super::Basis;
use crate::date::{Date, Day};
use crate::model::{ChangeKind, Dataset, Event};
use crate::state::{OrgState, UnitIx};
use crate::text;

/// A 1:1 link between a unit and itself one state later: the same unit,
/// perhaps renamed, moved or re-keyed.
#[derive(Debug, Clone)]
pub struct Link {
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
#[derive(Debug, Clone)]
pub struct EventLink {
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
#[derive(Debug)]
pub struct Step {
    /// When the changes of this step happened: between the two
    /// observations. `None` for undated states.
    pub interval: Option<Date>,
    /// Continuity links, by the index of the `before` unit.
    pub links: Vec<Link>,
    pub events: Vec<EventLink>,
    /// Evidence for units left unmatched (e.g. a candidate too close to call).
    pub notes: Vec<(Side, UnitIx, String)>,
}

/// Which state of a step a unit belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Before,
    After,
}

/// The states from FROM to TO and the steps between them.
pub struct Chain<'d> {
    /// Owned when built from a dataset; borrowed when two states are given.
    pub states: Vec<Cow<'d, OrgState>>,
    /// `steps[k]` matches `states[k]` to `states[k + 1]`.
    pub steps: Vec<Step>,
    /// The snapshot that produced each state after the first (for messages).
    pub snapshots: Vec<Option<usize>>,
    pub events: &'d [Event],
}

impl<'d> Chain<'d> {
    /// The states at FROM and at every snapshot date in (FROM, TO].
    pub fn build(dataset: &'d Dataset, from: Day, to: Day) -> Chain<'d> {
        let first_after = dataset.snapshots_until(from).count();
        let mut states: Vec<Cow<OrgState>> = vec![Cow::Owned(dataset.state_at(from))];
        let mut snapshots = vec![first_after.checked_sub(1)];
        // For each later state, the unit of the state before with each
        // unit's id.
        let mut same_ids = Vec::new();
        for i in first_after..dataset.snapshots_until(to).count() {
            let (next, same_id_before) = states
                .last()
                .expect("there is a first state")
                .overlay_tracked(&dataset.snapshots[i], i);
            states.push(Cow::Owned(next));
            same_ids.push(same_id_before);
            snapshots.push(Some(i));
        }
        // The steps are independent of one another: matched on all cores.
        let later: Vec<usize> = (1..states.len()).collect();
        let steps = crate::parallel::map(&later, crate::parallel::DEFAULT_STACK, |&k| {
            let observed_before = snapshots[k - 1].map(|i| &dataset.snapshots[i].date);
            let observed_after =
                &dataset.snapshots[snapshots[k].expect("later states come from snapshots")].date;
            let pair = Pair {
                before: &states[k - 1],
                after: &states[k],
                same_id_before: Some(&same_ids[k - 1]),
            };
            let interval = Date::span(observed_before, observed_after);
            match_step(pair, Some(interval), &dataset.events)
        });
        Chain {
            states,
            steps,
            snapshots,
            events: &dataset.events,
        }
    }

    /// Two undated states, one step.
    pub fn of_two(before: &'d OrgState, after: &'d OrgState) -> Chain<'d> {
        let pair = Pair {
            before,
            after,
            same_id_before: None,
        };
        let step = match_step(pair, None, &[]);
        Chain {
            states: vec![Cow::Borrowed(before), Cow::Borrowed(after)],
            steps: vec![step],
            snapshots: vec![None, None],
            events: &[],
        }
    }

    pub fn first(&self) -> &OrgState {
        &self.states[0]
    }

    pub fn last(&self) -> &OrgState {
        self.states.last().expect("a chain has a state")
    }
}

/// Two consecutive states.
#[derive(Clone, Copy)]
pub struct Pair<'s> {
    pub before: &'s OrgState,
    pub after: &'s OrgState,
    /// For each unit of `after`, the unit of `before` with its id, when
    /// known (`after` was laid over `before`).
    pub same_id_before: Option<&'s [Option<UnitIx>]>,
}

/// Matches one state to the next.
pub fn match_step(pair: Pair, interval: Option<Date>, events: &[Event]) -> Step {
    let Pair { before, after, .. } = pair;
    let mut step = Step {
        interval,
        links: Vec::new(),
        events: Vec::new(),
        notes: Vec::new(),
    };
    // Whether each unit (by index) is already accounted for.
    let mut taken_before = vec![false; before.len()];
    let mut taken_after = vec![false; after.len()];
    match_identity(pair, &mut step, &mut taken_before, &mut taken_after);
    match_curated(
        before,
        after,
        events,
        &mut step,
        &mut taken_before,
        &mut taken_after,
    );
    let leftovers = |state: &OrgState, taken: &[bool]| -> Vec<UnitIx> {
        state
            .preorder()
            .map(|(ix, _)| ix)
            .filter(|ix| !taken[ix.index()])
            .collect()
    };
    let removed = leftovers(before, &taken_before);
    let added = leftovers(after, &taken_after);
    if !removed.is_empty() || !added.is_empty() {
        let pairs: Vec<(UnitIx, UnitIx)> = step.links.iter().map(|l| (l.before, l.after)).collect();
        let inference = infer::infer(&Known {
            before,
            after,
            pairs: &pairs,
            removed: &removed,
            added: &added,
        });
        add_inferred(&mut step, inference);
    }
    step
}

/// Pairs units that keep their id, unless the id was evidently reused for
/// another unit (nothing else agrees).
fn match_identity(
    pair: Pair,
    step: &mut Step,
    taken_before: &mut [bool],
    taken_after: &mut [bool],
) {
    let Pair { before, after, .. } = pair;
    let same_id_after = pair.same_id_after();
    for (b, _) in before.preorder() {
        let unit = before.unit(b);
        let Some(a) = same_id_after[b.index()] else {
            continue;
        };
        if looks_reused(before, b, after, a) {
            let other = after.unit(a);
            step.notes.push((
                Side::Before,
                b,
                format!(
                    "id `{}` is now used by {}, which shares nothing else with it: treated as another unit",
                    unit.id,
                    other.label()
                ),
            ));
            continue;
        }
        taken_before[b.index()] = true;
        taken_after[a.index()] = true;
        step.links.push(Link {
            before: b,
            after: a,
            basis: Basis::Identity,
            confidence: 1.0,
            // Said when a change is described ("same id `x`"): most
            // identity links describe no change.
            evidence: Vec::new(),
            event: None,
        });
    }
}

impl Pair<'_> {
    /// For each unit of `before` (by index), the unit of `after` with its
    /// id.
    fn same_id_after(&self) -> Vec<Option<UnitIx>> {
        match self.same_id_before {
            Some(known) => {
                debug_assert_eq!(known.len(), self.after.len(), "one entry per unit");
                let mut out = vec![None; self.before.len()];
                for ((a, _), b) in self.after.preorder().zip(known) {
                    if let Some(b) = b {
                        out[b.index()] = Some(a);
                    }
                }
                out
            }
            None => self
                .before
                .preorder()
                .map(|(b, _)| self.after.find(&self.before.unit(b).id))
                .collect(),
        }
    }
}

/// An id is taken as reused when the two units share no name word, no
/// acronym and no parent id.
pub(super) fn looks_reused(before: &OrgState, b: UnitIx, after: &OrgState, a: UnitIx) -> bool {
    let (ub, ua) = (before.unit(b), after.unit(a));
    // Most units are the previous state's very copy.
    if std::ptr::eq(ub, ua) || ub.name == ua.name {
        return false;
    }
    let words_b: HashSet<String> = text::words(&ub.name).into_iter().collect();
    let shares_word = text::words(&ua.name)
        .iter()
        .any(|w| w.len() > 3 && words_b.contains(w));
    let same_acronym = match (&ub.acronym, &ua.acronym) {
        (Some(x), Some(y)) => text::fold(x) == text::fold(y),
        _ => false,
    };
    let parent_id = |s: &OrgState, ix| s.parent(ix).map(|p| s.unit(p).id.clone());
    let same_parent = parent_id(before, b) == parent_id(after, a);
    !shares_word && !same_acronym && !same_parent
}

/// Applies the curated events that this step shows happening: every `from`
/// unit is in the state before, every `to` unit in the state after, the
/// units that end are gone after and those that begin were absent before.
fn match_curated(
    before: &OrgState,
    after: &OrgState,
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
        let Some((from, to)) = applies(event, before, after) else {
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
            step.links
                .retain(|l| l.before != from[0] && l.after != to[0]);
            step.links.push(Link {
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
fn applies(
    event: &Event,
    before: &OrgState,
    after: &OrgState,
) -> Option<(Vec<UnitIx>, Vec<UnitIx>)> {
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
    let ends_here = ending.iter().all(|id| after.find(id).is_none());
    // The unit that absorbs others continues: it need not be new.
    let begins_here =
        event.kind == ChangeKind::Absorbed || beginning.iter().all(|id| before.find(id).is_none());
    let happens = (!ending.is_empty() || !beginning.is_empty())
        && (!event.kind.ends_its_sources() || ends_here)
        && begins_here;
    if !happens {
        return None;
    }
    let from: Option<Vec<UnitIx>> = event.from.iter().map(|id| before.find(id)).collect();
    let to: Option<Vec<UnitIx>> = event.to.iter().map(|id| after.find(id)).collect();
    Some((from?, to?))
}

/// The evidence of a curated event: its note and where it is written.
pub fn curated_evidence(event: &Event) -> Vec<String> {
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
        step.links.push(Link {
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

    /// The pairs by id that laying a snapshot records are the pairs that
    /// looking every id up finds, in the same order, at every step of the
    /// embedded history (which has scoped and partial snapshots).
    #[test]
    fn ids_paired_while_laying_a_snapshot_match_ids_looked_up() {
        let dataset = crate::load::load(None).expect("the embedded dataset loads");
        let mut before = OrgState::default();
        for (i, snapshot) in dataset.snapshots.iter().enumerate() {
            let (after, same_id_before) = before.overlay_tracked(snapshot, i);
            let pairs = |known: Option<&[Option<UnitIx>]>| {
                let pair = Pair {
                    before: &before,
                    after: &after,
                    same_id_before: known,
                };
                match_step(pair, None, &dataset.events)
                    .links
                    .iter()
                    .map(|l| (l.before, l.after, l.basis))
                    .collect::<Vec<_>>()
            };
            assert_eq!(pairs(Some(&same_id_before)), pairs(None), "{}", snapshot.id);
            before = after;
        }
    }
}

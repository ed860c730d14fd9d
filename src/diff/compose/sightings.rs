//! First and last sightings: units that appear after FROM or disappear
//! before TO with nothing linking them to the rest of the history, and
//! units a curated event began before FROM that no snapshot showed then.
//! Each is dated only as far as the snapshots that could have shown it
//! allow.

use std::cell::OnceCell;

use super::{Composer, Earlier};
use crate::date::Date;
use crate::date::Day;
use crate::diff::chain::Chain;
use crate::diff::step::{self, EventLink, Side};
use crate::diff::threads::{last_bearer_gone, restored_from, Thread, Threads};
use crate::diff::{Basis, Change, UnitSide, Via, OBSERVED_CONFIDENCE};
use crate::model::{ChangeKind, Event};
use crate::state::UnitIx;

impl Composer<'_, '_> {
    /// When unit `ix`, first seen in state `k`, came to be seen where it
    /// is, and the evidence for it. Only a snapshot that listed all the
    /// sub-units of its parent (as the parent was before), without it,
    /// shows it was not there yet; a snapshot that documented another part
    /// of the organization in between says nothing about it, and neither
    /// does one that listed its grandparent's (it may have been under a
    /// parent whose sub-units were never listed). Where no snapshot listed
    /// them, or its parent is new, nothing bounds the date from below
    /// (`../date`). A root is dated by the step; the date is `None` for
    /// undated states.
    pub(super) fn first_seen(&self, (k, ix): (usize, UnitIx)) -> (Option<Date>, String) {
        let (now, before) = (self.chain.states[k], self.chain.states[k - 1]);
        let (Some(parent), Some(first)) = (now.parent(ix), self.chain.snapshots[k]) else {
            return (
                self.chain.steps[k - 1].interval.clone(),
                self.first_observed(k),
            );
        };
        let (thread, j) = self.locate(k, parent);
        let parent_before = j.checked_sub(1).map(|j| thread.version(j).1);
        let snapshots = self.dataset.snapshots();
        let first = &snapshots[first];
        let listed = parent_before
            .and_then(|p| before.sub_units_listed_in(p))
            .map(|j| &snapshots[j]);
        let name = &now.unit(parent).name;
        let evidence = match listed {
            Some(listed) => format!(
                "not among the sub-units of {name} listed in snapshot {}; first observed in snapshot {}",
                listed.id, first.id
            ),
            None => format!(
                "no earlier snapshot lists all the sub-units of {name}; first observed in snapshot {}",
                first.id
            ),
        };
        let date = self.chain.steps[k - 1]
            .interval
            .as_ref()
            .map(|_| Date::span(listed.map(|l| &l.date), &first.date));
        (date, evidence)
    }

    /// Whether a curated event that begins units (established, transferred
    /// in, restored) is dated wholly before FROM: they existed then, though
    /// no snapshot in force showed them.
    pub(super) fn begun_before_from(&self, link: &EventLink, event: &Event) -> bool {
        link.before.is_empty() && self.from.is_some_and(|from| event.date.latest() <= from)
    }

    /// Units a curated event begins before FROM, first documented in step
    /// `k`: between FROM and TO they only appeared in the sources.
    pub(super) fn documented_late(&self, k: usize, link: &EventLink, event: &Event) -> Change {
        let mut evidence = vec![format!(
            "{} {} (curated event, {}), before the earlier date, though no snapshot in force then shows it",
            link.kind.words(),
            event.date.when(),
            event.origin()
        )];
        let (date, seen) = self.first_seen((k + 1, link.after[0]));
        evidence.push(seen);
        let to: Vec<UnitSide> = link
            .after
            .iter()
            .map(|&ix| {
                let (t, _) = self.locate(k + 1, ix);
                let end = t.at(self.last).unwrap_or(t.len() - 1);
                self.side(t.version(end))
            })
            .collect();
        let confidence = link
            .after
            .iter()
            .map(|&ix| self.observation((k + 1, ix)))
            .fold(OBSERVED_CONFIDENCE, f64::min);
        Change {
            kind: ChangeKind::Appeared,
            aspects: vec![ChangeKind::Appeared],
            from: Vec::new(),
            to,
            parts: Vec::new(),
            external: None,
            date,
            basis: Basis::Observed,
            confidence,
            evidence,
            sources: event.sources.clone(),
            via: Vec::new(),
            area: None,
        }
    }

    /// "not in snapshot A; first observed in snapshot B" for a unit first
    /// seen in state `k`.
    pub(super) fn first_observed(&self, k: usize) -> String {
        match (self.snapshot_id(k - 1), self.snapshot_id(k)) {
            (Some(a), Some(b)) => format!("not in snapshot {a}; first observed in snapshot {b}"),
            (None, Some(b)) => format!("first observed in snapshot {b}"),
            _ => "not in the earlier state".to_string(),
        }
    }

    /// A thread that begins after FROM with nothing linking it to what came
    /// before: it appeared, or was restored when it re-establishes a unit
    /// gone before, in the chain or before it.
    pub(super) fn appeared(&self, thread: &Thread) -> Change {
        let end = thread.at(self.last).expect("the thread reaches TO");
        let (k, ix) = thread.version(0);
        let id = &self.chain.states[k].unit(ix).id;
        let in_chain = (0..k).any(|j| self.chain.find(j, id).is_some());
        let last_seen = if in_chain {
            restored_from(self.chain, self.threads, thread)
                .map(|(j, earlier)| self.chain.states[j].observed_in(earlier))
        } else {
            self.restored_before_chain(thread.version(0))
        };
        let mut evidence = Vec::new();
        let kind = match last_seen {
            Some(i) => {
                evidence.push(format!(
                    "id `{id}` was last seen in snapshot {}",
                    self.dataset.snapshots()[i].id
                ));
                ChangeKind::Restored
            }
            None => ChangeKind::Appeared,
        };
        let (date, seen) = self.first_seen((k, ix));
        evidence.push(seen);
        evidence.extend(self.notes(k - 1, Side::After, ix));
        Change {
            kind,
            aspects: vec![kind],
            from: Vec::new(),
            to: vec![self.side(thread.version(end))],
            parts: Vec::new(),
            external: None,
            via: self.appearance(thread, kind, date.clone(), 0, end),
            date,
            basis: Basis::Observed,
            confidence: OBSERVED_CONFIDENCE.min(self.observation((k, ix))),
            evidence,
            sources: self.documenting_sources((k, ix)),
            area: None,
        }
    }

    /// The sources that show unit `ix` of state `k`: its own, else those of
    /// the snapshot that documented it.
    pub(super) fn documenting_sources(&self, (k, ix): (usize, UnitIx)) -> Vec<String> {
        let unit = self.chain.states[k].unit(ix);
        if !unit.sources.is_empty() || self.chain.snapshots[k].is_none() {
            return unit.sources.clone();
        }
        let snapshot = self.chain.states[k].observed_in(ix);
        self.dataset.snapshots()[snapshot].sources.clone()
    }

    /// How a unit that a change of `kind` brought (version `first` of a
    /// thread) looked until it reached its state at TO (version `end`):
    /// as it came, then each change but the last, whose result is the
    /// change's `to`. Empty when it did not change.
    pub(super) fn appearance(
        &self,
        thread: &Thread,
        kind: ChangeKind,
        date: Option<Date>,
        first: usize,
        end: usize,
    ) -> Vec<Via> {
        let later = self.via(thread, first, end);
        if later.is_empty() {
            return Vec::new();
        }
        let mut via = vec![Via {
            kind,
            aspects: vec![kind],
            date,
            unit: self.side(thread.version(first)),
        }];
        via.extend(later);
        via.pop();
        via
    }

    /// A thread present at FROM that ends before TO with nothing linking it
    /// to what came after: it disappeared from the sources.
    pub(super) fn disappeared(&self, thread: &Thread) -> Change {
        let start = thread.at(self.first).expect("the thread is at FROM");
        let end = thread.len() - 1;
        let (k, ix) = thread.version(end);
        let date = self.since_observed((k, ix), k + 1);
        let last_seen = date.is_some().then(|| {
            self.dataset.snapshots()[self.chain.states[k].observed_in(ix)]
                .id
                .as_str()
        });
        let mut evidence = vec![match (last_seen, self.snapshot_id(k + 1)) {
            (Some(a), Some(b)) => format!("last observed in snapshot {a}; not in snapshot {b}"),
            _ => "not in the later state".to_string(),
        }];
        evidence.extend(self.notes(k, Side::Before, ix));
        // The sources of the snapshot that no longer shows it.
        let sources = self.chain.snapshots[k + 1]
            .map(|i| self.dataset.snapshots()[i].sources.clone())
            .unwrap_or_default();
        Change {
            kind: ChangeKind::Disappeared,
            aspects: vec![ChangeKind::Disappeared],
            from: vec![self.side(thread.version(start))],
            to: Vec::new(),
            parts: Vec::new(),
            external: None,
            date,
            basis: Basis::Observed,
            confidence: OBSERVED_CONFIDENCE.min(self.observation((k, ix))),
            evidence,
            sources,
            via: self.via(thread, start, end),
            area: None,
        }
    }

    /// The snapshot that last documented the unit that version `first` of
    /// a thread restores, when that unit was gone before the chain's first
    /// state (the same rule as [`restored_from`], on the history up to that
    /// state).
    pub(super) fn restored_before_chain(&self, (k, ix): (usize, UnitIx)) -> Option<usize> {
        let laid = self.chain.snapshots[0]?;
        let earlier = self.earlier.get_or_init(|| Earlier {
            documented: self.dataset.snapshots()[..=laid]
                .iter()
                .flat_map(crate::observation::Observation::all_units)
                .map(|u| u.id.as_str())
                .collect(),
            history: OnceCell::new(),
        });
        let unit = self.chain.states[k].unit(ix);
        if !earlier.documented.contains(unit.id.as_str()) {
            return None;
        }
        let (chain, threads) = earlier.history.get_or_init(|| {
            let until = self.dataset.snapshots()[laid].date.earliest();
            let chain = Chain::build(self.dataset, Day::MIN, until);
            let threads = Threads::build(&chain);
            (chain, threads)
        });
        let (j, gone) = last_bearer_gone(chain, threads, &unit.id, chain.states.len())?;
        let unrelated = step::looks_reused(chain.states[j], gone, self.chain.states[k], ix);
        (!unrelated).then(|| chain.states[j].observed_in(gone))
    }
}

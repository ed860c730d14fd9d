//! A whole dataset: its snapshots in date order, its curated events and
//! its sources, and the organization after each snapshot, laid the first
//! time it is asked for and kept.
//!
//! Most commands need a few states (`show` one, `diff` those between two
//! dates), so none is laid in advance. A complete snapshot (one that
//! documents the whole organization and every unit's sub-units) is a state
//! by itself; any other is laid over the state before it.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::cache::Slot;
use crate::date::Day;
use crate::model::{Event, Snapshot, Source};
pub use crate::observation::Observation;
use crate::observation::UnitTable;
use rustc_hash::FxHashMap;

use crate::state::{align, OrgState, UnitIx, UnitsByKey};

/// A dataset: snapshots in date order, events in date order, sources by
/// key, and the states they make.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// In date order (then by id). Private: the states are laid from them.
    snapshots: Vec<Observation>,
    /// In date order.
    pub events: Vec<Event>,
    /// The sources cited, by key.
    pub sources: BTreeMap<String, Source>,
    /// Where it was loaded from: a directory, or "embedded".
    pub origin: String,
    /// `states[n]`: the organization once the first `n` snapshots are
    /// laid; `states[0]` is empty.
    states: Vec<OnceLock<OrgState>>,
    /// `same_id_before[n]`: for each unit of `states[n + 1]`, the unit of
    /// `states[n]` with its id.
    same_id_before: Vec<OnceLock<Vec<Option<UnitIx>>>>,
    /// How many distinct ids the snapshots' units have (their keys are
    /// below it).
    ids: usize,
    /// Each id's number, gathered the first time an id is looked up.
    keys: OnceLock<FxHashMap<String, u32>>,
    /// `by_key[n]`: the units of `states[n]` by id number, when snapshot
    /// `n - 1` is complete (and the state is its tree).
    by_key: Vec<OnceLock<UnitsByKey>>,
    /// Its place in the cache, when it was read from a directory that is
    /// cached: what is derived from it is kept there too.
    cache: Option<Slot>,
}

impl Dataset {
    /// A dataset of these snapshots as written (sorted here by date, then
    /// id), events (sorted by date and where they are written) and sources.
    pub fn new(
        snapshots: Vec<Snapshot>,
        events: Vec<Event>,
        sources: BTreeMap<String, Source>,
        origin: String,
    ) -> Dataset {
        let mut units = UnitTable::default();
        let kept = snapshots
            .into_iter()
            .map(|s| Observation::new(s, &mut units))
            .collect();
        Dataset::of_observations(kept, events, sources, origin)
    }

    /// A dataset of snapshots already kept, all through one
    /// `UnitTable` (so that their ids are numbered alike).
    pub(crate) fn of_observations(
        mut snapshots: Vec<Observation>,
        mut events: Vec<Event>,
        sources: BTreeMap<String, Source>,
        origin: String,
    ) -> Dataset {
        snapshots.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
        events.sort_by(|a, b| (&a.date, &a.file, a.line).cmp(&(&b.date, &b.file, b.line)));
        let count = snapshots.len();
        let ids = snapshots
            .iter()
            .flat_map(|s| s.entries().iter().map(|e| e.key as usize + 1))
            .max()
            .unwrap_or(0);
        Dataset {
            ids,
            snapshots,
            events,
            sources,
            origin,
            states: (0..=count).map(|_| OnceLock::new()).collect(),
            same_id_before: (0..count).map(|_| OnceLock::new()).collect(),
            keys: OnceLock::new(),
            by_key: (0..=count).map(|_| OnceLock::new()).collect(),
            cache: None,
        }
    }

    /// The dataset, with its place in the cache.
    pub(crate) fn cached_in(self, slot: Slot) -> Dataset {
        Dataset {
            cache: Some(slot),
            ..self
        }
    }

    /// Its place in the cache, if it has one.
    pub(crate) fn cache(&self) -> Option<&Slot> {
        self.cache.as_ref()
    }

    /// A dataset with nothing in it.
    pub fn empty() -> Dataset {
        Dataset::new(Vec::new(), Vec::new(), BTreeMap::new(), String::new())
    }

    /// The snapshots, in date order (then by id).
    pub fn snapshots(&self) -> &[Observation] {
        &self.snapshots
    }

    /// The indices of the snapshots in force at a day (earliest day on or
    /// before it), in the order they are laid.
    pub(crate) fn snapshots_until(&self, day: Day) -> impl Iterator<Item = usize> + '_ {
        (0..self.snapshots.len()).take_while(move |&i| self.snapshots[i].date.earliest() <= day)
    }

    /// The organization once the first `n` snapshots are laid.
    pub(crate) fn state_after(&self, n: usize) -> &OrgState {
        if let Some(state) = self.states[n].get() {
            return state;
        }
        // The states this one is laid over, from the nearest one that is
        // laid already or needs no other.
        let mut base = n;
        while base > 0
            && self.states[base].get().is_none()
            && !self.snapshots[base - 1].is_complete()
        {
            base -= 1;
        }
        for k in base..=n {
            self.states[k].get_or_init(|| self.lay(k));
        }
        self.states[n].get().expect("just laid")
    }

    /// State `n`, the state before it being laid already unless snapshot
    /// `n - 1` is complete.
    fn lay(&self, n: usize) -> OrgState {
        let Some(snapshot) = n.checked_sub(1).map(|i| &self.snapshots[i]) else {
            return OrgState::default();
        };
        if snapshot.is_complete() {
            OrgState::default().lay(snapshot, n - 1)
        } else {
            let before = self.states[n - 1]
                .get()
                .expect("the state before is laid first");
            before.lay(snapshot, n - 1)
        }
    }

    /// For each unit of `state_after(n + 1)`, the unit of `state_after(n)`
    /// with its id.
    pub(crate) fn same_id_before(&self, n: usize) -> &[Option<UnitIx>] {
        self.same_id_before[n].get_or_init(|| {
            let after = &self.snapshots[n];
            match n.checked_sub(1).map(|p| &self.snapshots[p]) {
                Some(before) if before.is_complete() && after.is_complete() => {
                    align(before, after, self.ids)
                }
                _ => self.state_after(n + 1).same_ids_in(self.state_after(n)),
            }
        })
    }

    /// The unit of `state_after(n)` with this id. Where that state is a
    /// complete snapshot's tree, it is found by the id's number, without
    /// indexing the state by id strings (which costs far more for the
    /// states of a long history that are searched for a few ids).
    pub(crate) fn find(&self, n: usize, id: &str) -> Option<UnitIx> {
        match n.checked_sub(1) {
            Some(i) if self.snapshots[i].is_complete() => {
                let key = *self.keys().get(id)?;
                self.by_key[n]
                    .get_or_init(|| UnitsByKey::of(&self.snapshots[i], self.ids))
                    .get(key)
            }
            _ => self.state_after(n).find(id),
        }
    }

    /// Every id by its number: each number's first entry names it.
    fn keys(&self) -> &FxHashMap<String, u32> {
        self.keys.get_or_init(|| {
            let mut named = vec![false; self.ids];
            let mut keys = FxHashMap::default();
            for e in self.snapshots.iter().flat_map(Observation::entries) {
                if !std::mem::replace(&mut named[e.key as usize], true) {
                    keys.insert(e.unit.id.clone(), e.key);
                }
            }
            keys
        })
    }

    /// Lays the states `range` and pairs their units by id, on all cores
    /// where they do not depend on one another.
    pub(crate) fn prepare(&self, range: RangeInclusive<usize>) {
        let (first, last) = (*range.start(), *range.end());
        range.clone().into_par_iter().for_each(|n| {
            if n == 0 || self.snapshots[n - 1].is_complete() {
                self.state_after(n);
            }
        });
        for n in range {
            self.state_after(n);
        }
        (first..last).into_par_iter().for_each(|n| {
            self.same_id_before(n);
        });
    }

    /// The organization at the end of a day.
    pub fn state_at(&self, day: Day) -> &OrgState {
        self.state_after(self.snapshots_until(day).count())
    }

    /// The organization as it stands after the last snapshot.
    pub fn latest_state(&self) -> &OrgState {
        self.state_after(self.snapshots.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// States are the same laid in any order: alone, in a chain, or all
    /// at once on all cores.
    #[test]
    fn states_do_not_depend_on_the_order_they_are_asked_in() {
        let dataset = crate::load::load(None).expect("the embedded dataset loads");
        let count = dataset.snapshots().len();
        let fresh = || dataset.clone_without_states();
        let backwards = fresh();
        for n in (0..=count).rev() {
            backwards.state_after(n);
        }
        let prepared = fresh();
        prepared.prepare(0..=count);
        for n in 0..=count {
            let units = |d: &Dataset| {
                let s = d.state_after(n);
                s.preorder()
                    .map(|(ix, depth)| {
                        (
                            s.unit(ix).id.clone(),
                            s.parent(ix),
                            depth,
                            s.observed_in(ix),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(units(&backwards), units(&dataset), "{n}");
            assert_eq!(units(&prepared), units(&dataset), "{n}");
        }
    }

    /// Finding a unit through the dataset (by id number, in the states of
    /// complete snapshots) finds what the state itself finds, for every id
    /// of every state and for ids it does not have.
    #[test]
    fn units_found_by_id_number_are_those_found_by_id() {
        use crate::synth;
        let dataset = Dataset::new(
            synth::rekeyed_years(),
            Vec::new(),
            BTreeMap::new(),
            String::new(),
        );
        let mut checked = 0;
        for n in 0..=3 {
            let ids = (0..=3).flat_map(|m| {
                let s = dataset.state_after(m);
                s.preorder().map(move |(ix, _)| s.unit(ix).id.clone())
            });
            for id in ids.chain(["no such id".to_string()]) {
                assert_eq!(
                    dataset.find(n, &id),
                    dataset.state_after(n).find(&id),
                    "{id}"
                );
                checked += 1;
            }
        }
        assert!(checked > 600);
        assert!(dataset.snapshots().iter().all(Observation::is_complete));
    }

    impl Dataset {
        fn clone_without_states(&self) -> Dataset {
            Dataset::of_observations(
                self.snapshots.clone(),
                self.events.clone(),
                self.sources.clone(),
                self.origin.clone(),
            )
        }
    }
}

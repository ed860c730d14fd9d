//! Composing the steps of a chain into net changes from FROM to TO: one
//! change per story, as a reader tells it.
//!
//! The continuity links of consecutive steps join into threads (see
//! `threads.rs`): one unit followed from state to state. Then:
//!
//! - a thread that spans FROM to TO and differs between its ends is one
//!   change, whose aspects are every way it changed (see `continuity.rs`):
//!   renamed twice is one rename with the intermediate name as `via`;
//!   moved and moved back is no change;
//! - an event link (merged, absorbed, split, replaced, transferred...)
//!   that touches a thread present at FROM or at TO is one change, with
//!   the units as they were at FROM and as they are at TO. Units that live
//!   on through it as parts (offices folded into a directorate as its
//!   divisions, a part promoted out of its parent) are on both sides, and
//!   their own moves and renames are that story, not stories of their own;
//!   so are the sub-units it carried along (the branches of an office
//!   folded into a directorate, now under the directorate), when they
//!   kept their names. Which units those are is in `parts.rs`;
//! - a thread that appears after FROM with nothing linking it to what came
//!   before `appeared` (or is `restored`, when it re-establishes a unit
//!   gone before under the same id: see `restored_from` in `threads.rs`);
//!   one that disappears before TO with nothing linking it onwards
//!   `disappeared`.
//!   Only a curated event says a unit was established or abolished.
//!   Units that come and go between the two dates are not net changes.
//!   These sightings, and how far their dates can go, are in
//!   `sightings.rs`.

mod parts;
mod sightings;

use std::cell::OnceCell;
use std::collections::HashSet;

use rustc_hash::FxHashSet;

use super::chain::Chain;
use super::step::{EventLink, Side};
use super::threads::{Thread, Threads};
use super::{Basis, Change, Part, UnitSide, Via};
use crate::dataset::Dataset;
use crate::date::{Date, Day};
use crate::model::ChangeKind;
use crate::state::UnitIx;

/// What came before a chain's first state, gathered when first needed.
struct Earlier<'a> {
    /// The ids that the snapshots laid into the first state document.
    documented: FxHashSet<&'a str>,
    /// The history up to the first state, matched when one of those ids
    /// appears again.
    history: OnceCell<(Chain<'a>, Threads)>,
}

/// Everything needed to describe the changes between two states of a chain.
pub(super) struct Composer<'a, 'd> {
    pub(super) chain: &'a Chain<'d>,
    pub(super) dataset: &'a Dataset,
    pub(super) threads: &'a Threads,
    /// The day FROM stands for, if it is a day asked for.
    from: Option<Day>,
    /// The state index of FROM.
    first: usize,
    /// The state index of TO.
    last: usize,
    /// What came before the chain's first state, gathered when a unit
    /// appears.
    earlier: OnceCell<Earlier<'a>>,
}

/// The net changes of a chain, from its first state to its last, in
/// reading order.
pub(super) fn net_changes(chain: &Chain, dataset: &Dataset) -> Vec<Change> {
    let threads = Threads::build(chain);
    let states = (0, chain.states.len() - 1);
    changes_between(chain, dataset, &threads, chain.from, states)
}

/// The changes a thread went through, step by step: one for each step in
/// which it changed, but for the steps in which it lived on as a part of
/// an event link (that link tells the story, and links the units); in a
/// step in which it was carried along by an event link, that link's
/// change.
pub(super) fn thread_steps(
    chain: &Chain,
    dataset: &Dataset,
    threads: &Threads,
    thread: usize,
) -> Vec<Change> {
    let t = &threads.threads[thread];
    (1..t.len())
        .filter_map(|j| {
            let k = t.version(j).0;
            let composer = Composer::new(chain, dataset, threads, None, (k - 1, k));
            for link in &chain.steps[k - 1].events {
                let parts = composer.parts(k - 1, link);
                if parts.carried.contains(&thread) {
                    return composer.event_link_change(k - 1, link);
                }
                if parts.living_on.contains(&thread) || parts.promoted.contains(&thread) {
                    return None;
                }
            }
            composer.story(t, j - 1, j)
        })
        .collect()
}

/// The change an event link of step `k` stands for, with the units as they
/// were just before and just after it.
pub(super) fn event_link_change(
    chain: &Chain,
    dataset: &Dataset,
    threads: &Threads,
    k: usize,
    link: &EventLink,
) -> Change {
    let composer = Composer::new(chain, dataset, threads, None, (k, k + 1));
    composer
        .event_link_change(k, link)
        .expect("a link touches the states on either side of its step")
}

/// The change by which thread `later` re-establishes the unit of thread
/// `earlier` under the id it had (see `restored_from` in `threads.rs`):
/// from the unit as it last was to the unit as it came back, dated and
/// sourced by a curated `restored` event when one begins the thread.
pub(super) fn restoration(
    chain: &Chain,
    dataset: &Dataset,
    threads: &Threads,
    later: usize,
    earlier: usize,
) -> Change {
    let t = &threads.threads[later];
    let (k, ix) = t.version(0);
    let composer = Composer::new(chain, dataset, threads, None, (k - 1, k));
    let curated = chain.steps[k - 1]
        .events
        .iter()
        .find(|l| l.kind == ChangeKind::Restored && l.before.is_empty() && l.after.contains(&ix));
    let mut change = match curated {
        Some(link) => composer
            .event_link_change(k - 1, link)
            .expect("a link touches the states on either side of its step"),
        None => composer.appeared(t),
    };
    let gone_thread = &threads.threads[earlier];
    let gone = gone_thread.version(gone_thread.len() - 1);
    change.from = vec![composer.side(gone)];
    change
}

/// The net changes from state `first` to state `last` of a chain, in
/// reading order. `from` is the day FROM stands for, when state `first` is
/// the state at a day asked for: units that a curated event begins before
/// it, and that a later snapshot first shows, only appeared in between.
pub(super) fn changes_between(
    chain: &Chain,
    dataset: &Dataset,
    threads: &Threads,
    from: Option<Day>,
    (first, last): (usize, usize),
) -> Vec<Change> {
    let composer = Composer::new(chain, dataset, threads, from, (first, last));
    let mut changes = Vec::new();
    composer.thread_changes(&mut changes);
    composer.event_changes(&mut changes);
    super::sort_changes(&mut changes);
    changes
}

impl<'a, 'd> Composer<'a, 'd> {
    fn new(
        chain: &'a Chain<'d>,
        dataset: &'a Dataset,
        threads: &'a Threads,
        from: Option<Day>,
        (first, last): (usize, usize),
    ) -> Self {
        Composer {
            chain,
            dataset,
            threads,
            from,
            first,
            last,
            earlier: OnceCell::new(),
        }
    }

    pub(super) fn side(&self, (k, ix): (usize, UnitIx)) -> UnitSide {
        UnitSide::of(self.chain.states[k], ix)
    }

    /// The most a change resting on the observation of unit `ix` of state
    /// `k` may be reported with (see `Unit::confidence`).
    pub(super) fn observation(&self, (k, ix): (usize, UnitIx)) -> f64 {
        self.chain.states[k].unit(ix).confidence.observation_score()
    }

    /// The interval from the snapshot that last documented a unit of state
    /// `k - 1` to the snapshot of state `k`: a unit that snapshots in
    /// between carried over without documenting it was not seen there, so
    /// they cannot narrow when it changed. `None` for undated states.
    pub(super) fn since_observed(&self, (before, ix): (usize, UnitIx), k: usize) -> Option<Date> {
        self.chain.steps[k - 1].interval.as_ref()?;
        let seen = &self.dataset.snapshots()[self.chain.states[before].observed_in(ix)].date;
        let now = &self.dataset.snapshots()[self.chain.snapshots[k]?].date;
        Some(Date::span(Some(seen), now))
    }

    pub(super) fn snapshot_id(&self, k: usize) -> Option<&str> {
        self.chain.snapshots[k].map(|i| self.dataset.snapshots()[i].id.as_str())
    }

    /// Threads that span FROM to TO: one change each that differs between
    /// FROM and TO, but for those whose story an event link tells. (A unit
    /// that appeared after FROM is told as it is at TO; what it went
    /// through on the way is its `via`.)
    fn thread_changes(&self, out: &mut Vec<Change>) {
        let parts: FxHashSet<usize> = (self.first..self.last)
            .flat_map(|k| self.part_threads(k))
            .collect();
        for (i, thread) in self.threads.threads.iter().enumerate() {
            let (Some(start), Some(end)) = (thread.at(self.first), thread.at(self.last)) else {
                continue;
            };
            if start != end && !parts.contains(&i) {
                out.extend(self.story(thread, start, end));
            }
        }
    }

    /// Event links that touch FROM or TO, and threads that begin or end
    /// with no link.
    fn event_changes(&self, out: &mut Vec<Change>) {
        let mut linked_before: HashSet<(usize, UnitIx)> = HashSet::new();
        let mut linked_after: HashSet<(usize, UnitIx)> = HashSet::new();
        for (k, step) in self
            .chain
            .steps
            .iter()
            .enumerate()
            .take(self.last)
            .skip(self.first)
        {
            for link in &step.events {
                linked_before.extend(link.before.iter().map(|&ix| (k, ix)));
                linked_after.extend(link.after.iter().map(|&ix| (k + 1, ix)));
                if let Some(change) = self.event_link_change(k, link) {
                    out.push(change);
                }
            }
        }
        for thread in &self.threads.threads {
            let (first, last) = (thread.first_state(), thread.last_state());
            let appears = first > self.first && first <= self.last && last >= self.last;
            if appears && !linked_after.contains(&thread.version(0)) {
                out.push(self.appeared(thread));
            }
            let disappears = first <= self.first && last >= self.first && last < self.last;
            if disappears && !linked_before.contains(&thread.version(thread.len() - 1)) {
                out.push(self.disappeared(thread));
            }
        }
    }

    /// The thread of a unit and its version index.
    fn locate(&self, k: usize, ix: UnitIx) -> (&Thread, usize) {
        let thread = &self.threads.threads[self.threads.thread(k, ix)];
        let j = thread.at(k).expect("a unit is on its thread");
        (thread, j)
    }

    /// Thread `t` and its version in state `k`.
    fn thread_in(&self, t: usize, k: usize) -> (&Thread, usize) {
        let thread = &self.threads.threads[t];
        (thread, thread.at(k).expect("a part is in the state"))
    }

    /// The change an event link of step `k` stands for, when it touches
    /// FROM or TO: its units (and the parts that live on through it) as
    /// they were at FROM and as they are at TO.
    fn event_link_change(&self, k: usize, link: &EventLink) -> Option<Change> {
        let parts = self.parts(k, link);
        let thread = |state: usize, ix: &UnitIx| self.threads.thread(state, *ix);
        // The units on each side, by thread: the link's, then the parts
        // that live on through it (those that reach TO).
        let mut before: Vec<usize> = link.before.iter().map(|ix| thread(k, ix)).collect();
        before.extend(&parts.promoted);
        before.extend(&parts.carried);
        let mut after: Vec<usize> = link.after.iter().map(|ix| thread(k + 1, ix)).collect();
        let reach_to = |&&t: &&usize| self.threads.threads[t].at(self.last).is_some();
        after.extend(parts.living_on.iter().filter(reach_to));
        let living = after.len() - link.after.len();
        after.extend(parts.carried.iter().filter(reach_to));
        let present = |t: usize, state: usize| self.threads.threads[t].at(state).is_some();
        let touches_from = before.iter().any(|&t| present(t, self.first));
        let touches_to = after.iter().any(|&t| present(t, self.last));
        if !touches_from && !touches_to {
            return None;
        }
        let event = link.event.map(|i| &self.chain.events[i]);
        if let Some(e) = event.filter(|e| self.begun_before_from(link, e)) {
            return Some(self.documented_late(k, link, e));
        }
        let date = event
            .map(|e| e.date.clone())
            .or_else(|| self.chain.steps[k].interval.clone());
        let mut via = Vec::new();
        let mut evidence = link.evidence.clone();
        let from = self.sides_before(k, &before, &mut via);
        let to = self.sides_after(
            (k, link, living),
            &after,
            date.clone(),
            (&mut via, &mut evidence),
        );
        for &t in &parts.promoted {
            let (t, j) = self.thread_in(t, k);
            evidence.push(came_out(&self.side(t.version(j))));
        }
        let confidence = self.link_confidence(k, link, &parts.carried);
        Some(Change {
            kind: link.kind,
            aspects: vec![link.kind],
            from,
            to,
            parts: same_units(&before, &after),
            external: event.and_then(|e| e.external.clone()),
            date,
            basis: link.basis,
            confidence,
            evidence,
            sources: event.map(|e| e.sources.clone()).unwrap_or_default(),
            via,
            area: None,
        })
    }

    /// The units before the link of step `k` (by thread), as they were at
    /// FROM, else just before the link; what they went through from FROM
    /// to the link goes to `via`.
    fn sides_before(&self, k: usize, threads: &[usize], via: &mut Vec<Via>) -> Vec<UnitSide> {
        threads
            .iter()
            .map(|&t| {
                let (t, j) = self.thread_in(t, k);
                match t.at(self.first) {
                    Some(start) => {
                        via.extend(self.via(t, start, j));
                        self.side(t.version(start))
                    }
                    None => self.side(t.version(j)),
                }
            })
            .collect()
    }

    /// The units after the link of step `k` (by thread: the link's own,
    /// then the `living` parts that live on through it, then the sub-units
    /// it carried along), as they are at TO, else just after the link; the
    /// steps on the way go to `via`, and where each part lives on to
    /// `evidence`.
    fn sides_after(
        &self,
        (k, link, living): (usize, &EventLink, usize),
        threads: &[usize],
        date: Option<Date>,
        (via, evidence): (&mut Vec<Via>, &mut Vec<String>),
    ) -> Vec<UnitSide> {
        let mut to = Vec::new();
        for (i, &t) in threads.iter().enumerate() {
            let part = i >= link.after.len();
            let (t, j) = match part {
                true => self.thread_in(t, k),
                false => self.thread_in(t, k + 1),
            };
            let Some(end) = t.at(self.last) else {
                to.push(self.side(t.version(j)));
                continue;
            };
            let unit = self.side(t.version(end));
            if part {
                via.extend(self.intermediate(t, j, end));
                let then = self.side(t.version(j));
                evidence.push(match i < link.after.len() + living {
                    true => lives_on(&then, &unit),
                    false => carried_along(&then, &unit),
                });
            } else {
                via.extend(self.appearance(t, link.kind, date.clone(), j, end));
            }
            to.push(unit);
        }
        to
    }

    /// A curated event is what its source says; anything else rests on
    /// the observations of its units too, and on the links that say the
    /// sub-units it carried along are the same units.
    fn link_confidence(&self, k: usize, link: &EventLink, carried: &[usize]) -> f64 {
        if link.basis == Basis::Curated {
            return link.confidence;
        }
        // A carried unit's move rests on its placement on either side too.
        let carried_links = carried.iter().map(|&t| {
            let (thread, j) = self.thread_in(t, k + 1);
            let placed = self
                .observation(thread.version(j - 1))
                .min(self.observation(thread.version(j)));
            self.link_to(thread, j).confidence.min(placed)
        });
        link.before
            .iter()
            .map(|&ix| (k, ix))
            .chain(link.after.iter().map(|&ix| (k + 1, ix)))
            .map(|unit| self.observation(unit))
            .chain(carried_links)
            .fold(link.confidence, f64::min)
    }

    fn notes(&self, step: usize, side: Side, ix: UnitIx) -> Vec<String> {
        self.chain.steps[step].notes_on(side, ix).cloned().collect()
    }
}

/// The units on both sides of a change: (index in `from`, index in
/// `to`) of each thread on both.
fn same_units(before: &[usize], after: &[usize]) -> Vec<Part> {
    before
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let j = after.iter().position(|a| a == t)?;
            Some(Part { from: i, to: j })
        })
        .collect()
}

/// "X lives on as Y, under Z".
fn lives_on(before: &UnitSide, after: &UnitSide) -> String {
    let under = after
        .parent_name
        .as_deref()
        .map_or(String::new(), |p| format!(", under {p}"));
    format!("{} lives on as {}{under}", before.label(), after.label())
}

/// "X was carried along, from under Y to under Z".
fn carried_along(before: &UnitSide, after: &UnitSide) -> String {
    let place = |u: &UnitSide| {
        u.parent_name
            .clone()
            .unwrap_or_else(|| "the top".to_string())
    };
    format!(
        "{} was carried along, from under {} to under {}",
        before.label(),
        place(before),
        place(after)
    )
}

/// "X came out of Y".
fn came_out(before: &UnitSide) -> String {
    match &before.parent_name {
        Some(p) => format!("{} came out of {p}", before.label()),
        None => format!("{} was already a unit", before.label()),
    }
}

pub(super) fn extend_unique(into: &mut Vec<String>, items: &[String]) {
    for i in items {
        if !into.contains(i) {
            into.push(i.clone());
        }
    }
}

/// The interval covering several dates.
pub(super) fn span_of<'a>(dates: impl Iterator<Item = &'a Date>) -> Date {
    let mut dates: Vec<&Date> = dates.collect();
    dates.sort();
    let first = dates[0];
    let last = dates.iter().max_by_key(|d| d.latest()).expect("non-empty");
    if dates.len() == 1 {
        first.clone()
    } else {
        Date::span(Some(first), last)
    }
}

pub(super) fn span_of_options(dates: impl Iterator<Item = Option<Date>>) -> Option<Date> {
    let dates: Vec<Date> = dates.flatten().collect();
    if dates.is_empty() {
        None
    } else {
        Some(span_of(dates.iter()))
    }
}

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
//! - a thread that appears after FROM with nothing linking it to what came
//!   before `appeared` (or is `restored`, when it re-establishes a unit
//!   gone before under the same id: see [`restored_from`]); one that
//!   disappears before TO with nothing linking it onwards `disappeared`.
//!   Only a curated event says a unit was established or abolished.
//!   Units that come and go between the two dates are not net changes.

use std::cell::OnceCell;
use std::collections::HashSet;

use rustc_hash::FxHashSet;

use super::step::{self, Chain, EventLink, Side};
use super::threads::{last_bearer_gone, restored_from, Thread, Threads};
use super::{Basis, Change, Part, UnitSide, Via, OBSERVED_CONFIDENCE};
use crate::dataset::Dataset;
use crate::date::{Date, Day};
use crate::model::{ChangeKind, Event};
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
pub fn net_changes(chain: &Chain, dataset: &Dataset) -> Vec<Change> {
    let threads = Threads::build(chain);
    let states = (0, chain.states.len() - 1);
    changes_between(chain, dataset, &threads, chain.from, states)
}

/// The changes a thread went through, step by step: one for each step in
/// which it changed, but for the steps in which it lived on as a part of
/// an event link (that link tells the story).
pub fn thread_steps(
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
            if composer.part_threads(k - 1).contains(&thread) {
                return None;
            }
            composer.story(t, j - 1, j)
        })
        .collect()
}

/// The change an event link of step `k` stands for, with the units as they
/// were just before and just after it.
pub fn event_link_change(
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
/// `earlier` under the id it had (see [`restored_from`]): from the unit as
/// it last was to the unit as it came back, dated and sourced by a curated
/// `restored` event when one begins the thread.
pub fn restoration(
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
pub fn changes_between(
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

/// The units of an event link that live on through it as parts, by
/// thread.
struct Parts {
    /// Units it folds into another (or merges) whose thread goes on into
    /// the next state.
    living_on: Vec<usize>,
    /// Units it carves out (or splits off) whose thread was already in the
    /// state before: parts promoted out of their parent.
    promoted: Vec<usize>,
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
    fn first_seen(&self, (k, ix): (usize, UnitIx)) -> (Option<Date>, String) {
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

    /// The threads that live on as parts through the event links of step
    /// `k`.
    fn part_threads(&self, k: usize) -> Vec<usize> {
        self.chain.steps[k]
            .events
            .iter()
            .flat_map(|link| {
                let parts = self.parts(k, link);
                parts.living_on.into_iter().chain(parts.promoted)
            })
            .collect()
    }

    /// The units of an event link of step `k` that live on through it as
    /// parts. The unit that absorbs others, and the one others are carved
    /// out of, continue by what the change is, and are not parts; nor is a
    /// unit on both sides of the link.
    fn parts(&self, k: usize, link: &EventLink) -> Parts {
        let thread = |state: usize, ix: &UnitIx| self.threads.thread(state, *ix);
        let before: Vec<usize> = link.before.iter().map(|ix| thread(k, ix)).collect();
        let after: Vec<usize> = link.after.iter().map(|ix| thread(k + 1, ix)).collect();
        let present = |t: usize, state: usize| self.threads.threads[t].at(state).is_some();
        let living_on = match link.kind {
            ChangeKind::SpunOff => Vec::new(),
            _ => before
                .iter()
                .copied()
                .filter(|&t| !after.contains(&t) && present(t, k + 1))
                .collect(),
        };
        let promoted = match link.kind {
            ChangeKind::Absorbed => Vec::new(),
            _ => after
                .iter()
                .copied()
                .filter(|&t| !before.contains(&t) && present(t, k))
                .collect(),
        };
        Parts {
            living_on,
            promoted,
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
        let mut after: Vec<usize> = link.after.iter().map(|ix| thread(k + 1, ix)).collect();
        let reach_to = |&&t: &&usize| self.threads.threads[t].at(self.last).is_some();
        after.extend(parts.living_on.iter().filter(reach_to));
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
        let to = self.sides_after(k, link, &after, date.clone(), (&mut via, &mut evidence));
        for &t in &parts.promoted {
            let (t, j) = self.thread_in(t, k);
            evidence.push(came_out(&self.side(t.version(j))));
        }
        let confidence = self.link_confidence(k, link);
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
    /// then the parts that live on through it), as they are at TO, else
    /// just after the link; the steps on the way go to `via`, and where
    /// each part lives on to `evidence`.
    fn sides_after(
        &self,
        k: usize,
        link: &EventLink,
        threads: &[usize],
        date: Option<Date>,
        (via, evidence): (&mut Vec<Via>, &mut Vec<String>),
    ) -> Vec<UnitSide> {
        let mut to = Vec::new();
        for (i, &t) in threads.iter().enumerate() {
            let living_on = i >= link.after.len();
            let (t, j) = match living_on {
                true => self.thread_in(t, k),
                false => self.thread_in(t, k + 1),
            };
            let Some(end) = t.at(self.last) else {
                to.push(self.side(t.version(j)));
                continue;
            };
            let unit = self.side(t.version(end));
            if living_on {
                via.extend(self.intermediate(t, j, end));
                evidence.push(lives_on(&self.side(t.version(j)), &unit));
            } else {
                via.extend(self.appearance(t, link.kind, date.clone(), j, end));
            }
            to.push(unit);
        }
        to
    }

    /// A curated event is what its source says; anything else rests on
    /// the observations of its units too.
    fn link_confidence(&self, k: usize, link: &EventLink) -> f64 {
        match link.basis {
            Basis::Curated => link.confidence,
            _ => link
                .before
                .iter()
                .map(|&ix| (k, ix))
                .chain(link.after.iter().map(|&ix| (k + 1, ix)))
                .map(|unit| self.observation(unit))
                .fold(link.confidence, f64::min),
        }
    }

    /// Whether a curated event that begins units (established, transferred
    /// in, restored) is dated wholly before FROM: they existed then, though
    /// no snapshot in force showed them.
    fn begun_before_from(&self, link: &EventLink, event: &Event) -> bool {
        link.before.is_empty() && self.from.is_some_and(|from| event.date.latest() <= from)
    }

    /// Units a curated event begins before FROM, first documented in step
    /// `k`: between FROM and TO they only appeared in the sources.
    fn documented_late(&self, k: usize, link: &EventLink, event: &Event) -> Change {
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
    fn first_observed(&self, k: usize) -> String {
        match (self.snapshot_id(k - 1), self.snapshot_id(k)) {
            (Some(a), Some(b)) => format!("not in snapshot {a}; first observed in snapshot {b}"),
            (None, Some(b)) => format!("first observed in snapshot {b}"),
            _ => "not in the earlier state".to_string(),
        }
    }

    /// A thread that begins after FROM with nothing linking it to what came
    /// before: it appeared, or was restored when it re-establishes a unit
    /// gone before, in the chain or before it.
    fn appeared(&self, thread: &Thread) -> Change {
        let end = thread.at(self.last).expect("the thread reaches TO");
        let (k, ix) = thread.version(0);
        let id = &self.chain.states[k].unit(ix).id;
        let in_chain = self.chain.states[..k].iter().any(|s| s.find(id).is_some());
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
    fn documenting_sources(&self, (k, ix): (usize, UnitIx)) -> Vec<String> {
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
    fn appearance(
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
    fn disappeared(&self, thread: &Thread) -> Change {
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
    fn restored_before_chain(&self, (k, ix): (usize, UnitIx)) -> Option<usize> {
        let laid = self.chain.snapshots[0]?;
        let earlier = self.earlier.get_or_init(|| Earlier {
            documented: self.dataset.snapshots()[..=laid]
                .iter()
                .flat_map(|s| s.all_units())
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

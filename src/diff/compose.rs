//! Composing the steps of a chain into net changes from FROM to TO.
//!
//! The continuity links of consecutive steps join into *threads*: one unit
//! followed from state to state through renames, moves and new ids. Then:
//!
//! - a thread that spans FROM to TO yields one change per attribute that
//!   differs between its ends (renamed twice is one rename with the
//!   intermediate name as `via`; moved and moved back is no change);
//! - an event link (merged, absorbed, split, replaced, transferred...)
//!   that touches a thread present at FROM or at TO is reported with the
//!   units as they were at FROM and as they are at TO;
//! - a thread that appears after FROM with no link is established (or
//!   restored, when it re-establishes a unit gone before under the same
//!   id: see [`restored_from`]); one that disappears before TO with no link
//!   is abolished. Units that come and go between the two
//!   dates are not net changes.

use std::cell::OnceCell;
use std::collections::HashSet;

use rustc_hash::FxHashSet;

use super::step::{self, Chain, Side};
use super::{Basis, Change, UnitSide, Via};
use crate::dataset::Dataset;
use crate::date::{Date, Day};
use crate::model::{ChangeKind, Event};
use crate::state::UnitIx;
use crate::text::fold;

/// One unit followed through the chain, in consecutive states.
pub struct Thread {
    /// The state it is first in.
    first: usize,
    /// The unit it is in each state from `first` on.
    units: Vec<UnitIx>,
}

impl Thread {
    /// Version `j`: (state index, unit) in the `j`-th state it is in.
    pub fn version(&self, j: usize) -> (usize, UnitIx) {
        (self.first + j, self.units[j])
    }

    /// The number of states it is in.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Every version, in order.
    pub fn versions(&self) -> impl Iterator<Item = (usize, UnitIx)> + '_ {
        (self.first..).zip(self.units.iter().copied())
    }

    /// The index of the version in state `k`, if the unit is in that
    /// state.
    pub fn at(&self, k: usize) -> Option<usize> {
        (self.first..=self.last_state())
            .contains(&k)
            .then(|| k - self.first)
    }

    pub fn first_state(&self) -> usize {
        self.first
    }

    pub fn last_state(&self) -> usize {
        self.first + self.units.len() - 1
    }
}

/// The threads of a chain, and which thread each unit of each state is on.
pub struct Threads {
    pub threads: Vec<Thread>,
    /// `of[k][unit index]`: the thread of a unit of state k.
    of: Vec<Vec<u32>>,
}

impl Threads {
    pub fn build(chain: &Chain) -> Threads {
        // Which thread each unit is on: a unit that continues one of the
        // state before is on its thread, any other begins a thread.
        let mut of: Vec<Vec<u32>> = Vec::with_capacity(chain.states.len());
        let mut firsts: Vec<(usize, UnitIx)> = Vec::new();
        let mut lengths: Vec<usize> = Vec::new();
        for (k, state) in chain.states.iter().enumerate() {
            let continues = k.checked_sub(1).map(|s| &chain.steps[s].continues);
            let ids: Vec<u32> = state
                .preorder()
                .map(|(ix, _)| {
                    let continued = continues.and_then(|c| c[ix.index()]);
                    match continued {
                        Some(before) => {
                            let t = of[k - 1][before.index()];
                            lengths[t as usize] += 1;
                            t
                        }
                        None => {
                            firsts.push((k, ix));
                            lengths.push(1);
                            u32::try_from(firsts.len() - 1).expect("fewer than 2^32 threads")
                        }
                    }
                })
                .collect();
            of.push(ids);
        }
        // Each thread's versions, laid out at their final size.
        let mut threads: Vec<Thread> = firsts
            .iter()
            .zip(&lengths)
            .map(|(&(first, ix), &len)| {
                let mut units = Vec::with_capacity(len);
                units.push(ix);
                Thread { first, units }
            })
            .collect();
        for (k, ids) in of.iter().enumerate().skip(1) {
            let continues = &chain.steps[k - 1].continues;
            for (ix, _) in chain.states[k].preorder() {
                if continues[ix.index()].is_some() {
                    threads[ids[ix.index()] as usize].units.push(ix);
                }
            }
        }
        Threads { threads, of }
    }

    /// The thread of unit `ix` of state `k`.
    pub fn thread(&self, k: usize, ix: UnitIx) -> usize {
        self.of[k][ix.index()] as usize
    }
}

/// The unit that a thread beginning after the first state re-establishes:
/// the last unit to bear its id before (unit `ix` of state `j`), when the
/// id was absent from the state just before the thread began (an id handed
/// straight to another unit is not a restoration), that unit is gone for
/// good (see [`last_bearer_gone`]), and the two share a name word, an
/// acronym or a parent (else the id was merely reused).
pub fn restored_from(chain: &Chain, threads: &Threads, thread: &Thread) -> Option<(usize, UnitIx)> {
    let (k, ix) = thread.version(0);
    let just_before = k.checked_sub(1)?;
    let id = &chain.states[k].unit(ix).id;
    if chain.states[just_before].find(id).is_some() {
        return None;
    }
    let (j, earlier) = last_bearer_gone(chain, threads, id, just_before)?;
    let unrelated = step::looks_reused(chain.states[j], earlier, chain.states[k], ix);
    (!unrelated).then_some((j, earlier))
}

/// The last unit before state `until` to bear an id (unit `ix` of state
/// `j`), when its thread ended there: a unit that went on under another id
/// left its old id free for a new unit.
fn last_bearer_gone(
    chain: &Chain,
    threads: &Threads,
    id: &str,
    until: usize,
) -> Option<(usize, UnitIx)> {
    let (j, ix) = (0..until)
        .rev()
        .find_map(|j| chain.states[j].find(id).map(|ix| (j, ix)))?;
    let ended = threads.threads[threads.thread(j, ix)].last_state() == j;
    ended.then_some((j, ix))
}

/// What came before a chain's first state, gathered when first needed.
struct Earlier<'a> {
    /// The ids that the snapshots laid into the first state document.
    documented: FxHashSet<&'a str>,
    /// The history up to the first state, matched when one of those ids
    /// appears again.
    history: OnceCell<(Chain<'a>, Threads)>,
}

/// Everything needed to describe the changes between two states of a chain.
struct Composer<'a, 'd> {
    chain: &'a Chain<'d>,
    dataset: &'a Dataset,
    threads: &'a Threads,
    /// The state index of FROM.
    first: usize,
    /// The state index of TO.
    last: usize,
    /// What came before the chain's first state, gathered when a unit
    /// appears.
    earlier: OnceCell<Earlier<'a>>,
}

/// The net changes of a chain, from its first state to its last, sorted by
/// kind, date and names.
pub fn net_changes(chain: &Chain, dataset: &Dataset) -> Vec<Change> {
    let threads = Threads::build(chain);
    changes_between(chain, dataset, &threads, 0, chain.states.len() - 1)
}

/// The changes a thread went through, step by step: one per attribute
/// that changed between two consecutive versions.
pub fn thread_steps(
    chain: &Chain,
    dataset: &Dataset,
    threads: &Threads,
    thread: usize,
) -> Vec<Change> {
    let t = &threads.threads[thread];
    let mut out = Vec::new();
    for j in 1..t.len() {
        let k = t.version(j).0;
        let composer = Composer::new(chain, dataset, threads, k - 1, k);
        for attribute in composer.changed_attributes(t.version(j - 1), t.version(j)) {
            out.push(composer.describe(t, attribute, j - 1, j));
        }
    }
    out
}

/// The change an event link of step `k` stands for, with the units as they
/// were just before and just after it.
pub fn event_link_change(
    chain: &Chain,
    dataset: &Dataset,
    threads: &Threads,
    k: usize,
    link: &super::step::EventLink,
) -> Change {
    let composer = Composer::new(chain, dataset, threads, k, k + 1);
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
    let composer = Composer::new(chain, dataset, threads, k - 1, k);
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

/// The net changes from state `first` to state `last` of a chain.
pub fn changes_between(
    chain: &Chain,
    dataset: &Dataset,
    threads: &Threads,
    first: usize,
    last: usize,
) -> Vec<Change> {
    let composer = Composer::new(chain, dataset, threads, first, last);
    let mut changes = Vec::new();
    composer.thread_changes(&mut changes);
    composer.event_changes(&mut changes);
    fn name(units: &[UnitSide]) -> Option<&str> {
        units.first().map(|u| u.name.as_str())
    }
    fn id(units: &[UnitSide]) -> Option<&str> {
        units.first().map(|u| u.id.as_str())
    }
    // Borrowed, not cloned: this runs n log n times.
    fn key(c: &Change) -> impl Ord + '_ {
        (
            c.kind,
            c.date.as_ref().map(|d| (d.earliest(), d.latest())),
            name(&c.from),
            name(&c.to),
            id(&c.from),
            id(&c.to),
        )
    }
    changes.sort_by(|a, b| key(a).cmp(&key(b)));
    changes
}

/// An attribute of a unit that a change concerns.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attribute {
    Name,
    Parent,
    Kind,
    Id,
}

impl Attribute {
    fn change_kind(self) -> ChangeKind {
        match self {
            Attribute::Name => ChangeKind::Renamed,
            Attribute::Parent => ChangeKind::Moved,
            Attribute::Kind => ChangeKind::Redesignated,
            Attribute::Id => ChangeKind::Recoded,
        }
    }
}

impl<'a, 'd> Composer<'a, 'd> {
    fn new(
        chain: &'a Chain<'d>,
        dataset: &'a Dataset,
        threads: &'a Threads,
        first: usize,
        last: usize,
    ) -> Self {
        Composer {
            chain,
            dataset,
            threads,
            first,
            last,
            earlier: OnceCell::new(),
        }
    }

    fn side(&self, (k, ix): (usize, UnitIx)) -> UnitSide {
        UnitSide::of(self.chain.states[k], ix)
    }

    /// Whether an attribute differs between two versions of a thread.
    fn differs(&self, attribute: Attribute, a: (usize, UnitIx), b: (usize, UnitIx)) -> bool {
        let (ua, ub) = (
            self.chain.states[a.0].unit(a.1),
            self.chain.states[b.0].unit(b.1),
        );
        // Folding allocates; most names are equal to the letter.
        let folded_differ = |x: &str, y: &str| x != y && fold(x) != fold(y);
        match attribute {
            // A name respelled is renamed, accents included.
            Attribute::Name => {
                ua.name != ub.name
                    || match (&ua.acronym, &ub.acronym) {
                        (Some(x), Some(y)) => folded_differ(x, y),
                        (x, y) => x.is_some() != y.is_some(),
                    }
            }
            Attribute::Kind => match (&ua.kind, &ub.kind) {
                (Some(x), Some(y)) => folded_differ(x, y),
                _ => false,
            },
            Attribute::Parent => self.parent_thread(a) != self.parent_thread(b),
            Attribute::Id => ua.id != ub.id,
        }
    }

    fn parent_thread(&self, (k, ix): (usize, UnitIx)) -> Option<usize> {
        self.chain.states[k]
            .parent(ix)
            .map(|p| self.threads.thread(k, p))
    }

    /// The steps (indices into the thread's versions) where an attribute
    /// changed between version `from` and version `to`.
    fn changed_at(
        &self,
        thread: &Thread,
        attribute: Attribute,
        from: usize,
        to: usize,
    ) -> Vec<usize> {
        (from + 1..=to)
            .filter(|&j| self.differs(attribute, thread.version(j - 1), thread.version(j)))
            .collect()
    }

    /// Curated events of a kind that version `j` of a thread shows
    /// happening: they lead from the unit's id before the step to its id
    /// after it, and are dated within the step's interval.
    fn curated_at(&self, kind: ChangeKind, thread: &Thread, j: usize) -> Vec<(usize, &Event)> {
        let id = |(k, ix): (usize, UnitIx)| &self.chain.states[k].unit(ix).id;
        let (before, after) = (id(thread.version(j - 1)), id(thread.version(j)));
        let interval = self.step_interval(thread, j);
        self.chain
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == kind && e.from.contains(before) && e.to.contains(after))
            .filter(|(_, e)| interval.as_ref().is_none_or(|i| overlaps(&e.date, i)))
            .collect()
    }

    /// The interval between the observations before and after version `j`
    /// of a thread.
    fn step_interval(&self, thread: &Thread, j: usize) -> Option<Date> {
        self.since_observed(thread.version(j - 1), thread.version(j).0)
    }

    /// The interval from the snapshot that last documented a unit of state
    /// `k - 1` to the snapshot of state `k`: a unit that snapshots in
    /// between carried over without documenting it was not seen there, so
    /// they cannot narrow when it changed. `None` for undated states.
    fn since_observed(&self, (before, ix): (usize, UnitIx), k: usize) -> Option<Date> {
        self.chain.steps[k - 1].interval.as_ref()?;
        let seen = &self.dataset.snapshots()[self.chain.states[before].observed_in(ix)].date;
        let now = &self.dataset.snapshots()[self.chain.snapshots[k]?].date;
        Some(Date::span(Some(seen), now))
    }

    /// Threads that span FROM to TO: one change per attribute that differs
    /// between the unit at FROM and at TO. (A unit that appeared after FROM
    /// is established as it is at TO; what it went through on the way is
    /// its `via`.)
    fn thread_changes(&self, out: &mut Vec<Change>) {
        for thread in &self.threads.threads {
            let (Some(start), Some(end)) = (thread.at(self.first), thread.at(self.last)) else {
                continue;
            };
            if start == end {
                continue;
            }
            let (first, last) = (thread.version(start), thread.version(end));
            for attribute in self.changed_attributes(first, last) {
                out.push(self.describe(thread, attribute, start, end));
            }
        }
    }

    /// The continuity link that produced version `j` of a thread.
    fn link_to(&self, thread: &Thread, j: usize) -> Option<super::step::Link> {
        let (k, ix) = thread.version(j);
        self.chain.steps[k.checked_sub(1)?].link_into(ix)
    }

    /// When the step producing version `j` (a change of `kind`) happened:
    /// the date of the curated event behind it, else the interval between
    /// the observations.
    fn step_date(&self, thread: &Thread, j: usize, kind: ChangeKind) -> Option<Date> {
        if let Some(i) = self.link_to(thread, j).and_then(|l| l.event) {
            return Some(self.chain.events[i].date.clone());
        }
        self.curated_at(kind, thread, j)
            .first()
            .map(|(_, e)| e.date.clone())
            .or_else(|| self.step_interval(thread, j))
    }

    /// A change of one attribute along a thread, from version `start` to
    /// version `end`.
    fn describe(&self, thread: &Thread, attribute: Attribute, start: usize, end: usize) -> Change {
        let kind = attribute.change_kind();
        let steps = self.changed_at(thread, attribute, start, end);
        let observed = span_of_options(steps.iter().map(|&j| self.step_interval(thread, j)));
        // Curated events of this kind that the steps of the change show.
        let mut curated: Vec<(usize, &Event)> = steps
            .iter()
            .flat_map(|&j| self.curated_at(kind, thread, j))
            .collect();
        curated.sort_by_key(|&(i, _)| i);
        curated.dedup_by_key(|&mut (i, _)| i);
        let links: Vec<super::step::Link> = steps
            .iter()
            .map(|&j| {
                self.link_to(thread, j)
                    .expect("a later version has its link")
            })
            .collect();
        let mut change = Change {
            kind,
            from: vec![self.side(thread.version(start))],
            to: vec![self.side(thread.version(end))],
            external: None,
            date: observed,
            basis: Basis::Identity,
            confidence: 1.0,
            evidence: Vec::new(),
            sources: Vec::new(),
            via: Vec::new(),
        };
        if !curated.is_empty() {
            // A curated event of this very kind: its date and sources.
            change.basis = Basis::Curated;
            change.date = Some(span_of(curated.iter().map(|(_, e)| &e.date)));
            change.confidence = curated
                .iter()
                .map(|(_, e)| e.confidence.score())
                .fold(1.0, f64::min);
            for (_, e) in &curated {
                change.evidence.extend(super::step::curated_evidence(e));
                extend_unique(&mut change.sources, &e.sources);
            }
        } else {
            // Observed between snapshots; the unit is known to be the same
            // by identity, by a curated event of another kind, or by
            // inference — the weakest of these sets the basis.
            let weakest = links.iter().max_by(|a, b| {
                a.basis
                    .cmp(&b.basis)
                    .then(b.confidence.total_cmp(&a.confidence))
            });
            if let Some(link) = weakest {
                change.basis = link.basis;
                change.confidence = link.confidence;
            }
            for (&j, link) in steps.iter().zip(&links) {
                if link.basis == Basis::Identity {
                    let (k, ix) = thread.version(j);
                    let id = &self.chain.states[k].unit(ix).id;
                    extend_unique(&mut change.evidence, &[format!("same id `{id}`")]);
                }
                extend_unique(&mut change.evidence, &link.evidence);
                if let Some(i) = link.event {
                    extend_unique(&mut change.sources, &self.chain.events[i].sources);
                }
            }
            change.evidence.push(self.observed_evidence(thread, &steps));
        }
        if steps.len() > 1 {
            change.via = steps[..steps.len() - 1]
                .iter()
                .map(|&j| Via {
                    kind,
                    date: self.step_date(thread, j, kind),
                    unit: self.side(thread.version(j)),
                })
                .collect();
        }
        change
    }

    /// "observed in snapshots A and B" for a change seen between two
    /// observations.
    fn observed_evidence(&self, thread: &Thread, steps: &[usize]) -> String {
        let names: Vec<String> = steps
            .iter()
            .filter_map(|&j| {
                let k = thread.version(j).0;
                let before = self.snapshot_id(k - 1)?;
                let after = self.snapshot_id(k)?;
                Some(format!("between snapshots {before} and {after}"))
            })
            .collect();
        if names.is_empty() {
            "observed between the two states".to_string()
        } else {
            format!("observed {}", names.join("; "))
        }
    }

    fn snapshot_id(&self, k: usize) -> Option<&str> {
        self.chain.snapshots[k].map(|i| self.dataset.snapshots()[i].id.as_str())
    }

    /// The attributes that differ between two versions of a unit; a new id
    /// counts only when nothing else changed.
    fn changed_attributes(&self, a: (usize, UnitIx), b: (usize, UnitIx)) -> Vec<Attribute> {
        let mut changed: Vec<Attribute> = [Attribute::Name, Attribute::Parent, Attribute::Kind]
            .into_iter()
            .filter(|&attr| self.differs(attr, a, b))
            .collect();
        if changed.is_empty() && self.differs(Attribute::Id, a, b) {
            changed.push(Attribute::Id);
        }
        changed
    }

    /// The attribute changes of a thread between two of its versions, as
    /// intermediate steps.
    fn via(&self, thread: &Thread, from: usize, to: usize) -> Vec<Via> {
        let mut out = Vec::new();
        for j in from + 1..=to {
            let (a, b) = (thread.version(j - 1), thread.version(j));
            for attr in self.changed_attributes(a, b) {
                out.push(Via {
                    kind: attr.change_kind(),
                    date: self.step_date(thread, j, attr.change_kind()),
                    unit: self.side(b),
                });
            }
        }
        out
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

    fn event_link_change(&self, k: usize, link: &super::step::EventLink) -> Option<Change> {
        let befores: Vec<(&Thread, usize)> =
            link.before.iter().map(|&ix| self.locate(k, ix)).collect();
        let afters: Vec<(&Thread, usize)> = link
            .after
            .iter()
            .map(|&ix| self.locate(k + 1, ix))
            .collect();
        let touches_from = befores.iter().any(|(t, _)| t.at(self.first).is_some());
        let touches_to = afters.iter().any(|(t, _)| t.at(self.last).is_some());
        if !touches_from && !touches_to {
            return None;
        }
        let event = link.event.map(|i| &self.chain.events[i]);
        let date = event
            .map(|e| e.date.clone())
            .or_else(|| self.chain.steps[k].interval.clone());
        let mut via = Vec::new();
        let from = befores
            .iter()
            .map(|&(t, j)| match t.at(self.first) {
                Some(start) => {
                    via.extend(self.via(t, start, j));
                    self.side(t.version(start))
                }
                None => self.side(t.version(j)),
            })
            .collect();
        let to = afters
            .iter()
            .map(|&(t, j)| match t.at(self.last) {
                Some(end) => {
                    via.extend(self.appearance(t, link.kind, date.clone(), j, end));
                    self.side(t.version(end))
                }
                None => self.side(t.version(j)),
            })
            .collect();
        Some(Change {
            kind: link.kind,
            from,
            to,
            external: event.and_then(|e| e.external.clone()),
            date,
            basis: link.basis,
            confidence: link.confidence,
            evidence: link.evidence.clone(),
            sources: event.map(|e| e.sources.clone()).unwrap_or_default(),
            via,
        })
    }

    /// A thread that begins after FROM with nothing linking it to what came
    /// before: established, or restored when it re-establishes a unit gone
    /// before, in the chain or before it.
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
            None => ChangeKind::Established,
        };
        evidence.push(match (self.snapshot_id(k - 1), self.snapshot_id(k)) {
            (Some(a), Some(b)) => format!("not in snapshot {a}; first observed in snapshot {b}"),
            (None, Some(b)) => format!("first observed in snapshot {b}"),
            _ => "not in the earlier state".to_string(),
        });
        evidence.extend(self.notes(k - 1, Side::After, ix));
        let date = self.chain.steps[k - 1].interval.clone();
        Change {
            kind,
            from: Vec::new(),
            to: vec![self.side(thread.version(end))],
            external: None,
            via: self.appearance(thread, kind, date.clone(), 0, end),
            date,
            basis: Basis::Identity,
            confidence: 1.0,
            evidence,
            sources: Vec::new(),
        }
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
        if end == first {
            return Vec::new();
        }
        let mut via = vec![Via {
            kind,
            date,
            unit: self.side(thread.version(first)),
        }];
        via.extend(self.via(thread, first, end - 1));
        via
    }

    /// A thread present at FROM that ends before TO with nothing linking it
    /// to what came after: abolished.
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
        Change {
            kind: ChangeKind::Abolished,
            from: vec![self.side(thread.version(start))],
            to: Vec::new(),
            external: None,
            date,
            basis: Basis::Identity,
            confidence: 1.0,
            evidence,
            sources: Vec::new(),
            via: self.via(thread, start, end),
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

/// Whether two dates may fall on a common day.
fn overlaps(a: &Date, b: &Date) -> bool {
    a.earliest() <= b.latest() && a.latest() >= b.earliest()
}

fn extend_unique(into: &mut Vec<String>, items: &[String]) {
    for i in items {
        if !into.contains(i) {
            into.push(i.clone());
        }
    }
}

/// The interval covering several dates.
fn span_of<'a>(dates: impl Iterator<Item = &'a Date>) -> Date {
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

fn span_of_options(dates: impl Iterator<Item = Option<Date>>) -> Option<Date> {
    let dates: Vec<Date> = dates.flatten().collect();
    if dates.is_empty() {
        None
    } else {
        Some(span_of(dates.iter()))
    }
}

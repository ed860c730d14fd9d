//! The whole history of a dataset as a graph across time.
//!
//! Every snapshot's state is matched to the next (as `diff` does); the
//! continuity links join into threads, one per unit followed through its
//! names, parents and ids; the other links (merged, absorbed, split,
//! replaced, transferred...) join threads to their predecessors and
//! successors, and so does a restoration: a unit re-established under the
//! id it had is linked to its earlier life. The graph (petgraph) has a node
//! per thread and an edge per (predecessor, successor) pair of each link.

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;
use rustc_hash::FxHashSet;

use super::cached;
use super::chain::Chain;
use super::compose;
use super::threads::{self, Threads};
use super::{Change, UnitSide};
use crate::dataset::Dataset;
use crate::date::{Date, Day};
use crate::model::ChangeKind;
use crate::state::{OrgState, UnitIx};

/// A link of the history, by the step it happens in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LinkId {
    /// The step, from state `step` to state `step + 1`.
    pub step: usize,
    /// Which link of that step.
    pub of: LinkOf,
}

/// What a link of a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LinkOf {
    /// Event link `i` of the step (merged, split, transferred...).
    Event(usize),
    /// The step begins thread `later`, which re-establishes under the id
    /// it had the unit of thread `earlier`, gone before.
    Restored {
        /// The thread that begins.
        later: usize,
        /// The thread that ended before.
        earlier: usize,
    },
}

/// A run of states in which a unit kept its name, acronym, kind and parent.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// The date of the snapshot that first showed it so.
    pub since: Option<Date>,
    /// The date of the last snapshot that showed it so; `None` while it
    /// lasts into the latest state.
    pub until: Option<Date>,
    /// The unit as it was during the version.
    pub unit: UnitSide,
    /// The names of its ancestors, from the top.
    pub path: Vec<String>,
}

/// The history of a dataset.
pub struct History<'d> {
    dataset: &'d Dataset,
    chain: Chain<'d>,
    threads: Threads,
    /// Node `i` is thread `i`; edges point from predecessor to successor.
    graph: DiGraph<(), LinkId>,
}

impl<'d> History<'d> {
    /// Lays every state of the dataset in date order and follows each unit through them.
    pub fn build(dataset: &'d Dataset) -> History<'d> {
        let chain = Chain::build(dataset, Day::MIN, Day::MAX);
        let threads = Threads::build(&chain);
        let mut graph = DiGraph::with_capacity(threads.threads.len(), 0);
        for _ in &threads.threads {
            graph.add_node(());
        }
        for (k, step) in chain.steps.iter().enumerate() {
            for (index, link) in step.events.iter().enumerate() {
                for &b in &link.before {
                    for &a in &link.after {
                        let from = NodeIndex::new(threads.thread(k, b));
                        let to = NodeIndex::new(threads.thread(k + 1, a));
                        let of = LinkOf::Event(index);
                        graph.add_edge(from, to, LinkId { step: k, of });
                    }
                }
            }
        }
        for (later, earlier) in kept_restorations(dataset, &chain, &threads) {
            let step = threads.threads[later].first_state() - 1;
            let of = LinkOf::Restored { later, earlier };
            graph.add_edge(
                NodeIndex::new(earlier),
                NodeIndex::new(later),
                LinkId { step, of },
            );
        }
        History {
            dataset,
            chain,
            threads,
            graph,
        }
    }

    /// The dataset the history is of.
    pub fn dataset(&self) -> &'d Dataset {
        self.dataset
    }

    /// The number of threads (units followed through time).
    pub fn len(&self) -> usize {
        self.threads.threads.len()
    }

    /// Whether the dataset has no units at all.
    pub fn is_empty(&self) -> bool {
        self.threads.threads.is_empty()
    }

    /// The thread of the unit with this id in the latest state that has
    /// one.
    pub(crate) fn thread_with_id(&self, id: &str) -> Option<usize> {
        (0..self.chain.states.len())
            .rev()
            .find_map(|k| self.chain.find(k, id).map(|ix| self.threads.thread(k, ix)))
    }

    /// Every version of a thread's unit as each state has it: (state index,
    /// unit as it stands there).
    pub(crate) fn states_of(&self, thread: usize) -> Vec<(usize, UnitSide)> {
        self.threads.threads[thread]
            .versions()
            .map(|(k, ix)| (k, UnitSide::of(self.chain.states[k], ix)))
            .collect()
    }

    /// The other names (aliases) of a thread's unit, in every state.
    pub(crate) fn aliases_of(&self, thread: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (k, ix) in self.threads.threads[thread].versions() {
            for a in &self.chain.states[k].unit(ix).aliases {
                if !out.contains(a) {
                    out.push(a.clone());
                }
            }
        }
        out
    }

    /// The aliases of a thread's unit in each of its states, in the order
    /// of [`History::states_of`].
    pub(crate) fn aliases_by_state(&self, thread: usize) -> Vec<Vec<String>> {
        self.threads.threads[thread]
            .versions()
            .map(|(k, ix)| self.chain.states[k].unit(ix).aliases.clone())
            .collect()
    }

    /// The date of the snapshot that produced state `k`.
    pub(crate) fn state_date(&self, k: usize) -> Option<&Date> {
        self.chain.snapshots[k].map(|i| &self.dataset.snapshots()[i].date)
    }

    /// The date of the snapshot that last documented unit `ix` of state
    /// `k`.
    fn observed_date(&self, k: usize, ix: UnitIx) -> Option<&Date> {
        self.chain.snapshots[k]?;
        Some(&self.dataset.snapshots()[self.chain.states[k].observed_in(ix)].date)
    }

    /// Whether a thread lasts into the latest state.
    pub fn lasts(&self, thread: usize) -> bool {
        self.threads.threads[thread].last_state() == self.chain.states.len() - 1
    }

    /// A thread's versions: runs of states with the same name, acronym,
    /// kind and parent.
    pub fn versions(&self, thread: usize) -> Vec<Version> {
        let t = &self.threads.threads[thread];
        let last_state = self.chain.states.len() - 1;
        let mut out: Vec<Version> = Vec::new();
        for (k, ix) in t.versions() {
            let state = self.chain.states[k];
            let unit = UnitSide::of(state, ix);
            // Seen so by the snapshot that documented it, which may be
            // older than the state (a unit carried over is not seen again).
            let seen = self.observed_date(k, ix);
            let until = (k != last_state).then(|| seen.cloned()).flatten();
            match out.last_mut() {
                Some(v) if same_version(&v.unit, &unit) => v.until = until,
                _ => {
                    let mut path: Vec<String> = state
                        .ancestors(ix)
                        .into_iter()
                        .map(|a| state.unit(a).name.clone())
                        .collect();
                    path.reverse();
                    out.push(Version {
                        since: seen.cloned(),
                        until,
                        unit,
                        path,
                    });
                }
            }
        }
        out
    }

    /// The changes within a thread (renamed, moved, redesignated, recoded),
    /// step by step.
    pub(crate) fn thread_changes(&self, thread: usize) -> Vec<Change> {
        compose::thread_steps(&self.chain, self.dataset, &self.threads, thread)
    }

    /// The change an event link stands for, with its units as they were
    /// just before and after it.
    pub(crate) fn link_change(&self, link: LinkId) -> Change {
        match link.of {
            LinkOf::Event(index) => compose::event_link_change(
                &self.chain,
                self.dataset,
                &self.threads,
                link.step,
                &self.chain.steps[link.step].events[index],
            ),
            LinkOf::Restored { later, earlier } => {
                compose::restoration(&self.chain, self.dataset, &self.threads, later, earlier)
            }
        }
    }

    /// The threads on each side of a link.
    pub(crate) fn link_threads(&self, link: LinkId) -> (Vec<usize>, Vec<usize>) {
        match link.of {
            LinkOf::Event(index) => {
                let event_link = &self.chain.steps[link.step].events[index];
                let side = |k: usize, units: &[UnitIx]| {
                    units.iter().map(|&ix| self.threads.thread(k, ix)).collect()
                };
                (
                    side(link.step, &event_link.before),
                    side(link.step + 1, &event_link.after),
                )
            }
            LinkOf::Restored { later, earlier } => (vec![earlier], vec![later]),
        }
    }

    /// Links that end or begin a thread with no unit on the other side
    /// (abolished, transferred out, established...).
    pub(crate) fn open_links(&self, thread: usize) -> Vec<LinkId> {
        let t = &self.threads.threads[thread];
        let mut out = Vec::new();
        for (k, step) in self.chain.steps.iter().enumerate() {
            for (index, link) in step.events.iter().enumerate() {
                let ends_here = link.after.is_empty()
                    && link
                        .before
                        .iter()
                        .any(|&ix| t.at(k).is_some_and(|j| t.version(j).1 == ix));
                let begins_here = link.before.is_empty()
                    && link
                        .after
                        .iter()
                        .any(|&ix| t.at(k + 1).is_some_and(|j| t.version(j).1 == ix));
                // A curated restoration of a unit whose earlier life is
                // known is told by the link from that life.
                let told_by_restoration = begins_here
                    && link.kind == ChangeKind::Restored
                    && self
                        .neighbours(thread, Direction::Incoming)
                        .iter()
                        .any(|l| matches!(l.of, LinkOf::Restored { .. }));
                if (ends_here || begins_here) && !told_by_restoration {
                    let of = LinkOf::Event(index);
                    out.push(LinkId { step: k, of });
                }
            }
        }
        out
    }

    /// The thread that re-establishes a thread's unit under its id, if
    /// any.
    pub(crate) fn restored_as(&self, thread: usize) -> Option<usize> {
        self.neighbours(thread, Direction::Outgoing)
            .into_iter()
            .find_map(|l| match l.of {
                LinkOf::Restored { later, .. } => Some(later),
                LinkOf::Event(_) => None,
            })
    }

    /// The links from a thread to its successors (or from its predecessors),
    /// each once, in date order.
    pub(crate) fn neighbours(&self, thread: usize, direction: Direction) -> Vec<LinkId> {
        let mut links: Vec<LinkId> = self
            .graph
            .edges_directed(NodeIndex::new(thread), direction)
            .map(|e| *e.weight())
            .collect();
        links.sort();
        links.dedup();
        links
    }

    /// The index of the state in force at the end of a day.
    pub(crate) fn state_index(&self, day: Day) -> usize {
        let first = self.dataset.snapshots_until(Day::MIN).count();
        self.dataset.snapshots_until(day).count().max(first) - first
    }

    /// State `k` of the history.
    pub fn state(&self, k: usize) -> &'d OrgState {
        self.chain.states[k]
    }

    /// The thread of unit `ix` of state `k`.
    pub(crate) fn thread_at(&self, k: usize, ix: UnitIx) -> usize {
        self.threads.thread(k, ix)
    }

    /// The unit a thread is in state `k`, if it is in that state.
    pub(crate) fn unit_in(&self, thread: usize, k: usize) -> Option<UnitIx> {
        let t = &self.threads.threads[thread];
        t.at(k).map(|j| t.version(j).1)
    }

    /// The first and the last state a thread is in.
    pub(crate) fn span(&self, thread: usize) -> (usize, usize) {
        let t = &self.threads.threads[thread];
        (t.first_state(), t.last_state())
    }

    /// The net changes from the end of day `from` to state `last`,
    /// composed as `diff` composes them.
    pub(crate) fn net_changes(&self, from: Day, last: usize) -> Vec<Change> {
        let states = (self.state_index(from), last);
        compose::changes_between(&self.chain, self.dataset, &self.threads, Some(from), states)
    }

    /// The event links of step `k` (from state `k` to state `k + 1`) with
    /// the thread's unit on their `before` side, those with nothing after
    /// (abolished, transferred out) included.
    pub(crate) fn links_from(&self, thread: usize, k: usize) -> Vec<LinkId> {
        let (Some(ix), Some(step)) = (self.unit_in(thread, k), self.chain.steps.get(k)) else {
            return Vec::new();
        };
        (step.events.iter().enumerate())
            .filter(|(_, link)| link.before.contains(&ix))
            .map(|(i, _)| LinkId {
                step: k,
                of: LinkOf::Event(i),
            })
            .collect()
    }
}

/// The restorations of a dataset's whole history (see [`restorations`]),
/// read from the dataset's cache where it keeps them.
fn kept_restorations(dataset: &Dataset, chain: &Chain, threads: &Threads) -> Vec<(usize, usize)> {
    let count = threads.threads.len();
    // A restoration is a link into a thread that begins after the first state.
    let sound = |&(later, earlier): &(usize, usize)| {
        later < count && earlier < count && threads.threads[later].first_state() > 0
    };
    cached::restorations(dataset, || restorations(chain, threads), sound)
}

/// The threads that re-establish a unit under the id it had, each with the
/// thread of that earlier life: (later, earlier). A thread that an event
/// link begins (established, split off...) is not a restoration, unless
/// the event is a curated restoration that does not say from what.
fn restorations(chain: &Chain, threads: &Threads) -> Vec<(usize, usize)> {
    let begun_by_event: FxHashSet<(usize, UnitIx)> = chain
        .steps
        .iter()
        .enumerate()
        .flat_map(|(k, step)| step.events.iter().map(move |link| (k + 1, link)))
        .filter(|(_, link)| !(link.kind == ChangeKind::Restored && link.before.is_empty()))
        .flat_map(|(k, link)| link.after.iter().map(move |&ix| (k, ix)))
        .collect();
    threads
        .threads
        .iter()
        .enumerate()
        .filter(|(_, t)| t.first_state() > 0 && !begun_by_event.contains(&t.version(0)))
        .filter_map(|(later, t)| {
            let (j, earlier) = threads::restored_from(chain, threads, t)?;
            Some((later, threads.thread(j, earlier)))
        })
        .collect()
}

/// Two runs are one version when nothing a reader sees changed.
fn same_version(a: &UnitSide, b: &UnitSide) -> bool {
    a.name == b.name
        && a.acronym == b.acronym
        && a.kind == b.kind
        && a.parent == b.parent
        && a.id == b.id
}

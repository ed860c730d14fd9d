//! The organization at a date, assembled from observations.
//!
//! Snapshots are laid one over the other in date order (a snapshot whose
//! date is uncertain counts from its earliest day). A whole snapshot
//! replaces the tree; a scoped one replaces the subtree of its scope. Either
//! way, a unit written without `units` keeps the sub-units it had in the
//! previous state, a `partial` unit keeps those it had that this snapshot
//! does not place elsewhere, and a unit documented anywhere in the snapshot
//! leaves its old place.
//!
//! The result is an [`OrgState`]: a petgraph graph of parent → child
//! edges, behind the project's own small API. A snapshot that documents
//! the whole organization and every unit's sub-units (a complete one, as
//! imported charts are) is a state by itself; any other is laid over the
//! state before it. A [`Dataset`](crate::dataset::Dataset) lays the states
//! it is asked for, once each.

mod lay;

use std::num::NonZeroU32;
use std::sync::{Arc, OnceLock};

use hashbrown::HashTable;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;
use rustc_hash::{FxHashSet, FxHasher};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::date::Day;
pub use crate::observation::StateUnit;
use crate::observation::{Entry, Observation};

/// A handle to a unit of one [`OrgState`].
///
/// It holds the unit's index plus one, so that a unit that may be absent
/// (`Option<UnitIx>`, as in the tables of a long history's pairs) takes
/// no more room than one that is there.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitIx(NonZeroU32);

impl UnitIx {
    /// A number below the state's `len()`, for tables indexed by unit.
    pub fn index(self) -> usize {
        self.0.get() as usize - 1
    }

    /// The unit of a state at this index, which must be below its `len()`.
    pub(crate) fn new(i: usize) -> UnitIx {
        UnitIx(NonZeroU32::MIN.saturating_add(index(i)))
    }

    fn of(node: NodeIndex) -> UnitIx {
        UnitIx::new(node.index())
    }

    fn node(self) -> NodeIndex {
        NodeIndex::new(self.index())
    }
}

impl std::fmt::Debug for UnitIx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UnitIx({})", self.index())
    }
}

/// Kept as its index.
impl Serialize for UnitIx {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(index(self.index()))
    }
}

impl<'de> Deserialize<'de> for UnitIx {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<UnitIx, D::Error> {
        u32::deserialize(deserializer).map(|i| UnitIx::new(i as usize))
    }
}

/// A snapshot a state is assembled from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contribution {
    /// Index in the dataset's snapshot list.
    pub snapshot: usize,
    /// The snapshot's date range straddles the state's date: it may not
    /// have been in force yet.
    pub possibly: bool,
}

/// The organization at a date.
///
/// Units are added parents first, children in order, so the node order of
/// the graph is the tree's preorder.
#[derive(Debug, Clone, Default)]
pub struct OrgState {
    /// Parent → child edges; what each node is, `nodes` says.
    graph: DiGraph<(), ()>,
    nodes: Nodes,
    /// Units by id, gathered the first time a unit is looked up: most
    /// states are never searched. It holds node indices only; the ids are
    /// the units' own.
    by_id: OnceLock<HashTable<NodeIndex>>,
    roots: Vec<NodeIndex>,
    /// The name words many units bear (see [`OrgState::is_common_word`]),
    /// gathered when first asked: most states never are.
    common_words: OnceLock<FxHashSet<String>>,
}

/// A name word borne by more than one unit in this many of a state...
const COMMON_WORD_SHARE: usize = 20;
/// ...and by more than this many units is common.
const COMMON_WORD_UNITS: usize = 10;

/// The snapshots that last documented a unit, and last listed all its
/// sub-units: only such a listing shows that a unit was not among them.
#[derive(Debug, Clone, Copy)]
struct Documented {
    unit: u32,
    /// [`NEVER`] when no snapshot of the state listed them all.
    sub_units: u32,
}

const NEVER: u32 = u32::MAX;

/// What the nodes of a state are: their units, their depths (roots at 0)
/// and the snapshots (by index in the dataset's list) that last
/// documented them.
#[derive(Debug, Clone)]
enum Nodes {
    /// The state a complete snapshot makes: node `i` is its unit `i`, its
    /// entries shared with it, each documented, sub-units and all, by it.
    Snapshot {
        entries: Arc<Vec<Entry>>,
        snapshot: u32,
    },
    /// A state laid unit by unit.
    Laid(Laid),
}

/// The nodes of a state laid unit by unit, by node index.
#[derive(Debug, Clone, Default)]
struct Laid {
    units: Vec<Arc<StateUnit>>,
    depth: Vec<u32>,
    documented: Vec<Documented>,
}

impl Default for Nodes {
    fn default() -> Nodes {
        Nodes::Laid(Laid::default())
    }
}

impl Nodes {
    fn unit(&self, node: NodeIndex) -> &Arc<StateUnit> {
        match self {
            Nodes::Snapshot { entries, .. } => &entries[node.index()].unit,
            Nodes::Laid(laid) => &laid.units[node.index()],
        }
    }

    fn depth(&self, node: NodeIndex) -> u32 {
        match self {
            Nodes::Snapshot { entries, .. } => entries[node.index()].depth,
            Nodes::Laid(laid) => laid.depth[node.index()],
        }
    }

    fn documented(&self, node: NodeIndex) -> Documented {
        match self {
            &Nodes::Snapshot { snapshot, .. } => Documented {
                unit: snapshot,
                sub_units: snapshot,
            },
            Nodes::Laid(laid) => laid.documented[node.index()],
        }
    }

    /// The snapshots that last documented a unit of the state, in order.
    fn snapshots(&self) -> Vec<usize> {
        match self {
            Nodes::Snapshot { snapshot, .. } => vec![*snapshot as usize],
            Nodes::Laid(laid) => {
                let mut used: Vec<usize> =
                    laid.documented.iter().map(|d| d.unit as usize).collect();
                used.sort_unstable();
                used.dedup();
                used
            }
        }
    }
}

impl Laid {
    fn with_capacity(units: usize) -> Laid {
        Laid {
            units: Vec::with_capacity(units),
            depth: Vec::with_capacity(units),
            documented: Vec::with_capacity(units),
        }
    }

    fn push(&mut self, unit: &Arc<StateUnit>, parent: Option<NodeIndex>, documented: Documented) {
        self.units.push(Arc::clone(unit));
        self.depth
            .push(parent.map_or(0, |p| self.depth[p.index()] + 1));
        self.documented.push(documented);
    }
}

impl OrgState {
    /// The number of units.
    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    /// Whether the state has no units.
    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    /// The unit at `ix`, which must be of this state.
    pub fn unit(&self, ix: UnitIx) -> &StateUnit {
        self.nodes.unit(ix.node())
    }

    /// A unit by id.
    pub fn find(&self, id: &str) -> Option<UnitIx> {
        self.node_of(id).map(UnitIx::of)
    }

    /// The units with no parent, in chart order.
    pub fn roots(&self) -> Vec<UnitIx> {
        self.roots.iter().copied().map(UnitIx::of).collect()
    }

    /// The unit `ix` is directly under, if any.
    pub fn parent(&self, ix: UnitIx) -> Option<UnitIx> {
        self.graph
            .neighbors_directed(ix.node(), Direction::Incoming)
            .next()
            .map(UnitIx::of)
    }

    /// Sub-units in the order they were written.
    pub fn children(&self, ix: UnitIx) -> Vec<UnitIx> {
        // petgraph lists the newest edge first.
        let mut c: Vec<UnitIx> = self.graph.neighbors(ix.node()).map(UnitIx::of).collect();
        c.reverse();
        c
    }

    /// Every unit with its depth (roots at 0), parents before children:
    /// units are added in that order, so this is the order of the nodes.
    pub fn preorder(&self) -> impl Iterator<Item = (UnitIx, usize)> + '_ {
        self.graph
            .node_indices()
            .map(|n| (UnitIx::of(n), self.nodes.depth(n) as usize))
    }

    /// The unit and everything under it, with depths relative to it.
    pub fn subtree(&self, root: UnitIx) -> Vec<(UnitIx, usize)> {
        let mut out = Vec::new();
        let mut stack = vec![(root, 0)];
        while let Some((ix, depth)) = stack.pop() {
            out.push((ix, depth));
            stack.extend(self.children(ix).into_iter().rev().map(|c| (c, depth + 1)));
        }
        out
    }

    /// The ancestors of a unit, nearest first.
    pub fn ancestors(&self, ix: UnitIx) -> Vec<UnitIx> {
        let mut out = Vec::new();
        let mut at = ix;
        while let Some(p) = self.parent(at) {
            out.push(p);
            at = p;
        }
        out
    }

    /// The index (in the dataset's snapshot list) of the snapshot that last
    /// documented a unit.
    pub fn observed_in(&self, ix: UnitIx) -> usize {
        self.nodes.documented(ix.node()).unit as usize
    }

    /// The snapshot (by index in the dataset's list) that last listed all
    /// the sub-units of unit `ix`, if any did: a unit not among them then
    /// was not under `ix` on that snapshot's date.
    pub(crate) fn sub_units_listed_in(&self, ix: UnitIx) -> Option<usize> {
        let listed = self.nodes.documented(ix.node()).sub_units;
        (listed != NEVER).then_some(listed as usize)
    }

    /// The snapshots whose observations the state holds, in date order.
    /// `snapshots` are the dataset's.
    pub fn contributions(&self, snapshots: &[Observation], day: Day) -> Vec<Contribution> {
        (self.nodes.snapshots().into_iter())
            .map(|snapshot| Contribution {
                snapshot,
                possibly: snapshots[snapshot].date.latest() > day,
            })
            .collect()
    }

    /// Whether a folded name word is common in this state: borne by more
    /// than one unit in [`COMMON_WORD_SHARE`] and more than
    /// [`COMMON_WORD_UNITS`] units ("Saint" among communes, "Office" in
    /// an agency). Sharing it says little of whether two units are one.
    pub(crate) fn is_common_word(&self, word: &str) -> bool {
        let common = self.common_words.get_or_init(|| {
            let mut counts: rustc_hash::FxHashMap<String, usize> = Default::default();
            for n in self.graph.node_indices() {
                let mut words = crate::text::words(&self.nodes.unit(n).name);
                words.sort_unstable();
                words.dedup();
                for w in words {
                    *counts.entry(w).or_default() += 1;
                }
            }
            let floor = (self.len() / COMMON_WORD_SHARE).max(COMMON_WORD_UNITS);
            counts
                .into_iter()
                .filter(|&(_, n)| n > floor)
                .map(|(w, _)| w)
                .collect()
        });
        common.contains(word)
    }

    fn node_of(&self, id: &str) -> Option<NodeIndex> {
        let by_id = self.by_id.get_or_init(|| {
            let mut table = HashTable::with_capacity(self.len());
            for n in self.graph.node_indices() {
                // Where an id is repeated (a dataset `check` rejects), the
                // last unit has it.
                let id = &self.nodes.unit(n).id;
                let same = |m: &NodeIndex| self.nodes.unit(*m).id == *id;
                let rehash = |m: &NodeIndex| id_hash(&self.nodes.unit(*m).id);
                match table.entry(id_hash(id), same, rehash) {
                    hashbrown::hash_table::Entry::Occupied(mut o) => *o.get_mut() = n,
                    hashbrown::hash_table::Entry::Vacant(v) => {
                        v.insert(n);
                    }
                }
            }
            table
        });
        by_id
            .find(id_hash(id), |&n| self.nodes.unit(n).id == id)
            .copied()
    }

    /// Adds a node under `parent`; what it is, the caller keeps.
    fn add(&mut self, parent: Option<NodeIndex>) -> NodeIndex {
        let ix = self.graph.add_node(());
        match parent {
            Some(p) => {
                self.graph.add_edge(p, ix, ());
            }
            None => self.roots.push(ix),
        }
        ix
    }

    fn with_capacity(units: usize) -> OrgState {
        OrgState {
            graph: DiGraph::with_capacity(units, units),
            nodes: Nodes::default(),
            by_id: OnceLock::new(),
            roots: Vec::new(),
            common_words: OnceLock::new(),
        }
    }

    /// For each unit of this state (by index), the unit of `before` with
    /// its id.
    pub(crate) fn same_ids_in(&self, before: &OrgState) -> Vec<Option<UnitIx>> {
        self.graph
            .node_indices()
            .map(|n| before.find(&self.nodes.unit(n).id))
            .collect()
    }
}

fn id_hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = FxHasher::default();
    id.hash(&mut hasher);
    hasher.finish()
}

/// An index as kept: no dataset has 2^32 snapshots or units.
fn index(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 2^32")
}

/// For each unit of a complete snapshot (in the order written), the unit
/// of the complete snapshot before it with its id: the state before is
/// then that snapshot's tree, its nodes in the order written, so these are
/// the pairs of the two states by id, found without laying either. `ids`
/// is the number of ids of the dataset (their keys are below it).
pub(crate) fn align(
    previous: &Observation,
    snapshot: &Observation,
    ids: usize,
) -> Vec<Option<UnitIx>> {
    debug_assert!(snapshot.is_complete());
    let position = UnitsByKey::of(previous, ids);
    snapshot
        .entries()
        .iter()
        .map(|e| position.get(e.key))
        .collect()
}

/// The units of a complete snapshot's state by the number of their id:
/// the state's nodes are the snapshot's units in the order written.
#[derive(Debug, Clone)]
pub(crate) struct UnitsByKey(Vec<u32>);

impl UnitsByKey {
    const NONE: u32 = u32::MAX;

    /// The table of a complete snapshot; `ids` as for [`align`].
    pub(crate) fn of(snapshot: &Observation, ids: usize) -> UnitsByKey {
        debug_assert!(snapshot.is_complete());
        let mut position = vec![UnitsByKey::NONE; ids];
        // As in a state, a repeated id is the last unit's.
        for (q, e) in snapshot.entries().iter().enumerate() {
            position[e.key as usize] = index(q);
        }
        UnitsByKey(position)
    }

    /// The unit whose id has number `key`.
    pub(crate) fn get(&self, key: u32) -> Option<UnitIx> {
        match self.0[key as usize] {
            UnitsByKey::NONE => None,
            q => Some(UnitIx::new(q as usize)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observation::UnitTable;
    use crate::synth;

    /// Pairing complete snapshots unit by unit in advance gives the pairs
    /// that looking every id up in the laid states gives, through renames,
    /// moves, merges, splits, units established and abolished, and every
    /// id changed; and a complete snapshot laid over any state, unit by
    /// unit, is the same state as laid over nothing, and as laid in one
    /// pass.
    #[test]
    fn complete_snapshots_pair_as_their_states_do() {
        let history = synth::history(7, 2_000, &synth::Churn::percent(5.0));
        let mut rekeyed = history.clone();
        rekeyed.rekey(3);
        let roots = [
            history.before.clone(),
            history.after,
            rekeyed.after,
            history.before,
        ];
        let mut table = UnitTable::default();
        let kept: Vec<Observation> = roots
            .into_iter()
            .enumerate()
            .map(|(i, root)| {
                Observation::new(
                    synth::snapshot(&format!("s{i}"), 2000 + i as i32, root),
                    &mut table,
                )
            })
            .collect();
        let mut state = OrgState::default();
        for (i, snapshot) in kept.iter().enumerate() {
            assert!(snapshot.is_complete());
            let next = state.lay(snapshot, i);
            let over = state.lay_over(snapshot, i);
            let alone = OrgState::default().lay_over(snapshot, i);
            let units = |s: &OrgState| {
                s.preorder()
                    .map(|(ix, depth)| {
                        let place = (s.parent(ix), depth, s.children(ix));
                        let seen = (s.observed_in(ix), s.sub_units_listed_in(ix));
                        (s.unit(ix).clone(), place, seen)
                    })
                    .collect::<Vec<_>>()
            };
            assert!(!next.is_empty());
            assert_eq!(units(&next), units(&over), "{i}");
            assert_eq!(units(&next), units(&alone), "{i}");
            assert_eq!(next.roots(), alone.roots(), "{i}");
            if i > 0 {
                assert_eq!(
                    align(&kept[i - 1], snapshot, table.id_count()),
                    next.same_ids_in(&state),
                    "{i}"
                );
            }
            state = next;
        }
    }
}

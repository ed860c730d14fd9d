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
//! edges, behind the project's own small API.

use std::cell::OnceCell;
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::date::Day;
use crate::model::{Dataset, Snapshot, Unit};

/// A unit as it stands in a state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateUnit {
    pub id: String,
    pub name: String,
    pub acronym: Option<String>,
    pub aliases: Vec<String>,
    pub kind: Option<String>,
    pub description: Option<String>,
    pub note: Option<String>,
    pub sources: Vec<String>,
    /// The id again, shared with the state's index of units by id.
    id_key: Arc<str>,
}

impl StateUnit {
    fn from_unit(unit: &Unit) -> StateUnit {
        StateUnit {
            id: unit.id.clone(),
            name: unit.name.clone(),
            acronym: unit.acronym.clone(),
            aliases: unit.aliases.clone(),
            kind: unit.kind.clone(),
            description: unit.description.clone(),
            note: unit.note.clone(),
            sources: unit.sources.clone(),
            id_key: Arc::from(unit.id.as_str()),
        }
    }

    /// "Name (ACRONYM)", or the name alone.
    pub fn label(&self) -> String {
        crate::model::label(&self.name, self.acronym.as_deref())
    }

    /// Whether `unit`, which has this unit's id, is this unit unchanged.
    fn unchanged_in(&self, unit: &Unit) -> bool {
        debug_assert_eq!(self.id, unit.id);
        self.name == unit.name
            && self.acronym == unit.acronym
            && self.aliases == unit.aliases
            && self.kind == unit.kind
            && self.description == unit.description
            && self.note == unit.note
            && self.sources == unit.sources
    }
}

/// A handle to a unit of one [`OrgState`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitIx(NodeIndex);

impl UnitIx {
    /// A number below the state's `len()`, for tables indexed by unit.
    pub fn index(self) -> usize {
        self.0.index()
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
    graph: DiGraph<Arc<StateUnit>, ()>,
    /// Units by id. The key shares the unit's own copy of its id.
    by_id: FxHashMap<Arc<str>, NodeIndex>,
    roots: Vec<NodeIndex>,
    /// The depth of each unit (roots at 0), by node index.
    depth: Vec<usize>,
    /// For each unit, the index (in the dataset's snapshot list) of the
    /// snapshot that last documented it.
    observed_in: Vec<usize>,
}

impl OrgState {
    /// The number of units.
    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    pub fn unit(&self, ix: UnitIx) -> &StateUnit {
        &self.graph[ix.0]
    }

    /// A unit by id.
    pub fn find(&self, id: &str) -> Option<UnitIx> {
        self.by_id.get(id).copied().map(UnitIx)
    }

    pub fn roots(&self) -> Vec<UnitIx> {
        self.roots.iter().copied().map(UnitIx).collect()
    }

    pub fn parent(&self, ix: UnitIx) -> Option<UnitIx> {
        self.graph
            .neighbors_directed(ix.0, Direction::Incoming)
            .next()
            .map(UnitIx)
    }

    /// Sub-units in the order they were written.
    pub fn children(&self, ix: UnitIx) -> Vec<UnitIx> {
        // petgraph lists the newest edge first.
        let mut c: Vec<UnitIx> = self.graph.neighbors(ix.0).map(UnitIx).collect();
        c.reverse();
        c
    }

    /// Every unit with its depth (roots at 0), parents before children:
    /// units are added in that order, so this is the order of the nodes.
    pub fn preorder(&self) -> impl Iterator<Item = (UnitIx, usize)> + '_ {
        self.graph
            .node_indices()
            .map(|n| (UnitIx(n), self.depth[n.index()]))
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
        self.observed_in[ix.index()]
    }

    /// The snapshots whose observations the state holds, in date order.
    pub fn contributions(&self, dataset: &Dataset, day: Day) -> Vec<Contribution> {
        let mut used: Vec<usize> = self.observed_in.clone();
        used.sort_unstable();
        used.dedup();
        used.into_iter()
            .map(|snapshot| Contribution {
                snapshot,
                possibly: dataset.snapshots[snapshot].date.latest() > day,
            })
            .collect()
    }

    fn add(
        &mut self,
        parent: Option<NodeIndex>,
        unit: Arc<StateUnit>,
        observed_in: usize,
    ) -> NodeIndex {
        let id: Arc<str> = Arc::clone(&unit.id_key);
        let ix = self.graph.add_node(unit);
        self.observed_in.push(observed_in);
        self.by_id.insert(id, ix);
        match parent {
            Some(p) => {
                self.graph.add_edge(p, ix, ());
                self.depth.push(self.depth[p.index()] + 1);
            }
            None => {
                self.roots.push(ix);
                self.depth.push(0);
            }
        }
        ix
    }

    /// This state with one more snapshot laid over it.
    pub fn overlay(&self, snapshot: &Snapshot, snapshot_ix: usize) -> OrgState {
        self.overlay_tracked(snapshot, snapshot_ix).0
    }

    /// This state with one more snapshot laid over it, and for each unit of
    /// the new state (by index) the unit of this one that has its id:
    /// laying the snapshot looks every id up, so the pairs come for free.
    pub fn overlay_tracked(
        &self,
        snapshot: &Snapshot,
        snapshot_ix: usize,
    ) -> (OrgState, Vec<Option<UnitIx>>) {
        let mut layer = Layer {
            prev: self,
            snapshot,
            documented: OnceCell::new(),
            snapshot_ix,
            next: OrgState {
                graph: DiGraph::with_capacity(self.len(), self.len()),
                by_id: FxHashMap::with_capacity_and_hasher(self.len(), Default::default()),
                roots: Vec::new(),
                depth: Vec::with_capacity(self.len()),
                observed_in: Vec::with_capacity(self.len()),
            },
            same_id_before: Vec::with_capacity(self.len()),
        };
        match &snapshot.scope {
            None => {
                for root in &snapshot.units {
                    layer.add_documented(None, root);
                }
            }
            Some(scope) => {
                let mut placed = false;
                for root in &self.roots {
                    layer.copy_previous(None, *root, Some((scope, &snapshot.units)), &mut placed);
                }
                if !placed {
                    // An unknown scope (which `check` reports) stands alone.
                    for root in &snapshot.units {
                        layer.add_documented(None, root);
                    }
                }
            }
        }
        (layer.next, layer.same_id_before)
    }
}

/// Building the next state from the previous one and a snapshot.
struct Layer<'a> {
    prev: &'a OrgState,
    snapshot: &'a Snapshot,
    /// The ids the snapshot documents, gathered the first time a unit of
    /// the previous state might be carried over.
    documented: OnceCell<FxHashSet<&'a str>>,
    snapshot_ix: usize,
    next: OrgState,
    /// For each unit of `next`, the unit of `prev` with its id.
    same_id_before: Vec<Option<UnitIx>>,
}

impl<'a> Layer<'a> {
    /// Adds a unit as the snapshot documents it.
    fn add_documented(&mut self, parent: Option<NodeIndex>, unit: &'a Unit) {
        let previous = self.prev.by_id.get(unit.id.as_str()).copied();
        // An unchanged unit shares the previous state's copy (most units
        // are unchanged from one snapshot to the next).
        let content = match previous.map(|p| &self.prev.graph[p]) {
            Some(p) if p.unchanged_in(unit) => Arc::clone(p),
            _ => Arc::new(StateUnit::from_unit(unit)),
        };
        let ix = self.next.add(parent, content, self.snapshot_ix);
        self.same_id_before.push(previous.map(UnitIx));
        if let Some(children) = &unit.units {
            for child in children {
                self.add_documented(Some(ix), child);
            }
        }
        if unit.units.is_none() || unit.partial {
            if let Some(p) = previous {
                for child in self.prev.children(UnitIx(p)) {
                    let mut unused = false;
                    self.copy_previous(Some(ix), child.0, None, &mut unused);
                }
            }
        }
    }

    /// Carries a unit of the previous state (and its subtree) over, unless
    /// the snapshot documents it; the scope's subtree is replaced by the
    /// snapshot's.
    fn copy_previous(
        &mut self,
        parent: Option<NodeIndex>,
        node: NodeIndex,
        scope: Option<(&String, &'a [Unit])>,
        placed: &mut bool,
    ) {
        let unit = &self.prev.graph[node];
        if let Some((scope_id, roots)) = scope {
            if &unit.id == scope_id {
                *placed = true;
                for root in roots {
                    self.add_documented(parent, root);
                }
                return;
            }
        }
        let documented = self
            .documented
            .get_or_init(|| self.snapshot.all_units().map(|u| u.id.as_str()).collect());
        if documented.contains(unit.id.as_str()) {
            return;
        }
        let ix = self.next.add(
            parent,
            Arc::clone(unit),
            self.prev.observed_in[node.index()],
        );
        self.same_id_before.push(Some(UnitIx(node)));
        for child in self.prev.children(UnitIx(node)) {
            self.copy_previous(Some(ix), child.0, scope, placed);
        }
    }
}

/// The organization after each snapshot of a dataset, assembled once when
/// the dataset is put together: every command reads states, and each is
/// laid over the one before, so they are laid in one pass.
#[derive(Debug, Clone)]
pub struct Layers {
    /// `states[n]`: the organization once the first `n` snapshots are
    /// laid; `states[0]` is empty.
    states: Vec<OrgState>,
    /// `same_id_before[n][u]`: for unit `u` of `states[n + 1]`, the unit
    /// of `states[n]` with its id.
    same_id_before: Vec<Vec<Option<UnitIx>>>,
}

impl Layers {
    /// Lays the snapshots, in the order given, one over the other.
    pub fn assemble(snapshots: &[Snapshot]) -> Layers {
        let mut states = Vec::with_capacity(snapshots.len() + 1);
        states.push(OrgState::default());
        let mut same_id_before = Vec::with_capacity(snapshots.len());
        for (i, snapshot) in snapshots.iter().enumerate() {
            let (next, pairs) = states[i].overlay_tracked(snapshot, i);
            states.push(next);
            same_id_before.push(pairs);
        }
        Layers {
            states,
            same_id_before,
        }
    }
}

impl Dataset {
    /// The indices of the snapshots in force at a day (earliest day on or
    /// before it), in the order they are laid.
    pub fn snapshots_until(&self, day: Day) -> impl Iterator<Item = usize> + '_ {
        (0..self.snapshots.len()).take_while(move |&i| self.snapshots[i].date.earliest() <= day)
    }

    /// The organization once the first `n` snapshots are laid.
    pub fn state_after(&self, n: usize) -> &OrgState {
        &self.layers().states[n]
    }

    /// For each unit of `state_after(n + 1)`, the unit of `state_after(n)`
    /// with its id.
    pub fn same_id_before(&self, n: usize) -> &[Option<UnitIx>] {
        &self.layers().same_id_before[n]
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

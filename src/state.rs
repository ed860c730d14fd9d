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
//! edges, behind the project's own small API. A dataset lays its snapshots
//! once, when it is put together, and keeps the state after each
//! ([`Layers`]).

use std::cell::OnceCell;
use std::sync::{Arc, OnceLock};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::date::Day;
use crate::model::{Confidence, Dataset, Snapshot, Unit};

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
    /// How sure the data author is of its presence and place.
    pub confidence: Confidence,
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
            confidence: unit.confidence,
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
        let this = Content {
            name: &self.name,
            acronym: &self.acronym,
            aliases: &self.aliases,
            kind: &self.kind,
            description: &self.description,
            note: &self.note,
            sources: &self.sources,
            confidence: self.confidence,
        };
        this == Content::of(unit)
    }
}

/// What a unit says of itself, but for its id and sub-units: two units
/// with the same id and the same content are the same unit unchanged.
#[derive(PartialEq)]
struct Content<'a> {
    name: &'a String,
    acronym: &'a Option<String>,
    aliases: &'a [String],
    kind: &'a Option<String>,
    description: &'a Option<String>,
    note: &'a Option<String>,
    sources: &'a [String],
    confidence: Confidence,
}

impl Content<'_> {
    fn of(unit: &Unit) -> Content<'_> {
        Content {
            name: &unit.name,
            acronym: &unit.acronym,
            aliases: &unit.aliases,
            kind: &unit.kind,
            description: &unit.description,
            note: &unit.note,
            sources: &unit.sources,
            confidence: unit.confidence,
        }
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
    /// Units by id, gathered the first time a unit is looked up: laying a
    /// snapshot over a state seldom needs it. The key shares the unit's own
    /// copy of its id.
    by_id: OnceLock<FxHashMap<Arc<str>, NodeIndex>>,
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
        self.node_of(id).map(UnitIx)
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

    fn node_of(&self, id: &str) -> Option<NodeIndex> {
        let by_id = self.by_id.get_or_init(|| {
            // Where an id is repeated (a dataset `check` rejects), the
            // last unit has it.
            self.graph
                .node_indices()
                .map(|n| (Arc::clone(&self.graph[n].id_key), n))
                .collect()
        });
        by_id.get(id).copied()
    }

    fn add(
        &mut self,
        parent: Option<NodeIndex>,
        unit: Arc<StateUnit>,
        observed_in: usize,
    ) -> NodeIndex {
        let ix = self.graph.add_node(unit);
        self.observed_in.push(observed_in);
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
        self.overlay_tracked(snapshot, snapshot_ix, None).0
    }

    /// This state with one more snapshot laid over it, and for each unit of
    /// the new state (by index) the unit of this one that has its id:
    /// laying the snapshot looks every id up (unless `aligned` already
    /// paired the snapshot's units with this state's), so the pairs come
    /// for free.
    fn overlay_tracked(
        &self,
        snapshot: &Snapshot,
        snapshot_ix: usize,
        aligned: Option<&[Option<Previous>]>,
    ) -> (OrgState, Vec<Option<UnitIx>>) {
        let mut layer = Layer {
            prev: self,
            snapshot,
            aligned,
            documented: OnceCell::new(),
            snapshot_ix,
            next: OrgState {
                graph: DiGraph::with_capacity(self.len(), self.len()),
                by_id: OnceLock::new(),
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
    /// For each unit of the snapshot, in the order written, the unit of
    /// `prev` with its id, when already known.
    aligned: Option<&'a [Option<Previous>]>,
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
        let (previous, unchanged) = match self.aligned {
            // Units are added in the order they are written.
            Some(aligned) => match aligned[self.next.len()] {
                Some(Previous { node, unchanged }) => {
                    (Some(NodeIndex::new(node as usize)), unchanged)
                }
                None => (None, false),
            },
            None => {
                let previous = self.prev.node_of(&unit.id);
                let unchanged = previous.is_some_and(|p| self.prev.graph[p].unchanged_in(unit));
                (previous, unchanged)
            }
        };
        // An unchanged unit shares the previous state's copy (most units
        // are unchanged from one snapshot to the next).
        let content = match previous {
            Some(p) if unchanged => Arc::clone(&self.prev.graph[p]),
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
        // Pairing units by id is most of the work, and it can be done for
        // all snapshots at once (on all cores) where a snapshot replaces
        // the whole organization: the state before it is then the
        // previous snapshot's tree.
        let indices: Vec<usize> = (0..snapshots.len()).collect();
        let alignments = crate::parallel::map(&indices, crate::parallel::DEFAULT_STACK, |&i| {
            i.checked_sub(1)
                .and_then(|previous| align(&snapshots[previous], &snapshots[i]))
        });
        let mut states = Vec::with_capacity(snapshots.len() + 1);
        states.push(OrgState::default());
        let mut same_id_before = Vec::with_capacity(snapshots.len());
        for (i, snapshot) in snapshots.iter().enumerate() {
            let (next, pairs) = states[i].overlay_tracked(snapshot, i, alignments[i].as_deref());
            states.push(next);
            same_id_before.push(pairs);
        }
        Layers {
            states,
            same_id_before,
        }
    }
}

/// A unit of the state before a snapshot with the id of one of the
/// snapshot's units.
#[derive(Debug, Clone, Copy)]
struct Previous {
    /// Its node in the state before.
    node: u32,
    /// The snapshot documents it unchanged.
    unchanged: bool,
}

/// Whether laying a snapshot makes a state of it alone: it documents the
/// whole organization and every unit's sub-units.
fn complete(snapshot: &Snapshot) -> bool {
    snapshot.scope.is_none()
        && snapshot
            .all_units()
            .all(|u| u.units.is_some() && !u.partial)
}

/// For each unit of `snapshot` (in the order written), the unit of
/// `previous` with its id, when both are [`complete`]: the state before
/// `snapshot` is then `previous`'s tree, its nodes in the order written.
///
/// Units mostly keep their place from one snapshot to the next, so each is
/// looked for first where the last one found was (shifted by as many units
/// as came or went before it), and only then by id.
fn align(previous: &Snapshot, snapshot: &Snapshot) -> Option<Vec<Option<Previous>>> {
    if !complete(previous) || !complete(snapshot) {
        return None;
    }
    let before: Vec<&Unit> = previous.all_units().collect();
    let by_id: OnceCell<FxHashMap<&str, usize>> = OnceCell::new();
    let mut shift: isize = 0;
    let aligned = snapshot
        .all_units()
        .enumerate()
        .map(|(p, unit)| {
            let guess = p.checked_add_signed(shift).filter(|&q| q < before.len());
            let found = match guess {
                Some(q) if before[q].id == unit.id => Some(q),
                _ => by_id
                    .get_or_init(|| {
                        before
                            .iter()
                            .enumerate()
                            .map(|(q, u)| (u.id.as_str(), q))
                            .collect()
                    })
                    .get(unit.id.as_str())
                    .copied(),
            };
            found.map(|q| {
                shift = q as isize - p as isize;
                Previous {
                    node: u32::try_from(q).expect("fewer than 2^32 units"),
                    unchanged: Content::of(before[q]) == Content::of(unit),
                }
            })
        })
        .collect();
    Some(aligned)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth;

    /// Laying whole snapshots with their units paired in advance gives the
    /// states that looking every id up gives: the same units in the same
    /// places, the same copies shared, the same pairs, through renames,
    /// moves, merges, splits, units established and abolished, and every
    /// id changed.
    #[test]
    fn snapshots_paired_in_advance_are_laid_as_if_looked_up() {
        let history = synth::history(7, 2_000, &synth::Churn::percent(5.0));
        let mut rekeyed = history.clone();
        rekeyed.rekey(3);
        let roots = [
            history.before.clone(),
            history.after,
            rekeyed.after,
            history.before,
        ];
        let snapshots: Vec<Snapshot> = roots
            .into_iter()
            .enumerate()
            .map(|(i, root)| synth::snapshot(&format!("s{i}"), 2000 + i as i32, root))
            .collect();
        let layers = Layers::assemble(&snapshots);
        let mut state = OrgState::default();
        for (i, snapshot) in snapshots.iter().enumerate() {
            if i > 0 {
                assert!(align(&snapshots[i - 1], snapshot).is_some(), "{i}");
            }
            let (next, pairs) = state.overlay_tracked(snapshot, i, None);
            let assembled = &layers.states[i + 1];
            assert_eq!(pairs, layers.same_id_before[i], "{i}");
            // Each unit as it stands, and whether it shares the copy of
            // the state it was laid over.
            let units = |s: &OrgState, before: &OrgState| {
                s.preorder()
                    .map(|(ix, depth)| {
                        let shared = pairs[ix.index()]
                            .is_some_and(|p| std::ptr::eq(s.unit(ix), before.unit(p)));
                        (
                            s.unit(ix).clone(),
                            s.parent(ix),
                            depth,
                            s.observed_in(ix),
                            shared,
                        )
                    })
                    .collect::<Vec<_>>()
            };
            let (expected, found) = (units(&next, &state), units(assembled, &layers.states[i]));
            assert_eq!(expected.len(), found.len(), "{i}");
            let first_difference = expected.iter().zip(&found).position(|(e, f)| e != f);
            assert_eq!(first_difference, None, "snapshot {i}");
            state = next;
        }
    }
}

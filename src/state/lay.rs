//! Laying a snapshot over a state: a complete snapshot makes its state
//! in one pass over its units; any other is laid unit by unit, carrying
//! over what the state before had and the snapshot does not document
//! (the rules are those the parent module states).

use std::sync::{Arc, OnceLock};

use petgraph::graph::NodeIndex;
use rustc_hash::FxHashSet;

use super::{index, Documented, Laid, Nodes, OrgState, StateUnit, UnitIx, NEVER};
use crate::model::Snapshot;
use crate::observation::{Observation, SubUnits, UnitTable};

impl OrgState {
    /// This state with one more snapshot, as written, laid over it.
    pub fn overlay(&self, snapshot: &Snapshot, snapshot_ix: usize) -> OrgState {
        let kept = Observation::new(snapshot.clone(), &mut UnitTable::default());
        self.lay(&kept, snapshot_ix)
    }

    /// This state with one more snapshot laid over it (`snapshot_ix` is
    /// its index in the dataset's list).
    pub fn lay(&self, snapshot: &Observation, snapshot_ix: usize) -> OrgState {
        if snapshot.is_complete() {
            OrgState::tree_of(snapshot, snapshot_ix)
        } else {
            self.lay_over(snapshot, snapshot_ix)
        }
    }

    /// The state a complete snapshot makes by itself, in one pass over its
    /// units in the order written: each is under the last unit before it
    /// one level up. The units are the snapshot's own, shared.
    fn tree_of(snapshot: &Observation, snapshot_ix: usize) -> OrgState {
        let mut state = OrgState::with_capacity(snapshot.unit_count());
        // The units on the way down to the one being added.
        let mut open: Vec<NodeIndex> = Vec::new();
        for entry in snapshot.entries() {
            open.truncate(entry.depth as usize);
            let parent = open.last().copied();
            open.push(state.add(parent));
        }
        state.nodes = Nodes::Snapshot {
            entries: snapshot.shared_entries(),
            snapshot: index(snapshot_ix),
        };
        state
    }

    /// This state with a snapshot laid over it, unit by unit.
    pub(super) fn lay_over(&self, snapshot: &Observation, snapshot_ix: usize) -> OrgState {
        let capacity = self.len().max(snapshot.unit_count());
        let mut layer = Layer {
            prev: self,
            snapshot,
            documented: OnceLock::new(),
            snapshot_ix: index(snapshot_ix),
            next: OrgState::with_capacity(capacity),
            laid: Laid::with_capacity(capacity),
        };
        match &snapshot.scope {
            None => {
                for root in snapshot.roots() {
                    layer.add_documented(None, root);
                }
            }
            Some(scope) => {
                let mut placed = false;
                for root in &self.roots {
                    layer.copy_previous(None, *root, Some(scope), &mut placed);
                }
                if !placed {
                    // An unknown scope (which `check` reports) stands alone.
                    for root in snapshot.roots() {
                        layer.add_documented(None, root);
                    }
                }
            }
        }
        layer.next.nodes = Nodes::Laid(layer.laid);
        layer.next
    }
}

/// Building the next state from the previous one and a snapshot.
struct Layer<'a> {
    prev: &'a OrgState,
    snapshot: &'a Observation,
    /// The ids the snapshot documents, gathered the first time a unit of
    /// the previous state might be carried over.
    documented: OnceLock<FxHashSet<&'a str>>,
    snapshot_ix: u32,
    next: OrgState,
    /// What the nodes of `next` are.
    laid: Laid,
}

impl<'a> Layer<'a> {
    /// Adds a unit to the next state.
    fn add(
        &mut self,
        parent: Option<NodeIndex>,
        unit: &Arc<StateUnit>,
        documented: Documented,
    ) -> NodeIndex {
        self.laid.push(unit, parent, documented);
        self.next.add(parent)
    }

    /// Adds a unit (entry `i` of the snapshot) as the snapshot documents it.
    fn add_documented(&mut self, parent: Option<NodeIndex>, i: usize) {
        let entry = &self.snapshot.entries()[i];
        // The unit as it was is needed only for what the snapshot does not
        // list (as a complete snapshot lists everything).
        let listed = entry.sub_units == SubUnits::Listed;
        let before = (!listed)
            .then(|| self.prev.node_of(&entry.unit.id))
            .flatten();
        let sub_units = match before {
            _ if listed => self.snapshot_ix,
            Some(p) => self.prev.nodes.documented(p).sub_units,
            None => NEVER,
        };
        let documented = Documented {
            unit: self.snapshot_ix,
            sub_units,
        };
        let ix = self.add(parent, &entry.unit, documented);
        for child in self.snapshot.children(i) {
            self.add_documented(Some(ix), child);
        }
        if let Some(p) = before {
            for child in self.prev.children(UnitIx::of(p)) {
                let mut unused = false;
                self.copy_previous(Some(ix), child.node(), None, &mut unused);
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
        scope: Option<&String>,
        placed: &mut bool,
    ) {
        let unit = self.prev.nodes.unit(node);
        if scope.is_some_and(|s| *s == unit.id) {
            *placed = true;
            for root in self.snapshot.roots() {
                self.add_documented(parent, root);
            }
            return;
        }
        let documented = self
            .documented
            .get_or_init(|| self.snapshot.all_units().map(|u| u.id.as_str()).collect());
        if documented.contains(unit.id.as_str()) {
            return;
        }
        let ix = self.add(parent, unit, self.prev.nodes.documented(node));
        for child in self.prev.children(UnitIx::of(node)) {
            self.copy_previous(Some(ix), child.node(), scope, placed);
        }
    }
}

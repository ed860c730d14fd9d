//! Keeping a snapshot, first step: its written tree flattened into the
//! list of units in the order written, and each unit's description
//! hashed, ready to be shared through the dataset's [`UnitTable`].

use std::sync::{Arc, PoisonError, RwLock};

use super::{Entry, Observation, StateUnit, SubUnits, UnitTable, WrittenUnit};
use crate::model::Snapshot;

/// A written unit, its sub-units taken out: its description, depth,
/// what it says of its sub-units, and the index past its subtree.
pub(crate) type Flat<'a> = (WrittenUnit<'a>, u32, SubUnits, u32);

/// The units of a tree in preorder.
pub(crate) fn flatten(roots: Vec<WrittenUnit<'_>>) -> Vec<Flat<'_>> {
    let mut out: Vec<Flat> = Vec::new();
    // Iterators over the sub-units being walked, each with the index of
    // their parent's entry.
    let mut stack: Vec<(std::vec::IntoIter<WrittenUnit>, Option<usize>)> =
        vec![(roots.into_iter(), None)];
    while let Some((level, parent)) = stack.last_mut() {
        let Some(mut unit) = level.next() else {
            if let Some(p) = *parent {
                out[p].3 = index(out.len());
            }
            stack.pop();
            continue;
        };
        let sub_units = match (&unit.units, unit.partial) {
            (None, _) => SubUnits::Inherited,
            (Some(_), false) => SubUnits::Listed,
            (Some(_), true) => SubUnits::Partial,
        };
        let children = unit.units.take();
        let depth = index(stack.len() - 1);
        out.push((unit, depth, sub_units, 0));
        let me = out.len() - 1;
        match children {
            Some(children) if !children.is_empty() => stack.push((children.into_iter(), Some(me))),
            _ => out[me].3 = index(out.len()),
        }
    }
    out
}

/// An index or depth as kept: no snapshot has 2^32 units.
fn index(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 2^32 units")
}

/// A snapshot's units flattened and their descriptions hashed: the part
/// of keeping it that needs no shared table, so that it can run on any
/// thread; [`Prepared::keep`] then shares the descriptions.
pub(crate) struct Prepared<'a> {
    /// The snapshot, its `units` left empty.
    snapshot: Snapshot,
    flat: Vec<Flat<'a>>,
    hashes: Vec<u64>,
}

impl<'a> Prepared<'a> {
    /// `snapshot`'s units are `units`.
    pub(crate) fn new(snapshot: Snapshot, units: Vec<WrittenUnit<'a>>) -> Prepared<'a> {
        let flat = flatten(units);
        let hashes = flat
            .iter()
            .map(|(unit, ..)| unit.view().fx_hash())
            .collect();
        Prepared {
            snapshot,
            flat,
            hashes,
        }
    }

    /// The units, in the order written.
    pub(crate) fn units(&self) -> &[Flat<'a>] {
        &self.flat
    }

    pub(crate) fn id(&self) -> &str {
        &self.snapshot.id
    }

    pub(crate) fn title(&self) -> &str {
        &self.snapshot.title
    }

    pub(crate) fn scope(&self) -> Option<&String> {
        self.snapshot.scope.as_ref()
    }

    /// The snapshot, its units' descriptions shared through `units`.
    pub(crate) fn keep(self, units: &mut UnitTable) -> Observation {
        let mut kept = units.kept(&self.flat, &self.hashes);
        units.add_missing(&self.flat, &self.hashes, &mut kept);
        self.with(kept)
    }

    /// The snapshot, its units' descriptions shared through a table that
    /// other threads share too. Most descriptions are in the table already
    /// (a unit seldom changes from one snapshot to the next): they are
    /// looked up with the table shared, so that threads look up at once;
    /// only the new ones wait for the table alone.
    pub(crate) fn keep_shared(self, units: &RwLock<UnitTable>) -> Observation {
        let mut kept = units
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .kept(&self.flat, &self.hashes);
        if kept.iter().any(Option::is_none) {
            units
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .add_missing(&self.flat, &self.hashes, &mut kept);
        }
        self.with(kept)
    }

    /// The snapshot, each unit's description the one `kept` has for it.
    fn with(self, kept: Vec<Option<(Arc<StateUnit>, u32)>>) -> Observation {
        let entries = (self.flat.iter().zip(kept))
            .map(|((_, depth, sub_units, end), kept)| {
                let (unit, key) = kept.expect("every description is kept");
                Entry {
                    unit,
                    key,
                    depth: *depth,
                    end: *end,
                    sub_units: *sub_units,
                }
            })
            .collect();
        Observation::with_entries(self.snapshot, entries)
    }
}

//! The dataset's table of unit descriptions: each distinct description
//! kept once, and each distinct id numbered.

use std::sync::Arc;

use hashbrown::HashTable;

use super::{fx_hash_str, Flat, StateUnit, WrittenUnit};

/// Every distinct unit description of a dataset, kept once, and every
/// distinct id, numbered from 0 in the order first seen: comparing
/// snapshots by id is then indexing a list, not hashing strings.
#[derive(Default)]
pub(crate) struct UnitTable {
    /// Each description with the number of its id.
    table: HashTable<(Arc<StateUnit>, u32)>,
    /// The numbers of the ids, each found through `first_with[number]`.
    ids: HashTable<u32>,
    /// For each id number, the first description with that id.
    first_with: Vec<Arc<StateUnit>>,
}

impl UnitTable {
    /// The table's copy of the description of each flattened unit, with
    /// the number of its id, where it holds one already. `hashes` are the
    /// descriptions' hashes, computed by the caller (perhaps on another
    /// thread). It takes the table shared: several threads may look up at
    /// once.
    pub(super) fn kept(&self, flat: &[Flat], hashes: &[u64]) -> Vec<Option<(Arc<StateUnit>, u32)>> {
        (flat.iter().zip(hashes))
            .map(|((unit, ..), &hash)| self.find(unit, hash))
            .collect()
    }

    /// Adds the descriptions that `kept` (from [`UnitTable::kept`]) lacks,
    /// and fills them in.
    pub(super) fn add_missing(
        &mut self,
        flat: &[Flat],
        hashes: &[u64],
        kept: &mut [Option<(Arc<StateUnit>, u32)>],
    ) {
        for (((unit, ..), &hash), slot) in flat.iter().zip(hashes).zip(kept) {
            if slot.is_none() {
                // Another thread, or an earlier unit, may have added it.
                *slot = Some(self.find(unit, hash).unwrap_or_else(|| {
                    let kept = Arc::new(unit.to_state_unit());
                    let key = self.add(Arc::clone(&kept), hash);
                    (kept, key)
                }));
            }
        }
    }

    /// The table's copy of a description, if it holds one, and the number
    /// of its id.
    fn find(&self, unit: &WrittenUnit, hash: u64) -> Option<(Arc<StateUnit>, u32)> {
        let view = unit.view();
        let (kept, key) = self.table.find(hash, |(u, _)| u.view() == view)?;
        Some((Arc::clone(kept), *key))
    }

    /// Adds a description known to be new; gives the number of its id.
    fn add(&mut self, unit: Arc<StateUnit>, hash: u64) -> u32 {
        let id_hash = fx_hash_str(&unit.id);
        let first_with = &self.first_with;
        let key = match self
            .ids
            .find(id_hash, |&k| first_with[k as usize].id == unit.id)
        {
            Some(&key) => key,
            None => {
                let key = u32::try_from(self.first_with.len()).expect("fewer than 2^32 ids");
                self.first_with.push(Arc::clone(&unit));
                let first_with = &self.first_with;
                self.ids
                    .insert_unique(id_hash, key, |&k| fx_hash_str(&first_with[k as usize].id));
                key
            }
        };
        self.table
            .insert_unique(hash, (unit, key), |(u, _)| u.view().fx_hash());
        key
    }

    /// How many distinct ids it has numbered.
    #[cfg(test)]
    pub(crate) fn id_count(&self) -> usize {
        self.first_with.len()
    }

    /// How many distinct descriptions it holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }
}

//! The dataset's table of unit descriptions: each distinct description
//! kept once, and each distinct id numbered.

use std::sync::Arc;

use hashbrown::HashTable;

use super::{fx_hash_str, Entry, Flat, StateUnit, WrittenUnit};

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
    /// The entries of flattened units, each description replaced by the
    /// table's copy (added when new). `hashes` are the descriptions'
    /// hashes, computed by the caller (perhaps on
    /// another thread).
    pub(super) fn share(&mut self, flat: &[Flat], hashes: &[u64]) -> Vec<Entry> {
        flat.iter()
            .zip(hashes)
            .map(|((unit, depth, sub_units, end), &hash)| {
                let (unit, key) = self.intern(unit, hash);
                Entry {
                    unit,
                    key,
                    depth: *depth,
                    end: *end,
                    sub_units: *sub_units,
                }
            })
            .collect()
    }

    /// The table's copy of a description, added when new, and the number
    /// of its id.
    fn intern(&mut self, unit: &WrittenUnit, hash: u64) -> (Arc<StateUnit>, u32) {
        let view = unit.view();
        if let Some((kept, key)) = self.table.find(hash, |(u, _)| u.view() == view) {
            return (Arc::clone(kept), *key);
        }
        let kept = Arc::new(unit.to_state_unit());
        let key = self.add(Arc::clone(&kept), hash);
        (kept, key)
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

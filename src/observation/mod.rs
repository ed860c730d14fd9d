//! Snapshots as a dataset keeps them: each one's units as one flat list in
//! the order written (a tree's preorder, each unit with its depth), and
//! each unit's description ([`StateUnit`]) shared by every snapshot and
//! state that has it unchanged.
//!
//! A national history repeats most of its units from one year to the
//! next; kept once, they take a fraction of the memory the written tree
//! would, and a unit that did not change is the very same value in both
//! years, so comparing two units by identity is a pointer comparison.

mod prepare;
mod table;

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rustc_hash::FxHasher;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::model::{Confidence, Snapshot, Unit};
pub(crate) use prepare::{Flat, Prepared};
pub(crate) use table::UnitTable;

/// A unit as it stands in a snapshot or a state: everything a snapshot
/// says of it but its sub-units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateUnit {
    /// Its id in that state.
    pub id: String,
    /// Its name in that state.
    pub name: String,
    /// Its acronym, if it has one.
    pub acronym: Option<String>,
    /// Other names and spellings seen in sources.
    pub aliases: Vec<String>,
    /// Its kind (office, division...), if given.
    pub kind: Option<String>,
    /// Its functions, in the data author's words.
    pub description: Option<String>,
    /// Caveats, in the data author's words.
    pub note: Option<String>,
    /// Keys of the sources that show it.
    pub sources: Vec<String>,
    /// How sure the data author is of its presence and place.
    pub confidence: Confidence,
}

impl StateUnit {
    /// "Name (ACRONYM)", or the name alone.
    pub fn label(&self) -> String {
        crate::model::label(&self.name, self.acronym.as_deref())
    }

    fn view(&self) -> View<'_> {
        View {
            id: &self.id,
            name: &self.name,
            acronym: self.acronym.as_deref(),
            aliases: Strs::Kept(&self.aliases),
            kind: self.kind.as_deref(),
            description: self.description.as_deref(),
            note: self.note.as_deref(),
            sources: Strs::Kept(&self.sources),
            confidence: self.confidence,
        }
    }
}

/// A unit as a snapshot file writes it, its text borrowed from the file
/// where it can be (a string without escapes), so that reading a unit
/// already kept allocates nothing.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename = "Unit", deny_unknown_fields)]
pub(crate) struct WrittenUnit<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    #[serde(default, borrow)]
    pub acronym: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub aliases: Vec<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub kind: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub description: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub note: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub sources: Vec<Cow<'a, str>>,
    #[serde(default)]
    pub confidence: Confidence,
    #[serde(default)]
    pub partial: bool,
    #[serde(default, borrow)]
    pub units: Option<Vec<WrittenUnit<'a>>>,
}

impl<'a> WrittenUnit<'a> {
    /// A unit of a snapshot built in memory, borrowed.
    pub(crate) fn of(unit: &'a Unit) -> WrittenUnit<'a> {
        let strs = |v: &'a [String]| v.iter().map(|s| Cow::Borrowed(s.as_str())).collect();
        let opt = |o: &'a Option<String>| o.as_deref().map(Cow::Borrowed);
        WrittenUnit {
            id: Cow::Borrowed(&unit.id),
            name: Cow::Borrowed(&unit.name),
            acronym: opt(&unit.acronym),
            aliases: strs(&unit.aliases),
            kind: opt(&unit.kind),
            description: opt(&unit.description),
            note: opt(&unit.note),
            sources: strs(&unit.sources),
            confidence: unit.confidence,
            partial: unit.partial,
            units: unit
                .units
                .as_ref()
                .map(|c| c.iter().map(WrittenUnit::of).collect()),
        }
    }

    fn view(&self) -> View<'_> {
        View {
            id: &self.id,
            name: &self.name,
            acronym: self.acronym.as_deref(),
            aliases: Strs::Written(&self.aliases),
            kind: self.kind.as_deref(),
            description: self.description.as_deref(),
            note: self.note.as_deref(),
            sources: Strs::Written(&self.sources),
            confidence: self.confidence,
        }
    }

    fn to_state_unit(&self) -> StateUnit {
        let strs = |v: &[Cow<str>]| v.iter().map(std::string::ToString::to_string).collect();
        let opt = |o: &Option<Cow<str>>| o.as_ref().map(std::string::ToString::to_string);
        StateUnit {
            id: self.id.to_string(),
            name: self.name.to_string(),
            acronym: opt(&self.acronym),
            aliases: strs(&self.aliases),
            kind: opt(&self.kind),
            description: opt(&self.description),
            note: opt(&self.note),
            sources: strs(&self.sources),
            confidence: self.confidence,
        }
    }
}

/// A unit's description, kept or as written, for comparing and hashing
/// the two alike.
#[derive(Hash, PartialEq)]
struct View<'a> {
    id: &'a str,
    name: &'a str,
    acronym: Option<&'a str>,
    aliases: Strs<'a>,
    kind: Option<&'a str>,
    description: Option<&'a str>,
    note: Option<&'a str>,
    sources: Strs<'a>,
    confidence: Confidence,
}

impl View<'_> {
    fn fx_hash(&self) -> u64 {
        let mut hasher = FxHasher::default();
        self.hash(&mut hasher);
        hasher.finish()
    }
}

/// A list of strings, kept or as written.
enum Strs<'a> {
    Kept(&'a [String]),
    Written(&'a [Cow<'a, str>]),
}

impl Strs<'_> {
    fn iter(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        match self {
            Strs::Kept(v) => Box::new(v.iter().map(String::as_str)),
            Strs::Written(v) => Box::new(v.iter().map(|s| &**s)),
        }
    }

    fn len(&self) -> usize {
        match self {
            Strs::Kept(v) => v.len(),
            Strs::Written(v) => v.len(),
        }
    }
}

impl Hash for Strs<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len());
        for s in self.iter() {
            s.hash(state);
        }
    }
}

impl PartialEq for Strs<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// What a snapshot says of a unit's sub-units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum SubUnits {
    /// Nothing (no `units`): those of the previous state carry on.
    Inherited,
    /// All of them.
    Listed,
    /// Some of them (`partial: true`): the previous state's others carry on.
    Partial,
}

/// One unit of a snapshot's flat list.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub unit: Arc<StateUnit>,
    /// The number of its id among the dataset's ids (see
    /// [`UnitTable`]): entries with the same id have the same number.
    pub key: u32,
    /// Roots are at depth 0.
    pub depth: u32,
    /// The index just past its subtree: its descendants are the entries
    /// between it and there.
    pub end: u32,
    pub sub_units: SubUnits,
}

/// A snapshot as a dataset keeps it: its fields as written, and its units
/// in the order written, each shared with the other snapshots that show it
/// unchanged (see [`Observation::all_units`]; [`Observation::to_snapshot`]
/// gives the tree back).
#[derive(Debug, Clone)]
pub struct Observation {
    /// Its id, unique in the dataset.
    pub id: String,
    /// The date it shows the organization at.
    pub date: Date,
    /// Its title.
    pub title: String,
    /// The unit whose subtree it documents; `None` for the whole
    /// organization.
    pub scope: Option<String>,
    /// The keys of the sources it rests on (see `sources.ron`).
    pub sources: Vec<String>,
    /// A note on it, as written.
    pub note: Option<String>,
    /// The file it was read from, as shown in messages.
    pub file: String,
    /// Shared with the state a complete snapshot makes.
    units: Arc<Vec<Entry>>,
    /// See [`Observation::is_complete`].
    complete: bool,
}

impl Observation {
    /// A snapshot kept with its units shared through `units`.
    pub(crate) fn new(mut snapshot: Snapshot, units: &mut UnitTable) -> Observation {
        let tree = std::mem::take(&mut snapshot.units);
        let written = tree.iter().map(WrittenUnit::of).collect();
        Prepared::new(snapshot, written).keep(units)
    }

    /// A snapshot (its `units` aside) whose units are already kept, as
    /// `units` (read back from a cache).
    pub(crate) fn with_entries(snapshot: Snapshot, units: Vec<Entry>) -> Observation {
        Observation {
            complete: completes(snapshot.scope.as_ref(), &units),
            id: snapshot.id,
            date: snapshot.date,
            title: snapshot.title,
            scope: snapshot.scope,
            sources: snapshot.sources,
            note: snapshot.note,
            file: snapshot.file,
            units: Arc::new(units),
        }
    }

    /// The snapshot as written: its units as a tree again.
    pub fn to_snapshot(&self) -> Snapshot {
        let unit = |i: usize| {
            let e = &self.units[i];
            let u = &*e.unit;
            Unit {
                id: u.id.clone(),
                name: u.name.clone(),
                acronym: u.acronym.clone(),
                aliases: u.aliases.clone(),
                kind: u.kind.clone(),
                description: u.description.clone(),
                note: u.note.clone(),
                sources: u.sources.clone(),
                confidence: u.confidence,
                partial: e.sub_units == SubUnits::Partial,
                units: (e.sub_units != SubUnits::Inherited).then(Vec::new),
            }
        };
        // Built from the last unit back, so that each unit's children are
        // complete when it is reached.
        let mut built: Vec<Option<Unit>> = (0..self.units.len()).map(|i| Some(unit(i))).collect();
        for i in (0..self.units.len()).rev() {
            let children: Vec<Unit> = self
                .children(i)
                .map(|c| built[c].take().expect("a child is taken once"))
                .collect();
            if let Some(Some(list)) = built[i].as_mut().map(|u| u.units.as_mut()) {
                *list = children;
            }
        }
        Snapshot {
            id: self.id.clone(),
            date: self.date.clone(),
            title: self.title.clone(),
            scope: self.scope.clone(),
            sources: self.sources.clone(),
            note: self.note.clone(),
            units: self
                .roots()
                .map(|r| built[r].take().expect("a root is taken once"))
                .collect(),
            file: self.file.clone(),
        }
    }

    /// Every unit it documents, in the order written.
    pub fn all_units(&self) -> impl Iterator<Item = &StateUnit> {
        self.units.iter().map(|e| &*e.unit)
    }

    /// How many units it documents.
    pub fn unit_count(&self) -> usize {
        self.units.len()
    }

    /// Its units, in the order written.
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.units
    }

    /// Its units, shared.
    pub(crate) fn shared_entries(&self) -> Arc<Vec<Entry>> {
        Arc::clone(&self.units)
    }

    /// The entries of its top-level units.
    pub(crate) fn roots(&self) -> Subtrees<'_> {
        Subtrees {
            entries: &self.units,
            at: 0,
            end: self.units.len(),
        }
    }

    /// The entries of the children of entry `i`.
    pub(crate) fn children(&self, i: usize) -> Subtrees<'_> {
        Subtrees {
            entries: &self.units,
            at: i + 1,
            end: self.units[i].end as usize,
        }
    }

    /// Whether laying it makes a state of it alone: it documents the
    /// whole organization and every unit's sub-units in full.
    pub fn is_complete(&self) -> bool {
        self.complete
    }
}

fn completes(scope: Option<&String>, units: &[Entry]) -> bool {
    scope.is_none() && units.iter().all(|e| e.sub_units == SubUnits::Listed)
}

/// The entries at one level of a subtree, each followed by its own
/// descendants, which the iterator skips.
pub(crate) struct Subtrees<'a> {
    entries: &'a [Entry],
    at: usize,
    end: usize,
}

impl Iterator for Subtrees<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        (self.at < self.end).then(|| {
            let i = self.at;
            self.at = self.entries[i].end as usize;
            i
        })
    }
}

fn fx_hash_str(s: &str) -> u64 {
    let mut hasher = FxHasher::default();
    s.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, units: Option<Vec<Unit>>) -> Unit {
        Unit {
            id: id.to_string(),
            name: id.to_uppercase(),
            acronym: None,
            aliases: Vec::new(),
            kind: None,
            description: None,
            note: None,
            sources: Vec::new(),
            confidence: Confidence::High,
            partial: false,
            units,
        }
    }

    fn snapshot(units: Vec<Unit>) -> Snapshot {
        Snapshot {
            id: "s".into(),
            date: Date::parse("2000").unwrap(),
            title: "t".into(),
            scope: None,
            sources: Vec::new(),
            note: None,
            units,
            file: "s.ron".into(),
        }
    }

    #[test]
    fn units_are_kept_in_preorder_with_their_subtrees() {
        let tree = vec![
            unit("a", Some(vec![unit("b", Some(vec![])), unit("c", None)])),
            unit("d", Some(vec![])),
        ];
        let mut table = UnitTable::default();
        let kept = Observation::new(snapshot(tree), &mut table);
        let ids: Vec<&str> = kept.all_units().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "d"]);
        let depths: Vec<u32> = kept.entries().iter().map(|e| e.depth).collect();
        assert_eq!(depths, [0, 1, 1, 0]);
        assert_eq!(kept.roots().collect::<Vec<_>>(), [0, 3]);
        assert_eq!(kept.children(0).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(kept.children(1).count(), 0);
        assert!(!kept.is_complete(), "`c` inherits its sub-units");
    }

    #[test]
    fn a_unit_described_alike_twice_is_kept_once() {
        let mut table = UnitTable::default();
        let first = Observation::new(snapshot(vec![unit("a", Some(vec![]))]), &mut table);
        let mut renamed = unit("a", Some(vec![]));
        renamed.name = "Other".into();
        let again = Observation::new(snapshot(vec![unit("a", None)]), &mut table);
        let changed = Observation::new(snapshot(vec![renamed]), &mut table);
        assert!(Arc::ptr_eq(
            &first.entries()[0].unit,
            &again.entries()[0].unit
        ));
        assert!(!Arc::ptr_eq(
            &first.entries()[0].unit,
            &changed.entries()[0].unit
        ));
        assert_eq!(table.len(), 2);
    }
}

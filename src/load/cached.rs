//! A dataset as the cache keeps it (`Content::Dataset`, see `cache.rs`):
//! each distinct unit description once, the snapshots as lists of indices.
//!
//! The body is the dataset's description ([`Stored`]), then each
//! snapshot's units in a section of its own (`StoredSnapshot::bytes`
//! long): the sections are read on all cores, each straight into the
//! snapshot's entries.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cache::{Content, Slot};
use crate::dataset::Dataset;
use crate::date::Date;
use crate::model::{ChangeKind, Confidence, Event, Snapshot, Source};
use crate::observation::{Entry, Observation, StateUnit, SubUnits};

/// The dataset the slot holds, its files' paths under `dir`, if it holds
/// one and it is sound.
pub(super) fn read(slot: &Slot, dir: &Path) -> Option<Dataset> {
    let body = slot.read(Content::Dataset)?;
    let (stored, sections): (Stored<(StateUnit, u32), String, Source>, _) =
        postcard::take_from_bytes(&body).ok()?;
    stored.into_dataset(sections, dir)
}

/// Keeps a dataset in its slot.
pub(super) fn write(slot: &Slot, dataset: &Dataset) {
    let (stored, sections) = Stored::of(dataset);
    if let Ok(mut body) = postcard::to_allocvec(&stored) {
        body.extend(sections.concat());
        slot.write(Content::Dataset, &body);
    }
}

/// What a unit of a snapshot is kept as: its description (an index into
/// [`Stored::units`]), its depth, the size of its subtree (itself
/// included) and what the snapshot says of its sub-units.
type StoredEntry = (u32, u32, u32, SubUnits);

/// A dataset as the cache keeps it: each distinct unit description once
/// with the number of its id (`U`), the snapshots' units as indices into
/// that list, and dates as they are written (`D`). Files are kept by name, and put back in the
/// directory the dataset is read from. Written from borrowed values, read
/// back into owned ones.
#[derive(Serialize, Deserialize)]
struct Stored<U, D, S> {
    units: Vec<U>,
    snapshots: Vec<StoredSnapshot<D>>,
    events: Vec<StoredEvent<D>>,
    sources: Vec<S>,
}

#[derive(Serialize, Deserialize)]
struct StoredSnapshot<D> {
    id: D,
    date: Date,
    title: D,
    scope: Option<D>,
    sources: Vec<D>,
    note: Option<D>,
    file: String,
    /// How many units it has.
    units: u32,
    /// The length of the section of its units.
    bytes: u32,
}

#[derive(Serialize, Deserialize)]
struct StoredEvent<D> {
    date: Date,
    /// By name: the kinds a diff reports but an event cannot have are
    /// not read back, so their place in the list is not the same.
    kind: D,
    from: Vec<D>,
    to: Vec<D>,
    external: Option<D>,
    note: Option<D>,
    sources: Vec<D>,
    confidence: Confidence,
    file: String,
    line: usize,
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

impl<'d> Stored<(&'d StateUnit, u32), &'d str, &'d Source> {
    /// A dataset as kept, and the sections of its snapshots' units.
    fn of(dataset: &'d Dataset) -> (Self, Vec<Vec<u8>>) {
        let mut index: rustc_hash::FxHashMap<*const StateUnit, u32> = Default::default();
        let mut units = Vec::new();
        let mut sections = Vec::new();
        let snapshots = dataset
            .snapshots()
            .iter()
            .map(|s| {
                let mut section = Vec::new();
                for (i, e) in s.entries().iter().enumerate() {
                    let next = u32::try_from(units.len()).expect("fewer than 2^32 units");
                    let unit = *index.entry(Arc::as_ptr(&e.unit)).or_insert_with(|| {
                        units.push((&*e.unit, e.key));
                        next
                    });
                    let entry: StoredEntry = (unit, e.depth, e.end - i as u32, e.sub_units);
                    section = postcard::to_extend(&entry, section).expect("a vector grows");
                }
                let count = |n: usize| u32::try_from(n).expect("fewer than 2^32");
                let kept = StoredSnapshot {
                    id: s.id.as_str(),
                    date: s.date.clone(),
                    title: s.title.as_str(),
                    scope: s.scope.as_deref(),
                    sources: s.sources.iter().map(String::as_str).collect(),
                    note: s.note.as_deref(),
                    file: file_name(&s.file),
                    units: count(s.unit_count()),
                    bytes: count(section.len()),
                };
                sections.push(section);
                kept
            })
            .collect();
        let strs = |v: &'d [String]| v.iter().map(String::as_str).collect();
        let events = dataset
            .events
            .iter()
            .map(|e| StoredEvent {
                date: e.date.clone(),
                kind: e.kind.name(),
                from: strs(&e.from),
                to: strs(&e.to),
                external: e.external.as_deref(),
                note: e.note.as_deref(),
                sources: strs(&e.sources),
                confidence: e.confidence,
                file: file_name(&e.file),
                line: e.line,
            })
            .collect();
        let stored = Stored {
            units,
            snapshots,
            events,
            sources: dataset.sources.values().collect(),
        };
        (stored, sections)
    }
}

impl Stored<(StateUnit, u32), String, Source> {
    /// The dataset, its files in `dir`; `None` if anything is amiss.
    ///
    /// The numbers of the ids are read back as they were kept rather than
    /// given again, which would hash every description: a dataset has no
    /// more ids than descriptions, so a number past those is damage.
    fn into_dataset(self, sections: &[u8], dir: &Path) -> Option<Dataset> {
        let count = self.units.len();
        let units: Vec<(Arc<StateUnit>, u32)> = self
            .units
            .into_iter()
            .map(|(unit, key)| ((key as usize) < count).then(|| (Arc::new(unit), key)))
            .collect::<Option<_>>()?;
        let path = |name: &str| dir.join(name).display().to_string();
        let snapshots = with_sections(self.snapshots, sections)?
            .into_par_iter()
            .map(|(s, section)| {
                let entries = entries(section, s.units as usize, &units)?;
                let snapshot = Snapshot {
                    id: s.id,
                    date: s.date,
                    title: s.title,
                    scope: s.scope,
                    sources: s.sources,
                    note: s.note,
                    units: Vec::new(),
                    file: path(&s.file),
                };
                Some(Observation::with_entries(snapshot, entries))
            })
            .collect::<Option<Vec<Observation>>>()?;
        let events = self
            .events
            .into_iter()
            .map(|e| {
                Some(Event {
                    date: e.date,
                    kind: ChangeKind::from_name(&e.kind)?,
                    from: e.from,
                    to: e.to,
                    external: e.external,
                    note: e.note,
                    sources: e.sources,
                    confidence: e.confidence,
                    file: path(&e.file),
                    line: e.line,
                })
            })
            .collect::<Option<Vec<Event>>>()?;
        let sources = self
            .sources
            .into_iter()
            .map(|s| (s.key.clone(), s))
            .collect();
        Some(Dataset::of_observations(
            snapshots,
            events,
            sources,
            dir.display().to_string(),
        ))
    }
}

/// Each snapshot with its section of `sections`; `None` if they are not
/// the sections of these snapshots.
fn with_sections<D>(
    snapshots: Vec<StoredSnapshot<D>>,
    sections: &[u8],
) -> Option<Vec<(StoredSnapshot<D>, &[u8])>> {
    let mut rest = sections;
    let mut sectioned = Vec::with_capacity(snapshots.len());
    for s in snapshots {
        let (section, after) = rest.split_at_checked(s.bytes as usize)?;
        sectioned.push((s, section));
        rest = after;
    }
    rest.is_empty().then_some(sectioned)
}

/// The `count` units of a snapshot's section, each with its description
/// and id number from `units`; `None` if the section does not hold them.
fn entries(section: &[u8], count: usize, units: &[(Arc<StateUnit>, u32)]) -> Option<Vec<Entry>> {
    // A unit takes at least four bytes.
    if count > section.len() / 4 {
        return None;
    }
    let mut entries = Vec::with_capacity(count);
    let mut rest = section;
    for i in 0..count {
        let ((unit, depth, size, sub_units), after) =
            postcard::take_from_bytes::<StoredEntry>(rest).ok()?;
        rest = after;
        let (unit, key) = units.get(unit as usize)?;
        entries.push(Entry {
            unit: Arc::clone(unit),
            key: *key,
            depth,
            end: (i as u32).checked_add(size)?,
            sub_units,
        });
    }
    rest.is_empty().then_some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded dataset, kept and read back from a cache file in
    /// `snapshots/` (where its files' paths point).
    #[test]
    fn a_dataset_reads_back_as_it_was_kept() {
        let dataset = crate::load::load(None).expect("the embedded dataset loads");
        let dir = tempfile::tempdir().unwrap();
        let slot = Slot::in_dir(dir.path(), 42);
        write(&slot, &dataset);
        let back = read(&slot, Path::new("snapshots")).expect("the cache holds it");
        let written = |d: &Dataset| {
            d.snapshots()
                .iter()
                .map(Observation::to_snapshot)
                .collect::<Vec<_>>()
        };
        let keys = |d: &Dataset| {
            d.snapshots()
                .iter()
                .flat_map(|s| s.entries().iter().map(|e| e.key))
                .collect::<Vec<_>>()
        };
        assert!(!dataset.snapshots().is_empty());
        assert_eq!(written(&back), written(&dataset));
        assert_eq!(keys(&back), keys(&dataset));
        assert_eq!(back.events, dataset.events);
        assert_eq!(back.sources, dataset.sources);
        assert!(read(&Slot::in_dir(dir.path(), 43), Path::new("snapshots")).is_none());
    }
}

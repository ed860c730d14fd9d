//! A cache of parsed datasets, so that a command on a large dataset does
//! not parse its RON files again.
//!
//! Where: one file per dataset directory in the user's cache directory
//! (`$XDG_CACHE_HOME/reorg/datasets/` or `~/.cache/reorg/datasets/` on
//! Linux, `~/Library/Caches/reorg/datasets/` on macOS,
//! `%LOCALAPPDATA%\reorg\datasets\` on Windows), or under
//! `$REORG_CACHE_DIR` when it is set. Setting `REORG_NO_CACHE` (to any
//! value but the empty one) turns the cache off. Nothing is ever written
//! in the dataset's directory, so a read-only dataset works as any other.
//!
//! Never stale: the cache is keyed by the names and contents of the
//! dataset's files ([`Key`]), read in full each time (hashing them costs
//! a fraction of parsing them); a dataset that changed, in any byte, is
//! parsed again and its cache replaced. Never trusted blindly: a cache
//! file carries a checksum of its body and is written under a temporary
//! name, then renamed; one that is damaged, truncated, or written by
//! another version of reorg is ignored and rewritten. Only datasets read
//! without problems are kept. The embedded dataset is not cached: it is
//! small, and parsed in a few milliseconds.

use std::hash::Hasher as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use crate::dataset::Dataset;
use crate::date::Date;
use crate::model::{ChangeKind, Confidence, Event, Snapshot, Source};
use crate::observation::{Entry, Observation, StateUnit, SubUnits};

/// The environment variable that moves the cache.
pub(crate) const DIR_VARIABLE: &str = "REORG_CACHE_DIR";
/// The environment variable that turns the cache off.
pub(crate) const OFF_VARIABLE: &str = "REORG_NO_CACHE";

/// How many datasets the cache keeps; the least recently written go first.
const KEPT: usize = 16;

/// What a cache file starts with; the version of the layout follows.
const MAGIC: &[u8; 8] = b"reorg\0ds";

/// The cache of one dataset directory.
pub(crate) struct Cache {
    /// Its file.
    path: PathBuf,
}

/// The names and contents of a dataset's files, hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key(u128);

impl Key {
    /// The key of these files (sorted by name), each read in full, on all
    /// cores.
    pub(crate) fn of(paths: &[PathBuf]) -> std::io::Result<Key> {
        let hashes: Vec<u128> = paths
            .par_iter()
            .map(|p| content_hash(p))
            .collect::<std::io::Result<_>>()?;
        let mut all = Xxh3::new();
        all.update(env!("CARGO_PKG_VERSION").as_bytes());
        for (path, hash) in paths.iter().zip(hashes) {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            all.update(&(name.len() as u64).to_le_bytes());
            all.update(name.as_bytes());
            all.update(&hash.to_le_bytes());
        }
        Ok(Key(all.digest128()))
    }
}

fn content_hash(path: &Path) -> std::io::Result<u128> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Xxh3::new();
    let mut buffer = vec![0; 256 * 1024];
    loop {
        match file.read(&mut buffer)? {
            0 => return Ok(hasher.digest128()),
            n => hasher.update(&buffer[..n]),
        }
    }
}

impl Cache {
    /// The cache of a dataset directory, unless the cache is turned off or
    /// there is no cache directory.
    pub(crate) fn for_dataset(dir: &Path) -> Option<Cache> {
        if std::env::var_os(OFF_VARIABLE).is_some_and(|v| !v.is_empty()) {
            return None;
        }
        let root = match std::env::var_os(DIR_VARIABLE) {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => dirs::cache_dir()?.join("reorg"),
        };
        let dataset = std::fs::canonicalize(dir).ok()?;
        let mut hasher = Xxh3::new();
        hasher.write(dataset.as_os_str().as_encoded_bytes());
        let name = format!("{:016x}.bin", hasher.finish());
        Some(Cache {
            path: root.join("datasets").join(name),
        })
    }

    /// The dataset the cache holds for `key`, its files' paths under
    /// `dir`, if it holds one and it is sound.
    pub(crate) fn read(&self, key: &Key, dir: &Path) -> Option<Dataset> {
        let bytes = std::fs::read(&self.path).ok()?;
        let body = checked_body(&bytes, key)?;
        let stored: Stored<(StateUnit, u32), String, Source> = postcard::from_bytes(body).ok()?;
        stored.into_dataset(dir)
    }

    /// Keeps a dataset under `key`. A cache that cannot be written (a
    /// read-only or full disk) is no reason to fail a command: it is
    /// skipped.
    pub(crate) fn write(&self, key: &Key, dataset: &Dataset) {
        let Ok(body) = postcard::to_allocvec(&Stored::of(dataset)) else {
            return;
        };
        let mut bytes = Vec::with_capacity(HEADER + body.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&LAYOUT.to_le_bytes());
        bytes.extend_from_slice(&key.0.to_le_bytes());
        bytes.extend_from_slice(&xxh3_64(&body).to_le_bytes());
        bytes.extend_from_slice(&body);
        if self.replace(&bytes).is_ok() {
            self.forget_old();
        }
    }

    /// Writes the cache file under a temporary name, then renames it: a
    /// reader sees the old file or the new one, never half of one.
    fn replace(&self, bytes: &[u8]) -> std::io::Result<()> {
        let dir = self.path.parent().expect("a cache file is in a directory");
        std::fs::create_dir_all(dir)?;
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let written = std::fs::write(&temporary, bytes)
            .and_then(|()| std::fs::rename(&temporary, &self.path));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        written
    }

    /// Removes the least recently written caches beyond [`KEPT`].
    fn forget_old(&self) {
        let Some(Ok(entries)) = self.path.parent().map(std::fs::read_dir) else {
            return;
        };
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
            .filter_map(std::result::Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".bin"))
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        files.sort();
        let excess = files.len().saturating_sub(KEPT);
        for (_, path) in files.into_iter().take(excess) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The version of the layout below; a change of layout changes it.
const LAYOUT: u32 = 2;

/// Magic, layout, key, checksum.
const HEADER: usize = 8 + 4 + 16 + 8;

/// The body of a cache file, if it is one of this layout, for this key,
/// and undamaged.
fn checked_body<'a>(bytes: &'a [u8], key: &Key) -> Option<&'a [u8]> {
    let (header, body) = bytes.split_at_checked(HEADER)?;
    let (magic, rest) = header.split_at(8);
    let (layout, rest) = rest.split_at(4);
    let (stored_key, checksum) = rest.split_at(16);
    let sound = magic == MAGIC
        && layout == LAYOUT.to_le_bytes()
        && stored_key == key.0.to_le_bytes()
        && checksum == xxh3_64(body).to_le_bytes();
    sound.then_some(body)
}

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
    /// For each unit in the order written: its description, its depth,
    /// the size of its subtree (itself included) and its sub-units.
    units: Vec<(u32, u32, u32, SubUnits)>,
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
    fn of(dataset: &'d Dataset) -> Self {
        let mut index: rustc_hash::FxHashMap<*const StateUnit, u32> = Default::default();
        let mut units = Vec::new();
        let snapshots = dataset
            .snapshots()
            .iter()
            .map(|s| StoredSnapshot {
                id: s.id.as_str(),
                date: s.date.clone(),
                title: s.title.as_str(),
                scope: s.scope.as_deref(),
                sources: s.sources.iter().map(String::as_str).collect(),
                note: s.note.as_deref(),
                file: file_name(&s.file),
                units: s
                    .entries()
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let next = u32::try_from(units.len()).expect("fewer than 2^32 units");
                        let unit = *index.entry(Arc::as_ptr(&e.unit)).or_insert_with(|| {
                            units.push((&*e.unit, e.key));
                            next
                        });
                        (unit, e.depth, e.end - i as u32, e.sub_units)
                    })
                    .collect(),
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
        Stored {
            units,
            snapshots,
            events,
            sources: dataset.sources.values().collect(),
        }
    }
}

impl Stored<(StateUnit, u32), String, Source> {
    /// The dataset, its files in `dir`; `None` if anything is amiss.
    ///
    /// The numbers of the ids are read back as they were kept rather than
    /// given again, which would hash every description: a dataset has no
    /// more ids than descriptions, so a number past those is damage.
    fn into_dataset(self, dir: &Path) -> Option<Dataset> {
        let count = self.units.len();
        let units: Vec<(Arc<StateUnit>, u32)> = self
            .units
            .into_iter()
            .map(|(unit, key)| ((key as usize) < count).then(|| (Arc::new(unit), key)))
            .collect::<Option<_>>()?;
        let path = |name: &str| dir.join(name).display().to_string();
        let snapshots = self
            .snapshots
            .into_iter()
            .map(|s| {
                let entries = s
                    .units
                    .iter()
                    .enumerate()
                    .map(|(i, &(unit, depth, size, sub_units))| {
                        let (unit, key) = units.get(unit as usize)?;
                        Some(Entry {
                            unit: Arc::clone(unit),
                            key: *key,
                            depth,
                            end: (i as u32).checked_add(size)?,
                            sub_units,
                        })
                    })
                    .collect::<Option<Vec<Entry>>>()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded dataset, kept and read back from a cache file in
    /// `snapshots/` (where its files' paths point).
    #[test]
    fn a_dataset_reads_back_as_it_was_kept() {
        let dataset = crate::load::load(None).expect("the embedded dataset loads");
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache {
            path: dir.path().join("datasets").join("test.bin"),
        };
        let key = Key(42);
        cache.write(&key, &dataset);
        let back = cache
            .read(&key, Path::new("snapshots"))
            .expect("the cache holds it");
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
        assert!(cache.read(&Key(43), Path::new("snapshots")).is_none());
    }
}

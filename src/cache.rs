//! A cache of what is read and derived from a dataset, so that a command
//! on a large dataset neither parses its RON files again nor matches its
//! history again.
//!
//! Where: files per dataset directory in the user's cache directory
//! (`$XDG_CACHE_HOME/reorg/datasets/` or `~/.cache/reorg/datasets/` on
//! Linux, `~/Library/Caches/reorg/datasets/` on macOS,
//! `%LOCALAPPDATA%\reorg\datasets\` on Windows), or under
//! `$REORG_CACHE_DIR` when it is set. Setting `REORG_NO_CACHE` (to any
//! value but the empty one) turns the cache off. Nothing is ever written
//! in the dataset's directory, so a read-only dataset works as any other.
//! A dataset has two files: the dataset as read ([`Content::Dataset`],
//! `load/cached.rs`) and the links of its history as matched
//! ([`Content::Links`], `diff/cached.rs`).
//!
//! Never stale: each file is kept under a key made of the names and
//! contents of the dataset's files ([`Key`]), read in full each time
//! (hashing them costs a fraction of parsing them), and a version of what
//! it holds: the layout of the file, and for the links a fingerprint of
//! the sources that derive them (made by `build.rs`), since a change to
//! the matching changes the links of the same files. A dataset that
//! changed, in any byte, or a program that changed, reads and derives
//! again and replaces the file. Never trusted blindly: a file carries a
//! checksum of its body and is written under a temporary name, then
//! renamed; one that is damaged, truncated, or written by another version
//! of reorg is ignored and rewritten. The embedded dataset is not cached:
//! it is small, and parsed in a few milliseconds.

use std::hash::Hasher as _;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

/// The fingerprint of the sources, `SOURCES`.
mod sources {
    include!(concat!(env!("OUT_DIR"), "/sources.rs"));
}

/// The environment variable that moves the cache.
pub(crate) const DIR_VARIABLE: &str = "REORG_CACHE_DIR";
/// The environment variable that turns the cache off.
pub(crate) const OFF_VARIABLE: &str = "REORG_NO_CACHE";

/// How many cache files are kept (two per dataset); the least recently
/// written go first.
const KEPT: usize = 32;

/// A dataset's place in the cache: where its files are, and the key of
/// its files' contents.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    /// The file of its [`Content::Dataset`]; the other is named after it.
    path: PathBuf,
    key: Key,
}

/// The names and contents of a dataset's files, hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key(u128);

/// What a cache file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Content {
    /// The dataset as read from its files.
    Dataset,
    /// Each step of its history as matched.
    Links,
}

impl Content {
    /// What the file starts with.
    fn magic(self) -> &'static [u8; 8] {
        match self {
            Content::Dataset => b"reorg\0ds",
            Content::Links => b"reorg\0ln",
        }
    }

    /// The version of what the file holds: a change of layout changes it,
    /// and for the links, a change of the sources that derive them.
    fn version(self) -> u64 {
        match self {
            Content::Dataset => 3,
            Content::Links => sources::SOURCES,
        }
    }

    /// The file's name, beside the dataset's file.
    fn file_name(self, dataset: &str) -> String {
        match self {
            Content::Dataset => format!("{dataset}.bin"),
            Content::Links => format!("{dataset}.links.bin"),
        }
    }
}

impl Key {
    /// The key of these files (sorted by name), each read in full, on all
    /// cores.
    fn of(paths: &[PathBuf]) -> std::io::Result<Key> {
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

impl Slot {
    /// The place of the dataset in directory `dir` whose files are
    /// `paths`, unless the cache is turned off, there is no cache
    /// directory, or a file cannot be read.
    pub(crate) fn for_dataset(dir: &Path, paths: &[PathBuf]) -> Option<Slot> {
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
        let name = format!("{:016x}", hasher.finish());
        Some(Slot {
            path: root
                .join("datasets")
                .join(Content::Dataset.file_name(&name)),
            key: Key::of(paths).ok()?,
        })
    }

    /// A slot in a directory of the tests' choosing.
    #[cfg(test)]
    pub(crate) fn in_dir(dir: &Path, key: u128) -> Slot {
        Slot {
            path: dir
                .join("datasets")
                .join(Content::Dataset.file_name("test")),
            key: Key(key),
        }
    }

    /// The body of the file of `content`, if there is one of this version,
    /// for this key, and undamaged.
    pub(crate) fn read(&self, content: Content) -> Option<Vec<u8>> {
        let mut bytes = std::fs::read(self.path(content)).ok()?;
        checked_body(&bytes, content, &self.key)?;
        bytes.drain(..HEADER);
        Some(bytes)
    }

    /// Keeps `body` as the file of `content`. A cache that cannot be
    /// written (a read-only or full disk) is no reason to fail a command:
    /// it is skipped.
    pub(crate) fn write(&self, content: Content, body: &[u8]) {
        let mut bytes = Vec::with_capacity(HEADER + body.len());
        bytes.extend_from_slice(content.magic());
        bytes.extend_from_slice(&content.version().to_le_bytes());
        bytes.extend_from_slice(&self.key.0.to_le_bytes());
        bytes.extend_from_slice(&xxh3_64(body).to_le_bytes());
        bytes.extend_from_slice(body);
        if self.replace(&self.path(content), &bytes).is_ok() {
            self.forget_old();
        }
    }

    fn path(&self, content: Content) -> PathBuf {
        let stem = self.path.file_name().unwrap_or_default().to_string_lossy();
        let stem = stem.trim_end_matches(".bin");
        self.path.with_file_name(content.file_name(stem))
    }

    /// Writes a cache file under a temporary name, then renames it: a
    /// reader sees the old file or the new one, never half of one.
    fn replace(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let dir = path.parent().expect("a cache file is in a directory");
        std::fs::create_dir_all(dir)?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let written =
            std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        written
    }

    /// Removes the least recently written cache files beyond [`KEPT`].
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

/// Magic, version, key, checksum.
const HEADER: usize = 8 + 8 + 16 + 8;

/// The body of a cache file, if it is one of `content` in this version,
/// for this key, and undamaged.
fn checked_body<'a>(bytes: &'a [u8], content: Content, key: &Key) -> Option<&'a [u8]> {
    let (header, body) = bytes.split_at_checked(HEADER)?;
    let (magic, rest) = header.split_at(8);
    let (version, rest) = rest.split_at(8);
    let (stored_key, checksum) = rest.split_at(16);
    let sound = magic == content.magic()
        && version == content.version().to_le_bytes()
        && stored_key == key.0.to_le_bytes()
        && checksum == xxh3_64(body).to_le_bytes();
    sound.then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body is read back as written, for its content, version and key
    /// only, and not at all once damaged.
    #[test]
    fn a_body_reads_back_for_its_content_version_and_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let slot = Slot::in_dir(dir.path(), 42);
        slot.write(Content::Links, b"links");
        slot.write(Content::Dataset, b"dataset");
        let read = |content| slot.read(content);
        assert_eq!(read(Content::Links).as_deref(), Some(&b"links"[..]));
        assert_eq!(read(Content::Dataset).as_deref(), Some(&b"dataset"[..]));
        assert_eq!(Slot::in_dir(dir.path(), 43).read(Content::Links), None);
        let path = slot.path(Content::Links);
        let good = std::fs::read(&path).unwrap();
        for (at, what) in [(0, "magic"), (8, "version"), (HEADER, "body")] {
            let mut bytes = good.clone();
            bytes[at] ^= 1;
            std::fs::write(&path, bytes).unwrap();
            assert_eq!(read(Content::Links), None, "{what}");
        }
        assert_eq!(read(Content::Dataset).as_deref(), Some(&b"dataset"[..]));
    }
}

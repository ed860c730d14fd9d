//! Reading a dataset: one RON file per snapshot, `events.ron` and
//! `sources.ron`, from a directory or from the copy embedded in the binary.
//!
//! Reading never stops at the first problem: every file is read, and every
//! problem that can be found without a valid dataset is reported with its
//! file, line and column. These are the problems that make a dataset
//! unusable, so [`load`] refuses a dataset that has any.
//!
//! A directory's dataset, once read without problems, is kept in a cache
//! (`cache`) under a key made of its files' names and contents:
//! the next command reads the cache instead of parsing the files again.
//! The dataset then knows its place in the cache, where the links of its
//! history are kept once matched.

use std::path::{Path, PathBuf};
use std::sync::{OnceLock, RwLock};

use rayon::prelude::*;

use crate::cache::Slot;
use crate::dataset::Dataset;
use crate::diagnostic::{Diagnostic, Rule, SourceFile};
use crate::observation::UnitTable;

mod cached;
mod fast;
mod listing;
mod parse;

use crate::locate::Located;
use parse::Parsed;

/// The ICE/HSI dataset, embedded at build time from `snapshots/`.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_dataset.rs"));
}

/// The name of the file holding curated events.
pub const EVENTS_FILE: &str = "events.ron";
/// The name of the file holding sources.
pub const SOURCES_FILE: &str = "sources.ron";

/// Why a dataset could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The directory could not be read.
    #[error("cannot read dataset directory {path}: {source}")]
    Directory {
        /// The directory.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The dataset has problems; [`crate::check`] lists them.
    #[error("the dataset has {} problem(s); run `reorg check` to list them", .0.len())]
    Invalid(Vec<Diagnostic>),
}

/// The files of the embedded dataset.
pub(crate) fn embedded_files() -> Vec<SourceFile> {
    embedded::FILES
        .iter()
        .map(|(path, text)| SourceFile::new(*path, *text))
        .collect()
}

/// A dataset as read: what could be made of its files, every problem
/// found on the way, and the directory entries it did not read.
pub struct Reading {
    /// What could be read.
    pub dataset: Dataset,
    /// The problems found while reading.
    pub problems: Vec<Diagnostic>,
    /// The names of the directory's entries that are not dataset files
    /// (hidden ones aside).
    pub ignored: Vec<String>,
    /// The files' texts when they are in memory; otherwise they are read
    /// again when a problem must be located.
    files: Vec<SourceFile>,
}

impl Reading {
    /// The text of a dataset file, to locate a problem in it. A reading
    /// does not keep the texts of the files it read from disk (a large
    /// dataset's would double its memory): they are read again.
    pub fn file(&self, path: &str) -> SourceFile {
        match self.files.iter().find(|f| f.path == path) {
            Some(f) => f.clone(),
            None => reread(path),
        }
    }
}

/// Reads a dataset directory, or the embedded dataset when there is none.
pub fn read(dir: Option<&Path>) -> Result<Reading, LoadError> {
    match dir {
        Some(d) => read_dir(d),
        None => Ok(read_files(embedded_files(), "embedded")),
    }
}

/// Reads a dataset directory, from the cache when it holds the dataset as
/// the files are now.
fn read_dir(dir: &Path) -> Result<Reading, LoadError> {
    let listing = listing::list(dir)?;
    let origin = dir.display().to_string();
    let slot = Slot::for_dataset(dir, &listing.paths);
    let cached = slot.as_ref().and_then(|s| cached::read(s, dir));
    let (dataset, problems) = match cached {
        Some(dataset) => (dataset, Vec::new()),
        None => {
            let parsed = parse_in_parallel(&listing.paths, |p| open(p));
            let (dataset, problems) = assemble(parsed, &origin, reread);
            if let (Some(s), true) = (&slot, problems.is_empty()) {
                cached::write(s, &dataset);
            }
            (dataset, problems)
        }
    };
    let mut all = listing.problems;
    all.extend(problems);
    // Only a dataset read without problems keeps what is derived from it.
    let dataset = match slot {
        Some(s) if all.is_empty() => dataset.cached_in(s),
        _ => dataset,
    };
    Ok(Reading {
        dataset,
        problems: all,
        ignored: listing.ignored,
        files: Vec::new(),
    })
}

/// A dataset file's text read again from disk (none when it cannot be).
fn reread(path: &str) -> SourceFile {
    match std::fs::read(path) {
        Ok(bytes) => decode(path.to_string(), bytes).0,
        Err(_) => SourceFile::new(path, ""),
    }
}

/// Reads a dataset from files already in memory.
pub(crate) fn read_files(files: Vec<SourceFile>, origin: &str) -> Reading {
    let parsed = parse_in_parallel(&files, |f| {
        (SourceFile::new(f.path.clone(), without_bom(&f.text)), None)
    });
    let (dataset, problems) = assemble(parsed, origin, |path| {
        files
            .iter()
            .find(|f| f.path == path)
            .cloned()
            .unwrap_or_else(|| SourceFile::new(path, ""))
    });
    Reading {
        dataset,
        problems,
        ignored: Vec::new(),
        files,
    }
}

/// A file read from disk, or the problem that kept it from being read.
fn open(path: &Path) -> Opened {
    let shown = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => decode(shown, bytes),
        Err(e) => {
            let file = SourceFile::new(shown, "");
            let problem =
                Diagnostic::new(Rule::Io, file.whole(), format!("cannot read the file: {e}"))
                    .with_help("check that the file exists and is readable");
            (file, Some(problem))
        }
    }
}

/// A text without the byte-order mark some editors (Notepad among them)
/// put at the start of a UTF-8 file: RON does not accept it, and editors do
/// not count it as a column, so positions stay as the user sees them.
fn without_bom(text: &str) -> &str {
    text.strip_prefix(BOM).unwrap_or(text)
}

const BOM: &str = "\u{feff}";

/// The text of a file read from disk, without a byte-order mark. Bytes
/// that are not UTF-8 are reported where the first one is.
fn decode(path: String, bytes: Vec<u8>) -> Opened {
    SourceFile::from_bytes(path, bytes)
}

/// Loads the embedded dataset, or the directory given; the dataset is
/// returned only when no problem found by reading stops it from being used.
///
/// The problems only `reorg check` finds (unknown scopes and source keys,
/// events that name unknown units or disagree with the snapshots) leave a
/// usable dataset: such an event is never applied, an unknown scope stands
/// alone. They need a pass over the whole history, which every command
/// would pay for, so loading does not look for them.
pub fn load(dir: Option<&Path>) -> Result<Dataset, LoadError> {
    let reading = read(dir)?;
    if reading.problems.is_empty() {
        Ok(reading.dataset)
    } else {
        Err(LoadError::Invalid(reading.problems))
    }
}

/// A file as read, and the problem that kept it from being read, if any.
type Opened = (SourceFile, Option<Diagnostic>);

/// What reading one file gave: its path, what it holds, its problems.
type FileReading = (String, Parsed, Vec<Diagnostic>);

/// The threads that parse: RON parsing recurses on every nesting level,
/// so they have stacks deep enough for the deepest file RON accepts.
fn parsers() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(parse::PARSER_STACK)
            .thread_name(|i| format!("reorg-parser-{i}"))
            .build()
            .expect("the parser threads start")
    })
}

/// Reads and parses every input on all cores (files are independent),
/// with the checks that concern one file only. A file's text is dropped
/// once it is parsed.
fn parse_in_parallel<T: Sync>(
    inputs: &[T],
    open: impl Fn(&T) -> Opened + Sync,
) -> Vec<FileReading> {
    let units = RwLock::new(UnitTable::default());
    parsers().install(|| {
        inputs
            .par_iter()
            .map(|input| match open(input) {
                (file, None) => {
                    let path = file.path.clone();
                    let (parsed, problems) = parse::parse(file, &units);
                    (path, parsed, problems)
                }
                (file, Some(problem)) => (file.path, Parsed::Nothing, vec![problem]),
            })
            .collect()
    })
}

/// Puts the parsed files together into a dataset, with the checks that
/// span files: unique snapshot ids. `text_of` gives a file's text again,
/// to locate a problem.
fn assemble(
    parsed: Vec<FileReading>,
    origin: &str,
    text_of: impl Fn(&str) -> SourceFile,
) -> (Dataset, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut snapshots = Vec::new();
    let mut events = Vec::new();
    let mut sources = std::collections::BTreeMap::new();
    let mut snapshot_files: std::collections::HashMap<String, String> =
        std::collections::HashMap::new();
    for (path, parsed, file_problems) in parsed {
        problems.extend(file_problems);
        match parsed {
            Parsed::Snapshot(s) => {
                if let Some(first) = snapshot_files.insert(s.id.clone(), path.clone()) {
                    problems.push(
                        Diagnostic::new(
                            Rule::DuplicateId,
                            Located::new(text_of(&path)).field(0, "id"),
                            format!("snapshot id `{}` is also used by {first}", s.id),
                        )
                        .with_help("give each snapshot its own id"),
                    );
                }
                snapshots.push(*s);
            }
            Parsed::Events(e) => events.extend(e),
            Parsed::Sources(s) => sources = s,
            Parsed::Nothing => {}
        }
    }
    let dataset = Dataset::of_observations(snapshots, events, sources, origin.to_string());
    (dataset, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MAX_NESTING;

    fn snapshot_file(body: &str) -> SourceFile {
        SourceFile::new("test/s.ron", body)
    }

    #[test]
    fn the_embedded_dataset_loads() {
        let d = load(None).expect("the embedded dataset is valid");
        assert!(d.snapshots().len() >= 9);
        assert!(!d.events.is_empty());
        assert!(d.sources.contains_key("seed003"));
    }

    #[test]
    fn an_unknown_field_is_located() {
        let f = snapshot_file(
            "Snapshot(\n  id: \"a\",\n  date: \"2001\",\n  title: \"t\",\n  units: [Unit(id: \"x\", name: \"X\", parnt: \"y\")],\n)\n",
        );
        let problems = read_files(vec![f], "test").problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].rule, Rule::UnknownField);
        assert_eq!(problems[0].location.line, 5);
    }

    /// A snapshot of units nested `depth` levels deep, one unit a line
    /// from line 2.
    fn nested(depth: usize) -> SourceFile {
        let mut text = String::from("Snapshot(id: \"s\", date: \"2001\", title: \"t\", units: [\n");
        for i in 1..=depth {
            text.push_str(&format!("Unit(id: \"u{i}\", name: \"U\", units: [\n"));
        }
        text.push_str(&"])".repeat(depth));
        text.push_str("])\n");
        snapshot_file(&text)
    }

    #[test]
    fn units_nested_too_deep_are_refused_at_the_first_too_deep_one() {
        let problems = |depth| read_files(vec![nested(depth)], "test").problems;
        assert_eq!(problems(MAX_NESTING), vec![]);
        // Up to almost twice too deep, RON reads the file and the first
        // unit past the limit is pointed at.
        for depth in [MAX_NESTING + 1, 2 * MAX_NESTING - 1] {
            let found = problems(depth);
            assert_eq!(found.len(), 1, "{found:?}");
            assert_eq!(found[0].rule, Rule::TooDeep);
            let at = &found[0].location;
            assert_eq!((at.line, at.column), (MAX_NESTING + 2, 10), "{found:?}");
        }
        // Deeper, RON stops where its limit is reached.
        let found = problems(100 * MAX_NESTING);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, Rule::TooDeep);
        assert!(found[0].location.line > MAX_NESTING, "{found:?}");
    }

    #[test]
    fn every_bad_date_is_reported() {
        let events = SourceFile::new(
            "d/events.ron",
            "[\n Event(date: \"2010-13\", kind: abolished, from: [\"a\"], confidence: high),\n Event(date: \"20x0\", kind: established, to: [\"b\"], confidence: low),\n]\n",
        );
        let problems = read_files(vec![events], "test").problems;
        let lines: Vec<usize> = problems.iter().map(|p| p.location.line).collect();
        assert_eq!(lines, vec![2, 3]);
        assert!(problems.iter().all(|p| p.rule == Rule::BadDate));
    }

    #[test]
    fn events_are_located_past_commented_out_ones() {
        let events = SourceFile::new(
            "d/events.ron",
            "[\n // Event(date: \"2010-13\", kind: abolished, from: [\"a\"], confidence: high),\n /* Event(date: \"2010-13\") */\n Event(kind: abolished, date: \"2010-13\", from: [\"a\"], confidence: high),\n Event(date: \"2011\", kind: abolished, from: [\"b\"], confidence: high),\n]\n",
        );
        let reading = read_files(vec![events], "test");
        let lines: Vec<usize> = reading.problems.iter().map(|p| p.location.line).collect();
        assert_eq!(lines, vec![4]);
        assert_eq!(reading.problems[0].location.column, 31);
        assert_eq!(reading.dataset.events[0].line, 5);
    }
}

//! Reading a dataset: one RON file per snapshot, `events.ron` and
//! `sources.ron`, from a directory or from the copy embedded in the binary.
//!
//! Reading never stops at the first problem: every file is read, and every
//! problem that can be found without a valid dataset is reported with its
//! file, line and column. These are the problems that make a dataset
//! unusable, so [`load`] refuses a dataset that has any.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::date::{Date, DATE_HELP};
use crate::diagnostic::{Diagnostic, Rule, SourceFile};
use crate::model::{ChangeKind, Confidence, Dataset, Event, Snapshot, Source, Unit, MAX_NESTING};

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
    #[error("cannot read dataset directory {path}: {source}")]
    Directory {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the dataset has {} problem(s); run `reorg check` to list them", .0.len())]
    Invalid(Vec<Diagnostic>),
}

/// The files of the embedded dataset.
pub fn embedded_files() -> Vec<SourceFile> {
    embedded::FILES
        .iter()
        .map(|(path, text)| SourceFile::new(*path, *text))
        .collect()
}

/// A dataset as read: its files (for locating problems), what could be
/// made of them, and every problem found on the way.
pub struct Reading {
    pub files: Vec<SourceFile>,
    pub dataset: Dataset,
    pub problems: Vec<Diagnostic>,
}

/// The `*.ron` files of a dataset directory, sorted by name.
fn dataset_paths(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Directory {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ron") && p.is_file())
        .collect();
    paths.sort();
    Ok(paths)
}

/// Reads a dataset directory, or the embedded dataset when there is none.
pub fn read(dir: Option<&Path>) -> Result<Reading, LoadError> {
    Ok(match dir {
        Some(d) => {
            let paths = dataset_paths(d)?;
            let parsed = parse_in_parallel(&paths, |p| {
                let path = p.display().to_string();
                match std::fs::read(p) {
                    Ok(bytes) => decode(path, bytes),
                    Err(e) => {
                        let file = SourceFile::new(path, "");
                        let problem = Diagnostic::new(
                            Rule::Io,
                            file.whole(),
                            format!("cannot read the file: {e}"),
                        )
                        .with_help("check that the file exists and is readable");
                        (file, Some(problem))
                    }
                }
            });
            assemble(parsed, &d.display().to_string())
        }
        None => read_files(embedded_files(), "embedded"),
    })
}

/// Reads a dataset from files already in memory.
pub fn read_files(files: Vec<SourceFile>, origin: &str) -> Reading {
    let parsed = parse_in_parallel(&files, |f| {
        (SourceFile::new(f.path.clone(), without_bom(&f.text)), None)
    });
    assemble(parsed, origin)
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

// ---------------------------------------------------------------------------
// The file format, as serde reads it. Dates stay text here so that every bad
// date can be reported, not just the first of a file.

#[derive(Deserialize)]
#[serde(rename = "Snapshot", deny_unknown_fields)]
struct SnapshotFile {
    id: String,
    date: String,
    title: String,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    note: Option<String>,
    units: Vec<Unit>,
}

#[derive(Deserialize)]
#[serde(rename = "Event", deny_unknown_fields)]
struct EventFile {
    date: String,
    kind: ChangeKind,
    #[serde(default)]
    from: Vec<String>,
    #[serde(default)]
    to: Vec<String>,
    #[serde(default)]
    external: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    confidence: Confidence,
}

#[derive(Deserialize)]
#[serde(rename = "Source", deny_unknown_fields)]
struct SourceEntry {
    key: String,
    title: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    accessed: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// How many RON nesting levels one level of units takes: the list's
/// element, the `Unit(...)` struct, its `units` field, the implicit `Some`
/// and the list.
const RON_LEVELS_PER_UNIT: usize = 5;

/// How deep RON may nest. Parsing recurses on every level, so without a
/// limit a hostile file overflows the stack; past this one RON stops with
/// an error instead. It leaves room for units nested almost twice as deep
/// as allowed, so that a file somewhat too deep is still read and its first
/// too-deep unit pointed at.
const RECURSION_LIMIT: usize = 2 * RON_LEVELS_PER_UNIT * MAX_NESTING;

/// The stack of a parser thread: 16 KiB a RON level, about three times
/// what an unoptimized build uses (optimized builds use far less). Only the
/// pages a parse touches are ever committed.
const PARSER_STACK: usize = 16 * 1024 * RECURSION_LIMIT;

fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(RECURSION_LIMIT)
}

/// Turns a RON error into a diagnostic pointing at its span.
fn ron_diagnostic(file: &SourceFile, err: &ron::error::SpannedError) -> Diagnostic {
    let (start, end) = (err.span.start, err.span.end);
    let width = if start.line == end.line && end.col > start.col {
        end.col - start.col
    } else {
        1
    };
    let location = file.location_at_line(start.line, start.col, width);
    if let ron::Error::ExceededRecursionLimit = err.code {
        // RON's own message is advice for programmers.
        return Diagnostic::new(
            Rule::TooDeep,
            location,
            "units are nested too deeply here to be read",
        )
        .with_help(nesting_help());
    }
    let (rule, help) = match &err.code {
        ron::Error::NoSuchStructField { expected, .. } => (
            Rule::UnknownField,
            format!("remove it, or use one of: {}", expected.join(", ")),
        ),
        ron::Error::MissingStructField { field, .. } => (
            Rule::MissingField,
            format!("add `{field}: ...` to this entry"),
        ),
        _ => (
            Rule::Syntax,
            "check the brackets, commas and quotes around this point".to_string(),
        ),
    };
    Diagnostic::new(rule, location, ron_message(&err.code)).with_help(help)
}

/// RON's message, in the user's terms: a field that takes one of a few
/// words (a kind, a confidence) is not a Rust enum to them.
fn ron_message(code: &ron::Error) -> String {
    match code {
        ron::Error::NoSuchEnumVariant {
            expected, found, ..
        } => {
            let words: Vec<String> = expected.iter().map(|w| format!("`{w}`")).collect();
            format!(
                "`{found}` is not a value of this field, which takes one of {}",
                words.join(", ")
            )
        }
        _ => code.to_string(),
    }
}

fn nesting_help() -> String {
    format!(
        "units may nest at most {MAX_NESTING} levels deep (a root unit is level 1); \
         attach the deepest units to units nearer the root"
    )
}

fn parse_date(
    file: &SourceFile,
    at: Option<usize>,
    text: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Date> {
    match Date::parse(text) {
        Ok(d) => Some(d),
        Err(e) => {
            let location = file.location_of_value(at, text);
            problems.push(
                Diagnostic::new(Rule::BadDate, location, format!("bad date: {e}"))
                    .with_help(DATE_HELP),
            );
            None
        }
    }
}

/// What one file holds.
enum Parsed {
    Snapshot(Box<Snapshot>),
    Events(Vec<Event>),
    Sources(Vec<Source>),
    Nothing,
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn parse_one(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let parsed = match file_name(&file.path) {
        EVENTS_FILE => parse_events(file, &mut problems).map(Parsed::Events),
        SOURCES_FILE => parse_sources(file, &mut problems).map(Parsed::Sources),
        _ => parse_snapshot(file, &mut problems).map(|s| Parsed::Snapshot(Box::new(s))),
    };
    (parsed.unwrap_or(Parsed::Nothing), problems)
}

fn parse_snapshot(file: &SourceFile, problems: &mut Vec<Diagnostic>) -> Option<Snapshot> {
    let raw: SnapshotFile = match ron_options().from_str(&file.text) {
        Ok(r) => r,
        Err(e) => {
            problems.push(ron_diagnostic(file, &e));
            return None;
        }
    };
    let at = file.find_field(0, "date", &raw.date, 0);
    let date = parse_date(file, at, &raw.date, problems)?;
    Some(Snapshot {
        id: raw.id,
        date,
        title: raw.title,
        scope: raw.scope,
        sources: raw.sources,
        note: raw.note,
        units: raw.units,
        file: file.path.clone(),
    })
}

fn parse_events(file: &SourceFile, problems: &mut Vec<Diagnostic>) -> Option<Vec<Event>> {
    let raw: Vec<EventFile> = match ron_options().from_str(&file.text) {
        Ok(r) => r,
        Err(e) => {
            problems.push(ron_diagnostic(file, &e));
            return None;
        }
    };
    let mut events = Vec::with_capacity(raw.len());
    let mut cursor = 0;
    for e in raw {
        // Events are written in order, so each one's date is the first
        // `date:` with its value after the previous one's.
        let at = file.find_field(cursor, "date", &e.date, 0);
        cursor = at.map_or(cursor, |o| o + 1);
        let line = at.map_or(0, |o| file.line_at(o));
        if !fits_its_kind(&e) {
            problems.push(
                Diagnostic::new(
                    Rule::EventShape,
                    file.location_of_value(at, &e.date),
                    format!(
                        "a `{}` event names {} unit(s) in `from` and {} in `to`",
                        e.kind,
                        e.from.len(),
                        e.to.len()
                    ),
                )
                .with_help(shape_help(e.kind)),
            );
        }
        if let Some(date) = parse_date(file, at, &e.date, problems) {
            events.push(Event {
                date,
                kind: e.kind,
                from: e.from,
                to: e.to,
                external: e.external,
                note: e.note,
                sources: e.sources,
                confidence: e.confidence,
                file: file.path.clone(),
                line,
            });
        }
    }
    Some(events)
}

/// The number of `from` and `to` units each kind takes: (min, max).
fn shape(kind: ChangeKind) -> ((usize, usize), (usize, usize)) {
    const ANY: usize = usize::MAX;
    match kind {
        ChangeKind::Established | ChangeKind::TransferredIn => ((0, 0), (1, ANY)),
        ChangeKind::Restored => ((0, ANY), (1, ANY)),
        ChangeKind::Abolished | ChangeKind::TransferredOut => ((1, ANY), (0, 0)),
        ChangeKind::Renamed
        | ChangeKind::Moved
        | ChangeKind::Redesignated
        | ChangeKind::Recoded
        | ChangeKind::Replaced => ((1, 1), (1, 1)),
        ChangeKind::Merged | ChangeKind::Absorbed => ((1, ANY), (1, 1)),
        ChangeKind::Split | ChangeKind::SpunOff => ((1, 1), (1, ANY)),
    }
}

/// Whether an event names as many units as its kind takes; the history
/// relies on it (a rename has a unit on each side).
fn fits_its_kind(event: &EventFile) -> bool {
    let ((from_min, from_max), (to_min, to_max)) = shape(event.kind);
    (from_min..=from_max).contains(&event.from.len()) && (to_min..=to_max).contains(&event.to.len())
}

fn shape_help(kind: ChangeKind) -> String {
    let ((fmin, fmax), (tmin, tmax)) = shape(kind);
    let count = |min: usize, max: usize| match (min, max) {
        (a, b) if a == b => a.to_string(),
        (a, usize::MAX) => format!("{a} or more"),
        (a, b) => format!("{a} to {b}"),
    };
    format!(
        "`{kind}` takes {} unit(s) in `from` and {} in `to`",
        count(fmin, fmax),
        count(tmin, tmax)
    )
}

fn parse_sources(file: &SourceFile, problems: &mut Vec<Diagnostic>) -> Option<Vec<Source>> {
    let raw: Vec<SourceEntry> = match ron_options().from_str(&file.text) {
        Ok(r) => r,
        Err(e) => {
            problems.push(ron_diagnostic(file, &e));
            return None;
        }
    };
    let mut sources = Vec::with_capacity(raw.len());
    for s in raw {
        let key_at = file.find_field(0, "key", &s.key, 0).unwrap_or(0);
        let mut date_of = |field: &str, text: Option<String>| {
            text.and_then(|t| {
                let at = file.find_field(key_at, field, &t, 0);
                parse_date(file, at, &t, problems)
            })
        };
        let date = date_of("date", s.date);
        let accessed = date_of("accessed", s.accessed);
        sources.push(Source {
            key: s.key,
            title: s.title,
            url: s.url,
            publisher: s.publisher,
            date,
            accessed,
            note: s.note,
        });
    }
    Some(sources)
}

/// A file as read, and the problem that kept it from being read, if any.
type Opened = (SourceFile, Option<Diagnostic>);

/// Reads and parses every input on all cores (files are independent),
/// with the checks that concern one file only. Parsing always runs on
/// threads of its own so that their stack, not the caller's, bounds how
/// deep it may recurse.
fn parse_in_parallel<T: Sync>(
    inputs: &[T],
    open: impl Fn(&T) -> Opened + Sync,
) -> Vec<(SourceFile, Parsed, Vec<Diagnostic>)> {
    let work = |input: &T| match open(input) {
        (file, None) => {
            let (parsed, mut problems) = parse_one(&file);
            if let Parsed::Snapshot(s) = &parsed {
                problems.extend(snapshot_problems(s, &file));
            }
            (file, parsed, problems)
        }
        (file, Some(problem)) => (file, Parsed::Nothing, vec![problem]),
    };
    crate::parallel::map(inputs, PARSER_STACK, work)
}

/// Puts the parsed files together into a dataset, with the checks that
/// span files: unique snapshot ids and source keys.
fn assemble(parsed: Vec<(SourceFile, Parsed, Vec<Diagnostic>)>, origin: &str) -> Reading {
    let mut problems = Vec::new();
    let mut snapshots = Vec::new();
    let mut events = Vec::new();
    let mut sources = BTreeMap::new();
    let mut files = Vec::with_capacity(parsed.len());
    let mut snapshot_files: HashMap<String, String> = HashMap::new();
    for (file, parsed, file_problems) in parsed {
        problems.extend(file_problems);
        match parsed {
            Parsed::Snapshot(s) => {
                if let Some(first) = snapshot_files.insert(s.id.clone(), s.file.clone()) {
                    problems.push(
                        Diagnostic::new(
                            Rule::DuplicateId,
                            file.location_of_field(0, "id", &s.id, 0),
                            format!("snapshot id `{}` is also used by {first}", s.id),
                        )
                        .with_help("give each snapshot its own id"),
                    );
                }
                snapshots.push(*s);
            }
            Parsed::Events(e) => events.extend(e),
            Parsed::Sources(list) => {
                for s in list {
                    if sources.contains_key(&s.key) {
                        problems.push(
                            Diagnostic::new(
                                Rule::DuplicateId,
                                file.location_of_field(0, "key", &s.key, 1),
                                format!("source key `{}` is defined twice", s.key),
                            )
                            .with_help("give each source its own key"),
                        );
                    } else {
                        sources.insert(s.key.clone(), s);
                    }
                }
            }
            Parsed::Nothing => {}
        }
        files.push(file);
    }
    Reading {
        files,
        dataset: Dataset::new(snapshots, events, sources, origin.to_string()),
        problems,
    }
}

/// The file a snapshot came from, for locating its problems.
pub fn file_of<'a>(files: &'a [SourceFile], snapshot: &Snapshot) -> &'a SourceFile {
    files
        .iter()
        .find(|f| f.path == snapshot.file)
        .expect("every snapshot comes from a file")
}

/// An empty snapshot id or title, or an id with a control character.
fn header_problems(snapshot: &Snapshot, file: &SourceFile) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (field, value) in [("id", &snapshot.id), ("title", &snapshot.title)] {
        if value.trim().is_empty() {
            problems.push(
                Diagnostic::new(
                    Rule::EmptyName,
                    file.location_of_field(0, field, value, 0),
                    format!("the snapshot has an empty {field}"),
                )
                .with_help(format!(
                    "give the snapshot a {field}: the list of snapshots shows it"
                )),
            );
        }
    }
    if snapshot.id.chars().any(char::is_control) {
        problems.push(bad_id(
            file.location_of_field(0, "id", &snapshot.id, 0),
            &snapshot.id,
        ));
    }
    problems
}

fn bad_id(location: crate::diagnostic::Location, id: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::BadId,
        location,
        format!("id `{id}` holds a control character"),
    )
    .with_help("an id is one line of text: remove the line break, tab or other control character")
}

/// Problems of one snapshot that make it unusable: duplicate unit ids,
/// empty names, units nested too deep, a malformed scope.
fn snapshot_problems(snapshot: &Snapshot, file: &SourceFile) -> Vec<Diagnostic> {
    let mut problems = header_problems(snapshot, file);
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(1024);
    // A snapshot whose own id is also a unit's id writes `id: "x"` once
    // more, before its units.
    let skip = |id: &str| usize::from(snapshot.id == id);
    // The units in preorder (the order they are written in), with their
    // depth; a root is at depth 1.
    let mut stack: Vec<(&Unit, usize)> = snapshot.units.iter().rev().map(|u| (u, 1)).collect();
    let mut too_deep_reported = false;
    while let Some((unit, depth)) = stack.pop() {
        if let Some(children) = &unit.units {
            stack.extend(children.iter().rev().map(|c| (c, depth + 1)));
        }
        let count = seen.entry(&unit.id).or_insert(0);
        *count += 1;
        if unit.id.trim().is_empty() || unit.name.trim().is_empty() {
            let what = if unit.id.trim().is_empty() {
                "id"
            } else {
                "name"
            };
            problems.push(
                Diagnostic::new(
                    Rule::EmptyName,
                    file.location_of_field(0, "id", &unit.id, *count - 1 + skip(&unit.id)),
                    format!("a unit has an empty {what}"),
                )
                .with_help("every unit needs a non-empty id and name"),
            );
        }
        if unit.id.chars().any(char::is_control) {
            problems.push(bad_id(
                file.location_of_field(0, "id", &unit.id, *count - 1 + skip(&unit.id)),
                &unit.id,
            ));
        }
        if *count == 2 {
            problems.push(
                Diagnostic::new(
                    Rule::DuplicateId,
                    file.location_of_field(0, "id", &unit.id, 1 + skip(&unit.id)),
                    format!(
                        "unit id `{}` appears more than once in snapshot `{}`",
                        unit.id, snapshot.id
                    ),
                )
                .with_help("a unit appears once per snapshot; give different units different ids"),
            );
        }
        // One report a snapshot is enough: the units below are deeper still.
        if depth > MAX_NESTING && !too_deep_reported {
            too_deep_reported = true;
            problems.push(
                Diagnostic::new(
                    Rule::TooDeep,
                    file.location_of_field(0, "id", &unit.id, *count - 1 + skip(&unit.id)),
                    format!(
                        "unit `{}` is nested {depth} levels deep, more than the {MAX_NESTING} allowed",
                        unit.id
                    ),
                )
                .with_help(nesting_help()),
            );
        }
    }
    if let Some(scope) = &snapshot.scope {
        let root_ok = snapshot.units.len() == 1 && &snapshot.units[0].id == scope;
        if !root_ok {
            problems.push(
                Diagnostic::new(
                    Rule::UnknownScope,
                    file.location_of_field(0, "scope", scope, 0),
                    format!(
                        "a snapshot scoped to `{scope}` must document exactly one root unit, `{scope}` itself"
                    ),
                )
                .with_help(format!(
                    "write `units: [Unit(id: \"{scope}\", name: ..., units: [...])]`"
                )),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot_file(body: &str) -> SourceFile {
        SourceFile::new("test/s.ron", body)
    }

    #[test]
    fn the_embedded_dataset_loads() {
        let d = load(None).expect("the embedded dataset is valid");
        assert!(d.snapshots.len() >= 9);
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
}

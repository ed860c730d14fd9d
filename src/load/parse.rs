//! Reading one dataset file: a snapshot, `events.ron` or `sources.ron`,
//! with the checks that concern that file alone, each problem located.
//!
//! Locations come from one [`Outline`] of the file, made only when
//! something must be located (always for `events.ron`, whose events keep
//! their line), so a file is read in time linear in its size however many
//! problems it has.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::sync::RwLock;

use serde::Deserialize;

use super::{EVENTS_FILE, SOURCES_FILE};
use crate::date::{Date, DATE_HELP};
use crate::diagnostic::{Diagnostic, Location, Rule, SourceFile};
use crate::locate::Located;
use crate::model::{ChangeKind, Confidence, Event, Snapshot, Source, MAX_NESTING};
use crate::observation::{Observation, Prepared, UnitTable, WrittenUnit};

/// What one file holds.
pub(super) enum Parsed {
    Snapshot(Box<Observation>),
    Events(Vec<Event>),
    Sources(BTreeMap<String, Source>),
    Nothing,
}

/// Reads a file; the descriptions of a snapshot's units are shared
/// through `units`.
pub(super) fn parse(file: SourceFile, units: &RwLock<UnitTable>) -> (Parsed, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let located = Located::new(file);
    let parsed = match file_name(&located.file.path) {
        EVENTS_FILE => parse_events(&located, &mut problems).map(Parsed::Events),
        SOURCES_FILE => parse_sources(&located, &mut problems).map(Parsed::Sources),
        _ => parse_snapshot(&located, &mut problems).map(|prepared| {
            problems.extend(snapshot_problems(&prepared, &located));
            // Flattened and hashed on this thread, then shared.
            Parsed::Snapshot(Box::new(prepared.keep_shared(units)))
        }),
    };
    (parsed.unwrap_or(Parsed::Nothing), problems)
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

// ---------------------------------------------------------------------------
// The file format, as serde reads it. Dates stay text here so that every bad
// date can be reported, not just the first of a file.

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename = "Snapshot", deny_unknown_fields)]
pub(super) struct SnapshotFile<'a> {
    pub id: String,
    pub date: String,
    pub title: String,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(borrow)]
    pub units: Vec<WrittenUnit<'a>>,
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
pub(super) const RECURSION_LIMIT: usize = 2 * RON_LEVELS_PER_UNIT * MAX_NESTING;

/// The stack of a parser thread: 16 KiB a RON level, about three times
/// what an unoptimized build uses (optimized builds use far less). Only the
/// pages a parse touches are ever committed.
pub(super) const PARSER_STACK: usize = 16 * 1024 * RECURSION_LIMIT;

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

fn parse_date(at: Location, text: &str, problems: &mut Vec<Diagnostic>) -> Option<Date> {
    match Date::parse(text) {
        Ok(d) => Some(d),
        Err(e) => {
            problems.push(
                Diagnostic::new(Rule::BadDate, at, format!("bad date: {e}")).with_help(DATE_HELP),
            );
            None
        }
    }
}

fn parse_snapshot<'a>(
    located: &'a Located,
    problems: &mut Vec<Diagnostic>,
) -> Option<Prepared<'a>> {
    let file = &located.file;
    let raw = match read_snapshot(&file.text) {
        Ok(r) => r,
        Err(e) => {
            problems.push(ron_diagnostic(file, &e));
            return None;
        }
    };
    let date = match Date::parse(&raw.date) {
        Ok(d) => d,
        Err(e) => {
            problems.push(
                Diagnostic::new(
                    Rule::BadDate,
                    located.field(0, "date"),
                    format!("bad date: {e}"),
                )
                .with_help(DATE_HELP),
            );
            return None;
        }
    };
    let snapshot = Snapshot {
        id: raw.id,
        date,
        title: raw.title,
        scope: raw.scope,
        sources: raw.sources,
        note: raw.note,
        units: Vec::new(),
        file: file.path.clone(),
    };
    Some(Prepared::new(snapshot, raw.units))
}

/// A snapshot file's content: read by the fast reader when it takes the
/// file, by the `ron` crate otherwise (and for every error).
pub(super) fn read_snapshot(text: &str) -> Result<SnapshotFile<'_>, ron::error::SpannedError> {
    match super::fast::snapshot(text) {
        Some(snapshot) => Ok(snapshot),
        None => read_with_ron(text),
    }
}

/// A snapshot file's content, as the `ron` crate reads it.
pub(super) fn read_with_ron(text: &str) -> Result<SnapshotFile<'_>, ron::error::SpannedError> {
    ron_options().from_str(text)
}

fn parse_events(located: &Located, problems: &mut Vec<Diagnostic>) -> Option<Vec<Event>> {
    let file = &located.file;
    let raw: Vec<EventFile> = match ron_options().from_str(&file.text) {
        Ok(r) => r,
        Err(e) => {
            problems.push(ron_diagnostic(file, &e));
            return None;
        }
    };
    let mut events = Vec::with_capacity(raw.len());
    for (k, e) in raw.into_iter().enumerate() {
        // Event k is the file's struct k: its date, or where it opens.
        let at = located.field(k, "date");
        let line = match at.line {
            0 => located.struct_at(k).map_or(0, |o| file.line_at(o)),
            line => line,
        };
        if !fits_its_kind(&e) {
            problems.push(
                Diagnostic::new(
                    Rule::EventShape,
                    at.clone(),
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
        if let Some(date) = parse_date(at, &e.date, problems) {
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
        // Events cannot be read with the observed kinds; they are here
        // for the match to be whole.
        ChangeKind::Established | ChangeKind::Appeared | ChangeKind::TransferredIn => {
            ((0, 0), (1, ANY))
        }
        ChangeKind::Restored => ((0, ANY), (1, ANY)),
        ChangeKind::Abolished | ChangeKind::Disappeared | ChangeKind::TransferredOut => {
            ((1, ANY), (0, 0))
        }
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

fn parse_sources(
    located: &Located,
    problems: &mut Vec<Diagnostic>,
) -> Option<BTreeMap<String, Source>> {
    let file = &located.file;
    let raw: Vec<SourceEntry> = match ron_options().from_str(&file.text) {
        Ok(r) => r,
        Err(e) => {
            problems.push(ron_diagnostic(file, &e));
            return None;
        }
    };
    let mut sources = BTreeMap::new();
    for (k, s) in raw.into_iter().enumerate() {
        if sources.contains_key(&s.key) {
            problems.push(
                Diagnostic::new(
                    Rule::DuplicateId,
                    located.field(k, "key"),
                    format!("source key `{}` is defined twice", s.key),
                )
                .with_help("give each source its own key"),
            );
            continue;
        }
        let mut date_of = |field: &str, text: Option<String>| {
            text.and_then(|t| parse_date(located.field(k, field), &t, problems))
        };
        let date = date_of("date", s.date);
        let accessed = date_of("accessed", s.accessed);
        let source = Source {
            key: s.key,
            title: s.title,
            url: s.url,
            publisher: s.publisher,
            date,
            accessed,
            note: s.note,
        };
        sources.insert(source.key.clone(), source);
    }
    Some(sources)
}

/// An empty snapshot id or title, or an id with a control character.
fn header_problems(snapshot: &Prepared, located: &Located) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (field, value) in [("id", snapshot.id()), ("title", snapshot.title())] {
        if value.trim().is_empty() {
            problems.push(
                Diagnostic::new(
                    Rule::EmptyName,
                    located.field(0, field),
                    format!("the snapshot has an empty {field}"),
                )
                .with_help(format!(
                    "give the snapshot a {field}: the list of snapshots shows it"
                )),
            );
        }
    }
    if snapshot.id().chars().any(char::is_control) {
        problems.push(bad_id(located.field(0, "id"), snapshot.id()));
    }
    problems
}

fn bad_id(location: Location, id: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::BadId,
        location,
        format!("id `{id}` holds a control character"),
    )
    .with_help("an id is one line of text: remove the line break, tab or other control character")
}

/// Problems of one snapshot that make it unusable: duplicate unit ids,
/// empty names, units nested too deep, a malformed scope.
fn snapshot_problems(snapshot: &Prepared, located: &Located) -> Vec<Diagnostic> {
    let mut problems = header_problems(snapshot, located);
    let units = snapshot.units();
    let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
    seen.reserve(units.len());
    let mut too_deep_reported = false;
    // Unit i (in the order written) is the file's struct i + 1.
    for (i, (unit, depth, ..)) in units.iter().enumerate() {
        let id_at = || located.field(i + 1, "id");
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
                    id_at(),
                    format!("a unit has an empty {what}"),
                )
                .with_help("every unit needs a non-empty id and name"),
            );
        }
        if unit.id.chars().any(char::is_control) {
            problems.push(bad_id(id_at(), &unit.id));
        }
        if *count == 2 {
            problems.push(
                Diagnostic::new(
                    Rule::DuplicateId,
                    id_at(),
                    format!(
                        "unit id `{}` appears more than once in snapshot `{}`",
                        unit.id,
                        snapshot.id()
                    ),
                )
                .with_help("a unit appears once per snapshot; give different units different ids"),
            );
        }
        // A root is at level 1. One report a snapshot is enough: the
        // units below are deeper still.
        let level = *depth as usize + 1;
        if level > MAX_NESTING && !too_deep_reported {
            too_deep_reported = true;
            problems.push(
                Diagnostic::new(
                    Rule::TooDeep,
                    id_at(),
                    format!(
                        "unit `{}` is nested {level} levels deep, more than the {MAX_NESTING} allowed",
                        unit.id
                    ),
                )
                .with_help(nesting_help()),
            );
        }
    }
    problems.extend(scope_problem(snapshot, located));
    problems
}

/// A scoped snapshot must document one root unit, the scope itself.
fn scope_problem(snapshot: &Prepared, located: &Located) -> Option<Diagnostic> {
    let scope = snapshot.scope()?;
    let mut roots = snapshot.units().iter().filter(|(_, depth, ..)| *depth == 0);
    let root_ok =
        roots.next().is_some_and(|(u, ..)| u.id == scope.as_str()) && roots.next().is_none();
    (!root_ok).then(|| {
        Diagnostic::new(
            Rule::UnknownScope,
            located.field(0, "scope"),
            format!(
                "a snapshot scoped to `{scope}` must document exactly one root unit, `{scope}` itself"
            ),
        )
        .with_help(format!(
            "write `units: [Unit(id: \"{scope}\", name: ..., units: [...])]`"
        ))
    })
}

//! Validating a dataset: every problem, not just the first, each located
//! in its file.
//!
//! Reading ([`crate::load`]) already reports what makes a dataset unusable:
//! files that are not UTF-8 or not valid RON, unknown and missing fields,
//! bad dates, duplicate ids, empty names, units nested too deep, malformed
//! scopes and events whose shape does not fit their kind. This module adds
//! the rules that need the whole dataset: scopes that name no known unit,
//! unknown source keys, events naming unknown units or dated outside their
//! lives, and units alive after the event that ended them.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

use crate::dataset::Dataset;
use crate::date::Day;
use crate::diagnostic::{Diagnostic, Location, Rule};
use crate::load::{self, Reading};
use crate::locate::Located;
use crate::model::Event;

/// What checking a dataset found.
#[derive(Debug)]
pub struct Report {
    /// Every problem, in file and line order.
    pub problems: Vec<Diagnostic>,
    /// The entries of the dataset's directory that are not dataset files.
    pub ignored: Vec<String>,
}

/// Every problem of a dataset as read, in file and line order.
pub fn check(mut reading: Reading) -> Report {
    let mut problems = std::mem::take(&mut reading.problems);
    let ignored = std::mem::take(&mut reading.ignored);
    let files = Files::of(&reading);
    let dataset = &reading.dataset;
    let lives = Lives::of(dataset, &files, &mut problems);
    check_dates(dataset, &files, &mut problems);
    check_sources(dataset, &files, &mut problems);
    check_events(dataset, &files, &lives, &mut problems);
    problems.sort_by(|a, b| {
        (&a.location.file, a.location.line, a.location.column, a.rule).cmp(&(
            &b.location.file,
            b.location.line,
            b.location.column,
            b.rule,
        ))
    });
    problems.dedup();
    Report { problems, ignored }
}

/// The dataset's files, each read again and outlined the first time a
/// problem in it is located.
struct Files<'r> {
    reading: &'r Reading,
    located: std::cell::RefCell<HashMap<String, std::rc::Rc<Located>>>,
}

impl<'r> Files<'r> {
    fn of(reading: &'r Reading) -> Files<'r> {
        Files {
            reading,
            located: Default::default(),
        }
    }

    fn get(&self, path: &str) -> std::rc::Rc<Located> {
        let mut located = self.located.borrow_mut();
        let file = located
            .entry(path.to_string())
            .or_insert_with(|| std::rc::Rc::new(Located::new(self.reading.file(path))));
        std::rc::Rc::clone(file)
    }
}

/// When each unit is present in the assembled states: its first and last
/// day, and the snapshots it is present after.
struct Lives<'d> {
    by_id: FxHashMap<&'d str, Life>,
}

struct Life {
    first: Day,
    last: Day,
    /// The indices of the snapshots after which it is present.
    present_after: Vec<u32>,
}

impl<'d> Lives<'d> {
    /// Goes through the states in order, checking each snapshot's scope
    /// against the state it is laid over.
    fn of(dataset: &'d Dataset, files: &Files, problems: &mut Vec<Diagnostic>) -> Lives<'d> {
        let mut by_id: FxHashMap<&'d str, Life> = FxHashMap::default();
        let count = dataset.snapshots().len();
        dataset.prepare(0..=count);
        for (i, snapshot) in dataset.snapshots().iter().enumerate() {
            if let Some(scope) = &snapshot.scope {
                if dataset.state_after(i).find(scope).is_none() {
                    problems.push(
                        Diagnostic::new(
                            Rule::UnknownScope,
                            files.get(&snapshot.file).field(0, "scope"),
                            format!(
                                "scope `{scope}` names no unit of the organization before {}",
                                snapshot.date
                            ),
                        )
                        .with_help("use the id of a unit documented by an earlier snapshot, or drop `scope` to document the whole organization"),
                    );
                }
            }
            let state = dataset.state_after(i + 1);
            // The state after snapshot i holds until the next snapshot starts.
            let until = dataset.snapshots().get(i + 1).map_or(Day::MAX, |next| {
                next.date.earliest().pred_opt().unwrap_or(Day::MIN)
            });
            for (ix, _) in state.preorder() {
                let life = by_id.entry(state.unit(ix).id.as_str()).or_insert(Life {
                    first: snapshot.date.earliest(),
                    last: until,
                    present_after: Vec::new(),
                });
                life.last = until;
                life.present_after.push(i as u32);
            }
        }
        Lives { by_id }
    }
}

/// Two whole snapshots that start on the same day: the one laid last
/// (by id) hides the other entirely.
fn check_dates(dataset: &Dataset, files: &Files, problems: &mut Vec<Diagnostic>) {
    let whole = dataset.snapshots().iter().filter(|s| s.scope.is_none());
    let mut first_on: HashMap<Day, &str> = HashMap::new();
    for snapshot in whole {
        let day = snapshot.date.earliest();
        if let Some(other) = first_on.insert(day, &snapshot.id) {
            problems.push(
                Diagnostic::new(
                    Rule::DuplicateDate,
                    files.get(&snapshot.file).field(0, "date"),
                    format!(
                        "snapshots `{other}` and `{}` both document the whole organization from {day}: only `{}`, laid last, is ever seen",
                        snapshot.id, snapshot.id
                    ),
                )
                .with_help("correct one of the dates, or give one of them a `scope`"),
            );
            first_on.insert(day, other);
        }
    }
}

fn unknown_source(location: Location, key: &str, what: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::UnknownSource,
        location,
        format!("{what} cites source `{key}`, which sources.ron does not define"),
    )
    .with_help(format!(
        "add `Source(key: \"{key}\", title: ...)` to sources.ron, or correct the key"
    ))
}

/// Source keys cited by snapshots, units and events must be defined.
fn check_sources(dataset: &Dataset, files: &Files, problems: &mut Vec<Diagnostic>) {
    let known = |k: &str| dataset.sources.contains_key(k);
    for snapshot in dataset.snapshots() {
        for key in snapshot.sources.iter().filter(|k| !known(k)) {
            let file = files.get(&snapshot.file);
            let at = file.string_after(file.value_of(0, "sources"), key);
            let what = format!("snapshot `{}`", snapshot.id);
            problems.push(unknown_source(at, key, &what));
        }
        // Unit k (in the order written) is the file's struct k + 1.
        for (k, unit) in snapshot.all_units().enumerate() {
            for key in unit.sources.iter().filter(|k| !known(k)) {
                let file = files.get(&snapshot.file);
                let at = file.string_after(file.value_of(k + 1, "sources"), key);
                let what = format!("unit `{}`", unit.id);
                problems.push(unknown_source(at, key, &what));
            }
        }
    }
    for event in &dataset.events {
        for key in event.sources.iter().filter(|k| !known(k)) {
            problems.push(unknown_source(
                event_location(files, event, key),
                key,
                "this event",
            ));
        }
    }
}

/// The location of a value (an id or a source key) named by an event: the
/// first place it is written from the event's line on.
fn event_location(files: &Files, event: &Event, value: &str) -> Location {
    let file = files.get(&event.file);
    let start = file.file.line_start(event.line);
    file.string_after(Some(start), value)
}

fn check_events(dataset: &Dataset, files: &Files, lives: &Lives, problems: &mut Vec<Diagnostic>) {
    for event in &dataset.events {
        for id in event.from.iter().chain(&event.to) {
            let Some(life) = lives.by_id.get(id.as_str()) else {
                problems.push(
                    Diagnostic::new(
                        Rule::UnknownUnit,
                        event_location(files, event, id),
                        format!("the event names unit `{id}`, which no snapshot documents"),
                    )
                    .with_help("use the id of a unit from a snapshot, or add the unit to one"),
                );
                continue;
            };
            let (first, last) = (life.first, life.last);
            let is_source = event.from.contains(id);
            let outside = if is_source {
                event.date.latest() < first
            } else {
                event.date.earliest() > last
            };
            if outside {
                let (side, why) = if is_source {
                    ("from", format!("is first observed on {first}"))
                } else {
                    ("to", format!("is last observed on {last}"))
                };
                problems.push(
                    Diagnostic::new(
                        Rule::EventOutsideLife,
                        event_location(files, event, id),
                        format!(
                            "the event is dated {}, but `{id}` (in `{side}`) {why}",
                            event.date
                        ),
                    )
                    .with_help("correct the event's date, or the snapshots that document the unit"),
                );
            }
        }
        check_ended_units(dataset, files, event, lives, problems);
    }
}

/// A unit ended by an event must not be present after it.
fn check_ended_units(
    dataset: &Dataset,
    files: &Files,
    event: &Event,
    lives: &Lives,
    problems: &mut Vec<Diagnostic>,
) {
    if !event.kind.ends_its_sources() {
        return;
    }
    for id in event.from.iter().filter(|id| !event.to.contains(id)) {
        let Some(life) = lives.by_id.get(id.as_str()) else {
            continue;
        };
        let late = life
            .present_after
            .iter()
            .map(|&i| &dataset.snapshots()[i as usize])
            .find(|s| s.date.earliest() > event.date.latest());
        if let Some(snapshot) = late {
            problems.push(
                Diagnostic::new(
                    Rule::AliveAfterEnd,
                    event_location(files, event, id),
                    format!(
                        "`{id}` ends with this `{}` event ({}), but is still present after snapshot `{}` ({})",
                        event.kind, event.date, snapshot.id, snapshot.date
                    ),
                )
                .with_help(format!(
                    "remove `{id}` from {} (or document its parent's sub-units in full there), or correct the event",
                    snapshot.file
                )),
            );
        }
    }
}

/// Counts of a check run, and the entries it did not read, for the
/// summary line.
pub fn summary(report: &Report) -> String {
    let found = if report.problems.is_empty() {
        "no problems found".to_string()
    } else {
        let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &report.problems {
            *by_rule.entry(p.rule.name()).or_default() += 1;
        }
        let parts: Vec<String> = by_rule.iter().map(|(r, n)| format!("{n} {r}")).collect();
        format!("{} problem(s): {}", report.problems.len(), parts.join(", "))
    };
    match report.ignored.as_slice() {
        [] => found,
        ignored => format!(
            "{found}; not read (not dataset files): {}",
            ignored.join(", ")
        ),
    }
}

/// Checks the embedded dataset or a directory.
pub fn check_dir(dir: Option<&std::path::Path>) -> Result<Report, load::LoadError> {
    Ok(check(load::read(dir)?))
}

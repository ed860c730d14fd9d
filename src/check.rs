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

use crate::date::Day;
use crate::diagnostic::{Diagnostic, Location, Rule, SourceFile};
use crate::load::{self, file_of, Reading};
use crate::model::{Dataset, Event};

/// Every problem of a dataset as read, in file and line order.
pub fn check(reading: Reading) -> Vec<Diagnostic> {
    let Reading {
        files,
        dataset,
        mut problems,
    } = reading;
    let files = &files[..];
    let lives = Lives::of(&dataset, files, &mut problems);
    check_sources(&dataset, files, &mut problems);
    check_events(&dataset, files, &lives, &mut problems);
    problems.sort_by(|a, b| {
        (&a.location.file, a.location.line, a.location.column, a.rule).cmp(&(
            &b.location.file,
            b.location.line,
            b.location.column,
            b.rule,
        ))
    });
    problems.dedup();
    problems
}

/// When each unit is present in the assembled states: its first and last
/// day, and the snapshots it is present after.
struct Lives {
    first: HashMap<String, Day>,
    last: HashMap<String, Day>,
    /// For each unit, the indices of the snapshots after which it is present.
    present_after: HashMap<String, Vec<usize>>,
}

impl Lives {
    /// Goes through the states in order, checking each snapshot's scope
    /// against the state it is laid over.
    fn of(dataset: &Dataset, files: &[SourceFile], problems: &mut Vec<Diagnostic>) -> Lives {
        let mut lives = Lives {
            first: HashMap::new(),
            last: HashMap::new(),
            present_after: HashMap::new(),
        };
        for (i, snapshot) in dataset.snapshots.iter().enumerate() {
            if let Some(scope) = &snapshot.scope {
                if dataset.state_after(i).find(scope).is_none() {
                    let file = file_of(files, snapshot);
                    problems.push(
                        Diagnostic::new(
                            Rule::UnknownScope,
                            file.location_of_field(0, "scope", scope, 0),
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
            let until = dataset.snapshots.get(i + 1).map_or(Day::MAX, |next| {
                next.date.earliest().pred_opt().unwrap_or(Day::MIN)
            });
            for (ix, _) in state.preorder() {
                let id = &state.unit(ix).id;
                lives
                    .first
                    .entry(id.clone())
                    .or_insert(snapshot.date.earliest());
                lives.last.insert(id.clone(), until);
                lives.present_after.entry(id.clone()).or_default().push(i);
            }
        }
        lives
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
fn check_sources(dataset: &Dataset, files: &[SourceFile], problems: &mut Vec<Diagnostic>) {
    let known = |k: &str| dataset.sources.contains_key(k);
    for snapshot in &dataset.snapshots {
        let file = file_of(files, snapshot);
        for key in snapshot.sources.iter().filter(|k| !known(k)) {
            let at = file.find_string(0, key);
            let what = format!("snapshot `{}`", snapshot.id);
            problems.push(unknown_source(file.location_of_value(at, key), key, &what));
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for unit in snapshot.all_units() {
            let nth = seen.entry(&unit.id).or_insert(0);
            let skip = usize::from(snapshot.id == unit.id);
            let unit_at = file.find_field(0, "id", &unit.id, *nth + skip).unwrap_or(0);
            *nth += 1;
            for key in unit.sources.iter().filter(|k| !known(k)) {
                let at = file.find_string(unit_at, key);
                let what = format!("unit `{}`", unit.id);
                problems.push(unknown_source(file.location_of_value(at, key), key, &what));
            }
        }
    }
    for event in &dataset.events {
        let file = events_file(files, event);
        for key in event.sources.iter().filter(|k| !known(k)) {
            let at = file.find_string(event_offset(file, event), key);
            problems.push(unknown_source(
                file.location_of_value(at, key),
                key,
                "this event",
            ));
        }
    }
}

fn events_file<'a>(files: &'a [SourceFile], event: &Event) -> &'a SourceFile {
    files
        .iter()
        .find(|f| f.path == event.file)
        .expect("every event comes from a file")
}

/// The byte offset of the start of the event's line.
fn event_offset(file: &SourceFile, event: &Event) -> usize {
    file.text
        .split_inclusive('\n')
        .take(event.line.saturating_sub(1))
        .map(str::len)
        .sum()
}

/// The location of an id named by an event.
fn event_location(file: &SourceFile, event: &Event, id: &str) -> Location {
    let at = file.find_string(event_offset(file, event), id);
    file.location_of_value(at, id)
}

fn check_events(
    dataset: &Dataset,
    files: &[SourceFile],
    lives: &Lives,
    problems: &mut Vec<Diagnostic>,
) {
    for event in &dataset.events {
        let file = events_file(files, event);
        for id in event.from.iter().chain(&event.to) {
            let Some(&first) = lives.first.get(id) else {
                problems.push(
                    Diagnostic::new(
                        Rule::UnknownUnit,
                        event_location(file, event, id),
                        format!("the event names unit `{id}`, which no snapshot documents"),
                    )
                    .with_help("use the id of a unit from a snapshot, or add the unit to one"),
                );
                continue;
            };
            let last = lives.last[id];
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
                        event_location(file, event, id),
                        format!(
                            "the event is dated {}, but `{id}` (in `{side}`) {why}",
                            event.date
                        ),
                    )
                    .with_help("correct the event's date, or the snapshots that document the unit"),
                );
            }
        }
        check_ended_units(dataset, file, event, lives, problems);
    }
}

/// A unit ended by an event must not be present after it.
fn check_ended_units(
    dataset: &Dataset,
    file: &SourceFile,
    event: &Event,
    lives: &Lives,
    problems: &mut Vec<Diagnostic>,
) {
    if !event.kind.ends_its_sources() {
        return;
    }
    for id in event.from.iter().filter(|id| !event.to.contains(id)) {
        let Some(after) = lives.present_after.get(id) else {
            continue;
        };
        let late = after
            .iter()
            .map(|&i| &dataset.snapshots[i])
            .find(|s| s.date.earliest() > event.date.latest());
        if let Some(snapshot) = late {
            problems.push(
                Diagnostic::new(
                    Rule::AliveAfterEnd,
                    event_location(file, event, id),
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

/// Counts of a check run, for the summary line.
pub fn summary(problems: &[Diagnostic]) -> String {
    if problems.is_empty() {
        return "no problems found".to_string();
    }
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for p in problems {
        *by_rule.entry(p.rule.name()).or_default() += 1;
    }
    let parts: Vec<String> = by_rule.iter().map(|(r, n)| format!("{n} {r}")).collect();
    format!("{} problem(s): {}", problems.len(), parts.join(", "))
}

/// Checks the embedded dataset or a directory.
pub fn check_dir(dir: Option<&std::path::Path>) -> Result<Vec<Diagnostic>, load::LoadError> {
    Ok(check(load::read(dir)?))
}

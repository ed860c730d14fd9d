//! Shares for units divided among several parts, read from a CSV table
//! with the columns `unit`, `part` and `share`: "Investigative Programs
//! went 60% to CTOC and 40% to COT". Units and parts are named as a UNIT
//! argument is (an id, or a name, acronym or alias of any era); the
//! shares of a unit add up to 1.

use std::collections::BTreeMap;
use std::io::Read;

use crate::find::{Found, Resolver};

/// The shares given for each divided unit, by thread.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shares {
    by_unit: BTreeMap<usize, Given>,
}

/// The parts of one unit and their shares, as listed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Given {
    /// (part's thread, share, row).
    parts: Vec<(usize, f64, usize)>,
}

impl Given {
    /// The threads of the parts listed.
    pub fn parts(&self) -> impl Iterator<Item = usize> + '_ {
        self.parts.iter().map(|&(t, ..)| t)
    }

    /// The share of each of these parts, when they are exactly the parts
    /// listed (`None` in `parts` stands for a share that left the
    /// organization, which a table cannot name).
    pub fn shares_of(&self, parts: &[Option<usize>]) -> Option<Vec<f64>> {
        if parts.len() != self.parts.len() {
            return None;
        }
        parts
            .iter()
            .map(|part| {
                let part = (*part)?;
                self.parts
                    .iter()
                    .find(|&&(t, ..)| t == part)
                    .map(|&(_, s, _)| s)
            })
            .collect()
    }
}

/// A problem with a shares table.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SharesError {
    /// A problem at a row (the header is row 1).
    #[error("{}{message}\n  = help: {help}", row.map_or(String::new(), |r| format!("row {r}: ")))]
    At {
        /// The row, counting the header as row 1.
        row: Option<usize>,
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
    },
    /// The parts listed for a unit are not the parts it was divided into.
    #[error(
        "the shares for {unit} name {}, but between the two dates it was divided into {}\n  = help: list each of those parts once, with its share",
        listed.join(", "),
        parts.join(", ")
    )]
    Parts {
        /// The unit divided.
        unit: String,
        /// The parts the table lists for it.
        listed: Vec<String>,
        /// The parts it was divided into.
        parts: Vec<String>,
    },
}

fn at(row: usize, message: impl Into<String>, help: impl Into<String>) -> SharesError {
    SharesError::At {
        row: Some(row),
        message: message.into(),
        help: help.into(),
    }
}

/// The columns of a shares table.
const COLUMNS: [&str; 3] = ["unit", "part", "share"];

impl Shares {
    /// Reads a shares table, naming units as a UNIT argument does.
    pub fn read(input: impl Read, resolver: &Resolver) -> Result<Shares, SharesError> {
        let mut reader = csv::ReaderBuilder::new().from_reader(input);
        let header = reader.headers().map_err(|e| csv_error(&e))?.clone();
        let columns: Vec<&str> = header.iter().map(str::trim).collect();
        if columns.len() != COLUMNS.len() || COLUMNS.iter().any(|c| !columns.contains(c)) {
            return Err(at(
                1,
                format!("the header is `{}`", columns.join(",")),
                "a shares table has the columns unit, part and share",
            ));
        }
        let index = |name: &str| columns.iter().position(|c| *c == name).expect("checked");
        let (unit, part, share) = (index("unit"), index("part"), index("share"));
        let mut shares = Shares::default();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| csv_error(&e))?;
            let row = i + 2;
            let thread = |column: usize| thread_named(resolver, record[column].trim(), row);
            let (u, p) = (thread(unit)?, thread(part)?);
            let value = parse_share(record[share].trim(), row)?;
            let given = shares.by_unit.entry(u).or_default();
            if let Some(&(_, _, first)) = given.parts.iter().find(|&&(t, ..)| t == p) {
                return Err(at(
                    row,
                    format!("this part of this unit is listed already, on row {first}"),
                    "list each part of a unit once",
                ));
            }
            given.parts.push((p, value, row));
        }
        if shares.by_unit.is_empty() {
            return Err(SharesError::At {
                row: None,
                message: "the shares table has no rows".into(),
                help: "write one row per part: unit,part,share".into(),
            });
        }
        shares.check_sums(resolver)?;
        Ok(shares)
    }

    /// Each unit's shares add up to 1.
    fn check_sums(&self, resolver: &Resolver) -> Result<(), SharesError> {
        for (&unit, given) in &self.by_unit {
            let total: f64 = given.parts.iter().map(|&(_, s, _)| s).sum();
            if (total - 1.0).abs() > 1e-6 {
                let rows: Vec<String> = given.parts.iter().map(|&(.., r)| r.to_string()).collect();
                let (_, last) = resolver
                    .history()
                    .states_of(unit)
                    .pop()
                    .expect("a thread has a state");
                return Err(SharesError::At {
                    row: None,
                    message: format!(
                        "the shares of {} (rows {}) add up to {}, not 1",
                        last.label(),
                        rows.join(", "),
                        crate::convert::format_number(total)
                    ),
                    help: "give shares that add up to 1 for each unit".into(),
                });
            }
        }
        Ok(())
    }

    /// The shares given for a thread's unit.
    pub fn of(&self, thread: usize) -> Option<&Given> {
        self.by_unit.get(&thread)
    }

    /// The threads of the units that shares are given for.
    pub fn units(&self) -> impl Iterator<Item = usize> + '_ {
        self.by_unit.keys().copied()
    }
}

/// The one thread a cell names.
fn thread_named(resolver: &Resolver, query: &str, row: usize) -> Result<usize, SharesError> {
    let found = resolver.resolve(query);
    let describe = |f: &Found| format!("{} [{}]", f.unit.label(), f.unit.id);
    match found.as_slice() {
        [one] => Ok(one.thread),
        [] => Err(at(
            row,
            format!("no unit of any era is named `{query}`"),
            "name the unit by its id (`reorg find WORD` searches every era)",
        )),
        many => Err(at(
            row,
            format!(
                "`{query}` names several units: {}",
                many.iter().map(describe).collect::<Vec<_>>().join(", ")
            ),
            "name the unit by its id",
        )),
    }
}

fn parse_share(cell: &str, row: usize) -> Result<f64, SharesError> {
    match crate::convert::number(cell) {
        Some(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(at(
            row,
            format!("the share `{cell}` is not a number from 0 to 1"),
            "write shares as fractions: 0.6, not 60%",
        )),
    }
}

fn csv_error(e: &csv::Error) -> SharesError {
    let row = match e.kind() {
        csv::ErrorKind::Utf8 { pos: Some(p), .. }
        | csv::ErrorKind::UnequalLengths { pos: Some(p), .. } => Some(p.record() as usize + 1),
        _ => None,
    };
    SharesError::At {
        row,
        message: format!("bad CSV: {e}"),
        help: "save the table as UTF-8 CSV with three columns: unit,part,share".into(),
    }
}

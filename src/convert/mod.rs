//! Converting a table of records keyed by units at FROM into a table keyed
//! by the units at TO, by the [`Parts`] of a crosswalk.
//!
//! The input is read once, row by row; what is kept is one accumulator per
//! unit at TO, so memory is bounded by the number of units, not of rows.
//! Each row's key names a unit at FROM (`keys`); its values go to that
//! unit's parts at TO: summed columns are multiplied by each part's share
//! and added up, text columns are kept as the first value or the distinct
//! values joined. A row whose key names no unit or several, and the share
//! of a unit that left the organization or ended, are set aside (written
//! to the rejects, reported) and never dropped: the total of each summed
//! column read equals the total written plus the total set aside.

use std::io::{Read, Write};

use crate::crosswalk::{Part, Parts, ShareBasis, UnitParts};
use crate::diff::history::History;

pub(crate) mod keys;
mod table;

use keys::{Keys, Resolution};
use table::{Plan, RollUps, Targets};

/// What the keys of a table are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyBy {
    /// Unit ids.
    Id,
    /// Names, acronyms or aliases (ids too).
    Name,
}

/// What to do with the text columns of rows that go to one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextRule {
    /// The first value, in the order of the input.
    First,
    /// The distinct values, in the order first seen, joined by "; ".
    Join,
    /// Leave the column out.
    Drop,
}

/// Which ancestor at TO to roll results up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RollUp {
    /// The nearest unit of this kind, the unit itself included.
    Kind(String),
    /// The ancestor at this depth (1: the top), or the unit itself when it
    /// is not that deep.
    Depth(usize),
}

impl RollUp {
    /// Whether the chart at TO (`state`) has units to roll up to.
    pub fn check(&self, state: &crate::state::OrgState) -> Result<(), ConvertError> {
        match self {
            RollUp::Depth(0) => Err(ConvertError::new(
                "--depth 0 names no level",
                "the top of the chart is depth 1",
            )),
            RollUp::Depth(_) => Ok(()),
            RollUp::Kind(kind) => {
                let mut kinds: Vec<&str> = state
                    .preorder()
                    .filter_map(|(ix, _)| state.unit(ix).kind.as_deref())
                    .collect();
                if kinds
                    .iter()
                    .any(|k| crate::text::fold(k) == crate::text::fold(kind))
                {
                    return Ok(());
                }
                kinds.sort_unstable();
                kinds.dedup();
                Err(ConvertError::new(
                    format!("no unit at TO is of kind `{kind}`"),
                    format!("the kinds at TO are {}", kinds.join(", ")),
                ))
            }
        }
    }
}

/// How to convert a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The column that names units.
    pub key: String,
    /// How the key column names units.
    pub by: KeyBy,
    /// The columns to sum; every other column but the key is text.
    pub sum: Vec<String>,
    /// What becomes of text columns when rows are combined.
    pub text: TextRule,
    /// The ancestor at TO to roll results up to, if any.
    pub roll_up: Option<RollUp>,
}

/// A problem with the input table or the options, at a row (the header is
/// row 1) and column when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}\n  = help: {help}", place(*row, column.as_deref()))]
pub struct ConvertError {
    /// The row, counting the header as row 1.
    pub row: Option<usize>,
    /// The column, by its header.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

fn place(row: Option<usize>, column: Option<&str>) -> String {
    match (row, column) {
        (Some(r), Some(c)) => format!("row {r}, column `{c}`: "),
        (Some(r), None) => format!("row {r}: "),
        (None, Some(c)) => format!("column `{c}`: "),
        (None, None) => String::new(),
    }
}

impl ConvertError {
    fn new(message: impl Into<String>, help: impl Into<String>) -> ConvertError {
        ConvertError {
            row: None,
            column: None,
            message: message.into(),
            help: help.into(),
        }
    }

    fn at(mut self, row: usize, column: Option<&str>) -> ConvertError {
        self.row = Some(row);
        self.column = column.map(str::to_string);
        self
    }
}

/// The totals of a summed column.
#[derive(Debug, Clone, PartialEq)]
pub struct Total {
    /// The column, by its header.
    pub column: String,
    /// Of every row read.
    pub read: f64,
    /// Of the converted table.
    pub written: f64,
    /// Of what was set aside.
    pub set_aside: f64,
}

/// What a conversion did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Data rows read.
    pub rows: usize,
    /// Rows whose values went, wholly or in part, to units at TO.
    pub placed: usize,
    /// Rows whose key named no unit at FROM, or several.
    pub unplaced: usize,
    /// Rows whose unit, or a share of it, left the organization or ended
    /// by TO.
    pub gone: usize,
    /// Rows of the converted table.
    pub written: usize,
    /// One per summed column, in the order given.
    pub totals: Vec<Total>,
    /// The first rows that could not be placed, each with why.
    pub problems: Vec<String>,
    /// What may surprise in the result, such as a table with no rows.
    pub warnings: Vec<String>,
}

/// How many unplaced rows a report lists (the rejects have them all).
const PROBLEMS_LISTED: usize = 20;

/// A converted table and what the conversion did.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    /// The columns of the converted table.
    pub header: Vec<String>,
    /// The cells, row by row, in the header's order.
    pub rows: Vec<Vec<String>>,
    /// What the conversion did.
    pub report: Report,
}

/// A running sum that keeps the low-order bits a float addition drops
/// (Neumaier's compensated summation): a million values with two decimals
/// add up to their exact total, to the six decimals written.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Sum {
    sum: f64,
    compensation: f64,
}

impl Sum {
    pub(crate) fn add(&mut self, x: f64) {
        let t = self.sum + x;
        self.compensation += if self.sum.abs() >= x.abs() {
            (self.sum - t) + x
        } else {
            (x - t) + self.sum
        };
        self.sum = t;
    }

    pub(crate) fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

/// A number as a table may write it: digits with an optional sign,
/// decimal point and exponent (`12`, `-3.5`, `1e6`); not `inf` or `NaN`.
pub fn number(cell: &str) -> Option<f64> {
    let s = cell.trim();
    let mut digits = false;
    for b in s.bytes() {
        match b {
            b'0'..=b'9' => digits = true,
            b'+' | b'-' | b'.' | b'e' | b'E' => {}
            _ => return None,
        }
    }
    if !digits {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A number as the converted table writes it: at most six decimals, no
/// trailing zeros.
pub(crate) fn format_number(v: f64) -> String {
    if v.abs() >= 1e15 {
        return format!("{v}");
    }
    let mut s = format!("{:.6}", (v * 1e6).round() / 1e6);
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if s == "-0" {
        s = "0".to_string();
    }
    s
}

/// The columns of a table, other than `key`, whose cells are all numbers
/// (blank cells aside, and at least one is not blank): what is summed
/// when no columns are named. Reads the whole table.
pub fn numeric_columns(input: impl Read, key: &str) -> Result<Vec<String>, ConvertError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(input);
    let header = table::read_header(&mut reader)?;
    let mut numeric = vec![true; header.len()];
    let mut filled = vec![false; header.len()];
    let mut record = csv::StringRecord::new();
    let mut row = 1;
    while table::read_row(&mut reader, &mut record, row + 1, &header)? {
        row += 1;
        for (c, cell) in record.iter().enumerate() {
            if !cell.trim().is_empty() {
                filled[c] = true;
                numeric[c] = numeric[c] && number(cell).is_some();
            }
        }
    }
    Ok(header
        .iter()
        .enumerate()
        .filter(|&(c, name)| numeric[c] && filled[c] && name.as_str() != key)
        .map(|(_, name)| name.clone())
        .collect())
}

/// Converts a table, writing the rows set aside to `rejects` as they come
/// (the input's header after `row` and `reason` columns).
pub fn convert(
    input: impl Read,
    rejects: Option<&mut dyn Write>,
    parts: &Parts,
    history: &History,
    options: &Options,
) -> Result<Converted, ConvertError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(input);
    let header = table::read_header(&mut reader)?;
    let plan = Plan::new(&header, options)?;
    let (from, to) = parts.states;
    let mut run = Run {
        plan: &plan,
        parts,
        keys: Keys::new(history, (&parts.from, from), options.by),
        rows_of: rows_by_unit(parts, history.state(from).len()),
        placements: vec![None; history.state(from).len()],
        placed: Vec::new(),
        first_row: vec![0; history.state(from).len()],
        roll_ups: RollUps::new(history.state(to), options.roll_up.as_ref())?,
        targets: Targets::new(history.state(to).len(), &plan, options.text),
        rejects: table::Rejects::new(rejects, &header)?,
        report: Report::default(),
        read: vec![Sum::default(); plan.sums.len()],
        set_aside: vec![Sum::default(); plan.sums.len()],
        duplicate: None,
        duplicates: 0,
        equal: Vec::new(),
    };
    let mut record = csv::StringRecord::new();
    let mut values: Vec<Option<f64>> = vec![None; plan.sums.len()];
    while table::read_row(&mut reader, &mut record, run.report.rows + 2, &header)? {
        run.report.rows += 1;
        let row = run.report.rows + 1;
        plan.values(&record, row, &mut values)?;
        run.row(row, &record, &values)?;
    }
    run.finish(history)
}

/// For each unit at FROM (by index), its place in `parts`.
fn rows_by_unit(parts: &Parts, units: usize) -> Vec<Option<u32>> {
    let mut rows = vec![None; units];
    for (i, row) in parts.units.iter().enumerate() {
        rows[row.ix.index()] = Some(u32::try_from(i).expect("fewer than 2^32 units"));
    }
    rows
}

/// Where the rows of a unit at FROM go: one placement per part of its
/// parts, in order.
#[derive(Debug, Clone, Copy)]
struct Placement {
    /// The unit at TO, rolled up; `None` for a share set aside.
    target: Option<crate::state::UnitIx>,
    share: f64,
    shares: ShareBasis,
}

/// A conversion under way.
struct Run<'a, 'w, 'h, 'd> {
    plan: &'a Plan,
    parts: &'a Parts,
    keys: Keys<'h, 'd>,
    rows_of: Vec<Option<u32>>,
    /// For each unit at FROM, its placements in `placed`, once a row
    /// names it.
    placements: Vec<Option<(u32, u32)>>,
    placed: Vec<Placement>,
    /// The row each unit at FROM was first named on (0: not yet).
    first_row: Vec<usize>,
    roll_ups: RollUps<'d>,
    targets: Targets,
    rejects: table::Rejects<'w>,
    report: Report,
    /// Totals of the summed columns read and set aside.
    read: Vec<Sum>,
    set_aside: Vec<Sum>,
    /// The first row that named a unit an earlier row named, with that
    /// row and the unit; how many rows did.
    duplicate: Option<(usize, usize, String)>,
    duplicates: usize,
    /// Units at FROM divided in equal shares (their labels, first few).
    equal: Vec<String>,
}

impl<'a> Run<'a, '_, '_, '_> {
    fn row(
        &mut self,
        row: usize,
        cells: &csv::StringRecord,
        values: &[Option<f64>],
    ) -> Result<(), ConvertError> {
        for (total, v) in self.read.iter_mut().zip(values) {
            total.add(v.unwrap_or(0.0));
        }
        let key = cells[self.plan.key].trim();
        let (ix, key) = match self.keys.resolve(key) {
            Resolution::Unit { ix, key } => (ix, key),
            Resolution::Rejected(reason) => {
                self.report.unplaced += 1;
                if self.report.problems.len() < PROBLEMS_LISTED {
                    self.report.problems.push(format!("row {row}: {reason}"));
                }
                return self.set_aside(row, cells, values, 1.0, &reason);
            }
        };
        self.note_duplicate(row, ix.index());
        let (start, end) = self.placements_of(ix.index());
        let (mut placed, mut gone) = (false, false);
        for i in start..end {
            let placement = self.placed[i];
            let Some(target) = placement.target else {
                gone = true;
                let reason = self.gone_reason(ix.index(), i - start);
                self.set_aside(row, cells, values, placement.share, &reason)?;
                continue;
            };
            let share = (placement.share, placement.shares);
            (self.targets).add(self.plan, target, key, cells, values, share);
            placed = true;
        }
        self.report.placed += usize::from(placed);
        self.report.gone += usize::from(gone);
        Ok(())
    }

    /// The parts of a unit at FROM (by index).
    fn unit_parts(&self, unit: usize) -> &'a UnitParts {
        let index = self.rows_of[unit].expect("every unit at FROM has parts");
        &self.parts.units[index as usize]
    }

    /// Where the rows of a unit at FROM (by index) go, worked out when a
    /// row first names it: a range of `placed`.
    fn placements_of(&mut self, unit: usize) -> (usize, usize) {
        if let Some((start, end)) = self.placements[unit] {
            return (start as usize, end as usize);
        }
        let row = self.unit_parts(unit);
        let start = self.placed.len();
        for part in &row.parts {
            let target = part.ix.map(|to| self.roll_ups.target(to));
            self.placed.push(Placement {
                target,
                share: part.share,
                shares: part.shares,
            });
        }
        let end = self.placed.len();
        let equal = row.parts.iter().any(|p| p.shares == ShareBasis::Equal);
        if equal && self.equal.len() < 3 {
            self.equal
                .push(format!("{} [{}]", row.unit.label(), row.unit.id));
        }
        let range = |i: usize| u32::try_from(i).expect("fewer than 2^32 parts");
        self.placements[unit] = Some((range(start), range(end)));
        (start, end)
    }

    /// Why part `part` of a unit at FROM is set aside.
    fn gone_reason(&self, unit: usize, part: usize) -> String {
        let row = self.unit_parts(unit);
        gone_reason(row, &row.parts[part])
    }

    /// Remembers a row that names a unit an earlier row named.
    fn note_duplicate(&mut self, row: usize, unit: usize) {
        match self.first_row[unit] {
            0 => self.first_row[unit] = row,
            first => {
                self.duplicates += 1;
                if self.duplicate.is_none() {
                    let label = self.unit_parts(unit).unit.label();
                    self.duplicate = Some((row, first, label));
                }
            }
        }
    }

    fn set_aside(
        &mut self,
        row: usize,
        cells: &csv::StringRecord,
        values: &[Option<f64>],
        share: f64,
        reason: &str,
    ) -> Result<(), ConvertError> {
        for (total, v) in self.set_aside.iter_mut().zip(values) {
            total.add(v.unwrap_or(0.0) * share);
        }
        self.rejects
            .write(self.plan, row, reason, cells, values, share)
    }

    fn finish(mut self, history: &History) -> Result<Converted, ConvertError> {
        self.rejects.finish()?;
        let (header, rows, written) =
            self.targets
                .rows(history.state(self.parts.states.1), self.plan, &self.keys);
        let report = &mut self.report;
        report.written = rows.len();
        report.totals = (self.plan.sums.iter().enumerate())
            .map(|(i, &c)| Total {
                column: self.plan.header[c].clone(),
                read: self.read[i].value(),
                written: written[i],
                set_aside: self.set_aside[i].value(),
            })
            .collect();
        if report.rows == 0 {
            report.warnings.push("the table has no rows".to_string());
        }
        if let Some((row, first, label)) = &self.duplicate {
            let (rows, name) = match self.duplicates {
                1 => ("1 row".to_string(), "names"),
                n => (format!("{n} rows"), "name"),
            };
            report.warnings.push(format!(
                "{rows} {name} a unit that an earlier row names (the first: row {row} names {label}, as row {first} does); their values are summed"
            ));
        }
        if !self.equal.is_empty() {
            report.warnings.push(format!(
                "units divided among several parts were divided in equal shares, for want of given ones ({}); their rows say `equal` in the `shares` column: give the real shares with --shares FILE",
                self.equal.join(", ")
            ));
        }
        report.warnings.extend(self.roll_ups.warning());
        Ok(Converted {
            header,
            rows,
            report: self.report,
        })
    }
}

/// Why a share of a unit is set aside: "Federal Protective Service
/// [ice-fps]: transferred_out to NPPD".
fn gone_reason(row: &UnitParts, part: &Part) -> String {
    let fate = part.fate.map_or("gone", |f| f.name());
    let to = part
        .external
        .as_ref()
        .map_or(String::new(), |e| format!(" to {e}"));
    let share = if part.share < 1.0 {
        format!(" (share {})", format_number(part.share))
    } else {
        String::new()
    };
    format!("{} [{}]: {fate}{to}{share}", row.unit.label(), row.unit.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_plain_decimals() {
        assert_eq!(number(" 12 "), Some(12.0));
        assert_eq!(number("-3.5"), Some(-3.5));
        assert_eq!(number("1e3"), Some(1000.0));
        for not in ["", "inf", "NaN", "1,000", "12a", "e5", "-", "0x10"] {
            assert_eq!(number(not), None, "{not}");
        }
    }

    #[test]
    fn sums_keep_what_float_additions_drop() {
        let mut sum = Sum::default();
        let mut plain = 0.0;
        for _ in 0..1_000_000 {
            sum.add(5000.01);
            plain += 5000.01;
        }
        assert_eq!(format_number(sum.value()), "5000010000");
        assert_ne!(format_number(plain), "5000010000");
    }

    #[test]
    fn numbers_are_written_with_at_most_six_decimals() {
        assert_eq!(format_number(12.0), "12");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(7.0 / 3.0), "2.333333");
        assert_eq!(format_number(-0.0000001), "0");
        assert_eq!(format_number(-2.5), "-2.5");
    }
}

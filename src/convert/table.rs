//! The pieces of a conversion: reading rows, the role of each column, the
//! rejects, rolling units up, and one accumulator per unit at TO.

use std::io::{Read, Write};

use rustc_hash::{FxHashMap, FxHashSet};

use super::keys::Keys;
use super::{format_number, number, ConvertError, KeyBy, Options, RollUp, Sum, TextRule};
use crate::crosswalk::ShareBasis;
use crate::render::crosswalk::data_cell;
use crate::state::{OrgState, UnitIx};
use crate::text::fold;

/// The header of a table, checked: not empty, UTF-8, each name once.
pub(super) fn read_header<R: Read>(
    reader: &mut csv::Reader<R>,
) -> Result<Vec<String>, ConvertError> {
    let record = reader.headers().map_err(|e| csv_problem(&e, 1, &[]))?;
    if record.iter().all(str::is_empty) {
        return Err(ConvertError::new(
            "the table is empty",
            "a table starts with a header row naming its columns, then one row per record",
        ));
    }
    let mut header: Vec<String> = Vec::with_capacity(record.len());
    for name in record {
        let name = name.trim().to_string();
        if header.contains(&name) {
            return Err(ConvertError::new(
                format!("the header names the column `{name}` twice"),
                "give each column its own name",
            )
            .at(1, None));
        }
        header.push(name);
    }
    Ok(header)
}

/// Reads the next row (`row`, counting the header as row 1) into
/// `record`; false at the end.
pub(super) fn read_row<R: Read>(
    reader: &mut csv::Reader<R>,
    record: &mut csv::StringRecord,
    row: usize,
    header: &[String],
) -> Result<bool, ConvertError> {
    reader
        .read_record(record)
        .map_err(|e| csv_problem(&e, row, header))
}

fn csv_problem(e: &csv::Error, row: usize, header: &[String]) -> ConvertError {
    let row = e.position().map_or(row, |p| p.record() as usize + 1);
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => ConvertError::new(
            format!("this row has {len} cells, the header {expected_len}"),
            "give every row as many cells as the header; quote cells that hold commas",
        )
        .at(row, None),
        csv::ErrorKind::Utf8 { err, .. } => {
            let column = header
                .get(err.field())
                .cloned()
                .unwrap_or_else(|| format!("{}", err.field() + 1));
            ConvertError::new(
                "this cell is not UTF-8 text",
                "save the table as UTF-8 (most spreadsheets offer \"CSV UTF-8\")",
            )
            .at(row, Some(&column))
        }
        csv::ErrorKind::Io(io) => ConvertError::new(
            format!("cannot read the table: {io}"),
            "check that the file is readable",
        ),
        _ => ConvertError::new(format!("bad CSV: {e}"), "check the quoting of this row")
            .at(row, None),
    }
}

/// What a column is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Key,
    /// The `i`-th summed column.
    Sum(usize),
    /// The `i`-th text column.
    Text(usize),
    Drop,
}

/// The columns of a table and what each is for.
pub(super) struct Plan {
    pub header: Vec<String>,
    /// The key column.
    pub key: usize,
    roles: Vec<Role>,
    /// The summed columns and the text columns kept, in the table's order.
    pub sums: Vec<usize>,
    texts: Vec<usize>,
    by: KeyBy,
}

/// The columns a converted table adds: the keys that went into each row
/// and how their values were divided (and, keyed by name, the id).
const ADDED: [&str; 2] = ["from_keys", "shares"];

impl Plan {
    pub(super) fn new(header: &[String], options: &Options) -> Result<Plan, ConvertError> {
        let column = |name: &str| header.iter().position(|h| h == name);
        let listed = || header.join(", ");
        let key = column(&options.key).ok_or_else(|| {
            ConvertError::new(
                format!("the table has no column `{}`", options.key),
                format!(
                    "--key names the column of unit ids or names; the columns are {}",
                    listed()
                ),
            )
        })?;
        let mut roles = vec![Role::Drop; header.len()];
        roles[key] = Role::Key;
        let mut sums = Vec::new();
        for name in &options.sum {
            let c = column(name).ok_or_else(|| {
                ConvertError::new(
                    format!("--sum names `{name}`, which is not a column"),
                    format!("the columns are {}", listed()),
                )
            })?;
            if c == key {
                return Err(ConvertError::new(
                    format!("--sum names the key column `{name}`"),
                    "the key names units; sum other columns",
                ));
            }
            if roles[c] == Role::Drop {
                roles[c] = Role::Sum(sums.len());
                sums.push(c);
            }
        }
        sums.sort_unstable();
        for (i, &c) in sums.iter().enumerate() {
            roles[c] = Role::Sum(i);
        }
        let mut texts = Vec::new();
        if options.text != TextRule::Drop {
            for (c, role) in roles.iter_mut().enumerate() {
                if *role == Role::Drop {
                    *role = Role::Text(texts.len());
                    texts.push(c);
                }
            }
        }
        let plan = Plan {
            header: header.to_vec(),
            key,
            roles,
            sums,
            texts,
            by: options.by,
        };
        plan.check_added()?;
        Ok(plan)
    }

    /// The names of the added columns.
    fn added(&self) -> Vec<&'static str> {
        let id = (self.by == KeyBy::Name).then_some("id");
        id.into_iter().chain(ADDED).collect()
    }

    fn check_added(&self) -> Result<(), ConvertError> {
        for (c, role) in self.roles.iter().enumerate() {
            let name = &self.header[c];
            if *role != Role::Drop && self.added().contains(&name.as_str()) {
                return Err(ConvertError::new(
                    format!("the table has a column `{name}`, which the converted table adds"),
                    format!(
                        "rename the column: the converted table adds {}",
                        self.added().join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The values of the summed columns of a row (`None` for a blank
    /// cell).
    pub(super) fn values(
        &self,
        cells: &csv::StringRecord,
        row: usize,
        out: &mut [Option<f64>],
    ) -> Result<(), ConvertError> {
        for (slot, &c) in out.iter_mut().zip(&self.sums) {
            let cell = cells[c].trim();
            *slot = if cell.is_empty() {
                None
            } else {
                Some(number(cell).ok_or_else(|| {
                    ConvertError::new(
                        format!("`{cell}` is not a number, and this column is summed"),
                        "write plain numbers (12, -3.5) or leave the cell blank; \
                         to keep the column as text, name the summed columns with --sum",
                    )
                    .at(row, Some(&self.header[c]))
                })?)
            };
        }
        Ok(())
    }
}

/// Where rows set aside are written: the input's columns after `row` and
/// `reason`.
pub(super) struct Rejects<'w> {
    writer: Option<csv::Writer<&'w mut dyn Write>>,
}

impl<'w> Rejects<'w> {
    pub(super) fn new(
        writer: Option<&'w mut dyn Write>,
        header: &[String],
    ) -> Result<Self, ConvertError> {
        let mut rejects = Rejects {
            writer: writer.map(csv::Writer::from_writer),
        };
        let mut first = vec!["row".to_string(), "reason".to_string()];
        first.extend(header.iter().cloned());
        rejects.record(&first)?;
        Ok(rejects)
    }

    /// Writes a row set aside; summed values scaled by `share` when only a
    /// share of them is.
    pub(super) fn write(
        &mut self,
        plan: &Plan,
        row: usize,
        reason: &str,
        cells: &csv::StringRecord,
        values: &[Option<f64>],
        share: f64,
    ) -> Result<(), ConvertError> {
        if self.writer.is_none() {
            return Ok(());
        }
        let mut out = vec![row.to_string(), reason.to_string()];
        for (c, cell) in cells.iter().enumerate() {
            out.push(match plan.roles[c] {
                Role::Sum(i) if share < 1.0 => {
                    values[i].map_or(String::new(), |v| format_number(v * share))
                }
                _ => cell.to_string(),
            });
        }
        self.record(&out)
    }

    fn record(&mut self, cells: &[String]) -> Result<(), ConvertError> {
        let Some(writer) = &mut self.writer else {
            return Ok(());
        };
        writer
            .write_record(cells.iter().map(|c| data_cell(c).into_owned()))
            .map_err(|e| write_problem(&e))
    }

    pub(super) fn finish(&mut self) -> Result<(), ConvertError> {
        match &mut self.writer {
            Some(w) => w.flush().map_err(|e| write_problem(&e)),
            None => Ok(()),
        }
    }
}

fn write_problem(e: &dyn std::fmt::Display) -> ConvertError {
    ConvertError::new(
        format!("cannot write the rejects: {e}"),
        "check that the disk has room and the directory is writable",
    )
}

/// Rolls units at TO up to their ancestors.
pub(super) struct RollUps<'s> {
    state: &'s OrgState,
    rule: Option<RollUp>,
    /// The unit each unit rolls up to, once known.
    known: Vec<Option<UnitIx>>,
    /// Units with no ancestor of the kind asked for: how many, and the
    /// first.
    kept: usize,
    first_kept: Option<String>,
}

impl<'s> RollUps<'s> {
    pub(super) fn new(state: &'s OrgState, rule: Option<&RollUp>) -> Result<Self, ConvertError> {
        if let Some(rule) = rule {
            rule.check(state)?;
        }
        Ok(RollUps {
            state,
            rule: rule.cloned(),
            known: vec![None; state.len()],
            kept: 0,
            first_kept: None,
        })
    }

    /// The unit that `ix` rolls up to.
    pub(super) fn target(&mut self, ix: UnitIx) -> UnitIx {
        let Some(rule) = &self.rule else {
            return ix;
        };
        if let Some(t) = self.known[ix.index()] {
            return t;
        }
        let state = self.state;
        let mut line = vec![ix];
        line.extend(state.ancestors(ix));
        let target = match rule {
            RollUp::Depth(depth) => {
                // `line` runs from the unit up to the top, at depth 1.
                let from_top = line.len().saturating_sub(*depth);
                line[from_top.min(line.len() - 1)]
            }
            RollUp::Kind(kind) => {
                let kind = fold(kind);
                let found = line.iter().copied().find(|&a| {
                    state
                        .unit(a)
                        .kind
                        .as_deref()
                        .is_some_and(|k| fold(k) == kind)
                });
                found.unwrap_or_else(|| {
                    self.kept += 1;
                    self.first_kept
                        .get_or_insert_with(|| state.unit(ix).label());
                    ix
                })
            }
        };
        self.known[ix.index()] = Some(target);
        target
    }

    /// What to say of units that could not be rolled up.
    pub(super) fn warning(&self) -> Option<String> {
        let (Some(RollUp::Kind(kind)), Some(first)) = (&self.rule, &self.first_kept) else {
            return None;
        };
        Some(format!(
            "{} units at TO are not of kind `{kind}` and have no ancestor of that kind (the first: {first}); their rows are kept as they are",
            self.kept
        ))
    }
}

/// Text values, each kept once and numbered: rows repeat a few values
/// (a region, a category) many times, and numbers compare in place.
#[derive(Debug, Default)]
struct Texts {
    numbers: FxHashMap<Box<str>, u32>,
    values: Vec<Box<str>>,
}

impl Texts {
    fn number(&mut self, value: &str) -> u32 {
        if let Some(&n) = self.numbers.get(value) {
            return n;
        }
        let n = u32::try_from(self.values.len()).expect("fewer than 2^32 values");
        self.values.push(value.into());
        self.numbers.insert(value.into(), n);
        n
    }

    fn value(&self, n: u32) -> &str {
        &self.values[n as usize]
    }
}

/// Distinct values (by number) in the order first seen: looked for by a
/// scan while they are few, by a hash set beyond that.
#[derive(Debug, Clone, Default)]
struct Distinct {
    values: Vec<u32>,
    index: Option<FxHashSet<u32>>,
}

impl Distinct {
    /// How many values a scan looks through before a hash set is built.
    const SCANNED: usize = 16;

    fn add(&mut self, value: u32) {
        // Rows in a row often bring the value that came last.
        if self.values.last() == Some(&value) {
            return;
        }
        let seen = match &self.index {
            Some(index) => index.contains(&value),
            None => self.values.contains(&value),
        };
        if seen {
            return;
        }
        self.values.push(value);
        match &mut self.index {
            Some(index) => {
                index.insert(value);
            }
            None if self.values.len() > Self::SCANNED => {
                self.index = Some(self.values.iter().copied().collect());
            }
            None => {}
        }
    }
}

/// What the rows that go to one unit at TO hold besides their sums.
struct Target {
    texts: Vec<Distinct>,
    /// The keys that went into it, by number, in the order first seen.
    keys: Distinct,
    shares: ShareBasis,
}

/// One accumulator per unit at TO that rows go to.
pub(super) struct Targets {
    /// For each unit at TO (by index), its accumulator, once it has one.
    place: Vec<Option<u32>>,
    targets: Vec<Target>,
    /// The sums of accumulator `t` are `sums[t * width..(t + 1) * width]`
    /// (one slice of memory for all: a million rows touch them at
    /// random), and `filled` says whether a value, not a blank, went into
    /// each.
    sums: Vec<Sum>,
    filled: Vec<bool>,
    width: usize,
    rule: TextRule,
    /// The number of text columns, and their values.
    texts: usize,
    text_values: Texts,
}

impl Targets {
    pub(super) fn new(units: usize, plan: &Plan, rule: TextRule) -> Targets {
        Targets {
            place: vec![None; units],
            targets: Vec::new(),
            sums: Vec::new(),
            filled: Vec::new(),
            width: plan.sums.len(),
            rule,
            texts: plan.texts.len(),
            text_values: Texts::default(),
        }
    }

    /// The accumulator of a unit, made on first use.
    fn of(&mut self, unit: UnitIx) -> usize {
        if let Some(t) = self.place[unit.index()] {
            return t as usize;
        }
        let t = self.targets.len();
        self.place[unit.index()] = Some(u32::try_from(t).expect("fewer than 2^32 units"));
        self.targets.push(Target {
            texts: vec![Distinct::default(); self.texts],
            keys: Distinct::default(),
            shares: ShareBasis::Whole,
        });
        self.sums
            .resize(self.sums.len() + self.width, Sum::default());
        self.filled.resize(self.filled.len() + self.width, false);
        t
    }

    /// Adds a share of a row to a unit.
    pub(super) fn add(
        &mut self,
        plan: &Plan,
        unit: UnitIx,
        key: u32,
        cells: &csv::StringRecord,
        values: &[Option<f64>],
        (share, shares): (f64, ShareBasis),
    ) {
        let t = self.of(unit);
        let at = t * self.width;
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = v {
                self.sums[at + i].add(v * share);
                self.filled[at + i] = true;
            }
        }
        let target = &mut self.targets[t];
        target.shares = target.shares.max(shares);
        target.keys.add(key);
        for (i, &c) in plan.texts.iter().enumerate() {
            let cell = cells[c].trim();
            let values = &mut target.texts[i];
            let wanted = match self.rule {
                TextRule::First => values.values.is_empty(),
                TextRule::Join => true,
                TextRule::Drop => false,
            };
            if wanted && !cell.is_empty() {
                values.add(self.text_values.number(cell));
            }
        }
    }

    /// The converted table: its header, its rows in the order of the chart
    /// at TO, and the total of each summed column.
    pub(super) fn rows(
        &self,
        state: &OrgState,
        plan: &Plan,
        keys: &Keys,
    ) -> (Vec<String>, Vec<Vec<String>>, Vec<f64>) {
        let mut header: Vec<String> = (plan.roles.iter().zip(&plan.header))
            .filter(|(role, _)| **role != Role::Drop)
            .map(|(_, name)| name.clone())
            .collect();
        header.extend(plan.added().iter().map(std::string::ToString::to_string));
        let mut totals = vec![Sum::default(); self.width];
        let mut rows = Vec::new();
        for (ix, _) in state.preorder() {
            let Some(t) = self.place[ix.index()] else {
                continue;
            };
            let (t, at) = (t as usize, t as usize * self.width);
            let target = &self.targets[t];
            let unit = state.unit(ix);
            let mut row = Vec::with_capacity(header.len());
            for role in &plan.roles {
                match *role {
                    Role::Key if plan.by == KeyBy::Id => row.push(unit.id.clone()),
                    Role::Key => row.push(unit.name.clone()),
                    Role::Sum(i) => {
                        let sum = self.sums[at + i].value();
                        totals[i].add(sum);
                        row.push(if self.filled[at + i] {
                            format_number(sum)
                        } else {
                            String::new()
                        });
                    }
                    Role::Text(i) => {
                        let values: Vec<&str> = (target.texts[i].values.iter())
                            .map(|&n| self.text_values.value(n))
                            .collect();
                        row.push(values.join("; "));
                    }
                    Role::Drop => {}
                }
            }
            if plan.by == KeyBy::Name {
                row.push(unit.id.clone());
            }
            let from: Vec<&str> = target.keys.values.iter().map(|&k| keys.key(k)).collect();
            row.push(from.join("; "));
            row.push(target.shares.name().to_string());
            rows.push(row);
        }
        let totals = totals.iter().map(Sum::value).collect();
        (header, rows, totals)
    }
}

//! The pieces of a conversion: reading rows, the role of each column, the
//! rejects, rolling units up, and one accumulator per unit at TO.

use std::io::{Read, Write};

use rustc_hash::FxHashSet;

use super::keys::Keys;
use super::{format_number, number, ConvertError, KeyBy, Options, RollUp, TextRule};
use crate::crosswalk::ShareBasis;
use crate::render::crosswalk::data_cell;
use crate::state::{OrgState, UnitIx};
use crate::text::fold;

/// The header of a table, checked: not empty, UTF-8, each name once.
pub fn read_header<R: Read>(reader: &mut csv::Reader<R>) -> Result<Vec<String>, ConvertError> {
    let record = reader
        .byte_headers()
        .map_err(|e| csv_problem(&e, 1))?
        .clone();
    if record.iter().all(<[u8]>::is_empty) {
        return Err(ConvertError::new(
            "the table is empty",
            "a table starts with a header row naming its columns, then one row per record",
        ));
    }
    let mut header: Vec<String> = Vec::with_capacity(record.len());
    for (c, name) in record.iter().enumerate() {
        let name = std::str::from_utf8(name).map_err(|_| not_utf8(1, &format!("{}", c + 1)))?;
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

/// Reads the next row (`row`, counting the header as row 1); false at the
/// end.
pub fn read_row<R: Read>(
    reader: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
    row: usize,
) -> Result<bool, ConvertError> {
    reader
        .read_byte_record(record)
        .map_err(|e| csv_problem(&e, row))
}

/// The cells of a row, as text.
pub fn cells<'r>(
    record: &'r csv::ByteRecord,
    row: usize,
    header: &[String],
) -> Result<Vec<&'r str>, ConvertError> {
    (record.iter().enumerate())
        .map(|(c, cell)| std::str::from_utf8(cell).map_err(|_| not_utf8(row, &header[c])))
        .collect()
}

fn not_utf8(row: usize, column: &str) -> ConvertError {
    ConvertError::new(
        "this cell is not UTF-8 text",
        "save the table as UTF-8 (most spreadsheets offer \"CSV UTF-8\")",
    )
    .at(row, Some(column))
}

fn csv_problem(e: &csv::Error, row: usize) -> ConvertError {
    let row = e.position().map_or(row, |p| p.record() as usize + 1);
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => ConvertError::new(
            format!("this row has {len} cells, the header {expected_len}"),
            "give every row as many cells as the header; quote cells that hold commas",
        )
        .at(row, None),
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
pub struct Plan {
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
    pub fn new(header: &[String], options: &Options) -> Result<Plan, ConvertError> {
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
    pub fn values(
        &self,
        cells: &[&str],
        row: usize,
        out: &mut [Option<f64>],
    ) -> Result<(), ConvertError> {
        for (slot, &c) in out.iter_mut().zip(&self.sums) {
            let cell = cells[c];
            *slot = if cell.trim().is_empty() {
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
pub struct Rejects<'w> {
    writer: Option<csv::Writer<&'w mut dyn Write>>,
}

impl<'w> Rejects<'w> {
    pub fn new(writer: Option<&'w mut dyn Write>, header: &[String]) -> Result<Self, ConvertError> {
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
    pub fn write(
        &mut self,
        plan: &Plan,
        row: usize,
        reason: &str,
        cells: &[&str],
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
                _ => (*cell).to_string(),
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

    pub fn finish(&mut self) -> Result<(), ConvertError> {
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
pub struct RollUps<'s> {
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
    pub fn new(state: &'s OrgState, rule: Option<&RollUp>) -> Result<Self, ConvertError> {
        if let Some(rule) = rule {
            rule.check(state)
                .map_err(|(message, help)| ConvertError::new(message, help))?;
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
    pub fn target(&mut self, ix: UnitIx) -> UnitIx {
        if let Some(t) = self.known[ix.index()] {
            return t;
        }
        let state = self.state;
        let mut line = vec![ix];
        line.extend(state.ancestors(ix));
        let target = match &self.rule {
            None => ix,
            Some(RollUp::Depth(depth)) => {
                // `line` runs from the unit up to the top, at depth 1.
                let from_top = line.len().saturating_sub(*depth);
                line[from_top.min(line.len() - 1)]
            }
            Some(RollUp::Kind(kind)) => {
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
    pub fn warning(&self) -> Option<String> {
        let (Some(RollUp::Kind(kind)), Some(first)) = (&self.rule, &self.first_kept) else {
            return None;
        };
        Some(format!(
            "{} units at TO are not of kind `{kind}` and have no ancestor of that kind (the first: {first}); their rows are kept as they are",
            self.kept
        ))
    }
}

/// What the rows that go to one unit at TO add up to.
struct Target {
    sums: Vec<f64>,
    /// Whether a value (not a blank) went into each sum.
    filled: Vec<bool>,
    texts: Vec<Vec<String>>,
    /// The keys that went into it, by number, in the order first seen.
    keys: Vec<u32>,
    shares: ShareBasis,
}

/// One accumulator per unit at TO.
pub struct Targets {
    units: Vec<Option<Target>>,
    /// (unit, key) pairs, and (unit, text column, value) triples, seen.
    keys_seen: FxHashSet<(u32, u32)>,
    texts_seen: FxHashSet<(u32, u32, String)>,
    rule: TextRule,
    sums: usize,
    texts: usize,
}

impl Targets {
    pub fn new(units: usize, plan: &Plan, rule: TextRule) -> Targets {
        let mut slots = Vec::with_capacity(units);
        slots.resize_with(units, || None);
        Targets {
            units: slots,
            keys_seen: FxHashSet::default(),
            texts_seen: FxHashSet::default(),
            rule,
            sums: plan.sums.len(),
            texts: plan.texts.len(),
        }
    }

    /// Adds a share of a row to a unit.
    pub fn add(
        &mut self,
        plan: &Plan,
        unit: UnitIx,
        key: u32,
        cells: &[&str],
        values: &[Option<f64>],
        (share, shares): (f64, ShareBasis),
    ) {
        let (sums, texts) = (self.sums, self.texts);
        let target = self.units[unit.index()].get_or_insert_with(|| Target {
            sums: vec![0.0; sums],
            filled: vec![false; sums],
            texts: vec![Vec::new(); texts],
            keys: Vec::new(),
            shares: ShareBasis::Whole,
        });
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = v {
                target.sums[i] += v * share;
                target.filled[i] = true;
            }
        }
        target.shares = target.shares.max(shares);
        let u = u32::try_from(unit.index()).expect("fewer than 2^32 units");
        if self.keys_seen.insert((u, key)) {
            target.keys.push(key);
        }
        for (i, &c) in plan.texts.iter().enumerate() {
            let cell = cells[c].trim();
            let values = &mut target.texts[i];
            let wanted = match self.rule {
                TextRule::First => values.is_empty(),
                TextRule::Join => true,
                TextRule::Drop => false,
            };
            if !cell.is_empty()
                && wanted
                && !self.texts_seen.contains(&(u, i as u32, cell.to_string()))
            {
                self.texts_seen.insert((u, i as u32, cell.to_string()));
                values.push(cell.to_string());
            }
        }
    }

    /// The converted table: its header, its rows in the order of the chart
    /// at TO, and the total of each summed column.
    pub fn rows(
        &self,
        state: &OrgState,
        plan: &Plan,
        keys: &Keys,
    ) -> (Vec<String>, Vec<Vec<String>>, Vec<f64>) {
        let mut header: Vec<String> = (plan.roles.iter().zip(&plan.header))
            .filter(|(role, _)| **role != Role::Drop)
            .map(|(_, name)| name.clone())
            .collect();
        header.extend(plan.added().iter().map(|s| s.to_string()));
        let mut totals = vec![0.0; self.sums];
        let mut rows = Vec::new();
        for (ix, _) in state.preorder() {
            let Some(target) = &self.units[ix.index()] else {
                continue;
            };
            let unit = state.unit(ix);
            let mut row = Vec::with_capacity(header.len());
            for role in &plan.roles {
                match *role {
                    Role::Key if plan.by == KeyBy::Id => row.push(unit.id.clone()),
                    Role::Key => row.push(unit.name.clone()),
                    Role::Sum(i) => {
                        totals[i] += target.sums[i];
                        row.push(if target.filled[i] {
                            format_number(target.sums[i])
                        } else {
                            String::new()
                        });
                    }
                    Role::Text(i) => row.push(target.texts[i].join("; ")),
                    Role::Drop => {}
                }
            }
            if plan.by == KeyBy::Name {
                row.push(unit.id.clone());
            }
            let from: Vec<&str> = target.keys.iter().map(|&k| keys.key(k)).collect();
            row.push(from.join("; "));
            row.push(target.shares.name().to_string());
            rows.push(row);
        }
        (header, rows, totals)
    }
}

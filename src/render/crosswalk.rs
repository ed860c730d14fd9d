//! Renderers of a [`Crosswalk`]: a table for people, Markdown, CSV (one
//! row per unit at FROM and part at TO) and the versioned JSON contract;
//! and the CSV of a converted table. Each only reads its value.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::Serialize;

use super::escape;
use super::term::Layout;
use crate::convert::{format_number, number};
use crate::crosswalk::{Crosswalk, Part, Relation, Row, ShareBasis};
use crate::diff::{Basis, Endpoint, UnitSide};

/// The version of the JSON document; bumped on any incompatible change.
pub const SCHEMA: &str = "reorg.crosswalk/1";

/// "N units at 2008 under HSI: 3 same, 2 renamed...".
fn heading(cw: &Crosswalk) -> String {
    let under = cw
        .under
        .as_ref()
        .map_or(String::new(), |u| format!(" under {}", u.label()));
    let mut counts: Vec<(Relation, usize)> = Vec::new();
    for row in &cw.rows {
        match counts.iter_mut().find(|(r, _)| *r == row.relation) {
            Some((_, n)) => *n += 1,
            None => counts.push((row.relation, 1)),
        }
    }
    counts.sort();
    let counts: Vec<String> = counts
        .iter()
        .map(|(r, n)| format!("{n} {}", r.name()))
        .collect();
    let units = match cw.rows.len() {
        1 => "1 unit".to_string(),
        n => format!("{n} units"),
    };
    format!(
        "Crosswalk from {} to {}: {units} at {}{under}{}{}",
        cw.from.date,
        cw.to.date,
        cw.from.date,
        if counts.is_empty() { "" } else { " — " },
        counts.join(", ")
    )
}

/// "Name (ACR) ×0.5 (equal)", or how a share left.
fn part_text(part: &Part) -> String {
    let what = match (&part.unit, part.fate) {
        (Some(u), _) => u.label(),
        (None, fate) => {
            let fate = fate.map_or("gone", Relation::name);
            match &part.external {
                Some(e) => format!("{fate} to {e}"),
                None => fate.to_string(),
            }
        }
    };
    match part.shares {
        ShareBasis::Whole => what,
        shares => format!("{what} ×{} ({})", format_number(part.share), shares.name()),
    }
}

/// The cells of a row for people: unit at FROM, relation, at TO, when,
/// basis and confidence.
fn cells(row: &Row) -> Vec<String> {
    let parts: Vec<String> = row.parts.iter().map(part_text).collect();
    let relation = if row.aspects.len() > 1 {
        let aspects: Vec<&str> = row.aspects.iter().map(|r| r.name()).collect();
        format!("{} ({})", row.relation.name(), aspects.join(", "))
    } else {
        row.relation.name().to_string()
    };
    vec![
        format!("{} [{}]", row.unit.label(), row.unit.id),
        relation,
        parts.join(" + "),
        row.date
            .as_ref()
            .map_or("—".to_string(), std::string::ToString::to_string),
        format!("{} {:.2}", row.basis.name(), row.confidence),
    ]
}

const HEADER: [&str; 5] = ["unit at FROM", "relation", "at TO", "when", "basis"];

/// A table, one row per unit at FROM, under its heading, fitted to
/// `width`.
pub fn table(cw: &Crosswalk, width: Option<usize>) -> String {
    let layout = Layout {
        width,
        styled: false,
    };
    let mut out = String::new();
    for line in layout.wrap(&heading(cw), 2) {
        out.push_str(&line);
        out.push('\n');
    }
    let rows: Vec<Vec<String>> = cw.rows.iter().map(cells).collect();
    out.push_str(&super::table(&HEADER, &rows, width));
    out
}

/// A Markdown table, one row per unit at FROM.
pub fn markdown(cw: &Crosswalk) -> String {
    let mut out = format!("# {}\n\n", escape::markdown(&heading(cw)));
    let _ = writeln!(out, "| {} |", HEADER.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(HEADER.len()));
    for row in &cw.rows {
        let escaped: Vec<String> = cells(row).iter().map(|c| escape::markdown(c)).collect();
        let _ = writeln!(out, "| {} |", escaped.join(" | "));
    }
    out
}

/// CSV: one row per unit at FROM and part at TO (a unit divided among
/// several parts has a row for each), guarded against formula injection.
pub fn csv(cw: &Crosswalk) -> String {
    let mut rows = Vec::new();
    for row in &cw.rows {
        for part in &row.parts {
            let (to_id, to_name) = match (&part.unit, &part.external) {
                (Some(u), _) => (u.id.clone(), u.name.clone()),
                (None, external) => (String::new(), external.clone().unwrap_or_default()),
            };
            rows.push(vec![
                row.unit.id.clone(),
                row.unit.name.clone(),
                row.relation.name().to_string(),
                to_id,
                to_name,
                format_number(part.share),
                part.shares.name().to_string(),
                part.fate.map_or("", Relation::name).to_string(),
                row.date
                    .as_ref()
                    .map_or(String::new(), std::string::ToString::to_string),
                row.basis.name().to_string(),
                format!("{:.3}", row.confidence),
            ]);
        }
    }
    super::csv(
        &[
            "from_id",
            "from_name",
            "relation",
            "to_id",
            "to_name",
            "share",
            "shares",
            "fate",
            "date",
            "basis",
            "confidence",
        ],
        &rows,
    )
}

#[derive(Serialize)]
struct JsonCrosswalk<'a> {
    schema: &'static str,
    from: &'a Endpoint,
    to: &'a Endpoint,
    under: Option<&'a UnitSide>,
    units: Vec<JsonRow<'a>>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    unit: &'a UnitSide,
    relation: Relation,
    aspects: &'a [Relation],
    to: Vec<JsonPart<'a>>,
    date: Option<&'a str>,
    earliest: Option<String>,
    latest: Option<String>,
    basis: Basis,
    confidence: f64,
    evidence: &'a [String],
    sources: &'a [String],
}

#[derive(Serialize)]
struct JsonPart<'a> {
    unit: Option<&'a UnitSide>,
    share: f64,
    shares: ShareBasis,
    fate: Option<Relation>,
    external: Option<&'a str>,
    basis: Basis,
    confidence: f64,
}

/// Rounded to `places` decimals: enough to read, stable to print.
fn rounded(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (x * scale).round() / scale
}

/// The `reorg.crosswalk/1` JSON document (see `docs/json.md`).
pub fn json(cw: &Crosswalk) -> String {
    let units = cw
        .rows
        .iter()
        .map(|row| JsonRow {
            unit: &row.unit,
            relation: row.relation,
            aspects: &row.aspects,
            to: row
                .parts
                .iter()
                .map(|p| JsonPart {
                    unit: p.unit.as_ref(),
                    share: rounded(p.share, 6),
                    shares: p.shares,
                    fate: p.fate,
                    external: p.external.as_deref(),
                    basis: p.basis,
                    confidence: rounded(p.confidence, 3),
                })
                .collect(),
            date: row.date.as_ref().map(super::super::date::Date::as_str),
            earliest: row
                .date
                .as_ref()
                .and_then(super::super::date::Date::earliest_bound)
                .map(|d| d.to_string()),
            latest: row
                .date
                .as_ref()
                .and_then(super::super::date::Date::latest_bound)
                .map(|d| d.to_string()),
            basis: row.basis,
            confidence: rounded(row.confidence, 3),
            evidence: &row.evidence,
            sources: &row.sources,
        })
        .collect();
    let doc = JsonCrosswalk {
        schema: SCHEMA,
        from: &cw.from,
        to: &cw.to,
        under: cw.under.as_ref(),
        units,
    };
    serde_json::to_string_pretty(&doc).expect("JSON of plain values") + "\n"
}

/// A cell of a data table: a number as it is (a spreadsheet reads it as a
/// number, never a formula), any other text guarded against formula
/// injection as every CSV `reorg` writes is.
pub(crate) fn data_cell(s: &str) -> Cow<'_, str> {
    if number(s).is_some() {
        Cow::Borrowed(s)
    } else {
        let guarded = super::csv_cell(s);
        if guarded == s {
            Cow::Borrowed(s)
        } else {
            Cow::Owned(guarded)
        }
    }
}

/// The CSV of a converted table.
pub fn data_csv(header: &[String], rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header.iter().map(|h| data_cell(h).into_owned()))
        .expect("writing to memory");
    for row in rows {
        w.write_record(row.iter().map(|c| data_cell(c).into_owned()))
            .expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cells_keep_numbers_and_defuse_formulas() {
        assert_eq!(data_cell("-12.5"), "-12.5");
        assert_eq!(data_cell("=1+2"), "'=1+2");
        assert_eq!(data_cell("-1+2"), "'-1+2");
        assert_eq!(data_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(data_cell("Office"), "Office");
    }
}

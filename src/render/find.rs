//! Renderers of `find` results: a table, CSV, Markdown and a JSON document.

use serde::Serialize;

use super::escape;
use crate::diff::UnitSide;
use crate::find::Found;

/// The version of the JSON document.
pub(crate) const SCHEMA: &str = "reorg.find/1";

fn years(f: &Found) -> String {
    match f.years {
        (a, None) => format!("{a}–now"),
        (a, Some(b)) if a == b => a.to_string(),
        (a, Some(b)) => format!("{a}–{b}"),
    }
}

const HEADER: [&str; 6] = ["unit", "years", "kind", "parent", "id", "matched"];

/// One row per result, the cells of [`HEADER`].
fn rows(found: &[Found]) -> Vec<Vec<String>> {
    found
        .iter()
        .map(|f| {
            vec![
                f.unit.label(),
                years(f),
                f.unit.kind.clone().unwrap_or_default(),
                f.unit.parent_name.clone().unwrap_or_default(),
                f.unit.id.clone(),
                f.matched.clone(),
            ]
        })
        .collect()
}

/// A table, best match first.
pub(crate) fn table(found: &[Found], width: Option<usize>) -> String {
    super::table(&HEADER, &rows(found), width)
}

/// CSV with the table's columns, best match first.
pub(crate) fn csv(found: &[Found]) -> String {
    super::csv(&HEADER, &rows(found))
}

/// A Markdown table with the table's columns, best match first.
pub(crate) fn markdown(found: &[Found]) -> String {
    let mut out = format!(
        "| {} |\n|{}\n",
        HEADER.join(" | "),
        "---|".repeat(HEADER.len())
    );
    for row in rows(found) {
        let escaped: Vec<String> = row.iter().map(|s| escape::markdown(s)).collect();
        out.push_str(&format!("| {} |\n", escaped.join(" | ")));
    }
    out
}

#[derive(Serialize)]
struct JsonFound<'a> {
    unit: &'a UnitSide,
    matched: &'a str,
    first_year: i32,
    last_year: Option<i32>,
    score: f64,
}

/// The `reorg.find/1` JSON document.
pub(crate) fn json(query: &str, found: &[Found]) -> String {
    let results: Vec<JsonFound> = found
        .iter()
        .map(|f| JsonFound {
            unit: &f.unit,
            matched: &f.matched,
            first_year: f.years.0,
            last_year: f.years.1,
            score: (f.score * 1000.0).round() / 1000.0,
        })
        .collect();
    let doc = serde_json::json!({ "schema": SCHEMA, "query": query, "results": results });
    serde_json::to_string_pretty(&doc).expect("JSON of plain values") + "\n"
}

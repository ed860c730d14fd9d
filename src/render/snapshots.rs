//! `snapshots`: the list of a dataset's snapshots as a table, CSV or the
//! `reorg.snapshots/1` JSON document.

use crate::observation::Observation;

const HEADER: [&str; 6] = ["date", "id", "scope", "title", "units", "sources"];

/// One row per snapshot, in the columns of [`HEADER`].
fn rows(snapshots: &[Observation]) -> Vec<Vec<String>> {
    snapshots
        .iter()
        .map(|s| {
            vec![
                s.date.to_string(),
                s.id.clone(),
                s.scope.clone().unwrap_or_else(|| "(whole)".to_string()),
                s.title.clone(),
                s.unit_count().to_string(),
                s.sources.join(", "),
            ]
        })
        .collect()
}

/// A table, fitted to `width` columns when there is a width to fit.
pub(crate) fn table(snapshots: &[Observation], width: Option<usize>) -> String {
    super::table(&HEADER, &rows(snapshots), width)
}

/// The same rows as CSV.
pub(crate) fn csv(snapshots: &[Observation]) -> String {
    super::csv(&HEADER, &rows(snapshots))
}

/// The `reorg.snapshots/1` document (docs/json.md).
pub(crate) fn json(snapshots: &[Observation]) -> String {
    let list: Vec<serde_json::Value> = snapshots
        .iter()
        .map(|s| {
            serde_json::json!({
                "id": s.id,
                "date": s.date,
                "earliest": s.date.earliest_bound().map(|d| d.to_string()),
                "latest": s.date.latest_bound().map(|d| d.to_string()),
                "scope": s.scope,
                "title": s.title,
                "units": s.unit_count(),
                "sources": s.sources,
                "file": s.file,
            })
        })
        .collect();
    let doc = serde_json::json!({ "schema": "reorg.snapshots/1", "snapshots": list });
    serde_json::to_string_pretty(&doc).expect("JSON of plain values")
        + "
"
}

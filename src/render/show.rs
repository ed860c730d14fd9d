//! `show`: the organization, or one unit's subtree, at a date, as a tree,
//! a table, the `reorg.show/1` JSON document or the import CSV format.

use crate::dataset::Dataset;
use crate::date::Day;
use crate::state::{OrgState, UnitIx};

/// What to print: a state, the units chosen from it, and where it came from.
pub(crate) struct View<'a> {
    pub dataset: &'a Dataset,
    pub state: &'a OrgState,
    pub day: Option<Day>,
    /// The units shown, in tree order, with their depth below the top
    /// shown.
    pub units: Vec<(UnitIx, usize)>,
}

/// The header: the date and the snapshots the state is assembled from.
fn provenance(view: &View) -> String {
    let day = view.day.unwrap_or(Day::MAX);
    let mut s = match view.day {
        Some(d) => format!("Organization on {d}, assembled from:\n"),
        None => "Organization as of the latest snapshot, assembled from:\n".to_string(),
    };
    for c in view.state.contributions(view.dataset.snapshots(), day) {
        let snap = &view.dataset.snapshots()[c.snapshot];
        let scope = snap
            .scope
            .as_deref()
            .map_or("whole".to_string(), |s| format!("scope {s}"));
        let possibly = if c.possibly {
            format!(
                "  (possibly: dated {}, which straddles the date)",
                snap.date
            )
        } else {
            String::new()
        };
        s.push_str(&format!(
            "  {}  {} [{}] ({}){}\n",
            snap.date,
            super::one_line(&snap.title),
            snap.id,
            scope,
            possibly
        ));
    }
    s
}

/// The units as an indented tree under the provenance header.
pub(crate) fn tree(view: &View) -> String {
    let mut out = provenance(view);
    out.push('\n');
    // For each depth, whether the ancestor at that depth has later siblings.
    let mut open: Vec<bool> = Vec::new();
    for (i, &(ix, depth)) in view.units.iter().enumerate() {
        let has_later_sibling = view.units[i + 1..]
            .iter()
            .take_while(|&&(_, d)| d >= depth)
            .any(|&(_, d)| d == depth);
        open.truncate(depth);
        let label = super::one_line(&view.state.unit(ix).label());
        if depth == 0 {
            out.push_str(&label);
        } else {
            for &o in &open[1..] {
                out.push_str(if o { "│   " } else { "    " });
            }
            out.push_str(if has_later_sibling {
                "├── "
            } else {
                "└── "
            });
            out.push_str(&label);
        }
        out.push('\n');
        open.push(has_later_sibling);
    }
    out
}

fn parent_id(view: &View, ix: UnitIx) -> String {
    view.state
        .parent(ix)
        .map(|p| view.state.unit(p).id.clone())
        .unwrap_or_default()
}

/// The units as a table (name indented by depth, acronym, kind, id, the
/// snapshot that documented it), fitted to the layout's width.
pub(crate) fn table(view: &View, layout: &super::term::Layout) -> String {
    let rows: Vec<Vec<String>> = view
        .units
        .iter()
        .map(|&(ix, depth)| {
            let u = view.state.unit(ix);
            vec![
                format!("{}{}", "  ".repeat(depth), u.name),
                u.acronym.clone().unwrap_or_default(),
                u.kind.clone().unwrap_or_default(),
                u.id.clone(),
                view.dataset.snapshots()[view.state.observed_in(ix)]
                    .id
                    .clone(),
            ]
        })
        .collect();
    let mut out = layout.fit(&provenance(view));
    out.push('\n');
    out.push_str(&super::table(
        &["unit", "acronym", "kind", "id", "observed in"],
        &rows,
        layout.width,
    ));
    out
}

/// The `reorg.show/1` JSON document: the date, the snapshots, and the units
/// in tree order with their parents.
pub(crate) fn json(view: &View) -> String {
    let day = view.day.unwrap_or(Day::MAX);
    let snapshots: Vec<serde_json::Value> = view
        .state
        .contributions(view.dataset.snapshots(), day)
        .iter()
        .map(|c| {
            let s = &view.dataset.snapshots()[c.snapshot];
            serde_json::json!({ "id": s.id, "date": s.date, "scope": s.scope, "possibly": c.possibly })
        })
        .collect();
    let units: Vec<serde_json::Value> = view
        .units
        .iter()
        .map(|&(ix, depth)| {
            let u = view.state.unit(ix);
            let parent = view.state.parent(ix).map(|p| view.state.unit(p).id.clone());
            serde_json::json!({
                "id": u.id,
                "name": u.name,
                "acronym": u.acronym,
                "aliases": u.aliases,
                "kind": u.kind,
                "parent": parent,
                "depth": depth,
                "description": u.description,
                "note": u.note,
                "sources": u.sources,
                "observed_in": view.dataset.snapshots()[view.state.observed_in(ix)].id,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "schema": "reorg.show/1",
        "date": view.day.map(|d| d.to_string()),
        "snapshots": snapshots,
        "units": units,
    });
    serde_json::to_string_pretty(&doc).expect("JSON of plain values") + "\n"
}

/// The import CSV format (its columns: [`crate::import::COLUMNS`]).
pub(crate) fn csv(view: &View) -> String {
    let rows: Vec<Vec<String>> = view
        .units
        .iter()
        .map(|&(ix, depth)| {
            let u = view.state.unit(ix);
            let parent = if depth == 0 {
                String::new()
            } else {
                parent_id(view, ix)
            };
            vec![
                u.id.clone(),
                u.name.clone(),
                parent,
                u.kind.clone().unwrap_or_default(),
                u.acronym.clone().unwrap_or_default(),
                u.aliases.join(";"),
                u.description.clone().unwrap_or_default(),
            ]
        })
        .collect();
    super::csv(&crate::import::COLUMNS, &rows)
}

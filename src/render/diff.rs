//! Renderers of a [`Diff`] for machines and pictures: the versioned JSON
//! contract, a CSV crosswalk, Graphviz DOT and Mermaid. Each only reads
//! the diff; the forms people read are in `changes.rs`.

use serde::Serialize;

use super::escape;
use super::graph::{Drawing, Node};
use crate::diff::{Change, Diff, UnitSide, Via};
use crate::model::ChangeKind;

/// The version of the JSON document; bumped on any incompatible change.
pub const SCHEMA: &str = "reorg.diff/2";

/// "Name (ACR)" for each unit (with its parent, for a move), or the
/// outside body of a transfer.
fn sides(units: &[UnitSide], external: Option<&str>, with_parent: bool) -> String {
    let mut names: Vec<String> = units
        .iter()
        .map(|u| match (&u.parent_name, with_parent) {
            (Some(p), true) => format!("{}, under {p}", u.label()),
            (None, true) => format!("{}, at the top", u.label()),
            _ => u.label(),
        })
        .collect();
    if let Some(e) = external {
        names.push(format!("{e} (outside)"));
    }
    if names.is_empty() {
        "—".to_string()
    } else {
        names.join(" + ")
    }
}

fn from_text(c: &Change) -> String {
    let external = (c.kind == ChangeKind::TransferredIn)
        .then_some(c.external.as_deref())
        .flatten();
    sides(&c.from, external, c.kind == ChangeKind::Moved)
}

fn to_text(c: &Change) -> String {
    let external = (c.kind == ChangeKind::TransferredOut)
        .then_some(c.external.as_deref())
        .flatten();
    sides(&c.to, external, c.kind == ChangeKind::Moved)
}

fn date_text(c: &Change) -> String {
    c.date
        .as_ref()
        .map_or("—".to_string(), std::string::ToString::to_string)
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    schema: &'static str,
    from: JsonEndpoint<'a>,
    to: JsonEndpoint<'a>,
    changes: Vec<JsonChange<'a>>,
}

#[derive(Serialize)]
struct JsonEndpoint<'a> {
    date: &'a str,
    day: Option<String>,
    snapshots: &'a [String],
    possibly: &'a [String],
}

impl<'a> JsonEndpoint<'a> {
    fn of(e: &'a crate::diff::Endpoint) -> JsonEndpoint<'a> {
        JsonEndpoint {
            date: &e.date,
            day: e.day.map(|d| d.to_string()),
            snapshots: &e.snapshots,
            possibly: &e.possibly,
        }
    }
}

/// A change as the JSON documents show it (diff, timeline, lineage).
#[derive(Serialize)]
pub(crate) struct JsonChange<'a> {
    kind: ChangeKind,
    aspects: &'a [ChangeKind],
    from: &'a [UnitSide],
    to: &'a [UnitSide],
    parts: &'a [crate::diff::Part],
    external: Option<&'a str>,
    date: Option<&'a str>,
    earliest: Option<String>,
    latest: Option<String>,
    basis: crate::diff::Basis,
    confidence: f64,
    evidence: &'a [String],
    sources: &'a [String],
    via: &'a [Via],
    area: Option<&'a UnitSide>,
}

impl<'a> JsonChange<'a> {
    pub(crate) fn of(c: &'a Change) -> JsonChange<'a> {
        JsonChange {
            kind: c.kind,
            aspects: &c.aspects,
            from: &c.from,
            to: &c.to,
            parts: &c.parts,
            external: c.external.as_deref(),
            date: c.date.as_ref().map(super::super::date::Date::as_str),
            earliest: c
                .date
                .as_ref()
                .and_then(super::super::date::Date::earliest_bound)
                .map(|d| d.to_string()),
            latest: c
                .date
                .as_ref()
                .and_then(super::super::date::Date::latest_bound)
                .map(|d| d.to_string()),
            basis: c.basis,
            // Three decimals: enough to read, stable to print.
            confidence: (c.confidence * 1000.0).round() / 1000.0,
            evidence: &c.evidence,
            sources: &c.sources,
            via: &c.via,
            area: c.area.as_deref(),
        }
    }
}

/// The `reorg.diff/2` JSON document (see `docs/json.md`).
pub fn json(diff: &Diff) -> String {
    json_with_schema(diff, SCHEMA)
}

/// The changes of a diff as a JSON document of the given schema (a
/// timeline shares the diff's shape).
pub fn json_with_schema(diff: &Diff, schema: &'static str) -> String {
    let doc = JsonDiff {
        schema,
        from: JsonEndpoint::of(&diff.from),
        to: JsonEndpoint::of(&diff.to),
        changes: diff.changes.iter().map(JsonChange::of).collect(),
    };
    serde_json::to_string_pretty(&doc).expect("JSON of plain values") + "\n"
}

/// A crosswalk: one row per pair of units each change maps (see
/// [`Change::pairs`]).
pub fn csv(diff: &Diff) -> String {
    let mut rows = Vec::new();
    for c in &diff.changes {
        let nothing = c.external.clone().unwrap_or_default();
        for (f, t) in c.pairs() {
            let (from_id, from_name) = f.map_or((String::new(), nothing.clone()), |u| {
                (u.id.clone(), u.name.clone())
            });
            let (to_id, to_name) = t.map_or((String::new(), nothing.clone()), |u| {
                (u.id.clone(), u.name.clone())
            });
            rows.push(vec![
                from_id,
                from_name,
                to_id,
                to_name,
                c.kind.to_string(),
                c.date
                    .as_ref()
                    .map(std::string::ToString::to_string)
                    .unwrap_or_default(),
                c.basis.name().to_string(),
                format!("{:.3}", c.confidence),
            ]);
        }
    }
    super::csv(
        &[
            "from_id",
            "from_name",
            "to_id",
            "to_name",
            "kind",
            "date",
            "basis",
            "confidence",
        ],
        &rows,
    )
}

/// The units on each side as two groups of boxes, the changes as arrows.
fn drawing(diff: &Diff) -> Drawing {
    let mut before: Vec<Node> = Vec::new();
    let mut after: Vec<Node> = Vec::new();
    let mut edges = Vec::new();
    // The node of a label in a group, added on first use.
    let node = |list: &mut Vec<Node>, prefix: &str, label: String| -> String {
        if let Some(n) = list.iter().find(|n| n.label == label) {
            return n.id.clone();
        }
        let id = escape::node_id(prefix, list.len());
        list.push(Node::new(id.clone(), label));
        id
    };
    for c in &diff.changes {
        let label = format!("{} {}", c.kind, date_text(c));
        // An arrow for each pair of units the change maps, as the
        // crosswalk does: a part to itself, not to every unit after.
        for (f, t) in c.pairs() {
            let f = f.map_or_else(|| from_text(c).replace('—', "(none)"), UnitSide::label);
            let t = t.map_or_else(|| to_text(c).replace('—', "(none)"), UnitSide::label);
            let (f, t) = (node(&mut before, "b", f), node(&mut after, "a", t));
            edges.push((f, t, label.clone()));
        }
    }
    Drawing {
        groups: vec![
            ("before".to_string(), diff.from.date.clone(), before),
            ("after".to_string(), diff.to.date.clone(), after),
        ],
        nodes: Vec::new(),
        edges,
    }
}

/// A Graphviz digraph: FROM units on the left, TO units on the right.
pub fn dot(diff: &Diff) -> String {
    drawing(diff).dot("reorg_diff")
}

/// A Mermaid flowchart: FROM units on the left, TO units on the right.
pub fn mermaid(diff: &Diff) -> String {
    drawing(diff).mermaid()
}

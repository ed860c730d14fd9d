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

/// The pairs of units a change maps, for a crosswalk: a unit on both
/// sides (see [`Change::parts`]) to itself; every other unit before to
/// every other unit after, or, when one side has no other unit, to every
/// unit on the other side (a unit split off the one that continues came
/// from it). `None` stands for no unit: the outside body of a transfer,
/// or nothing.
fn pairs(c: &Change) -> Vec<(Option<&UnitSide>, Option<&UnitSide>)> {
    let mut out: Vec<(Option<&UnitSide>, Option<&UnitSide>)> = c
        .parts
        .iter()
        .map(|p| (Some(&c.from[p.from]), Some(&c.to[p.to])))
        .collect();
    let rest_from: Vec<&UnitSide> = (0..c.from.len())
        .filter(|&i| !c.parts.iter().any(|p| p.from == i))
        .map(|i| &c.from[i])
        .collect();
    let rest_to: Vec<&UnitSide> = (0..c.to.len())
        .filter(|&i| !c.parts.iter().any(|p| p.to == i))
        .map(|i| &c.to[i])
        .collect();
    if rest_from.is_empty() && rest_to.is_empty() {
        return out;
    }
    let (froms, tos) = (widened(&rest_from, &c.from), widened(&rest_to, &c.to));
    for f in &froms {
        for t in &tos {
            out.push((*f, *t));
        }
    }
    out
}

/// The units left on one side of a change once its parts are paired; when
/// none is, every unit of that side, or no unit at all.
fn widened<'a>(rest: &[&'a UnitSide], all: &'a [UnitSide]) -> Vec<Option<&'a UnitSide>> {
    match (rest.is_empty(), all.is_empty()) {
        (false, _) => rest.iter().map(|&u| Some(u)).collect(),
        (true, true) => vec![None],
        (true, false) => all.iter().map(Some).collect(),
    }
}

/// A crosswalk: one row per pair of units each change maps (see
/// `pairs`).
pub fn csv(diff: &Diff) -> String {
    let mut rows = Vec::new();
    for c in &diff.changes {
        let nothing = c.external.clone().unwrap_or_default();
        for (f, t) in pairs(c) {
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
        let froms: Vec<String> = if c.from.is_empty() {
            vec![node(&mut before, "b", from_text(c).replace('—', "(none)"))]
        } else {
            c.from
                .iter()
                .map(|u| node(&mut before, "b", u.label()))
                .collect()
        };
        let tos: Vec<String> = if c.to.is_empty() {
            vec![node(&mut after, "a", to_text(c).replace('—', "(none)"))]
        } else {
            c.to.iter()
                .map(|u| node(&mut after, "a", u.label()))
                .collect()
        };
        let label = format!("{} {}", c.kind, date_text(c));
        for f in &froms {
            for t in &tos {
                edges.push((f.clone(), t.clone(), label.clone()));
            }
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

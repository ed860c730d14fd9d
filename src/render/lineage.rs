//! Renderers of a [`Lineage`]: a readable timeline tree, the versioned
//! JSON contract, Graphviz DOT and Mermaid.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Serialize;

use super::changes::{basis_word, describe};
use super::diff::JsonChange;
use super::graph::{Drawing, Node};
use super::{escape, one_line};
use crate::diff::history::Version;
use crate::diff::{Change, UnitSide};
use crate::lineage::{Lineage, LineageLink, LineageUnit};

/// The version of the JSON document.
pub const SCHEMA: &str = "reorg.lineage/2";

fn span(v: &Version) -> String {
    let since = v
        .since
        .as_ref()
        .map_or("..".to_string(), std::string::ToString::to_string);
    match &v.until {
        Some(u) if Some(u) == v.since.as_ref() => since,
        Some(u) => format!("{since} – {u}"),
        None => format!("{since} – now"),
    }
}

/// "replaced 2013/2018-12 (curated/low; seed019)": the kind, date and
/// how the change is known, with its sources.
fn how(change: &Change) -> String {
    let date = change
        .date
        .as_ref()
        .map_or(String::new(), |d| format!(" {d}"));
    let sources = if change.sources.is_empty() {
        String::new()
    } else {
        format!("; {}", change.sources.join(", "))
    };
    one_line(&format!(
        "{}{date} ({}{sources})",
        change.kind.words(),
        basis_word(change)
    ))
}

/// One line on a predecessor or successor: its name as it was at the link
/// (`then`) and, if it changed, as it was last seen; its years; its place.
fn summary(unit: &LineageUnit, then: Option<&UnitSide>) -> String {
    let first = unit.versions.first().expect("a unit has a version");
    let last = unit.versions.last().expect("a unit has a version");
    let label = match then.map(UnitSide::label) {
        Some(then) if then != last.unit.label() => {
            format!("{then}, later {}", last.unit.label())
        }
        _ => last.unit.label(),
    };
    let until = if unit.lasts {
        "now".to_string()
    } else {
        last.until
            .as_ref()
            .map_or("?".to_string(), std::string::ToString::to_string)
    };
    let since = first
        .since
        .as_ref()
        .map_or("..".to_string(), std::string::ToString::to_string);
    let mut s = if since == until {
        format!("{} — seen {since}", one_line(&label))
    } else {
        format!("{} — {since} to {until}", one_line(&label))
    };
    if !last.path.is_empty() {
        s.push_str(&format!(", in {}", one_line(&last.path.join(" › "))));
    }
    s
}

/// The timeline tree: the unit's versions and changes, then its
/// predecessors and successors, recursively.
pub fn text(lineage: &Lineage) -> String {
    let focus = &lineage.units[0];
    let name = one_line(&focus.versions.first().expect("a version").unit.label());
    let mut out = format!("Lineage of {name}\n\n");
    for v in &focus.versions {
        let _ = writeln!(out, "  {}", span(v));
        let kind = v
            .unit
            .kind
            .as_deref()
            .map_or(String::new(), |k| format!(", {k}"));
        let _ = writeln!(
            out,
            "      {}{kind}  [{}]",
            one_line(&v.unit.label()),
            one_line(&v.unit.id)
        );
        if !v.path.is_empty() {
            let _ = writeln!(out, "      in {}", one_line(&v.path.join(" › ")));
        }
    }
    if !focus.changes.is_empty() {
        out.push_str("\n  Changes\n");
        for c in &focus.changes {
            let _ = writeln!(out, "    {}: {}", how(c), describe(c));
        }
    }
    for link in lineage
        .links
        .iter()
        .filter(|l| l.to.is_empty() && l.from.contains(&0))
    {
        let external = link
            .change
            .external
            .as_deref()
            .map_or(String::new(), |e| format!(" to {}", one_line(e)));
        let _ = writeln!(out, "    ✕ ended: {}{external}", how(&link.change));
    }
    let followed = lineage.reach.descendants;
    if followed && !focus.lasts && !lineage.links.iter().any(|l| l.from.contains(&0)) {
        out.push_str("    ✕ not observed after this (no known successor)\n");
    }
    for (title, forward, followed) in [
        ("Predecessors", false, lineage.reach.ancestors),
        ("Successors", true, lineage.reach.descendants),
    ] {
        if !followed {
            continue;
        }
        let _ = write!(out, "\n{title}\n");
        let mut seen = BTreeSet::from([0]);
        let before = out.len();
        tree(lineage, 0, forward, 1, &mut seen, &mut out);
        if out.len() == before {
            out.push_str("  (none known)\n");
        }
    }
    out
}

/// Links that lead from unit `at` (forward) or into it (backward).
fn links_of(lineage: &Lineage, at: usize, forward: bool) -> Vec<&LineageLink> {
    lineage
        .links
        .iter()
        .filter(|l| {
            let (near, far) = if forward {
                (&l.from, &l.to)
            } else {
                (&l.to, &l.from)
            };
            near.contains(&at) && !far.is_empty()
        })
        .collect()
}

fn tree(
    lineage: &Lineage,
    at: usize,
    forward: bool,
    depth: usize,
    seen: &mut BTreeSet<usize>,
    out: &mut String,
) {
    let indent = "  ".repeat(depth);
    for link in links_of(lineage, at, forward) {
        let far = if forward { &link.to } else { &link.from };
        let partners: Vec<String> = (if forward { &link.from } else { &link.to })
            .iter()
            .filter(|&&u| u != at)
            .map(|&u| {
                lineage.units[u]
                    .versions
                    .last()
                    .expect("a version")
                    .unit
                    .label()
            })
            .map(|l| one_line(&l))
            .collect();
        let with = if partners.is_empty() {
            String::new()
        } else {
            format!(" with {}", partners.join(", "))
        };
        let _ = writeln!(
            out,
            "{indent}{} {}{with}",
            if forward { "→" } else { "←" },
            how(&link.change)
        );
        // The far units as they were at the link, not under a later name.
        let sides = if forward {
            &link.change.to
        } else {
            &link.change.from
        };
        for &u in far {
            let then = sides
                .iter()
                .find(|s| lineage.units[u].versions.iter().any(|v| v.unit.id == s.id));
            let _ = writeln!(out, "{indent}    {}", summary(&lineage.units[u], then));
            if seen.insert(u) {
                tree(lineage, u, forward, depth + 2, seen, out);
            }
        }
    }
}

#[derive(Serialize)]
struct JsonLineage<'a> {
    schema: &'static str,
    unit: usize,
    units: Vec<JsonUnit<'a>>,
    links: Vec<JsonLink<'a>>,
}

#[derive(Serialize)]
struct JsonUnit<'a> {
    index: usize,
    generation: i32,
    lasts: bool,
    versions: Vec<JsonVersion<'a>>,
    changes: Vec<JsonChange<'a>>,
}

#[derive(Serialize)]
struct JsonVersion<'a> {
    since: Option<&'a str>,
    until: Option<&'a str>,
    unit: &'a UnitSide,
    path: &'a [String],
}

#[derive(Serialize)]
struct JsonLink<'a> {
    from: &'a [usize],
    to: &'a [usize],
    change: JsonChange<'a>,
}

/// The `reorg.lineage/2` JSON document (see `docs/json.md`).
pub fn json(lineage: &Lineage) -> String {
    let doc = JsonLineage {
        schema: SCHEMA,
        unit: 0,
        units: lineage
            .units
            .iter()
            .enumerate()
            .map(|(index, u)| JsonUnit {
                index,
                generation: u.generation,
                lasts: u.lasts,
                versions: u
                    .versions
                    .iter()
                    .map(|v| JsonVersion {
                        since: v.since.as_ref().map(super::super::date::Date::as_str),
                        until: v.until.as_ref().map(super::super::date::Date::as_str),
                        unit: &v.unit,
                        path: &v.path,
                    })
                    .collect(),
                changes: u.changes.iter().map(JsonChange::of).collect(),
            })
            .collect(),
        links: lineage
            .links
            .iter()
            .map(|l| JsonLink {
                from: &l.from,
                to: &l.to,
                change: JsonChange::of(&l.change),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&doc).expect("JSON of plain values") + "\n"
}

/// A node label: the unit's names over time and its years.
fn node_label(unit: &LineageUnit) -> String {
    let mut names: Vec<String> = Vec::new();
    for v in &unit.versions {
        let l = v.unit.label();
        if !names.contains(&l) {
            names.push(l);
        }
    }
    let first = unit.versions[0]
        .since
        .as_ref()
        .map_or("..".to_string(), std::string::ToString::to_string);
    let last = if unit.lasts {
        "now".to_string()
    } else {
        unit.versions
            .last()
            .and_then(|v| v.until.as_ref())
            .map_or("?".to_string(), std::string::ToString::to_string)
    };
    format!("{}\n{first} to {last}", names.join(" / "))
}

fn edge_label(change: &Change) -> String {
    let date = change
        .date
        .as_ref()
        .map_or(String::new(), |d| format!(" {d}"));
    format!(
        "{}{date} ({} {:.2})",
        change.kind,
        change.basis.name(),
        change.confidence
    )
}

/// The lineage as a drawing: a box per unit (the one asked about in bold),
/// an arrow per link; links to or from nothing end at a plain node named
/// for the outside body or the change.
fn drawing(lineage: &Lineage) -> Drawing {
    let mut d = Drawing::default();
    for (i, u) in lineage.units.iter().enumerate() {
        let mut node = Node::new(escape::node_id("u", i), node_label(u));
        node.bold = i == 0;
        d.nodes.push(node);
    }
    for (i, l) in lineage.links.iter().enumerate() {
        let label = edge_label(&l.change);
        // Not "end…": Mermaid reads `end` as a keyword.
        let outside = escape::node_id("outside", i);
        let side = |units: &[usize], d: &mut Drawing| -> Vec<String> {
            if units.is_empty() {
                let name = l
                    .change
                    .external
                    .clone()
                    .unwrap_or_else(|| l.change.kind.to_string());
                let mut node = Node::new(outside.clone(), name);
                node.plain = true;
                d.nodes.push(node);
                vec![outside.clone()]
            } else {
                units.iter().map(|&u| escape::node_id("u", u)).collect()
            }
        };
        let froms = side(&l.from, &mut d);
        let tos = side(&l.to, &mut d);
        for f in &froms {
            for t in &tos {
                d.edges.push((f.clone(), t.clone(), label.clone()));
            }
        }
    }
    d
}

/// A Graphviz digraph of the lineage, left to right in time.
pub fn dot(lineage: &Lineage) -> String {
    drawing(lineage).dot("reorg_lineage")
}

/// A Mermaid flowchart of the lineage.
pub fn mermaid(lineage: &Lineage) -> String {
    drawing(lineage).mermaid()
}

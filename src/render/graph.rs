//! A small drawing model shared by the diagram renderers: boxes (grouped
//! or not), end points and labelled arrows, written as Graphviz DOT or as
//! a Mermaid flowchart with every label escaped.

use std::fmt::Write as _;

use super::escape;

/// A box or an end point of a drawing.
pub(crate) struct Node {
    /// Letters and digits only (see [`escape::node_id`]).
    pub id: String,
    pub label: String,
    /// Drawn as plain text (an outside body, an ending) rather than a box.
    pub plain: bool,
    /// Drawn in bold: the unit a drawing is about.
    pub bold: bool,
}

/// A drawing, left to right.
#[derive(Default)]
pub(crate) struct Drawing {
    /// Named groups of nodes: (group id, label, nodes).
    pub groups: Vec<(String, String, Vec<Node>)>,
    pub nodes: Vec<Node>,
    /// (from node id, to node id, label).
    pub edges: Vec<(String, String, String)>,
}

impl Node {
    pub(crate) fn new(id: String, label: String) -> Node {
        Node {
            id,
            label,
            plain: false,
            bold: false,
        }
    }
}

impl Drawing {
    /// Graphviz DOT.
    pub(crate) fn dot(&self, name: &str) -> String {
        let mut out = format!("digraph {name} {{\n  rankdir=LR;\n  node [shape=box];\n");
        let node = |out: &mut String, indent: &str, n: &Node| {
            let mut attrs = format!("label={}", escape::dot(&n.label));
            if n.plain {
                attrs.push_str(", shape=plaintext");
            }
            if n.bold {
                attrs.push_str(", style=bold");
            }
            let _ = writeln!(out, "{indent}{} [{attrs}];", n.id);
        };
        for (id, label, nodes) in &self.groups {
            let _ = writeln!(
                out,
                "  subgraph cluster_{id} {{\n    label={};",
                escape::dot(label)
            );
            for n in nodes {
                node(&mut out, "    ", n);
            }
            out.push_str("  }\n");
        }
        for n in &self.nodes {
            node(&mut out, "  ", n);
        }
        for (f, t, label) in &self.edges {
            let _ = writeln!(out, "  {f} -> {t} [label={}];", escape::dot(label));
        }
        out.push_str("}\n");
        out
    }

    /// A Mermaid flowchart.
    pub(crate) fn mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        let node = |out: &mut String, indent: &str, n: &Node| {
            let label = escape::mermaid(&n.label);
            let _ = if n.plain {
                writeln!(out, "{indent}{}([{label}])", n.id)
            } else {
                writeln!(out, "{indent}{}[{label}]", n.id)
            };
        };
        for (id, label, nodes) in &self.groups {
            let _ = writeln!(out, "  subgraph {id}[{}]", escape::mermaid(label));
            for n in nodes {
                node(&mut out, "    ", n);
            }
            out.push_str("  end\n");
        }
        for n in &self.nodes {
            node(&mut out, "  ", n);
        }
        for (f, t, label) in &self.edges {
            let _ = writeln!(out, "  {f} -->|{}| {t}", escape::mermaid(label));
        }
        out
    }
}

//! Writing snapshots in the dataset's RON format, as `import` and the
//! generators of synthetic histories do.
//!
//! The layout is the one people write by hand: one line per unit, its
//! sub-units indented below it. (ron's pretty printer puts every field on a
//! line of its own, which triples the size of a large snapshot.)

use std::fmt::Write as _;

use crate::model::{Snapshot, Unit};

/// The RON text of a snapshot.
pub fn snapshot_to_ron(snapshot: &Snapshot) -> String {
    let mut out = String::with_capacity(128 * snapshot.units.len().max(1));
    out.push_str("Snapshot(\n");
    field(&mut out, 1, "id", &snapshot.id);
    field(&mut out, 1, "date", snapshot.date.as_str());
    field(&mut out, 1, "title", &snapshot.title);
    if let Some(scope) = &snapshot.scope {
        field(&mut out, 1, "scope", scope);
    }
    if !snapshot.sources.is_empty() {
        let _ = writeln!(out, "    sources: {},", list(&snapshot.sources));
    }
    if let Some(note) = &snapshot.note {
        field(&mut out, 1, "note", note);
    }
    out.push_str("    units: [\n");
    for unit in &snapshot.units {
        write_unit(&mut out, unit, 2);
    }
    out.push_str("    ],\n)\n");
    out
}

fn field(out: &mut String, depth: usize, name: &str, value: &str) {
    let _ = writeln!(out, "{}{name}: {},", "    ".repeat(depth), quote(value));
}

fn write_unit(out: &mut String, unit: &Unit, depth: usize) {
    let indent = "    ".repeat(depth);
    let _ = write!(
        out,
        "{indent}Unit(id: {}, name: {}",
        quote(&unit.id),
        quote(&unit.name)
    );
    if let Some(a) = &unit.acronym {
        let _ = write!(out, ", acronym: {}", quote(a));
    }
    if !unit.aliases.is_empty() {
        let _ = write!(out, ", aliases: {}", list(&unit.aliases));
    }
    for (name, value) in [
        ("kind", &unit.kind),
        ("description", &unit.description),
        ("note", &unit.note),
    ] {
        if let Some(v) = value {
            let _ = write!(out, ", {name}: {}", quote(v));
        }
    }
    if !unit.sources.is_empty() {
        let _ = write!(out, ", sources: {}", list(&unit.sources));
    }
    if !unit.confidence.is_high() {
        let _ = write!(out, ", confidence: {}", unit.confidence.name());
    }
    if unit.partial {
        out.push_str(", partial: true");
    }
    match &unit.units {
        None => out.push_str("),\n"),
        Some(children) if children.is_empty() => out.push_str(", units: []),\n"),
        Some(children) => {
            out.push_str(", units: [\n");
            for child in children {
                write_unit(out, child, depth + 1);
            }
            let _ = writeln!(out, "{indent}]),");
        }
    }
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// A RON string literal (Rust escapes: `\r`, `\t`, `\u{..}`).
pub fn quote(s: &str) -> String {
    crate::render::escape::backslashed(s, |c, out| match c {
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::diagnostic::SourceFile;
    use crate::model::Confidence;

    #[test]
    fn a_written_snapshot_reads_back_the_same() {
        let unit = |id: &str, units: Option<Vec<Unit>>| Unit {
            id: id.into(),
            name: format!("Unit \"{id}\"\nsecond\tline \\ \u{1} é"),
            acronym: Some(id.to_uppercase()),
            aliases: vec!["Other".into()],
            kind: Some("office".into()),
            description: Some("d".into()),
            note: None,
            sources: vec!["s".into()],
            confidence: if id == "a" {
                Confidence::Low
            } else {
                Confidence::High
            },
            partial: id == "a",
            units,
        };
        let snapshot = Snapshot {
            id: "s".into(),
            date: Date::parse("2001-02").unwrap(),
            title: "Title".into(),
            scope: Some("a".into()),
            sources: vec!["s".into()],
            note: Some("n".into()),
            units: vec![unit(
                "a",
                Some(vec![unit("b", None), unit("c", Some(vec![]))]),
            )],
            file: "dir/s.ron".into(),
        };
        let text = snapshot_to_ron(&snapshot);
        let files = vec![SourceFile::new("dir/s.ron", text.clone())];
        let back = crate::load::read_files(files, "test").dataset;
        assert_eq!(back.snapshots()[0].to_snapshot(), snapshot, "{text}");
    }
}

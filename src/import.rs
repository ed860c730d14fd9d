//! Importing an organization chart as a snapshot: from CSV, an indented
//! outline, or JSON.
//!
//! Each reader turns its input into flat [`Row`]s (id, name, parent and the
//! optional fields), remembering where each row was written; [`build`]
//! checks the rows (duplicate ids, missing parents, cycles, several roots,
//! empty names) and assembles the tree. Every problem is reported, with its
//! row or line and column; nothing is built from bad input.

use std::collections::HashMap;
use std::io::Read;

use crate::date::{Date, DATE_HELP};
use crate::model::{Snapshot, Unit};
use crate::text::fold;

/// One unit as an input describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    pub id: String,
    pub name: String,
    /// The parent's id; `None` for the root.
    pub parent: Option<String>,
    pub kind: Option<String>,
    pub acronym: Option<String>,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    /// Where it was written: "row 12" or "line 12".
    pub place: Place,
}

/// Where a row was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Place {
    /// 1-based line (CSV: the record's line; the header is line 1).
    pub line: usize,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

/// A problem in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub place: Option<Place>,
    pub message: String,
    pub help: String,
}

impl Problem {
    fn at(place: Place, message: impl Into<String>, help: impl Into<String>) -> Problem {
        Problem {
            place: Some(place),
            message: message.into(),
            help: help.into(),
        }
    }

    fn anywhere(message: impl Into<String>, help: impl Into<String>) -> Problem {
        Problem {
            place: None,
            message: message.into(),
            help: help.into(),
        }
    }

    /// "FILE:LINE:COLUMN: message (help)".
    pub fn render(&self, file: &str) -> String {
        let place = match self.place {
            Some(Place {
                line,
                column: Some(c),
            }) => format!("{file}:{line}:{c}"),
            Some(Place { line, column: None }) => format!("{file}:{line}"),
            None => file.to_string(),
        };
        format!("{place}: {}\n  = help: {}", self.message, self.help)
    }
}

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Outline,
    Json,
}

impl Format {
    /// The format a file name suggests: `.csv`, `.json`, else an outline
    /// (`.txt`, `.md`, `.outline`...).
    pub fn of_path(path: &str) -> Format {
        let lower = path.to_lowercase();
        if lower.ends_with(".csv") {
            Format::Csv
        } else if lower.ends_with(".json") {
            Format::Json
        } else {
            Format::Outline
        }
    }
}

/// The columns of the CSV format.
pub const COLUMNS: [&str; 7] = [
    "id",
    "name",
    "parent",
    "kind",
    "acronym",
    "aliases",
    "description",
];

/// A value as written, or `None` when blank.
fn non_blank(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Undoes the guard against spreadsheet formulas that `reorg` puts on CSV
/// cells: a leading `'` before `=`, `+`, `-` or `@`.
fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// Reads CSV rows, streaming; `progress` is told the rows and bytes read
/// so far every 100,000 rows.
pub fn read_csv(
    input: impl Read,
    progress: &mut dyn FnMut(usize, u64),
) -> Result<Vec<Row>, Vec<Problem>> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(vec![csv_problem(&e)]),
    };
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        if !COLUMNS.contains(&name) {
            problems.push(Problem::at(
                Place {
                    line: 1,
                    column: Some(i + 1),
                },
                format!("unknown column `{name}`"),
                format!(
                    "the columns are {}; rename or remove this one",
                    COLUMNS.join(", ")
                ),
            ));
        } else if index
            .insert(
                COLUMNS[COLUMNS.iter().position(|c| *c == name).expect("known")],
                i,
            )
            .is_some()
        {
            problems.push(Problem::at(
                Place {
                    line: 1,
                    column: Some(i + 1),
                },
                format!("column `{name}` appears twice"),
                "keep one of them",
            ));
        }
    }
    for required in ["id", "name", "parent"] {
        if !index.contains_key(required) {
            problems.push(Problem::at(
                Place {
                    line: 1,
                    column: None,
                },
                format!("the header has no `{required}` column"),
                "the header needs id, name and parent (the parent's id, empty for the root)",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let cell = |record: &csv::StringRecord, column: &str| -> String {
        index
            .get(column)
            .and_then(|&i| record.get(i))
            .map(|s| unguard(s).to_string())
            .unwrap_or_default()
    };
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                problems.push(csv_problem(&e));
                break;
            }
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        rows.push(Row {
            id: cell(&record, "id").trim().to_string(),
            name: cell(&record, "name").trim().to_string(),
            parent: non_blank(&cell(&record, "parent")),
            kind: non_blank(&cell(&record, "kind")),
            acronym: non_blank(&cell(&record, "acronym")),
            aliases: cell(&record, "aliases")
                .split(';')
                .filter_map(non_blank)
                .collect(),
            description: non_blank(&cell(&record, "description")),
            place: Place { line, column: None },
        });
        if rows.len() % 100_000 == 0 {
            progress(rows.len(), record.position().map_or(0, |p| p.byte()));
        }
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

fn csv_problem(e: &csv::Error) -> Problem {
    let line = e.position().map_or(0, |p| p.line() as usize);
    let help = match e.kind() {
        csv::ErrorKind::UnequalLengths { .. } => {
            "every row needs as many cells as the header; quote cells that hold commas"
        }
        csv::ErrorKind::Utf8 { .. } => "save the file as UTF-8",
        _ => "check the quoting of this row",
    };
    Problem::at(Place { line, column: None }, format!("bad CSV: {e}"), help)
}

/// Splits "Office of Intelligence (HSI-Intel)" into the name and the
/// acronym in its trailing parentheses.
fn name_and_acronym(text: &str) -> (String, Option<String>) {
    if let Some(open) = text.rfind(" (") {
        if let Some(inner) = text[open + 2..].strip_suffix(')') {
            if !inner.is_empty() && !inner.contains(['(', ')']) {
                return (
                    text[..open].trim().to_string(),
                    Some(inner.trim().to_string()),
                );
            }
        }
    }
    (text.trim().to_string(), None)
}

/// A lowercase ASCII slug: "Office of Intelligence" → "office-of-intelligence".
pub fn slug(text: &str) -> String {
    let folded = fold(text);
    let mut s: String = folded
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "unit".to_string()
    } else {
        s
    }
}

/// Reads an indented outline: one unit per line, sub-units indented
/// below (spaces or tabs, not both), optional `- ` or `* ` bullets, an
/// acronym in trailing parentheses. Ids are slugs of the path from the
/// root, made unique.
pub fn read_outline(text: &str) -> Result<Vec<Row>, Vec<Problem>> {
    let mut rows: Vec<Row> = Vec::new();
    let mut problems = Vec::new();
    // (indentation width, index of the row) of the open ancestors.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut indent_char: Option<char> = None;
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = &line[..line.len() - content.len()];
        if let Some(c) = indent.chars().next() {
            let consistent = indent.chars().all(|x| x == c) && indent_char.is_none_or(|ic| ic == c);
            if !consistent {
                problems.push(Problem::at(
                    Place {
                        line: line_no,
                        column: Some(1),
                    },
                    "indentation mixes tabs and spaces",
                    "indent with tabs only or with spaces only",
                ));
                continue;
            }
            indent_char = Some(c);
        }
        let width = indent.chars().count();
        let text = content
            .strip_prefix("- ")
            .or_else(|| content.strip_prefix("* "))
            .unwrap_or(content)
            .trim_end();
        let (name, acronym) = name_and_acronym(text);
        // Close the units indented as deep or deeper; the last one closed
        // is a sibling, and must be indented exactly as deep.
        let mut last_closed = None;
        while stack.last().is_some_and(|&(w, _)| w >= width) {
            last_closed = stack.pop().map(|(w, _)| w);
        }
        if last_closed.is_some_and(|w| w != width) {
            problems.push(Problem::at(
                Place {
                    line: line_no,
                    column: Some(width + 1),
                },
                "this line's indentation matches no line above it",
                "indent a unit exactly as deep as its siblings",
            ));
        }
        let parent = stack.last().map(|&(_, i)| rows[i].id.clone());
        let base = match &parent {
            Some(p) => format!("{p}/{}", slug(&name)),
            None => slug(&name),
        };
        let count = used_ids.entry(base.clone()).or_insert(0);
        *count += 1;
        let id = if *count == 1 {
            base
        } else {
            format!("{base}-{count}")
        };
        rows.push(Row {
            id,
            name,
            parent,
            acronym,
            place: Place {
                line: line_no,
                column: Some(width + 1),
            },
            ..Row::default()
        });
        stack.push((width, rows.len() - 1));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// One unit of the JSON format.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonRow {
    id: String,
    name: String,
    parent: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    acronym: Option<String>,
    #[serde(default)]
    aliases: Aliases,
    #[serde(default)]
    description: Option<String>,
}

/// Aliases as a list, or as one `;`-separated string like the CSV's.
#[derive(serde::Deserialize, Default)]
#[serde(untagged)]
enum Aliases {
    #[default]
    None,
    List(Vec<String>),
    Joined(String),
}

/// Reads a JSON array of unit objects with the CSV's fields.
pub fn read_json(text: &str) -> Result<Vec<Row>, Vec<Problem>> {
    let parsed: Vec<JsonRow> = serde_json::from_str(text).map_err(|e| {
        vec![Problem::at(
            Place {
                line: e.line(),
                column: Some(e.column()),
            },
            format!("bad JSON: {e}"),
            format!(
                "write an array of objects with the fields {}",
                COLUMNS.join(", ")
            ),
        )]
    })?;
    // serde_json does not say where each element starts; find each `"id"`
    // key in order instead.
    let mut positions = text.match_indices("\"id\"").map(|(i, _)| {
        let line = text[..i].matches('\n').count() + 1;
        let column = i - text[..i].rfind('\n').map_or(0, |j| j + 1) + 1;
        Place {
            line,
            column: Some(column),
        }
    });
    Ok(parsed
        .into_iter()
        .map(|j| Row {
            id: j.id.trim().to_string(),
            name: j.name.trim().to_string(),
            parent: j.parent.as_deref().and_then(non_blank),
            kind: j.kind.as_deref().and_then(non_blank),
            acronym: j.acronym.as_deref().and_then(non_blank),
            aliases: match j.aliases {
                Aliases::None => Vec::new(),
                Aliases::List(l) => l.iter().filter_map(|a| non_blank(a)).collect(),
                Aliases::Joined(s) => s.split(';').filter_map(non_blank).collect(),
            },
            description: j.description.as_deref().and_then(non_blank),
            place: positions.next().unwrap_or_default(),
        })
        .collect())
}

/// What the snapshot is, besides its units.
#[derive(Debug, Clone)]
pub struct Header {
    pub id: String,
    pub date: String,
    pub title: String,
    pub scope: Option<String>,
    pub sources: Vec<String>,
}

/// Checks the rows and assembles the snapshot.
pub fn build(rows: Vec<Row>, header: &Header) -> Result<Snapshot, Vec<Problem>> {
    let mut problems = Vec::new();
    let date = Date::parse(&header.date).map_err(|e| {
        problems.push(Problem::anywhere(format!("--date: {e}"), DATE_HELP));
    });
    let mut position: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        if row.id.is_empty() || row.name.is_empty() {
            let what = if row.id.is_empty() { "id" } else { "name" };
            problems.push(Problem::at(
                row.place,
                format!("this unit has an empty {what}"),
                "every unit needs an id and a name",
            ));
        }
        if let Some(&first) = position.get(row.id.as_str()) {
            problems.push(Problem::at(
                row.place,
                format!(
                    "id `{}` is also used at line {}",
                    row.id, rows[first].place.line
                ),
                "give every unit its own id",
            ));
        } else {
            position.insert(&row.id, i);
        }
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    let mut roots = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        match &row.parent {
            None => roots.push(i),
            Some(p) => match position.get(p.as_str()) {
                Some(&pi) => children[pi].push(i),
                None => problems.push(Problem::at(
                    row.place,
                    format!("parent `{p}` of `{}` is not the id of any unit", row.id),
                    "use the id of another row as parent, or leave it empty for the root",
                )),
            },
        }
    }
    if roots.len() > 1 {
        let lines: Vec<String> = roots
            .iter()
            .take(5)
            .map(|&r| rows[r].place.line.to_string())
            .collect();
        problems.push(Problem::at(
            rows[roots[1]].place,
            format!("several units have no parent (lines {})", lines.join(", ")),
            "a snapshot has one root: give the others a parent",
        ));
    }
    if roots.is_empty() && !rows.is_empty() {
        problems.push(Problem::anywhere(
            "no unit is the root: every unit has a parent",
            "leave the parent of the top unit empty",
        ));
    }
    if let Some(scope) = &header.scope {
        if roots.len() == 1 && rows[roots[0]].id != *scope {
            problems.push(Problem::at(
                rows[roots[0]].place,
                format!("--scope {scope}, but the root is `{}`", rows[roots[0]].id),
                "the root of a scoped snapshot is the scope unit itself",
            ));
        }
    }
    if rows.is_empty() {
        problems.push(Problem::anywhere(
            "the input has no units",
            "write at least one unit",
        ));
    }
    // Units not reachable from a root are on a cycle (or below one).
    let mut reached = vec![false; rows.len()];
    let mut stack = roots.clone();
    while let Some(i) = stack.pop() {
        if !std::mem::replace(&mut reached[i], true) {
            stack.extend(&children[i]);
        }
    }
    if let Some(start) = (0..rows.len()).find(|&i| {
        !reached[i]
            && rows[i]
                .parent
                .as_deref()
                .is_some_and(|p| position.contains_key(p))
    }) {
        let mut cycle = vec![rows[start].id.clone()];
        let mut at = start;
        while let Some(&p) = rows[at].parent.as_deref().and_then(|p| position.get(p)) {
            if cycle.contains(&rows[p].id) {
                break;
            }
            cycle.push(rows[p].id.clone());
            at = p;
        }
        problems.push(Problem::at(
            rows[start].place,
            format!("the parents form a cycle: {}", cycle.join(" → ")),
            "a unit cannot be its own ancestor; correct one of these parents",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let root = assemble(rows, &children, roots[0]);
    Ok(Snapshot {
        id: header.id.clone(),
        date: date.expect("checked above"),
        title: header.title.clone(),
        scope: header.scope.clone(),
        sources: header.sources.clone(),
        note: None,
        units: vec![root],
        file: String::new(),
    })
}

/// Builds the tree below `root` without recursion (inputs may be deep).
fn assemble(rows: Vec<Row>, children: &[Vec<usize>], root: usize) -> Unit {
    let mut units: Vec<Option<Unit>> = rows
        .into_iter()
        .map(|r| {
            Some(Unit {
                id: r.id,
                name: r.name,
                acronym: r.acronym,
                aliases: r.aliases,
                kind: r.kind,
                description: r.description,
                note: None,
                sources: Vec::new(),
                partial: false,
                units: Some(Vec::new()),
            })
        })
        .collect();
    // Children are attached in post-order, so each is complete when moved.
    let mut order = Vec::with_capacity(units.len());
    let mut stack = vec![root];
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend(&children[i]);
    }
    for &i in order.iter().rev() {
        let kids: Vec<Unit> = children[i]
            .iter()
            .map(|&c| units[c].take().expect("each unit is attached once"))
            .collect();
        units[i].as_mut().expect("not yet attached").units = Some(kids);
    }
    units[root].take().expect("the root")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            id: "s".into(),
            date: "2020".into(),
            title: "t".into(),
            scope: None,
            sources: vec![],
        }
    }

    #[test]
    fn an_outline_becomes_a_tree_with_slug_ids() {
        let rows = read_outline("Agency (AG)\n  Office of Intelligence (HSI-Intel)\n    Unit\n  Office of Intelligence\n").unwrap();
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "agency",
                "agency/office-of-intelligence",
                "agency/office-of-intelligence/unit",
                "agency/office-of-intelligence-2"
            ]
        );
        assert_eq!(rows[1].acronym.as_deref(), Some("HSI-Intel"));
        let s = build(rows, &header()).unwrap();
        assert_eq!(s.units[0].units.as_ref().unwrap().len(), 2);
    }

    #[test]
    fn bad_outlines_are_located() {
        let p = read_outline("A\n\t B\n").unwrap_err();
        assert_eq!(p[0].place.unwrap().line, 2);
        let p = read_outline("A\n    B\n  C\n").unwrap_err();
        assert_eq!(p[0].place.unwrap().line, 3);
    }

    #[test]
    fn csv_columns_may_come_in_any_order_and_unknown_ones_are_named() {
        let rows = read_csv(
            "name,parent,id\nTop,,t\nLeaf,t,l\n".as_bytes(),
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(rows[1].parent.as_deref(), Some("t"));
        assert_eq!(rows[1].place.line, 3);
        let p = read_csv("id,name,parent,colour\n".as_bytes(), &mut |_, _| {}).unwrap_err();
        assert!(p[0].message.contains("colour"));
        assert_eq!(p[0].place.unwrap().column, Some(4));
    }

    #[test]
    fn every_structural_problem_is_reported() {
        let rows = read_csv(
            "id,name,parent\na,A,\nb,B,\nc,,a\na,Again,a\nd,D,zz\ne,E,f\nf,F,e\n".as_bytes(),
            &mut |_, _| {},
        )
        .unwrap();
        let problems = build(rows, &header()).unwrap_err();
        let text: Vec<String> = problems.iter().map(|p| p.render("x.csv")).collect();
        let all = text.join("\n");
        for expected in [
            "x.csv:4: this unit has an empty name",
            "x.csv:5: id `a` is also used at line 2",
            "parent `zz`",
            "several units have no parent",
            "cycle: e → f",
        ] {
            assert!(all.contains(expected), "{expected} in {all}");
        }
    }

    #[test]
    fn json_rows_take_aliases_as_a_list_or_a_string() {
        let rows = read_json(r#"[{"id":"a","name":"A","parent":null,"aliases":["x","y"]},{"id":"b","name":"B","parent":"a","aliases":"p;q"}]"#).unwrap();
        assert_eq!(rows[0].aliases, ["x", "y"]);
        assert_eq!(rows[1].aliases, ["p", "q"]);
        let p = read_json(r#"[{"id":"a","name":"A","parent":null,"colour":1}]"#).unwrap_err();
        assert!(p[0].message.contains("colour"));
    }

    #[test]
    fn the_formula_guard_is_undone() {
        assert_eq!(unguard("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unguard("'quoted"), "'quoted");
    }
}

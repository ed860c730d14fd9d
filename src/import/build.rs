//! Checking the rows of a chart and assembling them into a snapshot.

use std::collections::HashMap;

use super::{Chart, Field, ImportError, Row};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Confidence, Snapshot, Unit, MAX_NESTING};

/// What the snapshot is, besides its units.
#[derive(Debug, Clone)]
pub struct Header {
    /// The snapshot's id, unique in its dataset.
    pub id: String,
    /// The date the chart shows the organization at.
    pub date: Date,
    /// A title for people.
    pub title: String,
    /// The id of the unit whose subtree the chart documents; `None` for the whole organization.
    pub scope: Option<String>,
    /// Keys of the sources the chart comes from.
    pub sources: Vec<String>,
}

/// The rows of a chart as a tree: each row's children, and the roots.
struct Tree {
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
}

/// Checks the rows and assembles the snapshot; every problem is reported.
pub fn build(chart: Chart, header: &Header) -> Result<Snapshot, ImportError> {
    let (tree, problems) = check(&chart, header);
    if !problems.is_empty() {
        return Err(ImportError::invalid(&chart.file, problems));
    }
    let root = assemble(chart.rows, &tree.children, tree.roots[0]);
    Ok(Snapshot {
        id: header.id.clone(),
        date: header.date.clone(),
        title: header.title.clone(),
        scope: header.scope.clone(),
        sources: header.sources.clone(),
        note: None,
        units: vec![root],
        file: String::new(),
    })
}

fn check(chart: &Chart, header: &Header) -> (Tree, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let position = check_ids(chart, &mut problems);
    let tree = link_parents(chart, &position, &mut problems);
    check_roots(chart, &tree, header, &mut problems);
    check_depth(chart, &tree, &position, &mut problems);
    (tree, problems)
}

/// Empty ids and names, ids with control characters, duplicate ids; the
/// index of the first row of each id.
fn check_ids<'c>(chart: &'c Chart, problems: &mut Vec<Diagnostic>) -> HashMap<&'c str, usize> {
    let rows = &chart.rows;
    let mut position: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        if row.id.is_empty() || row.name.is_empty() {
            let (what, field) = if row.id.is_empty() {
                ("id", Field::Id)
            } else {
                ("name", Field::Name)
            };
            problems.push(
                Diagnostic::new(
                    Rule::EmptyName,
                    chart.location(row, field),
                    format!("this unit has an empty {what}"),
                )
                .with_help("every unit needs an id and a name"),
            );
        }
        if row.id.chars().any(char::is_control) {
            problems.push(
                Diagnostic::new(
                    Rule::BadId,
                    chart.location(row, Field::Id),
                    format!("id `{}` holds a control character", row.id),
                )
                .with_help("an id is one line of text: remove the line break or tab"),
            );
        }
        if let Some(&first) = position.get(row.id.as_str()) {
            problems.push(
                Diagnostic::new(
                    Rule::DuplicateId,
                    chart.location(row, Field::Id),
                    format!(
                        "id `{}` is also used at line {}",
                        row.id,
                        chart.file.line_at(rows[first].at)
                    ),
                )
                .with_help("give every unit its own id"),
            );
        } else {
            position.insert(&row.id, i);
        }
    }
    position
}

/// Each row's children and the roots; parents that name no row.
fn link_parents(
    chart: &Chart,
    position: &HashMap<&str, usize>,
    problems: &mut Vec<Diagnostic>,
) -> Tree {
    let rows = &chart.rows;
    let mut tree = Tree {
        children: vec![Vec::new(); rows.len()],
        roots: Vec::new(),
    };
    for (i, row) in rows.iter().enumerate() {
        match &row.parent {
            None => tree.roots.push(i),
            Some(p) => match position.get(p.as_str()) {
                Some(&pi) => tree.children[pi].push(i),
                None => problems.push(
                    Diagnostic::new(
                        Rule::UnknownParent,
                        chart.location(row, Field::Parent),
                        format!("parent `{p}` of `{}` is not the id of any unit", row.id),
                    )
                    .with_help(
                        "use the id of another row as parent, or leave it empty for the root",
                    ),
                ),
            },
        }
    }
    tree
}

/// One root, no more, no less, and the scope's own unit when one is given.
fn check_roots(chart: &Chart, tree: &Tree, header: &Header, problems: &mut Vec<Diagnostic>) {
    let rows = &chart.rows;
    let roots = &tree.roots;
    if roots.len() > 1 {
        let lines: Vec<String> = roots
            .iter()
            .take(5)
            .map(|&r| chart.file.line_at(rows[r].at).to_string())
            .collect();
        problems.push(
            Diagnostic::new(
                Rule::Roots,
                chart.location(&rows[roots[1]], Field::Parent),
                format!("several units have no parent (lines {})", lines.join(", ")),
            )
            .with_help("a snapshot has one root: make the others its sub-units"),
        );
    }
    if rows.is_empty() {
        problems.push(
            Diagnostic::new(Rule::NoUnits, chart.file.whole(), "the input has no units")
                .with_help("write at least one unit"),
        );
    } else if roots.is_empty() {
        problems.push(
            Diagnostic::new(
                Rule::Roots,
                chart.file.whole(),
                "no unit is the root: every unit has a parent",
            )
            .with_help("leave the parent of the top unit empty"),
        );
    }
    if let (Some(scope), [root]) = (&header.scope, roots.as_slice()) {
        let root = &rows[*root];
        if root.id != *scope {
            problems.push(
                Diagnostic::new(
                    Rule::UnknownScope,
                    chart.location(root, Field::Id),
                    format!("--scope {scope}, but the root is `{}`", root.id),
                )
                .with_help("the root of a scoped snapshot is the scope unit itself"),
            );
        }
    }
}

/// Units nested too deep, and parents that form a cycle.
fn check_depth(
    chart: &Chart,
    tree: &Tree,
    position: &HashMap<&str, usize>,
    problems: &mut Vec<Diagnostic>,
) {
    let rows = &chart.rows;
    // The depth of each unit reached from a root (the root is at 1); units
    // never reached (0) are on a cycle, or below one.
    let mut depth = vec![0; rows.len()];
    let mut stack: Vec<(usize, usize)> = tree.roots.iter().map(|&r| (r, 1)).collect();
    while let Some((i, d)) = stack.pop() {
        if depth[i] == 0 {
            depth[i] = d;
            stack.extend(tree.children[i].iter().map(|&c| (c, d + 1)));
        }
    }
    // Every chain too deep passes a unit just below the limit: name the
    // first one written.
    if let Some(deep) = depth.iter().position(|&d| d == MAX_NESTING + 1) {
        let row = &rows[deep];
        problems.push(
            Diagnostic::new(
                Rule::TooDeep,
                chart.location(row, Field::Parent),
                format!(
                    "`{}` is nested {} levels deep, and a chart may have at most {MAX_NESTING} \
                     (the root is level 1)",
                    row.id,
                    MAX_NESTING + 1
                ),
            )
            .with_help("give this unit, or one of its ancestors, a parent higher up the chart"),
        );
    }
    let parent_of = |i: usize| {
        rows[i]
            .parent
            .as_deref()
            .and_then(|p| position.get(p))
            .copied()
    };
    if let Some(start) = (0..rows.len()).find(|&i| depth[i] == 0 && parent_of(i).is_some()) {
        let mut cycle = vec![rows[start].id.as_str()];
        let mut at = start;
        while let Some(p) = parent_of(at) {
            if cycle.contains(&rows[p].id.as_str()) {
                break;
            }
            cycle.push(&rows[p].id);
            at = p;
        }
        problems.push(
            Diagnostic::new(
                Rule::Cycle,
                chart.location(&rows[start], Field::Parent),
                format!("the parents form a cycle: {}", cycle.join(" → ")),
            )
            .with_help("a unit cannot be its own ancestor; correct one of these parents"),
        );
    }
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
                confidence: Confidence::High,
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
    use crate::diagnostic::SourceFile;
    use crate::import::{parse, Format};

    fn header() -> Header {
        Header {
            id: "s".into(),
            date: Date::parse("2020").unwrap(),
            title: "t".into(),
            scope: None,
            sources: vec![],
        }
    }

    fn built(format: Format, text: &str) -> Result<Snapshot, Vec<Diagnostic>> {
        let chart = parse(SourceFile::new("x", text), format, &mut |_, _| {}).expect("rows read");
        build(chart, &header()).map_err(|e| match e {
            ImportError::Invalid { problems, .. } => problems,
            other => panic!("{other}"),
        })
    }

    #[test]
    fn an_outline_becomes_a_tree() {
        let s = built(Format::Outline, "Agency\n  Office\n    Unit\n  Office\n").unwrap();
        assert_eq!(s.units[0].units.as_ref().unwrap().len(), 2);
    }

    #[test]
    fn every_structural_problem_is_reported() {
        let problems = built(
            Format::Csv,
            "id,name,parent\na,A,\nb,B,\nc,,a\na,Again,a\nd,D,zz\ne,E,f\nf,F,e\nx\ty,X,a\n",
        )
        .unwrap_err();
        let found: Vec<(&str, usize, usize)> = problems
            .iter()
            .map(|p| (p.rule.name(), p.location.line, p.location.column))
            .collect();
        for expected in [
            ("empty-name", 4, 3),
            ("duplicate-id", 5, 1),
            ("unknown-parent", 6, 5),
            ("roots", 3, 5),
            ("cycle", 7, 5),
            ("bad-id", 9, 1),
        ] {
            assert!(found.contains(&expected), "{expected:?} in {found:?}");
        }
    }
}

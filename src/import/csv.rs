//! The CSV format: a header row naming columns of [`COLUMNS`] in any
//! order (id and name required), then one unit per row.

use std::collections::HashMap;
use std::ops::Range;

use super::{non_blank, split_aliases, Field, Row, COLUMNS};
use crate::diagnostic::{Diagnostic, Rule, SourceFile};

/// The 0-based cells of the columns that problems point at; a CSV
/// without a `parent` column has none.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cells {
    id: usize,
    name: usize,
    parent: Option<usize>,
}

impl Cells {
    pub(super) fn of(self, field: Field) -> Option<usize> {
        match field {
            Field::Id => Some(self.id),
            Field::Name => Some(self.name),
            Field::Parent => self.parent,
        }
    }
}

/// Reads the rows; `progress` is told the rows and bytes read so far
/// every 100,000 rows.
pub(super) fn read(
    file: &SourceFile,
    progress: &mut dyn FnMut(usize, u64),
) -> Result<(Vec<Row>, Cells), Vec<Diagnostic>> {
    let text = &file.text;
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(vec![csv_problem(file, &e)]),
    };
    let index = match columns(file, &header) {
        Ok(index) => index,
        Err(mut problems) => {
            // A quote left open in the header runs its columns together.
            problems.extend(unclosed_quote(file));
            return Err(problems);
        }
    };
    let cells = Cells {
        id: index["id"],
        name: index["name"],
        parent: index.get("parent").copied(),
    };
    let cell = |record: &::csv::StringRecord, column: &str| -> String {
        index
            .get(column)
            .and_then(|&i| record.get(i))
            .map(|s| unguard(s).to_string())
            .unwrap_or_default()
    };
    let mut rows = Vec::new();
    let mut record = ::csv::StringRecord::new();
    let mut failure = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
        let at = record.position().map_or(0, csv::Position::byte);
        rows.push(Row {
            id: cell(&record, "id").trim().to_string(),
            name: cell(&record, "name").trim().to_string(),
            parent: non_blank(&cell(&record, "parent")),
            kind: non_blank(&cell(&record, "kind")),
            acronym: non_blank(&cell(&record, "acronym")),
            aliases: split_aliases(&cell(&record, "aliases")),
            description: non_blank(&cell(&record, "description")),
            at: at as usize,
        });
        if rows.len() % 100_000 == 0 {
            progress(rows.len(), at);
        }
    }
    // A quoted cell that is never closed takes the rest of the file: the csv
    // reader then sees a row of the wrong length (an error that the open
    // quote explains) or, by chance, of the right one (no error at all).
    let unclosed = unclosed_quote(file);
    let mut problems = Vec::new();
    if let Some(e) = failure {
        if unclosed.is_none() || !matches!(e.kind(), ::csv::ErrorKind::UnequalLengths { .. }) {
            problems.push(csv_problem(file, &e));
        }
    }
    problems.extend(unclosed);
    if problems.is_empty() {
        Ok((rows, cells))
    } else {
        Err(problems)
    }
}

/// The cell of each known column of the header, or every problem of the
/// header: unknown and repeated columns, and missing required ones.
fn columns(
    file: &SourceFile,
    header: &::csv::StringRecord,
) -> Result<HashMap<&'static str, usize>, Vec<Diagnostic>> {
    let at = header.position().map_or(0, |p| p.byte() as usize);
    let cell_location = |i| file.location(cell_span(&file.text, at, Some(i)));
    let mut index = HashMap::new();
    let mut problems = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        match COLUMNS.iter().find(|c| **c == name) {
            None => problems.push(
                Diagnostic::new(
                    Rule::UnknownField,
                    cell_location(i),
                    format!("unknown column `{name}`"),
                )
                .with_help(format!(
                    "the columns are {}; rename or remove this one",
                    COLUMNS.join(", ")
                )),
            ),
            Some(known) => {
                if index.insert(*known, i).is_some() {
                    problems.push(
                        Diagnostic::new(
                            Rule::DuplicateColumn,
                            cell_location(i),
                            format!("column `{name}` appears twice"),
                        )
                        .with_help("keep one of them"),
                    );
                }
            }
        }
    }
    // Without a `parent` column every row is a root, which suits a chart
    // of one unit and is refused, as several roots, for more.
    for required in ["id", "name"] {
        if !index.contains_key(required) {
            problems.push(
                Diagnostic::new(
                    Rule::MissingField,
                    file.location(cell_span(&file.text, at, None)),
                    format!("the header has no `{required}` column"),
                )
                .with_help(
                    "the header needs id and name columns (and parent, the parent's id, \
                     for every unit but the root)",
                ),
            );
        }
    }
    if problems.is_empty() {
        Ok(index)
    } else {
        Err(problems)
    }
}

/// A problem the csv reader found in a row, in the user's terms.
fn csv_problem(file: &SourceFile, e: &::csv::Error) -> Diagnostic {
    let at = e.position().map_or(0, |p| p.byte() as usize);
    let location = file.location(cell_span(&file.text, at, None));
    let (message, help) = match e.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => (
            format!("this row has {len} cell(s), but the header has {expected_len}"),
            "every row needs as many cells as the header; quote cells that hold commas",
        ),
        _ => (
            "this row cannot be read as CSV".to_string(),
            "check the quoting of this row",
        ),
    };
    Diagnostic::new(Rule::Syntax, location, message).with_help(help)
}

/// Undoes the guard against spreadsheet formulas that `reorg` puts on CSV
/// cells: a leading `'` before `=`, `+`, `-` or `@`.
fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// Where the bytes being read stand in the CSV quoting rules (the csv
/// crate's defaults: `,` between cells, `\r` or `\n` ending a row, `""`
/// for a quote).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// At the start of a cell, where a `"` opens a quoted cell.
    CellStart,
    /// In a cell that did not start with a quote (quotes are literal).
    Unquoted,
    /// In a quoted cell.
    Quoted,
    /// Just after a quote in a quoted cell: it closed the cell, unless a
    /// second quote follows (an escaped quote).
    QuoteInQuoted,
}

/// What a byte did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Within,
    EndsCell,
    EndsRecord,
    OpensQuote,
}

fn follow(state: Quoting, byte: u8) -> (Quoting, Step) {
    use Quoting::*;
    match (state, byte) {
        (Quoted, b'"') => (QuoteInQuoted, Step::Within),
        (Quoted, _) | (QuoteInQuoted, b'"') => (Quoted, Step::Within),
        (_, b',') => (CellStart, Step::EndsCell),
        (_, b'\n' | b'\r') => (CellStart, Step::EndsRecord),
        (CellStart, b'"') => (Quoted, Step::OpensQuote),
        _ => (Unquoted, Step::Within),
    }
}

/// The bytes of cell `cell` (0-based, quotes included) of the record that
/// starts at `start`; with no cell, or one the record does not have, the
/// record's first line.
pub(super) fn cell_span(text: &str, start: usize, cell: Option<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let mut state = Quoting::CellStart;
    let (mut current, mut cell_start) = (0, start);
    let first_line_end = text[start..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| start + i);
    for (i, &byte) in bytes.iter().enumerate().skip(start) {
        let step;
        (state, step) = follow(state, byte);
        match step {
            Step::EndsCell | Step::EndsRecord if cell == Some(current) => return cell_start..i,
            Step::EndsCell => {
                current += 1;
                cell_start = i + 1;
            }
            Step::EndsRecord => return start..first_line_end,
            Step::Within | Step::OpensQuote => {}
        }
    }
    if cell == Some(current) {
        cell_start..bytes.len()
    } else {
        start..first_line_end
    }
}

/// The problem of a quoted cell still open at the end of the input, at its
/// opening quote.
fn unclosed_quote(file: &SourceFile) -> Option<Diagnostic> {
    let mut state = Quoting::CellStart;
    let mut opened = 0;
    for (i, &byte) in file.text.as_bytes().iter().enumerate() {
        let step;
        (state, step) = follow(state, byte);
        if step == Step::OpensQuote {
            opened = i;
        }
    }
    (state == Quoting::Quoted).then(|| {
        Diagnostic::new(
            Rule::Syntax,
            file.location(opened..opened + 1),
            "the quote that opens this cell is never closed",
        )
        .with_help(
            "end the cell with a closing `\"` (a quote inside a quoted cell is written `\"\"`)",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Result<Vec<Row>, Vec<Diagnostic>> {
        read(&SourceFile::new("x.csv", text), &mut |_, _| {}).map(|(rows, _)| rows)
    }

    #[test]
    fn columns_may_come_in_any_order_and_unknown_ones_are_named() {
        let found = rows("name,parent,id\nTop,,t\nLeaf,t,l\n").unwrap();
        assert_eq!(found[1].parent.as_deref(), Some("t"));
        assert_eq!(found[1].at, 22);
        let p = rows("id,name,parent,colour\n").unwrap_err();
        assert!(p[0].message.contains("colour"));
        assert_eq!((p[0].location.line, p[0].location.column), (1, 16));
    }

    #[test]
    fn closed_quotes_are_not_taken_for_open_ones() {
        let found = rows(
            "\"id\",name,parent,description\nr,\"R, \"\"q\"\"\nx\",,5'11\"\nc,C,r,\"a\"\"\"\n",
        )
        .unwrap();
        assert_eq!(found[0].name, "R, \"q\"\nx");
        assert_eq!(found[0].description.as_deref(), Some("5'11\""));
        assert_eq!(found[1].description.as_deref(), Some("a\""));
    }

    #[test]
    fn a_quote_left_open_is_located() {
        let p = rows("id,name,parent\nr,R,\nc,\"C\"\"\n,r\n").unwrap_err();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].location.line, p[0].location.column), (3, 3));
        let p = rows("id,\"name,parent\nr,R,\n").unwrap_err();
        assert!(p.iter().any(|p| p.message.contains("never closed")
            && (p.location.line, p.location.column) == (1, 4)));
    }

    #[test]
    fn a_cell_is_found_by_its_number() {
        let text = "a,\"b,\"\"c\",d\nx";
        assert_eq!(&text[cell_span(text, 0, Some(1))], "\"b,\"\"c\"");
        assert_eq!(&text[cell_span(text, 0, Some(2))], "d");
        assert_eq!(&text[cell_span(text, 0, Some(7))], "a,\"b,\"\"c\",d");
        assert_eq!(&text[cell_span(text, 12, Some(0))], "x");
    }

    #[test]
    fn the_formula_guard_is_undone() {
        assert_eq!(unguard("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unguard("'quoted"), "'quoted");
    }
}

//! Importing an organization chart as a snapshot: from CSV, an indented
//! outline, or JSON.
//!
//! Each reader turns its input into flat [`Row`]s (id, name, parent and the
//! optional fields), remembering where each row was written; [`build`]
//! checks the rows (duplicate ids, missing parents, cycles, several roots,
//! empty names, nesting deeper than [`MAX_NESTING`]) and assembles the
//! tree. Every problem is reported, with its row or line and column;
//! nothing is built from bad input.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use crate::date::{Date, DATE_HELP};
use crate::model::{Confidence, Snapshot, Unit, MAX_NESTING};
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
    /// The columns of its fields, where the input has columns.
    pub columns: Columns,
}

/// The 1-based columns of a row's id, name and parent, so that a problem
/// with one of them points at it; `None` where the input has no such
/// column (an outline, a JSON object, or a CSV without a `parent` column).
/// A valid CSV header has at most seven columns, hence `u8`, small enough
/// to repeat on each of a million rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Columns {
    pub id: Option<u8>,
    pub name: Option<u8>,
    pub parent: Option<u8>,
}

impl Row {
    /// Where the field in `column` was written: the row's place, at that
    /// column if it is known.
    fn at(&self, column: Option<u8>) -> Place {
        Place {
            line: self.place.line,
            column: column.map(usize::from).or(self.place.column),
        }
    }
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
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(QuoteWatch::new(input));
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
    // Without a `parent` column every row is a root, which suits a chart
    // of one unit and is refused, as several roots, for more.
    for required in ["id", "name"] {
        if !index.contains_key(required) {
            problems.push(Problem::at(
                Place {
                    line: 1,
                    column: None,
                },
                format!("the header has no `{required}` column"),
                "the header needs id and name columns (and parent, the parent's id, \
                 for every unit but the root)",
            ));
        }
    }
    if !problems.is_empty() {
        // A quote left open in the header runs its columns together.
        problems.extend(unclosed_quote(reader.get_ref()));
        return Err(problems);
    }
    // Only known columns, each once, got this far: at most seven.
    let column = |name: &str| index.get(name).map(|&i| (i + 1) as u8);
    let columns = Columns {
        id: column("id"),
        name: column("name"),
        parent: column("parent"),
    };
    let cell = |record: &csv::StringRecord, column: &str| -> String {
        index
            .get(column)
            .and_then(|&i| record.get(i))
            .map(|s| unguard(s).to_string())
            .unwrap_or_default()
    };
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
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
            columns,
        });
        if rows.len() % 100_000 == 0 {
            progress(rows.len(), record.position().map_or(0, |p| p.byte()));
        }
    }
    // A quoted cell that is never closed takes the rest of the file: the csv
    // reader then sees a row of the wrong length (an error that the open
    // quote explains) or, by chance, of the right one (no error at all).
    let unclosed = unclosed_quote(reader.get_ref());
    if let Some(e) = failure {
        if unclosed.is_none() || !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
            problems.push(csv_problem(&e));
        }
    }
    problems.extend(unclosed);
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

/// The problem of a quoted cell still open at the end of the input.
fn unclosed_quote<R>(watch: &QuoteWatch<R>) -> Option<Problem> {
    let opened = watch.unclosed()?;
    Some(Problem::at(
        opened,
        "the quote that opens this cell is never closed",
        "end the cell with a closing `\"` (a quote inside a quoted cell is written `\"\"`)",
    ))
}

/// Where the bytes being read stand in the CSV quoting rules.
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

/// Passes the input through to the csv reader, following its quoting (the
/// csv crate's defaults: `,` between cells, `\r` or `\n` ending a row, `""`
/// for a quote), to tell where a quoted cell still open at the end of the
/// input began: the csv reader itself does not say.
struct QuoteWatch<R> {
    inner: R,
    state: Quoting,
    /// The 1-based line and column (the cell's number) of the next byte.
    line: usize,
    cell: usize,
    /// Where the quoted cell being read opened.
    opened: Place,
    /// Whether the input has begun (a byte-order mark first is skipped, as
    /// the csv reader does) and whether it has ended.
    started: bool,
    ended: bool,
}

impl<R> QuoteWatch<R> {
    fn new(inner: R) -> Self {
        QuoteWatch {
            inner,
            state: Quoting::CellStart,
            line: 1,
            cell: 1,
            opened: Place::default(),
            started: false,
            ended: false,
        }
    }

    /// Where the quoted cell open at the end of the input began, if any.
    fn unclosed(&self) -> Option<Place> {
        (self.ended && self.state == Quoting::Quoted).then_some(self.opened)
    }

    fn follow(&mut self, byte: u8) {
        use Quoting::*;
        if byte == b'\n' {
            self.line += 1;
        }
        self.state = match (self.state, byte) {
            (Quoted, b'"') => QuoteInQuoted,
            (Quoted, _) | (QuoteInQuoted, b'"') => Quoted,
            (_, b',') => {
                self.cell += 1;
                CellStart
            }
            (_, b'\n' | b'\r') => {
                self.cell = 1;
                CellStart
            }
            (CellStart, b'"') => {
                self.opened = Place {
                    line: self.line,
                    column: Some(self.cell),
                };
                Quoted
            }
            _ => Unquoted,
        };
    }
}

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut bytes = &buf[..n];
        if !self.started && n > 0 {
            self.started = true;
            bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        }
        for &byte in bytes {
            self.follow(byte);
        }
        self.ended |= n == 0 && !buf.is_empty();
        Ok(n)
    }
}

/// Splits "Office of Intelligence (HSI-Intel)" into the name and the
/// acronym in its trailing parentheses, when they hold one: "Field Office
/// (East)", "Division (2010)" or "(formerly Old Division)" keep theirs in
/// the name.
fn name_and_acronym(text: &str) -> (String, Option<String>) {
    if let Some(open) = text.rfind(" (") {
        if let Some(inner) = text[open + 2..].strip_suffix(')') {
            let inner = inner.trim();
            if looks_like_acronym(inner) {
                return (text[..open].trim().to_string(), Some(inner.to_string()));
            }
        }
    }
    (text.trim().to_string(), None)
}

/// One word of letters, digits, `&`, `-` and `.`, with a capital and at
/// least two capitals or digits: ICE, EP&R, D1, HSI-Intel, U.S.C.G., but
/// not an ordinary word (East), a number (2010) or several words.
fn looks_like_acronym(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '&' | '-' | '.'))
        && text.chars().any(char::is_uppercase)
        && text
            .chars()
            .filter(|c| c.is_uppercase() || c.is_ascii_digit())
            .count()
            >= 2
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
/// acronym in trailing parentheses when it looks like one (ICE, EP&R; see
/// `looks_like_acronym`). Ids are slugs of the path from the root, made
/// unique.
pub fn read_outline(text: &str) -> Result<Vec<Row>, Vec<Problem>> {
    let mut rows: Vec<Row> = Vec::new();
    let mut problems = Vec::new();
    // (indentation width, index of the row) of the open ancestors.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
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
        // The user cannot choose these ids, so they must never collide: a
        // second "Office" becomes `office-2` unless an "Office 2" took that
        // id already, then `office-3`. `next_suffix` remembers where to try
        // next for each base, so that many namesakes cost no rescans.
        let suffix = next_suffix.entry(base.clone()).or_insert(1);
        let id = loop {
            let candidate = match *suffix {
                1 => base.clone(),
                n => format!("{base}-{n}"),
            };
            *suffix += 1;
            if taken.insert(candidate.clone()) {
                break candidate;
            }
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
        // serde_json counts columns in bytes, and column 0 is the start of
        // a line (as when the input ends after a newline): locate its byte
        // offset again, and count characters from 1.
        let line_start: usize = text
            .split_inclusive('\n')
            .take(e.line().saturating_sub(1))
            .map(str::len)
            .sum();
        let mut offset = (line_start + e.column().saturating_sub(1)).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        // Its message ends with serde_json's own (byte) position.
        let message = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        vec![Problem::at(
            Locator::new(text).place(offset),
            format!(
                "bad JSON: {}",
                message.strip_suffix(&position).unwrap_or(&message)
            ),
            format!(
                "write an array of objects with the fields {}",
                COLUMNS.join(", ")
            ),
        )]
    })?;
    // serde_json does not say where each element starts; find each `"id"`
    // key in order instead (in valid JSON, a string followed by `:`).
    let mut locator = Locator::new(text);
    let mut positions = text
        .match_indices("\"id\"")
        .filter(|(i, _)| text[i + 4..].trim_start().starts_with(':'))
        .map(|(i, _)| locator.place(i));
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
            columns: Columns::default(),
        })
        .collect())
}

/// Turns byte offsets of a text, in increasing order, into 1-based lines
/// and character columns, in one pass over the text.
struct Locator<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Self {
        Locator {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// Where the character at `offset` (a character boundary) is.
    fn place(&mut self, offset: usize) -> Place {
        for &byte in &self.text[self.offset..offset] {
            if byte == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if byte & 0xC0 != 0x80 {
                // Not a UTF-8 continuation byte: a new character.
                self.column += 1;
            }
        }
        self.offset = offset;
        Place {
            line: self.line,
            column: Some(self.column),
        }
    }
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
            let (what, column) = if row.id.is_empty() {
                ("id", row.columns.id)
            } else {
                ("name", row.columns.name)
            };
            problems.push(Problem::at(
                row.at(column),
                format!("this unit has an empty {what}"),
                "every unit needs an id and a name",
            ));
        }
        if let Some(&first) = position.get(row.id.as_str()) {
            problems.push(Problem::at(
                row.at(row.columns.id),
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
                    row.at(row.columns.parent),
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
        let second = &rows[roots[1]];
        problems.push(Problem::at(
            second.at(second.columns.parent),
            format!("several units have no parent (lines {})", lines.join(", ")),
            "a snapshot has one root: make the others its sub-units",
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
            let root = &rows[roots[0]];
            problems.push(Problem::at(
                root.at(root.columns.id),
                format!("--scope {scope}, but the root is `{}`", root.id),
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
    // The depth of each unit reached from a root (the root is at 1); units
    // never reached (0) are on a cycle, or below one.
    let mut depth = vec![0; rows.len()];
    let mut stack: Vec<(usize, usize)> = roots.iter().map(|&r| (r, 1)).collect();
    while let Some((i, d)) = stack.pop() {
        if depth[i] == 0 {
            depth[i] = d;
            stack.extend(children[i].iter().map(|&c| (c, d + 1)));
        }
    }
    // Every chain too deep passes a unit just below the limit: name the
    // first one written.
    if let Some(deep) = depth.iter().position(|&d| d == MAX_NESTING + 1) {
        let row = &rows[deep];
        problems.push(Problem::at(
            row.at(row.columns.parent),
            format!(
                "`{}` is nested {} levels deep, and a chart may have at most {MAX_NESTING} \
                 (the root is level 1)",
                row.id,
                MAX_NESTING + 1
            ),
            "give this unit, or one of its ancestors, a parent higher up the chart",
        ));
    }
    if let Some(start) = (0..rows.len()).find(|&i| {
        depth[i] == 0
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
            rows[start].at(rows[start].columns.parent),
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
            "x.csv:4:2: this unit has an empty name",
            "x.csv:5:1: id `a` is also used at line 2",
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
    fn outline_ids_skip_suffixes_already_taken() {
        let rows = read_outline("A\n  Office 2\n  Office\n  Office\n").unwrap();
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a", "a/office-2", "a/office", "a/office-3"]);
    }

    #[test]
    fn acronyms_are_told_from_other_parentheses() {
        for acronym in ["ICE", "EP&R", "S&T", "D1", "HSI-Intel", "U.S.C.G."] {
            assert!(looks_like_acronym(acronym), "{acronym}");
        }
        for not in ["East", "2010", "X", "formerly Old Division", "ice", ""] {
            assert!(!looks_like_acronym(not), "{not}");
        }
    }

    fn csv_rows(text: &str) -> Result<Vec<Row>, Vec<Problem>> {
        read_csv(text.as_bytes(), &mut |_, _| {})
    }

    #[test]
    fn closed_quotes_are_not_taken_for_open_ones() {
        let rows = csv_rows(
            "\u{feff}\"id\",name,parent,description\nr,\"R, \"\"q\"\"\nx\",,5'11\"\nc,C,r,\"a\"\"\"\n",
        )
        .unwrap();
        assert_eq!(rows[0].name, "R, \"q\"\nx");
        assert_eq!(rows[0].description.as_deref(), Some("5'11\""));
        assert_eq!(rows[1].description.as_deref(), Some("a\""));
    }

    #[test]
    fn a_quote_left_open_is_located() {
        let p = csv_rows("id,name,parent\nr,R,\nc,\"C\"\"\n,r\n").unwrap_err();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(
            p[0].place,
            Some(Place {
                line: 3,
                column: Some(2)
            })
        );
        let p = csv_rows("id,\"name,parent\nr,R,\n").unwrap_err();
        assert!(p.iter().any(|p| p.message.contains("never closed")
            && p.place
                == Some(Place {
                    line: 1,
                    column: Some(2)
                })));
    }

    #[test]
    fn json_rows_are_located_at_their_id_key() {
        // A value "id" is not a key; columns count characters.
        let rows =
            read_json("[{\"name\":\"id\",\"id\":\"a\"},\n {\"name\":\"é\",\"id\":\"b\"}]").unwrap();
        assert_eq!(
            rows[0].place,
            Place {
                line: 1,
                column: Some(15)
            }
        );
        assert_eq!(
            rows[1].place,
            Place {
                line: 2,
                column: Some(14)
            }
        );
    }

    #[test]
    fn the_formula_guard_is_undone() {
        assert_eq!(unguard("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unguard("'quoted"), "'quoted");
    }
}

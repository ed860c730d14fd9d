//! Importing an organization chart as a snapshot: from CSV (`csv`), an
//! indented outline (`outline`), or JSON (`json`).
//!
//! The whole file is read first, as UTF-8 text (a byte that is not is
//! located like any other problem). Each reader turns the text into flat
//! [`Row`]s, remembering where each was written; [`build`] checks the rows
//! (duplicate ids, missing parents, cycles, several roots, empty names,
//! nesting deeper than [`crate::model::MAX_NESTING`]) and assembles the
//! tree. Every problem is a [`Diagnostic`] naming the file, line and
//! column; nothing is built from bad input.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location, SourceFile};

mod build;
mod csv;
mod json;
mod outline;

pub use build::{build, Header};
pub use outline::slug;

/// The columns of the CSV format, and the fields of the JSON one.
pub const COLUMNS: [&str; 7] = [
    "id",
    "name",
    "parent",
    "kind",
    "acronym",
    "aliases",
    "description",
];

/// Why a chart could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The input file.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The input has problems; nothing was written.
    #[error("{} problem(s) in {file}; nothing was written", problems.len())]
    Invalid {
        /// The input file.
        file: String,
        /// Every problem found, located in the input.
        problems: Vec<Diagnostic>,
    },
}

impl ImportError {
    fn invalid(file: &SourceFile, problems: Vec<Diagnostic>) -> ImportError {
        ImportError::Invalid {
            file: file.path.clone(),
            problems,
        }
    }
}

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One row per unit, with the columns of [`COLUMNS`].
    Csv,
    /// An indented list, one unit per line.
    Outline,
    /// Nested JSON objects, one per unit.
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

/// One unit as an input describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    /// Its id, unique in the chart.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The parent's id; `None` for the root.
    pub parent: Option<String>,
    /// Its kind (office, division...), if given.
    pub kind: Option<String>,
    /// Its acronym, if given.
    pub acronym: Option<String>,
    /// Other names it goes by.
    pub aliases: Vec<String>,
    /// Its functions, if given.
    pub description: Option<String>,
    /// Where it was written: the byte offset of the CSV record, of the
    /// outline line's text, or of the JSON object.
    pub at: usize,
}

/// The fields of a row that problems point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The unit's id.
    Id,
    /// The unit's name.
    Name,
    /// The parent's id.
    Parent,
}

/// A chart as read: its file, its rows, and how to find the fields of a
/// row in the file.
#[derive(Debug)]
pub struct Chart {
    /// The input, for locating problems.
    pub file: SourceFile,
    /// The units, in the order the input gives them.
    pub rows: Vec<Row>,
    layout: Layout,
}

/// How a format lays out a row's fields.
#[derive(Debug, Clone, Copy)]
enum Layout {
    /// The 0-based cell of the id, name and parent columns.
    Csv(csv::Cells),
    /// One line per unit, holding its name.
    Outline,
    /// One object per unit.
    Json,
}

impl Chart {
    /// Where `field` of `row` was written: the CSV cell, the JSON key, or
    /// the outline line's text (the record or object itself when the field
    /// is absent).
    pub fn location(&self, row: &Row, field: Field) -> Location {
        let text = &self.file.text;
        let span: Range<usize> = match self.layout {
            Layout::Csv(cells) => csv::cell_span(text, row.at, cells.of(field)),
            Layout::Outline => outline::line_span(text, row.at),
            Layout::Json => json::key_span(text, row.at, field),
        };
        self.file.location(span)
    }
}

/// Reads a chart file of the given format (by default, the one its name
/// suggests). `progress` is told the rows and bytes read so far, every
/// 100,000 rows of a CSV.
pub fn read(
    path: &Path,
    format: Option<Format>,
    progress: &mut dyn FnMut(usize, u64),
) -> Result<Chart, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.display().to_string();
    let format = format.unwrap_or_else(|| Format::of_path(&name));
    let (file, encoding) = SourceFile::from_bytes(name, bytes);
    if let Some(problem) = encoding {
        return Err(ImportError::invalid(&file, vec![problem]));
    }
    parse(file, format, progress)
}

/// Reads a chart from its text.
pub fn parse(
    file: SourceFile,
    format: Format,
    progress: &mut dyn FnMut(usize, u64),
) -> Result<Chart, ImportError> {
    let read = match format {
        Format::Csv => csv::read(&file, progress).map(|(rows, cells)| (rows, Layout::Csv(cells))),
        Format::Outline => outline::read(&file).map(|rows| (rows, Layout::Outline)),
        Format::Json => json::read(&file).map(|rows| (rows, Layout::Json)),
    };
    match read {
        Ok((rows, layout)) => Ok(Chart { file, rows, layout }),
        Err(problems) => Err(ImportError::invalid(&file, problems)),
    }
}

/// A value as written, or `None` when blank.
fn non_blank(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Aliases written as one `;`-separated string.
fn split_aliases(s: &str) -> Vec<String> {
    s.split(';').filter_map(non_blank).collect()
}

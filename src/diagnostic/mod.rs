//! Problems found in a dataset or in an imported chart. Every problem that
//! has a place is one [`Diagnostic`]: a [`Rule`], a message, advice, and a
//! [`Location`] — a span of bytes in a [`SourceFile`] — rendered like a
//! compiler's error (`render`): a header, `--> file:line:column`, the line
//! (or a window of it, when it is long) with the span underlined, and the
//! advice.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;

mod render;
mod ron_tokens;
mod source;

pub use render::{render, render_one, visible_lines};
pub use source::SourceFile;

/// The rule a problem breaks; its name is printed as `error[rule]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// The file is not valid RON, CSV or JSON.
    Syntax,
    /// A field (or CSV column) the format does not have.
    UnknownField,
    /// A required field (or CSV column) is missing.
    MissingField,
    /// A CSV column that appears twice.
    DuplicateColumn,
    /// A date that is not of the EDTF subset.
    BadDate,
    /// A file that could not be read.
    Io,
    /// A file that is not UTF-8 text.
    Encoding,
    /// Units nested deeper than [`crate::model::MAX_NESTING`].
    TooDeep,
    /// Two units of one snapshot, or two snapshots, share an id.
    DuplicateId,
    /// A unit or snapshot with an empty name, id or title.
    EmptyName,
    /// An id holding a control character (a newline, a tab...).
    BadId,
    /// A scoped snapshot whose scope is unknown or whose root is not the scope.
    UnknownScope,
    /// A source key that `sources.ron` does not define.
    UnknownSource,
    /// An event naming a unit that no snapshot has.
    UnknownUnit,
    /// An event dated outside the life of a unit it names.
    EventOutsideLife,
    /// A unit still present after the event that ended it.
    AliveAfterEnd,
    /// An event whose shape does not fit its kind.
    EventShape,
    /// An imported unit whose parent is no unit of the chart.
    UnknownParent,
    /// An imported chart with no root, or several.
    Roots,
    /// Imported units that are their own ancestors.
    Cycle,
    /// An outline line indented inconsistently.
    Indentation,
    /// An imported chart with no units at all.
    NoUnits,
    /// Two whole-organization snapshots from the same day.
    DuplicateDate,
}

impl Rule {
    /// The name printed in `error[...]` and counted by `check`'s summary.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Syntax => "syntax",
            Rule::UnknownField => "unknown-field",
            Rule::MissingField => "missing-field",
            Rule::DuplicateColumn => "duplicate-column",
            Rule::BadDate => "bad-date",
            Rule::Io => "io",
            Rule::Encoding => "encoding",
            Rule::TooDeep => "too-deep",
            Rule::DuplicateId => "duplicate-id",
            Rule::EmptyName => "empty-name",
            Rule::BadId => "bad-id",
            Rule::UnknownScope => "unknown-scope",
            Rule::UnknownSource => "unknown-source",
            Rule::UnknownUnit => "unknown-unit",
            Rule::EventOutsideLife => "event-outside-life",
            Rule::AliveAfterEnd => "alive-after-end",
            Rule::EventShape => "event-shape",
            Rule::UnknownParent => "unknown-parent",
            Rule::Roots => "roots",
            Rule::Cycle => "cycle",
            Rule::Indentation => "indentation",
            Rule::NoUnits => "no-units",
            Rule::DuplicateDate => "duplicate-date",
        }
    }
}

/// Where a problem is: a span of bytes in a file, or the whole file.
///
/// The span is what a location is; its line and column (counted from 1, in
/// characters) and the excerpt of its line are worked out once, when the
/// location is made, so that a diagnostic can be printed without its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user named it.
    pub file: String,
    /// The bytes of the file the problem concerns; `None` for the whole file.
    pub span: Option<Range<usize>>,
    /// The 1-based line of the span's start; 0 for the whole file.
    pub line: usize,
    /// The 1-based column of the span's start, in characters; 0 for the
    /// whole file.
    pub column: usize,
    /// What is shown of the line.
    excerpt: Excerpt,
}

/// A window of one line around a span, as it is printed: at most a few
/// dozen characters either side, control characters made visible, `…`
/// where the line was cut.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Excerpt {
    text: String,
    /// The underlined bytes of `text`.
    underline: Range<usize>,
}

impl Location {
    /// The whole of a file: for problems with no place in it (it cannot be
    /// read, it holds nothing).
    pub fn whole_file(path: impl Into<String>) -> Location {
        Location {
            file: path.into(),
            span: None,
            line: 0,
            column: 0,
            excerpt: Excerpt::default(),
        }
    }

    /// What locations are ordered by: file, line, column, then the end.
    fn sort_key(&self) -> (&str, usize, usize, usize) {
        let end = self.span.as_ref().map_or(0, |s| s.end);
        (&self.file, self.line, self.column, end)
    }
}

impl PartialOrd for Location {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Location {
    /// By file, then position in it; the whole file first.
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule broken.
    pub rule: Rule,
    /// What is wrong.
    pub message: String,
    /// Where: the file, and the line, column and byte span when known.
    pub location: Location,
    /// How to fix it, when that can be said.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem without help.
    pub fn new(rule: Rule, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            message: message.into(),
            location,
            help: None,
        }
    }

    /// The same problem, saying how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    /// The diagnostic as [`render_one`] prints it, without colour.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&render_one(self, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_caret_under_the_problem() {
        let file = SourceFile::new("s.ron", "Snapshot(\n    date: \"2013-13\",\n)\n");
        let at = file.find_field(0, "date", "2013-13", 0);
        let loc = file.location_of_literal(at);
        assert_eq!((loc.line, loc.column), (2, 11));
        let d = Diagnostic::new(Rule::BadDate, loc, "bad").with_help("fix it");
        let text = d.to_string();
        assert!(text.starts_with("error[bad-date]: bad\n"), "{text}");
        assert!(text.contains("--> s.ron:2:11"), "{text}");
        assert!(text.contains("2 |     date: \"2013-13\","), "{text}");
        assert!(text.contains("  |           ^^^^^^^^^"), "{text}");
        assert!(text.contains("= help: fix it"), "{text}");
    }

    #[test]
    fn a_whole_file_problem_names_the_file() {
        let d = Diagnostic::new(Rule::Io, Location::whole_file("d/x.ron"), "cannot read");
        let text = d.to_string();
        assert!(
            text.starts_with("error[io]: cannot read\n --> d/x.ron\n"),
            "{text}"
        );
    }

    #[test]
    fn locations_sort_by_file_then_position() {
        let file = SourceFile::new("a", "xy\nz\n");
        let mut all = [
            file.location_at(3, 1),
            Location::whole_file("a"),
            file.location_at(1, 1),
        ];
        all.sort();
        let places: Vec<(usize, usize)> = all.iter().map(|l| (l.line, l.column)).collect();
        assert_eq!(places, [(0, 0), (1, 2), (2, 1)]);
    }
}

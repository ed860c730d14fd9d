//! Problems found in a dataset, each pointing at a file, line and column,
//! with the offending line shown under a caret and advice on how to fix it.

use std::fmt;
use std::sync::OnceLock;

use crate::write::quote;

/// The rule a problem breaks; its name is printed as `error[rule]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// The file is not valid RON.
    Syntax,
    /// A field the format does not have.
    UnknownField,
    /// A required field is missing.
    MissingField,
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
    /// A unit with an empty name or id.
    EmptyName,
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
    /// Two whole-organization snapshots from the same day.
    DuplicateDate,
}

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::Syntax => "syntax",
            Rule::UnknownField => "unknown-field",
            Rule::MissingField => "missing-field",
            Rule::BadDate => "bad-date",
            Rule::Io => "io",
            Rule::Encoding => "encoding",
            Rule::TooDeep => "too-deep",
            Rule::DuplicateId => "duplicate-id",
            Rule::EmptyName => "empty-name",
            Rule::UnknownScope => "unknown-scope",
            Rule::UnknownSource => "unknown-source",
            Rule::UnknownUnit => "unknown-unit",
            Rule::EventOutsideLife => "event-outside-life",
            Rule::AliveAfterEnd => "alive-after-end",
            Rule::EventShape => "event-shape",
            Rule::DuplicateDate => "duplicate-date",
        }
    }
}

/// Where a problem is: a file, and a position in it when one is known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// How many characters the caret underlines.
    pub width: usize,
    /// The text of the line, for the snippet.
    pub line_text: String,
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub message: String,
    pub location: Location,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(rule: Rule, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            message: message.into(),
            location,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    /// Renders like a compiler: header, `--> file:line:column`, the line
    /// with a caret under the problem, then the advice.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = &self.location;
        writeln!(f, "error[{}]: {}", self.rule.name(), self.message)?;
        if loc.line == 0 {
            writeln!(f, "  --> {}", loc.file)?;
        } else {
            let gutter = loc.line.to_string().len();
            let pad = " ".repeat(gutter);
            writeln!(f, "{pad}--> {}:{}:{}", loc.file, loc.line, loc.column)?;
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {}", loc.line, loc.line_text.trim_end())?;
            let before: String = loc
                .line_text
                .chars()
                .take(loc.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} | {before}{}", "^".repeat(loc.width.max(1)))?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        Ok(())
    }
}

/// The text of one dataset file, able to turn offsets into locations and to
/// find where a value was written.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    /// The offset of each line's start, gathered the first time a
    /// location is asked for, so that locating many problems stays linear.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The offset where a 1-based line starts (the end of the text past
    /// the last line).
    pub fn line_start(&self, line: usize) -> usize {
        let starts = self.line_starts();
        starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The location of a byte offset, underlining `width` characters.
    pub fn location_at(&self, offset: usize, width: usize) -> Location {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset);
        let line_start = starts[line - 1];
        let line_end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        let column = self.text[line_start..offset].chars().count() + 1;
        Location {
            file: self.path.clone(),
            line,
            column,
            width,
            line_text: self.text[line_start..line_end].to_string(),
        }
    }

    /// The location of a 1-based line and character column, as RON reports them.
    pub fn location_at_line(&self, line: usize, column: usize, width: usize) -> Location {
        let line_start = self.line_start(line);
        let line_text = self.text[line_start.min(self.text.len())..]
            .split('\n')
            .next()
            .unwrap_or("");
        let offset = line_start
            + line_text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(line_text.len(), |(b, _)| b);
        self.location_at(offset, width)
    }

    /// A location for the file as a whole.
    pub fn whole(&self) -> Location {
        Location {
            file: self.path.clone(),
            line: 0,
            column: 0,
            width: 0,
            line_text: String::new(),
        }
    }

    /// Finds the first place at or after `from` where the string `value` is
    /// written as a quoted literal.
    pub fn find_string(&self, from: usize, value: &str) -> Option<usize> {
        let from = from.min(self.text.len());
        self.text[from..].find(&quote(value)).map(|i| from + i)
    }

    /// The location of a quoted value found at `offset`, or of the whole
    /// file when it was not found.
    pub fn location_of_value(&self, offset: Option<usize>, value: &str) -> Location {
        match offset {
            Some(o) => self.location_at(o, quote(value).chars().count()),
            None => self.whole(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_caret_under_the_problem() {
        let file = SourceFile::new("s.ron", "Snapshot(\n    date: \"2013-13\",\n)\n");
        let at = file.find_string(0, "2013-13");
        let loc = file.location_of_value(at, "2013-13");
        assert_eq!((loc.line, loc.column), (2, 11));
        let d = Diagnostic::new(Rule::BadDate, loc, "bad").with_help("fix it");
        let text = d.to_string();
        assert!(text.contains("--> s.ron:2:11"), "{text}");
        assert!(text.contains("2 |     date: \"2013-13\","), "{text}");
        assert!(text.contains("  |           ^^^^^^^^^"), "{text}");
        assert!(text.contains("= help: fix it"), "{text}");
    }

    #[test]
    fn line_and_column_map_back_to_the_line() {
        let file = SourceFile::new("x", "ab\ncdé f\n");
        let loc = file.location_at_line(2, 5, 1);
        assert_eq!(loc.line_text, "cdé f");
        assert_eq!((loc.line, loc.column), (2, 5));
    }
}

//! The text of a file a problem is found in: turning byte offsets into
//! lines, columns and excerpts, and finding where a value was written.
//!
//! Both are answered from indexes built the first time they are needed, in
//! one pass over the text, so that a file with thousands of problems is not
//! scanned again for each one (a snapshot of 20,000 units with empty names
//! once took 20 s to refuse).

use std::ops::Range;
use std::sync::OnceLock;

use super::ron_tokens::{string_end, RonStrings};
use super::{Diagnostic, Excerpt, Location, Rule};

/// One file's text, able to locate offsets and written values.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown in diagnostics.
    pub path: String,
    /// The whole text of the file.
    pub text: String,
    lines: OnceLock<LineIndex>,
    strings: OnceLock<RonStrings>,
}

/// How many characters of a line an excerpt shows before the problem, and
/// after it; and how many of the problem itself are underlined at most.
const CONTEXT: usize = 40;

/// The byte-order mark, as UTF-8.
const BOM: &str = "\u{feff}";
const UNDERLINED: usize = 80;

impl SourceFile {
    /// A file named `path` holding `text`.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
            lines: OnceLock::new(),
            strings: OnceLock::new(),
        }
    }

    /// The text of a file read from disk, without the byte-order mark some
    /// editors put first (editors do not count it as a column, and RON does
    /// not accept it), and the problem of bytes that are not UTF-8, located
    /// at the first one.
    pub(crate) fn from_bytes(
        path: impl Into<String>,
        mut bytes: Vec<u8>,
    ) -> (SourceFile, Option<Diagnostic>) {
        if bytes.starts_with(BOM.as_bytes()) {
            // Dropped before decoding, so that the offset of a bad byte is
            // one in the text as the user sees it.
            bytes.drain(..BOM.len());
        }
        match String::from_utf8(bytes) {
            Ok(text) => (SourceFile::new(path, text), None),
            Err(e) => {
                // Up to the first bad byte the text is valid, so offsets into
                // the lossy copy are offsets into the file.
                let at = e.utf8_error().valid_up_to();
                let byte = e.as_bytes()[at];
                let file = SourceFile::new(path, String::from_utf8_lossy(e.as_bytes()));
                let problem = Diagnostic::new(
                    Rule::Encoding,
                    file.location_at(at, 1),
                    format!("the file is not UTF-8 text: byte 0x{byte:02X} cannot appear here"),
                )
                .with_help(
                    "save the file as UTF-8 (it was saved in another encoding, \
                     such as Latin-1 or Windows-1252; editors offer the choice when saving)",
                );
                (file, Some(problem))
            }
        }
    }

    fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::of(&self.text))
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line_at(&self, offset: usize) -> usize {
        self.lines().line_of(self.boundary(offset)) + 1
    }

    /// The offset where a 1-based line starts (the end of the text past
    /// the last line).
    pub(crate) fn line_start(&self, line: usize) -> usize {
        let starts = &self.lines().starts;
        starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The nearest character boundary at or before `offset`, in the text.
    fn boundary(&self, offset: usize) -> usize {
        let mut at = offset.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// The location of a span of bytes (clamped to the text and to
    /// character boundaries).
    pub fn location(&self, span: Range<usize>) -> Location {
        let start = self.boundary(span.start);
        let end = self.boundary(span.end.max(start));
        let lines = self.lines();
        let line = lines.line_of(start);
        let line_start = lines.starts[line];
        let column = lines.chars_between(&self.text, line_start, start) + 1;
        Location {
            file: self.path.clone(),
            span: Some(start..end),
            line: line + 1,
            column,
            excerpt: self.excerpt(line_start, start..end),
        }
    }

    /// The location of a byte offset, underlining `width` characters.
    pub(crate) fn location_at(&self, offset: usize, width: usize) -> Location {
        let start = self.boundary(offset);
        let end = self.text[start..]
            .char_indices()
            .nth(width)
            .map_or(self.text.len(), |(i, _)| start + i);
        self.location(start..end)
    }

    /// The location of a 1-based line and character column, as RON reports them.
    pub(crate) fn location_at_line(&self, line: usize, column: usize, width: usize) -> Location {
        let line_start = self.line_start(line);
        let line_text = self.text[line_start..].split('\n').next().unwrap_or("");
        let offset = line_start
            + line_text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(line_text.len(), |(b, _)| b);
        self.location_at(offset, width)
    }

    /// A location for the file as a whole.
    pub fn whole(&self) -> Location {
        Location::whole_file(self.path.clone())
    }

    /// What is shown of the line starting at `line_start` for `span`: the
    /// line, or a window of it around the span when it is long.
    fn excerpt(&self, line_start: usize, span: Range<usize>) -> Excerpt {
        let rest = &self.text[line_start..];
        let line_end = line_start + rest.find('\n').unwrap_or(rest.len());
        let line_end = if self.text[..line_end].ends_with('\r') && line_end > span.start {
            line_end - 1
        } else {
            line_end
        };
        let underline_end = span.end.min(line_end).max(span.start);
        let underline_end =
            span.start + char_prefix(&self.text[span.start..underline_end], UNDERLINED);
        let before = &self.text[line_start..span.start];
        let from = span.start - char_suffix(before, CONTEXT);
        let after = &self.text[underline_end..line_end];
        let to = underline_end + char_prefix(after, CONTEXT);
        let mut excerpt = Excerpt::default();
        if from > line_start {
            excerpt.text.push('…');
        }
        push_visible(&mut excerpt.text, &self.text[from..span.start]);
        let start = excerpt.text.len();
        push_visible(&mut excerpt.text, &self.text[span.start..underline_end]);
        excerpt.underline = start..excerpt.text.len();
        push_visible(&mut excerpt.text, &self.text[underline_end..to]);
        if to < line_end {
            excerpt.text.push('…');
        }
        excerpt
    }

    /// Finds the `nth` (0-based) place at or after `from` where `field` is
    /// written with the string value `value` (`field: "value"` or
    /// `field: Some("value")`), outside comments, and returns the offset of
    /// the value's opening quote.
    #[cfg(test)]
    pub(crate) fn find_field(
        &self,
        from: usize,
        field: &str,
        value: &str,
        nth: usize,
    ) -> Option<usize> {
        self.strings()
            .fields(field, value, &self.text)
            .filter(|&at| at >= from)
            .nth(nth)
    }

    /// Finds the first place at or after `from` where the string `value` is
    /// written as a quoted literal, outside comments.
    pub(crate) fn find_string(&self, from: usize, value: &str) -> Option<usize> {
        self.strings()
            .literals(value, &self.text)
            .find(|&at| at >= from)
    }

    /// The location of the string literal opening at `offset` (found by
    /// [`SourceFile::find_string`]), as it is
    /// written, or of the whole file when it was not found.
    pub(crate) fn location_of_literal(&self, offset: Option<usize>) -> Location {
        match offset {
            Some(o) => self.location(o..string_end(&self.text, o)),
            None => self.whole(),
        }
    }

    fn strings(&self) -> &RonStrings {
        self.strings.get_or_init(|| RonStrings::of(&self.text))
    }
}

/// The number of bytes of the first `n` characters of `s`.
fn char_prefix(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// The number of bytes of the last `n` characters of `s`.
fn char_suffix(s: &str, n: usize) -> usize {
    s.char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(if n == 0 { 0 } else { s.len() }, |(i, _)| s.len() - i)
}

/// Appends `s` with control characters other than tabs shown as `�`, so
/// that an excerpt cannot move the cursor or clear the screen of the
/// terminal it is printed on.
fn push_visible(out: &mut String, s: &str) {
    out.extend(s.chars().map(|c| {
        if c.is_control() && c != '\t' {
            '\u{fffd}'
        } else {
            c
        }
    }));
}

/// Where the lines of a text start, and how many characters come before
/// every block of bytes, so that a line and column cost a binary search and
/// a count within one block.
#[derive(Debug, Clone)]
struct LineIndex {
    starts: Vec<usize>,
    /// `chars[i]`: the number of characters before byte `i * BLOCK`.
    chars: Vec<usize>,
}

const BLOCK: usize = 4096;

impl LineIndex {
    fn of(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut chars = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut seen = 0;
        for block in bytes.chunks(BLOCK) {
            chars.push(seen);
            seen += count_chars(block);
        }
        chars.push(seen);
        LineIndex { starts, chars }
    }

    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The number of characters from byte `from` to byte `to`: counted
    /// directly when they are near, else through the blocks.
    fn chars_between(&self, text: &str, from: usize, to: usize) -> usize {
        if to - from <= 2 * BLOCK {
            return count_chars(&text.as_bytes()[from..to]);
        }
        self.chars_before(text, to) - self.chars_before(text, from)
    }

    /// The number of characters before byte `offset` (a character boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / BLOCK;
        self.chars[block] + count_chars(&text.as_bytes()[block * BLOCK..offset])
    }
}

/// The characters that start in `bytes`: every byte that is not a UTF-8
/// continuation byte.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_nth_field_and_skips_longer_names() {
        let file = SourceFile::new("x", "(xid: \"a\", id: \"a\", id: Some(\"a\"))");
        assert_eq!(file.find_field(0, "id", "a", 0), Some(15));
        assert_eq!(file.find_field(0, "id", "a", 1), Some(29));
        assert_eq!(file.find_field(0, "id", "a", 2), None);
        assert_eq!(file.find_field(16, "id", "a", 0), Some(29));
    }

    #[test]
    fn commented_out_values_are_not_found() {
        let text = "[\n  // Unit(id: \"e\", date: \"2001\"),\n  /* id: \"e\" /* nested */ id: \"e\" */\n  Unit(note: \"// id: \\\"e\\\"\", id: \"e\", date: \"2001\"),\n]";
        let file = SourceFile::new("x", text);
        let at = file.find_field(0, "id", "e", 0).unwrap();
        assert_eq!(file.location_at(at, 1).line, 4);
        assert_eq!(file.find_field(0, "id", "e", 1), None);
        let at = file.find_string(0, "2001").unwrap();
        assert_eq!(file.location_at(at, 1).line, 4);
    }

    #[test]
    fn line_and_column_map_back_to_the_line() {
        let file = SourceFile::new("x", "ab\ncdé f\n");
        let loc = file.location_at_line(2, 5, 1);
        assert_eq!(loc.excerpt.text, "cdé f");
        assert_eq!((loc.line, loc.column), (2, 5));
        assert_eq!(loc.span, Some(8..9));
    }

    #[test]
    fn columns_count_characters_across_blocks() {
        let text = format!("{}\n{}x", "é".repeat(3000), "ü".repeat(5000));
        let file = SourceFile::new("x", text.clone());
        let loc = file.location_at(text.len() - 1, 1);
        assert_eq!((loc.line, loc.column), (2, 5001));
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_problem() {
        let text = format!("{}BAD{}\n", "a".repeat(1_000_000), "b".repeat(1_000_000));
        let file = SourceFile::new("x", text);
        let loc = file.location_at(1_000_000, 3);
        assert_eq!((loc.line, loc.column), (1, 1_000_001));
        let excerpt = &loc.excerpt;
        assert!(excerpt.text.len() < 200, "{}", excerpt.text);
        assert!(excerpt.text.starts_with('…') && excerpt.text.ends_with('…'));
        assert_eq!(&excerpt.text[excerpt.underline.clone()], "BAD");
    }

    #[test]
    fn control_characters_are_shown_harmless() {
        let file = SourceFile::new("x", "id: \"a\u{1b}[2Jb\"");
        let loc = file.location_at(4, 7);
        assert_eq!(loc.excerpt.text, "id: \"a\u{fffd}[2Jb\"");
        assert_eq!(
            &loc.excerpt.text[loc.excerpt.underline.clone()],
            "\"a\u{fffd}[2Jb"
        );
    }
}

//! Printing diagnostics like a compiler, with codespan-reporting.
//!
//! codespan-reporting draws the snippet from a `Files` source; here that
//! source is the excerpt a [`Location`] keeps of its line, numbered with
//! the line and column of the real file, so that a problem on a line of
//! 20 MB prints a window of it and not the whole line.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::{Error, Files};
use codespan_reporting::term::{self, termcolor, Chars, Config};

use super::{Diagnostic, Location};

/// Every diagnostic, each followed by a blank line; in colour (ANSI) when
/// asked.
pub fn render(diagnostics: &[Diagnostic], colour: bool) -> String {
    diagnostics.iter().map(|d| render_one(d, colour)).collect()
}

/// One diagnostic: `error[rule]: message`, `--> file:line:column`, the
/// excerpt with the span underlined, and `= help: ...`.
pub fn render_one(diagnostic: &Diagnostic, colour: bool) -> String {
    let location = &diagnostic.location;
    let mut report = Report::error()
        .with_code(diagnostic.rule.name())
        .with_message(visible(&diagnostic.message));
    if location.span.is_some() {
        report = report.with_label(Label::primary((), location.excerpt.underline.clone()));
    }
    if let Some(help) = &diagnostic.help {
        report = report.with_note(format!("help: {}", visible(help)));
    }
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let source = Excerpted(location);
    let rendered = if colour {
        let mut buffer = termcolor::Buffer::ansi();
        term::emit_to_write_style(&mut buffer, &config, &source, &report)
            .map(|()| String::from_utf8_lossy(buffer.as_slice()).into_owned())
    } else {
        term::emit_into_string(&config, &source, &report)
    };
    let mut text = rendered.unwrap_or_else(|_| plain(diagnostic));
    if location.span.is_none() {
        // A problem with the whole file has no snippet, and codespan then
        // prints no file either: name it under the header.
        let header_end = text.find('\n').map_or(text.len(), |i| i + 1);
        text.insert_str(header_end, &format!(" --> {}\n", visible(&location.file)));
    }
    text
}

/// The diagnostic on two lines, should the renderer fail.
fn plain(diagnostic: &Diagnostic) -> String {
    let location = &diagnostic.location;
    format!(
        "error[{}]: {}\n --> {}:{}:{}\n\n",
        diagnostic.rule.name(),
        visible(&diagnostic.message),
        visible(&location.file),
        location.line,
        location.column
    )
}

/// Text with its control characters escaped (`\n`, `\u{1b}`), so that a
/// name or id quoted in a message prints on its line and cannot drive the
/// terminal.
fn visible(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Text with its control characters escaped but for line breaks: for
/// messages that list things one a line.
pub fn visible_lines(text: &str) -> String {
    text.split('\n').map(visible).collect::<Vec<_>>().join("\n")
}

/// A location's excerpt as the one line of a one-file source.
struct Excerpted<'a>(&'a Location);

impl Excerpted<'_> {
    fn underline(&self) -> &Range<usize> {
        &self.0.excerpt.underline
    }
}

impl<'a> Files<'a> for Excerpted<'a> {
    type FileId = ();
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<String, Error> {
        Ok(visible(&self.0.file))
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.0.excerpt.text)
    }

    fn line_index(&'a self, (): (), _byte: usize) -> Result<usize, Error> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _line: usize) -> Result<usize, Error> {
        Ok(self.0.line)
    }

    /// The column in the file: the location's own, moved by the characters
    /// between the start of the underline and `byte`.
    fn column_number(&'a self, (): (), _line: usize, byte: usize) -> Result<usize, Error> {
        let text = &self.0.excerpt.text;
        let start = self.underline().start;
        let chars = |range: Range<usize>| text.get(range).map_or(0, |s| s.chars().count());
        Ok(if byte >= start {
            self.0.column + chars(start..byte)
        } else {
            self.0.column.saturating_sub(chars(byte..start))
        })
    }

    fn line_range(&'a self, (): (), _line: usize) -> Result<Range<usize>, Error> {
        Ok(0..self.0.excerpt.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Rule, SourceFile};
    use super::*;

    #[test]
    fn a_window_keeps_the_real_line_and_column() {
        let text = format!("x\n{}\"bad\"{}\n", "é".repeat(5000), "b".repeat(5000));
        let file = SourceFile::new("f.ron", text);
        let location = file.location_at(2 + 10_000, 5);
        let shown = render_one(&Diagnostic::new(Rule::Syntax, location, "m"), false);
        assert!(shown.contains("--> f.ron:2:5001\n"), "{shown}");
        assert!(shown.contains("2 | …éé"), "{shown}");
        assert!(shown.lines().all(|l| l.chars().count() < 200), "{shown}");
        let caret_line = shown.lines().find(|l| l.contains('^')).unwrap();
        let snippet_line = shown.lines().find(|l| l.contains("\"bad\"")).unwrap();
        let column = |l: &str, needle: &str| l.find(needle).map(|b| l[..b].chars().count());
        assert_eq!(column(caret_line, "^^^^^"), column(snippet_line, "\"bad\""));
    }

    #[test]
    fn messages_escape_control_characters() {
        let location = Location::whole_file("d/a\nb.ron");
        let d = Diagnostic::new(Rule::BadId, location, "id `a\nb\u{1b}[2J`").with_help("h\r");
        let shown = render_one(&d, false);
        assert!(
            shown.starts_with("error[bad-id]: id `a\\nb\\u{1b}[2J`\n --> d/a\\nb.ron\n"),
            "{shown}"
        );
        assert!(shown.contains("= help: h\\r"), "{shown}");
    }

    #[test]
    fn colour_is_only_given_when_asked() {
        let file = SourceFile::new("f", "abc");
        let d = Diagnostic::new(Rule::Syntax, file.location_at(1, 1), "m");
        assert!(!render_one(&d, false).contains('\u{1b}'));
        assert!(render_one(&d, true).contains('\u{1b}'));
    }
}

//! Text for a terminal: how wide it is, whether it takes colour and
//! symbols, words wrapped to fit, and dataset text made safe to print.
//!
//! **Width.** `COLUMNS` when set; else the terminal's width when standard
//! output is one; else none: output that is piped or written to a file is
//! not wrapped, so that each change stays on one line for `grep` and the
//! like. Text is wrapped only between words (at spaces: not at the hyphens
//! of a date or a name), continuation lines indented; a word wider than a
//! whole line is the one thing ever cut.
//!
//! **Colour and symbols** appear together, only when standard output is a
//! terminal and `NO_COLOR` is not set (`CLICOLOR_FORCE=1` forces them, as
//! `anstream` reads these variables), never in a file.

use std::io::IsTerminal;

use anstyle::Style;
use textwrap::{Options, WordSeparator, WordSplitter};

/// The narrowest width standard output is wrapped to: below it, lines may
/// be longer than the terminal.
pub(crate) const MIN_WIDTH: usize = 40;

/// How text is laid out for where it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    /// The width to wrap to; `None`: no wrapping.
    pub width: Option<usize>,
    /// Colour and symbols.
    pub styled: bool,
}

impl Layout {
    /// The layout for standard output, as the environment and the
    /// terminal (if it is one) ask for.
    pub fn for_stdout() -> Layout {
        let choice = anstream::AutoStream::choice(&std::io::stdout());
        Layout {
            width: terminal_width().map(|w| w.max(MIN_WIDTH)),
            styled: choice != anstream::ColorChoice::Never,
        }
    }

    /// The layout for a file: no wrapping, no colour.
    pub fn plain() -> Layout {
        Layout::default()
    }

    /// `text` in `style`, when styled: each word on its own, so that a
    /// line broken between two words carries no open style.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if !self.styled || style == Style::new() {
            return text.to_string();
        }
        text.split(' ')
            .map(|w| match w.is_empty() {
                true => String::new(),
                false => format!("{}{w}{}", style.render(), style.render_reset()),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `text` (which may hold this layout's styles) wrapped to the width,
    /// each line after the first indented by `indent` columns; one line
    /// when there is no width.
    pub fn wrap(&self, text: &str, indent: usize) -> Vec<String> {
        let Some(width) = self.width else {
            return vec![text.to_string()];
        };
        let indent = " ".repeat(indent);
        let options = Options::new(width)
            .subsequent_indent(&indent)
            .word_separator(WordSeparator::AsciiSpace)
            .word_splitter(WordSplitter::NoHyphenation)
            .break_words(true);
        textwrap::wrap(text, options)
            .into_iter()
            .map(|line| line.trim_end().to_string())
            .collect()
    }
}

impl Layout {
    /// Every line of `text` wrapped to the width, continuation lines
    /// indented under the line's own prefix (its spaces and tree rails)
    /// and four more columns.
    pub fn fit(&self, text: &str) -> String {
        if self.width.is_none() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        for line in text.lines() {
            let prefix: String = line
                .chars()
                .take_while(|c| matches!(c, ' ' | '│' | '├' | '└' | '─'))
                .map(|c| match c {
                    '├' => '│',
                    '└' | '─' => ' ',
                    c => c,
                })
                .collect();
            let indent = prefix.chars().count() + 4;
            for (i, wrapped) in self.wrap(line, indent).into_iter().enumerate() {
                if i > 0 {
                    // The rails of a tree go on beside the continued line.
                    out.push_str(&prefix);
                    out.push_str(&wrapped[prefix.chars().count()..]);
                } else {
                    out.push_str(&wrapped);
                }
                out.push('\n');
            }
        }
        out
    }
}

/// The width to fit text and tables to: `COLUMNS` when set, else the
/// terminal's when stdout is one, else none (piped output is never cut).
pub fn terminal_width() -> Option<usize> {
    if let Some(cols) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(cols);
    }
    if std::io::stdout().is_terminal() {
        return terminal_size::terminal_size().map(|(w, _)| w.0 as usize);
    }
    None
}

/// Dataset text made safe for a terminal, on one line: control characters
/// (escape sequences, newlines, tabs) and the invisible marks that reorder
/// text (bidirectional overrides and isolates) become spaces, and so do
/// no-break spaces, which the layout keeps for itself.
pub(crate) fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            let reorders = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || reorders || c == '\u{a0}' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_between_words_only_and_never_at_hyphens() {
        let layout = Layout {
            width: Some(40),
            styled: false,
        };
        let lines = layout.wrap(
            "renamed 2010-06/2013~ Counter-Proliferation Investigations (CPI) moved to Global Trade",
            4,
        );
        assert!(lines.len() > 1, "{lines:?}");
        for line in &lines {
            assert!(line.chars().count() <= 40, "{line}");
        }
        assert!(lines.iter().any(|l| l.contains("2010-06/2013~")));
        assert!(lines.iter().any(|l| l.contains("Counter-Proliferation")));
        assert!(lines[1..].iter().all(|l| l.starts_with("    ")));
    }

    #[test]
    fn styled_words_are_measured_without_their_escapes() {
        let layout = Layout {
            width: Some(40),
            styled: true,
        };
        let bold = Style::new().bold();
        let text = layout.paint(bold, "one two three four five six seven eight nine");
        let lines = layout.wrap(&text, 0);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].contains('\u{1b}'));
    }

    #[test]
    fn control_and_reordering_characters_are_not_printed() {
        assert_eq!(safe("a\u{1b}[31mb\nc\u{202E}d"), "a [31mb c d");
    }
}

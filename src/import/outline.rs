//! The outline format: one unit per line, sub-units indented below
//! (spaces or tabs, not both), optional `- ` or `* ` bullets, `#` lines
//! ignored, an acronym in trailing parentheses when it looks like one.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::Row;
use crate::diagnostic::{Diagnostic, Rule, SourceFile};
use crate::text::fold;

/// Reads the rows. Ids are slugs of the path from the root, made unique.
pub(super) fn read(file: &SourceFile) -> Result<Vec<Row>, Vec<Diagnostic>> {
    let mut rows: Vec<Row> = Vec::new();
    let mut problems = Vec::new();
    // (indentation width, index of the row) of the open ancestors.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut ids = Ids::default();
    let mut indent_char: Option<char> = None;
    let mut line_start = 0;
    for raw_line in file.text.split_inclusive('\n') {
        let start = line_start;
        line_start += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = &line[..line.len() - content.len()];
        let at = start + indent.len();
        if let Some(c) = indent.chars().next() {
            let consistent = indent.chars().all(|x| x == c) && indent_char.is_none_or(|ic| ic == c);
            if !consistent {
                problems.push(
                    Diagnostic::new(
                        Rule::Indentation,
                        file.location(start..at),
                        "indentation mixes tabs and spaces",
                    )
                    .with_help("indent with tabs only or with spaces only"),
                );
                continue;
            }
            indent_char = Some(c);
        }
        let width = indent.chars().count();
        // Close the units indented as deep or deeper; the last one closed
        // is a sibling, and must be indented exactly as deep.
        let mut last_closed = None;
        while stack.last().is_some_and(|&(w, _)| w >= width) {
            last_closed = stack.pop().map(|(w, _)| w);
        }
        if last_closed.is_some_and(|w| w != width) {
            problems.push(
                Diagnostic::new(
                    Rule::Indentation,
                    file.location(line_span(&file.text, at)),
                    "this line's indentation matches no line above it",
                )
                .with_help("indent a unit exactly as deep as its siblings"),
            );
        }
        let text = content
            .strip_prefix("- ")
            .or_else(|| content.strip_prefix("* "))
            .unwrap_or(content)
            .trim_end();
        let (name, acronym) = name_and_acronym(text);
        let parent = stack.last().map(|&(_, i)| rows[i].id.clone());
        rows.push(Row {
            id: ids.unique(parent.as_deref(), &name),
            name,
            parent,
            acronym,
            at,
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

/// The text of the line from `at`, without its line ending.
pub(super) fn line_span(text: &str, at: usize) -> Range<usize> {
    let rest = &text[at..];
    let line = rest.split('\n').next().unwrap_or("").trim_end();
    at..at + line.len()
}

/// The ids given so far. The user cannot choose them, so they must never
/// collide: a second "Office" becomes `office-2` unless an "Office 2" took
/// that id already, then `office-3`.
#[derive(Default)]
struct Ids {
    taken: HashSet<String>,
    /// Where to try next for each base, so that many namesakes cost no
    /// rescans.
    next_suffix: HashMap<String, usize>,
}

impl Ids {
    fn unique(&mut self, parent: Option<&str>, name: &str) -> String {
        let base = match parent {
            Some(p) => format!("{p}/{}", slug(name)),
            None => slug(name),
        };
        let suffix = self.next_suffix.entry(base.clone()).or_insert(1);
        loop {
            let candidate = match *suffix {
                1 => base.clone(),
                n => format!("{base}-{n}"),
            };
            *suffix += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Result<Vec<Row>, Vec<Diagnostic>> {
        read(&SourceFile::new("o.txt", text))
    }

    #[test]
    fn an_outline_becomes_rows_with_slug_ids() {
        let found =
            rows("Agency (AG)\n  Office of Intelligence (HSI-Intel)\n    Unit\n  Office of Intelligence\n")
                .unwrap();
        let ids: Vec<&str> = found.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "agency",
                "agency/office-of-intelligence",
                "agency/office-of-intelligence/unit",
                "agency/office-of-intelligence-2"
            ]
        );
        assert_eq!(found[1].acronym.as_deref(), Some("HSI-Intel"));
        assert_eq!(found[1].at, 14);
    }

    #[test]
    fn bad_outlines_are_located() {
        let p = rows("A\n\t B\n").unwrap_err();
        assert_eq!((p[0].location.line, p[0].location.column), (2, 1));
        let p = rows("A\n    B\n  C\n").unwrap_err();
        assert_eq!((p[0].location.line, p[0].location.column), (3, 3));
    }

    #[test]
    fn outline_ids_skip_suffixes_already_taken() {
        let found = rows("A\n  Office 2\n  Office\n  Office\n").unwrap();
        let ids: Vec<&str> = found.iter().map(|r| r.id.as_str()).collect();
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
}

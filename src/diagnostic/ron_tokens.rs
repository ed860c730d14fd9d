//! Where the string literals of a RON file are, and which field each one
//! is the value of, read in one pass that skips comments (`//` to the end
//! of the line, `/* */` nested) and the insides of strings and characters:
//! a commented-out `Unit(id: "e")` is never taken for the real one.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

/// The string literals of a file, by the value they stand for (however
/// it is escaped), and those that are the value of a field
/// (`field: "value"`, `field: Some("value")`), by field name. Values are
/// kept as hashes, and every offset found is checked against the text.
#[derive(Debug, Clone, Default)]
pub(super) struct RonStrings {
    literals: FxHashMap<u64, Vec<usize>>,
    fields: FxHashMap<String, FxHashMap<u64, Vec<usize>>>,
}

impl RonStrings {
    pub(super) fn of(text: &str) -> RonStrings {
        let mut strings = RonStrings::default();
        let mut lexer = Lexer {
            bytes: text.as_bytes(),
            at: 0,
        };
        // What the last tokens were, as far as `field: Some("value")` goes.
        let mut after = After::Nothing;
        while let Some(token) = lexer.next_token() {
            after = match (token, after) {
                (Token::Str(start), after) => {
                    if let Some(value) = value_at(text, start) {
                        let key = hash(&value);
                        strings.literals.entry(key).or_default().push(start);
                        if let After::Colon(field) | After::SomeParen(field) = after {
                            strings.add_field(&text[field.0..field.1], key, start);
                        }
                    }
                    After::Nothing
                }
                (Token::Ident(start, end), After::Colon(field)) if &text[start..end] == "Some" => {
                    After::Some(field)
                }
                (Token::Ident(start, end), _) => After::Ident((start, end)),
                (Token::Colon, After::Ident(field)) => After::Colon(field),
                (Token::OpenParen, After::Some(field)) => After::SomeParen(field),
                _ => After::Nothing,
            };
        }
        strings
    }

    fn add_field(&mut self, field: &str, key: u64, at: usize) {
        if !self.fields.contains_key(field) {
            self.fields.insert(field.to_string(), FxHashMap::default());
        }
        let by_value = self.fields.get_mut(field).expect("inserted above");
        by_value.entry(key).or_default().push(at);
    }

    /// The offsets, in order, of the string literals that stand for `value`.
    pub(super) fn literals<'a>(
        &'a self,
        value: &'a str,
        text: &'a str,
    ) -> impl Iterator<Item = usize> + 'a {
        standing_for(self.literals.get(&hash(value)), value, text)
    }

    /// The offsets, in order, of the string values of `field` that stand
    /// for `value`.
    #[cfg(test)]
    pub(super) fn fields<'a>(
        &'a self,
        field: &str,
        value: &'a str,
        text: &'a str,
    ) -> impl Iterator<Item = usize> + 'a {
        let offsets = self.fields.get(field).and_then(|f| f.get(&hash(value)));
        standing_for(offsets, value, text)
    }
}

fn standing_for<'a>(
    offsets: Option<&'a Vec<usize>>,
    value: &'a str,
    text: &'a str,
) -> impl Iterator<Item = usize> + 'a {
    offsets
        .into_iter()
        .flatten()
        .copied()
        .filter(move |&at| value_at(text, at).is_some_and(|v| v == value))
}

fn hash(s: &str) -> u64 {
    let mut hasher = FxHasher::default();
    s.hash(&mut hasher);
    hasher.finish()
}

/// The end (past the closing quote) of the string literal opening at
/// `start`, or of the text if it is never closed.
pub(super) fn string_end(text: &str, start: usize) -> usize {
    let mut lexer = Lexer {
        bytes: text.as_bytes(),
        at: start + 1,
    };
    lexer.skip_string();
    lexer.at.min(text.len())
}

/// The value of the string literal opening at `start` (a `"`), with its
/// escapes undone; `None` when an escape is not one RON knows.
fn value_at(text: &str, start: usize) -> Option<Cow<'_, str>> {
    let end = string_end(text, start);
    let inner = text.get(start + 1..end.saturating_sub(1).max(start + 1))?;
    if !inner.contains('\\') {
        return Some(Cow::Borrowed(inner));
    }
    let mut value = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        value.push(match chars.next()? {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '0' => '\0',
            'u' => {
                let rest = chars.as_str().strip_prefix('{')?;
                let (hex, after) = rest.split_once('}')?;
                chars = after.chars();
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
            }
            c @ ('\\' | '"' | '\'') => c,
            _ => return None,
        });
    }
    Some(Cow::Owned(value))
}

/// The tokens that tell a field's value; everything else is `Other`.
#[derive(Debug, Clone, Copy)]
enum Token {
    /// A string literal, at its opening quote.
    Str(usize),
    Ident(usize, usize),
    Colon,
    OpenParen,
    Other,
}

/// How far a `field: Some("value")` has got.
#[derive(Debug, Clone, Copy)]
enum After {
    Nothing,
    Ident((usize, usize)),
    Colon((usize, usize)),
    Some((usize, usize)),
    SomeParen((usize, usize)),
}

struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    /// The next token, after whitespace and comments.
    fn next_token(&mut self) -> Option<Token> {
        self.skip_blanks();
        let start = self.at;
        let byte = self.peek(0)?;
        self.at += 1;
        Some(match byte {
            b'"' => {
                self.skip_string();
                Token::Str(start)
            }
            b'\'' => {
                self.skip_char();
                Token::Other
            }
            b':' => Token::Colon,
            b'(' => Token::OpenParen,
            b if b.is_ascii_alphabetic() || b == b'_' => {
                while self
                    .peek(0)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    self.at += 1;
                }
                match (&self.bytes[start..self.at], self.peek(0)) {
                    (b"r" | b"br", Some(b'"' | b'#')) => {
                        self.skip_raw_string();
                        Token::Other
                    }
                    (b"b", Some(b'"')) => {
                        self.at += 1;
                        self.skip_string();
                        Token::Other
                    }
                    _ => Token::Ident(start, self.at),
                }
            }
            _ => Token::Other,
        })
    }

    fn skip_blanks(&mut self) {
        loop {
            match (self.peek(0), self.peek(1)) {
                (Some(b' ' | b'\t' | b'\n' | b'\r'), _) => self.at += 1,
                (Some(b'/'), Some(b'/')) => {
                    while self.peek(0).is_some_and(|b| b != b'\n') {
                        self.at += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => self.skip_block_comment(),
                _ => return,
            }
        }
    }

    fn skip_block_comment(&mut self) {
        let mut depth = 0;
        while let Some(byte) = self.peek(0) {
            match (byte, self.peek(1)) {
                (b'/', Some(b'*')) => {
                    depth += 1;
                    self.at += 2;
                }
                (b'*', Some(b'/')) => {
                    depth -= 1;
                    self.at += 2;
                    if depth == 0 {
                        return;
                    }
                }
                _ => self.at += 1,
            }
        }
    }

    /// Past the closing quote of a string whose opening one was just read.
    fn skip_string(&mut self) {
        while let Some(byte) = self.peek(0) {
            self.at += if byte == b'\\' { 2 } else { 1 };
            if byte == b'"' {
                return;
            }
        }
        self.at = self.at.min(self.bytes.len());
    }

    /// Past a raw string `r#"..."#` whose `r` was just read.
    fn skip_raw_string(&mut self) {
        let mut hashes = 0;
        while self.peek(0) == Some(b'#') {
            hashes += 1;
            self.at += 1;
        }
        if self.peek(0) != Some(b'"') {
            return;
        }
        self.at += 1;
        while let Some(byte) = self.peek(0) {
            self.at += 1;
            let closes = byte == b'"'
                && self.bytes[self.at..]
                    .iter()
                    .take(hashes)
                    .filter(|&&b| b == b'#')
                    .count()
                    == hashes;
            if closes {
                self.at += hashes;
                return;
            }
        }
    }

    /// Past a character literal `'x'` or `'\n'` whose quote was just read.
    fn skip_char(&mut self) {
        if self.peek(0) == Some(b'\\') {
            self.at += 2;
        }
        while let Some(byte) = self.peek(0) {
            self.at += 1;
            if byte == b'\'' || byte == b'\n' {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str, field: &str, value: &str) -> Vec<usize> {
        RonStrings::of(text).fields(field, value, text).collect()
    }

    #[test]
    fn strings_that_look_like_comments_are_strings() {
        let text = r##"(url: "http://x", id: "a", c: '"', raw: r#"id: "a""#, id: Some("a"))"##;
        assert_eq!(fields(text, "id", "a"), [22, 63]);
        assert_eq!(fields(text, "url", "http://x"), [6]);
    }

    #[test]
    fn comments_hide_what_they_hold() {
        let text = "(/* id: \"a\" */ // id: \"a\"\n id: /* */ \"a\")";
        assert_eq!(fields(text, "id", "a"), [37]);
    }

    #[test]
    fn values_are_found_however_they_are_escaped() {
        let text = "(id: \"a\tb\", id: \"a\\tb\", id: \"\\u{61}\\tb\", id: \"a\\qb\")";
        assert_eq!(fields(text, "id", "a\tb"), [5, 16, 28]);
    }
}

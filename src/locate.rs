//! Where the values of a RON file are written, found in one forward pass.
//!
//! serde gives values without positions, so problems found in a parsed
//! file are located afterwards. Searching the text for each value from
//! the start of the file is quadratic in a large file and can be fooled by
//! a commented-out line; instead, an [`Outline`] walks the file once,
//! skipping comments and the insides of strings, and records every struct
//! (a `(` whose first item is a `field:`) in the order it opens, which is
//! the order serde reads them in, with the offset of each of its fields'
//! values. The `k`-th unit of a snapshot (in the order written) is then
//! struct `k + 1` (struct 0 is the snapshot), the `k`-th event of
//! `events.ron` struct `k`.

use std::cell::OnceCell;

use crate::diagnostic::{Location, SourceFile};

/// A file and its outline, made the first time a value is located.
pub(crate) struct Located {
    pub file: SourceFile,
    outline: OnceCell<Outline>,
}

impl Located {
    pub(crate) fn new(file: SourceFile) -> Located {
        Located {
            file,
            outline: OnceCell::new(),
        }
    }

    fn outline(&self) -> &Outline {
        self.outline.get_or_init(|| Outline::of(&self.file.text))
    }

    /// Where the string value of field `name` of struct `k` is written,
    /// or the whole file when it cannot be found.
    pub(crate) fn field(&self, k: usize, name: &str) -> Location {
        self.file.location_of_literal(self.value_of(k, name))
    }

    /// The offset of the value of field `name` of struct `k`.
    pub(crate) fn value_of(&self, k: usize, name: &str) -> Option<usize> {
        self.outline().field(&self.file.text, k, name)
    }

    /// Where the string `value` is first written as a quoted literal at
    /// or after `from`, or the whole file.
    pub(crate) fn string_after(&self, from: Option<usize>, value: &str) -> Location {
        let at = from.and_then(|from| self.file.find_string(from, value));
        self.file.location_of_literal(at)
    }

    /// Where the `k`-th struct opens.
    pub(crate) fn struct_at(&self, k: usize) -> Option<usize> {
        self.outline().struct_at(k)
    }
}

/// A field of a struct: its name and the offset of its value (inside
/// `Some(...)` when it is written so).
#[derive(Debug, Clone, Copy)]
struct Field {
    /// The struct it belongs to.
    owner: u32,
    name: (u32, u32),
    value: u32,
}

/// The structs and fields of a RON text.
#[derive(Debug, Default)]
pub(crate) struct Outline {
    /// For each struct, in the order they open, the offset of its `(`.
    opens: Vec<u32>,
    /// The fields, grouped by struct (in the order the structs open), each
    /// struct's in the order written.
    fields: Vec<Field>,
    /// For struct `k`, its fields are `fields[first_field[k]..first_field[k + 1]]`.
    first_field: Vec<u32>,
}

/// An open bracket while scanning.
enum Open {
    /// `(`: a struct once a field is seen in it (its number then), or a
    /// tuple.
    Paren(Option<u32>),
    Other,
}

impl Outline {
    /// Scans a RON text.
    pub(crate) fn of(text: &str) -> Outline {
        let bytes = text.as_bytes();
        let mut opens = Vec::new();
        let mut fields = Vec::new();
        let mut stack: Vec<(Open, usize)> = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            match bytes[at] {
                b'/' if bytes.get(at + 1) == Some(&b'/') => at = line_end(bytes, at),
                b'/' if bytes.get(at + 1) == Some(&b'*') => at = block_comment_end(bytes, at),
                b'"' => at = string_end(bytes, at),
                b'r' if raw_string_start(bytes, at) => at = raw_string_end(bytes, at),
                b'\'' => at = char_end(bytes, at),
                b'(' => {
                    stack.push((Open::Paren(None), at));
                    at += 1;
                }
                b'[' | b'{' => {
                    stack.push((Open::Other, at));
                    at += 1;
                }
                b')' | b']' | b'}' => {
                    stack.pop();
                    at += 1;
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let start = at;
                    at = ident_end(bytes, at);
                    let after = skip_blank(bytes, at);
                    let is_field = bytes.get(after) == Some(&b':')
                        && matches!(stack.last(), Some((Open::Paren(_), _)));
                    if is_field {
                        let (open, paren) = stack.last_mut().expect("inside a paren");
                        let owner = *match open {
                            Open::Paren(Some(k)) => k,
                            Open::Paren(None) => {
                                opens.push(offset(*paren));
                                open_as(open, opens.len() - 1)
                            }
                            Open::Other => unreachable!("checked above"),
                        };
                        let value = value_start(bytes, skip_blank(bytes, after + 1));
                        fields.push(Field {
                            owner,
                            name: (offset(start), offset(at)),
                            value: offset(value),
                        });
                    }
                }
                _ => at += 1,
            }
        }
        let (fields, first_field) = group_by_owner(fields, opens.len());
        Outline {
            opens,
            fields,
            first_field,
        }
    }

    /// How many structs the text has.
    #[cfg(test)]
    pub(crate) fn struct_count(&self) -> usize {
        self.opens.len()
    }

    /// The offset of struct `k`'s `(`.
    pub(crate) fn struct_at(&self, k: usize) -> Option<usize> {
        self.opens.get(k).map(|&o| o as usize)
    }

    /// The offset of the value of field `name` of struct `k`, inside
    /// `Some(...)` when it is written so.
    pub(crate) fn field(&self, text: &str, k: usize, name: &str) -> Option<usize> {
        let range = self.first_field.get(k)?..self.first_field.get(k + 1)?;
        self.fields[*range.start as usize..*range.end as usize]
            .iter()
            .find(|f| &text[f.name.0 as usize..f.name.1 as usize] == name)
            .map(|f| f.value as usize)
    }
}

/// Marks an open paren as struct `k`, and gives `k` back.
fn open_as(open: &mut Open, k: usize) -> &u32 {
    *open = Open::Paren(Some(offset(k)));
    match open {
        Open::Paren(Some(k)) => k,
        _ => unreachable!("just set"),
    }
}

/// Fields grouped by owner (a counting sort: owners are numbered from 0
/// in order), with the index of each owner's first field.
fn group_by_owner(fields: Vec<Field>, owners: usize) -> (Vec<Field>, Vec<u32>) {
    let mut first = vec![0u32; owners + 1];
    for f in &fields {
        first[f.owner as usize + 1] += 1;
    }
    for k in 0..owners {
        first[k + 1] += first[k];
    }
    let mut next = first.clone();
    let mut grouped = fields.clone();
    for f in fields {
        let slot = &mut next[f.owner as usize];
        grouped[*slot as usize] = f;
        *slot += 1;
    }
    (grouped, first)
}

/// An offset as kept: files over 4 GiB are not read.
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i)
}

/// The end of a block comment; RON's nest.
fn block_comment_end(bytes: &[u8], mut at: usize) -> usize {
    let mut depth = 0;
    while at < bytes.len() {
        if bytes[at..].starts_with(b"/*") {
            depth += 1;
            at += 2;
        } else if bytes[at..].starts_with(b"*/") {
            depth -= 1;
            at += 2;
            if depth == 0 {
                return at;
            }
        } else {
            at += 1;
        }
    }
    at
}

fn string_end(bytes: &[u8], mut at: usize) -> usize {
    at += 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    at
}

/// Whether `r"` or `r#"` starts here (and not inside an identifier).
fn raw_string_start(bytes: &[u8], at: usize) -> bool {
    let after = &bytes[at + 1..];
    let hashes = after.iter().take_while(|&&b| b == b'#').count();
    after.get(hashes) == Some(&b'"')
}

fn raw_string_end(bytes: &[u8], at: usize) -> usize {
    let hashes = bytes[at + 1..].iter().take_while(|&&b| b == b'#').count();
    let mut closing = vec![b'"'];
    closing.extend(std::iter::repeat_n(b'#', hashes));
    let body = at + 2 + hashes;
    bytes[body.min(bytes.len())..]
        .windows(closing.len())
        .position(|w| w == closing.as_slice())
        .map_or(bytes.len(), |i| body + i + closing.len())
}

/// The end of a char literal; a lone `'` is passed over.
fn char_end(bytes: &[u8], at: usize) -> usize {
    let mut i = at + 1;
    if bytes.get(i) == Some(&b'\\') {
        i += 2;
    } else {
        i += 1;
    }
    while i < bytes.len() && i < at + 12 {
        if bytes[i] == b'\'' {
            return i + 1;
        }
        i += 1;
    }
    at + 1
}

fn ident_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .map_or(bytes.len(), |i| at + i)
}

/// Past spaces, line breaks and comments.
fn skip_blank(bytes: &[u8], mut at: usize) -> usize {
    loop {
        match bytes.get(at) {
            Some(b) if b.is_ascii_whitespace() => at += 1,
            Some(b'/') if bytes.get(at + 1) == Some(&b'/') => at = line_end(bytes, at),
            Some(b'/') if bytes.get(at + 1) == Some(&b'*') => at = block_comment_end(bytes, at),
            _ => return at,
        }
    }
}

/// Where a value starts: inside `Some(...)` when it is written so.
fn value_start(bytes: &[u8], at: usize) -> usize {
    if bytes[at..].starts_with(b"Some") {
        let paren = skip_blank(bytes, at + 4);
        if bytes.get(paren) == Some(&b'(') {
            return skip_blank(bytes, paren + 1);
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structs_are_numbered_as_they_open_and_comments_are_skipped() {
        let text = r#"Snapshot(
    id: "s",
    // Unit(id: "x", name: "commented out"),
    units: [
        Unit(id: "a", name: "A (\"quoted\")", units: [
            /* Unit(id: "y") */ Unit(name: "B", id: "b"),
        ]),
        Unit(id: "c", name: "C", acronym: Some("CC")),
    ],
)"#;
        let outline = Outline::of(text);
        assert_eq!(outline.struct_count(), 4);
        let quoted = |k: usize, field: &str| {
            let at = outline.field(text, k, field)?;
            let end = at + 1 + text[at + 1..].find('"')?;
            Some(&text[at..=end])
        };
        assert_eq!(quoted(0, "id"), Some("\"s\""));
        assert_eq!(quoted(1, "id"), Some("\"a\""));
        assert_eq!(quoted(2, "id"), Some("\"b\""));
        assert_eq!(quoted(3, "id"), Some("\"c\""));
        assert_eq!(quoted(3, "acronym"), Some("\"CC\""));
        assert_eq!(outline.field(text, 3, "units"), None);
        let open = outline.struct_at(2).unwrap();
        assert!(text[..open].ends_with("*/ Unit"), "{}", &text[..open]);
    }
}

//! A fast reader for snapshot files as they are usually written, beside
//! the `ron` crate's.
//!
//! The `ron` crate reads any RON and gives precise errors, but it checks
//! every character through several layers; on a national history (hundreds
//! of megabytes of snapshots) it is most of the time a first command takes.
//! This reader takes the snapshot format only, in the forms people and
//! `reorg import` write it: `Snapshot(...)` and `Unit(...)` named, fields
//! in any order, strings in double quotes with the usual escapes, `//`
//! comments, trailing commas, options written bare, as `None` or as
//! `Some(...)`.
//!
//! It is strict rather than complete: on anything else, or anything wrong,
//! it gives up ([`snapshot`] returns `None`) and the `ron` crate reads the
//! file, so that what a file means and every error message come from one
//! place. Whatever it accepts, the `ron` crate reads to the same value; the
//! tests below compare the two on valid, generated and damaged files.

use std::borrow::Cow;

use super::parse::SnapshotFile;
use crate::model::{Confidence, MAX_NESTING};
use crate::observation::WrittenUnit;

/// The snapshot a file holds, or `None` when this reader does not take it
/// (the `ron` crate must read it).
pub(super) fn snapshot(text: &str) -> Option<SnapshotFile<'_>> {
    let mut reader = Reader { text, at: 0 };
    reader.space()?;
    let snapshot = reader.snapshot()?;
    reader.space()?;
    (reader.at == text.len()).then_some(snapshot)
}

/// A position in a file's text.
struct Reader<'a> {
    text: &'a str,
    at: usize,
}

/// The fields of a snapshot, as bits, to refuse a field written twice.
const SNAPSHOT_FIELDS: [&str; 7] = ["id", "date", "title", "scope", "sources", "note", "units"];

/// The fields of a unit, as bits.
const UNIT_FIELDS: [&str; 11] = [
    "id",
    "name",
    "acronym",
    "aliases",
    "kind",
    "description",
    "note",
    "sources",
    "confidence",
    "partial",
    "units",
];

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Skips spaces, tabs, line breaks and `//` comments. Other white
    /// space RON allows, block comments, and a comment that ends the file
    /// are left to the `ron` crate.
    fn space(&mut self) -> Option<()> {
        let bytes = self.text.as_bytes();
        loop {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(self.at) {
                self.at += 1;
            }
            if bytes.get(self.at) != Some(&b'/') {
                return Some(());
            }
            if bytes.get(self.at + 1) != Some(&b'/') {
                return None;
            }
            let line_end = bytes[self.at..].iter().position(|&b| b == b'\n')?;
            self.at += line_end + 1;
        }
    }

    /// Takes `byte`, then white space.
    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then_some(())?;
        self.at += 1;
        self.space()
    }

    /// Takes `byte` if it is next, then white space.
    fn take(&mut self, byte: u8) -> Option<bool> {
        if self.peek() == Some(byte) {
            self.at += 1;
            self.space()?;
            Some(true)
        } else {
            Some(false)
        }
    }

    /// An ASCII identifier, then white space. One followed by a character
    /// that is not ASCII might go on in RON's eyes: left to the `ron` crate.
    fn identifier(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        if !matches!(bytes.get(start), Some(b) if b.is_ascii_alphabetic() || *b == b'_') {
            return None;
        }
        let mut end = start + 1;
        while let Some(b) = bytes.get(end) {
            match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' => end += 1,
                b if !b.is_ascii() => return None,
                _ => break,
            }
        }
        self.at = end;
        self.space()?;
        Some(&self.text[start..end])
    }

    /// A struct's name and opening parenthesis.
    fn open_struct(&mut self, name: &str) -> Option<()> {
        (self.identifier()? == name).then_some(())?;
        self.expect(b'(')
    }

    /// Reads a struct's fields up to its closing parenthesis, each with
    /// `field(name, reader)`. A field named twice, or not in `fields`,
    /// stops the reading. Gives the bits of the fields read.
    fn fields(
        &mut self,
        fields: &[&str],
        mut field: impl FnMut(usize, &mut Self) -> Option<()>,
    ) -> Option<u32> {
        let mut seen = 0u32;
        loop {
            if self.take(b')')? {
                return Some(seen);
            }
            let name = self.identifier()?;
            let index = fields.iter().position(|f| *f == name)?;
            if seen & (1 << index) != 0 {
                return None;
            }
            seen |= 1 << index;
            self.expect(b':')?;
            field(index, self)?;
            if !self.take(b',')? {
                return self.expect(b')').map(|()| seen);
            }
        }
    }

    /// A list, each element read by `element`.
    fn list<T>(&mut self, mut element: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        loop {
            if self.take(b']')? {
                return Some(out);
            }
            out.push(element(self)?);
            if !self.take(b',')? {
                self.expect(b']')?;
                return Some(out);
            }
        }
    }

    /// An optional value: `None`, `Some(value)`, or the value alone.
    fn option<T>(&mut self, value: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        let bytes = self.text.as_bytes();
        if bytes[self.at..].starts_with(b"None") || bytes[self.at..].starts_with(b"Some") {
            return match self.identifier()? {
                "None" => Some(None),
                "Some" => {
                    self.expect(b'(')?;
                    let v = value(self)?;
                    self.take(b',')?;
                    self.expect(b')')?;
                    Some(Some(v))
                }
                _ => None,
            };
        }
        value(self).map(Some)
    }

    /// A string in double quotes, then white space; borrowed from the
    /// text unless it has escapes.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        (self.peek()? == b'"').then_some(())?;
        let start = self.at + 1;
        let rest = &self.text.as_bytes()[start..];
        let end = rest.iter().position(|&b| b == b'"' || b == b'\\')?;
        let value = if rest[end] == b'"' {
            self.at = start + end + 1;
            Cow::Borrowed(&self.text[start..start + end])
        } else {
            self.at = start;
            Cow::Owned(self.escaped()?)
        };
        self.space()?;
        Some(value)
    }

    /// A string with escapes, from after its opening quote to after its
    /// closing one. Escapes of bytes (`\x`) and line continuations are
    /// left to the `ron` crate.
    fn escaped(&mut self) -> Option<String> {
        let bytes = self.text.as_bytes();
        let mut out = String::new();
        loop {
            let run = bytes[self.at..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\')?;
            out.push_str(&self.text[self.at..self.at + run]);
            self.at += run + 1;
            if bytes[self.at - 1] == b'"' {
                return Some(out);
            }
            let escape = *bytes.get(self.at)?;
            self.at += 1;
            out.push(match escape {
                b'"' => '"',
                b'\'' => '\'',
                b'\\' => '\\',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'0' => '\0',
                b'u' => self.unicode_escape()?,
                _ => return None,
            });
        }
    }

    /// The character of a `\u{...}` escape, from after its `u`.
    fn unicode_escape(&mut self) -> Option<char> {
        let rest = self.text.get(self.at..)?.strip_prefix('{')?;
        let digits = rest.find('}')?;
        let hex = &rest[..digits];
        if !(1..=6).contains(&digits) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.at += digits + 2;
        char::from_u32(u32::from_str_radix(hex, 16).ok()?)
    }

    fn strings(&mut self) -> Option<Vec<Cow<'a, str>>> {
        self.list(Self::string)
    }

    fn snapshot(&mut self) -> Option<SnapshotFile<'a>> {
        self.open_struct("Snapshot")?;
        let (mut id, mut date, mut title) = (None, None, None);
        let (mut scope, mut sources, mut note, mut units) = (None, Vec::new(), None, None);
        let owned = |s: Cow<str>| s.into_owned();
        self.fields(&SNAPSHOT_FIELDS, |field, r| {
            match field {
                0 => id = Some(owned(r.string()?)),
                1 => date = Some(owned(r.string()?)),
                2 => title = Some(owned(r.string()?)),
                3 => scope = r.option(Self::string)?.map(owned),
                4 => sources = r.strings()?.into_iter().map(owned).collect(),
                5 => note = r.option(Self::string)?.map(owned),
                _ => units = Some(r.list(|r| r.unit(1))?),
            }
            Some(())
        })?;
        Some(SnapshotFile {
            id: id?,
            date: date?,
            title: title?,
            scope,
            sources,
            note,
            units: units?,
        })
    }

    /// A unit at `depth` (a root is at depth 1), its sub-units with it.
    /// Units nested deeper than allowed are left to the `ron` crate, which
    /// reads them to point at the first one too deep.
    fn unit(&mut self, depth: usize) -> Option<WrittenUnit<'a>> {
        if depth > MAX_NESTING {
            return None;
        }
        self.open_struct("Unit")?;
        let mut unit = WrittenUnit {
            id: Cow::Borrowed(""),
            name: Cow::Borrowed(""),
            acronym: None,
            aliases: Vec::new(),
            kind: None,
            description: None,
            note: None,
            sources: Vec::new(),
            confidence: Confidence::default(),
            partial: false,
            units: None,
        };
        let seen = self.fields(&UNIT_FIELDS, |field, r| {
            match field {
                0 => unit.id = r.string()?,
                1 => unit.name = r.string()?,
                2 => unit.acronym = r.option(Self::string)?,
                3 => unit.aliases = r.strings()?,
                4 => unit.kind = r.option(Self::string)?,
                5 => unit.description = r.option(Self::string)?,
                6 => unit.note = r.option(Self::string)?,
                7 => unit.sources = r.strings()?,
                8 => unit.confidence = r.confidence()?,
                9 => unit.partial = r.boolean()?,
                _ => unit.units = r.option(|r| r.list(|r| r.unit(depth + 1)))?,
            }
            Some(())
        })?;
        // `id` and `name` are required.
        (seen & 0b11 == 0b11).then_some(unit)
    }

    fn confidence(&mut self) -> Option<Confidence> {
        match self.identifier()? {
            "low" => Some(Confidence::Low),
            "medium" => Some(Confidence::Medium),
            "high" => Some(Confidence::High),
            _ => None,
        }
    }

    fn boolean(&mut self) -> Option<bool> {
        match self.identifier()? {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse::read_with_ron;
    use crate::model::Unit;
    use crate::synth::Rng;

    /// The embedded dataset's snapshot files, by path.
    fn embedded_snapshots() -> Vec<(String, String)> {
        crate::load::embedded_files()
            .into_iter()
            .filter(|f| !f.path.ends_with("events.ron") && !f.path.ends_with("sources.ron"))
            .map(|f| (f.path.clone(), f.text.to_string()))
            .collect()
    }

    /// What the fast reader makes of a text agrees with the `ron` crate:
    /// when it takes the text, the `ron` crate reads the same value.
    /// Gives whether it took it.
    fn agrees(text: &str) -> bool {
        let Some(fast) = snapshot(text) else {
            return false;
        };
        match read_with_ron(text) {
            Ok(ron) => assert_eq!(fast, ron, "{text}"),
            Err(e) => panic!("the fast reader took what RON refuses ({e}):\n{text}"),
        }
        true
    }

    #[test]
    fn it_takes_every_snapshot_of_the_embedded_dataset() {
        let files = embedded_snapshots();
        assert!(files.len() >= 9);
        for (path, text) in files {
            assert!(agrees(&text), "{path}");
        }
    }

    #[test]
    fn it_takes_what_reorg_writes_hostile_strings_included() {
        let dataset = crate::load::load(None).expect("the embedded dataset loads");
        let hostile = [
            "a\"b",
            "back\\slash",
            "line\nbreak",
            "\r\t\u{0}\u{1b}",
            "é💥",
            "// x",
            "/* y */",
        ];
        let largest = dataset.snapshots().iter().max_by_key(|s| s.unit_count());
        let mut snapshot = largest.expect("a snapshot").to_snapshot();
        let mut units: Vec<&mut Unit> = snapshot.units.iter_mut().collect();
        let mut i = 0;
        while let Some(unit) = units.pop() {
            unit.name = format!("{}{}", unit.name, hostile[i % hostile.len()]);
            unit.acronym = Some(hostile[(i + 1) % hostile.len()].to_string());
            i += 1;
            units.extend(unit.units.iter_mut().flatten());
        }
        assert!(i > 3);
        let text = crate::write::snapshot_to_ron(&snapshot);
        assert!(agrees(&text), "{text}");
    }

    /// A char boundary of `text`, at random.
    fn boundary(rng: &mut Rng, text: &str) -> usize {
        let mut at = rng.below(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// Pieces of RON, valid or not where they land.
    const PIECES: &[&str] = &[
        " ",
        "\n",
        "\t",
        "\r\n",
        "\u{b}",
        "\u{c}",
        "\u{85}",
        "\u{2028}",
        "// c\n",
        "// c",
        "/* c */",
        "/*",
        "*/",
        ",",
        ",,",
        "(",
        ")",
        "[",
        "]",
        ":",
        "\"",
        "\\",
        "\\\"",
        "\\u{41}",
        "\\u{}",
        "\\u{1234567}",
        "\\u{d800}",
        "\\x41",
        "\\\n",
        "None",
        "Some(",
        "Some (\"x\")",
        "None,",
        "r#",
        "r\"x\"",
        "#![enable(implicit_some)]",
        "Unit",
        "Unit(id: \"x\", name: \"y\")",
        "units: [],",
        "units: None,",
        "partial: true,",
        "confidence: low,",
        "confidence: Low,",
        "id: \"dup\",",
        "name: \"n\",",
        "é",
        "_",
        "0",
        "true",
        "high",
    ];

    /// A file damaged once: a piece inserted, a stretch removed, a line
    /// repeated, or the file cut short.
    fn damaged(text: &str, rng: &mut Rng) -> String {
        let mut out = text.to_string();
        match rng.below(4) {
            0 => out.insert_str(boundary(rng, text), PIECES[rng.below(PIECES.len())]),
            1 => {
                let start = boundary(rng, text);
                let mut end = (start + 1 + rng.below(40)).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                out.replace_range(start..end, "");
            }
            2 => {
                let lines: Vec<&str> = text.lines().collect();
                let line = lines[rng.below(lines.len())];
                let at = text.find(line).unwrap_or(0);
                out.insert_str(at, &format!("{line}\n"));
            }
            _ => out.truncate(boundary(rng, text)),
        }
        out
    }

    #[test]
    fn whatever_it_takes_of_damaged_files_ron_reads_the_same() {
        let files = embedded_snapshots();
        let mut rng = Rng::new(18);
        let (mut taken, mut left) = (0, 0);
        for round in 0..4_000 {
            let (_, text) = &files[round % files.len()];
            // Small files, so that the damage is often somewhere that matters.
            let text = &text[..text.len().min(3_000)];
            let mut input = damaged(text, &mut rng);
            if round % 3 == 0 {
                input = damaged(&input, &mut rng);
            }
            if agrees(&input) {
                taken += 1;
            } else {
                left += 1;
            }
        }
        // Both ways are exercised.
        assert!(taken > 100 && left > 100, "taken {taken}, left {left}");
    }

    #[test]
    fn white_space_and_comments_between_tokens_are_taken() {
        let files = embedded_snapshots();
        let spaced = |text: &str, between: &str| {
            text.replace(", ", &format!(",{between}"))
                .replace(": ", &format!("{between}:{between}"))
                .replace("(\n", &format!("{between}({between}"))
        };
        for (path, text) in &files {
            for between in ["  ", "\n// a comment\n", "\r\n\t"] {
                assert!(agrees(&spaced(text, between)), "{path}");
            }
        }
    }
}

//! The JSON format: an array of objects with the CSV's fields; `aliases`
//! a list of strings or one `;`-separated string. Every object is read on
//! its own, so that every bad one is reported.

use std::fmt;
use std::ops::Range;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{non_blank, split_aliases, Field, Row};
use crate::diagnostic::{Diagnostic, Rule, SourceFile};

/// One unit of the JSON format.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a unit: an object with the fields id, name, parent, kind, acronym, aliases, description"
)]
struct JsonRow {
    id: String,
    name: String,
    parent: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    acronym: Option<String>,
    #[serde(default)]
    aliases: Aliases,
    #[serde(default)]
    description: Option<String>,
}

/// Reads the rows.
pub(super) fn read(file: &SourceFile) -> Result<Vec<Row>, Vec<Diagnostic>> {
    let text = &file.text;
    let Elements(elements) =
        serde_json::from_str(text).map_err(|e| vec![problem(file, 0, text, &e)])?;
    let mut rows = Vec::with_capacity(elements.len());
    let mut problems = Vec::new();
    for element in elements {
        let raw = element.get();
        // The element is a slice of the text it was read from.
        let at = raw.as_ptr() as usize - text.as_ptr() as usize;
        match serde_json::from_str::<JsonRow>(raw) {
            Ok(j) => rows.push(Row {
                id: j.id.trim().to_string(),
                name: j.name.trim().to_string(),
                parent: j.parent.as_deref().and_then(non_blank),
                kind: j.kind.as_deref().and_then(non_blank),
                acronym: j.acronym.as_deref().and_then(non_blank),
                aliases: j.aliases.0,
                description: j.description.as_deref().and_then(non_blank),
                at,
            }),
            Err(e) => problems.push(problem(file, at, raw, &e)),
        }
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// A serde_json error in `part` of the text, which starts at byte `base`.
fn problem(file: &SourceFile, base: usize, part: &str, e: &serde_json::Error) -> Diagnostic {
    // serde_json counts columns in bytes from 1, and says column 0 at the
    // start of a line (as when the input ends after a newline).
    let line_start: usize = part
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum();
    let offset = base + line_start + e.column().saturating_sub(1);
    // Its message ends with its own position.
    let message = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    let message = message.strip_suffix(&position).unwrap_or(&message);
    let rule = if message.starts_with("unknown field") {
        Rule::UnknownField
    } else if message.starts_with("missing field") {
        Rule::MissingField
    } else {
        Rule::Syntax
    };
    Diagnostic::new(
        rule,
        file.location_at(offset, 1),
        format!("bad JSON: {message}"),
    )
    .with_help(format!(
        "write an array of objects with the fields {}",
        super::COLUMNS.join(", ")
    ))
}

/// The top-level array, each element kept as written.
struct Elements<'a>(Vec<&'a RawValue>);

impl<'de> Deserialize<'de> for Elements<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Array;
        impl<'de> Visitor<'de> for Array {
            type Value = Vec<&'de RawValue>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of units")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut elements = Vec::new();
                while let Some(element) = seq.next_element()? {
                    elements.push(element);
                }
                Ok(elements)
            }
        }
        deserializer.deserialize_seq(Array).map(Elements)
    }
}

/// Aliases as a list, or as one `;`-separated string like the CSV's.
#[derive(Default)]
struct Aliases(Vec<String>);

impl<'de> Deserialize<'de> for Aliases {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AliasesVisitor;
        impl<'de> Visitor<'de> for AliasesVisitor {
            type Value = Aliases;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of aliases, or one string of aliases separated by `;`")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Aliases, E> {
                Ok(Aliases(split_aliases(s)))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Aliases, E> {
                Ok(Aliases::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Aliases, A::Error> {
                let mut aliases = Vec::new();
                while let Some(alias) = seq.next_element::<String>()? {
                    aliases.extend(non_blank(&alias));
                }
                Ok(Aliases(aliases))
            }
        }
        deserializer.deserialize_any(AliasesVisitor)
    }
}

/// The key of `field` in the object that starts at `at`, or the object's
/// opening brace when it has no such key.
pub(super) fn key_span(text: &str, at: usize, field: Field) -> Range<usize> {
    let key = match field {
        Field::Id => "id",
        Field::Name => "name",
        Field::Parent => "parent",
    };
    let bytes = text.as_bytes();
    let mut depth = 0_usize;
    let mut i = at;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            b'"' => {
                let end = string_end(bytes, i);
                let is_key = text[end..].trim_start().starts_with(':');
                if depth == 1 && is_key && text.get(i + 1..end - 1) == Some(key) {
                    return i..end;
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    at..at + 1
}

/// The offset just past the closing quote of the string opening at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Result<Vec<Row>, Vec<Diagnostic>> {
        read(&SourceFile::new("j.json", text))
    }

    #[test]
    fn aliases_come_as_a_list_or_a_string() {
        let found = rows(r#"[{"id":"a","name":"A","parent":null,"aliases":["x","y"]},{"id":"b","name":"B","parent":"a","aliases":"p;q"}]"#).unwrap();
        assert_eq!(found[0].aliases, ["x", "y"]);
        assert_eq!(found[1].aliases, ["p", "q"]);
        let p = rows(r#"[{"id":"a","name":"A","parent":null,"colour":1}]"#).unwrap_err();
        assert!(p[0].message.contains("colour"));
        assert_eq!(p[0].rule, Rule::UnknownField);
    }

    #[test]
    fn messages_speak_of_units_not_types() {
        let p = rows(r#"[{"id":"a","name":"A","aliases":7}, "x"]"#).unwrap_err();
        let all: Vec<&str> = p.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(
            all[0].contains("expected a list of aliases, or one string"),
            "{all:?}"
        );
        assert!(
            all[1].contains("expected a unit: an object with the fields"),
            "{all:?}"
        );
        let p = rows(r#"{"id":"a"}"#).unwrap_err();
        assert!(p[0].message.contains("expected an array of units"), "{p:?}");
    }

    #[test]
    fn rows_are_located_at_their_keys() {
        let text =
            "[{\"name\":\"id\",\"id\":\"a\"},\n {\"name\":\"é\",\"x\":{\"id\":1},\"id\":\"b\"}]";
        let file = SourceFile::new("j.json", text);
        let found = read(&file).unwrap_err();
        assert_eq!((found[0].location.line, found[0].location.column), (2, 16));
        let fixed = text.replace(",\"x\":{\"id\":1}", "");
        let found = rows(&fixed).unwrap();
        assert_eq!(&fixed[key_span(&fixed, found[0].at, Field::Id)], "\"id\"");
        let span = key_span(&fixed, found[1].at, Field::Id);
        assert_eq!(
            SourceFile::new("j", fixed.clone()).location(span).column,
            14
        );
    }
}

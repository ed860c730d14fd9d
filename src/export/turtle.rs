//! The history as RDF in Turtle: the W3C Organization Ontology (ORG) for
//! units and their hierarchy, `org:ChangeEvent` (a PROV-O activity) for
//! every change of the timeline, `prov:Entity` for the sources.
//!
//! Written by hand (an RDF crate would bring two dozen dependencies for a
//! few escapes), so every term goes through one of three: `literal` for
//! strings, `segment` for ids inside the dataset's own IRIs, `absolute_iri`
//! for the URLs of sources. IRIs are always written whole (`<...>`), never
//! as prefixed names, whose local-name grammar is too fiddly to trust with
//! ids.
//!
//! A unit IRI stands for an id: ORG cannot date `org:subOrganizationOf`, so
//! each unit gets its name and parent as of the last state that has it,
//! and the change events say what happened before.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::{absolute_iri, escape_iri, has_scheme, percent_encode, Documented};
use crate::dataset::Dataset;
use crate::date::Day;
use crate::diff::history::History;
use crate::diff::{Change, Filter, UnitSide};
use crate::model::{ChangeKind, Source};

/// The base IRI used when none is given.
pub(crate) const DEFAULT_BASE: &str = "urn:reorg:";

/// The vocabularies used, sorted by prefix.
const PREFIXES: [(&str, &str); 6] = [
    ("dcterms", "http://purl.org/dc/terms/"),
    ("org", "http://www.w3.org/ns/org#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// The prefix of the dataset's own IRIs: units are `<BASE unit:ID>`,
/// changes `<BASE change:N>`, sources `<BASE source:KEY>`, outside bodies
/// `<BASE external:NAME>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Base(String);

/// Why a base IRI was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{base}` is not a usable base IRI: {reason}")]
pub(crate) struct BaseError {
    pub base: String,
    pub reason: &'static str,
}

impl Base {
    /// Accepts an absolute IRI that needs no escaping and ends with `/`,
    /// `#` or `:`, so that the names appended to it stay apart from it.
    pub(crate) fn parse(text: &str) -> Result<Base, BaseError> {
        let reason = if !has_scheme(text) {
            Some("it needs a scheme, such as urn: or https:")
        } else if escape_iri(text) != text {
            Some("it holds characters an IRI cannot (spaces, controls, <>\"{}|^`\\ or a stray %)")
        } else if !text.ends_with(['/', '#', ':']) {
            Some("end it with /, # or :")
        } else {
            None
        };
        match reason {
            Some(reason) => Err(BaseError {
                base: text.to_string(),
                reason,
            }),
            None => Ok(Base(text.to_string())),
        }
    }

    fn iri(&self, kind: &str, name: &str) -> String {
        format!("<{}{kind}:{}>", self.0, segment(name))
    }

    fn unit(&self, id: &str) -> String {
        self.iri("unit", id)
    }

    fn change(&self, n: usize) -> String {
        self.iri("change", &n.to_string())
    }

    fn source(&self, key: &str) -> String {
        self.iri("source", key)
    }

    fn external(&self, name: &str) -> String {
        self.iri("external", name)
    }
}

impl Default for Base {
    fn default() -> Base {
        Base(DEFAULT_BASE.to_string())
    }
}

/// The whole history as a Turtle document: units by id, then changes in
/// timeline order, then outside bodies and sources, each sorted.
pub(crate) fn turtle(dataset: &Dataset, base: &Base) -> String {
    let history = History::build(dataset);
    let changes = crate::timeline::timeline(dataset, Day::MIN, Day::MAX, &Filter::default());
    let documented = super::documented(dataset);
    let mut out = String::from("# The history of an organization: W3C ORG and PROV-O, by reorg.\n");
    for (prefix, namespace) in PREFIXES {
        let _ = writeln!(out, "@prefix {prefix}: <{namespace}> .");
    }
    out.push('\n');
    let nothing = Documented::default();
    for (id, record) in id_records(&history) {
        let documented = documented.get(id.as_str()).unwrap_or(&nothing);
        unit(&record, documented, base).write(&mut out);
    }
    for (n, c) in changes.iter().enumerate() {
        change(c, n + 1, base).write(&mut out);
    }
    let externals: BTreeSet<&str> = changes
        .iter()
        .filter_map(|c| c.external.as_deref())
        .collect();
    for name in externals {
        Description::new(base.external(name))
            .add("a", ["org:Organization"])
            .add("skos:prefLabel", [literal(name)])
            .write(&mut out);
    }
    for s in dataset.sources.values() {
        source(s, base).write(&mut out);
    }
    out
}

/// What the history says about one unit id.
struct IdRecord {
    /// The unit with this id as it stands in the last state that has it.
    latest: UnitSide,
    last_state: usize,
    /// Every name it had.
    names: BTreeSet<String>,
}

/// The record of every id in any state, by id.
fn id_records(history: &History) -> BTreeMap<String, IdRecord> {
    let mut records: BTreeMap<String, IdRecord> = BTreeMap::new();
    for thread in 0..history.len() {
        for (k, side) in history.states_of(thread) {
            let record = records.entry(side.id.clone()).or_insert_with(|| IdRecord {
                latest: side.clone(),
                last_state: k,
                names: BTreeSet::new(),
            });
            record.names.insert(side.name.clone());
            // A re-used id belongs to several threads: the latest state wins.
            if k >= record.last_state {
                record.last_state = k;
                record.latest = side;
            }
        }
    }
    records
}

fn unit(record: &IdRecord, documented: &Documented, base: &Base) -> Description {
    let u = &record.latest;
    let names = record.names.iter().map(String::as_str);
    // SKOS wants a label to be preferred or alternative, not both.
    let alt_labels = names
        .chain(documented.aliases.iter().copied())
        .filter(|n| *n != u.name);
    let class = match u.parent {
        None => "org:Organization",
        Some(_) => "org:OrganizationalUnit",
    };
    Description::new(base.unit(&u.id))
        .add("a", [class])
        .add("skos:prefLabel", [literal(&u.name)])
        .add("skos:altLabel", alt_labels.map(literal))
        .add("skos:notation", u.acronym.as_deref().map(literal))
        .add("dcterms:type", u.kind.as_deref().map(literal))
        .add(
            "org:subOrganizationOf",
            u.parent.as_deref().map(|p| base.unit(p)),
        )
        .add(
            "dcterms:source",
            documented.sources.iter().map(|k| base.source(k)),
        )
}

fn change(c: &Change, n: usize, base: &Base) -> Description {
    let units =
        |sides: &[UnitSide]| -> Vec<String> { sides.iter().map(|u| base.unit(&u.id)).collect() };
    let (mut original, mut resulting) = (units(&c.from), units(&c.to));
    // Only transfers name an outside body: the one a unit came from, or
    // the one it went to.
    if let Some(external) = &c.external {
        match c.kind {
            ChangeKind::TransferredIn => original.push(base.external(external)),
            _ => resulting.push(base.external(external)),
        }
    }
    // An open end (`../2019-07-31`) has no day to give: it is left out
    // rather than written as the end of time.
    let started = c
        .date
        .as_ref()
        .map(super::super::date::Date::earliest)
        .filter(|&d| d != Day::MIN);
    let ended = c
        .date
        .as_ref()
        .map(super::super::date::Date::latest)
        .filter(|&d| d != Day::MAX);
    Description::new(base.change(n))
        .add("a", ["org:ChangeEvent", "prov:Activity"])
        .add("dcterms:type", c.aspects.iter().map(|a| literal(a.name())))
        .add("org:originalOrganization", original)
        .add("org:resultingOrganization", resulting)
        .add("prov:startedAtTime", started.map(date_literal))
        .add("prov:endedAtTime", ended.map(date_literal))
        .add("dcterms:date", c.date.as_ref().map(|d| literal(d.as_str())))
        .add("rdfs:comment", c.evidence.iter().map(|e| literal(e)))
        .add("dcterms:source", c.sources.iter().map(|k| base.source(k)))
}

fn source(s: &Source, base: &Base) -> Description {
    Description::new(base.source(&s.key))
        .add("a", ["prov:Entity"])
        .add("dcterms:title", [literal(&s.title)])
        .add("rdfs:seeAlso", s.url.as_deref().map(link))
        .add("dcterms:publisher", s.publisher.as_deref().map(literal))
        .add("dcterms:date", s.date.as_ref().map(|d| literal(d.as_str())))
        .add("rdfs:comment", s.note.as_deref().map(literal))
}

/// A subject and what is said of it, written as one Turtle block:
/// predicates in the order added, objects sorted.
struct Description {
    subject: String,
    properties: Vec<(&'static str, BTreeSet<String>)>,
}

impl Description {
    fn new(subject: String) -> Description {
        Description {
            subject,
            properties: Vec::new(),
        }
    }

    /// Says `predicate` of each object, if there are any.
    fn add<T: Into<String>>(
        mut self,
        predicate: &'static str,
        objects: impl IntoIterator<Item = T>,
    ) -> Description {
        let objects: BTreeSet<String> = objects.into_iter().map(Into::into).collect();
        if !objects.is_empty() {
            self.properties.push((predicate, objects));
        }
        self
    }

    fn write(&self, out: &mut String) {
        out.push_str(&self.subject);
        for (i, (predicate, objects)) in self.properties.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { " ;\n    " });
            out.push_str(predicate);
            out.push(' ');
            for (j, object) in objects.iter().enumerate() {
                if j > 0 {
                    out.push_str(", ");
                }
                out.push_str(object);
            }
        }
        out.push_str(" .\n\n");
    }
}

/// A Turtle string literal: `\`, `"` and line breaks are escaped, other
/// control characters written as `\uXXXX`; the rest, non-ASCII included,
/// is kept as it is.
fn literal(s: &str) -> String {
    crate::render::escape::backslashed(s, |c, out| match c {
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => {
            let _ = write!(out, "\\u{:04X}", c as u32);
        }
    })
}

fn date_literal(day: Day) -> String {
    format!("\"{day}\"^^xsd:date")
}

/// A source's URL as an IRI when, once escaped, it is an absolute one;
/// otherwise as the text it is, so nothing is lost.
fn link(url: &str) -> String {
    match absolute_iri(url) {
        Some(iri) => format!("<{iri}>"),
        None => literal(url),
    }
}

/// An id as one IRI path segment: everything but unreserved ASCII
/// (letters, digits, `-._~`) is percent-encoded, so that an id holds
/// neither a delimiter (`/`, `#`, `?`, `:`) nor a character Turtle forbids.
fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~') {
            out.push(c);
        } else {
            percent_encode(c, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_quotes_backslashes_and_controls() {
        assert_eq!(
            literal("a \"b\" \\ c\nd\re\tf\u{7}g\u{85}h é 中"),
            "\"a \\\"b\\\" \\\\ c\\nd\\re\\tf\\u0007g\\u0085h é 中\""
        );
    }

    #[test]
    fn ids_become_single_segments() {
        assert_eq!(segment("hsi-ixu"), "hsi-ixu");
        assert_eq!(segment("finance dept/audit"), "finance%20dept%2Faudit");
        assert_eq!(segment("a:b#c?d<é>"), "a%3Ab%23c%3Fd%3C%C3%A9%3E");
    }

    #[test]
    fn urls_become_iris_only_when_absolute() {
        assert_eq!(
            link("https://example.org/a b?x=<y>&q=\"z\""),
            "<https://example.org/a%20b?x=%3Cy%3E&q=%22z%22>"
        );
        assert_eq!(link("https://例え.jp/パス"), "<https://例え.jp/パス>");
        assert_eq!(
            link("http://x.org/100%25/%zz"),
            "<http://x.org/100%25/%25zz>"
        );
        assert_eq!(link("not a url"), "\"not a url\"");
        assert_eq!(link("/relative/path"), "\"/relative/path\"");
    }

    #[test]
    fn a_base_must_be_absolute_clean_and_delimited() {
        assert!(Base::parse("urn:reorg:").is_ok());
        assert!(Base::parse("https://example.org/ice/").is_ok());
        assert!(Base::parse("example.org/").is_err());
        assert!(Base::parse("https://example.org/a b/").is_err());
        assert!(Base::parse("https://example.org/ice").is_err());
    }

    #[test]
    fn descriptions_group_predicates_and_sort_objects() {
        let mut out = String::new();
        Description::new("<s>".into())
            .add("a", ["org:B", "org:A"])
            .add("skos:altLabel", Vec::<String>::new())
            .add("skos:prefLabel", [literal("x")])
            .write(&mut out);
        assert_eq!(
            out,
            "<s>\n    a org:A, org:B ;\n    skos:prefLabel \"x\" .\n\n"
        );
    }
}

//! The whole history in interchange formats, for tools that do not speak
//! `reorg`: the W3C Organization Ontology in Turtle ([`turtle`]), Popolo
//! JSON ([`popolo`]), and a CSV crosswalk between two dates
//! ([`crosswalk`]).
//!
//! Each export is a pure function of a dataset that returns the whole
//! document as text; where it goes is the caller's business.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::dataset::Dataset;
use crate::date::Day;
use crate::diff::{self, DiffError, Filter};
use crate::observation::Observation;
use crate::render;

pub(crate) mod popolo;
pub(crate) mod turtle;

/// The CSV crosswalk between the ends of two days: one row per (from unit,
/// to unit) pair of each net change, exactly as `reorg diff --format csv`
/// prints it. A missing end defaults to the first (or last) snapshot: the
/// state as of that snapshot's earliest day, which already includes it.
pub(crate) fn crosswalk(
    dataset: &Dataset,
    from: Option<(&str, Day)>,
    to: Option<(&str, Day)>,
) -> Result<String, DiffError> {
    let from = from.unwrap_or_else(|| as_of(dataset.snapshots().first(), Day::MIN));
    let to = to.unwrap_or_else(|| as_of(dataset.snapshots().last(), Day::MAX));
    let diff = diff::diff(dataset, from, to, &Filter::default())?;
    Ok(render::diff::csv(&diff))
}

/// The date of a snapshot and the day its state stands from; `open` when
/// there is no snapshot.
fn as_of(snapshot: Option<&Observation>, open: Day) -> (&str, Day) {
    snapshot.map_or(("", open), |s| (s.date.as_str(), s.date.earliest()))
}

/// What the snapshots document of a unit id that the history does not
/// give by id: its aliases (the history has them by thread) and its
/// sources.
#[derive(Default)]
struct Documented<'d> {
    aliases: BTreeSet<&'d str>,
    sources: BTreeSet<&'d str>,
}

/// What every snapshot documents of each unit id.
fn documented(dataset: &Dataset) -> BTreeMap<&str, Documented<'_>> {
    let mut out: BTreeMap<&str, Documented> = BTreeMap::new();
    for unit in dataset
        .snapshots()
        .iter()
        .flat_map(super::observation::Observation::all_units)
    {
        let entry = out.entry(unit.id.as_str()).or_default();
        entry
            .aliases
            .extend(unit.aliases.iter().map(String::as_str));
        entry
            .sources
            .extend(unit.sources.iter().map(String::as_str));
    }
    out
}

/// A URL as an absolute IRI, escaped, or `None` when even escaped it is
/// not one (no scheme): then it can only be shown as text.
fn absolute_iri(url: &str) -> Option<String> {
    let escaped = escape_iri(url);
    has_scheme(&escaped).then_some(escaped)
}

/// A URL as the body of an IRI: spaces, control characters,
/// `<>"{}|^`\` and any `%` that does not start an escape are
/// percent-encoded; everything else, non-ASCII included, is kept.
fn escape_iri(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        let stray_percent = c == '%' && !starts_escape(&s[i + 1..]);
        let forbidden = c <= ' ' || c.is_control() || "<>\"{}|^`\\".contains(c);
        if stray_percent || forbidden {
            percent_encode(c, &mut out);
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether text after a `%` starts with two hex digits.
fn starts_escape(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.len() >= 2 && b[0].is_ascii_hexdigit() && b[1].is_ascii_hexdigit()
}

fn percent_encode(c: char, out: &mut String) {
    let mut buf = [0; 4];
    for b in c.encode_utf8(&mut buf).bytes() {
        let _ = write!(out, "%{b:02X}");
    }
}

/// Whether text starts with a URI scheme (`letter *(letter / digit / + - .)`)
/// followed by `:` and something: what makes an IRI absolute.
fn has_scheme(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, rest)) => {
            !rest.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

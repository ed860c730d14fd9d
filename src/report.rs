//! A change report people can publish: the changes of a diff told as plain
//! sentences, grouped under the top-level units they concern, with
//! uncertainty said in words, numbered sources, and the structure before
//! and after. [`build`] computes one [`Report`]; the renderers in
//! `render::report` only read it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::dataset::Dataset;
use crate::diff::{Basis, Change, Diff, UnitSide};
use crate::model::{ChangeKind, Confidence};
use crate::state::OrgState;

/// One sentence about one change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentence {
    pub kind: ChangeKind,
    /// The change, in plain words.
    pub text: String,
    /// How sure it is, in words, when it is not plainly stated by a source.
    pub caveat: Option<String>,
    /// Numbers of the sources cited (see [`Report::sources`]).
    pub citations: Vec<usize>,
    pub basis: Basis,
    pub confidence: f64,
}

/// The sentences about one top-level unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub heading: String,
    pub sentences: Vec<Sentence>,
}

/// A source as cited: its number, and what a reader needs to find it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Citation {
    pub number: usize,
    pub key: String,
    pub title: String,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

/// How a unit of a structure picture fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Unchanged,
    Changed,
    /// New at TO.
    New,
    /// Gone by TO.
    Gone,
}

/// A line of a structure picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TreeLine {
    pub depth: usize,
    pub id: String,
    pub label: String,
    pub mark: Mark,
}

/// A report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub title: String,
    /// "from the end of 2008 to the end of 2024".
    pub period: String,
    pub counts: Vec<(ChangeKind, usize)>,
    pub sections: Vec<Section>,
    pub sources: Vec<Citation>,
    /// The structure at FROM and at TO, a few levels deep.
    pub before: Vec<TreeLine>,
    pub after: Vec<TreeLine>,
}

/// How many levels below the top the structure pictures show.
const PICTURE_DEPTH: usize = 2;

/// The report of a diff. `first` and `last` are the states at FROM and
/// TO; `under` is the id of the unit the report is narrowed to.
pub fn build(
    dataset: &Dataset,
    diff: &Diff,
    first: &OrgState,
    last: &OrgState,
    under: Option<&str>,
) -> Report {
    let mut citations = Citations::new(dataset);
    let mut sections: BTreeMap<String, Vec<Sentence>> = BTreeMap::new();
    // Each section tells its changes in date order.
    let mut changes: Vec<&Change> = diff.changes.iter().collect();
    // ("no later than X" goes by X.)
    changes.sort_by_key(|c| {
        c.date.as_ref().map(|d| {
            let start = if d.earliest() == crate::date::Day::MIN {
                d.latest()
            } else {
                d.earliest()
            };
            (start, d.latest())
        })
    });
    for change in changes {
        let heading = section_of(change, first, last, under);
        let (text, caveat) = tell(change);
        let numbers = change.sources.iter().map(|k| citations.cite(k)).collect();
        sections.entry(heading).or_default().push(Sentence {
            kind: change.kind,
            text,
            caveat,
            citations: numbers,
            basis: change.basis,
            confidence: change.confidence,
        });
    }
    let counts = ChangeKind::ALL
        .iter()
        .map(|&k| (k, diff.changes.iter().filter(|c| c.kind == k).count()))
        .filter(|&(_, n)| n > 0)
        .collect();
    let scope = under
        .and_then(|id| last.find(id).or_else(|| first.find(id)).map(|ix| (id, ix)))
        .map(|(id, ix)| {
            let state = if last.find(id).is_some() { last } else { first };
            state.unit(ix).label()
        });
    let title = match &scope {
        Some(label) => format!("Changes in {label}"),
        None => {
            let root = last
                .roots()
                .first()
                .or(first.roots().first())
                .map(|&r| last_or_first(first, last, r));
            format!(
                "Changes in {}",
                root.unwrap_or_else(|| "the organization".to_string())
            )
        }
    };
    Report {
        title,
        period: format!(
            "from {} to {}",
            period_end(&diff.from.date),
            period_end(&diff.to.date)
        ),
        counts,
        sections: sections
            .into_iter()
            .map(|(heading, sentences)| Section { heading, sentences })
            .collect(),
        sources: citations.list,
        before: picture(first, under, diff, true),
        after: picture(last, under, diff, false),
    }
}

fn last_or_first(first: &OrgState, last: &OrgState, root: crate::state::UnitIx) -> String {
    if last.is_empty() {
        first.unit(root).label()
    } else {
        last.unit(root).label()
    }
}

/// "2008" → "the end of 2008"; a full day stays as it is.
fn period_end(date: &str) -> String {
    match date.len() {
        4 | 7 => format!("the end of {date}"),
        _ => date.to_string(),
    }
}

/// The sources cited so far, numbered in order of first citation.
struct Citations<'d> {
    dataset: &'d Dataset,
    list: Vec<Citation>,
}

impl<'d> Citations<'d> {
    fn new(dataset: &'d Dataset) -> Citations<'d> {
        Citations {
            dataset,
            list: Vec::new(),
        }
    }

    fn cite(&mut self, key: &str) -> usize {
        if let Some(c) = self.list.iter().find(|c| c.key == key) {
            return c.number;
        }
        let source = self.dataset.sources.get(key);
        let number = self.list.len() + 1;
        self.list.push(Citation {
            number,
            key: key.to_string(),
            title: source.map_or_else(|| key.to_string(), |s| s.title.clone()),
            publisher: source.and_then(|s| s.publisher.clone()),
            date: source.and_then(|s| s.date.as_ref()).map(|d| d.words()),
            url: source.and_then(|s| s.url.clone()),
        });
        number
    }
}

/// The heading a change goes under: the top-level unit (a child of the
/// root, or of the unit the report is narrowed to) of its units at TO,
/// else at FROM.
fn section_of(change: &Change, first: &OrgState, last: &OrgState, under: Option<&str>) -> String {
    let top = |state: &OrgState, unit: &UnitSide| -> Option<String> {
        let ix = state.find(&unit.id)?;
        let mut chain = vec![ix];
        chain.extend(state.ancestors(ix));
        let base = match under {
            Some(id) => chain.iter().position(|&a| state.unit(a).id == id)?,
            None => chain.len() - 1,
        };
        // The unit just below the base, or the base itself.
        let pick = if base == 0 { chain[0] } else { chain[base - 1] };
        Some(state.unit(pick).label())
    };
    change
        .to
        .iter()
        .find_map(|u| top(last, u))
        .or_else(|| change.from.iter().find_map(|u| top(first, u)))
        .unwrap_or_else(|| "Elsewhere".to_string())
}

/// "the Office of Investigations (OI)".
fn the(unit: &UnitSide) -> String {
    format!("the {}", unit.label())
}

/// "the A, the B and the C".
fn list(units: &[UnitSide]) -> String {
    let names: Vec<String> = units.iter().map(the).collect();
    match names.as_slice() {
        [] => "no unit".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The sentence of a change, and its caveat.
pub fn tell(change: &Change) -> (String, Option<String>) {
    let when = change
        .date
        .as_ref()
        .map_or_else(|| "at a date not known".to_string(), |d| d.when());
    let observed = change.basis == Basis::Identity;
    let (from, to) = (list(&change.from), list(&change.to));
    let first_to = change.to.first();
    let first_from = change.from.first();
    let parent = |u: Option<&UnitSide>| {
        u.and_then(|u| u.parent_name.clone())
            .map_or("the top of the organization".to_string(), |p| {
                format!("the {p}")
            })
    };
    let external = change
        .external
        .clone()
        .map_or("an outside body".to_string(), |e| format!("the {e}"));
    let body = match change.kind {
        ChangeKind::Renamed => match (first_from, first_to) {
            (Some(a), Some(b)) if a.name == b.name => match (&a.acronym, &b.acronym) {
                (None, Some(new)) => format!("{from} took the acronym {new}"),
                (Some(old), None) => format!("{from} dropped the acronym {old}"),
                (old, new) => format!(
                    "{from} changed its acronym from {} to {}",
                    old.as_deref().unwrap_or("none"),
                    new.as_deref().unwrap_or("none")
                ),
            },
            _ => format!("{from} was renamed {to}"),
        },
        ChangeKind::Moved => format!(
            "{} moved from {} to {}",
            from,
            parent(first_from),
            parent(first_to)
        ),
        ChangeKind::Redesignated => format!(
            "{from} became {} (it had been {})",
            a_kind(first_to),
            a_kind(first_from)
        ),
        ChangeKind::Recoded => format!(
            "{from} took the identifier {} (it had been {})",
            first_to.map_or("?", |u| &u.id),
            first_from.map_or("?", |u| &u.id)
        ),
        ChangeKind::Merged => format!("{from} were merged into a new unit, {to}"),
        ChangeKind::Absorbed => format!("{from} {} absorbed into {to}", were(&change.from)),
        ChangeKind::Split => format!("{from} was split into {to}"),
        ChangeKind::SpunOff => format!("{to} {} carved out of {from}", were(&change.to)),
        ChangeKind::TransferredOut => format!("{from} left the organization for {external}"),
        ChangeKind::TransferredIn => format!("{to} joined the organization from {external}"),
        ChangeKind::Established if observed => format!("{to} first appears in the sources"),
        ChangeKind::Established => format!("{to} {} established", were(&change.to)),
        ChangeKind::Abolished if observed => format!("{from} no longer appears in the sources"),
        ChangeKind::Abolished => format!("{from} {} abolished", were(&change.from)),
        ChangeKind::Restored => format!("{to} {} re-established", were(&change.to)),
        ChangeKind::Replaced => format!("{from} was succeeded by {to}"),
    };
    // "in June 2010" follows the verb; "some time between ..." is set off.
    let joint = if when.starts_with("in ") || when.starts_with("on ") {
        " "
    } else {
        ", "
    };
    let text = format!("{}{joint}{when}.", capitalize(&body));
    (text, caveat(change))
}

/// "an office", "a division", "a unit".
fn a_kind(unit: Option<&UnitSide>) -> String {
    match unit.and_then(|u| u.kind.as_deref()) {
        Some(k) if sounds_like_a_vowel(k) => format!("an {k}"),
        Some(k) => format!("a {k}"),
        None => "a unit of another kind".to_string(),
    }
}

/// Whether a word takes "an": it starts with a vowel sound. Words spelled
/// with a vowel but said with a "y" or "w" ("unit", "union", "European",
/// "one") take "a".
fn sounds_like_a_vowel(word: &str) -> bool {
    let w = word.to_lowercase();
    let consonant_sound = ["uni", "use", "usu", "uti", "eu", "one", "once"];
    w.starts_with(['a', 'e', 'i', 'o', 'u']) && !consonant_sound.iter().any(|p| w.starts_with(p))
}

fn were(units: &[UnitSide]) -> &'static str {
    if units.len() > 1 {
        "were"
    } else {
        "was"
    }
}

/// Uncertainty in words: how the change is known, when that is less than
/// a source stating it plainly.
fn caveat(change: &Change) -> Option<String> {
    match change.basis {
        Basis::Curated if change.confidence < Confidence::Medium.score() => Some(
            "Low confidence: this is an inference from the sources rather than something they state.".to_string(),
        ),
        Basis::Curated if change.confidence < Confidence::High.score() => {
            Some("Medium confidence: the sources support this only in part.".to_string())
        }
        Basis::Inferred => Some(format!(
            "Inferred by matching names and structure, not stated by a source (confidence {:.2}).",
            change.confidence
        )),
        Basis::Identity if change.date.as_ref().is_some_and(|d| d.is_interval()) => Some(
            "Dated only by the two snapshots around it.".to_string(),
        ),
        _ => None,
    }
}

/// The top levels of a state (or of one unit's subtree), each unit marked
/// by what became of it.
fn picture(state: &OrgState, under: Option<&str>, diff: &Diff, before: bool) -> Vec<TreeLine> {
    let mut marks: BTreeMap<&str, Mark> = BTreeMap::new();
    for c in &diff.changes {
        let (units, ends) = if before {
            (
                &c.from,
                matches!(
                    c.kind,
                    ChangeKind::Abolished
                        | ChangeKind::Merged
                        | ChangeKind::Absorbed
                        | ChangeKind::Split
                        | ChangeKind::TransferredOut
                        | ChangeKind::Replaced
                ),
            )
        } else {
            (
                &c.to,
                matches!(
                    c.kind,
                    ChangeKind::Established
                        | ChangeKind::Merged
                        | ChangeKind::Split
                        | ChangeKind::SpunOff
                        | ChangeKind::TransferredIn
                        | ChangeKind::Restored
                        | ChangeKind::Replaced
                ) && !c.from.iter().any(|f| c.to.iter().any(|t| t.id == f.id)),
            )
        };
        for u in units {
            let mark = match (ends, before) {
                (true, true) => Mark::Gone,
                (true, false) => Mark::New,
                _ => Mark::Changed,
            };
            let entry = marks.entry(u.id.as_str()).or_insert(mark);
            if mark != Mark::Changed {
                *entry = mark;
            }
        }
    }
    let roots: Vec<_> = match under.and_then(|id| state.find(id)) {
        Some(ix) => vec![ix],
        None if under.is_some() => Vec::new(),
        None => state.roots(),
    };
    roots
        .into_iter()
        .flat_map(|r| state.subtree(r))
        .filter(|&(_, depth)| depth <= PICTURE_DEPTH)
        .map(|(ix, depth)| {
            let u = state.unit(ix);
            TreeLine {
                depth,
                id: u.id.clone(),
                label: u.label(),
                mark: marks.get(u.id.as_str()).copied().unwrap_or(Mark::Unchanged),
            }
        })
        .collect()
}

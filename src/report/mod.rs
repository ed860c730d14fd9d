//! A change report people can publish: the changes of a diff told as plain
//! sentences, grouped under the top-level units they concern, with
//! uncertainty said in words, numbered sources, and the structure before
//! and after. [`build`] computes one [`Report`]; the renderers in
//! `render::report` only read it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::dataset::Dataset;
use crate::diff::{Basis, Diff};
use crate::model::ChangeKind;

pub(crate) mod tell;
use crate::state::OrgState;

/// One sentence about one change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Sentence {
    pub kind: ChangeKind,
    pub aspects: Vec<ChangeKind>,
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
pub(crate) struct Section {
    pub heading: String,
    pub sentences: Vec<Sentence>,
}

/// A source as cited: its number, and what a reader needs to find it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Citation {
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
pub(crate) enum Mark {
    Unchanged,
    Changed,
    /// New at TO.
    New,
    /// Gone by TO.
    Gone,
}

/// A line of a structure picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TreeLine {
    pub depth: usize,
    pub id: String,
    pub label: String,
    pub mark: Mark,
}

/// A report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Report {
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
pub(crate) fn build(
    dataset: &Dataset,
    diff: &Diff,
    first: &OrgState,
    last: &OrgState,
    under: Option<&str>,
) -> Report {
    let mut citations = Citations::new(dataset);
    let mut sections: BTreeMap<String, Vec<Sentence>> = BTreeMap::new();
    // Each section tells its changes in date order, as the diff has them.
    for change in &diff.changes {
        let heading = change
            .area
            .as_ref()
            .map_or_else(|| "Elsewhere".to_string(), |a| a.label());
        let (text, caveat) = tell::tell(change);
        let numbers = change.sources.iter().map(|k| citations.cite(k)).collect();
        sections.entry(heading).or_default().push(Sentence {
            kind: change.kind,
            aspects: change.aspects.clone(),
            text,
            caveat,
            citations: numbers,
            basis: change.basis,
            confidence: change.confidence,
        });
    }
    let counts = diff.counts();
    // The unit the report is narrowed to, else the top one, as at TO.
    let subject = under
        .and_then(|id| {
            [last, first]
                .into_iter()
                .find_map(|state| state.find(id).map(|ix| state.unit(ix)))
        })
        .or_else(|| {
            [last, first]
                .into_iter()
                .find_map(|state| state.roots().first().map(|&r| state.unit(r)))
        });
    let title = match subject {
        Some(unit) => format!("Changes in {}", tell::named(&unit.label(), &unit.name)),
        None => "Changes in the organization".to_string(),
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

/// "2008" → "the end of 2008"; a full day stays as it is.
pub(crate) fn period_end(date: &str) -> String {
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
            date: source
                .and_then(|s| s.date.as_ref())
                .map(super::date::Date::words),
            url: source.and_then(|s| s.url.clone()),
        });
        number
    }
}

/// Whether the units on one side of a change of `kind` end with it
/// (`before`) or begin with it, but for those on both sides.
fn ends_or_begins(kind: ChangeKind, before: bool) -> bool {
    use ChangeKind::*;
    if before {
        matches!(
            kind,
            Abolished | Disappeared | Merged | Absorbed | Split | TransferredOut | Replaced
        )
    } else {
        matches!(
            kind,
            Established | Appeared | Merged | Split | SpunOff | TransferredIn | Restored | Replaced
        )
    }
}

/// The top levels of a state (or of one unit's subtree), each unit marked
/// by what became of it.
fn picture(state: &OrgState, under: Option<&str>, diff: &Diff, before: bool) -> Vec<TreeLine> {
    let mut marks: BTreeMap<&str, Mark> = BTreeMap::new();
    for c in &diff.changes {
        let (units, other_side) = if before {
            (&c.from, &c.to)
        } else {
            (&c.to, &c.from)
        };
        for (i, u) in units.iter().enumerate() {
            let part = c
                .parts
                .iter()
                .any(|p| i == if before { p.from } else { p.to });
            let on_both_sides = part || other_side.iter().any(|o| o.id == u.id);
            let mark = match ends_or_begins(c.kind, before) {
                true if !on_both_sides && before => Mark::Gone,
                true if !on_both_sides => Mark::New,
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

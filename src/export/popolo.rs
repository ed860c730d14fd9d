//! The history as Popolo JSON (`reorg.popolo/1`, described by
//! `docs/popolo.schema.json`): one organization per unit followed through
//! time, with its former names, every id and acronym it had, its latest
//! parent, and founding and dissolution dates where a curated event gives
//! them to the day, month or year.
//!
//! Popolo dates have no uncertainty and no intervals, so a date that is
//! not a plain year, month or day never becomes a date field: rounding it
//! would invent precision. Former names say such dates in their `note`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::Direction;
use serde::Serialize;

use super::{absolute_iri, Documented};
use crate::dataset::Dataset;
use crate::date::Date;
use crate::diff::history::{History, LinkId};
use crate::diff::{Basis, Change, UnitSide};
use crate::model::{ChangeKind, Source};

/// The version of the document.
pub(crate) const SCHEMA: &str = "reorg.popolo/1";

#[derive(Serialize)]
struct Document {
    schema: &'static str,
    organizations: Vec<Organization>,
}

#[derive(Serialize)]
struct Organization {
    id: String,
    name: String,
    other_names: Vec<OtherName>,
    identifiers: Vec<Identifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    classification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    founding_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dissolution_date: Option<String>,
    sources: Vec<Link>,
}

#[derive(Serialize)]
struct OtherName {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    note: String,
}

#[derive(Serialize)]
struct Identifier {
    scheme: &'static str,
    identifier: String,
}

#[derive(Serialize)]
struct Link {
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    note: String,
}

/// The whole history as a Popolo JSON document, organizations sorted by id.
pub(crate) fn popolo(dataset: &Dataset) -> String {
    let history = History::build(dataset);
    let threads: Vec<Vec<(usize, UnitSide)>> =
        (0..history.len()).map(|t| history.states_of(t)).collect();
    let threads = Threads {
        ids: popolo_ids(&history, &threads),
        thread_at: thread_index(&threads),
        states: threads,
        history,
        documented: super::documented(dataset),
    };
    let mut organizations: Vec<Organization> = (0..threads.states.len())
        .map(|t| threads.organization(t))
        .collect();
    organizations.sort_by(|a, b| a.id.cmp(&b.id));
    let doc = Document {
        schema: SCHEMA,
        organizations,
    };
    serde_json::to_string_pretty(&doc).expect("JSON of plain values") + "\n"
}

/// The history's threads, with what it takes to write each one.
struct Threads<'d> {
    history: History<'d>,
    /// Each thread's unit in every state it is in.
    states: Vec<Vec<(usize, UnitSide)>>,
    /// Each thread's Popolo id.
    ids: Vec<String>,
    /// The thread of each id, by state: to find a parent's thread.
    thread_at: HashMap<usize, HashMap<String, usize>>,
    documented: BTreeMap<&'d str, Documented<'d>>,
}

impl Threads<'_> {
    fn organization(&self, t: usize) -> Organization {
        let states = &self.states[t];
        let (last_state, last) = states.last().expect("a thread has a state");
        let parent_id = last
            .parent
            .as_ref()
            .and_then(|p| self.thread_at.get(last_state)?.get(p))
            .map(|&p| self.ids[p].clone());
        let changes = self.history.thread_changes(t);
        // Established, abolished, transferred: the links that begin or end
        // the thread with nothing on the other side.
        let ends: Vec<Change> = self.link_changes(self.history.open_links(t));
        // Merges, splits and the like: cited as sources, not dated here.
        let neighbours = [Direction::Incoming, Direction::Outgoing]
            .into_iter()
            .flat_map(|d| self.link_changes(self.history.neighbours(t, d)))
            .collect::<Vec<Change>>();
        let founding = curated_dates(&ends, &[ChangeKind::Established]).next();
        let dissolution =
            curated_dates(&ends, &[ChangeKind::Abolished, ChangeKind::TransferredOut]).last();
        Organization {
            id: self.ids[t].clone(),
            name: last.name.clone(),
            other_names: other_names(states, founding, &changes, &self.history.aliases_of(t)),
            identifiers: identifiers(states),
            classification: last.kind.clone(),
            parent_id,
            founding_date: founding.and_then(popolo_date),
            dissolution_date: dissolution.and_then(popolo_date),
            sources: self.sources(states, changes.iter().chain(&ends).chain(&neighbours)),
        }
    }

    fn link_changes(&self, links: Vec<LinkId>) -> Vec<Change> {
        links
            .into_iter()
            .map(|l| self.history.link_change(l))
            .collect()
    }

    /// The sources the thread's units and changes cite, by key.
    fn sources<'c>(
        &self,
        states: &[(usize, UnitSide)],
        changes: impl Iterator<Item = &'c Change>,
    ) -> Vec<Link> {
        let mut keys: BTreeSet<&str> = BTreeSet::new();
        for (_, u) in states {
            if let Some(d) = self.documented.get(u.id.as_str()) {
                keys.extend(&d.sources);
            }
        }
        keys.extend(changes.flat_map(|c| c.sources.iter().map(String::as_str)));
        let dataset = self.history.dataset();
        keys.into_iter()
            .filter_map(|k| dataset.sources.get(k))
            .map(link)
            .collect()
    }
}

/// The thread of each id, by state.
fn thread_index(threads: &[Vec<(usize, UnitSide)>]) -> HashMap<usize, HashMap<String, usize>> {
    let mut index: HashMap<usize, HashMap<String, usize>> = HashMap::new();
    for (t, states) in threads.iter().enumerate() {
        for (k, u) in states {
            index.entry(*k).or_default().insert(u.id.clone(), t);
        }
    }
    index
}

/// The Popolo id of each thread: its last id, made unique. An id that a
/// data author re-used for an unrelated unit ends several threads; the
/// thread seen last keeps it, the others get `@` and the date of
/// the snapshot they were first seen in.
fn popolo_ids(history: &History, threads: &[Vec<(usize, UnitSide)>]) -> Vec<String> {
    let last = |t: usize| threads[t].last().expect("a thread has a state");
    let mut holder: HashMap<&str, usize> = HashMap::new();
    for t in 0..threads.len() {
        let (k, u) = last(t);
        holder
            .entry(u.id.as_str())
            .and_modify(|h| {
                if last(*h).0 < *k {
                    *h = t;
                }
            })
            .or_insert(t);
    }
    (0..threads.len())
        .map(|t| {
            let id = &last(t).1.id;
            if holder[id.as_str()] == t {
                id.clone()
            } else {
                let first_seen = history.state_date(threads[t][0].0);
                format!("{id}@{}", first_seen.map_or("", Date::as_str))
            }
        })
        .collect()
}

/// The dates of the curated changes of these kinds, in order.
fn curated_dates<'c>(
    changes: &'c [Change],
    kinds: &'c [ChangeKind],
) -> impl Iterator<Item = &'c Date> + 'c {
    changes
        .iter()
        .filter(move |c| c.basis == Basis::Curated && kinds.contains(&c.kind))
        .filter_map(|c| c.date.as_ref())
}

/// The date as Popolo can hold it (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`):
/// only a single year, month or day without qualifier. The text of a
/// valid date made only of digits and `-` is exactly that.
fn popolo_date(date: &Date) -> Option<String> {
    let text = date.as_str();
    text.bytes()
        .all(|b| b.is_ascii_digit() || b == b'-')
        .then(|| text.to_string())
}

/// A name the unit bore for a while: from the change that gave it (or
/// its founding) to the change that took it away.
struct NamePeriod<'a> {
    name: &'a str,
    start: Option<&'a Date>,
    end: Option<&'a Date>,
}

/// Former names, dated by the renames that ended them, then aliases that
/// are not also names.
fn other_names(
    states: &[(usize, UnitSide)],
    founding: Option<&Date>,
    changes: &[Change],
    aliases: &[String],
) -> Vec<OtherName> {
    let first = &states.first().expect("a thread has a state").1.name;
    let mut periods = vec![NamePeriod {
        name: first,
        start: founding,
        end: None,
    }];
    for c in changes
        .iter()
        .filter(|c| c.aspects.contains(&ChangeKind::Renamed))
    {
        let (Some(old), Some(new)) = (c.from.first(), c.to.first()) else {
            continue;
        };
        // A new acronym alone is not a new name.
        if old.name == new.name {
            continue;
        }
        if let Some(current) = periods.last_mut() {
            current.end = c.date.as_ref();
        }
        periods.push(NamePeriod {
            name: &new.name,
            start: c.date.as_ref(),
            end: None,
        });
    }
    let names: BTreeSet<&str> = periods.iter().map(|p| p.name).collect();
    let (_current, former) = periods.split_last().expect("there is a first name");
    let aliases = aliases
        .iter()
        .filter(|a| !names.contains(a.as_str()))
        .map(|a| OtherName {
            name: a.clone(),
            start_date: None,
            end_date: None,
            note: "alias".to_string(),
        });
    former.iter().map(former_name).chain(aliases).collect()
}

/// A former name with the dates Popolo can hold; the others go, as EDTF,
/// into its note.
fn former_name(p: &NamePeriod) -> OtherName {
    let start_date = p.start.and_then(popolo_date);
    let end_date = p.end.and_then(popolo_date);
    let mut vague = Vec::new();
    if let Some(d) = p.start.filter(|_| start_date.is_none()) {
        vague.push(format!("adopted {d}"));
    }
    if let Some(d) = p.end.filter(|_| end_date.is_none()) {
        vague.push(format!("renamed {d}"));
    }
    let note = if vague.is_empty() {
        "former name".to_string()
    } else {
        format!("former name; {} (EDTF)", vague.join(", "))
    };
    OtherName {
        name: p.name.to_string(),
        start_date,
        end_date,
        note,
    }
}

/// Every id the unit had, then every acronym, each once, in order.
fn identifiers(states: &[(usize, UnitSide)]) -> Vec<Identifier> {
    let ids = states.iter().map(|(_, u)| ("reorg", &u.id));
    let acronyms = states
        .iter()
        .filter_map(|(_, u)| Some(("acronym", u.acronym.as_ref()?)));
    let mut out: Vec<Identifier> = Vec::new();
    for (scheme, identifier) in ids.chain(acronyms) {
        let seen = |i: &Identifier| i.scheme == scheme && i.identifier == *identifier;
        if !out.iter().any(seen) {
            out.push(Identifier {
                scheme,
                identifier: identifier.clone(),
            });
        }
    }
    out
}

/// A source as a Popolo link: its URL when it is an absolute IRI, and a
/// note naming it (title, publisher, the key the dataset cites it by, and
/// a URL that is not an IRI, as written).
fn link(s: &Source) -> Link {
    let url = s.url.as_deref().and_then(absolute_iri);
    let mut note = s.title.clone();
    if let Some(publisher) = &s.publisher {
        note.push_str(" — ");
        note.push_str(publisher);
    }
    note.push_str(&format!(" [{}]", s.key));
    if let (None, Some(text)) = (&url, &s.url) {
        note.push_str(&format!("; location: {text}"));
    }
    Link { url, note }
}

//! Finding units by name, acronym or alias across every era, without
//! regard to case or accents.

use std::cell::OnceCell;

use chrono::Datelike;
use rustc_hash::FxHashMap;

use crate::diff::history::History;
use crate::diff::UnitSide;
use crate::text::fold;

/// A unit of some era that answers to a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The thread (the unit followed through time).
    pub thread: usize,
    /// The name, acronym or alias that matched.
    pub matched: String,
    /// The unit as it was when last seen under that name.
    pub unit: UnitSide,
    /// The first and last years the name was in use; `None` for the end
    /// while it is still in use.
    pub years: (i32, Option<i32>),
    /// In (0, 1]: 1 for an exact match.
    pub score: f64,
}

/// How well a name answers to a folded query: exact 1.0; every query word
/// the start of a word of the name 0.9; a substring 0.7; else a close
/// spelling (Jaro-Winkler ≥ 0.9) scaled down.
fn score(name: &str, query: &str) -> Option<f64> {
    let name = fold(name);
    if name == query {
        return Some(1.0);
    }
    let words: Vec<&str> = name.split(' ').collect();
    if query
        .split(' ')
        .all(|q| words.iter().any(|w| w.starts_with(q)))
    {
        return Some(0.9);
    }
    if name.contains(query) {
        return Some(0.7);
    }
    let jw = strsim::jaro_winkler(&name, query);
    (jw >= 0.9).then_some(0.6 * jw)
}

/// The names a thread went by, each with the states it was used in:
/// (name, index of the last state with it, first state, last state).
fn names_of(history: &History, thread: usize) -> Vec<(String, usize, usize, usize)> {
    let mut names: Vec<(String, usize, usize, usize)> = Vec::new();
    let states = history.states_of(thread);
    let aliases = history.aliases_of(thread);
    for (i, (k, unit)) in states.iter().enumerate() {
        let candidates = std::iter::once(unit.name.clone()).chain(unit.acronym.clone());
        for n in candidates {
            match names.iter_mut().find(|(m, ..)| *m == n) {
                Some(entry) => {
                    entry.1 = i;
                    entry.3 = *k;
                }
                None => names.push((n, i, *k, *k)),
            }
        }
    }
    let (first, last) = (states[0].0, states[states.len() - 1].0);
    for a in aliases {
        if !names.iter().any(|(m, ..)| *m == a) {
            names.push((a, states.len() - 1, first, last));
        }
    }
    names
}

/// Every unit of every era whose name, acronym or alias answers to the
/// query (or whose id is the query), best first.
pub fn find(history: &History, query: &str) -> Vec<Found> {
    let q = fold(query);
    if q.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<Found> = (0..history.len())
        .filter_map(|thread| found_in(history, thread, query, &q))
        .collect();
    sort_best_first(&mut found);
    found
}

/// How well a thread answers to a query (`q` folded), under the best of
/// its names or its id.
fn found_in(history: &History, thread: usize, query: &str, q: &str) -> Option<Found> {
    let states = history.states_of(thread);
    let by_id = states
        .iter()
        .enumerate()
        .filter(|(_, (_, u))| u.id == query)
        .map(|(i, (k, u))| (1.0, u.id.clone(), i, *k, *k));
    let (score, matched, at, first, last) = names_of(history, thread)
        .into_iter()
        .filter_map(|(name, at, first, last)| score(&name, q).map(|s| (s, name, at, first, last)))
        .chain(by_id)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.2.cmp(&a.2)))?;
    let year = |k: usize, end: bool| {
        history.state_date(k).map(|d| {
            if end {
                d.latest().year()
            } else {
                d.earliest().year()
            }
        })
    };
    let lasts = history.lasts(thread) && last == states[states.len() - 1].0;
    Some(Found {
        thread,
        matched,
        unit: states[at].1.clone(),
        years: (
            year(first, false).unwrap_or(0),
            if lasts { None } else { year(last, true) },
        ),
        score,
    })
}

fn sort_best_first(found: &mut [Found]) {
    found.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.years.0.cmp(&b.years.0))
            .then_with(|| a.unit.name.cmp(&b.unit.name))
            .then(a.thread.cmp(&b.thread))
    });
}

/// The threads whose id, name, acronym or alias is exactly the query
/// (folded), in any era: what a UNIT argument names. An id wins.
pub fn resolve(history: &History, query: &str) -> Vec<Found> {
    Resolver::new(history).resolve(query)
}

/// Resolves many queries as [`resolve`] does one, each without a pass
/// over the whole history: every thread is indexed by its names (folded)
/// the first time a query is not an id.
pub struct Resolver<'h, 'd> {
    history: &'h History<'d>,
    by_name: OnceCell<FxHashMap<String, Vec<usize>>>,
}

impl<'h, 'd> Resolver<'h, 'd> {
    pub fn new(history: &'h History<'d>) -> Resolver<'h, 'd> {
        Resolver {
            history,
            by_name: OnceCell::new(),
        }
    }

    pub fn history(&self) -> &'h History<'d> {
        self.history
    }

    /// The answer of [`resolve`].
    pub fn resolve(&self, query: &str) -> Vec<Found> {
        let history = self.history;
        if let Some(thread) = history.thread_with_id(query) {
            return vec![self.by_id(thread, query)];
        }
        let q = fold(query);
        if q.is_empty() {
            return Vec::new();
        }
        let candidates = self.names().get(&q).map_or(&[][..], Vec::as_slice);
        let mut exact: Vec<Found> = candidates
            .iter()
            .filter_map(|&thread| found_in(history, thread, query, &q))
            .filter(|f| f.score >= 1.0)
            .collect();
        sort_best_first(&mut exact);
        // A unit gone and re-established under its id is one unit: its later
        // life stands for the earlier.
        let restored_later = |f: &Found| {
            history
                .restored_as(f.thread)
                .is_some_and(|later| exact.iter().any(|g| g.thread == later))
        };
        exact
            .iter()
            .filter(|f| !restored_later(f))
            .cloned()
            .collect()
    }

    /// The thread that bears an id, as last seen.
    fn by_id(&self, thread: usize, query: &str) -> Found {
        let history = self.history;
        let states = history.states_of(thread);
        let (first, last) = (states[0].0, states[states.len() - 1].0);
        let year = |k: usize, end: bool| {
            history.state_date(k).map_or(0, |d| {
                if end {
                    d.latest().year()
                } else {
                    d.earliest().year()
                }
            })
        };
        Found {
            thread,
            matched: query.to_string(),
            unit: states[states.len() - 1].1.clone(),
            years: (
                year(first, false),
                (!history.lasts(thread)).then(|| year(last, true)),
            ),
            score: 1.0,
        }
    }

    /// Every thread by each of its names, folded.
    fn names(&self) -> &FxHashMap<String, Vec<usize>> {
        self.by_name.get_or_init(|| {
            let mut by_name: FxHashMap<String, Vec<usize>> = FxHashMap::default();
            for thread in 0..self.history.len() {
                for (name, ..) in names_of(self.history, thread) {
                    let threads = by_name.entry(fold(&name)).or_default();
                    if threads.last() != Some(&thread) {
                        threads.push(thread);
                    }
                }
            }
            by_name
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_rank_exact_then_word_starts_then_substrings() {
        assert_eq!(score("HSI-Intel", "hsi intel"), Some(1.0));
        assert_eq!(score("Office of Intelligence", "intel"), Some(0.9));
        assert_eq!(score("Counterintelligence", "intel"), Some(0.7));
        assert_eq!(score("Finance", "intel"), None);
    }
}

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
/// the start of a word of the name 0.9; a substring 0.7; else, when every
/// query word is a close spelling of a word of the name (Jaro-Winkler
/// ≥ 0.9), scaled down from the worst of them. Word by word, so that two
/// long names sharing their first word ("International ...") are not
/// taken for each other.
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
    let closest = |q: &str| {
        words
            .iter()
            .map(|w| strsim::jaro_winkler(w, q))
            .fold(0.0, f64::max)
    };
    let worst = query.split(' ').map(closest).fold(1.0, f64::min);
    (worst >= 0.9).then_some(0.6 * worst)
}

/// How a thread went by a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Use {
    /// As its name or acronym.
    Name,
    /// As one of its other names.
    Alias,
    /// As its id: matched only exactly.
    Id,
}

/// A name a thread went by and the run of its states that used it, as
/// indices into [`History::states_of`].
struct NameUse {
    name: String,
    how: Use,
    first: usize,
    last: usize,
}

/// The names a thread went by, each with the states it was used in. An
/// alias that is also a name or acronym counts with the name, not with the
/// later states that remember it as a former name.
fn names_of(states: &[(usize, UnitSide)], aliases: &[Vec<String>]) -> Vec<NameUse> {
    let mut uses: Vec<NameUse> = Vec::new();
    let mut record = |name: &str, how: Use, i: usize| match uses
        .iter_mut()
        .find(|u| u.how == how && u.name == name)
    {
        Some(u) => u.last = i,
        None => uses.push(NameUse {
            name: name.to_string(),
            how,
            first: i,
            last: i,
        }),
    };
    for (i, ((_, unit), aliases)) in states.iter().zip(aliases).enumerate() {
        record(&unit.name, Use::Name, i);
        if let Some(acronym) = &unit.acronym {
            record(acronym, Use::Name, i);
        }
        record(&unit.id, Use::Id, i);
        for alias in aliases {
            record(alias, Use::Alias, i);
        }
    }
    let names: Vec<String> = uses
        .iter()
        .filter(|u| u.how == Use::Name)
        .map(|u| u.name.clone())
        .collect();
    uses.retain(|u| u.how != Use::Alias || !names.contains(&u.name));
    uses
}

/// The years a thread's states `first..=last` (indices into its states)
/// span: from the year of the first one's earliest day to the year of the
/// day before the next state begins, since the unit lived on as it was
/// until then; no end while the last one is the thread's last and the
/// thread lasts into the latest state.
fn years_of(
    history: &History,
    thread: usize,
    states: &[(usize, UnitSide)],
    first: usize,
    last: usize,
) -> (i32, Option<i32>) {
    let start = history
        .state_date(states[first].0)
        .map_or(0, |d| d.earliest().year());
    if last + 1 == states.len() && history.lasts(thread) {
        return (start, None);
    }
    // The thread is in no later state, or in a later one under another
    // name: either way the next state of the history exists.
    let end = history.state_date(states[last].0 + 1).map(|d| {
        let next = d.earliest();
        next.pred_opt().unwrap_or(next).year()
    });
    (start, end)
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
/// its names, or its id.
fn found_in(history: &History, thread: usize, query: &str, q: &str) -> Option<Found> {
    let states = history.states_of(thread);
    let uses = names_of(&states, &history.aliases_by_state(thread));
    let (score, best) = uses
        .iter()
        .filter_map(|u| {
            let s = match u.how {
                Use::Id => (u.name == query).then_some(1.0),
                Use::Name | Use::Alias => score(&u.name, q),
            };
            s.map(|s| (s, u))
        })
        .max_by(|(sa, a), (sb, b)| {
            sa.total_cmp(sb)
                .then(b.how.cmp(&a.how))
                .then(b.first.cmp(&a.first))
        })?;
    Some(Found {
        thread,
        matched: best.name.clone(),
        unit: states[best.last].1.clone(),
        years: years_of(history, thread, &states, best.first, best.last),
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
    /// A resolver with nothing indexed yet.
    pub fn new(history: &'h History<'d>) -> Resolver<'h, 'd> {
        Resolver {
            history,
            by_name: OnceCell::new(),
        }
    }

    /// The history it looks in.
    pub fn history(&self) -> &'h History<'d> {
        self.history
    }

    /// The answer of [`resolve`].
    pub fn resolve(&self, query: &str) -> Vec<Found> {
        let history = self.history;
        if let Some(thread) = history.thread_with_id(query) {
            let states = history.states_of(thread);
            let last = states.len() - 1;
            return vec![Found {
                thread,
                matched: query.to_string(),
                unit: states[last].1.clone(),
                years: years_of(history, thread, &states, 0, last),
                score: 1.0,
            }];
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
        // A unit gone and re-established under its id is one unit: its
        // later life stands for the earlier.
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

    /// Every thread by each of its names, acronyms and aliases, folded.
    fn names(&self) -> &FxHashMap<String, Vec<usize>> {
        self.by_name.get_or_init(|| {
            let history = self.history;
            let mut by_name: FxHashMap<String, Vec<usize>> = FxHashMap::default();
            for thread in 0..history.len() {
                let states = history.states_of(thread);
                for u in names_of(&states, &history.aliases_by_state(thread)) {
                    if u.how == Use::Id {
                        continue;
                    }
                    let threads = by_name.entry(fold(&u.name)).or_default();
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

    /// The resolver answers as the one-query rule does: every thread whose
    /// best score is exact, the earlier life of a restored unit left out.
    #[test]
    fn the_resolver_answers_as_a_scan_does() {
        let dataset = crate::load::load(None).expect("the embedded dataset loads");
        let history = History::build(&dataset);
        let scan = |query: &str| -> Vec<Found> {
            if let Some(thread) = history.thread_with_id(query) {
                return Resolver::new(&history)
                    .resolve(query)
                    .into_iter()
                    .filter(|f| f.thread == thread)
                    .collect();
            }
            let exact: Vec<Found> = find(&history, query)
                .into_iter()
                .filter(|f| f.score >= 1.0)
                .collect();
            let restored_later = |f: &Found| {
                (history.restored_as(f.thread))
                    .is_some_and(|later| exact.iter().any(|g| g.thread == later))
            };
            exact
                .iter()
                .filter(|f| !restored_later(f))
                .cloned()
                .collect()
        };
        let mut queries: Vec<String> = dataset
            .snapshots()
            .iter()
            .flat_map(super::super::observation::Observation::all_units)
            .flat_map(|u| {
                [u.name.to_lowercase(), u.id.clone()]
                    .into_iter()
                    .chain(u.aliases.clone())
            })
            .collect();
        queries.extend([
            "Mission Support".into(),
            "nothing at all".into(),
            String::new(),
        ]);
        queries.sort();
        queries.dedup();
        let resolver = Resolver::new(&history);
        assert!(queries.len() > 100);
        for q in &queries {
            assert_eq!(resolver.resolve(q), scan(q), "{q}");
        }
    }

    #[test]
    fn close_spellings_match_word_by_word() {
        let misspelt = score("Office of Intelligence", "intellegence").unwrap();
        assert!(misspelt > 0.5 && misspelt < 0.7, "{misspelt}");
        assert_eq!(
            score(
                "International Operations",
                "international visitor s program"
            ),
            None,
            "a shared first word is not a match"
        );
    }
}

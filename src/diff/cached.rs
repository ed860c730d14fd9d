//! The links of a dataset's history as the cache keeps them
//! (`Content::Links`, see `cache.rs`): a command on a long history reads
//! how each state matches the next, and which units re-establish earlier
//! ones, instead of finding them all again.
//!
//! A step keeps its links and notes as matched, and its continuity as the
//! units where it departs from identity (a unit that does not continue the
//! unit with its id, or continues another one): most units keep their id,
//! and the pairs by id are found again (`Dataset::same_id_before`) for far
//! less than reading them would cost.

use std::ops::Range;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::step::{self, EventLink, Link, Side, Step};
use crate::cache::{Content, Slot};
use crate::dataset::Dataset;
use crate::state::UnitIx;

/// Steps `range` of a dataset's history (step `n` matches its state `n`
/// to state `n + 1`): read from the dataset's cache where it holds them,
/// else matched on all cores and then kept there.
pub(super) fn steps(dataset: &Dataset, range: Range<usize>) -> Vec<Step> {
    let Some(slot) = dataset.cache() else {
        return match_all(dataset, range);
    };
    let mut links = Links::read(slot, dataset.snapshots().len());
    let read_back: Vec<Option<Step>> = range
        .clone()
        .into_par_iter()
        .map(|n| links.steps[n].as_ref()?.to_step(dataset, n))
        .collect();
    if read_back.iter().all(Option::is_some) {
        return read_back.into_iter().flatten().collect();
    }
    let steps: Vec<Step> = range
        .clone()
        .into_par_iter()
        .zip(read_back)
        .map(|(n, step)| step.unwrap_or_else(|| step::match_dataset_step(dataset, n)))
        .collect();
    for (n, step) in range.zip(&steps) {
        links.steps[n] = Some(Kept::of(step, dataset.same_id_before(n)));
    }
    links.write(slot);
    steps
}

/// The restorations of a dataset's whole history, as pairs of threads
/// (later, earlier): read from the dataset's cache where it holds them and
/// each is `sound`, else found and then kept there.
pub(super) fn restorations(
    dataset: &Dataset,
    find: impl FnOnce() -> Vec<(usize, usize)>,
    sound: impl Fn(&(usize, usize)) -> bool,
) -> Vec<(usize, usize)> {
    let Some(slot) = dataset.cache() else {
        return find();
    };
    let mut links = Links::read(slot, dataset.snapshots().len());
    match links.restorations {
        Some(kept) if kept.iter().all(sound) => kept,
        _ => {
            let found = find();
            links.restorations = Some(found.clone());
            links.write(slot);
            found
        }
    }
}

/// Steps `range` of a dataset's history, matched on all cores.
fn match_all(dataset: &Dataset, range: Range<usize>) -> Vec<Step> {
    range
        .into_par_iter()
        .map(|n| step::match_dataset_step(dataset, n))
        .collect()
}

/// What the cache keeps of a dataset's history.
#[derive(Debug, Serialize, Deserialize)]
struct Links {
    /// Each step, once matched.
    steps: Vec<Option<Kept>>,
    /// The restorations of the whole history, once found.
    restorations: Option<Vec<(usize, usize)>>,
}

impl Links {
    /// What the cache holds of a history of `count` steps; nothing if it
    /// holds nothing sound.
    fn read(slot: &Slot, count: usize) -> Links {
        slot.read(Content::Links)
            .and_then(|body| postcard::from_bytes::<Links>(&body).ok())
            .filter(|links| links.steps.len() == count)
            .unwrap_or_else(|| Links {
                steps: (0..count).map(|_| None).collect(),
                restorations: None,
            })
    }

    fn write(&self, slot: &Slot) {
        if let Ok(body) = postcard::to_allocvec(self) {
            slot.write(Content::Links, &body);
        }
    }
}

/// A step as the cache keeps it.
#[derive(Debug, Serialize, Deserialize)]
struct Kept {
    /// Each unit of the later state (in index order) that does not
    /// continue the unit with its id, and what it continues instead.
    departures: Vec<(UnitIx, Option<UnitIx>)>,
    links: Vec<Link>,
    events: Vec<EventLink>,
    notes: Vec<(Side, UnitIx, String)>,
}

impl Kept {
    /// A step as kept; `same_id_before` the pairs by id of its states.
    fn of(step: &Step, same_id_before: &[Option<UnitIx>]) -> Kept {
        let departures = (step.continues.iter().zip(same_id_before).enumerate())
            .filter(|(_, (continues, same_id))| continues != same_id)
            .map(|(a, (&continues, _))| (UnitIx::new(a), continues))
            .collect();
        Kept {
            departures,
            links: step.links.clone(),
            events: step.events.clone(),
            notes: step.notes.clone(),
        }
    }

    /// Step `n` of the dataset's history, as it was kept; `None` if it
    /// names a unit or an event the dataset does not have (a damaged
    /// cache).
    fn to_step(&self, dataset: &Dataset, n: usize) -> Option<Step> {
        let same_id_before = dataset.same_id_before(n);
        let sizes = Sizes {
            sides: [dataset.state_after(n).len(), same_id_before.len()],
            events: dataset.events.len(),
        };
        if !self.fits(&sizes) {
            return None;
        }
        let mut continues = same_id_before.to_vec();
        for &(a, continued) in &self.departures {
            continues[a.index()] = continued;
        }
        Some(Step {
            interval: Some(step::interval(dataset, n)),
            continues,
            links: self.links.clone(),
            events: self.events.clone(),
            notes: self.notes.clone(),
        })
    }

    /// Whether every unit and event it names is within `sizes`.
    fn fits(&self, sizes: &Sizes) -> bool {
        let (before, after) = (
            |ix: &UnitIx| sizes.has(Side::Before, *ix),
            |ix: &UnitIx| sizes.has(Side::After, *ix),
        );
        let event = |e: &Option<usize>| e.is_none_or(|i| i < sizes.events);
        let departures =
            (self.departures.iter()).all(|(a, continued)| after(a) && continued.iter().all(before));
        let links =
            (self.links.iter()).all(|l| before(&l.before) && after(&l.after) && event(&l.event));
        let events = (self.events.iter())
            .all(|e| e.before.iter().all(before) && e.after.iter().all(after) && event(&e.event));
        let notes = (self.notes.iter()).all(|(side, ix, _)| sizes.has(*side, *ix));
        departures && links && events && notes
    }
}

/// How many units each state of a step has, and how many curated events
/// the dataset has.
struct Sizes {
    sides: [usize; 2],
    events: usize,
}

impl Sizes {
    fn has(&self, side: Side, ix: UnitIx) -> bool {
        ix.index() < self.sides[side as usize]
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::synth;

    /// The embedded history (curated events, scoped and partial
    /// snapshots) and a generated one (renames, moves, merges, splits,
    /// every id changed), each with a place in a cache under `dir`.
    fn histories(dir: &std::path::Path) -> Vec<Dataset> {
        let generated = Dataset::new(
            synth::rekeyed_years(),
            Vec::new(),
            BTreeMap::new(),
            String::new(),
        );
        let embedded = crate::load::load(None).expect("the embedded dataset loads");
        vec![embedded, generated, id_reused()]
            .into_iter()
            .enumerate()
            .map(|(i, d)| d.cached_in(Slot::in_dir(&dir.join(i.to_string()), 1)))
            .collect()
    }

    /// An id handed to a unit that shares nothing with its bearer: a note.
    fn id_reused() -> Dataset {
        let unit = synth::unit;
        let chart = |year: i32, a, b| {
            let root = unit(
                "org",
                "Organization",
                vec![unit("a", "Alpha Bureau", a), unit("b", "Beta Bureau", b)],
            );
            synth::snapshot(&year.to_string(), year, root)
        };
        let x = |name| vec![unit("x", name, Vec::new())];
        let snapshots = vec![
            chart(2000, Vec::new(), x("Xylophone Office")),
            chart(2001, x("Quartz Department"), Vec::new()),
        ];
        Dataset::new(snapshots, Vec::new(), BTreeMap::new(), String::new())
    }

    /// Every step of a history, kept and read back, is the step matched.
    #[test]
    fn steps_read_back_as_they_were_matched() {
        let dir = tempfile::tempdir().unwrap();
        // How many departures, links, event links and notes were kept.
        let mut seen = [0; 4];
        for dataset in histories(dir.path()) {
            let count = dataset.snapshots().len();
            let matched = match_all(&dataset, 0..count);
            let kept: Vec<Option<Kept>> = (matched.iter().enumerate())
                .map(|(n, step)| Some(Kept::of(step, dataset.same_id_before(n))))
                .collect();
            let bytes = postcard::to_allocvec(&kept).unwrap();
            let back: Vec<Option<Kept>> = postcard::from_bytes(&bytes).unwrap();
            let steps: Vec<Step> = (back.iter().enumerate())
                .map(|(n, k)| k.as_ref().unwrap().to_step(&dataset, n).expect("it fits"))
                .collect();
            for k in back.iter().flatten() {
                let counts = [k.departures.len(), k.links.len(), k.events.len()];
                for (s, c) in seen
                    .iter_mut()
                    .zip(counts.into_iter().chain([k.notes.len()]))
                {
                    *s += c;
                }
            }
            assert_eq!(steps, matched);
        }
        assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
    }

    /// The steps a chain matches are kept, those of a later chain added to
    /// them, and a body that does not read back, or does not fit the
    /// dataset, is ignored and replaced.
    #[test]
    fn steps_are_kept_added_to_and_replaced_when_unsound() {
        let dir = tempfile::tempdir().unwrap();
        for dataset in histories(dir.path()) {
            let slot = dataset.cache().unwrap();
            let count = dataset.snapshots().len();
            let matched = match_all(&dataset, 0..count);
            let held = || {
                let links = Links::read(slot, count);
                links.steps.iter().map(Option::is_some).collect::<Vec<_>>()
            };
            assert_eq!(steps(&dataset, 1..count), matched[1..]);
            assert_eq!(held(), (0..count).map(|n| n >= 1).collect::<Vec<_>>());
            assert_eq!(steps(&dataset, 0..count), matched);
            assert_eq!(held(), vec![true; count]);
            let links = |steps: Vec<Option<Kept>>| {
                let restorations = None;
                postcard::to_allocvec(&Links {
                    steps,
                    restorations,
                })
                .unwrap()
            };
            let beyond = || Kept {
                departures: vec![(UnitIx::new(1 << 30), None)],
                links: Vec::new(),
                events: Vec::new(),
                notes: Vec::new(),
            };
            let unsound = [
                b"not postcard".to_vec(),
                links(Vec::new()),
                links((0..count).map(|_| Some(beyond())).collect()),
            ];
            for body in unsound {
                slot.write(Content::Links, &body);
                assert_eq!(steps(&dataset, 0..count), matched);
                assert_eq!(held(), vec![true; count]);
            }
        }
    }

    /// Restorations are found once and kept beside the steps; kept ones
    /// that are not sound are found again.
    #[test]
    fn restorations_are_kept_and_found_again_when_unsound() {
        let dir = tempfile::tempdir().unwrap();
        let dataset = histories(dir.path()).remove(1);
        let count = dataset.snapshots().len();
        let found = std::cell::Cell::new(0);
        let find = || {
            found.set(found.get() + 1);
            vec![(2, 1), (5, 3)]
        };
        assert_eq!(restorations(&dataset, find, |_| true), [(2, 1), (5, 3)]);
        assert_eq!(restorations(&dataset, find, |_| true), [(2, 1), (5, 3)]);
        assert_eq!(found.get(), 1);
        assert_eq!(steps(&dataset, 0..count).len(), count);
        assert_eq!(restorations(&dataset, find, |_| true), [(2, 1), (5, 3)]);
        assert_eq!(found.get(), 1, "kept beside the steps");
        let below_4 = |&(later, _): &(usize, usize)| later < 4;
        assert_eq!(restorations(&dataset, find, below_4), [(2, 1), (5, 3)]);
        assert_eq!(found.get(), 2);
    }
}

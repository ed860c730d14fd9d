//! Histories with a known truth: two versions of a realistic agency (many
//! shared names, descriptions and acronyms) with every kind of change
//! planted (`plant.rs`) and recorded.

mod draft;
mod plant;
mod words;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{initials, Rng, QUALIFIERS};
use crate::diff::{Change, UnitSide};
use crate::model::{ChangeKind, Unit};
use draft::{Draft, Name};
use words::{join_and, LEVELS, SUFFIXES, TOPICS};

/// A change planted by [`history`], in terms of ids: `from` in
/// [`TwoVersions::before`], `to` in [`TwoVersions::after`]. A unit renamed and
/// moved at once has one change of each kind; a merge, absorption, split or
/// spin-off also records each sub-unit it carried to a new parent as
/// `moved` (with `carried` set), since its parent is no longer the same
/// unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrueChange {
    pub kind: ChangeKind,
    pub from: Vec<String>,
    pub to: Vec<String>,
    /// A sub-unit that changed parent only because its parent was merged,
    /// absorbed, split or spun off.
    pub carried: bool,
}

/// Two versions of an organization and what changed between them.
#[derive(Debug, Clone)]
pub struct TwoVersions {
    pub before: Unit,
    pub after: Unit,
    pub truth: Vec<TrueChange>,
}

/// How many changes of each kind [`history`] plants, as a fraction of the
/// organization's size (0.01 on 10,000 units: 100 changes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Churn {
    pub renamed: f64,
    pub moved: f64,
    /// Renamed and moved at once.
    pub renamed_and_moved: f64,
    pub merged: f64,
    pub absorbed: f64,
    pub split: f64,
    pub spun_off: f64,
    pub established: f64,
    pub abolished: f64,
}

impl Churn {
    /// About `percent` changes per 100 units: a quarter renames, a fifth
    /// moves or renames-and-moves, a fifth merges, absorptions, splits and
    /// spin-offs, a third units established or abolished.
    pub fn percent(percent: f64) -> Churn {
        let f = percent / 100.0;
        Churn {
            renamed: 0.24 * f,
            moved: 0.16 * f,
            renamed_and_moved: 0.06 * f,
            merged: 0.05 * f,
            absorbed: 0.05 * f,
            split: 0.05 * f,
            spun_off: 0.05 * f,
            established: 0.17 * f,
            abolished: 0.17 * f,
        }
    }
}

/// Plants one change in a draft; false when the unit drawn does not fit.
type Planter = fn(&mut Draft) -> bool;

/// The keys of a reported change as the truth has them: one for each way
/// a unit that continues changed (its aspects), and one `moved` for each
/// sub-unit a change carried along; a unit first or last seen counts as
/// established or abolished (the generator plants no sources to tell them
/// apart).
pub fn truth_keys(c: &Change) -> Vec<(ChangeKind, Vec<String>, Vec<String>)> {
    let ids = |units: Vec<&UnitSide>| units.iter().map(|u| u.id.clone()).collect::<Vec<_>>();
    let (from, to) = (ids(c.principal_from()), ids(c.principal_to()));
    // A sub-unit the change carried along is a move of its own in the
    // truth, as `TrueChange` records it.
    let carried = (c.parts.iter().filter(|p| c.carries(p))).map(|p| {
        let (a, b) = (&c.from[p.from], &c.to[p.to]);
        (ChangeKind::Moved, vec![a.id.clone()], vec![b.id.clone()])
    });
    c.aspects
        .iter()
        .map(|&aspect| match aspect {
            ChangeKind::Appeared => ChangeKind::Established,
            ChangeKind::Disappeared => ChangeKind::Abolished,
            kind => kind,
        })
        .map(|kind| (kind, from.clone(), to.clone()))
        .chain(carried)
        .collect()
}

/// An agency of `size` units and a later version of it with the changes of
/// `churn` planted, ids kept where units continue (new units get `n…`
/// ids). Deterministic for a seed.
///
/// The agency is five to eight levels deep with 2 to 9 sub-units a unit;
/// a quarter of the units below the directorates have shared names
/// ("Operations Section"), the others a topic and often a qualifier
/// ("Northern Fraud Section"). Most units have a description, some an
/// acronym.
///
/// Changes touch disjoint units (a unit, its parent and the sub-units a
/// change moves take part in one change only), and only changes that leave
/// evidence are planted: renamed and moved units have a description or
/// sub-units; moved units have distinctive names; absorbed
/// units and the sources of spin-offs have sub-units. Renames reword a
/// name (a qualifier replaced, added or dropped, a topic added, the kind
/// word changed) and update its acronym, but keep the unit's `kind`.
pub fn history(seed: u64, size: usize, churn: &Churn) -> TwoVersions {
    let mut draft = Draft::agency(seed, size);
    let before = draft.tree();
    let count = |rate: f64| (rate * size as f64).round() as usize;
    let plan: [(usize, Planter); 9] = [
        (count(churn.merged), Draft::plant_merged),
        (count(churn.absorbed), Draft::plant_absorbed),
        (count(churn.split), Draft::plant_split),
        (count(churn.spun_off), Draft::plant_spun_off),
        (count(churn.moved), |d| d.plant_moved(false)),
        (count(churn.renamed_and_moved), |d| d.plant_moved(true)),
        (count(churn.renamed), Draft::plant_renamed),
        (count(churn.established), Draft::plant_established),
        (count(churn.abolished), Draft::plant_abolished),
    ];
    for (n, plant) in plan {
        for _ in 0..n {
            (0..20).any(|_| plant(&mut draft));
        }
    }
    TwoVersions {
        before,
        after: draft.tree(),
        truth: draft.truth,
    }
}

impl TwoVersions {
    /// Gives every unit of `after` a fresh id (`k` and a shuffled number)
    /// and rewrites the truth to match.
    pub fn rekey(&mut self, seed: u64) {
        let mut rng = Rng::new(seed);
        let mut ids: Vec<String> = self.after.walk().iter().map(|u| u.id.clone()).collect();
        let mut numbers: Vec<usize> = (0..ids.len()).collect();
        for i in (1..numbers.len()).rev() {
            numbers.swap(i, rng.below(i + 1));
        }
        let fresh: HashMap<String, String> = ids
            .drain(..)
            .zip(numbers)
            .map(|(id, n)| (id, format!("k{n}")))
            .collect();
        rekey_tree(&mut self.after, &fresh);
        for change in &mut self.truth {
            for id in &mut change.to {
                *id = fresh[id.as_str()].clone();
            }
        }
    }
}

/// How many changes of a kind a [`TwoVersions`] planted, how many a diff
/// reported, and how many of those it got right.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub expected: usize,
    pub reported: usize,
    pub correct: usize,
}

impl Tally {
    /// Correct among reported; 1 when none were reported.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.reported)
    }

    /// Correct among expected; 1 when none were expected.
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.expected)
    }

    /// Sums two tallies (of two histories, say).
    pub fn add(&mut self, other: Tally) {
        self.expected += other.expected;
        self.reported += other.reported;
        self.correct += other.correct;
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        1.0
    } else {
        n as f64 / d as f64
    }
}

impl TwoVersions {
    /// Compares reported changes, each as (kind, ids before, ids after),
    /// with the truth, per kind: a change is correct when the truth has
    /// one of the same kind with the same ids on each side, in any order.
    pub fn score(
        &self,
        reported: impl IntoIterator<Item = (ChangeKind, Vec<String>, Vec<String>)>,
    ) -> BTreeMap<ChangeKind, Tally> {
        let key = |kind: ChangeKind, mut from: Vec<String>, mut to: Vec<String>| {
            from.sort();
            to.sort();
            (kind, from, to)
        };
        let expected: BTreeSet<_> = self
            .truth
            .iter()
            .map(|t| key(t.kind, t.from.clone(), t.to.clone()))
            .collect();
        let reported: BTreeSet<_> = reported
            .into_iter()
            .map(|(kind, from, to)| key(kind, from, to))
            .collect();
        let mut tallies: BTreeMap<ChangeKind, Tally> = Default::default();
        for k in &expected {
            tallies.entry(k.0).or_default().expected += 1;
        }
        for k in &reported {
            let tally = tallies.entry(k.0).or_default();
            tally.reported += 1;
            tally.correct += usize::from(expected.contains(k));
        }
        tallies
    }
}

fn rekey_tree(unit: &mut Unit, fresh: &HashMap<String, String>) {
    unit.id = fresh[unit.id.as_str()].clone();
    for child in unit.units.iter_mut().flatten() {
        rekey_tree(child, fresh);
    }
}

//! What changed between two dates.
//!
//! [`diff`] walks the states at every snapshot date between FROM and TO,
//! matches each state to the next (`step`: identity, then curated events,
//! then inference, `infer`), and composes the chain into net changes from FROM
//! to TO (`compose`), naming the intermediate steps (`via`) where they
//! matter. The result is one [`Diff`] value that every renderer reads.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::date::{Date, Day};
use crate::model::ChangeKind;
use crate::state::{OrgState, UnitIx};

mod cached;
mod chain;
mod compose;
mod continuity;
pub mod history;
// The matcher alone is public to this package's inference example, under
// the dev-only `synth` feature; a library user diffs with [`diff`] or
// [`diff_states`].
#[cfg(feature = "synth")]
#[doc(hidden)]
pub mod infer;
#[cfg(not(feature = "synth"))]
#[allow(unreachable_pub)] // public under `synth`
mod infer;
mod step;
mod threads;

/// How a change is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The same id on both sides.
    Identity,
    /// A curated event from `events.ron`.
    Curated,
    /// Inferred from names, acronyms and structure.
    Inferred,
    /// Seen in the snapshots and nothing more: a unit first or last
    /// documented there, with no event saying it began or ended.
    Observed,
}

impl Basis {
    /// The name used in JSON and CSV (`identity`, `curated`...).
    pub fn name(self) -> &'static str {
        match self {
            Basis::Identity => "identity",
            Basis::Curated => "curated",
            Basis::Inferred => "inferred",
            Basis::Observed => "observed",
        }
    }
}

/// A unit as it was on one side of a change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct UnitSide {
    /// Its id on that side.
    pub id: String,
    /// Its name on that side.
    pub name: String,
    /// Its acronym on that side, if it had one.
    pub acronym: Option<String>,
    /// Its kind (office, division...) on that side, if given.
    pub kind: Option<String>,
    /// The parent's id; `None` for a top-level unit.
    pub parent: Option<String>,
    /// The parent's name and acronym, for readers.
    pub parent_name: Option<String>,
    /// The parent's acronym, if it had one.
    pub parent_acronym: Option<String>,
}

impl UnitSide {
    /// The unit `ix` of `state`, as it stands there.
    pub fn of(state: &OrgState, ix: UnitIx) -> UnitSide {
        let u = state.unit(ix);
        let parent = state.parent(ix).map(|p| state.unit(p));
        UnitSide {
            id: u.id.clone(),
            name: u.name.clone(),
            acronym: u.acronym.clone(),
            kind: u.kind.clone(),
            parent: parent.map(|p| p.id.clone()),
            parent_name: parent.map(|p| p.name.clone()),
            parent_acronym: parent.and_then(|p| p.acronym.clone()),
        }
    }

    /// "Name (ACRONYM)", or the name alone.
    pub fn label(&self) -> String {
        crate::model::label(&self.name, self.acronym.as_deref())
    }
}

/// What an observation of a unit first or last seen is worth: the
/// snapshots show when it was documented, not when it began or ended, so
/// it is as likely as not that it did so in the interval.
pub(crate) const OBSERVED_CONFIDENCE: f64 = 0.5;

/// An intermediate step of a change: the unit as it became at a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Via {
    /// What the step was, told as one change (see [`Change::kind`]).
    pub kind: ChangeKind,
    /// Every way the unit changed in the step (see [`Change::aspects`]).
    pub aspects: Vec<ChangeKind>,
    /// When the step happened, as [`Change::date`].
    pub date: Option<Date>,
    /// The unit after the step.
    pub unit: UnitSide,
}

/// One unit on both sides of a change: its index in `from` and in `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Part {
    /// Index into [`Change::from`].
    pub from: usize,
    /// Index into [`Change::to`].
    pub to: usize,
}

/// One change from FROM to TO: one story, as a reader tells it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The kind the story is told by. For a unit that continues, the first
    /// of its aspects in the order renamed, moved, redesignated, recoded.
    pub kind: ChangeKind,
    /// Every way the unit changed, for a unit that continues (renamed,
    /// moved, redesignated, recoded, in that order); for any other change,
    /// its kind alone.
    pub aspects: Vec<ChangeKind>,
    /// The units before, as they were at FROM (or when the change began).
    pub from: Vec<UnitSide>,
    /// The units after, as they are at TO (or when the change ended).
    pub to: Vec<UnitSide>,
    /// Units on both sides of a change between several: the unit that
    /// continues through a split or spin-off, parts that live on through
    /// an absorption or merger (folded in) or a split or spin-off
    /// (promoted out), and sub-units it carried along (see
    /// [`Change::carries`]). Empty for a unit that continues on its own.
    pub parts: Vec<Part>,
    /// The outside body of a transfer.
    pub external: Option<String>,
    /// The curated date, or the interval between the two observations; `None`
    /// when the states compared are undated.
    pub date: Option<Date>,
    /// How the change is known.
    pub basis: Basis,
    /// In [0, 1].
    pub confidence: f64,
    /// Why the change is believed, in sentences a person can read.
    pub evidence: Vec<String>,
    /// Keys of the sources cited.
    pub sources: Vec<String>,
    /// Intermediate steps between FROM and TO.
    pub via: Vec<Via>,
    /// The top-level unit the change concerns (a child of the root, or of
    /// the unit a diff is narrowed to), as it is at TO, else at FROM: what
    /// a reader groups changes under. `None` where no grouping was asked
    /// for (a lineage's changes) or the units are in neither state.
    /// Shared by the changes of one area.
    pub area: Option<Arc<UnitSide>>,
}

impl Change {
    /// Whether a part is a sub-unit the change carried along, rather than
    /// one of the units it folds in or divides: in an absorption or
    /// merger, a unit that sat directly under a unit of `from` (a branch
    /// of an office folded into a directorate, now under the directorate);
    /// in a split or spin-off, one that now sits directly under a unit of
    /// `to`. Its move is part of the change.
    pub fn carries(&self, part: &Part) -> bool {
        let under = |units: &[UnitSide], u: &UnitSide| {
            u.parent
                .as_deref()
                .is_some_and(|p| units.iter().any(|o| o.id == p))
        };
        match self.kind {
            ChangeKind::Merged | ChangeKind::Absorbed => under(&self.from, &self.from[part.from]),
            ChangeKind::Split | ChangeKind::SpunOff => under(&self.to, &self.to[part.to]),
            _ => false,
        }
    }

    /// The sub-units the change carried along, as they are at TO.
    pub fn carried(&self) -> Vec<&UnitSide> {
        let parts = self.parts.iter().filter(|p| self.carries(p));
        parts.map(|p| &self.to[p.to]).collect()
    }

    /// The units of `from` that the change folds in, divides or carves
    /// out of: all but the sub-units it carried along.
    pub fn principal_from(&self) -> Vec<&UnitSide> {
        self.principal(&self.from, |p| p.from)
    }

    /// The units of `to` that the change leads to: all but the sub-units
    /// it carried along.
    pub fn principal_to(&self) -> Vec<&UnitSide> {
        self.principal(&self.to, |p| p.to)
    }

    /// The pairs of units the change maps, for a crosswalk: a unit on both
    /// sides (see [`Change::parts`]) to itself; every other unit before to
    /// every other unit after, or, when one side has no other unit, to
    /// every unit on the other side but the sub-units carried along (a
    /// unit split off the one that continues came from it). `None` stands
    /// for no unit: the outside body of a transfer, or nothing.
    pub fn pairs(&self) -> Vec<(Option<&UnitSide>, Option<&UnitSide>)> {
        let mut out: Vec<(Option<&UnitSide>, Option<&UnitSide>)> = (self.parts.iter())
            .map(|p| (Some(&self.from[p.from]), Some(&self.to[p.to])))
            .collect();
        let rest = |units: &'_ [UnitSide], index: fn(&Part) -> usize| -> Vec<usize> {
            (0..units.len())
                .filter(|&i| !self.parts.iter().any(|p| index(p) == i))
                .collect()
        };
        let (rest_from, rest_to) = (rest(&self.from, |p| p.from), rest(&self.to, |p| p.to));
        if rest_from.is_empty() && rest_to.is_empty() {
            return out;
        }
        let froms = widened(&rest_from, &self.from, self.principal_from());
        let tos = widened(&rest_to, &self.to, self.principal_to());
        for f in &froms {
            for t in &tos {
                out.push((*f, *t));
            }
        }
        out
    }

    fn principal<'a>(&self, units: &'a [UnitSide], index: fn(&Part) -> usize) -> Vec<&'a UnitSide> {
        let carried: Vec<usize> = (self.parts.iter())
            .filter(|p| self.carries(p))
            .map(index)
            .collect();
        (0..units.len())
            .filter(|i| !carried.contains(i))
            .map(|i| &units[i])
            .collect()
    }
}

/// The units left on one side of a change once its parts are paired
/// (`rest`, indices into `units`); when none is, the `principal` units of
/// that side, or no unit at all.
fn widened<'a>(
    rest: &[usize],
    units: &'a [UnitSide],
    principal: Vec<&'a UnitSide>,
) -> Vec<Option<&'a UnitSide>> {
    match (rest.is_empty(), principal.is_empty()) {
        (false, _) => rest.iter().map(|&i| Some(&units[i])).collect(),
        (true, true) => vec![None],
        (true, false) => principal.into_iter().map(Some).collect(),
    }
}

/// One end of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// The date as the user gave it.
    pub date: String,
    /// The day it stands for (the last day of a partial date).
    pub day: Option<Day>,
    /// The snapshots the state is assembled from.
    pub snapshots: Vec<String>,
    /// Those among them whose date range straddles the day: they may not
    /// have been in force yet.
    pub possibly: Vec<String>,
}

/// The changes between two dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The earlier date and the snapshots it rests on.
    pub from: Endpoint,
    /// The later date and the snapshots it rests on.
    pub to: Endpoint,
    /// In the order [`sort_changes`] puts them.
    pub changes: Vec<Change>,
}

impl Diff {
    /// The kinds present, in the taxonomy's order, with how many changes
    /// of each.
    pub fn counts(&self) -> Vec<(ChangeKind, usize)> {
        ChangeKind::ALL
            .iter()
            .map(|&k| (k, self.changes.iter().filter(|c| c.kind == k).count()))
            .filter(|&(_, n)| n > 0)
            .collect()
    }
}

/// Sorts changes into reading order: by the first day each may have
/// happened on (an open start, "no later than X", first of all), then the
/// last, then kind, then the units on each side.
pub fn sort_changes(changes: &mut [Change]) {
    let date = |c: &Change| c.date.as_ref().map(|d| (d.earliest(), d.latest()));
    changes.sort_by(|a, b| {
        date(a)
            .cmp(&date(b))
            .then(a.kind.cmp(&b.kind))
            .then_with(|| a.from.cmp(&b.from))
            .then_with(|| a.to.cmp(&b.to))
    });
}

/// What to keep of a diff.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only changes touching this unit's subtree on either side (an id).
    pub under: Option<String>,
    /// Only changes with one of these kinds among their aspects (all when
    /// empty): `moved` keeps a unit renamed and moved.
    pub kinds: Vec<ChangeKind>,
    /// Only changes at least this confident.
    pub min_confidence: f64,
}

/// Why a diff could not be computed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DiffError {
    /// FROM is a later day than TO.
    #[error("FROM ({from}) is after TO ({to}); give the earlier date first")]
    Backwards {
        /// The first day asked for.
        from: Day,
        /// The second, earlier, day asked for.
        to: Day,
    },
}

/// The changes between the end of day `from` and the end of day `to`
/// that the filter keeps. `from_text` and `to_text` are the dates as the
/// user wrote them.
pub fn diff(
    dataset: &Dataset,
    (from_text, from): (&str, Day),
    (to_text, to): (&str, Day),
    filter: &Filter,
) -> Result<Diff, DiffError> {
    if from > to {
        return Err(DiffError::Backwards { from, to });
    }
    let chain = chain::Chain::build(dataset, from, to);
    let mut changes = compose::net_changes(&chain, dataset);
    filter.apply(&mut changes, chain.first(), chain.last());
    set_areas(
        &mut changes,
        chain.first(),
        chain.last(),
        filter.under.as_deref(),
    );
    Ok(Diff {
        from: endpoint(dataset, from_text, from, chain.first()),
        to: endpoint(dataset, to_text, to, chain.last()),
        changes,
    })
}

/// One end of a diff: the date as the user wrote it (`text`), the day it
/// stands for, and the snapshots `state`, the state at that day, is
/// assembled from.
pub(crate) fn endpoint(dataset: &Dataset, text: &str, day: Day, state: &OrgState) -> Endpoint {
    let contributions = state.contributions(dataset.snapshots(), day);
    let ids = |possibly_only: bool| {
        contributions
            .iter()
            .filter(|c| c.possibly || !possibly_only)
            .map(|c| dataset.snapshots()[c.snapshot].id.clone())
            .collect()
    };
    Endpoint {
        date: text.to_string(),
        day: Some(day),
        snapshots: ids(false),
        possibly: ids(true),
    }
}

/// The changes of each step between the end of day `from` and the end of
/// day `to` (not composed into net changes), that the filter keeps.
pub fn changes_by_step(dataset: &Dataset, from: Day, to: Day, filter: &Filter) -> Vec<Change> {
    let chain = chain::Chain::build(dataset, from, to);
    let mut changes = step_changes(&chain, dataset);
    filter.apply(&mut changes, chain.first(), chain.last());
    set_areas(
        &mut changes,
        chain.first(),
        chain.last(),
        filter.under.as_deref(),
    );
    changes
}

/// Every change of the history that may have happened after the end of day
/// `from` and by the end of day `to`, by its own date, that the filter
/// keeps (`under` as at those two days). A change is placed by its date, not
/// by the snapshots around it: a curated event can date a change long
/// before the snapshot that first shows it.
pub(crate) fn changes_dated(dataset: &Dataset, from: Day, to: Day, filter: &Filter) -> Vec<Change> {
    let chain = chain::Chain::build(dataset, Day::MIN, Day::MAX);
    let mut changes = step_changes(&chain, dataset);
    changes.retain(|c| {
        c.date
            .as_ref()
            .is_none_or(|d| d.latest() > from && d.earliest() <= to)
    });
    let (first, last) = (dataset.state_at(from), dataset.state_at(to));
    filter.apply(&mut changes, first, last);
    // A unit in neither end of the period is placed as it ends up.
    let latest = dataset.latest_state();
    let under = filter.under.as_deref();
    let (mut areas, mut as_it_ends) = (
        Areas::new(first, last, under),
        Areas::new(latest, latest, under),
    );
    for c in &mut changes {
        c.area = areas.of(c).or_else(|| as_it_ends.of(c));
    }
    sort_changes(&mut changes);
    changes
}

/// The changes of each step of a chain, step by step.
fn step_changes(chain: &chain::Chain, dataset: &Dataset) -> Vec<Change> {
    let threads = threads::Threads::build(chain);
    (0..chain.steps.len())
        .flat_map(|k| {
            let from = chain.from.filter(|_| k == 0);
            compose::changes_between(chain, dataset, &threads, from, (k, k + 1))
        })
        .collect()
}

/// The changes between two states of unknown date (for instance two
/// imported charts), by identity and inference alone.
pub fn diff_states(before: &OrgState, after: &OrgState) -> Diff {
    let chain = chain::Chain::of_two(before, after);
    let endpoint = |name: &str| Endpoint {
        date: name.to_string(),
        day: None,
        snapshots: Vec::new(),
        possibly: Vec::new(),
    };
    let mut changes = compose::net_changes(&chain, &Dataset::empty());
    set_areas(&mut changes, before, after, None);
    Diff {
        from: endpoint("before"),
        to: endpoint("after"),
        changes,
    }
}

/// Sets the area of each change (see [`Change::area`]) from the states
/// at FROM and TO.
fn set_areas(changes: &mut [Change], first: &OrgState, last: &OrgState, under: Option<&str>) {
    let mut areas = Areas::new(first, last, under);
    for c in changes {
        c.area = areas.of(c);
    }
}

/// The areas of changes between two states: the unit just below `under`
/// (an id; the top when `None`) on the way to a change's first unit found
/// at TO in the later state, else at FROM in the earlier. Each is made
/// once and shared.
struct Areas<'s> {
    first: &'s OrgState,
    last: &'s OrgState,
    under: Option<&'s str>,
    /// By (found in the later state, unit).
    made: HashMap<(bool, UnitIx), Arc<UnitSide>>,
}

impl<'s> Areas<'s> {
    fn new(first: &'s OrgState, last: &'s OrgState, under: Option<&'s str>) -> Areas<'s> {
        Areas {
            first,
            last,
            under,
            made: HashMap::new(),
        }
    }

    fn of(&mut self, c: &Change) -> Option<Arc<UnitSide>> {
        let (in_last, top) =
            c.to.iter()
                .find_map(|u| self.top(self.last, u).map(|t| (true, t)))
                .or_else(|| {
                    c.from
                        .iter()
                        .find_map(|u| self.top(self.first, u).map(|t| (false, t)))
                })?;
        let state = if in_last { self.last } else { self.first };
        let area = self
            .made
            .entry((in_last, top))
            .or_insert_with(|| Arc::new(UnitSide::of(state, top)));
        Some(Arc::clone(area))
    }

    /// The unit just below the base on the way to `unit` in `state`, or
    /// the base itself.
    fn top(&self, state: &OrgState, unit: &UnitSide) -> Option<UnitIx> {
        let ix = state.find(&unit.id)?;
        let mut chain = vec![ix];
        chain.extend(state.ancestors(ix));
        let base = match self.under {
            Some(id) => chain.iter().position(|&a| state.unit(a).id == id)?,
            None => chain.len() - 1,
        };
        Some(chain[base.saturating_sub(1)])
    }
}

impl Filter {
    /// Keeps the changes the filter asks for; `under` is looked up by id in
    /// the two end states.
    fn apply(&self, changes: &mut Vec<Change>, first: &OrgState, last: &OrgState) {
        let subtree_ids = |state: &OrgState| -> HashSet<String> {
            self.under
                .as_deref()
                .and_then(|id| state.find(id))
                .map(|root| {
                    state
                        .subtree(root)
                        .into_iter()
                        .map(|(ix, _)| state.unit(ix).id.clone())
                        .collect()
                })
                .unwrap_or_default()
        };
        let (before_ids, after_ids) = (subtree_ids(first), subtree_ids(last));
        changes.retain(|c| {
            let in_scope = self.under.is_none()
                || c.from.iter().any(|u| before_ids.contains(&u.id))
                || c.to.iter().any(|u| after_ids.contains(&u.id));
            let kind_ok = self.kinds.is_empty() || c.aspects.iter().any(|a| self.kinds.contains(a));
            in_scope && kind_ok && c.confidence >= self.min_confidence
        });
    }
}

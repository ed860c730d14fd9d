//! Crosswalks: for every unit at FROM, what it is at TO, with shares.
//!
//! A crosswalk reads the diff. What became of a unit — its [`Relation`] —
//! comes from the net changes from FROM to TO that start from it, as
//! `diff FROM TO` composes them (one place,
//! `relation_of`, turns a kind of change into a relation), and from the
//! history's restorations. Where its data goes — its [`Part`]s — comes
//! from following the history forward from it (`walk`): a unit that
//! lasts to TO keeps its whole share; one that ends passes its share on
//! through the links it ends in (divided among the parts of a split,
//! equally unless a [`Shares`] table says otherwise), until every share
//! reaches a unit at TO or leaves the organization. The shares of a unit
//! always sum to 1.

use std::rc::Rc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::date::{Date, Day};
use crate::diff::history::History;
use crate::diff::{self, Basis, Change, DiffError, Endpoint, UnitSide};
use crate::model::ChangeKind;
use crate::state::UnitIx;

pub(crate) mod shares;
mod walk;

pub use shares::{Shares, SharesError};
use walk::{Flow, Walk};

/// What became of a unit at FROM by TO.
///
/// The order is the precedence when several changes start from one unit:
/// what ended it first, then the ways a lasting unit changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// Combined with others into a new unit.
    MergedInto,
    /// Folded into a unit that continues.
    AbsorbedInto,
    /// Divided into new units.
    SplitInto,
    /// Succeeded by another unit, nothing more specific known.
    ReplacedBy,
    /// Ended, then re-established under its id.
    RestoredAs,
    /// Left the organization for an outside body.
    TransferredOut,
    /// Ended with no successor, as a source says.
    Ended,
    /// No longer documented, and nothing says it ended: an observation,
    /// not a fact.
    Disappeared,
    /// The same unit under a new name or acronym.
    Renamed,
    /// The same unit under a new parent.
    Moved,
    /// The same unit, of a new kind.
    Redesignated,
    /// The same unit under a new id.
    Recoded,
    /// The same unit, unchanged.
    Same,
}

impl Relation {
    /// The name used in JSON and CSV (`merged_into`, `renamed`...).
    pub fn name(self) -> &'static str {
        match self {
            Relation::MergedInto => "merged_into",
            Relation::AbsorbedInto => "absorbed_into",
            Relation::SplitInto => "split_into",
            Relation::ReplacedBy => "replaced_by",
            Relation::RestoredAs => "restored_as",
            Relation::TransferredOut => "transferred_out",
            Relation::Ended => "ended",
            Relation::Disappeared => "disappeared",
            Relation::Renamed => "renamed",
            Relation::Moved => "moved",
            Relation::Redesignated => "redesignated",
            Relation::Recoded => "recoded",
            Relation::Same => "same",
        }
    }

    /// Whether the unit itself is at TO.
    pub fn lasts(self) -> bool {
        self >= Relation::Renamed
    }
}

/// The relation a kind of change says of the units it starts from, if it
/// says one: the one place where kinds of change become crosswalk
/// relations. `None` for a change that does not end or alter the unit it
/// starts from (a spin-off leaves its source as it was).
pub(crate) fn relation_of(kind: ChangeKind) -> Option<Relation> {
    Some(match kind {
        ChangeKind::Renamed => Relation::Renamed,
        ChangeKind::Moved => Relation::Moved,
        ChangeKind::Redesignated => Relation::Redesignated,
        ChangeKind::Recoded => Relation::Recoded,
        ChangeKind::Merged => Relation::MergedInto,
        ChangeKind::Absorbed => Relation::AbsorbedInto,
        ChangeKind::Split => Relation::SplitInto,
        ChangeKind::Replaced => Relation::ReplacedBy,
        ChangeKind::Restored => Relation::RestoredAs,
        ChangeKind::TransferredOut => Relation::TransferredOut,
        // Only a curated event makes a unit abolished; a unit that is
        // simply no longer documented disappeared.
        ChangeKind::Abolished => Relation::Ended,
        ChangeKind::Disappeared => Relation::Disappeared,
        ChangeKind::SpunOff
        | ChangeKind::Established
        | ChangeKind::Appeared
        | ChangeKind::TransferredIn => return None,
    })
}

/// How a share was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareBasis {
    /// The whole unit: nothing was divided.
    Whole,
    /// Divided by a shares table.
    Given,
    /// Divided equally among the parts, for want of anything better: an
    /// assumption, to be flagged.
    Equal,
}

impl ShareBasis {
    /// The name used in JSON and CSV (`whole`, `given`, `equal`).
    pub fn name(self) -> &'static str {
        match self {
            ShareBasis::Whole => "whole",
            ShareBasis::Given => "given",
            ShareBasis::Equal => "equal",
        }
    }
}

/// Where a share of a unit at FROM is at TO.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// The unit at TO; `None` when this share left the organization or
    /// ended on the way.
    pub unit: Option<UnitSide>,
    /// In (0, 1].
    pub share: f64,
    /// Where the share comes from.
    pub shares: ShareBasis,
    /// For a share with no unit at TO: how it went (`transferred_out`,
    /// `ended`, `disappeared`).
    pub fate: Option<Relation>,
    /// The outside body a share was transferred to.
    pub external: Option<String>,
    /// The weakest basis of the links followed to get here.
    pub basis: Basis,
    /// The lowest confidence of the links followed to get here.
    pub confidence: f64,
    #[serde(skip)]
    pub(crate) ix: Option<UnitIx>,
}

/// A unit at FROM and what it is at TO.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The unit as it was at FROM.
    pub unit: UnitSide,
    /// What the unit became.
    pub relation: Relation,
    /// Every way a lasting unit changed (renamed, moved...); empty
    /// otherwise.
    pub aspects: Vec<Relation>,
    /// Where its share went, in the order of the chart at TO; the shares
    /// sum to 1.
    pub parts: Vec<Part>,
    /// When the change happened: its date, or the interval between the
    /// observations around it; `None` for a unit that stayed the same.
    pub date: Option<Date>,
    /// The weakest basis of what the row rests on.
    pub basis: Basis,
    /// The lowest confidence of what the row rests on.
    pub confidence: f64,
    /// Why the row is believed, in sentences a person can read.
    pub evidence: Vec<String>,
    /// Keys of the sources cited.
    pub sources: Vec<String>,
}

/// Every unit at FROM (or under one unit) and what it is at TO.
#[derive(Debug, Clone, PartialEq)]
pub struct Crosswalk {
    /// The earlier date and the snapshots it rests on.
    pub from: Endpoint,
    /// The later date and the snapshots it rests on.
    pub to: Endpoint,
    /// The unit whose subtree at FROM was asked for, as it was then.
    pub under: Option<UnitSide>,
    /// In the order of the chart at FROM.
    pub rows: Vec<Row>,
    /// Things the reader should know (shares given for a unit that is not
    /// divided...).
    pub warnings: Vec<String>,
}

/// A unit at FROM and where its share goes by TO.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitParts {
    /// The unit as it was at FROM.
    pub unit: UnitSide,
    /// As in [`Row::parts`].
    pub parts: Vec<Part>,
    pub(crate) ix: UnitIx,
}

/// Where the share of every unit at FROM goes by TO: what converting a
/// table needs of a crosswalk, without what became of each unit (which
/// takes composing the diff).
#[derive(Debug, Clone, PartialEq)]
pub struct Parts {
    /// FROM, as the user wrote it.
    pub from: String,
    /// In the order of the chart at FROM.
    pub units: Vec<UnitParts>,
    /// As in [`Crosswalk::warnings`].
    pub warnings: Vec<String>,
    /// The history's states at FROM and at TO.
    pub(crate) states: (usize, usize),
}

/// What to put in a crosswalk.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Only the units under this thread's unit at FROM (itself included).
    pub under: Option<usize>,
    /// Shares for units divided among several parts.
    pub shares: Option<&'a Shares>,
}

/// Why a crosswalk could not be made.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CrosswalkError {
    /// The dates cannot be compared.
    #[error(transparent)]
    Diff(#[from] DiffError),
    /// The unit asked for is not in the chart at FROM.
    #[error("{unit} is not in the organization at {from}; choose a unit of that date")]
    UnderNotAtFrom {
        /// The unit, as the user named it.
        unit: String,
        /// The date, as the user wrote it.
        from: String,
    },
    /// The shares table is wrong.
    #[error(transparent)]
    Shares(#[from] SharesError),
}

/// The units asked for, each followed to TO.
struct Followed<'h, 'd> {
    walk: Walk<'h, 'd>,
    units: Vec<(UnitIx, Rc<walk::Outcome>)>,
    states: (usize, usize),
}

/// Follows every unit at `from` that the options ask for to `to`.
fn follow<'h, 'd>(
    history: &'h History<'d>,
    (from_text, from): (&str, Day),
    to: Day,
    options: &Options<'h>,
) -> Result<Followed<'h, 'd>, CrosswalkError> {
    if from > to {
        return Err(DiffError::Backwards { from, to }.into());
    }
    let states = (history.state_index(from), history.state_index(to));
    let mut walk = Walk::new(history, states.1, options.shares);
    let units = units_at_from(history, states.0, options.under, from_text)?
        .into_iter()
        .map(|ix| Ok((ix, walk.follow(history.thread_at(states.0, ix))?)))
        .collect::<Result<_, SharesError>>()?;
    Ok(Followed {
        walk,
        units,
        states,
    })
}

/// Where the share of every unit at the end of day `from` goes by the end
/// of day `to`; `from_text` is FROM as the user wrote it.
pub fn parts(
    history: &History,
    (from_text, from): (&str, Day),
    to: Day,
    options: &Options,
) -> Result<Parts, CrosswalkError> {
    let followed = follow(history, (from_text, from), to, options)?;
    let state = history.state(followed.states.0);
    let units = (followed.units.iter())
        .map(|(ix, outcome)| UnitParts {
            unit: UnitSide::of(state, *ix),
            parts: followed.walk.parts(&outcome.flows),
            ix: *ix,
        })
        .collect();
    Ok(Parts {
        from: from_text.to_string(),
        units,
        warnings: followed.walk.unused_shares(),
        states: followed.states,
    })
}

/// The crosswalk from the end of day `from` to the end of day `to`;
/// `from_text` and `to_text` are the dates as the user wrote them.
pub fn crosswalk(
    history: &History,
    (from_text, from): (&str, Day),
    (to_text, to): (&str, Day),
    options: &Options,
) -> Result<Crosswalk, CrosswalkError> {
    let Followed {
        walk,
        units,
        states,
    } = follow(history, (from_text, from), to, options)?;
    let changes = history.net_changes(from, states.1);
    let mut starting: FxHashMap<&str, Vec<&Change>> = FxHashMap::default();
    for change in &changes {
        for unit in &change.from {
            starting.entry(unit.id.as_str()).or_default().push(change);
        }
    }
    let state = history.state(states.0);
    let rows = (units.iter())
        .map(|(ix, outcome)| {
            let unit = UnitSide::of(state, *ix);
            let changes = starting.get(unit.id.as_str()).cloned().unwrap_or_default();
            let restoration = outcome.restoration.map(|l| history.link_change(l));
            describe(&walk, unit, &changes, restoration, &outcome.flows)
        })
        .collect();
    let under = options.under.map(|t| {
        let ix = history.unit_in(t, states.0).expect("checked above");
        UnitSide::of(state, ix)
    });
    let endpoint = |text: &str, day: Day, k: usize| {
        diff::endpoint(history.dataset(), text, day, history.state(k))
    };
    Ok(Crosswalk {
        from: endpoint(from_text, from, states.0),
        to: endpoint(to_text, to, states.1),
        under,
        rows,
        warnings: walk.unused_shares(),
    })
}

/// The units of state `k` to put in the crosswalk, in tree order.
fn units_at_from(
    history: &History,
    k: usize,
    under: Option<usize>,
    from_text: &str,
) -> Result<Vec<UnitIx>, CrosswalkError> {
    let state = history.state(k);
    let Some(thread) = under else {
        return Ok(state.preorder().map(|(ix, _)| ix).collect());
    };
    let Some(root) = history.unit_in(thread, k) else {
        let (_, last) = history
            .states_of(thread)
            .pop()
            .expect("a thread has a state");
        return Err(CrosswalkError::UnderNotAtFrom {
            unit: last.label(),
            from: from_text.to_string(),
        });
    };
    let mut units: Vec<UnitIx> = state.subtree(root).into_iter().map(|(ix, _)| ix).collect();
    units.sort();
    Ok(units)
}

/// The row of a unit at FROM: its relation from the changes that start
/// from it (and the restoration that ends it, if any), its parts from the
/// flows of its share.
fn describe(
    walk: &Walk,
    unit: UnitSide,
    changes: &[&Change],
    restoration: Option<Change>,
    flows: &[Flow],
) -> Row {
    let told = relations_told(&unit, changes, restoration.as_ref());
    let parts = walk.parts(flows);
    let Some(&(relation, headline)) = told.first() else {
        return Row {
            unit,
            relation: Relation::Same,
            aspects: Vec::new(),
            parts,
            date: None,
            basis: Basis::Identity,
            confidence: 1.0,
            evidence: Vec::new(),
            sources: Vec::new(),
        };
    };
    let aspects: Vec<Relation> = if relation.lasts() {
        told.iter().map(|(r, _)| *r).collect()
    } else {
        Vec::new()
    };
    let considered: Vec<&Change> = if relation.lasts() {
        told.iter().map(|(_, c)| *c).collect()
    } else {
        vec![headline]
    };
    let mut evidence = headline.evidence.clone();
    evidence.extend(walk.later_steps(flows));
    let mut sources = Vec::new();
    for c in &considered {
        for s in &c.sources {
            if !sources.contains(s) {
                sources.push(s.clone());
            }
        }
    }
    let weakest = considered
        .iter()
        .map(|c| (c.basis, c.confidence))
        .chain(parts.iter().map(|p| (p.basis, p.confidence)));
    let basis = weakest
        .clone()
        .map(|(b, _)| b)
        .max()
        .unwrap_or(Basis::Identity);
    let confidence = weakest.map(|(_, c)| c).fold(1.0, f64::min);
    Row {
        unit,
        relation,
        aspects,
        parts,
        date: span(considered.iter().filter_map(|c| c.date.as_ref())),
        basis,
        confidence,
        evidence,
        sources,
    }
}

/// What the changes that start from a unit (and the restoration that ends
/// it, if any) tell of it: each relation with the change that tells it,
/// in order of precedence.
fn relations_told<'c>(
    unit: &UnitSide,
    changes: &[&'c Change],
    restoration: Option<&'c Change>,
) -> Vec<(Relation, &'c Change)> {
    // A unit that continues is one change with an aspect for every way
    // it changed; any other change has its kind as its one aspect, but
    // for a sub-unit the change carried along, which moved.
    let mut told: Vec<(Relation, &'c Change)> = changes
        .iter()
        .flat_map(|c| {
            let carried = c
                .parts
                .iter()
                .any(|p| c.from[p.from].id == unit.id && c.carries(p));
            let aspects = if carried {
                &[ChangeKind::Moved][..]
            } else {
                &c.aspects[..]
            };
            aspects
                .iter()
                .filter_map(|&k| relation_of(k))
                .map(move |r| (r, *c))
        })
        .chain(restoration.map(|c| (Relation::RestoredAs, c)))
        .collect();
    told.sort_by_key(|(r, _)| *r);
    told
}

/// The interval covering several dates; `None` for none.
fn span<'a>(dates: impl Iterator<Item = &'a Date>) -> Option<Date> {
    let dates: Vec<&Date> = dates.collect();
    let first = dates.iter().min_by_key(|d| d.earliest())?;
    let last = dates.iter().max_by_key(|d| d.latest())?;
    Some(if first == last {
        (*first).clone()
    } else {
        Date::span(Some(first), last)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_query_day;

    /// The crosswalk reads the history's net changes: they are the diff's,
    /// restorations included.
    #[test]
    fn the_history_composes_the_changes_the_diff_does() {
        let fixture = |name: &str| format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let datasets = [
            (
                None,
                vec![
                    ("2003", "2024"),
                    ("2008", "2024"),
                    ("2010", "2013"),
                    ("2020", "2024"),
                ],
            ),
            (
                Some(fixture("good/restored")),
                vec![("2001", "2003"), ("2002", "2003"), ("2001", "2002")],
            ),
            (
                Some(fixture("hostile")),
                vec![("2001", "2013"), ("2005", "2013")],
            ),
            (
                Some(fixture("good/crosswalk")),
                vec![("2000", "2003"), ("2001", "2002")],
            ),
        ];
        for (dir, periods) in datasets {
            let dataset = crate::load::load(dir.as_deref().map(std::path::Path::new)).unwrap();
            let history = History::build(&dataset);
            for (from, to) in periods {
                let day = |t: &str| parse_query_day(t).unwrap();
                let diff = diff::diff(
                    &dataset,
                    (from, day(from)),
                    (to, day(to)),
                    &Default::default(),
                )
                .unwrap();
                let k = |t: &str| history.state_index(day(t));
                let changes = history.net_changes(day(from), k(to));
                assert!(!changes.is_empty(), "{dir:?} {from} → {to}");
                // The diff also says which area each change concerns.
                let unplaced: Vec<Change> = (diff.changes.iter().cloned())
                    .map(|c| Change { area: None, ..c })
                    .collect();
                assert_eq!(changes, unplaced, "{dir:?} {from} → {to}");
                let cw = crosswalk(
                    &history,
                    (from, day(from)),
                    (to, day(to)),
                    &Options::default(),
                )
                .unwrap();
                assert_eq!((cw.from, cw.to), (diff.from, diff.to));
            }
        }
    }
}

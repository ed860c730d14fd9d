//! The change-flow picture of a diff: the units at FROM in a column on the
//! left, the units at TO on the right, each in tree order (grouped by
//! parent, indented by depth), and a band from each unit to what it
//! became, coloured by kind of change: straight grey for a unit that
//! stayed the same, joining for merges and absorptions, fanning for
//! splits, ending in the gap for units abolished or no longer seen,
//! leaving for transfers, starting in the gap for new units.
//!
//! [`build`] computes a [`Flow`] (columns, bands, kinds) from the diff;
//! [`svg`] only draws it. Past [`FOLD_ABOVE`] rows, subtrees that nothing
//! touched are folded into one row and one band with a count, so a chart
//! of a few hundred units stays legible.

use std::collections::{HashMap, HashSet};

use super::Kind;
use crate::diff::{Change, Diff, UnitSide};
use crate::model::ChangeKind;
use crate::state::{OrgState, UnitIx};

mod draw;

pub(crate) use draw::svg;

/// A column with more rows than this folds the subtrees that did not
/// change.
pub(crate) const FOLD_ABOVE: usize = 100;

/// The picture of a diff, before it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Flow {
    pub title: String,
    pub from: Column,
    pub to: Column,
    pub bands: Vec<Band>,
    /// How many changes of each kind the picture tells (a unit renamed
    /// and moved is one change), in the key's order.
    pub counts: Vec<(Kind, usize)>,
}

/// One side of the picture: the state at a date, in tree order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Column {
    /// The date as given, and the day it stands for.
    pub date: String,
    pub rows: Vec<Row>,
}

/// A unit in a column, or several unchanged units folded into one row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// The unit's id; for a fold, the id of its first unit.
    pub id: String,
    pub label: String,
    /// 0 for a top-level unit.
    pub depth: usize,
    /// Whether its sub-units are shown below it.
    pub parent: bool,
    /// The top-level group it belongs to (a child of the root and its
    /// subtree), counted from 0: rows are shaded by group.
    pub group: usize,
    /// For a fold, the labels of every unit it stands for; else empty.
    pub folded: Vec<String>,
}

/// Where a band begins or ends.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum End {
    /// A row of the column.
    Row(usize),
    /// A unit that is not in the column (it came or went between the two
    /// dates), by its label.
    Unit(String),
    /// An outside body (a transfer), if named.
    Outside(Option<String>),
    /// Nothing: the band begins (a new unit) or ends (a unit gone) here.
    Nothing,
}

/// A unit, or a fold of units, going from one side to the other.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Band {
    /// The kind the change is told by.
    pub kind: Kind,
    /// Every way a unit that continues changed (its kind first); for any
    /// other change, its kind alone.
    pub aspects: Vec<Kind>,
    pub from: End,
    pub to: End,
    /// How many units it carries: 1, or the size of a fold.
    pub units: usize,
    /// The change in plain words, for a tooltip.
    pub about: String,
}

/// One change as the picture tells it: what a reader calls one change.
struct Story<'c> {
    kind: Kind,
    aspects: Vec<Kind>,
    from: &'c [UnitSide],
    to: &'c [UnitSide],
    /// The pairs of units it maps (see [`Change::pairs`]).
    pairs: Vec<(Option<&'c UnitSide>, Option<&'c UnitSide>)>,
    external: Option<&'c str>,
    about: String,
}

impl Story<'_> {
    /// Whether it is a unit continuing (renamed, moved, redesignated,
    /// recoded): one unit on each side, the same unit.
    fn continues(&self) -> bool {
        matches!(
            self.kind,
            Kind::Change(
                ChangeKind::Renamed
                    | ChangeKind::Moved
                    | ChangeKind::Redesignated
                    | ChangeKind::Recoded
            )
        )
    }
}

/// The changes of a diff as the picture tells them: one story each, a
/// unit that continues with every way it changed.
fn stories(changes: &[Change]) -> Vec<Story<'_>> {
    changes
        .iter()
        .map(|change| {
            let (tell, _) = crate::report::tell::tell(change);
            Story {
                kind: Kind::of(change),
                aspects: change.aspects.iter().map(|&k| Kind::from(k)).collect(),
                from: &change.from,
                to: &change.to,
                pairs: change.pairs(),
                external: change.external.as_deref(),
                about: format!(
                    "{tell} ({}, confidence {:.2})",
                    change.basis.name(),
                    change.confidence
                ),
            }
        })
        .collect()
}

/// The flow of a diff between the states `first` (at FROM) and `last` (at
/// TO), narrowed to the subtree of unit `under` (an id) when given.
pub(crate) fn build(diff: &Diff, first: &OrgState, last: &OrgState, under: Option<&str>) -> Flow {
    let stories = stories(&diff.changes);
    let scope = under.map(|id| scope_ids(id, &stories));
    let units_before = units(first, scope.map(|(before, _)| before));
    let units_after = units(last, scope.map(|(_, after)| after));
    let foldable = if units_before.len() > FOLD_ABOVE || units_after.len() > FOLD_ABOVE {
        foldable(first, last, &stories)
    } else {
        HashSet::new()
    };
    let (left, left_of) = column(first, &units_before, &foldable);
    let (right, right_of) = column(last, &units_after, &foldable);
    let mut bands = same_bands(&left, &right, &left_of, &right_of, &stories);
    for story in &stories {
        bands.extend(story_bands(story, &left_of, &right_of));
    }
    let date = |e: &crate::diff::Endpoint| match e.day {
        Some(day) if day.to_string() != e.date => format!("{} (state on {day})", e.date),
        _ => e.date.clone(),
    };
    Flow {
        title: format!(
            "Changes in {} from {} to {}",
            scope_name(first, last, under),
            diff.from.date,
            diff.to.date
        ),
        from: Column {
            date: date(&diff.from),
            rows: left,
        },
        to: Column {
            date: date(&diff.to),
            rows: right,
        },
        bands,
        counts: Kind::ALL
            .into_iter()
            .map(|k| (k, stories.iter().filter(|s| s.kind == k).count()))
            .filter(|&(_, n)| n > 0)
            .collect(),
    }
}

/// What the picture is of: the unit it is narrowed to, else the root of
/// the organization.
fn scope_name(first: &OrgState, last: &OrgState, under: Option<&str>) -> String {
    let label = |state: &OrgState, ix: UnitIx| state.unit(ix).label();
    under
        .and_then(|id| {
            last.find(id)
                .map(|ix| label(last, ix))
                .or_else(|| first.find(id).map(|ix| label(first, ix)))
        })
        .or_else(|| last.roots().first().map(|&r| label(last, r)))
        .or_else(|| first.roots().first().map(|&r| label(first, r)))
        .unwrap_or_else(|| "the organization".to_string())
}

/// The ids of the units whose subtrees no story touches on either side,
/// under the same parent on both: what a large picture folds.
fn foldable(first: &OrgState, last: &OrgState, stories: &[Story]) -> HashSet<String> {
    let touched_before: HashSet<&str> = stories
        .iter()
        .flat_map(|s| s.from.iter().map(|u| u.id.as_str()))
        .collect();
    let touched_after: HashSet<&str> = stories
        .iter()
        .flat_map(|s| s.to.iter().map(|u| u.id.as_str()))
        .collect();
    let quiet_before = quiet(first, &touched_before);
    let quiet_after = quiet(last, &touched_after);
    quiet_before
        .intersection(&quiet_after)
        .filter(|id| parent_id(first, id) == parent_id(last, id))
        .cloned()
        .collect()
}

/// The ids the unit `under` had at FROM and at TO: its own, or, when it
/// was renamed under a new id (or recoded) between the dates, the id of the
/// unit it continues (at FROM) or became (at TO).
fn scope_ids<'s>(under: &'s str, stories: &[Story<'s>]) -> (&'s str, &'s str) {
    let continuing = stories
        .iter()
        .filter(|s| s.continues() && s.from.len() == 1 && s.to.len() == 1);
    let (mut before, mut after) = (under, under);
    for story in continuing {
        if story.to[0].id == under {
            before = story.from[0].id.as_str();
        }
        if story.from[0].id == under {
            after = story.to[0].id.as_str();
        }
    }
    (before, after)
}

/// The units a column shows, in tree order, with their depths: the whole
/// state, or the subtree of `under` (nothing if it is not there).
fn units(state: &OrgState, under: Option<&str>) -> Vec<(UnitIx, usize)> {
    match under {
        Some(id) => state.find(id).map_or(Vec::new(), |r| state.subtree(r)),
        None => state.preorder().collect(),
    }
}

fn parent_id<'s>(state: &'s OrgState, id: &str) -> Option<&'s str> {
    let ix = state.find(id)?;
    state.parent(ix).map(|p| state.unit(p).id.as_str())
}

/// The ids of the units of a state whose subtree no change touches.
fn quiet(state: &OrgState, touched: &HashSet<&str>) -> HashSet<String> {
    let mut busy = vec![false; state.len()];
    let order: Vec<(UnitIx, usize)> = state.preorder().collect();
    // Children come after their parents: going backwards, a unit's
    // subtree is settled before the unit passes it on to its parent.
    for &(ix, _) in order.iter().rev() {
        if touched.contains(state.unit(ix).id.as_str()) {
            busy[ix.index()] = true;
        }
        if busy[ix.index()] {
            if let Some(p) = state.parent(ix) {
                busy[p.index()] = true;
            }
        }
    }
    order
        .iter()
        .filter(|(ix, _)| !busy[ix.index()])
        .map(|(ix, _)| state.unit(*ix).id.clone())
        .collect()
}

/// The rows of a column, and the row each unit id is on. Runs of
/// consecutive sibling subtrees that are `foldable` become one row.
fn column(
    state: &OrgState,
    units: &[(UnitIx, usize)],
    foldable: &HashSet<String>,
) -> (Vec<Row>, HashMap<String, usize>) {
    let base = units.first().map_or(0, |&(_, d)| d);
    let mut rows: Vec<Row> = Vec::new();
    let mut row_of: HashMap<String, usize> = HashMap::new();
    let mut group = 0;
    // While inside a folded subtree: the depth of its root.
    let mut folding: Option<usize> = None;
    for (i, &(ix, depth)) in units.iter().enumerate() {
        let depth = depth - base;
        let unit = state.unit(ix);
        let fold_goes_on = folding.is_some_and(|d| depth > d);
        let fold_takes_sibling = folding == Some(depth) && foldable.contains(&unit.id);
        if fold_goes_on || fold_takes_sibling {
            let last = rows.len() - 1;
            rows[last].folded.push(unit.label());
            row_of.insert(unit.id.clone(), last);
            continue;
        }
        folding = None;
        let folds = foldable.contains(&unit.id);
        if folds {
            folding = Some(depth);
        }
        if depth <= 1 && !rows.is_empty() {
            group += 1;
        }
        row_of.insert(unit.id.clone(), rows.len());
        rows.push(Row {
            id: unit.id.clone(),
            label: unit.label(),
            depth,
            parent: !folds && units.get(i + 1).is_some_and(|&(_, d)| d - base > depth),
            group,
            folded: if folds {
                vec![unit.label()]
            } else {
                Vec::new()
            },
        });
    }
    for row in &mut rows {
        match row.folded.len() {
            // A fold of one unit is that unit.
            0 | 1 => row.folded.clear(),
            n => row.label = format!("{} and {} more, unchanged", row.folded[0], n - 1),
        }
    }
    (rows, row_of)
}

/// The grey bands of units (and folds) that stayed the same: a row on
/// the left whose unit is on the right and that no story ends or carries
/// on as a change.
fn same_bands(
    left: &[Row],
    right: &[Row],
    left_of: &HashMap<String, usize>,
    right_of: &HashMap<String, usize>,
    stories: &[Story],
) -> Vec<Band> {
    let changed: HashSet<&str> = stories
        .iter()
        .filter(|s| s.continues() || !s.kind.begins())
        .flat_map(|s| {
            s.from
                .iter()
                .filter(|u| s.continues() || !s.to.iter().any(|t| t.id == u.id))
                .map(|u| u.id.as_str())
        })
        .collect();
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (id, &l) in left_of {
        if changed.contains(id.as_str()) {
            continue;
        }
        if let Some(&r) = right_of.get(id) {
            match pairs.iter_mut().find(|(a, b, _)| (*a, *b) == (l, r)) {
                Some(pair) => pair.2 += 1,
                None => pairs.push((l, r, 1)),
            }
        }
    }
    pairs.sort_unstable();
    pairs
        .into_iter()
        .map(|(l, r, units)| {
            let about = if left[l].folded.is_empty() && right[r].folded.is_empty() {
                format!("{}: unchanged", right[r].label)
            } else {
                format!("{units} units, unchanged")
            };
            Band {
                kind: Kind::Same,
                aspects: vec![Kind::Same],
                from: End::Row(l),
                to: End::Row(r),
                units,
                about,
            }
        })
        .collect()
}

/// The bands of a story: one for each pair of units it maps (see
/// [`Change::pairs`]: a part to itself, the other units before to the
/// other units after), from (to) nothing or an outside body when a side
/// is empty. A unit on both sides of a merger or spin-off under the same
/// id is carried by its own band, not this one.
fn story_bands(
    story: &Story,
    left_of: &HashMap<String, usize>,
    right_of: &HashMap<String, usize>,
) -> Vec<Band> {
    let outside = || End::Outside(story.external.map(str::to_string));
    let end = |unit: Option<&UnitSide>, rows: &HashMap<String, usize>, open: Kind| match unit {
        Some(u) => match rows.get(&u.id) {
            Some(&r) => End::Row(r),
            None => End::Unit(u.label()),
        },
        None if story.kind == open => outside(),
        None => End::Nothing,
    };
    let mut bands = Vec::new();
    for &(f, t) in &story.pairs {
        let same_id = f.zip(t).is_some_and(|(a, b)| a.id == b.id);
        if same_id && !story.continues() {
            continue;
        }
        bands.push(Band {
            kind: story.kind,
            aspects: story.aspects.clone(),
            from: end(f, left_of, Kind::Change(ChangeKind::TransferredIn)),
            to: end(t, right_of, Kind::Change(ChangeKind::TransferredOut)),
            units: 1,
            about: story.about.clone(),
        });
    }
    bands
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_query_day;
    use crate::diff::Filter;

    fn flow_of(data: &str, from: &str, to: &str) -> Flow {
        let dir = format!("{}/tests/fixtures/{data}", env!("CARGO_MANIFEST_DIR"));
        let dataset = crate::load::load(Some(std::path::Path::new(&dir))).unwrap();
        let (a, b) = (parse_query_day(from).unwrap(), parse_query_day(to).unwrap());
        let diff = crate::diff::diff(&dataset, (from, a), (to, b), &Filter::default()).unwrap();
        build(&diff, dataset.state_at(a), dataset.state_at(b), None)
    }

    fn row_id(column: &Column, end: &End) -> String {
        match end {
            End::Row(r) => column.rows[*r].id.clone(),
            other => format!("{other:?}"),
        }
    }

    /// Each band as (kind, unit before, unit after).
    fn bands(flow: &Flow) -> Vec<(Kind, String, String)> {
        flow.bands
            .iter()
            .map(|b| (b.kind, row_id(&flow.from, &b.from), row_id(&flow.to, &b.to)))
            .collect()
    }

    #[test]
    fn bands_join_merged_units_and_end_units_that_left() {
        let flow = flow_of("hostile", "2001", "2013");
        let bands = bands(&flow);
        assert!(!bands.is_empty());
        for expected in [
            (Kind::Change(ChangeKind::Merged), "zh", "merged unit"),
            (Kind::Change(ChangeKind::Merged), "ru", "merged unit"),
            (
                Kind::Change(ChangeKind::Renamed),
                "finance dept",
                "finance dept",
            ),
            (Kind::Change(ChangeKind::Moved), "tax/vat", "tax/vat"),
            (Kind::Same, "hq", "hq"),
            (Kind::Change(ChangeKind::Disappeared), "temp", "Nothing"),
            (Kind::Change(ChangeKind::Appeared), "Nothing", "temp"),
        ] {
            let expected = (expected.0, expected.1.to_string(), expected.2.to_string());
            assert!(bands.contains(&expected), "{expected:?} in {bands:#?}");
        }
        let out = bands
            .iter()
            .find(|b| b.0 == Kind::Change(ChangeKind::TransferredOut))
            .unwrap();
        assert_eq!(out.1, "border");
        assert!(out
            .2
            .contains("Outside(Some(\"The \\\"Other\\\" Agency <Ltd> | =cmd\"))"));
        // A unit ended, or carried on as a change, has no grey band too;
        // the id used again by a new unit is not the old unit.
        for id in ["temp", "zh", "ru", "border", "finance dept", "tax/vat"] {
            assert!(
                !bands.iter().any(|b| b.0 == Kind::Same && b.1 == id),
                "{id} has no grey band"
            );
        }
        let merged = flow
            .counts
            .iter()
            .find(|(k, _)| *k == Kind::Change(ChangeKind::Merged));
        assert_eq!(
            merged,
            Some(&(Kind::Change(ChangeKind::Merged), 1)),
            "a merger is one change"
        );
    }

    #[test]
    fn folded_rows_stand_for_every_unit_once() {
        let history = crate::synth::history(5, 600, &crate::synth::Churn::percent(3.0));
        let snapshots = vec![
            crate::synth::snapshot("a", 2000, history.before.clone()),
            crate::synth::snapshot("b", 2010, history.after.clone()),
        ];
        let dataset =
            crate::dataset::Dataset::new(snapshots, Vec::new(), Default::default(), String::new());
        let (a, b) = (
            parse_query_day("2000").unwrap(),
            parse_query_day("2010").unwrap(),
        );
        let diff =
            crate::diff::diff(&dataset, ("2000", a), ("2010", b), &Filter::default()).unwrap();
        let (first, last) = (dataset.state_at(a), dataset.state_at(b));
        let flow = build(&diff, first, last, None);
        for (column, state) in [(&flow.from, first), (&flow.to, last)] {
            assert!(
                column.rows.len() < state.len() / 2,
                "{} rows",
                column.rows.len()
            );
            assert!(column.rows.iter().any(|r| r.folded.len() > 1));
            let stands_for: usize = column.rows.iter().map(|r| r.folded.len().max(1)).sum();
            assert_eq!(stands_for, state.len(), "every unit is in one row");
        }
        let carried: usize = flow
            .bands
            .iter()
            .filter(|b| b.kind == Kind::Same)
            .map(|b| b.units)
            .sum();
        assert!(
            carried > first.len() / 2,
            "the folds' bands carry their units"
        );
    }
}

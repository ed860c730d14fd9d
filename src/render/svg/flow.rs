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

use super::{bold_width, fit, text_width, Anchor, Kind, Styled, Svg, N};
use crate::diff::{Change, Diff, UnitSide};
use crate::state::{OrgState, UnitIx};

/// A column with more rows than this folds the subtrees that did not
/// change.
pub const FOLD_ABOVE: usize = 100;

/// The picture of a diff, before it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub title: String,
    pub from: Column,
    pub to: Column,
    pub bands: Vec<Band>,
    /// How many changes the diff holds.
    pub changes: usize,
}

/// One side of the picture: the state at a date, in tree order.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The date as given, and the day it stands for.
    pub date: String,
    pub rows: Vec<Row>,
}

/// A unit in a column, or several unchanged units folded into one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
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
pub enum End {
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
pub struct Band {
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
    external: Option<&'c str>,
    about: String,
}

impl Story<'_> {
    /// Whether it is a unit continuing (renamed, moved, redesignated,
    /// recoded): one unit on each side, the same unit.
    fn continues(&self) -> bool {
        matches!(
            self.kind,
            Kind::Renamed | Kind::Moved | Kind::Redesignated | Kind::Recoded
        )
    }
}

/// The changes of a diff as stories: the changes of one unit that
/// continues (its renaming, its move...) are told together, headed by the
/// first of renamed, moved, redesignated, recoded.
fn stories(changes: &[Change]) -> Vec<Story<'_>> {
    let mut out: Vec<Story> = Vec::new();
    let mut continuing: HashMap<(&str, &str), usize> = HashMap::new();
    for change in changes {
        let kind = Kind::of(change);
        let (tell, _) = crate::report::tell(change);
        let about = format!(
            "{tell} ({}, confidence {:.2})",
            change.basis.name(),
            change.confidence
        );
        let story = Story {
            kind,
            aspects: vec![kind],
            from: &change.from,
            to: &change.to,
            external: change.external.as_deref(),
            about,
        };
        if !(story.continues() && story.from.len() == 1 && story.to.len() == 1) {
            out.push(story);
            continue;
        }
        let key = (story.from[0].id.as_str(), story.to[0].id.as_str());
        match continuing.get(&key) {
            Some(&i) => {
                let told = &mut out[i];
                told.aspects.push(kind);
                told.aspects.sort();
                told.aspects.dedup();
                told.kind = told.aspects[0];
                if !told.about.contains(&story.about) {
                    told.about = format!("{} {}", told.about, story.about);
                }
            }
            None => {
                continuing.insert(key, out.len());
                out.push(story);
            }
        }
    }
    out
}

/// The flow of a diff between the states `first` (at FROM) and `last` (at
/// TO), narrowed to the subtree of unit `under` (an id) when given.
pub fn build(diff: &Diff, first: &OrgState, last: &OrgState, under: Option<&str>) -> Flow {
    let stories = stories(&diff.changes);
    let touched_before: HashSet<&str> = stories
        .iter()
        .flat_map(|s| s.from.iter().map(|u| u.id.as_str()))
        .collect();
    let touched_after: HashSet<&str> = stories
        .iter()
        .flat_map(|s| s.to.iter().map(|u| u.id.as_str()))
        .collect();
    let units_before = units(first, under);
    let units_after = units(last, under);
    let fold = units_before.len() > FOLD_ABOVE || units_after.len() > FOLD_ABOVE;
    let foldable: HashSet<String> = if fold {
        let quiet_before = quiet(first, &touched_before);
        let quiet_after = quiet(last, &touched_after);
        quiet_before
            .intersection(&quiet_after)
            .filter(|id| parent_id(first, id) == parent_id(last, id))
            .cloned()
            .collect()
    } else {
        HashSet::new()
    };
    let (left, left_of) = column(first, &units_before, &foldable);
    let (right, right_of) = column(last, &units_after, &foldable);
    let mut bands = same_bands(&left, &right, &left_of, &right_of, &stories);
    for story in &stories {
        bands.extend(story_bands(story, &left_of, &right_of));
    }
    let scope = under
        .and_then(|id| {
            last.find(id)
                .map(|ix| last.unit(ix).label())
                .or_else(|| first.find(id).map(|ix| first.unit(ix).label()))
        })
        .or_else(|| last.roots().first().map(|&r| last.unit(r).label()))
        .or_else(|| first.roots().first().map(|&r| first.unit(r).label()))
        .unwrap_or_else(|| "the organization".to_string());
    let date = |e: &crate::diff::Endpoint| match e.day {
        Some(day) if day.to_string() != e.date => format!("{} (state on {day})", e.date),
        _ => e.date.clone(),
    };
    Flow {
        title: format!(
            "Changes in {scope} from {} to {}",
            diff.from.date, diff.to.date
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
        changes: diff.changes.len(),
    }
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

/// The bands of a story: from each unit before to each unit after, or
/// from (to) nothing or an outside body when a side is empty. A unit on
/// both sides of a merger or spin-off that it survives is carried by its
/// own band, not this one.
fn story_bands(
    story: &Story,
    left_of: &HashMap<String, usize>,
    right_of: &HashMap<String, usize>,
) -> Vec<Band> {
    let outside = || End::Outside(story.external.map(str::to_string));
    let end = |unit: &UnitSide, rows: &HashMap<String, usize>| match rows.get(&unit.id) {
        Some(&r) => End::Row(r),
        None => End::Unit(unit.label()),
    };
    let froms: Vec<(Option<&str>, End)> = if story.from.is_empty() {
        let start = match story.kind {
            Kind::TransferredIn => outside(),
            _ => End::Nothing,
        };
        vec![(None, start)]
    } else {
        let ends = story
            .from
            .iter()
            .map(|u| (Some(u.id.as_str()), end(u, left_of)));
        ends.collect()
    };
    let tos: Vec<(Option<&str>, End)> = if story.to.is_empty() {
        let finish = match story.kind {
            Kind::TransferredOut => outside(),
            _ => End::Nothing,
        };
        vec![(None, finish)]
    } else {
        let ends = story
            .to
            .iter()
            .map(|u| (Some(u.id.as_str()), end(u, right_of)));
        ends.collect()
    };
    let mut bands = Vec::new();
    for (from_id, from) in &froms {
        for (to_id, to) in &tos {
            if from_id.is_some() && from_id == to_id && !story.continues() {
                continue;
            }
            bands.push(Band {
                kind: story.kind,
                aspects: story.aspects.clone(),
                from: from.clone(),
                to: to.clone(),
                units: 1,
                about: story.about.clone(),
            });
        }
    }
    bands
}

// ---------------------------------------------------------------------------
// Drawing

const MARGIN: f64 = 16.0;
const ROW: f64 = 22.0;
const FONT: f64 = 12.0;
const NOTE: f64 = 11.0;
const INDENT: f64 = 14.0;
/// The widest a column's labels may be; longer labels are cut (the whole
/// label is in the row's tooltip).
const MAX_COLUMN: f64 = 380.0;
/// The widest a note in the gap may be.
const MAX_NOTE: f64 = 260.0;
/// How far a band that begins or ends in the gap reaches into it.
const STUB: f64 = 44.0;
/// The top of the first row.
const TOP: f64 = 96.0;

/// Where things go across the picture.
struct Layout {
    left_width: f64,
    /// The inner edge of the left column, where bands start.
    left_edge: f64,
    /// The inner edge of the right column, where bands end.
    right_edge: f64,
    right_width: f64,
    width: f64,
}

impl Layout {
    fn of(flow: &Flow, left_notes: &[String], right_notes: &[String]) -> Layout {
        let widest = |rows: &[Row]| {
            rows.iter()
                .map(|r| r.depth as f64 * INDENT + label_width(r) + 16.0)
                .fold(180.0, f64::max)
                .min(MAX_COLUMN)
        };
        let widest_note = |notes: &[String]| {
            notes
                .iter()
                .map(|n| text_width(n, NOTE))
                .fold(0.0, f64::max)
                .min(MAX_NOTE)
        };
        let left_width = widest(&flow.from.rows);
        let right_width = widest(&flow.to.rows);
        let gap =
            (widest_note(left_notes) + widest_note(right_notes) + 2.0 * STUB + 40.0).max(300.0);
        let left_edge = MARGIN + left_width;
        let right_edge = left_edge + gap;
        Layout {
            left_width,
            left_edge,
            right_edge,
            right_width,
            width: right_edge + right_width + MARGIN,
        }
    }
}

/// How wide a row's label is, in bold for a parent.
fn label_width(row: &Row) -> f64 {
    if row.parent {
        bold_width(&row.label, FONT)
    } else {
        text_width(&row.label, FONT)
    }
}

fn row_y(i: usize) -> f64 {
    TOP + i as f64 * ROW + ROW / 2.0
}

/// What the gap says beside each row: on the left, how a unit ended
/// (abolished, transferred out); on the right, how it came to be what it
/// is (renamed, merged, established...).
fn notes(flow: &Flow) -> (Vec<String>, Vec<String>) {
    let mut left: Vec<Vec<String>> = vec![Vec::new(); flow.from.rows.len()];
    let mut right: Vec<Vec<String>> = vec![Vec::new(); flow.to.rows.len()];
    let add = |notes: &mut Vec<String>, note: String| {
        if !notes.contains(&note) {
            notes.push(note);
        }
    };
    for band in flow.bands.iter().filter(|b| b.kind != Kind::Same) {
        let kinds: Vec<String> = band.aspects.iter().map(|k| k.words()).collect();
        let kinds = kinds.join(", ");
        match (&band.from, &band.to) {
            (End::Row(l), End::Nothing) => add(&mut left[*l], kinds),
            (End::Row(l), End::Outside(body)) => add(
                &mut left[*l],
                body.as_ref()
                    .map_or(kinds.clone(), |b| format!("{kinds} to {b}")),
            ),
            (End::Row(l), End::Unit(label)) => add(&mut left[*l], format!("{kinds}: {label}")),
            (End::Unit(label), End::Row(r)) => add(&mut right[*r], format!("{kinds}: {label}")),
            (End::Outside(body), End::Row(r)) => add(
                &mut right[*r],
                body.as_ref()
                    .map_or(kinds.clone(), |b| format!("{kinds} from {b}")),
            ),
            (_, End::Row(r)) => add(&mut right[*r], kinds),
            _ => {}
        }
    }
    let join = |notes: Vec<Vec<String>>| notes.into_iter().map(|n| n.join("; ")).collect();
    (join(left), join(right))
}

/// The picture of a flow, as SVG.
pub fn svg(flow: &Flow, styled: Styled) -> String {
    let (left_notes, right_notes) = notes(flow);
    let layout = Layout::of(flow, &left_notes, &right_notes);
    let rows = flow.from.rows.len().max(flow.to.rows.len()).max(1);
    let legend_top = TOP + rows as f64 * ROW + 28.0;
    let kinds = kinds_shown(flow);
    let legend_lines = legend_layout(&kinds, layout.width)
        .last()
        .map_or(1, |l| l.0 + 1);
    let height = legend_top + legend_lines as f64 * 22.0 + MARGIN;
    let mut svg = Svg::new(layout.width, height, &flow.title, &describe(flow), styled);
    svg.text(MARGIN, 30.0, Anchor::Start, "rg-title", &flow.title);
    svg.text(MARGIN, 50.0, Anchor::Start, "rg-sub", &summary(flow));
    svg.text(MARGIN, 82.0, Anchor::Start, "rg-date", &flow.from.date);
    let right_x = layout.right_edge + 8.0;
    svg.text(right_x, 82.0, Anchor::Start, "rg-date", &flow.to.date);
    draw_column(&mut svg, &flow.from.rows, MARGIN, layout.left_width, false);
    draw_column(
        &mut svg,
        &flow.to.rows,
        layout.right_edge,
        layout.right_width + 8.0,
        true,
    );
    if flow.from.rows.is_empty() && flow.to.rows.is_empty() {
        svg.text(
            MARGIN,
            row_y(0),
            Anchor::Start,
            "rg-fold",
            "No units on either side.",
        );
    }
    svg.open("g", &[("class", "rg-bands".into())]);
    // Unchanged units first, under the changes.
    let (same, changed): (Vec<&Band>, Vec<&Band>) =
        flow.bands.iter().partition(|b| b.kind == Kind::Same);
    for band in same.into_iter().chain(changed) {
        draw_band(&mut svg, band, &layout);
    }
    svg.close("g");
    for (i, note) in left_notes.iter().enumerate().filter(|(_, n)| !n.is_empty()) {
        let note = fit(note, MAX_NOTE, NOTE);
        let x = layout.left_edge + STUB + 10.0;
        svg.text(x, row_y(i) + 4.0, Anchor::Start, "rg-note", &note);
    }
    for (i, note) in right_notes
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.is_empty())
    {
        let note = fit(note, MAX_NOTE, NOTE);
        let x = layout.right_edge - 10.0;
        svg.text(x, row_y(i) - 5.0, Anchor::End, "rg-note", &note);
    }
    draw_legend(&mut svg, &kinds, legend_top, layout.width);
    svg.finish()
}

/// "53 changes: 21 established, 8 renamed..." by kind as drawn.
fn summary(flow: &Flow) -> String {
    let mut counts: Vec<(Kind, usize)> = Vec::new();
    for band in flow.bands.iter().filter(|b| b.kind != Kind::Same) {
        match counts.iter_mut().find(|(k, _)| *k == band.kind) {
            Some(c) => c.1 += 1,
            None => counts.push((band.kind, 1)),
        }
    }
    counts.sort();
    let parts: Vec<String> = counts
        .iter()
        .map(|(k, n)| format!("{n} {}", k.words()))
        .collect();
    let changes = match flow.changes {
        1 => "1 change".to_string(),
        n => format!("{n} changes"),
    };
    if parts.is_empty() {
        return format!("{changes}.");
    }
    format!("{changes}; bands: {}.", parts.join(", "))
}

/// What a screen reader says of the picture.
fn describe(flow: &Flow) -> String {
    format!(
        "On the left, the {} units at {}; on the right, the {} units at {}, each in tree order. \
         A band joins each unit to what it became, coloured by kind of change. {}",
        flow.from.rows.len(),
        flow.from.date,
        flow.to.rows.len(),
        flow.to.date,
        summary(flow)
    )
}

/// Draws a column's rows from `x`, `width` wide; the node marks (where
/// bands attach) go on the inner edge.
fn draw_column(svg: &mut Svg, rows: &[Row], x: f64, width: f64, right: bool) {
    let class = if right {
        "rg-column rg-to"
    } else {
        "rg-column rg-from"
    };
    svg.open("g", &[("class", class.into())]);
    for (i, row) in rows.iter().enumerate() {
        let y = row_y(i);
        svg.open("g", &[("class", "rg-row".into())]);
        let mut tip = format!("{} [{}]", row.label, row.id);
        if !row.folded.is_empty() {
            let shown: Vec<&str> = row.folded.iter().take(40).map(String::as_str).collect();
            tip = format!("{} unchanged units: {}", row.folded.len(), shown.join("; "));
            if row.folded.len() > 40 {
                tip.push_str(&format!("; and {} more", row.folded.len() - 40));
            }
        }
        svg.tooltip(&tip);
        let shade = if row.group % 2 == 0 {
            "rg-row0"
        } else {
            "rg-row1"
        };
        svg.leaf(
            "rect",
            &[
                ("x", x.into()),
                ("y", (y - ROW / 2.0).into()),
                ("width", width.into()),
                ("height", ROW.into()),
                ("class", shade.into()),
            ],
        );
        let node_x = if right { x } else { x + width - 4.0 };
        svg.leaf(
            "rect",
            &[
                ("x", node_x.into()),
                ("y", (y - 6.0).into()),
                ("width", 4.0.into()),
                ("height", 12.0.into()),
                ("class", "rg-node".into()),
            ],
        );
        let indent = row.depth as f64 * INDENT;
        let text_x = x + indent + if right { 10.0 } else { 4.0 };
        // Bold labels are cut shorter, as they are wider.
        let room =
            (width - indent - 16.0) * text_width(&row.label, FONT) / label_width(row).max(1.0);
        let class = match (row.folded.is_empty(), row.parent) {
            (false, _) => "rg-fold",
            (true, true) => "rg-unit rg-parent",
            (true, false) => "rg-unit",
        };
        svg.text(
            text_x,
            y + 4.0,
            Anchor::Start,
            class,
            &fit(&row.label, room, FONT),
        );
        svg.close("g");
    }
    svg.close("g");
}

/// Draws one band: a curve from row to row, or a stub into the gap that
/// begins with a dot (a new unit) or ends with a cross (a unit gone) or
/// an arrow (a transfer, or a unit that went on elsewhere).
fn draw_band(svg: &mut Svg, band: &Band, layout: &Layout) {
    let (x0, x1) = (layout.left_edge, layout.right_edge);
    let width = match (band.kind, band.units) {
        (Kind::Same, 1) => 1.5,
        (Kind::Same, n) => 1.5 + ((n as f64).log2() * 1.5).min(9.0),
        _ => 3.0,
    };
    let class = format!("rg-band {}", band.kind.class());
    let path = match (&band.from, &band.to) {
        (End::Row(l), End::Row(r)) => {
            let (y0, y1) = (N(row_y(*l)), N(row_y(*r)));
            let (mid, x0, x1) = (N((x0 + x1) / 2.0), N(x0), N(x1));
            format!("M{x0} {y0}C{mid} {y0} {mid} {y1} {x1} {y1}")
        }
        (End::Row(l), _) => format!("M{} {}H{}", N(x0), N(row_y(*l)), N(x0 + STUB)),
        (_, End::Row(r)) => format!("M{} {}H{}", N(x1 - STUB), N(row_y(*r)), N(x1)),
        // A unit that came and went between the dates: nothing to draw.
        _ => return,
    };
    svg.open(
        "path",
        &[
            ("class", class.as_str().into()),
            ("stroke-width", width.into()),
            ("d", path.as_str().into()),
        ],
    );
    svg.tooltip(&band.about);
    svg.close("path");
    let mark = |svg: &mut Svg, d: String| {
        let class = format!("rg-mark {}", band.kind.class());
        svg.leaf(
            "path",
            &[("class", class.as_str().into()), ("d", d.as_str().into())],
        );
    };
    match (&band.from, &band.to) {
        (End::Row(l), End::Nothing) => {
            let (x, y) = (x0 + STUB, row_y(*l));
            mark(svg, format!("M{} {}l8 8m0-8l-8 8", N(x - 4.0), N(y - 4.0)));
        }
        (End::Row(l), _) if !matches!(band.to, End::Row(_)) => {
            let (x, y) = (x0 + STUB, row_y(*l));
            mark(svg, format!("M{} {}l6 4l-6 4", N(x - 4.0), N(y - 4.0)));
        }
        (End::Nothing, End::Row(r)) => {
            let (x, y) = (x1 - STUB, row_y(*r));
            mark(
                svg,
                format!("M{} {}a3 3 0 1 0 6 0a3 3 0 1 0-6 0", N(x - 3.0), N(y)),
            );
        }
        (_, End::Row(r)) if !matches!(band.from, End::Row(_)) => {
            let (x, y) = (x1 - STUB, row_y(*r));
            mark(svg, format!("M{} {}l6 4l-6 4", N(x - 2.0), N(y - 4.0)));
        }
        _ => {}
    }
}

/// The kinds the picture draws, in the legend's order.
fn kinds_shown(flow: &Flow) -> Vec<Kind> {
    Kind::ALL
        .into_iter()
        .filter(|k| flow.bands.iter().any(|b| b.kind == *k))
        .collect()
}

/// Where each legend entry goes: (line, x) for each kind, wrapping at the
/// picture's width.
fn legend_layout(kinds: &[Kind], width: f64) -> Vec<(usize, f64)> {
    let mut out = Vec::new();
    let (mut line, mut x) = (0, MARGIN + 40.0);
    for kind in kinds {
        let w = 30.0 + text_width(&kind.words(), FONT) + 18.0;
        if x + w > width - MARGIN && x > MARGIN + 40.0 {
            line += 1;
            x = MARGIN + 40.0;
        }
        out.push((line, x));
        x += w;
    }
    out
}

/// The key: a swatch and a word for each kind drawn.
fn draw_legend(svg: &mut Svg, kinds: &[Kind], top: f64, width: f64) {
    svg.open("g", &[("class", "rg-legend".into())]);
    svg.text(MARGIN, top + 4.0, Anchor::Start, "rg-date", "Key");
    for (kind, (line, x)) in kinds.iter().zip(legend_layout(kinds, width)) {
        let y = top + line as f64 * 22.0;
        let class = format!("rg-band {}", kind.class());
        let d = format!("M{} {}h24", N(x), N(y));
        svg.leaf(
            "path",
            &[
                ("class", class.as_str().into()),
                ("stroke-width", 3.0.into()),
                ("d", d.as_str().into()),
            ],
        );
        svg.text(x + 30.0, y + 4.0, Anchor::Start, "rg-unit", &kind.words());
    }
    svg.close("g");
}

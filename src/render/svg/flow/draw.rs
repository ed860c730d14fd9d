//! Drawing a [`Flow`]: the columns of units, the bands between them, the
//! notes in the gap that say how each unit ended or came to be, and the
//! key.

use super::{Band, End, Flow, Row};
use crate::render::svg::{bold_width, fit, text_width, Anchor, Kind, Styled, Svg, N};

const MARGIN: f64 = 16.0;
const ROW: f64 = 22.0;
const FONT: f64 = 12.0;
const NOTE: f64 = 11.0;
const INDENT: f64 = 14.0;
/// Rows deeper than this are indented no further, so that a deep chart
/// keeps room for its labels.
const DEEPEST_INDENT: usize = 12;
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
                .map(|r| indent(r) + label_width(r) + 16.0)
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

/// How far a row's label is indented.
fn indent(row: &Row) -> f64 {
    row.depth.min(DEEPEST_INDENT) as f64 * INDENT
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
pub(crate) fn svg(flow: &Flow, styled: Styled) -> String {
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

/// "49 changes: 20 established, 11 appeared, 6 renamed..."
fn summary(flow: &Flow) -> String {
    let total: usize = flow.counts.iter().map(|(_, n)| n).sum();
    let parts: Vec<String> = flow
        .counts
        .iter()
        .map(|(k, n)| format!("{n} {}", k.words()))
        .collect();
    match total {
        0 => "No changes.".to_string(),
        1 => format!("1 change: {}.", parts.join(", ")),
        n => format!("{n} changes: {}.", parts.join(", ")),
    }
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
        let indent = indent(row);
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

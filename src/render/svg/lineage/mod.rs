//! The lineage picture: a time axis, and a lane for the unit and for each
//! predecessor and successor, with one bar per version (a name, a kind, a
//! parent). A bar is solid where the snapshots show the version and faded
//! where the dates are uncertain: when the version may have begun or
//! ended, between two observations or within a date's range. Links
//! (merged, split, replaced...) join the bars of the units they join,
//! coloured by kind; a unit that began or ended with no unit on the other
//! side has a dot at its start or a cross (an arrow, for a transfer) at
//! its end.

mod time;

use super::{bold_width, fit, text_width, Anchor, Kind, Styled, Svg, N};
use crate::date::{Date, Day};
use crate::diff::history::Version;
use crate::lineage::{Lineage, LineageLink, LineageUnit};
use crate::model::ChangeKind;
use time::{change_into, earliest, latest, links_into, links_out_of, spans, Scale, Span};

const WIDTH: f64 = 960.0;
const MARGIN: f64 = 16.0;
/// The baseline of the years along the axis.
const AXIS: f64 = 70.0;
/// The top of the first lane.
const FIRST_LANE: f64 = 84.0;
const LANE_HEAD: f64 = 22.0;
const VERSION: f64 = 30.0;
const LANE_GAP: f64 = 10.0;
const BAR: f64 = 9.0;
const FONT: f64 = 12.0;

/// Where each lane goes: the lanes in order (predecessors, the unit,
/// successors) and the top of each.
fn lane_order(lineage: &Lineage) -> Vec<usize> {
    let mut order: Vec<usize> = (0..lineage.units.len()).collect();
    order.sort_by_key(|&u| (lineage.units[u].generation, u));
    order
}

fn lane_height(unit: &LineageUnit) -> f64 {
    LANE_HEAD + unit.versions.len() as f64 * VERSION + LANE_GAP
}

/// "Name (ACR)" of a unit's last version.
fn name(unit: &LineageUnit) -> String {
    unit.versions
        .last()
        .map_or_else(String::new, |v| v.unit.label())
}

/// The words for a date, or "date unknown".
fn when(date: Option<&Date>) -> String {
    date.map_or("date unknown".to_string(), std::string::ToString::to_string)
}

/// The picture of a lineage, as SVG. `now` is the date of the latest
/// state: a unit still there is drawn up to it.
pub(crate) fn svg(lineage: &Lineage, now: Option<&Date>, styled: Styled) -> String {
    let all_spans: Vec<Vec<Span>> = (0..lineage.units.len())
        .map(|u| spans(lineage, u, now))
        .collect();
    let mut days: Vec<Day> = all_spans
        .iter()
        .flatten()
        .flat_map(|s| [s.may_begin, s.may_end])
        .filter(|&d| d != Day::MIN && d != Day::MAX)
        .collect();
    days.extend(now.and_then(latest));
    let scale = Scale::of(&days);
    let order = lane_order(lineage);
    let mut tops = vec![0.0; lineage.units.len()];
    let mut y = FIRST_LANE;
    for &u in &order {
        tops[u] = y;
        y += lane_height(&lineage.units[u]);
    }
    let kinds = link_kinds(lineage);
    let legend_top = y + 16.0;
    let legend_lines = legend_layout(&kinds)
        .last()
        .map_or(1, |&(line, _)| line + 1);
    let height = legend_top + legend_lines as f64 * 22.0 + MARGIN;
    let first = lineage.units[0]
        .versions
        .first()
        .expect("a unit has a version");
    let title = format!("Lineage of {}", first.unit.label());
    let mut svg = Svg::new(WIDTH, height, &title, &describe(lineage), styled);
    svg.text(MARGIN, 30.0, Anchor::Start, "rg-title", &title);
    svg.text(MARGIN, 50.0, Anchor::Start, "rg-sub", &subtitle(lineage));
    draw_axis(&mut svg, &scale, y);
    for &u in &order {
        draw_lane(&mut svg, lineage, u, &all_spans[u], &scale, tops[u]);
    }
    let bar_y = |u: usize, version: usize| {
        tops[u] + LANE_HEAD + version as f64 * VERSION + VERSION - BAR / 2.0 - 4.0
    };
    svg.open("g", &[("class", "rg-links".into())]);
    for link in &lineage.links {
        draw_link(&mut svg, lineage, link, &all_spans, &scale, &bar_y);
    }
    svg.close("g");
    draw_legend(&mut svg, &kinds, legend_top);
    svg.finish()
}

/// "2 versions; 1 predecessor, 3 successors".
fn subtitle(lineage: &Lineage) -> String {
    let versions = lineage.units[0].versions.len();
    let count = |pred: fn(i32) -> bool| lineage.units.iter().filter(|u| pred(u.generation)).count();
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut parts = vec![plural(versions, "version", "versions")];
    if lineage.reach.ancestors {
        parts.push(plural(count(|g| g < 0), "predecessor", "predecessors"));
    }
    if lineage.reach.descendants {
        parts.push(plural(count(|g| g > 0), "successor", "successors"));
    }
    let others = count(|g| g == 0) - 1;
    if others > 0 {
        parts.push(plural(others, "partner in a link", "partners in links"));
    }
    parts.join("; ")
}

/// What a screen reader says of the picture: every version in words.
fn describe(lineage: &Lineage) -> String {
    let mut text = format!(
        "A time line of {}: {}.",
        name(&lineage.units[0]),
        subtitle(lineage)
    );
    for v in &lineage.units[0].versions {
        let until = v
            .until
            .as_ref()
            .map_or("now".to_string(), std::string::ToString::to_string);
        text.push_str(&format!(
            " {} from {} to {until}.",
            v.unit.label(),
            when(v.since.as_ref())
        ));
    }
    text
}

fn draw_axis(svg: &mut Svg, scale: &Scale, bottom: f64) {
    svg.open("g", &[("class", "rg-axis-group".into())]);
    for year in scale.ticks() {
        let Some(day) = Day::from_ymd_opt(year, 1, 1) else {
            continue;
        };
        let x = scale.x(day);
        let d = format!("M{} {}V{}", N(x), N(AXIS + 6.0), N(bottom));
        svg.leaf(
            "path",
            &[("class", "rg-grid".into()), ("d", d.as_str().into())],
        );
        svg.text(x, AXIS, Anchor::Middle, "rg-axis", &year.to_string());
    }
    svg.close("g");
}

/// A lane: the unit's name and what began and ended it, then a bar per
/// version with its name, kind, parent and dates above it.
fn draw_lane(svg: &mut Svg, lineage: &Lineage, u: usize, spans: &[Span], scale: &Scale, top: f64) {
    let unit = &lineage.units[u];
    let focus = u == 0;
    svg.open("g", &[("class", "rg-lane-group".into())]);
    let last = unit.versions.last().expect("a unit has a version");
    svg.tooltip(&format!("{} [{}]", last.unit.label(), last.unit.id));
    svg.leaf(
        "rect",
        &[
            ("x", (MARGIN / 2.0).into()),
            ("y", top.into()),
            ("width", (WIDTH - MARGIN).into()),
            ("height", (lane_height(unit) - LANE_GAP).into()),
            ("class", if focus { "rg-focus" } else { "rg-lane" }.into()),
        ],
    );
    let head = lane_head(lineage, u);
    let room = WIDTH - 2.0 * MARGIN;
    // The unit asked about is named in bold, which is wider.
    let (class, head_room) = if focus {
        (
            "rg-unit rg-parent",
            room * text_width(&head, FONT) / bold_width(&head, FONT).max(1.0),
        )
    } else {
        ("rg-unit", room)
    };
    svg.text(
        MARGIN,
        top + 16.0,
        Anchor::Start,
        class,
        &fit(&head, head_room, FONT),
    );
    let bar_class = if focus { "rg-bar" } else { "rg-bar-other" };
    for (i, (v, span)) in unit.versions.iter().zip(spans).enumerate() {
        let row = top + LANE_HEAD + i as f64 * VERSION;
        let bar_top = row + VERSION - BAR - 4.0;
        let faded_x = scale.x(span.may_begin);
        let faded_w = (scale.x(span.may_end) - faded_x).max(3.0);
        let seen_x = scale.x(span.seen_from);
        let seen_w = (scale.x(span.seen_to) - seen_x).max(3.0);
        svg.open("g", &[("class", "rg-version".into())]);
        svg.tooltip(&version_words(unit, v));
        for (x, w, faded) in [(faded_x, faded_w, true), (seen_x, seen_w, false)] {
            let class = if faded {
                format!("{bar_class} rg-faded")
            } else {
                bar_class.to_string()
            };
            svg.leaf(
                "rect",
                &[
                    ("x", x.into()),
                    ("y", bar_top.into()),
                    ("width", w.into()),
                    ("height", BAR.into()),
                    ("class", class.as_str().into()),
                ],
            );
        }
        let label = version_label(unit, v);
        let width = text_width(&label, FONT);
        let (x, anchor) = if faded_x + width <= WIDTH - MARGIN {
            (faded_x, Anchor::Start)
        } else {
            (WIDTH - MARGIN, Anchor::End)
        };
        svg.text(
            x,
            bar_top - 4.0,
            anchor,
            "rg-unit",
            &fit(&label, room, FONT),
        );
        svg.close("g");
    }
    svg.close("g");
}

/// A lane's heading: the unit's name, its place in the lineage, and the
/// links that began or ended it: "Cyber and Operational Technology (COT)
/// · successor · split from Investigative Programs, 2021-01/2025".
fn lane_head(lineage: &Lineage, u: usize) -> String {
    let unit = &lineage.units[u];
    let mut parts = vec![name(unit)];
    match unit.generation {
        0 if u == 0 => {}
        0 => parts.push("partner in a link".to_string()),
        g if g < 0 => parts.push("predecessor".to_string()),
        _ => parts.push("successor".to_string()),
    }
    let names = |units: &[usize]| -> String {
        let names: Vec<String> = units
            .iter()
            .filter(|&&o| o != u)
            .map(|&o| name(&lineage.units[o]))
            .collect();
        names.join(", ")
    };
    for link in links_into(lineage, u) {
        let kind = Kind::of(&link.change).words();
        let date = when(link.change.date.as_ref());
        let from = names(&link.from);
        parts.push(match (from.is_empty(), &link.change.external) {
            (false, _) => format!("{kind} from {from}, {date}"),
            (true, Some(body)) => format!("{kind} from {body}, {date}"),
            (true, None) => format!("{kind} {date}"),
        });
    }
    for link in links_out_of(lineage, u) {
        let kind = Kind::of(&link.change).words();
        let date = when(link.change.date.as_ref());
        let to = names(&link.to);
        parts.push(match (to.is_empty(), &link.change.external) {
            (false, _) => format!("{kind} into {to}, {date}"),
            (true, Some(body)) => format!("{kind} to {body}, {date}"),
            (true, None) => format!("{kind} {date}"),
        });
    }
    parts.join(" · ")
}

/// "renamed: Information eXchange Unit (IXU) · unit · in Cyber and
/// Operational Technology · 2024-06?/2025 – now".
fn version_label(unit: &LineageUnit, v: &Version) -> String {
    // Every way the unit changed into this version, as the changes' aspects.
    let mut kinds: Vec<Kind> = (change_into(unit, v).iter())
        .flat_map(|c| c.aspects.iter().map(|&k| Kind::from(k)))
        .collect();
    kinds.sort();
    kinds.dedup();
    let mut label = String::new();
    if !kinds.is_empty() {
        let words: Vec<String> = kinds.iter().map(|k| k.words()).collect();
        label.push_str(&format!("{}: ", words.join(", ")));
    }
    label.push_str(&v.unit.label());
    if let Some(kind) = &v.unit.kind {
        label.push_str(&format!(" · {kind}"));
    }
    if let Some(parent) = &v.unit.parent_name {
        label.push_str(&format!(" · in {parent}"));
    }
    let until = v
        .until
        .as_ref()
        .map_or("now".to_string(), std::string::ToString::to_string);
    let since = when(v.since.as_ref());
    if since == until {
        label.push_str(&format!(" · seen {since}"));
    } else {
        label.push_str(&format!(" · {since} – {until}"));
    }
    label
}

/// A version in a sentence, for its tooltip.
fn version_words(unit: &LineageUnit, v: &Version) -> String {
    let path = if v.path.is_empty() {
        "at the top".to_string()
    } else {
        format!("in {}", v.path.join(" › "))
    };
    format!(
        "{} [{}], {path}. {}",
        version_label(unit, v),
        v.unit.id,
        if unit.lasts { "Still there." } else { "" }
    )
    .trim_end()
    .to_string()
}

/// The version of a unit in force at a day: the last that may have begun
/// by then.
fn version_at(spans: &[Span], day: Day) -> usize {
    spans.iter().rposition(|s| s.may_begin <= day).unwrap_or(0)
}

/// A link, drawn at its date: a curve from each unit before (the version
/// it then had) down or up to the first version of each unit after; a
/// link to (or from) nothing is a cross or an arrow at the end of the
/// unit's last bar (a ring at the start of its first).
fn draw_link(
    svg: &mut Svg,
    lineage: &Lineage,
    link: &LineageLink,
    spans: &[Vec<Span>],
    scale: &Scale,
    bar_y: &dyn Fn(usize, usize) -> f64,
) {
    let kind = Kind::of(&link.change);
    let class = format!("rg-band {}", kind.class());
    let mark_class = format!("rg-mark {}", kind.class());
    svg.open("g", &[("class", "rg-link".into())]);
    svg.tooltip(&link_words(lineage, link));
    for &f in &link.from {
        let last = spans[f].len() - 1;
        if link.to.is_empty() {
            let (x, y) = (scale.x(spans[f][last].may_end), bar_y(f, last));
            let d = if kind == Kind::Change(ChangeKind::TransferredOut) {
                format!("M{} {}l7 5l-7 5", N(x + 2.0), N(y - 5.0))
            } else {
                format!("M{} {}l8 8m0-8l-8 8", N(x + 2.0), N(y - 4.0))
            };
            svg.leaf(
                "path",
                &[
                    ("class", mark_class.as_str().into()),
                    ("d", d.as_str().into()),
                ],
            );
        }
        for &t in &link.to {
            let (x1, y1) = (scale.x(spans[t][0].may_begin), bar_y(t, 0));
            let day = link
                .change
                .date
                .as_ref()
                .and_then(earliest)
                .unwrap_or(spans[t][0].may_begin);
            let version = version_at(&spans[f], day);
            let (x, y) = (scale.x(day), bar_y(f, version));
            let mid = (y + y1) / 2.0;
            let d = format!(
                "M{} {}C{} {} {} {} {} {}",
                N(x),
                N(y),
                N(x),
                N(mid),
                N(x1),
                N(mid),
                N(x1),
                N(y1)
            );
            svg.leaf(
                "path",
                &[
                    ("class", class.as_str().into()),
                    ("stroke-width", 2.5.into()),
                    ("d", d.as_str().into()),
                ],
            );
        }
    }
    if link.from.is_empty() {
        for &t in &link.to {
            let (x, y) = (scale.x(spans[t][0].may_begin), bar_y(t, 0));
            let d = format!("M{} {}a4 4 0 1 0 8 0a4 4 0 1 0-8 0", N(x - 10.0), N(y));
            svg.leaf(
                "path",
                &[
                    ("class", mark_class.as_str().into()),
                    ("d", d.as_str().into()),
                ],
            );
        }
    }
    svg.close("g");
}

/// A link in a sentence: "merged, 2010-06 (curated, confidence 0.95):
/// A and B into C".
fn link_words(lineage: &Lineage, link: &LineageLink) -> String {
    let names = |units: &[usize]| -> String {
        let names: Vec<String> = units.iter().map(|&u| name(&lineage.units[u])).collect();
        names.join(", ")
    };
    let c = &link.change;
    let mut text = format!(
        "{}, {} ({}, confidence {:.2})",
        Kind::of(c).words(),
        when(c.date.as_ref()),
        c.basis.name(),
        c.confidence
    );
    match (link.from.is_empty(), link.to.is_empty()) {
        (false, false) => text.push_str(&format!(": {} → {}", names(&link.from), names(&link.to))),
        (false, true) => text.push_str(&format!(": {}", names(&link.from))),
        (true, _) => text.push_str(&format!(": {}", names(&link.to))),
    }
    if let Some(body) = &c.external {
        text.push_str(&format!(" (outside: {body})"));
    }
    text
}

/// The kinds of the links drawn, in the legend's order.
fn link_kinds(lineage: &Lineage) -> Vec<Kind> {
    Kind::ALL
        .into_iter()
        .filter(|k| lineage.links.iter().any(|l| Kind::of(&l.change) == *k))
        .collect()
}

/// What the key's two bars say.
const BAR_WORDS: [(bool, &str); 2] = [(false, "seen in the snapshots"), (true, "dates uncertain")];

/// Where the key puts the swatch of each kind of link: (line, x), after
/// the two bars, wrapping at the picture's width.
fn legend_layout(kinds: &[Kind]) -> Vec<(usize, f64)> {
    let start = BAR_WORDS.iter().fold(MARGIN + 40.0, |x, (_, words)| {
        x + 48.0 + text_width(words, FONT)
    });
    let (mut line, mut x) = (0, start);
    let mut out = Vec::new();
    for kind in kinds {
        let w = 48.0 + text_width(&kind.words(), FONT);
        if x + w > WIDTH - MARGIN {
            line += 1;
            x = start;
        }
        out.push((line, x));
        x += w;
    }
    out
}

/// The key: what a solid and a faded bar mean, and a swatch per kind of
/// link drawn.
fn draw_legend(svg: &mut Svg, kinds: &[Kind], top: f64) {
    svg.open("g", &[("class", "rg-legend".into())]);
    svg.text(MARGIN, top + 8.0, Anchor::Start, "rg-date", "Key");
    let mut x = MARGIN + 40.0;
    for (faded, words) in BAR_WORDS {
        let class = if faded { "rg-bar rg-faded" } else { "rg-bar" };
        svg.leaf(
            "rect",
            &[
                ("x", x.into()),
                ("y", top.into()),
                ("width", 24.0.into()),
                ("height", BAR.into()),
                ("class", class.into()),
            ],
        );
        svg.text(x + 30.0, top + 8.0, Anchor::Start, "rg-unit", words);
        x += 48.0 + text_width(words, FONT);
    }
    for (kind, (line, x)) in kinds.iter().zip(legend_layout(kinds)) {
        let y = top + 4.0 + line as f64 * 22.0;
        let d = format!("M{} {}h24", N(x), N(y));
        let class = format!("rg-band {}", kind.class());
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

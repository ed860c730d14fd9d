//! Pictures as SVG, written by the project: the flow of a diff
//! ([`flow`]) and the life of a unit ([`lineage`]).
//!
//! Everything goes through [`Svg`], whose tags and attribute names are
//! fixed strings of the program and whose text and attribute values are
//! always escaped, so no name in the data can add markup. A picture
//! references nothing outside itself (no `url(...)`, no font, no image):
//! it draws the same in a file, in a page, and on a machine offline.

use std::fmt::Write as _;

use crate::diff::Change;
use crate::model::ChangeKind;

pub(crate) mod flow;
pub(crate) mod lineage;

/// The fonts pictures are written in: whatever sans-serif the reader has.
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif";

/// Text for XML content or a double-quoted attribute value: markup
/// characters become entities, and the control characters XML 1.0 does
/// not allow (and line breaks, which a picture's one-line labels cannot
/// show) become spaces.
pub(crate) fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A number as an attribute value: at most one decimal, no trailing `.0`,
/// so the same picture is always written the same.
fn number(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    if rounded == rounded.trunc() {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// A number as [`number`] writes it, for path data: `format!("M{} {}", N(x), N(y))`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct N(pub f64);

impl std::fmt::Display for N {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&number(self.0))
    }
}

/// An attribute value: a number, or text (escaped when written).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    Num(f64),
    Text(&'a str),
}

impl From<f64> for Value<'_> {
    fn from(x: f64) -> Self {
        Value::Num(x)
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Text(s)
    }
}

impl<'a> From<&'a String> for Value<'a> {
    fn from(s: &'a String) -> Self {
        Value::Text(s)
    }
}

/// Where a picture's style sheet is: in the picture, or in the page that
/// holds it (whose style sheet then includes [`style_sheet`]), so that a
/// site of many pictures carries the rules once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Styled {
    Inline,
    ByPage,
}

/// An SVG document being written.
pub(crate) struct Svg {
    out: String,
}

impl Svg {
    /// A picture `width` × `height` pixels with a title and a description
    /// (what a screen reader says of it). Class names start with `rg-`,
    /// so a picture set in a page leaves the page's own styles alone.
    pub(crate) fn new(width: f64, height: f64, title: &str, desc: &str, styled: Styled) -> Svg {
        let mut svg = Svg { out: String::new() };
        let (w, h) = (number(width), number(height));
        let _ = writeln!(
            svg.out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{}\" font-size=\"12\">",
            xml(FONT)
        );
        svg.element_text("title", &[], title);
        svg.element_text("desc", &[], desc);
        if styled == Styled::Inline {
            svg.out.push_str("<style>");
            svg.out.push_str(&style_sheet());
            svg.out.push_str("</style>\n");
        }
        svg
    }

    fn attributes(&mut self, attrs: &[(&'static str, Value)]) {
        for (name, value) in attrs {
            let value = match value {
                Value::Num(x) => number(*x),
                Value::Text(s) => xml(s),
            };
            let _ = write!(self.out, " {name}=\"{value}\"");
        }
    }

    /// An empty element: `<rect .../>`.
    pub(crate) fn leaf(&mut self, tag: &'static str, attrs: &[(&'static str, Value)]) {
        self.out.push('<');
        self.out.push_str(tag);
        self.attributes(attrs);
        self.out.push_str("/>\n");
    }

    /// The start of an element with content.
    pub(crate) fn open(&mut self, tag: &'static str, attrs: &[(&'static str, Value)]) {
        self.out.push('<');
        self.out.push_str(tag);
        self.attributes(attrs);
        self.out.push('>');
    }

    pub(crate) fn close(&mut self, tag: &'static str) {
        let _ = writeln!(self.out, "</{tag}>");
    }

    /// An element holding text: `<text ...>escaped</text>`.
    pub(crate) fn element_text(
        &mut self,
        tag: &'static str,
        attrs: &[(&'static str, Value)],
        text: &str,
    ) {
        self.open(tag, attrs);
        self.out.push_str(&xml(text));
        let _ = writeln!(self.out, "</{tag}>");
    }

    /// A tooltip for the element just opened.
    pub(crate) fn tooltip(&mut self, text: &str) {
        self.element_text("title", &[], text);
    }

    /// A line of text at (x, y) (the baseline), anchored at its start,
    /// middle or end.
    pub(crate) fn text(&mut self, x: f64, y: f64, anchor: Anchor, class: &str, text: &str) {
        self.element_text(
            "text",
            &[
                ("x", x.into()),
                ("y", y.into()),
                ("text-anchor", anchor.name().into()),
                ("class", class.into()),
            ],
            text,
        );
    }

    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// Where a line of text is anchored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn name(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// What a band or a link is drawn as: a unit that stayed the same, or a
/// kind of change of the taxonomy (docs/diffing.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    Same,
    Change(ChangeKind),
}

impl Kind {
    /// Every kind, in the order a legend lists them: a unit that
    /// continues, units that combine or divide, transfers, beginnings,
    /// endings.
    pub(crate) const ALL: [Kind; 17] = {
        use ChangeKind as C;
        [
            Kind::Same,
            Kind::Change(C::Renamed),
            Kind::Change(C::Moved),
            Kind::Change(C::Redesignated),
            Kind::Change(C::Recoded),
            Kind::Change(C::Merged),
            Kind::Change(C::Absorbed),
            Kind::Change(C::Split),
            Kind::Change(C::SpunOff),
            Kind::Change(C::Replaced),
            Kind::Change(C::TransferredIn),
            Kind::Change(C::TransferredOut),
            Kind::Change(C::Established),
            Kind::Change(C::Appeared),
            Kind::Change(C::Restored),
            Kind::Change(C::Abolished),
            Kind::Change(C::Disappeared),
        ]
    };

    /// How a change is drawn: by its kind.
    pub(crate) fn of(change: &Change) -> Kind {
        Kind::Change(change.kind)
    }

    /// The word for it, as the taxonomy spells it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Same => "unchanged",
            Kind::Change(kind) => kind.name(),
        }
    }

    /// The word for a reader: "spun off", not "spun_off".
    pub(crate) fn words(self) -> String {
        self.name().replace('_', " ")
    }

    /// Its colour. Kinds of one family share a hue: blues for a unit that
    /// continues, oranges and browns for units that combine or divide,
    /// greens for beginnings, reds for endings, violets for transfers; an
    /// observation is a paler, dashed version of the fact.
    pub(crate) fn colour(self) -> &'static str {
        use ChangeKind as C;
        let Kind::Change(kind) = self else {
            return "#b8bec6";
        };
        match kind {
            C::Renamed => "#1f6fb4",
            C::Moved => "#17a2b8",
            C::Redesignated => "#4f5bd5",
            C::Recoded => "#6c7a89",
            C::Merged => "#e8710a",
            C::Absorbed => "#c9a100",
            C::Split => "#a0522d",
            C::SpunOff => "#d45d9f",
            C::Replaced => "#8d6e63",
            C::TransferredIn => "#6a3d9a",
            C::TransferredOut => "#9c27b0",
            C::Established => "#2e9d3a",
            C::Appeared => "#7cc47f",
            C::Restored => "#0f6b3a",
            C::Abolished => "#d62728",
            C::Disappeared => "#ee8a8a",
        }
    }

    /// The class of its strokes: `rg-k-renamed`.
    pub(crate) fn class(self) -> String {
        format!("rg-k-{}", self.name())
    }

    /// Whether it is an observation: a unit first or last seen.
    pub(crate) fn observed(self) -> bool {
        matches!(
            self,
            Kind::Change(ChangeKind::Appeared | ChangeKind::Disappeared)
        )
    }

    /// Whether it begins a unit that was not there.
    pub(crate) fn begins(self) -> bool {
        use ChangeKind as C;
        matches!(
            self,
            Kind::Change(C::Established | C::Appeared | C::Restored | C::TransferredIn)
        )
    }
}

impl From<ChangeKind> for Kind {
    fn from(kind: ChangeKind) -> Kind {
        Kind::Change(kind)
    }
}

/// The style sheet of every picture: one class per kind of change, and
/// the few kinds of text.
pub(crate) fn style_sheet() -> String {
    let mut css = String::from(
        ".rg-title{font-size:16px;font-weight:600;fill:#1b1f24}\
         .rg-sub{font-size:12px;fill:#57606a}\
         .rg-date{font-size:13px;font-weight:600;fill:#1b1f24}\
         .rg-unit{fill:#1b1f24}.rg-parent{font-weight:600}\
         .rg-fold{fill:#57606a;font-style:italic}\
         .rg-note{font-size:11px;fill:#24292f;stroke:#fff;stroke-width:3px;paint-order:stroke;stroke-linejoin:round}\
         .rg-axis{font-size:11px;fill:#57606a}.rg-grid{stroke:#e4e7eb;stroke-width:1}\
         .rg-band{fill:none;stroke-opacity:.8}.rg-mark{stroke-width:2;fill:none}\
         .rg-bar{fill:#2b5d8a}.rg-bar-other{fill:#7391b0}.rg-faded{fill-opacity:.28}\
         .rg-lane{fill:#f6f8fa}.rg-focus{fill:#fff8e1}\
         .rg-row0{fill:#f3f5f8}.rg-row1{fill:#ffffff}.rg-node{fill:#57606a}",
    );
    for kind in Kind::ALL {
        let dash = if kind.observed() {
            "stroke-dasharray:6 3;"
        } else {
            ""
        };
        let _ = write!(css, ".{}{{stroke:{};{dash}}}", kind.class(), kind.colour());
    }
    css
}

/// The widths of the printable ASCII characters (space to `~`) in
/// hundredths of an em, in DejaVu Sans: the widest of the usual
/// sans-serif fonts, so that labels laid out for it fit in the others.
const ASCII_WIDTHS: [u8; 95] = [
    32, 40, 46, 84, 64, 95, 78, 28, 39, 39, 50, 84, 32, 36, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 34, 34, 84, 84, 84, 53, 100, 68, 69, 70, 77, 63, 57, 78, 75, 30, 30, 66, 56, 86, 75,
    79, 60, 79, 70, 64, 61, 73, 68, 99, 68, 61, 68, 39, 34, 39, 84, 50, 50, 61, 64, 55, 64, 62, 35,
    64, 63, 28, 28, 58, 28, 97, 63, 61, 64, 64, 41, 52, 39, 63, 59, 82, 59, 59, 52, 64, 34, 64, 84,
];

/// About how wide `text` is at `size` pixels, in pixels: pictures are
/// laid out without a font at hand, so from the widths of a common font
/// (wide scripts count a full em, other letters two thirds of one).
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            ' '..='~' => f64::from(ASCII_WIDTHS[c as usize - 32]) / 100.0,
            '\u{1100}'..='\u{115F}'
            | '\u{2E80}'..='\u{A4CF}'
            | '\u{AC00}'..='\u{D7A3}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FF00}'..='\u{FF60}'
            | '\u{1F300}'..='\u{1FAFF}'
            | '\u{2026}'
            | '\u{2014}' => 1.0,
            _ => 0.68,
        })
        .sum::<f64>()
        * size
}

/// About how wide `text` is in bold (weight 600) at `size` pixels.
pub(crate) fn bold_width(text: &str, size: f64) -> f64 {
    text_width(text, size) * 1.12
}

/// `text` cut to fit `width` pixels at `size`, with an ellipsis when cut.
pub(crate) fn fit(text: &str, width: f64, size: f64) -> String {
    if text_width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if text_width(&out, size) + size > width {
            out.pop();
            break;
        }
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_and_numbers_rounded() {
        let mut svg = Svg::new(10.0, 20.5, "<t>", "a & b", Styled::Inline);
        svg.leaf(
            "rect",
            &[("x", 1.25.into()), ("class", "\"><script>".into())],
        );
        svg.text(0.0, 1.0 / 3.0, Anchor::End, "c", "x\u{1}<y>\n");
        let out = svg.finish();
        assert!(out.contains("<title>&lt;t&gt;</title>"));
        assert!(out.contains("<desc>a &amp; b</desc>"));
        assert!(out.contains("<rect x=\"1.3\" class=\"&quot;&gt;&lt;script&gt;\"/>"));
        assert!(out.contains(">x &lt;y&gt; </text>"));
        assert!(out.contains("y=\"0.3\""));
        assert!(!out.contains("<script"));
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        let long = "National Intellectual Property Rights Coordination Center";
        let cut = fit(long, 120.0, 12.0);
        assert!(cut.ends_with('…') && cut.len() < long.len());
        assert!(text_width(&cut, 12.0) <= 120.0);
        assert_eq!(fit("HSI", 120.0, 12.0), "HSI");
        assert!(text_width("中央档案室", 12.0) > text_width("Audit", 12.0));
    }

    #[test]
    fn every_change_kind_has_a_drawn_kind() {
        for kind in ChangeKind::ALL {
            assert_eq!(Kind::from(kind).name(), kind.name());
        }
    }
}

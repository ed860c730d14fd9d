//! A list of changes (a diff, or a timeline) as a person reads it: a
//! summary line, then one entry per change under the top-level unit it
//! concerns — its kind, date, the unit before → after (with every way it
//! changed), and how it is known in a word — like a changelog, not a
//! spreadsheet. `-v` adds the evidence, the intermediate steps and the
//! sources. The same story model gives a table (`--format table`) and
//! Markdown.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use super::escape;
use super::term::{safe, Layout};
use crate::diff::{Basis, Change, Diff, Endpoint, UnitSide};
use crate::model::{ChangeKind, Confidence};

/// How a change list is printed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// The width to wrap to, and whether to use colour and symbols.
    pub layout: Layout,
    /// Evidence, intermediate steps and sources under each change.
    pub verbose: bool,
}

/// "from the end of 2008 to the end of 2024".
fn period(diff: &Diff) -> String {
    format!(
        "from {} to {}",
        crate::report::period_end(&diff.from.date),
        crate::report::period_end(&diff.to.date)
    )
}

/// "38 changes from the end of 2008 to the end of 2024", and how many of
/// each kind: "11 appeared, 7 established, ..." (empty when none).
fn headline(diff: &Diff) -> (String, String) {
    let n = diff.changes.len();
    let counts: Vec<String> = diff
        .counts()
        .into_iter()
        .map(|(k, n)| format!("{n} {}", k.words()))
        .collect();
    let head = match n {
        0 => format!("No changes {}", period(diff)),
        1 => format!("1 change {}", period(diff)),
        n => format!("{n} changes {}", period(diff)),
    };
    (head, counts.join(", "))
}

/// The headline and the counts as one sentence.
fn summary(diff: &Diff) -> String {
    match headline(diff) {
        (head, counts) if counts.is_empty() => format!("{head}."),
        (head, counts) => format!("{head}: {counts}."),
    }
}

/// "Snapshots: A → B, C (possibly not yet in force)." for a diff whose
/// ends name the snapshots they are assembled from.
fn compared(diff: &Diff) -> Option<String> {
    fn list(e: &Endpoint) -> String {
        let names: Vec<String> = e
            .snapshots
            .iter()
            .map(|id| match e.possibly.contains(id) {
                true => format!("{id} (possibly not yet in force)"),
                false => id.clone(),
            })
            .collect();
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    }
    if diff.from.snapshots.is_empty() && diff.to.snapshots.is_empty() {
        return None;
    }
    Some(format!(
        "Snapshots: {} → {}.",
        list(&diff.from),
        list(&diff.to)
    ))
}

/// The changes under each top-level unit: headings in alphabetical order
/// (changes of no unit of either end last), changes in the diff's order.
fn groups(diff: &Diff) -> Vec<(String, Vec<&Change>)> {
    // By (no area, heading, id).
    let mut groups: BTreeMap<(bool, String, String), Vec<&Change>> = BTreeMap::new();
    for c in &diff.changes {
        let key = match &c.area {
            Some(a) => (false, a.label(), a.id.clone()),
            None => (true, "Elsewhere".to_string(), String::new()),
        };
        groups.entry(key).or_default().push(c);
    }
    groups
        .into_iter()
        .map(|((_, heading, _), changes)| (heading, changes))
        .collect()
}

/// A unit's parent, short: its acronym, else its name; "the top" for a
/// unit at the top.
fn parent(u: &UnitSide) -> String {
    u.parent_acronym
        .clone()
        .or_else(|| u.parent_name.clone())
        .unwrap_or_else(|| "the top".to_string())
}

fn labels<'a>(units: impl IntoIterator<Item = &'a UnitSide>) -> String {
    let labels: Vec<String> = units.into_iter().map(UnitSide::label).collect();
    labels.join(" + ")
}

/// The unit before → after, with every way a unit that continues changed:
/// "Office of Investigations (OI) → Homeland Security Investigations
/// (HSI), office → directorate".
pub(crate) fn describe(c: &Change) -> String {
    let external = c.external.as_deref().unwrap_or("an outside body");
    let text = match c.kind {
        ChangeKind::Renamed
        | ChangeKind::Moved
        | ChangeKind::Redesignated
        | ChangeKind::Recoded => continuing(c),
        ChangeKind::Merged | ChangeKind::Absorbed => {
            let into = c.to.first().map_or(String::new(), UnitSide::label);
            format!(
                "{} → {into}{}{}",
                labels(c.principal_from()),
                living_on(c),
                carrying(c)
            )
        }
        ChangeKind::Split | ChangeKind::SpunOff => format!(
            "{} → {}{}",
            labels(c.principal_from()),
            labels(c.principal_to()),
            carrying(c)
        ),
        ChangeKind::Replaced => format!("{} → {}", labels(&c.from), labels(&c.to)),
        ChangeKind::TransferredOut => format!("{} → {external} (outside)", labels(&c.from)),
        ChangeKind::TransferredIn => format!("{external} (outside) → {}", labels(&c.to)),
        ChangeKind::Established | ChangeKind::Appeared | ChangeKind::Restored => labels(&c.to),
        ChangeKind::Abolished | ChangeKind::Disappeared => labels(&c.from),
    };
    safe(&text)
}

/// A unit that continues: "A → B, moved from ICE to HSI, office →
/// division".
fn continuing(c: &Change) -> String {
    let (Some(a), Some(b)) = (c.from.first(), c.to.first()) else {
        return labels(&c.to);
    };
    let mut parts = vec![if c.aspects.contains(&ChangeKind::Renamed) {
        format!("{} → {}", a.label(), b.label())
    } else {
        b.label()
    }];
    for aspect in &c.aspects {
        parts.push(match aspect {
            ChangeKind::Moved if c.kind == ChangeKind::Moved => {
                format!("from {} to {}", parent(a), parent(b))
            }
            ChangeKind::Moved => format!("moved from {} to {}", parent(a), parent(b)),
            ChangeKind::Redesignated => format!(
                "{} → {}",
                a.kind.as_deref().unwrap_or("?"),
                b.kind.as_deref().unwrap_or("?")
            ),
            ChangeKind::Recoded => format!("id {} → {}", a.id, b.id),
            _ => continue,
        });
    }
    parts.join(", ")
}

/// ", living on as X and Y": the parts of an absorption or merger.
fn living_on(c: &Change) -> String {
    let parts: Vec<String> = c
        .parts
        .iter()
        .filter(|p| p.to > 0 && !c.carries(p))
        .map(|p| c.to[p.to].label())
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(
            ", living on as {}",
            crate::report::tell::and_list(&parts, "")
        )
    }
}

/// ", carrying X and Y along": the sub-units a change carried along.
fn carrying(c: &Change) -> String {
    let carried: Vec<String> = c.carried().into_iter().map(UnitSide::label).collect();
    if carried.is_empty() {
        String::new()
    } else {
        format!(
            ", carrying {} along",
            crate::report::tell::and_list(&carried, "")
        )
    }
}

/// How a change is known, in a word: "curated/high", "inferred 0.82",
/// "observed", "identity".
pub(crate) fn basis_word(c: &Change) -> String {
    let level = if c.confidence >= Confidence::High.score() {
        "high"
    } else if c.confidence >= Confidence::Medium.score() {
        "medium"
    } else {
        "low"
    };
    match c.basis {
        Basis::Curated => format!("curated/{level}"),
        Basis::Inferred => format!("inferred {:.2}", c.confidence),
        Basis::Observed => "observed".to_string(),
        Basis::Identity if c.confidence >= 1.0 => "identity".to_string(),
        Basis::Identity => format!("identity/{level}"),
    }
}

/// The symbol and colour of a kind: `+` a unit begins, `-` it ends, `~`
/// it changes, `>` units join, `<` a unit divides.
fn mark(kind: ChangeKind) -> (char, Style) {
    use ChangeKind::*;
    let (symbol, colour) = match kind {
        Established | Appeared | TransferredIn | Restored => ('+', AnsiColor::Green),
        Abolished | Disappeared | TransferredOut => ('-', AnsiColor::Red),
        Renamed | Moved | Redesignated | Recoded | Replaced => ('~', AnsiColor::Yellow),
        Merged | Absorbed => ('>', AnsiColor::Cyan),
        Split | SpunOff => ('<', AnsiColor::Cyan),
    };
    (symbol, Style::new().fg_color(Some(colour.into())))
}

const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();

/// The text form: summary, then the changes under their headings.
pub fn text(diff: &Diff, options: &Options) -> String {
    let layout = options.layout;
    let mut out = String::new();
    push_wrapped(&mut out, &layout, &summary(diff), 2);
    if let Some(compared) = compared(diff) {
        push_wrapped(&mut out, &layout, &layout.paint(DIM, &compared), 2);
    }
    for (heading, changes) in groups(diff) {
        out.push('\n');
        push_wrapped(&mut out, &layout, &layout.paint(BOLD, &safe(&heading)), 2);
        // The kind column is as wide as the widest kind of the group.
        let kind_width = changes
            .iter()
            .map(|c| c.kind.words().len())
            .max()
            .unwrap_or(0);
        for c in changes {
            entry(&mut out, c, kind_width, options);
        }
    }
    out
}

/// One change: "  ~ renamed  2010-06  A → B, office → directorate
/// curated/high", wrapped under the date; with `-v`, its evidence, steps
/// and sources below.
fn entry(out: &mut String, c: &Change, kind_width: usize, options: &Options) {
    let layout = options.layout;
    let (symbol, style) = mark(c.kind);
    let symbol = if layout.styled {
        format!("{} ", layout.paint(style, &symbol.to_string()))
    } else {
        String::new()
    };
    let kind = c.kind.words();
    let padding = " ".repeat(kind_width - kind.len());
    let date = c
        .date
        .as_ref()
        .map_or("—".to_string(), std::string::ToString::to_string);
    // The basis goes with the last word before it: a line never starts
    // with it alone.
    let line = format!(
        "  {symbol}{}{padding}  {date}  {}{GLUE}{GLUE}{}",
        layout.paint(style, &kind),
        describe(c),
        layout.paint(DIM, &basis_word(c).replace(' ', &GLUE.to_string()))
    );
    let indent = 2 + if layout.styled { 2 } else { 0 } + kind_width + 2;
    push_wrapped(out, &layout, &line, indent);
    if !options.verbose {
        return;
    }
    let detail = |out: &mut String, text: String| {
        let line = format!("{}{}", " ".repeat(indent), layout.paint(DIM, &safe(&text)));
        push_wrapped(out, &layout, &line, indent + 2);
    };
    for e in &c.evidence {
        detail(out, format!("· {e}"));
    }
    for v in &c.via {
        let date = v.date.as_ref().map_or(String::new(), |d| format!(" {d}"));
        detail(
            out,
            format!("via {}{date}: {}", v.kind.words(), v.unit.label()),
        );
    }
    if !c.sources.is_empty() {
        detail(out, format!("sources: {}", c.sources.join(", ")));
    }
}

/// A space that text is not wrapped at (no-break space); printed as a
/// plain space. Dataset text has none (see [`safe`]).
const GLUE: char = '\u{a0}';

fn push_wrapped(out: &mut String, layout: &Layout, text: &str, indent: usize) {
    for line in layout.wrap(text, indent) {
        out.push_str(&line.replace(GLUE, " "));
        out.push('\n');
    }
}

/// A table for those who want one: a row per change, in the text form's
/// order (by top-level unit, then date): its kind, date and basis; the
/// change; and its first piece of evidence, shortened to fit the width.
pub fn table(diff: &Diff, width: Option<usize>) -> String {
    let layout = Layout {
        width,
        styled: false,
    };
    let mut out = String::new();
    push_wrapped(&mut out, &layout, &summary(diff), 2);
    if let Some(compared) = compared(diff) {
        push_wrapped(&mut out, &layout, &compared, 2);
    }
    let changes: Vec<&Change> = groups(diff).into_iter().flat_map(|(_, c)| c).collect();
    let firsts: Vec<[String; 3]> = changes
        .iter()
        .map(|c| {
            let date = c
                .date
                .as_ref()
                .map_or("—".to_string(), std::string::ToString::to_string);
            [c.kind.words(), date, basis_word(c)]
        })
        .collect();
    const HEADER: [&str; 3] = ["kind, when, basis", "change", "evidence"];
    let first_width = firsts
        .iter()
        .flatten()
        .map(String::as_str)
        .chain([HEADER[0]])
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0);
    // Borders and padding of three columns take 10; the evidence gets a
    // third of what is left, the change the rest.
    let rest = width.map(|w| w.saturating_sub(10 + first_width).max(30));
    let (change_width, evidence_width) = match rest {
        Some(r) => (Some(r - r / 3), Some(r / 3)),
        None => (None, None),
    };
    let cell = |text: &str, width: Option<usize>| {
        let layout = Layout {
            width,
            styled: false,
        };
        layout.wrap(text, 0).join("\n")
    };
    let mut builder = tabled::builder::Builder::default();
    builder.push_record(HEADER.map(String::from));
    for (c, first) in changes.iter().zip(firsts) {
        // As much of the evidence as three lines of its column hold.
        let evidence = safe(&c.evidence.join("; "));
        let evidence = evidence_width.map_or(evidence.clone(), |w| shorten(&evidence, 3 * w));
        builder.push_record([
            first.join("\n"),
            cell(&describe(c), change_width),
            cell(&evidence, evidence_width),
        ]);
    }
    let mut table = builder.build();
    table.with(tabled::settings::Style::sharp());
    out.push_str(&table.to_string());
    out.push('\n');
    out
}

/// Text cut to at most `width` characters, at a word where it can be,
/// with "…" where it was cut.
fn shorten(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    let at_word = match kept.rfind(' ') {
        Some(i) if i > width / 2 => &kept[..i],
        _ => &kept,
    };
    format!("{}…", at_word.trim_end())
}

/// Markdown: the summary, then a section per top-level unit with a bullet
/// per change, its evidence and sources nested under it.
pub fn markdown(diff: &Diff) -> String {
    let (head, counts) = headline(diff);
    let mut out = format!("# {}\n", escape::markdown(&head));
    if !counts.is_empty() {
        let _ = write!(out, "\n{}.\n", escape::markdown(&counts));
    }
    if let Some(compared) = compared(diff) {
        let _ = write!(out, "\n{}\n", escape::markdown(&compared));
    }
    for (heading, changes) in groups(diff) {
        let _ = write!(out, "\n## {}\n\n", escape::markdown(&heading));
        for c in changes {
            let date = c
                .date
                .as_ref()
                .map_or("—".to_string(), std::string::ToString::to_string);
            let _ = writeln!(
                out,
                "- **{}** {} — {} *({})*",
                escape::markdown(&c.kind.words()),
                escape::markdown(&date),
                escape::markdown(&describe(c)),
                escape::markdown(&basis_word(c))
            );
            for e in &c.evidence {
                let _ = writeln!(out, "  - {}", escape::markdown(e));
            }
            for v in &c.via {
                let date = v.date.as_ref().map_or(String::new(), |d| format!(" {d}"));
                let _ = writeln!(
                    out,
                    "  - via {}{}: {}",
                    escape::markdown(&v.kind.words()),
                    escape::markdown(&date),
                    escape::markdown(&v.unit.label())
                );
            }
            if !c.sources.is_empty() {
                let _ = writeln!(
                    out,
                    "  - sources: {}",
                    escape::markdown(&c.sources.join(", "))
                );
            }
        }
    }
    out
}

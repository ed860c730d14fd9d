//! Shared pieces of the text renderers: terminal tables and CSV cells.
//! Every renderer escapes what it prints; these are the escapes for the
//! formats that several commands share.

pub mod changes;
pub mod crosswalk;
pub mod diff;
// HTML escapes serve the command line's report.
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub(crate) mod escape;
#[cfg(feature = "cli")]
pub(crate) mod find;
pub(crate) mod graph;
pub mod lineage;
#[cfg(feature = "cli")]
pub(crate) mod report;
#[cfg(feature = "cli")]
pub(crate) mod show;
#[cfg(feature = "cli")]
pub(crate) mod snapshots;
pub(crate) mod svg;
pub(crate) mod term;

pub use term::{terminal_width, Layout};

use tabled::builder::Builder;
use tabled::settings::peaker::Priority;
use tabled::settings::{Style, Width};

/// A table with a header row, fitted to `width` by wrapping the widest
/// columns first, between words where they fit.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>], width: Option<usize>) -> String {
    let mut builder = Builder::default();
    builder.push_record(header.iter().map(std::string::ToString::to_string));
    for row in rows {
        builder.push_record(row.iter().map(|c| one_line(c)));
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    if let Some(w) = width {
        table.with(
            Width::wrap(w)
                .keep_words(true)
                .priority(Priority::max(true)),
        );
    }
    let mut s = table.to_string();
    s.push('\n');
    s
}

/// Text on one line: newlines and tabs become spaces.
pub(crate) fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A CSV cell that a spreadsheet will not run as a formula: values starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return get a leading `'`.
pub(crate) fn csv_cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// CSV text of a header and rows, quoted as needed and guarded against
/// formula injection.
pub(crate) fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect("writing to memory");
    for row in rows {
        w.write_record(row.iter().map(|c| csv_cell(c)))
            .expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        let out = csv(
            &["a", "b"],
            &[vec!["=HYPERLINK(\"x\")".into(), "a,b\nc".into()]],
        );
        assert_eq!(out, "a,b\n\"'=HYPERLINK(\"\"x\"\")\",\"a,b\nc\"\n");
    }
}

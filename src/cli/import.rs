//! `reorg import FILE --date DATE`: an org chart (CSV, outline or JSON) as
//! a snapshot in the dataset's RON format.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::{exit, Context, Failure};
use crate::date::{Date, DATE_HELP};
use crate::import::{self, Format, Header};
use crate::load::{EVENTS_FILE, SOURCES_FILE};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "CSV columns (any order; id and name required): id, name, parent (the parent's id; empty or absent for the root), kind, acronym, aliases (;-separated), description.\nAn outline has one unit per line, sub-units indented below; trailing parentheses hold an acronym when they enclose one word with a capital and at least two capitals or digits, such as (ICE), (EP&R) or (D1), not (East) or (2010). Units nest at most 100 levels deep.\nJSON is an array of objects with the CSV's fields.\n\nExamples:\n  reorg import chart-2019.csv --date 2019-07 -o data/2019-07.ron\n  reorg import outline.txt --date 2003 --id dhs-2003 --title \"DHS in 2003\""
)]
pub(crate) struct Args {
    /// The chart to read
    pub file: PathBuf,
    /// The snapshot's date (EDTF: 2019, 2019-07, 2019-07-31, 2012/2015 ...)
    #[arg(long, value_name = "DATE")]
    pub date: String,
    /// The snapshot's id (default: the date)
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// The snapshot's title (default: the file name)
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// The unit whose subtree the chart documents (the chart's root)
    #[arg(long, value_name = "UNIT")]
    pub scope: Option<String>,
    /// A source key the snapshot cites (repeatable)
    #[arg(long = "source", value_name = "KEY")]
    pub sources: Vec<String>,
    /// The input format (default: by extension; .csv, .json, else outline)
    #[arg(long = "from", value_enum)]
    pub format: Option<InputFormat>,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum InputFormat {
    Csv,
    Outline,
    Json,
}

/// "[########            ] 40%  400000 rows".
fn progress_bar(rows: usize, bytes: u64, total: u64) -> String {
    const WIDTH: usize = 20;
    let bytes = bytes.min(total);
    let done = (bytes * WIDTH as u64).checked_div(total).unwrap_or(0) as usize;
    let percent = (bytes * 100).checked_div(total).unwrap_or(0);
    format!(
        "[{}{}] {percent:>3}%  {rows} rows",
        "#".repeat(done),
        " ".repeat(WIDTH - done)
    )
}

pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    // Mistakes in the arguments, not in the file: refused as such (exit 2)
    // before anything is read.
    let header = header(args)?;
    refuse_dataset_files(args.output.as_deref())?;
    ctx.reads(&args.file);
    let format = args.format.map(|f| match f {
        InputFormat::Csv => Format::Csv,
        InputFormat::Outline => Format::Outline,
        InputFormat::Json => Format::Json,
    });
    let total = std::fs::metadata(&args.file).map_or(0, |m| m.len());
    let show = std::io::stderr().is_terminal();
    let mut progress = |rows: usize, bytes: u64| {
        if show {
            let _ = write!(std::io::stderr(), "\r{}", progress_bar(rows, bytes, total));
        }
    };
    let chart = import::read(&args.file, format, &mut progress);
    if show {
        let _ = write!(std::io::stderr(), "\r\x1b[K");
    }
    let snapshot = import::build(chart?, &header)?;
    ctx.emit(
        args.output.as_deref(),
        &crate::write::snapshot_to_ron(&snapshot),
    )?;
    Ok(exit::SUCCESS)
}

/// The snapshot's header from the options: a date, and an id and title
/// that are not empty (the id on one line).
fn header(args: &Args) -> Result<Header, Failure> {
    let date =
        Date::parse(&args.date).map_err(|e| Failure::usage(format!("--date: {e}; {DATE_HELP}")))?;
    let id = args.id.clone().unwrap_or_else(|| args.date.clone());
    if id.trim().is_empty() || id.chars().any(char::is_control) {
        return Err(Failure::usage(
            "--id: a snapshot id is one line of text, not empty",
        ));
    }
    let file_name = args.file.file_name().map_or_else(
        || args.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let title = args.title.clone().unwrap_or(file_name);
    if title.trim().is_empty() {
        return Err(Failure::usage("--title: a snapshot needs a title"));
    }
    Ok(Header {
        id,
        date,
        title,
        scope: args.scope.clone(),
        sources: args.sources.clone(),
    })
}

/// A snapshot written as `events.ron` or `sources.ron` would take the place
/// of a dataset's curated events or sources.
fn refuse_dataset_files(output: Option<&Path>) -> Result<(), Failure> {
    let name = output
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().to_lowercase());
    match name.as_deref() {
        Some(n @ (EVENTS_FILE | SOURCES_FILE)) => Err(Failure::usage(format!(
            "-o: a snapshot written as {n} would replace a dataset's {}; \
             name the file after the snapshot, such as 2019-07.ron",
            if n == EVENTS_FILE {
                "curated events"
            } else {
                "sources"
            }
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::progress_bar;

    #[test]
    fn the_progress_bar_fills_with_the_bytes_read() {
        assert_eq!(
            progress_bar(400_000, 40, 100),
            "[########            ]  40%  400000 rows"
        );
        assert_eq!(
            progress_bar(10, 5, 0),
            "[                    ]   0%  10 rows"
        );
    }
}

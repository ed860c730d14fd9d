//! `reorg import FILE --date DATE`: an org chart (CSV, outline or JSON) as
//! a snapshot in the dataset's RON format.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use super::{emit, exit, Context, Failure};
use crate::date::{Date, DATE_HELP};
use crate::import::{self, Format, Header, Problem};
use crate::output::Target;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "CSV columns (any order; id and name required): id, name, parent (the parent's id; empty or absent for the root), kind, acronym, aliases (;-separated), description.\nAn outline has one unit per line, sub-units indented below; trailing parentheses hold an acronym when they enclose one word with a capital and at least two capitals or digits, such as (ICE), (EP&R) or (D1), not (East) or (2010). Units nest at most 100 levels deep.\nJSON is an array of objects with the CSV's fields.\n\nExamples:\n  reorg import chart-2019.csv --date 2019-07 -o data/2019-07.ron\n  reorg import outline.txt --date 2003 --id dhs-2003 --title \"DHS in 2003\""
)]
pub struct Args {
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
pub enum InputFormat {
    Csv,
    Outline,
    Json,
}

fn failure(file: &str, problems: &[Problem]) -> Failure {
    let mut message = format!(
        "{} problem(s) in {file}; nothing was written",
        problems.len()
    );
    for p in problems {
        message.push('\n');
        message.push_str(&p.render(file));
    }
    Failure::data(message)
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

pub fn run(_ctx: &Context, args: &Args) -> Result<u8, Failure> {
    // A bad --date is a mistake in the arguments, not in the file: refuse
    // it as such (exit 2) before reading anything.
    Date::parse(&args.date).map_err(|e| Failure::usage(format!("--date: {e}; {DATE_HELP}")))?;
    let path = args.file.display().to_string();
    let format = match args.format {
        Some(InputFormat::Csv) => Format::Csv,
        Some(InputFormat::Outline) => Format::Outline,
        Some(InputFormat::Json) => Format::Json,
        None => Format::of_path(&path),
    };
    let open_error = |e: std::io::Error| Failure::data(format!("cannot read {path}: {e}"));
    let rows = match format {
        Format::Csv => {
            let file = std::fs::File::open(&args.file).map_err(open_error)?;
            let total = file.metadata().map_or(0, |m| m.len());
            let show = std::io::stderr().is_terminal();
            let mut progress = |rows: usize, bytes: u64| {
                if show {
                    let _ = write!(std::io::stderr(), "\r{}", progress_bar(rows, bytes, total));
                }
            };
            let rows = import::read_csv(std::io::BufReader::new(file), &mut progress);
            if show {
                let _ = write!(std::io::stderr(), "\r\x1b[K");
            }
            rows
        }
        Format::Outline => {
            import::read_outline(&std::fs::read_to_string(&args.file).map_err(open_error)?)
        }
        Format::Json => {
            import::read_json(&std::fs::read_to_string(&args.file).map_err(open_error)?)
        }
    }
    .map_err(|p| failure(&path, &p))?;
    let file_name = args
        .file
        .file_name()
        .map_or(path.clone(), |n| n.to_string_lossy().into_owned());
    let header = Header {
        id: args.id.clone().unwrap_or_else(|| args.date.clone()),
        date: args.date.clone(),
        title: args.title.clone().unwrap_or(file_name),
        scope: args.scope.clone(),
        sources: args.sources.clone(),
    };
    let snapshot = import::build(rows, &header).map_err(|p| failure(&path, &p))?;
    emit(
        &Target::from_arg(args.output.as_deref()),
        &crate::write::snapshot_to_ron(&snapshot),
    )?;
    Ok(exit::SUCCESS)
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

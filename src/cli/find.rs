//! `reorg find QUERY`: units by name, acronym or alias across all eras.

use std::io::Write;
use std::path::PathBuf;

use super::{exit, Context, Failure};
use crate::diff::history::History;
use crate::render;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "A search that finds nothing is not an error: it exits 0 in every format, with an \
empty result (and, for the table, a note on standard error).\n\nExamples:\n  reorg find intel\n  reorg find \"national security\" --format json\n  reorg find office --format csv -o offices.csv"
)]
pub(crate) struct Args {
    /// Words of a name, an acronym or an alias
    pub query: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(super) use super::ListFormat as Format;

pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let dataset = ctx.dataset()?;
    let history = History::build(&dataset);
    let found = crate::find::find(&history, &args.query);
    let out = match args.format {
        Format::Table => render::find::table(&found, render::terminal_width()),
        Format::Json => render::find::json(&args.query, &found),
        Format::Csv => render::find::csv(&found),
        Format::Md => render::find::markdown(&found),
    };
    ctx.emit(args.output.as_deref(), &out)?;
    if found.is_empty() && args.format == Format::Table {
        let _ = writeln!(
            std::io::stderr(),
            "no unit matches `{}` in any era",
            args.query
        );
    }
    Ok(exit::SUCCESS)
}

//! `reorg crosswalk FROM TO`: every unit at FROM and what it is at TO.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{exit, Context, Failure};
use crate::crosswalk::{self, CrosswalkError, Options, Shares};
use crate::date::{parse_query_day, Day};
use crate::diff::history::History;
use crate::find::Resolver;
use crate::render;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  reorg crosswalk 2008 2024\n  reorg crosswalk 2008 2024 --under \"Office of Investigations\"\n  reorg crosswalk 2008 2024 --format csv -o crosswalk.csv\n  reorg crosswalk 2020 2024 --shares shares.csv --format json\n\nRelations: same, renamed, moved, redesignated, recoded (the unit itself is at TO), merged_into, absorbed_into, split_into, replaced_by, restored_as, transferred_out, ended (a source says so) and disappeared (no longer documented). A unit divided among several parts has a share for each, equal unless --shares gives them (a CSV of unit,part,share); the shares of a unit add up to 1.\n\nExit status: 0 success; 2 usage (a bad date, or a UNIT that names no unit at FROM, or several); 3 a bad shares table."
)]
pub(crate) struct Args {
    /// The earlier date (YYYY, YYYY-MM or YYYY-MM-DD)
    pub from: String,
    /// The later date
    pub to: String,
    /// Only the units under this unit at FROM (itself included)
    #[arg(long, value_name = "UNIT")]
    pub under: Option<String>,
    /// Shares for divided units: a CSV of unit,part,share
    #[arg(long, value_name = "FILE")]
    pub shares: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(super) use super::ListFormat as Format;

/// FROM and TO as days, or a usage failure.
pub(super) fn days(from: &str, to: &str) -> Result<(Day, Day), Failure> {
    let day = |label: &str, text: &str| {
        parse_query_day(text).map_err(|e| Failure::usage(format!("{label}: {e}")))
    };
    Ok((day("FROM", from)?, day("TO", to)?))
}

/// A failure of a table a command reads, beyond the dataset (a table to
/// convert, a shares table).
pub(super) fn bad_input(message: impl Into<String>) -> Failure {
    Failure::Input(message.into())
}

/// Reads a shares table, naming its units as UNIT arguments are named.
pub(super) fn read_shares(
    ctx: &Context,
    path: &Path,
    history: &History,
) -> Result<Shares, Failure> {
    ctx.reads(path);
    let file = std::fs::File::open(path)
        .map_err(|e| bad_input(format!("cannot read {}: {e}", path.display())))?;
    Shares::read(std::io::BufReader::new(file), &Resolver::new(history))
        .map_err(|e| bad_input(format!("{}: {e}", path.display())))
}

/// A failure to make a crosswalk, sorted into usage and bad input (of the
/// shares table read from `shares_file`).
pub(super) fn failure(e: CrosswalkError, shares_file: Option<&Path>) -> Failure {
    match e {
        CrosswalkError::Shares(_) => {
            let file = shares_file.map_or(String::new(), |p| format!("{}: ", p.display()));
            bad_input(format!("{file}{e}"))
        }
        CrosswalkError::Diff(_) | CrosswalkError::UnderNotAtFrom { .. } => {
            Failure::usage(e.to_string())
        }
    }
}

pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let (from, to) = days(&args.from, &args.to)?;
    let dataset = ctx.dataset()?;
    let history = History::build(&dataset);
    let under = (args.under.as_deref())
        .map(|q| super::lineage::resolve_unit(&history, q))
        .transpose()?;
    let shares = (args.shares.as_deref())
        .map(|p| read_shares(ctx, p, &history))
        .transpose()?;
    let options = Options {
        under,
        shares: shares.as_ref(),
    };
    let cw = crosswalk::crosswalk(&history, (&args.from, from), (&args.to, to), &options)
        .map_err(|e| failure(e, args.shares.as_deref()))?;
    let out = match args.format {
        Format::Table => render::crosswalk::table(&cw, render::terminal_width()),
        Format::Json => render::crosswalk::json(&cw),
        Format::Csv => render::crosswalk::csv(&cw),
        Format::Md => render::crosswalk::markdown(&cw),
    };
    ctx.emit(args.output.as_deref(), &out)?;
    let mut err = std::io::stderr().lock();
    for warning in &cw.warnings {
        let _ = writeln!(err, "warning: {warning}");
    }
    Ok(exit::SUCCESS)
}

//! `reorg convert DATA --key COL --from D --to D`: a table keyed by the
//! units of one date, re-keyed to the units of another.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::crosswalk::{bad_input, days, failure, read_shares};
use super::{exit, Context, Failure};
use crate::convert::{self, format_number, Converted, KeyBy, Options, RollUp, TextRule};
use crate::crosswalk;
use crate::diff::history::History;
use crate::render;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  reorg convert staff-2008.csv --key office --from 2008 --to 2024 -o staff-2024.csv\n  reorg convert budget.csv --key unit --by name --from 2012 --to 2024 --rejects rejects.csv\n  reorg convert staff.csv --key office --from 2008 --to 2024 --level directorate\n\nEach row's key names a unit at FROM (an id, or with --by name a name, acronym or alias; names from other eras name the unit they were or became). Summed columns (--sum, by default every column of numbers) are added up over units merged together and divided among the parts of a split unit by --shares FILE (unit,part,share) or equally, which the added `shares` column flags. Rows whose key names no unit or several, and the shares of units that left or ended, are set aside: listed on standard error and written to --rejects FILE. The totals of the summed columns are printed on standard error: what was read is what was written plus what was set aside.\n\nExit status: 0 success; 2 usage; 3 a bad table or shares table (nothing is written)."
)]
pub(crate) struct Args {
    /// The table to convert: CSV with a header row
    #[arg(value_name = "DATA")]
    pub table: PathBuf,
    /// The column that names units
    #[arg(long, value_name = "COLUMN")]
    pub key: String,
    /// The date the table's units are of
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// The date to convert to
    #[arg(long, value_name = "DATE")]
    pub to: String,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// What the keys are
    #[arg(long, value_enum, default_value_t = By::Id)]
    pub by: By,
    /// Write the rows set aside to FILE
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// The columns to sum, comma-separated (default: every column of numbers)
    #[arg(long, value_name = "COL,...", value_delimiter = ',')]
    pub sum: Vec<String>,
    /// Shares for divided units: a CSV of unit,part,share
    #[arg(long, value_name = "FILE")]
    pub shares: Option<PathBuf>,
    /// Text columns of rows that go to one unit: the first value, the
    /// distinct values joined, or dropped
    #[arg(long, value_enum, default_value_t = Text::Join)]
    pub text: Text,
    /// Roll the results up to the nearest unit of this kind at TO
    #[arg(long, value_name = "KIND", conflicts_with = "depth")]
    pub level: Option<String>,
    /// Roll the results up to the units at this depth at TO (1: the top)
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum By {
    Id,
    Name,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Text {
    First,
    Join,
    Drop,
}

/// Opens the table to convert.
fn open(path: &Path) -> Result<BufReader<File>, Failure> {
    File::open(path)
        .map(BufReader::new)
        .map_err(|e| bad_input(format!("cannot read {}: {e}", path.display())))
}

/// The options the arguments ask for; the columns to sum are read from
/// the table when none are named.
fn options(args: &Args) -> Result<Options, Failure> {
    let sum = if args.sum.is_empty() {
        convert::numeric_columns(open(&args.table)?, &args.key)
            .map_err(|e| bad_input(format!("{}: {e}", args.table.display())))?
    } else {
        args.sum.iter().map(|c| c.trim().to_string()).collect()
    };
    Ok(Options {
        key: args.key.clone(),
        by: match args.by {
            By::Id => KeyBy::Id,
            By::Name => KeyBy::Name,
        },
        sum,
        text: match args.text {
            Text::First => TextRule::First,
            Text::Join => TextRule::Join,
            Text::Drop => TextRule::Drop,
        },
        roll_up: match (&args.level, args.depth) {
            (Some(kind), _) => Some(RollUp::Kind(kind.clone())),
            (None, Some(depth)) => Some(RollUp::Depth(depth)),
            (None, None) => None,
        },
    })
}

/// Where the rejects go while the table is read: a temporary file the
/// system removes however the process ends; they are written to
/// `--rejects FILE` once the conversion has succeeded.
fn rejects_file() -> Result<File, Failure> {
    tempfile::tempfile()
        .map_err(|e| bad_input(format!("cannot make a temporary file for the rejects: {e}")))
}

/// The rejects gathered in `file`, written to their file.
fn write_rejects(ctx: &Context, path: &Path, file: File) -> Result<(), Failure> {
    let mut text = String::new();
    let mut file = file;
    file.seek(SeekFrom::Start(0))
        .and_then(|_| file.read_to_string(&mut text))
        .map_err(|e| bad_input(format!("cannot read back the rejects: {e}")))?;
    ctx.emit(Some(path), &text)
}

pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let (from, to) = days(&args.from, &args.to)?;
    let dataset = ctx.dataset()?;
    let history = History::build(&dataset);
    let shares = (args.shares.as_deref())
        .map(|p| read_shares(ctx, p, &history))
        .transpose()?;
    let crosswalk_options = crosswalk::Options {
        under: None,
        shares: shares.as_ref(),
    };
    let parts = crosswalk::parts(&history, (&args.from, from), to, &crosswalk_options)
        .map_err(|e| failure(e, args.shares.as_deref()))?;
    let options = options(args)?;
    if let Some(rule) = &options.roll_up {
        rule.check(history.state(history.state_index(to)))
            .map_err(|e| Failure::usage(format!("{}; {}", e.message, e.help)))?;
    }
    ctx.reads(&args.table);
    let mut rejects = args.rejects.as_ref().map(|_| rejects_file()).transpose()?;
    let converted = {
        let mut writer = rejects.as_mut().map(BufWriter::new);
        let converted = convert::convert(
            open(&args.table)?,
            writer.as_mut().map(|w| w as &mut dyn Write),
            &parts,
            &history,
            &options,
        );
        converted.map_err(|e| bad_input(format!("{}: {e}", args.table.display())))?
    };
    let out = render::crosswalk::data_csv(&converted.header, &converted.rows);
    ctx.emit(args.output.as_deref(), &out)?;
    if let (Some(file), Some(path)) = (rejects, &args.rejects) {
        write_rejects(ctx, path, file)?;
    }
    print_report(args, &converted);
    for warning in &parts.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(exit::SUCCESS)
}

/// "1 row", "2 rows".
pub(super) fn rows(n: usize) -> String {
    if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    }
}

/// What the conversion did, on standard error: rows, totals, problems.
fn print_report(args: &Args, converted: &Converted) {
    let r = &converted.report;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "{} ({} → {}): {} read, {} placed in {} written",
        args.table.display(),
        args.from,
        args.to,
        rows(r.rows),
        r.placed,
        rows(r.written)
    );
    if r.unplaced > 0 {
        let _ = writeln!(
            err,
            "  {} not placed: the key names no unit, or several",
            rows(r.unplaced)
        );
    }
    if r.gone > 0 {
        let _ = writeln!(
            err,
            "  {} set aside, wholly or in part: the unit left or ended by {}",
            rows(r.gone),
            args.to
        );
    }
    for t in &r.totals {
        let _ = writeln!(
            err,
            "  {}: {} read = {} written + {} set aside",
            t.column,
            format_number(t.read),
            format_number(t.written),
            format_number(t.set_aside)
        );
    }
    for problem in &r.problems {
        let _ = writeln!(err, "{problem}");
    }
    let unlisted = r.unplaced.saturating_sub(r.problems.len());
    if unlisted > 0 {
        let _ = writeln!(err, "... and {} more not placed", rows(unlisted));
    }
    if r.unplaced + r.gone > 0 {
        let _ = match &args.rejects {
            Some(path) => writeln!(err, "the rows set aside are in {}", path.display()),
            None => writeln!(
                err,
                "write the rows set aside to a file with --rejects FILE"
            ),
        };
    }
    for warning in &r.warnings {
        let _ = writeln!(err, "warning: {warning}");
    }
}

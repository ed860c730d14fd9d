//! `reorg timeline`: every change in date order.

use std::path::PathBuf;

use super::{exit, Context, Failure};
use crate::date::{parse_query_day, Day};
use crate::diff::{Diff, Endpoint};
use crate::render;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  reorg timeline\n  reorg timeline --from 2009 --to 2013 --under HSI\n  reorg timeline --kind renamed --format csv"
)]
pub(crate) struct Args {
    /// From the end of this date (default: the beginning)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// To the end of this date (default: the latest snapshot)
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only changes touching this unit's subtree
    #[arg(long, value_name = "UNIT")]
    pub under: Option<String>,
    /// Only these kinds, comma-separated
    #[arg(long, value_name = "KIND,...", value_delimiter = ',')]
    pub kind: Vec<String>,
    /// Output format: text for people (a table if you prefer one), json,
    /// csv or md
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// With the text and table formats, show each change's evidence,
    /// intermediate steps and sources
    #[arg(short, long)]
    pub verbose: bool,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Text,
    Table,
    Json,
    Csv,
    Md,
}

/// The version of the JSON document.
pub(super) const SCHEMA: &str = "reorg.timeline/2";

pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let day = |label: &str, text: &Option<String>, default: Day| match text {
        Some(t) => parse_query_day(t).map_err(|e| Failure::usage(format!("{label}: {e}"))),
        None => Ok(default),
    };
    let from = day("--from", &args.from, Day::MIN)?;
    let to = day("--to", &args.to, Day::MAX)?;
    if from > to {
        return Err(Failure::usage(
            "--from is after --to; give the earlier date first",
        ));
    }
    let dataset = ctx.dataset()?;
    let filter = super::diff::filter(&dataset, args.under.as_deref(), &args.kind, 0.0, [from, to])?;
    let changes = crate::timeline::timeline(&dataset, from, to, &filter);
    let endpoint = |text: &Option<String>, day: Day, open: &str| Endpoint {
        date: text.clone().unwrap_or_else(|| open.to_string()),
        day: (day != Day::MIN && day != Day::MAX).then_some(day),
        snapshots: Vec::new(),
        possibly: Vec::new(),
    };
    let timeline = Diff {
        from: endpoint(&args.from, from, "the beginning"),
        to: endpoint(&args.to, to, "the latest snapshot"),
        changes,
    };
    let options = render::changes::Options {
        layout: super::diff::layout_for(args.output.as_deref()),
        verbose: args.verbose,
    };
    let out = match args.format {
        Format::Text => render::changes::text(&timeline, &options),
        Format::Table => render::changes::table(&timeline, options.layout.width),
        Format::Json => render::diff::json_with_schema(&timeline, SCHEMA),
        Format::Csv => render::diff::csv(&timeline),
        Format::Md => render::changes::markdown(&timeline),
    };
    ctx.emit(args.output.as_deref(), &out)?;
    Ok(exit::SUCCESS)
}

//! `reorg export`: the whole history in interchange formats.

use std::path::PathBuf;

use super::{exit, Context, Failure};
use crate::date::{parse_query_day, Day};
use crate::export::{self, turtle::Base};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  reorg export --format org-ttl -o ice.ttl\n  reorg export --format org-ttl --base https://example.org/ice/\n  reorg export --format popolo -o ice.popolo.json\n  reorg export --format csv --from 2008 --to 2024 -o crosswalk.csv\n\nSee docs/export.md for the shape of each format."
)]
pub(crate) struct Args {
    /// Output format: W3C ORG + PROV-O in Turtle, Popolo JSON, or a CSV
    /// crosswalk between two dates
    #[arg(long, value_enum)]
    pub format: Format,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// csv: the earlier date (default: the first snapshot's)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// csv: the later date (default: the last snapshot's)
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// org-ttl: the prefix of the dataset's own IRIs [default: urn:reorg:]
    #[arg(long, value_name = "IRI")]
    pub base: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// W3C Organization Ontology and PROV-O, in Turtle
    OrgTtl,
    /// Popolo JSON (reorg.popolo/1)
    Popolo,
    /// A crosswalk between two dates, as `diff --format csv`
    Csv,
}

pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    refuse_options_of_other_formats(args)?;
    let out = match args.format {
        Format::OrgTtl => {
            let base = match &args.base {
                Some(text) => {
                    Base::parse(text).map_err(|e| Failure::usage(format!("--base: {e}")))?
                }
                None => Base::default(),
            };
            export::turtle::turtle(&*ctx.dataset()?, &base)
        }
        Format::Popolo => export::popolo::popolo(&*ctx.dataset()?),
        Format::Csv => {
            let from = query_day("--from", args.from.as_deref())?;
            let to = query_day("--to", args.to.as_deref())?;
            export::crosswalk(&*ctx.dataset()?, from, to)
                .map_err(|e| Failure::usage(e.to_string()))?
        }
    };
    ctx.emit(args.output.as_deref(), &out)?;
    Ok(exit::SUCCESS)
}

/// An option that the chosen format would silently ignore is a mistake.
fn refuse_options_of_other_formats(args: &Args) -> Result<(), Failure> {
    let given = |name: &'static str, value: &Option<String>| value.as_ref().map(|_| name);
    let misplaced = match args.format {
        Format::Csv => given("--base", &args.base),
        Format::OrgTtl | Format::Popolo => given("--from", &args.from).or(given("--to", &args.to)),
    };
    match misplaced {
        Some(option) => Err(Failure::usage(format!(
            "{option} does not apply to --format {}",
            format_name(args.format)
        ))),
        None => Ok(()),
    }
}

fn format_name(format: Format) -> String {
    use clap::ValueEnum;
    format
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

/// A date option as (the text given, the day it stands for).
fn query_day<'a>(label: &str, text: Option<&'a str>) -> Result<Option<(&'a str, Day)>, Failure> {
    text.map(|t| {
        parse_query_day(t)
            .map(|day| (t, day))
            .map_err(|e| Failure::usage(format!("{label}: {e}")))
    })
    .transpose()
}

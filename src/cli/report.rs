//! `reorg report FROM TO -o FILE`: a change report to publish.

use std::path::PathBuf;

use super::{exit, Context, Failure};
use crate::date::parse_query_day;
use crate::diff;
use crate::render;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "The format follows the file's extension (.md, .html, .json) unless --format is given.\n\nExamples:\n  reorg report 2008 2024 -o changes.html\n  reorg report 2008 2024 --under HSI -o hsi.md"
)]
pub(crate) struct Args {
    /// The earlier date
    pub from: String,
    /// The later date
    pub to: String,
    /// Only changes touching this unit's subtree
    #[arg(long, value_name = "UNIT")]
    pub under: Option<String>,
    /// Output format (default: from the extension of -o, else Markdown)
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Md,
    Html,
    Json,
}

fn format_of(args: &Args) -> Result<Format, Failure> {
    if let Some(f) = args.format {
        return Ok(f);
    }
    let extension = args
        .output
        .as_ref()
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy().to_lowercase());
    match extension.as_deref() {
        None | Some("md") | Some("markdown") => Ok(Format::Md),
        Some("html") | Some("htm") => Ok(Format::Html),
        Some("json") => Ok(Format::Json),
        Some(other) => Err(Failure::usage(format!(
            "-o: cannot tell the format from `.{other}`; use .md, .html or .json, or give --format"
        ))),
    }
}

pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let format = format_of(args)?;
    let day = |label: &str, text: &str| {
        parse_query_day(text).map_err(|e| Failure::usage(format!("{label}: {e}")))
    };
    let (from, to) = (day("FROM", &args.from)?, day("TO", &args.to)?);
    let dataset = ctx.dataset()?;
    let filter = super::diff::filter(&dataset, args.under.as_deref(), &[], 0.0, [from, to])?;
    let diff = diff::diff(&dataset, (&args.from, from), (&args.to, to), &filter)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let (first, last) = (dataset.state_at(from), dataset.state_at(to));
    let report = crate::report::build(&dataset, &diff, first, last, filter.under.as_deref());
    let out = match format {
        Format::Md => render::report::markdown(&report),
        Format::Html => {
            let flow = render::svg::flow::build(&diff, first, last, filter.under.as_deref());
            let svg = render::svg::flow::svg(&flow, render::svg::Styled::Inline);
            render::report::html(&report, Some(&svg))
        }
        Format::Json => render::report::json(&report),
    };
    ctx.emit(args.output.as_deref(), &out)?;
    Ok(exit::SUCCESS)
}

//! `reorg diff FROM TO`: what changed between two dates.

use std::path::PathBuf;

use super::{exit, Context, Failure};
use crate::dataset::Dataset;
use crate::date::parse_query_day;
use crate::diff::{self, Filter};
use crate::lookup::{find_in_state, Lookup};
use crate::model::ChangeKind;
use crate::render;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  reorg diff 2008 2024\n  reorg diff 2008 2024 -v --under HSI\n  reorg diff 2008 2024 --kind renamed,moved\n  reorg diff 2010 2013 --format json -o changes.json\n\nA partial date means its last day: 2008 is 2008-12-31. Text is wrapped to the terminal (or COLUMNS), not when piped; colour and symbols only on a terminal, never with NO_COLOR."
)]
pub(crate) struct Args {
    /// The earlier date (YYYY, YYYY-MM or YYYY-MM-DD)
    pub from: String,
    /// The later date
    pub to: String,
    /// Only changes touching this unit's subtree, on either side
    #[arg(long, value_name = "UNIT")]
    pub under: Option<String>,
    /// Only changes of these kinds, comma-separated (e.g. renamed,moved);
    /// a unit renamed and moved is both
    #[arg(long, value_name = "KIND,...", value_delimiter = ',')]
    pub kind: Vec<String>,
    /// Only changes at least this confident (0 to 1)
    #[arg(long, value_name = "X", default_value_t = 0.0)]
    pub min_confidence: f64,
    /// Output format: text for people (a table if you prefer one), json,
    /// csv (a crosswalk), md, dot or mermaid
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// With the text and table formats, show each change's evidence,
    /// intermediate steps and sources
    #[arg(short, long)]
    pub verbose: bool,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with 1 when there are changes (like `git diff --exit-code`)
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Text,
    Table,
    Json,
    Csv,
    Md,
    Dot,
    Mermaid,
    /// A picture: units at FROM and at TO joined by bands
    Svg,
}

/// Parses `--kind` values.
pub(super) fn parse_kinds(names: &[String]) -> Result<Vec<ChangeKind>, Failure> {
    names
        .iter()
        .map(|n| {
            ChangeKind::from_name(n.trim()).ok_or_else(|| {
                let all: Vec<&str> = ChangeKind::ALL.iter().map(|k| k.name()).collect();
                Failure::usage(format!(
                    "--kind: `{n}` is not a kind of change; use one of {}",
                    all.join(", ")
                ))
            })
        })
        .collect()
}

/// Resolves `--under` to a unit id, looking in the end state first; a
/// unit that names nothing or several is a usage failure (exit 2).
pub(super) fn resolve_under(
    dataset: &Dataset,
    query: &str,
    days: [crate::date::Day; 2],
) -> Result<String, Failure> {
    let mut ambiguous = Vec::new();
    for day in days.into_iter().rev() {
        let state = dataset.state_at(day);
        match find_in_state(state, query) {
            Lookup::Found(ix) => return Ok(state.unit(ix).id.clone()),
            Lookup::Ambiguous(hits) => {
                ambiguous = hits
                    .iter()
                    .map(|&ix| format!("  {} ({})", state.unit(ix).label(), state.unit(ix).id))
                    .collect();
            }
            Lookup::NotFound => {}
        }
    }
    if ambiguous.is_empty() {
        Err(Failure::usage(format!(
            "--under: no unit matches `{query}` at either date"
        )))
    } else {
        Err(Failure::usage(format!(
            "--under: `{query}` matches several units; give one of these ids:\n{}",
            ambiguous.join("\n")
        )))
    }
}

/// The filter the `--under`, `--kind` and `--min-confidence` options ask
/// for; `--under` is looked up at the two dates.
pub(super) fn filter(
    dataset: &Dataset,
    under: Option<&str>,
    kinds: &[String],
    min_confidence: f64,
    days: [crate::date::Day; 2],
) -> Result<Filter, Failure> {
    Ok(Filter {
        under: under.map(|q| resolve_under(dataset, q, days)).transpose()?,
        kinds: parse_kinds(kinds)?,
        min_confidence,
    })
}

/// How text for people is laid out where it goes (`-o`): standard output
/// as the terminal and environment ask; a file plainly.
pub(super) fn layout_for(output: Option<&std::path::Path>) -> render::term::Layout {
    use crate::output::Target;
    match Target::from_arg(output) {
        Target::Stdout => render::term::Layout::for_stdout(),
        Target::File(_) => render::term::Layout::plain(),
    }
}

pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let day = |label: &str, text: &str| {
        parse_query_day(text).map_err(|e| Failure::usage(format!("{label}: {e}")))
    };
    let (from, to) = (day("FROM", &args.from)?, day("TO", &args.to)?);
    if !(0.0..=1.0).contains(&args.min_confidence) {
        return Err(Failure::usage(
            "--min-confidence takes a number from 0 to 1",
        ));
    }
    let dataset = ctx.dataset()?;
    let filter = filter(
        &dataset,
        args.under.as_deref(),
        &args.kind,
        args.min_confidence,
        [from, to],
    )?;
    let diff = diff::diff(&dataset, (&args.from, from), (&args.to, to), &filter)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let options = render::changes::Options {
        layout: layout_for(args.output.as_deref()),
        verbose: args.verbose,
    };
    let out = match args.format {
        Format::Text => render::changes::text(&diff, &options),
        Format::Table => render::changes::table(&diff, options.layout.width),
        Format::Json => render::diff::json(&diff),
        Format::Csv => render::diff::csv(&diff),
        Format::Md => render::changes::markdown(&diff),
        Format::Dot => render::diff::dot(&diff),
        Format::Mermaid => render::diff::mermaid(&diff),
        Format::Svg => {
            let (first, last) = (dataset.state_at(from), dataset.state_at(to));
            let flow = render::svg::flow::build(&diff, first, last, filter.under.as_deref());
            render::svg::flow::svg(&flow, render::svg::Styled::Inline)
        }
    };
    ctx.emit(args.output.as_deref(), &out)?;
    Ok(if args.exit_code && !diff.changes.is_empty() {
        exit::CHANGES
    } else {
        exit::SUCCESS
    })
}

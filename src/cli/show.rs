//! `reorg show [--at DATE] [UNIT]`: the organization, or one unit's
//! subtree, at a date.

use std::path::PathBuf;

use super::{exit, Context, Failure};
use crate::date::parse_query_day;
use crate::lookup::{find_in_state, Lookup};
use crate::render;

#[derive(Debug, clap::Args)]
#[command(after_help = "A partial date means its last day: --at 2013 is the state on 2013-12-31.")]
pub(crate) struct Args {
    /// The date (YYYY, YYYY-MM or YYYY-MM-DD; default: the latest state)
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    /// Show only this unit's subtree (an id, name, acronym or alias)
    pub unit: Option<String>,
    /// Show this many levels below the top
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Tree)]
    pub format: Format,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Tree,
    Table,
    Json,
    Csv,
}

pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let dataset = ctx.dataset()?;
    let day = match &args.at {
        Some(text) => {
            Some(parse_query_day(text).map_err(|e| Failure::usage(format!("--at: {e}")))?)
        }
        None => None,
    };
    let state = match day {
        Some(d) => dataset.state_at(d),
        None => dataset.latest_state(),
    };
    let when = args.at.as_deref().unwrap_or("the latest snapshot");
    let mut units = match &args.unit {
        None => state.preorder().collect(),
        Some(query) => match find_in_state(state, query) {
            Lookup::Found(ix) => state.subtree(ix),
            Lookup::NotFound => {
                return Err(Failure::usage(format!(
                    "no unit matches `{query}` at {when}; `reorg show --at DATE` lists the units of a date"
                )))
            }
            Lookup::Ambiguous(hits) => {
                let list: Vec<String> = hits
                    .iter()
                    .map(|&ix| format!("  {}  ({})", state.unit(ix).label(), state.unit(ix).id))
                    .collect();
                return Err(Failure::usage(format!(
                    "`{query}` matches several units at {when}; give one of these ids:\n{}",
                    list.join("\n")
                )));
            }
        },
    };
    if let Some(max) = args.depth {
        units.retain(|&(_, depth)| depth <= max);
    }
    let view = render::show::View {
        dataset: &dataset,
        state,
        day,
        units,
    };
    let layout = super::diff::layout_for(args.output.as_deref());
    let out = match args.format {
        Format::Tree => layout.fit(&render::show::tree(&view)),
        Format::Table => render::show::table(&view, &layout),
        Format::Json => render::show::json(&view),
        Format::Csv => render::show::csv(&view),
    };
    ctx.emit(args.output.as_deref(), &out)?;
    Ok(exit::SUCCESS)
}

//! `reorg lineage UNIT`: where a unit came from and what became of it.

use std::path::PathBuf;

use super::{exit, Context, Failure};
use crate::diff::history::History;
use crate::find::{self, Found};
use crate::lineage::{self, Reach};
use crate::render;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  reorg lineage LEISI\n  reorg lineage \"Office of Investigations\" --descendants\n  reorg lineage NIRU --format mermaid"
)]
pub(crate) struct Args {
    /// The unit: an id, name, acronym or alias from any era
    pub unit: String,
    /// Follow links this many steps away (default: all)
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,
    /// Only predecessors
    #[arg(long, conflicts_with = "descendants")]
    pub ancestors: bool,
    /// Only successors
    #[arg(long)]
    pub descendants: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
    Dot,
    Mermaid,
    /// A picture: a time axis with a bar per version and linked units
    Svg,
}

/// The one thread a UNIT argument names, or a usage failure (exit 2)
/// listing candidates.
pub(super) fn resolve_unit(history: &History, query: &str) -> Result<usize, Failure> {
    let exact = find::resolve(history, query);
    let describe = |f: &Found| {
        let years = match f.years {
            (a, None) => format!("{a}–now"),
            (a, Some(b)) => format!("{a}–{b}"),
        };
        let parent = f.unit.parent_name.as_deref().unwrap_or("top level");
        format!(
            "  {}  [{}]  under {parent}, {years}",
            f.unit.label(),
            f.unit.id
        )
    };
    match exact.as_slice() {
        [one] => Ok(one.thread),
        [] => {
            let near: Vec<String> = find::find(history, query)
                .iter()
                .take(5)
                .map(describe)
                .collect();
            let hint = if near.is_empty() {
                "; `reorg find WORD` searches every era".to_string()
            } else {
                format!("; did you mean one of these?\n{}", near.join("\n"))
            };
            Err(Failure::usage(format!(
                "no unit of any era is named `{query}`{hint}"
            )))
        }
        many => {
            let list: Vec<String> = many.iter().map(describe).collect();
            Err(Failure::usage(format!(
                "`{query}` names several units; give one of these ids:\n{}",
                list.join("\n")
            )))
        }
    }
}

pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let dataset = ctx.dataset()?;
    let history = History::build(&dataset);
    let focus = resolve_unit(&history, &args.unit)?;
    let both = !args.ancestors && !args.descendants;
    let reach = Reach {
        ancestors: args.ancestors || both,
        descendants: args.descendants || both,
        depth: args.depth,
    };
    let lineage = lineage::lineage(&history, focus, reach);
    let out = match args.format {
        Format::Text => {
            super::diff::layout_for(args.output.as_deref()).fit(&render::lineage::text(&lineage))
        }
        Format::Json => render::lineage::json(&lineage),
        Format::Dot => render::lineage::dot(&lineage),
        Format::Mermaid => render::lineage::mermaid(&lineage),
        Format::Svg => {
            let now = dataset.snapshots().last().map(|s| &s.date);
            render::svg::lineage::svg(&lineage, now, render::svg::Styled::Inline)
        }
    };
    ctx.emit(args.output.as_deref(), &out)?;
    Ok(exit::SUCCESS)
}

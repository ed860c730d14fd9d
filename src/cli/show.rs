//! `reorg show [--at DATE] [UNIT]`: the organization, or one unit's
//! subtree, at a date.

use std::path::PathBuf;

use super::{exit, Context, Failure};
use crate::dataset::Dataset;
use crate::date::{parse_query_day, Day};
use crate::lookup::{find_in_state, Lookup};
use crate::render;
use crate::state::{OrgState, UnitIx};

#[derive(Debug, clap::Args)]
#[command(after_help = "A partial date means its last day: --at 2013 is the state on 2013-12-31.")]
pub struct Args {
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
pub enum Format {
    Tree,
    Table,
    Json,
    Csv,
}

/// What to print: a state, the units chosen from it, and where it came from.
struct View<'a> {
    dataset: &'a Dataset,
    state: &'a OrgState,
    day: Option<Day>,
    /// (unit, depth relative to the top shown)
    units: Vec<(UnitIx, usize)>,
}

pub fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
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
    let view = View {
        dataset: &dataset,
        state,
        day,
        units,
    };
    let layout = super::diff::layout_for(args.output.as_deref());
    let out = match args.format {
        Format::Tree => layout.fit(&render_tree(&view)),
        Format::Table => render_table(&view, &layout),
        Format::Json => render_json(&view),
        Format::Csv => render_csv(&view),
    };
    ctx.emit(args.output.as_deref(), &out)?;
    Ok(exit::SUCCESS)
}

/// The header: the date and the snapshots the state is assembled from.
fn provenance(view: &View) -> String {
    let day = view.day.unwrap_or(Day::MAX);
    let mut s = match view.day {
        Some(d) => format!("Organization on {d}, assembled from:\n"),
        None => "Organization as of the latest snapshot, assembled from:\n".to_string(),
    };
    for c in view.state.contributions(view.dataset.snapshots(), day) {
        let snap = &view.dataset.snapshots()[c.snapshot];
        let scope = snap
            .scope
            .as_deref()
            .map_or("whole".to_string(), |s| format!("scope {s}"));
        let possibly = if c.possibly {
            format!(
                "  (possibly: dated {}, which straddles the date)",
                snap.date
            )
        } else {
            String::new()
        };
        s.push_str(&format!(
            "  {}  {} [{}] ({}){}\n",
            snap.date,
            render::one_line(&snap.title),
            snap.id,
            scope,
            possibly
        ));
    }
    s
}

fn render_tree(view: &View) -> String {
    let mut out = provenance(view);
    out.push('\n');
    // For each depth, whether the ancestor at that depth has later siblings.
    let mut open: Vec<bool> = Vec::new();
    for (i, &(ix, depth)) in view.units.iter().enumerate() {
        let has_later_sibling = view.units[i + 1..]
            .iter()
            .take_while(|&&(_, d)| d >= depth)
            .any(|&(_, d)| d == depth);
        open.truncate(depth);
        let label = render::one_line(&view.state.unit(ix).label());
        if depth == 0 {
            out.push_str(&label);
        } else {
            for &o in &open[1..] {
                out.push_str(if o { "│   " } else { "    " });
            }
            out.push_str(if has_later_sibling {
                "├── "
            } else {
                "└── "
            });
            out.push_str(&label);
        }
        out.push('\n');
        open.push(has_later_sibling);
    }
    out
}

fn parent_id(view: &View, ix: UnitIx) -> String {
    view.state
        .parent(ix)
        .map(|p| view.state.unit(p).id.clone())
        .unwrap_or_default()
}

fn render_table(view: &View, layout: &render::term::Layout) -> String {
    let rows: Vec<Vec<String>> = view
        .units
        .iter()
        .map(|&(ix, depth)| {
            let u = view.state.unit(ix);
            vec![
                format!("{}{}", "  ".repeat(depth), u.name),
                u.acronym.clone().unwrap_or_default(),
                u.kind.clone().unwrap_or_default(),
                u.id.clone(),
                view.dataset.snapshots()[view.state.observed_in(ix)]
                    .id
                    .clone(),
            ]
        })
        .collect();
    let mut out = layout.fit(&provenance(view));
    out.push('\n');
    out.push_str(&render::table(
        &["unit", "acronym", "kind", "id", "observed in"],
        &rows,
        layout.width,
    ));
    out
}

/// The `reorg.show/1` JSON document: the date, the snapshots, and the units
/// in tree order with their parents.
fn render_json(view: &View) -> String {
    let day = view.day.unwrap_or(Day::MAX);
    let snapshots: Vec<serde_json::Value> = view
        .state
        .contributions(view.dataset.snapshots(), day)
        .iter()
        .map(|c| {
            let s = &view.dataset.snapshots()[c.snapshot];
            serde_json::json!({ "id": s.id, "date": s.date, "scope": s.scope, "possibly": c.possibly })
        })
        .collect();
    let units: Vec<serde_json::Value> = view
        .units
        .iter()
        .map(|&(ix, depth)| {
            let u = view.state.unit(ix);
            let parent = view.state.parent(ix).map(|p| view.state.unit(p).id.clone());
            serde_json::json!({
                "id": u.id,
                "name": u.name,
                "acronym": u.acronym,
                "aliases": u.aliases,
                "kind": u.kind,
                "parent": parent,
                "depth": depth,
                "description": u.description,
                "note": u.note,
                "sources": u.sources,
                "observed_in": view.dataset.snapshots()[view.state.observed_in(ix)].id,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "schema": "reorg.show/1",
        "date": view.day.map(|d| d.to_string()),
        "snapshots": snapshots,
        "units": units,
    });
    serde_json::to_string_pretty(&doc).expect("JSON of plain values") + "\n"
}

/// The import CSV format (its columns: [`crate::import::COLUMNS`]).
fn render_csv(view: &View) -> String {
    let rows: Vec<Vec<String>> = view
        .units
        .iter()
        .map(|&(ix, depth)| {
            let u = view.state.unit(ix);
            let parent = if depth == 0 {
                String::new()
            } else {
                parent_id(view, ix)
            };
            vec![
                u.id.clone(),
                u.name.clone(),
                parent,
                u.kind.clone().unwrap_or_default(),
                u.acronym.clone().unwrap_or_default(),
                u.aliases.join(";"),
                u.description.clone().unwrap_or_default(),
            ]
        })
        .collect();
    render::csv(&crate::import::COLUMNS, &rows)
}

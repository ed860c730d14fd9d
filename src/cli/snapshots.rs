//! `reorg snapshots`: the observations a dataset holds.

use std::path::PathBuf;

use super::{exit, Context, Failure};
use crate::render;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

pub fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let dataset = ctx.dataset()?;
    let rows: Vec<Vec<String>> = dataset
        .snapshots()
        .iter()
        .map(|s| {
            vec![
                s.date.to_string(),
                s.id.clone(),
                s.scope.clone().unwrap_or_else(|| "(whole)".to_string()),
                s.title.clone(),
                s.unit_count().to_string(),
                s.sources.join(", "),
            ]
        })
        .collect();
    let header = ["date", "id", "scope", "title", "units", "sources"];
    let out = match args.format {
        Format::Table => render::table(&header, &rows, render::terminal_width()),
        Format::Csv => render::csv(&header, &rows),
        Format::Json => {
            let list: Vec<serde_json::Value> = dataset
                .snapshots()
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "id": s.id,
                        "date": s.date,
                        "earliest": s.date.earliest_bound().map(|d| d.to_string()),
                        "latest": s.date.latest_bound().map(|d| d.to_string()),
                        "scope": s.scope,
                        "title": s.title,
                        "units": s.unit_count(),
                        "sources": s.sources,
                        "file": s.file,
                    })
                })
                .collect();
            let doc = serde_json::json!({ "schema": "reorg.snapshots/1", "snapshots": list });
            serde_json::to_string_pretty(&doc).expect("JSON of plain values") + "\n"
        }
    };
    ctx.emit(args.output.as_deref(), &out)?;
    Ok(exit::SUCCESS)
}

//! `reorg snapshots`: the observations a dataset holds.

use std::path::PathBuf;

use super::{exit, Context, Failure};
use crate::render;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum Format {
    Table,
    Json,
    Csv,
}

pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let dataset = ctx.dataset()?;
    let snapshots = dataset.snapshots();
    let out = match args.format {
        Format::Table => render::snapshots::table(snapshots, render::terminal_width()),
        Format::Csv => render::snapshots::csv(snapshots),
        Format::Json => render::snapshots::json(snapshots),
    };
    ctx.emit(args.output.as_deref(), &out)?;
    Ok(exit::SUCCESS)
}

//! `reorg find QUERY`: units by name, acronym or alias across all eras.

use super::{emit, exit, Context, Failure};
use crate::diff::history::History;
use crate::output::Target;
use crate::render;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  reorg find intel\n  reorg find \"national security\" --format json"
)]
pub struct Args {
    /// Words of a name, an acronym or an alias
    pub query: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

pub fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let dataset = ctx.dataset()?;
    let history = History::build(&dataset);
    let found = crate::find::find(&history, &args.query);
    let out = match args.format {
        Format::Table => render::find::table(&found, render::terminal_width()),
        Format::Json => render::find::json(&args.query, &found),
    };
    emit(&Target::Stdout, &out)?;
    if found.is_empty() && args.format == Format::Table {
        return Err(Failure::data(format!(
            "no unit of any era answers to `{}`",
            args.query
        )));
    }
    Ok(exit::SUCCESS)
}

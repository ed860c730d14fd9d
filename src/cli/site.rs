//! `reorg site -o DIR`: the whole history as a static website.

use std::path::PathBuf;

use super::{exit, Context, Failure};
use crate::output::OutputError;
use crate::site::{self, WriteError};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "DIR may be new, empty, or a site written before, which is replaced whole.\n\nExamples:\n  reorg site -o ice-site\n  reorg --data my-dataset site -o public/history"
)]
pub(crate) struct Args {
    /// The directory to write the site to
    #[arg(short = 'o', long, value_name = "DIR")]
    pub output: PathBuf,
}

pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let dataset = ctx.dataset()?;
    let pages = site::build(&dataset);
    site::write(&pages, &args.output).map_err(|e| match e {
        WriteError::NotASite(_) => Failure::usage(e.to_string()),
        WriteError::Io { path, source } => Failure::Output(OutputError::Write { path, source }),
    })?;
    Ok(exit::SUCCESS)
}

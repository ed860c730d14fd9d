//! `reorg check [DIR]`: validate a dataset and report every problem.

use std::path::PathBuf;

use super::{exit, print_diagnostics, Context, Failure};
use crate::check;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Dataset directory to check (default: --data, else the embedded dataset)
    pub dir: Option<PathBuf>,
}

/// Prints the problems and a summary to standard error (standard output
/// when there are none); exits 3 when there are problems.
pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let dir = args.dir.as_deref().or(ctx.data.as_deref());
    let checked = check::check_dir(dir)?;
    let summary = format!("{}\n", check::summary(&checked));
    if checked.problems.is_empty() {
        ctx.emit(None, &summary)?;
        Ok(exit::SUCCESS)
    } else {
        print_diagnostics(&checked.problems);
        eprint!("{summary}");
        Ok(exit::FAILURE)
    }
}

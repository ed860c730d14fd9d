//! `reorg check [DIR]`: validate a dataset and report every problem.

use std::path::PathBuf;

use super::{emit, exit, Context, Failure};
use crate::check;
use crate::output::Target;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Dataset directory to check (default: --data, else the embedded dataset)
    pub dir: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let dir = args.dir.as_deref().or(ctx.data.as_deref());
    let checked = check::check_dir(dir)?;
    let mut report = String::new();
    for p in &checked.problems {
        report.push_str(&p.to_string());
        report.push('\n');
    }
    report.push_str(&check::summary(&checked));
    report.push('\n');
    if checked.problems.is_empty() {
        emit(&Target::Stdout, &report)?;
        Ok(exit::SUCCESS)
    } else {
        eprint!("{report}");
        Ok(exit::FAILURE)
    }
}

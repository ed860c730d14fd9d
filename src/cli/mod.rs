//! The command line: argument types (clap) and one module per subcommand.
//! Each subcommand turns its arguments into calls on the library and hands
//! the result to a renderer; no domain code sees a clap type.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::diagnostic::Diagnostic;
use crate::load::{self, LoadError};
use crate::model::Dataset;

mod check;
mod diff;
mod export;
mod find;
mod import;
mod init;
mod lineage;
mod report;
mod show;
mod site;
mod snapshots;
mod timeline;

/// Dated snapshots of an organization chart: what changed, where units came
/// from, and reports to publish.
#[derive(Debug, Parser)]
#[command(name = "reorg", version, about, max_term_width = 100)]
#[command(
    after_help = "Examples:\n  reorg diff 2008 2024\n  reorg lineage LEISI\n  reorg find intel\n  reorg snapshots\n  reorg show --at 2008-11-05\n  reorg show --at 2021 hsi-intel\n  reorg check my-dataset/\n\nExit status: 0 success; 1 bad data or I/O (or changes, with diff --exit-code); 2 usage, including a UNIT or --under that names no unit, or several."
)]
pub struct Cli {
    /// Dataset directory (default: the embedded ICE/HSI history)
    #[arg(long, global = true, env = "REORG_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the snapshots: date, id, scope, title, units, sources
    Snapshots(snapshots::Args),
    /// Show the organization, or one unit's subtree, at a date
    Show(show::Args),
    /// Changes between two dates: renames, moves, merges, splits, transfers
    Diff(diff::Args),
    /// A unit's history: its versions, predecessors and successors
    Lineage(lineage::Args),
    /// Every change in date order
    Timeline(timeline::Args),
    /// Units by name, acronym or alias, in any era
    Find(find::Args),
    /// A change report to publish (Markdown, HTML, JSON)
    Report(report::Args),
    /// The whole history in interchange formats (W3C ORG Turtle, Popolo JSON, CSV)
    Export(export::Args),
    /// Read an org chart (CSV, outline, JSON) as a snapshot
    Import(import::Args),
    /// Start a new dataset directory
    Init(init::Args),
    /// Validate a dataset and report every problem
    Check(check::Args),
    /// The whole history as a static website
    Site(site::Args),
    /// Print a shell completion script
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
}

/// The formats of commands that print a list of changes or units
/// (`timeline`, `find`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
    Md,
}

/// Exit codes: 0 success; 1 bad data, I/O or (when asked) differences;
/// 2 usage, including a UNIT argument (or `--under`) that names no unit or
/// several: the data is sound, the command line must change.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
}

/// Why a command failed, and with which exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
    /// Problems to print before the message.
    pub diagnostics: Vec<Diagnostic>,
}

impl Failure {
    /// A mistake in the arguments (exit 2).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: exit::USAGE,
            message: message.into(),
            diagnostics: Vec::new(),
        }
    }

    /// Bad data or I/O (exit 1).
    pub fn data(message: impl Into<String>) -> Failure {
        Failure {
            code: exit::FAILURE,
            message: message.into(),
            diagnostics: Vec::new(),
        }
    }
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Failure {
        let message = e.to_string();
        let diagnostics = match e {
            LoadError::Invalid(d) => d,
            LoadError::Directory { .. } => Vec::new(),
        };
        Failure {
            code: exit::FAILURE,
            message,
            diagnostics,
        }
    }
}

/// What every command may need: where the dataset is.
pub struct Context {
    pub data: Option<PathBuf>,
}

impl Context {
    /// Loads the dataset the user selected.
    pub fn dataset(&self) -> Result<Dataset, Failure> {
        Ok(load::load(self.data.as_deref())?)
    }
}

/// Writes a command's output to its target, turning I/O errors into
/// failures that name the file.
pub fn emit(target: &crate::output::Target, content: &str) -> Result<(), Failure> {
    match target.write(content) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::data(match target {
            crate::output::Target::File(p) => format!("cannot write {}: {e}", p.display()),
            crate::output::Target::Stdout => format!("cannot write to standard output: {e}"),
        })),
    }
}

fn run(cli: Cli) -> Result<u8, Failure> {
    let ctx = Context { data: cli.data };
    match cli.command {
        Command::Snapshots(args) => snapshots::run(&ctx, &args),
        Command::Show(args) => show::run(&ctx, &args),
        Command::Diff(args) => diff::run(&ctx, &args),
        Command::Lineage(args) => lineage::run(&ctx, &args),
        Command::Timeline(args) => timeline::run(&ctx, &args),
        Command::Find(args) => find::run(&ctx, &args),
        Command::Report(args) => report::run(&ctx, &args),
        Command::Export(args) => export::run(&ctx, &args),
        Command::Import(args) => import::run(&ctx, &args),
        Command::Init(args) => init::run(&ctx, &args),
        Command::Check(args) => check::run(&ctx, &args),
        Command::Site(args) => site::run(&ctx, &args),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "reorg", &mut out);
            emit(
                &crate::output::Target::Stdout,
                &String::from_utf8_lossy(&out),
            )?;
            Ok(exit::SUCCESS)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| Failure::data(e.to_string()))?;
            emit(
                &crate::output::Target::Stdout,
                &String::from_utf8_lossy(&out),
            )?;
            Ok(exit::SUCCESS)
        }
    }
}

/// The program: parse arguments, run the command, report failures.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            let mut err = std::io::stderr().lock();
            for d in &failure.diagnostics {
                let _ = writeln!(err, "{d}");
            }
            let _ = writeln!(err, "error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}

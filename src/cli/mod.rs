//! The command line: argument types (clap) and one module per subcommand.
//! Each subcommand turns its arguments into calls on the library and hands
//! the result to a renderer; no domain code sees a clap type.

use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::dataset::Dataset;
use crate::diagnostic::{self, Diagnostic};
use crate::import::ImportError;
use crate::load::{self, LoadError};
use crate::output::{Inputs, OutputError, Target};

mod check;
mod convert;
mod crosswalk;
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
    after_help = "Examples:\n  reorg diff 2008 2024\n  reorg lineage LEISI\n  reorg find intel\n  reorg snapshots\n  reorg show --at 2008-11-05\n  reorg show --at 2021 hsi-intel\n  reorg check my-dataset/\n\nExit status: 0 success; 1 changes found (only with diff --exit-code); 2 usage: a bad option or date, a UNIT or --under that names no unit or several, -o naming a file the command reads; 3 bad data or I/O."
)]
pub(crate) struct Cli {
    /// Dataset directory (default: $REORG_DATA when set and not empty, else
    /// the embedded ICE/HSI history)
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) data: Option<PathBuf>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
    /// Every unit at FROM and what it is at TO, with shares
    Crosswalk(crosswalk::Args),
    /// Re-key a table of records to the units of another date
    Convert(convert::Args),
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

/// The formats of commands that print a list (`find`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ListFormat {
    Table,
    Json,
    Csv,
    Md,
}

/// Exit codes, as `--help` and the README give them.
pub(crate) mod exit {
    /// The command did what was asked.
    pub(crate) const SUCCESS: u8 = 0;
    /// `diff --exit-code` found changes.
    pub(crate) const CHANGES: u8 = 1;
    /// The command line must change: a bad option or date, a UNIT (or
    /// `--under`) that names no unit or several, `-o` naming a file the
    /// command reads.
    pub(crate) const USAGE: u8 = 2;
    /// Bad data (a dataset or chart with problems) or I/O.
    pub(crate) const FAILURE: u8 = 3;
}

/// Why a command failed; the exit code follows from it.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Failure {
    /// A mistake on the command line.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    Init(#[from] init::InitError),
    /// A table the command reads (`convert`'s table, a shares table) is
    /// bad.
    #[error("{0}")]
    Input(String),
}

impl Failure {
    /// A mistake in the arguments (exit 2).
    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure::Usage(message.into())
    }

    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => exit::USAGE,
            Failure::Output(e) if e.is_usage() => exit::USAGE,
            _ => exit::FAILURE,
        }
    }

    /// The located problems behind the failure, to print before it.
    pub(crate) fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Failure::Load(LoadError::Invalid(problems))
            | Failure::Import(ImportError::Invalid { problems, .. }) => problems,
            _ => &[],
        }
    }
}

/// What every command may need: where the dataset is, and what the
/// command has read, which its output must not replace.
pub(crate) struct Context {
    pub(crate) data: Option<PathBuf>,
    inputs: RefCell<Inputs>,
}

impl Context {
    pub(crate) fn new(data: Option<PathBuf>) -> Context {
        Context {
            data,
            inputs: RefCell::new(Inputs::default()),
        }
    }

    /// Loads the dataset the user selected.
    pub(crate) fn dataset(&self) -> Result<Loaded, Failure> {
        if let Some(dir) = &self.data {
            self.inputs.borrow_mut().add_dataset(dir);
        }
        let dataset = load::load(self.data.as_deref())?;
        Ok(Loaded(std::mem::ManuallyDrop::new(dataset)))
    }

    /// Notes a file the command reads.
    pub(crate) fn reads(&self, file: &Path) {
        self.inputs.borrow_mut().add_file(file);
    }

    /// Writes a command's output to `-o FILE`, or standard output when
    /// there is none (or it is `-`).
    pub(crate) fn emit(&self, output: Option<&Path>, content: &str) -> Result<(), Failure> {
        Target::from_arg(output).write(content, &self.inputs.borrow())?;
        Ok(())
    }
}

/// A dataset loaded for the rest of the process. It is never freed: the
/// command ends with the process, and freeing a large dataset's millions
/// of shared units one by one would only delay the exit.
pub(crate) struct Loaded(std::mem::ManuallyDrop<Dataset>);

impl std::ops::Deref for Loaded {
    type Target = Dataset;

    fn deref(&self) -> &Dataset {
        &self.0
    }
}

/// The dataset directory: `--data`, else `REORG_DATA` when it is set and
/// not empty (an empty variable is as good as none).
fn data_dir(option: Option<PathBuf>) -> Option<PathBuf> {
    option.or_else(|| {
        std::env::var_os("REORG_DATA")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

/// Whether diagnostics on standard error may be coloured: it is a
/// terminal, and `NO_COLOR` is unset or empty.
fn colour_on_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Prints located problems to standard error.
pub(crate) fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let text = diagnostic::render(diagnostics, colour_on_stderr());
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

fn run(cli: Cli) -> Result<u8, Failure> {
    let ctx = Context::new(data_dir(cli.data));
    match cli.command {
        Command::Snapshots(args) => snapshots::run(&ctx, &args),
        Command::Show(args) => show::run(&ctx, &args),
        Command::Diff(args) => diff::run(&ctx, &args),
        Command::Lineage(args) => lineage::run(&ctx, &args),
        Command::Timeline(args) => timeline::run(&ctx, &args),
        Command::Find(args) => find::run(&ctx, &args),
        Command::Report(args) => report::run(&ctx, &args),
        Command::Export(args) => export::run(&ctx, &args),
        Command::Crosswalk(args) => crosswalk::run(&ctx, &args),
        Command::Convert(args) => convert::run(&ctx, &args),
        Command::Import(args) => import::run(&ctx, &args),
        Command::Init(args) => init::run(&ctx, &args),
        Command::Check(args) => check::run(&ctx, &args),
        Command::Site(args) => site::run(&ctx, &args),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "reorg", &mut out);
            ctx.emit(None, &String::from_utf8_lossy(&out))?;
            Ok(exit::SUCCESS)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| Failure::Output(OutputError::Stdout(e)))?;
            ctx.emit(None, &String::from_utf8_lossy(&out))?;
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
            print_diagnostics(failure.diagnostics());
            let message = diagnostic::visible_lines(&failure.to_string());
            let _ = writeln!(std::io::stderr().lock(), "error: {message}");
            ExitCode::from(failure.exit_code())
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

//! The `reorg` command: parses the command line and runs it (see `src/cli/`).

fn main() -> std::process::ExitCode {
    reorg::cli::main()
}

fn main() -> std::process::ExitCode {
    reorg::cli::main()
}

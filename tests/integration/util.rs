//! Running the binary.

use assert_cmd::Command;

/// The `reorg` binary, with a fixed environment: no dataset override, a
/// fixed width, no colour.
pub fn reorg() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_reorg"));
    cmd.env_remove("REORG_DATA")
        .env("COLUMNS", "200")
        .env("NO_COLOR", "1");
    cmd
}

/// Runs `reorg ARGS`, requires success, and returns stdout.
pub fn stdout_of(args: &[&str]) -> String {
    let out = reorg().args(args).output().expect("the binary runs");
    assert!(
        out.status.success(),
        "reorg {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The path of a test fixture.
pub fn fixture(path: &str) -> String {
    format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))
}

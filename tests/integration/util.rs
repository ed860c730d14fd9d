//! Running the binary.

use assert_cmd::Command;

/// The `reorg` binary, with a fixed environment: no dataset override, a
/// fixed width, no colour, and a cache of datasets under the target
/// directory rather than the user's.
pub(crate) fn reorg() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_reorg"));
    cmd.env_remove("REORG_DATA")
        .env_remove("REORG_NO_CACHE")
        .env("REORG_CACHE_DIR", test_cache())
        .env("COLUMNS", "200")
        .env("NO_COLOR", "1");
    cmd
}

/// The cache directory of the tests' runs of the binary.
pub(crate) fn test_cache() -> String {
    format!("{}/cache", env!("CARGO_TARGET_TMPDIR"))
}

/// Runs `reorg ARGS`, requires success, and returns stdout.
pub(crate) fn stdout_of(args: &[&str]) -> String {
    let out = reorg().args(args).output().expect("the binary runs");
    assert!(
        out.status.success(),
        "reorg {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The path of a test fixture.
pub(crate) fn fixture(path: &str) -> String {
    format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// Renders DOT with Graphviz (`dot -Tsvg`, installed by `.ci/run`),
/// requires success, and returns the SVG.
pub(crate) fn render_dot(dot: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` is installed (.ci/run installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{dot}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

//! Refusing hostile datasets: how long finding, locating and printing
//! their problems takes, and how much is printed.
//!
//! `cargo bench --bench diagnostics` writes each dataset to a temporary
//! directory, then times what `reorg check` does in-process (read, check,
//! render the diagnostics), median of 5 runs:
//!
//! - one snapshot of N units with an empty name (N problems), at N and 4N,
//!   so that the ratio shows whether the cost grows faster than N;
//! - one snapshot written on a single line of about 20 MB, with one
//!   problem in the middle: the printed diagnostic stays a few lines.

use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let units = std::env::var("REORG_BENCH_UNITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let small = empty_names(units);
    let large = empty_names(4 * units);
    println!(
        "empty names: {units} in {:.3} s, {} in {:.3} s (ratio {:.1})",
        small.as_secs_f64(),
        4 * units,
        large.as_secs_f64(),
        large.as_secs_f64() / small.as_secs_f64()
    );
    one_long_line();
}

/// Read, check and render, as `reorg check DIR` does; the median time and
/// the size of what would be printed.
fn check(dir: &Path) -> (Duration, usize) {
    let mut runs: Vec<(Duration, usize)> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let problems = reorg::check::check_dir(Some(dir)).unwrap();
            let printed = reorg::diagnostic::render(&problems.problems, false);
            (start.elapsed(), printed.len())
        })
        .collect();
    runs.sort();
    runs[2]
}

/// A dataset directory holding `snapshot` as its one snapshot.
fn dataset(name: &str, snapshot: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("reorg-bench-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("2001.ron"), snapshot).unwrap();
    std::fs::write(dir.join("events.ron"), "[]\n").unwrap();
    std::fs::write(dir.join("sources.ron"), "[]\n").unwrap();
    dir
}

fn empty_names(units: usize) -> Duration {
    let mut text = String::from(
        "Snapshot(id: \"s\", date: \"2001\", title: \"t\", units: [\n  Unit(id: \"root\", name: \"Root\", units: [\n",
    );
    for i in 0..units {
        text.push_str(&format!("    Unit(id: \"u{i}\", name: \"\"),\n"));
    }
    text.push_str("  ]),\n])\n");
    let dir = dataset("empty-names", &text);
    let (time, _) = check(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    time
}

fn one_long_line() {
    let filler = |c: &str| c.repeat(10_000_000);
    let text = format!(
        "Snapshot(id: \"s\", date: \"2001\", title: \"t\", units: [Unit(id: \"r\", name: \"R\", units: [Unit(id: \"a\", name: \"{}\"), Unit(id: \"e\", name: \"\"), Unit(id: \"b\", name: \"{}\")])])\n",
        filler("x"),
        filler("y")
    );
    let dir = dataset("long-line", &text);
    let (time, printed) = check(&dir);
    println!(
        "one line of {:.1} MB, one problem: {:.3} s, {printed} bytes printed",
        text.len() as f64 / 1e6,
        time.as_secs_f64()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

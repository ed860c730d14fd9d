//! Commands as a user runs them: each one a fresh `reorg` process on a
//! national-size history (80 yearly snapshots of 40,000 units, about 1%
//! changing a year; see `support/national.rs`), timed from the outside
//! with its peak memory (`/usr/bin/time`).
//!
//! `cargo bench --bench commands` prints, for each command, the median
//! wall time and processor time (all threads; on a busy machine it varies
//! less than the wall time) of a few runs cold (an empty cache directory: the dataset is
//! parsed from its RON files) and warm (the cache written by an earlier
//! run), and the largest peak resident memory of those runs (a run is
//! stopped after two minutes, and then shown as `inf`). The files
//! themselves are in the operating system's page cache either way: "cold"
//! is about reorg's cache, not the disk's.
//!
//! Settings (environment): `REORG_BENCH_YEARS` (80), `REORG_BENCH_UNITS`
//! (40,000), `REORG_BENCH_RUNS` (3), and `REORG_BIN`, another `reorg`
//! binary to time (for instance a build of an earlier commit, to compare
//! in one sitting). The generated datasets are kept under the target
//! directory's `bench-data/` and reused.

#[path = "support/national.rs"]
mod national;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// How long a run may take before it is stopped (`timeout`).
const LIMIT: &str = "120";

fn main() {
    let shape = national::Shape {
        years: setting("REORG_BENCH_YEARS", 80),
        units: setting("REORG_BENCH_UNITS", 40_000),
        seed: 42,
    };
    let runs = setting("REORG_BENCH_RUNS", 3);
    let bin = std::env::var_os("REORG_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_reorg")));
    let data = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../bench-data");
    let national = generated(
        &data,
        &format!("national-{}x{}", shape.years, shape.units),
        |dir| national::write(dir, &shape),
    );
    let (first, last) = national::years(&shape);
    let before_last = (last.parse::<usize>().unwrap() - 1).to_string();
    let pair = generated(&data, &format!("pair-{}", shape.units), |dir| {
        two_years(&national, dir, shape.years)
    });
    let events = generated(&data, "events-40000", |dir| many_events(dir, 40_000));

    println!(
        "{} ({} runs each; median wall time, largest peak memory)",
        bin.display(),
        runs
    );
    let timer = Timer { bin: &bin, runs };
    let lineage_of = "M000123";
    for (what, dir, args) in [
        ("snapshots", &national, vec!["snapshots"]),
        (
            "diff FIRST LAST --format json",
            &national,
            vec!["diff", &first, &last, "--format", "json"],
        ),
        ("lineage UNIT", &national, vec!["lineage", lineage_of]),
        ("check", &national, vec!["check"]),
        (
            "pair: diff A B --format json",
            &pair,
            vec!["diff", &before_last, &last, "--format", "json"],
        ),
        ("40,000 events: snapshots", &events, vec!["snapshots"]),
        ("40,000 events: check", &events, vec!["check"]),
    ] {
        let cold = timer.time(dir, &args, Cache::Cold);
        let warm = timer.time(dir, &args, Cache::Warm);
        println!(
            "  {what:<30} cold {:>7.3} s (cpu {:>6.2} s, {:>4} MB)  warm {:>7.3} s (cpu {:>6.2} s, {:>4} MB)",
            cold.seconds, cold.cpu, cold.peak_mb, warm.seconds, warm.cpu, warm.peak_mb
        );
    }
}

/// A dataset directory under `data`, written by `write` unless an earlier
/// run finished writing it.
fn generated(data: &Path, name: &str, write: impl FnOnce(&Path) -> std::io::Result<()>) -> PathBuf {
    let dir = data.join(name);
    let done = data.join(format!("{name}.done"));
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        write(&dir).expect("the benchmark's dataset is written");
        std::fs::write(&done, "").unwrap();
    }
    dir
}

/// The last two years of the national history, as a dataset of its own.
fn two_years(national: &Path, dir: &Path, years: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let last = 1946 + years - 1;
    for year in [last - 1, last] {
        let name = format!("{year}.ron");
        std::fs::copy(national.join(&name), dir.join(&name))?;
    }
    std::fs::copy(national.join("sources.ron"), dir.join("sources.ron"))?;
    Ok(())
}

/// One snapshot of 1,000 units and `count` curated events naming them.
fn many_events(dir: &Path, count: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut snapshot =
        String::from("Snapshot(id: \"s\", date: \"2000\", title: \"Units\", units: [\n");
    for u in 0..1_000 {
        snapshot.push_str(&format!(
            "    Unit(id: \"u{u}\", name: \"Unit {u}\", units: []),\n"
        ));
    }
    snapshot.push_str("])\n");
    std::fs::write(dir.join("2000.ron"), snapshot)?;
    let mut events = String::from("[\n");
    for e in 0..count {
        events.push_str(&format!(
            "    Event(\n        date: \"1990\",\n        kind: established,\n        to: [\"u{}\"],\n        confidence: high,\n    ),\n",
            e % 1_000
        ));
    }
    events.push_str("]\n");
    std::fs::write(dir.join("events.ron"), events)?;
    std::fs::write(dir.join("sources.ron"), "[]\n")
}

#[derive(Clone, Copy, PartialEq)]
enum Cache {
    /// An empty cache directory for every run.
    Cold,
    /// A cache directory filled by a run before the timed ones.
    Warm,
}

struct Timer<'a> {
    bin: &'a Path,
    runs: usize,
}

/// What one run took: wall time and processor time (user and system,
/// all threads) in seconds, and peak resident memory.
struct Run {
    seconds: f64,
    cpu: f64,
    peak_mb: u64,
}

impl Timer<'_> {
    /// The median wall and processor times and the largest peak memory
    /// of `runs` runs.
    fn time(&self, dir: &Path, args: &[&str], cache: Cache) -> Run {
        let cache_dir =
            std::env::temp_dir().join(format!("reorg-bench-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&cache_dir);
        if cache == Cache::Warm {
            self.run(dir, args, &cache_dir);
        }
        let mut runs = Vec::new();
        for _ in 0..self.runs {
            if cache == Cache::Cold {
                let _ = std::fs::remove_dir_all(&cache_dir);
            }
            runs.push(self.run(dir, args, &cache_dir));
        }
        let _ = std::fs::remove_dir_all(&cache_dir);
        let median = |f: fn(&Run) -> f64| {
            let mut v: Vec<f64> = runs.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        Run {
            seconds: median(|r| r.seconds),
            cpu: median(|r| r.cpu),
            peak_mb: runs.iter().map(|r| r.peak_mb).max().unwrap_or(0),
        }
    }

    /// One run; a run stopped at [`LIMIT`] counts as infinitely long.
    fn run(&self, dir: &Path, args: &[&str], cache_dir: &Path) -> Run {
        let report = std::env::temp_dir().join(format!("reorg-bench-time-{}", std::process::id()));
        let start = Instant::now();
        let status = Command::new("/usr/bin/time")
            .args(["-f", "%M %U %S", "-o"])
            .arg(&report)
            .args(["timeout", LIMIT])
            .arg(self.bin)
            .arg("--data")
            .arg(dir)
            .args(args)
            .env("REORG_CACHE_DIR", cache_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("/usr/bin/time runs (GNU time)");
        let seconds = start.elapsed().as_secs_f64();
        let text = std::fs::read_to_string(&report).unwrap_or_default();
        let fields: Vec<f64> = text
            .lines()
            .last()
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        let (kb, cpu) = match fields.as_slice() {
            [kb, user, system] => (*kb, user + system),
            _ => (0.0, f64::NAN),
        };
        let peak_mb = (kb / 1024.0) as u64;
        // `check` exits 3 when it finds problems (1 before the exit codes
        // of the design); `timeout` exits 124; anything else is a failure.
        match status.code() {
            Some(0 | 1 | 3) => Run {
                seconds,
                cpu,
                peak_mb,
            },
            Some(124) => Run {
                seconds: f64::INFINITY,
                cpu,
                peak_mb,
            },
            _ => panic!("{args:?}: {status}"),
        }
    }
}

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

//! Loading a generated history: 100 snapshots of 10,000 units each.
//!
//! `cargo bench --bench load` prints the median of a few runs of
//! `reorg::load::load` (reading, parsing and validating every file), cold
//! (no cache: the files are parsed) and warm (from the cache the first run
//! wrote). The history is written to a temporary directory first, and the
//! cache kept in another.

#[path = "common.rs"]
mod common;

use common::arg;

use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let snapshots = arg("REORG_BENCH_SNAPSHOTS", 100);
    let units = arg("REORG_BENCH_UNITS", 10_000);
    let dir = std::env::temp_dir().join(format!("reorg-bench-load-{}", std::process::id()));
    let cache = dir.with_extension("cache");
    std::fs::create_dir_all(&dir).unwrap();
    // Read by the library when it loads; set before any thread starts.
    std::env::set_var("REORG_CACHE_DIR", &cache);
    reorg::synth::write_history(&dir, snapshots, units, 42).unwrap();
    let bytes: u64 = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    let cold = median(|| {
        let _ = std::fs::remove_dir_all(&cache);
        load(&dir, snapshots)
    });
    let warm = median(|| load(&dir, snapshots));
    println!(
        "load: {snapshots} snapshots x {units} units ({:.1} MB of RON): median cold {:.3} s, warm {:.3} s",
        bytes as f64 / 1e6,
        cold.as_secs_f64(),
        warm.as_secs_f64()
    );
    std::fs::remove_dir_all(&dir).unwrap();
    let _ = std::fs::remove_dir_all(&cache);
}

fn load(dir: &Path, snapshots: usize) -> Duration {
    let start = Instant::now();
    let dataset = reorg::load::load(Some(dir)).expect("the generated history is valid");
    let elapsed = start.elapsed();
    assert_eq!(dataset.snapshots().len(), snapshots);
    elapsed
}

fn median(mut run: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..5).map(|_| run()).collect();
    times.sort();
    times[2]
}

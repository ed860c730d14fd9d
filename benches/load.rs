//! Loading a generated history: 100 snapshots of 10,000 units each.
//!
//! `cargo bench --bench load` prints the median of a few runs. The history
//! is written to a temporary directory first; only `reorg::load::load`
//! is timed (reading, parsing and validating every file).

use std::time::{Duration, Instant};

fn main() {
    let snapshots = arg("REORG_BENCH_SNAPSHOTS", 100);
    let units = arg("REORG_BENCH_UNITS", 10_000);
    let dir = std::env::temp_dir().join(format!("reorg-bench-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    reorg::synth::write_history(&dir, snapshots, units, 42).unwrap();
    let bytes: u64 = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let dataset = reorg::load::load(Some(&dir)).expect("the generated history is valid");
            let elapsed = start.elapsed();
            assert_eq!(dataset.snapshots().len(), snapshots);
            elapsed
        })
        .collect();
    times.sort();
    println!(
        "load: {snapshots} snapshots x {units} units ({:.1} MB of RON): median {:.3} s, min {:.3} s",
        bytes as f64 / 1e6,
        times[2].as_secs_f64(),
        times[0].as_secs_f64()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn arg(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

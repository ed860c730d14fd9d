//! The lineage of a unit in a generated history of 100 snapshots of
//! 10,000 units each, after loading.
//!
//! `cargo bench --bench lineage` prints the median of a few runs of
//! building the history graph and computing one unit's lineage.

use std::time::{Duration, Instant};

use reorg::diff::history::History;
use reorg::lineage::{lineage, Reach};

fn main() {
    let snapshots = arg("REORG_BENCH_SNAPSHOTS", 100);
    let units = arg("REORG_BENCH_UNITS", 10_000);
    let dir = std::env::temp_dir().join(format!("reorg-bench-lineage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    reorg::synth::write_history(&dir, snapshots, units, 42).unwrap();
    let dataset = reorg::load::load(Some(&dir)).expect("the generated history is valid");
    std::fs::remove_dir_all(&dir).unwrap();
    let reach = Reach {
        ancestors: true,
        descendants: true,
        depth: None,
    };
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let history = History::build(&dataset);
            let focus = reorg::find::resolve(&history, "u4321")[0].thread;
            let result = lineage(&history, focus, reach);
            let elapsed = start.elapsed();
            assert!(!result.units[0].versions.is_empty());
            elapsed
        })
        .collect();
    times.sort();
    println!(
        "lineage: {snapshots} snapshots x {units} units, after loading: median {:.3} s, min {:.3} s",
        times[2].as_secs_f64(),
        times[0].as_secs_f64()
    );
}

fn arg(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

//! The lineage of a unit in a generated history of 100 snapshots of
//! 10,000 units each, after loading.
//!
//! `cargo bench --bench lineage` prints medians of a few runs of:
//!
//! - the whole job the first time: laying every state, building the
//!   history graph (every step matched, every thread, every link) and
//!   computing one unit's lineage;
//! - the same once the states are laid (the dataset keeps them);
//! - the lineage alone, on a history already built (what a program that
//!   keeps the history in memory pays per query);
//! - for scale, one pass that indexes each unit of each snapshot by id:
//!   what pairing units by id would cost after loading, had loading not
//!   paired them while assembling the states.

#[path = "common.rs"]
mod common;

use common::{arg, median_time};

use std::hint::black_box;
use std::time::{Duration, Instant};

use reorg::dataset::Dataset;
use reorg::diff::history::History;
use reorg::lineage::{lineage, Reach};
use rustc_hash::FxHashMap;

const RUNS: usize = 5;

fn main() {
    let snapshots = arg("REORG_BENCH_SNAPSHOTS", 100);
    let units = arg("REORG_BENCH_UNITS", 10_000);
    let dir = std::env::temp_dir().join(format!("reorg-bench-lineage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Loading is not timed here; nothing to keep.
    std::env::set_var("REORG_NO_CACHE", "1");
    reorg::synth::write_history(&dir, snapshots, units, 42).unwrap();
    let dataset = reorg::load::load(Some(&dir)).expect("the generated history is valid");
    std::fs::remove_dir_all(&dir).unwrap();
    let reach = Reach {
        ancestors: true,
        descendants: true,
        depth: None,
    };
    let query = |history: &History| {
        let focus = reorg::find::resolve(history, "u4321")[0].thread;
        let result = lineage(history, focus, reach);
        assert!(!result.units[0].versions.is_empty());
        result
    };

    // The first history lays the states (a dataset lays them when first
    // asked for); later ones find them laid.
    let start = Instant::now();
    black_box(query(&History::build(&dataset)));
    let first = start.elapsed();
    let whole = median_time(RUNS, || {
        black_box(query(&History::build(&dataset)));
    });
    let history = History::build(&dataset);
    let alone = median_time(RUNS, || {
        black_box(query(&history));
    });
    let floor = median_time(RUNS, || {
        black_box(index_every_snapshot(&dataset));
    });

    println!(
        "lineage: {snapshots} snapshots x {units} units, after loading (medians of {RUNS} runs)"
    );
    println!("  first history (states laid), lineage: {}", ms(first));
    println!("  history built, then lineage:        {}", ms(whole));
    println!("  lineage on a history already built: {}", ms(alone));
    println!("  each unit of each snapshot indexed: {}", ms(floor));
}

/// Every snapshot's units indexed by id, one snapshot at a time.
fn index_every_snapshot(dataset: &Dataset) -> usize {
    let mut by_id: FxHashMap<&str, usize> = FxHashMap::default();
    let mut total = 0;
    for snapshot in dataset.snapshots() {
        by_id.clear();
        for (i, unit) in snapshot.all_units().enumerate() {
            by_id.insert(unit.id.as_str(), i);
        }
        total += by_id.len();
    }
    total
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

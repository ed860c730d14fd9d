//! `reorg site` on the embedded ICE history and on a generated history of
//! 10,000 units (3 yearly snapshots, a few renames each year).
//!
//! `cargo bench --bench site` prints, for each, medians of a few runs of:
//! loading the dataset, building every page, writing them to a directory,
//! and the three together (what `reorg site -o DIR` does); then the
//! number of files and their size.
//!
//! `REORG_BENCH_SNAPSHOTS` and `REORG_BENCH_UNITS` change the generated
//! history's shape.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

#[path = "common.rs"]
mod common;

use common::{arg, median_time};

const RUNS: usize = 3;

fn main() {
    let snapshots = arg("REORG_BENCH_SNAPSHOTS", 3);
    let units = arg("REORG_BENCH_UNITS", 10_000);
    let scratch = std::env::temp_dir().join(format!("reorg-bench-site-{}", std::process::id()));
    let data = scratch.join("data");
    std::fs::create_dir_all(&data).unwrap();
    reorg::synth::write_history(&data, snapshots, units, 42).unwrap();
    measure("ICE history (embedded)", None, &scratch);
    let generated = format!("generated, {snapshots} snapshots x {units} units");
    measure(&generated, Some(&data), &scratch);
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// Times loading, building and writing the site of a dataset, and prints
/// the medians and the size of the site.
fn measure(what: &str, data: Option<&Path>, scratch: &Path) {
    let out = scratch.join("site");
    let load = || reorg::load::load(data).expect("the dataset is valid");
    let dataset = load();
    let pages = reorg::site::build(&dataset);
    let loading = median_time(RUNS, || {
        black_box(load());
    });
    let building = median_time(RUNS, || {
        black_box(reorg::site::build(&dataset));
    });
    let writing = median_time(RUNS, || reorg::site::write(&pages, &out).unwrap());
    let whole = median_time(RUNS, || {
        let dataset = load();
        reorg::site::write(&reorg::site::build(&dataset), &out).unwrap();
    });
    let bytes: usize = pages.iter().map(|p| p.content.len()).sum();
    println!("site: {what} (medians of {RUNS} runs)");
    println!("  load:                   {}", ms(loading));
    println!("  build every page:       {}", ms(building));
    println!("  write them:             {}", ms(writing));
    println!("  load, build and write:  {}", ms(whole));
    println!(
        "  {} files, {:.1} MB ({} unit pages)",
        pages.len(),
        bytes as f64 / 1e6,
        pages.iter().filter(|p| p.path.starts_with("unit/")).count()
    );
    println!(
        "  peak resident memory so far: {} MB",
        common::peak_memory_mb()
    );
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

//! Importing a 1,000,000-row CSV chart, as `reorg import` does: read and
//! check the rows, build the tree, write the RON snapshot.
//!
//! `cargo bench --bench import` generates the CSV, then runs the import in
//! a fresh process of its own, which prints its time and its peak memory
//! (VmHWM), so that the generator's memory is not counted.

#[path = "common.rs"]
mod common;
use common::peak_memory_mb;

use std::io::Write;
use std::time::Instant;

use reorg::import::{build, read, Format, Header};
use reorg::synth::{organization, Rng};

fn main() {
    if let Ok(csv) = std::env::var("REORG_BENCH_IMPORT_CSV") {
        return import(std::path::Path::new(&csv));
    }
    let rows = std::env::var("REORG_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("reorg-bench-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv_path = dir.join("chart.csv");
    write_csv(&csv_path, rows);
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .env("REORG_BENCH_IMPORT_CSV", &csv_path)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Imports the chart, as `reorg import` does, and prints the figures.
fn import(csv_path: &std::path::Path) {
    let dir = csv_path.parent().unwrap();
    let bytes = std::fs::metadata(csv_path).unwrap().len();
    let start = Instant::now();
    let chart = read(csv_path, Some(Format::Csv), &mut |_, _| {}).expect("a valid chart");
    let rows = chart.rows.len();
    let header = Header {
        id: "big".into(),
        date: reorg::date::Date::parse("2020").unwrap(),
        title: "Generated".into(),
        scope: None,
        sources: Vec::new(),
    };
    let snapshot = build(chart, &header).expect("a valid tree");
    let ron = reorg::write::snapshot_to_ron(&snapshot);
    std::fs::write(dir.join("big.ron"), ron).unwrap();
    let elapsed = start.elapsed();
    println!(
        "import: {rows} rows ({:.1} MB of CSV) in {:.2} s; peak memory {} MB",
        bytes as f64 / 1e6,
        elapsed.as_secs_f64(),
        peak_memory_mb()
    );
}

/// A CSV chart of a generated organization.
fn write_csv(path: &std::path::Path, rows: usize) {
    let root = organization(&mut Rng::new(7), rows, 10, "u");
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "id,name,parent,kind,acronym").unwrap();
    let mut stack = vec![(&root, None::<&str>)];
    while let Some((u, parent)) = stack.pop() {
        writeln!(
            out,
            "{},{},{},{},{}",
            u.id,
            u.name,
            parent.unwrap_or(""),
            u.kind.as_deref().unwrap_or(""),
            u.acronym.as_deref().unwrap_or("")
        )
        .unwrap();
        for c in u.units.iter().flatten() {
            stack.push((c, Some(&u.id)));
        }
    }
}

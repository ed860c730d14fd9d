//! Diffing two generated snapshots of 100,000 units with 5% churn: with
//! ids kept, with every id re-keyed, and between two snapshots brought in
//! by `reorg import` (the dataset diff after loading, which assembles the
//! two states; the loading time is printed apart).
//!
//! `cargo bench --bench diff` prints the median of a few runs of each and
//! the peak memory of the process (VmHWM). Each scenario runs in a fresh
//! process of its own, so the peaks do not add up.

#[path = "common.rs"]
mod common;

use common::median;
use common::peak_memory_mb;

use std::time::{Duration, Instant};

use reorg::diagnostic::SourceFile;
use reorg::diff::{diff, diff_states, Filter};
use reorg::import::{build, parse, Format, Header};
use reorg::model::Unit;
use reorg::state::OrgState;
use reorg::synth::{history, snapshot, Churn};

const SEED: u64 = 42;

fn main() {
    // The imported scenario loads from a temporary directory: nothing to
    // keep.
    std::env::set_var("REORG_NO_CACHE", "1");
    let units = std::env::var("REORG_BENCH_UNITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    if let Ok(scenario) = std::env::var("REORG_BENCH_SCENARIO") {
        return run(&scenario, units);
    }
    for scenario in ["ids-kept", "re-keyed", "imported"] {
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .env("REORG_BENCH_SCENARIO", scenario)
            .status()
            .unwrap();
        assert!(status.success(), "{scenario}");
    }
}

fn state_of(root: Unit) -> OrgState {
    OrgState::default().overlay(&snapshot("s", 2000, root), 0)
}

fn run(scenario: &str, units: usize) {
    let mut h = history(SEED, units, &Churn::percent(5.0));
    if scenario == "re-keyed" {
        h.rekey(SEED);
    }
    let (changes, time) = if scenario == "imported" {
        imported(&h.before, &h.after)
    } else {
        let (before, after) = (state_of(h.before.clone()), state_of(h.after.clone()));
        let runs: Vec<(usize, Duration)> = (0..3)
            .map(|_| {
                let start = Instant::now();
                let d = diff_states(&before, &after);
                (d.changes.len(), start.elapsed())
            })
            .collect();
        (runs[0].0, median(runs.into_iter().map(|r| r.1).collect()))
    };
    println!(
        "diff, {units} units, 5% churn, {scenario}: median {:.3} s, {changes} changes, peak memory {} MB",
        time.as_secs_f64(),
        peak_memory_mb()
    );
}

/// Writes both trees as CSV charts, imports each into a dataset directory
/// as `reorg import` does, loads the dataset, then times the diff of the
/// two dates (the loading time is printed apart).
fn imported(before: &Unit, after: &Unit) -> (usize, Duration) {
    let dir = std::env::temp_dir().join(format!("reorg-bench-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("events.ron"), "[]\n").unwrap();
    std::fs::write(dir.join("sources.ron"), "[]\n").unwrap();
    for (tree, year) in [(before, "2000"), (after, "2001")] {
        let csv = chart_csv(tree);
        let chart = parse(
            SourceFile::new("chart.csv", csv),
            Format::Csv,
            &mut |_, _| {},
        )
        .unwrap();
        let header = Header {
            id: year.into(),
            date: reorg::date::Date::parse(year).unwrap(),
            title: year.into(),
            scope: None,
            sources: Vec::new(),
        };
        let s = build(chart, &header).unwrap();
        std::fs::write(
            dir.join(format!("{year}.ron")),
            reorg::write::snapshot_to_ron(&s),
        )
        .unwrap();
    }
    let day = |y: &str| reorg::date::parse_query_day(y).unwrap();
    let start = Instant::now();
    let dataset = reorg::load::load(Some(&dir)).unwrap();
    println!(
        "  (loading the two imported snapshots: {:.3} s)",
        start.elapsed().as_secs_f64()
    );
    std::fs::remove_dir_all(&dir).unwrap();
    // The dataset diff: the two states (laid by the first run, kept by
    // the dataset) matched and composed.
    let runs: Vec<(usize, Duration)> = (0..3)
        .map(|_| {
            let start = Instant::now();
            let d = diff(
                &dataset,
                ("2000", day("2000")),
                ("2001", day("2001")),
                &Filter::default(),
            )
            .unwrap();
            (d.changes.len(), start.elapsed())
        })
        .collect();
    (runs[0].0, median(runs.into_iter().map(|r| r.1).collect()))
}

/// A tree as an import CSV.
fn chart_csv(root: &Unit) -> String {
    let mut out = String::from("id,name,parent,kind,acronym,description\n");
    let mut stack = vec![(root, None::<&str>)];
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    while let Some((u, parent)) = stack.pop() {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            quote(&u.id),
            quote(&u.name),
            parent.map(quote).unwrap_or_default(),
            quote(u.kind.as_deref().unwrap_or("")),
            quote(u.acronym.as_deref().unwrap_or("")),
            quote(u.description.as_deref().unwrap_or(""))
        ));
        for c in u.units.iter().flatten().rev() {
            stack.push((c, Some(&u.id)));
        }
    }
    out
}

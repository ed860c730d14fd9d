//! Inference on shapes that once made it quadratic, at N and 4N: a parent
//! kept by id over N leaves whose ids all changed, the leaves named alike
//! ("Field Office") or each renamed ("Field Office 17" → "Area Office
//! 17"), and the same with the parent's id changed too (so that the whole
//! branch is a sub-tree found identical, its leaves look-alikes).
//!
//! `cargo bench --bench inference_scaling` prints, for each shape, the
//! median time of `diff` between the two snapshots (after loading) and of
//! one lineage through them, at N and 4N, the ratio, the peak memory of a
//! process that did only that (VmHWM), and the highest confidence given to
//! a pairing of look-alikes. `REORG_BENCH_LEAVES` sets N (default 2,000).
//! Each shape and size runs in a fresh process of its own.

#[path = "common.rs"]
mod common;

use common::median_time;
use common::peak_memory_mb;

use reorg::diff::history::History;
use reorg::diff::{diff, Filter};
use reorg::lineage::{lineage, Reach};
use reorg::model::Unit;
use reorg::synth::snapshot;

const RUNS: usize = 3;
const SHAPES: [&str; 3] = ["look-alikes", "renamed", "parent re-keyed"];

fn main() {
    if let (Ok(shape), Ok(leaves)) = (
        std::env::var("REORG_BENCH_SHAPE"),
        std::env::var("REORG_BENCH_RUN_LEAVES"),
    ) {
        return run(&shape, leaves.parse().expect("a number of leaves"));
    }
    let n: usize = std::env::var("REORG_BENCH_LEAVES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    for shape in SHAPES {
        let times: Vec<f64> = [n, 4 * n]
            .into_iter()
            .map(|leaves| {
                let out = std::process::Command::new(std::env::current_exe().unwrap())
                    .env("REORG_BENCH_SHAPE", shape)
                    .env("REORG_BENCH_RUN_LEAVES", leaves.to_string())
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{shape} at {leaves}");
                let line = String::from_utf8(out.stdout).unwrap();
                print!("{line}");
                diff_seconds(&line)
            })
            .collect();
        println!(
            "  {shape}: diff at 4N takes {:.1} times as long as at N",
            times[1] / times[0]
        );
    }
}

/// The diff time a run printed: "diff 0.123 s".
fn diff_seconds(line: &str) -> f64 {
    let after = line.split("diff ").nth(1).expect("a diff time");
    after.split(' ').next().unwrap().parse().expect("seconds")
}

/// One shape at one size, in this process: generate, write, load, time.
fn run(shape: &str, leaves: usize) {
    let dir = std::env::temp_dir().join(format!("reorg-bench-scaling-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("events.ron"), "[]\n").unwrap();
    std::fs::write(dir.join("sources.ron"), "[]\n").unwrap();
    for (side, year) in [(0, 2000), (1, 2001)] {
        let s = snapshot(&year.to_string(), year, chart(shape, side, leaves));
        std::fs::write(
            dir.join(format!("{year}.ron")),
            reorg::write::snapshot_to_ron(&s),
        )
        .unwrap();
    }
    let dataset = reorg::load::load(Some(&dir)).expect("the generated snapshots load");
    std::fs::remove_dir_all(&dir).unwrap();
    let day = |y: &str| reorg::date::parse_query_day(y).unwrap();
    let mut top_look_alike: f64 = 0.0;
    let diff_time = median_time(RUNS, || {
        let d = diff(
            &dataset,
            ("2000", day("2000")),
            ("2001", day("2001")),
            &Filter::default(),
        )
        .expect("both dates are in the dataset");
        top_look_alike = d
            .changes
            .iter()
            .filter(|c| c.evidence.iter().any(|e| e.contains("cannot be told")))
            .map(|c| c.confidence)
            .fold(0.0, f64::max);
    });
    let reach = Reach {
        ancestors: true,
        descendants: true,
        depth: None,
    };
    let lineage_time = median_time(RUNS, || {
        let history = History::build(&dataset);
        let focus = reorg::find::resolve(&history, "a1")[0].thread;
        assert!(!lineage(&history, focus, reach).units.is_empty());
    });
    println!(
        "{shape}, {leaves} leaves: diff {:.3} s, lineage {:.3} s, peak memory {} MB, look-alikes paired with confidence at most {top_look_alike:.4}",
        diff_time.as_secs_f64(),
        lineage_time.as_secs_f64(),
        peak_memory_mb()
    );
}

/// The chart on one side: an agency, a directorate (the same id on both
/// sides, except when re-keyed) and its leaves, with ids of that side.
fn chart(shape: &str, side: usize, leaves: usize) -> Unit {
    let tag = ["a", "b"][side];
    let name = |i: usize| match (shape, side) {
        ("renamed", 0) => format!("Field Office {i}"),
        ("renamed", _) => format!("Area Office {i}"),
        _ => "Field Office".to_string(),
    };
    let offices = (0..leaves)
        .map(|i| unit(&format!("{tag}{i}"), &name(i), "office", Vec::new()))
        .collect();
    let directorate_id = if shape == "parent re-keyed" {
        format!("{tag}-field")
    } else {
        "field".to_string()
    };
    let directorate = unit(&directorate_id, "Field Operations", "directorate", offices);
    unit("agency", "Agency", "agency", vec![directorate])
}

fn unit(id: &str, name: &str, kind: &str, units: Vec<Unit>) -> Unit {
    Unit {
        id: id.to_string(),
        name: name.to_string(),
        acronym: None,
        aliases: Vec::new(),
        kind: Some(kind.to_string()),
        description: None,
        note: None,
        sources: Vec::new(),
        confidence: reorg::model::Confidence::High,
        partial: false,
        units: Some(units),
    }
}

//! Converting a 1,000,000-row table keyed by the units of a 40,000-unit
//! snapshot across a history of 80 yearly snapshots, after loading.
//!
//! The history is generated in memory: each year renames some units and
//! merges, absorbs, splits or drops a few, with a curated event for each
//! merge, absorption and split (as a national register of municipalities
//! records them). The table has a key column (ids of the first year's
//! units), two numeric columns and a text column.
//!
//! `cargo bench --bench convert` prints the median of three runs of the
//! whole conversion after loading, as `reorg convert` does it — the
//! history built, where each unit of the first year goes by the last, the
//! pass that finds the numeric columns, the conversion (reading the table
//! from disk) and the output CSV rendered — in processor time (all
//! threads; the machine is shared) with the wall time of the whole; the
//! time of the full crosswalk (which also composes the diff); and the
//! process's resident memory once the dataset is assembled and at its
//! peak (VmHWM). `REORG_BENCH_WRITE=DIR` also writes
//! the dataset and the table to DIR, to time `reorg --data DIR/data
//! convert DIR/table.csv ...` from the command line.

#[path = "common.rs"]
mod common;

use common::{arg, peak_memory_mb};

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use reorg::convert::{self, KeyBy, Options, TextRule};
use reorg::crosswalk;
use reorg::dataset::Dataset;
use reorg::date::{parse_query_day, Date};
use reorg::diff::history::History;
use reorg::model::{ChangeKind, Confidence, Event, Snapshot, Unit};
use reorg::synth::{self, Rng};

const SEED: u64 = 7;

fn main() {
    let units = arg("REORG_BENCH_UNITS", 40_000);
    let years = arg("REORG_BENCH_SNAPSHOTS", 80);
    let rows = arg("REORG_BENCH_ROWS", 1_000_000);
    let start = Instant::now();
    let (snapshots, events) = history(units, years);
    let dir = std::env::temp_dir().join(format!("reorg-bench-convert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let table = dir.join("table.csv");
    write_table(&table, &snapshots[0], rows);
    if let Ok(out) = std::env::var("REORG_BENCH_WRITE") {
        write_dataset(Path::new(&out), &snapshots, &events);
        std::fs::copy(&table, Path::new(&out).join("table.csv")).unwrap();
    }
    let generated = start.elapsed();
    let start = Instant::now();
    let dataset = Dataset::new(snapshots, events, BTreeMap::new(), "generated".into());
    let assembled = start.elapsed();
    let resident = resident_mb();
    let (from, to) = ("1900".to_string(), format!("{}", 1900 + years - 1));
    let mut runs: Vec<(Phases, usize)> = (0..3)
        .map(|_| run(&dataset, &table, (&from, &to)))
        .collect();
    runs.sort_by_key(|(p, _)| p.total());
    let (median, written) = &runs[1];
    std::fs::remove_dir_all(&dir).unwrap();
    println!(
        "convert: {rows} rows keyed by {units} units, {years} snapshots ({} events); generated in {:.1} s, states assembled in {:.1} s",
        dataset.events.len(),
        generated.as_secs_f64(),
        assembled.as_secs_f64()
    );
    println!(
        "  conversion after loading, processor time (all threads): median {} (min {}), {written} rows written; wall time {} (the machine is shared)",
        secs(median.total()),
        secs(runs[0].0.total()),
        secs(median.wall)
    );
    println!(
        "    of which history {}, parts {}, numeric columns {}, conversion {}, output {}",
        secs(median.history),
        secs(median.crosswalk),
        secs(median.numeric),
        secs(median.convert),
        secs(median.render)
    );
    let history = History::build(&dataset);
    let before = cpu_time();
    let options = crosswalk::Options::default();
    let cw = crosswalk::crosswalk(&history, day(&from), day(&to), &options).unwrap();
    println!(
        "  `reorg crosswalk` from the first year to the last, after the history is built: {} ({} units)",
        secs(cpu_time() - before),
        cw.rows.len()
    );
    println!(
        "  resident memory with the dataset assembled {resident} MB; peak {} MB",
        peak_memory_mb()
    );
}

/// The processor time (all threads) of each part of a conversion, and the
/// wall time of the whole.
#[derive(Default)]
struct Phases {
    wall: Duration,
    history: Duration,
    crosswalk: Duration,
    numeric: Duration,
    convert: Duration,
    render: Duration,
}

impl Phases {
    fn total(&self) -> Duration {
        self.history + self.crosswalk + self.numeric + self.convert + self.render
    }
}

/// One conversion, as `reorg convert` does it after loading: the time of
/// each part, and the number of rows written.
fn run(dataset: &Dataset, table: &Path, (from, to): (&str, &str)) -> (Phases, usize) {
    let mut phases = Phases::default();
    let start = Instant::now();
    let mut clock = cpu_time();
    let mut lap = |phase: &mut Duration| {
        let now = cpu_time();
        *phase = now - clock;
        clock = now;
    };
    let history = History::build(dataset);
    lap(&mut phases.history);
    let options = crosswalk::Options::default();
    let parts = crosswalk::parts(&history, day(from), day(to).1, &options).unwrap();
    lap(&mut phases.crosswalk);
    let open = || std::io::BufReader::new(std::fs::File::open(table).unwrap());
    let options = Options {
        key: "unit".into(),
        by: KeyBy::Id,
        sum: convert::numeric_columns(open(), "unit").unwrap(),
        text: TextRule::Join,
        roll_up: None,
    };
    assert_eq!(options.sum, ["staff", "budget"]);
    lap(&mut phases.numeric);
    let mut rejects = Vec::new();
    let converted =
        convert::convert(open(), Some(&mut rejects), &parts, &history, &options).unwrap();
    lap(&mut phases.convert);
    let csv = reorg::render::crosswalk::data_csv(&converted.header, &converted.rows);
    assert!(csv.len() > 1000);
    lap(&mut phases.render);
    phases.wall = start.elapsed();
    let total = &converted.report.totals[0];
    assert!((total.read - total.written - total.set_aside).abs() < 1e-6 * total.read);
    (phases, converted.rows.len())
}

fn day(text: &str) -> (&str, reorg::date::Day) {
    (text, parse_query_day(text).unwrap())
}

/// A unit of the generated organization, in a flat list where parents
/// come before their sub-units.
struct Node {
    unit: Unit,
    parent: Option<usize>,
    alive: bool,
    children: usize,
}

/// Snapshots, one a year from 1900, and the curated events between them.
fn history(size: usize, years: usize) -> (Vec<Snapshot>, Vec<Event>) {
    let mut rng = Rng::new(SEED);
    let mut nodes = flatten(synth::organization(&mut rng, size, 8, "u"));
    let mut snapshots = vec![snapshot(&nodes, 1900)];
    let mut events = Vec::new();
    for year in 1901..1900 + years as i32 {
        for n in nodes.iter_mut().filter(|n| n.alive) {
            if rng.chance(0.005) {
                n.unit.name = format!("New {}", n.unit.name);
            }
        }
        for (count, kind) in [
            (size / 1000, ChangeKind::Merged),
            (size / 1000, ChangeKind::Absorbed),
            (size / 2000, ChangeKind::Split),
            (size / 5000, ChangeKind::Abolished),
        ] {
            for i in 0..count {
                let new_id = format!("y{year}k{}i{i}", kind.name());
                if let Some(event) = change(&mut nodes, &mut rng, kind, &new_id, year) {
                    events.push(event);
                }
            }
        }
        snapshots.push(snapshot(&nodes, year));
    }
    for (line, e) in events.iter_mut().enumerate() {
        e.line = line + 1;
    }
    (snapshots, events)
}

fn flatten(root: Unit) -> Vec<Node> {
    let mut nodes = Vec::new();
    let mut stack = vec![(root, None)];
    while let Some((mut unit, parent)) = stack.pop() {
        let children = unit.units.take().unwrap_or_default();
        let me = nodes.len();
        nodes.push(Node {
            unit,
            parent,
            alive: true,
            children: children.len(),
        });
        stack.extend(children.into_iter().rev().map(|c| (c, Some(me))));
    }
    nodes
}

/// Plants one change on a leaf and its sibling; the curated event, when
/// the change has one.
fn change(
    nodes: &mut Vec<Node>,
    rng: &mut Rng,
    kind: ChangeKind,
    new_id: &str,
    year: i32,
) -> Option<Event> {
    let leaf = |n: &Node| n.alive && n.children == 0 && n.parent.is_some();
    let a = (0..20)
        .map(|_| rng.below(nodes.len()))
        .find(|&i| leaf(&nodes[i]))?;
    let parent = nodes[a].parent;
    let sibling = (0..nodes.len())
        .map(|k| (a + 1 + k) % nodes.len())
        .take(200)
        .find(|&i| leaf(&nodes[i]) && nodes[i].parent == parent);
    let id = |n: &Node| n.unit.id.clone();
    let new_unit = |nodes: &mut Vec<Node>, id: String, name: String| {
        let mut unit = nodes[a].unit.clone();
        unit.id = id.clone();
        unit.name = name;
        nodes.push(Node {
            unit,
            parent,
            alive: true,
            children: 0,
        });
        id
    };
    let (from, to) = match kind {
        ChangeKind::Merged => {
            let b = sibling?;
            let name = format!("{} and {}", nodes[a].unit.name, nodes[b].unit.name);
            let merged = new_unit(nodes, new_id.into(), name);
            end(nodes, b);
            (vec![id(&nodes[a]), id(&nodes[b])], vec![merged])
        }
        ChangeKind::Absorbed => {
            let b = sibling?;
            (vec![id(&nodes[a])], vec![id(&nodes[b])])
        }
        ChangeKind::Split => {
            let name = nodes[a].unit.name.clone();
            let east = new_unit(nodes, format!("{new_id}e"), format!("Eastern {name}"));
            let west = new_unit(nodes, format!("{new_id}w"), format!("Western {name}"));
            (vec![id(&nodes[a])], vec![east, west])
        }
        _ => {
            end(nodes, a);
            return None;
        }
    };
    end(nodes, a);
    if let Some(p) = parent {
        nodes[p].children += to
            .len()
            .saturating_sub(usize::from(kind == ChangeKind::Absorbed));
    }
    Some(Event {
        date: Date::parse(&year.to_string()).unwrap(),
        kind,
        from,
        to,
        external: None,
        note: None,
        sources: Vec::new(),
        confidence: Confidence::High,
        file: "events.ron".into(),
        line: 0,
    })
}

fn end(nodes: &mut [Node], i: usize) {
    nodes[i].alive = false;
    if let Some(p) = nodes[i].parent {
        nodes[p].children -= 1;
    }
}

fn snapshot(nodes: &[Node], year: i32) -> Snapshot {
    let mut position = vec![usize::MAX; nodes.len()];
    let mut flat = Vec::new();
    for (i, n) in nodes.iter().enumerate().filter(|(_, n)| n.alive) {
        position[i] = flat.len();
        let mut unit = n.unit.clone();
        unit.units = Some(Vec::new());
        flat.push((unit, n.parent.map(|p| position[p])));
    }
    synth::snapshot(&format!("s{year}"), year, synth::assemble(flat))
}

/// `rows` rows keyed by the ids of the snapshot's units, at random.
fn write_table(path: &Path, snapshot: &Snapshot, rows: usize) {
    let ids: Vec<&str> = snapshot.all_units().map(|u| u.id.as_str()).collect();
    let mut rng = Rng::new(SEED + 1);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "unit,staff,budget,region").unwrap();
    let regions = ["North", "South", "East", "West", "Overseas"];
    for _ in 0..rows {
        let id = ids[rng.below(ids.len())];
        let staff = rng.below(500);
        let budget = rng.below(1_000_000) as f64 / 100.0;
        let region = regions[rng.below(regions.len())];
        writeln!(out, "{id},{staff},{budget},{region}").unwrap();
    }
    out.flush().unwrap();
}

/// The dataset as files: `DIR/data/` (snapshots, events, sources).
fn write_dataset(dir: &Path, snapshots: &[Snapshot], events: &[Event]) {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for s in snapshots {
        let text = reorg::write::snapshot_to_ron(s);
        std::fs::write(data.join(format!("{}.ron", s.id)), text).unwrap();
    }
    let mut text = String::from("[\n");
    for e in events {
        let list = |ids: &[String]| {
            let quoted: Vec<String> = ids.iter().map(|i| reorg::write::quote(i)).collect();
            quoted.join(", ")
        };
        text.push_str(&format!(
            "    Event(date: \"{}\", kind: {}, from: [{}], to: [{}], confidence: high),\n",
            e.date,
            e.kind,
            list(&e.from),
            list(&e.to)
        ));
    }
    text.push_str("]\n");
    std::fs::write(data.join(reorg::load::EVENTS_FILE), text).unwrap();
    std::fs::write(data.join(reorg::load::SOURCES_FILE), "[]\n").unwrap();
}

/// The processor time this process has used, all threads, from
/// /proc/self/stat (user and system time, in the 1/100 s that /proc
/// counts in).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime: fields 14 and 15 of the line, the 12th and 13th
    // after the name.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// The resident memory of this process now, in MB (VmRSS).
fn resident_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or("unknown".to_string(), |kb| (kb / 1024).to_string())
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

//! How well the diff recovers a known history. For each size, generates an
//! agency and a later version of it with changes of every kind planted
//! (`reorg::synth::history`, about 5 changes per 100 units), gives every
//! unit of the later version a fresh id so that nothing matches by id,
//! diffs the two, and prints precision and recall per kind and the time
//! taken; then times the same diff with the ids kept.
//!
//! ```text
//! cargo run --release --example inference_quality            # 10,000 units
//! cargo run --release --example inference_quality -- 100000  # and 100,000
//! ```
//!
//! A change counts as found when the diff reports one of the same kind
//! with the same ids on each side. Sub-units that a merge, absorption,
//! split or spin-off carried to a new parent count as moved: the diff
//! tells them inside that change (see `reorg::synth::truth_keys`).
//! `recoded` (every unit, here) is not counted.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use reorg::diff::infer::{infer, Known};
use reorg::diff::{diff_states, Change, UnitSide};
use reorg::model::{ChangeKind, Unit};
use reorg::state::{OrgState, UnitIx};
use reorg::synth::{history, snapshot, truth_keys, Churn, TwoVersions};

const SEED: u64 = 20_261_123;

fn main() {
    let mut sizes = vec![10_000];
    let mut misses: Option<ChangeKind> = None;
    let mut seed = SEED;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--seed" {
            let n = args.next().expect("--seed takes a number");
            seed = n.parse().expect("--seed takes a number");
        } else if arg == "--misses" {
            let kind = args.next().expect("--misses takes a kind, e.g. renamed");
            misses = Some(ChangeKind::from_name(&kind).expect("a change kind, e.g. renamed"));
        } else {
            sizes.push(
                arg.parse()
                    .expect("arguments are organization sizes, e.g. 100000"),
            );
        }
    }
    for size in sizes {
        let mut h = history(seed, size, &Churn::percent(5.0));
        let (kept_before, kept_after) = (state_of(&h.before), state_of(&h.after));
        h.rekey(seed);
        let (before, after) = (state_of(&h.before), state_of(&h.after));

        println!("\n{size} units, every unit of the later version re-keyed");
        let (diff, elapsed) = timed(|| diff_states(&before, &after));
        let scores = h.score(
            diff.changes
                .iter()
                .flat_map(truth_keys)
                .filter(|k| k.0 != ChangeKind::Recoded),
        );
        println!(
            "{:<14} {:>8} {:>8} {:>8} {:>9} {:>7}",
            "kind", "expected", "reported", "correct", "precision", "recall"
        );
        for (kind, t) in scores {
            // A ratio over nothing is shown as "-".
            let shown = |ratio: f64, over: usize| {
                if over == 0 {
                    "-".to_string()
                } else {
                    format!("{ratio:.3}")
                }
            };
            println!(
                "{:<14} {:>8} {:>8} {:>8} {:>9} {:>7}",
                kind.name(),
                t.expected,
                t.reported,
                t.correct,
                shown(t.precision(), t.reported),
                shown(t.recall(), t.expected)
            );
        }
        if let Some(kind) = misses {
            print_misses(&h, &diff.changes, kind);
        }
        let carried = h.truth.iter().filter(|t| t.carried).count();
        println!("(moved includes {carried} sub-units carried by a merge, absorption, split or spin-off)");
        println!("diff_states: {:.3} s", elapsed.as_secs_f64());
        println!(
            "of which inference: {:.3} s",
            time_inference(&before, &after).as_secs_f64()
        );
        let (kept, elapsed) = timed(|| diff_states(&kept_before, &kept_after));
        println!(
            "ids kept: diff_states {:.3} s ({} changes)",
            elapsed.as_secs_f64(),
            kept.changes.len()
        );
    }
}

fn state_of(root: &Unit) -> OrgState {
    OrgState::default().overlay(&snapshot("s", 2000, root.clone()), 0)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// The changes of one kind the truth has and the diff missed, and those
/// the diff reported wrongly, with names.
fn print_misses(h: &TwoVersions, changes: &[Change], kind: ChangeKind) {
    let names = |root: &Unit| -> HashMap<String, String> {
        root.walk()
            .iter()
            .map(|u| (u.id.clone(), u.name.clone()))
            .collect()
    };
    let (before, after) = (names(&h.before), names(&h.after));
    let shown = |ids: &[String], names: &HashMap<String, String>| -> String {
        let named: Vec<&str> = ids.iter().map(|id| names[id].as_str()).collect();
        named.join(", ")
    };
    let ids = |units: &[UnitSide]| -> Vec<String> { units.iter().map(|u| u.id.clone()).collect() };
    let sorted = |mut ids: Vec<String>| {
        ids.sort();
        ids
    };
    let reported: Vec<(ChangeKind, Vec<String>, Vec<String>)> = changes
        .iter()
        .flat_map(truth_keys)
        .filter(|k| k.0 == kind)
        .map(|(k, from, to)| (k, sorted(from), sorted(to)))
        .collect();
    let truth: Vec<(ChangeKind, Vec<String>, Vec<String>)> = h
        .truth
        .iter()
        .filter(|t| t.kind == kind)
        .map(|t| (t.kind, sorted(t.from.clone()), sorted(t.to.clone())))
        .collect();
    for (_, from, to) in truth.iter().filter(|t| !reported.contains(t)) {
        println!(
            "missed {kind}: {} -> {}",
            shown(from, &before),
            shown(to, &after)
        );
        // What the diff said about those units instead.
        let concerns = |c: &&Change| {
            let mut units = c.from.iter().chain(&c.to);
            units.any(|u| from.contains(&u.id) || to.contains(&u.id))
        };
        for c in changes.iter().filter(concerns) {
            let names = |units: &[UnitSide]| -> Vec<String> {
                units.iter().map(|u| u.name.clone()).collect()
            };
            println!(
                "    instead {} {:?} -> {:?} ({:.2}): {}",
                c.kind,
                names(&c.from),
                names(&c.to),
                c.confidence,
                c.evidence.join("; ")
            );
        }
    }
    for c in changes.iter().filter(|c| c.aspects.contains(&kind)) {
        let (from, to) = (sorted(ids(&c.from)), sorted(ids(&c.to)));
        if !truth.contains(&(kind, from.clone(), to.clone())) {
            println!(
                "wrong {kind}: {} -> {} ({:.2}): {}",
                shown(&from, &before),
                shown(&to, &after),
                c.confidence,
                c.evidence.join("; ")
            );
        }
    }
}

/// Inference alone, with every unit a leftover (as when all ids differ).
fn time_inference(before: &OrgState, after: &OrgState) -> Duration {
    let all = |s: &OrgState| -> Vec<UnitIx> { s.preorder().map(|(ix, _)| ix).collect() };
    let (removed, added) = (all(before), all(after));
    timed(|| {
        infer(&Known {
            before,
            after,
            pairs: &[],
            removed: &removed,
            added: &added,
        })
    })
    .1
}

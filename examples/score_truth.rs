//! Scores diffs against known histories: for each pair of files given, a
//! truth file (the changes known to have happened between two dates) and
//! the output of `reorg diff --format json` between those dates, prints
//! recall and precision per kind, then the totals over all pairs.
//!
//! ```text
//! cargo run --release --example score_truth -- TRUTH.json DIFF.json [TRUTH.json DIFF.json ...]
//! ```
//!
//! The truth format and the scoring rules are those of `reorg::truth`;
//! `docs/inference-figures.md` shows how to produce the diffs and what the
//! figures are on the history of the French communes.

use std::collections::BTreeMap;
use std::process::ExitCode;

use reorg::truth::{read_changes, read_truth, score, KindScore, KINDS};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || args.len() % 2 != 0 {
        eprintln!("usage: score_truth TRUTH.json DIFF.json [TRUTH.json DIFF.json ...]");
        return ExitCode::from(2);
    }
    let mut totals: BTreeMap<&str, KindScore> = BTreeMap::new();
    for pair in args.chunks(2) {
        let scores = match score_files(&pair[0], &pair[1]) {
            Ok(scores) => scores,
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(1);
            }
        };
        println!("{}", pair[1]);
        print_scores(&scores);
        for (kind, s) in scores {
            totals.entry(kind).or_default().add(s);
        }
    }
    if args.len() > 2 {
        println!("total");
        print_scores(&totals);
    }
    ExitCode::SUCCESS
}

fn score_files(truth: &str, diff: &str) -> Result<BTreeMap<&'static str, KindScore>, String> {
    let read = |path: &str| std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"));
    let truth_events = read_truth(&read(truth)?).map_err(|e| format!("{truth}: {e}"))?;
    let changes = read_changes(&read(diff)?).map_err(|e| format!("{diff}: {e}"))?;
    Ok(score(&truth_events, &changes))
}

/// One line per kind: recall (found of truth) and precision (right of
/// reported), "-" over nothing.
fn print_scores(scores: &BTreeMap<&str, KindScore>) {
    let ratio = |r: Option<f64>| r.map_or("-".to_string(), |r| format!("{r:.3}"));
    for kind in KINDS {
        let s = scores.get(kind).copied().unwrap_or_default();
        println!(
            "  {kind:<8} recall {:>5} ({:>4} of {:>4})  precision {:>5} ({:>4} of {:>4})",
            ratio(s.recall()),
            s.found,
            s.truth,
            ratio(s.precision()),
            s.right,
            s.reported
        );
    }
}

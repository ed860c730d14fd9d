//! Scoring a diff against a history whose changes are known: a truth file
//! lists the changes between two dates, and the changes a diff reports
//! (`reorg diff --format json`) are counted against it, per kind, as
//! recall (truth events found) and precision (reported changes that are
//! true). `docs/inference-figures.md` explains the format and gives the
//! figures; `examples/score_truth.rs` runs it on files.
//!
//! A truth file is a JSON list of events `{"kind", "from": [ids], "to":
//! [ids]}`, ids as in the snapshots compared:
//!
//! - `renamed`, `moved`: one unit, its id before and after;
//! - `merged`: the units merged (`from`) and the unit they went into
//!   (`to`), which may continue; `split`: the unit split (`from`) and the
//!   units it gave (`to`), which may include itself;
//! - any other kind (`added`, `removed`, `pole`...) is not scored, and an
//!   event with `"ambiguous": true` is not either: reports about its units
//!   are not held against precision.
//!
//! A truth event is found when a reported change of its kind names at
//! least one of its units on each side. `absorbed` counts as `merged` and
//! `spun_off` as `split` (a truth that does not say whether the unit merged
//! into continues cannot tell them apart), and the `aspects` of a change
//! count as kinds too. A reported change of a scored kind is true when it
//! matches a truth event of its kind; a `renamed` or `moved` report about
//! units at the centre of a merge or split is not held against precision
//! (a unit merged into another may live on inside it, renamed and moved).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// The kinds scored.
pub const KINDS: [&str; 4] = ["renamed", "moved", "merged", "split"];

/// A change known to have happened.
#[derive(Debug, Clone, Deserialize)]
pub struct Event {
    pub kind: String,
    #[serde(default)]
    pub from: Vec<String>,
    #[serde(default)]
    pub to: Vec<String>,
    /// Reports about its units are not scored either way.
    #[serde(default)]
    pub ambiguous: bool,
}

/// A reported change, as scored: the kinds it counts as and the ids on
/// each side.
#[derive(Debug, Clone, PartialEq)]
pub struct Reported {
    pub kinds: BTreeSet<String>,
    pub from: BTreeSet<String>,
    pub to: BTreeSet<String>,
}

/// How one kind scored.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct KindScore {
    /// Truth events of the kind.
    pub truth: usize,
    /// Of those, found.
    pub found: usize,
    /// Reported changes of the kind.
    pub reported: usize,
    /// Of those, true (or about units the truth leaves open).
    pub right: usize,
}

impl KindScore {
    /// Found among truth events; `None` with no truth event.
    pub fn recall(&self) -> Option<f64> {
        (self.truth > 0).then(|| self.found as f64 / self.truth as f64)
    }

    /// True among reported changes; `None` with none reported.
    pub fn precision(&self) -> Option<f64> {
        (self.reported > 0).then(|| self.right as f64 / self.reported as f64)
    }

    /// Sums two scores (of two datasets, say).
    pub fn add(&mut self, other: KindScore) {
        self.truth += other.truth;
        self.found += other.found;
        self.reported += other.reported;
        self.right += other.right;
    }
}

/// A file that could not be read as expected.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FormatError(String);

/// Reads a truth file.
pub fn read_truth(text: &str) -> Result<Vec<Event>, FormatError> {
    serde_json::from_str(text).map_err(|e| FormatError(format!("a truth file: {e}")))
}

/// Reads the changes of `reorg diff --format json` (or a bare list of
/// changes): each has a `kind`, perhaps `aspects`, and `from` and `to` as
/// lists of units with an `id` (or of ids).
pub fn read_changes(text: &str) -> Result<Vec<Reported>, FormatError> {
    let bad = |what: &str| FormatError(format!("a change list: {what}"));
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| bad(&e.to_string()))?;
    let changes = match &value {
        serde_json::Value::Array(list) => list,
        other => other
            .get("changes")
            .and_then(|c| c.as_array())
            .ok_or_else(|| bad("expected a list, or an object with \"changes\""))?,
    };
    changes
        .iter()
        .map(|c| reported(c).ok_or_else(|| bad(&format!("cannot read {c}"))))
        .collect()
}

fn reported(change: &serde_json::Value) -> Option<Reported> {
    let ids = |key: &str| -> Option<BTreeSet<String>> {
        let Some(units) = change.get(key) else {
            return Some(BTreeSet::new());
        };
        units
            .as_array()?
            .iter()
            .map(|u| u.get("id").unwrap_or(u).as_str().map(str::to_string))
            .collect()
    };
    let mut kinds: BTreeSet<String> = BTreeSet::new();
    kinds.insert(change.get("kind")?.as_str()?.to_string());
    for aspect in change
        .get("aspects")
        .and_then(|a| a.as_array())
        .into_iter()
        .flatten()
    {
        kinds.insert(aspect.as_str()?.to_string());
    }
    let kinds = kinds
        .into_iter()
        .map(|k| scored_as(&k).to_string())
        .collect();
    Some(Reported {
        kinds,
        from: ids("from")?,
        to: ids("to")?,
    })
}

/// The kind a reported kind is scored as.
fn scored_as(kind: &str) -> &str {
    match kind {
        "absorbed" => "merged",
        "spun_off" => "split",
        other => other,
    }
}

/// Scores reported changes against the truth, per scored kind.
pub fn score(truth: &[Event], reported: &[Reported]) -> BTreeMap<&'static str, KindScore> {
    let mut unscored: BTreeSet<&str> = BTreeSet::new();
    for e in truth.iter().filter(|e| e.ambiguous) {
        unscored.extend(e.from.iter().chain(&e.to).map(String::as_str));
    }
    let truth: Vec<&Event> = truth.iter().filter(|e| !e.ambiguous).collect();
    // Units at the centre of a merge or split, and those left open.
    let mut excused = unscored.clone();
    for e in truth
        .iter()
        .filter(|e| matches!(e.kind.as_str(), "merged" | "split"))
    {
        excused.extend(e.from.iter().chain(&e.to).map(String::as_str));
    }
    let meets = |e: &Event, r: &Reported| {
        e.from.iter().any(|id| r.from.contains(id)) && e.to.iter().any(|id| r.to.contains(id))
    };
    KINDS
        .iter()
        .map(|&kind| {
            let events: Vec<&Event> = truth.iter().copied().filter(|e| e.kind == kind).collect();
            let reports: Vec<&Reported> =
                reported.iter().filter(|r| r.kinds.contains(kind)).collect();
            let found = events
                .iter()
                .filter(|e| reports.iter().any(|r| meets(e, r)))
                .count();
            let within =
                |ids: &BTreeSet<String>| ids.iter().all(|id| excused.contains(id.as_str()));
            let continuity = matches!(kind, "renamed" | "moved");
            let right = reports
                .iter()
                .filter(|r| {
                    events.iter().any(|e| meets(e, r))
                        || (continuity && (within(&r.from) || within(&r.to)))
                })
                .count();
            let score = KindScore {
                truth: events.len(),
                found,
                reported: reports.len(),
                right,
            };
            (kind, score)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truth_event_is_found_by_a_change_naming_a_unit_on_each_side() {
        let truth = read_truth(
            r#"[
                {"kind": "merged", "from": ["a", "b"], "to": ["c"]},
                {"kind": "renamed", "from": ["x"], "to": ["x"]},
                {"kind": "pole", "from": ["c"], "to": ["c"], "ambiguous": true}
            ]"#,
        )
        .unwrap();
        let changes = read_changes(
            r#"{"changes": [
                {"kind": "absorbed", "from": [{"id": "a"}], "to": [{"id": "c"}]},
                {"kind": "renamed", "aspects": ["renamed", "moved"],
                 "from": [{"id": "c"}], "to": [{"id": "c"}]},
                {"kind": "renamed", "from": ["y"], "to": ["y"]}
            ]}"#,
        )
        .unwrap();
        let scores = score(&truth, &changes);
        let merged = scores["merged"];
        assert_eq!(
            (merged.truth, merged.found, merged.reported, merged.right),
            (1, 1, 1, 1)
        );
        // The rename of the unit merged into is excused; that of y is wrong
        // and x's is missed.
        let renamed = scores["renamed"];
        assert_eq!(
            (
                renamed.truth,
                renamed.found,
                renamed.reported,
                renamed.right
            ),
            (1, 0, 2, 1)
        );
        assert_eq!(scores["moved"].reported, 1);
        assert_eq!(scores["split"].recall(), None);
    }

    #[test]
    fn unreadable_files_say_what_was_expected() {
        assert!(read_truth("{").is_err());
        let err = read_changes(r#"{"nothing": 1}"#).unwrap_err();
        assert!(err.to_string().contains("\"changes\""), "{err}");
    }
}

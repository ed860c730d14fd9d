//! Inference measured on synthetic histories with a known truth
//! (`reorg::synth::history`): every unit of the later version gets a fresh
//! id, and the diff must still recover each kind of change with the
//! precision and recall `docs/inference-figures.md` promises.

use std::collections::BTreeMap;

use reorg::diff::{diff_states, Change, UnitSide};
use reorg::model::{ChangeKind, Unit};
use reorg::state::OrgState;
use reorg::synth::{history, snapshot, Churn, Tally};

fn state_of(root: &Unit) -> OrgState {
    OrgState::default().overlay(&snapshot("s", 2000, root.clone()), 0)
}

/// The keys of a change as the truth has them: one for each way a unit
/// that continues changed; a unit first or last seen as established or
/// abolished (the generator plants no sources to tell them apart).
fn keys(c: &Change) -> Vec<(ChangeKind, Vec<String>, Vec<String>)> {
    let ids = |units: &[UnitSide]| units.iter().map(|u| u.id.clone()).collect::<Vec<_>>();
    c.aspects
        .iter()
        .map(|&aspect| match aspect {
            ChangeKind::Appeared => ChangeKind::Established,
            ChangeKind::Disappeared => ChangeKind::Abolished,
            kind => kind,
        })
        .map(|kind| (kind, ids(&c.from), ids(&c.to)))
        .collect()
}

#[test]
fn inference_recovers_a_rekeyed_synthetic_history() {
    // About 5 changes per 100 units, with more merges, absorptions, splits
    // and spin-offs than that mix has, so that each kind counts.
    let churn = Churn {
        merged: 0.006,
        absorbed: 0.006,
        split: 0.006,
        spun_off: 0.006,
        ..Churn::percent(5.0)
    };
    let mut scores: BTreeMap<ChangeKind, Tally> = BTreeMap::new();
    for seed in [1, 2] {
        let mut h = history(seed, 3_000, &churn);
        h.rekey(seed);
        let diff = diff_states(&state_of(&h.before), &state_of(&h.after));
        let reported = diff
            .changes
            .iter()
            .flat_map(keys)
            .filter(|k| k.0 != ChangeKind::Recoded);
        for (kind, tally) in h.score(reported) {
            scores.entry(kind).or_default().add(tally);
        }
    }
    let table: Vec<String> = scores
        .iter()
        .map(|(kind, t)| {
            format!(
                "{kind}: {} expected, {} reported, {} correct (precision {:.3}, recall {:.3})",
                t.expected,
                t.reported,
                t.correct,
                t.precision(),
                t.recall()
            )
        })
        .collect();
    let targets = [
        (ChangeKind::Renamed, 0.97),
        (ChangeKind::Moved, 0.97),
        (ChangeKind::Merged, 0.9),
        (ChangeKind::Absorbed, 0.9),
        (ChangeKind::Split, 0.9),
        (ChangeKind::SpunOff, 0.9),
    ];
    for (kind, floor) in targets {
        let t = scores[&kind];
        assert!(
            t.expected >= 20,
            "too few {kind} to measure:\n{}",
            table.join("\n")
        );
        assert!(
            t.precision() >= floor && t.recall() >= floor,
            "{kind} below {floor}:\n{}",
            table.join("\n")
        );
    }
}

//! Inference measured on real history: every unit of every ICE state gets
//! a fresh id (a different one in each state) and the events are dropped;
//! the diff of each step must still recover the changes the curated
//! dataset gives.

use std::collections::{BTreeMap, BTreeSet};

use reorg::diff::{changes_by_step, diff_states, Change, Filter, UnitSide};
use reorg::model::{ChangeKind, Unit};
use reorg::state::{OrgState, UnitIx};

type Key = (ChangeKind, Vec<String>, Vec<String>);

/// The state with every unit under a fresh id, and the way back to the
/// original ids.
fn rekeyed(state: &OrgState, tag: usize) -> (OrgState, BTreeMap<String, String>) {
    let mut back = BTreeMap::new();
    fn unit(state: &OrgState, ix: UnitIx, tag: usize, back: &mut BTreeMap<String, String>) -> Unit {
        let u = state.unit(ix);
        let id = format!("k{tag}-{}", back.len());
        back.insert(id.clone(), u.id.clone());
        Unit {
            id,
            name: u.name.clone(),
            acronym: u.acronym.clone(),
            aliases: u.aliases.clone(),
            kind: u.kind.clone(),
            description: u.description.clone(),
            note: None,
            sources: Vec::new(),
            confidence: u.confidence,
            partial: false,
            units: Some(
                state
                    .children(ix)
                    .into_iter()
                    .map(|c| unit(state, c, tag, back))
                    .collect(),
            ),
        }
    }
    let roots: Vec<Unit> = state
        .roots()
        .into_iter()
        .map(|r| unit(state, r, tag, &mut back))
        .collect();
    let mut snapshot = reorg::synth::snapshot("rekeyed", 2000, roots[0].clone());
    snapshot.units = roots;
    (OrgState::default().overlay(&snapshot, 0), back)
}

/// The keys of a change in original ids. A unit established or abolished
/// with others counts on its own: how events group them is not a change;
/// nor is whether a source says it began (established) or it was only
/// first seen (appeared).
/// A transfer counts as the unit leaving (or joining): the outside body is
/// in no chart.
fn keys(
    c: &Change,
    back_from: &BTreeMap<String, String>,
    back_to: &BTreeMap<String, String>,
) -> Vec<Key> {
    let map = |units: &[UnitSide], back: &BTreeMap<String, String>| {
        let mut ids: Vec<String> = units
            .iter()
            .map(|u| back.get(&u.id).cloned().unwrap_or_else(|| u.id.clone()))
            .collect();
        ids.sort();
        ids
    };
    // A sub-unit a change carried along may be a move the curated history
    // records as an event of its own: it counts as that move.
    let carried: Vec<Key> = (c.parts.iter().filter(|p| c.carries(p)))
        .map(|p| {
            let (a, b) = (&c.from[p.from..=p.from], &c.to[p.to..=p.to]);
            (ChangeKind::Moved, map(a, back_from), map(b, back_to))
        })
        .collect();
    let principal =
        |units: Vec<&UnitSide>| -> Vec<UnitSide> { units.into_iter().cloned().collect() };
    let (from, to) = (
        map(&principal(c.principal_from()), back_from),
        map(&principal(c.principal_to()), back_to),
    );
    let mut keys = carried;
    keys.extend(match c.kind {
        ChangeKind::Established
        | ChangeKind::Appeared
        | ChangeKind::Restored
        | ChangeKind::TransferredIn => to
            .into_iter()
            .map(|id| (ChangeKind::Established, vec![], vec![id]))
            .collect(),
        ChangeKind::Abolished | ChangeKind::Disappeared | ChangeKind::TransferredOut => from
            .into_iter()
            .map(|id| (ChangeKind::Abolished, vec![id], vec![]))
            .collect(),
        // A unit that continues counts once for each way it changed.
        _ => c
            .aspects
            .iter()
            .map(|&aspect| (aspect, from.clone(), to.clone()))
            .collect::<Vec<Key>>(),
    });
    keys
}

#[test]
fn inference_recovers_the_curated_history_of_ice_without_ids() {
    let dataset = reorg::load::load(None).unwrap();
    let mut truth: BTreeSet<Key> = BTreeSet::new();
    let mut found: BTreeSet<Key> = BTreeSet::new();
    let mut state = OrgState::default();
    for (k, snapshot) in dataset.snapshots().iter().enumerate() {
        let next = state.lay(snapshot, k);
        if k > 0 {
            let (from, to) = (
                snapshot.date.earliest().pred_opt().unwrap(),
                snapshot.date.earliest(),
            );
            // What the curated dataset gives: identity and curated events.
            let given = changes_by_step(&dataset, from, to, &Filter::default());
            for c in given
                .iter()
                .filter(|c| c.basis != reorg::diff::Basis::Inferred)
            {
                let same: BTreeMap<String, String> = BTreeMap::new();
                truth.extend(keys(c, &same, &same));
            }
            let (before, back_before) = rekeyed(&state, k - 1);
            let (after, back_after) = rekeyed(&next, k);
            for c in diff_states(&before, &after).changes {
                for key in keys(&c, &back_before, &back_after) {
                    // A unit that only got its fresh id has not changed.
                    if !(key.0 == ChangeKind::Recoded && key.1 == key.2) {
                        found.insert(key);
                    }
                }
            }
        }
        state = next;
    }
    let hits = truth.intersection(&found).count();
    let recall = hits as f64 / truth.len() as f64;
    // Inference does not guess what it cannot see (a succession the
    // sources assert, an absorption that moved no sub-unit): it reports the
    // unit as abolished, or established. That is right when the curated
    // history does end (or begin) the unit in that step.
    let continuity = [
        ChangeKind::Renamed,
        ChangeKind::Moved,
        ChangeKind::Redesignated,
        ChangeKind::Recoded,
    ];
    let (mut ended, mut begun) = (BTreeSet::new(), BTreeSet::new());
    for (_, from, to) in truth.iter().filter(|k| !continuity.contains(&k.0)) {
        ended.extend(from.iter().filter(|id| !to.contains(id)));
        begun.extend(to.iter().filter(|id| !from.contains(id)));
    }
    // A unit folded into another that lives on inside it as a part is
    // absorbed (or merged, when the other is new) and moved there at once:
    // the curated history may record only the move.
    let moved =
        |id: &String| truth.contains(&(ChangeKind::Moved, vec![id.clone()], vec![id.clone()]));
    let folded =
        |k: &Key| matches!(k.0, ChangeKind::Absorbed | ChangeKind::Merged) && k.1.iter().all(moved);
    let right = |k: &&Key| {
        truth.contains(k)
            || (k.0 == ChangeKind::Abolished && ended.contains(&k.1[0]))
            || (k.0 == ChangeKind::Established && begun.contains(&k.2[0]))
            || folded(k)
    };
    let precision = found.iter().filter(right).count() as f64 / found.len() as f64;
    let missed: Vec<&Key> = truth.difference(&found).collect();
    let wrong: Vec<&Key> = found.iter().filter(|k| !right(k)).collect();
    println!("re-keyed ICE: {hits} of {} changes recovered (recall {recall:.3}), {} reported (precision {precision:.3})", truth.len(), found.len());
    assert!(
        recall >= 0.91,
        "recall {recall:.3}; missed {missed:?}; wrong {wrong:?}"
    );
    assert!(
        precision >= 0.96,
        "precision {precision:.3}; wrong {wrong:?}"
    );
}

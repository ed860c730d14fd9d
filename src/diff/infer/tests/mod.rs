//! Unit tests of inference on small hand-made and synthetic states, by
//! topic: names and words (`names.rs`), units told by their place and
//! parts (`structure.rs`), and merges and absorptions (`groups.rs`). The
//! helpers here build states and read the inference by unit id.

use super::*;
use crate::model::Unit;
use crate::synth::snapshot;

mod groups;
mod names;
mod structure;

use crate::synth::unit;

fn described(id: &str, name: &str, description: &str) -> Unit {
    Unit {
        description: Some(description.to_string()),
        ..unit(id, name, Vec::new())
    }
}

fn state(root: Unit) -> OrgState {
    OrgState::default().overlay(&snapshot("s", 2000, root), 0)
}

/// Every unit of a state, in tree order.
fn all(s: &OrgState) -> Vec<UnitIx> {
    s.preorder().map(|(ix, _)| ix).collect()
}

/// Inference with no unit paired beforehand, as when all ids differ.
fn infer_all(before: &OrgState, after: &OrgState) -> Inference {
    infer(&Known {
        before,
        after,
        pairs: &[],
        removed: &all(before),
        added: &all(after),
    })
}

/// Inference after pairing the units that keep their id, as the diff
/// does.
fn infer_by_id(before: &OrgState, after: &OrgState) -> Inference {
    let pairs: Vec<(UnitIx, UnitIx)> = all(before)
        .into_iter()
        .filter_map(|a| Some((a, after.find(&before.unit(a).id)?)))
        .collect();
    let removed: Vec<UnitIx> = all(before)
        .into_iter()
        .filter(|a| !pairs.iter().any(|p| p.0 == *a))
        .collect();
    let added: Vec<UnitIx> = all(after)
        .into_iter()
        .filter(|b| !pairs.iter().any(|p| p.1 == *b))
        .collect();
    infer(&Known {
        before,
        after,
        pairs: &pairs,
        removed: &removed,
        added: &added,
    })
}

/// The pairs found, by id.
fn paired(inference: &Inference, before: &OrgState, after: &OrgState) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = inference
        .pairs
        .iter()
        .map(|p| {
            (
                before.unit(p.before).id.clone(),
                after.unit(p.after).id.clone(),
            )
        })
        .collect();
    out.sort();
    out
}

fn pair_of<'i>(inference: &'i Inference, before: &OrgState, id: &str) -> Option<&'i Match> {
    inference
        .pairs
        .iter()
        .find(|p| before.unit(p.before).id == id)
}

fn kinded(id: &str, name: &str, kind: &str, children: Vec<Unit>) -> Unit {
    Unit {
        kind: Some(kind.to_string()),
        ..unit(id, name, children)
    }
}

//! Properties of `diff`, on random organizations: comparing a state with
//! itself finds nothing; diff(A, B) mirrors diff(B, A); applying the
//! changes of diff(A, B) to A gives B's structure.

use std::collections::BTreeMap;

use proptest::prelude::*;
use reorg::diff::{diff_states, Change, Diff};
use reorg::model::{ChangeKind, Unit};
use reorg::state::OrgState;
use reorg::synth::{organization, snapshot, Rng};

fn state_of(root: Unit) -> OrgState {
    OrgState::default().overlay(&snapshot("s", 2000, root), 0)
}

/// Every unit of a tree, parents before children, with its parent's id.
fn flatten(root: &Unit) -> Vec<(Unit, Option<String>)> {
    let mut out = Vec::new();
    let mut stack = vec![(root.clone(), None)];
    while let Some((mut u, parent)) = stack.pop() {
        let children = u.units.take().unwrap_or_default();
        for c in children.into_iter().rev() {
            stack.push((c, Some(u.id.clone())));
        }
        u.units = Some(Vec::new());
        out.push((u, parent));
    }
    out
}

fn rebuild(flat: Vec<(Unit, Option<String>)>) -> Unit {
    let positions: BTreeMap<String, usize> = flat
        .iter()
        .enumerate()
        .map(|(i, (u, _))| (u.id.clone(), i))
        .collect();
    let indexed = flat
        .into_iter()
        .map(|(u, p)| {
            let parent = p.map(|id| positions[&id]);
            (u, parent)
        })
        .collect();
    reorg::synth::assemble(indexed)
}

/// B: A with some units renamed, some leaves moved, added and removed;
/// ids are kept.
fn mutate(root: &Unit, seed: u64) -> Unit {
    let mut rng = Rng::new(seed);
    let mut flat = flatten(root);
    let ids: Vec<String> = flat.iter().map(|(u, _)| u.id.clone()).collect();
    let has_children: Vec<bool> = ids
        .iter()
        .map(|id| flat.iter().any(|(_, p)| p.as_deref() == Some(id)))
        .collect();
    for i in 1..flat.len() {
        if rng.chance(0.1) {
            flat[i].0.name = format!("{} Renamed", flat[i].0.name);
        }
        if !has_children[i] && rng.chance(0.1) {
            let target = rng.below(i);
            if has_children[target] {
                flat[i].1 = Some(ids[target].clone());
            }
        }
    }
    let mut kept = Vec::new();
    for (i, entry) in flat.into_iter().enumerate() {
        if i > 0 && !has_children[i] && rng.chance(0.05) {
            continue;
        }
        kept.push(entry);
    }
    for n in 0..rng.below(5) {
        let parent = kept[rng.below(kept.len())].0.id.clone();
        let mut u = kept[0].0.clone();
        u.id = format!("new{n}");
        u.name = format!("Newly Created Office {n}");
        u.acronym = None;
        kept.push((u, Some(parent)));
    }
    // Parents must come before children for `assemble`.
    let mut ordered = Vec::new();
    let mut placed: std::collections::HashSet<String> = std::collections::HashSet::new();
    while !kept.is_empty() {
        let (ready, rest): (Vec<_>, Vec<_>) =
            kept.into_iter()
                .partition(|(_, p): &(Unit, Option<String>)| {
                    p.as_ref().is_none_or(|p| placed.contains(p))
                });
        placed.extend(ready.iter().map(|(u, _)| u.id.clone()));
        ordered.extend(ready);
        kept = rest;
    }
    rebuild(ordered)
}

fn arbitrary_pair() -> impl Strategy<Value = (Unit, Unit)> {
    (any::<u64>(), 5usize..80, 2usize..6, any::<u64>()).prop_map(|(seed, size, fanout, change)| {
        let a = organization(&mut Rng::new(seed), size, fanout, "u");
        let b = mutate(&a, change);
        (a, b)
    })
}

/// A change seen from the other side.
fn mirror_key(c: &Change) -> (ChangeKind, Vec<String>, Vec<String>) {
    let kind = match c.kind {
        ChangeKind::Established => ChangeKind::Abolished,
        ChangeKind::Abolished => ChangeKind::Established,
        ChangeKind::Merged => ChangeKind::Split,
        ChangeKind::Split => ChangeKind::Merged,
        ChangeKind::Absorbed => ChangeKind::SpunOff,
        ChangeKind::SpunOff => ChangeKind::Absorbed,
        ChangeKind::TransferredIn => ChangeKind::TransferredOut,
        ChangeKind::TransferredOut => ChangeKind::TransferredIn,
        k => k,
    };
    let mut from: Vec<String> = c.to.iter().map(|u| u.id.clone()).collect();
    let mut to: Vec<String> = c.from.iter().map(|u| u.id.clone()).collect();
    from.sort();
    to.sort();
    (kind, from, to)
}

fn key(c: &Change) -> (ChangeKind, Vec<String>, Vec<String>) {
    let mut from: Vec<String> = c.from.iter().map(|u| u.id.clone()).collect();
    let mut to: Vec<String> = c.to.iter().map(|u| u.id.clone()).collect();
    from.sort();
    to.sort();
    (c.kind, from, to)
}

/// The structure of a state: each unit's name, acronym and parent, by id.
type Structure = BTreeMap<String, (String, Option<String>, Option<String>)>;

fn structure(state: &OrgState) -> Structure {
    state
        .preorder()
        .map(|(ix, _)| {
            let u = state.unit(ix);
            let parent = state.parent(ix).map(|p| state.unit(p).id.clone());
            (u.id.clone(), (u.name.clone(), u.acronym.clone(), parent))
        })
        .collect()
}

/// Applies a diff to a structure.
fn apply(mut s: Structure, diff: &Diff) -> Structure {
    for c in &diff.changes {
        for u in &c.from {
            if !c.to.iter().any(|t| t.id == u.id) || c.kind == ChangeKind::Recoded {
                s.remove(&u.id);
            }
        }
        for u in &c.to {
            let whole = (u.name.clone(), u.acronym.clone(), u.parent.clone());
            // A unit under a new id is written whole, as it is at TO;
            // otherwise each change sets what it is about.
            let Some(entry) = s.get_mut(&u.id) else {
                s.insert(u.id.clone(), whole);
                continue;
            };
            match c.kind {
                ChangeKind::Renamed => (entry.0, entry.1) = (whole.0, whole.1),
                ChangeKind::Moved => entry.2 = whole.2,
                ChangeKind::Redesignated => {}
                _ => *entry = whole,
            }
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_state_has_no_changes_from_itself((a, _) in arbitrary_pair()) {
        let s = state_of(a);
        prop_assert!(diff_states(&s, &s).changes.is_empty());
    }

    #[test]
    fn a_diff_mirrors_its_reverse((a, b) in arbitrary_pair()) {
        let (sa, sb) = (state_of(a), state_of(b));
        let mut forward: Vec<_> = diff_states(&sa, &sb).changes.iter().map(mirror_key).collect();
        let mut backward: Vec<_> = diff_states(&sb, &sa).changes.iter().map(key).collect();
        forward.sort();
        backward.sort();
        prop_assert_eq!(forward, backward);
    }

    #[test]
    fn applying_a_diff_gives_the_later_structure((a, b) in arbitrary_pair()) {
        let (sa, sb) = (state_of(a), state_of(b));
        let diff = diff_states(&sa, &sb);
        prop_assert_eq!(apply(structure(&sa), &diff), structure(&sb));
    }
}

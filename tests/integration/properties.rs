//! Properties of `diff`, on random organizations: comparing a state with
//! itself finds nothing; diff(A, B) mirrors diff(B, A) (appeared ↔
//! disappeared, merged ↔ split...); applying the changes of diff(A, B) to A
//! gives B's structure; every aspect of a unit's change is a real
//! difference between its two sides.

use std::collections::BTreeMap;

use proptest::prelude::*;
use reorg::diff::{diff_states, Change, Diff, UnitSide};
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

/// B: A with some units renamed (some only respelled), redesignated,
/// some leaves moved, added and removed; ids are kept.
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
        } else if rng.chance(0.05) {
            flat[i].0.name = flat[i].0.name.to_uppercase().replacen('E', "É", 1);
        }
        if rng.chance(0.05) {
            flat[i].0.kind = Some("bureau".to_string());
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

/// A change and its aspects, by the ids on each side.
type Key = (ChangeKind, Vec<ChangeKind>, Vec<String>, Vec<String>);

fn key_of(kind: ChangeKind, aspects: Vec<ChangeKind>, from: &[UnitSide], to: &[UnitSide]) -> Key {
    let ids = |units: &[UnitSide]| {
        let mut ids: Vec<String> = units.iter().map(|u| u.id.clone()).collect();
        ids.sort();
        ids
    };
    (kind, aspects, ids(from), ids(to))
}

fn key(c: &Change) -> Key {
    key_of(c.kind, c.aspects.clone(), &c.from, &c.to)
}

/// A change seen from the other side.
fn mirror_key(c: &Change) -> Key {
    let aspects = c.aspects.iter().map(|a| a.mirror()).collect();
    key_of(c.kind.mirror(), aspects, &c.to, &c.from)
}

/// Whether a change is of one unit that continues.
fn continues(c: &Change) -> bool {
    c.from.len() == 1
        && c.to.len() == 1
        && c.aspects.iter().all(|a| {
            matches!(
                a,
                ChangeKind::Renamed
                    | ChangeKind::Moved
                    | ChangeKind::Redesignated
                    | ChangeKind::Recoded
            )
        })
}

/// The aspects of a unit's change that are not real differences between
/// its two sides.
fn unreal_aspects(c: &Change) -> Vec<ChangeKind> {
    let (f, t) = (&c.from[0], &c.to[0]);
    c.aspects
        .iter()
        .copied()
        .filter(|a| match a {
            ChangeKind::Renamed => f.name == t.name && f.acronym == t.acronym,
            ChangeKind::Moved => f.parent == t.parent,
            ChangeKind::Redesignated => f.kind == t.kind,
            ChangeKind::Recoded => f.id == t.id,
            _ => true,
        })
        .collect()
}

/// The structure of a state: each unit's name, acronym, kind and parent,
/// by id.
type Structure = BTreeMap<String, (String, Option<String>, Option<String>, Option<String>)>;

fn structure(state: &OrgState) -> Structure {
    state
        .preorder()
        .map(|(ix, _)| {
            let u = state.unit(ix);
            let parent = state.parent(ix).map(|p| state.unit(p).id.clone());
            (
                u.id.clone(),
                (u.name.clone(), u.acronym.clone(), u.kind.clone(), parent),
            )
        })
        .collect()
}

/// Applies a diff to a structure: a unit that continues takes, for each
/// aspect of its change, what that aspect is about; other changes remove
/// the units they end and write those they bring whole.
fn apply(mut s: Structure, diff: &Diff) -> Structure {
    for c in &diff.changes {
        if continues(c) {
            let (f, t) = (&c.from[0], &c.to[0]);
            let mut entry = s.remove(&f.id).expect("the unit is in the structure");
            for aspect in &c.aspects {
                match aspect {
                    ChangeKind::Renamed => (entry.0, entry.1) = (t.name.clone(), t.acronym.clone()),
                    ChangeKind::Moved => entry.3 = t.parent.clone(),
                    ChangeKind::Redesignated => entry.2 = t.kind.clone(),
                    _ => {}
                }
            }
            s.insert(t.id.clone(), entry);
            continue;
        }
        for u in &c.from {
            if !c.to.iter().any(|t| t.id == u.id) {
                s.remove(&u.id);
            }
        }
        for u in &c.to {
            let whole = (
                u.name.clone(),
                u.acronym.clone(),
                u.kind.clone(),
                u.parent.clone(),
            );
            s.insert(u.id.clone(), whole);
        }
    }
    s
}

#[test]
fn generated_histories_have_every_aspect_to_check() {
    let mut seen: BTreeMap<ChangeKind, usize> = BTreeMap::new();
    let mut respelled = 0;
    for seed in 0..16 {
        let a = organization(&mut Rng::new(seed), 60, 4, "u");
        let b = mutate(&a, seed);
        let diff = diff_states(&state_of(a), &state_of(b));
        for c in diff.changes.iter().filter(|c| continues(c)) {
            for &aspect in &c.aspects {
                *seen.entry(aspect).or_default() += 1;
            }
            assert!(unreal_aspects(c).is_empty(), "{c:?}");
        }
        respelled += diff
            .changes
            .iter()
            .filter(|c| c.evidence.iter().any(|e| e.contains("spelling")))
            .count();
    }
    for aspect in [
        ChangeKind::Renamed,
        ChangeKind::Moved,
        ChangeKind::Redesignated,
    ] {
        assert!(
            seen.get(&aspect).is_some_and(|&n| n > 0),
            "no {aspect} in {seen:?}"
        );
    }
    assert!(respelled > 0, "no change of spelling alone");
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

    #[test]
    fn every_aspect_of_a_units_change_is_a_real_difference((a, b) in arbitrary_pair()) {
        let diff = diff_states(&state_of(a), &state_of(b));
        for c in diff.changes.iter().filter(|c| continues(c)) {
            prop_assert!(unreal_aspects(c).is_empty(), "{:?}", c);
        }
    }
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

fn branch(id: &str, name: &str) -> Unit {
    unit(id, name, "branch", Vec::new())
}

/// The changes of a diff, by kind and ids, sorted.
fn keys(diff: &Diff, mirrored: bool) -> Vec<Key> {
    let mut keys: Vec<Key> = (diff.changes.iter())
        .map(|c| if mirrored { mirror_key(c) } else { key(c) })
        .collect();
    keys.sort();
    keys
}

#[test]
fn sub_units_carried_into_an_inferred_merger_are_part_of_it_both_ways() {
    // Two offices merged into a new one, their branches now under it;
    // every id changes, so inference alone tells it.
    let before = state_of(unit(
        "a",
        "Agency",
        "agency",
        vec![
            unit(
                "p",
                "Office of Planning",
                "office",
                vec![branch("b", "Budget Branch"), branch("s", "Strategy Branch")],
            ),
            unit(
                "q",
                "Office of Quality",
                "office",
                vec![branch("r", "Review Branch"), branch("u", "Audit Branch")],
            ),
            unit("f", "Office of Finance", "office", vec![]),
        ],
    ));
    let after = state_of(unit(
        "a2",
        "Agency",
        "agency",
        vec![
            unit(
                "n",
                "Office of Planning and Quality",
                "office",
                vec![
                    branch("b2", "Budget Branch"),
                    branch("s2", "Strategy Branch"),
                    branch("r2", "Review Branch"),
                    branch("u2", "Audit Branch"),
                ],
            ),
            unit("f2", "Office of Finance", "office", vec![]),
        ],
    ));
    let forward = diff_states(&before, &after);
    let merged: Vec<&Change> = (forward.changes.iter())
        .filter(|c| c.kind == ChangeKind::Merged)
        .collect();
    let [merged] = merged[..] else {
        panic!("one merger: {:#?}", forward.changes);
    };
    let ids =
        |units: Vec<&UnitSide>| -> Vec<String> { units.iter().map(|u| u.id.clone()).collect() };
    assert_eq!(ids(merged.principal_from()), ["p", "q"]);
    assert_eq!(ids(merged.principal_to()), ["n"]);
    assert_eq!(ids(merged.carried()), ["b2", "s2", "r2", "u2"]);
    assert!(
        !forward
            .changes
            .iter()
            .any(|c| c.aspects.contains(&ChangeKind::Moved)),
        "no move of its own: {:#?}",
        forward.changes
    );
    // Backwards, a split that carries the branches back out.
    let backward = diff_states(&after, &before);
    let split = (backward.changes.iter())
        .find(|c| c.kind == ChangeKind::Split)
        .expect("a split");
    assert_eq!(split.carried().len(), 4, "{split:#?}");
    assert_eq!(keys(&forward, true), keys(&backward, false));
}

//! The generators against what they promise.

use std::collections::HashMap;

use crate::model::ChangeKind;

use super::*;

#[test]
fn an_organization_has_the_size_asked_for() {
    let root = organization(&mut Rng::new(1), 1000, 8, "u");
    assert_eq!(root.walk().len(), 1000);
    assert_eq!(root.units.as_ref().unwrap().len(), 8);
    assert_eq!(root.units.as_ref().unwrap()[0].id, "u1");
}

#[test]
fn the_same_seed_gives_the_same_organization() {
    let a = organization(&mut Rng::new(7), 300, 5, "x");
    let b = organization(&mut Rng::new(7), 300, 5, "x");
    assert_eq!(a, b);
}

/// Each unit of a tree by id, with its parent's id.
fn by_id(root: &Unit) -> HashMap<String, (&Unit, Option<String>)> {
    let mut out = HashMap::new();
    out.insert(root.id.clone(), (root, None));
    for u in root.walk() {
        for c in u.units.iter().flatten() {
            out.insert(c.id.clone(), (c, Some(u.id.clone())));
        }
    }
    out
}

#[test]
fn a_history_plants_every_kind_of_change_as_recorded() {
    let h = history(3, 3000, &Churn::percent(5.0));
    assert_eq!(h.before.walk().len(), 3000);
    let (before, after) = (by_id(&h.before), by_id(&h.after));
    for kind in [
        ChangeKind::Renamed,
        ChangeKind::Moved,
        ChangeKind::Merged,
        ChangeKind::Absorbed,
        ChangeKind::Split,
        ChangeKind::SpunOff,
        ChangeKind::Established,
        ChangeKind::Abolished,
    ] {
        assert!(h.truth.iter().any(|t| t.kind == kind), "no {kind}");
    }
    for t in &h.truth {
        assert!(t.from.iter().all(|id| before.contains_key(id)), "{t:?}");
        assert!(t.to.iter().all(|id| after.contains_key(id)), "{t:?}");
        let (old, new) = (
            t.from.first().map(|id| &before[id]),
            t.to.first().map(|id| &after[id]),
        );
        match t.kind {
            ChangeKind::Renamed => {
                let (old, new) = (old.unwrap().0, new.unwrap().0);
                assert_ne!(
                    (&old.name, &old.acronym),
                    (&new.name, &new.acronym),
                    "{t:?}"
                );
            }
            ChangeKind::Moved => assert_ne!(old.unwrap().1, new.unwrap().1, "{t:?}"),
            ChangeKind::Established => assert!(!before.contains_key(&t.to[0])),
            ChangeKind::Abolished | ChangeKind::Split => {
                assert!(t.from.iter().all(|id| !after.contains_key(id)), "{t:?}")
            }
            // Merged units are gone, or live on as parts of the new one.
            ChangeKind::Merged => assert!(
                t.from.iter().all(|id| after
                    .get(id)
                    .is_none_or(|(_, parent)| parent.as_ref() == Some(&t.to[0]))),
                "{t:?}"
            ),
            _ => {}
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_history() {
    let a = history(9, 1000, &Churn::percent(5.0));
    let b = history(9, 1000, &Churn::percent(5.0));
    assert_eq!((a.before, a.after, a.truth), (b.before, b.after, b.truth));
}

#[test]
fn rekeying_renames_every_later_unit_and_its_truth() {
    let mut h = history(4, 1000, &Churn::percent(5.0));
    let kept = h.after.walk().len();
    h.rekey(4);
    let (before, after) = (by_id(&h.before), by_id(&h.after));
    assert_eq!(after.len(), kept);
    assert!(after.keys().all(|id| !before.contains_key(id)));
    assert!(h
        .truth
        .iter()
        .flat_map(|t| &t.to)
        .all(|id| after.contains_key(id)));
}

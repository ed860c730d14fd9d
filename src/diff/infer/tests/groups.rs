//! Merges and absorptions: a merger keeping one member's id, towns
//! merged with their parts of the same name, a merger told by where the
//! parts went, and inference mirrored by its reverse (merged ↔ split,
//! absorbed ↔ spun off) on a synthetic history.

use super::*;
use crate::synth::{history, Churn};

#[test]
fn a_merge_that_keeps_one_members_id_is_an_absorption() {
    let fraud = |ids: [&str; 3]| {
        unit(
            ids[0],
            "Fraud Section",
            vec![
                unit(ids[1], "Document Fraud Unit", Vec::new()),
                unit(ids[2], "Benefit Fraud Unit", Vec::new()),
            ],
        )
    };
    let before = state(unit(
        "root",
        "Agency",
        vec![
            fraud(["fraud", "docs", "benefits"]),
            unit(
                "visa",
                "Visa Section",
                vec![
                    unit("vetting", "Visa Vetting Unit", Vec::new()),
                    unit("overstays", "Overstay Unit", Vec::new()),
                ],
            ),
        ],
    ));
    let mut merged = fraud(["fraud", "docs", "benefits"]);
    if let Some(children) = &mut merged.units {
        children.push(unit("vetting", "Visa Vetting Unit", Vec::new()));
        children.push(unit("overstays", "Overstay Unit", Vec::new()));
    }
    let after = state(unit("root", "Agency", vec![merged]));
    let inference = infer_by_id(&before, &after);
    assert!(inference.pairs.is_empty());
    let [group] = &inference.groups[..] else {
        panic!("one group: {inference:?}");
    };
    assert_eq!(group.kind, ChangeKind::Absorbed);
    assert_eq!(before.unit(group.before[0]).id, "visa");
    assert_eq!(after.unit(group.after[0]).id, "fraud");
    assert!(
        group.evidence[0].contains("2 of its 2 sub-units"),
        "{:?}",
        group.evidence
    );
}

/// A town merged with two villages into a new unit: the town had a part
/// named after it and two more; after, the town and the villages are
/// parts of another kind in the new unit, beside the town's three parts,
/// the one named after the town among them. Every id differs.
fn town_merged_with_its_part_of_the_same_name() -> (OrgState, OrgState) {
    let before = state(unit(
        "r",
        "Region",
        vec![
            kinded(
                "t",
                "Hauteville",
                "town",
                vec![
                    kinded("t1", "Hauteville", "former town", vec![]),
                    kinded("t2", "Lacoux", "former town", vec![]),
                    kinded("t3", "Longecombe", "former town", vec![]),
                ],
            ),
            kinded("v", "Thezillieu", "town", vec![]),
            kinded("w", "Hostiaz", "town", vec![]),
            kinded("x", "Elsewhere", "town", vec![]),
        ],
    ));
    let after = state(unit(
        "r2",
        "Region",
        vec![
            kinded(
                "n",
                "Plateau",
                "town",
                vec![
                    kinded("nt", "Hauteville", "delegated town", vec![]),
                    kinded("nv", "Thezillieu", "delegated town", vec![]),
                    kinded("nw", "Hostiaz", "delegated town", vec![]),
                    kinded("n1", "Hauteville", "former town", vec![]),
                    kinded("n2", "Lacoux", "former town", vec![]),
                    kinded("n3", "Longecombe", "former town", vec![]),
                ],
            ),
            kinded("x2", "Elsewhere", "town", vec![]),
        ],
    ));
    (before, after)
}

#[test]
fn a_name_borne_by_a_unit_and_its_part_pairs_as_its_neighbours_went() {
    let (before, after) = town_merged_with_its_part_of_the_same_name();
    let inference = infer_all(&before, &after);
    let pairs = paired(&inference, &before, &after);
    for (a, b) in [("t", "nt"), ("t1", "n1"), ("t2", "n2"), ("v", "nv")] {
        assert!(
            pairs.contains(&(a.to_string(), b.to_string())),
            "{a} → {b} in {pairs:?}"
        );
    }
    let town = pair_of(&inference, &before, "t").unwrap();
    assert!(
        town.evidence
            .iter()
            .any(|e| e.contains("2 units beside these went the same way")),
        "{town:?}"
    );
    // Of other kinds, the two of that name in the new unit are told apart.
    assert!(town.confidence > 0.5, "{town:?}");
    // And the other way.
    let back = paired(&infer_all(&after, &before), &after, &before);
    assert!(
        back.contains(&("nt".to_string(), "t".to_string())),
        "{back:?}"
    );
    assert!(
        back.contains(&("n1".to_string(), "t1".to_string())),
        "{back:?}"
    );
}

#[test]
fn a_town_whose_own_parts_went_with_it_into_a_new_unit_merged() {
    // Half of the new unit's sub-units come from the town, which lives on
    // inside it: the town merged into it, it was not carved out of the
    // town.
    let (before, after) = town_merged_with_its_part_of_the_same_name();
    let inference = infer_all(&before, &after);
    let [group] = &inference.groups[..] else {
        panic!("one group: {:?}", inference.groups);
    };
    assert_eq!(group.kind, ChangeKind::Merged);
    let ids = |s: &OrgState, units: &[UnitIx]| -> Vec<String> {
        units.iter().map(|&u| s.unit(u).id.clone()).collect()
    };
    assert_eq!(ids(&before, &group.before), ["t", "v", "w"]);
    assert_eq!(ids(&after, &group.after), ["n"]);
}

/// A town with a part named after it, merged into a neighbour that
/// continues under its id (renamed) and already had parts of another
/// kind: the part of the town's name is gone.
#[test]
fn a_town_and_its_part_of_one_name_pair_with_the_one_successor_as_neighbours_went() {
    let before = state(unit(
        "r",
        "Region",
        vec![
            kinded(
                "s",
                "Sutrieu",
                "town",
                vec![
                    kinded("s1", "Sutrieu", "former town", vec![]),
                    kinded("s2", "Charancin", "former town", vec![]),
                ],
            ),
            kinded("l", "Lompnieu", "town", vec![]),
            kinded("v", "Vieu", "town", vec![]),
            kinded("b", "Belmont", "town", vec![]),
        ],
    ));
    let after = state(unit(
        "r",
        "Region",
        vec![kinded(
            "b",
            "Valromey",
            "town",
            vec![
                kinded("ds", "Sutrieu", "delegated town", vec![]),
                kinded("dl", "Lompnieu", "delegated town", vec![]),
                kinded("dv", "Vieu", "delegated town", vec![]),
            ],
        )],
    ));
    let inference = infer_by_id(&before, &after);
    let pairs = paired(&inference, &before, &after);
    assert!(
        pairs.contains(&("s".to_string(), "ds".to_string())),
        "{pairs:?}"
    );
    assert!(pair_of(&inference, &before, "s1").is_none(), "{pairs:?}");
}

#[test]
fn a_merger_told_by_its_parts_takes_in_the_unit_whose_parts_went_there() {
    // Three towns live on inside a new one; a fourth, whose own parts now
    // sit there too, merged with them: it is not just gone. (Had one of
    // its parts its name, it would have taken the new name, keeping its
    // parts: see `a_unit_that_took_the_name_of_one_of_its_parts_is_renamed`
    // in `structure.rs`.)
    let town = |id: &str, name: &str| kinded(id, name, "town", vec![]);
    let before = state(unit(
        "r",
        "Region",
        vec![
            kinded(
                "m",
                "Montigny",
                "town",
                vec![
                    kinded("m1", "Brevoines", "former town", vec![]),
                    kinded("m2", "Meuse", "former town", vec![]),
                ],
            ),
            town("a", "Avrecourt"),
            town("b", "Maulain"),
            town("c", "Lecourt"),
        ],
    ));
    let part = |id: &str, name: &str| kinded(id, name, "associated town", vec![]);
    let after = state(unit(
        "r2",
        "Region",
        vec![kinded(
            "v",
            "Val",
            "town",
            vec![
                part("va", "Avrecourt"),
                part("vb", "Maulain"),
                part("vc", "Lecourt"),
                kinded("v1", "Brevoines", "former town", vec![]),
                kinded("v2", "Meuse", "former town", vec![]),
            ],
        )],
    ));
    let inference = infer_all(&before, &after);
    let [group] = &inference.groups[..] else {
        panic!("one group: {:?}", inference.groups);
    };
    let ids = |units: &[UnitIx]| -> Vec<String> {
        units.iter().map(|&u| before.unit(u).id.clone()).collect()
    };
    assert_eq!(group.kind, ChangeKind::Merged);
    assert_eq!(ids(&group.before), ["m", "a", "b", "c"]);
    let pairs = paired(&inference, &before, &after);
    assert!(
        pairs.contains(&("m1".to_string(), "v1".to_string())),
        "{pairs:?}"
    );
}

#[test]
fn inference_mirrors_its_reverse() {
    let mut h = history(5, 1500, &Churn::percent(10.0));
    h.rekey(5);
    let (a, b) = (state(h.before), state(h.after));
    let (forward, backward) = (infer_all(&a, &b), infer_all(&b, &a));
    let flip = |p: &(String, String)| (p.1.clone(), p.0.clone());
    let mut mirrored: Vec<(String, String)> = paired(&forward, &a, &b).iter().map(flip).collect();
    mirrored.sort();
    assert_eq!(mirrored, paired(&backward, &b, &a));
    let groups = |inference: &Inference, x: &OrgState, y: &OrgState, mirror: bool| {
        let ids = |s: &OrgState, units: &[UnitIx]| -> Vec<String> {
            let mut ids: Vec<String> = units.iter().map(|&u| s.unit(u).id.clone()).collect();
            ids.sort();
            ids
        };
        let mut out: Vec<(ChangeKind, Vec<String>, Vec<String>)> = inference
            .groups
            .iter()
            .map(|g| match (mirror, g.kind) {
                (false, kind) => (kind, ids(x, &g.before), ids(y, &g.after)),
                (true, kind) => {
                    let kind = match kind {
                        ChangeKind::Merged => ChangeKind::Split,
                        ChangeKind::Split => ChangeKind::Merged,
                        ChangeKind::Absorbed => ChangeKind::SpunOff,
                        ChangeKind::SpunOff => ChangeKind::Absorbed,
                        other => other,
                    };
                    (kind, ids(y, &g.after), ids(x, &g.before))
                }
            })
            .collect();
        out.sort();
        out
    };
    assert_eq!(
        groups(&forward, &a, &b, true),
        groups(&backward, &b, &a, false)
    );
    assert!(!forward.groups.is_empty());
}

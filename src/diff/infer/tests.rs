//! Unit tests of inference on small hand-made and synthetic states.

use super::similarity::{lcs, token_set_ratio};
use super::text::topic_words;
use super::*;
use crate::model::{Confidence, Unit};
use crate::synth::{history, snapshot, Churn};

fn unit(id: &str, name: &str, children: Vec<Unit>) -> Unit {
    Unit {
        id: id.to_string(),
        name: name.to_string(),
        acronym: None,
        aliases: Vec::new(),
        kind: None,
        description: None,
        note: None,
        sources: Vec::new(),
        confidence: Confidence::High,
        partial: false,
        units: Some(children),
    }
}

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

#[test]
fn an_acronym_meets_its_expansion() {
    let sharing = "Shares law enforcement records with partner agencies through one system.";
    let before = state(unit(
        "b0",
        "Office of Investigations",
        vec![
            described(
                "b1",
                "Law Enforcement Information Sharing Initiative",
                sharing,
            ),
            described(
                "b2",
                "Cyber Crimes Center",
                "Investigates crimes committed online.",
            ),
            described(
                "b3",
                "Benefit Fraud Unit",
                "Investigates immigration benefit fraud.",
            ),
        ],
    ));
    let after = state(unit(
        "a0",
        "Office of Investigations",
        vec![
            described("a1", "LEISI", sharing),
            described(
                "a2",
                "Cyber Crimes Center",
                "Investigates crimes committed online.",
            ),
            described(
                "a3",
                "Benefit Fraud Unit",
                "Investigates immigration benefit fraud.",
            ),
        ],
    ));
    let inference = infer_all(&before, &after);
    let leisi = pair_of(&inference, &before, "b1").expect("LEISI is found");
    assert_eq!(after.unit(leisi.after).id, "a1");
    assert!(leisi.confidence > 0.9, "{leisi:?}");
    assert_eq!(
        leisi.evidence[0],
        "LEISI is the acronym of Law Enforcement Information Sharing Initiative"
    );
    assert_eq!(paired(&inference, &before, &after).len(), 4);
}

#[test]
fn homonyms_pair_by_their_context() {
    // Every division has a "Mission Support Unit" and an "Operations
    // Section"; all ids change, and each division gains a unit, so no
    // sub-tree stays identical.
    let division = |p: &str, name: &str| {
        let id = |suffix: &str| format!("{p}-{name}-{suffix}");
        let mut units = vec![
            unit(&id("msu"), "Mission Support Unit", Vec::new()),
            unit(&id("ops"), "Operations Section", Vec::new()),
        ];
        if p == "new" {
            units.push(unit(
                &id("added"),
                &format!("{name} Outreach Team"),
                Vec::new(),
            ));
        }
        unit(&id("division"), name, units)
    };
    let tree = |p: &str| {
        let divisions = ["Fraud Division", "Cyber Division", "Trade Division"];
        unit(
            &format!("{p}-root"),
            "Agency",
            divisions.iter().map(|d| division(p, d)).collect(),
        )
    };
    let (before, after) = (state(tree("old")), state(tree("new")));
    let inference = infer_all(&before, &after);
    let pairs = paired(&inference, &before, &after);
    assert_eq!(pairs.len(), before.len());
    for (old, new) in pairs {
        assert_eq!(old.trim_start_matches("old"), new.trim_start_matches("new"));
    }
    let msu = pair_of(&inference, &before, "old-Cyber Division-msu").unwrap();
    assert_eq!(
        msu.evidence,
        ["same name under the matched parent (Cyber Division)"]
    );
}

#[test]
fn a_unit_renamed_and_moved_at_once_is_found() {
    let fraud = "Investigates document and benefit fraud, and trains field offices on it.";
    let before = state(unit(
        "b0",
        "Agency",
        vec![
            unit(
                "b1",
                "Investigations Division",
                vec![
                    described("b11", "Northern Document Fraud Section", fraud),
                    described("b12", "Gang Section", "Investigates transnational gangs."),
                ],
            ),
            unit(
                "b2",
                "Intelligence Division",
                vec![described(
                    "b21",
                    "Analysis Section",
                    "Writes threat assessments.",
                )],
            ),
        ],
    ));
    let after = state(unit(
        "a0",
        "Agency",
        vec![
            unit(
                "a1",
                "Investigations Division",
                vec![described(
                    "a12",
                    "Gang Section",
                    "Investigates transnational gangs.",
                )],
            ),
            unit(
                "a2",
                "Intelligence Division",
                vec![
                    described("a21", "Analysis Section", "Writes threat assessments."),
                    described("a22", "Document Fraud Section", fraud),
                ],
            ),
        ],
    ));
    let inference = infer_all(&before, &after);
    let pair = pair_of(&inference, &before, "b11").expect("found");
    assert_eq!(after.unit(pair.after).id, "a22");
    assert!(
        pair.evidence
            .iter()
            .any(|e| e.starts_with("now under Intelligence Division")),
        "{:?}",
        pair.evidence
    );
}

#[test]
fn offices_folded_into_a_directorate_beside_them_are_found() {
    // The 2010 realignment in small: Intelligence goes under the renamed
    // Investigations office, every id changes, and nothing else (no
    // acronym, no description, no shared sub-unit) says it is the same.
    let before = state(unit(
        "a",
        "Agency",
        vec![
            unit("inv", "Office of Investigations", vec![]),
            unit("intel", "Office of Intelligence", vec![]),
            unit("fin", "Finance", vec![]),
        ],
    ));
    let after = state(unit(
        "a2",
        "Agency",
        vec![
            unit(
                "hsi",
                "Homeland Security Investigations",
                vec![unit("hsi-intel", "Office of Intelligence", vec![])],
            ),
            unit("fin2", "Finance", vec![]),
        ],
    ));
    let inference = infer_all(&before, &after);
    let pairs = paired(&inference, &before, &after);
    assert!(
        pairs.contains(&("intel".to_string(), "hsi-intel".to_string())),
        "{pairs:?}"
    );
    // And back up, diffing the other way.
    let back = paired(&infer_all(&after, &before), &after, &before);
    assert!(
        back.contains(&("hsi-intel".to_string(), "intel".to_string())),
        "{back:?}"
    );
}

#[test]
fn a_name_no_other_unit_bears_needs_no_more_evidence() {
    // A unit moved with a new id and nothing else in common: its name,
    // unique in both whole charts, is enough. A name that other units
    // bear ("Finance Section") is not.
    let before = state(unit(
        "r",
        "Root",
        vec![
            unit(
                "a",
                "Office A",
                vec![
                    unit("x1", "National Gang Unit", vec![]),
                    unit("f1", "Finance Section", vec![]),
                ],
            ),
            unit("b", "Office B", vec![unit("f0", "Finance Section", vec![])]),
        ],
    ));
    let after = state(unit(
        "r",
        "Root",
        vec![
            unit("a", "Office A", vec![]),
            unit(
                "b",
                "Office B",
                vec![
                    unit("f0", "Finance Section", vec![]),
                    unit("x2", "National Gang Unit", vec![]),
                    unit("f2", "Finance Section", vec![]),
                ],
            ),
        ],
    ));
    let pairs = paired(&infer_by_id(&before, &after), &before, &after);
    assert!(
        pairs.contains(&("x1".to_string(), "x2".to_string())),
        "{pairs:?}"
    );
    assert!(
        !pairs.contains(&("f1".to_string(), "f2".to_string())),
        "{pairs:?}"
    );
}

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

#[test]
fn a_pair_too_close_to_call_is_left_unguessed() {
    // One "Fraud Unit" before, two identical ones after, under
    // divisions that match nothing: either could be it.
    let fraud = "Investigates fraud against the agency's programs.";
    let before = state(unit(
        "b0",
        "Agency",
        vec![unit(
            "b1",
            "Alpha Division",
            vec![described("b11", "Fraud Unit", fraud)],
        )],
    ));
    let after = state(unit(
        "a0",
        "Agency",
        vec![
            unit(
                "a1",
                "Beta Division",
                vec![described("a11", "Fraud Unit", fraud)],
            ),
            unit(
                "a2",
                "Gamma Division",
                vec![described("a21", "Fraud Unit", fraud)],
            ),
        ],
    ));
    let inference = infer_all(&before, &after);
    assert!(
        pair_of(&inference, &before, "b11").is_none(),
        "{inference:?}"
    );
    let note = inference
        .notes_before
        .iter()
        .find(|(ix, _)| *ix == before.find("b11").unwrap())
        .map(|(_, note)| note.as_str())
        .expect("a note");
    assert!(
        note.contains("runner-up Fraud Unit") && note.contains("margin 0.0"),
        "{note}"
    );
    assert!(note.ends_with("not guessed"), "{note}");
}

fn kinded(id: &str, name: &str, kind: &str, children: Vec<Unit>) -> Unit {
    Unit {
        kind: Some(kind.to_string()),
        ..unit(id, name, children)
    }
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
    // parts: see `a_unit_that_took_the_name_of_one_of_its_parts_is_renamed`.)
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
fn a_unit_that_took_the_name_of_one_of_its_parts_is_renamed() {
    let town = |id: &str, name: &str, parts: [(&str, &str); 2]| {
        let parts = parts.map(|(id, name)| kinded(id, name, "former town", vec![]));
        kinded(id, name, "town", parts.into())
    };
    let region = |id: &str, towns: Vec<Unit>| state(unit(id, "Region", towns));
    let before = region(
        "r",
        vec![
            town("b", "Blaiserives", [("v", "Villiers"), ("d", "Doulevant")]),
            town("c", "Cirey", [("c1", "Cirey"), ("c2", "Brachay")]),
        ],
    );
    let after = region(
        "r2",
        vec![
            town("d2", "Doulevant", [("v2", "Villiers"), ("dd", "Doulevant")]),
            town("e", "Cirey", [("e1", "Cirey"), ("e2", "Brachay")]),
        ],
    );
    let inference = infer_all(&before, &after);
    let renamed = pair_of(&inference, &before, "b").expect("renamed");
    assert_eq!(after.unit(renamed.after).id, "d2");
    assert!(
        renamed.evidence[0].contains("both have a part named Doulevant"),
        "{renamed:?}"
    );
    let pairs = paired(&inference, &before, &after);
    assert!(
        pairs.contains(&("d".to_string(), "dd".to_string())),
        "{pairs:?}"
    );
    let back = paired(&infer_all(&after, &before), &after, &before);
    assert!(
        back.contains(&("d2".to_string(), "b".to_string())),
        "{back:?}"
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

#[test]
fn token_set_ratio_is_one_when_a_name_contains_the_other() {
    assert_eq!(
        token_set_ratio(&["fraud", "section"], &["benefit", "fraud", "section"]),
        1.0
    );
    assert!(token_set_ratio(&["fraud", "section"], &["section", "visa"]) < 0.8);
    assert_eq!(token_set_ratio(&[], &[]), 0.0);
    let chars = |s: &str| s.chars().collect::<Vec<char>>();
    assert_eq!(lcs(&chars("fraud unit"), &chars("fraud team")), 7);
}

#[test]
fn topic_words_leave_out_the_kind_and_stopwords() {
    assert_eq!(
        topic_words(&["office", "of", "intelligence"]),
        ["intelligence"]
    );
    assert_eq!(
        topic_words(&["program", "management", "unit"]),
        ["program", "management"]
    );
    assert_eq!(
        topic_words(&["fraud", "and", "visa", "section"]),
        ["fraud", "visa"]
    );
}

#[test]
fn a_unit_that_kept_its_parent_and_its_parts_is_renamed() {
    // A new name half alike the old one, no description: only the place
    // and the three sub-units that all went along say it is the same unit.
    let parts = |prefix: &str| {
        ["Radio Team", "Satellite Team", "Network Team"]
            .iter()
            .enumerate()
            .map(|(i, name)| unit(&format!("{prefix}{i}"), name, Vec::new()))
            .collect::<Vec<_>>()
    };
    let division = |renamed: Unit| {
        unit(
            "d",
            "Operations Division",
            vec![renamed, unit("d2", "Budget Section", Vec::new())],
        )
    };
    let before = state(unit(
        "r",
        "Agency",
        vec![division(unit(
            "b1",
            "Evidence Management Section",
            parts("c"),
        ))],
    ));
    let after = state(unit(
        "r",
        "Agency",
        vec![division(unit(
            "a1",
            "National Student Visitors Section",
            parts("c"),
        ))],
    ));
    let inference = infer_by_id(&before, &after);
    assert_eq!(
        paired(&inference, &before, &after),
        [("b1".to_string(), "a1".to_string())],
        "{inference:?}"
    );
}

#[test]
fn look_alikes_under_a_parent_that_ended_are_told_apart_by_where_it_went() {
    // Alpha Section is absorbed into Beta Section, its Radio Team carried
    // along; its Training Unit went too, respelled. Gamma Section's
    // Training Unit, alike but for a word of its description, was
    // abolished: only where Alpha Section's other unit went tells them
    // apart.
    let trains = |what: &str| format!("Trains the section staff in procedures and {what}.");
    let before = state(unit(
        "r",
        "Agency",
        vec![
            unit(
                "b1",
                "Alpha Section",
                vec![
                    described("b11", "Training Unit", &trains("tools")),
                    unit("b12", "Radio Team", Vec::new()),
                ],
            ),
            unit(
                "b2",
                "Gamma Section",
                vec![
                    described("b21", "Training Unit", &trains("methods")),
                    unit("b22", "Audit Team", Vec::new()),
                ],
            ),
            unit(
                "b3",
                "Beta Section",
                vec![unit("b31", "Budget Team", Vec::new())],
            ),
        ],
    ));
    let after = state(unit(
        "r",
        "Agency",
        vec![
            unit(
                "b2",
                "Gamma Section",
                vec![unit("b22", "Audit Team", Vec::new())],
            ),
            unit(
                "b3",
                "Beta Section",
                vec![
                    unit("b31", "Budget Team", Vec::new()),
                    unit("b12", "Radio Team", Vec::new()),
                    described("a1", "Trainning Unit", &trains("tools")),
                ],
            ),
        ],
    ));
    let inference = infer_by_id(&before, &after);
    let found = pair_of(&inference, &before, "b11").expect("b11 paired");
    assert_eq!(after.unit(found.after).id, "a1", "{inference:?}");
    assert!(
        pair_of(&inference, &before, "b21").is_none(),
        "{inference:?}"
    );
}

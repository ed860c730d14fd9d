//! Units found by where they sit and what they hold: renamed and moved
//! at once, folded into a unit beside them, renamed keeping their parent
//! and parts or taking the name of a part, and look-alikes told apart by
//! where their parent went.

use super::*;

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

//! Names and words: the similarity measures and topic words, acronyms,
//! homonyms told apart by their context, names unique in the whole chart,
//! and names too alike to call.

use super::*;
use crate::diff::infer::similarity::{lcs, token_set_ratio};
use crate::diff::infer::text::topic_words;

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

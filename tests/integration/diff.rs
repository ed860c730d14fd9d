//! `reorg diff` on the embedded history: the changes of the 2010
//! realignment and the nine-division HSI, pinned in table and JSON form.
//!
//! The JSON documents are read strictly (an unknown or missing field
//! fails), so some fields exist only to pin the schema.
#![allow(dead_code)]

use serde::Deserialize;

use crate::util::{fixture, reorg, stdout_of};

/// The `reorg.diff/2` document, read strictly: an unknown field fails.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffDoc {
    schema: String,
    from: EndpointDoc,
    to: EndpointDoc,
    changes: Vec<ChangeDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndpointDoc {
    date: String,
    day: Option<String>,
    snapshots: Vec<String>,
    possibly: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeDoc {
    kind: String,
    aspects: Vec<String>,
    from: Vec<UnitDoc>,
    to: Vec<UnitDoc>,
    parts: Vec<PartDoc>,
    external: Option<String>,
    date: Option<String>,
    earliest: Option<String>,
    latest: Option<String>,
    basis: String,
    confidence: f64,
    evidence: Vec<String>,
    sources: Vec<String>,
    via: Vec<ViaDoc>,
    area: Option<UnitDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitDoc {
    id: String,
    name: String,
    acronym: Option<String>,
    kind: Option<String>,
    parent: Option<String>,
    parent_name: Option<String>,
    parent_acronym: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct PartDoc {
    from: usize,
    to: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ViaDoc {
    kind: String,
    aspects: Vec<String>,
    date: Option<String>,
    unit: UnitDoc,
}

fn diff_json(args: &[&str]) -> DiffDoc {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    serde_json::from_str(&stdout_of(&all)).expect("the JSON follows reorg.diff/2")
}

fn ids(units: &[UnitDoc]) -> Vec<&str> {
    units.iter().map(|u| u.id.as_str()).collect()
}

/// The change of `kind` from exactly `from` to exactly `to` (ids).
fn find<'a>(doc: &'a DiffDoc, kind: &str, from: &[&str], to: &[&str]) -> &'a ChangeDoc {
    doc.changes
        .iter()
        .find(|c| c.kind == kind && ids(&c.from) == from && ids(&c.to) == to)
        .unwrap_or_else(|| panic!("no {kind} {from:?} -> {to:?} in {:#?}", summary(doc)))
}

fn summary(doc: &DiffDoc) -> Vec<String> {
    doc.changes
        .iter()
        .map(|c| format!("{} {:?} -> {:?}", c.kind, ids(&c.from), ids(&c.to)))
        .collect()
}

/// The one change that has exactly these units on each side (ids): no
/// other change starts from them.
fn story<'a>(doc: &'a DiffDoc, from: &[&str], to: &[&str]) -> &'a ChangeDoc {
    let touching: Vec<&ChangeDoc> = doc
        .changes
        .iter()
        .filter(|c| ids(&c.from).iter().any(|id| from.contains(id)))
        .collect();
    match touching.as_slice() {
        [one] if ids(&one.from) == from && ids(&one.to) == to => one,
        _ => panic!(
            "not one story {from:?} -> {to:?}: {:#?}",
            touching
                .iter()
                .map(|c| format!("{} {:?} -> {:?}", c.kind, ids(&c.from), ids(&c.to)))
                .collect::<Vec<_>>()
        ),
    }
}

#[test]
fn diff_2008_2024_tells_the_story_of_ice_and_hsi() {
    let doc = diff_json(&["2008", "2024"]);
    assert_eq!(doc.schema, "reorg.diff/2");
    assert_eq!(doc.from.date, "2008");
    assert_eq!(doc.from.day.as_deref(), Some("2008-12-31"));
    assert_eq!(doc.to.day.as_deref(), Some("2024-12-31"));
    assert_eq!(doc.from.snapshots, ["2008-11-05"]);

    // The Office of Investigations became HSI: one change, renamed and
    // redesignated.
    let oi = story(&doc, &["ice-oi"], &["hsi"]);
    assert_eq!(oi.kind, "renamed");
    assert_eq!(oi.aspects, ["renamed", "redesignated"]);
    assert_eq!(
        (oi.date.as_deref(), oi.basis.as_str()),
        (Some("2010-06"), "curated")
    );
    assert!(oi.sources.contains(&"klasko-2010".to_string()));
    assert_eq!(
        (oi.from[0].kind.as_deref(), oi.to[0].kind.as_deref()),
        (Some("office"), Some("directorate"))
    );
    let dro = story(&doc, &["ice-dro"], &["ero"]);
    assert_eq!(dro.aspects, ["renamed", "redesignated"]);
    // Intelligence and International Affairs went into HSI.
    for (before, after) in [("ice-intel", "hsi-intel"), ("ice-oia", "hsi-io")] {
        let into_hsi = story(&doc, &[before], &[after]);
        assert!(into_hsi.aspects.contains(&"moved".to_string()));
        assert_eq!(into_hsi.to[0].parent.as_deref(), Some("hsi"));
        assert!(into_hsi.date.as_deref().unwrap().starts_with("2010-06"));
    }

    let fps = find(&doc, "transferred_out", &["ice-fps"], &[]);
    assert_eq!(fps.date.as_deref(), Some("2009-10-28"));
    assert!(fps.external.as_deref().unwrap().contains("NPPD"));

    // LEIS became LEISI, then the Information eXchange Unit under COT: one
    // story, with the intermediate name as `via`.
    let leisi = story(&doc, &["hsi-leisi"], &["hsi-ixu"]);
    assert_eq!(leisi.kind, "renamed");
    assert_eq!(leisi.aspects, ["renamed", "moved", "redesignated"]);
    assert_eq!(leisi.to[0].parent.as_deref(), Some("hsi-cot"));
    assert_eq!(leisi.from[0].acronym.as_deref(), Some("LEIS"));
    assert_eq!(leisi.via[0].unit.acronym.as_deref(), Some("LEISI"));
    assert!(leisi.sources.contains(&"seed001".to_string()));

    let niru = find(&doc, "replaced", &["ice-niru"], &["hsi-intel-emu"]);
    assert!(niru.confidence < 0.5, "NIRU -> EMU is low confidence");
    assert_eq!(
        niru.from[0].parent.as_deref(),
        Some("ice"),
        "NIRU as it was in 2008"
    );
    assert_eq!(
        niru.via[0].unit.parent.as_deref(),
        Some("hsi-intel"),
        "via HSI-Intel"
    );

    assert_eq!(story(&doc, &["hsi-nsid"], &["hsi-ns"]).kind, "renamed");

    let cpi = find(&doc, "moved", &["hsi-cpi"], &["hsi-cpi"]);
    assert_eq!(cpi.to[0].parent.as_deref(), Some("hsi-gtid"));
    let ipr = find(&doc, "moved", &["hsi-iprc"], &["hsi-iprc"]);
    assert_eq!(ipr.to[0].parent.as_deref(), Some("hsi-gtid"));
    let c3 = find(&doc, "moved", &["hsi-c3"], &["hsi-c3"]);
    assert_eq!(c3.to[0].parent.as_deref(), Some("hsi-cot"));
    assert_eq!(c3.via.len(), 1, "via Investigative Programs");

    let ccht = find(&doc, "established", &[], &["hsi-ccht"]);
    assert_eq!(ccht.date.as_deref(), Some("2020-10-20"));
}

#[test]
fn every_change_of_2008_2024_is_dated_explained_and_only_as_sure_as_its_basis() {
    let doc = diff_json(&["2008", "2024"]);
    assert!(!doc.changes.is_empty());
    // Units no earlier snapshot lists are first documented, not
    // established: only a curated event says a unit was established.
    let tlu = find(&doc, "appeared", &[], &["hsi-intel-tlu"]);
    assert_eq!(tlu.basis, "observed");
    assert!(tlu.confidence < 1.0);
    for c in &doc.changes {
        if c.kind == "established" || c.kind == "abolished" {
            assert_eq!(c.basis, "curated", "{c:?}");
        }
        if c.basis == "observed" {
            assert!(c.confidence < 1.0, "{c:?}");
        }
    }

    for c in &doc.changes {
        assert!(!c.evidence.is_empty(), "every change says why: {c:?}");
        assert!(c.aspects.contains(&c.kind), "{c:?}");
        let date = c.date.as_deref().expect("every change is dated");
        // An open start has no first day to give.
        assert_eq!(c.earliest.is_none(), date.starts_with(".."), "{c:?}");
        assert!(c.latest.is_some(), "{c:?}");
        assert!((0.0..=1.0).contains(&c.confidence));
        if c.basis == "curated" {
            assert!(!c.sources.is_empty(), "curated changes cite sources: {c:?}");
        }
    }
}

#[test]
fn diff_2008_2024_as_a_table() {
    let table = reorg()
        .env("COLUMNS", "120")
        .args(["diff", "2008", "2024", "--format", "table"])
        .output()
        .unwrap();
    insta::assert_snapshot!(
        "diff_2008_2024_table",
        String::from_utf8(table.stdout).unwrap()
    );
    let wide = reorg()
        .env("COLUMNS", "500")
        .args(["diff", "2008", "2024"])
        .output()
        .unwrap();
    let out = String::from_utf8(wide.stdout).unwrap();
    for line in [
        "Office of Investigations (OI)",
        "Homeland Security Investigations (HSI)",
        "Federal Protective Service (FPS)",
        "DHS National Protection and Programs Directorate (NPPD) (outside)",
        "Law Enforcement Information Sharing Service (LEIS) → Information eXchange Unit (IXU)",
        "Emergency Management Unit (EMU)",
        "International Operations (IO)",
        "Center for Countering Human Trafficking (CCHT)",
    ] {
        assert!(out.contains(line), "{line}");
    }
}

#[test]
fn diff_2008_2024_as_json() {
    insta::assert_snapshot!(
        "diff_2008_2024_json",
        stdout_of(&["diff", "2008", "2024", "--format", "json"])
    );
}

#[test]
fn a_unit_that_appears_is_established_as_it_ends_up() {
    // BICE began in 2003 and took the name ICE by 2004: from 1990 that is
    // one change, ICE established, by way of BICE.
    let doc = diff_json(&["1990", "2004"]);
    let ice = find(&doc, "established", &[], &["ice"]);
    assert_eq!(ice.to[0].acronym.as_deref(), Some("ICE"));
    assert_eq!(ice.via[0].unit.acronym.as_deref(), Some("BICE"));
    assert!(
        !doc.changes.iter().any(|c| c.kind == "renamed"),
        "no rename of a unit that did not exist in 1990: {:?}",
        summary(&doc)
    );
}

#[test]
fn a_unit_back_under_its_old_id_is_restored_and_a_reused_id_is_not() {
    let data = fixture("good/restored");
    let doc = |from: &str, to: &str| diff_json(&["--data", &data, from, to]);
    // Gone in 2002, back in 2003: restored, whether its earlier life lies
    // inside the period diffed or before it.
    for from in ["2001", "2002"] {
        let both = doc(from, "2003");
        let back = find(&both, "restored", &[], &["x"]);
        assert_eq!(back.date.as_deref(), Some("2002/2003"));
        assert_eq!(back.evidence[0], "id `x` was last seen in snapshot 2001");
    }
    // Id `r` passed in 2002 to a unit sharing nothing with the old one:
    // the old unit is no longer seen and the new one first seen.
    let reused = doc("2001", "2002");
    find(&reused, "disappeared", &["r"], &[]);
    find(&reused, "appeared", &[], &["r"]);
    // Neither is a unit that takes the id of one gone before and shares
    // nothing with it (`g`), nor one that takes the old id of a unit that
    // lives on under another (`k`, re-keyed `k2` in 2002).
    for from in ["2001", "2002"] {
        let later = doc(from, "2003");
        find(&later, "appeared", &[], &["g"]);
        find(&later, "appeared", &[], &["k"]);
    }
    // A curated restoration gives its date and sources.
    let last_year = doc("2002", "2003");
    let curated = find(&last_year, "restored", &[], &["h"]);
    assert_eq!(
        (curated.date.as_deref(), curated.basis.as_str()),
        (Some("2003-03"), "curated")
    );
}

#[test]
fn an_end_that_a_snapshot_may_not_yet_cover_says_so() {
    // The nine-division page is dated 2024-06?/2025: in force by July
    // 2024, or not yet.
    let doc = diff_json(&["2008", "2024-07"]);
    assert!(doc
        .to
        .snapshots
        .contains(&"hsi-hq-nine-divisions".to_string()));
    assert_eq!(doc.to.possibly, ["hsi-hq-nine-divisions"]);
    assert!(doc.from.possibly.is_empty());
    let table = stdout_of(&["diff", "2008", "2024-07"]);
    assert!(
        table.contains("hsi-hq-nine-divisions (possibly not yet in force)"),
        "{table}"
    );
}

#[test]
fn the_same_date_has_no_changes() {
    let doc = diff_json(&["2013", "2013"]);
    assert!(doc.changes.is_empty());
    reorg()
        .args(["diff", "2013", "2013", "--exit-code"])
        .assert()
        .success();
    reorg()
        .args(["diff", "2008", "2013", "--exit-code"])
        .assert()
        .code(1);
}

#[test]
fn filters_narrow_the_diff() {
    let doc = diff_json(&["2008", "2024", "--under", "hsi-intel"]);
    assert!(!doc.changes.is_empty());
    assert!(
        doc.changes.iter().all(|c| c.kind != "transferred_out"),
        "FPS is outside HSI-Intel"
    );
    let doc = diff_json(&["2008", "2024", "--kind", "moved"]);
    assert!(!doc.changes.is_empty());
    assert!(doc
        .changes
        .iter()
        .all(|c| c.aspects.contains(&"moved".to_string())));
    assert!(
        doc.changes.iter().any(|c| c.kind == "renamed"),
        "a unit renamed and moved is moved too"
    );
    let all = diff_json(&["2008", "2024"]);
    assert!(
        all.changes.iter().any(|c| c.confidence < 0.9),
        "some change is below the threshold, so the filter has work to do"
    );
    let doc = diff_json(&["2008", "2024", "--min-confidence", "0.9"]);
    assert!(!doc.changes.is_empty());
    assert!(doc.changes.len() < all.changes.len());
    assert!(doc.changes.iter().all(|c| c.confidence >= 0.9));
}

#[test]
fn bad_arguments_are_usage_errors() {
    for args in [
        vec!["diff", "2024", "2008"],
        vec!["diff", "2008", "2024", "--kind", "renamd"],
        vec!["diff", "2008", "20x4"],
        vec!["diff", "2008", "2024", "--min-confidence", "2"],
    ] {
        reorg().args(&args).assert().code(2);
    }
}

#[test]
fn csv_is_a_crosswalk() {
    let out = stdout_of(&["diff", "2008", "2024", "--format", "csv"]);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("from_id,from_name,to_id,to_name,kind,date,basis,confidence")
    );
    assert!(out.contains("hsi-leisi,Law Enforcement Information Sharing Service,hsi-ixu,Information eXchange Unit,renamed,2008/2025,curated,0.750"));
}

#[test]
fn diagrams_name_every_change() {
    let dot = stdout_of(&["diff", "2008", "2024", "--format", "dot"]);
    assert!(dot.starts_with("digraph reorg_diff {"));
    assert!(dot.contains("label=\"transferred_out 2009-10-28\""));
    let mermaid = stdout_of(&["diff", "2008", "2024", "--format", "mermaid"]);
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert!(mermaid.contains("-->|\"renamed 2010-06\"|"));
}

#[test]
fn each_story_is_one_change_and_observations_are_not_facts() {
    let data = fixture("good/stories");
    let doc = diff_json(&["--data", &data, "2001", "2002"]);
    // Planning and Quality folded into Operations, where they live on as
    // divisions: one change, and their moves and renames are part of it.
    let absorbed = story(&doc, &["p", "q"], &["d", "p", "q"]);
    assert_eq!(absorbed.kind, "absorbed");
    assert_eq!(
        absorbed.parts,
        [PartDoc { from: 0, to: 1 }, PartDoc { from: 1, to: 2 }]
    );
    assert_eq!(absorbed.to[1].name, "Planning Division");
    assert_eq!(absorbed.to[1].parent.as_deref(), Some("d"));
    assert!(
        absorbed
            .evidence
            .iter()
            .any(|e| e.contains("lives on as Planning Division")),
        "{absorbed:?}"
    );
    // A change of accents alone is a rename, and says so.
    let respelled = story(&doc, &["l"], &["l"]);
    assert_eq!(respelled.aspects, ["renamed"]);
    assert!(respelled
        .evidence
        .iter()
        .any(|e| e.contains("spelling only")));
    // A placement the data author inferred gives no move surer than that.
    let moved = story(&doc, &["f"], &["f"]);
    assert_eq!(
        (moved.kind.as_str(), moved.basis.as_str()),
        ("moved", "identity")
    );
    assert!(moved.confidence <= 0.4, "{moved:?}");
    // First seen: appeared, citing the chart that shows it.
    let newsroom = find(&doc, "appeared", &[], &["n"]);
    assert_eq!(newsroom.basis, "observed");
    assert!(newsroom.confidence < 1.0);
    assert_eq!(newsroom.sources, ["chart-2002"]);
    // Established in 1999, before FROM, though the 2001 chart leaves it
    // out: between 2001 and 2002 it only appeared in the sources.
    let ethics = find(&doc, "appeared", &[], &["e"]);
    assert!(
        ethics.evidence[0].contains("established in 1999"),
        "{ethics:?}"
    );
    assert!(!doc.changes.iter().any(|c| c.kind == "established"));
    // From 1998 the curated event is the change.
    let earlier = diff_json(&["--data", &data, "1998", "2002"]);
    let established = find(&earlier, "established", &[], &["e"]);
    assert_eq!(established.date.as_deref(), Some("1999"));
}

#[test]
fn a_units_confidence_is_accepted_by_check() {
    reorg()
        .args(["check", &fixture("good/stories")])
        .assert()
        .success();
}

#[test]
fn the_crosswalk_maps_parts_to_themselves() {
    let data = fixture("good/stories");
    let csv = stdout_of(&["--data", &data, "diff", "2001", "2002", "--format", "csv"]);
    let absorbed: Vec<&str> = csv.lines().filter(|l| l.contains(",absorbed,")).collect();
    assert_eq!(
        absorbed,
        [
            "p,Office of Planning,p,Planning Division,absorbed,2002-03,curated,0.950",
            "q,Office of Quality,q,Quality Division,absorbed,2002-03,curated,0.950",
            "p,Office of Planning,d,Operations Directorate,absorbed,2002-03,curated,0.950",
            "q,Office of Quality,d,Operations Directorate,absorbed,2002-03,curated,0.950",
        ]
    );
}

#[test]
fn sub_units_carried_along_are_part_of_the_story() {
    let data = fixture("good/carried");
    let doc = diff_json(&["--data", &data, "2001", "2002"]);
    // Planning folded into Operations as a division: its Budget Branch,
    // now under the directorate, and its Workforce Branch, now under the
    // Field Division, went along; the Strategy Branch stayed under
    // Planning, so did not move.
    let absorbed = story(&doc, &["p", "b", "w"], &["d", "p", "b", "w"]);
    assert_eq!(absorbed.kind, "absorbed");
    assert_eq!(
        absorbed.parts,
        [
            PartDoc { from: 0, to: 1 },
            PartDoc { from: 1, to: 2 },
            PartDoc { from: 2, to: 3 }
        ]
    );
    // A carried sub-unit sits under a unit of `from` at FROM.
    assert_eq!(absorbed.from[1].parent.as_deref(), Some("p"));
    assert_eq!(absorbed.to[3].parent.as_deref(), Some("fd"));
    assert!(
        absorbed.evidence.iter().any(|e| e
            == "Workforce Branch was carried along, from under Office of Planning to under Field Division"),
        "{absorbed:?}"
    );
    // Renamed on the way, the Audit Branch has a story of its own; so has
    // the Review Branch, moved out of an office that lasts.
    let audit = story(&doc, &["u"], &["u"]);
    assert_eq!(audit.aspects, ["renamed", "moved"]);
    let review = story(&doc, &["r"], &["r"]);
    assert_eq!(review.aspects, ["moved"]);
    assert_eq!(doc.changes.len(), 3, "{:#?}", summary(&doc));
    // Read by a person, the office is what was absorbed; its branches
    // went along.
    let text = stdout_of(&["--data", &data, "diff", "2001", "2002"]);
    assert!(
        text.contains("Office of Planning (OP) → Operations Directorate (OD), living on as Planning Division, carrying Budget Branch and Workforce Branch along"),
        "{text}"
    );
    let report = stdout_of(&["--data", &data, "report", "2001", "2002"]);
    assert!(
        report.contains("The Budget Branch and the Workforce Branch were carried along."),
        "{report}"
    );
    // In the crosswalk a carried branch maps to itself, not to the
    // directorate.
    let csv = stdout_of(&["--data", &data, "diff", "2001", "2002", "--format", "csv"]);
    let budget: Vec<&str> = csv.lines().filter(|l| l.starts_with("b,")).collect();
    assert_eq!(
        budget,
        ["b,Budget Branch,b,Budget Branch,absorbed,2002-03,curated,0.950"]
    );
}

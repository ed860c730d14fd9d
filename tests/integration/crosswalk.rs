//! `reorg crosswalk` on the ICE history and on a hand-made agency
//! (tests/fixtures/good/crosswalk: merges, an absorption, splits, a
//! transfer out, a rename, namesakes, a unit gone unrecorded).

use serde::Deserialize;

use crate::util::{fixture, reorg, stdout_of};

/// The `reorg.crosswalk/1` document, read strictly: an unknown field fails.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrosswalkDoc {
    schema: String,
    from: EndpointDoc,
    to: EndpointDoc,
    under: Option<UnitDoc>,
    units: Vec<RowDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndpointDoc {
    date: String,
    day: Option<String>,
    snapshots: Vec<String>,
    possibly: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RowDoc {
    unit: UnitDoc,
    relation: String,
    aspects: Vec<String>,
    to: Vec<PartDoc>,
    date: Option<String>,
    earliest: Option<String>,
    latest: Option<String>,
    basis: String,
    confidence: f64,
    evidence: Vec<String>,
    sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartDoc {
    unit: Option<UnitDoc>,
    share: f64,
    shares: String,
    fate: Option<String>,
    external: Option<String>,
    basis: String,
    confidence: f64,
}

fn crosswalk(args: &[&str]) -> CrosswalkDoc {
    let mut all = vec!["crosswalk"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let doc: CrosswalkDoc = serde_json::from_str(&stdout_of(&all)).expect("the documented shape");
    assert_eq!(doc.schema, "reorg.crosswalk/1");
    doc
}

fn row<'a>(doc: &'a CrosswalkDoc, id: &str) -> &'a RowDoc {
    (doc.units.iter())
        .find(|r| r.unit.id == id)
        .unwrap_or_else(|| panic!("a row for {id}"))
}

/// The ids of the parts at TO, with their shares.
fn parts(row: &RowDoc) -> Vec<(Option<&str>, f64, &str)> {
    (row.to.iter())
        .map(|p| {
            (
                p.unit.as_ref().map(|u| u.id.as_str()),
                p.share,
                p.shares.as_str(),
            )
        })
        .collect()
}

/// The ids of the units at a date, as `show` lists them.
fn ids_at(data: Option<&str>, date: &str) -> Vec<String> {
    let mut args = vec![];
    if let Some(d) = data {
        args.extend(["--data", d]);
    }
    args.extend(["show", "--at", date, "--format", "csv"]);
    let csv = stdout_of(&args);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect()
}

const AGENCY: &str = "good/crosswalk";

pub(crate) fn agency() -> String {
    fixture(AGENCY)
}

#[test]
fn every_unit_at_from_appears_once_and_its_shares_add_up_to_one() {
    let agency = agency();
    for (data, from, to) in [
        (None, "2008", "2024"),
        (None, "2003", "2024"),
        (None, "2020", "2024"),
        (Some(agency.as_str()), "2001", "2003"),
    ] {
        let mut args = vec![];
        if let Some(d) = data {
            args.extend(["--data", d]);
        }
        args.extend([from, to]);
        let doc = crosswalk(&args);
        let ids: Vec<String> = doc.units.iter().map(|r| r.unit.id.clone()).collect();
        assert!(!ids.is_empty());
        assert_eq!(
            ids,
            ids_at(data, from),
            "{from} → {to}: one row per unit, in order"
        );
        for r in &doc.units {
            assert!(!r.to.is_empty(), "{}", r.unit.id);
            let total: f64 = r.to.iter().map(|p| p.share).sum();
            assert!(
                (total - 1.0).abs() < 1e-6,
                "{}: shares add up to {total}",
                r.unit.id
            );
            assert!(r.confidence > 0.0 && r.confidence <= 1.0);
            assert!(r.to.iter().all(|p| p.confidence >= r.confidence));
        }
    }
}

#[test]
fn a_branch_carried_along_by_an_absorption_moved() {
    let data = fixture("good/carried");
    let doc = crosswalk(&["--data", &data, "2001", "2002"]);
    let office = row(&doc, "p");
    assert_eq!(office.relation, "absorbed_into");
    let budget = row(&doc, "b");
    assert_eq!(
        (budget.relation.as_str(), &budget.aspects[..]),
        ("moved", &["moved".to_string()][..])
    );
    assert_eq!(parts(budget), [(Some("b"), 1.0, "whole")]);
    assert_eq!(
        budget.date.as_deref(),
        Some("2002-03"),
        "the absorption's date"
    );
}

#[test]
fn the_office_of_investigations_is_hsi_renamed() {
    let doc = crosswalk(&["2008", "2024"]);
    assert_eq!(doc.from.day.as_deref(), Some("2008-12-31"));
    assert_eq!(doc.to.date, "2024");
    let oi = row(&doc, "ice-oi");
    assert_eq!(oi.relation, "renamed");
    assert_eq!(oi.aspects, ["renamed", "redesignated"]);
    assert_eq!(parts(oi), [(Some("hsi"), 1.0, "whole")]);
    let hsi = oi.to[0].unit.as_ref().unwrap();
    assert_eq!(hsi.name, "Homeland Security Investigations");
    assert_eq!(hsi.acronym.as_deref(), Some("HSI"));
    assert_eq!(hsi.kind.as_deref(), Some("directorate"));
    assert_eq!(hsi.parent.as_deref(), Some("ice"));
    assert_eq!(
        hsi.parent_name.as_deref(),
        Some("U.S. Immigration and Customs Enforcement")
    );
    assert_eq!(hsi.parent_acronym.as_deref(), Some("ICE"));
    assert_eq!(
        oi.to[0].basis, "identity",
        "the unit itself: no link followed"
    );
    assert_eq!(doc.from.snapshots, ["2008-11-05"]);
    assert_eq!(doc.to.possibly, ["hsi-hq-nine-divisions"]);
    assert_eq!(oi.basis, "curated");
    assert!(oi.date.is_some() && oi.earliest.is_some() && oi.latest.is_some());
    let opr = row(&doc, "ice-opr");
    assert_eq!(opr.relation, "same");
    assert!(opr.date.is_none() && opr.evidence.is_empty());
    assert_eq!(parts(opr), [(Some("ice-opr"), 1.0, "whole")]);
}

#[test]
fn secure_communities_is_absorbed_into_ero() {
    let doc = crosswalk(&["2008", "2024"]);
    let sc = row(&doc, "ice-osc");
    assert_eq!(sc.relation, "absorbed_into");
    assert_eq!(parts(sc), [(Some("ero"), 1.0, "whole")]);
    assert_eq!(sc.date.as_deref(), Some("2010-06"));
    assert!(sc.sources.contains(&"klasko-2010".to_string()));
}

#[test]
fn fps_is_transferred_out_of_the_organization() {
    let doc = crosswalk(&["2008", "2024"]);
    let fps = row(&doc, "ice-fps");
    assert_eq!(fps.relation, "transferred_out");
    assert_eq!(parts(fps), [(None, 1.0, "whole")]);
    assert_eq!(fps.to[0].fate.as_deref(), Some("transferred_out"));
    assert!(fps.to[0].external.as_deref().unwrap().contains("NPPD"));
    assert_eq!(fps.date.as_deref(), Some("2009-10-28"));
}

#[test]
fn investigative_programs_split_into_ctoc_and_cot_in_equal_or_given_shares() {
    let doc = crosswalk(&["2020", "2024"]);
    let ip = row(&doc, "hsi-ip");
    assert_eq!(ip.relation, "split_into");
    assert_eq!(
        parts(ip),
        [
            (Some("hsi-ctoc"), 0.5, "equal"),
            (Some("hsi-cot"), 0.5, "equal")
        ]
    );
    assert_eq!(ip.confidence, 0.4, "a low-confidence curated event");

    let dir = tempfile::tempdir().unwrap();
    let shares = dir.path().join("shares.csv");
    std::fs::write(
        &shares,
        "unit,part,share\nInvestigative Programs,CTOC,0.7\nhsi-ip,Cyber and Operational Technology,0.3\n",
    )
    .unwrap();
    let doc = crosswalk(&["2020", "2024", "--shares", shares.to_str().unwrap()]);
    assert_eq!(
        parts(row(&doc, "hsi-ip")),
        [
            (Some("hsi-ctoc"), 0.7, "given"),
            (Some("hsi-cot"), 0.3, "given")
        ]
    );
}

#[test]
fn under_keeps_the_subtree_of_a_unit_at_from_named_in_any_era() {
    let doc = crosswalk(&["2008", "2024", "--under", "HSI"]);
    assert_eq!(
        doc.under.as_ref().unwrap().id,
        "ice-oi",
        "HSI was OI in 2008"
    );
    let ids: Vec<&str> = doc.units.iter().map(|r| r.unit.id.as_str()).collect();
    assert_eq!(ids.len(), 8, "{ids:?}");
    assert_eq!(ids[0], "ice-oi");
    assert!(ids.contains(&"hsi-cpi") && !ids.contains(&"ice-dro"));

    let out = reorg()
        .args([
            "crosswalk",
            "2008",
            "2024",
            "--under",
            "Countering Transnational Organized Crime",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is not in the organization at 2008"),
        "{stderr}"
    );
}

#[test]
fn crosswalk_usage_errors_exit_2() {
    for args in [
        vec!["crosswalk", "2024", "2008"],
        vec!["crosswalk", "2008", "20x4"],
        vec!["crosswalk", "2008", "2024", "--under", "No Such Office"],
    ] {
        let out = reorg().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn a_bad_shares_table_is_refused_with_its_row() {
    let dir = tempfile::tempdir().unwrap();
    for (text, expected) in [
        (
            "unit,part,share\nhsi-ip,hsi-ctoc,0.7\nhsi-ip,hsi-cot,0.2\n",
            "add up to 0.9",
        ),
        (
            "unit,part,share\nhsi-ip,hsi-ctoc,seventy\n",
            "row 2: the share `seventy`",
        ),
        (
            "unit,part,share\nhsi-ip,Nowhere Office,1\n",
            "row 2: no unit of any era is named",
        ),
        ("unit,share\nhsi-ip,1\n", "row 1: the header"),
        (
            "unit,part,share\nhsi-ip,hsi-ctoc,1\n",
            "divided into Countering",
        ),
        ("", "row 1: the header"),
    ] {
        let shares = dir.path().join("shares.csv");
        std::fs::write(&shares, text).unwrap();
        let out = reorg()
            .args([
                "crosswalk",
                "2020",
                "2024",
                "--shares",
                shares.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{text}: {stderr}");
        assert!(stderr.contains("shares.csv: "), "{stderr}");
        assert!(stderr.contains(expected), "{text}: {stderr}");
    }
}

#[test]
fn a_share_that_goes_on_to_another_unit_follows_it_to_to() {
    let agency = agency();
    let doc = crosswalk(&["--data", &agency, "2001", "2003"]);
    let echo = row(&doc, "e");
    assert_eq!(echo.relation, "split_into");
    assert_eq!(
        parts(echo),
        [(Some("d"), 0.5, "equal"), (Some("e2"), 0.5, "equal")],
        "Echo North was absorbed into Delta in 2003"
    );
    assert_eq!(echo.confidence, 0.4, "the weakest link followed");
    assert!(echo
        .evidence
        .iter()
        .any(|e| e.starts_with("then absorbed (2003)")));
    let gone = row(&doc, "y-ms");
    assert_eq!(gone.relation, "disappeared", "no source says it ended");
    assert_eq!(gone.to[0].fate.as_deref(), Some("disappeared"));
    assert_eq!(gone.date.as_deref(), Some("2002/2003"));
    assert_eq!(row(&doc, "a").relation, "merged_into");
    assert_eq!(row(&doc, "c").relation, "absorbed_into");
}

#[test]
fn people_formats_say_the_relation_and_escape_the_names() {
    let table = stdout_of(&["crosswalk", "2008", "2024"]);
    let heading = format!(
        "Crosswalk from 2008 to 2024: {} units at 2008 — ",
        ids_at(None, "2008").len()
    );
    assert!(table.starts_with(&heading), "{table}");
    assert!(
        table.contains("transferred_out to DHS National Protection"),
        "{table}"
    );

    let data = fixture("hostile");
    let md = stdout_of(&[
        "--data",
        &data,
        "crosswalk",
        "2001",
        "2013",
        "--format",
        "md",
    ]);
    assert!(!md.contains("<script>"), "{md}");
    assert!(md.contains("&lt;script&gt;"), "{md}");
    let csv = stdout_of(&[
        "--data",
        &data,
        "crosswalk",
        "2001",
        "2013",
        "--format",
        "csv",
    ]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut guarded = false;
    for record in reader.records() {
        for cell in &record.unwrap() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "formula cell {cell}"
            );
            guarded |= cell.starts_with("'=");
        }
    }
    assert!(guarded, "the hostile formula was seen and guarded");
}

//! `reorg crosswalk` on the ICE history and on a hand-made agency
//! (tests/fixtures/good/crosswalk: merges, an absorption, splits, a
//! transfer out, a rename, namesakes, a unit gone unrecorded), `reorg
//! convert` on hand-made tables, the example under examples/crosswalk/,
//! and the totals of converted tables on generated histories.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
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

fn agency() -> String {
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
        for cell in record.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "formula cell {cell}"
            );
            guarded |= cell.starts_with("'=");
        }
    }
    assert!(guarded, "the hostile formula was seen and guarded");
}

// ---------------------------------------------------------------------------
// convert

/// What `reorg convert` did in a temporary directory.
struct Converted {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    dir: tempfile::TempDir,
}

/// Runs `reorg --data DATA convert table.csv ARGS` (the embedded dataset
/// when `data` is empty) in a temporary directory holding `table.csv`.
fn convert(data: &str, table: &[u8], args: &[&str]) -> Converted {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("table.csv"), table).unwrap();
    let mut cmd = reorg();
    if !data.is_empty() {
        cmd.args(["--data", data]);
    }
    let out = cmd
        .current_dir(dir.path())
        .args(["convert", "table.csv"])
        .args(args)
        .output()
        .unwrap();
    Converted {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        dir,
    }
}

/// The rows of a CSV, by their first cell.
fn by_key(csv: &str) -> BTreeMap<String, Vec<String>> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: BTreeMap<String, Vec<String>> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r.iter().map(str::to_string).collect())
        })
        .collect();
    assert!(!rows.is_empty(), "{csv}");
    rows
}

fn header(csv: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect()
}

#[test]
fn merged_units_are_summed_and_split_units_divided_equally_or_by_shares() {
    let agency = agency();
    let table = b"office,staff,budget,note\na,10,1.5,north\nb,20,2.5,south\ne,30,3,\nf,40,4,big\nd,5,0.5,\n";
    let plain = convert(
        &agency,
        table,
        &["--key", "office", "--from", "2001", "--to", "2002"],
    );
    assert_eq!(plain.code, Some(0), "{}", plain.stderr);
    assert_eq!(
        header(&plain.stdout),
        ["office", "staff", "budget", "note", "from_keys", "shares"]
    );
    let rows = by_key(&plain.stdout);
    assert_eq!(
        rows["ab"],
        ["ab", "30", "4", "north; south", "a; b", "whole"]
    );
    assert_eq!(rows["e1"], ["e1", "15", "1.5", "", "e", "equal"]);
    assert_eq!(rows["e2"], ["e2", "15", "1.5", "", "e", "equal"]);
    assert_eq!(rows["f1"], ["f1", "20", "2", "big", "f", "equal"]);
    assert_eq!(rows["d"], ["d", "5", "0.5", "", "d", "whole"]);
    assert!(
        plain
            .stderr
            .contains("staff: 105 read = 105 written + 0 set aside"),
        "{}",
        plain.stderr
    );
    assert!(plain.stderr.contains("equal shares"), "{}", plain.stderr);

    std::fs::write(
        plain.dir.path().join("shares.csv"),
        "unit,part,share\nf,f1,0.25\nf,f2,0.75\n",
    )
    .unwrap();
    let shares = plain.dir.path().join("shares.csv");
    let given = convert(
        &agency,
        table,
        &[
            "--key",
            "office",
            "--from",
            "2001",
            "--to",
            "2002",
            "--shares",
            shares.to_str().unwrap(),
        ],
    );
    let rows = by_key(&given.stdout);
    assert_eq!(rows["f1"][1..3], ["10", "1"]);
    assert_eq!(rows["f2"][1..3], ["30", "3"]);
    assert_eq!(rows["f2"][5], "given");
    assert_eq!(rows["e1"][5], "equal", "no shares given for Echo");
}

#[test]
fn keys_that_name_no_unit_or_several_are_set_aside_with_their_row() {
    let agency = agency();
    let table = b"office,staff\nAlpha Office,10\nMission Support,7\nNowhere,3\nDELTA OFFICE,5\n";
    let out = convert(
        &agency,
        table,
        &[
            "--key",
            "office",
            "--by",
            "name",
            "--from",
            "2001",
            "--to",
            "2002",
            "--rejects",
            "rejects.csv",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let stderr = &out.stderr;
    assert!(
        stderr.contains("row 3: `Mission Support` names several units at 2001: Mission Support [x-ms] under Operations Directorate; Mission Support [y-ms] under Services Directorate"),
        "{stderr}"
    );
    assert!(
        stderr.contains("row 4: no unit of any era is named `Nowhere`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("staff: 25 read = 15 written + 10 set aside"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the rows set aside are in rejects.csv"),
        "{stderr}"
    );
    let rejects = std::fs::read_to_string(out.dir.path().join("rejects.csv")).unwrap();
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(rejects.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(header(&rejects), ["row", "reason", "office", "staff"]);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[0][0].as_str(),
            rows[0][2].as_str(),
            rows[0][3].as_str()
        ),
        ("3", "Mission Support", "7")
    );
    assert_eq!(rows[1][0], "4");
    assert_eq!(
        header(&out.stdout),
        ["office", "staff", "id", "from_keys", "shares"],
        "keyed by name, the output says each unit's id too"
    );
    let rows = by_key(&out.stdout);
    assert_eq!(
        rows["Alpha-Bravo Office"][1..],
        ["10", "ab", "Alpha Office", "whole"]
    );
    assert_eq!(rows["Delta Office"][1..3], ["5", "d"]);
}

#[test]
fn names_and_ids_from_other_eras_name_the_unit_at_from() {
    let agency = agency();
    let table = b"office,staff\nOld Gazette Office,4\n";
    let out = convert(
        &agency,
        table,
        &[
            "--key", "office", "--by", "name", "--from", "2001", "--to", "2002",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(by_key(&out.stdout)["Gazette Office"][1..3], ["4", "g"]);

    // An id of 2008 names HSI in 2012; a unit gone by FROM names nothing.
    let table = b"office,staff\nice-oi,100\nice-fps,50\n";
    let out = convert(
        "",
        table,
        &["--key", "office", "--from", "2012", "--to", "2024"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(by_key(&out.stdout)["hsi"][1..3], ["100", "ice-oi"]);
    assert!(
        out.stderr
            .contains("`ice-fps` names Federal Protective Service (FPS) [ice-fps] (seen"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("which is not in the organization at 2012"),
        "{}",
        out.stderr
    );
}

#[test]
fn results_roll_up_to_ancestors_of_a_kind_or_depth() {
    let agency = agency();
    let table = b"office,staff\na,10\nb,20\nc,1\ne,30\nagency,2\n";
    let base = ["--key", "office", "--from", "2001", "--to", "2002"];
    let by_kind = convert(
        &agency,
        table,
        &[&base[..], &["--level", "directorate"]].concat(),
    );
    assert_eq!(by_kind.code, Some(0), "{}", by_kind.stderr);
    let rows = by_key(&by_kind.stdout);
    assert_eq!(rows.keys().collect::<Vec<_>>(), ["agency", "x", "y"]);
    assert_eq!(rows["x"][1..3], ["30".to_string(), "a; b".to_string()]);
    assert_eq!(rows["y"][1..3], ["31".to_string(), "c; e".to_string()]);
    assert!(
        by_kind
            .stderr
            .contains("no ancestor of that kind (the first: Agency)"),
        "{}",
        by_kind.stderr
    );
    let by_depth = convert(&agency, table, &[&base[..], &["--depth", "2"]].concat());
    assert_eq!(by_depth.stdout, by_kind.stdout);

    let none = convert(
        &agency,
        table,
        &[&base[..], &["--level", "bureau"]].concat(),
    );
    assert_eq!(none.code, Some(2), "the command line must change");
    assert!(
        none.stderr
            .contains("the kinds at TO are agency, directorate, office"),
        "{}",
        none.stderr
    );
    let zero = convert(&agency, table, &[&base[..], &["--depth", "0"]].concat());
    assert_eq!(zero.code, Some(2), "{}", zero.stderr);
}

#[test]
fn shares_of_units_gone_by_to_are_set_aside_and_totals_kept() {
    let agency = agency();
    let table = b"office,staff\nt,8\ne,10\ny-ms,1\n";
    let out = convert(
        &agency,
        table,
        &[
            "--key",
            "office",
            "--from",
            "2001",
            "--to",
            "2003",
            "--rejects",
            "r.csv",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rows = by_key(&out.stdout);
    assert_eq!(rows["d"][1], "5", "half of Echo, through Echo North");
    assert_eq!(rows["e2"][1], "5");
    assert!(
        out.stderr
            .contains("staff: 19 read = 10 written + 9 set aside"),
        "{}",
        out.stderr
    );
    let rejects = std::fs::read_to_string(out.dir.path().join("r.csv")).unwrap();
    assert!(
        rejects.contains("Tango Office [t]: transferred_out to Another Agency"),
        "{rejects}"
    );
    assert!(
        rejects.contains("Mission Support [y-ms]: disappeared"),
        "{rejects}"
    );
}

/// What a bad table gives: exit 3, a message naming the place, and no
/// files written.
fn refused(table: &[u8], extra: &[&str], expected: &str) {
    let agency = agency();
    let mut args = vec![
        "--key",
        "office",
        "--from",
        "2001",
        "--to",
        "2002",
        "-o",
        "out.csv",
        "--rejects",
        "r.csv",
    ];
    args.extend_from_slice(extra);
    let out = convert(&agency, table, &args);
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    assert!(out.stderr.contains("table.csv: "), "{}", out.stderr);
    assert!(
        out.stderr.contains(expected),
        "expected `{expected}` in {}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
    let left: Vec<String> = std::fs::read_dir(out.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["table.csv"], "nothing half-written is left behind");
}

#[test]
fn a_bad_table_is_refused_naming_the_row_and_column() {
    refused(
        b"unit,staff\na,1\n",
        &[],
        "the table has no column `office`",
    );
    refused(b"unit,staff\na,1\n", &[], "the columns are unit, staff");
    refused(
        b"office,staff\na,1\nb,12a\n",
        &["--sum", "staff"],
        "row 3, column `staff`: `12a` is not a number",
    );
    refused(
        b"office,staff\na,1\n",
        &["--sum", "budget"],
        "--sum names `budget`, which is not a column",
    );
    refused(b"", &[], "the table is empty");
    refused(
        b"office,staff\na,1\nb,\xff\xfe\n",
        &[],
        "row 3, column `staff`: this cell is not UTF-8",
    );
    refused(
        b"office,staff\na,1\nb,2,3\n",
        &[],
        "row 3: this row has 3 cells, the header 2",
    );
    refused(
        b"office,shares\na,1\n",
        &[],
        "the table has a column `shares`, which the converted table adds",
    );
    refused(
        b"office,office\na,b\n",
        &[],
        "names the column `office` twice",
    );
}

#[test]
fn a_table_with_a_header_and_no_rows_converts_to_a_header_with_a_warning() {
    let out = convert(
        &agency(),
        b"office,staff\n",
        &["--key", "office", "--from", "2001", "--to", "2002"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stdout, "office,staff,from_keys,shares\n",
        "`staff` holds no number: text"
    );
    assert!(
        out.stderr.contains("warning: the table has no rows"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_output_never_replaces_the_table_it_reads() {
    let table = b"office,staff\nd,5\n";
    for option in ["-o", "--rejects"] {
        let args = [
            "--key",
            "office",
            "--from",
            "2001",
            "--to",
            "2002",
            option,
            "table.csv",
        ];
        let out = convert(&agency(), table, &args);
        assert_eq!(out.code, Some(2), "{option}: {}", out.stderr);
        assert!(
            out.stderr.contains("this command reads that file"),
            "{}",
            out.stderr
        );
        let kept = std::fs::read(out.dir.path().join("table.csv")).unwrap();
        assert_eq!(kept, table);
    }
}

#[test]
fn duplicate_keys_are_summed_with_a_warning_and_text_columns_are_not_summed() {
    let agency = agency();
    let table = b"office,staff,code\nd,5,10\nd,7,x\nD,1,\n";
    let out = convert(
        &agency,
        table,
        &[
            "--key", "office", "--by", "name", "--from", "2001", "--to", "2002", "--text", "first",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rows = by_key(&out.stdout);
    assert_eq!(
        rows["Delta Office"][1..],
        ["13", "10", "d", "d; D", "whole"]
    );
    assert!(
        out.stderr.contains("2 rows name a unit that an earlier row names (the first: row 3 names Delta Office, as row 2 does); their values are summed"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("code:"),
        "`code` holds text: not summed"
    );

    let dropped = convert(
        &agency,
        table,
        &[
            "--key", "office", "--by", "name", "--from", "2001", "--to", "2002", "--text", "drop",
        ],
    );
    assert_eq!(
        header(&dropped.stdout),
        ["office", "staff", "id", "from_keys", "shares"]
    );
}

#[test]
fn converted_cells_are_guarded_against_formulas_but_numbers_stay_numbers() {
    let agency = agency();
    let table =
        "office,balance,note\nd,-12.5,\"=HYPERLINK(\"\"http://x\"\")\"\nnowhere,-1,@SUM(A1)\n"
            .as_bytes();
    let out = convert(
        &agency,
        table,
        &[
            "--key",
            "office",
            "--from",
            "2001",
            "--to",
            "2002",
            "--rejects",
            "r.csv",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rows = by_key(&out.stdout);
    assert_eq!(rows["d"][1..3], ["-12.5", "'=HYPERLINK(\"http://x\")"]);
    let rejects = std::fs::read_to_string(out.dir.path().join("r.csv")).unwrap();
    assert!(rejects.contains(",-1,'@SUM(A1)"), "{rejects}");
}

#[test]
fn the_example_is_current() {
    let root = env!("CARGO_MANIFEST_DIR");
    let example = Path::new(root).join("examples/crosswalk");
    let command = std::fs::read_to_string(example.join("command.txt")).unwrap();
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    assert_eq!(command.split_whitespace().next(), Some("reorg"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        example.join("staff-2008.csv"),
        dir.path().join("staff-2008.csv"),
    )
    .unwrap();
    let out = reorg()
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in ["staff-2024.csv", "rejects.csv"] {
        let made = std::fs::read_to_string(dir.path().join(file)).unwrap();
        let kept = std::fs::read_to_string(example.join(file)).unwrap();
        assert_eq!(
            made, kept,
            "examples/crosswalk/{file} is out of date: run {command}"
        );
    }
    let report = std::fs::read_to_string(example.join("report.txt")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        report,
        "examples/crosswalk/report.txt"
    );
}

// ---------------------------------------------------------------------------
// totals on generated histories

/// Converts a generated table across a generated history, in process:
/// the crosswalk, and the conversion.
fn convert_generated(
    seed: u64,
    size: usize,
    rekey: bool,
) -> (reorg::crosswalk::Crosswalk, reorg::convert::Converted) {
    use reorg::convert::{KeyBy, Options, TextRule};
    use reorg::synth::{history, snapshot, Churn};

    let mut h = history(seed, size, &Churn::percent(20.0));
    if rekey {
        h.rekey(seed);
    }
    let snapshots = vec![
        snapshot("a", 2000, h.before.clone()),
        snapshot("b", 2001, h.after),
    ];
    let dataset =
        reorg::dataset::Dataset::new(snapshots, vec![], BTreeMap::new(), "generated".into());
    let history = reorg::diff::history::History::build(&dataset);
    fn day(t: &str) -> (&str, reorg::date::Day) {
        (t, reorg::date::parse_query_day(t).unwrap())
    }
    let options = reorg::crosswalk::Options::default();
    let cw = reorg::crosswalk::crosswalk(&history, day("2000"), day("2001"), &options).unwrap();
    let parts = reorg::crosswalk::parts(&history, day("2000"), day("2001").1, &options).unwrap();
    for (row, unit) in cw.rows.iter().zip(&parts.units) {
        assert_eq!((&row.unit, &row.parts), (&unit.unit, &unit.parts));
    }
    let mut table = String::from("key,n,x,t\n");
    let mut rng = reorg::synth::Rng::new(seed);
    for (i, unit) in h.before.walk().iter().enumerate() {
        let key = if i % 17 == 0 {
            "no such unit"
        } else {
            unit.id.as_str()
        };
        let x = if i % 5 == 0 {
            String::new()
        } else {
            format!("{}.{}", rng.below(1000), rng.below(100))
        };
        table.push_str(&format!("{key},{},{x},t{}\n", rng.below(100), i % 3));
    }
    let options = Options {
        key: "key".into(),
        by: KeyBy::Id,
        sum: vec!["n".into(), "x".into()],
        text: TextRule::Join,
        roll_up: None,
    };
    let converted =
        reorg::convert::convert(table.as_bytes(), None, &parts, &history, &options).unwrap();
    (cw, converted)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the history, what is read is what is written plus what is
    /// set aside, in every summed column; and the shares of every unit add
    /// up to 1. (The crosswalk and the parts a conversion uses agree.)
    #[test]
    fn totals_of_summed_columns_are_preserved(seed in 0u64..10_000, size in 40usize..400, rekey: bool) {
        let (cw, converted) = convert_generated(seed, size, rekey);
        let report = &converted.report;
        prop_assert!(report.rows > 0 && report.written > 0);
        for total in &report.totals {
            let kept = total.written + total.set_aside;
            prop_assert!((total.read - kept).abs() < 1e-6, "{}: {} read, {kept} kept", total.column, total.read);
        }
        // The cells written add up to the total written, to their six
        // decimals.
        for (i, total) in report.totals.iter().enumerate() {
            let column = 1 + i;
            let cells: f64 = converted.rows.iter().map(|r| r[column].parse::<f64>().unwrap_or(0.0)).sum();
            prop_assert!((cells - total.written).abs() < 1e-6 * converted.rows.len() as f64 + 1e-9);
        }
        for row in &cw.rows {
            let shares: f64 = row.parts.iter().map(|p| p.share).sum();
            prop_assert!((shares - 1.0).abs() < 1e-9, "{}", row.unit.id);
        }
    }
}

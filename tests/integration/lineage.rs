//! `reorg lineage`, `reorg find` and `reorg timeline` on the embedded
//! history.

use serde_json::Value;

use crate::util::{fixture, reorg, stdout_of};

fn lineage(unit: &str) -> Value {
    serde_json::from_str(&stdout_of(&["lineage", unit, "--format", "json"])).unwrap()
}

/// The versions of the unit asked about.
fn versions(doc: &Value) -> &Vec<Value> {
    doc["units"][0]["versions"].as_array().unwrap()
}

#[test]
fn leisi_becomes_the_information_exchange_unit_under_cot() {
    let doc = lineage("LEISI");
    assert_eq!(doc["schema"], "reorg.lineage/2");
    let versions = versions(&doc);
    // Launched as a service in FY2008, an initiative by May 2012.
    assert_eq!(versions[0]["unit"]["acronym"], "LEIS");
    assert_eq!(versions[1]["unit"]["acronym"], "LEISI");
    let last = versions.last().unwrap();
    assert_eq!(last["unit"]["id"], "hsi-ixu");
    assert_eq!(last["unit"]["parent"], "hsi-cot");
    assert!(last["until"].is_null(), "IXU lasts");
    let renames: Vec<(&str, &str)> = doc["units"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "renamed")
        .map(|c| (c["date"].as_str().unwrap(), c["basis"].as_str().unwrap()))
        .collect();
    assert_eq!(
        renames,
        [("2008/2012-05", "curated"), ("2012-05/2025", "curated")],
        "each rename carries its own curated event"
    );
}

#[test]
fn niru_goes_from_ice_headquarters_to_hsi_intel_to_the_emergency_management_unit() {
    let doc = lineage("NIRU");
    let versions = versions(&doc);
    assert_eq!(versions[0]["unit"]["parent"], "ice");
    assert_eq!(versions.last().unwrap()["unit"]["parent"], "hsi-intel");
    let link = doc["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["change"]["kind"] == "replaced")
        .expect("NIRU is replaced");
    assert!(
        link["change"]["confidence"].as_f64().unwrap() < 0.5,
        "low confidence"
    );
    let emu = &doc["units"][link["to"][0].as_u64().unwrap() as usize];
    let emu_version = emu["versions"].as_array().unwrap().last().unwrap();
    assert_eq!(emu_version["unit"]["acronym"], "EMU");
    assert_eq!(emu_version["unit"]["parent"], "hsi-intel-iiemo");

    let text = stdout_of(&["lineage", "NIRU"]);
    assert!(
        text.contains("→ replaced 2013/2018-12 (curated/low"),
        "{text}"
    );
}

#[test]
fn the_office_of_investigations_becomes_hsi() {
    let doc = lineage("Office of Investigations");
    let versions = versions(&doc);
    assert_eq!(versions[0]["unit"]["id"], "ice-oi");
    assert_eq!(versions.last().unwrap()["unit"]["id"], "hsi");
}

#[test]
fn fps_ends_in_a_transfer_to_nppd_in_2009() {
    let doc = lineage("FPS");
    let link = doc["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["change"]["kind"] == "transferred_out")
        .expect("FPS is transferred out");
    assert_eq!(link["from"], serde_json::json!([0]));
    assert_eq!(link["to"], serde_json::json!([]));
    assert_eq!(link["change"]["date"], "2009-10-28");
    assert!(link["change"]["external"]
        .as_str()
        .unwrap()
        .contains("NPPD"));
    let text = stdout_of(&["lineage", "fps"]);
    assert!(text.contains("ended: transferred out 2009-10-28"), "{text}");
}

#[test]
fn the_cyber_crimes_center_moves_into_cot() {
    let doc = lineage("Cyber Crimes Center");
    let moves: Vec<&Value> = doc["units"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "moved")
        .collect();
    assert_eq!(moves.last().unwrap()["to"][0]["parent"], "hsi-cot");
}

#[test]
fn a_branch_carried_along_by_an_absorption_has_that_change() {
    let data = fixture("good/carried");
    let out = stdout_of(&["--data", &data, "lineage", "b", "--format", "json"]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let changes = doc["units"][0]["changes"].as_array().unwrap();
    let kinds: Vec<&str> = changes
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["absorbed"], "the move is the absorption's: {out}");
    assert_eq!(changes[0]["from"][0]["id"], "p");
    // Carried along, it is no successor of the office.
    assert_eq!(doc["units"].as_array().unwrap().len(), 1, "{out}");
    // Renamed on the way, the Audit Branch tells its own story.
    let out = stdout_of(&["--data", &data, "lineage", "u", "--format", "json"]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["units"][0]["changes"][0]["kind"], "renamed", "{out}");
}

#[test]
fn units_are_found_whatever_the_case_and_accents() {
    let a = stdout_of(&["lineage", "leisi", "--format", "json"]);
    let b = stdout_of(&["lineage", "LÉISI", "--format", "json"]);
    assert_eq!(a, b);
}

#[test]
fn an_ambiguous_unit_lists_the_candidates() {
    // Two planning offices, years apart, with nothing joining them.
    let out = reorg()
        .args(["--data", &fixture("good/homonyms")])
        .args(["lineage", "office of planning"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("[plan-2000]") && err.contains("[plan-2010]"),
        "{err}"
    );
    assert!(err.contains("under Agency"), "{err}");
    assert!(err.contains("2010–now"), "{err}");
    reorg().args(["lineage", "No Such Office"]).assert().code(2);
}

#[test]
fn depth_and_direction_limit_the_lineage() {
    let lineage = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["lineage", "NIRU", "--format", "json"];
        all.extend(args);
        let doc: Value = serde_json::from_str(&stdout_of(&all)).unwrap();
        doc["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["generation"].as_i64().unwrap())
            .collect()
    };
    // NIRU has successors (generation > 0); asked for its ancestors only,
    // they are gone.
    assert!(lineage(&[]).iter().any(|&g| g > 0));
    let ancestors = lineage(&["--ancestors"]);
    assert!(!ancestors.is_empty());
    assert!(ancestors.iter().all(|&g| g <= 0), "{ancestors:?}");
    let doc: Value = serde_json::from_str(&stdout_of(&[
        "lineage", "NIRU", "--depth", "0", "--format", "json",
    ]))
    .unwrap();
    assert_eq!(doc["units"].as_array().unwrap().len(), 1);
    // A direction not followed is not shown, nor claimed to be empty.
    let back = stdout_of(&["lineage", "NIRU", "--ancestors"]);
    assert!(back.contains("Predecessors"), "{back}");
    assert!(
        !back.contains("Successors") && !back.contains("no known successor"),
        "{back}"
    );
    let forth = stdout_of(&["lineage", "NIRU", "--descendants"]);
    assert!(
        forth.contains("Successors") && !forth.contains("Predecessors"),
        "{forth}"
    );
}

#[test]
fn a_snapshot_that_did_not_see_a_unit_does_not_date_its_change() {
    // A snapshot of another office, late in 2002, carries Victor's office
    // over without documenting it.
    let data = fixture("good/unseen");
    let csv = stdout_of(&["--data", &data, "diff", "2002", "2003", "--format", "csv"]);
    assert!(
        csv.contains("v,Victor Office,v,Victor Bureau,renamed,2002/2003,identity,1.000"),
        "{csv}"
    );
    let doc: Value = serde_json::from_str(&stdout_of(&[
        "--data", &data, "lineage", "v", "--format", "json",
    ]))
    .unwrap();
    assert_eq!(versions(&doc)[0]["until"], "2002", "last seen in 2002");
    // In the ICE data: the Tip Line Unit, seen c. 2012, is not seen again
    // until 2020 (the 2018 snapshot lists HSI without its offices).
    let tlu = lineage("hsi-intel-tlu");
    assert_eq!(versions(&tlu)[0]["until"], "2010-07/2013~");
}

#[test]
fn find_intel_lists_every_intelligence_office_of_every_era() {
    let doc: Value =
        serde_json::from_str(&stdout_of(&["find", "intel", "--format", "json"])).unwrap();
    let ids: Vec<&str> = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["unit"]["id"].as_str().unwrap())
        .collect();
    // The Office of Intelligence is one unit from 2003 on: it moved into
    // HSI in 2010 under a new id.
    for id in [
        "hsi-intel",
        "hsi-intel-iad",
        "hsi-intel-iesd",
        "hsi-intel-iiemo",
        "hsi-intel-jioc",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    let table = stdout_of(&["find", "intel"]);
    assert!(table.contains("2003–now"), "years of each name: {table}");
}

#[test]
#[ignore = "needs graphviz (`dot`)"]
fn the_dot_output_renders_with_graphviz() {
    let dot = stdout_of(&["lineage", "NIRU", "--format", "dot"]);
    let svg = crate::util::render_dot(&dot);
    assert!(svg.contains("<svg") && svg.contains("Emergency Management Unit"));
}

/// Every line of a Mermaid flowchart is a header, a node with a quoted
/// label, or an edge with a quoted label; no label holds a raw quote.
pub(crate) fn assert_valid_mermaid(text: &str) {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart LR"));
    for line in lines {
        let line = line.trim();
        let quoted = |s: &str| {
            s.len() >= 2
                && s.starts_with('"')
                && s.ends_with('"')
                && !s[1..s.len() - 1].contains('"')
        };
        let ok = if let Some((_, rest)) = line.split_once("-->|") {
            let (label, target) = rest.rsplit_once("| ").unwrap();
            quoted(label) && target.chars().all(|c| c.is_ascii_alphanumeric())
        } else if line == "end" {
            true
        } else if let Some(rest) = line.strip_prefix("subgraph ") {
            let (id, label) = rest.split_once('[').unwrap();
            id.chars().all(|c| c.is_ascii_alphanumeric())
                && quoted(label.strip_suffix(']').unwrap())
        } else {
            let (id, shape) = line.split_at(line.find(['[', '(']).unwrap());
            let label = shape
                .trim_start_matches(['[', '('])
                .trim_end_matches([']', ')']);
            id.chars().all(|c| c.is_ascii_alphanumeric()) && quoted(label)
        };
        assert!(ok, "not a valid flowchart line: {line}");
    }
}

#[test]
fn the_mermaid_output_is_a_valid_flowchart() {
    assert_valid_mermaid(&stdout_of(&["lineage", "NIRU", "--format", "mermaid"]));
    assert_valid_mermaid(&stdout_of(&["lineage", "FPS", "--format", "mermaid"]));
    assert_valid_mermaid(&stdout_of(&["diff", "2008", "2024", "--format", "mermaid"]));
}

#[test]
fn the_timeline_lists_every_change_in_date_order() {
    let doc: Value = serde_json::from_str(&stdout_of(&["timeline", "--format", "json"])).unwrap();
    assert_eq!(doc["schema"], "reorg.timeline/2");
    let changes = doc["changes"].as_array().unwrap();
    let earliest: Vec<&str> = changes
        .iter()
        .map(|c| c["earliest"].as_str().unwrap_or(""))
        .collect();
    let mut sorted = earliest.clone();
    sorted.sort();
    assert_eq!(earliest, sorted, "date order");
    let has = |kind: &str, from: &str| {
        changes.iter().any(|c| {
            c["kind"] == kind
                && c["from"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|u| u["id"] == from)
        })
    };
    assert!(has("transferred_out", "ice-fps"));
    assert!(has("transferred_out", "ice-amo"));
    assert!(has("renamed", "hsi-leisi"));
    let narrow: Value = serde_json::from_str(&stdout_of(&[
        "timeline", "--from", "2009", "--to", "2010", "--format", "json",
    ]))
    .unwrap();
    assert!(!narrow["changes"].as_array().unwrap().is_empty());
    for c in narrow["changes"].as_array().unwrap() {
        assert!(c["latest"].as_str().unwrap() > "2009", "{c}");
    }
    let csv = stdout_of(&["timeline", "--kind", "renamed", "--format", "csv"]);
    assert!(csv.lines().count() > 2, "a header and renames: {csv}");
    assert!(
        csv.lines().skip(1).all(|l| l.contains(",renamed,")),
        "{csv}"
    );
}

#[test]
fn the_timeline_places_each_change_by_its_own_date() {
    let window = |from: &str, to: &str| {
        stdout_of(&["timeline", "--from", from, "--to", to, "--format", "csv"])
    };
    // No snapshot falls in these windows; the curated dates do.
    assert!(window("2020-09", "2020-10")
        .contains(",hsi-ccht,Center for Countering Human Trafficking,established,2020-10-20,"));
    assert!(window("2003", "2004").contains("ice-amo,"));
    // Shown by the snapshots of 2004 and 2008, dated 2004-10-31: not in 2005-2008.
    assert!(!window("2004", "2008").contains("ice-amo,"));
    assert!(!window("2009-10-27", "2009-10-28").contains("hsi-bcsc"));
}

#[test]
fn a_unit_restored_under_its_old_id_has_its_earlier_life_as_predecessor() {
    let data = fixture("good/restored");
    let doc: Value = serde_json::from_str(&stdout_of(&[
        "--data", &data, "lineage", "x", "--format", "json",
    ]))
    .unwrap();
    assert_eq!(versions(&doc)[0]["since"], "2003");
    let earlier = &doc["units"][1];
    assert_eq!(earlier["generation"], -1);
    assert_eq!(earlier["versions"][0]["until"], "2001");
    let link = &doc["links"][0];
    assert_eq!((&link["from"][0], &link["to"][0]), (&1.into(), &0.into()));
    assert_eq!(link["change"]["kind"], "restored");
    assert_eq!(link["change"]["date"], "2002/2003");
    assert_eq!(
        link["change"]["evidence"][0],
        "id `x` was last seen in snapshot 2001"
    );
    // The unit given a freed id is no one's successor.
    let cell = stdout_of(&["--data", &data, "lineage", "Records Branch"]);
    assert!(cell.contains("Successors\n  (none known)"), "{cell}");
    // A curated restoration links the earlier life too, with its date and
    // sources, and is told once.
    let history = stdout_of(&["--data", &data, "lineage", "Historical Office"]);
    assert!(
        history.contains(
            "← restored 2003-03 (curated/high; chart)\n      Historical Office — seen 2001"
        ),
        "{history}"
    );
    assert_eq!(history.matches("restored").count(), 1, "{history}");
    // The curated event is what the 2003 step shows, not the unit's first
    // appearance in 2001.
    let timeline = stdout_of(&["--data", &data, "timeline", "--format", "csv"]);
    let of_h: Vec<&str> = timeline
        .lines()
        .filter(|l| l.contains("Historical Office"))
        .collect();
    assert_eq!(
        of_h,
        [
            ",,h,Historical Office,appeared,../2001,observed,0.500",
            "h,Historical Office,,,disappeared,2001/2002,observed,0.500",
            ",,h,Historical Office,restored,2003-03,curated,0.950",
        ],
        "{timeline}"
    );
}

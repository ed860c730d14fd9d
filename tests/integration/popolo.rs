//! `reorg export --format popolo`: validated against the JSON Schema of
//! `reorg.popolo/1` (jsonschema) and read back by a published Popolo
//! reader, on the embedded dataset and on `fixtures/hostile`.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::export::{export, hostile};

const POPOLO_SCHEMA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/popolo.schema.json");

/// What is wrong with a Popolo document: where it breaks
/// `docs/popolo.schema.json` (itself checked against its meta-schema),
/// organization ids that repeat, and `parent_id`s that name no
/// organization of the document.
fn popolo_problems(doc: &Value) -> Vec<String> {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(POPOLO_SCHEMA).unwrap()).unwrap();
    jsonschema::meta::validate(&schema).expect("the Popolo schema is a valid JSON Schema");
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut problems: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    let organizations = doc["organizations"].as_array().cloned().unwrap_or_default();
    let mut seen = HashSet::new();
    for o in &organizations {
        if !seen.insert(o["id"].clone()) {
            problems.push(format!("organization id {} is not unique", o["id"]));
        }
    }
    for o in &organizations {
        let parent = &o["parent_id"];
        if !parent.is_null() && !seen.contains(parent) {
            problems.push(format!(
                "{}: parent_id {parent} names no organization",
                o["id"]
            ));
        }
    }
    problems
}

/// A Popolo document, validated against `docs/popolo.schema.json`.
fn valid_popolo(json: &str) -> Value {
    let doc: Value = serde_json::from_str(json).unwrap();
    let problems = popolo_problems(&doc);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    doc
}

/// The organization with this id.
fn organization<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap_or_else(|| panic!("no organization {id}"))
}

#[test]
fn popolo_of_the_ice_history_is_valid_and_dated_honestly() {
    let doc = valid_popolo(&export(None, &["--format", "popolo"]));
    assert_eq!(doc["schema"], "reorg.popolo/1");
    let ixu = organization(&doc, "hsi-ixu");
    assert_eq!(ixu["name"], "Information eXchange Unit");
    assert_eq!(ixu["parent_id"], "hsi-cot");
    let leisi = ixu["other_names"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "Law Enforcement Information Sharing Initiative")
        .expect("the LEISI name");
    // Renamed some time in 2012-05/2025: no end_date can say that.
    assert!(leisi.get("end_date").is_none(), "{leisi}");
    assert!(leisi["note"].as_str().unwrap().contains("2012-05/2025"));
    let ids = &ixu["identifiers"];
    assert!(ids
        .as_array()
        .unwrap()
        .contains(&json!({"scheme": "reorg", "identifier": "hsi-leisi"})));
    let fps = organization(&doc, "ice-fps");
    assert_eq!(fps["dissolution_date"], "2009-10-28");
    assert_eq!(fps["parent_id"], "ice");
    assert_eq!(organization(&doc, "ice")["founding_date"], "2003-03-01");
    assert!(organization(&doc, "ice").get("parent_id").is_none());
}

#[test]
fn popolo_of_the_hostile_dataset_is_valid_and_exact() {
    let doc = valid_popolo(&export(Some(&hostile()), &["--format", "popolo"]));
    let finance = organization(&doc, "finance dept");
    assert_eq!(finance["name"], "Treasury & \"Budget\" Department");
    assert_eq!(
        finance["other_names"],
        json!([{"name": "Finance \"Budget\" Department", "end_date": "2004-02-29", "note": "former name"}])
    );
    let intl = &organization(&doc, "intl")["other_names"][0];
    assert_eq!(intl["name"], "International Office\nSecond Line");
    assert_eq!(intl["note"], "former name; renamed 2005-07/2012 (EDTF)");
    assert_eq!(
        organization(&doc, "finance dept/audit")["parent_id"],
        "finance dept"
    );
    assert_eq!(
        organization(&doc, "border")["dissolution_date"],
        "2004-10-31"
    );
    assert_eq!(organization(&doc, "hq")["founding_date"], "2001-01-01");
    // The id `temp` was re-used for an unrelated unit: two organizations.
    assert_eq!(organization(&doc, "temp")["name"], "Tab\tSeparated Team");
    assert_eq!(
        organization(&doc, "temp@2001-03-15")["name"],
        "Temporary Task Force {A}"
    );
    let sources = &organization(&doc, "tax/vat")["sources"];
    assert_eq!(
        sources,
        &json!([{"note": "=HYPERLINK(\"http://evil\") — @evil [odd url]; location: not a url at all"}])
    );
}

#[test]
fn the_popolo_schema_refuses_what_it_does_not_describe() {
    let mut doc: Value = serde_json::from_str(&export(None, &["--format", "popolo"])).unwrap();
    let first = &mut doc["organizations"][0];
    first["dissolution_date"] = json!("2012-05/2025");
    first["unknown"] = json!(1);
    let problems = popolo_problems(&doc).join("\n");
    assert!(problems.contains("2012-05/2025"), "{problems}");
    assert!(problems.contains("unknown"), "{problems}");
}

/// What a published Popolo reader, the `everypolitician-popolo` Python
/// package, makes of a Popolo document: each organization's id, name,
/// classification, the first and last day of its founding and dissolution
/// dates (which it parses as partial ISO 8601 dates), its other names and
/// identifiers. The interpreter is `$REORG_POPOLO_PYTHON`, else `python3`.
fn read_by_everypolitician(json: &str) -> Value {
    use std::io::Write;
    const SCRIPT: &str = r#"
import json, sys
from popolo_data.importer import Popolo
def days(d):
    return None if d is None else [d.earliest_date.isoformat(), d.latest_date.isoformat()]
print(json.dumps([{
    "id": o.id, "name": o.name, "classification": o.classification,
    "founding": days(o.founding_date), "dissolution": days(o.dissolution_date),
    "other_names": [n["name"] for n in o.other_names],
    "identifiers": [i["identifier"] for i in o.identifiers],
} for o in Popolo(json.load(sys.stdin)).organizations]))
"#;
    let python = std::env::var("REORG_POPOLO_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut child = std::process::Command::new(&python)
        .args(["-c", SCRIPT])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{python} runs: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the Popolo reader refused the document: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The published Popolo schemas cannot be kept in this repository, so the
/// export is also read back by a Popolo reader someone else wrote.
#[test]
#[ignore = "needs python3 with everypolitician-popolo (.ci/run installs it)"]
fn popolo_is_read_back_by_a_published_popolo_reader() {
    for data in [None, Some(hostile())] {
        let json = export(data.as_deref(), &["--format", "popolo"]);
        let ours: Value = serde_json::from_str(&json).unwrap();
        let theirs = read_by_everypolitician(&json);
        let ours = ours["organizations"].as_array().unwrap();
        let theirs = theirs.as_array().unwrap();
        assert!(!ours.is_empty());
        assert_eq!(ours.len(), theirs.len());
        for (o, t) in ours.iter().zip(theirs) {
            assert_eq!(o["id"], t["id"]);
            assert_eq!(o["name"], t["name"]);
            assert_eq!(o["classification"], t["classification"]);
            let names: Vec<&Value> = o["other_names"]
                .as_array()
                .map(|names| names.iter().map(|n| &n["name"]).collect())
                .unwrap_or_default();
            assert_eq!(json!(names), t["other_names"]);
            let identifiers: Vec<&Value> = o["identifiers"]
                .as_array()
                .map(|ids| ids.iter().map(|i| &i["identifier"]).collect())
                .unwrap_or_default();
            assert_eq!(json!(identifiers), t["identifiers"]);
            for (field, read) in [
                ("founding_date", "founding"),
                ("dissolution_date", "dissolution"),
            ] {
                match o[field].as_str() {
                    None => assert!(t[read].is_null(), "{}: {}", o["id"], t[read]),
                    Some(date) => {
                        let [first, last] = [&t[read][0], &t[read][1]].map(|d| d.as_str().unwrap());
                        assert!(
                            first.starts_with(date) && last.starts_with(date),
                            "{date}: {first}..{last}"
                        );
                    }
                }
            }
        }
    }
    // A month stays a month: the reader sees all of June 2010.
    let ice = read_by_everypolitician(&export(None, &["--format", "popolo"]));
    let dated: Vec<&Value> = ice
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["founding"][0] != o["founding"][1] && !o["founding"].is_null())
        .collect();
    assert!(!dated.is_empty(), "some founding date is less than a day");
}

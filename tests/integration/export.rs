//! `reorg export`: Turtle read back by a real RDF parser (oxttl), Popolo
//! validated against its JSON Schema (jsonschema), the CSV crosswalk; on
//! the embedded dataset and on `fixtures/hostile`, whose names and keys try
//! to break every format.

use std::collections::{BTreeSet, HashSet};

use oxrdf::{vocab::xsd, NamedOrBlankNode, Term};
use serde_json::{json, Value};

use crate::util::{fixture, reorg, stdout_of};

/// `reorg [--data DIR] export ARGS`, which must succeed.
fn export(data: Option<&str>, args: &[&str]) -> String {
    let mut all: Vec<&str> = Vec::new();
    if let Some(dir) = data {
        all.extend(["--data", dir]);
    }
    all.push("export");
    all.extend(args);
    stdout_of(&all)
}

fn hostile() -> String {
    fixture("hostile")
}

type Triples = BTreeSet<(String, String, String)>;

/// The triples of a Turtle document: IRIs as `<iri>`, literals as `"text"`
/// (unescaped), with `^^<datatype>` when typed other than as a plain string
/// and `@lang` when tagged. Fails if the document does not parse, which
/// includes any IRI holding a character IRIs cannot hold.
fn triples(turtle: &str) -> Triples {
    let subject = |s: NamedOrBlankNode| match s {
        NamedOrBlankNode::NamedNode(n) => format!("<{}>", n.as_str()),
        NamedOrBlankNode::BlankNode(b) => b.to_string(),
    };
    let object = |o: Term| match o {
        Term::NamedNode(n) => format!("<{}>", n.as_str()),
        Term::Literal(l) => match (l.language(), l.datatype()) {
            (Some(lang), _) => format!("\"{}\"@{lang}", l.value()),
            (None, dt) if dt == xsd::STRING => format!("\"{}\"", l.value()),
            (None, dt) => format!("\"{}\"^^<{}>", l.value(), dt.as_str()),
        },
        other => other.to_string(),
    };
    oxttl::TurtleParser::new()
        .for_slice(turtle.as_bytes())
        .map(|t| {
            let t = t.unwrap_or_else(|e| panic!("not valid Turtle: {e}\n{turtle}"));
            (
                subject(t.subject),
                format!("<{}>", t.predicate.as_str()),
                object(t.object),
            )
        })
        .collect()
}

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

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const ORG: &str = "http://www.w3.org/ns/org#";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const PROV: &str = "http://www.w3.org/ns/prov#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";

/// `<namespace + local>`.
fn iri(namespace: &str, local: &str) -> String {
    format!("<{namespace}{local}>")
}

/// A unit's IRI under the default base; `id` as it is percent-encoded.
fn unit(id: &str) -> String {
    iri("urn:reorg:unit:", id)
}

/// A plain literal as `triples` shows it.
fn text(s: &str) -> String {
    format!("\"{s}\"")
}

fn has(t: &Triples, s: &str, p: &str, o: &str) -> bool {
    t.contains(&(s.to_string(), p.to_string(), o.to_string()))
}

/// The subjects of which all these (predicate, object) pairs are said.
fn subjects_with(t: &Triples, pairs: &[(String, String)]) -> Vec<String> {
    let subjects: BTreeSet<&String> = t.iter().map(|(s, _, _)| s).collect();
    subjects
        .into_iter()
        .filter(|s| pairs.iter().all(|(p, o)| has(t, s, p, o)))
        .cloned()
        .collect()
}

/// The one change event of this kind from these units to those.
fn change_event(t: &Triples, kind: &str, from: &[String], to: &[String]) -> String {
    let mut pairs = vec![
        (iri(RDF, "type"), iri(ORG, "ChangeEvent")),
        (iri(DCTERMS, "type"), text(kind)),
    ];
    pairs.extend(
        from.iter()
            .map(|u| (iri(ORG, "originalOrganization"), u.clone())),
    );
    pairs.extend(
        to.iter()
            .map(|u| (iri(ORG, "resultingOrganization"), u.clone())),
    );
    let found = subjects_with(t, &pairs);
    assert_eq!(found.len(), 1, "one {kind} event from {from:?} to {to:?}");
    found[0].clone()
}

#[test]
fn turtle_of_the_ice_history_holds_its_hierarchy_and_changes() {
    let t = triples(&export(None, &["--format", "org-ttl"]));
    let rename = change_event(&t, "renamed", &[unit("hsi-leisi")], &[unit("hsi-ixu")]);
    assert!(has(
        &t,
        &rename,
        &iri(DCTERMS, "date"),
        &text("2012-05/2025")
    ));
    let date = |d: &str| format!("\"{d}\"^^<http://www.w3.org/2001/XMLSchema#date>");
    assert!(has(
        &t,
        &rename,
        &iri(PROV, "startedAtTime"),
        &date("2012-05-01")
    ));
    assert!(has(
        &t,
        &rename,
        &iri(PROV, "endedAtTime"),
        &date("2025-12-31")
    ));
    assert!(has(&t, &rename, &iri(RDF, "type"), &iri(PROV, "Activity")));
    assert!(has(
        &t,
        &rename,
        &iri(DCTERMS, "source"),
        "<urn:reorg:source:seed001>"
    ));
    let sub_org_of = iri(ORG, "subOrganizationOf");
    assert!(has(&t, &unit("hsi-ixu"), &sub_org_of, &unit("hsi-cot")));
    assert!(has(
        &t,
        &unit("ice"),
        &iri(RDF, "type"),
        &iri(ORG, "Organization")
    ));
    assert!(has(
        &t,
        &unit("hsi"),
        &iri(RDF, "type"),
        &iri(ORG, "OrganizationalUnit")
    ));
    assert!(has(
        &t,
        &unit("hsi-leisi"),
        &iri(SKOS, "notation"),
        &text("LEISI")
    ));
    let transfer = change_event(&t, "transferred_out", &[unit("ice-fps")], &[]);
    assert!(has(
        &t,
        &transfer,
        &iri(PROV, "endedAtTime"),
        &date("2009-10-28")
    ));
    assert!(has(
        &t,
        "<urn:reorg:source:seed001>",
        &iri(RDFS, "seeAlso"),
        "<https://www.ice.gov/about-ice/hsi/our-offices/hq>"
    ));
}

#[test]
fn turtle_of_the_hostile_dataset_keeps_every_name_exactly() {
    let t = triples(&export(Some(&hostile()), &["--format", "org-ttl"]));
    let pref = iri(SKOS, "prefLabel");
    let alt = iri(SKOS, "altLabel");
    for (id, predicate, name) in [
        ("hq", &pref, "Ministry of <script>alert(1)</script>"),
        ("hq", &alt, "=HYPERLINK(\"http://x\")"),
        ("hq", &alt, "Office 🏛 Ünïcödé"),
        ("finance%20dept", &pref, "Treasury & \"Budget\" Department"),
        ("finance%20dept", &alt, "Finance \"Budget\" Department"),
        ("finance%20dept%2Faudit", &pref, "Audit \\ Review | Unit"),
        ("tax%2Fvat", &pref, "+1 Tax Office"),
        ("ops%2Fsum", &pref, "@SUM(A1:A2)"),
        ("ops%2Fminus", &pref, "-2 Reserve Unit --> [x]; {y} %% z"),
        ("intl", &alt, "International Office\nSecond Line"),
        ("intl", &pref, "Διεθνές & <Legal> \"Affairs\""),
        ("ar", &pref, "مكتب الشؤون القانونية"),
        ("zh", &pref, "中央档案室"),
        ("merged%20unit", &pref, "Объединённый 联合 Office"),
        ("temp", &pref, "Tab\tSeparated Team"),
    ] {
        assert!(has(&t, &unit(id), predicate, &text(name)), "{id} {name:?}");
    }
    let sub_org_of = iri(ORG, "subOrganizationOf");
    assert!(has(&t, &unit("tax%2Fvat"), &sub_org_of, &unit("ops")));
    change_event(
        &t,
        "merged",
        &[unit("zh"), unit("ru")],
        &[unit("merged%20unit")],
    );
    let external = "<urn:reorg:external:The%20%22Other%22%20Agency%20%3CLtd%3E%20%7C%20%3Dcmd>";
    change_event(
        &t,
        "transferred_out",
        &[unit("border")],
        &[external.to_string()],
    );
    assert!(has(
        &t,
        external,
        &pref,
        &text("The \"Other\" Agency <Ltd> | =cmd")
    ));
    let renamed = change_event(
        &t,
        "renamed",
        &[unit("finance%20dept")],
        &[unit("finance%20dept")],
    );
    let note = "Renamed by \"Order No. 5\" <ref>\\n (a literal backslash-n)\nand a real newline";
    assert!(has(&t, &renamed, &iri(RDFS, "comment"), &text(note)));

    let see_also = iri(RDFS, "seeAlso");
    for (key, url) in [
        ("memo-1", "<https://example.org/memo?id=1&x=%3Cy%3E>"),
        ("odd%20url", "\"not a url at all\""),
        (
            "ar%2F%D9%83%D8%AA%D8%A7%D8%A8",
            "<https://例え.jp/パス?q=%22x%22%20y>",
        ),
        ("pct", "<http://example.org/100%25/%25zz%7B%7D%7C%5E%60%5C>"),
    ] {
        let source = iri("urn:reorg:source:", key);
        assert!(has(&t, &source, &see_also, url), "{key}: {url}");
    }
    let memo = "<urn:reorg:source:memo-1>";
    let memo_note = "Line 1\nLine 2\ttabbed \\ backslash";
    assert!(has(&t, memo, &iri(RDFS, "comment"), &text(memo_note)));
}

#[test]
fn turtle_takes_a_base_iri() {
    let out = export(
        None,
        &["--format", "org-ttl", "--base", "https://example.org/ice/"],
    );
    let t = triples(&out);
    assert!(has(
        &t,
        "<https://example.org/ice/unit:hsi-ixu>",
        &iri(ORG, "subOrganizationOf"),
        "<https://example.org/ice/unit:hsi-cot>"
    ));
    assert!(!out.contains("urn:reorg:"));
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

#[test]
fn the_csv_crosswalk_is_the_diff_between_two_dates() {
    let crosswalk = export(None, &["--format", "csv", "--from", "2008", "--to", "2024"]);
    assert_eq!(
        crosswalk,
        stdout_of(&["diff", "2008", "2024", "--format", "csv"])
    );
    let whole = export(None, &["--format", "csv"]);
    assert!(whole.starts_with("from_id,from_name,to_id,to_name,kind,date,basis,confidence\n"));
    assert!(
        whole.contains(
            "ice-fps,Federal Protective Service,,DHS National Protection and Programs Directorate (NPPD),transferred_out,2009-10-28,"
        ),
        "{whole}"
    );
}

#[test]
fn the_csv_crosswalk_defuses_formulas_and_quotes_cells() {
    let csv = export(Some(&hostile()), &["--format", "csv"]);
    for cell in [
        "ops/link,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"",
        "tax/vat,'+1 Tax Office",
        "\"Finance \"\"Budget\"\" Department\"",
        "\"International Office\nSecond Line\"",
        "\"The \"\"Other\"\" Agency <Ltd> | =cmd\"",
    ] {
        assert!(csv.contains(cell), "{cell} in\n{csv}");
    }
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    for row in reader.records() {
        let row = row.expect("valid CSV");
        for cell in row.iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
        }
    }
}

#[test]
fn exports_are_byte_identical_across_runs() {
    let hostile = hostile();
    for data in [None, Some(hostile.as_str())] {
        for format in ["org-ttl", "popolo", "csv"] {
            let args = ["--format", format];
            assert_eq!(
                export(data, &args),
                export(data, &args),
                "{format} {data:?}"
            );
        }
    }
}

#[test]
fn dash_o_writes_the_file_whole_and_leaves_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    for (format, name) in [
        ("org-ttl", "ice.ttl"),
        ("popolo", "ice.json"),
        ("csv", "ice.csv"),
    ] {
        let path = dir.path().join(name);
        let printed = export(None, &["--format", format]);
        let quiet = export(None, &["--format", format, "-o", path.to_str().unwrap()]);
        assert_eq!(quiet, "");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), printed, "{format}");
    }
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["ice.csv", "ice.json", "ice.ttl"],
        "no temporary file left behind"
    );
}

#[test]
fn bad_dates_bases_and_misplaced_options_are_usage_errors() {
    for (args, says) in [
        (vec!["--format", "csv", "--from", "2013-13"], "--from"),
        (vec!["--format", "csv", "--to", "2012-05/2025"], "--to"),
        (
            vec!["--format", "csv", "--from", "2020", "--to", "2010"],
            "earlier date first",
        ),
        (
            vec!["--format", "popolo", "--from", "2008"],
            "--from does not apply",
        ),
        (
            vec!["--format", "csv", "--base", "urn:x:"],
            "--base does not apply",
        ),
        (vec!["--format", "org-ttl", "--base", "urn:a b:"], "--base"),
        (
            vec!["--format", "org-ttl", "--base", "example.org/"],
            "scheme",
        ),
        (vec!["--format", "rdf"], "invalid value"),
    ] {
        let out = reorg().arg("export").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

#[test]
fn the_hostile_dataset_is_clean() {
    let out = reorg().args(["check", &hostile()]).output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn no_iri_holds_a_character_iris_cannot() {
    let turtle = export(Some(&hostile()), &["--format", "org-ttl"]);
    for (s, _, o) in triples(&turtle) {
        for term in [s, o].iter().filter(|t| t.starts_with('<')) {
            let inner = &term[1..term.len() - 1];
            let bad = |c: char| c <= ' ' || c.is_control() || "<>\"{}|^`\\".contains(c);
            assert!(!inner.contains(bad), "{term}");
        }
    }
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

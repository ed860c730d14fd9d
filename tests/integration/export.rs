//! `reorg export`: Turtle read back by a real RDF parser (oxttl), the CSV
//! crosswalk, and what every format shares; on the embedded dataset and on
//! `fixtures/hostile`, whose names and keys try to break every format.
//! Popolo is in `popolo`.

use std::collections::BTreeSet;

use oxrdf::{vocab::xsd, NamedOrBlankNode, Term};

use crate::util::{fixture, reorg, stdout_of};

/// `reorg [--data DIR] export ARGS`, which must succeed.
pub(crate) fn export(data: Option<&str>, args: &[&str]) -> String {
    let mut all: Vec<&str> = Vec::new();
    if let Some(dir) = data {
        all.extend(["--data", dir]);
    }
    all.push("export");
    all.extend(args);
    stdout_of(&all)
}

pub(crate) fn hostile() -> String {
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
        for cell in &row {
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

//! `reorg import` and `reorg init`, and the second dataset built with them
//! (examples/dhs): nothing in the tool is ICE-specific.

use std::path::Path;

use crate::util::{reorg, stdout_of};

fn example(path: &str) -> String {
    format!("{}/examples/dhs/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn import(args: &[&str]) -> String {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    stdout_of(&all)
}

#[test]
fn the_dhs_dataset_is_what_import_makes_of_its_charts() {
    let cases = [
        (
            "charts/2003.txt",
            "2003-03-01",
            "2003",
            "DHS when it began operations",
            ["pl107-296", "dhs-creation"],
        ),
        (
            "charts/2007.json",
            "2007-04",
            "2007",
            "DHS after the Second Stage Review and the Post-Katrina Act",
            ["dhs-2sr", "pl109-295"],
        ),
        (
            "charts/2019.csv",
            "2019",
            "2019",
            "DHS after the CISA Act",
            ["pl115-278", "pl115-387"],
        ),
    ];
    for (chart, date, id, title, sources) in cases {
        let ron = import(&[
            &example(chart),
            "--date",
            date,
            "--id",
            id,
            "--title",
            title,
            "--source",
            sources[0],
            "--source",
            sources[1],
        ]);
        let committed = std::fs::read_to_string(example(&format!("data/{id}.ron"))).unwrap();
        assert_eq!(
            ron, committed,
            "{chart}: rebuild with examples/dhs/build.sh"
        );
    }
    let out = stdout_of(&["check", &example("data")]);
    assert!(out.contains("no problems found"), "{out}");
}

#[test]
fn the_dhs_diff_finds_cisa_cwmd_and_the_end_of_bts() {
    let out = stdout_of(&[
        "--data",
        &example("data"),
        "diff",
        "2003",
        "2019",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let changes = doc["changes"].as_array().unwrap();
    let find = |kind: &str, from: &str, to: &str| {
        changes.iter().find(|c| {
            c["aspects"].as_array().unwrap().iter().any(|a| a == kind)
                && c["from"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|u| u["acronym"] == from)
                && c["to"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|u| u["acronym"] == to)
        })
    };
    // NPPD came out of IAIP's split and became CISA in 2018: from 2003 that
    // is IAIP split, with NPPD on the way (the lineage test below has the
    // rename itself).
    let cisa = find("split", "IAIP", "CISA").expect("IAIP split, CISA among the parts");
    assert_eq!(cisa["basis"], "curated");
    assert!(
        cisa["via"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["unit"]["acronym"] == "NPPD"),
        "{cisa}"
    );
    assert!(find("merged", "DNDO", "CWMD").is_some());
    assert!(find("merged", "OHA", "CWMD").is_some());
    assert!(find("absorbed", "EP&R", "FEMA").is_some());
    // Ids differ between the outline (2003) and the JSON (2007): CBP is
    // matched by inference.
    let cbp = find("moved", "CBP", "CBP").expect("CBP moved to the top level");
    assert_eq!(cbp["basis"], "inferred");
    assert!(changes
        .iter()
        .any(|c| c["kind"] == "abolished" && c["from"][0]["acronym"] == "BTS"));
}

#[test]
fn the_dhs_lineage_of_cisa_goes_back_to_iaip() {
    let out = stdout_of(&["--data", &example("data"), "lineage", "CISA"]);
    assert!(
        out.contains("National Protection and Programs Directorate (NPPD)"),
        "{out}"
    );
    assert!(out.contains("renamed 2018-11-16"), "{out}");
    assert!(out.contains("← split 2005/2007-03-31"), "{out}");
    assert!(
        out.contains("Information Analysis and Infrastructure Protection (IAIP)"),
        "{out}"
    );
    let out = stdout_of(&[
        "--data",
        &example("data"),
        "lineage",
        "Bureau of Immigration and Customs Enforcement",
    ]);
    assert!(
        out.contains("U.S. Immigration and Customs Enforcement (ICE)"),
        "{out}"
    );
}

#[test]
fn a_csv_export_imports_back_identically() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    stdout_of(&["init", data.to_str().unwrap()]);
    let original = stdout_of(&["show", "--at", "2008-11-05", "--format", "csv"]);
    let csv = dir.path().join("ice.csv");
    std::fs::write(&csv, &original).unwrap();
    let snapshot = data.join("2008.ron");
    import(&[
        csv.to_str().unwrap(),
        "--date",
        "2008-11-05",
        "-o",
        snapshot.to_str().unwrap(),
    ]);
    let again = stdout_of(&["--data", data.to_str().unwrap(), "show", "--format", "csv"]);
    assert_eq!(again, original);
}

#[test]
fn hostile_cells_survive_the_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    stdout_of(&["init", data.to_str().unwrap()]);
    let csv = dir.path().join("in.csv");
    std::fs::write(&csv, "id,name,parent,description\nr,\"=HYPERLINK(\"\"x\"\")\",,\"a, \"\"quoted\"\"\nline\"\nc,-Minus,r,@at\n").unwrap();
    let snapshot = data.join("s.ron");
    import(&[
        csv.to_str().unwrap(),
        "--date",
        "2020",
        "-o",
        snapshot.to_str().unwrap(),
    ]);
    let exported = stdout_of(&["--data", data.to_str().unwrap(), "show", "--format", "csv"]);
    assert!(
        exported.contains("\"'=HYPERLINK(\"\"x\"\")\""),
        "guarded: {exported}"
    );
    std::fs::write(&csv, &exported).unwrap();
    import(&[
        csv.to_str().unwrap(),
        "--date",
        "2020",
        "-o",
        snapshot.to_str().unwrap(),
    ]);
    let again = stdout_of(&["--data", data.to_str().unwrap(), "show", "--format", "csv"]);
    assert_eq!(again, exported);
}

/// Runs an import of `input` (written to a file named `name`) that must
/// fail, and returns its error output; the output file must not appear.
fn failing_import(name: &str, input: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, input).unwrap();
    let out_file = dir.path().join("out.ron");
    let out = reorg()
        .args([
            "import",
            file.to_str().unwrap(),
            "--date",
            "2020",
            "-o",
            out_file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(!Path::new(&out_file).exists(), "nothing is written");
    String::from_utf8(out.stderr).unwrap()
}

/// Whether `stderr` holds a diagnostic whose header holds `message` and
/// whose place (`--> FILE:LINE:COLUMN`) ends with `place`.
fn located(stderr: &str, place: &str, message: &str) -> bool {
    let lines: Vec<&str> = stderr.lines().collect();
    lines.windows(2).any(|pair| {
        pair[0].starts_with("error[")
            && pair[0].contains(message)
            && pair[1]
                .trim_start()
                .strip_prefix("--> ")
                .is_some_and(|p| p.ends_with(place))
    })
}

#[test]
fn bad_charts_are_refused_with_located_errors() {
    let err = failing_import("a.csv", "id,name,parent,colour\n");
    assert!(
        located(&err, "a.csv:1:16", "unknown column `colour`"),
        "{err}"
    );
    // Row problems name the line and the column of the cell.
    let err = failing_import("b.csv", "id,name,parent\na,A,\na,B,a\nc,,a\nd,D,zz\ne,E,\n");
    for (place, message) in [
        ("b.csv:3:1", "id `a` is also used at line 2"),
        ("b.csv:4:3", "this unit has an empty name"),
        ("b.csv:5:5", "parent `zz`"),
        ("b.csv:6:5", "several units have no parent"),
    ] {
        assert!(located(&err, place, message), "{place} {message}: {err}");
    }
    let err = failing_import("c.csv", "id,parent,name\nr,,R\nx,y,X\ny,x,Y\n");
    assert!(
        located(&err, "c.csv:3:3", "the parents form a cycle"),
        "{err}"
    );
    let err = failing_import("d.txt", "Top\n      A\n   B\n");
    assert!(located(&err, "d.txt:3:4", "indentation"), "{err}");
    let err = failing_import(
        "e.json",
        "[{\"id\": \"a\", \"name\": \"A\", \"parent\": null,}]",
    );
    assert!(err.contains("e.json:1:"), "{err}");
}

#[test]
fn a_bad_date_is_a_usage_error_that_does_not_blame_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.csv");
    std::fs::write(&file, "id,name,parent\na,A,\n").unwrap();
    let out = reorg()
        .args(["import", file.to_str().unwrap(), "--date", "2013-13"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--date: month 13"), "{err}");
    assert!(!err.contains("f.csv"), "{err}");
}

/// Imports `input` (written to a file named `name`), requiring success,
/// and returns the RON.
fn imported(name: &str, input: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, input).unwrap();
    import(&[file.to_str().unwrap(), "--date", "2010"])
}

#[test]
fn the_parent_column_may_be_left_out() {
    let ron = imported("a.csv", "id,name\na,A\n");
    assert!(
        ron.contains(r#"Unit(id: "a", name: "A", units: [])"#),
        "{ron}"
    );
    // Every row is then a root: one is the most a snapshot has.
    let err = failing_import("b.csv", "id,name\na,A\nb,B\n");
    assert!(
        located(
            &err,
            "b.csv:3:1",
            "several units have no parent (lines 2, 3)"
        ),
        "{err}"
    );
}

#[test]
fn json_errors_have_a_real_column() {
    // serde_json says column 0 when the input ends after a newline.
    let err = failing_import("j.json", "[{\"id\":\"a\",\"name\":\"A\"},\n");
    assert!(located(&err, "j.json:2:1", "bad JSON: EOF"), "{err}");
    // Columns count characters, not bytes.
    let err = failing_import("k.json", "[{\"name\":\"Ünité\",\"id\":1}]");
    assert!(
        located(&err, "k.json:1:23", "bad JSON: invalid type"),
        "{err}"
    );
}

#[test]
fn an_unclosed_quote_is_named_where_it_opens() {
    let err = failing_import("u.csv", "id,name,parent\na,\"A,\n");
    assert!(
        located(
            &err,
            "u.csv:2:3",
            "the quote that opens this cell is never closed"
        ),
        "{err}"
    );
    assert!(!err.contains("found record with"), "{err}");
    // Here the row has as many cells as the header: the csv reader alone
    // would take "r\n" as the parent.
    let err = failing_import("v.csv", "id,name,parent\nr,R,\na,A,\"r\n");
    assert!(located(&err, "v.csv:3:5", "the quote that opens"), "{err}");
}

#[test]
fn outline_ids_never_collide() {
    let ron = imported("o.txt", "Agency\n  Office\n  Office\n  Office 2\n");
    for id in ["agency/office", "agency/office-2", "agency/office-2-2"] {
        assert!(ron.contains(&format!("id: \"{id}\", ")), "{id}: {ron}");
    }
}

#[test]
fn only_an_acronym_in_trailing_parentheses_is_taken_as_one() {
    let ron = imported(
        "o.txt",
        "Agency (AG)\n  Field Office (East)\n  Office (formerly Old Division)\n  Office (2010)\n  Preparedness (EP&R)\n  Division (D1)\n",
    );
    for unit in [
        r#"id: "agency", name: "Agency", acronym: "AG""#,
        r#"name: "Field Office (East)", units"#,
        r#"name: "Office (formerly Old Division)", units"#,
        r#"name: "Office (2010)", units"#,
        r#"name: "Preparedness", acronym: "EP&R""#,
        r#"name: "Division", acronym: "D1""#,
    ] {
        assert!(ron.contains(unit), "{unit}: {ron}");
    }
}

/// A CSV chain of `levels` units, each the parent of the next.
fn chain(levels: usize) -> String {
    let mut csv = String::from("id,name,parent\nu1,U1,\n");
    for i in 2..=levels {
        csv.push_str(&format!("u{i},U{i},u{}\n", i - 1));
    }
    csv
}

#[test]
fn charts_nested_deeper_than_the_loader_reads_are_refused() {
    // 100 levels (the root is level 1) is the most the loader reads.
    let ron = imported("deep.csv", &chain(100));
    assert!(ron.contains(r#"Unit(id: "u100", name: "U100", units: [])"#));
    let err = failing_import("deeper.csv", &chain(1000));
    assert!(
        located(
            &err,
            "deeper.csv:102:11",
            "`u101` is nested 101 levels deep"
        ),
        "{err}"
    );
    assert!(err.contains("at most 100"), "{err}");
    assert!(err.contains("1 problem(s)"), "one error, not 900: {err}");
}

#[test]
fn init_refuses_a_directory_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x"), "").unwrap();
    reorg()
        .args(["init", dir.path().to_str().unwrap()])
        .assert()
        .code(3);
}

#[test]
fn bytes_that_are_not_utf8_are_located_in_every_format() {
    for (name, text) in [
        ("l.csv", &b"id,name,parent\nr,R,\nc,Caf\xe9,r\n"[..]),
        ("l.txt", &b"Root\n  Caf\xe9\n"[..]),
        (
            "l.json",
            &b"[{\"id\": \"r\", \"name\": \"R\",\n  \"description\": \"caf\xe9\"}]"[..],
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let out = reorg()
            .args(["import", file.to_str().unwrap(), "--date", "2020"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        let place = match name {
            "l.csv" => "l.csv:3:6",
            "l.txt" => "l.txt:2:6",
            _ => "l.json:2:22",
        };
        assert!(
            located(&err, place, "the file is not UTF-8 text: byte 0xE9"),
            "{err}"
        );
    }
}

#[test]
fn csv_errors_count_cells_from_one_in_the_users_terms() {
    let err = failing_import("w.csv", "id,name,parent\nr,R,\nc,C\n");
    assert!(
        located(
            &err,
            "w.csv:3:1",
            "this row has 2 cell(s), but the header has 3"
        ),
        "{err}"
    );
    assert!(!err.contains("field:") && !err.contains("record"), "{err}");
}

#[test]
fn json_errors_speak_of_units_and_aliases() {
    let err = failing_import(
        "a.json",
        "[{\"id\": \"r\", \"name\": \"R\", \"parent\": null, \"aliases\": 3}]",
    );
    assert!(
        err.contains("expected a list of aliases, or one string of aliases separated by `;`"),
        "{err}"
    );
    assert!(
        !err.contains("untagged") && !err.contains("Aliases"),
        "{err}"
    );
}

#[test]
fn an_empty_id_or_title_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.csv");
    std::fs::write(&file, "id,name\na,A\n").unwrap();
    let f = file.to_str().unwrap();
    for extra in [["--id", ""], ["--id", "a\nb"], ["--title", " "]] {
        let out = reorg()
            .args(["import", f, "--date", "2020"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
    }
}

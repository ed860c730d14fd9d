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
            c["kind"] == kind
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
    let cisa = find("renamed", "NPPD", "CISA").expect("NPPD renamed CISA");
    assert_eq!(cisa["date"], "2018-11-16");
    assert_eq!(cisa["basis"], "curated");
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
    assert_eq!(out.status.code(), Some(1));
    assert!(!Path::new(&out_file).exists(), "nothing is written");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn bad_charts_are_refused_with_located_errors() {
    let err = failing_import("a.csv", "id,name,parent,colour\n");
    assert!(err.contains("a.csv:1:4: unknown column `colour`"), "{err}");
    let err = failing_import("b.csv", "id,name,parent\na,A,\na,B,a\nc,,a\nd,D,zz\ne,E,\n");
    for expected in [
        "b.csv:3: id `a` is also used at line 2",
        "b.csv:4: this unit has an empty name",
        "b.csv:5: parent `zz`",
        "several units have no parent",
    ] {
        assert!(err.contains(expected), "{expected}: {err}");
    }
    let err = failing_import("c.csv", "id,name,parent\nr,R,\nx,X,y\ny,Y,x\n");
    assert!(err.contains("cycle"), "{err}");
    let err = failing_import("d.txt", "Top\n      A\n   B\n");
    assert!(err.contains("d.txt:3:4"), "{err}");
    let err = failing_import(
        "e.json",
        "[{\"id\": \"a\", \"name\": \"A\", \"parent\": null,}]",
    );
    assert!(err.contains("e.json:1:"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.csv");
    std::fs::write(&file, "id,name,parent\na,A,\n").unwrap();
    reorg()
        .args(["import", file.to_str().unwrap(), "--date", "2020-13"])
        .assert()
        .code(1);
}

#[test]
fn init_refuses_a_directory_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x"), "").unwrap();
    reorg()
        .args(["init", dir.path().to_str().unwrap()])
        .assert()
        .code(1);
}

//! Formats, errors and exit codes of the basic commands.

use crate::util::{fixture, reorg, stdout_of};

#[test]
fn a_bad_date_is_a_usage_error() {
    let out = reorg().args(["show", "--at", "2013-13"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--at"), "{stderr}");
    assert!(stderr.contains("YYYY"), "{stderr}");
}

#[test]
fn an_unknown_unit_is_an_error_that_says_what_to_do() {
    let out = reorg().args(["show", "no-such-unit"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no unit matches"));
}

#[test]
fn output_is_byte_identical_across_runs() {
    for args in [
        vec!["show", "--format", "json"],
        vec!["show", "--at", "2013", "--format", "table"],
        vec!["snapshots"],
    ] {
        assert_eq!(stdout_of(&args), stdout_of(&args), "{args:?}");
    }
}

#[test]
fn show_writes_a_file_with_dash_o() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ice.csv");
    let p = path.to_str().unwrap();
    stdout_of(&["show", "--at", "2008-11-05", "--format", "csv", "-o", p]);
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(csv.starts_with("id,name,parent,kind,acronym,aliases,description\n"));
    assert!(csv.contains("ice-fps,"), "{csv}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

#[test]
fn the_data_option_and_variable_select_a_dataset() {
    let dir = fixture("good/tiny");
    let out = stdout_of(&["--data", &dir, "show"]);
    assert!(out.contains("Tiny Org"), "{out}");
    let out = reorg()
        .env("REORG_DATA", &dir)
        .arg("show")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Tiny Org"));
}

#[test]
fn show_json_follows_its_schema() {
    let out = stdout_of(&["show", "--at", "2008-11-05", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schema"], "reorg.show/1");
    assert_eq!(doc["date"], "2008-11-05");
    let units = doc["units"].as_array().unwrap();
    assert_eq!(units[0]["id"], "ice");
    assert!(units[0]["parent"].is_null());
    for u in units {
        for key in [
            "id",
            "name",
            "acronym",
            "aliases",
            "kind",
            "parent",
            "depth",
            "description",
            "note",
            "sources",
            "observed_in",
        ] {
            assert!(u.get(key).is_some(), "unit has {key}: {u}");
        }
    }
}

#[test]
fn completions_and_man_page_are_generated() {
    assert!(stdout_of(&["completions", "bash"]).contains("reorg"));
    assert!(stdout_of(&["man"]).contains(".TH reorg"));
}

#[test]
fn depth_limits_the_tree() {
    let out = stdout_of(&["show", "--at", "2008-11-05", "--depth", "1"]);
    assert!(out.contains("Office of Investigations (OI)"), "{out}");
    assert!(!out.contains("Counter-Proliferation"), "{out}");
}

/// A dataset of one snapshot with two units named "Support".
fn two_supports() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "2020.ron",
        r#"Snapshot(id: "2020", date: "2020", title: "Two support units", sources: ["memo"], units: [
            Unit(id: "org", name: "Org", units: [
                Unit(id: "a", name: "Alpha", units: [Unit(id: "a-support", name: "Support")]),
                Unit(id: "b", name: "Beta", units: [Unit(id: "b-support", name: "Support")]),
            ]),
        ])"#,
    );
    write("events.ron", "[]");
    write("sources.ron", r#"[Source(key: "memo", title: "Memo")]"#);
    dir
}

#[test]
fn a_unit_argument_that_names_nothing_or_several_is_a_usage_error() {
    let dir = two_supports();
    let data = dir.path().to_str().unwrap();
    for command in [
        vec!["show"],
        vec!["lineage"],
        vec!["diff", "2020", "2020", "--under"],
        vec!["timeline", "--under"],
        vec!["report", "2020", "2020", "--under"],
    ] {
        for unit in ["Support", "nosuch"] {
            let out = reorg()
                .args(["--data", data])
                .args(&command)
                .arg(unit)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{command:?} {unit}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            if unit == "Support" {
                assert!(
                    stderr.contains("a-support") && stderr.contains("b-support"),
                    "{command:?} lists the candidates: {stderr}"
                );
            }
        }
    }
}

#[test]
fn find_and_snapshots_write_a_file_with_dash_o() {
    let dir = tempfile::tempdir().unwrap();
    for (args, name, start) in [
        (
            vec!["find", "intel", "--format", "csv"],
            "found.csv",
            "unit,years,kind,parent,id,matched\n",
        ),
        (
            vec!["snapshots", "--format", "csv"],
            "snapshots.csv",
            "date,id,scope,title,units,sources\n",
        ),
    ] {
        let path = dir.path().join(name);
        let out = reorg().args(&args).arg("-o").arg(&path).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} wrote to the file only");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(start), "{text}");
    }
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 2, "no temporary file left behind");
}

#[test]
fn find_csv_and_markdown_escape_what_they_print() {
    let data = fixture("hostile");
    let csv = stdout_of(&["--data", &data, "find", "sum", "--format", "csv"]);
    assert!(csv.contains("\n'@SUM(A1:A2),"), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
    let md = stdout_of(&["--data", &data, "find", "audit", "--format", "md"]);
    assert!(
        md.starts_with("| unit | years | kind | parent | id | matched |\n|---|"),
        "{md}"
    );
    assert!(md.contains("Audit \\\\ Review \\| Unit (A\\|R)"), "{md}");
    for line in md.lines().filter(|l| !l.starts_with("|---")) {
        assert_eq!(line.matches(" | ").count(), 5, "six cells: {line}");
    }
}

#[test]
fn a_find_that_matches_nothing_succeeds_in_every_format() {
    for format in ["table", "json", "csv", "md"] {
        let out = reorg()
            .args(["find", "zzzqqq", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr.contains("no unit matches `zzzqqq`"),
            format == "table",
            "{format}: {stderr}"
        );
    }
}

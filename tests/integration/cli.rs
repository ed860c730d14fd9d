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
    assert_eq!(out.status.code(), Some(1));
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

//! `reorg check` on a fixture of bad datasets, one per rule. Each fixture
//! directory holds an `expected` file of lines `RULE FILE:LINE`; the
//! diagnostics must name exactly those rules, files and lines. Then how the
//! other commands refuse bad input: with those diagnostics, never a crash.

use std::path::Path;

use crate::util::{fixture, reorg, stdout_of};

#[test]
fn the_embedded_dataset_is_clean() {
    let out = stdout_of(&["check"]);
    assert!(out.contains("no problems found"), "{out}");
}

#[test]
fn every_bad_dataset_is_reported_at_the_right_place() {
    let root = fixture("bad");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 12, "one fixture per rule");
    for dir in dirs {
        check_fixture(&dir);
    }
}

fn check_fixture(dir: &Path) {
    let out = reorg().arg("check").arg(dir).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{}: {stderr}", dir.display());
    let headers: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error[")).collect();
    let places: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .collect();
    let expected = std::fs::read_to_string(dir.join("expected")).unwrap();
    let expected: Vec<(&str, &str)> = expected
        .lines()
        .map(|l| l.split_once(' ').expect("RULE FILE:LINE"))
        .collect();
    assert_eq!(
        headers.len(),
        expected.len(),
        "{}: wrong number of problems:\n{stderr}",
        dir.display()
    );
    for ((rule, place), (header, found)) in expected.iter().zip(headers.iter().zip(&places)) {
        assert!(
            header.starts_with(&format!("error[{rule}]")),
            "{}: expected rule {rule}, got {header}\n{stderr}",
            dir.display()
        );
        let wanted = format!("{}/{place}:", dir.display());
        assert!(
            found.starts_with(&wanted),
            "{}: expected {wanted}, got {found}\n{stderr}",
            dir.display()
        );
    }
    assert!(
        stderr.contains("= help: "),
        "{}: advice given",
        dir.display()
    );
}

#[test]
fn a_syntax_error_shows_the_line_and_a_caret() {
    let out = reorg()
        .arg("check")
        .arg(fixture("bad/syntax"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("7 |         Unit(id: \"org\", name: \"Org\" units: []),"),
        "{stderr}"
    );
    assert!(stderr.contains("^"), "{stderr}");
}

#[test]
fn commands_refuse_a_bad_dataset_and_say_how_to_see_why() {
    let out = reorg()
        .args(["--data", &fixture("bad/bad-date"), "show"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[bad-date]"), "{stderr}");
    assert!(stderr.contains("reorg check"), "{stderr}");
}

/// Runs `reorg ARGS`, requires exit 3 (bad data: a refusal, not a
/// crash), and returns stderr.
fn refused(args: &[&str]) -> String {
    let out = reorg().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(3), "reorg {args:?}: {stderr}");
    stderr
}

#[test]
fn commands_refuse_an_event_the_history_cannot_use() {
    // A rename with nothing in `from` once crashed every command that
    // builds the history.
    let data = fixture("bad/event-shape-empty-side");
    for command in [
        &["timeline"][..],
        &["lineage", "u"],
        &["diff", "2001", "2002"],
        &["export", "--format", "popolo"],
    ] {
        let mut args = vec!["--data", data.as_str()];
        args.extend_from_slice(command);
        let stderr = refused(&args);
        assert!(stderr.contains("error[event-shape]"), "{stderr}");
        assert!(stderr.contains("events.ron:2:17"), "{stderr}");
    }
}

#[test]
fn commands_refuse_units_nested_too_deep() {
    let data = fixture("bad/too-deep");
    for command in [&["show"][..], &["export", "--format", "csv"]] {
        let mut args = vec!["--data", data.as_str()];
        args.extend_from_slice(command);
        let stderr = refused(&args);
        assert!(stderr.contains("error[too-deep]: unit `u101`"), "{stderr}");
        assert!(stderr.contains("too-deep/2001.ron:107:10"), "{stderr}");
        assert!(stderr.contains("at most 100 levels"), "{stderr}");
    }
}

#[test]
fn a_hostile_nesting_depth_is_refused_without_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 100_000;
    let mut snapshot = String::from("Snapshot(id: \"s\", date: \"2001\", title: \"t\", units: [\n");
    for i in 0..depth {
        snapshot.push_str(&format!("Unit(id: \"u{i}\", name: \"U\", units: [\n"));
    }
    snapshot.push_str(&"])".repeat(depth));
    snapshot.push_str("])\n");
    std::fs::write(dir.path().join("2001.ron"), snapshot).unwrap();
    let data = dir.path().to_str().unwrap();
    for args in [&["check", data][..], &["--data", data, "show"]] {
        let stderr = refused(args);
        assert!(stderr.contains("error[too-deep]"), "{stderr}");
        assert!(stderr.contains("2001.ron:"), "{stderr}");
    }
}

#[test]
fn a_byte_order_mark_is_accepted_and_positions_stay_right() {
    let dir = tempfile::tempdir().unwrap();
    let tiny = fixture("good/tiny");
    for name in ["2020.ron", "events.ron", "sources.ron"] {
        let text = std::fs::read_to_string(format!("{tiny}/{name}")).unwrap();
        std::fs::write(dir.path().join(name), format!("\u{feff}{text}")).unwrap();
    }
    let data = dir.path().to_str().unwrap();
    assert!(stdout_of(&["check", data]).contains("no problems found"));
    assert!(stdout_of(&["--data", data, "show"]).contains("Finance"));
    // The mark is not a column: `date: "2001-13"` is at line 3, column 11.
    let stderr = refused(&["check", &fixture("bad/bom")]);
    assert!(stderr.contains("bom/2001.ron:3:11"), "{stderr}");
}

#[test]
fn a_file_that_is_not_utf8_is_located_at_its_first_bad_byte() {
    let stderr = refused(&["check", &fixture("bad/encoding")]);
    assert!(
        stderr.contains("error[encoding]: the file is not UTF-8 text: byte 0xE9"),
        "{stderr}"
    );
    assert!(stderr.contains("encoding/2001.ron:4:16"), "{stderr}");
    assert!(stderr.contains("help: save the file as UTF-8"), "{stderr}");
}

#[cfg(target_os = "linux")]
#[test]
fn init_reports_a_failed_write_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reorg"))
        .arg("init")
        .arg(dir.path().join("new"))
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("error: cannot write to standard output"),
        "{stderr}"
    );
}

/// A dataset directory of the given files, with empty events and sources
/// unless given.
fn dataset(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["events.ron", "sources.ron"] {
        std::fs::write(dir.path().join(name), "[]\n").unwrap();
    }
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn commented_out_units_and_dates_are_not_pointed_at() {
    let dir = dataset(&[(
        "2001.ron",
        "Snapshot(\n  id: \"s\",\n  // date: \"2001-13\",\n  /* date: \"2001-13\", */ date: \"2001-13\",\n  title: \"t\",\n  units: [\n    // Unit(id: \"e\", name: \"\"),\n    Unit(id: \"r\", name: \"R\", units: [\n      Unit(id: \"e\", name: \"\"),\n    ]),\n  ],\n)\n",
    )]);
    let stderr = refused(&["check", dir.path().to_str().unwrap()]);
    assert!(
        stderr.contains("2001.ron:4:32"),
        "the date after the comment: {stderr}"
    );
    let dir = dataset(&[(
        "2001.ron",
        "Snapshot(id: \"s\", date: \"2001\", title: \"t\", units: [\n  // Unit(id: \"e\", name: \"\"),\n  /* Unit(id: \"e\", name: \"\"), */\n  Unit(id: \"r\", name: \"R\", units: [\n    Unit(id: \"e\", name: \"\"),\n  ]),\n])\n",
    )]);
    let stderr = refused(&["check", dir.path().to_str().unwrap()]);
    assert!(stderr.contains("error[empty-name]"), "{stderr}");
    assert!(
        stderr.contains("2001.ron:5:14"),
        "the unit after the comments: {stderr}"
    );
}

#[test]
fn a_long_line_is_shown_as_a_window_around_the_problem() {
    // One line of about 2 MB with its problem in the middle.
    let filler = format!("Unit(id: \"f\", name: \"{}\"), ", "x".repeat(1_000_000));
    let text = format!(
        "Snapshot(id: \"s\", date: \"2001\", title: \"t\", units: [Unit(id: \"r\", name: \"R\", units: [{filler}Unit(id: \"e\", name: \"\"), Unit(id: \"g\", name: \"{}\")])])\n",
        "y".repeat(1_000_000)
    );
    let dir = dataset(&[("2001.ron", &text)]);
    let stderr = refused(&["check", dir.path().to_str().unwrap()]);
    assert!(stderr.len() < 2_000, "{} bytes of stderr", stderr.len());
    assert!(stderr.contains("2001.ron:1:1000120"), "{stderr}");
    assert!(stderr.contains("…"), "the line is cut: {stderr}");
}

#[test]
fn messages_speak_of_fields_not_rust_types() {
    let dir = dataset(&[
        (
            "2001.ron",
            "Snapshot(id: \"s\", date: \"2001\", title: \"t\", units: [Unit(id: \"a\", name: \"A\")])\n",
        ),
        (
            "events.ron",
            "[Event(date: \"2001\", kind: vanished, from: [\"a\"], confidence: high)]\n",
        ),
    ]);
    let stderr = refused(&["check", dir.path().to_str().unwrap()]);
    assert!(
        stderr.contains("`vanished` is not a value of this field"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("ChangeKind") && !stderr.contains("enum"),
        "{stderr}"
    );
}

#[test]
fn empty_snapshot_ids_and_titles_and_ids_with_control_characters_are_refused() {
    let dir = dataset(&[
        (
            "2001.ron",
            "Snapshot(id: \"\", date: \"2001\", title: \" \", units: [Unit(id: \"a\", name: \"A\")])\n",
        ),
        (
            "2002.ron",
            "Snapshot(id: \"x\\ny\", date: \"2002\", title: \"t\", units: [Unit(id: \"a\\tb\", name: \"A\")])\n",
        ),
    ]);
    let data = dir.path().to_str().unwrap();
    let stderr = refused(&["check", data]);
    for expected in [
        "error[empty-name]: the snapshot has an empty id",
        "error[empty-name]: the snapshot has an empty title",
        "error[bad-id]: id `x\\ny` holds a control character",
        "error[bad-id]: id `a\\tb` holds a control character",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    // Every command refuses such a dataset; none prints a broken header.
    let stderr = refused(&["--data", data, "show"]);
    assert!(stderr.contains("error[bad-id]"), "{stderr}");
}

//! `reorg check` on a fixture of bad datasets, one per rule. Each fixture
//! directory holds an `expected` file of lines `RULE FILE:LINE`; the
//! diagnostics must name exactly those rules, files and lines.

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
    assert_eq!(out.status.code(), Some(1), "{}: {stderr}", dir.display());
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
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[bad-date]"), "{stderr}");
    assert!(stderr.contains("reorg check"), "{stderr}");
}

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

/// Runs `reorg --data tiny ARGS -o TARGET` and returns its output.
fn write_to(target: &std::path::Path, args: &[&str]) -> std::process::Output {
    reorg()
        .args(["--data", &fixture("good/tiny")])
        .args(args)
        .arg("-o")
        .arg(target)
        .output()
        .unwrap()
}

/// What `reorg --data tiny snapshots --format csv` prints.
fn tiny_snapshots() -> String {
    stdout_of(&[
        "--data",
        &fixture("good/tiny"),
        "snapshots",
        "--format",
        "csv",
    ])
}

#[cfg(unix)]
#[test]
fn dash_o_writes_through_a_fifo_and_keeps_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = write_to(&fifo, &["snapshots", "--format", "csv"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(reader.join().unwrap(), tiny_snapshots());
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "still a FIFO");
}

#[cfg(unix)]
#[test]
fn dash_o_replaces_the_file_a_symlink_names_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.csv");
    let link = dir.path().join("link.csv");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    let out = write_to(&link, &["snapshots", "--format", "csv"]);
    assert!(out.status.success(), "{out:?}");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&real).unwrap(), tiny_snapshots());
    // A dangling link: the file it names is created.
    std::fs::remove_file(&real).unwrap();
    assert!(write_to(&link, &["snapshots"]).status.success());
    assert!(real.is_file());
}

#[cfg(unix)]
#[test]
fn dash_o_keeps_the_mode_of_the_file_it_replaces() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let private = dir.path().join("private.csv");
    std::fs::write(&private, "old").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(write_to(&private, &["snapshots"]).status.success());
    let mode = std::fs::metadata(&private).unwrap().permissions().mode();
    assert_eq!(mode & 0o7777, 0o600);
    assert_ne!(std::fs::read_to_string(&private).unwrap(), "old");
    // A new file gets what any program's would (the umask applies), not
    // the temporary file's owner-only mode.
    let made = dir.path().join("made-by-std");
    std::fs::write(&made, "").unwrap();
    let new = dir.path().join("new.csv");
    assert!(write_to(&new, &["snapshots"]).status.success());
    let mode_of = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode();
    assert_eq!(mode_of(&new), mode_of(&made));
}

#[cfg(unix)]
#[test]
fn dash_o_writes_a_hard_linked_file_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.csv");
    let two = dir.path().join("two.csv");
    std::fs::write(&one, "old").unwrap();
    std::fs::hard_link(&one, &two).unwrap();
    assert!(write_to(&one, &["snapshots", "--format", "csv"])
        .status
        .success());
    assert_eq!(std::fs::read_to_string(&two).unwrap(), tiny_snapshots());
}

#[cfg(unix)]
#[test]
fn dash_o_refuses_a_read_only_file_and_a_directory() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked.csv");
    std::fs::write(&locked, "old").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = write_to(&locked, &["snapshots"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is read-only"));
    assert_eq!(std::fs::read_to_string(&locked).unwrap(), "old");
    let out = write_to(dir.path(), &["snapshots"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a directory"));
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file left behind");
}

/// Every file of a directory and its bytes.
fn contents(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    all.sort();
    all
}

#[test]
fn dash_o_refuses_a_file_the_command_reads() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    for name in ["2020.ron", "events.ron", "sources.ron"] {
        std::fs::copy(format!("{}/{name}", fixture("good/tiny")), data.join(name)).unwrap();
    }
    let chart = dir.path().join("chart.csv");
    std::fs::write(&chart, "id,name\na,A\n").unwrap();
    let before = (contents(&data), std::fs::read(&chart).unwrap());
    let d = data.to_str().unwrap();
    let c = chart.to_str().unwrap();
    let snapshot = format!("{d}/2020.ron");
    let events = format!("{d}/events.ron");
    let new_ron = format!("{d}/report.RON");
    for (args, says) in [
        (
            vec!["--data", d, "show", "-o", &snapshot],
            "this command reads",
        ),
        (
            vec!["--data", d, "diff", "2020", "2020", "-o", &events],
            "this command reads",
        ),
        (
            vec!["--data", d, "show", "-o", &new_ron],
            "read as part of the dataset",
        ),
        (
            vec!["import", c, "--date", "2020", "-o", c],
            "this command reads",
        ),
        (
            vec!["import", c, "--date", "2020", "-o", &events],
            "curated events",
        ),
    ] {
        let out = reorg().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert_eq!((contents(&data), std::fs::read(&chart).unwrap()), before);
    // Other files in the dataset's directory are fine.
    let report = format!("{d}/report.txt");
    let out = reorg()
        .args(["--data", d, "show", "-o", &report])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

/// A CSV chart of `rows` units under one root.
fn big_chart(rows: usize) -> String {
    let mut csv = String::from("id,name,parent,description\nroot,Root,,\n");
    for i in 0..rows {
        csv.push_str(&format!("u{i},Unit {i},root,{}\n", "words ".repeat(8)));
    }
    csv
}

#[cfg(unix)]
#[test]
fn sigterm_while_writing_leaves_no_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let chart = dir.path().join("chart.csv");
    std::fs::write(&chart, big_chart(50_000)).unwrap();
    let target = dir.path().join("out.ron");
    let temporary = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".reorg-tmp-"))
    };
    let mut caught = false;
    for _ in 0..5 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_reorg"))
            .arg("import")
            .arg(&chart)
            .args(["--date", "2020", "-o"])
            .arg(&target)
            .spawn()
            .unwrap();
        while !temporary() && child.try_wait().unwrap().is_none() {}
        let killed = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!temporary(), "a temporary file is left: {status:?}");
        if killed.success() && status.signal() == Some(15) {
            caught = true;
            break;
        }
        let _ = std::fs::remove_file(&target);
    }
    assert!(caught, "the write was never interrupted");
}

#[test]
fn exit_codes_follow_the_design() {
    let tiny = fixture("good/tiny");
    let restored = fixture("good/restored");
    let code = |args: &[&str]| reorg().args(args).output().unwrap().status.code();
    assert_eq!(code(&["--data", &tiny, "show"]), Some(0));
    assert_eq!(
        code(&["--data", &tiny, "diff", "2020", "2020", "--exit-code"]),
        Some(0)
    );
    let changes = code(&["--data", &restored, "diff", "2001", "2003", "--exit-code"]);
    assert_eq!(changes, Some(1));
    assert_eq!(code(&["show", "--at", "someday"]), Some(2));
    assert_eq!(code(&["show", "--no-such-option"]), Some(2));
    assert_eq!(code(&["--data", &fixture("bad/syntax"), "show"]), Some(3));
    assert_eq!(code(&["--data", "/no/such/dir", "show"]), Some(3));
    assert_eq!(code(&["check", &fixture("bad/syntax")]), Some(3));
    let help = stdout_of(&["--help"]);
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("1 changes found (only with diff --exit-code)"),
        "{help}"
    );
    assert!(help.contains("3 bad data or I/O"), "{help}");
}

#[test]
fn an_empty_reorg_data_is_as_good_as_none() {
    let out = reorg()
        .env("REORG_DATA", "")
        .arg("snapshots")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("2003-06-09"));
}

#[test]
fn a_date_of_several_intervals_is_named_whole() {
    let out = reorg()
        .args(["show", "--at", "2010/2011/2012"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`2010/2011/2012` has more than one `/`"),
        "{stderr}"
    );
}

#[test]
fn export_csv_writes_dates_that_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "a.ron",
        r#"Snapshot(id: "a", date: "../2001", title: "A", units: [Unit(id: "r", name: "R", units: [Unit(id: "x", name: "X")])])"#,
    );
    write(
        "b.ron",
        r#"Snapshot(id: "b", date: "2005/..", title: "B", units: [Unit(id: "r", name: "R", units: [Unit(id: "y", name: "Y")])])"#,
    );
    write("events.ron", "[]");
    write("sources.ron", "[]");
    let csv = stdout_of(&[
        "--data",
        dir.path().to_str().unwrap(),
        "export",
        "--format",
        "csv",
    ]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let dates: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[5].to_string())
        .collect();
    assert!(!dates.is_empty(), "{csv}");
    for date in dates {
        assert!(reorg::date::Date::parse(&date).is_ok(), "{date} in {csv}");
    }
}

//! `reorg convert` on hand-made tables over the agency of
//! tests/fixtures/good/crosswalk, and the example under
//! examples/crosswalk/.

use std::collections::BTreeMap;
use std::path::Path;

use crate::crosswalk::agency;
use crate::util::reorg;

/// What `reorg convert` did in a temporary directory.
struct Converted {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    dir: tempfile::TempDir,
}

/// Runs `reorg --data DATA convert table.csv ARGS` (the embedded dataset
/// when `data` is empty) in a temporary directory holding `table.csv`.
fn convert(data: &str, table: &[u8], args: &[&str]) -> Converted {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("table.csv"), table).unwrap();
    let mut cmd = reorg();
    if !data.is_empty() {
        cmd.args(["--data", data]);
    }
    let out = cmd
        .current_dir(dir.path())
        .args(["convert", "table.csv"])
        .args(args)
        .output()
        .unwrap();
    Converted {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        dir,
    }
}

/// The rows of a CSV, by their first cell.
fn by_key(csv: &str) -> BTreeMap<String, Vec<String>> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: BTreeMap<String, Vec<String>> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r.iter().map(str::to_string).collect())
        })
        .collect();
    assert!(!rows.is_empty(), "{csv}");
    rows
}

fn header(csv: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect()
}

#[test]
fn merged_units_are_summed_and_split_units_divided_equally_or_by_shares() {
    let agency = agency();
    let table = b"office,staff,budget,note\na,10,1.5,north\nb,20,2.5,south\ne,30,3,\nf,40,4,big\nd,5,0.5,\n";
    let plain = convert(
        &agency,
        table,
        &["--key", "office", "--from", "2001", "--to", "2002"],
    );
    assert_eq!(plain.code, Some(0), "{}", plain.stderr);
    assert_eq!(
        header(&plain.stdout),
        ["office", "staff", "budget", "note", "from_keys", "shares"]
    );
    let rows = by_key(&plain.stdout);
    assert_eq!(
        rows["ab"],
        ["ab", "30", "4", "north; south", "a; b", "whole"]
    );
    assert_eq!(rows["e1"], ["e1", "15", "1.5", "", "e", "equal"]);
    assert_eq!(rows["e2"], ["e2", "15", "1.5", "", "e", "equal"]);
    assert_eq!(rows["f1"], ["f1", "20", "2", "big", "f", "equal"]);
    assert_eq!(rows["d"], ["d", "5", "0.5", "", "d", "whole"]);
    assert!(
        plain
            .stderr
            .contains("staff: 105 read = 105 written + 0 set aside"),
        "{}",
        plain.stderr
    );
    assert!(plain.stderr.contains("equal shares"), "{}", plain.stderr);

    std::fs::write(
        plain.dir.path().join("shares.csv"),
        "unit,part,share\nf,f1,0.25\nf,f2,0.75\n",
    )
    .unwrap();
    let shares = plain.dir.path().join("shares.csv");
    let given = convert(
        &agency,
        table,
        &[
            "--key",
            "office",
            "--from",
            "2001",
            "--to",
            "2002",
            "--shares",
            shares.to_str().unwrap(),
        ],
    );
    let rows = by_key(&given.stdout);
    assert_eq!(rows["f1"][1..3], ["10", "1"]);
    assert_eq!(rows["f2"][1..3], ["30", "3"]);
    assert_eq!(rows["f2"][5], "given");
    assert_eq!(rows["e1"][5], "equal", "no shares given for Echo");
}

#[test]
fn keys_that_name_no_unit_or_several_are_set_aside_with_their_row() {
    let agency = agency();
    let table = b"office,staff\nAlpha Office,10\nMission Support,7\nNowhere,3\nDELTA OFFICE,5\n";
    let out = convert(
        &agency,
        table,
        &[
            "--key",
            "office",
            "--by",
            "name",
            "--from",
            "2001",
            "--to",
            "2002",
            "--rejects",
            "rejects.csv",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let stderr = &out.stderr;
    assert!(
        stderr.contains("row 3: `Mission Support` names several units at 2001: Mission Support [x-ms] under Operations Directorate; Mission Support [y-ms] under Services Directorate"),
        "{stderr}"
    );
    assert!(
        stderr.contains("row 4: no unit of any era is named `Nowhere`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("staff: 25 read = 15 written + 10 set aside"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the rows set aside are in rejects.csv"),
        "{stderr}"
    );
    let rejects = std::fs::read_to_string(out.dir.path().join("rejects.csv")).unwrap();
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(rejects.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(header(&rejects), ["row", "reason", "office", "staff"]);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[0][0].as_str(),
            rows[0][2].as_str(),
            rows[0][3].as_str()
        ),
        ("3", "Mission Support", "7")
    );
    assert_eq!(rows[1][0], "4");
    assert_eq!(
        header(&out.stdout),
        ["office", "staff", "id", "from_keys", "shares"],
        "keyed by name, the output says each unit's id too"
    );
    let rows = by_key(&out.stdout);
    assert_eq!(
        rows["Alpha-Bravo Office"][1..],
        ["10", "ab", "Alpha Office", "whole"]
    );
    assert_eq!(rows["Delta Office"][1..3], ["5", "d"]);
}

#[test]
fn names_and_ids_from_other_eras_name_the_unit_at_from() {
    let agency = agency();
    let table = b"office,staff\nOld Gazette Office,4\n";
    let out = convert(
        &agency,
        table,
        &[
            "--key", "office", "--by", "name", "--from", "2001", "--to", "2002",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(by_key(&out.stdout)["Gazette Office"][1..3], ["4", "g"]);

    // An id of 2008 names HSI in 2012; a unit gone by FROM names nothing.
    let table = b"office,staff\nice-oi,100\nice-fps,50\n";
    let out = convert(
        "",
        table,
        &["--key", "office", "--from", "2012", "--to", "2024"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(by_key(&out.stdout)["hsi"][1..3], ["100", "ice-oi"]);
    assert!(
        out.stderr
            .contains("`ice-fps` names Federal Protective Service (FPS) [ice-fps] (seen"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("which is not in the organization at 2012"),
        "{}",
        out.stderr
    );
}

#[test]
fn results_roll_up_to_ancestors_of_a_kind_or_depth() {
    let agency = agency();
    let table = b"office,staff\na,10\nb,20\nc,1\ne,30\nagency,2\n";
    let base = ["--key", "office", "--from", "2001", "--to", "2002"];
    let by_kind = convert(
        &agency,
        table,
        &[&base[..], &["--level", "directorate"]].concat(),
    );
    assert_eq!(by_kind.code, Some(0), "{}", by_kind.stderr);
    let rows = by_key(&by_kind.stdout);
    assert_eq!(rows.keys().collect::<Vec<_>>(), ["agency", "x", "y"]);
    assert_eq!(rows["x"][1..3], ["30".to_string(), "a; b".to_string()]);
    assert_eq!(rows["y"][1..3], ["31".to_string(), "c; e".to_string()]);
    assert!(
        by_kind
            .stderr
            .contains("no ancestor of that kind (the first: Agency)"),
        "{}",
        by_kind.stderr
    );
    let by_depth = convert(&agency, table, &[&base[..], &["--depth", "2"]].concat());
    assert_eq!(by_depth.stdout, by_kind.stdout);

    let none = convert(
        &agency,
        table,
        &[&base[..], &["--level", "bureau"]].concat(),
    );
    assert_eq!(none.code, Some(2), "the command line must change");
    assert!(
        none.stderr
            .contains("the kinds at TO are agency, directorate, office"),
        "{}",
        none.stderr
    );
    let zero = convert(&agency, table, &[&base[..], &["--depth", "0"]].concat());
    assert_eq!(zero.code, Some(2), "{}", zero.stderr);
}

#[test]
fn shares_of_units_gone_by_to_are_set_aside_and_totals_kept() {
    let agency = agency();
    let table = b"office,staff\nt,8\ne,10\ny-ms,1\n";
    let out = convert(
        &agency,
        table,
        &[
            "--key",
            "office",
            "--from",
            "2001",
            "--to",
            "2003",
            "--rejects",
            "r.csv",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rows = by_key(&out.stdout);
    assert_eq!(rows["d"][1], "5", "half of Echo, through Echo North");
    assert_eq!(rows["e2"][1], "5");
    assert!(
        out.stderr
            .contains("staff: 19 read = 10 written + 9 set aside"),
        "{}",
        out.stderr
    );
    let rejects = std::fs::read_to_string(out.dir.path().join("r.csv")).unwrap();
    assert!(
        rejects.contains("Tango Office [t]: transferred_out to Another Agency"),
        "{rejects}"
    );
    assert!(
        rejects.contains("Mission Support [y-ms]: disappeared"),
        "{rejects}"
    );
}

/// What a bad table gives: exit 3, a message naming the place, and no
/// files written.
fn refused(table: &[u8], extra: &[&str], expected: &str) {
    let agency = agency();
    let mut args = vec![
        "--key",
        "office",
        "--from",
        "2001",
        "--to",
        "2002",
        "-o",
        "out.csv",
        "--rejects",
        "r.csv",
    ];
    args.extend_from_slice(extra);
    let out = convert(&agency, table, &args);
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    assert!(out.stderr.contains("table.csv: "), "{}", out.stderr);
    assert!(
        out.stderr.contains(expected),
        "expected `{expected}` in {}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
    let left: Vec<String> = std::fs::read_dir(out.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["table.csv"], "nothing half-written is left behind");
}

#[test]
fn a_bad_table_is_refused_naming_the_row_and_column() {
    refused(
        b"unit,staff\na,1\n",
        &[],
        "the table has no column `office`",
    );
    refused(b"unit,staff\na,1\n", &[], "the columns are unit, staff");
    refused(
        b"office,staff\na,1\nb,12a\n",
        &["--sum", "staff"],
        "row 3, column `staff`: `12a` is not a number",
    );
    refused(
        b"office,staff\na,1\n",
        &["--sum", "budget"],
        "--sum names `budget`, which is not a column",
    );
    refused(b"", &[], "the table is empty");
    refused(
        b"office,staff\na,1\nb,\xff\xfe\n",
        &[],
        "row 3, column `staff`: this cell is not UTF-8",
    );
    refused(
        b"office,staff\na,1\nb,2,3\n",
        &[],
        "row 3: this row has 3 cells, the header 2",
    );
    refused(
        b"office,shares\na,1\n",
        &[],
        "the table has a column `shares`, which the converted table adds",
    );
    refused(
        b"office,office\na,b\n",
        &[],
        "names the column `office` twice",
    );
}

#[test]
fn a_table_with_a_header_and_no_rows_converts_to_a_header_with_a_warning() {
    let out = convert(
        &agency(),
        b"office,staff\n",
        &["--key", "office", "--from", "2001", "--to", "2002"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stdout, "office,staff,from_keys,shares\n",
        "`staff` holds no number: text"
    );
    assert!(
        out.stderr.contains("warning: the table has no rows"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_output_never_replaces_the_table_it_reads() {
    let table = b"office,staff\nd,5\n";
    for option in ["-o", "--rejects"] {
        let args = [
            "--key",
            "office",
            "--from",
            "2001",
            "--to",
            "2002",
            option,
            "table.csv",
        ];
        let out = convert(&agency(), table, &args);
        assert_eq!(out.code, Some(2), "{option}: {}", out.stderr);
        assert!(
            out.stderr.contains("this command reads that file"),
            "{}",
            out.stderr
        );
        let kept = std::fs::read(out.dir.path().join("table.csv")).unwrap();
        assert_eq!(kept, table);
    }
}

#[test]
fn duplicate_keys_are_summed_with_a_warning_and_text_columns_are_not_summed() {
    let agency = agency();
    let table = b"office,staff,code\nd,5,10\nd,7,x\nD,1,\n";
    let out = convert(
        &agency,
        table,
        &[
            "--key", "office", "--by", "name", "--from", "2001", "--to", "2002", "--text", "first",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rows = by_key(&out.stdout);
    assert_eq!(
        rows["Delta Office"][1..],
        ["13", "10", "d", "d; D", "whole"]
    );
    assert!(
        out.stderr.contains("2 rows name a unit that an earlier row names (the first: row 3 names Delta Office, as row 2 does); their values are summed"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("code:"),
        "`code` holds text: not summed"
    );

    let dropped = convert(
        &agency,
        table,
        &[
            "--key", "office", "--by", "name", "--from", "2001", "--to", "2002", "--text", "drop",
        ],
    );
    assert_eq!(
        header(&dropped.stdout),
        ["office", "staff", "id", "from_keys", "shares"]
    );
}

#[test]
fn converted_cells_are_guarded_against_formulas_but_numbers_stay_numbers() {
    let agency = agency();
    let table =
        "office,balance,note\nd,-12.5,\"=HYPERLINK(\"\"http://x\"\")\"\nnowhere,-1,@SUM(A1)\n"
            .as_bytes();
    let out = convert(
        &agency,
        table,
        &[
            "--key",
            "office",
            "--from",
            "2001",
            "--to",
            "2002",
            "--rejects",
            "r.csv",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rows = by_key(&out.stdout);
    assert_eq!(rows["d"][1..3], ["-12.5", "'=HYPERLINK(\"http://x\")"]);
    let rejects = std::fs::read_to_string(out.dir.path().join("r.csv")).unwrap();
    assert!(rejects.contains(",-1,'@SUM(A1)"), "{rejects}");
}

#[test]
fn the_example_is_current() {
    let root = env!("CARGO_MANIFEST_DIR");
    let example = Path::new(root).join("examples/crosswalk");
    let command = std::fs::read_to_string(example.join("command.txt")).unwrap();
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    assert_eq!(command.split_whitespace().next(), Some("reorg"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        example.join("staff-2008.csv"),
        dir.path().join("staff-2008.csv"),
    )
    .unwrap();
    let out = reorg()
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in ["staff-2024.csv", "rejects.csv"] {
        let made = std::fs::read_to_string(dir.path().join(file)).unwrap();
        let kept = std::fs::read_to_string(example.join(file)).unwrap();
        assert_eq!(
            made, kept,
            "examples/crosswalk/{file} is out of date: run {command}"
        );
    }
    let report = std::fs::read_to_string(example.join("report.txt")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        report,
        "examples/crosswalk/report.txt"
    );
}

//! Generated hostile input, seeded so that every run tries the same cases:
//! datasets and CSV, outline and JSON charts, each made valid and then
//! damaged (cut short, bytes removed or inserted, strings replaced by
//! hostile ones, bytes that are not UTF-8, lines repeated or swapped).
//!
//! Whatever the input, `reorg` must not panic, must exit 0 (the damage
//! happened to leave valid input) or 3 (bad data), must give every problem
//! a file and, but for problems of a whole file, a line and column, must
//! speak in the user's terms, keep its error output short, and change no
//! file but the one it was asked to write.

use std::path::Path;

use crate::util::reorg;

/// SplitMix64: a small seeded generator, so that failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Strings that have broken parsers and terminals before.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "a\nb",
    "tab\there",
    "\u{1b}[2J\u{1b}[31mred",
    "\u{202e}reversed",
    "=HYPERLINK(\"x\")",
    "\\",
    "\"",
    "é",
    "💥",
    "\u{0}",
    "// id: \"x\"",
    "/* date: \"2001\" */",
];

/// Pieces of syntax to drop into a file at random.
const TOKENS: &[&str] = &[
    "\"",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ";",
    "//",
    "/*",
    "*/",
    "\\",
    "\n",
    "\r",
    "\t",
    "'",
    "r#\"",
    "é",
    "\u{0}",
    "\u{1b}[2J",
    "Some(",
    "#",
];

/// Bytes that UTF-8 forbids, alone or where they stand.
const NOT_UTF8: &[&[u8]] = &[b"\xff", b"\xe9", b"\xc3", b"\xed\xa0\x80"];

const BAD_DATES: &[&str] = &[
    "2001-13",
    "2010/2011/2012",
    "../..",
    "",
    "99999",
    "2001-02-30",
    "2001/1999",
    "2001~?",
];

/// Damages `text` in one random way.
fn damage(rng: &mut Rng, text: &mut Vec<u8>) {
    let at = |rng: &mut Rng, text: &Vec<u8>| rng.below(text.len() + 1);
    match rng.below(10) {
        0 => {
            let cut = at(rng, text);
            text.truncate(cut);
        }
        1 if !text.is_empty() => {
            let i = rng.below(text.len());
            text.remove(i);
        }
        2 | 3 => {
            let i = at(rng, text);
            let token = rng.pick(TOKENS).as_bytes();
            text.splice(i..i, token.iter().copied());
        }
        4 => replace_a_string(rng, text, |rng| rng.pick(HOSTILE).to_string()),
        5 => replace_a_string(rng, text, |rng| "x".repeat(20_000 + rng.below(50_000))),
        6 => {
            let i = at(rng, text);
            let bytes = rng.pick(NOT_UTF8);
            text.splice(i..i, bytes.iter().copied());
        }
        7 => {
            let bom = "\u{feff}".as_bytes();
            text.splice(0..0, bom.iter().copied());
        }
        8 => repeat_or_swap_lines(rng, text),
        _ => replace_a_string(rng, text, |rng| rng.pick(BAD_DATES).to_string()),
    }
}

/// Replaces the contents of one quoted string with what `make` gives,
/// written raw (quotes and newlines included).
fn replace_a_string(rng: &mut Rng, text: &mut Vec<u8>, make: impl Fn(&mut Rng) -> String) {
    let quotes: Vec<usize> = (0..text.len()).filter(|&i| text[i] == b'"').collect();
    if quotes.len() < 2 {
        return;
    }
    let open = rng.below(quotes.len() - 1);
    let (from, to) = (quotes[open] + 1, quotes[open + 1]);
    let new = make(rng);
    text.splice(from..to, new.bytes());
}

fn repeat_or_swap_lines(rng: &mut Rng, text: &mut Vec<u8>) {
    let mut lines: Vec<Vec<u8>> = text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
    if rng.below(2) == 0 {
        let line = lines[a].clone();
        lines.insert(b, line);
    } else {
        lines.swap(a, b);
    }
    *text = lines.join(&b'\n');
}

/// A valid dataset: three snapshots of a small tree that changes, curated
/// events and sources.
fn dataset(rng: &mut Rng) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let offices = 2 + rng.below(4);
    for (year, extra) in [("2001", 0), ("2003", 1), ("2005", 2)] {
        let mut units = String::new();
        for i in 0..offices + extra {
            units.push_str(&format!(
                "        Unit(id: \"o{i}\", name: \"Office {i}\", acronym: \"O{i}\", kind: \"office\", units: [\n            Unit(id: \"o{i}-d\", name: \"Division {i}\", sources: [\"memo\"]),\n        ]),\n"
            ));
        }
        let text = format!(
            "// The organization in {year}.\nSnapshot(\n    id: \"s{year}\",\n    date: \"{year}\",\n    title: \"The agency in {year}\",\n    sources: [\"memo\"],\n    units: [\n      Unit(id: \"root\", name: \"Agency\", units: [\n{units}      ]),\n    ],\n)\n"
        );
        files.push((format!("{year}.ron"), text.into_bytes()));
    }
    let events = "[\n    /* Curated. */\n    Event(date: \"2002-06\", kind: established, to: [\"o2\"], sources: [\"memo\"], confidence: high),\n    Event(date: \"2002/2003\", kind: renamed, from: [\"o0\"], to: [\"o0\"], note: \"same\", confidence: medium),\n]\n";
    files.push(("events.ron".to_string(), events.as_bytes().to_vec()));
    let sources = "[\n    Source(key: \"memo\", title: \"A memo\", url: \"https://example.org/memo\", date: \"2001-05\"),\n]\n";
    files.push(("sources.ron".to_string(), sources.as_bytes().to_vec()));
    files
}

/// Every file of a directory and its bytes, by name.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    all.sort();
    all
}

/// Problems of a whole file, which have no line.
const WHOLE_FILE_RULES: &[&str] = &["io", "no-units", "roots"];

/// Words that only a programmer would know.
const RUST_WORDS: &[&str] = &[
    "ChangeKind",
    "Confidence`",
    "SnapshotFile",
    "EventFile",
    "SourceEntry",
    "JsonRow",
    "Aliases",
    "untagged",
    "variant",
    "Option<",
    "Vec<",
    "panicked",
    "RUST_BACKTRACE",
];

/// Runs `reorg ARGS` and checks what every run must satisfy; returns the
/// exit code and stderr.
fn run(args: &[&str], case: &str) -> (i32, String) {
    let out = reorg().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        matches!(code, 0 | 3),
        "{case}: reorg {args:?} exited {code}:\n{stderr}"
    );
    assert!(
        stderr.len() < 200_000,
        "{case}: {} bytes of stderr",
        stderr.len()
    );
    for word in RUST_WORDS {
        assert!(!stderr.contains(word), "{case}: `{word}` in\n{stderr}");
    }
    every_problem_is_located(&stderr, case);
    (code, stderr)
}

/// Each `error[rule]` header is followed by `--> FILE:LINE:COLUMN` (or
/// `--> FILE` for problems of a whole file).
fn every_problem_is_located(stderr: &str, case: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(rule) = line
            .strip_prefix("error[")
            .and_then(|r| r.split(']').next())
        else {
            continue;
        };
        let place = lines
            .get(i + 1)
            .and_then(|l| l.trim_start().strip_prefix("--> "))
            .unwrap_or_else(|| panic!("{case}: no place for {line}\n{stderr}"));
        let mut parts = place.rsplitn(3, ':');
        let numbered = [parts.next(), parts.next()]
            .iter()
            .all(|p| p.is_some_and(|n| n.parse::<usize>().is_ok_and(|n| n > 0)));
        assert!(
            numbered || WHOLE_FILE_RULES.contains(&rule),
            "{case}: {line} has no line and column: {place}\n{stderr}"
        );
    }
}

#[test]
fn damaged_datasets_are_refused_with_located_problems() {
    let mut rng = Rng(0x5EED_0001);
    let mut refused = 0;
    for case in 0..100 {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        std::fs::create_dir(&data).unwrap();
        let mut files = dataset(&mut rng);
        for _ in 0..1 + rng.below(3) {
            let victim = rng.below(files.len());
            damage(&mut rng, &mut files[victim].1);
        }
        for (name, bytes) in &files {
            std::fs::write(data.join(name), bytes).unwrap();
        }
        let before = contents(&data);
        let d = data.to_str().unwrap();
        let out = root.path().join("out.json");
        let o = out.to_str().unwrap();
        let case = format!("dataset case {case}");
        let (checked, _) = run(&["check", d], &case);
        let (shown, _) = run(&["--data", d, "show"], &case);
        let (diffed, _) = run(
            &[
                "--data", d, "diff", "2001", "2005", "--format", "json", "-o", o,
            ],
            &case,
        );
        assert!(
            shown == 0 || checked == 3,
            "{case}: what show refuses, check reports"
        );
        assert_eq!(diffed == 0, out.exists(), "{case}: written only on success");
        assert_eq!(contents(&data), before, "{case}: the dataset is untouched");
        refused += usize::from(checked == 3);
    }
    assert!(refused >= 50, "most damage is found: {refused} of 100");
}

/// A valid chart of a few units in the format of `extension`.
fn chart(rng: &mut Rng, extension: &str) -> String {
    let units = 2 + rng.below(6);
    match extension {
        "csv" => {
            let mut csv = String::from("id,name,parent,kind,acronym,aliases,description\nroot,Agency,,agency,AG,,\"The agency, whole\"\n");
            for i in 0..units {
                csv.push_str(&format!(
                    "u{i},Office {i},root,office,O{i},Old {i};Older {i},\n"
                ));
            }
            csv
        }
        "txt" => {
            let mut outline = String::from("# An agency\nAgency (AG)\n");
            for i in 0..units {
                outline.push_str(&format!("  - Office {i} (O{i})\n    Division {i}\n"));
            }
            outline
        }
        _ => {
            let mut objects = vec![
                "{\"id\": \"root\", \"name\": \"Agency\", \"parent\": null, \"aliases\": [\"The Agency\"]}"
                    .to_string(),
            ];
            for i in 0..units {
                objects.push(format!(
                    "{{\"id\": \"u{i}\", \"name\": \"Office {i}\", \"parent\": \"root\", \"aliases\": \"Old {i};Older {i}\"}}"
                ));
            }
            format!("[\n  {}\n]\n", objects.join(",\n  "))
        }
    }
}

fn damaged_charts_are_refused(extension: &str, seed: u64) {
    let mut rng = Rng(seed);
    let mut refused = 0;
    for case in 0..60 {
        let dir = tempfile::tempdir().unwrap();
        let mut text = chart(&mut rng, extension).into_bytes();
        for _ in 0..1 + rng.below(2) {
            damage(&mut rng, &mut text);
        }
        let input = dir.path().join(format!("chart.{extension}"));
        std::fs::write(&input, &text).unwrap();
        let output = dir.path().join("out.ron");
        let case = format!("{extension} case {case}");
        let (code, _) = run(
            &[
                "import",
                input.to_str().unwrap(),
                "--date",
                "2020",
                "-o",
                output.to_str().unwrap(),
            ],
            &case,
        );
        assert_eq!(
            code == 0,
            output.exists(),
            "{case}: written only on success"
        );
        assert_eq!(
            std::fs::read(&input).unwrap(),
            text,
            "{case}: input untouched"
        );
        let names: Vec<String> = contents(dir.path()).into_iter().map(|(n, _)| n).collect();
        assert!(
            names.len() <= 2,
            "{case}: no temporary file left: {names:?}"
        );
        refused += usize::from(code == 3);
    }
    assert!(
        refused >= 15,
        "{extension}: damage is found: {refused} of 60"
    );
}

#[test]
fn damaged_csv_charts_are_refused_with_located_problems() {
    damaged_charts_are_refused("csv", 0x5EED_0002);
}

#[test]
fn damaged_outlines_are_refused_with_located_problems() {
    damaged_charts_are_refused("txt", 0x5EED_0003);
}

#[test]
fn damaged_json_charts_are_refused_with_located_problems() {
    damaged_charts_are_refused("json", 0x5EED_0004);
}

//! Every output format escapes what it prints: a dataset of hostile names
//! (`<script>`, `|`, quotes, backslashes, formulas, newlines, non-Latin
//! scripts; tests/fixtures/hostile) goes through each, and each output is
//! read back the way its consumers read it.

use crate::lineage::assert_valid_mermaid;
use crate::util::{reorg, stdout_of};

fn hostile(args: &[&str]) -> String {
    let data = crate::util::fixture("hostile");
    let mut all = vec!["--data", data.as_str()];
    all.extend_from_slice(args);
    stdout_of(&all)
}

const SCRIPT: &str = "<script>alert(1)</script>";

#[test]
fn html_never_holds_raw_markup_from_the_data() {
    let html = hostile(&["report", "2001", "2013", "--format", "html"]);
    assert!(!html.contains(SCRIPT), "raw script tag");
    assert!(html.contains("Ministry of &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("href=\"javascript:"), "only http(s) links");
    // Every tag in the page is one of the report's own.
    let allowed = [
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "h1",
        "h2",
        "h3",
        "p",
        "section",
        "table",
        "tr",
        "th",
        "td",
        "ul",
        "ol",
        "li",
        "span",
        "sup",
        "a",
        "div",
        "figure",
        "figcaption",
        // The change-flow picture.
        "svg",
        "desc",
        "g",
        "rect",
        "path",
        "text",
    ];
    for tag in html.split('<').skip(1) {
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if tag.starts_with('!') {
            continue;
        }
        assert!(allowed.contains(&name.as_str()), "unexpected tag <{name}");
    }
}

/// The cells of Markdown table rows: a row is a line that starts and ends
/// with an unescaped `|`.
fn markdown_rows(md: &str) -> Vec<Vec<String>> {
    md.lines()
        .filter(|l| l.starts_with('|'))
        .map(|l| {
            let mut cells = Vec::new();
            let mut cell = String::new();
            let mut chars = l.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        cell.push(c);
                        cell.extend(chars.next());
                    }
                    '|' => cells.push(std::mem::take(&mut cell)),
                    c => cell.push(c),
                }
            }
            cells.push(cell);
            cells
        })
        .collect()
}

#[test]
fn markdown_lists_keep_one_bullet_per_change() {
    for args in [vec!["diff", "2001", "2013"], vec!["timeline"]] {
        let json: serde_json::Value =
            serde_json::from_str(&hostile(&[&args[..], &["--format", "json"]].concat())).unwrap();
        let changes = json["changes"].as_array().unwrap().len();
        assert!(changes > 0, "{args:?}");
        let md = hostile(&[&args[..], &["--format", "md"]].concat());
        assert!(!md.contains(SCRIPT), "{args:?}: raw script tag");
        let bullets = md.lines().filter(|l| l.starts_with("- **")).count();
        assert_eq!(bullets, changes, "{args:?}: one bullet per change\n{md}");
        for line in md.lines().filter(|l| !l.is_empty()) {
            assert!(
                line.starts_with(['#', '-']) || line.starts_with("  - ") || line.ends_with('.'),
                "{args:?}: a line out of place: {line}"
            );
        }
    }
}

#[test]
fn markdown_tables_keep_their_shape() {
    for args in [vec!["report", "2001", "2013"]] {
        let md = hostile(&args);
        assert!(!md.contains(SCRIPT), "{args:?}: raw script tag");
        let rows = markdown_rows(&md);
        assert!(!rows.is_empty());
        let widths: Vec<usize> = rows.iter().map(Vec::len).collect();
        for table in md.split("\n\n").filter(|b| b.starts_with('|')) {
            let rows = markdown_rows(table);
            assert!(
                rows.iter().all(|r| r.len() == rows[0].len()),
                "{args:?}: ragged table\n{table}"
            );
        }
        assert!(widths.iter().all(|&w| w > 2), "{args:?}");
    }
}

#[test]
fn csv_cells_are_quoted_and_formulas_defused() {
    for args in [
        vec!["diff", "2001", "2013", "--format", "csv"],
        vec!["timeline", "--format", "csv"],
        vec!["show", "--format", "csv"],
        vec!["snapshots", "--format", "csv"],
    ] {
        let out = hostile(&args);
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let width = reader.headers().unwrap().len();
        let mut seen_guard = false;
        for record in reader.records() {
            let record = record.unwrap();
            assert_eq!(record.len(), width, "{args:?}");
            for cell in &record {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@']),
                    "{args:?}: formula cell {cell}"
                );
                seen_guard |=
                    cell.starts_with("'=") || cell.starts_with("'+") || cell.starts_with("'@");
            }
        }
        if args[0] != "snapshots" {
            assert!(
                seen_guard,
                "{args:?}: the hostile formulas were seen and guarded"
            );
        }
    }
}

#[test]
fn json_carries_the_exact_strings() {
    let doc: serde_json::Value =
        serde_json::from_str(&hostile(&["show", "--at", "2001", "--format", "json"])).unwrap();
    let names: Vec<&str> = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    for name in [
        "Ministry of <script>alert(1)</script>",
        "Finance \"Budget\" Department",
        "Audit \\ Review | Unit",
        "International Office\nSecond Line",
        "مكتب الشؤون القانونية",
    ] {
        assert!(names.contains(&name), "{name}");
    }
    for args in [
        vec!["diff", "2001", "2013", "--format", "json"],
        vec!["timeline", "--format", "json"],
        vec!["report", "2001", "2013", "--format", "json"],
        vec!["lineage", "finance dept", "--format", "json"],
        vec!["find", "office", "--format", "json"],
    ] {
        let out = hostile(&args);
        serde_json::from_str::<serde_json::Value>(&out).unwrap_or_else(|e| panic!("{args:?}: {e}"));
    }
}

fn render_dot(dot: &str) {
    let svg = crate::util::render_dot(dot);
    assert!(!svg.contains(SCRIPT), "escaped in the SVG too");
}

#[test]
#[ignore = "needs graphviz (`dot`)"]
fn dot_labels_render_escaped_with_graphviz() {
    render_dot(&hostile(&["diff", "2001", "2013", "--format", "dot"]));
    render_dot(&hostile(&["lineage", "finance dept", "--format", "dot"]));
    render_dot(&hostile(&["lineage", "hq", "--format", "dot"]));
}

#[test]
fn mermaid_diagrams_parse_and_escape_every_label() {
    assert_valid_mermaid(&hostile(&["diff", "2001", "2013", "--format", "mermaid"]));
    assert_valid_mermaid(&hostile(&[
        "lineage",
        "finance dept",
        "--format",
        "mermaid",
    ]));
    let report = hostile(&["report", "2001", "2013"]);
    for block in report.split("```mermaid\n").skip(1) {
        let chart = block.split("```").next().unwrap();
        for line in chart.lines().skip(1).filter(|l| l.contains('[')) {
            let label = line.split_once('[').unwrap().1;
            assert!(label.starts_with('"') && label.ends_with("\"]"), "{line}");
            assert!(!label[1..label.len() - 2].contains('"'), "{line}");
        }
    }
}

#[test]
fn terminal_output_stays_on_its_lines() {
    for args in [
        vec!["show", "--at", "2001"],
        vec!["show", "--format", "table"],
        vec!["diff", "2001", "2013"],
        vec!["lineage", "intl"],
    ] {
        let out = hostile(&args);
        assert!(
            !out.contains("International Office\nSecond Line"),
            "{args:?}: a name broke its line"
        );
    }
}

#[test]
fn markdown_source_links_keep_the_whole_address() {
    // An autolink ends at a space or `>` and takes no escapes, so those
    // characters are percent-encoded rather than dropped.
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "sources.ron",
            "[\n    Source(key: \"s1\", title: \"Memo\", url: \"http://a.b/c d)e<f>\\tg\"),\n]\n",
        ),
        (
            "events.ron",
            "[\n    Event(date: \"2002\", kind: established, to: [\"b\"], sources: [\"s1\"], confidence: high),\n]\n",
        ),
        (
            "2001.ron",
            "Snapshot(id: \"2001\", date: \"2001\", title: \"t\", units: [Unit(id: \"org\", name: \"Org\", units: [])])\n",
        ),
        (
            "2002.ron",
            "Snapshot(id: \"2002\", date: \"2002\", title: \"t\", units: [Unit(id: \"org\", name: \"Org\", units: [Unit(id: \"b\", name: \"Beta\")])])\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let data = dir.path().to_str().unwrap();
    let md = stdout_of(&["--data", data, "report", "2001", "2002", "--format", "md"]);
    assert!(
        md.contains("1. Memo. <http://a.b/c%20d)e%3Cf%3E%09g>\n"),
        "{md}"
    );
}

#[test]
fn diagnostics_print_no_control_character_from_the_data() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("2001.ron"),
        "Snapshot(id: \"s\", date: \"2001\", title: \"t\", units: [Unit(id: \"a\u{1b}[2J\", name: \"\u{1b}]0;pwned\u{7}\"), Unit(id: \"\u{1b}[31m\", name: \"\")])\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("events.ron"), "[]").unwrap();
    std::fs::write(dir.path().join("sources.ron"), "[]").unwrap();
    let out = reorg()
        .args(["check", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[bad-id]: id `a\\u{1b}[2J`"),
        "{stderr}"
    );
    assert!(stderr.contains("error[empty-name]"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr}"
    );
}

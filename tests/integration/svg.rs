//! The pictures: `diff --format svg` (the change flow) and `lineage
//! --format svg`, read back as XML, on the ICE history, on a generated
//! history of a few hundred units and on the hostile fixture; and, with
//! Chromium, drawn and compared with the screenshots committed under
//! tests/fixtures/screenshots/.

use std::path::Path;

use crate::browser::{self, Shot};
use crate::util::{fixture, stdout_of};

/// Every piece of text of a picture: the `<text>` it draws and the
/// `<title>`s and `<desc>` that name its parts.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the picture is well-formed XML");
    doc.descendants()
        .filter(|n| matches!(n.tag_name().name(), "text" | "title" | "desc"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

/// The element names a picture may hold: nothing that runs, links or
/// fetches.
const PICTURE_TAGS: [&str; 8] = ["svg", "title", "desc", "style", "g", "rect", "path", "text"];

fn assert_only_picture_tags(svg: &str) {
    let doc = roxmltree::Document::parse(svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        let name = node.tag_name().name();
        assert!(PICTURE_TAGS.contains(&name), "unexpected element <{name}>");
        for attr in node.attributes() {
            assert!(
                !attr.name().starts_with("on") && attr.name() != "href",
                "unexpected attribute {}",
                attr.name()
            );
        }
    }
}

/// The labels of every unit of the embedded history at the end of a year.
fn unit_labels(year: i32) -> Vec<String> {
    let dataset = reorg::load::load(None).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
    let state = dataset.state_at(day);
    state
        .preorder()
        .map(|(ix, _)| state.unit(ix).label())
        .collect()
}

#[test]
fn the_flow_picture_names_every_unit_on_both_sides_and_has_a_key() {
    let svg = stdout_of(&["diff", "2008", "2024", "--format", "svg"]);
    assert_only_picture_tags(&svg);
    let texts = texts(&svg);
    assert!(texts[0].starts_with("Changes in U.S. Immigration and Customs Enforcement (ICE)"));
    assert!(
        texts[1].contains("units at 2008"),
        "a description: {}",
        texts[1]
    );
    for label in unit_labels(2008).iter().chain(&unit_labels(2024)) {
        assert!(
            texts.iter().any(|t| t.contains(label.as_str())),
            "{label} is named"
        );
    }
    for kind in [
        "unchanged",
        "renamed",
        "moved",
        "split",
        "transferred out",
        "established",
        "appeared",
    ] {
        assert!(texts.iter().any(|t| t == kind), "the key shows {kind}");
    }
    assert!(svg.contains("class=\"rg-legend\""));
    assert!(texts
        .iter()
        .any(|t| t.starts_with("transferred out to DHS National Protection")));
    assert!(texts.iter().any(|t| t.contains(
        "left the organization for the DHS National Protection and Programs Directorate (NPPD)"
    )));
}

#[test]
fn a_flow_narrowed_to_a_unit_shows_what_it_was_at_from() {
    let svg = stdout_of(&["diff", "2008", "2024", "--under", "HSI", "--format", "svg"]);
    let texts = texts(&svg);
    assert!(texts[0].starts_with("Changes in Homeland Security Investigations (HSI)"));
    // HSI was the Office of Investigations in 2008, under another id.
    for row in [
        "Office of Investigations (OI) [ice-oi]",
        "Homeland Security Investigations (HSI) [hsi]",
    ] {
        assert!(texts.iter().any(|t| t == row), "{row}");
    }
    assert!(!texts
        .iter()
        .any(|t| t.starts_with("Federal Protective Service")));
}

#[test]
fn the_lineage_picture_shows_every_version_and_its_dates() {
    let svg = stdout_of(&["lineage", "LEISI", "--format", "svg"]);
    assert_only_picture_tags(&svg);
    let texts = texts(&svg);
    assert!(texts[0].starts_with("Lineage of Law Enforcement Information Sharing"));
    for needle in [
        "Law Enforcement Information Sharing Service (LEIS) · program",
        "Law Enforcement Information Sharing Initiative (LEISI) · program",
        "Information eXchange Unit (IXU) · unit · in Cyber and Operational Technology",
        "seen in the snapshots",
        "dates uncertain",
    ] {
        assert!(texts.iter().any(|t| t.contains(needle)), "{needle}");
    }
    // Uncertain ranges are drawn faded.
    assert!(svg.contains("rg-faded"));
}

#[test]
fn a_lineage_with_predecessors_and_successors_links_their_lanes() {
    let svg = stdout_of(&["lineage", "hsi-ip", "--format", "svg"]);
    let texts = texts(&svg);
    assert!(texts.iter().any(|t| t.contains(
        "Cyber and Operational Technology (COT) · successor · split from Investigative Programs"
    )));
    assert!(
        svg.contains("rg-band rg-k-split"),
        "the split is drawn in its colour"
    );
}

#[test]
fn pictures_are_byte_identical_across_runs() {
    for args in [
        &["diff", "2008", "2024", "--format", "svg"][..],
        &["lineage", "NIRU", "--format", "svg", "--depth", "3"],
    ] {
        assert_eq!(stdout_of(args), stdout_of(args), "{args:?}");
    }
}

#[test]
fn the_examples_in_the_repository_are_current() {
    for (file, args) in [
        (
            "examples/ice-2008-2024.svg",
            vec!["diff", "2008", "2024", "--format", "svg"],
        ),
        (
            "examples/leisi-lineage.svg",
            vec!["lineage", "LEISI", "--format", "svg"],
        ),
    ] {
        let committed =
            std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert_eq!(
            stdout_of(&args),
            committed,
            "regenerate it: reorg {} -o {file}",
            args.join(" ")
        );
    }
}

#[test]
fn hostile_names_stay_text_in_every_picture() {
    let data = fixture("hostile");
    let svg = stdout_of(&["--data", &data, "diff", "2001", "2013", "--format", "svg"]);
    assert_only_picture_tags(&svg);
    assert!(!svg.contains("<script"), "raw script tag");
    let texts = texts(&svg);
    for name in [
        "Ministry of <script>alert(1)</script> (M&S)",
        "Finance \"Budget\" Department (FBD)",
        "Audit \\ Review | Unit (A|R)",
        "مكتب الشؤون القانونية (مشق)",
        "中央档案室",
    ] {
        assert!(
            texts.iter().any(|t| t.contains(name)),
            "{name} is shown as text"
        );
    }
    for unit in ["hq", "finance dept", "ops", "intl", "ar", "border"] {
        let svg = stdout_of(&["--data", &data, "lineage", unit, "--format", "svg"]);
        assert_only_picture_tags(&svg);
        assert!(!svg.contains("<script"), "{unit}: raw script tag");
    }
}

/// Writes a generated history (a realistic agency of `size` units and a
/// later version of it with about 5 changes per 100 units) as a dataset.
pub(crate) fn generated_dataset(dir: &Path, size: usize) {
    let history = reorg::synth::history(11, size, &reorg::synth::Churn::percent(5.0));
    std::fs::write(dir.join("events.ron"), "[]\n").unwrap();
    std::fs::write(dir.join("sources.ron"), "[]\n").unwrap();
    for (year, root) in [(2000, &history.before), (2010, &history.after)] {
        let snapshot = reorg::synth::snapshot(&year.to_string(), year, root.clone());
        let text = reorg::write::snapshot_to_ron(&snapshot);
        std::fs::write(dir.join(format!("{year}.ron")), text).unwrap();
    }
}

#[test]
fn a_flow_of_a_few_hundred_units_folds_what_did_not_change() {
    let dir = tempfile::tempdir().unwrap();
    generated_dataset(dir.path(), 400);
    let data = dir.path().to_str().unwrap();
    let svg = stdout_of(&["--data", data, "diff", "2000", "2010", "--format", "svg"]);
    assert_only_picture_tags(&svg);
    let rows = svg.matches("<g class=\"rg-row\">").count();
    assert!(rows > 20, "{rows} rows");
    assert!(
        rows < 2 * 400,
        "folded: {rows} rows for two sides of 400 units"
    );
    assert!(
        svg.contains("more, unchanged"),
        "folds name their units' count"
    );
    assert!(
        svg.contains("unchanged units: "),
        "a fold's tooltip lists its units"
    );
}

#[test]
#[ignore = "needs chromium"]
fn a_browser_draws_the_pictures_as_committed() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = fixture("hostile");
    let pictures: [(&str, Vec<&str>); 3] = [
        (
            "ice-2008-2024",
            vec!["diff", "2008", "2024", "--format", "svg"],
        ),
        ("leisi-lineage", vec!["lineage", "LEISI", "--format", "svg"]),
        (
            "hostile-2001-2013",
            vec![
                "--data", &hostile, "diff", "2001", "2013", "--format", "svg",
            ],
        ),
    ];
    for (name, args) in pictures {
        let svg = stdout_of(&args);
        let file = dir.path().join(format!("{name}.svg"));
        std::fs::write(&file, &svg).unwrap();
        let visit = browser::visit(&file, dir.path());
        visit.assert_quiet();
        assert!(
            visit.dom.contains("class=\"rg-legend\""),
            "{name}: the key is in the DOM"
        );
        for text in texts(&svg) {
            let text = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(visit.dom.contains(&text), "{name}: {text} is in the DOM");
        }
        let (width, height) = browser::svg_size(&svg);
        browser::compare_screenshot(&Shot {
            url: browser::file_url(&file),
            name,
            width,
            height,
            scratch: dir.path(),
        });
    }
}

//! `reorg report`: the published form of a diff, checked as text and, for
//! HTML, as rendered by a real browser.

use crate::browser::{compare_screenshot, headless, page_requests, Shot};
use crate::util::{reorg, stdout_of};

fn report(args: &[&str]) -> String {
    let mut all = vec!["report", "2008", "2024"];
    all.extend_from_slice(args);
    stdout_of(&all)
}

#[test]
fn the_markdown_report_tells_each_change_in_a_sentence() {
    let md = report(&[]);
    assert!(md.starts_with("# Changes in U.S. Immigration and Customs Enforcement (ICE)\n"));
    assert!(md.contains("from the end of 2008 to the end of 2024"));
    for sentence in [
        // One sentence per story, with every way the unit changed.
        "The Law Enforcement Information Sharing Service (LEIS) was renamed the Information eXchange Unit (IXU), moved from OI to COT and became a unit (it had been a program), some time between 2008 and 2025.",
        "The Office of Intelligence took the acronym HSI-Intel, moved from ICE to HSI and became a division (it had been an office), some time between June 2010 and 2015.",
        // Articles where a name needs one, and only there.
        "The Federal Protective Service (FPS) left the organization for the DHS National Protection and Programs Directorate (NPPD) on 28 October 2009.",
        "The Office of Investigations (OI) was renamed Homeland Security Investigations (HSI) and became a directorate (it had been an office) in June 2010.",
        "The Center for Countering Human Trafficking (CCHT) was established on 20 October 2020.",
        "The National Incident Response Unit (NIRU) was succeeded by the Emergency Management Unit (EMU), some time between 2013 and December 2018. *Low confidence",
        // What a snapshot first shows is not when the unit began.
        "The ICE Tip Line Unit (TLU) first appears in the sources, no later than about 2013.",
    ] {
        assert!(md.contains(sentence), "{sentence}");
    }
    for heading in [
        "## Summary",
        "## Changes",
        "### Homeland Security Investigations (HSI)",
        "## Structure",
        "```mermaid",
        "## Sources",
    ] {
        assert!(md.contains(heading), "{heading}");
    }
    assert!(md.contains("1. "), "numbered sources");
    assert!(md.contains("<https://"), "with their URLs");
}

#[test]
fn the_report_is_narrowed_with_under() {
    let md = report(&["--under", "hsi-intel"]);
    assert!(
        md.starts_with("# Changes in the Office of Intelligence (HSI-Intel)\n"),
        "{md}"
    );
    assert!(!md.contains("Federal Protective Service"));
}

#[test]
fn the_format_follows_the_file_extension() {
    let dir = tempfile::tempdir().unwrap();
    for (name, start) in [
        ("r.md", "# "),
        ("r.html", "<!DOCTYPE html>"),
        ("r.json", "{"),
    ] {
        let path = dir.path().join(name);
        report(&["-o", path.to_str().unwrap()]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(start), "{name}");
    }
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(doc["schema"], "reorg.report/2");
    assert!(doc["sections"].as_array().unwrap().len() > 3);
    let bad = dir.path().join("r.pdf");
    reorg()
        .args(["report", "2008", "2024", "-o", bad.to_str().unwrap()])
        .assert()
        .code(2);
    assert!(!bad.exists());
}

#[test]
fn the_html_report_is_self_contained() {
    let html = report(&["--format", "html"]);
    for section in [
        "id=\"summary\"",
        "id=\"changes\"",
        "id=\"structure\"",
        "id=\"sources\"",
    ] {
        assert!(html.contains(section), "{section}");
    }
    for forbidden in ["<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(forbidden), "nothing to fetch: {forbidden}");
    }
}

#[test]
fn the_report_is_byte_identical_across_runs() {
    assert_eq!(report(&["--format", "html"]), report(&["--format", "html"]));
}

#[test]
#[ignore = "needs chromium"]
fn a_browser_renders_the_html_report_without_any_network_request() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    report(&["-o", page.to_str().unwrap()]);

    let out = headless(&page, &dir.path().join("dom"), &["--dump-dom".to_string()]);
    let dom = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "<section id=\"summary\">",
        "<section id=\"changes\">",
        "<section id=\"structure\">",
        "<section id=\"sources\">",
        "was renamed the Information eXchange Unit (IXU)",
        "<span class=\"unit new\">",
    ] {
        assert!(
            dom.contains(needle),
            "rendered DOM holds {needle}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // The check can fail: a page with an image on the network is caught.
    let fetching = dir.path().join("fetching.html");
    std::fs::write(
        &fetching,
        "<html><body><img src=\"http://127.0.0.1:9/x.png\"></body></html>",
    )
    .unwrap();
    assert_eq!(
        page_requests(&fetching, &dir.path().join("p1")),
        ["http://127.0.0.1:9/x.png"]
    );
    let requests = page_requests(&page, &dir.path().join("p2"));
    assert!(
        requests.is_empty(),
        "the report fetched nothing: {requests:?}"
    );

    // What a person sees, compared with the committed screenshot.
    compare_screenshot(&Shot {
        url: format!("file://{}", page.display()),
        name: "report-2008-2024",
        width: 1280,
        height: 2400,
        scratch: dir.path(),
    });
}

#[test]
fn the_example_report_in_the_repository_is_current() {
    let committed = std::fs::read_to_string(format!(
        "{}/examples/report-2008-2024.md",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert_eq!(
        report(&[]),
        committed,
        "regenerate it: reorg report 2008 2024 -o examples/report-2008-2024.md"
    );
}

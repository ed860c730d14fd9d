//! `reorg site`: the whole history as a website, on the ICE history, on a
//! generated 10,000-unit history and on the hostile fixture. Every
//! internal link must lead to a page (and an anchor, when it names one);
//! with Chromium, pages must fetch nothing, log nothing, and look as the
//! committed screenshots do.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::browser::{self, Shot};
use crate::util::{fixture, reorg, stdout_of};

/// Writes the site of a dataset (the embedded one when `data` is `None`).
fn write_site(data: Option<&str>, dir: &Path) {
    let mut args = Vec::new();
    if let Some(d) = data {
        args.extend(["--data", d]);
    }
    args.extend(["site", "-o", dir.to_str().unwrap()]);
    stdout_of(&args);
}

/// Every file of a site, by path under it.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// HTML attribute text as the browser reads it.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The values of every `href` and `src` attribute of a page.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attribute in [" href=\"", " src=\""] {
        for (at, _) in html.match_indices(attribute) {
            let rest = &html[at + attribute.len()..];
            let end = rest.find('"').expect("attribute values are quoted");
            out.push(unescape(&rest[..end]));
        }
    }
    out
}

/// `base/../x/./y` → `x/y`, or `None` when it climbs out of the site.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Follows every internal link of every page: each must lead to a file of
/// the site and, when it names an anchor, to an element with that id.
/// Returns how many links were followed. Links to the web (a source's
/// address) are left alone; any other scheme is a failure.
fn walk_links(site: &BTreeMap<String, Vec<u8>>) -> usize {
    let mut followed = 0;
    for (name, bytes) in site.iter().filter(|(n, _)| n.ends_with(".html")) {
        let html = std::str::from_utf8(bytes).unwrap();
        let folder = Path::new(name).parent().unwrap_or(Path::new(""));
        for reference in references(html) {
            if reference.starts_with("https://") || reference.starts_with("http://") {
                continue;
            }
            assert!(
                !reference.contains(':') && !reference.starts_with('/'),
                "{name}: {reference} is not a relative link"
            );
            let (path, anchor) = reference.split_once('#').unwrap_or((&reference, ""));
            let path = path.split('?').next().unwrap();
            let target = if path.is_empty() {
                PathBuf::from(name)
            } else {
                normalize(&folder.join(path))
                    .unwrap_or_else(|| panic!("{name}: {reference} leaves the site"))
            };
            let target = target.to_string_lossy().into_owned();
            let content = site
                .get(&target)
                .unwrap_or_else(|| panic!("{name}: {reference} leads nowhere"));
            if !anchor.is_empty() {
                let id = format!("id=\"{anchor}\"");
                assert!(
                    String::from_utf8_lossy(content).contains(&id),
                    "{name}: {reference}: no element has the id {anchor}"
                );
            }
            followed += 1;
        }
    }
    followed
}

#[test]
fn the_ice_site_has_a_page_for_everything_and_every_link_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    write_site(None, &out);
    let site = files(&out);
    for page in [
        "index.html",
        "timeline.html",
        "search.html",
        "search-index.js",
        "site.css",
        "site.js",
        "diff/index.html",
        "unit/hsi-ixu.html",
        "snapshot/2010-06.html",
        "diff/2008-11-05--hsi-hq-nine-divisions.html",
    ] {
        assert!(site.contains_key(page), "{page}");
    }
    let count = |folder: &str| site.keys().filter(|k| k.starts_with(folder)).count();
    assert_eq!(count("snapshot/"), 21, "a page per snapshot");
    assert_eq!(
        count("diff/"),
        21 * 20 / 2 + 1,
        "a page per pair, and the menus"
    );
    assert!(count("unit/") > 60, "a page per unit");
    let followed = walk_links(&site);
    assert!(followed > 5_000, "{followed} links followed");

    let leisi = String::from_utf8(site["unit/hsi-ixu.html"].clone()).unwrap();
    for needle in [
        "<h1>Information eXchange Unit (IXU)</h1>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"",
        "Law Enforcement Information Sharing Initiative (LEISI)",
        "<h2>Versions</h2>",
        "<h2>Sources</h2>",
        "href=\"../unit/hsi-cot.html\"",
    ] {
        assert!(leisi.contains(needle), "the LEISI page holds {needle}");
    }
    // The timeline's headings come once each, in order: the changes known
    // only to have happened by some date, then the years.
    let timeline = String::from_utf8(site["timeline.html"].clone()).unwrap();
    let headings: Vec<&str> = timeline
        .split("<h2 id=\"y-")
        .skip(1)
        .filter_map(|h| h.split_once("\">")?.1.split_once("</h2>"))
        .map(|(text, _)| text)
        .collect();
    assert!(headings.len() > 10, "{headings:?}");
    assert_eq!(headings[0], "No earliest date");
    let years: Vec<i32> = headings[1..].iter().map(|y| y.parse().unwrap()).collect();
    assert!(years.windows(2).all(|w| w[0] < w[1]), "{headings:?}");
    let index = String::from_utf8(site["search-index.js"].clone()).unwrap();
    let json = index
        .strip_prefix("window.REORG_UNITS = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("the index is one assignment");
    let units: Vec<[String; 4]> = serde_json::from_str(json).unwrap();
    assert_eq!(units.len(), count("unit/"));
    let ixu = units.iter().find(|u| u[0] == "unit/hsi-ixu.html").unwrap();
    assert!(
        ixu[3].contains("leisi"),
        "former acronyms are searched: {}",
        ixu[3]
    );
}

#[test]
fn the_site_is_byte_identical_across_runs_and_replaces_itself() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    write_site(None, &a);
    write_site(None, &b);
    assert_eq!(files(&a), files(&b));
    // Written again over itself: the same site, nothing left over.
    write_site(None, &a);
    assert_eq!(files(&a), files(&b));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 2, "no staging directory is left behind");
}

#[test]
fn a_directory_of_other_files_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("notes.txt");
    std::fs::write(&mine, "keep me").unwrap();
    let out = reorg()
        .args(["site", "-o", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did not write"));
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "keep me");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// The elements the site's pages are made of.
const PAGE_TAGS: &[&str] = &[
    "html", "head", "meta", "title", "link", "body", "header", "nav", "form", "input", "button",
    "main", "footer", "script", "h1", "h2", "p", "a", "ul", "ol", "li", "span", "br", "code",
    "table", "tr", "th", "td", "figure", "section", "details", "summary", "label", "select",
    "option", "svg", "desc", "g", "rect", "path", "text",
];

#[test]
fn hostile_names_are_escaped_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    write_site(Some(&fixture("hostile")), &out);
    let site = files(&out);
    walk_links(&site);
    let pages: Vec<(&String, String)> = site
        .iter()
        .filter(|(n, _)| n.ends_with(".html"))
        .map(|(n, b)| (n, String::from_utf8(b.clone()).unwrap()))
        .collect();
    assert!(pages.len() > 10);
    let mut seen_escaped = false;
    for (name, html) in &pages {
        assert!(!html.contains("<script>alert"), "{name}: raw script");
        assert!(!html.contains("<b>everything</b>"), "{name}: raw markup");
        assert!(
            !html.contains("href=\"javascript:"),
            "{name}: a script link"
        );
        for tag in html.split('<').skip(1) {
            if tag.starts_with('!') {
                continue;
            }
            let tag_name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            assert!(
                PAGE_TAGS.contains(&tag_name.as_str()),
                "{name}: <{tag_name}"
            );
            if tag_name == "script" && !tag.starts_with('/') {
                assert!(
                    tag.starts_with("script src=\"site.js\">")
                        || tag.starts_with("script src=\"search-index.js\">")
                        || tag.starts_with("script src=\"../site.js\">"),
                    "{name}: only the site's own scripts: <{tag}"
                );
            }
        }
        seen_escaped |= html.contains("Ministry of &lt;script&gt;alert(1)&lt;/script&gt;");
    }
    assert!(seen_escaped, "the hostile name is shown, escaped");
    let index = String::from_utf8(site["search-index.js"].clone()).unwrap();
    let units: Vec<[String; 4]> = serde_json::from_str(
        index
            .strip_prefix("window.REORG_UNITS = ")
            .and_then(|s| s.strip_suffix(";\n"))
            .unwrap(),
    )
    .unwrap();
    assert!(units
        .iter()
        .any(|u| u[1] == "Ministry of <script>alert(1)</script> (M&S)"));
    assert!(units
        .iter()
        .all(|u| u[0].starts_with("unit/") && !u[0].contains("..")));
}

#[test]
fn every_link_resolves_on_a_generated_history_of_10000_units() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    reorg::synth::write_history(&data, 3, 10_000, 42).unwrap();
    let out = dir.path().join("site");
    write_site(Some(data.to_str().unwrap()), &out);
    let site = files(&out);
    let units = site.keys().filter(|k| k.starts_with("unit/")).count();
    assert!(units >= 10_000, "{units} unit pages");
    let followed = walk_links(&site);
    assert!(followed > 10 * units, "{followed} links followed");
}

/// The pages a browser opens, with what each must show once its scripts
/// ran, and the name of its committed screenshot.
const BROWSED: &[(&str, &str, &str)] = &[
    ("index.html", "index", "<h2>Snapshots</h2>"),
    ("unit/hsi-ixu.html", "unit-leisi", "class=\"rg-legend\""),
    (
        "snapshot/2010-06.html",
        "snapshot-2010-06",
        "Enforcement and Removal Operations (ERO)",
    ),
    ("timeline.html", "timeline", "<h2 id=\"y-2010\">2010</h2>"),
    (
        "diff/2008-11-05--hsi-hq-nine-divisions.html",
        "diff-2008-2024",
        "class=\"rg-legend\"",
    ),
    ("diff/index.html", "compare", "<form id=\"compare\">"),
    ("search.html?q=intel", "search-intel", "units match “intel”"),
];

#[test]
#[ignore = "needs chromium"]
fn a_browser_opens_every_kind_of_page_quietly_and_as_committed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    write_site(None, &out);
    for &(page, name, shows) in BROWSED {
        let url = format!("file://{}/{page}", out.display());
        let visit = browser::visit_url(&url, dir.path());
        visit.assert_quiet();
        assert!(visit.dom.contains(shows), "{page} shows {shows}");
        browser::compare_screenshot(&Shot {
            url,
            name,
            width: 1280,
            height: 1000,
            scratch: dir.path(),
        });
    }
    // The search's results are the index's units, as text.
    let url = format!("file://{}/search.html?q=hsi%20intel", out.display());
    let visit = browser::visit_url(&url, dir.path());
    assert!(visit
        .dom
        .contains(">Office of Intelligence (HSI-Intel)</a>"));
    assert!(visit.dom.contains("<section id=\"all-units\" hidden=\"\">"));
}

#[test]
#[ignore = "needs chromium"]
fn a_browser_shows_hostile_names_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    write_site(Some(&fixture("hostile")), &out);
    for page in [
        "index.html",
        "unit/hq.html",
        "timeline.html",
        "search.html?q=script",
    ] {
        let url = format!("file://{}/{page}", out.display());
        let visit = browser::visit_url(&url, dir.path());
        visit.assert_quiet();
        assert!(!visit.dom.contains("<script>alert"), "{page}");
        assert!(
            visit
                .dom
                .contains("Ministry of &lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page} shows the name as text"
        );
    }
}

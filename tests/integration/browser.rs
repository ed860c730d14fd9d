//! Headless Chromium, for the tests that render what reorg writes: the
//! flags a closed machine needs, the network requests a page made, what
//! it logged to the console, its DOM once its scripts ran, and
//! screenshots compared with the ones committed under
//! tests/fixtures/screenshots/.

use std::path::{Path, PathBuf};

/// Where Chromium is, if installed (`.ci/run` installs Debian's).
fn chromium() -> PathBuf {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect("Chromium is installed (.ci/run installs Debian's chromium)")
}

/// `file://` and the path: what Chromium is given to open.
pub(crate) fn file_url(page: &Path) -> String {
    format!("file://{}", page.display())
}

/// Runs headless Chromium on a URL with the flags a closed machine needs
/// and its own profile directory.
pub(crate) fn headless_url(url: &str, profile: &Path, extra: &[String]) -> std::process::Output {
    std::process::Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("Chromium runs")
}

/// Runs headless Chromium on a file.
pub(crate) fn headless(page: &Path, profile: &Path, extra: &[String]) -> std::process::Output {
    headless_url(&file_url(page), profile, extra)
}

/// The URLs requested from a network log: requests the browser makes for
/// itself carry no initiator ("not an origin"); a page's carry its origin
/// ("null" for a file). Files and data URLs are not the network.
fn network_requests(netlog: &Path) -> Vec<String> {
    let log: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(netlog).expect("Chromium wrote its network log"),
    )
    .unwrap();
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == start_job)
        .filter(|e| {
            e["params"]["initiator"]
                .as_str()
                .is_some_and(|i| i != "not an origin")
        })
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_string))
        .filter(|url| !url.starts_with("file:") && !url.starts_with("data:"))
        .collect()
}

/// The URLs a page asked for while Chromium rendered it.
pub(crate) fn page_requests(page: &Path, profile: &Path) -> Vec<String> {
    let netlog = profile.with_extension("netlog.json");
    headless(
        page,
        profile,
        &[
            "--dump-dom".to_string(),
            format!("--log-net-log={}", netlog.display()),
        ],
    );
    network_requests(&netlog)
}

/// What a page did when a browser opened it.
pub(crate) struct Visit {
    /// Its DOM once its scripts ran.
    pub dom: String,
    /// The messages it logged to the console (errors and uncaught
    /// exceptions among them; the project's pages log nothing).
    pub console: Vec<String>,
    /// The network requests it made.
    pub requests: Vec<String>,
}

impl Visit {
    /// No request to the network, nothing on the console.
    pub(crate) fn assert_quiet(&self) {
        assert!(
            self.requests.is_empty(),
            "network requests: {:?}",
            self.requests
        );
        assert!(self.console.is_empty(), "console: {:?}", self.console);
    }
}

/// Opens a URL (a file, perhaps with a query) and lets its scripts run.
pub(crate) fn visit_url(url: &str, scratch: &Path) -> Visit {
    let profile = unique_dir(scratch, "profile");
    let netlog = profile.with_extension("netlog.json");
    let out = headless_url(
        url,
        &profile,
        &[
            "--dump-dom".to_string(),
            "--virtual-time-budget=5000".to_string(),
            "--enable-logging=stderr".to_string(),
            "--v=0".to_string(),
            format!("--log-net-log={}", netlog.display()),
        ],
    );
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    Visit {
        dom: String::from_utf8_lossy(&out.stdout).into_owned(),
        console,
        requests: network_requests(&netlog),
    }
}

pub(crate) fn visit(page: &Path, scratch: &Path) -> Visit {
    visit_url(&file_url(page), scratch)
}

/// A directory under `scratch` no other call has used.
fn unique_dir(scratch: &Path, name: &str) -> PathBuf {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    scratch.join(format!("{name}-{n}"))
}

/// The size a picture declares (`width` and `height` of its root).
pub(crate) fn svg_size(svg: &str) -> (u32, u32) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let root = doc.root_element();
    let size = |name: &str| -> u32 {
        root.attribute(name)
            .and_then(|v| v.parse::<f64>().ok())
            .expect("a picture declares its size")
            .ceil() as u32
    };
    (size("width"), size("height"))
}

/// A screenshot to take and compare.
pub(crate) struct Shot<'a> {
    /// The URL to open.
    pub url: String,
    /// The committed screenshot: tests/fixtures/screenshots/NAME.png.
    pub name: &'a str,
    pub width: u32,
    pub height: u32,
    pub scratch: &'a Path,
}

/// How far a screenshot may stray from the committed one: pixels whose
/// channels differ by more than `CHANNEL` count as changed, and at most
/// `CHANGED` of them may (font smoothing varies by a shade here and
/// there; a moved label or band does not).
const CHANNEL: u8 = 48;
const CHANGED: f64 = 0.005;

/// Takes the screenshot and compares it with the committed one. With
/// `REORG_UPDATE_SCREENSHOTS=1` it replaces the committed one instead;
/// on a mismatch it keeps the new one under the target directory to look
/// at.
pub(crate) fn compare_screenshot(shot: &Shot) {
    let taken = unique_dir(shot.scratch, shot.name).with_extension("png");
    let out = headless_url(
        &shot.url,
        &unique_dir(shot.scratch, "shot-profile"),
        &[
            format!("--screenshot={}", taken.display()),
            format!("--window-size={},{}", shot.width, shot.height),
            "--virtual-time-budget=5000".to_string(),
        ],
    );
    assert!(
        taken.exists(),
        "screenshot of {}: {}",
        shot.name,
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/screenshots")
        .join(format!("{}.png", shot.name));
    if std::env::var_os("REORG_UPDATE_SCREENSHOTS").is_some() {
        std::fs::create_dir_all(committed.parent().unwrap()).unwrap();
        std::fs::copy(&taken, &committed).unwrap();
        return;
    }
    let new = image::open(&taken).unwrap().to_rgba8();
    let old = image::open(&committed)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e}; take it with REORG_UPDATE_SCREENSHOTS=1",
                committed.display()
            )
        })
        .to_rgba8();
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{}.png", shot.name));
    let changed = changed_share(&old, &new);
    if changed > CHANGED {
        std::fs::copy(&taken, &kept).unwrap();
    }
    assert!(
        changed <= CHANGED,
        "{}: {:.2}% of the pixels differ from {}; the new screenshot is {}",
        shot.name,
        changed * 100.0,
        committed.display(),
        kept.display()
    );
}

/// The share of pixels that differ by more than [`CHANNEL`] in a channel
/// (all of them when the sizes differ).
fn changed_share(old: &image::RgbaImage, new: &image::RgbaImage) -> f64 {
    if old.dimensions() != new.dimensions() {
        return 1.0;
    }
    let changed = old
        .pixels()
        .zip(new.pixels())
        .filter(|(a, b)| {
            a.0.iter()
                .zip(b.0.iter())
                .any(|(x, y)| x.abs_diff(*y) > CHANNEL)
        })
        .count();
    changed as f64 / (old.width() as f64 * old.height() as f64)
}

#[test]
fn screenshots_that_differ_are_told_apart() {
    let white = image::RgbaImage::from_pixel(10, 10, image::Rgba([255, 255, 255, 255]));
    let mut marked = white.clone();
    marked.put_pixel(3, 3, image::Rgba([0, 0, 0, 255]));
    let mut shaded = white.clone();
    shaded.put_pixel(3, 3, image::Rgba([240, 240, 240, 255]));
    assert_eq!(changed_share(&white, &white), 0.0);
    assert_eq!(
        changed_share(&white, &shaded),
        0.0,
        "a shade is not a change"
    );
    assert_eq!(changed_share(&white, &marked), 0.01);
    let small = image::RgbaImage::from_pixel(5, 5, image::Rgba([255, 255, 255, 255]));
    assert_eq!(changed_share(&white, &small), 1.0);
}

//! `reorg site`: the whole history as a static website.
//!
//! One page per unit (its lineage, with the picture, its versions, its
//! sources), one per snapshot (the chart at that date), a timeline of
//! every change, a page comparing any two snapshots (chosen from two
//! menus), and a search page with a small index. Pages are plain HTML
//! built with maud, which escapes everything it is given; they share one
//! style sheet and, on the two pages that use it, one small script.
//! Every page works without the script, nothing is fetched from the
//! network, and the same dataset always gives the same files.
//!
//! [`build`] returns the pages; [`write()`] puts them in a directory all at
//! once (a site is written beside it, then swapped in).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::dataset::Dataset;
use crate::date::{Date, Day};
use crate::diff::history::History;

mod assets;
mod compare;
mod layout;
mod search;
mod snapshot;
mod timeline;
mod unit;

/// A file of the site: its path under the site's directory (with `/`),
/// and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Its path under the site's directory, with `/`.
    pub path: String,
    /// Its text.
    pub content: String,
}

impl Page {
    fn new(path: impl Into<String>, content: impl Into<String>) -> Page {
        Page {
            path: path.into(),
            content: content.into(),
        }
    }
}

/// The name of the file that marks a directory as a site `reorg site`
/// wrote, which it may replace.
pub const MARKER: &str = ".reorg-site";

/// Everything the pages are made from, and where each page is.
struct Site<'h, 'd> {
    dataset: &'d Dataset,
    history: &'h History<'d>,
    /// The organization's name: the root of the latest state.
    name: String,
    /// The date of the latest state, which units still there are in.
    now: Option<&'d Date>,
    /// The page of each unit (thread), by thread index.
    unit_pages: Vec<String>,
    /// The latest name of each unit, by thread index.
    unit_names: Vec<String>,
    /// The years each unit was seen ("2003–now"), by thread index.
    unit_lives: Vec<String>,
    /// The name of each snapshot's page (without folder or extension), by
    /// index in the dataset: comparison pages are named after two.
    snapshot_slugs: Vec<String>,
    /// For each id, the threads that had it and the states in which they
    /// did (as the history counts states: state `k` follows the first `k`
    /// snapshots).
    by_id: HashMap<String, Vec<Stay>>,
}

/// A run of states in which a thread had an id.
#[derive(Debug, Clone, Copy)]
struct Stay {
    thread: usize,
    first: usize,
    last: usize,
}

impl<'h, 'd> Site<'h, 'd> {
    fn new(dataset: &'d Dataset, history: &'h History<'d>) -> Site<'h, 'd> {
        let mut by_id: HashMap<String, Vec<Stay>> = HashMap::new();
        let mut unit_slugs = Slugs::default();
        let (mut unit_pages, mut unit_names, mut unit_lives) = (Vec::new(), Vec::new(), Vec::new());
        for thread in 0..history.len() {
            let states = history.states_of(thread);
            for (k, unit) in &states {
                let stays = by_id.entry(unit.id.clone()).or_default();
                match stays.last_mut() {
                    Some(stay) if stay.thread == thread && stay.last + 1 == *k => stay.last = *k,
                    _ => stays.push(Stay {
                        thread,
                        first: *k,
                        last: *k,
                    }),
                }
            }
            let latest = &states[states.len() - 1].1;
            unit_pages.push(format!("unit/{}.html", unit_slugs.take(&latest.id)));
            unit_names.push(latest.label());
            unit_lives.push(life(history, thread));
        }
        let mut snapshot_slugs = Slugs::default();
        let snapshot_slugs = dataset
            .snapshots()
            .iter()
            .map(|s| snapshot_slugs.take(&s.id))
            .collect();
        let latest = dataset.latest_state();
        let name = latest
            .roots()
            .first()
            .map(|&r| latest.unit(r).label())
            .unwrap_or_else(|| "An organization".to_string());
        Site {
            dataset,
            history,
            name,
            now: dataset.snapshots().last().map(|s| &s.date),
            unit_pages,
            unit_names,
            unit_lives,
            snapshot_slugs,
            by_id,
        }
    }

    /// The thread of the unit with this id in state `k`; failing that
    /// (a unit named by a change dated between states), the thread with
    /// the id in the states nearest to `k`.
    fn thread_of(&self, id: &str, k: usize) -> Option<usize> {
        let distance = |stay: &Stay| {
            if k < stay.first {
                stay.first - k
            } else {
                k.saturating_sub(stay.last)
            }
        };
        self.by_id
            .get(id)?
            .iter()
            .min_by_key(|stay| (distance(stay), stay.thread))
            .map(|stay| stay.thread)
    }

    /// The page of snapshot `n`.
    fn snapshot_page(&self, n: usize) -> String {
        format!("snapshot/{}.html", self.snapshot_slugs[n])
    }

    /// The page comparing snapshots `a` and `b` (`a` the earlier).
    fn compare_page(&self, a: usize, b: usize) -> String {
        format!(
            "diff/{}--{}.html",
            self.snapshot_slugs[a], self.snapshot_slugs[b]
        )
    }

    /// The state a day falls in: the one after every snapshot in force by
    /// then.
    fn state_at(&self, day: Day) -> usize {
        self.dataset.snapshots_until(day).count()
    }
}

/// The years a unit (thread) was seen: "2003–now", "2008–2015", "2013".
fn life(history: &History, thread: usize) -> String {
    use chrono::Datelike;
    let versions = history.versions(thread);
    let year = |d: Option<&Date>| {
        d.and_then(|d| d.earliest_bound().or(d.latest_bound()))
            .map_or("?".to_string(), |day| day.year().to_string())
    };
    let since = year(versions.first().and_then(|v| v.since.as_ref()));
    if history.lasts(thread) {
        return format!("{since}–now");
    }
    let until = year(versions.last().and_then(|v| v.until.as_ref()));
    if until == since {
        since
    } else {
        format!("{since}–{until}")
    }
}

/// File names made from ids: lowercase letters, digits, `-` and `_`, with
/// `-2`, `-3`... for names already taken (ids that differ only in case or
/// punctuation, or in letters a file name cannot hold).
#[derive(Default)]
struct Slugs {
    taken: std::collections::HashSet<String>,
}

impl Slugs {
    fn take(&mut self, id: &str) -> String {
        let base = slug(id);
        let mut name = base.clone();
        let mut n = 2;
        while !self.taken.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        name
    }
}

/// `hsi-leisi` stays; `finance dept/audit` becomes `finance-dept-audit`.
/// Never empty, never longer than 60 characters, never holding `--` (which
/// separates the two snapshots of a comparison page's name).
fn slug(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "u".to_string()
    } else {
        trimmed.to_string()
    }
}

/// The pages of the whole history of a dataset.
pub fn build(dataset: &Dataset) -> Vec<Page> {
    let history = History::build(dataset);
    let site = Site::new(dataset, &history);
    let mut pages = vec![
        Page::new(MARKER, assets::MARKER_TEXT),
        Page::new("site.css", assets::css()),
        Page::new("site.js", assets::JS),
        Page::new("index.html", layout::index(&site)),
        Page::new("timeline.html", timeline::page(&site)),
        Page::new("search.html", search::page(&site)),
        Page::new("search-index.js", search::index(&site)),
    ];
    pages.extend(snapshot::pages(&site));
    pages.extend(compare::pages(&site));
    pages.extend(unit::pages(&site));
    pages
}

/// Why a site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "{} already holds files that `reorg site` did not write; give a new or empty directory",
        .0.display()
    )]
    /// The directory holds files the site did not write.
    NotASite(PathBuf),
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why it could not be written.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes the pages to directory `dir`: first to a directory beside it,
/// then swapped in, so that `dir` never holds half a site. `dir` may be
/// new, empty, or a site written before (which is replaced).
pub fn write(pages: &[Page], dir: &Path) -> Result<(), WriteError> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() && !dir.join(MARKER).is_file() {
            return Err(WriteError::NotASite(dir.to_path_buf()));
        }
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dir
        .file_name()
        .map_or_else(|| "site".to_string(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = write_into(pages, &staging).and_then(|()| swap_in(&staging, dir));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_into(pages: &[Page], staging: &Path) -> Result<(), WriteError> {
    if staging.exists() {
        std::fs::remove_dir_all(staging).map_err(io(staging))?;
    }
    let mut folders: Vec<PathBuf> = pages
        .iter()
        .filter_map(|p| Path::new(&p.path).parent().map(|f| staging.join(f)))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in folders.iter().chain([&staging.to_path_buf()]) {
        std::fs::create_dir_all(folder).map_err(io(folder))?;
    }
    // Files are written on all cores: creating many small files is most
    // of the work.
    pages.par_iter().try_for_each(|page| {
        let path = staging.join(&page.path);
        std::fs::write(&path, &page.content).map_err(io(&path))
    })
}

/// Puts the finished site in place of `dir` (moving any old site aside
/// first, then removing it).
fn swap_in(staging: &Path, dir: &Path) -> Result<(), WriteError> {
    if !dir.exists() {
        return std::fs::rename(staging, dir).map_err(io(dir));
    }
    let old = staging.with_extension("old");
    std::fs::rename(dir, &old).map_err(io(dir))?;
    if let Err(e) = std::fs::rename(staging, dir) {
        let _ = std::fs::rename(&old, dir);
        return Err(io(dir)(e));
    }
    std::fs::remove_dir_all(&old).map_err(io(&old))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_names_and_never_repeat() {
        let mut slugs = Slugs::default();
        assert_eq!(slugs.take("hsi-leisi"), "hsi-leisi");
        assert_eq!(slugs.take("finance dept/audit"), "finance-dept-audit");
        assert_eq!(slugs.take("Finance Dept--Audit"), "finance-dept-audit-2");
        assert_eq!(slugs.take("مكتب"), "u");
        assert_eq!(slugs.take("../.."), "u-2");
        assert_eq!(slugs.take("u-2"), "u-2-2");
        assert!(!slug("a -- b").contains("--"));
    }
}

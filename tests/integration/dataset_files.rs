//! How a dataset directory is read: every entry read or reported, and the
//! cache of parsed datasets and of their histories' links never stale,
//! never trusted when damaged, never written into the dataset.

use std::path::{Path, PathBuf};

use crate::util::{reorg, test_cache};

/// A small valid dataset in a fresh directory.
fn dataset() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_snapshot(dir.path(), "2001", "Alpha");
    write_snapshot(dir.path(), "2002", "Alpha");
    std::fs::write(dir.path().join("events.ron"), "[]\n").unwrap();
    std::fs::write(
        dir.path().join("sources.ron"),
        "[\n    Source(key: \"s1\", title: \"A source\"),\n]\n",
    )
    .unwrap();
    dir
}

fn write_snapshot(dir: &Path, year: &str, name: &str) {
    let text = format!(
        "Snapshot(\n    id: \"{year}\",\n    date: \"{year}\",\n    title: \"Chart\",\n    sources: [\"s1\"],\n    units: [\n        Unit(id: \"org\", name: \"Org\", units: [\n            Unit(id: \"a\", name: \"{name}\", units: []),\n        ]),\n    ],\n)\n"
    );
    std::fs::write(dir.join(format!("{year}.ron")), text).unwrap();
}

/// `reorg --data DIR ARGS` with its own cache directory: (exit code,
/// stdout, stderr).
fn run(dir: &Path, cache: &Path, args: &[&str]) -> (i32, String, String) {
    let out = reorg()
        .env("REORG_CACHE_DIR", cache)
        .arg("--data")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The cache files under a cache directory.
fn cache_files(cache: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(cache.join("datasets")) else {
        return Vec::new();
    };
    entries.map(|e| e.unwrap().path()).collect()
}

/// The names of the cache files under a cache directory, each as what it
/// holds: `dataset` or `links`.
fn cached_contents(cache: &Path) -> Vec<&'static str> {
    let mut contents: Vec<&str> = cache_files(cache)
        .iter()
        .map(|p| match p.to_string_lossy().ends_with(".links.bin") {
            true => "links",
            false => "dataset",
        })
        .collect();
    contents.sort_unstable();
    contents
}

/// The cache file of the links of a history.
fn links_file(cache: &Path) -> PathBuf {
    let files = cache_files(cache);
    let links = files
        .iter()
        .find(|p| p.to_string_lossy().ends_with(".links.bin"));
    links.expect("the links are cached").clone()
}

/// Everything under a directory, with contents.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p.display().to_string(), bytes)
        })
        .collect();
    all.sort();
    all
}

#[test]
fn a_changed_file_is_read_again_even_with_its_size_and_time_kept() {
    let data = dataset();
    let cache = tempfile::tempdir().unwrap();
    let diff = ["diff", "2001", "2002", "--format", "json"];
    let (code, before, _) = run(data.path(), cache.path(), &diff);
    assert_eq!(code, 0);
    assert!(before.contains("\"changes\": []"), "{before}");
    assert_eq!(cached_contents(cache.path()), ["dataset", "links"]);
    // Same length, same modification time: only the content tells.
    let path = data.path().join("2002.ron");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    write_snapshot(data.path(), "2002", "Omega");
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(modified).unwrap();
    let (code, after, _) = run(data.path(), cache.path(), &diff);
    assert_eq!(code, 0);
    assert!(after.contains("\"renamed\""), "{after}");
    assert!(after.contains("Omega"), "{after}");
}

#[test]
fn a_cached_dataset_gives_the_output_a_parsed_one_gives() {
    let data = dataset();
    let cache = tempfile::tempdir().unwrap();
    write_snapshot(data.path(), "2003", "Omega");
    for args in [
        vec!["snapshots", "--format", "json"],
        vec!["diff", "2001", "2003", "--format", "json"],
        vec!["lineage", "a", "--format", "json"],
        vec!["check"],
    ] {
        let cold = run(data.path(), cache.path(), &args);
        let warm = run(data.path(), cache.path(), &args);
        assert!(!cold.1.is_empty(), "{args:?}");
        assert_eq!(cold, warm, "{args:?}");
        let uncached = reorg()
            .env("REORG_NO_CACHE", "1")
            .arg("--data")
            .arg(data.path())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(uncached.stdout).unwrap(),
            warm.1,
            "{args:?}"
        );
    }
}

/// A way of damaging a file's bytes.
type Damage = dyn Fn(&mut Vec<u8>);

#[test]
fn a_damaged_cache_is_ignored_and_rewritten() {
    let data = dataset();
    let cache = tempfile::tempdir().unwrap();
    let args = ["snapshots", "--format", "json"];
    let (_, sound, _) = run(data.path(), cache.path(), &args);
    let files = cache_files(cache.path());
    assert_eq!(files.len(), 1);
    let good = std::fs::read(&files[0]).unwrap();
    assert!(good.len() > 64);
    let damages: [&Damage; 3] = [
        &|b| b.truncate(b.len() / 2),
        &|b| {
            let middle = b.len() / 2;
            b[middle] ^= 0xff;
        },
        &|b| b.clear(),
    ];
    for damage in damages {
        let mut bytes = good.clone();
        damage(&mut bytes);
        std::fs::write(&files[0], &bytes).unwrap();
        let (code, out, err) = run(data.path(), cache.path(), &args);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out, sound);
        assert_eq!(std::fs::read(&files[0]).unwrap(), good, "rewritten");
    }
}

#[test]
fn nothing_is_written_in_the_dataset_and_a_read_only_one_works() {
    let data = dataset();
    let cache = tempfile::tempdir().unwrap();
    let before = contents(data.path());
    let mut permissions = std::fs::metadata(data.path()).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(data.path(), permissions.clone()).unwrap();
    for _ in 0..2 {
        let (code, out, err) = run(data.path(), cache.path(), &["show", "--at", "2002"]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("Alpha"), "{out}");
    }
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(data.path(), permissions).unwrap();
    assert_eq!(contents(data.path()), before);
}

#[test]
fn a_cache_that_cannot_be_written_or_is_turned_off_is_no_failure() {
    let data = dataset();
    let blocked = tempfile::tempdir().unwrap();
    // A file where the cache directory should be.
    let not_a_dir = blocked.path().join("file");
    std::fs::write(&not_a_dir, "").unwrap();
    let (code, out, err) = run(data.path(), &not_a_dir, &["snapshots"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2002"), "{out}");
    let cache = tempfile::tempdir().unwrap();
    let out = reorg()
        .env("REORG_CACHE_DIR", cache.path())
        .env("REORG_NO_CACHE", "1")
        .arg("--data")
        .arg(data.path())
        .arg("snapshots")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(cache_files(cache.path()).is_empty(), "turned off");
}

#[test]
fn every_entry_is_read_or_reported() {
    let data = dataset();
    let dir = data.path();
    std::fs::write(dir.join("README.md"), "About this dataset\n").unwrap();
    // A temporary file left by an interrupted write, and an editor's: not
    // snapshots, whatever they hold.
    std::fs::write(dir.join(".2003.ron.4242.tmp"), "garbage").unwrap();
    std::fs::write(dir.join(".2003.ron"), "garbage").unwrap();
    let (code, out, err) = run(dir, &PathBuf::from(test_cache()), &["check"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("no problems found"), "{out}");
    assert!(
        out.contains("not read (not dataset files): README.md"),
        "{out}"
    );

    std::fs::copy(dir.join("2002.ron"), dir.join("2004.RON")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("gone.ron"), dir.join("2005.ron")).unwrap();
    let (code, _, err) = run(dir, &PathBuf::from(test_cache()), &["check"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("2004.RON"), "{err}");
    assert!(err.contains("rename it to `2004.ron`"), "{err}");
    #[cfg(unix)]
    assert!(err.contains("2005.ron"), "{err}");
    // Other commands refuse the dataset rather than skip what they
    // cannot read.
    let (code, _, err) = run(dir, &PathBuf::from(test_cache()), &["snapshots"]);
    assert_eq!(code, 3, "{err}");
}

/// The embedded dataset's files, copied into a fresh directory.
fn embedded_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    for entry in std::fs::read_dir(source).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
fn the_embedded_history_gives_the_same_output_cached_or_not() {
    let data = embedded_copy();
    let cache = tempfile::tempdir().unwrap();
    for args in [
        vec!["diff", "2003", "2025", "--format", "json"],
        vec!["diff", "2008", "2024", "--format", "json"],
        vec!["lineage", "OIA", "--format", "json"],
        vec!["timeline", "--format", "json"],
    ] {
        let cold = run(data.path(), cache.path(), &args);
        let warm = run(data.path(), cache.path(), &args);
        assert_eq!(cold.0, 0, "{args:?}: {}", cold.2);
        assert!(cold.1.len() > 1_000, "{args:?}: {}", cold.1);
        assert_eq!(cold, warm, "{args:?}");
        let uncached = reorg()
            .env("REORG_NO_CACHE", "1")
            .arg("--data")
            .arg(data.path())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(uncached.stdout).unwrap(),
            warm.1,
            "{args:?}"
        );
    }
    assert_eq!(cached_contents(cache.path()), ["dataset", "links"]);
}

/// What each step of the history matched, and which units restore
/// others, is kept once found; kept links that are damaged are ignored
/// and found and kept again, and the output is the same throughout.
#[test]
fn the_links_of_a_history_are_kept_and_rewritten_when_damaged() {
    let data = embedded_copy();
    let cache = tempfile::tempdir().unwrap();
    let commands = [
        vec!["lineage", "OIA", "--format", "json"],
        vec!["diff", "2003", "2025", "--format", "json"],
        vec!["timeline", "--format", "json"],
    ];
    let outputs = |cache: &Path| -> Vec<(i32, String, String)> {
        commands
            .iter()
            .map(|args| run(data.path(), cache, args))
            .collect()
    };
    let first = outputs(cache.path());
    assert!(first
        .iter()
        .all(|(code, out, _)| *code == 0 && out.len() > 1_000));
    let good = std::fs::read(links_file(cache.path())).unwrap();
    assert_eq!(outputs(cache.path()), first);
    assert_eq!(
        std::fs::read(links_file(cache.path())).unwrap(),
        good,
        "unchanged"
    );
    let damages: [&Damage; 3] = [
        &|b| b.truncate(b.len() / 2),
        &|b| {
            let middle = b.len() / 2;
            b[middle] ^= 0xff;
        },
        &|b| b.clear(),
    ];
    for damage in damages {
        let mut bytes = good.clone();
        damage(&mut bytes);
        std::fs::write(links_file(cache.path()), &bytes).unwrap();
        assert_eq!(outputs(cache.path()), first);
        assert_eq!(
            std::fs::read(links_file(cache.path())).unwrap(),
            good,
            "rewritten"
        );
    }
}

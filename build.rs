//! Embeds the dataset in `snapshots/` into the binary, so that `reorg`
//! works from any directory; and fingerprints the library's sources, so
//! that what the cache keeps of a dataset's history is never read by code
//! that would derive it otherwise.

use std::fmt::Write as _;
use std::hash::Hasher as _;
use std::path::{Path, PathBuf};

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out.join("embedded_dataset.rs"), embedded_dataset())
        .expect("OUT_DIR is writable");
    std::fs::write(out.join("sources.rs"), sources_fingerprint()).expect("OUT_DIR is writable");
}

/// The code of a table of the files in `snapshots/`, each included.
fn embedded_dataset() -> String {
    let dir = Path::new("snapshots");
    println!("cargo:rerun-if-changed=snapshots");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the snapshots/ directory exists")
        .filter_map(std::result::Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ron"))
        .collect();
    names.sort();
    let mut code = String::from("/// (path, contents) of every file of the embedded dataset.\n");
    code.push_str("pub(crate) static FILES: &[(&str, &str)] = &[\n");
    for name in &names {
        println!("cargo:rerun-if-changed=snapshots/{name}");
        let absolute = std::fs::canonicalize(dir.join(name)).expect("a readable file");
        writeln!(
            code,
            "    ({:?}, include_str!({:?})),",
            format!("snapshots/{name}"),
            absolute.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    code
}

/// The code of a constant that changes whenever a file under `src/` or
/// the versions of the dependencies (`Cargo.lock`) change: a hash of
/// their paths and contents.
fn sources_fingerprint() -> String {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let mut files = Vec::new();
    list_files(Path::new("src"), &mut files);
    files.sort();
    files.push(PathBuf::from("Cargo.lock"));
    let mut hasher = std::hash::DefaultHasher::new();
    for path in &files {
        // A packaged crate may have no lock file: its absence is hashed.
        let contents = std::fs::read(path).unwrap_or_default();
        hasher.write(path.to_string_lossy().as_bytes());
        hasher.write_usize(contents.len());
        hasher.write(&contents);
    }
    format!(
        "/// A fingerprint of the library's sources and dependencies.\npub(crate) const SOURCES: u64 = {:#018x};\n",
        hasher.finish()
    )
}

/// Every file under `dir`, recursively.
fn list_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            list_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

//! The entries of a dataset directory: every one is either read or
//! reported.
//!
//! Files named `*.ron` are read. Hidden entries (a name starting with `.`:
//! temporary files being written, editors' swap files, version control)
//! are left alone by design. Any other entry is listed as ignored, so
//! that `reorg check` can say what it did not read; and an entry that
//! looks like a dataset file but cannot be read as one (unreadable, a
//! dangling link, not a regular file, `*.RON` in another case) is a
//! problem, not something to skip.

use std::path::{Path, PathBuf};

use super::LoadError;
use crate::diagnostic::{Diagnostic, Rule, SourceFile};

/// What a dataset directory holds.
pub(super) struct Listing {
    /// The dataset files, sorted by name.
    pub paths: Vec<PathBuf>,
    /// The names of the entries that are not dataset files, sorted.
    pub ignored: Vec<String>,
    /// Entries that should be dataset files but cannot be read as such.
    pub problems: Vec<Diagnostic>,
}

/// Lists a dataset directory.
pub(super) fn list(dir: &Path) -> Result<Listing, LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Directory {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut listing = Listing {
        paths: Vec::new(),
        ignored: Vec::new(),
        problems: Vec::new(),
    };
    for entry in entries {
        match entry {
            Ok(entry) => listing.sort_out(&entry.path()),
            Err(e) => listing.problems.push(problem(
                &dir.display().to_string(),
                format!("an entry of the directory cannot be read: {e}"),
                "check the directory's permissions",
            )),
        }
    }
    listing.paths.sort();
    listing.ignored.sort();
    listing
        .problems
        .sort_by(|a, b| a.location.file.cmp(&b.location.file));
    Ok(listing)
}

impl Listing {
    fn sort_out(&mut self, path: &Path) {
        let shown = path.display().to_string();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if name.to_ascii_lowercase().ends_with(".ron") {
                self.problems.push(problem(
                    &shown,
                    "the file's name is not valid Unicode, so it is not read",
                    "rename the file",
                ));
            } else {
                self.ignored.push(name.into_owned());
            }
            return;
        };
        if name.starts_with('.') {
            return;
        }
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !extension.eq_ignore_ascii_case("ron") {
            self.ignored.push(name.to_string());
            return;
        }
        if extension != "ron" {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or(name);
            self.problems.push(problem(
                &shown,
                format!("`{name}` is not read: dataset files end in `.ron`, in lower case"),
                format!("rename it to `{stem}.ron`"),
            ));
            return;
        }
        // `metadata` follows links: a dangling one is an error here.
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() => self.paths.push(path.to_path_buf()),
            Ok(m) if m.is_dir() => self.ignored.push(name.to_string()),
            Ok(_) => self.problems.push(problem(
                &shown,
                "not a regular file, so it is not read",
                "replace it with a regular file, or rename it so that it does not end in `.ron`",
            )),
            Err(e) => self.problems.push(problem(
                &shown,
                format!("cannot read the file: {e}"),
                "check that the file exists (a link must point to an existing file) and is readable",
            )),
        }
    }
}

fn problem(path: &str, message: impl Into<String>, help: impl Into<String>) -> Diagnostic {
    let whole = SourceFile::new(path, "").whole();
    Diagnostic::new(Rule::Io, whole, message).with_help(help)
}

//! Where output goes: standard output, or a file that is never left
//! half-written and never loses what it was.
//!
//! - A regular file (or a new one) is replaced atomically: the output goes
//!   to a temporary file beside it, which gets the target's permissions and
//!   owner, is synced, then renamed over it.
//! - A symbolic link is followed: the file it points to is replaced, and
//!   the link kept.
//! - A regular file with several hard links, whose owner a new file
//!   cannot be given, or in a directory where no temporary file can be
//!   made, is written in place instead, so that every link keeps seeing it
//!   and its owner stays (as editors do): the output is complete
//!   in memory before the file is opened, so only a failing disk can leave
//!   it short, and the error then says so.
//! - A FIFO or a device (`/dev/null`, a terminal) is written through: opened
//!   and written, never replaced.
//! - A read-only file, a directory, and a file the command reads (see
//!   [`Inputs`]) are refused before anything is written.
//!
//! Temporary files are named `.reorg-tmp-*` (hidden, and never `*.ron`, so
//! that a dataset never takes one for a snapshot); they are removed on
//! error, and on SIGINT, SIGTERM and SIGHUP ([`cleanup`]).

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

mod cleanup;

/// The start of the name of every temporary file `reorg` writes.
pub(crate) const TEMPORARY_PREFIX: &str = ".reorg-tmp-";

/// The destination of a command's output; `-` or nothing means stdout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    Stdout,
    File(PathBuf),
}

/// Why output could not be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OutputError {
    #[error("cannot write to standard output: {0}")]
    Stdout(io::Error),
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}; the file was written in place and may be incomplete", path.display())]
    InPlace { path: PathBuf, source: io::Error },
    #[error("{} is read-only; make it writable or choose another output file", path.display())]
    ReadOnly { path: PathBuf },
    #[error("{} is a directory; give a file name", path.display())]
    Directory { path: PathBuf },
    #[error(
        "-o {}: this command reads that file{}; choose another output file",
        path.display(),
        read_as(path, input)
    )]
    Input { path: PathBuf, input: PathBuf },
    #[error(
        "-o {}: the file would be read as part of the dataset {} (every `.ron` file \
         there is); choose another name or directory",
        path.display(),
        dataset.display()
    )]
    InDataset { path: PathBuf, dataset: PathBuf },
}

/// How the command read a file named differently by `-o`: " (as x.csv)".
fn read_as(path: &Path, input: &Path) -> String {
    if path == input {
        String::new()
    } else {
        format!(" (as {})", input.display())
    }
}

impl OutputError {
    /// Whether the command line must change (a file the command reads was
    /// named as its output), rather than the file system.
    pub(crate) fn is_usage(&self) -> bool {
        matches!(
            self,
            OutputError::Input { .. } | OutputError::InDataset { .. }
        )
    }
}

/// What a command read, that its output must not replace.
#[derive(Debug, Default, Clone)]
pub(crate) struct Inputs {
    files: Vec<PathBuf>,
    /// Dataset directories: every file in them is read, and a `.ron` file
    /// written there would be read with them next time.
    datasets: Vec<PathBuf>,
}

impl Inputs {
    /// A file the command reads.
    pub(crate) fn add_file(&mut self, path: &Path) {
        self.files.push(path.to_path_buf());
    }

    /// A dataset directory the command reads.
    pub(crate) fn add_dataset(&mut self, dir: &Path) {
        self.datasets.push(dir.to_path_buf());
    }

    /// Refuses `path` (resolved to `real`) if the command reads it.
    fn check(&self, path: &Path, real: &Path) -> Result<(), OutputError> {
        let refuse = |input: &Path| OutputError::Input {
            path: path.to_path_buf(),
            input: input.to_path_buf(),
        };
        if let Some(input) = self.files.iter().find(|f| same_file(real, f)) {
            return Err(refuse(input));
        }
        for dir in &self.datasets {
            let entries = fs::read_dir(dir).into_iter().flatten().flatten();
            if let Some(entry) = entries.map(|e| e.path()).find(|e| same_file(real, e)) {
                return Err(refuse(&entry));
            }
            let is_ron = real
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("ron"));
            if is_ron && same_file(&directory_of(real), dir) {
                return Err(OutputError::InDataset {
                    path: path.to_path_buf(),
                    dataset: dir.clone(),
                });
            }
        }
        Ok(())
    }
}

impl Target {
    pub(crate) fn from_arg(path: Option<&Path>) -> Target {
        match path {
            None => Target::Stdout,
            Some(p) if p.as_os_str() == "-" => Target::Stdout,
            Some(p) => Target::File(p.to_path_buf()),
        }
    }

    /// Writes the whole output at once, refusing a file in `inputs`. A
    /// reader that closed standard output early (`| head`) is no error.
    pub(crate) fn write(&self, content: &str, inputs: &Inputs) -> Result<(), OutputError> {
        match self {
            Target::Stdout => {
                let mut out = io::stdout().lock();
                match out.write_all(content.as_bytes()).and_then(|()| out.flush()) {
                    Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(OutputError::Stdout(e)),
                    _ => Ok(()),
                }
            }
            Target::File(path) => write_file(path, content.as_bytes(), inputs),
        }
    }
}

/// Writes `bytes` to the file `path` as the module documentation says.
pub(crate) fn write_file(path: &Path, bytes: &[u8], inputs: &Inputs) -> Result<(), OutputError> {
    let failed = |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    };
    let real = resolve_links(path).map_err(failed)?;
    inputs.check(path, &real)?;
    let meta = match fs::metadata(&real) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return replace(&real, bytes, None).map_err(|r| failed(r.into_io()));
        }
        Err(e) => return Err(failed(e)),
    };
    if meta.is_dir() {
        return Err(OutputError::Directory {
            path: path.to_path_buf(),
        });
    }
    if !meta.is_file() {
        return write_through(&real, bytes).map_err(failed);
    }
    refuse_read_only(path, &real, &meta)?;
    if links(&meta) > 1 {
        return write_in_place(path, &real, bytes);
    }
    match replace(&real, bytes, Some(&meta)) {
        Ok(()) => Ok(()),
        Err(Replace::OwnerNotKept | Replace::NoTemporary(_)) => write_in_place(path, &real, bytes),
        Err(Replace::Io(e)) => Err(failed(e)),
    }
}

/// The file a path names once symbolic links are followed; a dangling
/// link names the file it points to, which is then created.
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // As many links as Linux follows before giving up (ELOOP).
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                current = directory_of(&current).join(target);
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The directory a file is in (`.` for a bare name).
fn directory_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Whether two paths name the same existing file (or directory).
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => identity(&a) == identity(&b),
        _ => false,
    }
}

#[cfg(unix)]
fn identity(meta: &Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(unix)]
fn links(meta: &Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.nlink()
}

#[cfg(not(unix))]
fn identity(meta: &Metadata) -> (u64, u64) {
    (meta.len(), 0)
}

#[cfg(not(unix))]
fn links(_meta: &Metadata) -> u64 {
    1
}

/// A file without write permission is refused, even where the directory
/// would let it be replaced (or the user is root and could write it).
fn refuse_read_only(path: &Path, real: &Path, meta: &Metadata) -> Result<(), OutputError> {
    let denied = OpenOptions::new()
        .write(true)
        .open(real)
        .is_err_and(|e| e.kind() == io::ErrorKind::PermissionDenied);
    if meta.permissions().readonly() || denied {
        return Err(OutputError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Why a file could not be replaced.
enum Replace {
    /// The new file could not be given the old one's owner.
    OwnerNotKept,
    /// No temporary file could be made beside it (a directory the user
    /// may not write to, holding a file they may).
    NoTemporary(io::Error),
    Io(io::Error),
}

impl From<io::Error> for Replace {
    fn from(e: io::Error) -> Replace {
        Replace::Io(e)
    }
}

impl Replace {
    fn into_io(self) -> io::Error {
        match self {
            Replace::Io(e) | Replace::NoTemporary(e) => e,
            Replace::OwnerNotKept => {
                io::Error::other("cannot give the new file the old one's owner")
            }
        }
    }
}

/// Writes a temporary file beside `real`, with the permissions and owner
/// of the file it replaces (`old`), and renames it over `real`.
fn replace(real: &Path, bytes: &[u8], old: Option<&Metadata>) -> Result<(), Replace> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX).suffix(".tmp");
    #[cfg(unix)]
    {
        // A new file gets what any program's would: rw for all, less the
        // umask (the temporary file's own default is rw for the owner only).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let dir = directory_of(real);
    let temporary =
        cleanup::Pending::create(|| builder.tempfile_in(&dir)).map_err(Replace::NoTemporary)?;
    let mut file = temporary.file();
    file.write_all(bytes)?;
    if let Some(old) = old {
        keep_owner(file, old)?;
        file.set_permissions(old.permissions())?;
    }
    file.sync_all()?;
    temporary.persist(real)?;
    // The rename is durable once the directory is synced; not every file
    // system can sync a directory, and the output is written either way.
    let _ = File::open(&dir).and_then(|d| d.sync_all());
    Ok(())
}

#[cfg(unix)]
fn keep_owner(file: &File, old: &Metadata) -> Result<(), Replace> {
    use std::os::unix::fs::MetadataExt;
    let new = file.metadata()?;
    if (new.uid(), new.gid()) == (old.uid(), old.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()))
        .map_err(|_| Replace::OwnerNotKept)
}

#[cfg(not(unix))]
fn keep_owner(_file: &File, _old: &Metadata) -> Result<(), Replace> {
    Ok(())
}

/// Overwrites an existing regular file's content.
fn write_in_place(path: &Path, real: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let mut file = OpenOptions::new()
        .write(true)
        .open(real)
        .map_err(|source| OutputError::Write {
            path: path.to_path_buf(),
            source,
        })?;
    file.set_len(0)
        .and_then(|()| file.write_all(bytes))
        .and_then(|()| file.sync_all())
        .map_err(|source| OutputError::InPlace {
            path: path.to_path_buf(),
            source,
        })
}

/// Writes to a FIFO, a device or a socket as it is, without replacing it.
fn write_through(real: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).open(real)?;
    file.write_all(bytes)?;
    file.flush()
}

//! Temporary files removed even when the process is interrupted: a SIGINT
//! (Ctrl-C), SIGTERM or SIGHUP that arrives while a file is being written
//! removes its temporary file, then ends the process as the signal would
//! have. (Nothing can clean up after SIGKILL; the files' names say what
//! they are.)

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

use tempfile::NamedTempFile;

/// The temporary files being written, for the signal handler to remove.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic while the list was held leaves it usable.
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A temporary file that an interruption removes; dropping it removes it
/// too, unless it was persisted.
pub(super) struct Pending {
    file: Option<NamedTempFile>,
}

impl Pending {
    /// Creates the file with `create`, listed for removal from the moment
    /// it exists: the handler is installed first, and the list is held
    /// until the file is on it.
    pub(super) fn create(
        create: impl FnOnce() -> io::Result<NamedTempFile>,
    ) -> io::Result<Pending> {
        install_handler();
        let mut list = pending();
        let file = create()?;
        list.push(file.path().to_path_buf());
        Ok(Pending { file: Some(file) })
    }

    pub(super) fn file(&self) -> &File {
        self.file
            .as_ref()
            .expect("present until persisted")
            .as_file()
    }

    /// Renames the file over `target`. The list stays locked meanwhile, so
    /// that an interruption either removes the file before the rename or
    /// finds it renamed.
    pub(super) fn persist(mut self, target: &Path) -> io::Result<()> {
        let file = self.file.take().expect("persisted once");
        let mut list = pending();
        let path = file.path().to_path_buf();
        let result = file.persist(target).map(drop).map_err(|e| e.error);
        list.retain(|p| *p != path);
        result
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            let mut list = pending();
            let path = file.path().to_path_buf();
            drop(file);
            list.retain(|p| *p != path);
        }
    }
}

/// Starts, once, the thread that waits for an interruption.
fn install_handler() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name("cleanup".into())
                .spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        remove_pending_and_die(signal);
                    }
                });
        }
    });
}

#[cfg(unix)]
fn remove_pending_and_die(signal: i32) {
    // Held until the process ends: no rename can follow the removal.
    let list = pending();
    for path in list.iter() {
        let _ = std::fs::remove_file(path);
    }
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    std::process::exit(128 + signal);
}

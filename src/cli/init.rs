//! `reorg init DIR`: start a new dataset.

use std::path::PathBuf;

use super::{exit, Context, Failure};
use crate::load::{EVENTS_FILE, SOURCES_FILE};
use crate::output::{self, Inputs};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Then add snapshots with `reorg import CHART --date DATE -o DIR/ID.ron`,\nand use the dataset with `reorg --data DIR ...`."
)]
pub(crate) struct Args {
    /// The directory to create (it must not exist, or be empty)
    pub dir: PathBuf,
}

/// Why a dataset directory could not be started.
#[derive(Debug, thiserror::Error)]
pub(crate) enum InitError {
    #[error("{} exists and is not empty; choose a new directory", .0.display())]
    NotEmpty(PathBuf),
    #[error("cannot create {}: {source}", path.display())]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
}

const README: &str = "# A reorg dataset\n\n\
One RON file per snapshot of the organization, plus `events.ron` (changes the\n\
sources state) and `sources.ron` (what snapshots, units and events cite).\n\n\
- Add a snapshot: `reorg import chart.csv --date 2019-07 -o 2019-07.ron`\n\
- Validate: `reorg check .`\n\
- Explore: `reorg --data . show`, `reorg --data . diff 2015 2020`\n";

pub(super) fn run(ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let dir = &args.dir;
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied {
        return Err(InitError::NotEmpty(dir.clone()).into());
    }
    std::fs::create_dir_all(dir).map_err(|source| InitError::Create {
        path: dir.clone(),
        source,
    })?;
    for (name, content) in [
        (EVENTS_FILE, "[\n]\n"),
        (SOURCES_FILE, "[\n]\n"),
        ("README.md", README),
    ] {
        output::write_file(&dir.join(name), content.as_bytes(), &Inputs::default())?;
    }
    ctx.emit(
        None,
        &format!(
            "created {}: add snapshots with `reorg import`\n",
            dir.display()
        ),
    )?;
    Ok(exit::SUCCESS)
}

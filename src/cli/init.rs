//! `reorg init DIR`: start a new dataset.

use std::path::PathBuf;

use super::{emit, exit, Context, Failure};
use crate::load::{EVENTS_FILE, SOURCES_FILE};
use crate::output::Target;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Then add snapshots with `reorg import CHART --date DATE -o DIR/ID.ron`,\nand use the dataset with `reorg --data DIR ...`."
)]
pub struct Args {
    /// The directory to create (it must not exist, or be empty)
    pub dir: PathBuf,
}

const README: &str = "# A reorg dataset\n\n\
One RON file per snapshot of the organization, plus `events.ron` (changes the\n\
sources state) and `sources.ron` (what snapshots, units and events cite).\n\n\
- Add a snapshot: `reorg import chart.csv --date 2019-07 -o 2019-07.ron`\n\
- Validate: `reorg check .`\n\
- Explore: `reorg --data . show`, `reorg --data . diff 2015 2020`\n";

pub fn run(_ctx: &Context, args: &Args) -> Result<u8, Failure> {
    let dir = &args.dir;
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied {
        return Err(Failure::data(format!(
            "{} exists and is not empty; choose a new directory",
            dir.display()
        )));
    }
    let fail = |e: std::io::Error| Failure::data(format!("cannot create {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    for (name, content) in [
        (EVENTS_FILE, "[\n]\n"),
        (SOURCES_FILE, "[\n]\n"),
        ("README.md", README),
    ] {
        crate::output::write_atomically(&dir.join(name), content.as_bytes()).map_err(fail)?;
    }
    emit(
        &Target::Stdout,
        &format!(
            "created {}: add snapshots with `reorg import`\n",
            dir.display()
        ),
    )?;
    Ok(exit::SUCCESS)
}

//! `reorg` used as a library, from another crate: load a dataset, lay the
//! state at a date, diff two dates, follow a unit's lineage and cross-walk
//! the units of one date to another.
//!
//! ```text
//! cargo run --example library                       # the embedded ICE history, 2008 to 2024
//! cargo run --example library -- 2010 2020 LEISI    # other dates, another unit
//! cargo run --example library -- 2010 2020 X DIR    # a dataset directory
//! ```
//!
//! A program of its own depends on the library without the command line:
//! `reorg = { version = "0.1", default-features = false }` (see
//! `docs/library.md`).

use std::error::Error;
use std::path::PathBuf;

use reorg::crosswalk::{crosswalk, Options};
use reorg::date::parse_query_day;
use reorg::diff::history::History;
use reorg::diff::{diff, Filter};
use reorg::lineage::{lineage, Reach};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: &'static str| args.get(i).map_or(default, String::as_str);
    let (from_text, to_text, unit) = (arg(0, "2008"), arg(1, "2024"), arg(2, "LEISI"));
    let dir = args.get(3).map(PathBuf::from);

    // `None` is the dataset embedded in the library.
    let dataset = reorg::load::load(dir.as_deref())?;
    let from = (from_text, parse_query_day(from_text)?);
    let to = (to_text, parse_query_day(to_text)?);

    let state = dataset.state_at(to.1);
    println!("{} units at the end of {to_text}", state.len());

    let changes = diff(&dataset, from, to, &Filter::default())?;
    let options = reorg::render::changes::Options::default();
    print!("\n{}", reorg::render::changes::text(&changes, &options));

    let history = History::build(&dataset);
    match reorg::find::resolve(&history, unit).as_slice() {
        [found] => {
            let reach = Reach {
                ancestors: true,
                descendants: true,
                depth: None,
            };
            let lineage = lineage(&history, found.thread, reach);
            print!("\n{}", reorg::render::lineage::text(&lineage));
        }
        [] => println!("\nno unit is or was called {unit}"),
        several => println!("\n{unit} names {} units", several.len()),
    }

    let walk = crosswalk(&history, from, to, &Options::default())?;
    print!("\n{}", reorg::render::crosswalk::markdown(&walk));
    Ok(())
}

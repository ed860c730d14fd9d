//! Integration tests: most run the real `reorg` binary.
//!
//! - `adversarial`: generated hostile datasets and charts, refused cleanly.
//! - `check`: one bad dataset per rule, each diagnostic located.
//! - `history`: facts of the embedded ICE/HSI dataset.
//! - `dataset`, `dataset_eras`: the embedded dataset against its sources
//!   (the seeds, the research table of events, each era, inferred
//!   placements).
//! - `dataset_files`: every entry of a dataset directory read or reported;
//!   the cache of parsed datasets and of their histories' links.
//! - `cli`: formats, errors and exit codes.
//! - `crosswalk`: `crosswalk` on the ICE history and a hand-made agency.
//! - `convert`: `convert` on hand-made tables; `convert_totals`: the
//!   totals of tables converted across generated histories.
//! - `diff`, `lineage`, `report`, `import`: each command on the ICE history
//!   and on the DHS example.
//! - `escaping`: every output format on a dataset of hostile names.
//! - `export`, `popolo`: the interchange formats, read back by others'
//!   parsers and readers.
//! - `svg`, `site`: the pictures and the website, read back and, with
//!   Chromium (`browser`), drawn and compared with committed screenshots.
//! - `text`: what a person reads in a terminal, at fixed widths and in a
//!   real pseudo-terminal.
//! - `properties`, `rekeyed`, `inference`: the diff's properties and the
//!   measured quality of inference.

mod adversarial;
mod browser;
mod check;
mod cli;
mod convert;
mod convert_totals;
mod crosswalk;
mod dataset;
mod dataset_eras;
mod dataset_files;
mod diff;
mod escaping;
mod export;
mod history;
mod import;
mod inference;
mod lineage;
mod popolo;
mod properties;
mod rekeyed;
mod report;
mod site;
mod svg;
mod text;
mod util;

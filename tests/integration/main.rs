//! Integration tests: most run the real `reorg` binary.
//!
//! - `adversarial`: generated hostile datasets and charts, refused cleanly.
//! - `check`: one bad dataset per rule, each diagnostic located.
//! - `history`: facts of the embedded ICE/HSI dataset.
//! - `dataset`: the embedded dataset against its sources (the seeds, the
//!   research table of events, inferred placements).
//! - `dataset_files`: every entry of a dataset directory read or reported;
//!   the cache of parsed datasets.
//! - `cli`: formats, errors and exit codes.
//! - `crosswalk`: `crosswalk` and `convert`, and the totals of converted
//!   tables on generated histories.
//! - `diff`, `lineage`, `report`, `import`: each command on the ICE history
//!   and on the DHS example.
//! - `escaping`: every output format on a dataset of hostile names.
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
mod crosswalk;
mod dataset;
mod dataset_files;
mod diff;
mod escaping;
mod export;
mod history;
mod import;
mod inference;
mod lineage;
mod properties;
mod rekeyed;
mod report;
mod site;
mod svg;
mod text;
mod util;

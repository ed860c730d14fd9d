//! Integration tests: they run the real `reorg` binary.
//!
//! - `check`: one bad dataset per rule, each diagnostic located.
//! - `history`: facts of the embedded ICE/HSI dataset.
//! - `cli`: formats, errors and exit codes.

mod check;
mod cli;
mod diff;
mod escaping;
mod export;
mod history;
mod import;
mod lineage;
mod properties;
mod rekeyed;
mod report;
mod util;

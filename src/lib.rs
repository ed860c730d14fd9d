//! `reorg`: the history of an organization's structure, kept as dated
//! snapshots of its chart.
//!
//! A [`Dataset`](dataset::Dataset) holds snapshots, curated events and
//! sources ([`load`]), and lays the organization after each
//! snapshot as a graph ([`state`]) when it is first asked for; [`check`]
//! validates a dataset. [`crosswalk`] says what each unit of one date is
//! at another, and [`convert`] carries a table keyed by units across.

// The front door: what a program using the library needs.
pub mod check;
pub mod convert;
pub mod crosswalk;
pub mod dataset;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod find;
pub mod import;
pub mod lineage;
pub mod load;
pub mod model;
pub mod render;
pub mod site;
pub mod state;
pub mod write;

// The command-line program; `src/main.rs` calls `cli::main`.
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;

// Generated histories, and the scoring of a diff against a known truth,
// for this package's tests, benchmarks and examples.
#[cfg(any(test, feature = "synth"))]
#[doc(hidden)]
pub mod synth;
#[cfg(any(test, feature = "synth"))]
#[doc(hidden)]
pub mod truth;

// How the front door does its work.
pub(crate) mod cache;
#[cfg(feature = "cli")]
pub(crate) mod export;
pub(crate) mod locate;
pub(crate) mod observation;
#[cfg(feature = "cli")]
pub(crate) mod output;
pub(crate) mod text;
pub(crate) mod timeline;
// The report's sentences serve the site too, the rest of the report and
// the lookup in a state only the command line.
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub(crate) mod lookup;
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub(crate) mod report;

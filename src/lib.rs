//! `reorg`: the history of an organization's structure, kept as dated
//! snapshots of its chart.
//!
//! A [`Dataset`](dataset::Dataset) holds snapshots, curated events and
//! sources ([`load`], [`cache`]), and lays the organization after each
//! snapshot as a graph ([`state`]) when it is first asked for; [`check`]
//! validates a dataset. [`crosswalk`] says what each unit of one date is
//! at another, and [`convert`] carries a table keyed by units across.

pub mod cache;
pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod convert;
pub mod crosswalk;
pub mod dataset;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod export;
pub mod find;
pub mod import;
pub mod lineage;
pub mod load;
pub mod locate;
pub mod lookup;
pub mod model;
pub mod observation;
pub mod output;
pub mod render;
pub mod report;
pub mod site;
pub mod state;
#[cfg(any(test, feature = "synth"))]
#[doc(hidden)]
pub mod synth;
pub mod text;
pub mod timeline;
pub mod truth;
pub mod write;

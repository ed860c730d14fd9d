//! `reorg`: the history of an organization's structure, kept as dated
//! snapshots of its chart.
//!
//! A [`Dataset`](model::Dataset) holds snapshots, curated events and
//! sources ([`load`]), and the organization after each snapshot as a graph
//! ([`state`]), assembled once when the dataset is put together; [`check`]
//! validates a dataset.

pub mod check;
pub mod cli;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod export;
pub mod find;
pub mod import;
pub mod lineage;
pub mod load;
pub mod lookup;
pub mod model;
pub mod output;
pub mod parallel;
pub mod render;
pub mod report;
pub mod state;
pub mod synth;
pub mod text;
pub mod timeline;
pub mod truth;
pub mod write;

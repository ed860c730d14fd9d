//! `reorg`: the history of an organization's structure, kept as dated
//! snapshots of its chart.
//!
//! A [`Dataset`](dataset::Dataset) holds snapshots, curated events and
//! sources, and lays the organization after each snapshot as a graph
//! ([`state`]) when it is first asked for. The front door:
//!
//! | to | use |
//! |---|---|
//! | load a dataset: a directory, or the embedded ICE history | [`load::load`] |
//! | check one, every problem located in its files | [`check::check_dir`], [`diagnostic::render`] |
//! | the organization at a date | [`Dataset::state_at`](dataset::Dataset::state_at) |
//! | what changed between two dates | [`diff::diff`] (or [`diff::diff_states`] for two undated charts) |
//! | a unit's names, parents, predecessors and successors | [`find::resolve`], [`lineage::lineage`] |
//! | what each unit of one date is at another | [`crosswalk::crosswalk`] |
//! | carry a table keyed by units across | [`convert::convert`] |
//! | a chart from CSV, an outline or JSON | [`import`] |
//! | a result as text, CSV, Markdown or JSON | [`render`] |
//!
//! Dates are written as on the command line: a partial date as a query
//! means its last day ([`date::parse_query_day`]), so `2008` is the end of
//! 2008. The JSON that [`render`] writes is a versioned contract
//! (`docs/json.md`); the Rust types may still change between releases.
//!
//! # Examples
//!
//! The state at a date, and what changed between two:
//!
//! ```
//! use reorg::date::parse_query_day;
//! use reorg::diff::{diff, Filter};
//! use reorg::model::ChangeKind;
//!
//! let dataset = reorg::load::load(None)?; // the embedded ICE history
//! let end_of_2008 = parse_query_day("2008")?;
//! let state = dataset.state_at(end_of_2008);
//! assert!(state.find("ice-oi").is_some());
//!
//! let from = ("2008", end_of_2008);
//! let to = ("2024", parse_query_day("2024")?);
//! let changes = diff(&dataset, from, to, &Filter::default())?;
//! let oi_to_hsi = changes.changes.iter().find(|c| {
//!     c.kind == ChangeKind::Renamed
//!         && c.from[0].acronym.as_deref() == Some("OI")
//!         && c.to[0].acronym.as_deref() == Some("HSI")
//! });
//! assert!(oi_to_hsi.is_some());
//! let json = reorg::render::diff::json(&changes);
//! assert!(json.contains("\"schema\": \"reorg.diff/"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A unit's lineage, found by a name or acronym it had at any time:
//!
//! ```
//! use reorg::diff::history::History;
//! use reorg::lineage::{lineage, Reach};
//!
//! let dataset = reorg::load::load(None)?;
//! let history = History::build(&dataset);
//! let found = reorg::find::resolve(&history, "LEISI");
//! assert_eq!(found.len(), 1);
//! let reach = Reach {
//!     ancestors: true,
//!     descendants: true,
//!     depth: None, // all the way
//! };
//! let leisi = lineage(&history, found[0].thread, reach);
//! let names: Vec<&str> = leisi.units[0]
//!     .versions
//!     .iter()
//!     .map(|v| v.unit.name.as_str())
//!     .collect();
//! assert!(names.contains(&"Law Enforcement Information Sharing Initiative"));
//! print!("{}", reorg::render::lineage::text(&leisi));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A crosswalk: what each unit of 2008 is in 2024.
//!
//! ```
//! use reorg::crosswalk::{crosswalk, Options, Relation};
//! use reorg::date::parse_query_day;
//! use reorg::diff::history::History;
//!
//! let dataset = reorg::load::load(None)?;
//! let history = History::build(&dataset);
//! let from = ("2008", parse_query_day("2008")?);
//! let to = ("2024", parse_query_day("2024")?);
//! let walk = crosswalk(&history, from, to, &Options::default())?;
//! let oi = walk.rows.iter().find(|r| r.unit.id == "ice-oi").expect("OI in 2008");
//! assert_eq!(oi.relation, Relation::Renamed);
//! assert_eq!(oi.parts[0].unit.as_ref().unwrap().acronym.as_deref(), Some("HSI"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

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

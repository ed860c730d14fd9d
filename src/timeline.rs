//! Every change in date order: what each step of the history shows,
//! curated and observed, with the honest date range of each.

use crate::dataset::Dataset;
use crate::date::Day;
use crate::diff::{self, Change, Filter};

/// The changes that may have happened between the end of `from` and the
/// end of `to`, by their own dates, step by step, in date order.
pub(crate) fn timeline(dataset: &Dataset, from: Day, to: Day, filter: &Filter) -> Vec<Change> {
    diff::changes_dated(dataset, from, to, filter)
}

//! The chain of states between two dates, and the steps that match each
//! state to the next.

use super::cached;
use super::step::{self, Step};
use crate::dataset::Dataset;
use crate::date::Day;
use crate::model::Event;
use crate::state::{OrgState, UnitIx};

/// The states from FROM to TO and the steps between them.
pub(super) struct Chain<'d> {
    pub states: Vec<&'d OrgState>,
    /// `steps[k]` matches `states[k]` to `states[k + 1]`.
    pub steps: Vec<Step>,
    /// The snapshot that produced each state after the first (for messages).
    pub snapshots: Vec<Option<usize>>,
    pub events: &'d [Event],
    /// The day the first state stands for; `None` for undated states.
    pub from: Option<Day>,
    /// The dataset and the index of the first state in it, if the states
    /// are a dataset's: units are then found by id through it.
    laid_from: Option<(&'d Dataset, usize)>,
}

impl<'d> Chain<'d> {
    /// The states at FROM and at every snapshot date in (FROM, TO].
    pub(super) fn build(dataset: &'d Dataset, from: Day, to: Day) -> Chain<'d> {
        // State n of the dataset comes after its first n snapshots.
        let first = dataset.snapshots_until(from).count();
        let last = dataset.snapshots_until(to).count().max(first);
        dataset.prepare(first..=last);
        let states: Vec<&OrgState> = (first..=last).map(|n| dataset.state_after(n)).collect();
        let snapshots: Vec<Option<usize>> = (first..=last).map(|n| n.checked_sub(1)).collect();
        Chain {
            states,
            steps: cached::steps(dataset, first..last),
            snapshots,
            events: &dataset.events,
            from: Some(from),
            laid_from: Some((dataset, first)),
        }
    }

    /// Two undated states, one step.
    pub(super) fn of_two(before: &'d OrgState, after: &'d OrgState) -> Chain<'d> {
        Chain {
            states: vec![before, after],
            steps: vec![step::match_undated(before, after)],
            snapshots: vec![None, None],
            events: &[],
            from: None,
            laid_from: None,
        }
    }

    /// The unit of state `k` with this id.
    pub(crate) fn find(&self, k: usize, id: &str) -> Option<UnitIx> {
        match self.laid_from {
            Some((dataset, first)) => dataset.find(first + k, id),
            None => self.states[k].find(id),
        }
    }

    pub(super) fn first(&self) -> &OrgState {
        self.states[0]
    }

    pub(super) fn last(&self) -> &OrgState {
        self.states.last().expect("a chain has a state")
    }
}

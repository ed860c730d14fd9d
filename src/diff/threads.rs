//! Threads: the continuity links of consecutive steps joined into one unit
//! followed from state to state through renames, moves and new ids; and
//! which earlier unit a thread re-establishes under its old id.

use super::chain::Chain;
use super::step;
use crate::state::UnitIx;

/// One unit followed through the chain, in consecutive states.
pub(super) struct Thread {
    /// The state it is first in.
    first: usize,
    /// The unit it is in each state from `first` on.
    units: Vec<UnitIx>,
}

impl Thread {
    /// Version `j`: (state index, unit) in the `j`-th state it is in.
    pub(super) fn version(&self, j: usize) -> (usize, UnitIx) {
        (self.first + j, self.units[j])
    }

    /// The number of states it is in.
    pub(super) fn len(&self) -> usize {
        self.units.len()
    }

    /// Every version, in order.
    pub(super) fn versions(&self) -> impl Iterator<Item = (usize, UnitIx)> + '_ {
        (self.first..).zip(self.units.iter().copied())
    }

    /// The index of the version in state `k`, if the unit is in that
    /// state.
    pub(super) fn at(&self, k: usize) -> Option<usize> {
        (self.first..=self.last_state())
            .contains(&k)
            .then(|| k - self.first)
    }

    pub(super) fn first_state(&self) -> usize {
        self.first
    }

    pub(super) fn last_state(&self) -> usize {
        self.first + self.units.len() - 1
    }
}

/// The threads of a chain, and which thread each unit of each state is on.
pub(super) struct Threads {
    pub threads: Vec<Thread>,
    /// `of[k][unit index]`: the thread of a unit of state k.
    of: Vec<Vec<u32>>,
}

impl Threads {
    pub(super) fn build(chain: &Chain) -> Threads {
        // Which thread each unit is on: a unit that continues one of the
        // state before is on its thread, any other begins a thread.
        let mut of: Vec<Vec<u32>> = Vec::with_capacity(chain.states.len());
        let mut firsts: Vec<(usize, UnitIx)> = Vec::new();
        let mut lengths: Vec<usize> = Vec::new();
        for (k, state) in chain.states.iter().enumerate() {
            let continues = k.checked_sub(1).map(|s| &chain.steps[s].continues);
            let ids: Vec<u32> = (0..state.len())
                .map(|i| {
                    let ix = UnitIx::new(i);
                    let continued = continues.and_then(|c| c[i]);
                    match continued {
                        Some(before) => {
                            let t = of[k - 1][before.index()];
                            lengths[t as usize] += 1;
                            t
                        }
                        None => {
                            firsts.push((k, ix));
                            lengths.push(1);
                            u32::try_from(firsts.len() - 1).expect("fewer than 2^32 threads")
                        }
                    }
                })
                .collect();
            of.push(ids);
        }
        // Each thread's versions, laid out at their final size.
        let mut threads: Vec<Thread> = firsts
            .iter()
            .zip(&lengths)
            .map(|(&(first, ix), &len)| {
                let mut units = Vec::with_capacity(len);
                units.push(ix);
                Thread { first, units }
            })
            .collect();
        for (ids, step) in of.iter().skip(1).zip(&chain.steps) {
            for (i, continued) in step.continues.iter().enumerate() {
                if continued.is_some() {
                    threads[ids[i] as usize].units.push(UnitIx::new(i));
                }
            }
        }
        Threads { threads, of }
    }

    /// The thread of unit `ix` of state `k`.
    pub(super) fn thread(&self, k: usize, ix: UnitIx) -> usize {
        self.of[k][ix.index()] as usize
    }
}

/// The unit that a thread beginning after the first state re-establishes:
/// the last unit to bear its id before (unit `ix` of state `j`), when the
/// id was absent from the state just before the thread began (an id handed
/// straight to another unit is not a restoration), that unit is gone for
/// good (see [`last_bearer_gone`]), and the two share a name word, an
/// acronym or a parent (else the id was merely reused).
pub(super) fn restored_from(
    chain: &Chain,
    threads: &Threads,
    thread: &Thread,
) -> Option<(usize, UnitIx)> {
    let (k, ix) = thread.version(0);
    let just_before = k.checked_sub(1)?;
    let id = &chain.states[k].unit(ix).id;
    if chain.find(just_before, id).is_some() {
        return None;
    }
    let (j, earlier) = last_bearer_gone(chain, threads, id, just_before)?;
    let unrelated = step::looks_reused(chain.states[j], earlier, chain.states[k], ix);
    (!unrelated).then_some((j, earlier))
}

/// The last unit before state `until` to bear an id (unit `ix` of state
/// `j`), when its thread ended there: a unit that went on under another id
/// left its old id free for a new unit.
pub(super) fn last_bearer_gone(
    chain: &Chain,
    threads: &Threads,
    id: &str,
    until: usize,
) -> Option<(usize, UnitIx)> {
    let (j, ix) = (0..until)
        .rev()
        .find_map(|j| chain.find(j, id).map(|ix| (j, ix)))?;
    let ended = threads.threads[threads.thread(j, ix)].last_state() == j;
    ended.then_some((j, ix))
}

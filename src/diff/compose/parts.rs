//! The units that live on through an event link as parts: those it folds
//! into another unit, those it promotes out of their parent, and the
//! sub-units it carries along. Their moves and renames are the link's
//! story, not stories of their own.

use super::Composer;
use crate::diff::step::EventLink;
use crate::diff::threads::Thread;
use crate::model::ChangeKind;
use crate::state::UnitIx;

/// The units of an event link that live on through it as parts, by
/// thread.
pub(super) struct Parts {
    /// Units it folds into another (or merges) whose thread goes on into
    /// the next state.
    pub(super) living_on: Vec<usize>,
    /// Units it carves out (or splits off) whose thread was already in the
    /// state before: parts promoted out of their parent.
    pub(super) promoted: Vec<usize>,
    /// Sub-units of its units that it carried along (see
    /// [`Composer::carried`]).
    pub(super) carried: Vec<usize>,
}

impl Composer<'_, '_> {
    /// The threads that live on as parts through the event links of step
    /// `k`.
    pub(super) fn part_threads(&self, k: usize) -> Vec<usize> {
        self.chain.steps[k]
            .events
            .iter()
            .flat_map(|link| {
                let parts = self.parts(k, link);
                parts
                    .living_on
                    .into_iter()
                    .chain(parts.promoted)
                    .chain(parts.carried)
            })
            .collect()
    }

    /// The units of an event link of step `k` that live on through it as
    /// parts. The unit that absorbs others, and the one others are carved
    /// out of, continue by what the change is, and are not parts; nor is a
    /// unit on both sides of the link.
    pub(super) fn parts(&self, k: usize, link: &EventLink) -> Parts {
        let thread = |state: usize, ix: &UnitIx| self.threads.thread(state, *ix);
        let before: Vec<usize> = link.before.iter().map(|ix| thread(k, ix)).collect();
        let after: Vec<usize> = link.after.iter().map(|ix| thread(k + 1, ix)).collect();
        let present = |t: usize, state: usize| self.threads.threads[t].at(state).is_some();
        let living_on = match link.kind {
            ChangeKind::SpunOff => Vec::new(),
            _ => before
                .iter()
                .copied()
                .filter(|&t| !after.contains(&t) && present(t, k + 1))
                .collect(),
        };
        let promoted = match link.kind {
            ChangeKind::Absorbed => Vec::new(),
            _ => after
                .iter()
                .copied()
                .filter(|&t| !before.contains(&t) && present(t, k))
                .collect(),
        };
        let on_link: Vec<usize> = before.iter().chain(&after).copied().collect();
        Parts {
            living_on,
            promoted,
            carried: self.carried(k, link, &on_link),
        }
    }

    /// The sub-units an event link of step `k` carried along: the units
    /// directly under a unit it ends (merged, absorbed) that are now
    /// inside a unit it leads to, under another parent; mirrored, the units
    /// directly under a unit it begins (split, spun off) that were inside
    /// a unit it came from. The branches of an office folded into a
    /// directorate, now under the directorate or one of its divisions.
    /// Only units that span FROM to TO, sit under that unit at that end,
    /// and kept their name (see `Composer::moved_keeping_its_name`): their
    /// new place, and the kind that may go with it, are this story, but a
    /// unit renamed too, or moved by a curated event of its own, has a
    /// story of its own.
    fn carried(&self, k: usize, link: &EventLink, on_link: &[usize]) -> Vec<usize> {
        let (near, units, far, others) = match link.kind {
            ChangeKind::Merged | ChangeKind::Absorbed => (k, &link.before, k + 1, &link.after),
            ChangeKind::Split | ChangeKind::SpunOff => (k + 1, &link.after, k, &link.before),
            _ => return Vec::new(),
        };
        let end = if near == k { self.first } else { self.last };
        let threads_of = |state: usize, units: &[UnitIx]| -> Vec<usize> {
            units
                .iter()
                .map(|&ix| self.threads.thread(state, ix))
                .collect()
        };
        let (whole, beyond) = (threads_of(near, units), threads_of(far, others));
        let state = self.chain.states[near];
        let mut out = Vec::new();
        for &unit in units {
            if beyond.contains(&self.threads.thread(near, unit)) {
                // A unit on both sides continues: what it kept is not carried.
                continue;
            }
            for child in state.children(unit) {
                let t = self.threads.thread(near, child);
                let thread = &self.threads.threads[t];
                let (Some(start), Some(finish), Some(j_near), Some(j_far)) = (
                    thread.at(self.first),
                    thread.at(self.last),
                    thread.at(near),
                    thread.at(far),
                ) else {
                    continue;
                };
                let under_at_end = self.parent_thread_at(thread, end);
                let inside_far = self.chain.states[far]
                    .ancestors(thread.version(j_far).1)
                    .iter()
                    .any(|a| others.contains(a));
                let step = j_near.max(j_far);
                if !on_link.contains(&t)
                    && !self.on_a_link(k, thread)
                    && under_at_end.is_some_and(|p| whole.contains(&p))
                    && inside_far
                    && self.moved_keeping_its_name(thread, step, (start, finish))
                {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The thread of a thread's parent in state `k`.
    fn parent_thread_at(&self, thread: &Thread, k: usize) -> Option<usize> {
        let (_, ix) = thread.version(thread.at(k)?);
        let parent = self.chain.states[k].parent(ix)?;
        Some(self.threads.thread(k, parent))
    }

    /// Whether a thread's unit is on an event link of step `k`.
    fn on_a_link(&self, k: usize, thread: &Thread) -> bool {
        let unit = |state: usize| thread.at(state).map(|j| thread.version(j).1);
        let (before, after) = (unit(k), unit(k + 1));
        self.chain.steps[k].events.iter().any(|l| {
            before.is_some_and(|b| l.before.contains(&b))
                || after.is_some_and(|a| l.after.contains(&a))
        })
    }
}

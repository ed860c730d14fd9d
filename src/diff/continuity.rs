//! The story of a unit that continues: every way it changed between two of
//! its versions (its aspects: name and acronym, parent, kind, and its id
//! when nothing else changed), when, and what that rests on.
//!
//! A story is told step by step: each step of the thread in which one of
//! its aspects changed says when (the curated event's date, else the
//! interval between the observations), how it is known (a curated event of
//! the aspect's kind, else the link that carried the unit over: its id, a
//! curated event of another kind, or inference) and how sure that is. The
//! story takes the weakest basis and the lowest confidence of its steps:
//! an aspect that rests on observation is no surer than the unit's
//! presence and place in the snapshots on either side of it.

use unicode_normalization::UnicodeNormalization;

use super::compose::{extend_unique, span_of, span_of_options, Composer};
use super::step::{self, Link};
use super::threads::Thread;
use super::{Basis, Change, Via};
use crate::date::Date;
use crate::model::{ChangeKind, Event};
use crate::state::UnitIx;
use crate::text::fold;

/// An attribute of a unit that a change concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attribute {
    Name,
    Parent,
    Kind,
    Id,
}

impl Attribute {
    /// In the order a change lists its aspects: the first that changed is
    /// the kind the change is told by.
    const ALL: [Attribute; 4] = [
        Attribute::Name,
        Attribute::Parent,
        Attribute::Kind,
        Attribute::Id,
    ];

    fn change_kind(self) -> ChangeKind {
        match self {
            Attribute::Name => ChangeKind::Renamed,
            Attribute::Parent => ChangeKind::Moved,
            Attribute::Kind => ChangeKind::Redesignated,
            Attribute::Id => ChangeKind::Recoded,
        }
    }
}

/// A step of a thread in which it changed, as a story tells it.
struct Told {
    /// The version the step produced.
    j: usize,
    aspects: Vec<ChangeKind>,
    date: Option<Date>,
    basis: Basis,
    confidence: f64,
    evidence: Vec<String>,
    sources: Vec<String>,
}

impl Told {
    /// Takes in something the step rests on: the weaker basis, the lower
    /// confidence.
    fn rests_on(&mut self, basis: Basis, confidence: f64) {
        self.basis = self.basis.max(basis);
        self.confidence = self.confidence.min(confidence);
    }
}

/// The aspects of a change of these attributes: a new id counts only when
/// nothing else changed (`recoded`); beside another change, the ids on
/// each side say it.
fn aspects(changed: impl Iterator<Item = Attribute>) -> Vec<Attribute> {
    let mut changed: Vec<Attribute> = changed.collect();
    if changed.len() > 1 {
        changed.retain(|&a| a != Attribute::Id);
    }
    changed
}

/// Two texts that read the same: equal once composed alike (NFC).
fn same_text(a: &str, b: &str) -> bool {
    a == b || a.nfc().eq(b.nfc())
}

impl Composer<'_, '_> {
    /// The story of a thread from version `start` to version `end`: one
    /// change whose aspects are every attribute that differs between the
    /// two, or none when nothing does.
    pub(super) fn story(&self, thread: &Thread, start: usize, end: usize) -> Option<Change> {
        let (first, last) = (thread.version(start), thread.version(end));
        let net = self.changed_attributes(first, last);
        let steps: Vec<Told> = (start + 1..=end)
            .filter_map(|j| self.told(thread, j, &net))
            .collect();
        let (_, earlier) = steps.split_last()?;
        let mut change = Change {
            kind: net[0].change_kind(),
            aspects: net.iter().map(|a| a.change_kind()).collect(),
            from: vec![self.side(first)],
            to: vec![self.side(last)],
            parts: Vec::new(),
            external: None,
            date: span_of_options(steps.iter().map(|t| t.date.clone())),
            basis: Basis::Identity,
            confidence: 1.0,
            evidence: Vec::new(),
            sources: Vec::new(),
            via: earlier.iter().map(|t| self.via_of(thread, t)).collect(),
            area: None,
        };
        for t in &steps {
            change.basis = change.basis.max(t.basis);
            change.confidence = change.confidence.min(t.confidence);
            extend_unique(&mut change.evidence, &t.evidence);
            extend_unique(&mut change.sources, &t.sources);
        }
        Some(change)
    }

    /// Whether step `j` of a thread moved the unit and left its name and
    /// acronym as they were, in that step and from version `start` to
    /// version `end`, with no curated event of its own for it (its kind
    /// and id may have changed).
    pub(super) fn moved_keeping_its_name(
        &self,
        thread: &Thread,
        j: usize,
        (start, end): (usize, usize),
    ) -> bool {
        let (first, last) = (thread.version(start), thread.version(end));
        let link = self.link_to(thread, j);
        self.changed_in_step(Attribute::Parent, thread, j)
            && !self.changed_in_step(Attribute::Name, thread, j)
            && !self.differs(Attribute::Name, first, last)
            && link.event.is_none()
            && self.curated_at(ChangeKind::Moved, thread, j).is_empty()
    }

    /// Every step of a thread from version `from` to version `to` in which
    /// it changed, as intermediate steps.
    pub(super) fn via(&self, thread: &Thread, from: usize, to: usize) -> Vec<Via> {
        (from + 1..=to)
            .filter_map(|j| self.told(thread, j, &Attribute::ALL))
            .map(|t| self.via_of(thread, &t))
            .collect()
    }

    /// The steps of [`Self::via`] but the last, whose result is the
    /// unit at version `to`.
    pub(super) fn intermediate(&self, thread: &Thread, from: usize, to: usize) -> Vec<Via> {
        let mut via = self.via(thread, from, to);
        via.pop();
        via
    }

    fn via_of(&self, thread: &Thread, told: &Told) -> Via {
        Via {
            kind: told.aspects[0],
            aspects: told.aspects.clone(),
            date: told.date.clone(),
            unit: self.side(thread.version(told.j)),
        }
    }

    /// Step `j` of a thread, told for the attributes `among` that changed
    /// in it; `None` when none did.
    fn told(&self, thread: &Thread, j: usize, among: &[Attribute]) -> Option<Told> {
        let changed = aspects(
            among
                .iter()
                .copied()
                .filter(|&a| self.changed_in_step(a, thread, j)),
        );
        if changed.is_empty() {
            return None;
        }
        let (before, after) = (thread.version(j - 1), thread.version(j));
        let link = self.link_to(thread, j);
        let mut told = Told {
            j,
            aspects: changed.iter().map(|a| a.change_kind()).collect(),
            date: None,
            basis: Basis::Identity,
            confidence: 1.0,
            evidence: Vec::new(),
            sources: Vec::new(),
        };
        // Each aspect rests on a curated event of its kind, or else on the
        // link that carried the unit over and on what the snapshots show.
        let mut event_dates: Vec<&Date> = Vec::new();
        let mut observed = false;
        for attribute in &changed {
            let curated = self.curated_at(attribute.change_kind(), thread, j);
            observed |= curated.is_empty();
            for event in curated {
                told.rests_on(Basis::Curated, event.confidence.score());
                extend_unique(&mut told.evidence, &step::curated_evidence(event));
                extend_unique(&mut told.sources, &event.sources);
                event_dates.push(&event.date);
            }
        }
        if observed {
            let seen = self.observation(before).min(self.observation(after));
            told.rests_on(link.basis, link.confidence.min(seen));
            if link.basis == Basis::Identity {
                let id = &self.chain.states[after.0].unit(after.1).id;
                extend_unique(&mut told.evidence, &[format!("same id `{id}`")]);
            }
            extend_unique(&mut told.evidence, &link.evidence);
            extend_unique(&mut told.evidence, &[self.observed_between(after.0)]);
        }
        let link_event = link.event.map(|i| &self.chain.events[i]);
        if let Some(event) = link_event {
            extend_unique(&mut told.sources, &event.sources);
        }
        if changed.contains(&Attribute::Name) && self.spelling_only(before, after) {
            told.evidence
                .push("a change of spelling only (case, accents or punctuation)".to_string());
        }
        told.date = match link_event {
            Some(event) => Some(event.date.clone()),
            None if !observed => Some(span_of(event_dates.into_iter())),
            None => self.step_interval(thread, j),
        };
        Some(told)
    }

    /// "observed between snapshots A and B" for a change seen in the step
    /// into state `k`.
    fn observed_between(&self, k: usize) -> String {
        match (self.snapshot_id(k - 1), self.snapshot_id(k)) {
            (Some(a), Some(b)) => format!("observed between snapshots {a} and {b}"),
            _ => "observed between the two states".to_string(),
        }
    }

    /// The attributes that differ between two versions of a unit.
    fn changed_attributes(&self, a: (usize, UnitIx), b: (usize, UnitIx)) -> Vec<Attribute> {
        aspects(
            Attribute::ALL
                .into_iter()
                .filter(|&attribute| self.differs(attribute, a, b)),
        )
    }

    /// Whether an attribute changed in step `j` of a thread. A kind not
    /// given says nothing: a kind is compared with the last one given.
    fn changed_in_step(&self, attribute: Attribute, thread: &Thread, j: usize) -> bool {
        if attribute != Attribute::Kind {
            return self.differs(attribute, thread.version(j - 1), thread.version(j));
        }
        let kind = |j: usize| self.unit(thread.version(j)).kind.as_deref();
        let Some(now) = kind(j) else {
            return false;
        };
        let before = (0..j).rev().find_map(kind);
        before.is_some_and(|b| fold(b) != fold(now))
    }

    fn unit(&self, (k, ix): (usize, UnitIx)) -> &crate::state::StateUnit {
        self.chain.states[k].unit(ix)
    }

    /// Whether an attribute differs between two versions of a thread: a
    /// name or acronym spelled otherwise in any way; another kind (its case
    /// aside); a parent that is another unit (not the same one renamed or
    /// re-keyed); another id.
    fn differs(&self, attribute: Attribute, a: (usize, UnitIx), b: (usize, UnitIx)) -> bool {
        let (ua, ub) = (self.unit(a), self.unit(b));
        match attribute {
            Attribute::Name => {
                !same_text(&ua.name, &ub.name)
                    || match (&ua.acronym, &ub.acronym) {
                        (Some(x), Some(y)) => !same_text(x, y),
                        (x, y) => x.is_some() != y.is_some(),
                    }
            }
            Attribute::Kind => match (&ua.kind, &ub.kind) {
                (Some(x), Some(y)) => x != y && fold(x) != fold(y),
                _ => false,
            },
            Attribute::Parent => self.parent_thread(a) != self.parent_thread(b),
            Attribute::Id => ua.id != ub.id,
        }
    }

    /// Whether two versions' names and acronyms differ only in case,
    /// accents or punctuation.
    fn spelling_only(&self, a: (usize, UnitIx), b: (usize, UnitIx)) -> bool {
        let (ua, ub) = (self.unit(a), self.unit(b));
        let acronyms_alike = match (&ua.acronym, &ub.acronym) {
            (Some(x), Some(y)) => fold(x) == fold(y),
            (x, y) => x.is_none() && y.is_none(),
        };
        acronyms_alike && fold(&ua.name) == fold(&ub.name)
    }

    fn parent_thread(&self, (k, ix): (usize, UnitIx)) -> Option<usize> {
        self.chain.states[k]
            .parent(ix)
            .map(|p| self.threads.thread(k, p))
    }

    /// The continuity link that produced version `j` of a thread.
    pub(super) fn link_to(&self, thread: &Thread, j: usize) -> Link {
        let (k, ix) = thread.version(j);
        self.chain.steps[k - 1]
            .link_into(ix)
            .expect("a later version has its link")
    }

    /// Curated events of a kind that version `j` of a thread shows
    /// happening: they lead from the unit's id before the step to its id
    /// after it, and are dated within the step's interval.
    fn curated_at(&self, kind: ChangeKind, thread: &Thread, j: usize) -> Vec<&Event> {
        let id = |v| &self.unit(v).id;
        let (before, after) = (id(thread.version(j - 1)), id(thread.version(j)));
        let interval = self.step_interval(thread, j);
        self.chain
            .events
            .iter()
            .filter(|e| e.kind == kind && e.from.contains(before) && e.to.contains(after))
            .filter(|e| interval.as_ref().is_none_or(|i| overlaps(&e.date, i)))
            .collect()
    }

    /// The interval between the observations before and after version `j`
    /// of a thread.
    fn step_interval(&self, thread: &Thread, j: usize) -> Option<Date> {
        self.since_observed(thread.version(j - 1), thread.version(j).0)
    }
}

/// Whether two dates may fall on a common day.
fn overlaps(a: &Date, b: &Date) -> bool {
    a.earliest() <= b.latest() && a.latest() >= b.earliest()
}

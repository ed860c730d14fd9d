//! Following a unit's share from FROM to TO through the history.
//!
//! A thread (a unit followed through time) that lasts to TO keeps what it
//! holds. One that ends before TO passes it on through the links it ends
//! in: to each unit after a merge, absorption, split or replacement, to
//! its own later life when it is re-established under its id, or out of
//! the organization (transferred out, ended, disappeared). A unit passed
//! to several parts divides its share among them, equally unless a shares
//! table says how. Each link leads to a later state, so the walk ends;
//! each thread is followed once, however many units lead to it.

use std::rc::Rc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{relation_of, Part, Relation, ShareBasis, Shares, SharesError};
use crate::diff::history::{History, LinkId, LinkOf};
use crate::diff::{Basis, UnitSide};

/// Where a share ends up.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Destination {
    /// A thread that lasts to TO.
    Unit(usize),
    /// Out of the organization, or ended.
    Gone {
        fate: Relation,
        external: Option<String>,
    },
}

/// A share of a thread and where it goes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Flow {
    pub destination: Destination,
    pub share: f64,
    pub shares: ShareBasis,
    pub basis: Basis,
    pub confidence: f64,
    /// The links followed, in order.
    pub links: Vec<LinkId>,
}

/// What a thread ends in.
struct Outlet {
    link: LinkId,
    /// The thread it passes on to; `None` for a link to nothing.
    next: Option<usize>,
    basis: Basis,
    confidence: f64,
    /// For a link to nothing: how the unit went, and where to.
    fate: Option<(Relation, Option<String>)>,
}

/// Where a thread's share goes, and the restoration it ends in, if any.
pub(super) struct Outcome {
    pub flows: Vec<Flow>,
    pub restoration: Option<LinkId>,
}

/// The state of a walk to TO: every thread followed so far.
pub(super) struct Walk<'h, 'd> {
    history: &'h History<'d>,
    /// The state index of TO.
    to: usize,
    shares: Option<&'h Shares>,
    followed: FxHashMap<usize, Rc<Outcome>>,
    /// The threads whose given shares were used.
    divided: FxHashSet<usize>,
}

impl<'h, 'd> Walk<'h, 'd> {
    pub(super) fn new(history: &'h History<'d>, to: usize, shares: Option<&'h Shares>) -> Self {
        Walk {
            history,
            to,
            shares,
            followed: FxHashMap::default(),
            divided: FxHashSet::default(),
        }
    }

    /// Where a thread's share goes.
    pub(super) fn follow(&mut self, thread: usize) -> Result<Rc<Outcome>, SharesError> {
        if let Some(outcome) = self.followed.get(&thread) {
            return Ok(outcome.clone());
        }
        let (_, last) = self.history.span(thread);
        let outcome = if last >= self.to {
            Outcome {
                flows: vec![Flow {
                    destination: Destination::Unit(thread),
                    share: 1.0,
                    shares: ShareBasis::Whole,
                    basis: Basis::Identity,
                    confidence: 1.0,
                    links: Vec::new(),
                }],
                restoration: None,
            }
        } else {
            let (outlets, restoration) = self.outlets(thread, last);
            Outcome {
                flows: self.pass_on(thread, &outlets)?,
                restoration,
            }
        };
        let outcome = Rc::new(outcome);
        self.followed.insert(thread, outcome.clone());
        Ok(outcome)
    }

    /// The flows of a thread that ends in these outlets.
    fn pass_on(&mut self, thread: usize, outlets: &[Outlet]) -> Result<Vec<Flow>, SharesError> {
        if outlets.is_empty() {
            return Ok(vec![Flow {
                destination: Destination::Gone {
                    fate: Relation::Disappeared,
                    external: None,
                },
                share: 1.0,
                shares: ShareBasis::Whole,
                basis: Basis::Identity,
                confidence: 1.0,
                links: Vec::new(),
            }]);
        }
        let divided = self.divide(thread, outlets)?;
        let mut flows: Vec<Flow> = Vec::new();
        for (outlet, (share, shares)) in outlets.iter().zip(divided) {
            let Some(next) = outlet.next else {
                let (fate, external) = outlet.fate.clone().expect("a link to nothing has a fate");
                flows.push(Flow {
                    destination: Destination::Gone { fate, external },
                    share,
                    shares,
                    basis: outlet.basis,
                    confidence: outlet.confidence,
                    links: vec![outlet.link],
                });
                continue;
            };
            for later in &self.follow(next)?.flows {
                let mut links = vec![outlet.link];
                links.extend(&later.links);
                flows.push(Flow {
                    destination: later.destination.clone(),
                    share: share * later.share,
                    shares: shares.max(later.shares),
                    basis: outlet.basis.max(later.basis),
                    confidence: outlet.confidence.min(later.confidence),
                    links,
                });
            }
        }
        Ok(merge(flows))
    }

    /// The links a thread ends in at its last state: the event links that
    /// end it, or else the restoration that re-establishes it by TO.
    fn outlets(&self, thread: usize, last: usize) -> (Vec<Outlet>, Option<LinkId>) {
        let history = self.history;
        let mut outlets: Vec<Outlet> = Vec::new();
        for link in history.links_from(thread, last) {
            let change = history.link_change(link);
            if !change.kind.ends_its_sources() {
                continue;
            }
            let (_, after) = history.link_threads(link);
            let outlet = |next: Option<usize>| Outlet {
                link,
                next,
                basis: change.basis,
                confidence: change.confidence,
                fate: next.is_none().then(|| {
                    let fate = relation_of(change.kind).unwrap_or(Relation::Ended);
                    (fate, change.external.clone())
                }),
            };
            if after.is_empty() {
                outlets.push(outlet(None));
            }
            for next in after {
                if !outlets.iter().any(|o| o.next == Some(next)) {
                    outlets.push(outlet(Some(next)));
                }
            }
        }
        if !outlets.is_empty() {
            return (outlets, None);
        }
        // Its later life, when nothing else took it on.
        let restoration = history
            .neighbours(thread, petgraph::Direction::Outgoing)
            .into_iter()
            .find(|l| match l.of {
                LinkOf::Restored { later, .. } => history.span(later).0 <= self.to,
                LinkOf::Event(_) => false,
            });
        if let Some(link) = restoration {
            let change = history.link_change(link);
            let (_, after) = history.link_threads(link);
            outlets.push(Outlet {
                link,
                next: after.first().copied(),
                basis: change.basis,
                confidence: change.confidence,
                fate: None,
            });
        }
        (outlets, restoration)
    }

    /// The share of each outlet of a thread, and how it was set.
    fn divide(
        &mut self,
        thread: usize,
        outlets: &[Outlet],
    ) -> Result<Vec<(f64, ShareBasis)>, SharesError> {
        if let Some(given) = self.shares.and_then(|s| s.of(thread)) {
            self.divided.insert(thread);
            let parts: Vec<Option<usize>> = outlets.iter().map(|o| o.next).collect();
            let shares = given.shares_of(&parts).ok_or_else(|| SharesError::Parts {
                unit: self.label(thread),
                listed: given.parts().map(|t| self.label(t)).collect(),
                parts: outlets.iter().map(|o| self.outlet_label(o)).collect(),
            })?;
            return Ok(shares.into_iter().map(|s| (s, ShareBasis::Given)).collect());
        }
        let n = outlets.len();
        let basis = if n == 1 {
            ShareBasis::Whole
        } else {
            ShareBasis::Equal
        };
        Ok(vec![(1.0 / n as f64, basis); n])
    }

    /// A thread's unit as last seen, for messages.
    fn label(&self, thread: usize) -> String {
        let (_, unit) = self
            .history
            .states_of(thread)
            .pop()
            .expect("a thread has a state");
        format!("{} [{}]", unit.label(), unit.id)
    }

    fn outlet_label(&self, outlet: &Outlet) -> String {
        match (outlet.next, &outlet.fate) {
            (Some(next), _) => self.label(next),
            (None, Some((fate, Some(external)))) => format!("{} to {external}", fate.name()),
            (None, Some((fate, None))) => fate.name().to_string(),
            (None, None) => "nothing".to_string(),
        }
    }

    /// The parts of a unit whose share goes by these flows, in the order
    /// of the chart at TO, then the shares that left.
    pub(super) fn parts(&self, flows: &[Flow]) -> Vec<Part> {
        let state = self.history.state(self.to);
        let mut parts: Vec<Part> = flows
            .iter()
            .map(|flow| {
                let (ix, fate, external) = match &flow.destination {
                    Destination::Unit(t) => (self.history.unit_in(*t, self.to), None, None),
                    Destination::Gone { fate, external } => (None, Some(*fate), external.clone()),
                };
                Part {
                    unit: ix.map(|ix| UnitSide::of(state, ix)),
                    share: flow.share,
                    shares: flow.shares,
                    fate,
                    external,
                    basis: flow.basis,
                    confidence: flow.confidence,
                    ix,
                }
            })
            .collect();
        parts.sort_by_key(|p| (p.ix.is_none(), p.ix));
        parts
    }

    /// The links a unit's share went through after the ones it ended in
    /// itself, as sentences: "then split (2021-01/2025): A → B + C".
    pub(super) fn later_steps(&self, flows: &[Flow]) -> Vec<String> {
        let mut links: Vec<LinkId> = flows.iter().flat_map(|f| f.links.clone()).collect();
        links.sort();
        links.dedup();
        // Its own links are those of its last step: every later link is
        // of a later step.
        let own_step = links.first().map(|l| l.step);
        links
            .into_iter()
            .filter(|l| Some(l.step) != own_step)
            .map(|link| {
                let change = self.history.link_change(link);
                let names = |units: &[UnitSide]| {
                    let labels: Vec<String> = units.iter().map(UnitSide::label).collect();
                    labels.join(" + ")
                };
                let date = change
                    .date
                    .as_ref()
                    .map_or(String::new(), |d| format!(" ({d})"));
                let to = match (change.to.is_empty(), &change.external) {
                    (false, _) => names(&change.to),
                    (true, Some(external)) => external.clone(),
                    (true, None) => "nothing".to_string(),
                };
                format!("then {}{date}: {} → {to}", change.kind, names(&change.from))
            })
            .collect()
    }

    /// Warnings for the shares given for units that were not divided.
    pub(super) fn unused_shares(&self) -> Vec<String> {
        let Some(shares) = self.shares else {
            return Vec::new();
        };
        shares
            .units()
            .filter(|t| !self.divided.contains(t))
            .map(|t| {
                format!(
                    "the shares given for {} are not used: it is not divided between the two dates",
                    self.label(t)
                )
            })
            .collect()
    }
}

/// Flows to the same destination as one: their shares added, their
/// weakest basis and lowest confidence kept.
fn merge(flows: Vec<Flow>) -> Vec<Flow> {
    let mut out: Vec<Flow> = Vec::new();
    for flow in flows {
        match out.iter_mut().find(|f| f.destination == flow.destination) {
            Some(f) => {
                f.share += flow.share;
                f.shares = f.shares.max(flow.shares);
                f.basis = f.basis.max(flow.basis);
                f.confidence = f.confidence.min(flow.confidence);
                for link in flow.links {
                    if !f.links.contains(&link) {
                        f.links.push(link);
                    }
                }
            }
            None => out.push(flow),
        }
    }
    out
}

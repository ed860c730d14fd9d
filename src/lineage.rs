//! The lineage of a unit: its versions over time, then its predecessors
//! and successors, recursively, through renames, moves, merges, splits,
//! transfers and replacements.

use std::collections::BTreeMap;

use petgraph::Direction;

use crate::diff::history::{History, LinkId, Version};
use crate::diff::Change;

/// Which way to follow links, and how far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// Follow links back to predecessors.
    pub ancestors: bool,
    /// Follow links on to successors.
    pub descendants: bool,
    /// How many links away from the unit to go; `None`: all the way.
    pub depth: Option<usize>,
}

/// A unit in a lineage.
#[derive(Debug, Clone, PartialEq)]
pub struct LineageUnit {
    /// The thread in the history.
    pub thread: usize,
    /// 0 for the unit asked about, negative for predecessors, positive for
    /// successors.
    pub generation: i32,
    /// Its runs of unchanged name, acronym, kind and parent, in date order.
    pub versions: Vec<Version>,
    /// Its renames, moves and the like, step by step.
    pub changes: Vec<Change>,
    /// Whether it lasts into the latest state.
    pub lasts: bool,
}

/// A link between units of a lineage (or from one of them to nothing: an
/// abolition, a transfer out).
#[derive(Debug, Clone, PartialEq)]
pub struct LineageLink {
    /// Indices into `Lineage::units`.
    pub from: Vec<usize>,
    /// Indices into `Lineage::units`; empty for an end or a transfer out.
    pub to: Vec<usize>,
    /// The change the link stands for.
    pub change: Change,
}

/// A unit's lineage; `units[0]` is the unit asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct Lineage {
    /// The unit asked about and every unit linked to it.
    pub units: Vec<LineageUnit>,
    /// The merges, splits, transfers and ends between them.
    pub links: Vec<LineageLink>,
    /// Which ways the links were followed: a direction not followed says
    /// nothing about what lies that way.
    pub reach: Reach,
}

/// The lineage of a thread.
pub fn lineage(history: &History, focus: usize, reach: Reach) -> Lineage {
    let mut generations: BTreeMap<usize, i32> = BTreeMap::new();
    generations.insert(focus, 0);
    let mut links: Vec<LinkId> = history.open_links(focus);
    let mut frontier = vec![focus];
    let mut distance = 0;
    while !frontier.is_empty() && reach.depth.is_none_or(|d| distance < d) {
        distance += 1;
        let mut next = Vec::new();
        for &thread in &frontier {
            let generation = generations[&thread];
            let directions = [
                (reach.ancestors && generation <= 0, Direction::Incoming, -1),
                (reach.descendants && generation >= 0, Direction::Outgoing, 1),
            ];
            for (wanted, direction, step) in directions {
                if !wanted {
                    continue;
                }
                for link in history.neighbours(thread, direction) {
                    links.push(link);
                    let (before, after) = history.link_threads(link);
                    let (same_side, other_side) = match direction {
                        Direction::Incoming => (after, before),
                        Direction::Outgoing => (before, after),
                    };
                    for t in other_side {
                        if let std::collections::btree_map::Entry::Vacant(e) = generations.entry(t)
                        {
                            e.insert(generation + step);
                            next.push(t);
                            links.extend(history.open_links(t));
                        }
                    }
                    // Partners in the same link (the other members of a
                    // merge) are shown, not followed.
                    for t in same_side {
                        generations.entry(t).or_insert(generation);
                    }
                }
            }
        }
        frontier = next;
    }
    links.sort();
    links.dedup();
    assemble(history, focus, &generations, &links, reach)
}

fn assemble(
    history: &History,
    focus: usize,
    generations: &BTreeMap<usize, i32>,
    links: &[LinkId],
    reach: Reach,
) -> Lineage {
    // The unit asked about first, then by generation and first appearance.
    let mut order: Vec<(usize, i32)> = generations.iter().map(|(&t, &g)| (t, g)).collect();
    order.sort_by_key(|&(t, g)| (t != focus, g, history.states_of(t)[0].0, t));
    let position: BTreeMap<usize, usize> = order
        .iter()
        .enumerate()
        .map(|(i, &(t, _))| (t, i))
        .collect();
    let units = order
        .iter()
        .map(|&(thread, generation)| LineageUnit {
            thread,
            generation,
            versions: history.versions(thread),
            changes: history.thread_changes(thread),
            lasts: history.lasts(thread),
        })
        .collect();
    let links = links
        .iter()
        .map(|&link| {
            let (before, after) = history.link_threads(link);
            let index =
                |ts: Vec<usize>| ts.iter().filter_map(|t| position.get(t).copied()).collect();
            LineageLink {
                from: index(before),
                to: index(after),
                change: history.link_change(link),
            }
        })
        .collect();
    Lineage {
        units,
        links,
        reach,
    }
}

//! Stage 2, after scoring: units that kept their name while their place
//! changed by a level. A sub-unit carried into a merged, split or
//! spun-off unit is found by name two levels below the matched unit above
//! (its "cousin"); a unit moved one level down into a unit beside it
//! (offices folded into a directorate), or one level up out of one, by
//! name below the same matched unit.
//!
//! Each unit's candidates at these places are gathered together, so that
//! a name borne by several units there (a unit and a part of it named
//! after it, as a town and the former village at its centre) is not
//! paired by whichever rule comes first. A unit with one candidate that
//! has no other pairs with it. Where a name is shared, the pair that
//! changed the way its neighbours did is taken: the candidate whose kind,
//! before and after, is that of the most units that went from the one's
//! parent to the other's (communes that became parts of a new one: the
//! commune of that name, not the former village), then one of the same
//! kind. A pair must lead every rival of both its units; the rest are
//! looked at again once those are made, and what stays tied is left.

use rustc_hash::FxHashMap as HashMap;

use super::matcher::{Found, Matcher, Parents};
use super::COUSIN_CONFIDENCE;
use crate::diff::step::Side;
use crate::state::UnitIx;

/// How a candidate's place relates to the unit's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Across {
    /// Two levels below the same matched unit, under a parent that ended
    /// or began.
    Cousin,
    /// One level lower, inside a unit beside where it was.
    Down,
    /// One level higher, beside the unit it was inside.
    Up,
}

/// A candidate pair, with what ranks it among its rivals.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    a: UnitIx,
    b: UnitIx,
    across: Across,
    /// (units that went from `a`'s parent to `b`'s changing kind as
    /// these two would, the same kind on both sides).
    rank: (usize, bool),
}

/// Units with more candidates than this at these places are left alone:
/// a name that many units share says nothing of which is which.
const MOST_CANDIDATES: usize = 8;

impl Matcher<'_> {
    /// Pairs units by name across a level (see the module's comment).
    /// Returns how many pairs it made.
    pub(super) fn match_across_levels(&mut self) -> usize {
        let mut candidates = self.level_candidates();
        let mut made = 0;
        loop {
            let chosen = self.choose(&candidates);
            let now = self.pair_all(chosen);
            if now == 0 {
                break;
            }
            made += now;
            candidates
                .retain(|c| self.is_open(Side::Before, c.a) && self.is_open(Side::After, c.b));
        }
        made
    }

    /// Every pair of open units with the same name whose places
    /// correspond across a level.
    fn level_candidates(&self) -> Vec<Candidate> {
        // The open after-units by (their parent, name) and by (their
        // grandparent, name): where a before-unit's counterpart may be.
        let mut by_parent: HashMap<(Option<UnitIx>, u64), Vec<UnitIx>> = HashMap::default();
        let mut by_grandparent: HashMap<(Option<UnitIx>, u64), Vec<UnitIx>> = HashMap::default();
        for &b in &self.open_after {
            let key = self.after.text(b).key;
            let parent = self.after.parent(b);
            by_parent.entry((parent, key)).or_default().push(b);
            if let Some(p) = parent {
                by_grandparent
                    .entry((self.after.parent(p), key))
                    .or_default()
                    .push(b);
            }
        }
        let mut out = Vec::new();
        for &a in &self.open_before {
            let key = self.before.text(a).key;
            let parent = self.before.parent(a);
            let place = self.in_after(Side::Before, parent);
            let above = parent.and_then(|p| self.in_after(Side::Before, self.before.parent(p)));
            let places = [
                (place, &by_grandparent, Across::Down),
                (above, &by_parent, Across::Up),
                (above, &by_grandparent, Across::Cousin),
            ];
            for (anchor, index, across) in places {
                let Some(found) = anchor.and_then(|g| index.get(&(g, key))) else {
                    continue;
                };
                for &b in found {
                    if self.same_name(a, b) && self.fits(a, b, across) {
                        out.push(Candidate {
                            a,
                            b,
                            across,
                            rank: (0, false),
                        });
                    }
                }
            }
        }
        out
    }

    /// Whether a cousin's parent ended or began (and is not the same
    /// unit): moves one level down or up need nothing more.
    fn fits(&self, a: UnitIx, b: UnitIx, across: Across) -> bool {
        if across != Across::Cousin {
            return true;
        }
        let (Some(pa), Some(pb)) = (self.before.parent(a), self.after.parent(b)) else {
            return false;
        };
        let reorganized = self.is_open(Side::Before, pa) || self.is_open(Side::After, pb);
        reorganized && self.parents(a, b) != Parents::Same
    }

    /// The candidates to pair now: each that leads every rival of both its
    /// units (a candidate alone leads by default).
    fn choose(&self, candidates: &[Candidate]) -> Vec<Found> {
        let mut of: [HashMap<UnitIx, Vec<usize>>; 2] = Default::default();
        for (i, c) in candidates.iter().enumerate() {
            of[0].entry(c.a).or_default().push(i);
            of[1].entry(c.b).or_default().push(i);
        }
        let ranked: Vec<Candidate> = candidates
            .iter()
            .map(|&c| {
                let contested = of[0][&c.a].len() > 1 || of[1][&c.b].len() > 1;
                Candidate {
                    rank: if contested {
                        self.rank(c.a, c.b)
                    } else {
                        (0, false)
                    },
                    ..c
                }
            })
            .collect();
        let leads = |i: usize, rivals: &[usize]| {
            rivals.len() <= MOST_CANDIDATES
                && rivals
                    .iter()
                    .all(|&j| j == i || ranked[j].rank < ranked[i].rank)
        };
        ranked
            .iter()
            .enumerate()
            .filter(|&(i, c)| leads(i, &of[0][&c.a]) && leads(i, &of[1][&c.b]))
            .map(|(_, c)| {
                let rivals = of[0][&c.a].len() + of[1][&c.b].len() - 2;
                (c.a, c.b, COUSIN_CONFIDENCE, self.level_evidence(c, rivals))
            })
            .collect()
    }

    /// How a contested candidate ranks: how many units went from `a`'s
    /// parent to `b`'s with the kinds `a` and `b` have (their neighbours
    /// changed as these would), and whether `a` and `b` are of one kind.
    fn rank(&self, a: UnitIx, b: UnitIx) -> (usize, bool) {
        let kind = |w: Side, x: UnitIx| self.side(w).state.unit(x).kind.as_deref();
        let (ka, kb) = (kind(Side::Before, a), kind(Side::After, b));
        let like = |x: Option<&str>, y: Option<&str>| match (x, y) {
            (Some(x), Some(y)) => x == y || crate::text::fold(x) == crate::text::fold(y),
            _ => false,
        };
        let alike = match (self.before.parent(a), self.after.parent(b)) {
            (Some(pa), Some(pb)) => (self.after.children(pb).iter())
                .filter(|&&t| t != b)
                .filter_map(|&t| Some((self.partner(Side::After, t)?, t)))
                .filter(|&(s, t)| {
                    self.before.parent(s) == Some(pa)
                        && like(kind(Side::Before, s), ka)
                        && like(kind(Side::After, t), kb)
                })
                .count(),
            _ => 0,
        };
        (alike, like(ka, kb))
    }

    /// Why a pair across a level is believed.
    fn level_evidence(&self, c: &Candidate, rivals: usize) -> Vec<String> {
        let (a, b) = (c.a, c.b);
        let mut evidence = vec![match c.across {
            Across::Cousin => format!(
                "same name two levels below {}, under a reorganized parent ({} then, {} now)",
                self.after
                    .parent_label(self.after.parent(b).expect("a cousin has a parent")),
                self.before.parent_label(a),
                self.after.parent_label(b)
            ),
            Across::Down | Across::Up => format!(
                "same name, moved one level {} (from {} to {})",
                if c.across == Across::Down {
                    "down"
                } else {
                    "up"
                },
                self.before.parent_label(a),
                self.after.parent_label(b)
            ),
        }];
        evidence.push(match (rivals, c.rank) {
            (0, _) => "found once on each side at these places".to_string(),
            (_, (0, true)) => format!(
                "the name is borne by {rivals} other units there; these two are of one kind"
            ),
            (_, (n, _)) => format!(
                "the name is borne by {rivals} other units there; {n} units beside these went the same way, of the same kinds"
            ),
        });
        evidence
    }
}

//! The matching in progress, which every stage reads and extends: the
//! [`Matcher`] (both sides, each a [`StateTables`] built in `tables.rs`,
//! the pairs made so far, the units still open, the doubts noted), and
//! the structural helpers the stages share
//! (which [`Side`], how [`Parents`] correspond, open [`Siblings`], the
//! [`Flow`] of sub-units). The stages add their own `impl Matcher` blocks
//! in their files.

use rustc_hash::FxHashMap as HashMap;

use super::tables::StateTables;
use super::text::{Vocabulary, Word};
use super::{Known, Match, SIBLING_CAP};
use crate::diff::step::Side;
use crate::state::UnitIx;

// ---------------------------------------------------------------------------
// The matching in progress

/// The open members of each look-alike class with two or more open, per
/// side, in tree order.
#[derive(Debug, Default)]
pub(super) struct OpenAlikes([HashMap<u32, Vec<UnitIx>>; 2]);

impl OpenAlikes {
    /// The open look-alikes of `x`, itself included, when there are two or
    /// more.
    pub(super) fn of(&self, m: &Matcher, w: Side, x: UnitIx) -> Option<&[UnitIx]> {
        let class = m.look_alikes[w as usize].class(x)?;
        self.0[w as usize].get(&class).map(Vec::as_slice)
    }

    /// Whether `x` stands for its open look-alikes (it is the first), or
    /// has none.
    pub(super) fn stands_for(&self, m: &Matcher, w: Side, x: UnitIx) -> bool {
        self.of(m, w, x).is_none_or(|members| members[0] == x)
    }

    /// The open look-alikes of side `w`, class by class, in the order of
    /// their first member.
    pub(super) fn classes(&self, w: Side) -> Vec<&[UnitIx]> {
        let mut classes: Vec<&[UnitIx]> = self.0[w as usize].values().map(Vec::as_slice).collect();
        classes.sort_unstable_by_key(|members| members[0]);
        classes
    }
}

/// How two units' parents correspond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Parents {
    /// Matched to each other, or both top-level.
    Same,
    /// Not matched to each other, one of them ended or began (yet), and
    /// units beside the one now sit in the other: the parent's story (a
    /// merge, a split) leads there, and the unit followed it.
    Followed,
    /// At least one is matched, and not to the other.
    Different,
    /// Neither is matched (yet).
    Unknown,
}

/// The open units of each side by a word of their topic and their place:
/// their parent as a unit of `after` (`None`: the top level), and their
/// own parent. Names that relate share a word, so the units whose names
/// may relate to a unit's are found without looking at every unit beside
/// it.
pub(super) struct Siblings {
    by_place: [ByPlace; 2],
    by_own_parent: [ByPlace; 2],
}

/// Open units by a place (a parent, or `None`: the top level) and a word.
type ByPlace = HashMap<(Option<UnitIx>, Word), Vec<UnitIx>>;

impl Siblings {
    /// The units under a key, unless more than [`SIBLING_CAP`] share it:
    /// a word that many units beside one another bear names none of them.
    fn capped(map: &ByPlace, key: (Option<UnitIx>, Word)) -> &[UnitIx] {
        match map.get(&key) {
            Some(units) if units.len() <= SIBLING_CAP => units,
            _ => &[],
        }
    }
}

/// Matched sub-units of one unit that now sit in a unit of the other
/// side.
#[derive(Debug, Clone, Copy)]
pub(super) struct Flow {
    pub(super) to: UnitIx,
    pub(super) count: usize,
    /// The first unit's matched sub-units.
    pub(super) from_total: usize,
    /// The other unit's, at least `count` (sub-units placed deeper, in new
    /// units inside it, count there too).
    pub(super) to_total: usize,
}

impl Flow {
    /// The part of the first unit's sub-units that went there.
    pub(super) fn share(&self) -> f64 {
        self.count as f64 / self.from_total as f64
    }

    /// The part of the other unit's sub-units that came from the first.
    pub(super) fn purity(&self) -> f64 {
        self.count as f64 / self.to_total as f64
    }
}

/// A pair found by an exact-key rule, not made yet.
pub(super) type Found = (UnitIx, UnitIx, f64, Vec<String>);

/// The matching in progress: both sides, the pairs made so far, and the
/// units still open.
pub(super) struct Matcher<'a> {
    pub(super) before: StateTables<'a>,
    pub(super) after: StateTables<'a>,
    pub(super) vocabulary: Vocabulary,
    /// `to_after[i]`: the unit of `after` that before-unit `i` is.
    pub(super) to_after: Vec<Option<UnitIx>>,
    /// `to_before[i]`: the unit of `before` that after-unit `i` is.
    pub(super) to_before: Vec<Option<UnitIx>>,
    /// Inferred pairs, in the order found.
    pub(super) found: Vec<Match>,
    /// Leftovers not matched yet, in tree order (pruned now and then).
    pub(super) open_before: Vec<UnitIx>,
    pub(super) open_after: Vec<UnitIx>,
    /// Per side, why the last candidate for a unit was rejected: a note
    /// for the unit if it stays unmatched.
    pub(super) doubts: [HashMap<UnitIx, String>; 2],
    /// Per side, the leftovers that nothing tells apart.
    pub(super) look_alikes: [LookAlikes; 2],
}

/// Leftovers that nothing tells apart: under the same parent, with the
/// same name, acronym, kind and description, and identical sub-trees. Which of
/// them is which cannot be known; a pairing of `k` look-alikes is right
/// with probability 1/k.
#[derive(Debug, Default)]
pub(super) struct LookAlikes {
    /// The class of each unit (by index) that has look-alikes.
    class: HashMap<UnitIx, u32>,
    /// The number of units in each class.
    size: Vec<usize>,
}

impl LookAlikes {
    /// Groups units by a key that says everything the matcher can see of
    /// them; keys borne once make no class.
    pub(super) fn of(keyed: impl Iterator<Item = (UnitIx, u64)>) -> LookAlikes {
        let mut keyed: Vec<(u64, UnitIx)> = keyed.map(|(x, key)| (key, x)).collect();
        keyed.sort_unstable();
        let mut out = LookAlikes::default();
        for members in keyed.chunk_by(|x, y| x.0 == y.0).filter(|c| c.len() > 1) {
            let class = out.size.len() as u32;
            out.size.push(members.len());
            out.class.extend(members.iter().map(|&(_, x)| (x, class)));
        }
        out
    }

    /// The class of a unit with look-alikes.
    pub(super) fn class(&self, x: UnitIx) -> Option<u32> {
        self.class.get(&x).copied()
    }

    /// How many units are alike with `x`, itself included (1: none).
    pub(super) fn count(&self, x: UnitIx) -> usize {
        self.class(x).map_or(1, |c| self.size[c as usize])
    }
}

impl<'a> Matcher<'a> {
    pub(super) fn new(known: &Known<'a>) -> Matcher<'a> {
        let before = StateTables::new(known.before, known.removed);
        let after = StateTables::new(known.after, known.added);
        let mut to_after = vec![None; known.before.len()];
        let mut to_before = vec![None; known.after.len()];
        for &(a, b) in known.pairs {
            to_after[a.index()] = Some(b);
            to_before[b.index()] = Some(a);
        }
        Matcher {
            before,
            after,
            vocabulary: Vocabulary::default(),
            to_after,
            to_before,
            found: Vec::new(),
            open_before: known.removed.to_vec(),
            open_after: known.added.to_vec(),
            doubts: Default::default(),
            look_alikes: Default::default(),
        }
    }

    pub(super) fn side(&self, w: Side) -> &StateTables<'a> {
        match w {
            Side::Before => &self.before,
            Side::After => &self.after,
        }
    }

    /// The unit's counterpart on the other side, if matched.
    pub(super) fn partner(&self, w: Side, x: UnitIx) -> Option<UnitIx> {
        match w {
            Side::Before => self.to_after[x.index()],
            Side::After => self.to_before[x.index()],
        }
    }

    /// A leftover not matched yet.
    pub(super) fn is_open(&self, w: Side, x: UnitIx) -> bool {
        self.side(w).leftover[x.index()] && self.partner(w, x).is_none()
    }

    pub(super) fn open(&self, w: Side) -> &[UnitIx] {
        match w {
            Side::Before => &self.open_before,
            Side::After => &self.open_after,
        }
    }

    /// The open look-alikes, class by class.
    pub(super) fn open_alikes(&self) -> OpenAlikes {
        let mut out = OpenAlikes::default();
        for w in Side::BOTH {
            let classes = &self.look_alikes[w as usize];
            for &x in self.open(w) {
                if let Some(class) = classes.class(x) {
                    out.0[w as usize].entry(class).or_default().push(x);
                }
            }
            out.0[w as usize].retain(|_, members| members.len() > 1);
        }
        out
    }

    pub(super) fn prune_open(&mut self) {
        let (to_after, to_before) = (&self.to_after, &self.to_before);
        self.open_before.retain(|a| to_after[a.index()].is_none());
        self.open_after.retain(|b| to_before[b.index()].is_none());
    }

    /// Pairs two units. A unit with look-alikes is paired with confidence
    /// at most 1/k: which of them is which cannot be told.
    pub(super) fn pair(
        &mut self,
        a: UnitIx,
        b: UnitIx,
        confidence: f64,
        mut evidence: Vec<String>,
    ) {
        self.to_after[a.index()] = Some(b);
        self.to_before[b.index()] = Some(a);
        let alike = self.look_alikes[0]
            .count(a)
            .max(self.look_alikes[1].count(b));
        let confidence = if alike > 1 {
            evidence.push(format!(
                "one of {alike} units alike in name, place and sub-units: which is which cannot be told"
            ));
            confidence.min(1.0 / alike as f64)
        } else {
            confidence
        };
        self.found.push(Match {
            before: a,
            after: b,
            confidence,
            evidence,
        });
    }

    /// Makes pairs found together, in the order given, skipping any whose
    /// units were taken meanwhile. Returns how many were made.
    pub(super) fn pair_all(&mut self, found: Vec<Found>) -> usize {
        let mut made = 0;
        for (a, b, confidence, evidence) in found {
            if self.to_after[a.index()].is_none() && self.to_before[b.index()].is_none() {
                self.pair(a, b, confidence, evidence);
                made += 1;
            }
        }
        self.prune_open();
        made
    }

    /// A unit of side `w`, or the top level (`None`), as a unit of
    /// `after`: itself, or its counterpart; `None` while it has none.
    pub(super) fn in_after(&self, w: Side, x: Option<UnitIx>) -> Option<Option<UnitIx>> {
        match (w, x) {
            (_, None) => Some(None),
            (Side::After, Some(x)) => Some(Some(x)),
            (Side::Before, Some(x)) => self.partner(Side::Before, x).map(Some),
        }
    }

    pub(super) fn parents(&self, a: UnitIx, b: UnitIx) -> Parents {
        let (pa, pb) = (self.before.parent(a), self.after.parent(b));
        let matched = |w: Side, p: Option<UnitIx>| p.is_none_or(|p| self.partner(w, p).is_some());
        if self.in_after(Side::Before, pa) == Some(pb) {
            Parents::Same
        } else if self.followed(a, b) {
            Parents::Followed
        } else if matched(Side::Before, pa) || matched(Side::After, pb) {
            Parents::Different
        } else {
            Parents::Unknown
        }
    }

    /// Whether `a`'s parent or `b`'s is open and a unit beside `a` is now
    /// beside `b` (or one beside `b` was beside `a`): look-alikes under
    /// a merged or split parent are told apart by where it went.
    fn followed(&self, a: UnitIx, b: UnitIx) -> bool {
        let (Some(pa), Some(pb)) = (self.before.parent(a), self.after.parent(b)) else {
            return false;
        };
        if !self.is_open(Side::Before, pa) && !self.is_open(Side::After, pb) {
            return false;
        }
        let went = |w: Side, x: UnitIx, p: UnitIx, q: UnitIx| {
            self.side(w).children(p).iter().any(|&s| {
                s != x
                    && self
                        .partner(w, s)
                        .is_some_and(|t| self.side(w.other()).parent(t) == Some(q))
            })
        };
        went(Side::Before, a, pa, pb) || went(Side::After, b, pb, pa)
    }

    pub(super) fn siblings(&self) -> Siblings {
        let mut siblings = Siblings {
            by_place: Default::default(),
            by_own_parent: Default::default(),
        };
        for w in Side::BOTH {
            for &x in self.open(w) {
                let parent = self.side(w).parent(x);
                let place = self.in_after(w, parent);
                for &word in &self.side(w).text(x).topic {
                    if let Some(p) = place {
                        let units = siblings.by_place[w as usize].entry((p, word));
                        units.or_default().push(x);
                    }
                    let units = siblings.by_own_parent[w as usize].entry((parent, word));
                    units.or_default().push(x);
                }
            }
        }
        siblings
    }

    /// The open units of the other side whose parent corresponds to `x`'s
    /// and whose topic shares a word with `x`'s; with `beside`, also
    /// those under that unit's own parent (parents may not be matched
    /// yet). Sorted.
    pub(super) fn open_siblings(
        &self,
        siblings: &Siblings,
        w: Side,
        x: UnitIx,
        beside: Option<UnitIx>,
    ) -> Vec<UnitIx> {
        let other = w.other() as usize;
        let place = self.in_after(w, self.side(w).parent(x));
        let own = beside.map(|y| self.side(w.other()).parent(y));
        let mut out = Vec::new();
        for &word in &self.side(w).text(x).topic {
            if let Some(p) = place {
                out.extend(Siblings::capped(&siblings.by_place[other], (p, word)));
            }
            if let Some(parent) = own {
                out.extend(Siblings::capped(
                    &siblings.by_own_parent[other],
                    (parent, word),
                ));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// How many of `a`'s sub-units are now sub-units of `b`.
    pub(super) fn carried(&self, a: UnitIx, b: UnitIx) -> usize {
        self.before
            .children(a)
            .iter()
            .filter(|&&c| {
                self.partner(Side::Before, c)
                    .is_some_and(|cb| self.after.parent(cb) == Some(b))
            })
            .count()
    }

    /// Where the matched sub-units of `x` (on side `w`) are now, by unit
    /// of the other side. A sub-unit placed in an open unit inside other
    /// open units counts toward the outermost of them: a division split
    /// into two new divisions, one of which put it in a new branch, went to
    /// that division.
    pub(super) fn flows(&self, w: Side, x: UnitIx) -> Vec<Flow> {
        let other = self.side(w.other());
        let outermost_open = |mut y: UnitIx| {
            while let Some(p) = other.parent(y).filter(|&p| self.is_open(w.other(), p)) {
                y = p;
            }
            y
        };
        let mut to: Vec<UnitIx> = self
            .side(w)
            .children(x)
            .iter()
            .filter_map(|&c| self.partner(w, c))
            .filter_map(|c| other.parent(c))
            .map(outermost_open)
            .collect();
        to.sort_unstable();
        let from_total = self.matched_children(w, x);
        to.chunk_by(|p, q| p == q)
            .map(|run| Flow {
                to: run[0],
                count: run.len(),
                from_total,
                to_total: self.matched_children(w.other(), run[0]).max(run.len()),
            })
            .collect()
    }

    fn matched_children(&self, w: Side, x: UnitIx) -> usize {
        self.side(w)
            .children(x)
            .iter()
            .filter(|&&c| self.partner(w, c).is_some())
            .count()
    }

    pub(super) fn parent_evidence(&self, b: UnitIx) -> String {
        match self.after.parent(b) {
            Some(p) => format!("parent matched ({})", self.after.label(p)),
            None => "both at the top level".to_string(),
        }
    }
}

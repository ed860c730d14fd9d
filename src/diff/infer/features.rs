//! The [`Features`] of a candidate pair of units in scored matching, and
//! their log-odds score; what a reader is told of them.

use super::matcher::{Matcher, Parents};
use super::similarity::{abbreviates, dice, NameRelation};
use super::text::Text;
use super::PRIOR;
use crate::diff::step::Side;
use crate::state::{StateUnit, UnitIx};

/// How two units' acronyms relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Acronyms {
    /// Nothing to compare, or acronyms that only abbreviate the names.
    None,
    /// The same acronym (and not just the initials of both names).
    Same,
    /// The acronym of the unit on this side is the initials of the other's
    /// name ("LEISI"), and not of its own.
    Expands(Side),
    /// Both given, and different.
    Differ,
    /// The name of the unit on this side is the other's acronym: counted
    /// as the name ("LEISI" and "Law Enforcement Information Sharing
    /// Initiative" are the same name, abbreviated).
    Abbreviates(Side),
}

impl Acronyms {
    pub(super) fn of(a: &Text, b: &Text) -> Acronyms {
        if abbreviates(a, b) {
            return Acronyms::Abbreviates(Side::Before);
        }
        if abbreviates(b, a) {
            return Acronyms::Abbreviates(Side::After);
        }
        let own = |t: &Text, x: u64| t.initials.contains(&Some(x));
        match (a.acronym, b.acronym) {
            // Acronyms that are only each name's initials say nothing the
            // names do not.
            (Some(x), Some(y)) if own(a, x) && own(b, y) => Acronyms::None,
            (Some(x), Some(y)) if x == y => Acronyms::Same,
            (Some(x), _) if own(b, x) && !own(a, x) => Acronyms::Expands(Side::Before),
            (_, Some(y)) if own(a, y) && !own(b, y) => Acronyms::Expands(Side::After),
            (Some(_), Some(_)) => Acronyms::Differ,
            _ => Acronyms::None,
        }
    }

    pub(super) fn agree(self) -> bool {
        matches!(self, Acronyms::Same | Acronyms::Expands(_))
    }
}

/// The log-odds weight of names that align (respelled or extended): with
/// a matched parent and the same kind, enough for a pair on its own
/// (`PRIOR` + 5 + 2 + 0.3 = 2.3, a probability of 0.91), even with a
/// description rewritten (1.8).
pub(super) const ALIGNED_NAME: f64 = 5.0;

/// The weight of names that begin alike, with a word rare among the open
/// units, and end differently: a little less than names that align
/// outright, still enough beside a matched parent and the same kind.
pub(super) const REQUALIFIED_NAME: f64 = 4.7;

/// Sub-units carried along, at least this many and nearly all of both
/// units' (see [`Features::kept_its_parts`]), say "the same unit" on
/// their own beside an unchanged parent: a unit abolished beside one
/// established rarely hands the new one all of several sub-units.
const WHOLE_PARTS: usize = 3;

/// The log-odds added for a unit that kept its parent and its parts: with
/// a name half alike and the description rewritten, enough for the bar
/// (`PRIOR` − 1 + 2 + 5 + 1.5 − 0.5 + 0.3 = 2.3); with a name rewritten
/// beyond recognition as well (− 3), still short of it (0.3).
const WHOLE_PARTS_WEIGHT: f64 = 1.5;

/// What two units have in common, each feature measured once.
#[derive(Debug, Clone)]
pub(super) struct Features {
    /// How the names relate. `None` until measured (it is the costly
    /// part), and scored as the best case short of the same name
    /// meanwhile.
    pub(super) name: Option<NameRelation>,
    pub(super) same_name: bool,
    /// Open units (both sides) with the rarer of the two names, when
    /// scoring; 0 when not counted.
    pub(super) name_count: usize,
    pub(super) acronym: Acronyms,
    pub(super) parents: Parents,
    /// Sub-units: (carried from a to b, a's count, b's count).
    pub(super) children: (usize, usize, usize),
    /// Description similarity (Dice over words), when both have one.
    pub(super) description: Option<f64>,
    pub(super) same_kind: Option<bool>,
}

impl Features {
    /// The log-odds that the two units are the same, from hand-set weights
    /// (their effect is measured in docs/inference-figures.md).
    pub(super) fn score(&self) -> f64 {
        let name = match self.name {
            _ if self.same_name => 6.0,
            None => ALIGNED_NAME,
            Some(NameRelation::Same) => 6.0,
            Some(NameRelation::Abbreviated | NameRelation::AfterPart) => 4.0,
            Some(NameRelation::Respelled | NameRelation::Extended) => ALIGNED_NAME,
            Some(NameRelation::Requalified) => REQUALIFIED_NAME,
            Some(NameRelation::Similar(s)) if s >= 0.9 => 4.0,
            Some(NameRelation::Similar(s)) if s >= 0.8 => 2.5,
            Some(NameRelation::Similar(s)) if s >= 0.7 => 1.0,
            Some(NameRelation::Similar(s)) if s >= 0.5 => -1.0,
            Some(NameRelation::Similar(_)) => -3.0,
        };
        // Term-frequency adjustment (Splink): agreeing on a name that many
        // open units share ("Operations Unit") says little. A name found
        // once on each side loses nothing; one shared by 300 loses
        // ln 150 = 5, but agreement never drops below 1.
        let name = if name > 1.0 {
            (name - (self.name_count as f64 / 2.0).ln().max(0.0)).max(1.0)
        } else {
            name
        };
        let acronym = match self.acronym {
            Acronyms::Same | Acronyms::Expands(_) => 2.5,
            Acronyms::Differ => -0.5,
            // Counted as the name.
            Acronyms::None | Acronyms::Abbreviates(_) => 0.0,
        };
        let parents = match self.parents {
            Parents::Same => 2.0,
            Parents::Followed => 1.0,
            // Moves are rarer than staying put.
            Parents::Different => -0.5,
            Parents::Unknown => 0.0,
        };
        let children = match self.children_dice() {
            _ if self.kept_its_parts() => 5.0 + WHOLE_PARTS_WEIGHT,
            Some(d) if d >= 0.8 => 5.0,
            Some(d) if d >= 0.5 => 3.0,
            Some(d) if d >= 0.2 => 1.0,
            _ => 0.0,
        };
        let description = match self.description {
            Some(d) if d >= 0.8 => 4.5,
            Some(d) if d >= 0.5 => 2.5,
            Some(d) if d >= 0.3 => 0.5,
            // Descriptions get rewritten when units are reorganized or
            // renamed: a different one is weak evidence against.
            Some(_) => -0.5,
            None => 0.0,
        };
        let kind = match self.same_kind {
            Some(true) => 0.3,
            Some(false) => -0.5,
            None => 0.0,
        };
        PRIOR + name + acronym + parents + children + description + kind
    }

    /// Dice over sub-units, when either has some.
    pub(super) fn children_dice(&self) -> Option<f64> {
        let (carried, a, b) = self.children;
        (a + b > 0).then(|| 2.0 * carried as f64 / (a + b) as f64)
    }

    /// Whether the pair stayed under the same parent and took along
    /// nearly all (a Dice of 0.8) of several ([`WHOLE_PARTS`]) sub-units.
    pub(super) fn kept_its_parts(&self) -> bool {
        self.parents == Parents::Same
            && self.children.0 >= WHOLE_PARTS
            && self.children_dice().is_some_and(|d| d >= 0.8)
    }

    /// Independent kinds of evidence: a similar name, an acronym, a
    /// similar description, sub-units that moved along. A shared parent
    /// is one only beside a name that aligns (respelled, extended,
    /// abbreviated) or beside several sub-units nearly all carried along:
    /// a unit abolished and another established under the same parent are
    /// the classic false rename, but they rarely have names one of which
    /// extends or respells the other, nor the same parts.
    pub(super) fn kinds_of_evidence(&self) -> usize {
        let aligned = self.name.is_some_and(NameRelation::aligned);
        [
            self.name.is_some_and(|r| r.similarity() >= 0.7),
            (aligned || self.kept_its_parts()) && self.parents == Parents::Same,
            self.acronym.agree(),
            self.description.is_some_and(|d| d >= 0.5),
            self.children.0 > 0 && self.children_dice().is_some_and(|d| d >= 0.5),
        ]
        .into_iter()
        .filter(|&e| e)
        .count()
    }

    pub(super) fn acronym_evidence(&self, m: &Matcher, a: UnitIx, b: UnitIx) -> Option<String> {
        let (ua, ub) = (m.before.state.unit(a), m.after.state.unit(b));
        let shown = |u: &StateUnit| u.acronym.clone().unwrap_or_else(|| u.name.clone());
        match self.acronym {
            Acronyms::Same => Some(format!("same acronym {}", shown(ua))),
            Acronyms::Expands(Side::Before) => {
                Some(format!("acronym {} stands for {}", shown(ua), ub.name))
            }
            Acronyms::Expands(Side::After) => {
                Some(format!("acronym {} stands for {}", shown(ub), ua.name))
            }
            Acronyms::Differ => Some(format!(
                "acronym changed from {} to {}",
                shown(ua),
                shown(ub)
            )),
            Acronyms::Abbreviates(Side::Before) => {
                Some(format!("{} is the acronym of {}", ua.name, ub.name))
            }
            Acronyms::Abbreviates(Side::After) => {
                Some(format!("{} is the acronym of {}", ub.name, ua.name))
            }
            Acronyms::None => None,
        }
    }

    pub(super) fn children_evidence(&self) -> Option<String> {
        let (carried, a, _) = self.children;
        (carried > 0).then(|| format!("{carried} of {a} sub-units moved with it"))
    }

    /// The features in words, strongest first.
    pub(super) fn evidence(&self, m: &Matcher, a: UnitIx, b: UnitIx) -> Vec<String> {
        // An abbreviated name is said by the acronym evidence below.
        let (ua, ub) = (m.before.state.unit(a), m.after.state.unit(b));
        let mut out = match (self.name, self.acronym) {
            (_, Acronyms::Abbreviates(_)) => Vec::new(),
            _ if self.same_name => vec!["same name".to_string()],
            (Some(NameRelation::Respelled), _) => {
                vec![format!("{} and {} are spelled alike", ua.name, ub.name)]
            }
            (Some(NameRelation::Requalified), _) => {
                vec![format!("{} and {} begin alike", ua.name, ub.name)]
            }
            (Some(NameRelation::AfterPart), _) => {
                vec![format!(
                    "{} and {} both have a part named {}",
                    ua.name,
                    ub.name,
                    m.shared_part_name(a, b).unwrap_or_default()
                )]
            }
            (Some(NameRelation::Extended), _) => {
                let (short, long) = if ua.name.len() < ub.name.len() {
                    (&ua.name, &ub.name)
                } else {
                    (&ub.name, &ua.name)
                };
                vec![format!("every word of {short} is in {long}")]
            }
            (Some(r), _) => vec![format!("name similarity {:.2}", r.similarity())],
            (None, _) => vec!["names not compared".to_string()],
        };
        if self.name_count > 2 {
            out.push(format!("a name {} unmatched units share", self.name_count));
        }
        out.extend(self.acronym_evidence(m, a, b));
        out.extend(self.children_evidence());
        if let Some(d) = self.description {
            out.push(format!("description similarity {d:.2}"));
        }
        match self.parents {
            Parents::Same => out.push(m.parent_evidence(b)),
            Parents::Different => out.push(format!(
                "now under {} (was under {})",
                m.after.parent_label(b),
                m.before.parent_label(a)
            )),
            Parents::Followed => out.push(format!(
                "now under {}, where units beside it under {} went too",
                m.after.parent_label(b),
                m.before.parent_label(a)
            )),
            Parents::Unknown => {}
        }
        out
    }
}

impl Matcher<'_> {
    /// The name of a sub-unit that both units have, once each (as
    /// written, the case and accents aside), when one of the two bears it
    /// too: a unit that took the name of one of its parts, or gave it up
    /// (see [`NameRelation::AfterPart`]). A name borne by two sub-units of
    /// one of them (a part that lives on beside the part it had) says
    /// nothing of which is which.
    pub(super) fn shared_part_name(&self, a: UnitIx, b: UnitIx) -> Option<String> {
        let folded = |w: Side, x: UnitIx| crate::text::fold(&self.side(w).state.unit(x).name);
        let names = [folded(Side::Before, a), folded(Side::After, b)];
        let named = |w: Side, x: UnitIx| -> Vec<(String, UnitIx)> {
            (self.side(w).children(x).iter())
                .map(|&c| (folded(w, c), c))
                .filter(|(n, _)| names.contains(n))
                .collect()
        };
        let (ours, theirs) = (named(Side::Before, a), named(Side::After, b));
        let once = |list: &[(String, UnitIx)], name: &str| {
            list.iter().filter(|(n, _)| n == name).count() == 1
        };
        let (_, part) = ours
            .iter()
            .find(|(n, _)| once(&ours, n) && once(&theirs, n))?;
        Some(self.before.state.unit(*part).name.clone())
    }

    /// The features of a pair; the name similarity only when the names are
    /// the same (see [`Matcher::score_candidates`]).
    pub(super) fn features(&self, a: UnitIx, b: UnitIx) -> Features {
        let (ta, tb) = (self.before.text(a), self.after.text(b));
        let description = match (
            self.before.description(a, &self.vocabulary),
            self.after.description(b, &self.vocabulary),
        ) {
            (Some(x), Some(y)) => Some(dice(x, y)),
            _ => None,
        };
        let same_kind = match (ta.kind, tb.kind) {
            (Some(x), Some(y)) => Some(x == y),
            _ => None,
        };
        let same_name = ta.name == tb.name;
        Features {
            name: same_name.then_some(NameRelation::Same),
            same_name,
            name_count: 0,
            acronym: Acronyms::of(ta, tb),
            parents: self.parents(a, b),
            children: (
                self.carried(a, b),
                self.before.children(a).len(),
                self.after.children(b).len(),
            ),
            description,
            same_kind,
        }
    }
}

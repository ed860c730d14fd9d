//! Units that change level and kind while living on: a unit that is now a
//! part of another kind one level down, inside a unit that sits where it
//! was (absorbed into that unit, or merged with the other parts into it
//! when it is new), and a part promoted out of a unit to stand beside it
//! (spun off from that unit, or split out of it when it ended). The pair
//! says the unit lives on; these say what became of the unit around it.

use std::collections::BTreeMap;

use super::matcher::Matcher;
use crate::diff::step::Side;
use crate::state::UnitIx;

/// A pair (`before`, `after`) whose unit changed level and kind.
#[derive(Debug, Clone, Copy)]
pub(super) struct Part {
    pub(super) before: UnitIx,
    pub(super) after: UnitIx,
    /// The unit it went into (a unit of `after`), or came out of (a unit
    /// of `before`).
    pub(super) whole: UnitIx,
    pub(super) confidence: f64,
}

/// The pairs that changed level, by the unit around them.
#[derive(Debug, Default)]
pub(super) struct Levels {
    /// Units now parts inside an after-unit, by that unit, in tree order.
    pub(super) went_into: BTreeMap<UnitIx, Vec<Part>>,
    /// Units that were parts of a before-unit and now stand beside it, by
    /// that unit.
    pub(super) came_out_of: BTreeMap<UnitIx, Vec<Part>>,
}

impl Levels {
    /// The parts of a unit of side `w`: those gone into it (after) or come
    /// out of it (before).
    pub(super) fn of(&self, w: Side, x: UnitIx) -> &[Part] {
        let map = match w {
            Side::Before => &self.came_out_of,
            Side::After => &self.went_into,
        };
        map.get(&x).map_or(&[], Vec::as_slice)
    }
}

impl Matcher<'_> {
    /// Every inferred pair whose unit moved one level down into a unit
    /// standing where it was, or one level up out of its parent to stand
    /// beside it, and changed kind on the way: a unit that becomes a part
    /// (or stops being one) is no longer a peer of the units it was among.
    /// A move without a change of kind is only a move. Pairs by identity
    /// or a curated event are left as they are: their source already says
    /// what the unit became (a program renamed into a unit of a division
    /// is renamed, moved and redesignated, not absorbed).
    pub(super) fn levels(&self) -> Levels {
        let mut levels = Levels::default();
        for pair in &self.found {
            let (before, after) = (pair.before, pair.after);
            let part = |whole| Part {
                before,
                after,
                whole,
                confidence: pair.confidence,
            };
            if let Some(whole) = self.went_down_into(before, after) {
                levels.went_into.entry(whole).or_default().push(part(whole));
            } else if let Some(whole) = self.came_up_out_of(before, after) {
                levels
                    .came_out_of
                    .entry(whole)
                    .or_default()
                    .push(part(whole));
            }
        }
        for parts in levels.went_into.values_mut() {
            parts.sort_by_key(|p| p.before);
        }
        for parts in levels.came_out_of.values_mut() {
            parts.sort_by_key(|p| p.after);
        }
        levels
    }

    /// The after-unit `b` is now inside, when it sits one level below
    /// where `a` was and changed kind.
    fn went_down_into(&self, a: UnitIx, b: UnitIx) -> Option<UnitIx> {
        let whole = self.after.parent(b)?;
        let place = self.in_after(Side::Before, self.before.parent(a))?;
        (place == self.after.parent(whole) && self.kind_changed(a, b)).then_some(whole)
    }

    /// The before-unit `a` was inside, when `b` now stands beside it and
    /// changed kind.
    fn came_up_out_of(&self, a: UnitIx, b: UnitIx) -> Option<UnitIx> {
        let whole = self.before.parent(a)?;
        let place = self.in_after(Side::Before, self.before.parent(whole))?;
        (place == self.after.parent(b) && self.kind_changed(a, b)).then_some(whole)
    }

    /// Both units have a kind, and not the same one.
    fn kind_changed(&self, a: UnitIx, b: UnitIx) -> bool {
        match (
            &self.before.state.unit(a).kind,
            &self.after.state.unit(b).kind,
        ) {
            (Some(x), Some(y)) => x != y && crate::text::fold(x) != crate::text::fold(y),
            _ => false,
        }
    }

    /// "Quessy lives on inside Tergnier as Quessy (commune associee)", or
    /// "Puy-Saint-Pierre, a part of Briançon, now stands beside it".
    pub(super) fn part_evidence(&self, part: &Part, into: bool) -> String {
        let (a, b) = (part.before, part.after);
        let kind = self.after.state.unit(b).kind.as_deref().unwrap_or("part");
        if into {
            format!(
                "{} lives on inside {} as {} ({kind})",
                self.before.label(a),
                self.after.label(part.whole),
                self.after.label(b)
            )
        } else {
            format!(
                "{}, a part of {}, now stands beside it ({kind})",
                self.after.label(b),
                self.before.label(part.whole)
            )
        }
    }
}

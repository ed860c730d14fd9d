//! One state as inference reads it: [`StateTables`] keeps each unit's
//! parent and sub-units in flat tables, built once per step, and the
//! normalized texts, description words and name counts of the units that
//! need them, built when first asked for.

use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

use super::hash::hash_str;
use super::text::{is_stopword, Text, Vocabulary};
use crate::state::{OrgState, UnitIx};
use crate::text;

/// One of the two states, with the tables inference reads. Structure is
/// kept for every unit in two flat tables; text only for the units that
/// need it (the leftovers and what they are compared with), as a step
/// usually leaves a few units of many thousands.
pub(super) struct StateTables<'a> {
    pub(super) state: &'a OrgState,
    /// The leftovers (`removed` or `added`), parents before children.
    pub(super) leftovers: Vec<UnitIx>,
    parent: Vec<Option<UnitIx>>,
    /// The sub-units of unit `i` are `children[first_child[i]..first_child[i + 1]]`.
    first_child: Vec<u32>,
    children: Vec<UnitIx>,
    /// In `removed` (`added`): what inference is about.
    pub(super) leftover: Vec<bool>,
    /// A hash of each leftover's name as written, for the exact keys that
    /// run before texts are built.
    pub(super) written: Vec<u64>,
    /// Normalized text of the units that have one built, with their hashed
    /// description words (`None`: no description), computed when first
    /// compared.
    text: HashMap<UnitIx, (Text, DescriptionWords)>,
    /// What [`StateTables::text`] gives for a unit without one: all empty.
    unbuilt: Text,
    /// How many units bear each name as written (by hash).
    name_counts: OnceLock<HashMap<u64, usize>>,
}

/// A unit's hashed description words, computed when first compared
/// (`None`: no description).
type DescriptionWords = OnceLock<Option<Vec<u64>>>;

impl<'a> StateTables<'a> {
    pub(super) fn new(state: &'a OrgState, leftovers: &[UnitIx]) -> StateTables<'a> {
        let n = state.len();
        let mut parent = vec![None; n];
        // The ancestors of the unit being visited, by depth.
        let mut path: Vec<UnitIx> = Vec::new();
        let mut first_child = vec![0u32; n + 1];
        for (ix, depth) in state.preorder() {
            path.truncate(depth);
            if let Some(&p) = path.last() {
                parent[ix.index()] = Some(p);
                first_child[p.index() + 1] += 1;
            }
            path.push(ix);
        }
        for i in 0..n {
            first_child[i + 1] += first_child[i];
        }
        // Filled in tree order, so each unit's sub-units keep their order.
        let mut next = first_child.clone();
        // One slot per unit that has a parent (any unit will do until the
        // slot is filled).
        let mut children: Vec<UnitIx> = parent.iter().flatten().copied().collect();
        for (ix, _) in state.preorder() {
            if let Some(p) = parent[ix.index()] {
                children[next[p.index()] as usize] = ix;
                next[p.index()] += 1;
            }
        }
        let mut side = StateTables {
            state,
            leftovers: leftovers.to_vec(),
            parent,
            first_child,
            children,
            leftover: vec![false; n],
            written: vec![0; n],
            text: HashMap::default(),
            unbuilt: Text::default(),
            name_counts: OnceLock::new(),
        };
        for &x in leftovers {
            side.leftover[x.index()] = true;
            side.written[x.index()] = hash_str(&state.unit(x).name);
        }
        side
    }

    /// The number of units of the whole state.
    pub(super) fn len(&self) -> usize {
        self.state.len()
    }

    /// Builds the text of these units (leftovers or not) where needed.
    pub(super) fn build_texts(&mut self, units: &[UnitIx], vocabulary: &mut Vocabulary) {
        for &x in units {
            if !self.text.contains_key(&x) {
                let text = Text::of(self.state.unit(x), vocabulary);
                self.text.insert(x, (text, OnceLock::new()));
            }
        }
    }

    /// A unit's text: built for open units after context matching, and for
    /// the units stage 4 compares them with.
    pub(super) fn text(&self, x: UnitIx) -> &Text {
        self.text.get(&x).map_or(&self.unbuilt, |(text, _)| text)
    }

    pub(super) fn parent(&self, x: UnitIx) -> Option<UnitIx> {
        self.parent[x.index()]
    }

    pub(super) fn children(&self, x: UnitIx) -> &[UnitIx] {
        let i = x.index();
        &self.children[self.first_child[i] as usize..self.first_child[i + 1] as usize]
    }

    pub(super) fn label(&self, x: UnitIx) -> String {
        self.state.unit(x).label()
    }

    /// How many units the sub-tree of `x` has, `x` included.
    pub(super) fn subtree_size(&self, x: UnitIx) -> usize {
        1 + self
            .children(x)
            .iter()
            .map(|&c| self.subtree_size(c))
            .sum::<usize>()
    }

    /// How many units of the whole state bear the name of `x`, as written.
    /// (Counted once, when first asked: most diffs never ask.)
    pub(super) fn bearers(&self, x: UnitIx) -> usize {
        let counts = self.name_counts.get_or_init(|| {
            let mut counts: HashMap<u64, usize> = HashMap::default();
            for (y, _) in self.state.preorder() {
                *counts
                    .entry(hash_str(&self.state.unit(y).name))
                    .or_default() += 1;
            }
            counts
        });
        counts[&hash_str(&self.state.unit(x).name)]
    }

    /// The label of a unit's parent, or "the top level".
    pub(super) fn parent_label(&self, x: UnitIx) -> String {
        self.parent(x)
            .map_or_else(|| "the top level".to_string(), |p| self.label(p))
    }

    /// The description's words, hashed and sorted, without stopwords and
    /// without the words of the unit's own name: a description that
    /// restates the name adds nothing to it.
    pub(super) fn description(&self, x: UnitIx, vocabulary: &Vocabulary) -> Option<&[u64]> {
        debug_assert!(self.text(x).built, "name words are needed");
        let (_, description) = self.text.get(&x).expect("name words are needed");
        let words = description.get_or_init(|| {
            let description = self.state.unit(x).description.as_deref()?;
            let name = &self.text(x).words;
            let in_name = |w: &str| {
                vocabulary
                    .ids
                    .get(w)
                    .is_some_and(|id| name.binary_search(id).is_ok())
            };
            let mut words: Vec<u64> = text::words(description)
                .iter()
                .filter(|w| !is_stopword(w) && !in_name(w))
                .map(|w| hash_str(w))
                .collect();
            words.sort_unstable();
            words.dedup();
            Some(words)
        });
        words.as_deref()
    }
}

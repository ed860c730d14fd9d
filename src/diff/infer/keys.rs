//! Stage 2, exact keys: identical sub-trees, the same name under matched
//! parents, a name unique on both sides with a corroborating feature, a
//! unique acronym, an alias, and (after scoring) cousins and units moved
//! one level down or up through a reorganized unit (`levels.rs`). Each
//! rule pairs units outright, with a fixed confidence.

use rustc_hash::FxHashMap as HashMap;

use super::features::Acronyms;
use super::hash::{hash_mix, hash_str};
use super::matcher::{LookAlikes, Matcher, Parents};
use super::tables::StateTables;
use super::{
    ACRONYM_CONFIDENCE, ALIAS_CONFIDENCE, CONTEXT_CONFIDENCE, IDENTICAL_SUBTREE_CONFIDENCE,
    UNIQUE_NAME_CONFIDENCE,
};
use crate::diff::step::Side;
use crate::state::UnitIx;

// ---------------------------------------------------------------------------
// Stage 2: exact keys

impl Matcher<'_> {
    /// Exact-key rules, repeated while they find something; `cousins`
    /// adds the rules for units whose place changed by a level (see
    /// `levels.rs`).
    pub(super) fn match_exact_keys(&mut self, cousins: bool) {
        loop {
            let by_context = self.match_by_context() + self.match_look_alikes();
            self.build_open_texts();
            let made = by_context
                + if cousins {
                    self.match_across_levels()
                } else {
                    0
                }
                + self.match_unique_names()
                + self.match_unique_acronyms()
                + self.match_aliases();
            if made == 0 {
                break;
            }
        }
    }

    /// Identical sub-trees (the same names and acronyms all the way down)
    /// found once on each side among the leftovers: the whole sub-tree is
    /// the same.
    pub(super) fn match_identical_subtrees(&mut self) {
        let signatures = Side::BOTH.map(|w| self.subtree_signatures(w));
        self.look_alikes = Side::BOTH.map(|w| self.look_alikes_of(w, &signatures[w as usize]));
        let counts = Side::BOTH.map(|w| {
            let side = self.side(w);
            let mut counts: HashMap<u64, (usize, UnitIx)> = HashMap::default();
            for &x in &side.leftovers {
                if let (Some(s), false) = (
                    signatures[w as usize][x.index()],
                    side.children(x).is_empty(),
                ) {
                    counts.entry(s).or_insert((0, x)).0 += 1;
                }
            }
            counts
        });
        for a in self.before.leftovers.clone() {
            let Some(s) = signatures[0][a.index()] else {
                continue;
            };
            let (Some(&(1, _)), Some(&(1, b))) = (counts[0].get(&s), counts[1].get(&s)) else {
                continue;
            };
            if self.to_after[a.index()].is_none() {
                let evidence = format!(
                    "identical sub-tree: the same names and acronyms in all {} units",
                    self.before.subtree_size(a)
                );
                let inside = format!(
                    "part of an identical sub-tree under {}",
                    self.before.label(a)
                );
                self.pair(a, b, IDENTICAL_SUBTREE_CONFIDENCE, vec![evidence]);
                let inside = (IDENTICAL_SUBTREE_CONFIDENCE, inside.as_str());
                self.pair_subtrees((a, b), &signatures, inside);
            }
        }
        self.prune_open();
    }

    /// Pairs the units under two identical units, one by one; identical
    /// siblings pair in tree order, with the confidence look-alikes get
    /// (see [`Matcher::pair`]), and so do the units under them.
    fn pair_subtrees(
        &mut self,
        (a, b): (UnitIx, UnitIx),
        signatures: &[Vec<Option<u64>>; 2],
        (confidence, evidence): (f64, &str),
    ) {
        let sorted = |side: &StateTables, signatures: &[Option<u64>], x: UnitIx| -> Vec<UnitIx> {
            let mut children = side.children(x).to_vec();
            children.sort_by_key(|c| signatures[c.index()]);
            children
        };
        let children: Vec<(UnitIx, UnitIx)> = sorted(&self.before, &signatures[0], a)
            .into_iter()
            .zip(sorted(&self.after, &signatures[1], b))
            .collect();
        for (ca, cb) in children {
            let alike = self.look_alikes[0].count(ca);
            let confidence = confidence.min(1.0 / alike as f64);
            self.pair(ca, cb, confidence, vec![evidence.to_string()]);
            self.pair_subtrees((ca, cb), signatures, (confidence, evidence));
        }
    }

    /// The leftovers of side `w` that nothing tells apart: the same parent,
    /// kind, description and sub-tree signature (names and acronyms all
    /// the way down).
    fn look_alikes_of(&self, w: Side, signatures: &[Option<u64>]) -> LookAlikes {
        let side = self.side(w);
        let keyed = side.leftovers.iter().filter_map(|&x| {
            let signature = signatures[x.index()]?;
            let unit = side.state.unit(x);
            let parent = side.parent(x).map_or(u64::MAX, |p| p.index() as u64);
            let description = unit.description.as_deref().map_or(0, hash_str);
            let kind = unit
                .kind
                .as_deref()
                .map_or(0, |k| hash_str(&crate::text::fold(k)));
            let place = hash_mix(hash_mix(signature, parent), kind);
            Some((x, hash_mix(place, description)))
        });
        LookAlikes::of(keyed)
    }

    /// A hash of each leftover's name and acronym as written and of its
    /// sub-trees, for units whose whole sub-tree is leftover.
    fn subtree_signatures(&self, w: Side) -> Vec<Option<u64>> {
        let side = self.side(w);
        let mut signatures: Vec<Option<u64>> = vec![None; side.len()];
        for &x in side.leftovers.iter().rev() {
            if !side.leftover[x.index()] {
                continue;
            }
            let children: Option<Vec<u64>> = side
                .children(x)
                .iter()
                .map(|c| signatures[c.index()])
                .collect();
            if let Some(mut children) = children {
                children.sort_unstable();
                let acronym = side.state.unit(x).acronym.as_deref().map_or(0, hash_str);
                let own = hash_mix(side.written[x.index()], acronym);
                signatures[x.index()] = Some(children.into_iter().fold(own, hash_mix));
            }
        }
        signatures
    }

    /// Open units of side `w` by a key: the unit when only one open unit
    /// has the key, else `None`.
    fn unique_keys<K: std::hash::Hash + Eq>(
        &self,
        w: Side,
        key: impl Fn(&Self, UnitIx) -> Option<K>,
    ) -> HashMap<K, Option<UnitIx>> {
        let mut out: HashMap<K, Option<UnitIx>> = HashMap::default();
        for &x in self.open(w) {
            if let Some(k) = key(self, x) {
                out.entry(k).and_modify(|e| *e = None).or_insert(Some(x));
            }
        }
        out
    }

    /// The units that have a key once on each side, keyed alike (names by
    /// hash, checked equal): pairs of candidates for an exact-key rule.
    fn unique_on_both_sides<K: std::hash::Hash + Eq>(
        &self,
        key: impl Fn(&Self, Side, UnitIx) -> Option<K>,
    ) -> Vec<(UnitIx, UnitIx)> {
        let keys = Side::BOTH.map(|w| self.unique_keys(w, |m, x| key(m, w, x)));
        self.open_before
            .iter()
            .filter_map(|&a| {
                let k = key(self, Side::Before, a)?;
                match (keys[0].get(&k), keys[1].get(&k)) {
                    (Some(&Some(_)), Some(&Some(b))) => Some((a, b)),
                    _ => None,
                }
            })
            .collect()
    }

    /// Homonyms by context: a leftover whose parent is matched pairs with
    /// the one unmatched sub-unit of the parent's counterpart that has the
    /// same name as written (each unique among its unmatched siblings).
    /// Parents go first, so a whole unchanged branch pairs in one pass.
    /// (Names that differ in case or accents only are left to the rules
    /// that compare folded names.)
    fn match_by_context(&mut self) -> usize {
        let keys = Side::BOTH.map(|w| {
            self.unique_keys(w, |m, x| {
                let side = m.side(w);
                Some((side.parent(x), side.written[x.index()]))
            })
        });
        let mut made = 0;
        for a in self.open_before.clone() {
            let (parent, key) = (self.before.parent(a), self.before.written[a.index()]);
            let Some(parent_after) = self.in_after(Side::Before, parent) else {
                continue;
            };
            let (Some(&Some(_)), Some(&Some(b))) = (
                keys[0].get(&(parent, key)),
                keys[1].get(&(parent_after, key)),
            ) else {
                continue;
            };
            let same_written = self.before.state.unit(a).name == self.after.state.unit(b).name;
            if self.to_before[b.index()].is_none() && same_written {
                let evidence = vec![match parent_after {
                    Some(p) => format!(
                        "same name under the matched parent ({})",
                        self.after.label(p)
                    ),
                    None => "same name at the top level".to_string(),
                }];
                self.pair(a, b, CONTEXT_CONFIDENCE, evidence);
                made += 1;
            }
        }
        self.prune_open();
        made
    }

    /// Look-alikes by context: under a matched parent, the open units of
    /// one name as written, when those of each side are all alike (see
    /// [`LookAlikes`]) and more than one on some side: paired in tree
    /// order, each with the confidence look-alikes get.
    fn match_look_alikes(&mut self) -> usize {
        let groups = Side::BOTH.map(|w| {
            let mut groups: HashMap<(Option<UnitIx>, u64), Vec<UnitIx>> = HashMap::default();
            for &x in self.open(w) {
                let side = self.side(w);
                if let Some(place) = self.in_after(w, side.parent(x)) {
                    let key = (place, side.written[x.index()]);
                    groups.entry(key).or_default().push(x);
                }
            }
            groups
        });
        let alike = |w: Side, units: &[UnitIx]| {
            let classes = &self.look_alikes[w as usize];
            units.len() == 1
                || units.iter().all(|&x| {
                    classes.class(x).is_some() && classes.class(x) == classes.class(units[0])
                })
        };
        let mut found = Vec::new();
        for &a in &self.open_before {
            let side = &self.before;
            let Some(place) = self.in_after(Side::Before, side.parent(a)) else {
                continue;
            };
            let key = (place, side.written[a.index()]);
            let (Some(before), Some(after)) = (groups[0].get(&key), groups[1].get(&key)) else {
                continue;
            };
            let same_written = side.state.unit(a).name == self.after.state.unit(after[0]).name;
            let first = before[0] == a;
            if !first || before.len() + after.len() <= 2 || !same_written {
                continue;
            }
            if alike(Side::Before, before) && alike(Side::After, after) {
                let evidence = vec![format!(
                    "same name under the matched parent ({}), borne there by {} units before and {} after",
                    self.after.parent_label(after[0]),
                    before.len(),
                    after.len()
                )];
                for (&a, &b) in before.iter().zip(after) {
                    found.push((a, b, CONTEXT_CONFIDENCE, evidence.clone()));
                }
            }
        }
        self.pair_all(found)
    }

    /// Builds the texts of the open units: the rules after context
    /// matching read them.
    fn build_open_texts(&mut self) {
        self.before
            .build_texts(&self.open_before, &mut self.vocabulary);
        self.after
            .build_texts(&self.open_after, &mut self.vocabulary);
    }

    pub(super) fn same_name(&self, a: UnitIx, b: UnitIx) -> bool {
        self.before.text(a).name == self.after.text(b).name
    }

    /// A name found once among the open units of each side, with one more
    /// feature that agrees (git's stricter bar for a cheap heuristic: a
    /// deleted and an added "Finance Section" are not enough), or that no
    /// other unit of either whole chart bears: a name that distinctive is
    /// evidence enough.
    fn match_unique_names(&mut self) -> usize {
        let candidates = self.unique_on_both_sides(|m, w, x| Some(m.side(w).text(x).key));
        let mut found = Vec::new();
        let mut uncorroborated = Vec::new();
        for (a, b) in candidates {
            if !self.same_name(a, b) {
                continue;
            }
            match self.corroboration(a, b) {
                Some(corroboration) => {
                    let evidence = vec![
                        "same name, found once on each side among unmatched units".to_string(),
                        corroboration,
                    ];
                    found.push((a, b, UNIQUE_NAME_CONFIDENCE, evidence));
                }
                None => uncorroborated.push((a, b)),
            }
        }
        for (a, b) in uncorroborated {
            if self.before.bearers(a) == 1 && self.after.bearers(b) == 1 {
                let evidence =
                    vec!["same name, borne by no other unit before or after".to_string()];
                found.push((a, b, UNIQUE_NAME_CONFIDENCE, evidence));
            }
        }
        self.pair_all(found)
    }

    /// The first feature besides the name that agrees, in words.
    fn corroboration(&self, a: UnitIx, b: UnitIx) -> Option<String> {
        let f = self.features(a, b);
        if f.acronym == Acronyms::Same {
            return f.acronym_evidence(self, a, b);
        }
        if f.parents == Parents::Same {
            return Some(self.parent_evidence(b));
        }
        if f.children_dice().is_some_and(|d| d >= 0.5) {
            return f.children_evidence();
        }
        f.description
            .filter(|&d| d >= 0.5)
            .map(|d| format!("description similarity {d:.2}"))
    }

    /// An acronym of three letters or more, found once among the open
    /// units of each side, that is not just the initials of both names,
    /// and whose names share a word that is neither a stopword nor a kind
    /// word.
    fn match_unique_acronyms(&mut self) -> usize {
        let candidates = self.unique_on_both_sides(|m, w, x| {
            let t = m.side(w).text(x);
            t.acronym.filter(|_| t.acronym_len >= 3)
        });
        let mut found = Vec::new();
        for (a, b) in candidates {
            let (ta, tb) = (self.before.text(a), self.after.text(b));
            if Acronyms::of(ta, tb) != Acronyms::Same {
                continue;
            }
            if let Some(&word) = ta.topic.iter().find(|w| tb.topic.binary_search(w).is_ok()) {
                let acronym = self.before.state.unit(a).acronym.as_deref();
                let evidence = vec![
                    format!(
                        "same acronym {}, found once on each side among unmatched units",
                        acronym.unwrap_or(&self.before.state.unit(a).name)
                    ),
                    format!(
                        "both names have the word \u{201c}{}\u{201d}",
                        self.vocabulary.word(word)
                    ),
                ];
                found.push((a, b, ACRONYM_CONFIDENCE, evidence));
            }
        }
        self.pair_all(found)
    }

    /// One unit's name is an alias of the other, and neither has another
    /// such link.
    fn match_aliases(&mut self) -> usize {
        let has_aliases = |w: Side| {
            self.open(w)
                .iter()
                .any(|&x| !self.side(w).text(x).aliases.is_empty())
        };
        if !has_aliases(Side::Before) && !has_aliases(Side::After) {
            return 0;
        }
        let index = Side::BOTH.map(|w| self.names_and_aliases(w));
        let links = |w: Side, x: UnitIx| -> Vec<UnitIx> {
            let t = self.side(w).text(x);
            let [names, aliases] = &index[w.other() as usize];
            let mut out: Vec<UnitIx> = aliases.get(&t.key).cloned().unwrap_or_default();
            for alias in &t.aliases {
                out.extend(names.get(alias).into_iter().flatten());
            }
            out.sort_unstable();
            out.dedup();
            out
        };
        let mut found = Vec::new();
        for &a in &self.open_before {
            let [b] = links(Side::Before, a)[..] else {
                continue;
            };
            if links(Side::After, b) == [a] {
                let (ua, ub) = (self.before.state.unit(a), self.after.state.unit(b));
                let (alias, of) = if self
                    .after
                    .text(b)
                    .aliases
                    .contains(&self.before.text(a).key)
                {
                    (ua, ub)
                } else {
                    (ub, ua)
                };
                let evidence = vec![format!(
                    "{} is listed as another name of {}",
                    alias.name, of.name
                )];
                found.push((a, b, ALIAS_CONFIDENCE, evidence));
            }
        }
        self.pair_all(found)
    }

    /// The open units of a side by name, and by alias (hashed).
    fn names_and_aliases(&self, w: Side) -> [HashMap<u64, Vec<UnitIx>>; 2] {
        let mut index: [HashMap<u64, Vec<UnitIx>>; 2] = Default::default();
        for &x in self.open(w) {
            let t = self.side(w).text(x);
            index[0].entry(t.key).or_default().push(x);
            for &alias in &t.aliases {
                index[1].entry(alias).or_default().push(x);
            }
        }
        index
    }
}

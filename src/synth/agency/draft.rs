//! A draft agency: an organization as a flat list of nodes, built from
//! realistic names and changed in place while the truth is recorded.

use std::collections::HashMap;

use super::words::{respelled, shares_a_word, DUTIES, GENERIC_TOPICS, LEVELS, OBJECTS, TOPICS};
use super::TrueChange;
use crate::model::{ChangeKind, Unit};
use crate::synth::{initials, leaf, Rng, QUALIFIERS};

/// A unit's name in parts, so that a change can reword it.
#[derive(Debug, Clone)]
pub(super) struct Name {
    pub(super) qualifier: Option<&'static str>,
    /// What the unit does: "Fraud", "Fraud and Visa Security".
    pub(super) topic: String,
    /// "Section", "Branch"...
    pub(super) kind_word: &'static str,
    /// "Office of Fraud" rather than "Fraud Office".
    pub(super) of_form: bool,
    /// One of the names many units share.
    pub(super) generic: bool,
}

impl Name {
    pub(super) fn render(&self) -> String {
        let stem = self.stem();
        if self.of_form {
            format!("{} of {stem}", self.kind_word)
        } else {
            format!("{stem} {}", self.kind_word)
        }
    }

    /// The name without its kind word: "Northern Fraud".
    pub(super) fn stem(&self) -> String {
        match self.qualifier {
            Some(q) => format!("{q} {}", self.topic),
            None => self.topic.clone(),
        }
    }

    /// A name derived from this one for a unit split or spun off from it:
    /// "Northern Fraud Analysis Section".
    pub(super) fn with_suffix(&self, suffix: &str) -> Name {
        Name {
            topic: format!("{} {suffix}", self.topic),
            generic: false,
            ..self.clone()
        }
    }
}

/// A unit of an organization being built and changed.
#[derive(Debug, Clone)]
pub(super) struct Node {
    pub(super) id: String,
    pub(super) name: Name,
    pub(super) kind: String,
    pub(super) acronym: Option<String>,
    pub(super) description: Option<String>,
    pub(super) parent: Option<usize>,
    pub(super) children: Vec<usize>,
    pub(super) alive: bool,
    /// Already part of a planted change (or next to one).
    pub(super) busy: bool,
}

/// An organization as a flat list of nodes (the root first), changed in
/// place while the truth is recorded.
pub(super) struct Draft {
    pub(super) rng: Rng,
    pub(super) nodes: Vec<Node>,
    pub(super) truth: Vec<TrueChange>,
    /// The number of units created after the first version.
    pub(super) created: usize,
    /// How many living units bear each name.
    pub(super) names: HashMap<String, usize>,
}

impl Draft {
    /// A realistic agency of `size` units, built level by level.
    pub(super) fn agency(seed: u64, size: usize) -> Draft {
        let root = Node {
            id: "u0".into(),
            name: Name {
                qualifier: None,
                topic: "Synthetic".into(),
                kind_word: LEVELS[0][0],
                of_form: false,
                generic: false,
            },
            kind: LEVELS[0][0].to_lowercase(),
            acronym: Some("SA".into()),
            description: Some("The whole organization.".into()),
            parent: None,
            children: Vec::new(),
            alive: true,
            busy: false,
        };
        let mut draft = Draft {
            rng: Rng::new(seed),
            nodes: vec![root],
            truth: Vec::new(),
            created: 0,
            names: HashMap::new(),
        };
        let mut parent = 0;
        while draft.nodes.len() < size {
            let fanout = if parent == 0 {
                10
            } else {
                2 + draft.rng.below(8)
            };
            for _ in 0..fanout.min(size - draft.nodes.len()) {
                let id = format!("u{}", draft.nodes.len());
                let name = draft.fresh_name(parent);
                draft.add(parent, id, name);
            }
            parent += 1;
        }
        draft
    }

    /// The organization as it stands, as a tree of units.
    pub(super) fn tree(&self) -> Unit {
        self.unit(0)
    }

    pub(super) fn unit(&self, i: usize) -> Unit {
        let n = &self.nodes[i];
        Unit {
            acronym: n.acronym.clone(),
            description: n.description.clone(),
            units: Some(n.children.iter().map(|&c| self.unit(c)).collect()),
            ..leaf(n.id.clone(), n.name.render(), n.kind.clone())
        }
    }

    pub(super) fn depth(&self, mut i: usize) -> usize {
        let mut depth = 0;
        while let Some(p) = self.nodes[i].parent {
            depth += 1;
            i = p;
        }
        depth
    }

    /// Whether `i` is `ancestor` or under it.
    pub(super) fn is_within(&self, mut i: usize, ancestor: usize) -> bool {
        loop {
            if i == ancestor {
                return true;
            }
            match self.nodes[i].parent {
                Some(p) => i = p,
                None => return false,
            }
        }
    }

    /// Whether a distinctive name is borne by a living unit: a unit is
    /// not given another's name (names many units share excepted).
    pub(super) fn taken(&self, name: &Name) -> bool {
        !name.generic && self.names.get(&name.render()).is_some_and(|&n| n > 0)
    }

    pub(super) fn count_name(&mut self, i: usize, delta: isize) {
        let count = self.names.entry(self.nodes[i].name.render()).or_default();
        *count = count.saturating_add_signed(delta);
    }

    pub(super) fn has_child_named(&self, parent: usize, name: &str) -> bool {
        self.nodes[parent]
            .children
            .iter()
            .any(|&c| self.nodes[c].name.render() == name)
    }

    /// A name for a new sub-unit of `parent` that none of its sub-units has.
    pub(super) fn fresh_name(&mut self, parent: usize) -> Name {
        let depth = self.depth(parent) + 1;
        let level = LEVELS[depth.min(LEVELS.len() - 1)];
        loop {
            let name = if depth >= 2 && self.rng.chance(0.25) {
                Name {
                    qualifier: None,
                    topic: self.rng.pick(GENERIC_TOPICS).to_string(),
                    kind_word: level[0],
                    of_form: false,
                    generic: true,
                }
            } else {
                let kind_word = *self.rng.pick(level);
                let topic = self.rng.pick(TOPICS).to_string();
                let qualifier = Some(*self.rng.pick(QUALIFIERS))
                    .filter(|q| !topic.contains(q) && self.rng.chance(0.5));
                Name {
                    qualifier,
                    topic,
                    kind_word,
                    of_form: kind_word == "Office" && self.rng.chance(0.5),
                    generic: false,
                }
            };
            if !self.has_child_named(parent, &name.render()) {
                return name;
            }
        }
    }

    /// "Investigates fraud cases, warrants and evidence."
    pub(super) fn fresh_description(&mut self, name: &Name) -> String {
        let duty = self.rng.pick(DUTIES);
        let objects: Vec<&str> = (0..3).map(|_| *self.rng.pick(OBJECTS)).collect();
        format!(
            "{duty} {} {}, {} and {}.",
            name.topic.to_lowercase(),
            objects[0],
            objects[1],
            objects[2]
        )
    }

    /// Adds a sub-unit to `parent`: shared names get a description naming
    /// the parent, distinctive ones usually a description of their own and
    /// sometimes an acronym.
    pub(super) fn add(&mut self, parent: usize, id: String, name: Name) -> usize {
        let (description, acronym) = if name.generic {
            let parent_name = self.nodes[parent].name.render();
            (
                Some(format!("{} services for the {parent_name}.", name.topic)),
                None,
            )
        } else {
            let description = self.rng.chance(0.85).then(|| self.fresh_description(&name));
            let acronym =
                Some(initials(&name.render())).filter(|a| a.len() >= 2 && self.rng.chance(0.3));
            (description, acronym)
        };
        let depth = self.depth(parent) + 1;
        let i = self.nodes.len();
        self.nodes.push(Node {
            id,
            kind: LEVELS[depth.min(LEVELS.len() - 1)][0].to_lowercase(),
            name,
            acronym,
            description,
            parent: Some(parent),
            children: Vec::new(),
            alive: true,
            busy: false,
        });
        self.nodes[parent].children.push(i);
        self.count_name(i, 1);
        i
    }

    /// A unit created by a change, with a fresh `n…` id.
    pub(super) fn create(&mut self, parent: usize, name: Name) -> usize {
        self.created += 1;
        let id = format!("n{}", self.created);
        self.add(parent, id, name)
    }

    pub(super) fn reparent(&mut self, child: usize, parent: usize) {
        if let Some(old) = self.nodes[child].parent {
            self.nodes[old].children.retain(|&c| c != child);
        }
        self.nodes[parent].children.push(child);
        self.nodes[child].parent = Some(parent);
    }

    pub(super) fn remove(&mut self, i: usize) {
        self.count_name(i, -1);
        let parent = self.nodes[i].parent.expect("the root stays");
        self.nodes[parent].children.retain(|&c| c != i);
        self.nodes[i].alive = false;
    }

    pub(super) fn free(&self, i: usize) -> bool {
        self.nodes[i].alive && !self.nodes[i].busy
    }

    /// Free, not the root, with a free parent.
    pub(super) fn free_with_parent(&self, i: usize) -> bool {
        self.free(i) && self.nodes[i].parent.is_some_and(|p| self.free(p))
    }

    /// Free with a distinctive name and free sub-units: a unit a merge,
    /// split or absorption may take.
    pub(super) fn reorganizable(&self, i: usize) -> bool {
        self.free_with_parent(i)
            && !self.nodes[i].name.generic
            && self.nodes[i].children.iter().all(|&c| self.free(c))
    }

    /// Something besides the name to recognize the unit by when its name
    /// or place changes (an acronym is not: a rename rewrites it).
    pub(super) fn has_evidence(&self, i: usize) -> bool {
        let n = &self.nodes[i];
        n.description.is_some() || !n.children.is_empty()
    }

    pub(super) fn lock(&mut self, units: &[usize]) {
        for &i in units {
            self.nodes[i].busy = true;
        }
    }

    /// A random unit that satisfies `ok`, if one turns up soon.
    pub(super) fn pick_unit(&mut self, ok: impl Fn(&Draft, usize) -> bool) -> Option<usize> {
        for _ in 0..2000 {
            let i = self.rng.below(self.nodes.len());
            if ok(self, i) {
                return Some(i);
            }
        }
        None
    }

    pub(super) fn shuffle(&mut self, items: &mut [usize]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.rng.below(i + 1));
        }
    }

    pub(super) fn record(&mut self, kind: ChangeKind, from: &[usize], to: &[usize], carried: bool) {
        let ids = |d: &Draft, units: &[usize]| -> Vec<String> {
            units.iter().map(|&i| d.nodes[i].id.clone()).collect()
        };
        let change = TrueChange {
            kind,
            from: ids(self, from),
            to: ids(self, to),
            carried,
        };
        self.truth.push(change);
    }

    /// Moves the sub-units to `parent`, recording each as carried; some of
    /// them (with a description or sub-units to be recognized by) are
    /// renamed on the way: changes overlap.
    pub(super) fn carry(&mut self, children: &[usize], parent: usize) {
        for &c in children {
            self.reparent(c, parent);
            self.record(ChangeKind::Moved, &[c], &[c], true);
            if self.has_evidence(c) && self.rng.chance(0.15) {
                let unrelated_ok = !self.nodes[c].children.is_empty();
                let name = self.reworded(&self.nodes[c].name.clone(), self.depth(c), unrelated_ok);
                if name.render() != self.nodes[c].name.render()
                    && !self.taken(&name)
                    && !self.has_child_named(parent, &name.render())
                {
                    self.rename(c, name, true);
                    self.record(ChangeKind::Renamed, &[c], &[c], false);
                }
            }
        }
        self.lock(children);
    }

    /// The name reworded, in one of the ways names change: a qualifier
    /// replaced, added or dropped, a topic added, the kind word changed,
    /// "Office of X" turned "X Office" (or back), a word respelled, or
    /// (when `unrelated_ok`: for units with sub-units, which say what
    /// became of them) a new name unrelated to the old one.
    pub(super) fn reworded(&mut self, name: &Name, depth: usize, unrelated_ok: bool) -> Name {
        let mut new = name.clone();
        let level = LEVELS[depth.min(LEVELS.len() - 1)];
        let styles = if unrelated_ok { 7 } else { 6 };
        match self.rng.below(styles) {
            0 => {
                let q = *self.rng.pick(QUALIFIERS);
                new.qualifier =
                    Some(q).filter(|&q| Some(q) != name.qualifier && !name.topic.contains(q));
            }
            1 if name.qualifier.is_some() => {
                new.topic = format!("{} and {}", name.topic, self.rng.pick(TOPICS));
            }
            1 | 2 => {
                new.qualifier = match name.qualifier {
                    Some(_) => None,
                    None => Some(*self.rng.pick(QUALIFIERS)).filter(|q| !name.topic.contains(q)),
                }
            }
            3 => {
                new.kind_word = *level
                    .iter()
                    .find(|&&w| w != name.kind_word)
                    .unwrap_or(&level[0]);
                new.of_form = false;
            }
            4 if depth <= 2 => new.of_form = !name.of_form,
            4 | 5 => new.topic = respelled(&name.topic, &mut self.rng),
            _ => {
                new.topic = self.rng.pick(TOPICS).to_string();
                new.qualifier = Some(*self.rng.pick(QUALIFIERS))
                    .filter(|q| !new.topic.contains(q) && self.rng.chance(0.5));
                new.generic = false;
            }
        }
        new
    }

    /// Renames a unit: new name, acronym updated, the description
    /// sometimes lightly edited and sometimes rewritten, unless that would
    /// leave nothing but a changed name to recognize the unit by: a unit
    /// without sub-units keeps its description when it also `moves` or
    /// takes a name unrelated to its old one.
    pub(super) fn rename(&mut self, i: usize, name: Name, moves: bool) {
        if let Some(acronym) = &mut self.nodes[i].acronym {
            *acronym = initials(&name.render());
        }
        let unrelated = !shares_a_word(&name.topic, &self.nodes[i].name.topic);
        let kept = (unrelated || moves) && self.nodes[i].children.is_empty();
        if self.rng.chance(0.25) && !kept && self.nodes[i].description.is_some() {
            self.nodes[i].description = Some(self.fresh_description(&name));
        } else if self.rng.chance(0.2) {
            let object = self.rng.pick(OBJECTS);
            if let Some(d) = &mut self.nodes[i].description {
                *d = format!("{} and {object}.", d.trim_end_matches('.'));
            }
        }
        self.count_name(i, -1);
        self.nodes[i].name = name;
        self.count_name(i, 1);
    }
}

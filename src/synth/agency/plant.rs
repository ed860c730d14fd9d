//! Planting each kind of change in a draft agency, and recording it.

use super::*;

impl Draft {
    /// Renames a unit; its parent may take part in another change.
    pub(super) fn plant_renamed(&mut self) -> bool {
        let Some(u) =
            self.pick_unit(|d, i| d.free(i) && d.nodes[i].parent.is_some() && d.has_evidence(i))
        else {
            return false;
        };
        let parent = self.nodes[u].parent.expect("not the root");
        let unrelated_ok = !self.nodes[u].children.is_empty();
        let name = self.reworded(&self.nodes[u].name.clone(), self.depth(u), unrelated_ok);
        if self.taken(&name) || self.has_child_named(parent, &name.render()) {
            // Taken by another unit or a sibling, or unchanged.
            return false;
        }
        self.rename(u, name, false);
        self.lock(&[u]);
        self.record(ChangeKind::Renamed, &[u], &[u], false);
        true
    }

    /// Moves a unit under another unit at its parent's depth, renaming it
    /// too if asked.
    pub(super) fn plant_moved(&mut self, renamed: bool) -> bool {
        let Some(u) = self.pick_unit(|d, i| {
            d.free_with_parent(i) && !d.nodes[i].name.generic && d.has_evidence(i)
        }) else {
            return false;
        };
        let parent = self.nodes[u].parent.expect("not the root");
        let depth = self.depth(parent);
        let name = if renamed {
            let unrelated_ok = !self.nodes[u].children.is_empty();
            self.reworded(&self.nodes[u].name.clone(), depth + 1, unrelated_ok)
        } else {
            self.nodes[u].name.clone()
        };
        let rendered = name.render();
        if renamed && (rendered == self.nodes[u].name.render() || self.taken(&name)) {
            return false;
        }
        let Some(target) = self.pick_unit(|d, i| {
            d.free(i)
                && i != parent
                && d.depth(i) == depth
                && !d.is_within(i, u)
                && !d.has_child_named(i, &rendered)
        }) else {
            return false;
        };
        if renamed {
            self.rename(u, name, true);
            self.record(ChangeKind::Renamed, &[u], &[u], false);
        }
        self.reparent(u, target);
        self.lock(&[u, parent, target]);
        self.record(ChangeKind::Moved, &[u], &[u], false);
        true
    }

    /// Two or three siblings combined into a new unit, which takes their
    /// sub-units or, now and then, the siblings themselves as its parts
    /// (of the next level's kind). Its name is theirs joined ("Northern
    /// Fraud and Visa Security Section") or, when sub-units or parts
    /// carry over to say what happened, sometimes a new name unrelated to
    /// theirs; its description is its own.
    pub(super) fn plant_merged(&mut self) -> bool {
        let k = if self.rng.chance(0.3) { 3 } else { 2 };
        let eligible = |d: &Draft, p: usize| -> Vec<usize> {
            d.nodes[p]
                .children
                .iter()
                .copied()
                .filter(|&c| d.reorganizable(c))
                .collect()
        };
        let Some(parent) = self.pick_unit(|d, i| d.free(i) && eligible(d, i).len() >= k) else {
            return false;
        };
        let mut members = eligible(self, parent);
        self.shuffle(&mut members);
        members.truncate(k);
        let as_parts = self.rng.chance(0.3);
        let children: Vec<usize> = if as_parts {
            Vec::new()
        } else {
            members
                .iter()
                .flat_map(|&m| self.nodes[m].children.clone())
                .collect()
        };
        let mut child_names: Vec<String> = children
            .iter()
            .map(|&c| self.nodes[c].name.render())
            .collect();
        child_names.sort();
        child_names.dedup();
        let carries = as_parts || !children.is_empty();
        let name = self.merged_name(&members, carries);
        let clash = self.taken(&name) || self.has_child_named(parent, &name.render());
        if child_names.len() < children.len() || clash {
            return false;
        }
        let had_acronym = members.iter().any(|&m| self.nodes[m].acronym.is_some());
        let merged = self.create(parent, name);
        self.nodes[merged].acronym =
            had_acronym.then(|| initials(&self.nodes[merged].name.render()));
        self.lock(&[parent, merged]);
        self.lock(&members);
        // Members that live on as parts are units of the merge at TO.
        let mut to = vec![merged];
        if as_parts {
            for &m in &members {
                self.demote(m, merged);
            }
            to.extend(&members);
        } else {
            self.carry(&children, merged);
            for &m in &members {
                self.remove(m);
            }
        }
        self.record(ChangeKind::Merged, &members, &to, false);
        true
    }

    /// The name of a unit merged from `members`: theirs joined or, when
    /// sub-units or parts carry over to say what happened, now and then a
    /// new name. (A new unit named after one member alone would read as
    /// that member renamed, absorbing the others: the data could not tell.)
    pub(super) fn merged_name(&mut self, members: &[usize], carries: bool) -> Name {
        let first = self.nodes[members[0]].name.clone();
        let kind_word = if first.of_form {
            LEVELS[1][0]
        } else {
            first.kind_word
        };
        if carries && self.rng.chance(0.4) {
            let depth = self.depth(members[0]);
            return Name {
                of_form: false,
                ..self.fresh_distinctive_name(depth, kind_word)
            };
        }
        let stems: Vec<String> = members.iter().map(|&m| self.nodes[m].name.stem()).collect();
        Name {
            qualifier: None,
            topic: join_and(&stems),
            kind_word,
            of_form: false,
            generic: false,
        }
    }

    /// A distinctive name (a topic, often a qualifier) for a unit at
    /// `depth` ending with `kind_word`, drawn afresh.
    pub(super) fn fresh_distinctive_name(&mut self, depth: usize, kind_word: &'static str) -> Name {
        let topic = self.rng.pick(TOPICS).to_string();
        let qualifier =
            Some(*self.rng.pick(QUALIFIERS)).filter(|q| !topic.contains(q) && self.rng.chance(0.5));
        Name {
            qualifier,
            topic,
            kind_word,
            of_form: kind_word == "Office" && depth <= 2 && self.rng.chance(0.5),
            generic: false,
        }
    }

    /// Makes unit `i` a part of `whole`, one level down and of that
    /// level's kind. Its move is part of the merge or absorption that
    /// made it a part (one change per story: the caller records it).
    pub(super) fn demote(&mut self, i: usize, whole: usize) {
        self.reparent(i, whole);
        let depth = self.depth(i);
        self.nodes[i].kind = LEVELS[depth.min(LEVELS.len() - 1)][0].to_lowercase();
    }

    /// A unit with sub-units folded into a sibling that continues: its
    /// sub-units go to the sibling, or (half the time) the unit itself
    /// lives on inside the sibling as a part of the next level's kind.
    pub(super) fn plant_absorbed(&mut self) -> bool {
        let Some(gone) =
            self.pick_unit(|d, i| d.reorganizable(i) && d.nodes[i].children.len() >= 2)
        else {
            return false;
        };
        let parent = self.nodes[gone].parent.expect("not the root");
        let lives_on = self.rng.chance(0.5);
        let children = self.nodes[gone].children.clone();
        let names: Vec<String> = if lives_on {
            vec![self.nodes[gone].name.render()]
        } else {
            children
                .iter()
                .map(|&c| self.nodes[c].name.render())
                .collect()
        };
        let takes = |d: &Draft, s: usize| {
            s != gone && d.free(s) && !names.iter().any(|n| d.has_child_named(s, n))
        };
        let Some(&into) = self.nodes[parent]
            .children
            .iter()
            .find(|&&s| takes(self, s))
        else {
            return false;
        };
        self.lock(&[parent, gone, into]);
        if lives_on {
            self.lock(&children);
            self.demote(gone, into);
            self.record(ChangeKind::Absorbed, &[gone], &[into, gone], false);
        } else {
            self.carry(&children, into);
            self.remove(gone);
            self.record(ChangeKind::Absorbed, &[gone], &[into], false);
        }
        true
    }

    /// Names for `k` units derived from `name`, none of which `parent`
    /// already has: the name with a word added ("Fraud Analysis
    /// Section"), with a qualifier each ("Northern Fraud Section",
    /// "Southern Fraud Section"), or (when `fresh` allows) new names
    /// unrelated to it.
    pub(super) fn derived_names(
        &mut self,
        parent: usize,
        name: &Name,
        k: usize,
        fresh: bool,
    ) -> Option<Vec<Name>> {
        let roll = self.rng.below(4);
        let names: Vec<Name> = if fresh && roll == 0 {
            let depth = self.depth(parent) + 1;
            (0..k)
                .map(|_| self.fresh_distinctive_name(depth, name.kind_word))
                .collect()
        } else if roll == 1 {
            let mut qualifiers: Vec<usize> = (0..QUALIFIERS.len()).collect();
            self.shuffle(&mut qualifiers);
            qualifiers
                .into_iter()
                .map(|q| QUALIFIERS[q])
                .filter(|&q| Some(q) != name.qualifier && !name.topic.contains(q))
                .take(k)
                .map(|q| Name {
                    qualifier: Some(q),
                    generic: false,
                    ..name.clone()
                })
                .collect()
        } else {
            let mut suffixes: Vec<usize> = (0..SUFFIXES.len()).collect();
            self.shuffle(&mut suffixes);
            suffixes[..k]
                .iter()
                .map(|&s| name.with_suffix(SUFFIXES[s]))
                .collect()
        };
        let mut rendered: Vec<String> = names.iter().map(Name::render).collect();
        rendered.sort();
        rendered.dedup();
        let clash = rendered.len() < k
            || names.iter().any(|n| self.taken(n))
            || rendered.iter().any(|n| self.has_child_named(parent, n));
        (!clash).then_some(names)
    }

    /// A unit divided into two or three new units named after it (or,
    /// when it has sub-units to share among them, sometimes not), each
    /// with a description of its own. Some splits are of units without
    /// sub-units.
    pub(super) fn plant_split(&mut self) -> bool {
        let leaf = self.rng.chance(0.3);
        let Some(gone) = self.pick_unit(|d, i| {
            let n = d.nodes[i].children.len();
            d.reorganizable(i) && if leaf { n == 0 } else { n >= 2 }
        }) else {
            return false;
        };
        let parent = self.nodes[gone].parent.expect("not the root");
        let mut children = self.nodes[gone].children.clone();
        let k = if (leaf || children.len() >= 3) && self.rng.chance(0.4) {
            3
        } else {
            2
        };
        let name = self.nodes[gone].name.clone();
        let Some(names) = self.derived_names(parent, &name, k, !leaf) else {
            return false;
        };
        let had_acronym = self.nodes[gone].acronym.is_some();
        let parts: Vec<usize> = names
            .into_iter()
            .map(|n| {
                let part = self.create(parent, n);
                let rendered = self.nodes[part].name.render();
                self.nodes[part].acronym = had_acronym.then(|| initials(&rendered));
                part
            })
            .collect();
        self.shuffle(&mut children);
        self.lock(&[parent, gone]);
        self.lock(&parts);
        for (j, &c) in children.iter().enumerate() {
            self.carry(&[c], parts[j % k]);
        }
        self.remove(gone);
        self.record(ChangeKind::Split, &[gone], &parts, false);
        true
    }

    /// A unit spun off from a continuing one: a new unit (named after it,
    /// or not) taking up to half of its sub-units, or, now and then, one
    /// of its sub-units promoted to stand beside it, of its kind.
    pub(super) fn plant_spun_off(&mut self) -> bool {
        let Some(source) =
            self.pick_unit(|d, i| d.reorganizable(i) && d.nodes[i].children.len() >= 3)
        else {
            return false;
        };
        let parent = self.nodes[source].parent.expect("not the root");
        let mut children = self.nodes[source].children.clone();
        self.shuffle(&mut children);
        if self.rng.chance(0.3) {
            return self.promote(source, children[0]);
        }
        let name = self.nodes[source].name.clone();
        // A new name unrelated to the source's needs sub-units to say
        // where the unit came from: one sub-unit moving to a new unit is
        // a unit established and a move.
        let taken = 1 + self.rng.below(children.len() / 2);
        let Some(names) = self.derived_names(parent, &name, 1, taken >= 2) else {
            return false;
        };
        let new = self.create(parent, names[0].clone());
        self.lock(&[parent, source, new]);
        self.carry(&children[..taken], new);
        self.record(ChangeKind::SpunOff, &[source], &[new], false);
        true
    }

    /// Sub-unit `part` of `source` promoted to stand beside it, of its
    /// kind: spun off, the part a unit of the change on both sides (its
    /// move and new kind are that change).
    pub(super) fn promote(&mut self, source: usize, part: usize) -> bool {
        let parent = self.nodes[source].parent.expect("not the root");
        let name = self.nodes[part].name.render();
        if self.nodes[part].name.generic || self.has_child_named(parent, &name) {
            return false;
        }
        self.lock(&[parent, source, part]);
        self.reparent(part, parent);
        self.nodes[part].kind = self.nodes[source].kind.clone();
        self.record(ChangeKind::SpunOff, &[source, part], &[part], false);
        true
    }

    /// A new unit without sub-units, under a unit that has some.
    pub(super) fn plant_established(&mut self) -> bool {
        let Some(parent) = self.pick_unit(|d, i| d.free(i) && !d.nodes[i].children.is_empty())
        else {
            return false;
        };
        let name = self.fresh_name(parent);
        let new = self.create(parent, name);
        self.lock(&[parent, new]);
        self.record(ChangeKind::Established, &[], &[new], false);
        true
    }

    /// A unit without sub-units removed.
    pub(super) fn plant_abolished(&mut self) -> bool {
        let Some(gone) =
            self.pick_unit(|d, i| d.free_with_parent(i) && d.nodes[i].children.is_empty())
        else {
            return false;
        };
        let parent = self.nodes[gone].parent.expect("not the root");
        self.lock(&[parent, gone]);
        self.remove(gone);
        self.record(ChangeKind::Abolished, &[gone], &[], false);
        true
    }
}

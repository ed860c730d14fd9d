//! Which unit at FROM a key of a table names.
//!
//! A key is looked up among the units at FROM first — by id with
//! `--by id`, by id, name, acronym or alias with `--by name` (the rule of
//! [`crate::lookup`]) — then in every era ([`crate::find`]): an old id, or
//! a name a unit went by before or after FROM, names the unit it was or
//! became at FROM. Each distinct key is looked up once.

use rustc_hash::FxHashMap;

use super::KeyBy;
use crate::diff::history::History;
use crate::find::Resolver;
use crate::lookup::{Lookup, StateIndex};
use crate::state::{OrgState, UnitIx};

/// What a key names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolution {
    /// A unit at FROM; `key` numbers the distinct keys that did.
    Unit { ix: UnitIx, key: u32 },
    /// Nothing, or several units: why, for the rejects.
    Rejected(String),
}

/// Looks keys up in the state at FROM, then in every era.
pub(crate) struct Keys<'h, 'd> {
    by: KeyBy,
    /// The state index of FROM, and the date as the user wrote it.
    from: usize,
    from_text: String,
    state: &'d OrgState,
    /// Built on the first key looked up by name.
    names: Option<StateIndex<'d>>,
    resolver: Resolver<'h, 'd>,
    resolved: FxHashMap<Box<str>, Resolution>,
    /// The distinct keys that named a unit, in the order first seen.
    accepted: Vec<Box<str>>,
    /// How many more unknown names get near matches suggested: each costs
    /// a pass over the history.
    suggestions_left: usize,
}

impl<'h, 'd> Keys<'h, 'd> {
    pub(crate) fn new(
        history: &'h History<'d>,
        (from_text, from): (&str, usize),
        by: KeyBy,
    ) -> Self {
        Keys {
            by,
            from,
            from_text: from_text.to_string(),
            state: history.state(from),
            names: None,
            resolver: Resolver::new(history),
            resolved: FxHashMap::default(),
            accepted: Vec::new(),
            suggestions_left: 20,
        }
    }

    /// What a key (already trimmed) names.
    pub(crate) fn resolve(&mut self, key: &str) -> Resolution {
        if let Some(known) = self.resolved.get(key) {
            return known.clone();
        }
        let resolution = match self.look_up(key) {
            Ok(ix) => {
                self.accepted.push(key.into());
                let key = u32::try_from(self.accepted.len() - 1).expect("fewer than 2^32 keys");
                Resolution::Unit { ix, key }
            }
            Err(reason) => Resolution::Rejected(reason),
        };
        self.resolved.insert(key.into(), resolution.clone());
        resolution
    }

    /// A key that named a unit, by its number.
    pub(crate) fn key(&self, key: u32) -> &str {
        &self.accepted[key as usize]
    }

    fn look_up(&mut self, key: &str) -> Result<UnitIx, String> {
        if key.is_empty() {
            return Err("the key is empty".into());
        }
        let at_from = match self.by {
            KeyBy::Id => self.state.find(key).map_or(Lookup::NotFound, Lookup::Found),
            KeyBy::Name => {
                let state = self.state;
                self.names
                    .get_or_insert_with(|| StateIndex::new(state))
                    .find(key)
            }
        };
        match at_from {
            Lookup::Found(ix) => Ok(ix),
            Lookup::Ambiguous(hits) => Err(format!(
                "`{key}` names several units at {}: {}",
                self.from_text,
                self.candidates(&hits)
            )),
            Lookup::NotFound => self.in_any_era(key),
        }
    }

    /// A key that names no unit at FROM: the unit at FROM of the one
    /// thread it names in another era.
    fn in_any_era(&mut self, key: &str) -> Result<UnitIx, String> {
        let history = self.resolver.history();
        let found = match self.by {
            KeyBy::Id => history.thread_with_id(key).into_iter().collect(),
            KeyBy::Name => self
                .resolver
                .resolve(key)
                .iter()
                .map(|f| f.thread)
                .collect(),
        };
        let found: Vec<usize> = found;
        let at_from: Vec<UnitIx> = found
            .iter()
            .filter_map(|&t| history.unit_in(t, self.from))
            .collect();
        match (at_from.as_slice(), found.as_slice()) {
            ([one], _) => Ok(*one),
            ([], []) => Err(match self.by {
                KeyBy::Id => format!("no unit of any era has the id `{key}`"),
                KeyBy::Name => format!("no unit of any era is named `{key}`{}", self.near(key)),
            }),
            ([], others) => {
                let eras: Vec<String> = others.iter().map(|&t| self.era(t)).collect();
                Err(format!(
                    "`{key}` names {}, which is not in the organization at {}",
                    eras.join("; "),
                    self.from_text
                ))
            }
            (several, _) => Err(format!(
                "`{key}` names several units at {}: {}",
                self.from_text,
                self.candidates(several)
            )),
        }
    }

    /// "; did you mean A [a], B [b]?": the units of any era whose names
    /// come closest to an unknown name, for the first few unknown names.
    fn near(&mut self, key: &str) -> String {
        if self.suggestions_left == 0 {
            return String::new();
        }
        self.suggestions_left -= 1;
        let near: Vec<String> = crate::find::find(self.resolver.history(), key)
            .iter()
            .take(3)
            .map(|f| format!("{} [{}]", f.unit.label(), f.unit.id))
            .collect();
        if near.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", near.join(", "))
        }
    }

    /// "Name (ACR) [id] under Parent; ...", for a list of candidates.
    fn candidates(&self, units: &[UnitIx]) -> String {
        let state = self.state;
        let list: Vec<String> = units
            .iter()
            .map(|&ix| {
                let u = state.unit(ix);
                let parent = state
                    .parent(ix)
                    .map_or("the top".to_string(), |p| state.unit(p).name.clone());
                format!("{} [{}] under {parent}", u.label(), u.id)
            })
            .collect();
        list.join("; ")
    }

    /// "Name [id] (seen 2003-06-09 to 2004-10-25)": a thread's unit as
    /// last seen, and when it was.
    fn era(&self, thread: usize) -> String {
        let history = self.resolver.history();
        let states = history.states_of(thread);
        let (first, _) = &states[0];
        let (last, unit) = &states[states.len() - 1];
        let date = |k: usize| {
            history
                .state_date(k)
                .map_or("?".to_string(), std::string::ToString::to_string)
        };
        format!(
            "{} [{}] (seen {} to {})",
            unit.label(),
            unit.id,
            date(*first),
            date(*last)
        )
    }
}

//! Finding a unit from what a person types: an id, a name, an acronym or
//! an alias, without regard to case or accents.

use rustc_hash::FxHashMap;

use crate::state::{OrgState, StateUnit, UnitIx};
use crate::text::fold;

/// The result of looking a unit up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    Found(UnitIx),
    /// Several units answer to the query; they are listed in tree order.
    Ambiguous(Vec<UnitIx>),
    NotFound,
}

impl Lookup {
    fn of_hits(hits: Vec<UnitIx>) -> Lookup {
        match hits.as_slice() {
            [] => Lookup::NotFound,
            [one] => Lookup::Found(*one),
            _ => Lookup::Ambiguous(hits),
        }
    }
}

/// What a unit answers to: its id, name, acronym and aliases.
fn names(u: &StateUnit) -> impl Iterator<Item = &str> {
    [u.id.as_str(), u.name.as_str()]
        .into_iter()
        .chain(u.acronym.as_deref())
        .chain(u.aliases.iter().map(String::as_str))
}

/// Looks a unit up in a state: an exact id wins; otherwise every unit
/// whose id, name, acronym or an alias folds to the query.
pub(crate) fn find_in_state(state: &OrgState, query: &str) -> Lookup {
    if let Some(ix) = state.find(query) {
        return Lookup::Found(ix);
    }
    let q = fold(query);
    let hits: Vec<UnitIx> = state
        .preorder()
        .map(|(ix, _)| ix)
        .filter(|&ix| names(state.unit(ix)).any(|n| fold(n) == q))
        .collect();
    Lookup::of_hits(hits)
}

/// A state's units by every name they answer to, folded: for looking up
/// many queries at once with the answers of [`find_in_state`], each in
/// constant time.
pub(crate) struct StateIndex<'s> {
    state: &'s OrgState,
    /// Folded names → units, in tree order, each once.
    by_name: FxHashMap<String, Vec<UnitIx>>,
}

impl<'s> StateIndex<'s> {
    pub(crate) fn new(state: &'s OrgState) -> StateIndex<'s> {
        let mut by_name: FxHashMap<String, Vec<UnitIx>> = FxHashMap::default();
        for (ix, _) in state.preorder() {
            for name in names(state.unit(ix)) {
                let units = by_name.entry(fold(name)).or_default();
                // Preorder: a unit already listed under this name is the
                // last one.
                if units.last() != Some(&ix) {
                    units.push(ix);
                }
            }
        }
        StateIndex { state, by_name }
    }

    /// The same answer as [`find_in_state`].
    pub(crate) fn find(&self, query: &str) -> Lookup {
        if let Some(ix) = self.state.find(query) {
            return Lookup::Found(ix);
        }
        Lookup::of_hits(self.by_name.get(&fold(query)).cloned().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_answers_as_a_scan_does() {
        let dataset = crate::load::load(None).expect("the embedded dataset loads");
        let state = dataset.latest_state();
        let index = StateIndex::new(state);
        let mut queries: Vec<String> = state
            .preorder()
            .flat_map(|(ix, _)| {
                names(state.unit(ix))
                    .map(str::to_uppercase)
                    .collect::<Vec<_>>()
            })
            .collect();
        queries.extend([
            "Mission Support".into(),
            "nothing at all".into(),
            String::new(),
        ]);
        assert!(queries.len() > 50);
        for q in &queries {
            assert_eq!(index.find(q), find_in_state(state, q), "{q}");
        }
    }
}

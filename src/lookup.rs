//! Finding a unit from what a person types: an id, a name, an acronym or
//! an alias, without regard to case or accents.

use crate::state::{OrgState, UnitIx};
use crate::text::fold;

/// The result of looking a unit up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(UnitIx),
    /// Several units answer to the query; they are listed in tree order.
    Ambiguous(Vec<UnitIx>),
    NotFound,
}

/// Looks a unit up in a state: an exact id wins; otherwise every unit
/// whose id, name, acronym or an alias folds to the query.
pub fn find_in_state(state: &OrgState, query: &str) -> Lookup {
    if let Some(ix) = state.find(query) {
        return Lookup::Found(ix);
    }
    let q = fold(query);
    let hits: Vec<UnitIx> = state
        .preorder()
        .map(|(ix, _)| ix)
        .filter(|&ix| {
            let u = state.unit(ix);
            fold(&u.id) == q
                || fold(&u.name) == q
                || u.acronym.as_deref().is_some_and(|a| fold(a) == q)
                || u.aliases.iter().any(|a| fold(a) == q)
        })
        .collect();
    match hits.as_slice() {
        [] => Lookup::NotFound,
        [one] => Lookup::Found(*one),
        _ => Lookup::Ambiguous(hits),
    }
}

//! A change told as a person writes it: "The Office of Investigations
//! (OI) was renamed Homeland Security Investigations (HSI) and became a
//! directorate (it had been an office) in June 2010."
//!
//! Units are named in full, with "the" where their name needs it (see
//! [`takes_the`]); the units a change moves a unit between are named
//! short, by their acronym where they have one ("moved from ICE to HSI").

use crate::diff::{Basis, Change, UnitSide};
use crate::model::{ChangeKind, Confidence};

/// The words that head a unit's name as its kind of body ("the Cyber
/// Crimes Center", "the Federal Protective Service"): a name that ends in
/// one takes "the". A name without one ("Homeland Security
/// Investigations", "Secure Communities") is a proper name and does not.
const HEAD_NOUNS: [&str; 32] = [
    "academy",
    "administration",
    "agency",
    "board",
    "branch",
    "bureau",
    "center",
    "centre",
    "commission",
    "committee",
    "council",
    "court",
    "department",
    "directorate",
    "division",
    "force",
    "group",
    "guard",
    "initiative",
    "institute",
    "lab",
    "laboratory",
    "ministry",
    "office",
    "program",
    "programme",
    "secretariat",
    "section",
    "service",
    "system",
    "team",
    "unit",
];

/// Whether a unit's name takes "the": it names a kind of body, ending in
/// one ("National Gang Unit"; not "Management and Administration", where
/// the word is one of two topics), starting with one ("Center for
/// Countering Human Trafficking") or built as "X of Y" ("Bureau for
/// Europe of the Ministry").
pub(crate) fn takes_the(name: &str) -> bool {
    // An acronym in parentheses at the end says nothing of the kind.
    let name = match name.trim_end().strip_suffix(')') {
        Some(rest) => rest.rfind('(').map_or(name, |open| &rest[..open]),
        None => name,
    };
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [] => false,
        [first, ..] if first == "the" => false,
        [.., before, last] if before == "and" && HEAD_NOUNS.contains(&last.as_str()) => false,
        [.., last] if HEAD_NOUNS.contains(&last.as_str()) => true,
        [first, ..] if HEAD_NOUNS.contains(&first.as_str()) => true,
        _ => words.iter().any(|w| w == "of"),
    }
}

/// "the Office of Investigations (OI)", "Homeland Security Investigations
/// (HSI)".
pub(crate) fn named(label: &str, name: &str) -> String {
    if takes_the(name) {
        format!("the {label}")
    } else {
        label.to_string()
    }
}

/// A unit in full: "the Office of Investigations (OI)".
fn unit(u: &UnitSide) -> String {
    named(&u.label(), &u.name)
}

/// "the A, the B and C".
fn list(units: &[UnitSide]) -> String {
    let names: Vec<String> = units.iter().map(unit).collect();
    and_list(&names, "no unit")
}

/// "a, b and c"; `none` when there is nothing.
pub(crate) fn and_list(items: &[String], none: &str) -> String {
    match items {
        [] => none.to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A unit's parent, short: its acronym, else its name; "the top" for a
/// unit at the top.
fn parent_of(u: &UnitSide) -> String {
    match (&u.parent_acronym, &u.parent_name) {
        (Some(acronym), _) => acronym.clone(),
        (None, Some(name)) => named(name, name),
        (None, None) => "the top".to_string(),
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn were(units: &[UnitSide]) -> &'static str {
    if units.len() > 1 {
        "were"
    } else {
        "was"
    }
}

/// "appears" or "appear".
fn verb(units: &[UnitSide], singular: &str, plural: &str) -> String {
    if units.len() > 1 { plural } else { singular }.to_string()
}

/// "an office", "a division", "a unit".
fn a_kind(kind: Option<&str>) -> String {
    match kind {
        Some(k) if sounds_like_a_vowel(k) => format!("an {k}"),
        Some(k) => format!("a {k}"),
        None => "a unit of another kind".to_string(),
    }
}

/// Whether a word takes "an": it starts with a vowel sound. Words spelled
/// with a vowel but said with a "y" or "w" ("unit", "union", "European",
/// "one") take "a".
fn sounds_like_a_vowel(word: &str) -> bool {
    let w = word.to_lowercase();
    let consonant_sound = ["uni", "use", "usu", "uti", "eu", "one", "once"];
    w.starts_with(['a', 'e', 'i', 'o', 'u']) && !consonant_sound.iter().any(|p| w.starts_with(p))
}

/// The sentence of a change, and its caveat.
pub(crate) fn tell(change: &Change) -> (String, Option<String>) {
    let observed = change.basis == Basis::Observed;
    let mut when = change.date.as_ref().map_or_else(
        || "at a date not known".to_string(),
        super::super::date::Date::when,
    );
    if observed {
        // "first appears in the sources between June 2010 and 2013".
        if let Some(between) = when.strip_prefix("some time ") {
            when = between.to_string();
        }
    }
    let body = what(change);
    // "in June 2010" and "between ..." follow the verb; "some time
    // between ..." is set off.
    let joint = if when.starts_with("some time") || when.starts_with("no ") {
        ", "
    } else {
        " "
    };
    let text = format!("{}{joint}{when}.{}", capitalize(&body), carried(change));
    (text, caveat(change))
}

/// " X and Y were carried along.": the sub-units a change carried along
/// (see `Change::carries`), a sentence of their own.
fn carried(change: &Change) -> String {
    let carried: Vec<UnitSide> = change.carried().into_iter().cloned().collect();
    if carried.is_empty() {
        return String::new();
    }
    format!(
        " {} {} carried along.",
        capitalize(&list(&carried)),
        were(&carried)
    )
}

/// What happened, without when.
fn what(change: &Change) -> String {
    let (from, to) = (&change.from, &change.to);
    // The units a merger, absorption, split or spin-off is about: not
    // the sub-units it carried along, which `tell` names after.
    let principal =
        |units: Vec<&UnitSide>| -> Vec<UnitSide> { units.into_iter().cloned().collect() };
    let (own_from, own_to) = (
        principal(change.principal_from()),
        principal(change.principal_to()),
    );
    let external = change
        .external
        .as_deref()
        .map_or("an outside body".to_string(), |e| named(e, e));
    let first = |units: &[UnitSide]| units.first().map_or("no unit".to_string(), unit);
    match change.kind {
        ChangeKind::Renamed
        | ChangeKind::Moved
        | ChangeKind::Redesignated
        | ChangeKind::Recoded => continuing(change),
        ChangeKind::Merged => format!(
            "{} were merged into a new unit, {}{}",
            list(&own_from),
            first(to),
            living_on(change)
        ),
        ChangeKind::Absorbed => format!(
            "{} {} absorbed into {}{}",
            list(&own_from),
            were(&own_from),
            first(to),
            living_on(change)
        ),
        ChangeKind::Split => format!(
            "{} was split into {}{}",
            first(from),
            list(&own_to),
            promoted(change)
        ),
        ChangeKind::SpunOff => format!(
            "{} {} carved out of {}{}",
            list(&own_to),
            were(&own_to),
            first(from),
            promoted(change)
        ),
        ChangeKind::TransferredOut => {
            format!("{} left the organization for {external}", list(from))
        }
        ChangeKind::TransferredIn => {
            format!("{} joined the organization from {external}", list(to))
        }
        ChangeKind::Appeared => format!(
            "{} first {} in the sources",
            list(to),
            verb(to, "appears", "appear")
        ),
        ChangeKind::Disappeared => format!(
            "{} {} from the sources",
            list(from),
            verb(from, "disappears", "disappear")
        ),
        ChangeKind::Established => format!("{} {} established", list(to), were(to)),
        ChangeKind::Abolished => format!("{} {} abolished", list(from), were(from)),
        ChangeKind::Restored if change.basis == Basis::Observed => format!(
            "{} {} in the sources again",
            list(to),
            verb(to, "appears", "appear")
        ),
        ChangeKind::Restored => format!("{} {} re-established", list(to), were(to)),
        ChangeKind::Replaced => format!("{} was succeeded by {}", list(from), list(to)),
    }
}

/// A unit that continues, every way it changed: "the Office of
/// Intelligence moved from ICE to HSI and became a division (it had been
/// an office)".
fn continuing(change: &Change) -> String {
    let (Some(a), Some(b)) = (change.from.first(), change.to.first()) else {
        return "a unit changed".to_string();
    };
    let mut clauses: Vec<String> = Vec::new();
    for aspect in &change.aspects {
        clauses.push(match aspect {
            ChangeKind::Renamed => renaming(a, b),
            ChangeKind::Moved => format!("moved from {} to {}", parent_of(a), parent_of(b)),
            ChangeKind::Redesignated => format!(
                "became {} (it had been {})",
                a_kind(b.kind.as_deref()),
                a_kind(a.kind.as_deref())
            ),
            ChangeKind::Recoded => format!("took the identifier {} (it had been {})", b.id, a.id),
            _ => continue,
        });
    }
    format!("{} {}", unit(a), and_list(&clauses, "changed"))
}

/// "was renamed X", "took the acronym X", "was respelled X".
fn renaming(a: &UnitSide, b: &UnitSide) -> String {
    let respelled = crate::text::fold(&a.name) == crate::text::fold(&b.name)
        && a.acronym.as_deref().map(crate::text::fold)
            == b.acronym.as_deref().map(crate::text::fold);
    if respelled {
        return format!("was respelled {}", b.label());
    }
    if a.name != b.name {
        return format!("was renamed {}", unit(b));
    }
    match (&a.acronym, &b.acronym) {
        (None, Some(new)) => format!("took the acronym {new}"),
        (Some(old), None) => format!("dropped the acronym {old}"),
        (old, new) => format!(
            "changed its acronym from {} to {}",
            old.as_deref().unwrap_or("none"),
            new.as_deref().unwrap_or("none")
        ),
    }
}

/// ", where X lives on": the parts of an absorption or merger, which live
/// on inside the unit they joined (see `Change::parts`).
fn living_on(change: &Change) -> String {
    let parts: Vec<UnitSide> = change
        .parts
        .iter()
        .filter(|p| p.to > 0 && !change.carries(p))
        .map(|p| change.to[p.to].clone())
        .collect();
    if parts.is_empty() {
        return String::new();
    }
    format!(
        ", where {} {} on",
        list(&parts),
        verb(&parts, "lives", "live")
    )
}

/// " (X had been a part of it)": the parts a split or spin-off promoted
/// out of the unit it divided.
fn promoted(change: &Change) -> String {
    let parts: Vec<UnitSide> = change
        .parts
        .iter()
        .filter(|p| p.from > 0 && !change.carries(p))
        .map(|p| change.from[p.from].clone())
        .collect();
    if parts.is_empty() {
        return String::new();
    }
    format!(" ({} had been a part of it)", list(&parts))
}

/// Uncertainty in words: how the change is known, when that is less than
/// a source stating it plainly.
fn caveat(change: &Change) -> Option<String> {
    match change.basis {
        Basis::Curated if change.confidence < Confidence::Medium.score() => Some(
            "Low confidence: this is an inference from the sources rather than something they state.".to_string(),
        ),
        Basis::Curated if change.confidence < Confidence::High.score() => {
            Some("Medium confidence: the sources support this only in part.".to_string())
        }
        Basis::Inferred => Some(format!(
            "Inferred by matching names and structure, not stated by a source (confidence {:.2}).",
            change.confidence
        )),
        Basis::Identity if change.confidence < 1.0 => Some(format!(
            "The data places the unit by inference, not from a source (confidence {:.2}).",
            change.confidence
        )),
        Basis::Identity if change.date.as_ref().is_some_and(super::super::date::Date::is_interval) => {
            Some("Dated only by the two snapshots around it.".to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_kinds_of_body_take_the_and_proper_names_do_not() {
        for name in [
            "Office of Investigations",
            "Cyber Crimes Center",
            "Federal Protective Service",
            "ICE Tip Line Unit",
            "Bureau of Customs and Border Protection",
            "Financial and Fraud Division",
            "Center for Countering Human Trafficking",
            "DHS National Protection and Programs Directorate (NPPD)",
        ] {
            assert!(takes_the(name), "{name}");
        }
        for name in [
            "Homeland Security Investigations",
            "U.S. Immigration and Customs Enforcement",
            "Management and Administration",
            "Secure Communities",
            "Global Trade",
            "The Hague Office",
            "",
        ] {
            assert!(!takes_the(name), "{name}");
        }
    }
}

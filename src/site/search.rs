//! The list of every unit of every era, and the search over it: a small
//! index (each unit's page, latest name, years, and every name, acronym,
//! alias and id it had, folded) that the script filters as the reader
//! asks. Without the script the page is the list itself.

use maud::html;

use super::layout::{self, unit_link};
use super::Site;
use crate::text::fold;

pub(super) fn page(site: &Site) -> String {
    let mut units: Vec<(String, usize)> = (0..site.history.len())
        .map(|t| (fold(&site.unit_names[t]), t))
        .collect();
    units.sort();
    let body = html! {
        h1 { "All units" }
        p.lede {
            "Every unit of every era (" (units.len()) "), by its latest name. "
            "The search box finds former names, acronyms and other names too."
        }
        h2 #results-heading hidden {}
        ul #results hidden {}
        section #all-units {
            ul.units-list {
                @for (_, thread) in &units {
                    li {
                        (unit_link(site, "", *thread, &site.unit_names[*thread]))
                        " " span.muted { (site.unit_lives[*thread]) }
                    }
                }
            }
        }
    };
    layout::page(site, "All units", "", &["search-index.js", "site.js"], body)
}

/// The index the script searches, as a script that sets
/// `window.REORG_UNITS`: for each unit, its page, latest name, years, and
/// its names of every era folded (lowercase, no accents, words only).
pub(super) fn index(site: &Site) -> String {
    let entries: Vec<[String; 4]> = (0..site.history.len())
        .map(|t| {
            let mut names: Vec<String> = Vec::new();
            for (_, unit) in site.history.states_of(t) {
                for name in [Some(&unit.name), unit.acronym.as_ref(), Some(&unit.id)]
                    .into_iter()
                    .flatten()
                {
                    let folded = fold(name);
                    if !names.contains(&folded) {
                        names.push(folded);
                    }
                }
            }
            for alias in site.history.aliases_of(t) {
                let folded = fold(&alias);
                if !names.contains(&folded) {
                    names.push(folded);
                }
            }
            [
                site.unit_pages[t].clone(),
                site.unit_names[t].clone(),
                site.unit_lives[t].clone(),
                names.join(" | "),
            ]
        })
        .collect();
    format!(
        "window.REORG_UNITS = {};\n",
        serde_json::to_string(&entries).expect("JSON of strings")
    )
}

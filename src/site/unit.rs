//! A page per unit (a unit followed through time): its lineage with the
//! picture, every version it had, its changes and links to predecessors
//! and successors, the snapshots that document it, and its sources.

use maud::{html, Markup};
use rayon::prelude::*;

use super::layout::{change_item, change_states, page, picture, sources, unit_link};
use super::{Page, Site};
use crate::diff::history::Version;
use crate::diff::UnitSide;
use crate::lineage::{self, Lineage, Reach};
use crate::render::svg;

pub(super) fn pages(site: &Site) -> Vec<Page> {
    (0..site.history.len())
        .into_par_iter()
        .map(|t| Page::new(site.unit_pages[t].clone(), unit_page(site, t)))
        .collect()
}

/// What the states say of a unit beyond its name and place: its
/// description and note as last written, and every source cited for it.
struct About {
    description: Option<String>,
    note: Option<String>,
    sources: Vec<String>,
    /// The snapshots that documented it, by index, in order.
    snapshots: Vec<usize>,
}

fn about(site: &Site, states: &[(usize, UnitSide)]) -> About {
    let mut about = About {
        description: None,
        note: None,
        sources: Vec::new(),
        snapshots: Vec::new(),
    };
    for (k, side) in states {
        let state = site.dataset.state_after(*k);
        let Some(ix) = state.find(&side.id) else {
            continue;
        };
        let unit = state.unit(ix);
        about.description = unit.description.clone().or(about.description);
        about.note = unit.note.clone().or(about.note);
        for key in &unit.sources {
            if !about.sources.contains(key) {
                about.sources.push(key.clone());
            }
        }
        let seen_in = state.observed_in(ix);
        if !about.snapshots.contains(&seen_in) {
            about.snapshots.push(seen_in);
        }
    }
    about.snapshots.sort_unstable();
    about
}

fn unit_page(site: &Site, thread: usize) -> String {
    let reach = Reach {
        ancestors: true,
        descendants: true,
        depth: None,
    };
    let lineage = lineage::lineage(site.history, thread, reach);
    let states = site.history.states_of(thread);
    let focus = &lineage.units[0];
    let last = focus.versions.last().expect("a unit has a version");
    let about = about(site, &states);
    let mut cited = about.sources.clone();
    for change in focus
        .changes
        .iter()
        .chain(lineage.links.iter().map(|l| &l.change))
    {
        for key in &change.sources {
            if !cited.contains(key) {
                cited.push(key.clone());
            }
        }
    }
    let aliases = site.history.aliases_of(thread);
    let root = "../";
    let title = last.unit.label();
    let body = html! {
        h1 { (title) }
        p.lede {
            @if let Some(kind) = &last.unit.kind { (kind) " · " }
            (site.unit_lives[thread])
            @if !last.path.is_empty() { " · in " (last.path.join(" › ")) }
            " · id " code { (last.unit.id) }
            @if !focus.lasts { " · no longer in the latest snapshot" }
        }
        @if let Some(description) = &about.description { p { (description) } }
        @if let Some(note) = &about.note { p.muted { "Note: " (note) } }
        (picture(&svg::lineage::svg(&lineage, site.now, svg::Styled::ByPage)))
        h2 { "Versions" }
        (versions_table(site, &focus.versions, &states))
        @if !focus.changes.is_empty() {
            h2 { "Changes" }
            ul.changes {
                @for change in &focus.changes {
                    (change_item(site, root, change, change_states(site, change), Some(thread)))
                }
            }
        }
        (links(site, &lineage, thread))
        @if !aliases.is_empty() {
            h2 { "Other names" }
            ul { @for alias in &aliases { li { (alias) } } }
        }
        h2 { "Documented in" }
        ul {
            @for &n in &about.snapshots {
                li {
                    a href={ (root) (site.snapshot_page(n)) } { (site.dataset.snapshots()[n].title) }
                    " " span.muted { (site.dataset.snapshots()[n].date.words()) }
                }
            }
        }
        @if !cited.is_empty() {
            h2 { "Sources" }
            (sources(site, &cited))
        }
    };
    page(site, &title, root, &[], body)
}

/// The versions as a table, each parent linked to its page.
fn versions_table(site: &Site, versions: &[Version], states: &[(usize, UnitSide)]) -> Markup {
    html! {
        table {
            tr { th { "from" } th { "to" } th { "name" } th { "kind" } th { "under" } th { "id" } }
            @for v in versions {
                tr {
                    td { (v.since.as_ref().map_or("?".to_string(), std::string::ToString::to_string)) }
                    td { (v.until.as_ref().map_or("now".to_string(), std::string::ToString::to_string)) }
                    td { (v.unit.label()) }
                    td { (v.unit.kind.as_deref().unwrap_or("")) }
                    td { (parent_link(site, v, states)) }
                    td { code { (v.unit.id) } }
                }
            }
        }
    }
}

/// The parent of a version, linked to its page as it was then.
fn parent_link(site: &Site, v: &Version, states: &[(usize, UnitSide)]) -> Markup {
    let (Some(id), Some(name)) = (&v.unit.parent, &v.unit.parent_name) else {
        return html! { "(top level)" };
    };
    let state = states
        .iter()
        .find(|(_, side)| *side == v.unit)
        .map_or(0, |(k, _)| *k);
    match site.thread_of(id, state) {
        Some(t) => unit_link(site, "../", t, name),
        None => html! { (name) },
    }
}

/// The links of the lineage: how the unit began and ended, and its
/// predecessors and successors, each change with links to its units.
fn links(site: &Site, lineage: &Lineage, thread: usize) -> Markup {
    let (own, others): (Vec<_>, Vec<_>) = lineage
        .links
        .iter()
        .partition(|l| l.from.contains(&0) || l.to.contains(&0));
    html! {
        @if !own.is_empty() {
            h2 { "Predecessors, successors, beginning and end" }
            ul.changes {
                @for link in &own {
                    (change_item(site, "../", &link.change, change_states(site, &link.change), Some(thread)))
                }
            }
        }
        @if !others.is_empty() {
            h2 { "Further along the lineage" }
            ul.changes {
                @for link in &others {
                    (change_item(site, "../", &link.change, change_states(site, &link.change), Some(thread)))
                }
            }
        }
    }
}

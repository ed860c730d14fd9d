//! A page per snapshot: what it documents, and the chart of the
//! organization as it stood once the snapshot was laid.

use maud::{html, Markup};

use super::layout::{page, scope_words, sources, unit_link};
use super::{Page, Site};
use crate::state::{OrgState, UnitIx};

pub(super) fn pages(site: &Site) -> Vec<Page> {
    (0..site.dataset.snapshots().len())
        .map(|n| Page::new(site.snapshot_page(n), snapshot_page(site, n)))
        .collect()
}

fn snapshot_page(site: &Site, n: usize) -> String {
    let dataset = site.dataset;
    let snapshot = &dataset.snapshots()[n];
    // The state after the first n + 1 snapshots.
    let state = dataset.state_after(n + 1);
    let root = "../";
    let body = html! {
        h1 { (snapshot.title) }
        p.lede {
            (snapshot.date.words()) " · documents " (scope_words(site, root, n))
            " · snapshot " code { (snapshot.id) }
        }
        p {
            @if n > 0 {
                a href={ (root) (site.snapshot_page(n - 1)) } { "← previous snapshot" }
                " · "
                a href={ (root) (site.compare_page(n - 1, n)) } { "what changed since it" }
                " · "
            }
            @if n + 1 < dataset.snapshots().len() {
                a href={ (root) (site.snapshot_page(n + 1)) } { "next snapshot →" }
            }
        }
        @if let Some(note) = &snapshot.note { p { (note) } }
        h2 { "The organization at this date" }
        p.muted {
            (state.len()) " units. Those this snapshot documents are in black; "
            "those it leaves as earlier snapshots showed them are in grey."
        }
        ul.chart {
            @for r in state.roots() { (chart(site, state, n, r)) }
        }
        @if !snapshot.sources.is_empty() {
            h2 { "Sources" }
            (sources(site, &snapshot.sources))
        }
    };
    page(site, &snapshot.title, root, &[], body)
}

/// A unit and its sub-units as nested lists, each linked to its page.
fn chart(site: &Site, state: &OrgState, n: usize, ix: UnitIx) -> Markup {
    let unit = state.unit(ix);
    let children = state.children(ix);
    let carried = state.observed_in(ix) != n;
    let link = match site.thread_of(&unit.id, n + 1) {
        Some(t) => unit_link(site, "../", t, &unit.label()),
        None => html! { (unit.label()) },
    };
    html! {
        li.carried[carried] {
            (link)
            @if let Some(kind) = &unit.kind { " " span.muted { (kind) } }
            @if !children.is_empty() {
                ul { @for c in children { (chart(site, state, n, c)) } }
            }
        }
    }
}

//! Comparing snapshots: a page for every pair (the change-flow picture
//! and the changes, each linked to its units), and a page to choose the
//! pair from two menus. Without the script, the same choice is a list of
//! links under each snapshot.

use maud::html;
use rayon::prelude::*;

use super::layout::{change_item, kind_badge, page, picture};
use super::{Page, Site};
use crate::diff::{self, Filter};
use crate::render::svg::{flow, Kind, Styled};

pub(super) fn pages(site: &Site) -> Vec<Page> {
    let count = site.dataset.snapshots().len();
    let pairs: Vec<(usize, usize)> = (0..count)
        .flat_map(|a| (a + 1..count).map(move |b| (a, b)))
        .collect();
    let mut pages = vec![Page::new("diff/index.html", chooser(site))];
    pages.par_extend(
        pairs
            .par_iter()
            .map(|&(a, b)| Page::new(site.compare_page(a, b), pair_page(site, a, b))),
    );
    pages
}

/// "2010-06 — ICE after the June 2010 realignment".
fn option_text(site: &Site, n: usize) -> String {
    let s = &site.dataset.snapshots()[n];
    format!("{} — {}", s.date, s.title)
}

fn chooser(site: &Site) -> String {
    let count = site.dataset.snapshots().len();
    let slugs = &site.snapshot_slugs;
    let body = html! {
        h1 { "Compare two snapshots" }
        p.lede { "What changed between the states of the organization two snapshots show: a picture, then every change." }
        form #compare hidden {
            label { "From" select name="from" {
                @for n in 0..count {
                    option value=(slugs[n]) data-order=(n) selected[n == 0] { (option_text(site, n)) }
                }
            } }
            label { "To" select name="to" {
                @for n in 0..count {
                    option value=(slugs[n]) data-order=(n) selected[n + 1 == count] { (option_text(site, n)) }
                }
            } }
            button type="submit" { "Compare" }
            p #compare-message aria-live="polite" {}
        }
        h2 { "Every pair" }
        p.muted { "Open the earlier snapshot, then choose the later one." }
        @for a in 0..count.saturating_sub(1) {
            details.from {
                summary { (option_text(site, a)) }
                ul.pairs {
                    @for b in a + 1..count {
                        li { a href={ "../" (site.compare_page(a, b)) } { "to " (option_text(site, b)) } }
                    }
                }
            }
        }
    };
    page(site, "Compare two snapshots", "../", &["site.js"], body)
}

fn pair_page(site: &Site, a: usize, b: usize) -> String {
    let dataset = site.dataset;
    let (first, second) = (&dataset.snapshots()[a], &dataset.snapshots()[b]);
    let (day_a, day_b) = (first.date.earliest(), second.date.earliest());
    let diff = diff::diff(
        dataset,
        (first.date.as_str(), day_a),
        (second.date.as_str(), day_b),
        &Filter::default(),
    )
    .expect("snapshots are in date order");
    let (state_a, state_b) = (dataset.state_at(day_a), dataset.state_at(day_b));
    let svg = flow::svg(&flow::build(&diff, state_a, state_b, None), Styled::ByPage);
    let sides = (site.state_at(day_a), site.state_at(day_b));
    let mut kinds: Vec<Kind> = diff.changes.iter().map(Kind::of).collect();
    kinds.sort();
    kinds.dedup();
    let root = "../";
    let title = format!("From {} to {}", first.date, second.date);
    let body = html! {
        h1 { (title) }
        p.lede {
            "From " a href={ (root) (site.snapshot_page(a)) } { (first.title) }
            " to " a href={ (root) (site.snapshot_page(b)) } { (second.title) } ": "
            (diff.changes.len()) " change" @if diff.changes.len() != 1 { "s" } ". "
            a href="index.html" { "Compare other snapshots" }
        }
        (picture(&svg))
        @for kind in &kinds {
            h2 { (kind_badge(*kind)) " " (diff.changes.iter().filter(|c| Kind::of(c) == *kind).count()) }
            ul.changes {
                @for change in diff.changes.iter().filter(|c| Kind::of(c) == *kind) {
                    (change_item(site, root, change, sides, None))
                }
            }
        }
    };
    page(site, &title, root, &[], body)
}

//! What every page shares: the frame (header with the search box,
//! footer), links to units and sources, and the front page.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::Site;
use crate::diff::Change;
use crate::render::svg::Kind;

/// A whole page: `title`, the `body`, the style sheet and, when asked,
/// the scripts. `root` leads from the page back to the site's top (`""`
/// or `"../"`).
pub(super) fn page(site: &Site, title: &str, root: &str, scripts: &[&str], body: Markup) -> String {
    let full_title = if title == site.name {
        title.to_string()
    } else {
        format!("{title} · {}", site.name)
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (full_title) }
                link rel="stylesheet" href={ (root) "site.css" };
            }
            body {
                header.site {
                    a.home href={ (root) "index.html" } { (site.name) }
                    nav {
                        a href={ (root) "timeline.html" } { "Timeline" }
                        a href={ (root) "diff/index.html" } { "Compare" }
                        a href={ (root) "search.html" } { "All units" }
                    }
                    form.search action={ (root) "search.html" } method="get" role="search" {
                        input #q type="search" name="q" placeholder="Unit, acronym, former name" aria-label="Search units of every era";
                        button type="submit" { "Search" }
                    }
                }
                main { (body) }
                footer {
                    "Written by reorg " (env!("CARGO_PKG_VERSION"))
                    " from the dataset's snapshots, events and sources."
                }
                @for script in scripts {
                    script src={ (root) (script) } {}
                }
            }
        }
    }
    .into_string()
}

/// A link to a unit's page, named as the unit was in `label`.
pub(super) fn unit_link(site: &Site, root: &str, thread: usize, label: &str) -> Markup {
    html! { a href={ (root) (site.unit_pages[thread]) } { (label) } }
}

/// A kind of change as a small coloured label.
pub(super) fn kind_badge(kind: Kind) -> Markup {
    html! {
        span.kind style={ "background:" (kind.colour()) } { (kind.words()) }
    }
}

/// An SVG picture in a figure that scrolls sideways when it is wider than
/// the page. The picture escapes its own text (`render::svg`).
pub(super) fn picture(svg: &str) -> Markup {
    html! { figure.picture { (PreEscaped(svg)) } }
}

/// A web address safe to link to: http or https only.
pub(super) fn linkable(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// The sources cited by these keys, numbered, with their titles and
/// addresses.
pub(super) fn sources(site: &Site, keys: &[String]) -> Markup {
    html! {
        ol.sources {
            @for key in keys {
                li {
                    @match site.dataset.sources.get(key) {
                        Some(source) => {
                            (source.title)
                            @if let Some(publisher) = &source.publisher { ", " (publisher) }
                            @if let Some(date) = &source.date { ", " (date.words()) }
                            @if let Some(url) = &source.url {
                                ". "
                                @if linkable(url) { a href=(url) { (url) } } @else { (url) }
                            }
                            " " span.muted { "[" (key) "]" }
                        }
                        None => { (key) }
                    }
                }
            }
        }
    }
}

/// A change in a sentence, with its caveat, how it is known, and links to
/// the pages of its units (but the unit of the page it is on, `this`);
/// `from_state` and `to_state` are the states its two sides are in.
pub(super) fn change_item(
    site: &Site,
    root: &str,
    change: &Change,
    (from_state, to_state): (usize, usize),
    this: Option<usize>,
) -> Markup {
    let (text, caveat) = crate::report::tell::tell(change);
    let units: Vec<(usize, String)> = change
        .from
        .iter()
        .map(|u| (from_state, u))
        .chain(change.to.iter().map(|u| (to_state, u)))
        .filter_map(|(k, u)| site.thread_of(&u.id, k).map(|t| (t, u.label())))
        .filter(|&(t, _)| Some(t) != this)
        .fold(Vec::new(), |mut seen, (t, label)| {
            if !seen.iter().any(|(s, _)| *s == t) {
                seen.push((t, label));
            }
            seen
        });
    html! {
        li {
            (kind_badge(Kind::of(change)))
            (text)
            @if let Some(caveat) = caveat { " " span.caveat { (caveat) } }
            " "
            span.muted {
                "(" (change.basis.name()) ", confidence " (format!("{:.2}", change.confidence))
                @if !change.sources.is_empty() { "; " (change.sources.join(", ")) }
                ")"
            }
            @if !units.is_empty() {
                br;
                span.units {
                    @for (thread, label) in &units { (unit_link(site, root, *thread, label)) }
                }
            }
        }
    }
}

/// The front page: what the history holds, and the snapshots.
pub(super) fn index(site: &Site) -> String {
    let dataset = site.dataset;
    let count = dataset.snapshots().len();
    let span = match (dataset.snapshots().first(), dataset.snapshots().last()) {
        (Some(a), Some(b)) => format!("from {} to {}", a.date.words(), b.date.words()),
        _ => "none yet".to_string(),
    };
    let body = html! {
        h1 { (site.name) }
        p.lede {
            "The history of its structure: " (count) " snapshot" @if count != 1 { "s" } " "
            (span) ", " (site.history.len()) " units over time, "
            (dataset.events.len()) " changes recorded from the sources."
        }
        ul {
            li { a href="timeline.html" { "Timeline" } ": every change in date order." }
            li { a href="diff/index.html" { "Compare" } ": what changed between any two snapshots, with a picture." }
            li { a href="search.html" { "All units" } ": every unit of every era, and a search by name, acronym or former name." }
            @if count >= 2 {
                li {
                    a href=(site.compare_page(0, count - 1)) {
                        "From the first snapshot to the last"
                    }
                    ": the whole history in one picture."
                }
            }
        }
        h2 { "Snapshots" }
        p.muted { "Each is an observation of the organization (or of one part of it) as a source documents it at a date." }
        table {
            tr { th { "date" } th { "snapshot" } th { "documents" } th { "units" } }
            @for (n, snapshot) in dataset.snapshots().iter().enumerate() {
                tr {
                    td { (snapshot.date.words()) }
                    td { a href=(site.snapshot_page(n)) { (snapshot.title) } }
                    td { (scope_words(site, "", n)) }
                    td { (snapshot.unit_count()) }
                }
            }
        }
    };
    page(site, &site.name, "", &[], body)
}

/// What a snapshot documents: the whole organization, or a unit's subtree
/// (linked to the unit's page).
pub(super) fn scope_words(site: &Site, root: &str, n: usize) -> Markup {
    let snapshot = &site.dataset.snapshots()[n];
    let label = snapshot
        .all_units()
        .next()
        .map(super::super::observation::StateUnit::label);
    match (&snapshot.scope, label) {
        (None, _) => html! { "the whole organization" },
        (Some(id), label) => {
            let label = label.unwrap_or_else(|| id.clone());
            match site.thread_of(id, n + 1) {
                Some(t) => unit_link(site, root, t, &label),
                None => html! { (label) },
            }
        }
    }
}

/// The states a change's two sides are in: just before it may have
/// begun, and once it may have ended.
pub(super) fn change_states(site: &Site, change: &Change) -> (usize, usize) {
    let date = change.date.as_ref();
    let before = date
        .and_then(super::super::date::Date::earliest_bound)
        .and_then(|d| d.pred_opt())
        .map_or(0, |d| site.state_at(d));
    let after = date
        .and_then(super::super::date::Date::latest_bound)
        .map_or(site.dataset.snapshots().len(), |d| site.state_at(d));
    (before, after)
}

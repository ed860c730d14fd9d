//! The timeline page: every change of the history in date order, under
//! the year it may first have happened in.

use chrono::Datelike;
use maud::html;

use super::layout::{self, change_item, change_states, kind_badge};
use super::Site;
use crate::date::Day;
use crate::diff::{Change, Filter};
use crate::model::ChangeKind;
use crate::render::svg::Kind;

/// Runs of this many units first (or last) seen at once are folded under
/// one line: a first snapshot shows every unit appearing.
const FOLD_RUN: usize = 6;

pub(super) fn page(site: &Site) -> String {
    let changes = crate::timeline::timeline(site.dataset, Day::MIN, Day::MAX, &Filter::default());
    let mut years: Vec<(String, Vec<&Change>)> = Vec::new();
    for change in &changes {
        let heading = heading(change);
        match years.last_mut() {
            Some((h, list)) if *h == heading => list.push(change),
            _ => years.push((heading, vec![change])),
        }
    }
    let body = html! {
        h1 { "Timeline" }
        p.lede {
            (changes.len()) " changes, each under the year it may first have happened in; "
            "first those known only to have happened by some date. "
            "A change known only between two snapshots is dated by the interval between them."
        }
        @if !years.is_empty() {
            p {
                @for (i, (year, _)) in years.iter().enumerate() {
                    @if i > 0 { " · " }
                    a href={ "#y-" (anchor(year)) } { (year) }
                }
            }
        }
        @for (year, list) in &years {
            h2 #{ "y-" (anchor(year)) } { (year) }
            ul.changes {
                @for run in runs(list) {
                    @if run.len() < FOLD_RUN {
                        @for change in &run { (change_item(site, "", change, change_states(site, change), None)) }
                    } @else {
                        li {
                            details {
                                summary { (kind_badge(Kind::of(run[0]))) (run_words(&run)) }
                                ul.changes {
                                    @for change in &run { (change_item(site, "", change, change_states(site, change), None)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout::page(site, "Timeline", "", &[], body)
}

/// The changes cut into runs of observations (units first or last seen)
/// of the same kind and date, and single changes.
fn runs<'c>(changes: &[&'c Change]) -> Vec<Vec<&'c Change>> {
    let mut out: Vec<Vec<&Change>> = Vec::new();
    for &change in changes {
        let kind = Kind::of(change);
        let observed = kind.observed();
        match out.last_mut() {
            Some(run) if observed && Kind::of(run[0]) == kind && run[0].date == change.date => {
                run.push(change);
            }
            _ => out.push(vec![change]),
        }
    }
    out
}

/// "120 units first appear in the sources, no later than 1900."
fn run_words(run: &[&Change]) -> String {
    let what = match run[0].kind {
        ChangeKind::Appeared => "first appear in the sources",
        _ => "no longer appear in the sources",
    };
    let when = run[0].date.as_ref().map_or(
        "at a date not known".to_string(),
        super::super::date::Date::when,
    );
    format!("{} units {what}, {when}.", run.len())
}

/// "2010"; "No earliest date" for a change known only to have happened
/// by some date (which sorts before every dated one); "Date unknown" for
/// one with no date at all.
fn heading(change: &Change) -> String {
    let Some(date) = &change.date else {
        return "Date unknown".to_string();
    };
    match (date.earliest_bound(), date.latest_bound()) {
        (Some(day), _) => day.year().to_string(),
        (None, Some(_)) => "No earliest date".to_string(),
        (None, None) => "Date unknown".to_string(),
    }
}

fn anchor(heading: &str) -> String {
    heading.to_lowercase().replace(' ', "-")
}

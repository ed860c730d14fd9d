//! Where a lineage picture puts time: the scale from days to x, and the
//! spans of each version — when the snapshots surely show it, and when it
//! may have begun or ended.

use chrono::Datelike;

use crate::date::{Date, Day};
use crate::diff::history::Version;
use crate::diff::Change;
use crate::lineage::{Lineage, LineageLink, LineageUnit};

use super::{MARGIN, WIDTH};

/// Days as x positions.
pub(super) struct Scale {
    /// The first and last instants shown, in fractional years.
    pub(super) start: f64,
    pub(super) end: f64,
}

/// A day as a fractional year: 2010-07-02 is about 2010.5.
fn years(day: Day) -> f64 {
    let length = if Day::from_ymd_opt(day.year(), 12, 31).is_some_and(|d| d.ordinal() == 366) {
        366.0
    } else {
        365.0
    };
    day.year() as f64 + day.ordinal0() as f64 / length
}

impl Scale {
    /// A scale wide enough for every bounded day, whole years, at least
    /// four of them.
    pub(super) fn of(days: &[Day]) -> Scale {
        let first = days.iter().map(|&d| years(d)).fold(f64::INFINITY, f64::min);
        let last = days
            .iter()
            .map(|&d| years(d))
            .fold(f64::NEG_INFINITY, f64::max);
        if !first.is_finite() {
            return Scale {
                start: 2000.0,
                end: 2004.0,
            };
        }
        let start = first.floor();
        let end = (last + 1.0).floor().max(start + 4.0);
        Scale { start, end }
    }

    pub(super) fn x(&self, day: Day) -> f64 {
        let left = MARGIN;
        let right = WIDTH - MARGIN;
        let t = (years(day) - self.start) / (self.end - self.start);
        left + t.clamp(0.0, 1.0) * (right - left)
    }

    /// The years to mark: every year, or every fifth over long spans.
    pub(super) fn ticks(&self) -> Vec<i32> {
        let step = if self.end - self.start > 30.0 { 5 } else { 1 };
        (self.start as i32..=self.end as i32)
            .filter(|y| y % step == 0)
            .collect()
    }
}

/// When a version may have begun and ended (faded), and when the
/// snapshots show it (solid).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Span {
    pub(super) may_begin: Day,
    pub(super) seen_from: Day,
    pub(super) seen_to: Day,
    pub(super) may_end: Day,
}

impl Span {
    /// The days put in order, each no earlier than the one before, so an
    /// uncertain range never runs backwards.
    pub(super) fn ordered(may_begin: Day, seen_from: Day, seen_to: Day, may_end: Day) -> Span {
        let seen_from = seen_from.max(may_begin);
        let seen_to = seen_to.max(seen_from);
        Span {
            may_begin,
            seen_from,
            seen_to,
            may_end: may_end.max(seen_to),
        }
    }
}

pub(super) fn earliest(date: &Date) -> Option<Day> {
    date.earliest_bound()
}

pub(super) fn latest(date: &Date) -> Option<Day> {
    date.latest_bound()
}

/// The change within a unit's thread that led to version `v`: the one
/// whose unit after is the version's unit.
pub(super) fn change_into<'l>(unit: &'l LineageUnit, v: &Version) -> Vec<&'l Change> {
    unit.changes
        .iter()
        .filter(|c| c.to.first().is_some_and(|t| *t == v.unit))
        .collect()
}

/// The links that begin a unit (with nothing before them or from its
/// predecessors) and the links that end it.
pub(super) fn links_into(lineage: &Lineage, unit: usize) -> Vec<&LineageLink> {
    lineage
        .links
        .iter()
        .filter(|l| l.to.contains(&unit))
        .collect()
}

pub(super) fn links_out_of(lineage: &Lineage, unit: usize) -> Vec<&LineageLink> {
    lineage
        .links
        .iter()
        .filter(|l| l.from.contains(&unit))
        .collect()
}

/// When the snapshots surely show a version first seen at `since` and
/// last at `until`: from the last day the first observation may be dated
/// to the first day the last one may be. When the two observations' dates
/// overlap (a version seen once, or in two snapshots of imprecise date),
/// the days both may be dated to.
fn seen(since: Option<&Date>, until: Option<&Date>) -> (Day, Day) {
    let Some(since) = since else {
        let day = until.and_then(earliest).unwrap_or(Day::MIN);
        return (day, day);
    };
    let until = until.unwrap_or(since);
    let (first, last) = (since.latest(), until.earliest());
    if first <= last {
        return (first, last);
    }
    let from = since.earliest().max(until.earliest());
    (from, since.latest().min(until.latest()).max(from))
}

/// The span of each version of unit `u`. `now` is the date of the latest
/// state, which a unit that lasts is still in.
pub(super) fn spans(lineage: &Lineage, u: usize, now: Option<&Date>) -> Vec<Span> {
    let unit = &lineage.units[u];
    let opening: Option<Day> = links_into(lineage, u)
        .iter()
        .filter_map(|l| l.change.date.as_ref().and_then(earliest))
        .min();
    let closing: Option<Day> = links_out_of(lineage, u)
        .iter()
        .filter_map(|l| l.change.date.as_ref().and_then(latest))
        .max();
    let count = unit.versions.len();
    (0..count)
        .map(|i| {
            let v = &unit.versions[i];
            let since = v.since.as_ref();
            let last = i + 1 == count;
            let until = match (&v.until, last && unit.lasts) {
                (Some(d), _) => Some(d),
                (None, true) => now,
                (None, false) => None,
            };
            let may_begin = if i == 0 {
                opening.or(since.and_then(earliest))
            } else {
                let change = change_into(unit, v)
                    .iter()
                    .filter_map(|c| c.date.as_ref().and_then(earliest))
                    .min();
                let before = unit.versions[i - 1].until.as_ref().and_then(latest);
                change.or(before)
            };
            let may_end = if last {
                match unit.lasts {
                    true => until.and_then(latest),
                    false => closing.or(until.and_then(latest)),
                }
            } else {
                let next = &unit.versions[i + 1];
                let change = change_into(unit, next)
                    .iter()
                    .filter_map(|c| c.date.as_ref().and_then(latest))
                    .max();
                change.or(next.since.as_ref().and_then(latest))
            };
            let (seen_from, seen_to) = seen(since, until);
            Span::ordered(
                may_begin.unwrap_or(seen_from).min(seen_from),
                seen_from,
                seen_to,
                may_end.unwrap_or(seen_to),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn day(text: &str) -> Day {
        text.parse().unwrap()
    }

    #[test]
    fn a_version_is_surely_seen_only_between_its_observations() {
        let (since, until) = (date("2010-06"), date("2015-11-10"));
        assert_eq!(
            seen(Some(&since), Some(&until)),
            (day("2010-06-30"), day("2015-11-10"))
        );
        // Seen once, in a year: the year.
        let once = date("2013");
        assert_eq!(
            seen(Some(&once), Some(&once)),
            (day("2013-01-01"), day("2013-12-31"))
        );
        // Two imprecise observations that overlap: the days both may be.
        let (since, until) = (date("2024-06?/2025"), date("2025-01-20/2025"));
        assert_eq!(
            seen(Some(&since), Some(&until)),
            (day("2025-01-20"), day("2025-12-31"))
        );
    }

    #[test]
    fn spans_never_run_backwards() {
        let span = Span::ordered(
            day("2012-01-01"),
            day("2010-01-01"),
            day("2009-01-01"),
            day("2008-01-01"),
        );
        assert!(span.may_begin <= span.seen_from);
        assert!(span.seen_from <= span.seen_to);
        assert!(span.seen_to <= span.may_end);
    }
}

//! Dates as history knows them: the subset of EDTF (Extended Date/Time
//! Format) that the dataset uses.
//!
//! A [`Date`] is `2010`, `2010-06` or `2010-06-09`, optionally followed by
//! `?` (uncertain), `~` (approximate) or `%` (both), or an interval
//! `2012-05/2021` ("some time in between") whose ends may be open (`..`).
//! Every date has an earliest and a latest day; output never invents a
//! precision the date does not have.

use std::fmt;

use chrono::NaiveDate;

/// A calendar day.
pub type Day = NaiveDate;

/// A qualifier written after a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualifier {
    /// `?`: the source is not sure.
    Uncertain,
    /// `~`: about that time.
    Approximate,
    /// `%`: both.
    UncertainApproximate,
}

/// One end of a date: a year, month or day, perhaps qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Point {
    /// The year, as written.
    pub year: i32,
    /// 1 to 12; `None` for a year alone.
    pub month: Option<u32>,
    /// The day of the month; `None` for a year or a month.
    pub day: Option<u32>,
    /// `?` (uncertain) or `~` (approximate), when written.
    pub qualifier: Option<Qualifier>,
}

/// A date of the EDTF subset, with the text it was written as.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Date {
    text: String,
    start: Option<Point>,
    end: Option<Point>,
    earliest: Day,
    latest: Day,
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DateError {
    /// What is wrong with the text, and what a date looks like.
    pub message: String,
}

/// What a valid date looks like, for help texts.
pub(crate) const DATE_HELP: &str =
    "write a date as YYYY, YYYY-MM or YYYY-MM-DD (optionally followed by ? or ~), \
     or an interval such as 2012-05/2021, ../2019-07-31 or 2021/..";

impl Point {
    fn first_day(&self) -> Day {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
            .expect("points are validated when parsed")
    }

    fn last_day(&self) -> Day {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d),
            (Some(m), None) => last_day_of_month(self.year, m),
            (None, _) => NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
        .expect("points are validated when parsed")
    }

    /// The point in words: `2010`, `June 2010`, `9 June 2010`.
    fn words(&self) -> String {
        let base = match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", month_name(m), self.year),
            (Some(m), None) => format!("{} {}", month_name(m), self.year),
            (None, _) => self.year.to_string(),
        };
        match self.qualifier {
            None => base,
            Some(Qualifier::Approximate) => format!("about {base}"),
            Some(Qualifier::Uncertain | Qualifier::UncertainApproximate) => {
                format!("{base} (uncertain)")
            }
        }
    }
}

fn last_day_of_month(year: i32, month: u32) -> Option<Day> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
}

fn month_name(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(m as usize).clamp(1, 12) - 1]
}

fn error(message: impl Into<String>) -> DateError {
    DateError {
        message: message.into(),
    }
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with an optional qualifier,
/// insisting on the exact shape (chrono alone would accept `2013-6-1`).
fn parse_point(s: &str) -> Result<Point, DateError> {
    let (body, qualifier) = match s.as_bytes().last() {
        Some(b'?') => (&s[..s.len() - 1], Some(Qualifier::Uncertain)),
        Some(b'~') => (&s[..s.len() - 1], Some(Qualifier::Approximate)),
        Some(b'%') => (&s[..s.len() - 1], Some(Qualifier::UncertainApproximate)),
        _ => (s, None),
    };
    let parts: Vec<&str> = body.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    let well_formed = match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2),
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        _ => false,
    };
    if !well_formed {
        return Err(error(format!("`{s}` is not a date")));
    }
    let year: i32 = parts[0].parse().map_err(|_| error("bad year"))?;
    let month: Option<u32> = parts.get(1).map(|m| m.parse().unwrap_or(0));
    let day: Option<u32> = parts.get(2).map(|d| d.parse().unwrap_or(0));
    if let Some(m) = month {
        if !(1..=12).contains(&m) {
            return Err(error(format!(
                "month {m:02} in `{s}` is not between 01 and 12"
            )));
        }
    }
    if let (Some(m), Some(d)) = (month, day) {
        if NaiveDate::from_ymd_opt(year, m, d).is_none() {
            return Err(error(format!("`{body}` is not a day of the calendar")));
        }
    }
    Ok(Point {
        year,
        month,
        day,
        qualifier,
    })
}

impl Date {
    /// Parses a date of the EDTF subset.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        if text.trim() != text || text.is_empty() {
            return Err(error(format!("`{text}` is not a date")));
        }
        let (start, end) = match text.split_once('/') {
            None => {
                let p = parse_point(text)?;
                (Some(p), Some(p))
            }
            Some((_, b)) if b.contains('/') => {
                return Err(error(format!(
                    "`{text}` has more than one `/`: an interval has one start and one end, \
                     such as 2010/2012"
                )));
            }
            Some((a, b)) => {
                let start = if a == ".." {
                    None
                } else {
                    Some(parse_point(a)?)
                };
                let end = if b == ".." {
                    None
                } else {
                    Some(parse_point(b)?)
                };
                // `../..`, open at both ends, says that nothing is known of
                // when: a change observed between two snapshots whose dates
                // are open on the far sides is dated so, and what `reorg`
                // writes must read back.
                (start, end)
            }
        };
        let earliest = start.map_or(NaiveDate::MIN, |p| p.first_day());
        let latest = end.map_or(NaiveDate::MAX, |p| p.last_day());
        if earliest > latest {
            return Err(error(format!("`{text}` ends before it starts")));
        }
        Ok(Date {
            text: text.to_string(),
            start,
            end,
            earliest,
            latest,
        })
    }

    /// The interval from the start of `a` to the end of `b`: when a change
    /// was observed between two dates. With no `a`, the interval is open
    /// at its start (`../b`).
    pub fn span(a: Option<&Date>, b: &Date) -> Date {
        if a == Some(b) {
            return b.clone();
        }
        let start = a.and_then(|a| a.start);
        let end = b.end;
        if let Some(p) = start.filter(|&p| Some(p) == end) {
            return Date::parse(&point_text(&p)).expect("a point is a date");
        }
        let side = |p: Option<Point>| p.map_or("..".to_string(), |p| point_text(&p));
        let earliest = a.map_or(NaiveDate::MIN, |a| a.earliest);
        Date {
            text: format!("{}/{}", side(start), side(end)),
            start,
            end,
            earliest,
            latest: b.latest.max(earliest),
        }
    }

    /// The first day the date may stand for.
    pub fn earliest(&self) -> Day {
        self.earliest
    }

    /// The last day the date may stand for.
    pub fn latest(&self) -> Day {
        self.latest
    }

    /// The earliest day as a date to print: `None` for an open start
    /// (`../2019`), which has no first day to name.
    pub fn earliest_bound(&self) -> Option<Day> {
        (self.earliest != NaiveDate::MIN).then_some(self.earliest)
    }

    /// The latest day as a date to print: `None` for an open end (`2021/..`).
    pub fn latest_bound(&self) -> Option<Day> {
        (self.latest != NaiveDate::MAX).then_some(self.latest)
    }

    /// Whether the date is a single day, month or year rather than an interval.
    pub fn is_interval(&self) -> bool {
        self.start != self.end || self.start.is_none()
    }

    /// The date as written (EDTF).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The date as a phrase of time for a sentence: "in June 2010", "on 28
    /// October 2009", "some time between May 2012 and 2025".
    pub fn when(&self) -> String {
        match (self.start, self.end) {
            (Some(a), Some(b)) if a == b && a.day.is_some() && a.qualifier.is_none() => {
                format!("on {}", a.words())
            }
            (Some(a), Some(b)) if a == b => format!("in {}", a.words()),
            _ => self.words(),
        }
    }

    /// The date in plain words, for sentences: "June 2010", "some time
    /// between May 2012 and 2025", "no later than 31 July 2019".
    pub fn words(&self) -> String {
        match (self.start, self.end) {
            (Some(a), Some(b)) if a == b => a.words(),
            (Some(a), Some(b)) => format!("some time between {} and {}", a.words(), b.words()),
            (None, Some(b)) => format!("no later than {}", b.words()),
            (Some(a), None) => format!("no earlier than {}", a.words()),
            (None, None) => "at an unknown date".to_string(),
        }
    }
}

fn point_text(p: &Point) -> String {
    let mut s = format!("{:04}", p.year);
    if let Some(m) = p.month {
        s.push_str(&format!("-{m:02}"));
    }
    if let Some(d) = p.day {
        s.push_str(&format!("-{d:02}"));
    }
    s.push_str(match p.qualifier {
        None => "",
        Some(Qualifier::Uncertain) => "?",
        Some(Qualifier::Approximate) => "~",
        Some(Qualifier::UncertainApproximate) => "%",
    });
    s
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Ord for Date {
    /// Chronological: by earliest day, then latest day, then text.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.earliest, self.latest, &self.text).cmp(&(other.earliest, other.latest, &other.text))
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A date given on the command line names its last day: `--at 2013` is the
/// state on 2013-12-31. Intervals and qualifiers are refused there, since a
/// query needs one day.
pub fn parse_query_day(text: &str) -> Result<Day, DateError> {
    let date = Date::parse(text).map_err(|e| error(format!("{e}; {DATE_HELP}")))?;
    if date.is_interval() || date.start.and_then(|p| p.qualifier).is_some() {
        return Err(error(format!(
            "`{text}` is not a single date; give a year, month or day such as 2013 or 2013-06-30"
        )));
    }
    Ok(date.latest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    #[test]
    fn every_date_has_an_earliest_and_a_latest_day() {
        let cases = [
            ("2010", "2010-01-01", "2010-12-31"),
            ("2010-06", "2010-06-01", "2010-06-30"),
            ("2012-02", "2012-02-01", "2012-02-29"),
            ("2010-06-09", "2010-06-09", "2010-06-09"),
            ("2010~", "2010-01-01", "2010-12-31"),
            ("2012-05/2021", "2012-05-01", "2021-12-31"),
            ("2021-01/2025", "2021-01-01", "2025-12-31"),
        ];
        for (text, earliest, latest) in cases {
            let d = Date::parse(text).unwrap();
            assert_eq!(d.earliest(), day(earliest), "{text}");
            assert_eq!(d.latest(), day(latest), "{text}");
            assert_eq!(d.as_str(), text);
        }
    }

    #[test]
    fn open_ends_reach_the_ends_of_time() {
        let d = Date::parse("../2019-07-31").unwrap();
        assert_eq!(d.earliest(), NaiveDate::MIN);
        assert_eq!(d.latest(), day("2019-07-31"));
        assert_eq!(d.words(), "no later than 31 July 2019");
        let d = Date::parse("2021/..").unwrap();
        assert_eq!(d.latest(), NaiveDate::MAX);
    }

    #[test]
    fn malformed_dates_are_refused() {
        for bad in [
            "",
            "13",
            "2013-6-1",
            " 2013",
            "2013-13",
            "2013-02-30",
            "2013/2012",
            "2010/2011/2012",
            "../../..",
            "2013-06-01T00",
            "2013??",
            "x",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn a_date_of_several_intervals_is_named_whole() {
        let e = Date::parse("2010/2011/2012").unwrap_err().to_string();
        assert!(
            e.starts_with("`2010/2011/2012` has more than one `/`"),
            "{e}"
        );
    }

    #[test]
    fn a_date_open_at_both_ends_reads_back() {
        let a = Date::parse("../2001").unwrap();
        let b = Date::parse("2005/..").unwrap();
        let unknown = Date::span(Some(&a), &b);
        assert_eq!(unknown.as_str(), "../..");
        assert_eq!(Date::parse(unknown.as_str()).unwrap(), unknown);
        assert_eq!(unknown.words(), "at an unknown date");
        assert!(parse_query_day("../..").is_err());
    }

    #[test]
    fn dates_read_as_words() {
        assert_eq!(Date::parse("2010-06").unwrap().words(), "June 2010");
        assert_eq!(
            Date::parse("2012-05/2025").unwrap().words(),
            "some time between May 2012 and 2025"
        );
        assert_eq!(Date::parse("2008~").unwrap().words(), "about 2008");
        assert_eq!(
            Date::parse("2009-10-28").unwrap().when(),
            "on 28 October 2009"
        );
        assert_eq!(Date::parse("2010-06").unwrap().when(), "in June 2010");
        assert_eq!(
            Date::parse("2013/2018-12").unwrap().when(),
            "some time between 2013 and December 2018"
        );
    }

    #[test]
    fn a_query_names_the_last_day() {
        assert_eq!(parse_query_day("2013").unwrap(), day("2013-12-31"));
        assert_eq!(parse_query_day("2013-02").unwrap(), day("2013-02-28"));
        assert!(parse_query_day("2012/2013").is_err());
    }

    #[test]
    fn span_joins_two_dates() {
        let a = Date::parse("2008-11-05").unwrap();
        let b = Date::parse("2010-06").unwrap();
        let s = Date::span(Some(&a), &b);
        assert_eq!(s.as_str(), "2008-11-05/2010-06");
        assert_eq!(s.earliest(), day("2008-11-05"));
        assert_eq!(s.latest(), day("2010-06-30"));
        assert_eq!(Date::span(None, &b).as_str(), "../2010-06");
        assert_eq!(Date::span(Some(&b), &b).as_str(), "2010-06");
    }
}

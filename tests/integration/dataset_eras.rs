//! What the embedded ICE/HSI history says, era by era, against its
//! sources: ICE's first years, founding dates, the Office of Intelligence
//! in 2010, what the data infers, the units and events once missing, and
//! smaller points found on review.

use serde_json::Value;

use reorg::dataset::Dataset;
use reorg::date::Date;
use reorg::model::Confidence;

use crate::dataset::{change_of, changes, date_of, diff, ice, ids_at, side_ids};
use crate::util::stdout_of;

// 1. ICE's first years.

#[test]
fn every_date_from_2003_to_2008_shows_the_organization_of_the_sources() {
    let dataset = ice();
    let first_months = ids_at(&dataset, "2003-04");
    assert!(first_months.contains("ice") && first_months.contains("ice-fps"));
    let mid_2004 = ids_at(&dataset, "2004-06");
    for id in ["ice-fams", "ice-amo", "ice-oi", "ice-dro", "ice-intel"] {
        assert!(mid_2004.contains(id), "{id} in June 2004");
    }
    let in_2006 = ids_at(&dataset, "2006");
    assert!(!in_2006.contains("ice-amo"), "AMO left on 2004-10-31");
    assert!(!in_2006.contains("ice-fams"), "FAMS left in 2005");
    assert!(in_2006.contains("ice-fps"));
    // The binary says the same.
    let show = stdout_of(&["show", "--at", "2006"]);
    let tree = show
        .split("\n\n")
        .nth(1)
        .expect("the tree after the header");
    assert!(tree.contains("Federal Protective Service"), "{show}");
    assert!(!tree.contains("Air Marshal") && !tree.contains("Air and Marine"));
    let show = stdout_of(&["show", "--at", "2005-08"]);
    assert!(show.contains("possibly"), "FAMS left in a range: {show}");
}

#[test]
fn the_departures_of_2004_and_2005_are_dated_inside_the_windows_that_hold_them() {
    // At the end of 2003 FAMS is in ICE: its arrival is not a change of
    // 2003-2005; both departures are.
    let doc = diff("2003", "2005");
    let amo = change_of(&doc, "transferred_out", "ice-amo").expect("AMO leaves");
    assert_eq!(date_of(amo), "2004-10-31");
    let fams = change_of(&doc, "transferred_out", "ice-fams").expect("FAMS leaves");
    assert_eq!(date_of(fams), "2005-07-13/2005-10-01~");
    assert!(change_of(&doc, "transferred_in", "ice-fams").is_none());
    let start = Date::parse("2003").unwrap().latest();
    assert!(!changes(&doc).is_empty());
    for c in changes(&doc) {
        let date = Date::parse(date_of(c)).unwrap();
        assert!(date.latest() > start, "dated inside the window: {c}");
    }
    // On 2004-12-31 AMO had already gone; FAMS went in 2005.
    let doc = diff("2004", "2007");
    assert!(change_of(&doc, "transferred_out", "ice-fams").is_some());
    assert!(change_of(&doc, "transferred_out", "ice-amo").is_none());
    let doc = diff("2004-06", "2007");
    assert!(change_of(&doc, "transferred_out", "ice-fams").is_some());
    assert!(change_of(&doc, "transferred_out", "ice-amo").is_some());
}

// 2. Founding dates: from a source, or none.

#[test]
fn founding_dates_come_from_the_sources_or_are_not_given() {
    let doc = diff("2002", "2025");
    for (kind, id, date) in [
        ("established", "hsi-intel-tlu", "2003"),
        ("established", "hsi-sevp", "2003"),
        ("transferred_in", "ero-lesc", "2003-03-01"),
        ("established", "hsi-ngu", "2005-02"),
        ("established", "hsi-ifpcu", "2003-07"),
        ("established", "hsi-image", "2006-07-26/2007"),
    ] {
        let c = change_of(&doc, kind, id).unwrap_or_else(|| panic!("{kind} {id}"));
        assert_eq!(date_of(c), date, "{id}");
        assert_eq!(c["basis"], "curated", "{id}");
        assert!(!c["sources"].as_array().unwrap().is_empty(), "{id}");
    }
    // No source dates these beginnings: no curated event claims one, and
    // none is dated by a snapshot that only happened to show it first.
    for id in [
        "hsi-forensic-lab",
        "hsi-innovation-lab",
        "hsi-ns-nsp",
        "hsi-ctoc-ffd",
        "hsi-ctoc-psbsd",
        "hsi-vap",
        "hsi-best",
        "ice-opla",
        "ice-opr",
    ] {
        let c = changes(&doc)
            .iter()
            .find(|c| side_ids(c, "to") == [id])
            .unwrap_or_else(|| panic!("{id} begins"));
        assert_eq!(c["kind"], "appeared", "{id}: {c}");
        assert_eq!(c["basis"], "observed", "{id}: {c}");
        for false_date in ["2020-12-18/2025", "2004-10-25/2008-11-05", "2010-06/2013~"] {
            assert_ne!(date_of(c), false_date, "{id}");
        }
    }
    // Founded before 2008 by the sources, first shown by a chart of about
    // 2012: between 2008 and 2024 they only appeared in the sources. No
    // earlier snapshot listed the sub-units of the units they sit under, so
    // nothing says they were not there before: the date is open at its
    // start, not the 2010 chart's date, which only named directorates.
    let doc = diff("2008", "2024");
    for id in ["hsi-intel-tlu", "hsi-ifpcu", "hsi-ngu", "ero-lesc"] {
        let c = change_of(&doc, "appeared", id).unwrap_or_else(|| panic!("{id} appears"));
        assert_eq!(c["basis"], "observed", "{id}");
        assert_eq!(date_of(c), "../2013~", "{id}");
        assert!(c["confidence"].as_f64().unwrap() < 1.0, "{id}");
        assert!(change_of(&doc, "established", id).is_none(), "{id}");
    }
}

/// A unit first seen in a snapshot is dated from the last snapshot that
/// listed all the sub-units of its parent without it, not from the last
/// snapshot of all: the 2021 snapshot of the victims' line documents
/// another part of ICE and cannot say what HSI's divisions held.
#[test]
fn a_first_sighting_is_dated_from_the_last_listing_of_its_parent() {
    let doc = diff("2008", "2024");
    let bitmap = change_of(&doc, "appeared", "hsi-io-bitmap").expect("BITMAP appears");
    assert_eq!(date_of(bitmap), "2015-11-10/2025");
    let evidence = bitmap["evidence"].to_string();
    assert!(
        evidence.contains(
            "not among the sub-units of International Operations listed in snapshot 2015-11-10"
        ),
        "{evidence}"
    );
    // The academy is under a division whose sub-units no earlier snapshot
    // listed: nothing says when it came to be there.
    let academy = change_of(&doc, "appeared", "hsi-academy").expect("the academy appears");
    assert_eq!(date_of(academy), "../2025");
    let appeared: Vec<&Value> = changes(&doc)
        .iter()
        .filter(|c| c["kind"] == "appeared")
        .collect();
    assert!(!appeared.is_empty());
    for c in appeared {
        assert!(!date_of(c).starts_with("2021-06-11/"), "{c}");
    }
}

// 3. The Office of Intelligence kept its name in 2010.

#[test]
fn the_office_of_intelligence_was_not_renamed_in_2010() {
    let dataset = ice();
    let day = Date::parse("2011").unwrap().latest();
    let state = dataset.state_at(day);
    let intel = state.unit(state.find("hsi-intel").unwrap());
    assert_eq!(
        (intel.name.as_str(), intel.acronym.as_deref()),
        ("Office of Intelligence", None)
    );
    // One story: moved into HSI in June 2010, known as HSI-Intel by 2015.
    let doc = diff("2008", "2024");
    let story = change_of(&doc, "moved", "hsi-intel").unwrap();
    assert_eq!(story["via"][0]["date"], "2010-06");
    assert!(story["via"][0]["aspects"]
        .as_array()
        .unwrap()
        .contains(&Value::from("moved")));
    assert!(change_of(&doc, "renamed", "hsi-intel").is_some_and(|c| c == story));
    assert_eq!(story["to"][0]["name"], "Office of Intelligence");
    assert_eq!(story["to"][0]["acronym"], "HSI-Intel");
    assert_eq!(date_of(story), "2010-06/2015", "HSI-Intel is seen c. 2013");
    assert!(change_of(&diff("2009", "2011"), "renamed", "hsi-intel").is_none());
}

// 4. What the data infers says so.

/// The confidence of unit ID in snapshot SNAPSHOT.
fn confidence_in(dataset: &Dataset, snapshot: &str, id: &str) -> Confidence {
    let snapshot = dataset
        .snapshots()
        .iter()
        .find(|s| s.id == snapshot)
        .unwrap_or_else(|| panic!("snapshot {snapshot}"));
    snapshot
        .all_units()
        .find(|u| u.id == id)
        .unwrap_or_else(|| panic!("{id} in {}", snapshot.id))
        .confidence
}

#[test]
fn inferred_placements_and_third_party_kinds_are_not_held_certain() {
    let dataset = ice();
    for (snapshot, id, confidence) in [
        ("hsi-hq-nine-divisions", "hsi-image", Confidence::Low),
        ("hsi-hq-nine-divisions", "hsi-bcsc", Confidence::Low),
        ("hsi-hq-nine-divisions", "hsi-ifpcu", Confidence::Low),
        ("hsi-hq-nine-divisions", "hsi-ngu", Confidence::Low),
        ("hsi-hq-nine-divisions", "hsi-best", Confidence::Low),
        ("hsi-hq-nine-divisions", "hsi-hrvwcc", Confidence::Low),
        ("hsi-hq-nine-divisions", "hsi-academy", Confidence::Low),
        ("hsi-hq-nine-divisions", "hsi-vap", Confidence::Medium),
        ("2012-seed004", "hsi-vap", Confidence::Medium),
        ("2012-seed004", "hsi-ifpcu", Confidence::Medium),
        ("2012-seed004", "hsi-ngu", Confidence::Medium),
        ("2012-seed004", "hsi-bcsc", Confidence::Medium),
        ("2012-seed004", "ero-lesc", Confidence::Medium),
        ("2012-seed004", "hsi-intel-tlu", Confidence::Medium),
        ("2010-06", "ice-niru", Confidence::Low),
        ("2013", "hsi-intel", Confidence::Medium),
        ("2013", "hsi-ia", Confidence::Medium),
        ("2013", "hsi-iprc", Confidence::Medium),
        ("2024-12-26", "hsi-tecc", Confidence::Low),
    ] {
        assert_eq!(
            confidence_in(&dataset, snapshot, id),
            confidence,
            "{id} in {snapshot}"
        );
    }
    // Moves and kind changes resting on them are no surer.
    let doc = diff("2008", "2024");
    let image = change_of(&doc, "moved", "hsi-image").unwrap();
    assert!(image["confidence"].as_f64().unwrap() <= 0.4);
    for id in ["hsi-intel", "hsi-io"] {
        let kind = change_of(&doc, "redesignated", id).unwrap();
        assert!(kind["confidence"].as_f64().unwrap() <= 0.75, "{id}");
    }
}

#[test]
fn every_change_of_2008_2024_cites_its_sources_but_first_and_last_sightings() {
    let doc = diff("2008", "2024");
    assert!(!changes(&doc).is_empty());
    let mut sighted = Vec::new();
    for c in changes(&doc) {
        let sources = c["sources"].as_array().unwrap();
        assert!(!sources.is_empty(), "no sources: {c}");
        // A unit first or last seen in a snapshot, with no event to date
        // it: what it cites is the snapshot (or the unit) that shows it.
        let sighting = c["basis"] == "observed"
            && !c["evidence"][0].as_str().unwrap().contains("curated event");
        if sighting {
            assert!(
                ["appeared", "disappeared"].contains(&c["kind"].as_str().unwrap()),
                "{c}"
            );
            sighted.extend(side_ids(c, "to"));
            sighted.extend(side_ids(c, "from"));
        }
    }
    sighted.sort();
    assert_eq!(
        sighted,
        [
            "hsi-academy",
            "hsi-best",
            "hsi-ctoc-ffd",
            "hsi-ctoc-psbsd",
            "hsi-domops",
            "hsi-forensic-lab",
            "hsi-innovation-lab",
            "hsi-io-bitmap",
            "hsi-io-tciu",
            "hsi-ns-nsp",
            "hsi-vap",
            "ice-oia-ivp",
            "ice-oslc",
        ]
    );
}

// 5. The units and events that were missing.

#[test]
fn the_victims_office_trade_center_forced_labor_and_task_forces_are_dated() {
    let cases = [
        ("2016", "2018", "established", "ice-voice", "2017-04-26"),
        ("2020", "2022", "replaced", "ice-vesl", "2021-06-11"),
        (
            "2023",
            "2024",
            "established",
            "hsi-tecc",
            "2023-10-01/2024-09-30",
        ),
        (
            "2019",
            "2025",
            "absorbed",
            "hsi-forced-labor",
            "2020-10/2025",
        ),
        ("2024", "2025", "established", "hsi-hstf", "2025-01-20/2025"),
    ];
    for (from, to, kind, id, date) in cases {
        let doc = diff(from, to);
        let c = change_of(&doc, kind, id).unwrap_or_else(|| panic!("{kind} {id}"));
        assert_eq!(date_of(c), date, "{id}");
        assert_eq!(c["basis"], "curated", "{id}");
    }
}

// 6. The smaller points.

/// `reorg find QUERY --format json`: (id, first year, last year) of each
/// result.
fn found(query: &str) -> Vec<(String, i64, Option<i64>)> {
    let doc: Value =
        serde_json::from_str(&stdout_of(&["find", query, "--format", "json"])).unwrap();
    doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["unit"]["id"].as_str().unwrap().to_string(),
                r["first_year"].as_i64().unwrap(),
                r["last_year"].as_i64(),
            )
        })
        .collect()
}

#[test]
fn find_gives_the_years_a_name_was_in_use() {
    // A unit lives on as last seen until the next state without it.
    assert_eq!(found("FPS")[0], ("ice-fps".into(), 2003, Some(2009)));
    assert_eq!(found("OI")[0], ("ice-oi".into(), 2003, Some(2010)));
    assert_eq!(found("DRO")[0], ("ice-dro".into(), 2003, Some(2010)));
    assert_eq!(found("OSLC")[0], ("ice-oslc".into(), 2008, Some(2010)));
    // A name and its spelling as an alias have the same years.
    let (ixu, spelled) = (found("IXU"), found("Information eXchange Unit"));
    assert_eq!(ixu[0], spelled[0]);
    assert_eq!(ixu[0].2, None, "still in use");
}

#[test]
fn find_does_not_take_one_international_program_for_another() {
    let results = found("International Visitor's Program");
    assert_eq!(
        results,
        [("ice-oia-ivp".to_string(), 2008, Some(2010))],
        "not International Operations"
    );
}

#[test]
fn a_predecessor_is_named_as_it_was_at_the_time() {
    let out = stdout_of(&["lineage", "OIA"]);
    let predecessors = out.split("Predecessors").nth(1).unwrap();
    assert!(
        predecessors.contains(
            "Office of Investigations (OI), later Homeland Security Investigations (HSI)"
        ),
        "{out}"
    );
}

#[test]
fn best_is_a_team_as_seed000_names_it() {
    let out = stdout_of(&["find", "BEST", "--format", "csv"]);
    assert!(
        out.contains("Border Enforcement Security Team (BEST)"),
        "{out}"
    );
    assert!(!out.contains("Task Force"), "{out}");
}

#[test]
fn the_december_2020_divisions_are_not_hidden_before_the_nine_division_page() {
    let dataset = ice();
    for date in ["2021-06", "2022", "2023"] {
        let ids = ids_at(&dataset, date);
        assert!(ids.contains("hsi-ip"), "Investigative Programs in {date}");
        assert!(!ids.contains("hsi-ctoc"), "no CTOC yet in {date}");
    }
    let now = ids_at(&dataset, "2025");
    assert!(now.contains("hsi-ctoc") && !now.contains("hsi-ip"));
}

#[test]
fn units_of_the_2008_state_known_only_from_later_pages_say_so() {
    let dataset = ice();
    for (id, confidence) in [
        ("hsi-c3", Confidence::Low),
        ("ice-niru", Confidence::Low),
        ("ice-opa", Confidence::Medium),
    ] {
        assert_eq!(
            confidence_in(&dataset, "2008-11-05", id),
            confidence,
            "{id}"
        );
        let snapshot = dataset
            .snapshots()
            .iter()
            .find(|s| s.id == "2008-11-05")
            .unwrap();
        let unit = snapshot.all_units().find(|u| u.id == id).unwrap();
        assert!(
            unit.note.as_deref().unwrap_or_default().contains("2009"),
            "{id}: {:?}",
            unit.note
        );
    }
    // OSLC is not carried past its last evidence (FY2010).
    assert!(!ids_at(&dataset, "2011").contains("ice-oslc"));
    assert!(ids_at(&dataset, "2009-12").contains("ice-oslc"));
}

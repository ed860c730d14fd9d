//! The embedded ICE/HSI history against its sources: every unit the seed
//! documents name is found and placed in its era, the research table's
//! events are in `events.ron`, and what the data infers says so.

use std::collections::BTreeSet;

use serde_json::Value;

use reorg::dataset::Dataset;
use reorg::date::Date;
use reorg::diff::history::History;
use reorg::model::Confidence;

use crate::util::stdout_of;

fn ice() -> Dataset {
    reorg::load::load(None).expect("the embedded dataset loads")
}

/// The ids of the organization at the end of DATE.
fn ids_at(dataset: &Dataset, date: &str) -> BTreeSet<String> {
    let day = Date::parse(date).unwrap().latest();
    let state = dataset.state_at(day);
    state
        .preorder()
        .map(|(ix, _)| state.unit(ix).id.clone())
        .collect()
}

/// (what `find` is asked, the id `find` answers with, the id the unit has
/// in the era its seed describes).
type Named = (&'static str, &'static str, &'static str);

/// seed003: ice.gov's "ICE Operations" page, captured 2008-11-05 (with the
/// banners of the same page).
const SEED003: (&str, &[Named]) = (
    "2008-11-05",
    &[
        ("U.S. Immigration and Customs Enforcement", "ice", "ice"),
        ("Office of Congressional Relations", "ice-ocr", "ice-ocr"),
        (
            "Office of Detention and Removal Operations",
            "ice-dro",
            "ice-dro",
        ),
        ("Office of Federal Protective Service", "ice-fps", "ice-fps"),
        ("Office of Intelligence", "hsi-intel", "ice-intel"),
        ("Office of International Affairs", "hsi-ia", "ice-oia"),
        ("Visa Security Program", "hsi-vsp", "hsi-vsp"),
        (
            "International Visitor's Program",
            "ice-oia-ivp",
            "ice-oia-ivp",
        ),
        ("Office of Investigations", "ice-oi", "ice-oi"),
        ("Office of Policy", "ice-policy", "ice-policy"),
        ("Office of Principal Legal Advisor", "ice-opla", "ice-opla"),
        (
            "Office of Professional Responsibility",
            "ice-opr",
            "ice-opr",
        ),
        ("Secure Communities", "ice-osc", "ice-osc"),
        ("IPR Center", "hsi-iprc", "hsi-iprc"),
    ],
);

/// seed004: a DHS list of ICE publications and resources, c. 2010-2013.
/// Not units: the Blue Campaign (a DHS awareness campaign), leaflets and
/// cards, the Online Detainee Locator System, Operation Genesis.
const SEED004: (&str, &[Named]) = (
    "2012-06",
    &[
        ("U.S. Immigration and Customs Enforcement", "ice", "ice"),
        ("Bulk Cash Smuggling Center", "hsi-bcsc", "hsi-bcsc"),
        ("Law Enforcement Support Center", "ero-lesc", "ero-lesc"),
        ("International Affairs", "hsi-ia", "hsi-ia"),
        (
            "Forced Labor Program",
            "hsi-forced-labor",
            "hsi-forced-labor",
        ),
        (
            "Human Rights Violators and War Crimes Center",
            "hsi-hrvwcc",
            "hsi-hrvwcc",
        ),
        ("Homeland Security Investigations", "hsi", "hsi"),
        ("National Incident Response Unit", "ice-niru", "ice-niru"),
        (
            "ICE Mutual Agreement between Government and Employers",
            "hsi-image",
            "hsi-image",
        ),
        ("ICE National Gang Unit", "hsi-ngu", "hsi-ngu"),
        ("Operation Community Shield", "hsi-ngu", "hsi-ngu"),
        ("Office of Public Affairs", "ice-opa", "ice-opa"),
        ("Privacy Office", "ice-privacy", "ice-privacy"),
        ("ICE Tip-Line", "hsi-intel-tlu", "hsi-intel-tlu"),
        ("Victim Assistance Program", "hsi-vap", "hsi-vap"),
        (
            "National Intellectual Property Rights Coordination Center",
            "hsi-iprc",
            "hsi-iprc",
        ),
        (
            "Illicit Finance and Proceeds of Crime Unit",
            "hsi-ifpcu",
            "hsi-ifpcu",
        ),
        (
            "Counter-Proliferation Investigations Unit",
            "hsi-cpi",
            "hsi-cpi",
        ),
        (
            "Student and Exchange Visitor Program",
            "hsi-sevp",
            "hsi-sevp",
        ),
    ],
);

/// seed002: a third-party description of ICE and HSI's six divisions,
/// c. 2013.
const SEED002: (&str, &[Named]) = (
    "2013",
    &[
        ("U.S. Immigration and Customs Enforcement", "ice", "ice"),
        ("Enforcement and Removal Operations", "ero", "ero"),
        ("Homeland Security Investigations", "hsi", "hsi"),
        ("Domestic Operations", "hsi-domops", "hsi-domops"),
        (
            "Investigations Intelligence Office",
            "hsi-intel",
            "hsi-intel",
        ),
        ("HSI-Intel", "hsi-intel", "hsi-intel"),
        ("Office of International Affairs", "hsi-ia", "hsi-ia"),
        ("Mission Support", "hsi-ms", "hsi-ms"),
        (
            "National Intellectual Property Rights (IPR) Coordination Center",
            "hsi-iprc",
            "hsi-iprc",
        ),
        (
            "National Security Investigations Division",
            "hsi-nsid",
            "hsi-nsid",
        ),
        (
            "Counter-Proliferation Investigations Program",
            "hsi-cpi",
            "hsi-cpi",
        ),
        ("SEVP", "hsi-sevp", "hsi-sevp"),
        ("NIRU", "ice-niru", "ice-niru"),
    ],
);

/// seed000: HSI's Office of Intelligence, reviewed 2020-11-23 and captured
/// 2020-12-18 (with the programs its units support). Not units: the SAC
/// Intelligence Program offices, the attaché cadre, rapid response teams.
const SEED000: (&str, &[Named]) = (
    "2020-12-18",
    &[
        ("Office of Intelligence", "hsi-intel", "hsi-intel"),
        (
            "Intelligence Analysis Division",
            "hsi-intel-iad",
            "hsi-intel-iad",
        ),
        (
            "Trade and Financial Crimes Unit",
            "hsi-intel-iad-tfcu",
            "hsi-intel-iad-tfcu",
        ),
        (
            "National Security and Public Safety Unit",
            "hsi-intel-iad-nsps",
            "hsi-intel-iad-nsps",
        ),
        (
            "International Intelligence Unit",
            "hsi-intel-iad-iiu",
            "hsi-intel-iad-iiu",
        ),
        (
            "International Operations Unit",
            "hsi-intel-iad-iiu",
            "hsi-intel-iad-iiu",
        ),
        ("Collections Division", "hsi-intel-coll", "hsi-intel-coll"),
        (
            "Intelligence Enterprise Service Division",
            "hsi-intel-iesd",
            "hsi-intel-iesd",
        ),
        (
            "Mission Development Unit",
            "hsi-intel-iesd-mdu",
            "hsi-intel-iesd-mdu",
        ),
        (
            "External Liaison Coordination Section",
            "hsi-intel-iesd-mdu-elcs",
            "hsi-intel-iesd-mdu-elcs",
        ),
        (
            "Mission Management Unit",
            "hsi-intel-iesd-mmu",
            "hsi-intel-iesd-mmu",
        ),
        ("IIEMO", "hsi-intel-iiemo", "hsi-intel-iiemo"),
        (
            "Joint Intelligence Operations Center",
            "hsi-intel-jioc",
            "hsi-intel-jioc",
        ),
        ("ICE Tip Line Unit", "hsi-intel-tlu", "hsi-intel-tlu"),
        (
            "Emergency Management Unit",
            "hsi-intel-emu",
            "hsi-intel-emu",
        ),
        ("Border Enforcement Security Team", "hsi-best", "hsi-best"),
        ("Counter-Proliferation Investigations", "hsi-cpi", "hsi-cpi"),
        ("Bulk Cash Smuggling Center", "hsi-bcsc", "hsi-bcsc"),
    ],
);

/// seed001: HSI's headquarters in nine divisions (undated; the latest
/// state). Not units: RAVEN (a platform), functions of the Office of
/// Intelligence.
const SEED001: (&str, &[Named]) = (
    "2025",
    &[
        ("Homeland Security Investigations", "hsi", "hsi"),
        ("Administrative Operations", "hsi-oao", "hsi-oao"),
        (
            "Center for Countering Human Trafficking",
            "hsi-ccht",
            "hsi-ccht",
        ),
        (
            "Countering Transnational Organized Crime",
            "hsi-ctoc",
            "hsi-ctoc",
        ),
        (
            "Financial and Fraud Division",
            "hsi-ctoc-ffd",
            "hsi-ctoc-ffd",
        ),
        (
            "Public Safety and Border Security Division",
            "hsi-ctoc-psbsd",
            "hsi-ctoc-psbsd",
        ),
        (
            "HSI Forensic Laboratory",
            "hsi-forensic-lab",
            "hsi-forensic-lab",
        ),
        ("Cyber and Operational Technology", "hsi-cot", "hsi-cot"),
        (
            "HSI Innovation Lab",
            "hsi-innovation-lab",
            "hsi-innovation-lab",
        ),
        ("Cyber Crimes Center", "hsi-c3", "hsi-c3"),
        ("Information eXchange Unit", "hsi-ixu", "hsi-ixu"),
        (
            "Law Enforcement Information Sharing Initiative",
            "hsi-leisi",
            "hsi-ixu",
        ),
        ("Domestic Operations", "hsi-domops", "hsi-domops"),
        ("Global Trade", "hsi-gtid", "hsi-gtid"),
        ("IPR Center", "hsi-iprc", "hsi-iprc"),
        (
            "Export Enforcement Coordination Center",
            "hsi-e2c2",
            "hsi-e2c2",
        ),
        (
            "Counterproliferation Investigations Program",
            "hsi-cpi",
            "hsi-cpi",
        ),
        ("International Operations", "hsi-io", "hsi-io"),
        ("Visa Security Program", "hsi-vsp", "hsi-vsp"),
        ("TCIU Program", "hsi-io-tciu", "hsi-io-tciu"),
        (
            "Biometric Identification Transnational Migration Alert Program",
            "hsi-io-bitmap",
            "hsi-io-bitmap",
        ),
        ("National Security", "hsi-ns", "hsi-ns"),
        ("National Security Program", "hsi-ns-nsp", "hsi-ns-nsp"),
        (
            "Student and Exchange Visitor Program",
            "hsi-sevp",
            "hsi-sevp",
        ),
        ("Office of Intelligence", "hsi-intel", "hsi-intel"),
        ("HSI Academy", "hsi-academy", "hsi-academy"),
    ],
);

#[test]
fn every_unit_the_seeds_name_is_found_and_placed_in_its_era() {
    let dataset = ice();
    let history = History::build(&dataset);
    let seeds = [SEED000, SEED001, SEED002, SEED003, SEED004];
    let mut checked = 0;
    for (era, named) in seeds {
        let present = ids_at(&dataset, era);
        for &(query, found_id, era_id) in named {
            let found = reorg::find::find(&history, query);
            let ids: Vec<&str> = found.iter().map(|f| f.unit.id.as_str()).collect();
            assert!(
                found
                    .iter()
                    .any(|f| f.unit.id == found_id && f.score >= 0.9),
                "find {query:?}: {ids:?}"
            );
            assert!(present.contains(era_id), "{era_id} ({query}) at {era}");
            checked += 1;
        }
    }
    assert!(checked > 80, "{checked} names checked");
}

/// The rows of the research events table in docs/dataset.md: (number,
/// the `events.ron` cell).
fn research_events() -> Vec<(usize, String)> {
    let doc =
        std::fs::read_to_string(format!("{}/docs/dataset.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let table = doc
        .split("### The research table's events")
        .nth(1)
        .expect("docs/dataset.md has the research events table");
    table
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(" | ").collect();
            let number = cells.first()?.trim_start_matches("| ").parse().ok()?;
            Some((number, cells.last()?.trim_end_matches(" |").to_string()))
        })
        .collect()
}

#[test]
fn thirty_of_the_33_research_events_are_curated_and_the_others_say_why() {
    let dataset = ice();
    let rows = research_events();
    assert_eq!(
        rows.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        (1..=33).collect::<Vec<_>>()
    );
    let mut curated = 0;
    for (n, cell) in &rows {
        if let Some(reason) = cell.strip_prefix("not modeled: ") {
            assert!(reason.len() > 20, "#{n} says why: {cell}");
            continue;
        }
        // `kind` DATE `id`
        let parts: Vec<&str> = cell.split(' ').map(|p| p.trim_matches('`')).collect();
        let [kind, date, id] = parts[..] else {
            panic!("#{n}: {cell}");
        };
        let event = dataset.events.iter().find(|e| {
            e.kind.name() == kind
                && e.date.as_str() == date
                && e.from.iter().chain(&e.to).any(|u| u == id)
        });
        let event = event.unwrap_or_else(|| panic!("#{n} in events.ron: {cell}"));
        assert!(!event.sources.is_empty(), "#{n} cites its sources");
        curated += 1;
    }
    assert!(curated >= 30, "{curated} of 33");
}

/// `reorg diff FROM TO --format json`.
fn diff(from: &str, to: &str) -> Value {
    serde_json::from_str(&stdout_of(&["diff", from, to, "--format", "json"])).unwrap()
}

/// The changes of a diff document.
fn changes(doc: &Value) -> &Vec<Value> {
    doc["changes"].as_array().unwrap()
}

fn side_ids(change: &Value, side: &str) -> Vec<String> {
    change[side]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect()
}

/// The change of KIND that ends or begins unit ID, if the diff has one.
fn change_of<'a>(doc: &'a Value, kind: &str, id: &str) -> Option<&'a Value> {
    changes(doc).iter().find(|c| {
        c["aspects"].as_array().unwrap().iter().any(|a| a == kind)
            && (side_ids(c, "from").iter().any(|u| u == id)
                || side_ids(c, "to").iter().any(|u| u == id))
    })
}

fn date_of(change: &Value) -> &str {
    change["date"].as_str().unwrap_or_default()
}

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

//! The embedded ICE/HSI history against its sources: every unit the seed
//! documents name is found and placed in its era, the research table's
//! events are in `events.ron`, and what the data infers says so.

use std::collections::BTreeSet;

use serde_json::Value;

use reorg::dataset::Dataset;
use reorg::date::Date;
use reorg::diff::history::History;

use crate::util::stdout_of;

pub(crate) fn ice() -> Dataset {
    reorg::load::load(None).expect("the embedded dataset loads")
}

/// The ids of the organization at the end of DATE.
pub(crate) fn ids_at(dataset: &Dataset, date: &str) -> BTreeSet<String> {
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
pub(crate) fn diff(from: &str, to: &str) -> Value {
    serde_json::from_str(&stdout_of(&["diff", from, to, "--format", "json"])).unwrap()
}

/// The changes of a diff document.
pub(crate) fn changes(doc: &Value) -> &Vec<Value> {
    doc["changes"].as_array().unwrap()
}

pub(crate) fn side_ids(change: &Value, side: &str) -> Vec<String> {
    change[side]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect()
}

/// The change of KIND that ends or begins unit ID, if the diff has one.
pub(crate) fn change_of<'a>(doc: &'a Value, kind: &str, id: &str) -> Option<&'a Value> {
    changes(doc).iter().find(|c| {
        c["aspects"].as_array().unwrap().iter().any(|a| a == kind)
            && (side_ids(c, "from").iter().any(|u| u == id)
                || side_ids(c, "to").iter().any(|u| u == id))
    })
}

pub(crate) fn date_of(change: &Value) -> &str {
    change["date"].as_str().unwrap_or_default()
}

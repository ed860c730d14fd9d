//! Facts of the embedded ICE/HSI history, pinned.

use serde_json::Value;

use crate::util::stdout_of;

/// The units of `show ARGS --format json`.
fn units(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["show"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let doc: Value = serde_json::from_str(&stdout_of(&all)).unwrap();
    doc["units"].as_array().unwrap().clone()
}

/// Names of the units whose parent is `parent`, optionally of one kind.
fn children(units: &[Value], parent: &str, kind: Option<&str>) -> Vec<String> {
    units
        .iter()
        .filter(|u| u["parent"] == parent)
        .filter(|u| kind.is_none_or(|k| u["kind"] == k))
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect()
}

fn ids(units: &[Value]) -> Vec<&str> {
    units.iter().map(|u| u["id"].as_str().unwrap()).collect()
}

#[test]
fn in_2008_ice_had_the_legacy_offices() {
    let units = units(&["--at", "2008-11-05"]);
    let under_ice = children(&units, "ice", None);
    for name in [
        "Office of Investigations",
        "Office of Detention and Removal Operations",
        "Federal Protective Service",
        "Office of Intelligence",
        "Office of International Affairs",
    ] {
        assert!(
            under_ice.iter().any(|n| n == name),
            "{name} under ICE: {under_ice:?}"
        );
    }
}

#[test]
fn fps_left_on_2009_10_28() {
    assert!(ids(&units(&["--at", "2009-10-27"])).contains(&"ice-fps"));
    assert!(!ids(&units(&["--at", "2009-10-28"])).contains(&"ice-fps"));
}

#[test]
fn the_2010_realignment_created_hsi_and_ero() {
    let units = units(&["--at", "2010-12-31"]);
    let ids = ids(&units);
    for id in ["hsi", "ero", "mna"] {
        assert!(ids.contains(&id), "{id} in 2010");
    }
    for id in ["ice-oi", "ice-dro", "ice-intel", "ice-oia"] {
        assert!(!ids.contains(&id), "{id} gone in 2010");
    }
}

#[test]
fn in_2013_hsi_had_six_divisions() {
    let units = units(&["--at", "2013"]);
    let mut divisions = children(&units, "hsi", Some("division"));
    divisions.sort();
    assert_eq!(divisions.len(), 6, "{divisions:?}");
    for word in [
        "Domestic Operations",
        "Intelligence",
        "International Affairs",
        "Mission Support",
        "Intellectual Property",
        "National Security Investigations",
    ] {
        assert!(
            divisions.iter().any(|d| d.contains(word)),
            "{word}: {divisions:?}"
        );
    }
}

#[test]
fn in_2013_niru_was_in_hsi_intel() {
    let units = units(&["--at", "2013"]);
    let niru = units
        .iter()
        .find(|u| u["acronym"] == "NIRU")
        .expect("NIRU in 2013");
    assert_eq!(niru["parent"], "hsi-intel");
}

#[test]
fn from_2021_hsi_intel_has_iiemo_with_jioc_emu_tlu() {
    let units = units(&["--at", "2021-01-01", "hsi-intel"]);
    let iiemo = units
        .iter()
        .find(|u| u["acronym"] == "IIEMO")
        .expect("IIEMO under HSI-Intel");
    let under = children(&units, iiemo["id"].as_str().unwrap(), None);
    for name in [
        "Joint Intelligence Operations Center",
        "Emergency Management Unit",
        "Tip Line Unit",
    ] {
        assert!(under.iter().any(|n| n.contains(name)), "{name}: {under:?}");
    }
}

#[test]
fn the_latest_hsi_has_nine_divisions() {
    let units = units(&[]);
    let divisions = children(&units, "hsi", Some("division"));
    assert_eq!(divisions.len(), 9, "{divisions:?}");
    for word in [
        "Administrative Operations",
        "Countering Human Trafficking",
        "Transnational Organized Crime",
        "Cyber and Operational Technology",
        "Domestic Operations",
        "Global Trade",
        "International Operations",
        "National Security",
        "Intelligence",
    ] {
        assert!(
            divisions.iter().any(|d| d.contains(word)),
            "{word}: {divisions:?}"
        );
    }
}

#[test]
fn a_state_names_its_snapshots_and_flags_uncertain_ones() {
    let out = stdout_of(&["show", "--at", "2024-07-31", "hsi"]);
    assert!(out.contains("assembled from:"), "{out}");
    assert!(
        out.contains("possibly"),
        "the nine-division snapshot is ranged: {out}"
    );
    let out = stdout_of(&["show", "--at", "2008-11-05"]);
    assert!(out.contains("2008-11-05"), "{out}");
    assert!(!out.contains("possibly"), "{out}");
}

#[test]
fn the_tree_shows_acronyms() {
    let out = stdout_of(&["show", "--at", "2008-11-05"]);
    assert!(
        out.contains("U.S. Immigration and Customs Enforcement (ICE)"),
        "{out}"
    );
    assert!(out.contains("├── "), "{out}");
}

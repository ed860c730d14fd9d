//! Synthetic organizations and histories, for benchmarks and for measuring
//! the diff against a known truth. Deterministic: the same seed gives the
//! same history.
//!
//! - [`organization`] and [`write_history`]: plain trees and many-snapshot
//!   datasets, for load benchmarks.
//! - [`history`]: two versions of a realistic agency (many shared names,
//!   descriptions, acronyms) with every kind of change planted and recorded
//!   as [`TrueChange`]s; [`TwoVersions::rekey`] gives the later version fresh
//!   ids so that nothing can be matched by id.

mod agency;

pub use agency::{history, truth_keys, Churn, Tally, TrueChange, TwoVersions};

use crate::date::Date;

use crate::model::{Confidence, Snapshot, Unit};

/// A small, fast, seedable random number generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        unit < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SUBJECTS: &[&str] = &[
    "Finance",
    "Budget",
    "Acquisition",
    "Training",
    "Intelligence",
    "Cyber",
    "Trade",
    "Customs",
    "Visa",
    "Fraud",
    "Gangs",
    "Narcotics",
    "Smuggling",
    "Forensics",
    "Analysis",
    "Collections",
    "Liaison",
    "Policy",
    "Planning",
    "Records",
    "Privacy",
    "Audit",
    "Oversight",
    "Logistics",
    "Facilities",
    "Fleet",
    "Security",
    "Outreach",
    "Victims",
    "Threats",
    "Border",
    "Maritime",
    "Aviation",
    "Firearms",
    "Export",
    "Sanctions",
    "Identity",
    "Benefits",
    "Students",
    "Labor",
    "Property",
    "Antiquities",
    "Currency",
    "Banking",
    "Casinos",
    "Crypto",
    "Telecom",
    "Data",
    "Systems",
    "Networks",
    "Software",
    "Hardware",
    "Research",
    "Standards",
    "Compliance",
    "Legal",
    "Claims",
    "Contracts",
    "Grants",
    "Health",
    "Safety",
    "Emergency",
    "Continuity",
    "Response",
    "Operations",
    "Support",
    "Services",
    "Programs",
    "Projects",
    "Integration",
];
const QUALIFIERS: &[&str] = &[
    "National",
    "International",
    "Domestic",
    "Regional",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "Strategic",
    "Tactical",
    "Joint",
    "Special",
    "Technical",
    "Financial",
    "Criminal",
    "Civil",
    "Field",
    "Headquarters",
    "Mobile",
];
const KINDS: &[&str] = &[
    "Directorate",
    "Office",
    "Division",
    "Branch",
    "Unit",
    "Section",
    "Team",
];

/// A plausible unit name for a level of the tree: "Northern Fraud Section".
pub fn unit_name(rng: &mut Rng, depth: usize) -> (String, String) {
    let kind = KINDS[depth.min(KINDS.len() - 1)];
    let subject = rng.pick(SUBJECTS);
    let name = if rng.chance(0.6) {
        format!("{} {subject} {kind}", rng.pick(QUALIFIERS))
    } else if rng.chance(0.5) {
        format!("{subject} and {} {kind}", rng.pick(SUBJECTS))
    } else {
        format!("{subject} {kind}")
    };
    (name, kind.to_lowercase())
}

/// The initials of a name's capitalized words: "Northern Fraud Section" → "NFS".
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// A tree of `size` units, each level about `fanout` times wider than the
/// one above; ids are `{prefix}{n}`.
pub fn organization(rng: &mut Rng, size: usize, fanout: usize, prefix: &str) -> Unit {
    // Breadth first: parents are filled level by level.
    let mut flat: Vec<(Unit, Option<usize>, usize)> = Vec::with_capacity(size);
    let root = leaf(
        format!("{prefix}0"),
        "Synthetic Organization".into(),
        "organization".into(),
    );
    flat.push((root, None, 0));
    let mut next_parent = 0;
    let mut children_of_parent = 0;
    while flat.len() < size {
        let depth = flat[next_parent].2 + 1;
        let (name, kind) = unit_name(rng, depth - 1);
        let id = format!("{prefix}{}", flat.len());
        let mut u = leaf(id, name, kind);
        if rng.chance(0.3) {
            u.acronym = Some(initials(&u.name));
        }
        flat.push((u, Some(next_parent), depth));
        children_of_parent += 1;
        if children_of_parent >= fanout {
            next_parent += 1;
            children_of_parent = 0;
        }
    }
    assemble(flat.into_iter().map(|(u, p, _)| (u, p)).collect())
}

fn leaf(id: String, name: String, kind: String) -> Unit {
    Unit {
        id,
        name,
        acronym: None,
        aliases: Vec::new(),
        kind: Some(kind),
        description: None,
        note: None,
        sources: Vec::new(),
        confidence: Confidence::High,
        partial: false,
        units: Some(Vec::new()),
    }
}

/// Builds a tree from units listed with their parent's position (parents
/// first; the first unit is the root).
pub fn assemble(mut flat: Vec<(Unit, Option<usize>)>) -> Unit {
    // Children are attached from the last unit back, so each unit is
    // complete before it is moved into its parent.
    for i in (1..flat.len()).rev() {
        let parent = flat[i].1.expect("only the root has no parent");
        let child = std::mem::replace(
            &mut flat[i].0,
            leaf(String::new(), String::new(), String::new()),
        );
        flat[parent]
            .0
            .units
            .get_or_insert_with(Vec::new)
            .push(child);
    }
    let mut root = flat.swap_remove(0).0;
    reverse_children(&mut root);
    root
}

fn reverse_children(unit: &mut Unit) {
    if let Some(children) = &mut unit.units {
        children.reverse();
        children.iter_mut().for_each(reverse_children);
    }
}

/// A whole snapshot of a tree at a year.
pub fn snapshot(id: &str, year: i32, root: Unit) -> Snapshot {
    Snapshot {
        id: id.to_string(),
        date: Date::parse(&format!("{year:04}")).expect("a year is a date"),
        title: format!("Synthetic snapshot {id}"),
        scope: None,
        sources: Vec::new(),
        note: None,
        units: vec![root],
        file: format!("{id}.ron"),
    }
}

/// A unit with an id, a name and these sub-units, and nothing else.
pub fn unit(id: &str, name: &str, units: Vec<Unit>) -> Unit {
    Unit {
        id: id.to_string(),
        name: name.to_string(),
        acronym: None,
        aliases: Vec::new(),
        kind: None,
        description: None,
        note: None,
        sources: Vec::new(),
        confidence: Confidence::High,
        partial: false,
        units: Some(units),
    }
}

/// Three yearly snapshots (2000–2002) of a generated 300-unit history
/// with 5% churn: before, after, and after again with every id changed.
pub fn rekeyed_years() -> Vec<Snapshot> {
    let history = self::history(7, 300, &Churn::percent(5.0));
    let mut rekeyed = history.clone();
    rekeyed.rekey(3);
    vec![
        snapshot("a", 2000, history.before),
        snapshot("b", 2001, history.after),
        snapshot("c", 2002, rekeyed.after),
    ]
}

/// Writes `count` whole snapshots of a `size`-unit organization, one a
/// year from 1900, each with a few renames, as a dataset directory.
pub fn write_history(
    dir: &std::path::Path,
    count: usize,
    size: usize,
    seed: u64,
) -> std::io::Result<()> {
    let mut rng = Rng::new(seed);
    let mut root = organization(&mut rng, size, 8, "u");
    std::fs::write(dir.join(crate::load::EVENTS_FILE), "[]\n")?;
    std::fs::write(dir.join(crate::load::SOURCES_FILE), "[]\n")?;
    for i in 0..count {
        rename_some(&mut rng, &mut root, 0.01);
        let id = format!("s{i:03}");
        let text = crate::write::snapshot_to_ron(&snapshot(&id, 1900 + i as i32, root.clone()));
        std::fs::write(dir.join(format!("{id}.ron")), text)?;
    }
    Ok(())
}

fn rename_some(rng: &mut Rng, unit: &mut Unit, rate: f64) {
    if rng.chance(rate) {
        unit.name = format!("{} {}", rng.pick(QUALIFIERS), unit.name);
    }
    for child in unit.units.iter_mut().flatten() {
        rename_some(rng, child, rate);
    }
}

#[cfg(test)]
mod tests;

//! Synthetic organizations and histories, for benchmarks and for measuring
//! the diff against a known truth. Deterministic: the same seed gives the
//! same history.
//!
//! - [`organization`] and [`write_history`]: plain trees and many-snapshot
//!   datasets, for load benchmarks.
//! - [`history`]: two versions of a realistic agency (many shared names,
//!   descriptions, acronyms) with every kind of change planted and recorded
//!   as [`TrueChange`]s; [`History::rekey`] gives the later version fresh
//!   ids so that nothing can be matched by id.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::date::Date;
use crate::diff::{Change, UnitSide};
use crate::model::{ChangeKind, Confidence, Snapshot, Unit};

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

// ---------------------------------------------------------------------------
// Histories with a known truth

/// What units do: the heart of a distinctive name ("Northern Fraud Section").
const TOPICS: &[&str] = &[
    "Fraud",
    "Visa Security",
    "Human Smuggling",
    "Human Trafficking",
    "Cyber Crimes",
    "Child Exploitation",
    "Intellectual Property",
    "Trade Enforcement",
    "Bulk Cash",
    "Money Laundering",
    "Document Fraud",
    "Benefit Fraud",
    "Gang Enforcement",
    "Narcotics",
    "Counter Proliferation",
    "Export Enforcement",
    "Arms Trafficking",
    "Financial Crimes",
    "Identity Fraud",
    "Worksite Enforcement",
    "Labor Exploitation",
    "Cultural Property",
    "Antiquities",
    "Wildlife Trafficking",
    "Commercial Fraud",
    "Textile Enforcement",
    "Border Security",
    "Maritime Operations",
    "Aviation Security",
    "Firearms",
    "Sanctions",
    "Student Visitors",
    "Exchange Programs",
    "Overstay Analysis",
    "Biometrics",
    "Targeting",
    "Threat Analysis",
    "Intelligence",
    "Collections",
    "Liaison",
    "Foreign Partnerships",
    "Attache Operations",
    "Training",
    "Leadership Development",
    "Recruitment",
    "Personnel Security",
    "Records Management",
    "Information Sharing",
    "Data Analytics",
    "Systems Engineering",
    "Network Operations",
    "Software Development",
    "Digital Forensics",
    "Evidence Management",
    "Forensic Laboratories",
    "Undercover Operations",
    "Technical Operations",
    "Surveillance",
    "Tactical Communications",
    "Special Response",
    "Emergency Management",
    "Continuity Planning",
    "Asset Forfeiture",
    "Seized Property",
    "Victim Assistance",
    "Witness Protection",
    "Public Affairs",
    "Congressional Relations",
    "Legal Affairs",
    "Privacy",
    "Civil Rights",
    "Audit",
    "Inspections",
    "Internal Affairs",
    "Professional Responsibility",
    "Budget Formulation",
    "Budget Execution",
    "Procurement",
    "Contracting",
    "Grants",
    "Facilities",
    "Fleet Management",
    "Health Services",
    "Occupational Safety",
    "Performance Management",
    "Strategic Planning",
    "Policy Development",
    "Program Evaluation",
    "Risk Management",
    "Compliance",
    "Standards",
    "Research",
    "Innovation",
    "Telecommunications",
    "Virtual Currency",
    "Bank Secrecy",
    "Casino Fraud",
    "Tobacco Smuggling",
    "Currency Smuggling",
    "Counterfeit Goods",
    "Pharmaceutical Fraud",
    "Health Care Fraud",
    "Customs Fraud",
    "Import Safety",
    "Port Security",
    "Rail Security",
    "Critical Infrastructure",
    "Counterterrorism",
    "Transnational Gangs",
    "Organized Crime",
    "Extraditions",
    "Fugitive Operations",
    "Removal Operations",
    "Detention Standards",
    "Case Management",
    "Language Services",
    "Use of Force",
    "Mobile Surveillance",
    "Law Enforcement Information Sharing",
];

/// Names that many units share, one per level: every division has a
/// "Mission Support Division" somewhere, every branch a "Mission Support
/// Section" under it.
const GENERIC_TOPICS: &[&str] = &[
    "Mission Support",
    "Operations",
    "Administration",
    "Policy and Planning",
    "Budget and Finance",
    "Program Management",
    "Training and Development",
    "Records and Reporting",
    "Field Operations",
    "Resource Management",
    "Special Projects",
    "Intake and Triage",
];

/// The words a name can end with at each depth; the first is the unit's
/// `kind`. Deeper units use the last level.
const LEVELS: &[&[&str]] = &[
    &["Agency"],
    &["Directorate", "Office"],
    &["Division", "Office"],
    &["Branch", "Group"],
    &["Section", "Unit"],
    &["Unit", "Team"],
    &["Team", "Cell"],
    &["Cell", "Desk"],
];

/// What a split or spin-off adds to the name it derives from.
const SUFFIXES: &[&str] = &[
    "Operations",
    "Analysis",
    "Investigations",
    "Programs",
    "Intake",
    "Enforcement",
    "Review",
    "Outreach",
    "Coordination",
    "Support",
];

const DUTIES: &[&str] = &[
    "Investigates",
    "Coordinates",
    "Analyzes",
    "Oversees",
    "Manages",
    "Supports",
    "Develops",
    "Conducts",
    "Reviews",
    "Directs",
    "Plans",
    "Administers",
];

const OBJECTS: &[&str] = &[
    "cases",
    "referrals",
    "seizures",
    "audits",
    "inspections",
    "field offices",
    "task forces",
    "partner agencies",
    "foreign counterparts",
    "informants",
    "prosecutions",
    "warrants",
    "subpoenas",
    "intelligence products",
    "threat assessments",
    "case files",
    "databases",
    "watch lists",
    "training courses",
    "certifications",
    "contracts",
    "budgets",
    "grants",
    "facilities",
    "vehicles",
    "equipment",
    "evidence",
    "laboratories",
    "records",
    "reports",
    "briefings",
    "policies",
    "procedures",
    "performance measures",
    "risk assessments",
    "outreach events",
    "hotline tips",
    "lead packages",
    "interagency agreements",
    "undercover operations",
];

/// A change planted by [`history`], in terms of ids: `from` in
/// [`History::before`], `to` in [`History::after`]. A unit renamed and
/// moved at once has one change of each kind; a merge, absorption, split or
/// spin-off also records each sub-unit it carried to a new parent as
/// `moved` (with `carried` set), since its parent is no longer the same
/// unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrueChange {
    pub kind: ChangeKind,
    pub from: Vec<String>,
    pub to: Vec<String>,
    /// A sub-unit that changed parent only because its parent was merged,
    /// absorbed, split or spun off.
    pub carried: bool,
}

/// Two versions of an organization and what changed between them.
#[derive(Debug, Clone)]
pub struct History {
    pub before: Unit,
    pub after: Unit,
    pub truth: Vec<TrueChange>,
}

/// How many changes of each kind [`history`] plants, as a fraction of the
/// organization's size (0.01 on 10,000 units: 100 changes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Churn {
    pub renamed: f64,
    pub moved: f64,
    /// Renamed and moved at once.
    pub renamed_and_moved: f64,
    pub merged: f64,
    pub absorbed: f64,
    pub split: f64,
    pub spun_off: f64,
    pub established: f64,
    pub abolished: f64,
}

impl Churn {
    /// About `percent` changes per 100 units: a quarter renames, a fifth
    /// moves or renames-and-moves, a fifth merges, absorptions, splits and
    /// spin-offs, a third units established or abolished.
    pub fn percent(percent: f64) -> Churn {
        let f = percent / 100.0;
        Churn {
            renamed: 0.24 * f,
            moved: 0.16 * f,
            renamed_and_moved: 0.06 * f,
            merged: 0.05 * f,
            absorbed: 0.05 * f,
            split: 0.05 * f,
            spun_off: 0.05 * f,
            established: 0.17 * f,
            abolished: 0.17 * f,
        }
    }
}

/// Plants one change in a draft; false when the unit drawn does not fit.
type Planter = fn(&mut Draft) -> bool;

/// The keys of a reported change as the truth has them: one for each way
/// a unit that continues changed (its aspects); a unit first or last seen
/// counts as established or abolished (the generator plants no sources to
/// tell them apart).
pub fn truth_keys(c: &Change) -> Vec<(ChangeKind, Vec<String>, Vec<String>)> {
    let ids = |units: &[UnitSide]| units.iter().map(|u| u.id.clone()).collect::<Vec<_>>();
    c.aspects
        .iter()
        .map(|&aspect| match aspect {
            ChangeKind::Appeared => ChangeKind::Established,
            ChangeKind::Disappeared => ChangeKind::Abolished,
            kind => kind,
        })
        .map(|kind| (kind, ids(&c.from), ids(&c.to)))
        .collect()
}

/// An agency of `size` units and a later version of it with the changes of
/// `churn` planted, ids kept where units continue (new units get `n…`
/// ids). Deterministic for a seed.
///
/// The agency is five to eight levels deep with 2 to 9 sub-units a unit;
/// a quarter of the units below the directorates have shared names
/// ("Operations Section"), the others a topic and often a qualifier
/// ("Northern Fraud Section"). Most units have a description, some an
/// acronym.
///
/// Changes touch disjoint units (a unit, its parent and the sub-units a
/// change moves take part in one change only), and only changes that leave
/// evidence are planted: renamed and moved units have a description or
/// sub-units; moved units have distinctive names; absorbed
/// units and the sources of spin-offs have sub-units. Renames reword a
/// name (a qualifier replaced, added or dropped, a topic added, the kind
/// word changed) and update its acronym, but keep the unit's `kind`.
pub fn history(seed: u64, size: usize, churn: &Churn) -> History {
    let mut draft = Draft::agency(seed, size);
    let before = draft.tree();
    let count = |rate: f64| (rate * size as f64).round() as usize;
    let plan: [(usize, Planter); 9] = [
        (count(churn.merged), Draft::plant_merged),
        (count(churn.absorbed), Draft::plant_absorbed),
        (count(churn.split), Draft::plant_split),
        (count(churn.spun_off), Draft::plant_spun_off),
        (count(churn.moved), |d| d.plant_moved(false)),
        (count(churn.renamed_and_moved), |d| d.plant_moved(true)),
        (count(churn.renamed), Draft::plant_renamed),
        (count(churn.established), Draft::plant_established),
        (count(churn.abolished), Draft::plant_abolished),
    ];
    for (n, plant) in plan {
        for _ in 0..n {
            (0..20).any(|_| plant(&mut draft));
        }
    }
    History {
        before,
        after: draft.tree(),
        truth: draft.truth,
    }
}

impl History {
    /// Gives every unit of `after` a fresh id (`k` and a shuffled number)
    /// and rewrites the truth to match.
    pub fn rekey(&mut self, seed: u64) {
        let mut rng = Rng::new(seed);
        let mut ids: Vec<String> = self.after.walk().iter().map(|u| u.id.clone()).collect();
        let mut numbers: Vec<usize> = (0..ids.len()).collect();
        for i in (1..numbers.len()).rev() {
            numbers.swap(i, rng.below(i + 1));
        }
        let fresh: HashMap<String, String> = ids
            .drain(..)
            .zip(numbers)
            .map(|(id, n)| (id, format!("k{n}")))
            .collect();
        rekey_tree(&mut self.after, &fresh);
        for change in &mut self.truth {
            for id in &mut change.to {
                *id = fresh[id.as_str()].clone();
            }
        }
    }
}

/// How many changes of a kind a [`History`] planted, how many a diff
/// reported, and how many of those it got right.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub expected: usize,
    pub reported: usize,
    pub correct: usize,
}

impl Tally {
    /// Correct among reported; 1 when none were reported.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.reported)
    }

    /// Correct among expected; 1 when none were expected.
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.expected)
    }

    /// Sums two tallies (of two histories, say).
    pub fn add(&mut self, other: Tally) {
        self.expected += other.expected;
        self.reported += other.reported;
        self.correct += other.correct;
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        1.0
    } else {
        n as f64 / d as f64
    }
}

impl History {
    /// Compares reported changes, each as (kind, ids before, ids after),
    /// with the truth, per kind: a change is correct when the truth has
    /// one of the same kind with the same ids on each side, in any order.
    pub fn score(
        &self,
        reported: impl IntoIterator<Item = (ChangeKind, Vec<String>, Vec<String>)>,
    ) -> BTreeMap<ChangeKind, Tally> {
        let key = |kind: ChangeKind, mut from: Vec<String>, mut to: Vec<String>| {
            from.sort();
            to.sort();
            (kind, from, to)
        };
        let expected: BTreeSet<_> = self
            .truth
            .iter()
            .map(|t| key(t.kind, t.from.clone(), t.to.clone()))
            .collect();
        let reported: BTreeSet<_> = reported
            .into_iter()
            .map(|(kind, from, to)| key(kind, from, to))
            .collect();
        let mut tallies: BTreeMap<ChangeKind, Tally> = Default::default();
        for k in &expected {
            tallies.entry(k.0).or_default().expected += 1;
        }
        for k in &reported {
            let tally = tallies.entry(k.0).or_default();
            tally.reported += 1;
            tally.correct += usize::from(expected.contains(k));
        }
        tallies
    }
}

fn rekey_tree(unit: &mut Unit, fresh: &HashMap<String, String>) {
    unit.id = fresh[unit.id.as_str()].clone();
    for child in unit.units.iter_mut().flatten() {
        rekey_tree(child, fresh);
    }
}

/// A unit's name in parts, so that a change can reword it.
#[derive(Debug, Clone)]
struct Name {
    qualifier: Option<&'static str>,
    /// What the unit does: "Fraud", "Fraud and Visa Security".
    topic: String,
    /// "Section", "Branch"...
    kind_word: &'static str,
    /// "Office of Fraud" rather than "Fraud Office".
    of_form: bool,
    /// One of the names many units share.
    generic: bool,
}

impl Name {
    fn render(&self) -> String {
        let stem = self.stem();
        if self.of_form {
            format!("{} of {stem}", self.kind_word)
        } else {
            format!("{stem} {}", self.kind_word)
        }
    }

    /// The name without its kind word: "Northern Fraud".
    fn stem(&self) -> String {
        match self.qualifier {
            Some(q) => format!("{q} {}", self.topic),
            None => self.topic.clone(),
        }
    }

    /// A name derived from this one for a unit split or spun off from it:
    /// "Northern Fraud Analysis Section".
    fn with_suffix(&self, suffix: &str) -> Name {
        Name {
            topic: format!("{} {suffix}", self.topic),
            generic: false,
            ..self.clone()
        }
    }
}

/// A unit of an organization being built and changed.
#[derive(Debug, Clone)]
struct Node {
    id: String,
    name: Name,
    kind: String,
    acronym: Option<String>,
    description: Option<String>,
    parent: Option<usize>,
    children: Vec<usize>,
    alive: bool,
    /// Already part of a planted change (or next to one).
    busy: bool,
}

/// An organization as a flat list of nodes (the root first), changed in
/// place while the truth is recorded.
struct Draft {
    rng: Rng,
    nodes: Vec<Node>,
    truth: Vec<TrueChange>,
    /// The number of units created after the first version.
    created: usize,
    /// How many living units bear each name.
    names: HashMap<String, usize>,
}

impl Draft {
    /// A realistic agency of `size` units, built level by level.
    fn agency(seed: u64, size: usize) -> Draft {
        let root = Node {
            id: "u0".into(),
            name: Name {
                qualifier: None,
                topic: "Synthetic".into(),
                kind_word: LEVELS[0][0],
                of_form: false,
                generic: false,
            },
            kind: LEVELS[0][0].to_lowercase(),
            acronym: Some("SA".into()),
            description: Some("The whole organization.".into()),
            parent: None,
            children: Vec::new(),
            alive: true,
            busy: false,
        };
        let mut draft = Draft {
            rng: Rng::new(seed),
            nodes: vec![root],
            truth: Vec::new(),
            created: 0,
            names: HashMap::new(),
        };
        let mut parent = 0;
        while draft.nodes.len() < size {
            let fanout = if parent == 0 {
                10
            } else {
                2 + draft.rng.below(8)
            };
            for _ in 0..fanout.min(size - draft.nodes.len()) {
                let id = format!("u{}", draft.nodes.len());
                let name = draft.fresh_name(parent);
                draft.add(parent, id, name);
            }
            parent += 1;
        }
        draft
    }

    /// The organization as it stands, as a tree of units.
    fn tree(&self) -> Unit {
        self.unit(0)
    }

    fn unit(&self, i: usize) -> Unit {
        let n = &self.nodes[i];
        Unit {
            acronym: n.acronym.clone(),
            description: n.description.clone(),
            units: Some(n.children.iter().map(|&c| self.unit(c)).collect()),
            ..leaf(n.id.clone(), n.name.render(), n.kind.clone())
        }
    }

    fn depth(&self, mut i: usize) -> usize {
        let mut depth = 0;
        while let Some(p) = self.nodes[i].parent {
            depth += 1;
            i = p;
        }
        depth
    }

    /// Whether `i` is `ancestor` or under it.
    fn is_within(&self, mut i: usize, ancestor: usize) -> bool {
        loop {
            if i == ancestor {
                return true;
            }
            match self.nodes[i].parent {
                Some(p) => i = p,
                None => return false,
            }
        }
    }

    /// Whether a distinctive name is borne by a living unit: a unit is
    /// not given another's name (names many units share excepted).
    fn taken(&self, name: &Name) -> bool {
        !name.generic && self.names.get(&name.render()).is_some_and(|&n| n > 0)
    }

    fn count_name(&mut self, i: usize, delta: isize) {
        let count = self.names.entry(self.nodes[i].name.render()).or_default();
        *count = count.saturating_add_signed(delta);
    }

    fn has_child_named(&self, parent: usize, name: &str) -> bool {
        self.nodes[parent]
            .children
            .iter()
            .any(|&c| self.nodes[c].name.render() == name)
    }

    /// A name for a new sub-unit of `parent` that none of its sub-units has.
    fn fresh_name(&mut self, parent: usize) -> Name {
        let depth = self.depth(parent) + 1;
        let level = LEVELS[depth.min(LEVELS.len() - 1)];
        loop {
            let name = if depth >= 2 && self.rng.chance(0.25) {
                Name {
                    qualifier: None,
                    topic: self.rng.pick(GENERIC_TOPICS).to_string(),
                    kind_word: level[0],
                    of_form: false,
                    generic: true,
                }
            } else {
                let kind_word = *self.rng.pick(level);
                let topic = self.rng.pick(TOPICS).to_string();
                let qualifier = Some(*self.rng.pick(QUALIFIERS))
                    .filter(|q| !topic.contains(q) && self.rng.chance(0.5));
                Name {
                    qualifier,
                    topic,
                    kind_word,
                    of_form: kind_word == "Office" && self.rng.chance(0.5),
                    generic: false,
                }
            };
            if !self.has_child_named(parent, &name.render()) {
                return name;
            }
        }
    }

    /// "Investigates fraud cases, warrants and evidence."
    fn fresh_description(&mut self, name: &Name) -> String {
        let duty = self.rng.pick(DUTIES);
        let objects: Vec<&str> = (0..3).map(|_| *self.rng.pick(OBJECTS)).collect();
        format!(
            "{duty} {} {}, {} and {}.",
            name.topic.to_lowercase(),
            objects[0],
            objects[1],
            objects[2]
        )
    }

    /// Adds a sub-unit to `parent`: shared names get a description naming
    /// the parent, distinctive ones usually a description of their own and
    /// sometimes an acronym.
    fn add(&mut self, parent: usize, id: String, name: Name) -> usize {
        let (description, acronym) = if name.generic {
            let parent_name = self.nodes[parent].name.render();
            (
                Some(format!("{} services for the {parent_name}.", name.topic)),
                None,
            )
        } else {
            let description = self.rng.chance(0.85).then(|| self.fresh_description(&name));
            let acronym =
                Some(initials(&name.render())).filter(|a| a.len() >= 2 && self.rng.chance(0.3));
            (description, acronym)
        };
        let depth = self.depth(parent) + 1;
        let i = self.nodes.len();
        self.nodes.push(Node {
            id,
            kind: LEVELS[depth.min(LEVELS.len() - 1)][0].to_lowercase(),
            name,
            acronym,
            description,
            parent: Some(parent),
            children: Vec::new(),
            alive: true,
            busy: false,
        });
        self.nodes[parent].children.push(i);
        self.count_name(i, 1);
        i
    }

    /// A unit created by a change, with a fresh `n…` id.
    fn create(&mut self, parent: usize, name: Name) -> usize {
        self.created += 1;
        let id = format!("n{}", self.created);
        self.add(parent, id, name)
    }

    fn reparent(&mut self, child: usize, parent: usize) {
        if let Some(old) = self.nodes[child].parent {
            self.nodes[old].children.retain(|&c| c != child);
        }
        self.nodes[parent].children.push(child);
        self.nodes[child].parent = Some(parent);
    }

    fn remove(&mut self, i: usize) {
        self.count_name(i, -1);
        let parent = self.nodes[i].parent.expect("the root stays");
        self.nodes[parent].children.retain(|&c| c != i);
        self.nodes[i].alive = false;
    }

    fn free(&self, i: usize) -> bool {
        self.nodes[i].alive && !self.nodes[i].busy
    }

    /// Free, not the root, with a free parent.
    fn free_with_parent(&self, i: usize) -> bool {
        self.free(i) && self.nodes[i].parent.is_some_and(|p| self.free(p))
    }

    /// Free with a distinctive name and free sub-units: a unit a merge,
    /// split or absorption may take.
    fn reorganizable(&self, i: usize) -> bool {
        self.free_with_parent(i)
            && !self.nodes[i].name.generic
            && self.nodes[i].children.iter().all(|&c| self.free(c))
    }

    /// Something besides the name to recognize the unit by when its name
    /// or place changes (an acronym is not: a rename rewrites it).
    fn has_evidence(&self, i: usize) -> bool {
        let n = &self.nodes[i];
        n.description.is_some() || !n.children.is_empty()
    }

    fn lock(&mut self, units: &[usize]) {
        for &i in units {
            self.nodes[i].busy = true;
        }
    }

    /// A random unit that satisfies `ok`, if one turns up soon.
    fn pick_unit(&mut self, ok: impl Fn(&Draft, usize) -> bool) -> Option<usize> {
        for _ in 0..2000 {
            let i = self.rng.below(self.nodes.len());
            if ok(self, i) {
                return Some(i);
            }
        }
        None
    }

    fn shuffle(&mut self, items: &mut [usize]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.rng.below(i + 1));
        }
    }

    fn record(&mut self, kind: ChangeKind, from: &[usize], to: &[usize], carried: bool) {
        let ids = |d: &Draft, units: &[usize]| -> Vec<String> {
            units.iter().map(|&i| d.nodes[i].id.clone()).collect()
        };
        let change = TrueChange {
            kind,
            from: ids(self, from),
            to: ids(self, to),
            carried,
        };
        self.truth.push(change);
    }

    /// Moves the sub-units to `parent`, recording each as carried; some of
    /// them (with a description or sub-units to be recognized by) are
    /// renamed on the way: changes overlap.
    fn carry(&mut self, children: &[usize], parent: usize) {
        for &c in children {
            self.reparent(c, parent);
            self.record(ChangeKind::Moved, &[c], &[c], true);
            if self.has_evidence(c) && self.rng.chance(0.15) {
                let unrelated_ok = !self.nodes[c].children.is_empty();
                let name = self.reworded(&self.nodes[c].name.clone(), self.depth(c), unrelated_ok);
                if name.render() != self.nodes[c].name.render()
                    && !self.taken(&name)
                    && !self.has_child_named(parent, &name.render())
                {
                    self.rename(c, name, true);
                    self.record(ChangeKind::Renamed, &[c], &[c], false);
                }
            }
        }
        self.lock(children);
    }

    /// The name reworded, in one of the ways names change: a qualifier
    /// replaced, added or dropped, a topic added, the kind word changed,
    /// "Office of X" turned "X Office" (or back), a word respelled, or
    /// (when `unrelated_ok`: for units with sub-units, which say what
    /// became of them) a new name unrelated to the old one.
    fn reworded(&mut self, name: &Name, depth: usize, unrelated_ok: bool) -> Name {
        let mut new = name.clone();
        let level = LEVELS[depth.min(LEVELS.len() - 1)];
        let styles = if unrelated_ok { 7 } else { 6 };
        match self.rng.below(styles) {
            0 => {
                let q = *self.rng.pick(QUALIFIERS);
                new.qualifier =
                    Some(q).filter(|&q| Some(q) != name.qualifier && !name.topic.contains(q));
            }
            1 if name.qualifier.is_some() => {
                new.topic = format!("{} and {}", name.topic, self.rng.pick(TOPICS));
            }
            1 | 2 => {
                new.qualifier = match name.qualifier {
                    Some(_) => None,
                    None => Some(*self.rng.pick(QUALIFIERS)).filter(|q| !name.topic.contains(q)),
                }
            }
            3 => {
                new.kind_word = *level
                    .iter()
                    .find(|&&w| w != name.kind_word)
                    .unwrap_or(&level[0]);
                new.of_form = false;
            }
            4 if depth <= 2 => new.of_form = !name.of_form,
            4 | 5 => new.topic = respelled(&name.topic, &mut self.rng),
            _ => {
                new.topic = self.rng.pick(TOPICS).to_string();
                new.qualifier = Some(*self.rng.pick(QUALIFIERS))
                    .filter(|q| !new.topic.contains(q) && self.rng.chance(0.5));
                new.generic = false;
            }
        }
        new
    }

    /// Renames a unit: new name, acronym updated, the description
    /// sometimes lightly edited and sometimes rewritten, unless that would
    /// leave nothing but a changed name to recognize the unit by: a unit
    /// without sub-units keeps its description when it also `moves` or
    /// takes a name unrelated to its old one.
    fn rename(&mut self, i: usize, name: Name, moves: bool) {
        if let Some(acronym) = &mut self.nodes[i].acronym {
            *acronym = initials(&name.render());
        }
        let unrelated = !shares_a_word(&name.topic, &self.nodes[i].name.topic);
        let kept = (unrelated || moves) && self.nodes[i].children.is_empty();
        if self.rng.chance(0.25) && !kept && self.nodes[i].description.is_some() {
            self.nodes[i].description = Some(self.fresh_description(&name));
        } else if self.rng.chance(0.2) {
            let object = self.rng.pick(OBJECTS);
            if let Some(d) = &mut self.nodes[i].description {
                *d = format!("{} and {object}.", d.trim_end_matches('.'));
            }
        }
        self.count_name(i, -1);
        self.nodes[i].name = name;
        self.count_name(i, 1);
    }

    /// Renames a unit; its parent may take part in another change.
    fn plant_renamed(&mut self) -> bool {
        let Some(u) =
            self.pick_unit(|d, i| d.free(i) && d.nodes[i].parent.is_some() && d.has_evidence(i))
        else {
            return false;
        };
        let parent = self.nodes[u].parent.expect("not the root");
        let unrelated_ok = !self.nodes[u].children.is_empty();
        let name = self.reworded(&self.nodes[u].name.clone(), self.depth(u), unrelated_ok);
        if self.taken(&name) || self.has_child_named(parent, &name.render()) {
            // Taken by another unit or a sibling, or unchanged.
            return false;
        }
        self.rename(u, name, false);
        self.lock(&[u]);
        self.record(ChangeKind::Renamed, &[u], &[u], false);
        true
    }

    /// Moves a unit under another unit at its parent's depth, renaming it
    /// too if asked.
    fn plant_moved(&mut self, renamed: bool) -> bool {
        let Some(u) = self.pick_unit(|d, i| {
            d.free_with_parent(i) && !d.nodes[i].name.generic && d.has_evidence(i)
        }) else {
            return false;
        };
        let parent = self.nodes[u].parent.expect("not the root");
        let depth = self.depth(parent);
        let name = if renamed {
            let unrelated_ok = !self.nodes[u].children.is_empty();
            self.reworded(&self.nodes[u].name.clone(), depth + 1, unrelated_ok)
        } else {
            self.nodes[u].name.clone()
        };
        let rendered = name.render();
        if renamed && (rendered == self.nodes[u].name.render() || self.taken(&name)) {
            return false;
        }
        let Some(target) = self.pick_unit(|d, i| {
            d.free(i)
                && i != parent
                && d.depth(i) == depth
                && !d.is_within(i, u)
                && !d.has_child_named(i, &rendered)
        }) else {
            return false;
        };
        if renamed {
            self.rename(u, name, true);
            self.record(ChangeKind::Renamed, &[u], &[u], false);
        }
        self.reparent(u, target);
        self.lock(&[u, parent, target]);
        self.record(ChangeKind::Moved, &[u], &[u], false);
        true
    }

    /// Two or three siblings combined into a new unit, which takes their
    /// sub-units or, now and then, the siblings themselves as its parts
    /// (of the next level's kind). Its name is theirs joined ("Northern
    /// Fraud and Visa Security Section") or, when sub-units or parts
    /// carry over to say what happened, sometimes a new name unrelated to
    /// theirs; its description is its own.
    fn plant_merged(&mut self) -> bool {
        let k = if self.rng.chance(0.3) { 3 } else { 2 };
        let eligible = |d: &Draft, p: usize| -> Vec<usize> {
            d.nodes[p]
                .children
                .iter()
                .copied()
                .filter(|&c| d.reorganizable(c))
                .collect()
        };
        let Some(parent) = self.pick_unit(|d, i| d.free(i) && eligible(d, i).len() >= k) else {
            return false;
        };
        let mut members = eligible(self, parent);
        self.shuffle(&mut members);
        members.truncate(k);
        let as_parts = self.rng.chance(0.3);
        let children: Vec<usize> = if as_parts {
            Vec::new()
        } else {
            members
                .iter()
                .flat_map(|&m| self.nodes[m].children.clone())
                .collect()
        };
        let mut child_names: Vec<String> = children
            .iter()
            .map(|&c| self.nodes[c].name.render())
            .collect();
        child_names.sort();
        child_names.dedup();
        let carries = as_parts || !children.is_empty();
        let name = self.merged_name(&members, carries);
        let clash = self.taken(&name) || self.has_child_named(parent, &name.render());
        if child_names.len() < children.len() || clash {
            return false;
        }
        let had_acronym = members.iter().any(|&m| self.nodes[m].acronym.is_some());
        let merged = self.create(parent, name);
        self.nodes[merged].acronym =
            had_acronym.then(|| initials(&self.nodes[merged].name.render()));
        self.lock(&[parent, merged]);
        self.lock(&members);
        // Members that live on as parts are units of the merge at TO.
        let mut to = vec![merged];
        if as_parts {
            for &m in &members {
                self.demote(m, merged);
            }
            to.extend(&members);
        } else {
            self.carry(&children, merged);
            for &m in &members {
                self.remove(m);
            }
        }
        self.record(ChangeKind::Merged, &members, &to, false);
        true
    }

    /// The name of a unit merged from `members`: theirs joined or, when
    /// sub-units or parts carry over to say what happened, now and then a
    /// new name. (A new unit named after one member alone would read as
    /// that member renamed, absorbing the others: the data could not tell.)
    fn merged_name(&mut self, members: &[usize], carries: bool) -> Name {
        let first = self.nodes[members[0]].name.clone();
        let kind_word = if first.of_form {
            LEVELS[1][0]
        } else {
            first.kind_word
        };
        if carries && self.rng.chance(0.4) {
            let depth = self.depth(members[0]);
            return Name {
                of_form: false,
                ..self.fresh_distinctive_name(depth, kind_word)
            };
        }
        let stems: Vec<String> = members.iter().map(|&m| self.nodes[m].name.stem()).collect();
        Name {
            qualifier: None,
            topic: join_and(&stems),
            kind_word,
            of_form: false,
            generic: false,
        }
    }

    /// A distinctive name (a topic, often a qualifier) for a unit at
    /// `depth` ending with `kind_word`, drawn afresh.
    fn fresh_distinctive_name(&mut self, depth: usize, kind_word: &'static str) -> Name {
        let topic = self.rng.pick(TOPICS).to_string();
        let qualifier =
            Some(*self.rng.pick(QUALIFIERS)).filter(|q| !topic.contains(q) && self.rng.chance(0.5));
        Name {
            qualifier,
            topic,
            kind_word,
            of_form: kind_word == "Office" && depth <= 2 && self.rng.chance(0.5),
            generic: false,
        }
    }

    /// Makes unit `i` a part of `whole`, one level down and of that
    /// level's kind. Its move is part of the merge or absorption that
    /// made it a part (one change per story: the caller records it).
    fn demote(&mut self, i: usize, whole: usize) {
        self.reparent(i, whole);
        let depth = self.depth(i);
        self.nodes[i].kind = LEVELS[depth.min(LEVELS.len() - 1)][0].to_lowercase();
    }

    /// A unit with sub-units folded into a sibling that continues: its
    /// sub-units go to the sibling, or (half the time) the unit itself
    /// lives on inside the sibling as a part of the next level's kind.
    fn plant_absorbed(&mut self) -> bool {
        let Some(gone) =
            self.pick_unit(|d, i| d.reorganizable(i) && d.nodes[i].children.len() >= 2)
        else {
            return false;
        };
        let parent = self.nodes[gone].parent.expect("not the root");
        let lives_on = self.rng.chance(0.5);
        let children = self.nodes[gone].children.clone();
        let names: Vec<String> = if lives_on {
            vec![self.nodes[gone].name.render()]
        } else {
            children
                .iter()
                .map(|&c| self.nodes[c].name.render())
                .collect()
        };
        let takes = |d: &Draft, s: usize| {
            s != gone && d.free(s) && !names.iter().any(|n| d.has_child_named(s, n))
        };
        let Some(&into) = self.nodes[parent]
            .children
            .iter()
            .find(|&&s| takes(self, s))
        else {
            return false;
        };
        self.lock(&[parent, gone, into]);
        if lives_on {
            self.lock(&children);
            self.demote(gone, into);
            self.record(ChangeKind::Absorbed, &[gone], &[into, gone], false);
        } else {
            self.carry(&children, into);
            self.remove(gone);
            self.record(ChangeKind::Absorbed, &[gone], &[into], false);
        }
        true
    }

    /// Names for `k` units derived from `name`, none of which `parent`
    /// already has: the name with a word added ("Fraud Analysis
    /// Section"), with a qualifier each ("Northern Fraud Section",
    /// "Southern Fraud Section"), or (when `fresh` allows) new names
    /// unrelated to it.
    fn derived_names(
        &mut self,
        parent: usize,
        name: &Name,
        k: usize,
        fresh: bool,
    ) -> Option<Vec<Name>> {
        let roll = self.rng.below(4);
        let names: Vec<Name> = if fresh && roll == 0 {
            let depth = self.depth(parent) + 1;
            (0..k)
                .map(|_| self.fresh_distinctive_name(depth, name.kind_word))
                .collect()
        } else if roll == 1 {
            let mut qualifiers: Vec<usize> = (0..QUALIFIERS.len()).collect();
            self.shuffle(&mut qualifiers);
            qualifiers
                .into_iter()
                .map(|q| QUALIFIERS[q])
                .filter(|&q| Some(q) != name.qualifier && !name.topic.contains(q))
                .take(k)
                .map(|q| Name {
                    qualifier: Some(q),
                    generic: false,
                    ..name.clone()
                })
                .collect()
        } else {
            let mut suffixes: Vec<usize> = (0..SUFFIXES.len()).collect();
            self.shuffle(&mut suffixes);
            suffixes[..k]
                .iter()
                .map(|&s| name.with_suffix(SUFFIXES[s]))
                .collect()
        };
        let mut rendered: Vec<String> = names.iter().map(Name::render).collect();
        rendered.sort();
        rendered.dedup();
        let clash = rendered.len() < k
            || names.iter().any(|n| self.taken(n))
            || rendered.iter().any(|n| self.has_child_named(parent, n));
        (!clash).then_some(names)
    }

    /// A unit divided into two or three new units named after it (or,
    /// when it has sub-units to share among them, sometimes not), each
    /// with a description of its own. Some splits are of units without
    /// sub-units.
    fn plant_split(&mut self) -> bool {
        let leaf = self.rng.chance(0.3);
        let Some(gone) = self.pick_unit(|d, i| {
            let n = d.nodes[i].children.len();
            d.reorganizable(i) && if leaf { n == 0 } else { n >= 2 }
        }) else {
            return false;
        };
        let parent = self.nodes[gone].parent.expect("not the root");
        let mut children = self.nodes[gone].children.clone();
        let k = if (leaf || children.len() >= 3) && self.rng.chance(0.4) {
            3
        } else {
            2
        };
        let name = self.nodes[gone].name.clone();
        let Some(names) = self.derived_names(parent, &name, k, !leaf) else {
            return false;
        };
        let had_acronym = self.nodes[gone].acronym.is_some();
        let parts: Vec<usize> = names
            .into_iter()
            .map(|n| {
                let part = self.create(parent, n);
                let rendered = self.nodes[part].name.render();
                self.nodes[part].acronym = had_acronym.then(|| initials(&rendered));
                part
            })
            .collect();
        self.shuffle(&mut children);
        self.lock(&[parent, gone]);
        self.lock(&parts);
        for (j, &c) in children.iter().enumerate() {
            self.carry(&[c], parts[j % k]);
        }
        self.remove(gone);
        self.record(ChangeKind::Split, &[gone], &parts, false);
        true
    }

    /// A unit spun off from a continuing one: a new unit (named after it,
    /// or not) taking up to half of its sub-units, or, now and then, one
    /// of its sub-units promoted to stand beside it, of its kind.
    fn plant_spun_off(&mut self) -> bool {
        let Some(source) =
            self.pick_unit(|d, i| d.reorganizable(i) && d.nodes[i].children.len() >= 3)
        else {
            return false;
        };
        let parent = self.nodes[source].parent.expect("not the root");
        let mut children = self.nodes[source].children.clone();
        self.shuffle(&mut children);
        if self.rng.chance(0.3) {
            return self.promote(source, children[0]);
        }
        let name = self.nodes[source].name.clone();
        // A new name unrelated to the source's needs sub-units to say
        // where the unit came from: one sub-unit moving to a new unit is
        // a unit established and a move.
        let taken = 1 + self.rng.below(children.len() / 2);
        let Some(names) = self.derived_names(parent, &name, 1, taken >= 2) else {
            return false;
        };
        let new = self.create(parent, names[0].clone());
        self.lock(&[parent, source, new]);
        self.carry(&children[..taken], new);
        self.record(ChangeKind::SpunOff, &[source], &[new], false);
        true
    }

    /// Sub-unit `part` of `source` promoted to stand beside it, of its
    /// kind: spun off, the part a unit of the change on both sides (its
    /// move and new kind are that change).
    fn promote(&mut self, source: usize, part: usize) -> bool {
        let parent = self.nodes[source].parent.expect("not the root");
        let name = self.nodes[part].name.render();
        if self.nodes[part].name.generic || self.has_child_named(parent, &name) {
            return false;
        }
        self.lock(&[parent, source, part]);
        self.reparent(part, parent);
        self.nodes[part].kind = self.nodes[source].kind.clone();
        self.record(ChangeKind::SpunOff, &[source, part], &[part], false);
        true
    }

    /// A new unit without sub-units, under a unit that has some.
    fn plant_established(&mut self) -> bool {
        let Some(parent) = self.pick_unit(|d, i| d.free(i) && !d.nodes[i].children.is_empty())
        else {
            return false;
        };
        let name = self.fresh_name(parent);
        let new = self.create(parent, name);
        self.lock(&[parent, new]);
        self.record(ChangeKind::Established, &[], &[new], false);
        true
    }

    /// A unit without sub-units removed.
    fn plant_abolished(&mut self) -> bool {
        let Some(gone) =
            self.pick_unit(|d, i| d.free_with_parent(i) && d.nodes[i].children.is_empty())
        else {
            return false;
        };
        let parent = self.nodes[gone].parent.expect("not the root");
        self.lock(&[parent, gone]);
        self.remove(gone);
        self.record(ChangeKind::Abolished, &[gone], &[], false);
        true
    }
}

/// A topic with one word respelled: a doubled letter made single, or a
/// single one doubled ("Trafficking", "Traficking").
fn respelled(topic: &str, rng: &mut Rng) -> String {
    let mut words: Vec<String> = topic.split(' ').map(str::to_string).collect();
    let longest = (0..words.len())
        .max_by_key(|&i| words[i].len())
        .expect("a topic has a word");
    let chars: Vec<char> = words[longest].chars().collect();
    let doubled = (1..chars.len()).find(|&i| chars[i] == chars[i - 1]);
    let word: String = match doubled {
        Some(i) => chars[..i].iter().chain(&chars[i + 1..]).collect(),
        None => {
            let i = 1 + rng.below(chars.len().saturating_sub(2).max(1));
            chars[..=i.min(chars.len() - 1)]
                .iter()
                .chain(&chars[i.min(chars.len() - 1)..])
                .collect()
        }
    };
    words[longest] = word;
    words.join(" ")
}

/// Whether two names share a word.
fn shares_a_word(a: &str, b: &str) -> bool {
    let words = |s: &str| -> BTreeSet<String> { s.split(' ').map(str::to_lowercase).collect() };
    !words(a).is_disjoint(&words(b))
}

/// "A and B", "A, B and C".
fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use HashMap;

    use super::*;

    #[test]
    fn an_organization_has_the_size_asked_for() {
        let root = organization(&mut Rng::new(1), 1000, 8, "u");
        assert_eq!(root.walk().len(), 1000);
        assert_eq!(root.units.as_ref().unwrap().len(), 8);
        assert_eq!(root.units.as_ref().unwrap()[0].id, "u1");
    }

    #[test]
    fn the_same_seed_gives_the_same_organization() {
        let a = organization(&mut Rng::new(7), 300, 5, "x");
        let b = organization(&mut Rng::new(7), 300, 5, "x");
        assert_eq!(a, b);
    }

    /// Each unit of a tree by id, with its parent's id.
    fn by_id(root: &Unit) -> HashMap<String, (&Unit, Option<String>)> {
        let mut out = HashMap::new();
        out.insert(root.id.clone(), (root, None));
        for u in root.walk() {
            for c in u.units.iter().flatten() {
                out.insert(c.id.clone(), (c, Some(u.id.clone())));
            }
        }
        out
    }

    #[test]
    fn a_history_plants_every_kind_of_change_as_recorded() {
        let h = history(3, 3000, &Churn::percent(5.0));
        assert_eq!(h.before.walk().len(), 3000);
        let (before, after) = (by_id(&h.before), by_id(&h.after));
        for kind in [
            ChangeKind::Renamed,
            ChangeKind::Moved,
            ChangeKind::Merged,
            ChangeKind::Absorbed,
            ChangeKind::Split,
            ChangeKind::SpunOff,
            ChangeKind::Established,
            ChangeKind::Abolished,
        ] {
            assert!(h.truth.iter().any(|t| t.kind == kind), "no {kind}");
        }
        for t in &h.truth {
            assert!(t.from.iter().all(|id| before.contains_key(id)), "{t:?}");
            assert!(t.to.iter().all(|id| after.contains_key(id)), "{t:?}");
            let (old, new) = (
                t.from.first().map(|id| &before[id]),
                t.to.first().map(|id| &after[id]),
            );
            match t.kind {
                ChangeKind::Renamed => {
                    let (old, new) = (old.unwrap().0, new.unwrap().0);
                    assert_ne!(
                        (&old.name, &old.acronym),
                        (&new.name, &new.acronym),
                        "{t:?}"
                    );
                }
                ChangeKind::Moved => assert_ne!(old.unwrap().1, new.unwrap().1, "{t:?}"),
                ChangeKind::Established => assert!(!before.contains_key(&t.to[0])),
                ChangeKind::Abolished | ChangeKind::Split => {
                    assert!(t.from.iter().all(|id| !after.contains_key(id)), "{t:?}");
                }
                // Merged units are gone, or live on as parts of the new one.
                ChangeKind::Merged => assert!(
                    t.from.iter().all(|id| after
                        .get(id)
                        .is_none_or(|(_, parent)| parent.as_ref() == Some(&t.to[0]))),
                    "{t:?}"
                ),
                _ => {}
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_history() {
        let a = history(9, 1000, &Churn::percent(5.0));
        let b = history(9, 1000, &Churn::percent(5.0));
        assert_eq!((a.before, a.after, a.truth), (b.before, b.after, b.truth));
    }

    #[test]
    fn rekeying_renames_every_later_unit_and_its_truth() {
        let mut h = history(4, 1000, &Churn::percent(5.0));
        let kept = h.after.walk().len();
        h.rekey(4);
        let (before, after) = (by_id(&h.before), by_id(&h.after));
        assert_eq!(after.len(), kept);
        assert!(after.keys().all(|id| !before.contains_key(id)));
        assert!(h
            .truth
            .iter()
            .flat_map(|t| &t.to)
            .all(|id| after.contains_key(id)));
    }
}

//! The words of a realistic agency's unit names: topics, levels,
//! suffixes, duties and objects, and small helpers on names.

use std::collections::BTreeSet;

use crate::synth::Rng;

/// What units do: the heart of a distinctive name ("Northern Fraud Section").
pub(super) const TOPICS: &[&str] = &[
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
pub(super) const GENERIC_TOPICS: &[&str] = &[
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
pub(super) const LEVELS: &[&[&str]] = &[
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
pub(super) const SUFFIXES: &[&str] = &[
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

pub(super) const DUTIES: &[&str] = &[
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

pub(super) const OBJECTS: &[&str] = &[
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

/// A topic with one word respelled: a doubled letter made single, or a
/// single one doubled ("Trafficking", "Traficking").
pub(super) fn respelled(topic: &str, rng: &mut Rng) -> String {
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
pub(super) fn shares_a_word(a: &str, b: &str) -> bool {
    let words = |s: &str| -> BTreeSet<String> { s.split(' ').map(str::to_lowercase).collect() };
    !words(a).is_disjoint(&words(b))
}

/// "A and B", "A, B and C".
pub(super) fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

//! The dataset's vocabulary: units, snapshots, events and sources.
//!
//! A [`Snapshot`] is one observation of the organization (or of one
//! subtree, its `scope`) as a source documents it at a [`Date`]. An
//! [`Event`] is a curated change. A [`Source`] is what they cite.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// An organizational unit as one snapshot documents it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// The identity key, kept by the data author while the unit continues.
    pub id: String,
    /// Its name at the snapshot's date.
    pub name: String,
    /// Its acronym, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acronym: Option<String>,
    /// Other names and spellings seen in sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Department, agency, directorate, office, division, unit, center, program...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Its functions, in the data author's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Conflicts between sources, inferred placements and other caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Keys of the sources that show it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// How sure the data author is of the unit's presence and place here:
    /// `high` (the default) when a source shows it, `medium` or `low` when
    /// the author inferred it.
    #[serde(default, skip_serializing_if = "Confidence::is_high")]
    pub confidence: Confidence,
    /// `true` when `units` lists only the sub-units this source documents:
    /// earlier sub-units that are not listed carry on.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// Its sub-units. Absent: not documented here (inherited from the
    /// previous observation). `[]`: it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<Vec<Unit>>,
}

/// How deep units may nest (a root is at depth 1). Real charts stay far
/// below this; the limit keeps recursive readers and writers within their
/// stacks, and `load` and `import` refuse anything deeper.
pub const MAX_NESTING: usize = 100;

impl Unit {
    /// The unit and all its documented descendants, in preorder.
    pub fn walk(&self) -> Vec<&Unit> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(u) = stack.pop() {
            out.push(u);
            if let Some(children) = &u.units {
                stack.extend(children.iter().rev());
            }
        }
        out
    }

    /// "Name (ACRONYM)", or the name alone.
    pub fn label(&self) -> String {
        label(&self.name, self.acronym.as_deref())
    }
}

/// "Name (ACRONYM)", or the name alone.
pub fn label(name: &str, acronym: Option<&str>) -> String {
    match acronym {
        Some(a) if !a.is_empty() && a != name => format!("{name} ({a})"),
        _ => name.to_string(),
    }
}

/// An observation of the organization, or of one subtree, at a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Unique in the dataset.
    pub id: String,
    /// The date the source shows the organization at.
    pub date: Date,
    /// A title for people.
    pub title: String,
    /// The unit whose subtree this snapshot documents; `None` for the whole
    /// organization.
    pub scope: Option<String>,
    /// Keys of the sources it documents.
    pub sources: Vec<String>,
    /// Notes on the snapshot as a whole, in the data author's words.
    pub note: Option<String>,
    /// The documented tree: for a scoped snapshot, one root, the scope unit.
    pub units: Vec<Unit>,
    /// The file it was read from, as shown in messages.
    pub file: String,
}

impl Snapshot {
    /// Every unit the snapshot documents, in preorder.
    pub fn all_units(&self) -> impl Iterator<Item = &Unit> {
        self.units.iter().flat_map(Unit::walk)
    }

    /// How many units it documents.
    pub fn unit_count(&self) -> usize {
        self.all_units().count()
    }
}

/// The kinds of change: one canonical vocabulary.
///
/// `appeared` and `disappeared` are what a diff says of a unit first (or
/// last) seen with nothing saying it began (or ended): they are
/// observations, so an event cannot have them (`events.ron` refuses them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A new unit with no predecessor, that a source says was created.
    Established,
    /// A unit ended with no successor, that a source says was ended.
    Abolished,
    /// First documented; nothing says when it was created.
    #[serde(skip_deserializing)]
    Appeared,
    /// No longer documented; nothing says it ended.
    #[serde(skip_deserializing)]
    Disappeared,
    /// Same unit, new name and/or acronym (spelling and accents too).
    Renamed,
    /// Same unit, new parent.
    Moved,
    /// Same unit, new kind (Office → Division).
    Redesignated,
    /// Same unit under a new id.
    Recoded,
    /// Several units combined into a new unit.
    Merged,
    /// Units folded into a unit that continues.
    Absorbed,
    /// A unit divided into new units and ended.
    Split,
    /// A new unit carved out of a unit that continues.
    SpunOff,
    /// Left the organization for an outside body.
    TransferredOut,
    /// Joined from an outside body.
    TransferredIn,
    /// A previously abolished unit re-established.
    Restored,
    /// Succeeded by another unit, nothing more specific known.
    Replaced,
}

impl ChangeKind {
    /// Every kind, in the order of the taxonomy.
    pub const ALL: [ChangeKind; 16] = [
        ChangeKind::Established,
        ChangeKind::Abolished,
        ChangeKind::Appeared,
        ChangeKind::Disappeared,
        ChangeKind::Renamed,
        ChangeKind::Moved,
        ChangeKind::Redesignated,
        ChangeKind::Recoded,
        ChangeKind::Merged,
        ChangeKind::Absorbed,
        ChangeKind::Split,
        ChangeKind::SpunOff,
        ChangeKind::TransferredOut,
        ChangeKind::TransferredIn,
        ChangeKind::Restored,
        ChangeKind::Replaced,
    ];

    /// The name used in data files, JSON and on the command line (`renamed`, `spun_off`...).
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Established => "established",
            ChangeKind::Abolished => "abolished",
            ChangeKind::Appeared => "appeared",
            ChangeKind::Disappeared => "disappeared",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Moved => "moved",
            ChangeKind::Redesignated => "redesignated",
            ChangeKind::Recoded => "recoded",
            ChangeKind::Merged => "merged",
            ChangeKind::Absorbed => "absorbed",
            ChangeKind::Split => "split",
            ChangeKind::SpunOff => "spun_off",
            ChangeKind::TransferredOut => "transferred_out",
            ChangeKind::TransferredIn => "transferred_in",
            ChangeKind::Restored => "restored",
            ChangeKind::Replaced => "replaced",
        }
    }

    /// The name as a reader writes it: "spun off", "transferred out".
    pub fn words(self) -> String {
        self.name().replace('_', " ")
    }

    /// The kind a name given by [`ChangeKind::name`] stands for.
    pub fn from_name(name: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether the units on the `from` side that are not also on the `to`
    /// side end with this change.
    pub fn ends_its_sources(self) -> bool {
        !matches!(
            self,
            ChangeKind::SpunOff
                | ChangeKind::Established
                | ChangeKind::Appeared
                | ChangeKind::TransferredIn
        )
    }

    /// The kind with the sides swapped: what the change is seen from the
    /// later date looking back (merged ↔ split, appeared ↔ disappeared...).
    pub fn mirror(self) -> ChangeKind {
        match self {
            ChangeKind::Established => ChangeKind::Abolished,
            ChangeKind::Abolished => ChangeKind::Established,
            ChangeKind::Appeared => ChangeKind::Disappeared,
            ChangeKind::Disappeared => ChangeKind::Appeared,
            ChangeKind::Merged => ChangeKind::Split,
            ChangeKind::Split => ChangeKind::Merged,
            ChangeKind::Absorbed => ChangeKind::SpunOff,
            ChangeKind::SpunOff => ChangeKind::Absorbed,
            ChangeKind::TransferredIn => ChangeKind::TransferredOut,
            ChangeKind::TransferredOut => ChangeKind::TransferredIn,
            k => k,
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A kind kept by its name (`#[serde(with = "kind_by_name")]`), every kind
/// read back: a binary form numbers the variants, and the derived reading
/// numbers only those an event may have.
pub(crate) mod kind_by_name {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    use super::ChangeKind;

    pub(crate) fn serialize<S: Serializer>(kind: &ChangeKind, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(kind.name())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ChangeKind, D::Error> {
        let name = String::deserialize(d)?;
        ChangeKind::from_name(&name).ok_or_else(|| D::Error::custom("an unknown kind of change"))
    }
}

/// How sure the sources make a curated event, or a unit's presence and
/// place in a snapshot.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Inferred from the sources, with little to go on.
    Low,
    /// Inferred from the sources, with good reason.
    Medium,
    /// A source states it.
    #[default]
    High,
}

impl Confidence {
    /// Whether it is `high`, the default.
    pub fn is_high(&self) -> bool {
        *self == Confidence::High
    }

    /// The most a change resting on an observation of this confidence
    /// (a unit's presence and place in a snapshot) may be reported with:
    /// what a source shows is certain; what its author inferred is not.
    pub(crate) fn observation_score(self) -> f64 {
        match self {
            Confidence::High => 1.0,
            low_or_medium => low_or_medium.score(),
        }
    }

    /// The probability a curated event of this confidence is reported with.
    pub fn score(self) -> f64 {
        match self {
            Confidence::High => 0.95,
            Confidence::Medium => 0.75,
            Confidence::Low => 0.4,
        }
    }

    /// The name used in data files and JSON (`low`, `medium`, `high`).
    pub fn name(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// A curated change, from the sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When it happened, as precisely as known.
    pub date: Date,
    /// What happened.
    pub kind: ChangeKind,
    /// Ids of the units before the change.
    pub from: Vec<String>,
    /// Ids of the units after the change.
    pub to: Vec<String>,
    /// An outside body, for transfers.
    pub external: Option<String>,
    /// Details and caveats, in the data author's words.
    pub note: Option<String>,
    /// Keys of the sources that tell it.
    pub sources: Vec<String>,
    /// How sure the sources make it.
    pub confidence: Confidence,
    /// The file it was written in.
    pub file: String,
    /// The line it starts on (its `date`).
    pub line: usize,
}

impl Event {
    /// Where it was written, as `file:line`.
    pub fn origin(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// A document the dataset cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The key snapshots and events cite it by.
    pub key: String,
    /// Its title.
    pub title: String,
    /// Where it can be read.
    pub url: Option<String>,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published.
    pub date: Option<Date>,
    /// When the data author last read it.
    pub accessed: Option<Date>,
    /// Notes on the source, in the data author's words.
    pub note: Option<String>,
}

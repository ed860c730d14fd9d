//! Inferring what became of the units that neither identity nor a curated
//! event accounts for: renamed, moved, re-keyed units (1:1), and merges,
//! absorptions, splits and spin-offs (n:1, 1:n), each with a confidence and
//! evidence a person can read.
//!
//! The pipeline follows `shared/research/matching-anchors.md` §10:
//!
//! 0. **Normalize** the leftovers: folded names and their words, acronyms
//!    (the given one, and the initials of the name with and without
//!    stopwords, so that LEISI meets "Law Enforcement Information Sharing
//!    Initiative"; a name that *is* the other's acronym counts as the same
//!    name, abbreviated), aliases, description words (without the unit's
//!    own name words, which a description often restates).
//! 1. *(Identity and curated events: done by the caller; their pairs are
//!    the context everything below starts from.)*
//! 2. **Exact keys**, repeated until nothing changes: identical sub-trees
//!    unique on both sides and the same name under matched parents
//!    (homonyms by context, parents first), both on names as written; a
//!    name unique on both sides with one corroborating feature; a unique
//!    acronym that is more than both names' initials, with a shared name
//!    word; an alias. Once scoring is
//!    done, also the same name two levels below a matched unit when the
//!    parent between ended or began ("cousins": sub-units carried into a
//!    merged, split or spun-off unit).
//! 3. **Scored 1:1 matching**: candidates from rare shared words (two of
//!    them, or the rarest of both names), acronyms and structure (never all
//!    pairs); features summed as log-odds, agreement on a name that many
//!    open units share discounted (term frequency). A pair is accepted when
//!    it is each side's best, clears [`ACCEPT`], leads the runner-up on
//!    either side by [`MARGIN`], rests on two independent kinds of evidence
//!    (a shared parent is not one: a unit abolished beside one established
//!    is the classic false rename), and does not look like part of a merge
//!    or split — unless it kept its name or took at least twice as many
//!    sub-units as its rival. Up to [`SCORED_ROUNDS`] rounds, exact keys in
//!    between, since every match changes parent and sub-unit
//!    correspondences. Pairs that cannot reach the bar even with the same
//!    name are dropped before the (costly) name comparison; with many open
//!    units, scoring runs on all cores.
//! 4. **n:1 and 1:n** from where the sub-units went (counting a sub-unit
//!    placed in a new unit inside another new unit toward the outer one),
//!    and for units without sub-units from names ("A and B Section" from
//!    "A Section" and "B Section"; "Fraud Analysis Section" and "Fraud
//!    Review Section" from "Fraud Section"). A unit that kept its name
//!    continues, and what was carved out of it is `spun_off`; a new unit
//!    *inside* the one its sub-units came from is a level added (moves,
//!    not a spin-off), and mirrored, an ended unit inside the one that
//!    took them a level removed. A unit claimed by two changes is left to
//!    neither.
//!
//! Ambiguity is not guessed: a unit whose best candidate falls short gets
//! a note naming the candidate and why (below the bar, one kind of
//! evidence, the runner-up too close, part of a merge or split).
//!
//! **Confidence.** A scored pair's confidence is the logistic of its
//! log-odds score, `1 / (1 + e^-score)`: the acceptance bar 1.4 is 0.80,
//! 3 is 0.95, 5 is 0.993. Exact keys carry fixed confidences (0.90–0.99);
//! n:1 and 1:n changes the logistic of `-1 + 4·strength + 2·names`, where
//! strength is the weakest share or purity of the sub-units that moved (0
//! when only names speak) and `names` is 1 when the names corroborate.
//!
//! **Symmetry.** Every rule reads the two sides alike, so that inferring
//! from B to A mirrors A to B (merged ↔ split, absorbed ↔ spun_off): the
//! diff's property tests check it.
//!
//! **Determinism.** Units are visited in tree order, candidates sorted,
//! ties broken by spelling; hash maps serve lookups only; parallel scoring
//! joins its chunks in order. Measured quality and speed:
//! `docs/inference-figures.md`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

use crate::model::ChangeKind;
use crate::state::{OrgState, StateUnit, UnitIx};
use crate::text;

/// What is known before inference: units already paired (by identity or
/// curated events) and the leftovers on each side.
pub struct Known<'a> {
    pub before: &'a OrgState,
    pub after: &'a OrgState,
    /// Pairs (before, after) of the same unit, already established.
    pub pairs: &'a [(UnitIx, UnitIx)],
    /// Units of `before` not accounted for, in tree order.
    pub removed: &'a [UnitIx],
    /// Units of `after` not accounted for, in tree order.
    pub added: &'a [UnitIx],
}

/// A 1:1 match: the same unit, perhaps renamed, moved or re-keyed.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub before: UnitIx,
    pub after: UnitIx,
    /// In (0, 1].
    pub confidence: f64,
    /// Sentences a person can read: "same acronym LEISI", "11 of 12
    /// sub-units moved with it", "runner-up Information Sharing Unit scored
    /// 0.41".
    pub evidence: Vec<String>,
}

/// An n:1 or 1:n change: merged, absorbed, split or spun_off.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub kind: ChangeKind,
    pub before: Vec<UnitIx>,
    pub after: Vec<UnitIx>,
    pub confidence: f64,
    pub evidence: Vec<String>,
}

/// What inference found. Units of `removed` and `added` that appear in
/// neither `pairs` nor `groups` are abolished or established; the notes
/// hold evidence for them (a candidate that was too close to call).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inference {
    pub pairs: Vec<Pair>,
    pub groups: Vec<Group>,
    /// Evidence for a leftover unit of `before`, e.g. "possibly renamed X
    /// (0.62), but Y scored 0.58: not guessed".
    pub notes_before: Vec<(UnitIx, String)>,
    /// Evidence for a leftover unit of `after`.
    pub notes_after: Vec<(UnitIx, String)>,
}

/// Rounds of scored matching (each preceded by exact keys).
pub const SCORED_ROUNDS: usize = 3;
/// A word found in more open units than this proposes no candidates: like
/// git's rename limit, it keeps candidate generation near-linear.
pub const DF_CAP: usize = 400;
/// The log-odds a scored pair needs: a probability of 0.80.
pub const ACCEPT: f64 = 1.4;
/// How far (in log-odds) a pair must lead the runner-up of either unit.
/// The research prototype found every pair below this margin wrong.
pub const MARGIN: f64 = 1.0;
/// The log-odds before any evidence: two leftovers picked at random are
/// rarely the same unit.
const PRIOR: f64 = -5.0;
/// A part of a split (merge) gets at least this share of its matched
/// sub-units from the unit split (merged)...
const PART_PURITY: f64 = 0.5;
/// ...and takes at least this share of that unit's...
const PART_SHARE: f64 = 0.15;
/// ...and the parts together take at least this share.
const COVERAGE: f64 = 0.6;
/// An absorbed unit sends at least this share of its matched sub-units to
/// the unit that absorbs it; a spun-off unit gets at least this share of
/// its matched sub-units from the unit it came from.
const MAJORITY: f64 = 0.5;
/// A unit that took this many times as many of another's sub-units as any
/// rival continues it (the rival absorbed or spun off), unless names say
/// the units merged or split.
const DOMINANCE: usize = 2;

/// Open before-units from which scoring is split across threads.
const PARALLEL_FROM: usize = 2_000;

const IDENTICAL_SUBTREE_CONFIDENCE: f64 = 0.99;
const CONTEXT_CONFIDENCE: f64 = 0.97;
const UNIQUE_NAME_CONFIDENCE: f64 = 0.97;
const COUSIN_CONFIDENCE: f64 = 0.9;
const ACRONYM_CONFIDENCE: f64 = 0.9;
const ALIAS_CONFIDENCE: f64 = 0.9;

/// Infers matches among the leftovers. Deterministic: the same input gives
/// the same output.
pub fn infer(known: &Known) -> Inference {
    let mut m = Matcher::new(known);
    m.match_identical_subtrees();
    for _ in 0..SCORED_ROUNDS {
        m.match_exact_keys(false);
        if m.match_scored() == 0 {
            break;
        }
    }
    // Only now is an unmatched parent one that ended or began, rather than
    // one still to be matched.
    m.match_exact_keys(true);
    let groups = m.find_groups();
    m.into_inference(groups)
}

// ---------------------------------------------------------------------------
// Stage 0: normalized text

/// Words that carry no meaning of their own in a unit's name.
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "at", "by", "de", "des", "du", "et", "for", "fur", "in", "la", "le", "of",
    "on", "the", "to", "und", "with",
];

/// Words that say what kind of unit it is, not what it does.
const KIND_WORDS: &[&str] = &[
    "agency",
    "branch",
    "bureau",
    "cell",
    "center",
    "centre",
    "department",
    "desk",
    "directorate",
    "division",
    "group",
    "office",
    "program",
    "programme",
    "section",
    "team",
    "unit",
];

fn is_stopword(w: &str) -> bool {
    STOPWORDS.contains(&w)
}

fn is_kind_word(w: &str) -> bool {
    KIND_WORDS.contains(&w)
}

/// A name word, as a number of the [`Vocabulary`].
type Word = u32;

/// The name words of both sides, numbered, so that words are compared and
/// counted as numbers.
#[derive(Debug, Default)]
struct Vocabulary {
    ids: HashMap<String, Word>,
    words: Vec<String>,
    stop: Vec<bool>,
}

impl Vocabulary {
    fn id(&mut self, word: &str) -> Word {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as Word;
        self.ids.insert(word.to_string(), id);
        self.words.push(word.to_string());
        self.stop.push(is_stopword(word));
        id
    }

    fn word(&self, id: Word) -> &str {
        &self.words[id as usize]
    }

    fn is_stop(&self, id: Word) -> bool {
        self.stop[id as usize]
    }
}

/// A unit's text, normalized for comparison. Built ([`Text::of`]) only
/// for units still open after the first exact keys, which compare names
/// as written: at 100,000 re-keyed units that spares most of the work.
#[derive(Debug, Default)]
struct Text {
    /// Built; until then all fields are empty.
    built: bool,
    /// Folded name: "law enforcement information sharing initiative".
    name: String,
    /// A hash of `name`, for keys.
    key: u64,
    /// The name's distinct words, sorted by number.
    words: Vec<Word>,
    /// The words that say what the unit does (see [`topic_words`]), sorted
    /// by number.
    topic: Vec<Word>,
    /// The given acronym, folded and without spaces ("leisi"), hashed; a
    /// one-word name in capitals ("LEISI") counts as one.
    acronym: Option<u64>,
    acronym_len: usize,
    /// The name is an acronym ("LEISI").
    abbreviated: bool,
    /// Initials of the name without and with stopwords, hashed.
    initials: [Option<u64>; 2],
    /// Folded aliases, hashed.
    aliases: Vec<u64>,
    /// Folded kind, hashed.
    kind: Option<u64>,
}

impl Text {
    fn of(unit: &StateUnit, vocabulary: &mut Vocabulary) -> Text {
        let name = text::fold(&unit.name);
        let abbreviated = name_is_acronym(&unit.name);
        let acronym = match &unit.acronym {
            Some(a) => Some(text::fold(a).replace(' ', "")).filter(|a| !a.is_empty()),
            None => abbreviated.then(|| name.clone()),
        };
        let all: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
        let mut numbered = |words: Vec<&str>| -> Vec<Word> {
            let mut ids: Vec<Word> = words.into_iter().map(|w| vocabulary.id(w)).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        Text {
            built: true,
            key: hash_str(&name),
            words: numbered(all.clone()),
            topic: numbered(topic_words(&all)),
            acronym: acronym.as_deref().map(hash_str),
            acronym_len: acronym.map_or(0, |a| a.chars().count()),
            abbreviated,
            initials: initials_of(&all),
            aliases: unit
                .aliases
                .iter()
                .map(|a| hash_str(&text::fold(a)))
                .collect(),
            kind: unit.kind.as_deref().map(|k| hash_str(&text::fold(k))),
            name,
        }
    }
}

/// The words of a name that say what the unit does: not stopwords, not
/// the kind word that ends it ("Fraud *Section*") or opens it ("*Office*
/// of Intelligence"). A kind word elsewhere is content: "Program
/// Management Unit".
fn topic_words<'w>(words: &[&'w str]) -> Vec<&'w str> {
    let last = words.len().saturating_sub(1);
    let opens = words.len() > 2 && is_kind_word(words[0]) && is_stopword(words[1]);
    let is_kind = |i: usize, w: &str| (i == last || (i == 0 && opens)) && is_kind_word(w);
    words
        .iter()
        .enumerate()
        .filter(|&(i, w)| !is_kind(i, w) && !is_stopword(w))
        .map(|(_, &w)| w)
        .collect()
}

/// Whether a name is one word in capitals: "LEISI".
fn name_is_acronym(name: &str) -> bool {
    let name = name.trim();
    (2..=10).contains(&name.chars().count())
        && name.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
        && name.chars().any(char::is_alphabetic)
}

/// The initials of a name of two words or more, hashed: without stopwords
/// ("Office of Intelligence" → "oi") and with them ("ooi").
fn initials_of(words: &[&str]) -> [Option<u64>; 2] {
    let initials = |with_stopwords: bool| -> Option<u64> {
        let s: String = words
            .iter()
            .filter(|w| with_stopwords || !is_stopword(w))
            .filter_map(|w| w.chars().next())
            .collect();
        (s.chars().count() >= 2).then(|| hash_str(&s))
    };
    [initials(false), initials(true)]
}

/// One of the two states, with the tables inference reads, indexed by
/// [`UnitIx::index`].
struct Side<'a> {
    state: &'a OrgState,
    /// Every unit, parents before children.
    order: Vec<UnitIx>,
    parent: Vec<Option<UnitIx>>,
    children: Vec<Vec<UnitIx>>,
    /// In `removed` (`added`): what inference is about.
    leftover: Vec<bool>,
    /// A hash of each leftover's name as written, for the exact keys that
    /// run before texts are built.
    written: Vec<u64>,
    /// Normalized text of the leftovers (empty for the others).
    text: Vec<Text>,
    /// Hashed description words of the leftovers (`None`: no
    /// description), computed when first compared.
    description: Vec<OnceLock<Option<Vec<u64>>>>,
}

impl<'a> Side<'a> {
    fn new(state: &'a OrgState, leftovers: &[UnitIx]) -> Side<'a> {
        let n = state.len();
        let mut side = Side {
            state,
            order: Vec::with_capacity(n),
            parent: vec![None; n],
            children: vec![Vec::new(); n],
            leftover: vec![false; n],
            written: vec![0; n],
            text: (0..n).map(|_| Text::default()).collect(),
            description: (0..n).map(|_| OnceLock::new()).collect(),
        };
        // The ancestors of the unit being visited, by depth.
        let mut path: Vec<UnitIx> = Vec::new();
        for (ix, depth) in state.preorder() {
            path.truncate(depth);
            if let Some(&p) = path.last() {
                side.parent[ix.index()] = Some(p);
                side.children[p.index()].push(ix);
            }
            path.push(ix);
            side.order.push(ix);
        }
        for &x in leftovers {
            side.leftover[x.index()] = true;
            side.written[x.index()] = hash_str(&state.unit(x).name);
        }
        side
    }

    /// Builds the text of these units (leftovers or not) where needed.
    fn build_texts(&mut self, units: &[UnitIx], vocabulary: &mut Vocabulary) {
        for &x in units {
            if !self.text[x.index()].built {
                self.text[x.index()] = Text::of(self.state.unit(x), vocabulary);
            }
        }
    }

    /// A unit's text: built for open units after context matching, and for
    /// the units stage 4 compares them with.
    fn text(&self, x: UnitIx) -> &Text {
        &self.text[x.index()]
    }

    fn parent(&self, x: UnitIx) -> Option<UnitIx> {
        self.parent[x.index()]
    }

    fn children(&self, x: UnitIx) -> &[UnitIx] {
        &self.children[x.index()]
    }

    fn label(&self, x: UnitIx) -> String {
        self.state.unit(x).label()
    }

    /// How many units the sub-tree of `x` has, `x` included.
    fn subtree_size(&self, x: UnitIx) -> usize {
        1 + self
            .children(x)
            .iter()
            .map(|&c| self.subtree_size(c))
            .sum::<usize>()
    }

    /// The label of a unit's parent, or "the top level".
    fn parent_label(&self, x: UnitIx) -> String {
        self.parent(x)
            .map_or_else(|| "the top level".to_string(), |p| self.label(p))
    }

    /// The description's words, hashed and sorted, without stopwords and
    /// without the words of the unit's own name: a description that
    /// restates the name adds nothing to it.
    fn description(&self, x: UnitIx, vocabulary: &Vocabulary) -> Option<&[u64]> {
        debug_assert!(self.text(x).built, "name words are needed");
        let words = self.description[x.index()].get_or_init(|| {
            let description = self.state.unit(x).description.as_deref()?;
            let name = &self.text(x).words;
            let in_name = |w: &str| {
                vocabulary
                    .ids
                    .get(w)
                    .is_some_and(|id| name.binary_search(id).is_ok())
            };
            let mut words: Vec<u64> = text::words(description)
                .iter()
                .filter(|w| !is_stopword(w) && !in_name(w))
                .map(|w| hash_str(w))
                .collect();
            words.sort_unstable();
            words.dedup();
            Some(words)
        });
        words.as_deref()
    }
}

// ---------------------------------------------------------------------------
// The matching in progress

/// Which side of the comparison a unit is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Before = 0,
    After = 1,
}

impl Which {
    const BOTH: [Which; 2] = [Which::Before, Which::After];

    fn other(self) -> Which {
        match self {
            Which::Before => Which::After,
            Which::After => Which::Before,
        }
    }
}

/// How two units' parents correspond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parents {
    /// Matched to each other, or both top-level.
    Same,
    /// At least one is matched, and not to the other.
    Different,
    /// Neither is matched (yet).
    Unknown,
}

/// The open units of each side by their parent as a unit of `after`
/// (`None`: the top level), and by their own parent.
struct Siblings {
    by_parent: [HashMap<Option<UnitIx>, Vec<UnitIx>>; 2],
    by_own_parent: [HashMap<Option<UnitIx>, Vec<UnitIx>>; 2],
}

/// Matched sub-units of one unit that now sit in a unit of the other
/// side.
#[derive(Debug, Clone, Copy)]
struct Flow {
    to: UnitIx,
    count: usize,
    /// The first unit's matched sub-units.
    from_total: usize,
    /// The other unit's, at least `count` (sub-units placed deeper, in new
    /// units inside it, count there too).
    to_total: usize,
}

impl Flow {
    /// The part of the first unit's sub-units that went there.
    fn share(&self) -> f64 {
        self.count as f64 / self.from_total as f64
    }

    /// The part of the other unit's sub-units that came from the first.
    fn purity(&self) -> f64 {
        self.count as f64 / self.to_total as f64
    }
}

/// A pair found by an exact-key rule, not made yet.
type Found = (UnitIx, UnitIx, f64, Vec<String>);

/// The matching in progress: both sides, the pairs made so far, and the
/// units still open.
struct Matcher<'a> {
    before: Side<'a>,
    after: Side<'a>,
    vocabulary: Vocabulary,
    /// `to_after[i]`: the unit of `after` that before-unit `i` is.
    to_after: Vec<Option<UnitIx>>,
    /// `to_before[i]`: the unit of `before` that after-unit `i` is.
    to_before: Vec<Option<UnitIx>>,
    /// Inferred pairs, in the order found.
    found: Vec<Pair>,
    /// Leftovers not matched yet, in tree order (pruned now and then).
    open_before: Vec<UnitIx>,
    open_after: Vec<UnitIx>,
    /// Per side, why the last candidate for a unit was rejected: a note
    /// for the unit if it stays unmatched.
    doubts: [HashMap<UnitIx, String>; 2],
}

impl<'a> Matcher<'a> {
    fn new(known: &Known<'a>) -> Matcher<'a> {
        let before = Side::new(known.before, known.removed);
        let after = Side::new(known.after, known.added);
        let mut to_after = vec![None; known.before.len()];
        let mut to_before = vec![None; known.after.len()];
        for &(a, b) in known.pairs {
            to_after[a.index()] = Some(b);
            to_before[b.index()] = Some(a);
        }
        Matcher {
            before,
            after,
            vocabulary: Vocabulary::default(),
            to_after,
            to_before,
            found: Vec::new(),
            open_before: known.removed.to_vec(),
            open_after: known.added.to_vec(),
            doubts: Default::default(),
        }
    }

    fn side(&self, w: Which) -> &Side<'a> {
        match w {
            Which::Before => &self.before,
            Which::After => &self.after,
        }
    }

    /// The unit's counterpart on the other side, if matched.
    fn partner(&self, w: Which, x: UnitIx) -> Option<UnitIx> {
        match w {
            Which::Before => self.to_after[x.index()],
            Which::After => self.to_before[x.index()],
        }
    }

    /// A leftover not matched yet.
    fn is_open(&self, w: Which, x: UnitIx) -> bool {
        self.side(w).leftover[x.index()] && self.partner(w, x).is_none()
    }

    fn open(&self, w: Which) -> &[UnitIx] {
        match w {
            Which::Before => &self.open_before,
            Which::After => &self.open_after,
        }
    }

    fn prune_open(&mut self) {
        let (to_after, to_before) = (&self.to_after, &self.to_before);
        self.open_before.retain(|a| to_after[a.index()].is_none());
        self.open_after.retain(|b| to_before[b.index()].is_none());
    }

    fn pair(&mut self, a: UnitIx, b: UnitIx, confidence: f64, evidence: Vec<String>) {
        self.to_after[a.index()] = Some(b);
        self.to_before[b.index()] = Some(a);
        self.found.push(Pair {
            before: a,
            after: b,
            confidence,
            evidence,
        });
    }

    /// Makes pairs found together, in the order given, skipping any whose
    /// units were taken meanwhile. Returns how many were made.
    fn pair_all(&mut self, found: Vec<Found>) -> usize {
        let mut made = 0;
        for (a, b, confidence, evidence) in found {
            if self.to_after[a.index()].is_none() && self.to_before[b.index()].is_none() {
                self.pair(a, b, confidence, evidence);
                made += 1;
            }
        }
        self.prune_open();
        made
    }

    /// A unit of side `w`, or the top level (`None`), as a unit of
    /// `after`: itself, or its counterpart; `None` while it has none.
    fn in_after(&self, w: Which, x: Option<UnitIx>) -> Option<Option<UnitIx>> {
        match (w, x) {
            (_, None) => Some(None),
            (Which::After, Some(x)) => Some(Some(x)),
            (Which::Before, Some(x)) => self.partner(Which::Before, x).map(Some),
        }
    }

    fn parents(&self, a: UnitIx, b: UnitIx) -> Parents {
        let (pa, pb) = (self.before.parent(a), self.after.parent(b));
        let matched = |w: Which, p: Option<UnitIx>| p.is_none_or(|p| self.partner(w, p).is_some());
        if self.in_after(Which::Before, pa) == Some(pb) {
            Parents::Same
        } else if matched(Which::Before, pa) || matched(Which::After, pb) {
            Parents::Different
        } else {
            Parents::Unknown
        }
    }

    fn siblings(&self) -> Siblings {
        let mut siblings = Siblings {
            by_parent: Default::default(),
            by_own_parent: Default::default(),
        };
        for w in Which::BOTH {
            for &x in self.open(w) {
                let parent = self.side(w).parent(x);
                if let Some(p) = self.in_after(w, parent) {
                    siblings.by_parent[w as usize].entry(p).or_default().push(x);
                }
                siblings.by_own_parent[w as usize]
                    .entry(parent)
                    .or_default()
                    .push(x);
            }
        }
        siblings
    }

    /// The open units of the other side whose parent corresponds to `x`'s.
    fn open_siblings<'s>(&self, siblings: &'s Siblings, w: Which, x: UnitIx) -> &'s [UnitIx] {
        self.in_after(w, self.side(w).parent(x))
            .and_then(|p| siblings.by_parent[w.other() as usize].get(&p))
            .map_or(&[], Vec::as_slice)
    }

    /// How many of `a`'s sub-units are now sub-units of `b`.
    fn carried(&self, a: UnitIx, b: UnitIx) -> usize {
        self.before
            .children(a)
            .iter()
            .filter(|&&c| {
                self.partner(Which::Before, c)
                    .is_some_and(|cb| self.after.parent(cb) == Some(b))
            })
            .count()
    }

    /// Where the matched sub-units of `x` (on side `w`) are now, by unit
    /// of the other side. A sub-unit placed in an open unit inside other
    /// open units counts toward the outermost of them: a division split
    /// into two new divisions, one of which put it in a new branch, went to
    /// that division.
    fn flows(&self, w: Which, x: UnitIx) -> Vec<Flow> {
        let other = self.side(w.other());
        let outermost_open = |mut y: UnitIx| {
            while let Some(p) = other.parent(y).filter(|&p| self.is_open(w.other(), p)) {
                y = p;
            }
            y
        };
        let mut to: Vec<UnitIx> = self
            .side(w)
            .children(x)
            .iter()
            .filter_map(|&c| self.partner(w, c))
            .filter_map(|c| other.parent(c))
            .map(outermost_open)
            .collect();
        to.sort_unstable();
        let from_total = self.matched_children(w, x);
        to.chunk_by(|p, q| p == q)
            .map(|run| Flow {
                to: run[0],
                count: run.len(),
                from_total,
                to_total: self.matched_children(w.other(), run[0]).max(run.len()),
            })
            .collect()
    }

    fn matched_children(&self, w: Which, x: UnitIx) -> usize {
        self.side(w)
            .children(x)
            .iter()
            .filter(|&&c| self.partner(w, c).is_some())
            .count()
    }

    fn parent_evidence(&self, b: UnitIx) -> String {
        match self.after.parent(b) {
            Some(p) => format!("parent matched ({})", self.after.label(p)),
            None => "both at the top level".to_string(),
        }
    }
}

// ---------------------------------------------------------------------------
// Stage 2: exact keys

impl Matcher<'_> {
    /// Exact-key rules, repeated while they find something; `cousins`
    /// adds the rule for sub-units of parents that ended or began.
    fn match_exact_keys(&mut self, cousins: bool) {
        loop {
            let by_context = self.match_by_context();
            self.build_open_texts();
            let made = by_context
                + if cousins { self.match_cousins() } else { 0 }
                + self.match_unique_names()
                + self.match_unique_acronyms()
                + self.match_aliases();
            if made == 0 {
                break;
            }
        }
    }

    /// Identical sub-trees (the same names and acronyms all the way down)
    /// found once on each side among the leftovers: the whole sub-tree is
    /// the same.
    fn match_identical_subtrees(&mut self) {
        let signatures = Which::BOTH.map(|w| self.subtree_signatures(w));
        let counts = Which::BOTH.map(|w| {
            let side = self.side(w);
            let mut counts: HashMap<u64, (usize, UnitIx)> = HashMap::default();
            for &x in &side.order {
                if let (Some(s), false) = (
                    signatures[w as usize][x.index()],
                    side.children(x).is_empty(),
                ) {
                    counts.entry(s).or_insert((0, x)).0 += 1;
                }
            }
            counts
        });
        for a in self.before.order.clone() {
            let Some(s) = signatures[0][a.index()] else {
                continue;
            };
            let (Some(&(1, _)), Some(&(1, b))) = (counts[0].get(&s), counts[1].get(&s)) else {
                continue;
            };
            if self.to_after[a.index()].is_none() {
                let evidence = format!(
                    "identical sub-tree: the same names and acronyms in all {} units",
                    self.before.subtree_size(a)
                );
                let inside = format!(
                    "part of an identical sub-tree under {}",
                    self.before.label(a)
                );
                self.pair(a, b, IDENTICAL_SUBTREE_CONFIDENCE, vec![evidence]);
                self.pair_subtrees(a, b, &signatures, &inside);
            }
        }
        self.prune_open();
    }

    /// Pairs the units under two identical units, one by one; identical
    /// siblings pair in tree order.
    fn pair_subtrees(
        &mut self,
        a: UnitIx,
        b: UnitIx,
        signatures: &[Vec<Option<u64>>; 2],
        evidence: &str,
    ) {
        let sorted = |side: &Side, signatures: &[Option<u64>], x: UnitIx| -> Vec<UnitIx> {
            let mut children = side.children(x).to_vec();
            children.sort_by_key(|c| signatures[c.index()]);
            children
        };
        let children: Vec<(UnitIx, UnitIx)> = sorted(&self.before, &signatures[0], a)
            .into_iter()
            .zip(sorted(&self.after, &signatures[1], b))
            .collect();
        for (ca, cb) in children {
            self.pair(
                ca,
                cb,
                IDENTICAL_SUBTREE_CONFIDENCE,
                vec![evidence.to_string()],
            );
            self.pair_subtrees(ca, cb, signatures, evidence);
        }
    }

    /// A hash of each leftover's name and acronym as written and of its
    /// sub-trees, for units whose whole sub-tree is leftover.
    fn subtree_signatures(&self, w: Which) -> Vec<Option<u64>> {
        let side = self.side(w);
        let mut signatures: Vec<Option<u64>> = vec![None; side.order.len()];
        for &x in side.order.iter().rev() {
            if !side.leftover[x.index()] {
                continue;
            }
            let children: Option<Vec<u64>> = side
                .children(x)
                .iter()
                .map(|c| signatures[c.index()])
                .collect();
            if let Some(mut children) = children {
                children.sort_unstable();
                let acronym = side.state.unit(x).acronym.as_deref().map_or(0, hash_str);
                let own = hash_mix(side.written[x.index()], acronym);
                signatures[x.index()] = Some(children.into_iter().fold(own, hash_mix));
            }
        }
        signatures
    }

    /// Open units of side `w` by a key: the unit when only one open unit
    /// has the key, else `None`.
    fn unique_keys<K: std::hash::Hash + Eq>(
        &self,
        w: Which,
        key: impl Fn(&Self, UnitIx) -> Option<K>,
    ) -> HashMap<K, Option<UnitIx>> {
        let mut out: HashMap<K, Option<UnitIx>> = HashMap::default();
        for &x in self.open(w) {
            if let Some(k) = key(self, x) {
                out.entry(k).and_modify(|e| *e = None).or_insert(Some(x));
            }
        }
        out
    }

    /// The units that have a key once on each side, keyed alike (names by
    /// hash, checked equal): pairs of candidates for an exact-key rule.
    fn unique_on_both_sides<K: std::hash::Hash + Eq>(
        &self,
        key: impl Fn(&Self, Which, UnitIx) -> Option<K>,
    ) -> Vec<(UnitIx, UnitIx)> {
        let keys = Which::BOTH.map(|w| self.unique_keys(w, |m, x| key(m, w, x)));
        self.open_before
            .iter()
            .filter_map(|&a| {
                let k = key(self, Which::Before, a)?;
                match (keys[0].get(&k), keys[1].get(&k)) {
                    (Some(&Some(_)), Some(&Some(b))) => Some((a, b)),
                    _ => None,
                }
            })
            .collect()
    }

    /// Homonyms by context: a leftover whose parent is matched pairs with
    /// the one unmatched sub-unit of the parent's counterpart that has the
    /// same name as written (each unique among its unmatched siblings).
    /// Parents go first, so a whole unchanged branch pairs in one pass.
    /// (Names that differ in case or accents only are left to the rules
    /// that compare folded names.)
    fn match_by_context(&mut self) -> usize {
        let keys = Which::BOTH.map(|w| {
            self.unique_keys(w, |m, x| {
                let side = m.side(w);
                Some((side.parent(x), side.written[x.index()]))
            })
        });
        let mut made = 0;
        for a in self.open_before.clone() {
            let (parent, key) = (self.before.parent(a), self.before.written[a.index()]);
            let Some(parent_after) = self.in_after(Which::Before, parent) else {
                continue;
            };
            let (Some(&Some(_)), Some(&Some(b))) = (
                keys[0].get(&(parent, key)),
                keys[1].get(&(parent_after, key)),
            ) else {
                continue;
            };
            let same_written = self.before.state.unit(a).name == self.after.state.unit(b).name;
            if self.to_before[b.index()].is_none() && same_written {
                let evidence = vec![match parent_after {
                    Some(p) => format!(
                        "same name under the matched parent ({})",
                        self.after.label(p)
                    ),
                    None => "same name at the top level".to_string(),
                }];
                self.pair(a, b, CONTEXT_CONFIDENCE, evidence);
                made += 1;
            }
        }
        self.prune_open();
        made
    }

    /// Builds the texts of the open units: the rules after context
    /// matching read them.
    fn build_open_texts(&mut self) {
        self.before
            .build_texts(&self.open_before, &mut self.vocabulary);
        self.after
            .build_texts(&self.open_after, &mut self.vocabulary);
    }

    fn same_name(&self, a: UnitIx, b: UnitIx) -> bool {
        self.before.text(a).name == self.after.text(b).name
    }

    /// Homonyms one level up: a unit whose parent ended or began is looked
    /// for by name among the grandparent's grandchildren, and pairs when
    /// the name occurs there once on each side: sub-units carried into a
    /// merged, split or spun-off unit.
    fn match_cousins(&mut self) -> usize {
        let grandparent = |m: &Self, w: Which, x: UnitIx| -> Option<Option<UnitIx>> {
            let parent = m.side(w).parent(x)?;
            m.in_after(w, m.side(w).parent(parent))
        };
        let candidates = self.unique_on_both_sides(|m, w, x| {
            grandparent(m, w, x).map(|g| (g, m.side(w).text(x).key))
        });
        let mut found = Vec::new();
        for (a, b) in candidates {
            let (Some(pa), Some(pb)) = (self.before.parent(a), self.after.parent(b)) else {
                continue;
            };
            let reorganized = self.is_open(Which::Before, pa) || self.is_open(Which::After, pb);
            if reorganized && self.same_name(a, b) && self.parents(a, b) != Parents::Same {
                let evidence = vec![format!(
                    "same name, found once on each side two levels below {}, under a reorganized parent ({} then, {} now)",
                    self.after.parent_label(pb),
                    self.before.label(pa),
                    self.after.label(pb)
                )];
                found.push((a, b, COUSIN_CONFIDENCE, evidence));
            }
        }
        self.pair_all(found)
    }

    /// A name found once among the open units of each side, with one more
    /// feature that agrees (git's stricter bar for a cheap heuristic: a
    /// deleted and an added "Finance Section" are not enough).
    fn match_unique_names(&mut self) -> usize {
        let candidates = self.unique_on_both_sides(|m, w, x| Some(m.side(w).text(x).key));
        let mut found = Vec::new();
        for (a, b) in candidates {
            if !self.same_name(a, b) {
                continue;
            }
            if let Some(corroboration) = self.corroboration(a, b) {
                let evidence = vec![
                    "same name, found once on each side among unmatched units".to_string(),
                    corroboration,
                ];
                found.push((a, b, UNIQUE_NAME_CONFIDENCE, evidence));
            }
        }
        self.pair_all(found)
    }

    /// The first feature besides the name that agrees, in words.
    fn corroboration(&self, a: UnitIx, b: UnitIx) -> Option<String> {
        let f = self.features(a, b);
        if f.acronym == Acronyms::Same {
            return f.acronym_evidence(self, a, b);
        }
        if f.parents == Parents::Same {
            return Some(self.parent_evidence(b));
        }
        if f.children_dice().is_some_and(|d| d >= 0.5) {
            return f.children_evidence();
        }
        f.description
            .filter(|&d| d >= 0.5)
            .map(|d| format!("description similarity {d:.2}"))
    }

    /// An acronym of three letters or more, found once among the open
    /// units of each side, that is not just the initials of both names,
    /// and whose names share a word that is neither a stopword nor a kind
    /// word.
    fn match_unique_acronyms(&mut self) -> usize {
        let candidates = self.unique_on_both_sides(|m, w, x| {
            let t = m.side(w).text(x);
            t.acronym.filter(|_| t.acronym_len >= 3)
        });
        let mut found = Vec::new();
        for (a, b) in candidates {
            let (ta, tb) = (self.before.text(a), self.after.text(b));
            if Acronyms::of(ta, tb) != Acronyms::Same {
                continue;
            }
            if let Some(&word) = ta.topic.iter().find(|w| tb.topic.binary_search(w).is_ok()) {
                let acronym = self.before.state.unit(a).acronym.as_deref();
                let evidence = vec![
                    format!(
                        "same acronym {}, found once on each side among unmatched units",
                        acronym.unwrap_or(&self.before.state.unit(a).name)
                    ),
                    format!(
                        "both names have the word \u{201c}{}\u{201d}",
                        self.vocabulary.word(word)
                    ),
                ];
                found.push((a, b, ACRONYM_CONFIDENCE, evidence));
            }
        }
        self.pair_all(found)
    }

    /// One unit's name is an alias of the other, and neither has another
    /// such link.
    fn match_aliases(&mut self) -> usize {
        let has_aliases = |w: Which| {
            self.open(w)
                .iter()
                .any(|&x| !self.side(w).text(x).aliases.is_empty())
        };
        if !has_aliases(Which::Before) && !has_aliases(Which::After) {
            return 0;
        }
        let index = Which::BOTH.map(|w| self.names_and_aliases(w));
        let links = |w: Which, x: UnitIx| -> Vec<UnitIx> {
            let t = self.side(w).text(x);
            let [names, aliases] = &index[w.other() as usize];
            let mut out: Vec<UnitIx> = aliases.get(&t.key).cloned().unwrap_or_default();
            for alias in &t.aliases {
                out.extend(names.get(alias).into_iter().flatten());
            }
            out.sort_unstable();
            out.dedup();
            out
        };
        let mut found = Vec::new();
        for &a in &self.open_before {
            let [b] = links(Which::Before, a)[..] else {
                continue;
            };
            if links(Which::After, b) == [a] {
                let (ua, ub) = (self.before.state.unit(a), self.after.state.unit(b));
                let (alias, of) = if self
                    .after
                    .text(b)
                    .aliases
                    .contains(&self.before.text(a).key)
                {
                    (ua, ub)
                } else {
                    (ub, ua)
                };
                let evidence = vec![format!(
                    "{} is listed as another name of {}",
                    alias.name, of.name
                )];
                found.push((a, b, ALIAS_CONFIDENCE, evidence));
            }
        }
        self.pair_all(found)
    }

    /// The open units of a side by name, and by alias (hashed).
    fn names_and_aliases(&self, w: Which) -> [HashMap<u64, Vec<UnitIx>>; 2] {
        let mut index: [HashMap<u64, Vec<UnitIx>>; 2] = Default::default();
        for &x in self.open(w) {
            let t = self.side(w).text(x);
            index[0].entry(t.key).or_default().push(x);
            for &alias in &t.aliases {
                index[1].entry(alias).or_default().push(x);
            }
        }
        index
    }
}

// ---------------------------------------------------------------------------
// Stage 3: scored 1:1 matching

/// How two units' acronyms relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Acronyms {
    /// Nothing to compare, or acronyms that only abbreviate the names.
    None,
    /// The same acronym (and not just the initials of both names).
    Same,
    /// The acronym of the unit on this side is the initials of the other's
    /// name ("LEISI"), and not of its own.
    Expands(Which),
    /// Both given, and different.
    Differ,
    /// The name of the unit on this side is the other's acronym: counted
    /// as the name ("LEISI" and "Law Enforcement Information Sharing
    /// Initiative" are the same name, abbreviated).
    Abbreviates(Which),
}

impl Acronyms {
    fn of(a: &Text, b: &Text) -> Acronyms {
        if abbreviates(a, b) {
            return Acronyms::Abbreviates(Which::Before);
        }
        if abbreviates(b, a) {
            return Acronyms::Abbreviates(Which::After);
        }
        let own = |t: &Text, x: u64| t.initials.contains(&Some(x));
        match (a.acronym, b.acronym) {
            (Some(x), Some(y)) if x == y && own(a, x) && own(b, y) => Acronyms::None,
            (Some(x), Some(y)) if x == y => Acronyms::Same,
            (Some(x), _) if own(b, x) && !own(a, x) => Acronyms::Expands(Which::Before),
            (_, Some(y)) if own(a, y) && !own(b, y) => Acronyms::Expands(Which::After),
            (Some(_), Some(_)) => Acronyms::Differ,
            _ => Acronyms::None,
        }
    }

    fn agree(self) -> bool {
        matches!(self, Acronyms::Same | Acronyms::Expands(_))
    }
}

/// What two units have in common, each feature measured once.
#[derive(Debug, Clone)]
struct Features {
    /// Name similarity in [0, 1]: the better of Jaro–Winkler on the folded
    /// names and a token-set ratio. `None` until measured (it is the
    /// costly part), and scored as the best case meanwhile.
    name: Option<f64>,
    same_name: bool,
    /// Open units (both sides) with the rarer of the two names, when
    /// scoring; 0 when not counted.
    name_count: usize,
    acronym: Acronyms,
    parents: Parents,
    /// Sub-units: (carried from a to b, a's count, b's count).
    children: (usize, usize, usize),
    /// Description similarity (Dice over words), when both have one.
    description: Option<f64>,
    same_kind: Option<bool>,
}

impl Features {
    /// The log-odds that the two units are the same, from hand-set weights
    /// (`shared/research/matching-anchors.md` §10.2).
    fn score(&self) -> f64 {
        let name = match self.name {
            _ if self.same_name => 6.0,
            None => 4.0,
            Some(s) if s >= 0.9 => 4.0,
            Some(s) if s >= 0.8 => 2.5,
            Some(s) if s >= 0.7 => 1.0,
            Some(s) if s >= 0.5 => -1.0,
            Some(_) => -3.0,
        };
        // Term-frequency adjustment (Splink): agreeing on a name that many
        // open units share ("Operations Unit") says little. A name found
        // once on each side loses nothing; one shared by 300 loses
        // ln 150 = 5, but agreement never drops below 1.
        let name = if name > 1.0 {
            (name - (self.name_count as f64 / 2.0).ln().max(0.0)).max(1.0)
        } else {
            name
        };
        let acronym = match self.acronym {
            Acronyms::Same | Acronyms::Expands(_) => 2.5,
            Acronyms::Differ => -0.5,
            // Counted as the name.
            Acronyms::None | Acronyms::Abbreviates(_) => 0.0,
        };
        let parents = match self.parents {
            Parents::Same => 2.0,
            // Moves are rarer than staying put.
            Parents::Different => -0.5,
            Parents::Unknown => 0.0,
        };
        let children = match self.children_dice() {
            Some(d) if d >= 0.8 => 5.0,
            Some(d) if d >= 0.5 => 3.0,
            Some(d) if d >= 0.2 => 1.0,
            _ => 0.0,
        };
        let description = match self.description {
            Some(d) if d >= 0.8 => 4.5,
            Some(d) if d >= 0.5 => 2.5,
            Some(d) if d >= 0.3 => 0.5,
            // Descriptions get rewritten when units are reorganized: a
            // different one is weak evidence against.
            Some(_) => -1.0,
            None => 0.0,
        };
        let kind = match self.same_kind {
            Some(true) => 0.3,
            Some(false) => -0.5,
            None => 0.0,
        };
        PRIOR + name + acronym + parents + children + description + kind
    }

    /// Dice over sub-units, when either has some.
    fn children_dice(&self) -> Option<f64> {
        let (carried, a, b) = self.children;
        (a + b > 0).then(|| 2.0 * carried as f64 / (a + b) as f64)
    }

    /// Independent kinds of evidence: a similar name, an acronym, a
    /// similar description, sub-units that moved along. A shared parent is
    /// not one: a unit abolished and another established under the same
    /// parent are the classic false rename.
    fn kinds_of_evidence(&self) -> usize {
        [
            self.name.is_some_and(|s| s >= 0.7),
            self.acronym.agree(),
            self.description.is_some_and(|d| d >= 0.5),
            self.children.0 > 0 && self.children_dice().is_some_and(|d| d >= 0.5),
        ]
        .into_iter()
        .filter(|&e| e)
        .count()
    }

    fn acronym_evidence(&self, m: &Matcher, a: UnitIx, b: UnitIx) -> Option<String> {
        let (ua, ub) = (m.before.state.unit(a), m.after.state.unit(b));
        let shown = |u: &StateUnit| u.acronym.clone().unwrap_or_else(|| u.name.clone());
        match self.acronym {
            Acronyms::Same => Some(format!("same acronym {}", shown(ua))),
            Acronyms::Expands(Which::Before) => {
                Some(format!("acronym {} stands for {}", shown(ua), ub.name))
            }
            Acronyms::Expands(Which::After) => {
                Some(format!("acronym {} stands for {}", shown(ub), ua.name))
            }
            Acronyms::Differ => Some(format!(
                "acronym changed from {} to {}",
                shown(ua),
                shown(ub)
            )),
            Acronyms::Abbreviates(Which::Before) => {
                Some(format!("{} is the acronym of {}", ua.name, ub.name))
            }
            Acronyms::Abbreviates(Which::After) => {
                Some(format!("{} is the acronym of {}", ub.name, ua.name))
            }
            Acronyms::None => None,
        }
    }

    fn children_evidence(&self) -> Option<String> {
        let (carried, a, _) = self.children;
        (carried > 0).then(|| format!("{carried} of {a} sub-units moved with it"))
    }

    /// The features in words, strongest first.
    fn evidence(&self, m: &Matcher, a: UnitIx, b: UnitIx) -> Vec<String> {
        // An abbreviated name is said by the acronym evidence below.
        let mut out = match (self.name, self.acronym) {
            (_, Acronyms::Abbreviates(_)) => Vec::new(),
            _ if self.same_name => vec!["same name".to_string()],
            (Some(s), _) => vec![format!("name similarity {s:.2}")],
            (None, _) => vec!["names not compared".to_string()],
        };
        if self.name_count > 2 {
            out.push(format!("a name {} unmatched units share", self.name_count));
        }
        out.extend(self.acronym_evidence(m, a, b));
        out.extend(self.children_evidence());
        if let Some(d) = self.description {
            out.push(format!("description similarity {d:.2}"));
        }
        match self.parents {
            Parents::Same => out.push(m.parent_evidence(b)),
            Parents::Different => out.push(format!(
                "now under {} (was under {})",
                m.after.parent_label(b),
                m.before.parent_label(a)
            )),
            Parents::Unknown => {}
        }
        out
    }
}

/// A scored candidate pair.
#[derive(Debug, Clone)]
struct Scored {
    a: UnitIx,
    b: UnitIx,
    score: f64,
    features: Features,
}

/// A unit's best candidate and runner-up, as indices into the scored list.
#[derive(Debug, Clone, Copy)]
struct Ranking {
    best: usize,
    runner_up: Option<usize>,
}

/// Lookups for candidate generation over the open units.
struct CandidateIndex {
    /// Open units (both sides) with each word, by word number.
    df: Vec<usize>,
    /// Open units (both sides) with each name, by name hash.
    names: HashMap<u64, usize>,
    /// Open after-units by word number.
    by_word: Vec<Vec<UnitIx>>,
    /// Open after-units by acronym, and by initials.
    by_acronym: HashMap<u64, Vec<UnitIx>>,
    by_initials: HashMap<u64, Vec<UnitIx>>,
    /// The rarest word of each open after-unit (by unit index).
    rarest_after: Vec<Option<Word>>,
}

impl CandidateIndex {
    fn new(m: &Matcher) -> CandidateIndex {
        let words = m.vocabulary.words.len();
        let mut index = CandidateIndex {
            df: vec![0; words],
            names: HashMap::default(),
            by_word: vec![Vec::new(); words],
            by_acronym: HashMap::default(),
            by_initials: HashMap::default(),
            rarest_after: vec![None; m.after.order.len()],
        };
        for w in Which::BOTH {
            for &x in m.open(w) {
                let t = m.side(w).text(x);
                *index.names.entry(t.key).or_default() += 1;
                for &word in t.words.iter().filter(|&&id| !m.vocabulary.is_stop(id)) {
                    index.df[word as usize] += 1;
                    if w == Which::After {
                        index.by_word[word as usize].push(x);
                    }
                }
            }
        }
        for &x in &m.open_after {
            let t = m.after.text(x);
            if let Some(acronym) = t.acronym {
                index.by_acronym.entry(acronym).or_default().push(x);
            }
            for initials in t.initials.into_iter().flatten() {
                index.by_initials.entry(initials).or_default().push(x);
            }
            index.rarest_after[x.index()] = index.rare_words(t, &m.vocabulary).first().copied();
        }
        index
    }

    /// A name's words that open units share no more than [`DF_CAP`] times,
    /// rarest first (ties by spelling, the same from either side).
    fn rare_words(&self, t: &Text, vocabulary: &Vocabulary) -> Vec<Word> {
        let mut rare: Vec<Word> = t
            .words
            .iter()
            .copied()
            .filter(|&w| !vocabulary.is_stop(w) && self.df[w as usize] <= DF_CAP)
            .collect();
        rare.sort_by_key(|&w| (self.df[w as usize], vocabulary.word(w)));
        rare
    }

    /// Open after-units under a key, unless too many share it.
    fn capped(map: &HashMap<u64, Vec<UnitIx>>, key: u64) -> &[UnitIx] {
        match map.get(&key) {
            Some(units) if units.len() <= DF_CAP => units,
            _ => &[],
        }
    }
}

impl Matcher<'_> {
    /// One round of scored matching. Returns how many pairs it made.
    fn match_scored(&mut self) -> usize {
        let scored = self.score_candidates();
        let siblings = self.siblings();
        let by_before = rank(&scored, self.before.order.len(), |s| s.a);
        let by_after = rank(&scored, self.after.order.len(), |s| s.b);
        let mut found = Vec::new();
        for &a in &self.open_before {
            let Some(ra) = by_before[a.index()] else {
                continue;
            };
            let best = &scored[ra.best];
            let Some(rb) = by_after[best.b.index()] else {
                continue;
            };
            if scored[rb.best].a != a {
                continue;
            }
            let runner_up = [ra.runner_up, rb.runner_up]
                .into_iter()
                .flatten()
                .max_by(|&x, &y| scored[x].score.total_cmp(&scored[y].score).then(y.cmp(&x)));
            match self.verdict(best, runner_up.map(|r| &scored[r]), &siblings) {
                Ok(evidence) => found.push((a, best.b, logistic(best.score), evidence)),
                Err(reason) => {
                    let note = |other: String| {
                        format!("possibly the same unit as {other}: {reason}: not guessed")
                    };
                    let notes = [note(self.after.label(best.b)), note(self.before.label(a))];
                    let [for_a, for_b] = notes;
                    self.doubts[0].insert(a, for_a);
                    self.doubts[1].insert(best.b, for_b);
                }
            }
        }
        self.pair_all(found)
    }

    /// The candidate pairs of open units that could be accepted or stand
    /// in the way of one, scored. A pair whose score could not reach
    /// [`ACCEPT`] - [`MARGIN`] even with the same name is dropped before
    /// its names are compared: it can neither win nor come close enough
    /// to a winner to matter.
    fn score_candidates(&self) -> Vec<Scored> {
        let index = CandidateIndex::new(self);
        let score = |units: &[UnitIx]| -> Vec<Scored> {
            units
                .iter()
                .flat_map(|&a| self.score_pairs_of(a, &index))
                .collect()
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads < 2 || self.open_before.len() < PARALLEL_FROM {
            return score(&self.open_before);
        }
        // Contiguous chunks, joined in order: the same result as one thread.
        let chunk = self.open_before.len().div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = self
                .open_before
                .chunks(chunk)
                .map(|units| s.spawn(move || score(units)))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("scoring does not panic"))
                .collect()
        })
    }

    /// The scored candidates of one open before-unit.
    fn score_pairs_of(&self, a: UnitIx, index: &CandidateIndex) -> Vec<Scored> {
        let ta = self.before.text(a);
        self.candidates(a, index)
            .into_iter()
            .filter_map(|b| {
                let mut features = self.features(a, b);
                if features.score() < ACCEPT - MARGIN {
                    return None;
                }
                let tb = self.after.text(b);
                features.name = Some(name_similarity(ta, tb, &self.vocabulary));
                features.name_count = index.names[&ta.key].min(index.names[&tb.key]);
                let score = features.score();
                Some(Scored {
                    a,
                    b,
                    score,
                    features,
                })
            })
            .collect()
    }

    /// Whether the best pair of two units is accepted: its evidence, or
    /// why not.
    fn verdict(
        &self,
        best: &Scored,
        runner_up: Option<&Scored>,
        siblings: &Siblings,
    ) -> Result<Vec<String>, String> {
        let (a, b) = (best.a, best.b);
        let p = logistic(best.score);
        if best.score < ACCEPT {
            return Err(format!("scored only {p:.2}, below the bar"));
        }
        if best.features.kinds_of_evidence() < 2 {
            return Err(format!(
                "scored {p:.2} on one kind of evidence only ({})",
                best.features.evidence(self, a, b).join("; ")
            ));
        }
        let mut evidence = best.features.evidence(self, a, b);
        match runner_up {
            Some(r) => {
                let margin = best.score - r.score;
                let who = if r.a == a {
                    self.after.label(r.b)
                } else {
                    self.before.label(r.a)
                };
                let line = format!(
                    "runner-up {who} scored {:.2} (margin {margin:.1})",
                    logistic(r.score)
                );
                if margin < MARGIN {
                    return Err(format!("scored {p:.2}, but {line}"));
                }
                evidence.push(line);
            }
            None => evidence.push("no other candidate".to_string()),
        }
        if let Some(why) = self.looks_like_group(a, b, &best.features, siblings) {
            return Err(format!(
                "scored {p:.2}, but {why}: part of a merge or split"
            ));
        }
        Ok(evidence)
    }

    /// Candidates for an open before-unit: open after-units sharing rare
    /// name words or an acronym form, open sub-units of its parent's
    /// counterpart, and the parents of its sub-units' counterparts.
    fn candidates(&self, a: UnitIx, index: &CandidateIndex) -> Vec<UnitIx> {
        let t = self.before.text(a);
        let mut out = self.word_candidates(t, index);
        if let Some(acronym) = t.acronym {
            out.extend(CandidateIndex::capped(&index.by_acronym, acronym));
            out.extend(CandidateIndex::capped(&index.by_initials, acronym));
        }
        for initials in t.initials.into_iter().flatten() {
            out.extend(CandidateIndex::capped(&index.by_acronym, initials));
        }
        if let Some(pb) = self
            .before
            .parent(a)
            .and_then(|p| self.partner(Which::Before, p))
        {
            out.extend(
                self.after
                    .children(pb)
                    .iter()
                    .filter(|&&b| self.is_open(Which::After, b)),
            );
        }
        for &c in self.before.children(a) {
            if let Some(pb) = self
                .partner(Which::Before, c)
                .and_then(|cb| self.after.parent(cb))
            {
                if self.is_open(Which::After, pb) {
                    out.push(pb);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Open after-units sharing with `t` two rare words, or the word
    /// rarest in both names ("Compliance Team", "Compliance Unit"). A
    /// qualifier shared among other words ("Northern Fraud Section",
    /// "Northern Visa Section") says too little, and at 100,000 units
    /// proposes too many pairs.
    fn word_candidates(&self, t: &Text, index: &CandidateIndex) -> Vec<UnitIx> {
        let rare = index.rare_words(t, &self.vocabulary);
        let mut hits: Vec<(UnitIx, Word)> = rare
            .iter()
            .flat_map(|&w| index.by_word[w as usize].iter().map(move |&b| (b, w)))
            .collect();
        hits.sort_unstable();
        hits.chunk_by(|x, y| x.0 == y.0)
            .filter(|shared| {
                let b = shared[0].0;
                shared.len() >= 2
                    || (Some(shared[0].1) == rare.first().copied()
                        && Some(shared[0].1) == index.rarest_after[b.index()])
            })
            .map(|shared| shared[0].0)
            .collect()
    }

    /// The features of a pair; the name similarity only when the names are
    /// the same (see [`Matcher::score_candidates`]).
    fn features(&self, a: UnitIx, b: UnitIx) -> Features {
        let (ta, tb) = (self.before.text(a), self.after.text(b));
        let description = match (
            self.before.description(a, &self.vocabulary),
            self.after.description(b, &self.vocabulary),
        ) {
            (Some(x), Some(y)) => Some(dice(x, y)),
            _ => None,
        };
        let same_kind = match (ta.kind, tb.kind) {
            (Some(x), Some(y)) => Some(x == y),
            _ => None,
        };
        let same_name = ta.name == tb.name;
        Features {
            name: same_name.then_some(1.0),
            same_name,
            name_count: 0,
            acronym: Acronyms::of(ta, tb),
            parents: self.parents(a, b),
            children: (
                self.carried(a, b),
                self.before.children(a).len(),
                self.after.children(b).len(),
            ),
            description,
            same_kind,
        }
    }

    /// Why `a` and `b` look like two parts of a merge or split rather than
    /// one unit, if they do: another unmatched unit sent most of its
    /// sub-units to `b`, or got most of its sub-units from `a`, and `a`
    /// and `b` share no more than [`DOMINANCE`] times as many; or `b` is
    /// named after `a` and another unit ("Fraud and Visa Section"), or `a`
    /// is the common core of the names of `b` and another. A unit that kept
    /// its exact name continues regardless.
    fn looks_like_group(
        &self,
        a: UnitIx,
        b: UnitIx,
        f: &Features,
        siblings: &Siblings,
    ) -> Option<String> {
        if f.same_name {
            return None;
        }
        // Parents may not be matched yet: `other`'s own siblings count too.
        let named = |w: Which, x: UnitIx, other: UnitIx| {
            let own = &siblings.by_own_parent[w.other() as usize];
            let mut candidates: Vec<UnitIx> = self.open_siblings(siblings, w, x).to_vec();
            candidates.extend(
                own.get(&self.side(w.other()).parent(other))
                    .into_iter()
                    .flatten(),
            );
            candidates.sort_unstable();
            candidates.dedup();
            self.name_parts(w, x, &candidates)
                .filter(|(parts, _)| parts.contains(&other))
                .map(|(_, how)| how)
        };
        self.rival_part(Which::After, b, a)
            .map(|x| format!("{} also sent sub-units to it", self.before.label(x)))
            .or_else(|| {
                self.rival_part(Which::Before, a, b)
                    .map(|y| format!("{} also took sub-units from it", self.after.label(y)))
            })
            .or_else(|| named(Which::After, b, a))
            .or_else(|| named(Which::Before, a, b))
    }

    /// An unmatched unit on the other side, besides `partner`, that would
    /// be a part if `x` (on side `w`) were split or merged: it shares at
    /// least [`PART_PURITY`] of its matched sub-units with `x`, and they
    /// are at least [`PART_SHARE`] of `x`'s.
    fn rival_part(&self, w: Which, x: UnitIx, partner: UnitIx) -> Option<UnitIx> {
        let flows = self.flows(w, x);
        let kept = flows
            .iter()
            .find(|f| f.to == partner)
            .map_or(0, |f| f.count);
        flows.into_iter().find_map(|f| {
            let part = f.to != partner
                && self.is_open(w.other(), f.to)
                && f.purity() >= PART_PURITY
                && f.share() >= PART_SHARE
                && kept < DOMINANCE * f.count;
            part.then_some(f.to)
        })
    }
}

/// For each unit (by index), its best scored candidate and runner-up.
fn rank(scored: &[Scored], n: usize, unit: impl Fn(&Scored) -> UnitIx) -> Vec<Option<Ranking>> {
    // Higher score first; ties go to the earlier pair, which only affects
    // the wording of a doubt (a tie is never accepted: its margin is 0).
    let better = |i: usize, j: usize| {
        scored[i].score > scored[j].score || (scored[i].score == scored[j].score && i < j)
    };
    let mut out: Vec<Option<Ranking>> = vec![None; n];
    for (i, s) in scored.iter().enumerate() {
        let slot = &mut out[unit(s).index()];
        *slot = Some(match *slot {
            None => Ranking {
                best: i,
                runner_up: None,
            },
            Some(r) if better(i, r.best) => Ranking {
                best: i,
                runner_up: Some(r.best),
            },
            Some(r) => Ranking {
                best: r.best,
                runner_up: Some(match r.runner_up {
                    Some(u) if better(u, i) => u,
                    _ => i,
                }),
            },
        });
    }
    out
}

// ---------------------------------------------------------------------------
// Stage 4: n:1 and 1:n

/// A change claimed for open units, before conflicts are settled.
#[derive(Debug, Clone)]
struct Claim {
    kind: ChangeKind,
    before: Vec<UnitIx>,
    after: Vec<UnitIx>,
    /// The open units it takes (a continuing unit is not taken).
    takes: Vec<(Which, UnitIx)>,
    /// The weakest share or purity of the sub-units behind it (0 when only
    /// names are).
    strength: f64,
    /// Whether the names corroborate.
    names: bool,
    evidence: Vec<String>,
}

impl Matcher<'_> {
    /// Merges, absorptions, splits and spin-offs among the open units. A
    /// unit claimed by two of them (an n:m reorganization) is left out of
    /// both, with a note.
    fn find_groups(&mut self) -> Vec<Group> {
        self.build_flow_target_texts();
        let siblings = self.siblings();
        let mut claims = Vec::new();
        for w in Which::BOTH {
            for &x in self.open(w) {
                claims.extend(self.fan_claim(w, x, self.open_siblings(&siblings, w, x)));
                claims.extend(self.continuation_claims(w, x));
            }
        }
        let mut taken: [HashMap<UnitIx, usize>; 2] = Default::default();
        for claim in &claims {
            for &(w, x) in &claim.takes {
                *taken[w as usize].entry(x).or_default() += 1;
            }
        }
        let (kept, contested): (Vec<Claim>, Vec<Claim>) = claims
            .into_iter()
            .partition(|c| c.takes.iter().all(|&(w, x)| taken[w as usize][&x] == 1));
        for claim in contested {
            self.note_contested(&claim);
        }
        join_continuations(kept)
            .into_iter()
            .map(|c| Group {
                kind: c.kind,
                before: c.before,
                after: c.after,
                confidence: logistic(-1.0 + 4.0 * c.strength + if c.names { 2.0 } else { 0.0 }),
                evidence: c.evidence,
            })
            .collect()
    }

    /// Builds the texts of the units the open units' sub-units went to
    /// (or came from), continuing ones included: their names are compared.
    fn build_flow_target_texts(&mut self) {
        for w in Which::BOTH {
            let mut targets: Vec<UnitIx> = self
                .open(w)
                .iter()
                .flat_map(|&x| self.flows(w, x))
                .map(|f| f.to)
                .collect();
            targets.sort_unstable();
            targets.dedup();
            match w.other() {
                Which::Before => self.before.build_texts(&targets, &mut self.vocabulary),
                Which::After => self.after.build_texts(&targets, &mut self.vocabulary),
            }
        }
    }

    /// A split of an open before-unit, or (mirrored) a merge into an open
    /// after-unit: its sub-units went to (came from) two or more open
    /// units on the other side, or its name is the sum or the common core
    /// of theirs.
    fn fan_claim(&self, w: Which, x: UnitIx, siblings: &[UnitIx]) -> Option<Claim> {
        let mut evidence = Vec::new();
        let mut parts: Vec<UnitIx> = Vec::new();
        let (mut coverage, mut purest) = (0.0, 1.0_f64);
        for f in self.flows(w, x) {
            if self.is_open(w.other(), f.to) && f.purity() >= PART_PURITY && f.share() >= PART_SHARE
            {
                parts.push(f.to);
                coverage += f.share();
                purest = purest.min(f.purity());
                evidence.push(self.flow_evidence(w, x, &f));
            }
        }
        let structural = parts.len() >= 2 && coverage >= COVERAGE;
        if !structural {
            parts.clear();
            evidence.clear();
        }
        let named = self.name_parts(w, x, siblings);
        if !structural && named.is_none() {
            return None;
        }
        if let Some((named_parts, how)) = &named {
            evidence.push(how.clone());
            parts.extend(named_parts);
            parts.sort_unstable();
            parts.dedup();
        }
        let (kind, before, after) = match w {
            Which::Before => (ChangeKind::Split, vec![x], parts.clone()),
            Which::After => (ChangeKind::Merged, parts.clone(), vec![x]),
        };
        let mut takes = vec![(w, x)];
        takes.extend(parts.iter().map(|&y| (w.other(), y)));
        Some(Claim {
            kind,
            before,
            after,
            takes,
            strength: if structural {
                purest.min(coverage)
            } else {
                0.0
            },
            names: named.is_some(),
            evidence,
        })
    }

    /// Units among `siblings` (open, on the other side, their parent
    /// corresponding to `x`'s) whose names relate to `x`'s: either each
    /// name is part of `x`'s and together they make it up ("Fraud and Visa
    /// Section" from "Fraud Section" and "Visa Section"), or each contains
    /// all of `x`'s words ("Fraud Analysis Section", "Fraud Review Section"
    /// from "Fraud Section"). Two or more, with how they relate.
    fn name_parts(
        &self,
        w: Which,
        x: UnitIx,
        siblings: &[UnitIx],
    ) -> Option<(Vec<UnitIx>, String)> {
        let topic = &self.side(w).text(x).topic;
        if topic.is_empty() {
            return None;
        }
        let other = self.side(w.other());
        let labels = |units: &[UnitIx]| -> String {
            units
                .iter()
                .map(|&y| other.label(y))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let within: Vec<UnitIx> = siblings
            .iter()
            .copied()
            .filter(|&y| {
                let t = &other.text(y).topic;
                !t.is_empty() && t.len() < topic.len() && is_subset(t, topic)
            })
            .collect();
        let mut covered: Vec<Word> = within
            .iter()
            .flat_map(|&y| other.text(y).topic.iter().copied())
            .collect();
        covered.sort_unstable();
        covered.dedup();
        if within.len() >= 2 && covered.len() == topic.len() {
            let how = format!(
                "{} is named after {}",
                self.side(w).label(x),
                labels(&within)
            );
            return Some((within, how));
        }
        let around: Vec<UnitIx> = siblings
            .iter()
            .copied()
            .filter(|&y| {
                let t = &other.text(y).topic;
                t.len() > topic.len() && is_subset(topic, t)
            })
            .collect();
        (around.len() >= 2).then(|| {
            let how = format!(
                "{} are named after {}",
                labels(&around),
                self.side(w).label(x)
            );
            (around, how)
        })
    }

    /// An open before-unit absorbed by a continuing unit, or (mirrored) an
    /// open after-unit spun off from one: at least [`MAJORITY`] of its
    /// matched sub-units went to (came from) that unit, and either the
    /// names relate (one's words contain the other's) or they are two or
    /// more and at least [`PART_SHARE`] of that unit's. A unit that was
    /// inside the one that took its sub-units was a level removed, not
    /// absorbed (and a new one inside the one that gave them, a level
    /// added).
    fn continuation_claims(&self, w: Which, x: UnitIx) -> Vec<Claim> {
        let inside = |y: UnitIx| {
            let side = self.side(w);
            std::iter::successors(side.parent(x), |&p| side.parent(p))
                .any(|p| self.partner(w, p) == Some(y))
        };
        let names_relate = |y: UnitIx| {
            let (ours, theirs) = (
                &self.side(w).text(x).topic,
                &self.side(w.other()).text(y).topic,
            );
            !ours.is_empty()
                && !theirs.is_empty()
                && (is_subset(ours, theirs) || is_subset(theirs, ours))
        };
        self.flows(w, x)
            .into_iter()
            .filter(|f| {
                let substantial = f.count >= 2 && f.purity() >= PART_SHARE;
                !self.is_open(w.other(), f.to)
                    && f.share() >= MAJORITY
                    && (substantial || names_relate(f.to))
                    && !inside(f.to)
            })
            .map(|f| {
                let (kind, before, after) = match w {
                    Which::Before => (ChangeKind::Absorbed, vec![x], vec![f.to]),
                    Which::After => (ChangeKind::SpunOff, vec![f.to], vec![x]),
                };
                Claim {
                    kind,
                    before,
                    after,
                    takes: vec![(w, x)],
                    strength: f.share(),
                    names: false,
                    evidence: vec![self.flow_evidence(w, x, &f)],
                }
            })
            .collect()
    }

    /// "Fraud Section → Fraud Analysis Section: 3 of its 5 sub-units,
    /// making 3 of 3", in the before → after direction.
    fn flow_evidence(&self, w: Which, x: UnitIx, f: &Flow) -> String {
        let (a, b, of_a, of_b) = match w {
            Which::Before => (x, f.to, f.from_total, f.to_total),
            Which::After => (f.to, x, f.to_total, f.from_total),
        };
        format!(
            "{} → {}: {n} of its {of_a} sub-units, making {n} of {of_b}",
            self.before.label(a),
            self.after.label(b),
            n = f.count
        )
    }

    fn note_contested(&mut self, claim: &Claim) {
        let labels = |w: Which, units: &[UnitIx]| -> String {
            units
                .iter()
                .map(|&u| self.side(w).label(u))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let reason = format!(
            "possibly {} ({} → {}), but some of these units are claimed by another change: not guessed",
            claim.kind,
            labels(Which::Before, &claim.before),
            labels(Which::After, &claim.after)
        );
        for &(w, x) in &claim.takes {
            self.doubts[w as usize].insert(x, reason.clone());
        }
    }

    /// The pairs and groups found, and notes for the units left over.
    fn into_inference(self, groups: Vec<Group>) -> Inference {
        let mut grouped: [Vec<bool>; 2] = [
            vec![false; self.before.order.len()],
            vec![false; self.after.order.len()],
        ];
        for g in &groups {
            g.before.iter().for_each(|x| grouped[0][x.index()] = true);
            g.after.iter().for_each(|x| grouped[1][x.index()] = true);
        }
        let mut notes: [Vec<(UnitIx, String)>; 2] = [Vec::new(), Vec::new()];
        for w in Which::BOTH {
            for &x in self.open(w) {
                if grouped[w as usize][x.index()] {
                    continue;
                }
                if let Some(note) = self.doubts[w as usize].get(&x) {
                    notes[w as usize].push((x, note.clone()));
                }
            }
        }
        let [notes_before, notes_after] = notes;
        Inference {
            pairs: self.found,
            groups,
            notes_before,
            notes_after,
        }
    }
}

/// Continuation claims joined per continuing unit: the units one unit
/// absorbed form one change, as do those spun off from one unit.
fn join_continuations(claims: Vec<Claim>) -> Vec<Claim> {
    let mut joined: BTreeMap<(ChangeKind, UnitIx), Claim> = BTreeMap::new();
    let mut out = Vec::new();
    for claim in claims {
        let continuing = match claim.kind {
            ChangeKind::Absorbed => claim.after[0],
            ChangeKind::SpunOff => claim.before[0],
            _ => {
                out.push(claim);
                continue;
            }
        };
        match joined.entry((claim.kind, continuing)) {
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(claim);
            }
            std::collections::btree_map::Entry::Occupied(mut e) => {
                let c = e.get_mut();
                for (into, from) in [(&mut c.before, &claim.before), (&mut c.after, &claim.after)] {
                    into.extend(from);
                    into.sort_unstable();
                    into.dedup();
                }
                c.takes.extend(claim.takes);
                c.strength = c.strength.min(claim.strength);
                c.evidence.extend(claim.evidence);
            }
        }
    }
    out.extend(joined.into_values());
    out
}

// ---------------------------------------------------------------------------
// Similarity measures

/// The better of Jaro–Winkler on the folded names and the token-set ratio
/// of their words; 1 when one name is the other's initials ("LEISI"), which
/// no string measure would see. Computed in a fixed argument order so that
/// it is exactly symmetric.
fn name_similarity(a: &Text, b: &Text, vocabulary: &Vocabulary) -> f64 {
    if abbreviates(a, b) || abbreviates(b, a) {
        return 1.0;
    }
    let (a, b) = if a.name <= b.name { (a, b) } else { (b, a) };
    let spelled = |t: &Text| -> Vec<&str> {
        let mut words: Vec<&str> = t.words.iter().map(|&w| vocabulary.word(w)).collect();
        words.sort_unstable();
        words
    };
    strsim::jaro_winkler(&a.name, &b.name).max(token_set_ratio(&spelled(a), &spelled(b)))
}

/// Whether `short`'s name is an acronym of `long`'s name.
fn abbreviates(short: &Text, long: &Text) -> bool {
    short.abbreviated
        && short
            .acronym
            .is_some_and(|a| long.initials.contains(&Some(a)))
}

/// fuzzywuzzy's token-set ratio of two sorted lists of words: with I the
/// shared words and A, B the others, the best Indel ratio (2·LCS / total
/// length) among I vs I+A, I vs I+B and I+A vs I+B. 1.0 when one name's
/// words are all in the other.
fn token_set_ratio(a: &[&str], b: &[&str]) -> f64 {
    let common: Vec<&str> = a
        .iter()
        .copied()
        .filter(|w| b.binary_search(w).is_ok())
        .collect();
    let rest = |words: &[&str]| -> Vec<char> {
        let rest = words.iter().filter(|w| !common.contains(w));
        let mut chars: Vec<char> = rest
            .flat_map(|w| std::iter::once(' ').chain(w.chars()))
            .collect();
        if !chars.is_empty() {
            // The space before the first word.
            chars.remove(0);
        }
        chars
    };
    let (rest_a, rest_b) = (rest(a), rest(b));
    let shared = common
        .iter()
        .map(|w| w.chars().count() + 1)
        .sum::<usize>()
        .saturating_sub(1);
    // I+A is I, a space and A; or either alone.
    let joined = |rest: usize| match (shared, rest) {
        (0, r) => r,
        (s, 0) => s,
        (s, r) => s + 1 + r,
    };
    let (with_a, with_b) = (joined(rest_a.len()), joined(rest_b.len()));
    let ratio = |lcs: usize, x: usize, y: usize| {
        if x + y == 0 {
            0.0
        } else {
            2.0 * lcs as f64 / (x + y) as f64
        }
    };
    // I is a prefix of I+A and of I+B, so only A and B need comparing.
    let space = usize::from(shared > 0 && !rest_a.is_empty() && !rest_b.is_empty());
    let lcs_ab = shared + space + lcs(&rest_a, &rest_b);
    ratio(shared, shared, with_a)
        .max(ratio(shared, shared, with_b))
        .max(ratio(lcs_ab, with_a, with_b))
}

/// The length of a longest common subsequence.
fn lcs(x: &[char], y: &[char]) -> usize {
    // A common prefix is always part of one.
    let prefix = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    let (xs, ys) = (&x[prefix..], &y[prefix..]);
    let mut row = vec![0usize; ys.len() + 1];
    for &cx in xs {
        let mut diagonal = 0;
        for (j, &cy) in ys.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if cx == cy {
                diagonal + 1
            } else {
                up.max(row[j])
            };
            diagonal = up;
        }
    }
    prefix + row[ys.len()]
}

/// The Dice coefficient of two sorted, deduplicated lists.
fn dice(x: &[u64], y: &[u64]) -> f64 {
    if x.is_empty() && y.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f64 / (x.len() + y.len()) as f64
}

/// Whether every item of sorted `small` is in sorted `big`.
fn is_subset(small: &[Word], big: &[Word]) -> bool {
    small.iter().all(|w| big.binary_search(w).is_ok())
}

fn logistic(score: f64) -> f64 {
    1.0 / (1.0 + (-score).exp())
}

/// FNV-1a: a stable hash, so that keys and signatures do not depend on the
/// run.
fn hash_str(s: &str) -> u64 {
    hash_bytes(0xcbf2_9ce4_8422_2325, s.as_bytes())
}

fn hash_mix(h: u64, x: u64) -> u64 {
    hash_bytes(h, &x.to_le_bytes())
}

fn hash_bytes(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &byte| {
        (h ^ byte as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Unit;
    use crate::synth::{history, snapshot, Churn};

    fn unit(id: &str, name: &str, children: Vec<Unit>) -> Unit {
        Unit {
            id: id.to_string(),
            name: name.to_string(),
            acronym: None,
            aliases: Vec::new(),
            kind: None,
            description: None,
            note: None,
            sources: Vec::new(),
            partial: false,
            units: Some(children),
        }
    }

    fn described(id: &str, name: &str, description: &str) -> Unit {
        Unit {
            description: Some(description.to_string()),
            ..unit(id, name, Vec::new())
        }
    }

    fn state(root: Unit) -> OrgState {
        OrgState::default().overlay(&snapshot("s", 2000, root), 0)
    }

    /// Every unit of a state, in tree order.
    fn all(s: &OrgState) -> Vec<UnitIx> {
        s.preorder().into_iter().map(|(ix, _)| ix).collect()
    }

    /// Inference with no unit paired beforehand, as when all ids differ.
    fn infer_all(before: &OrgState, after: &OrgState) -> Inference {
        infer(&Known {
            before,
            after,
            pairs: &[],
            removed: &all(before),
            added: &all(after),
        })
    }

    /// Inference after pairing the units that keep their id, as the diff
    /// does.
    fn infer_by_id(before: &OrgState, after: &OrgState) -> Inference {
        let pairs: Vec<(UnitIx, UnitIx)> = all(before)
            .into_iter()
            .filter_map(|a| Some((a, after.find(&before.unit(a).id)?)))
            .collect();
        let removed: Vec<UnitIx> = all(before)
            .into_iter()
            .filter(|a| !pairs.iter().any(|p| p.0 == *a))
            .collect();
        let added: Vec<UnitIx> = all(after)
            .into_iter()
            .filter(|b| !pairs.iter().any(|p| p.1 == *b))
            .collect();
        infer(&Known {
            before,
            after,
            pairs: &pairs,
            removed: &removed,
            added: &added,
        })
    }

    /// The pairs found, by id.
    fn paired(inference: &Inference, before: &OrgState, after: &OrgState) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = inference
            .pairs
            .iter()
            .map(|p| {
                (
                    before.unit(p.before).id.clone(),
                    after.unit(p.after).id.clone(),
                )
            })
            .collect();
        out.sort();
        out
    }

    fn pair_of<'i>(inference: &'i Inference, before: &OrgState, id: &str) -> Option<&'i Pair> {
        inference
            .pairs
            .iter()
            .find(|p| before.unit(p.before).id == id)
    }

    #[test]
    fn an_acronym_meets_its_expansion() {
        let sharing = "Shares law enforcement records with partner agencies through one system.";
        let before = state(unit(
            "b0",
            "Office of Investigations",
            vec![
                described(
                    "b1",
                    "Law Enforcement Information Sharing Initiative",
                    sharing,
                ),
                described(
                    "b2",
                    "Cyber Crimes Center",
                    "Investigates crimes committed online.",
                ),
                described(
                    "b3",
                    "Benefit Fraud Unit",
                    "Investigates immigration benefit fraud.",
                ),
            ],
        ));
        let after = state(unit(
            "a0",
            "Office of Investigations",
            vec![
                described("a1", "LEISI", sharing),
                described(
                    "a2",
                    "Cyber Crimes Center",
                    "Investigates crimes committed online.",
                ),
                described(
                    "a3",
                    "Benefit Fraud Unit",
                    "Investigates immigration benefit fraud.",
                ),
            ],
        ));
        let inference = infer_all(&before, &after);
        let leisi = pair_of(&inference, &before, "b1").expect("LEISI is found");
        assert_eq!(after.unit(leisi.after).id, "a1");
        assert!(leisi.confidence > 0.9, "{leisi:?}");
        assert_eq!(
            leisi.evidence[0],
            "LEISI is the acronym of Law Enforcement Information Sharing Initiative"
        );
        assert_eq!(paired(&inference, &before, &after).len(), 4);
    }

    #[test]
    fn homonyms_pair_by_their_context() {
        // Every division has a "Mission Support Unit" and an "Operations
        // Section"; all ids change, and each division gains a unit, so no
        // sub-tree stays identical.
        let division = |p: &str, name: &str| {
            let id = |suffix: &str| format!("{p}-{name}-{suffix}");
            let mut units = vec![
                unit(&id("msu"), "Mission Support Unit", Vec::new()),
                unit(&id("ops"), "Operations Section", Vec::new()),
            ];
            if p == "new" {
                units.push(unit(
                    &id("added"),
                    &format!("{name} Outreach Team"),
                    Vec::new(),
                ));
            }
            unit(&id("division"), name, units)
        };
        let tree = |p: &str| {
            let divisions = ["Fraud Division", "Cyber Division", "Trade Division"];
            unit(
                &format!("{p}-root"),
                "Agency",
                divisions.iter().map(|d| division(p, d)).collect(),
            )
        };
        let (before, after) = (state(tree("old")), state(tree("new")));
        let inference = infer_all(&before, &after);
        let pairs = paired(&inference, &before, &after);
        assert_eq!(pairs.len(), before.len());
        for (old, new) in pairs {
            assert_eq!(old.trim_start_matches("old"), new.trim_start_matches("new"));
        }
        let msu = pair_of(&inference, &before, "old-Cyber Division-msu").unwrap();
        assert_eq!(
            msu.evidence,
            ["same name under the matched parent (Cyber Division)"]
        );
    }

    #[test]
    fn a_unit_renamed_and_moved_at_once_is_found() {
        let fraud = "Investigates document and benefit fraud, and trains field offices on it.";
        let before = state(unit(
            "b0",
            "Agency",
            vec![
                unit(
                    "b1",
                    "Investigations Division",
                    vec![
                        described("b11", "Northern Document Fraud Section", fraud),
                        described("b12", "Gang Section", "Investigates transnational gangs."),
                    ],
                ),
                unit(
                    "b2",
                    "Intelligence Division",
                    vec![described(
                        "b21",
                        "Analysis Section",
                        "Writes threat assessments.",
                    )],
                ),
            ],
        ));
        let after = state(unit(
            "a0",
            "Agency",
            vec![
                unit(
                    "a1",
                    "Investigations Division",
                    vec![described(
                        "a12",
                        "Gang Section",
                        "Investigates transnational gangs.",
                    )],
                ),
                unit(
                    "a2",
                    "Intelligence Division",
                    vec![
                        described("a21", "Analysis Section", "Writes threat assessments."),
                        described("a22", "Document Fraud Section", fraud),
                    ],
                ),
            ],
        ));
        let inference = infer_all(&before, &after);
        let pair = pair_of(&inference, &before, "b11").expect("found");
        assert_eq!(after.unit(pair.after).id, "a22");
        assert!(
            pair.evidence
                .iter()
                .any(|e| e.starts_with("now under Intelligence Division")),
            "{:?}",
            pair.evidence
        );
    }

    #[test]
    fn a_merge_that_keeps_one_members_id_is_an_absorption() {
        let fraud = |ids: [&str; 3]| {
            unit(
                ids[0],
                "Fraud Section",
                vec![
                    unit(ids[1], "Document Fraud Unit", Vec::new()),
                    unit(ids[2], "Benefit Fraud Unit", Vec::new()),
                ],
            )
        };
        let before = state(unit(
            "root",
            "Agency",
            vec![
                fraud(["fraud", "docs", "benefits"]),
                unit(
                    "visa",
                    "Visa Section",
                    vec![
                        unit("vetting", "Visa Vetting Unit", Vec::new()),
                        unit("overstays", "Overstay Unit", Vec::new()),
                    ],
                ),
            ],
        ));
        let mut merged = fraud(["fraud", "docs", "benefits"]);
        if let Some(children) = &mut merged.units {
            children.push(unit("vetting", "Visa Vetting Unit", Vec::new()));
            children.push(unit("overstays", "Overstay Unit", Vec::new()));
        }
        let after = state(unit("root", "Agency", vec![merged]));
        let inference = infer_by_id(&before, &after);
        assert!(inference.pairs.is_empty());
        let [group] = &inference.groups[..] else {
            panic!("one group: {inference:?}");
        };
        assert_eq!(group.kind, ChangeKind::Absorbed);
        assert_eq!(before.unit(group.before[0]).id, "visa");
        assert_eq!(after.unit(group.after[0]).id, "fraud");
        assert!(
            group.evidence[0].contains("2 of its 2 sub-units"),
            "{:?}",
            group.evidence
        );
    }

    #[test]
    fn a_pair_too_close_to_call_is_left_unguessed() {
        // One "Fraud Unit" before, two identical ones after, under
        // divisions that match nothing: either could be it.
        let fraud = "Investigates fraud against the agency's programs.";
        let before = state(unit(
            "b0",
            "Agency",
            vec![unit(
                "b1",
                "Alpha Division",
                vec![described("b11", "Fraud Unit", fraud)],
            )],
        ));
        let after = state(unit(
            "a0",
            "Agency",
            vec![
                unit(
                    "a1",
                    "Beta Division",
                    vec![described("a11", "Fraud Unit", fraud)],
                ),
                unit(
                    "a2",
                    "Gamma Division",
                    vec![described("a21", "Fraud Unit", fraud)],
                ),
            ],
        ));
        let inference = infer_all(&before, &after);
        assert!(
            pair_of(&inference, &before, "b11").is_none(),
            "{inference:?}"
        );
        let note = inference
            .notes_before
            .iter()
            .find(|(ix, _)| *ix == before.find("b11").unwrap())
            .map(|(_, note)| note.as_str())
            .expect("a note");
        assert!(
            note.contains("runner-up Fraud Unit") && note.contains("margin 0.0"),
            "{note}"
        );
        assert!(note.ends_with("not guessed"), "{note}");
    }

    #[test]
    fn inference_mirrors_its_reverse() {
        let mut h = history(5, 1500, &Churn::percent(10.0));
        h.rekey(5);
        let (a, b) = (state(h.before), state(h.after));
        let (forward, backward) = (infer_all(&a, &b), infer_all(&b, &a));
        let flip = |p: &(String, String)| (p.1.clone(), p.0.clone());
        let mut mirrored: Vec<(String, String)> =
            paired(&forward, &a, &b).iter().map(flip).collect();
        mirrored.sort();
        assert_eq!(mirrored, paired(&backward, &b, &a));
        let groups = |inference: &Inference, x: &OrgState, y: &OrgState, mirror: bool| {
            let ids = |s: &OrgState, units: &[UnitIx]| -> Vec<String> {
                let mut ids: Vec<String> = units.iter().map(|&u| s.unit(u).id.clone()).collect();
                ids.sort();
                ids
            };
            let mut out: Vec<(ChangeKind, Vec<String>, Vec<String>)> = inference
                .groups
                .iter()
                .map(|g| match (mirror, g.kind) {
                    (false, kind) => (kind, ids(x, &g.before), ids(y, &g.after)),
                    (true, kind) => {
                        let kind = match kind {
                            ChangeKind::Merged => ChangeKind::Split,
                            ChangeKind::Split => ChangeKind::Merged,
                            ChangeKind::Absorbed => ChangeKind::SpunOff,
                            ChangeKind::SpunOff => ChangeKind::Absorbed,
                            other => other,
                        };
                        (kind, ids(y, &g.after), ids(x, &g.before))
                    }
                })
                .collect();
            out.sort();
            out
        };
        assert_eq!(
            groups(&forward, &a, &b, true),
            groups(&backward, &b, &a, false)
        );
        assert!(!forward.groups.is_empty());
    }

    #[test]
    fn token_set_ratio_is_one_when_a_name_contains_the_other() {
        assert_eq!(
            token_set_ratio(&["fraud", "section"], &["benefit", "fraud", "section"]),
            1.0
        );
        assert!(token_set_ratio(&["fraud", "section"], &["section", "visa"]) < 0.8);
        assert_eq!(token_set_ratio(&[], &[]), 0.0);
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        assert_eq!(lcs(&chars("fraud unit"), &chars("fraud team")), 7);
    }

    #[test]
    fn topic_words_leave_out_the_kind_and_stopwords() {
        assert_eq!(
            topic_words(&["office", "of", "intelligence"]),
            ["intelligence"]
        );
        assert_eq!(
            topic_words(&["program", "management", "unit"]),
            ["program", "management"]
        );
        assert_eq!(
            topic_words(&["fraud", "and", "visa", "section"]),
            ["fraud", "visa"]
        );
    }
}

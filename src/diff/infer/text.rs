//! Stage 0, normalizing the leftovers: the [`Vocabulary`] of name words,
//! each unit's normalized [`Text`] (folded name, its words and topic
//! words, acronym, initials, aliases, kind), and the word lists and rules
//! behind them (stopwords, kind words, initials).

use rustc_hash::FxHashMap as HashMap;

use super::hash::hash_str;
use crate::state::StateUnit;
use crate::text;

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

pub(super) fn is_stopword(w: &str) -> bool {
    STOPWORDS.contains(&w)
}

fn is_kind_word(w: &str) -> bool {
    KIND_WORDS.contains(&w)
}

/// A name word, as a number of the [`Vocabulary`].
pub(super) type Word = u32;

/// The name words of both sides, numbered, so that words are compared and
/// counted as numbers.
#[derive(Debug, Default)]
pub(super) struct Vocabulary {
    pub(super) ids: HashMap<String, Word>,
    pub(super) words: Vec<String>,
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

    pub(super) fn word(&self, id: Word) -> &str {
        &self.words[id as usize]
    }

    pub(super) fn is_stop(&self, id: Word) -> bool {
        self.stop[id as usize]
    }
}

/// A unit's text, normalized for comparison. Built ([`Text::of`]) only
/// for units still open after the first exact keys, which compare names
/// as written: at 100,000 re-keyed units that spares most of the work.
#[derive(Debug, Default)]
pub(super) struct Text {
    /// Built; until then all fields are empty.
    pub(super) built: bool,
    /// Folded name: "law enforcement information sharing initiative".
    pub(super) name: String,
    /// A hash of `name`, for keys.
    pub(super) key: u64,
    /// The name's distinct words, sorted by number.
    pub(super) words: Vec<Word>,
    /// The words that say what the unit does (see [`topic_words`]), sorted
    /// by number.
    pub(super) topic: Vec<Word>,
    /// The given acronym, folded and without spaces ("leisi"), hashed; a
    /// one-word name in capitals ("LEISI") counts as one.
    pub(super) acronym: Option<u64>,
    pub(super) acronym_len: usize,
    /// The name is an acronym ("LEISI").
    pub(super) abbreviated: bool,
    /// Initials of the name without and with stopwords, hashed.
    pub(super) initials: [Option<u64>; 2],
    /// Folded aliases, hashed.
    pub(super) aliases: Vec<u64>,
    /// Folded kind, hashed.
    pub(super) kind: Option<u64>,
}

impl Text {
    pub(super) fn of(unit: &StateUnit, vocabulary: &mut Vocabulary) -> Text {
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
pub(super) fn topic_words<'w>(words: &[&'w str]) -> Vec<&'w str> {
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

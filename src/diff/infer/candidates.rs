//! Candidate generation for scored matching: the open units that share a
//! rare name word or an acronym form with a unit, are spelled nearly
//! alike, or sit where its parent's or sub-units' counterparts do.

use rustc_hash::FxHashMap as HashMap;

use super::matcher::{Matcher, OpenAlikes};
use super::text::{Text, Vocabulary, Word};
use super::{DF_CAP, SIBLING_CAP};
use crate::diff::step::Side;
use crate::state::UnitIx;

/// How many after-units on each side of a unit, in each spelling order,
/// are candidates for it.
const NEIGHBOURS: usize = 4;

/// A word borne by no more open units than this (the two compared among
/// them) is rare enough to single out a unit, however many are open.
const RARE_WORD: usize = 8;

/// Lookups for candidate generation over the open units.
pub(super) struct CandidateIndex {
    /// Open units (both sides) with each word, by word number.
    pub(super) df: Vec<usize>,
    /// Open units (both sides) with each name, by name hash.
    pub(super) names: HashMap<u64, usize>,
    /// Open after-units by word number.
    pub(super) by_word: Vec<Vec<UnitIx>>,
    /// Open after-units by acronym, and by initials.
    pub(super) by_acronym: HashMap<u64, Vec<UnitIx>>,
    pub(super) by_initials: HashMap<u64, Vec<UnitIx>>,
    /// The rarest word of each open after-unit (by unit index).
    pub(super) rarest_after: Vec<Option<Word>>,
    /// Open after-units by their parent.
    pub(super) by_parent: HashMap<UnitIx, Vec<UnitIx>>,
    /// A word borne by no more open units than this is rare: one in a
    /// hundred of them, between 2 (the two compared) and [`RARE_WORD`].
    pub(super) rare: usize,
    /// The open units of both sides sorted by spelling, forward and
    /// backward: names respelled lie near one another in one of the two.
    pub(super) spellings: [Spellings; 2],
}

/// Open units sorted by a key of their spelling (the first 16 bytes of
/// the folded name without spaces, or of its reverse), and where each
/// before-unit stands in that order: the sorted-neighbourhood blocking of
/// record linkage, which finds names a letter or two apart that share no
/// word.
#[derive(Default)]
pub(super) struct Spellings {
    /// (key, is an after-unit, unit), sorted.
    sorted: Vec<(u128, bool, UnitIx)>,
    /// The position of each open before-unit in `sorted`.
    position: HashMap<UnitIx, usize>,
}

impl Spellings {
    pub(super) fn new(m: &Matcher, alikes: &OpenAlikes, backward: bool) -> Spellings {
        let key = |t: &Text| -> u128 {
            let mut letters: Vec<u8> = t.name.bytes().filter(|&c| c != b' ').collect();
            if backward {
                letters.reverse();
            }
            let mut bytes = [0u8; 16];
            for (slot, c) in bytes.iter_mut().zip(letters) {
                *slot = c;
            }
            u128::from_be_bytes(bytes)
        };
        let mut sorted: Vec<(u128, bool, UnitIx)> = Vec::new();
        for w in Side::BOTH {
            for &x in m.open(w) {
                if w == Side::Before || alikes.stands_for(m, w, x) {
                    sorted.push((key(m.side(w).text(x)), w == Side::After, x));
                }
            }
        }
        sorted.sort_unstable();
        let position = sorted
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.1)
            .map(|(i, e)| (e.2, i))
            .collect();
        Spellings { sorted, position }
    }

    /// The after-units nearest `a` in this order, [`NEIGHBOURS`] on each
    /// side.
    pub(super) fn neighbours(&self, a: UnitIx) -> impl Iterator<Item = UnitIx> + '_ {
        let at = self.position.get(&a).copied().unwrap_or(0);
        let after = |e: &&(u128, bool, UnitIx)| e.1;
        let up = self.sorted[..at]
            .iter()
            .rev()
            .filter(after)
            .take(NEIGHBOURS);
        let down = self.sorted[at..].iter().filter(after).take(NEIGHBOURS);
        up.chain(down).map(|e| e.2)
    }
}

impl CandidateIndex {
    /// The index of the open units; of open look-alikes, only the first
    /// of each class is a candidate.
    pub(super) fn new(m: &Matcher, alikes: &OpenAlikes) -> CandidateIndex {
        let words = m.vocabulary.words.len();
        let mut index = CandidateIndex {
            df: vec![0; words],
            names: HashMap::default(),
            by_word: vec![Vec::new(); words],
            by_acronym: HashMap::default(),
            by_initials: HashMap::default(),
            rarest_after: vec![None; m.after.len()],
            by_parent: HashMap::default(),
            rare: ((m.open_before.len() + m.open_after.len()) / 100).clamp(2, RARE_WORD),
            spellings: [false, true].map(|backward| Spellings::new(m, alikes, backward)),
        };
        for w in Side::BOTH {
            for &x in m.open(w) {
                let t = m.side(w).text(x);
                *index.names.entry(t.key).or_default() += 1;
                let candidate = w == Side::After && alikes.stands_for(m, w, x);
                for &word in t.words.iter().filter(|&&id| !m.vocabulary.is_stop(id)) {
                    index.df[word as usize] += 1;
                    if candidate {
                        index.by_word[word as usize].push(x);
                    }
                }
            }
        }
        let candidates = m
            .open_after
            .iter()
            .filter(|&&x| alikes.stands_for(m, Side::After, x));
        for &x in candidates {
            let t = m.after.text(x);
            if let Some(acronym) = t.acronym {
                index.by_acronym.entry(acronym).or_default().push(x);
            }
            for initials in t.initials.into_iter().flatten() {
                index.by_initials.entry(initials).or_default().push(x);
            }
            index.rarest_after[x.index()] = index.rare_words(t, &m.vocabulary).first().copied();
            if let Some(p) = m.after.parent(x) {
                index.by_parent.entry(p).or_default().push(x);
            }
        }
        index
    }

    /// The open sub-units of after-unit `p`, unless there are more than
    /// [`SIBLING_CAP`]: a place proposes its units only while they are
    /// few enough to compare each with each (words and sub-units still
    /// propose candidates among many).
    pub(super) fn open_children(&self, p: UnitIx) -> &[UnitIx] {
        match self.by_parent.get(&p) {
            Some(units) if units.len() <= SIBLING_CAP => units,
            _ => &[],
        }
    }

    /// A name's words that open units share no more than [`DF_CAP`] times,
    /// rarest first (ties by spelling, the same from either side).
    pub(super) fn rare_words(&self, t: &Text, vocabulary: &Vocabulary) -> Vec<Word> {
        let mut rare: Vec<Word> = t
            .words
            .iter()
            .copied()
            .filter(|&w| !vocabulary.is_stop(w) && self.df[w as usize] <= DF_CAP)
            .collect();
        rare.sort_by_key(|&w| (self.df[w as usize], vocabulary.word(w)));
        rare
    }

    /// Whether `words` single out a unit: one of them is rare among the
    /// open units, or no more than two open after-units bear them all.
    pub(super) fn singles_out(&self, words: &[Word], m: &Matcher) -> bool {
        let words: Vec<Word> = words
            .iter()
            .copied()
            .filter(|&w| !m.vocabulary.is_stop(w))
            .collect();
        if words.iter().any(|&w| self.df[w as usize] <= self.rare) {
            return true;
        }
        let Some(&rarest) = words
            .iter()
            .min_by_key(|&&w| self.by_word[w as usize].len())
        else {
            return false;
        };
        let bearers = &self.by_word[rarest as usize];
        let bears_all = |b: &&UnitIx| {
            let own = &m.after.text(**b).words;
            words.iter().all(|w| own.binary_search(w).is_ok())
        };
        bearers.len() <= DF_CAP && bearers.iter().filter(bears_all).take(3).count() <= 2
    }

    /// Open after-units under a key, unless too many share it.
    pub(super) fn capped(map: &HashMap<u64, Vec<UnitIx>>, key: u64) -> &[UnitIx] {
        match map.get(&key) {
            Some(units) if units.len() <= DF_CAP => units,
            _ => &[],
        }
    }
}

impl Matcher<'_> {
    /// Candidates for an open before-unit: open after-units sharing rare
    /// name words or an acronym form, or spelled nearly alike, open
    /// sub-units of its parent's counterpart, and the parents of its
    /// sub-units' counterparts.
    pub(super) fn candidates(&self, a: UnitIx, index: &CandidateIndex) -> Vec<UnitIx> {
        let t = self.before.text(a);
        let mut out = self.word_candidates(t, index);
        for spellings in &index.spellings {
            out.extend(spellings.neighbours(a));
        }
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
            .and_then(|p| self.partner(Side::Before, p))
        {
            out.extend(index.open_children(pb));
        }
        for &c in self.before.children(a) {
            if let Some(pb) = self
                .partner(Side::Before, c)
                .and_then(|cb| self.after.parent(cb))
            {
                if self.is_open(Side::After, pb) {
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
    pub(super) fn word_candidates(&self, t: &Text, index: &CandidateIndex) -> Vec<UnitIx> {
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
}

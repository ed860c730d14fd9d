//! Similarity measures and hashes the stages share: how two names relate
//! (the same, respelled, one extending the other, or merely similar by
//! Jaro–Winkler and token-set ratio, acronyms), the Dice coefficient, the
//! logistic that turns log-odds into a confidence, and the stable FNV-1a
//! hash behind keys and signatures.

use super::text::{Text, Vocabulary, Word};

// ---------------------------------------------------------------------------
// Similarity measures

/// How two names relate, strongest first. Read on the folded names, so
/// case, accents and punctuation never count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum NameRelation {
    /// The same name.
    Same,
    /// One is the other's acronym ("LEISI").
    Abbreviated,
    /// The same letters but for the spacing ("Lapalme", "La Palme") or a
    /// few letters ("Schweinheim", "Schwenheim"), with the same numbers.
    Respelled,
    /// Every word of one name is in the other, which adds some: a
    /// qualifier or an article added or dropped ("Claunay",
    /// "Claunay-en-Loudun"; "Office of Policy", "Office of Policy and
    /// Planning").
    Extended,
    /// The names share words that single out a unit among the open ones
    /// and differ in a qualifier: they begin with the same words and go on differently
    /// ("Salignac-de-Pons", "Salignac-sur-Charente"), or one word of each
    /// takes the place of one of the other ("Northern Visa Section",
    /// "Regional Visa Section"; "Legal Affairs Unit", "Legal Affairs
    /// Team").
    Requalified,
    /// One bears the name of a sub-unit that both have: a unit that took
    /// the name of one of its parts ("Blaiserives" becoming
    /// "Doulevant-le-Château", the name of the former village inside it),
    /// or gave it up. Found by the matcher, which sees sub-units.
    AfterPart,
    /// Neither: the better of Jaro–Winkler on the folded names and the
    /// token-set ratio of their words, in [0, 1].
    Similar(f64),
}

impl NameRelation {
    /// The names align: one is the other respelled, abbreviated or
    /// extended. Unlike a mere similarity, that rarely happens between a
    /// unit abolished and another established beside it.
    pub(super) fn aligned(self) -> bool {
        !matches!(self, NameRelation::Similar(_))
    }

    /// A similarity in [0, 1] for thresholds: 1 for aligned names.
    pub(super) fn similarity(self) -> f64 {
        match self {
            NameRelation::Similar(s) => s,
            _ => 1.0,
        }
    }
}

/// How the names of `a` and `b` relate. Symmetric. `distinctive` says
/// whether words the names share single out a unit among those compared.
pub(super) fn name_relation(
    a: &Text,
    b: &Text,
    vocabulary: &Vocabulary,
    distinctive: impl Fn(&[Word]) -> bool,
) -> NameRelation {
    if a.name == b.name {
        return NameRelation::Same;
    }
    if abbreviates(a, b) || abbreviates(b, a) {
        return NameRelation::Abbreviated;
    }
    let (x, y) = (&a.words, &b.words);
    // The same words in another order count as respelled.
    if x == y || respelled(&a.name, &b.name) {
        return NameRelation::Respelled;
    }
    if is_subset(x, y) || is_subset(y, x) {
        return NameRelation::Extended;
    }
    let mut head: Vec<Word> = a
        .name
        .split(' ')
        .zip(b.name.split(' '))
        .take_while(|(p, q)| p == q)
        .filter_map(|(w, _)| vocabulary.ids.get(w).copied())
        .collect();
    head.sort_unstable();
    let shared: Vec<Word> = x
        .iter()
        .copied()
        .filter(|w| y.binary_search(w).is_ok())
        .collect();
    let one_word_swapped = x.len() == shared.len() + 1 && y.len() == shared.len() + 1;
    if (!head.is_empty() && distinctive(&head)) || (one_word_swapped && distinctive(&shared)) {
        return NameRelation::Requalified;
    }
    NameRelation::Similar(name_similarity(a, b, vocabulary))
}

/// Whether two different folded names are the same but for the spacing or
/// a few letters: one edit in five letters or more, two in ten, three in
/// fifteen. Numbers must agree: "Area 7" is not "Area 8" respelled.
fn respelled(x: &str, y: &str) -> bool {
    let letters = |s: &str| -> String { s.chars().filter(|c| *c != ' ').collect() };
    let digits = |s: &str| -> String { s.chars().filter(char::is_ascii_digit).collect() };
    if digits(x) != digits(y) {
        return false;
    }
    let (lx, ly) = (letters(x), letters(y));
    if lx == ly {
        return true;
    }
    let longest = lx.chars().count().max(ly.chars().count());
    let allowed = longest / 5;
    // Cheap bound first: the lengths alone need that many edits.
    let length_gap = lx.chars().count().abs_diff(ly.chars().count());
    allowed > 0 && length_gap <= allowed.min(3) && strsim::levenshtein(x, y) <= allowed.min(3)
}

/// The better of Jaro–Winkler on the folded names and the token-set ratio
/// of their words; 1 when one name is the other's initials ("LEISI"), which
/// no string measure would see. Computed in a fixed argument order so that
/// it is exactly symmetric.
pub(super) fn name_similarity(a: &Text, b: &Text, vocabulary: &Vocabulary) -> f64 {
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
pub(super) fn abbreviates(short: &Text, long: &Text) -> bool {
    short.abbreviated
        && short
            .acronym
            .is_some_and(|a| long.initials.contains(&Some(a)))
}

/// fuzzywuzzy's token-set ratio of two sorted lists of words: with I the
/// shared words and A, B the others, the best Indel ratio (2·LCS / total
/// length) among I vs I+A, I vs I+B and I+A vs I+B. 1.0 when one name's
/// words are all in the other.
pub(super) fn token_set_ratio(a: &[&str], b: &[&str]) -> f64 {
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
pub(super) fn lcs(x: &[char], y: &[char]) -> usize {
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
pub(super) fn dice(x: &[u64], y: &[u64]) -> f64 {
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
pub(super) fn is_subset(small: &[Word], big: &[Word]) -> bool {
    small.iter().all(|w| big.binary_search(w).is_ok())
}

pub(super) fn logistic(score: f64) -> f64 {
    1.0 / (1.0 + (-score).exp())
}

//! Text helpers shared by lookups and matching: folding names so that case
//! and accents do not matter, and splitting them into words.

use unicode_normalization::UnicodeNormalization;

/// Lowercase, accents removed, punctuation turned to spaces, spaces folded:
/// `"Département  d'Études"` → `"departement d etudes"`.
pub(crate) fn fold(s: &str) -> String {
    if s.is_ascii() {
        fold_ascii(s)
    } else {
        fold_unicode(s)
    }
}

fn fold_unicode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// [`fold`] for ASCII text, which has no accents to remove: most names.
fn fold_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    out
}

/// The words of a folded name.
pub(crate) fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("Département  d'Études"), "departement d etudes");
        assert_eq!(fold("HSI-Intel"), "hsi intel");
        assert_eq!(fold("  Office of Intelligence "), "office of intelligence");
        assert_eq!(
            words("Cyber & Operational Technology"),
            ["cyber", "operational", "technology"]
        );
    }

    #[test]
    fn the_ascii_path_folds_as_the_general_one() {
        for s in ["A--b  C", " x ", "", "Co. & Sons", "HSI-Intel (2)"] {
            assert_eq!(fold_ascii(s), fold_unicode(s), "{s:?}");
        }
    }
}

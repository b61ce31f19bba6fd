//! Turkish text as people search and sort it: `İ`/`I` and `ı`/`i` are one letter to a
//! searcher, and so are `ş`/`s`, `ç`/`c`, `ğ`/`g`, `ö`/`o`, `ü`/`u`, `â`/`a`. The site's
//! search (`assets/search.js` holds the same folding) and the ids `defter new` makes
//! from names both fold this way.

/// Turkish-aware case and diacritic folding: `İ`→`i`, `I`→`ı`→`i`, diacritics dropped.
pub(crate) fn fold_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'İ' | 'I' | 'ı' | 'i' | 'î' | 'Î' | 'ï' => out.push('i'),
            'Ç' | 'ç' => out.push('c'),
            'Ğ' | 'ğ' => out.push('g'),
            'Ö' | 'ö' => out.push('o'),
            'Ş' | 'ş' => out.push('s'),
            'Ü' | 'ü' | 'û' | 'Û' => out.push('u'),
            'Â' | 'â' | 'ä' => out.push('a'),
            '\u{307}' => {} // a combining dot above, left by other tools' lower-casing of İ
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The candidate closest to `typed` when one is only a typo away (an edit or two, a
/// third of the word at most), compared folded the Turkish way: "did you mean …".
pub(crate) fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let key = |word: &str| fold_case(word).replace('_', "-");
    let typed = key(typed);
    let limit = 2.max(typed.chars().count() / 3);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&typed, &key(c)), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_name_is_one_typo_away() {
        let names = ["zeynep.arslan", "elif.kara", "oguz.koc"];
        assert_eq!(closest("zeynep.arsaln", names), Some("zeynep.arslan"));
        assert_eq!(closest("Elif.Kara", names), Some("elif.kara"));
        assert_eq!(closest("oğuz.koç", names), Some("oguz.koc"));
        assert_eq!(closest("mehmet.demir", names), None);
    }

    #[test]
    fn folds_turkish_case_and_diacritics() {
        assert_eq!(fold_case("İstanbul"), "istanbul");
        assert_eq!(fold_case("ISPARTA"), "isparta");
        assert_eq!(fold_case("ılık Işık"), "ilik isik");
        assert_eq!(fold_case("Şikâyet ÇĞÖÜ"), "sikayet cgou");
        assert_eq!(fold_case("i̇stanbul"), "istanbul");
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_turkish_case_and_diacritics() {
        assert_eq!(fold_case("İstanbul"), "istanbul");
        assert_eq!(fold_case("ISPARTA"), "isparta");
        assert_eq!(fold_case("ılık Işık"), "ilik isik");
        assert_eq!(fold_case("Şikâyet ÇĞÖÜ"), "sikayet cgou");
        assert_eq!(fold_case("i̇stanbul"), "istanbul");
    }
}

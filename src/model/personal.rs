//! What personal data looks like in a record's text (KVKK): Turkish identity numbers (TC
//! kimlik no, both check digits verified), IBANs (ISO 13616, mod 97), e-mail addresses,
//! written plainly or obfuscated in brackets (`ad [at] alan [dot] gov.tr`), and Turkish
//! phone numbers as people write them. The `personal-data` rule reports them; a public
//! site (`build --public`) removes them from every output.
//!
//! Each detector is a regular expression over candidates and, where the format has one,
//! its checksum: eleven digits that fail the TC check digits, or a letter number like
//! `E-12345678-010.01-1234`, are not personal data.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::secret::What;

pub(crate) const TC_KIMLIK: What = ("a Turkish identity number (TC kimlik no)", "T.C. kimlik numarası");
pub(crate) const IBAN: What = ("an IBAN", "IBAN");
pub(crate) const EMAIL: What = ("an e-mail address", "e-posta adresi");
pub(crate) const PHONE: What = ("a phone number", "telefon numarası");

/// Fields whose purpose is contact data (any depth, any kind): the rule leaves them
/// alone, a public site drops them whole.
static CONTACT_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(e_?mails?|git_emails?|e_?posta|phones?|mobile|gsm|fax|telefon|cep|home_address|tckn|tc_kimlik(_no)?|iban)$",
    )
    .expect("compiles")
});

/// Whether a field of this name holds contact data by its purpose (`email`, `phone`…).
pub(crate) fn is_contact_field(key: &str) -> bool {
    CONTACT_FIELD.is_match(key)
}

static TC: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b[1-9]\d{10}\b").expect("compiles"));

/// Two letters, two check digits, then groups of up to four letters or digits, with a
/// space between groups or none.
static IBAN_CANDIDATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b").expect("compiles"));

static PLAIN_EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}").expect("compiles"));

/// `ad [at] alan [dot] gov.tr`, `ad(at)alan.com`, `ad {at} alan {nokta} com`: only the
/// bracketed forms (` at ` in prose is an English word).
static OBFUSCATED_EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[a-z0-9._%+-]+\s*[\[({<]\s*(?:at|@|et)\s*[\])}>]\s*[a-z0-9-]+(?:\s*(?:[\[({<]\s*(?:dot|nokta|\.)\s*[\])}>]|\.)\s*[a-z0-9-]+)+",
    )
    .expect("compiles")
});

/// Turkish phone numbers: `0532 123 45 67`, `0 (232) 293 12 34`, `(0232) 293 21 31`,
/// `+90 532 123-45-67`, `0090 532 1234567`, `0532-123-45-67`, `05321234567`, `0532 123
/// 4567`. A number starts with `+90`, `0090` or a `0` and an area or operator code of
/// 2xx–5xx; letter numbers (`E-12345678-010.01-1234`), ids and dates do not.
static PHONE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+90|\b0090|\(?\b0)[ .-]*\(?[2-5]\d{2}\)?[ .-]*\d{3}[ .-]*\d{2}[ .-]*\d{2}\b").expect("compiles")
});

/// Whether eleven digits pass both check digits of a TC kimlik no.
pub(crate) fn tc_kimlik_valid(digits: &str) -> bool {
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 11 || d[0] == 0 {
        return false;
    }
    let odd = d[0] + d[2] + d[4] + d[6] + d[8];
    let even = d[1] + d[3] + d[5] + d[7];
    let tenth = (odd * 7 + 10 * 9 - even) % 10;
    let eleventh = d[..10].iter().sum::<u32>() % 10;
    d[9] == tenth && d[10] == eleventh
}

/// The length of an IBAN of `country`, where known (ISO 13616's registry, the countries
/// most often met here); others may be 15 to 34 characters.
fn iban_length(country: &str) -> Option<usize> {
    Some(match country {
        "TR" => 26,
        "DE" => 22,
        "GB" | "IE" => 22,
        "FR" | "IT" => 27,
        "NL" => 18,
        "BE" => 16,
        "AT" => 20,
        "CH" => 21,
        "ES" => 24,
        "AZ" => 28,
        "CY" | "GR" => 28,
        _ => return None,
    })
}

/// Whether `iban` (letters and digits, no spaces) passes ISO 13616's check: moved to the
/// end, letters as 10–35, the number mod 97 is 1.
pub(crate) fn iban_valid(iban: &str) -> bool {
    let ok_length = match iban_length(&iban[..2.min(iban.len())]) {
        Some(n) => iban.len() == n,
        None => (15..=34).contains(&iban.len()),
    };
    if !ok_length || !iban.is_ascii() {
        return false;
    }
    let (head, tail) = iban.split_at(4);
    let mut rest = 0u32;
    for c in tail.chars().chain(head.chars()) {
        let v = match c.to_digit(36) {
            Some(v) => v,
            None => return false,
        };
        rest = if v < 10 { (rest * 10 + v) % 97 } else { (rest * 100 + v) % 97 };
    }
    rest == 1
}

/// The IBAN at the start of a candidate: the longest prefix (by letters and digits)
/// that passes the check, as a byte length of `text`.
fn iban_prefix(text: &str) -> Option<usize> {
    let compact: Vec<(usize, char)> = text.char_indices().filter(|(_, c)| *c != ' ').collect();
    let letters: String = compact.iter().map(|&(_, c)| c).collect();
    (15..=letters.len().min(34)).rev().find(|&n| iban_valid(&letters[..n])).map(|n| {
        let (i, c) = compact[n - 1];
        i + c.len_utf8()
    })
}

/// Every piece of personal data in `text`: what it is and its byte range, sorted by
/// position (overlaps left to the first found).
pub(crate) fn find_all(text: &str) -> Vec<(What, Range<usize>)> {
    if !may_hold(text) {
        return Vec::new();
    }
    scan(text)
}

/// Whether `text` has what each of [`find_all`]'s patterns needs: an `@` or a bracket
/// (an address, plain or obfuscated), ten digits or more (a TC kimlik number has 11, a
/// phone number 11 or more), or two capital letters and two digits (an IBAN's start).
/// Most texts with digits are dates and ids (`2026-03-03`, `TLP-2026-0001`), which have
/// none of these: the regexes are not run over them. A digit is any numeric char, as
/// the patterns' `\d` takes any Unicode digit.
fn may_hold(text: &str) -> bool {
    // Digits in all; capital letters in a row just before; digits in a row after two.
    let (mut digits, mut capitals, mut after) = (0, 0, 0);
    for c in text.chars() {
        if matches!(c, '@' | '[' | '(' | '{' | '<') {
            return true;
        }
        if c.is_numeric() {
            digits += 1;
            after = if capitals >= 2 || after > 0 { after + 1 } else { 0 };
            capitals = 0;
            if digits >= 10 || after >= 2 {
                return true;
            }
        } else {
            capitals = if c.is_ascii_uppercase() { capitals + 1 } else { 0 };
            after = 0;
        }
    }
    false
}

/// [`find_all`] without its prefilter: every pattern run over `text`.
fn scan(text: &str) -> Vec<(What, Range<usize>)> {
    let mut out: Vec<(What, Range<usize>)> = Vec::new();
    for m in TC.find_iter(text).filter(|m| tc_kimlik_valid(m.as_str())) {
        out.push((TC_KIMLIK, m.range()));
    }
    for m in IBAN_CANDIDATE.find_iter(text) {
        if let Some(len) = iban_prefix(m.as_str()) {
            out.push((IBAN, m.start()..m.start() + len));
        }
    }
    // `https://user:password@host` is a URL with a password (the `secret` rule's), not
    // an address.
    // Only the 256 bytes before an address are looked at: a long line of addresses stays
    // linear.
    let in_url = |start: usize| {
        let mut from = start.saturating_sub(256);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let token = text[from..start].rsplit(char::is_whitespace).next().unwrap_or_default();
        token.contains("://")
    };
    out.extend(PLAIN_EMAIL.find_iter(text).filter(|m| !in_url(m.start())).map(|m| (EMAIL, m.range())));
    out.extend(OBFUSCATED_EMAIL.find_iter(text).map(|m| (EMAIL, m.range())));
    out.extend(PHONE_NUMBER.find_iter(text).map(|m| (PHONE, m.range())));
    out.sort_by_key(|(_, r)| (r.start, std::cmp::Reverse(r.end)));
    let mut end = 0;
    out.retain(|(_, r)| {
        let keep = r.start >= end;
        end = end.max(r.end);
        keep
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn found(text: &str) -> Vec<(&'static str, &str)> {
        find_all(text).into_iter().map(|(w, r)| (w.0, &text[r])).collect()
    }

    #[test]
    fn identity_numbers_need_both_check_digits() {
        assert!(tc_kimlik_valid("10000000146"));
        assert!(tc_kimlik_valid("12345678950"));
        assert!(!tc_kimlik_valid("12345678951"), "the eleventh digit");
        assert!(!tc_kimlik_valid("12345678940"), "the tenth digit");
        assert!(!tc_kimlik_valid("02345678950"), "a leading zero");
        assert_eq!(found("T.C. Kimlik No: 10000000146."), [(TC_KIMLIK.0, "10000000146")]);
        assert_eq!(found("sayı 12345678951 ve 123456789501"), []);
    }

    #[test]
    fn ibans_pass_mod_97() {
        assert!(iban_valid("TR330006100519786457841326"));
        assert!(!iban_valid("TR330006100519786457841327"));
        assert!(iban_valid("DE89370400440532013000"));
        for text in ["TR33 0006 1005 1978 6457 8413 26", "TR330006100519786457841326"] {
            assert_eq!(found(&format!("IBAN: {text} numaralı hesap")), [(IBAN.0, text)]);
        }
        assert_eq!(found("TR33 0006 1005 1978 6457 8413 27"), []);
    }

    #[test]
    fn e_mail_addresses_plain_and_obfuscated() {
        for text in
            ["ayse.yilmaz@izmir.bel.tr", "ayse [at] izmir [dot] gov.tr", "ayse(at)alan.com", "ali {at} x {nokta} com"]
        {
            assert_eq!(found(&format!("yazın: {text} adresine")), [(EMAIL.0, text)], "{text}");
        }
        assert_eq!(found("look at this (at least) [dot]"), []);
        assert_eq!(found("https://admin:Gizli2026@panel.izmir.bel.tr"), []);
        assert_eq!(found("mailto:ali@x.com"), [(EMAIL.0, "ali@x.com")]);
    }

    #[test]
    fn phone_numbers_in_every_common_writing() {
        for text in [
            "0532 123 45 67",
            "0 (232) 293 12 34",
            "(0232) 293 21 31",
            "+90 532 123-45-67",
            "+905321234567",
            "0090 532 123 45 67",
            "0532-123-45-67",
            "05321234567",
            "0532 123 4567",
            "0232.293.12.34",
        ] {
            assert_eq!(found(&format!("tel: {text}, mesai")), [(PHONE.0, text)], "{text}");
        }
        for text in [
            "E-12345678-010.01-1234",
            "TLP-2026-0001",
            "2026-03-03",
            "03.03.2026",
            "sürüm 1.0.1, 10.0.3.245",
            "PRJ-0005, 1 200 000 TL",
            "0001234567",
            "12345678901",
        ] {
            assert_eq!(found(text), [], "{text}");
        }
    }

    proptest! {
        /// The prefilter never hides what the patterns find: texts of pieces of
        /// personal data (with Unicode digits too), near misses, dates, ids and noise
        /// give the same findings with it and without it.
        #[test]
        fn the_prefilter_hides_nothing_the_patterns_find(
            pieces in prop::collection::vec(
                prop_oneof![
                    prop::sample::select(vec![
                        "0532 123 45 67", "+90 532 123-45-67", "0 (232) 293 12 34", "05321234567",
                        "0532 ١٢٣ ٤٥ ٦٧", "0532 １２３ ４５ ６７", "12345678950", "10000000146",
                        "TR33 0006 1005 1978 6457 8413 26", "DE89370400440532013000", "TR٣٣ 0006",
                        "ayse@izmir.bel.tr", "ayse [at] izmir [nokta] bel [nokta] tr", "ali (et) ornek.org",
                        "2026-03-03", "TLP-2026-0001", "PRJ-0005", "03.03.2026", "AB12", "AB1", "A12",
                        "https://u:p@h.org", "ı", "İ", "ş", " ", "-", ".", "+", "0", "7", "٣", "Z",
                    ])
                    .prop_map(String::from),
                    "[ -~ıİşğüöçŞĞÜÖÇ٠-٩０-９]{0,6}",
                ],
                0..8,
            )
        ) {
            let text: String = pieces.concat();
            prop_assert_eq!(find_all(&text), scan(&text), "{:?}", text);
        }
    }

    #[test]
    fn the_prefilter_lets_each_kind_through_and_dates_and_ids_not() {
        for text in ["0532 ١٢٣ ٤٥ ٦٧", "12345678950", "TR٣٣ 0006", "AB12", "a@b", "x [at] y", "(0232)"] {
            assert!(may_hold(text), "{text}");
        }
        for text in ["2026-03-03", "TLP-2026-0001", "03.03.2026", "A12", "AB1 2", "sürüm 1.0.1", "Yazıcı arızası"]
        {
            assert!(!may_hold(text), "{text}");
        }
    }
}

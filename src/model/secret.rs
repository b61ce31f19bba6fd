//! What a secret looks like (keys, passwords, tokens, connection strings, high-entropy
//! words) and how it is hidden: the `secret` rule finds them in records, the site and
//! `defter log` mask them. Every scan is linear in the text: literal prefilters decide
//! before a regex runs.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::packed;
use regex::Regex;

/// What a secret looks like, in English and in Turkish.
pub(crate) type What = (&'static str, &'static str);

struct Pattern {
    what: What,
    regex: Regex,
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let p = |what, re: &str| Pattern { what, regex: Regex::new(re).expect("secret pattern compiles") };
    vec![
        p(("a private key", "özel anahtar"), r"-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----"),
        p(("a password in a URL", "adrese (URL) gömülü parola"), r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:[^/\s@]+@"),
        p(
            ("a JSON Web Token", "JSON Web Token (JWT) erişim belirteci"),
            r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
        ),
        p(("an AWS access key", "AWS erişim anahtarı"), r"\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b"),
        p(("an AWS secret key", "AWS gizli anahtarı"), r"(?i)\baws_?secret_?access_?key\b\W{0,3}[A-Za-z0-9/+=]{40}"),
        p(
            ("a GitHub token", "GitHub erişim belirteci"),
            r"\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})",
        ),
        p(
            ("a GitLab token", "GitLab erişim belirteci"),
            r"\b(glpat|gldt|glrt|glptt|glcbt|glft|glsoat)-[A-Za-z0-9_-]{20,}",
        ),
        p(("a Slack token", "Slack erişim belirteci"), r"\bxox[baprse]-[A-Za-z0-9-]{10,}"),
        p(
            ("a Slack webhook", "Slack webhook adresi"),
            r"hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+",
        ),
        p(("a Google API key", "Google API anahtarı"), r"\bAIza[0-9A-Za-z_-]{35}"),
        p(
            ("a Google OAuth token", "Google OAuth erişim belirteci"),
            r"\b(ya29\.[0-9A-Za-z_-]{20,}|GOCSPX-[0-9A-Za-z_-]{20,})",
        ),
        p(("a bearer token", "Bearer erişim belirteci"), r"(?i)\bbearer\s+[A-Za-z0-9._~+/-]{20,}=*"),
    ]
});

const HIGH_ENTROPY: What =
    ("a high-entropy string (a key or token?)", "rastgele görünen uzun bir dizgi (anahtar ya da belirteç olabilir)");
pub(crate) const SECRET_FIELD: What =
    ("a password or token field with a value", "değeri yazılmış bir parola ya da belirteç alanı");

/// `password: x` in prose; the value is checked against [`placeholder`] separately.
static PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(password|passwd|pwd|parola|şifre|sifre|şifresi|parolası)\s*[:=]\s*(\S{4,})").expect("compiles")
});

/// Field names whose value is a secret by definition (`password`, `db_password`, `api_key`…).
static SECRET_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(^|_)(password|passwd|pwd|parola|şifre|sifre|secret|token|api_?key|private_?key|access_?key|secret_?key|client_?secret|passphrase)$",
    )
    .expect("compiles")
});

static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/=_-]{32,}").expect("compiles"));

/// A literal every pattern above requires, found by one multi-literal search (ASCII case
/// ignored, `ş` spelled both ways). Almost no text holds a secret: one search that finds
/// none of them replaces a pass per pattern (the scan of a 100,000-record repository was
/// mostly these passes). The search is aho-corasick's vectorised one (Teddy) for the
/// literals in lower case over the text in lower case ([`has_hint`]): about three times
/// faster than its case-insensitive automaton, which runs byte by byte.
static HINT: LazyLock<packed::Searcher> = LazyLock::new(|| {
    packed::Config::new()
        .builder()
        .extend(HINT_LITERALS.iter().map(|l| l.to_ascii_lowercase()))
        .build()
        .expect("the secret hints fit the vectorised search")
});

/// The literals of [`HINT`], as the patterns spell them.
const HINT_LITERALS: [&str; 34] = [
    "PRIVATE KEY",
    "://",
    "eyJ",
    "AKIA",
    "ASIA",
    "ABIA",
    "ACCA",
    "secret",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "gldt-",
    "glrt-",
    "glptt-",
    "glcbt-",
    "glft-",
    "glsoat-",
    "xox",
    "hooks.slack.com",
    "AIza",
    "ya29.",
    "GOCSPX-",
    "bearer",
    "password",
    "passwd",
    "pwd",
    "parola",
    "şifre",
    "Şifre",
    "sifre",
];

thread_local! {
    /// The text [`has_hint`] searches, in lower case (kept from one text to the next).
    static LOWERED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Whether `text` holds one of the [`HINT`] literals, ASCII case ignored.
fn has_hint(text: &str) -> bool {
    LOWERED.with_borrow_mut(|lowered| {
        lowered.clear();
        lowered.extend_from_slice(text.as_bytes());
        lowered.make_ascii_lowercase();
        HINT.find(lowered.as_slice()).is_some()
    })
}

/// The two letters outside ASCII that Unicode case folding (the patterns' `(?i)`) makes
/// equal to ASCII ones: the Kelvin sign (`k`) and the long s (`s`). A text with either is
/// searched by the patterns themselves, as the hints ignore only ASCII case.
fn has_folding_letter(text: &str) -> bool {
    // Searched for as bytes: decoding every character of a Turkish text to compare it
    // was a tenth of the secret scan.
    let bytes = text.as_bytes();
    ['\u{212A}', '\u{17F}'].iter().any(|c| memchr::memmem::find(bytes, c.encode_utf8(&mut [0; 4]).as_bytes()).is_some())
}

/// Whether `text` may match a secret pattern: it holds one of their literals, or a run
/// of 32 characters [`CANDIDATE`] could match.
pub(crate) fn may_hold_secret(text: &str) -> bool {
    has_long_run(text.as_bytes()) || has_hint(text) || (!text.is_ascii() && has_folding_letter(text))
}

/// How long a run of [`CANDIDATE`]'s characters is before it may be a key or token.
const RUN: usize = 32;

/// Whether `bytes` hold [`RUN`] characters of [`CANDIDATE`]'s class in a row. Each window
/// of `RUN` bytes is read from its end back to the last byte outside the class, and the
/// next window starts after that byte: in prose, whose words are short, most bytes are
/// never read (four times faster than reading every byte), and none is read twice.
fn has_long_run(bytes: &[u8]) -> bool {
    let in_class = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-');
    // Bytes before `known` (and from `start`) are known to be in the class.
    let (mut start, mut known) = (0, 0);
    while start + RUN <= bytes.len() {
        let end = start + RUN;
        let from = known.max(start);
        match bytes[from..end].iter().rposition(|&b| !in_class(b)) {
            None => return true,
            Some(at) => {
                start = from + at + 1;
                known = end;
            }
        }
    }
    false
}

/// Words people write where a password would go to say where it is *not*: "parola:
/// kasada" (in the safe), "şifre: yok". These are not secrets.
pub(crate) fn placeholder(value: &str) -> bool {
    let v = value.trim_matches(|c: char| !c.is_alphanumeric() && c != '*' && c != '•').to_lowercase();
    v.is_empty()
        || v.chars().all(|c| matches!(c, '*' | '•' | 'x' | '.'))
        || matches!(
            v.as_str(),
            "kasada"
                | "kasa"
                | "kasadadır"
                | "vault"
                | "vaultta"
                | "yok"
                | "none"
                | "null"
                | "gizli"
                | "hidden"
                | "redacted"
                | "değiştirildi"
                | "degistirildi"
                | "sıfırlandı"
                | "sifirlandi"
                | "ayrıca"
                | "iletildi"
                | "bitwarden"
                | "keepass"
                | "passbolt"
        )
}

/// A long run of base64-ish characters with the entropy of random data.
fn high_entropy(token: &str) -> bool {
    let has = |f: fn(&char) -> bool| token.chars().any(|c| f(&c));
    if !(has(char::is_ascii_uppercase) && has(char::is_ascii_lowercase) && has(char::is_ascii_digit)) {
        return false;
    }
    let mut counts = [0u32; 128];
    for b in token.bytes() {
        counts[usize::from(b & 0x7f)] += 1;
    }
    let n = token.len() as f64;
    let entropy: f64 = counts.iter().filter(|&&c| c > 0).map(|&c| f64::from(c) / n).map(|p| -p * p.log2()).sum();
    entropy > 4.2
}

/// Every secret in `text`: what it looks like and its byte range, sorted by position.
/// `entropy` adds the high-entropy heuristic (for record text, not for messages).
pub(crate) fn find_all(text: &str, entropy: bool) -> Vec<(What, Range<usize>)> {
    let mut out: Vec<(What, Range<usize>)> = Vec::new();
    if !may_hold_secret(text) {
        return out;
    }
    for p in PATTERNS.iter() {
        out.extend(p.regex.find_iter(text).map(|m| (p.what, m.range())));
    }
    for c in PASSWORD.captures_iter(text) {
        let (all, value) = (c.get(0).expect("group 0"), c.get(2).expect("group 2"));
        if !placeholder(value.as_str()) {
            out.push((("a password", "parola"), all.range()));
        }
    }
    if entropy {
        // A candidate overlapping a pattern's match is that match. The candidates come in
        // order, so one walk over the matches (sorted by start, with the furthest end so
        // far) answers them all: a line of 100,000 tokens is not compared 100,000² times.
        out.sort_by_key(|(_, r)| (r.start, r.end));
        let found = CANDIDATE.find_iter(text).filter(|m| high_entropy(m.as_str())).map(|m| m.range());
        let (mut next, mut furthest) = (0, 0);
        let mut kept = Vec::new();
        for range in found {
            while let Some((_, r)) = out.get(next).filter(|(_, r)| r.start < range.end) {
                furthest = furthest.max(r.end);
                next += 1;
            }
            if furthest <= range.start {
                kept.push((HIGH_ENTROPY, range));
            }
        }
        out.extend(kept);
    }
    out.sort_by_key(|(_, r)| (r.start, r.end));
    out
}

/// What kind of secret `text` holds first, if any, and where (byte offset).
#[cfg(test)]
fn find_secret(text: &str) -> Option<(&'static str, usize)> {
    find_all(text, true).into_iter().next().map(|(what, r)| (what.0, r.start))
}

/// `text` with every secret the explicit patterns recognise replaced by `[…]`.
pub(crate) fn mask(text: &str) -> Cow<'_, str> {
    replace_ranges(text, find_all(text, false).into_iter().map(|(_, r)| r))
}

/// `text` with every secret hidden, the high-entropy heuristic included: for record
/// text shown to people (the site).
pub(crate) fn mask_secrets(text: &str) -> Cow<'_, str> {
    replace_ranges(text, find_all(text, true).into_iter().map(|(_, r)| r))
}

/// Whether a field of this name holds a secret by definition (`password`, `api_key`…).
pub(crate) fn is_secret_field(key: &str) -> bool {
    // Every name the pattern takes ends in one of these two letters (ASCII case ignored);
    // most keys (`status`, `date`, `unit`) do not, and are answered without the regex,
    // which a large repository would run millions of times.
    let ends = key.as_bytes().last_chunk::<2>().map(|e| e.map(|b| b.to_ascii_lowercase()));
    match ends {
        Some(e) if e.is_ascii() => {
            matches!(&e, b"rd" | b"wd" | b"la" | b"re" | b"et" | b"en" | b"ey" | b"se") && SECRET_KEY.is_match(key)
        }
        _ => SECRET_KEY.is_match(key),
    }
}

/// `text` with each byte range (sorted by start) replaced by `[…]`; overlaps merge.
pub(crate) fn replace_ranges(text: &str, ranges: impl Iterator<Item = Range<usize>>) -> Cow<'_, str> {
    let mut out = String::new();
    let mut done = 0;
    for r in ranges {
        if r.end <= done {
            continue;
        }
        out.push_str(&text[done..r.start.max(done)]);
        out.push_str("[…]");
        done = r.end;
    }
    if done == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Texts made of pieces of the literals in mixed case, runs of the token characters
    /// and the letters case folding plays with.
    fn pieces() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "PaSs",
            "word",
            "wd",
            "WD",
            "p",
            "://",
            ":/",
            "/",
            "gHp_",
            "_",
            "xo",
            "X",
            "Şİ",
            "şi",
            "fRe",
            "Şifre",
            "SİFRE",
            " ",
            ".",
            "ya29",
            "AKIA",
            "eyj",
            "eyJ",
            "ſ",
            "\u{212A}",
            "Secre",
            "t",
            "glpat",
            "-",
            "bEaReR",
            "hooks.slack.",
            "com",
            "private ",
            "KEY",
            "0123456789",
            "abcdefghij",
            "ABCDEFGHIJ",
            "+/=",
            "ç",
            "\n",
        ]);
        prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
    }

    proptest! {
        /// The vectorised search over the lowered text finds what aho-corasick's own
        /// ASCII-case-insensitive automaton finds (what the hints were searched with before).
        #[test]
        fn hints_are_found_as_a_case_insensitive_search_finds_them(text in pieces()) {
            let reference = aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(HINT_LITERALS)
                .unwrap();
            prop_assert_eq!(has_hint(&text), reference.is_match(&text));
        }

        /// The skipping run check answers as the pattern it stands for.
        #[test]
        fn long_runs_are_found_as_the_pattern_finds_them(text in pieces()) {
            prop_assert_eq!(has_long_run(text.as_bytes()), CANDIDATE.is_match(&text));
        }
    }

    #[test]
    fn finds_secrets_without_false_alarms() {
        for text in [
            "-----BEGIN RSA PRIVATE KEY-----",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "bağlantı: postgres://app:Gizli123@db01/zabita",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "AKIAIOSFODNN7EXAMPLE",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
            "glpat-xxxxxxxxxxxxxxxxxxxx",
            "xoxb-1234567890-abcdefghij",
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "AIzaSyA-1234567890abcdefghijklmnopqrstu",
            "ya29.a0AfH6SMBx1234567890abcdefgh",
            "Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345",
            "parola: Yaz2026!",
            "veritabanı şifresi: Zb!2026x",
            "anahtar 9fQ2xL7pV3mK8sT1wZ6bN4cR0yH5jD2gA7eU",
        ] {
            assert!(find_secret(text).is_some(), "{text}");
        }
        for text in [
            "E-12345678-010.06-987654",
            "https://ebelediye.izmir.bel.tr/zabita/denetim-raporu",
            "Parola sıfırlama ekranı eklenecek",
            "parola kasada saklanır",
            "parola: kasada",
            "şifre: ****",
            "yazilim-gelistirme-servisi-zabita-modulu-denetim",
            "records/requests/2026/TLP-2026-0042.md",
        ] {
            assert_eq!(find_secret(text), None, "{text}");
        }
    }

    #[test]
    fn masks_secrets_and_keeps_other_text() {
        assert_eq!(mask("bağlantı: postgres://app:Gizli123@db01/x"), "bağlantı: […]db01/x");
        assert_eq!(mask("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 ve parola: Yaz2026!"), "[…] ve […]");
        assert!(matches!(mask("düz metin"), Cow::Borrowed(_)));
    }

    /// The literal prefilter and the field-name shortcut answer as the regexes they
    /// stand in front of would: every text the case-insensitive literals match (Unicode
    /// case folding included) passes the prefilter, and every field name the pattern
    /// takes is a secret field.
    #[test]
    fn shortcuts_miss_nothing_the_regexes_find() {
        let literals = Regex::new(
            r"(?i)PRIVATE KEY|://|eyJ|AKIA|ASIA|ABIA|ACCA|secret|gh[pousr]_|github_pat_|gl(pat|dt|rt|ptt|cbt|ft|soat)-|xox|hooks\.slack\.com|AIza|ya29\.|GOCSPX-|bearer|password|passwd|pwd|parola|şifre|sifre",
        )
        .unwrap();
        for text in [
            "ŞİFRE: yok",
            "ŞIFRE: 1234",
            "Şifre sıfırlama talebi",
            "PaSsWoRd=x",
            "ſecret: abc",
            "\u{212A}ey",
            "a\u{212A}ia0000",
            "ghS_x",
            "GLPAT-",
            "HOOKS.SLACK.COM",
            "https://x",
            "Birim yazısı ile alındı",
            "İstanbul",
        ] {
            if literals.is_match(text) {
                assert!(may_hold_secret(text), "{text}");
            }
        }
        assert!(!may_hold_secret("Birim yazısı ile alındı; kayıt güncellendi."));
        for key in [
            "password",
            "db_password",
            "PASSWORD",
            "api_key",
            "ApiKey",
            "client_secret",
            "passphrase",
            "passphraſe",
            "api_\u{212A}ey",
            "şifre",
            "ŞIFRE",
            "token",
            "status",
            "date",
            "keyword",
            "x",
            "",
            "secretary",
        ] {
            assert_eq!(is_secret_field(key), SECRET_KEY.is_match(key), "{key}");
        }
    }
}

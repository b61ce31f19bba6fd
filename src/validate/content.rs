//! Content checks: `secret` (keys, passwords and tokens pasted into a record; the
//! finding never repeats the secret) and `raw-html` (HTML inside Markdown bodies).

use std::sync::LazyLock;

use pulldown_cmark::{Event, Parser};
use regex::Regex;

use crate::diag::{Diagnostic, Rule};
use crate::load::Record;
use crate::model::{Node, Pos, Value};

struct Pattern {
    what: &'static str,
    regex: Regex,
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let p = |what, re: &str| Pattern { what, regex: Regex::new(re).expect("secret pattern compiles") };
    vec![
        p("a private key", r"-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----"),
        p("a password in a URL", r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:[^/\s@]+@"),
        p("a JSON Web Token", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
        p("an AWS access key", r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
        p("a GitHub token", r"\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
        p("a GitLab token", r"\bglpat-[A-Za-z0-9_-]{20,}"),
        p("a Slack token", r"\bxox[baprs]-[A-Za-z0-9-]{10,}"),
        p("a Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
        p("a password", r"(?i)\b(password|passwd|pwd|parola|şifre|sifre)\s*[:=]\s*\S{4,}"),
    ]
});

/// Field names whose value is a secret by definition.
static SECRET_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(password|passwd|pwd|parola|şifre|sifre|secret|token|api_?key|private_?key|client_secret)$")
        .expect("compiles")
});

static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/=_-]{32,}").expect("compiles"));

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

/// What kind of secret `text` holds, if any.
pub fn find_secret(text: &str) -> Option<(&'static str, usize)> {
    for p in PATTERNS.iter() {
        if let Some(m) = p.regex.find(text) {
            return Some((p.what, m.start()));
        }
    }
    CANDIDATE
        .find_iter(text)
        .find(|m| high_entropy(m.as_str()))
        .map(|m| ("a high-entropy string (a key or token?)", m.start()))
}

fn position_in(text: &str, offset: usize, start_line: u32) -> Pos {
    let before = &text[..offset];
    let line = start_line + before.matches('\n').count() as u32;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    Pos::new(line, col)
}

fn secret_finding(record: &Record, pos: Pos, what: &str) -> Diagnostic {
    Diagnostic::at(Rule::Secret, &record.path, pos, format!("this looks like {what}; secrets never belong in records"))
        .with_help("remove it, rotate it (it is in git history now), and note where the secret is kept instead (\"parola kasada\")")
}

fn scan_node(record: &Record, key: Option<&str>, node: &Node, out: &mut Vec<Diagnostic>) {
    match &node.value {
        Value::Str(s) => {
            if key.is_some_and(|k| SECRET_KEY.is_match(k)) && !s.trim().is_empty() {
                out.push(secret_finding(record, node.pos, "a password or token field with a value"));
            } else if let Some((what, offset)) = find_secret(s) {
                let pos = if s.contains('\n') {
                    node.pos
                } else {
                    Pos::new(node.pos.line, node.pos.col + s[..offset].chars().count() as u32)
                };
                out.push(secret_finding(record, pos, what));
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| scan_node(record, None, n, out)),
        Value::Map(entries) => entries.iter().for_each(|e| scan_node(record, Some(&e.key), &e.value, out)),
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
            if key.is_some_and(|k| SECRET_KEY.is_match(k)) && node.value != Value::Null {
                out.push(secret_finding(record, node.pos, "a password or token field with a value"));
            }
        }
    }
}

pub fn check(record: &Record, out: &mut Vec<Diagnostic>) {
    scan_node(record, None, &record.fields, out);
    let Some(body) = &record.body else { return };
    let mut from = 0;
    while let Some((what, offset)) = find_secret(&body.text[from..]) {
        out.push(secret_finding(record, position_in(&body.text, from + offset, body.line), what));
        from += offset + 1;
        while !body.text.is_char_boundary(from) {
            from += 1;
        }
    }
    let mut last_line = 0;
    for (event, range) in Parser::new(&body.text).into_offset_iter() {
        let html = match &event {
            Event::Html(h) | Event::InlineHtml(h) => h,
            _ => continue,
        };
        if html.trim_start().starts_with("<!--") {
            continue;
        }
        let pos = position_in(&body.text, range.start, body.line);
        if pos.line == last_line {
            continue; // one finding per line: `<b>x</b>` is one problem, not two
        }
        last_line = pos.line;
        out.push(
            Diagnostic::at(Rule::RawHtml, &record.path, pos, "raw HTML in Markdown; it is shown as text on the site, never rendered")
                .with_help("use Markdown instead (lists, tables, **bold**, [links](https://…)); write `<` as `&lt;` if you mean the character"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_secrets_without_false_alarms() {
        for text in [
            "-----BEGIN RSA PRIVATE KEY-----",
            "bağlantı: postgres://app:Gizli123@db01/zabita",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "AKIAIOSFODNN7EXAMPLE",
            "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
            "parola: Yaz2026!",
            "anahtar 9fQ2xL7pV3mK8sT1wZ6bN4cR0yH5jD2gA7eU",
        ] {
            assert!(find_secret(text).is_some(), "{text}");
        }
        for text in [
            "E-12345678-010.06-987654",
            "https://ebelediye.izmir.bel.tr/zabita/denetim-raporu",
            "Parola sıfırlama ekranı eklenecek",
            "parola kasada saklanır",
            "yazilim-gelistirme-servisi-zabita-modulu-denetim",
        ] {
            assert_eq!(find_secret(text), None, "{text}");
        }
    }
}

//! Content checks: `secret` (keys, passwords and tokens pasted into a record, as
//! [`crate::model::secret`] recognises them; the finding never repeats the secret) and
//! `raw-html` (HTML inside Markdown bodies).
//!
//! Every scan here is linear in the size of the record: bodies are read line by line and
//! positions come from a line index, so a 5 MiB record of tokens cannot make a run
//! quadratic. [`scrub`] removes secrets that other findings would quote (a schema error
//! repeats the value it rejects).

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};
use pulldown_cmark::{Event, Parser};

use crate::diag::{Diagnostic, Rule, msg};
use crate::model::Record;
use crate::model::personal::{self, is_contact_field};
use crate::model::secret::{SECRET_FIELD, What, find_all, is_secret_field, mask, may_hold_secret, placeholder};
use crate::model::{Node, Pos, Value};

/// 1-based line and column of byte offsets, by binary search over line starts. Asked in
/// increasing order (as the scans do), a column is counted on from the last one asked,
/// not from the start of its line: one line of 100,000 tags stays linear.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: u32,
    /// The last offset asked and its character column (0-based) within its line.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str, first_line: u32) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Self { text, starts, first_line, last: std::cell::Cell::new((0, 0)) }
    }

    fn pos(&self, offset: usize) -> Pos {
        let i = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[i];
        let (last, last_col) = self.last.get();
        let col = if start <= last && last <= offset {
            last_col + self.text[last..offset].chars().count()
        } else {
            self.text[start..offset].chars().count()
        };
        self.last.set((offset, col));
        Pos::new(self.first_line + i as u32, col as u32 + 1)
    }
}

/// One secret found in a record. The text is kept only to scrub it from other findings.
pub(super) struct Hit {
    pub pos: Pos,
    pub what: What,
    pub text: String,
}

fn scan_node(key: Option<&str>, node: &Node, out: &mut Vec<Hit>) {
    let secret_field = key.is_some_and(is_secret_field);
    match &node.value {
        Value::Str(s) => {
            if secret_field && !placeholder(s) {
                out.push(Hit { pos: node.pos, what: SECRET_FIELD, text: s.to_string() });
                return;
            }
            for (i, (what, range)) in find_all(s, true).into_iter().enumerate() {
                let pos = if i > 0 || s.contains('\n') {
                    node.pos
                } else {
                    Pos::new(node.pos.line, node.pos.col + s[..range.start].chars().count() as u32)
                };
                out.push(Hit { pos, what, text: s[range].to_string() });
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| scan_node(None, n, out)),
        Value::Map(entries) => entries.iter().for_each(|e| scan_node(Some(&e.key), &e.value, out)),
        Value::Int(_) | Value::Float(_) if secret_field => {
            let text = node.scalar_text().unwrap_or_default();
            out.push(Hit { pos: node.pos, what: SECRET_FIELD, text });
        }
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {}
    }
}

/// Every secret in a record's fields and body, in file order.
pub(super) fn hits(record: &Record) -> Vec<Hit> {
    let mut out = Vec::new();
    scan_node(None, &record.fields, &mut out);
    // A line's secret is a secret of the whole body too (a line break is a word
    // boundary), so a body that holds none is not scanned line by line.
    if let Some(body) = record.body.as_ref().filter(|b| may_hold_secret(&b.text)) {
        let lines = LineIndex::new(&body.text, body.line);
        let mut offset = 0;
        for line in body.text.split_inclusive('\n') {
            for (what, range) in find_all(line, true) {
                let pos = lines.pos(offset + range.start);
                out.push(Hit { pos, what, text: line[range].to_string() });
            }
            offset += line.len();
        }
    }
    out
}

fn secret_finding(record: &Record, pos: Pos, (what, what_tr): What) -> Diagnostic {
    Diagnostic::at(
        Rule::Secret,
        &record.path,
        pos,
        msg!(
            "this looks like {what}; secrets never belong in records",
            "bu, {what_tr} gibi görünüyor; gizli bilgiler kayıtlara asla yazılmaz"
        ),
    )
    .with_help(msg!(
        "remove it, rotate it (it is in git history now), and note where the secret is kept instead (\"parola kasada\")",
        "silin, değiştirin (artık git geçmişinde duruyor) ve gizli bilginin nerede saklandığını not edin (\"parola kasada\")"
    ))
}

pub(super) fn check(record: &Record, out: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    for hit in hits(record) {
        // One finding per line: the line is what has to be cleaned.
        if seen.insert(hit.pos.line) {
            out.push(secret_finding(record, hit.pos, hit.what));
        }
    }
    personal_data(record, out);
    // Raw HTML, inline or block, starts with `<`: a body without one has none.
    let Some(body) = record.body.as_ref().filter(|b| b.text.contains('<')) else { return };
    let lines = LineIndex::new(&body.text, body.line);
    let mut last_line = 0;
    for (event, range) in Parser::new(&body.text).into_offset_iter() {
        let html = match &event {
            Event::Html(h) | Event::InlineHtml(h) => h,
            _ => continue,
        };
        if html.trim_start().starts_with("<!--") {
            continue;
        }
        let pos = lines.pos(range.start);
        if pos.line == last_line {
            continue; // one finding per line: `<b>x</b>` is one problem, not two
        }
        last_line = pos.line;
        out.push(
            Diagnostic::at(
                Rule::RawHtml,
                &record.path,
                pos,
                msg!(
                    "raw HTML in Markdown; it is shown as text on the site, never rendered",
                    "Markdown içinde ham HTML; sitede işlenmez, düz metin olarak gösterilir"
                ),
            )
            .with_help(msg!(
                "use Markdown instead (lists, tables, **bold**, [links](https://…)); write `<` as `&lt;` if you mean the character",
                "bunun yerine Markdown kullanın (listeler, tablolar, **kalın**, [bağlantılar](https://…)); `<` karakterini kastediyorsanız `&lt;` yazın"
            )),
        );
    }
}

/// Personal data in a record's text, outside the fields meant for contact data: one
/// `personal-data` finding per line.
fn personal_data(record: &Record, out: &mut Vec<Diagnostic>) {
    fn scan(key: Option<&str>, node: &Node, out: &mut Vec<(Pos, What)>) {
        if key.is_some_and(is_contact_field) {
            return;
        }
        match &node.value {
            Value::Str(s) => {
                for (i, (what, range)) in personal::find_all(s).into_iter().enumerate() {
                    let pos = if i > 0 || s.contains('\n') {
                        node.pos
                    } else {
                        Pos::new(node.pos.line, node.pos.col + s[..range.start].chars().count() as u32)
                    };
                    out.push((pos, what));
                }
            }
            Value::Seq(items) => items.iter().for_each(|n| scan(None, n, out)),
            Value::Map(entries) => entries.iter().for_each(|e| scan(Some(&e.key), &e.value, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    scan(None, &record.fields, &mut found);
    if let Some(body) = &record.body {
        let lines = LineIndex::new(&body.text, body.line);
        let mut offset = 0;
        for line in body.text.split_inclusive('\n') {
            for (what, range) in personal::find_all(line) {
                found.push((lines.pos(offset + range.start), what));
            }
            offset += line.len();
        }
    }
    let mut seen = HashSet::new();
    for (pos, (what, what_tr)) in found {
        if !seen.insert(pos.line) {
            continue;
        }
        out.push(
            Diagnostic::at(
                Rule::PersonalData,
                &record.path,
                pos,
                msg!(
                    "this looks like {what}: personal data (KVKK) in the record's text",
                    "bu, {what_tr} gibi görünüyor: kaydın metninde kişisel veri (KVKK)"
                ),
            )
            .with_help(msg!(
                "leave it out, or keep it in the person's record (`email`, `phone`), which a public site leaves out",
                "metinden çıkarın ya da kişinin kaydında (`email`, `phone`) tutun; herkese açık site bu alanları göstermez"
            )),
        );
    }
}

/// Removes secrets from the other findings' messages and help: the secrets found in the
/// finding's own record (a schema error quotes the value it rejects), and anything the
/// explicit patterns recognise. `secret` findings name the kind of secret only.
///
/// Linear in the findings and the secrets: each file's secrets become one automaton and
/// one sorted list, so a record of 50,000 lines that each hold a secret and a tag (50,000
/// findings) is not searched 50,000 times over.
pub(super) fn scrub(records: &[Record], diagnostics: &mut [Diagnostic]) {
    let with_secrets: HashSet<&str> =
        diagnostics.iter().filter(|d| d.rule == Rule::Secret).map(|d| d.path.as_str()).collect();
    let texts: HashMap<String, Secrets> = records
        .iter()
        .filter(|r| with_secrets.contains(r.path.as_str()))
        .map(|r| {
            let mut texts: Vec<String> = Vec::new();
            for hit in hits(r) {
                let quoted = serde_json::to_string(&hit.text).unwrap_or_default();
                texts.push(quoted.trim_matches('"').to_string());
                texts.push(hit.text);
            }
            texts.retain(|t| t.chars().count() >= 4);
            (r.path.clone(), Secrets::new(texts))
        })
        .collect();
    let none = Secrets::new(Vec::new());
    for d in diagnostics.iter_mut().filter(|d| d.rule != Rule::Secret) {
        let secrets = texts.get(&d.path).unwrap_or(&none);
        d.message = d.message.map(|m| secrets.clean(m));
        d.help = d.help.as_ref().map(|h| h.map(|h| secrets.clean(h)));
    }
}

/// The secrets of one record, ready to be found in a finding's text.
struct Secrets {
    /// Every secret, longest first where two start at one place.
    all: Option<AhoCorasick>,
    /// The same, sorted: "is this text the start of a secret" by binary search.
    sorted: Vec<String>,
}

impl Secrets {
    fn new(mut texts: Vec<String>) -> Self {
        texts.sort();
        texts.dedup();
        let all = (!texts.is_empty())
            .then(|| AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&texts).ok())
            .flatten();
        Self { all, sorted: texts }
    }

    /// Whether `text` is the first part of a secret.
    fn starts_one(&self, text: &str) -> bool {
        let i = self.sorted.partition_point(|s| s.as_str() < text);
        self.sorted.get(i).is_some_and(|s| s.starts_with(text))
    }

    /// `text` with what the patterns recognise and each secret replaced by `[…]`.
    fn clean(&self, text: &str) -> String {
        let mut text = mask(text).into_owned();
        if let Some(all) = &self.all {
            text = all.replace_all(&text, &vec!["[…]"; self.sorted.len()]);
        }
        // A message shortened with `…` may end in the first part of a secret (at least
        // four characters of it): the longest such ending goes.
        if let Some(cut) = text.strip_suffix('…') {
            let ending = cut
                .char_indices()
                .map(|(i, _)| i)
                .find(|&i| cut[i..].chars().nth(3).is_some() && self.starts_one(&cut[i..]));
            if let Some(i) = ending {
                text = format!("{}[…]", &cut[..i]);
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_positions() {
        let idx = LineIndex::new("ab\nçd\n\nx", 5);
        assert_eq!(idx.pos(0), Pos::new(5, 1));
        assert_eq!(idx.pos(3), Pos::new(6, 1));
        assert_eq!(idx.pos(5), Pos::new(6, 2));
        assert_eq!(idx.pos(7), Pos::new(7, 1));
        assert_eq!(idx.pos(8), Pos::new(8, 1));
        // Asked out of order, a column is counted from the start of its line again.
        assert_eq!(idx.pos(5), Pos::new(6, 2));
        assert_eq!(idx.pos(3), Pos::new(6, 1));
        assert_eq!(idx.pos(0), Pos::new(5, 1));
    }
}

//! Client-side search: a small inverted index written at build time, sharded by the first
//! two letters of each word so a query loads only the shards it needs (a repository of
//! 100,000 records stays searchable on a phone). Words are folded the Turkish way at
//! index and query time alike: `İ`→`i`, `I`→`ı`, then diacritics dropped (`ı`→`i`,
//! `ş`→`s`, `ğ`→`g`, `ç`→`c`, `ö`→`o`, `ü`→`u`, `â`→`a`), so "istanbul" finds "İstanbul"
//! and "sikayet" finds "şikâyet". `assets/search.js` holds the same folding.

use std::collections::BTreeMap;

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;

use super::data::Site;
use super::exports::inert_json;
use super::pages::{Layout, Output};
use super::templates::Templates;
use crate::load::Record;

/// Documents per chunk file.
const CHUNK: usize = 500;

/// Records whose words are found at once, in parallel.
const BATCH: usize = 1024;

/// Turkish-aware case and diacritic folding.
pub fn fold(text: &str) -> String {
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

/// The words of a text, folded: runs of letters and digits, plus dotted or dashed ids
/// (`tlp-2026-0042`, `ayse.yilmaz`) as whole words too.
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = Vec::new();
    for raw in folded.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '[' | ']' | '"' | '\'' | '/' | '|' | '*' | '`')
    }) {
        let raw = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if raw.contains(['-', '.', '_']) && raw.chars().count() >= 2 {
            out.push(raw.to_string());
        }
        out.extend(raw.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 2).map(str::to_string));
    }
    out
}

fn shard_of(word: &str) -> String {
    let key: String = word.chars().take(2).map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    key
}

#[derive(Serialize)]
struct SearchPage {
    page: Layout,
    documents: usize,
}

impl Site<'_> {
    /// The text a record is found by: id, title, kind, state, people and units it names
    /// (by name and id), and its body.
    fn search_text(&self, r: &Record) -> String {
        let mut text = format!("{} {} {}", r.id(), self.title(r), self.kind_label(r.kind));
        if let Some((_, state)) = self.state(r) {
            text.push(' ');
            text.push_str(&state);
        }
        if let Some(fields) = self.input.rules.workflows.references.get(r.kind.name()) {
            for path in fields.keys() {
                for node in r.fields.path(path) {
                    if let Some(id) = node.as_str() {
                        text.push_str(&format!(" {id} {}", self.name_of(id)));
                    }
                }
            }
        }
        if let Some(body) = &r.body {
            text.push(' ');
            text.push_str(&body.text);
        }
        text
    }
}

pub fn render(site: &Site, templates: &Templates) -> Result<Vec<Output>> {
    let mut out = Vec::new();
    let mut shards: BTreeMap<String, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    let docs: Vec<[String; 3]> = site
        .sorted
        .iter()
        .map(|r| {
            let state = site.state(r).map(|s| s.1).unwrap_or_default();
            [
                site.url(r),
                site.display(r),
                format!(
                    "{}{}",
                    site.kind_label(r.kind),
                    if state.is_empty() { String::new() } else { format!(" · {state}") }
                ),
            ]
        })
        .collect();
    // Folding and splitting every record's text is most of the work: in parallel, a
    // batch at a time (so that only one batch's words are held), and the postings
    // gathered in document order.
    for (b, batch) in site.sorted.chunks(BATCH).enumerate() {
        let per_record: Vec<Vec<String>> = batch
            .par_iter()
            .map(|r| {
                let mut words = words(&site.search_text(r));
                words.sort_unstable();
                words.dedup();
                words
            })
            .collect();
        for (i, words) in per_record.into_iter().enumerate() {
            for w in words {
                let postings = shards.entry(shard_of(&w)).or_default().entry(w).or_default();
                postings.push(b * BATCH + i);
            }
        }
    }
    for (key, terms) in &shards {
        out.push((format!("search/t-{key}.json"), inert_json(&serde_json::to_string(terms)?).into_bytes()));
    }
    for (i, chunk) in docs.chunks(CHUNK).enumerate() {
        out.push((format!("search/d-{i}.json"), inert_json(&serde_json::to_string(chunk)?).into_bytes()));
    }
    let meta =
        serde_json::json!({ "chunk": CHUNK, "documents": docs.len(), "shards": shards.keys().collect::<Vec<_>>() });
    out.push(("search/meta.json".into(), serde_json::to_vec(&meta)?));
    let view = SearchPage { page: site.layout("search.html", &site.t("search"), "search.html"), documents: docs.len() };
    out.push(("search.html".into(), templates.render("search.html", &view)?.into_bytes()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_turkish_case_and_diacritics() {
        assert_eq!(fold("İstanbul"), "istanbul");
        assert_eq!(fold("ISPARTA"), "isparta");
        assert_eq!(fold("ılık Işık"), "ilik isik");
        assert_eq!(fold("Şikâyet ÇĞÖÜ"), "sikayet cgou");
        assert_eq!(fold("i̇stanbul"), "istanbul");
    }

    #[test]
    fn words_keep_ids_whole() {
        let w = words("TLP-2026-0042 talebi, Ayşe Yılmaz (ayse.yilmaz) şikâyet");
        for expected in ["tlp-2026-0042", "tlp", "2026", "0042", "talebi", "ayse", "yilmaz", "ayse.yilmaz", "sikayet"] {
            assert!(w.contains(&expected.to_string()), "{expected} in {w:?}");
        }
    }
}

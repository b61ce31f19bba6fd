//! Client-side search: a small inverted index written at build time, sharded by the first
//! two letters of each word so a query loads only the shards it needs (a repository of
//! 100,000 records stays searchable on a phone). Words are folded the Turkish way at
//! index and query time alike: `İ`→`i`, `I`→`ı`, then diacritics dropped (`ı`→`i`,
//! `ş`→`s`, `ğ`→`g`, `ç`→`c`, `ö`→`o`, `ü`→`u`, `â`→`a`), so "istanbul" finds "İstanbul"
//! and "sikayet" finds "şikâyet". `assets/search.js` holds the same folding.
//!
//! Each file of the index is a script, `defterSearch("t-za", {…});`, that search.js
//! loads with a `<script>` element: a page opened from disk (`file://`) may not fetch
//! a file, but it may load a script, so search works from disk, from `defter serve` and
//! from any web server alike.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;

use crate::model::Record;
use crate::model::text::fold_case;
use crate::site::build::keys::Keys;
use crate::site::build::{Output, Pieces};
use crate::site::data::Site;
use crate::site::formats::json::inert_json;
use crate::site::templates::Templates;
use crate::site::view::Layout;

/// Documents per chunk file.
const CHUNK: usize = 500;

/// Records whose words are found at once, in parallel.
const BATCH: usize = 1024;

/// The words of a text already folded ([`fold_case`]): runs of letters and digits, plus
/// dotted or dashed ids (`tlp-2026-0042`, `ayse.yilmaz`) as whole words too; slices of
/// the text, so a word that recurs is copied only once it is known to be new.
fn word_slices(folded: &str) -> impl Iterator<Item = &str> {
    let separator = |c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '[' | ']' | '"' | '\'' | '/' | '|' | '*' | '`')
    };
    folded.split(separator).flat_map(|raw| {
        let raw = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let whole = (raw.contains(['-', '.', '_']) && raw.chars().count() >= 2).then_some(raw);
        whole.into_iter().chain(raw.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 2))
    })
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

/// A record as the search lists it: its page, name, and kind with state.
fn document(site: &Site, r: &Record) -> [String; 3] {
    let state = site.state(r).map(|s| s.1).unwrap_or_default();
    let kind = site.kind_label(r.kind);
    [site.url(r), site.display(r), if state.is_empty() { kind } else { format!("{kind} · {state}") }]
}

/// A shard's name: the first two characters of its words, `_` for any but ASCII letters
/// and digits (every word has two characters at least).
type ShardName = [u8; 2];

/// The words of one shard: each with the documents (by number) that hold it, ascending.
/// Numbers are `u32`: 100,000 records hold about fifteen million postings.
type Terms = BTreeMap<String, Vec<u32>>;

fn shard_name(word: &str) -> ShardName {
    let mut name = [b'_'; 2];
    for (slot, c) in name.iter_mut().zip(word.chars()) {
        if c.is_ascii_alphanumeric() {
            *slot = c as u8;
        }
    }
    name
}

/// Whether no page can link to the file at `path`: the index's files are loaded by
/// search.js by name, never linked, so one that goes away (a shard whose last word
/// went) leaves no broken link and needs no full build to check the links.
pub(in crate::site) fn unlinked(path: &str) -> bool {
    path.strip_prefix("search/").is_some_and(|name| name.ends_with(".js") && !name.contains('/'))
}

/// The callback every index file calls with its name and its data.
const CALLBACK: &str = "defterSearch";

/// An index file: a script handing `json` (already inert: no `<`, `>` or `&`) to
/// search.js under `name` (`t-za`, `d-0`, `meta`).
fn script(name: &str, json: &str) -> Vec<u8> {
    format!("{CALLBACK}(\"{name}\",{json});\n").into_bytes()
}

/// The JSON inside an index file [`script`] wrote.
fn unscript<'a>(name: &str, bytes: &'a [u8]) -> Option<&'a [u8]> {
    let head = format!("{CALLBACK}(\"{name}\",");
    bytes.strip_prefix(head.as_bytes())?.strip_suffix(b");\n")
}

fn shard_str(name: &ShardName) -> &str {
    std::str::from_utf8(name).unwrap_or("__")
}

/// A shard's file, and its piece's name in the build state.
fn shard_path(name: &ShardName) -> String {
    format!("search/t-{}.js", shard_str(name))
}

fn shard_part(name: &ShardName) -> String {
    format!("search:t-{}", shard_str(name))
}

/// Which shards each document's words are in, kept in the site (`.defter-search`) so
/// that the next build updates the shards a few changed records touch instead of making
/// the index anew. One line per document: the key of its words, its page and its
/// shards' names run together; the line before them lists every shard.
const MEMBERS: &str = ".defter-search";
const MEMBERS_HEADER: &str = "defter-search 1";

/// The index: every shard's words, or `None` for a shard the last build made that no
/// changed document touches (it is kept as it is), and each document's shards.
struct Index {
    shards: BTreeMap<ShardName, Option<Terms>>,
    members: Vec<Vec<ShardName>>,
}

/// The folded words of a record, each once, sorted.
fn record_words(site: &Site, r: &Record) -> Vec<String> {
    let folded = fold_case(&site.search_text(r));
    let mut words: Vec<&str> = word_slices(&folded).collect();
    words.sort_unstable();
    words.dedup();
    words.into_iter().map(str::to_string).collect()
}

fn shards_of(words: &[String]) -> Vec<ShardName> {
    let mut names: Vec<ShardName> = words.iter().map(|w| shard_name(w)).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// A document's number in the postings (a site has far fewer than 2³² records).
fn doc_number(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The whole index, made anew.
fn full_index(site: &Site) -> Index {
    let mut shards: BTreeMap<ShardName, Option<Terms>> = BTreeMap::new();
    let mut members = Vec::with_capacity(site.sorted.len());
    // Folding and splitting every record's text is most of the work: in parallel, a
    // batch at a time (so that only one batch's words are held), and the postings
    // gathered in document order.
    for (b, batch) in site.sorted.chunks(BATCH).enumerate() {
        let per_record: Vec<Vec<String>> = batch.par_iter().map(|r| record_words(site, r)).collect();
        for (i, words) in per_record.into_iter().enumerate() {
            members.push(shards_of(&words));
            for w in words {
                let terms = shards.entry(shard_name(&w)).or_insert_with(|| Some(Terms::new()));
                terms.get_or_insert_with(Terms::new).entry(w).or_default().push(doc_number(b * BATCH + i));
            }
        }
    }
    Index { shards, members }
}

/// The last build's index brought up to date for the documents whose words' keys
/// changed, reading only the shards they were or are in; `None` when that cannot be
/// done (no usable record of the last index, documents added, removed or reordered,
/// many changed), and the index is made anew.
fn updated_index(site: &Site, pieces: &dyn Pieces, urls: &[String], word_keys: &[u64]) -> Option<Index> {
    let text = String::from_utf8(pieces.previous_file(MEMBERS)?).ok()?;
    let mut lines = text.lines();
    if lines.next()? != MEMBERS_HEADER {
        return None;
    }
    let names: Vec<ShardName> = lines
        .next()?
        .split(' ')
        .filter(|n| !n.is_empty())
        .map(|n| n.as_bytes().try_into().ok())
        .collect::<Option<_>>()?;
    let mut members = Vec::with_capacity(urls.len());
    let mut changed = Vec::new();
    for (i, line) in lines.enumerate() {
        let mut cells = line.split('\t');
        let key = u64::from_str_radix(cells.next()?, 16).ok()?;
        if urls.get(i)? != cells.next()? {
            return None;
        }
        let shards = cells.next().unwrap_or_default().as_bytes();
        if shards.len() % 2 != 0 {
            return None;
        }
        members.push(shards.chunks(2).map(|c| [c[0], c[1]]).collect::<Vec<ShardName>>());
        if key != word_keys[i] {
            changed.push(i);
        }
    }
    // Many changes are faster made anew, on every core.
    if members.len() != urls.len() || changed.len() * 10 > urls.len() {
        return None;
    }
    let new_words: Vec<(usize, Vec<String>)> =
        changed.par_iter().map(|&i| (i, record_words(site, site.sorted[i]))).collect();
    let mut shards: BTreeMap<ShardName, Option<Terms>> = names.into_iter().map(|n| (n, None)).collect();
    let mut touched: Vec<ShardName> = changed.iter().flat_map(|&i| members[i].iter().copied()).collect();
    for (i, words) in &new_words {
        members[*i] = shards_of(words);
        touched.extend(&members[*i]);
    }
    touched.sort_unstable();
    touched.dedup();
    for name in touched {
        let mut terms: Terms = match shards.get(&name) {
            Some(_) => {
                let bytes = pieces.previous_file(&shard_path(&name))?;
                serde_json::from_slice(unscript(&format!("t-{}", shard_str(&name)), &bytes)?).ok()?
            }
            None => Terms::new(),
        };
        for postings in terms.values_mut() {
            postings.retain(|d| changed.binary_search(&(*d as usize)).is_err());
        }
        terms.retain(|_, postings| !postings.is_empty());
        shards.insert(name, Some(terms));
    }
    for (i, words) in new_words {
        for w in words {
            let Some(Some(terms)) = shards.get_mut(&shard_name(&w)) else { return None };
            let postings = terms.entry(w).or_default();
            let d = doc_number(i);
            let at = postings.binary_search(&d).unwrap_or_else(|at| at);
            postings.insert(at, d);
        }
    }
    shards.retain(|_, terms| terms.as_ref().is_none_or(|t| !t.is_empty()));
    // A shard kept as it is needs the key the last build made it under.
    if shards.iter().any(|(name, terms)| terms.is_none() && pieces.previous_key(&shard_part(name)).is_none()) {
        return None;
    }
    Some(Index { shards, members })
}

/// Makes the search index into `pieces`: each document chunk and each shard is a piece
/// keyed by its content, and a shard no changed record touches is kept unread.
pub(in crate::site) fn make(site: &Site, templates: &Templates, keys: &Keys, pieces: &dyn Pieces) -> Result<()> {
    let piece = |name: &str, files: Vec<Output>| -> Result<()> {
        let mut h = DefaultHasher::new();
        files.hash(&mut h);
        pieces.piece(name, h.finish(), &|| Ok(files.clone()))
    };
    // A document shows its record's page, name, kind and state: its data.
    site.sorted.par_chunks(CHUNK).enumerate().try_for_each(|(i, records)| {
        let mut h = DefaultHasher::new();
        records.iter().for_each(|r| keys.data(r).hash(&mut h));
        pieces.piece(&format!("search:d-{i}"), h.finish(), &|| {
            let chunk: Vec<[String; 3]> = records.iter().map(|r| document(site, r)).collect();
            let json = inert_json(&serde_json::to_string(&chunk)?);
            Ok(vec![(format!("search/d-{i}.js"), script(&format!("d-{i}"), &json))])
        })
    })?;
    let urls: Vec<String> = site.sorted.par_iter().map(|r| site.url(r)).collect();
    let word_keys: Vec<u64> = site.sorted.par_iter().map(|r| keys.words(r)).collect();
    let index = updated_index(site, pieces, &urls, &word_keys).unwrap_or_else(|| full_index(site));
    index.shards.par_iter().try_for_each(|(name, terms)| {
        let (part, path) = (shard_part(name), shard_path(name));
        match terms {
            Some(terms) => {
                let json = inert_json(&serde_json::to_string(terms)?);
                piece(&part, vec![(path, script(&format!("t-{}", shard_str(name)), &json))])
            }
            // Kept: the last build made it under this key.
            None => {
                let key = pieces.previous_key(&part).ok_or_else(|| anyhow::anyhow!("{path}: no key (a defter bug)"))?;
                pieces.piece(&part, key, &|| {
                    let bytes = pieces.previous_file(&path).ok_or_else(|| {
                        anyhow::anyhow!("{path} of the last build is gone: remove the site folder and build again")
                    })?;
                    Ok(vec![(path.clone(), bytes)])
                })
            }
        }
    })?;
    let mut members = format!("{MEMBERS_HEADER}\n");
    for name in index.shards.keys() {
        members.push_str(shard_str(name));
        members.push(' ');
    }
    members.push('\n');
    for ((url, shards), key) in urls.iter().zip(&index.members).zip(&word_keys) {
        let _ = write!(members, "{key:016x}\t{url}\t");
        shards.iter().for_each(|s| members.push_str(shard_str(s)));
        members.push('\n');
    }
    piece("search:members", vec![(MEMBERS.into(), members.into_bytes())])?;
    let names: Vec<&str> = index.shards.keys().map(shard_str).collect();
    let meta = serde_json::json!({ "chunk": CHUNK, "documents": urls.len(), "shards": names });
    let view = SearchPage { page: site.layout("search.html", &site.t("search"), "search.html"), documents: urls.len() };
    piece(
        "search:page",
        vec![
            ("search/meta.js".into(), script("meta", &inert_json(&serde_json::to_string(&meta)?))),
            ("search.html".into(), templates.render("search.html", &view)?.into_bytes()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_files_are_scripts_read_back_as_json() {
        let file = script("t-za", r#"{"zabita":[1,2]}"#);
        assert_eq!(file, b"defterSearch(\"t-za\",{\"zabita\":[1,2]});\n");
        assert_eq!(unscript("t-za", &file), Some(&br#"{"zabita":[1,2]}"#[..]));
        assert_eq!(unscript("t-zb", &file), None, "another shard's file");
        assert_eq!(unscript("t-za", br#"{"zabita":[1,2]}"#), None, "a JSON file of an older build");
        assert!(unlinked("search/t-za.js") && !unlinked("search.html") && !unlinked("search/x/t.js"));
    }

    #[test]
    fn words_keep_ids_whole() {
        let folded = fold_case("TLP-2026-0042 talebi, Ayşe Yılmaz (ayse.yilmaz) şikâyet");
        let w: Vec<&str> = word_slices(&folded).collect();
        for expected in ["tlp-2026-0042", "tlp", "2026", "0042", "talebi", "ayse", "yilmaz", "ayse.yilmaz", "sikayet"] {
            assert!(w.contains(&expected), "{expected} in {w:?}");
        }
    }
}

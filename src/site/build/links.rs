//! The build checks its own links: every internal `href`/`src` of every page must name a
//! file of the site, and every `#anchor` an `id` on that page.

use std::collections::{HashMap, HashSet};

use anyhow::{Result, bail};

use super::Output;

/// Strings seen while checking links, each kept once (its id is its place in the set): a
/// 100,000-page site links to the same few hundred thousand targets millions of times.
#[derive(Default)]
pub(crate) struct Interner {
    strings: indexmap::IndexSet<Box<str>, foldhash::fast::RandomState>,
}

impl Interner {
    pub(crate) fn id(&mut self, s: &str) -> u32 {
        let index = match self.strings.get_index_of(s) {
            Some(index) => index,
            None => self.strings.insert_full(s.into()).0,
        };
        index as u32
    }

    fn get(&self, id: u32) -> &str {
        self.strings.get_index(id as usize).map_or("", |s| s)
    }

    fn find(&self, s: &str) -> Option<u32> {
        self.strings.get_index_of(s).map(|i| i as u32)
    }
}

/// What the link check needs of one page: its internal links (as written, the file they
/// name and the anchor) and its ids, as interned strings.
#[derive(Clone, Debug, Default)]
pub(crate) struct Summary {
    links: Vec<(u32, u32, Option<u32>)>,
    ids: Vec<u32>,
}

impl Summary {
    /// The page's ids, to compare builds.
    pub(crate) fn ids<'i>(&'i self, strings: &'i Interner) -> impl Iterator<Item = &'i str> + 'i {
        self.ids.iter().map(|id| strings.get(*id))
    }
}

/// The start tags of `html` (`<name` + whitespace + attributes + `>`, no `<` inside), in
/// order. Text on a page has its `<` escaped, so a record that writes `href="x"` in prose
/// or in a code block is never taken for a link.
fn tags(html: &str) -> impl Iterator<Item = &str> {
    let bytes = html.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
            at = lt + 1;
            let name = bytes[at..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'-').count();
            if name == 0 || !bytes[at].is_ascii_alphabetic() {
                continue;
            }
            let rest = &html[at + name..];
            if !rest.chars().next().is_some_and(char::is_whitespace) {
                continue;
            }
            match memchr::memchr2(b'<', b'>', rest.as_bytes()) {
                Some(end) if rest.as_bytes()[end] == b'>' => {
                    at = at + name + end + 1;
                    return Some(&html[lt..at]);
                }
                _ => continue,
            }
        }
        None
    })
}

/// The values of the attributes named in `names` (`name="…"`, preceded by whitespace),
/// in order; `nonempty` skips empty values. The same as matching
/// `\s(?:name|…)="([^"]*)"` over the tag, without a regex per tag.
fn attributes<'t>(tag: &'t str, names: &'static [&'static str], nonempty: bool) -> impl Iterator<Item = &'t str> + 't {
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            let (found, name) =
                names.iter().filter_map(|n| tag[at..].find(n).map(|i| (at + i, *n))).min_by_key(|(i, _)| *i)?;
            at = found + 1;
            if !tag[..found].chars().next_back().is_some_and(char::is_whitespace) {
                continue;
            }
            let start = found + name.len();
            let len = tag[start..].find('"')?;
            if nonempty && len == 0 {
                continue;
            }
            at = start + len + 1;
            return Some(&tag[start..start + len]);
        }
    })
}

/// The page's links and ids. Links in tags marked `data-body` (written in a record's
/// Markdown, not by a template) are not checked.
pub(crate) fn summarize(path: &str, html: &str, strings: &std::sync::Mutex<Interner>) -> Summary {
    let mut links: Vec<(String, String, Option<String>)> = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    for tag in tags(html) {
        ids.extend(attributes(tag, &["id=\""], true));
        if tag.contains(" data-body ") {
            continue;
        }
        for raw in attributes(tag, &["href=\"", "src=\""], false) {
            let link = unescape(raw);
            if link.is_empty()
                || link.contains("://")
                || link.starts_with("mailto:")
                || link.starts_with("data:")
                || link == "#"
            {
                continue;
            }
            let (file, anchor) = link.split_once('#').map_or((link.as_str(), None), |(f, a)| (f, Some(a)));
            let file = file.split('?').next().unwrap_or_default();
            let target = if file.is_empty() { path.to_string() } else { resolve(path, file) };
            let target =
                if target.is_empty() || target.ends_with('/') { format!("{target}index.html") } else { target };
            let anchor = anchor.filter(|a| !a.is_empty()).map(str::to_string);
            links.push((link.clone(), target, anchor));
        }
    }
    let mut strings = strings.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    Summary {
        links: links
            .iter()
            .map(|(l, t, a)| (strings.id(l), strings.id(t), a.as_deref().map(|a| strings.id(a))))
            .collect(),
        ids: ids.into_iter().map(|id| strings.id(id)).collect(),
    }
}

/// Resolves `target` relative to the page at `from` (both site-relative).
fn resolve(from: &str, target: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\"")
}

/// Checks the links of `pages` (path, summary: the pages rendered) against the site's
/// `paths`: every internal link names a file of the site, every anchor an id on the
/// page it names — a rendered page's, or one `kept` gives (the ids of a page kept from
/// the last build, tab-separated, as its state has them).
pub(crate) fn check_summaries<'p>(
    paths: &HashSet<&str>,
    pages: impl Iterator<Item = (&'p str, &'p Summary)> + Clone,
    strings: &Interner,
    kept: &dyn Fn(&str) -> Option<&'p str>,
) -> Result<()> {
    let mut ids: HashMap<u32, HashSet<u32>> = HashMap::new();
    for (path, page) in pages.clone() {
        if let Some(id) = strings.find(path) {
            ids.insert(id, page.ids.iter().copied().collect());
        }
    }
    let mut broken = Vec::new();
    for (path, page) in pages {
        for (link, target, anchor) in &page.links {
            let (link, target_path) = (strings.get(*link), strings.get(*target));
            if !paths.contains(target_path) {
                broken.push(format!("{path}: {link}"));
                continue;
            }
            let Some(anchor) = anchor else { continue };
            let missing = match ids.get(target) {
                Some(set) => !set.contains(anchor),
                None => {
                    kept(target_path).is_some_and(|ids| !super::state::ids_in(ids).any(|id| id == strings.get(*anchor)))
                }
            };
            if missing {
                broken.push(format!("{path}: {link} (no id \"{}\")", strings.get(*anchor)));
            }
        }
    }
    if !broken.is_empty() {
        broken.sort();
        broken.truncate(20);
        bail!("the site has broken internal links (a template bug):\n  {}", broken.join("\n  "));
    }
    Ok(())
}

/// Checks the links of every HTML page of `files`.
pub(crate) fn check(files: &[Output]) -> Result<()> {
    let strings = std::sync::Mutex::new(Interner::default());
    let pages: Vec<(&str, Summary)> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(path, bytes)| (path.as_str(), summarize(path, &String::from_utf8_lossy(bytes), &strings)))
        .collect();
    let paths: HashSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let strings = strings.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    check_summaries(&paths, pages.iter().map(|(p, s)| (*p, s)), &strings, &|_| None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_broken_links_and_anchors() {
        let page = |p: &str, html: &str| (p.to_string(), html.as_bytes().to_vec());
        let ok = vec![
            page("index.html", r##"<a href="requests/index.html">x</a><a href="#top">t</a><h1 id="top"></h1>"##),
            page("requests/index.html", r#"<a href="../index.html#top">x</a><a href="https://example.org">e</a>"#),
        ];
        assert!(check(&ok).is_ok());
        let body = vec![page("index.html", r##"<a data-body href="nope.html">x</a><img data-body src="y.png">"##)];
        assert!(check(&body).is_ok(), "links written in records do not fail the build");
        let text = vec![page("index.html", r##"<p>&lt;a href="nope.html"&gt; and <code>src="x.png"</code></p>"##)];
        assert!(check(&text).is_ok(), "attribute-like text is not a link");
        let bad = vec![page("index.html", r##"<a href="nope.html">x</a><a href="#missing">m</a>"##)];
        let err = check(&bad).unwrap_err().to_string();
        assert!(err.contains("nope.html") && err.contains("missing"), "{err}");
    }

    /// An anchor into a page kept from the last build is looked for among the ids its
    /// state keeps; a link to a file that is no page, or an anchor into a page whose ids
    /// are not known, is checked by path alone.
    #[test]
    fn anchors_into_kept_pages_are_checked_against_their_ids() {
        let strings = std::sync::Mutex::new(Interner::default());
        let html = r##"<a href="kept.html#top">t</a><a href="kept.html#gone">g</a><a href="a.js#x">j</a>"##;
        let summary = summarize("index.html", html, &strings);
        let strings = strings.into_inner().unwrap();
        let paths: HashSet<&str> = ["index.html", "kept.html", "a.js"].into_iter().collect();
        let pages = || std::iter::once(("index.html", &summary));
        let kept = |path: &str| (path == "kept.html").then_some("main\ttop");
        let err = check_summaries(&paths, pages(), &strings, &kept).unwrap_err().to_string();
        assert!(err.contains("kept.html#gone") && !err.contains("#top") && !err.contains("a.js"), "{err}");
        let all = |path: &str| (path == "kept.html").then_some("top\tgone");
        assert!(check_summaries(&paths, pages(), &strings, &all).is_ok());
    }
}

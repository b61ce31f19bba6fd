//! The build checks its own links: every internal `href`/`src` of every page must name a
//! file of the site, and every `#anchor` an `id` on that page.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use anyhow::{Result, bail};
use regex::Regex;

use super::pages::Output;

/// A start tag with attributes. Text on a page has its `<` escaped, so a record that
/// writes `href="x"` in prose or in a code block is never taken for a link.
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[a-zA-Z][a-zA-Z0-9-]*\s[^<>]*>").expect("compiles"));
static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\s(?:href|src)="([^"]*)""#).expect("compiles"));
static ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\sid="([^"]+)""#).expect("compiles"));

/// The attribute values `attr` matches in the tags of `html`, skipping tags marked
/// `data-body` (written in a record's Markdown, not by a template) when `templates_only`.
fn in_tags<'h>(html: &'h str, attr: &'h Regex, templates_only: bool) -> impl Iterator<Item = &'h str> + 'h {
    TAG.find_iter(html)
        .map(|tag| tag.as_str())
        .filter(move |tag| !(templates_only && tag.contains(" data-body ")))
        .flat_map(move |tag| attr.captures_iter(tag).filter_map(|c| c.get(1)).map(|m| m.as_str()))
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

pub fn check(files: &[Output]) -> Result<()> {
    let paths: HashSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let mut ids: HashMap<&str, HashSet<String>> = HashMap::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let text = String::from_utf8_lossy(bytes);
        ids.insert(path, in_tags(&text, &ID, false).map(str::to_string).collect());
    }
    let mut broken = Vec::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let text = String::from_utf8_lossy(bytes);
        for raw in in_tags(&text, &LINK, true) {
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
            let target = if file.is_empty() { path.clone() } else { resolve(path, file) };
            let target =
                if target.is_empty() || target.ends_with('/') { format!("{target}index.html") } else { target };
            if !paths.contains(target.as_str()) {
                broken.push(format!("{path}: {link}"));
                continue;
            }
            if let Some(anchor) = anchor.filter(|a| !a.is_empty())
                && ids.get(target.as_str()).is_some_and(|set| !set.contains(anchor))
            {
                broken.push(format!("{path}: {link} (no id \"{anchor}\")"));
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
}

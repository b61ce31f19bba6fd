//! The build checks its own links: every internal `href`/`src` of every page must name a
//! file of the site, and every `#anchor` an `id` on that page.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use anyhow::{Result, bail};
use regex::Regex;

use super::pages::Output;

static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(data-body )?(?:href|src)="([^"]*)""#).expect("compiles"));
static ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\sid="([^"]+)""#).expect("compiles"));

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
        ids.insert(path, ID.captures_iter(&text).map(|c| c[1].to_string()).collect());
    }
    let mut broken = Vec::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let text = String::from_utf8_lossy(bytes);
        for capture in LINK.captures_iter(&text) {
            if capture.get(1).is_some() {
                continue; // written in a record's Markdown, not by a template
            }
            let link = unescape(&capture[2]);
            if link.is_empty() || link.contains("://") || link.starts_with("mailto:") || link.starts_with("data:") || link == "#" {
                continue;
            }
            let (file, anchor) = link.split_once('#').map_or((link.as_str(), None), |(f, a)| (f, Some(a)));
            let file = file.split('?').next().unwrap_or_default();
            let target = if file.is_empty() { path.clone() } else { resolve(path, file) };
            let target = if target.is_empty() || target.ends_with('/') { format!("{target}index.html") } else { target };
            if !paths.contains(target.as_str()) {
                broken.push(format!("{path}: {link}"));
                continue;
            }
            if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
                if ids.get(target.as_str()).is_some_and(|set| !set.contains(anchor)) {
                    broken.push(format!("{path}: {link} (no id \"{anchor}\")"));
                }
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
        let bad = vec![page("index.html", r##"<a href="nope.html">x</a><a href="#missing">m</a>"##)];
        let err = check(&bad).unwrap_err().to_string();
        assert!(err.contains("nope.html") && err.contains("missing"), "{err}");
    }
}

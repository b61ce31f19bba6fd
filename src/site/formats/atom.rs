//! Atom (RFC 4287): a feed of entries, in XML with the characters XML 1.0 forbids left
//! out.

use std::fmt::Write;

/// One entry of a feed.
pub(crate) struct Entry {
    /// The commit the entry is of, and the key of what changed in it: together the
    /// entry's id (`urn:defter:<commit>:<key>`).
    pub commit: String,
    pub key: String,
    pub title: String,
    /// Seconds since the epoch.
    pub time: i64,
    pub author: String,
    pub link: String,
    pub summary: String,
}

/// The feed at `url` titled `title`, of the site at `site`, with `entries` in order;
/// `updated` when no entry has a time.
pub(crate) fn feed(url: &str, title: &str, site: &str, updated: &str, entries: &[Entry]) -> Vec<u8> {
    let updated = entries
        .iter()
        .map(|e| e.time)
        .max()
        .and_then(|t| jiff::Timestamp::from_second(t).ok())
        .map_or_else(|| updated.to_string(), |t| t.to_string());
    // RFC 4287 §4.2.6: the id is an absolute IRI. A site built without `--base-url`
    // knows its feeds' paths only, and a URN of the path is as permanent as they are.
    let id =
        if url.contains("://") { url.to_string() } else { format!("urn:defter:feed:{}", url.trim_start_matches('/')) };
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <id>{}</id>\n  <title>{}</title>\n  <updated>{updated}</updated>\n  <link rel=\"self\" href=\"{}\"/>\n  <link href=\"{}\"/>\n",
        xml(&id),
        xml(title),
        xml(url),
        xml(site)
    );
    for e in entries {
        let updated = jiff::Timestamp::from_second(e.time).map(|t| t.to_string()).unwrap_or_default();
        let _ = write!(
            out,
            "  <entry>\n    <id>urn:defter:{}:{}</id>\n    <title>{}</title>\n    <updated>{updated}</updated>\n    <author><name>{}</name></author>\n    <link href=\"{}\"/>\n    <summary>{}</summary>\n  </entry>\n",
            xml(&e.commit),
            xml(&e.key),
            xml(&e.title),
            xml(&e.author),
            xml(&e.link),
            xml(&e.summary)
        );
    }
    out.push_str("</feed>\n");
    out.into_bytes()
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production: tab, LF, CR,
/// U+0020–U+D7FF, U+E000–U+FFFD, U+10000 and above), less the C1 controls it discourages.
/// U+FFFE, U+FFFF or a control character in one title makes a feed reader refuse the
/// whole feed.
pub(crate) fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// XML text, the one way every value goes into a feed: what XML 1.0 forbids left out
/// ([`xml_char`]), then escaped.
fn xml(s: &str) -> String {
    let s: String = s.chars().filter(|&c| xml_char(c)).collect();
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

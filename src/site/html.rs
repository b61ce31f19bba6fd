//! Text for HTML and for file names, knowing nothing of pages or records: escaping,
//! `` `code` `` spans, slugs (an id made safe as a path segment) and the way back to the
//! site's root from a page. Kept apart so that every page, chart and export escapes and
//! names files the same way, and a change here is reviewed as a change to all of them.

/// `1` → `../`, for links from a page `depth` folders down.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// HTML-escapes text.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A finding's or rule's text as HTML: escaped, with each `` `span` `` set as code (the
/// `code` filter of the templates). An unpaired backtick stays as it is.
pub fn code_spans(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        let Some(len) = rest[start + 1..].find('`') else { break };
        out.push_str(&esc(&rest[..start]));
        out.push_str("<code>");
        out.push_str(&esc(&rest[start + 1..start + 1 + len]));
        out.push_str("</code>");
        rest = &rest[start + 1 + len + 1..];
    }
    out.push_str(&esc(rest));
    out
}

/// Ids are already safe path segments, but a hostile one must not escape its folder.
/// Only ASCII letters, digits, `-`, `_` and `.` survive, never leading dots (so no `..`,
/// no `/`, no hidden file), and the result is at most [`MAX_SLUG`] bytes (a long id keeps
/// its start and a hash of the whole, so it stays unique and within file name limits).
pub fn slug(id: &str) -> String {
    let cleaned: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') { c } else { '_' }).collect();
    let cleaned = cleaned.trim_start_matches('.');
    if cleaned.is_empty() {
        return "_".into();
    }
    if cleaned.len() <= MAX_SLUG {
        return cleaned.to_string();
    }
    // FNV-1a: stable across builds and platforms (the std hasher is not).
    let hash =
        id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3));
    format!("{}-{hash:016x}", &cleaned[..MAX_SLUG - 17])
}

/// The longest slug: file names stay far below the usual 255-byte limit.
pub const MAX_SLUG: usize = 120;

#[cfg(test)]
mod tests {
    use super::code_spans;

    #[test]
    fn code_spans_are_escaped_and_set_as_code() {
        assert_eq!(code_spans("`id` alanı dosyanın adından farklı"), "<code>id</code> alanı dosyanın adından farklı");
        assert_eq!(
            code_spans("`<script>` & `a`b` x"),
            "<code>&lt;script&gt;</code> &amp; <code>a</code>b` x",
            "text and code both escaped; the unpaired backtick stays"
        );
        assert_eq!(code_spans("no code"), "no code");
    }
}

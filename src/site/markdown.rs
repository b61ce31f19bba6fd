//! Markdown bodies to safe HTML. Raw HTML in a record never reaches a page as markup: it
//! is turned into text and escaped. Links and images keep only `http`, `https`,
//! `mailto`, in-page and relative targets; anything else (`javascript:`, `data:`,
//! `vbscript:`) becomes an inert `#`.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// Whether a link target is safe to put in `href` / `src`.
pub fn safe_url(url: &str) -> bool {
    let trimmed: String = url.trim().chars().filter(|c| !c.is_control() && !c.is_whitespace()).collect();
    match trimmed.split_once(':') {
        None => true,
        // A colon after a slash, `?` or `#` is part of a relative path, not a scheme.
        Some((before, _)) if before.contains(['/', '?', '#']) => true,
        Some((scheme, _)) => matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https" | "mailto"),
    }
}

/// `url`, or `#` where it is not [`safe_url`].
fn link_target(url: CowStr<'_>) -> CowStr<'_> {
    if safe_url(&url) { url } else { CowStr::Borrowed("#") }
}

/// The body sits under the page's `h1` and its section's `h2`, so its headings start at
/// `h3` and never skip a level: each heading is one below the nearest earlier heading of a
/// higher rank in the source (`##` after `#` → `h4`; a first `##` → `h3`; `####` straight
/// after `##` → one below it), at most `h6`. The W3C checker and axe both refuse a skip.
#[derive(Default)]
struct Outline {
    /// (source level, level written) of the open headings, outermost first.
    open: Vec<(HeadingLevel, HeadingLevel)>,
}

impl Outline {
    fn start(&mut self, level: HeadingLevel) -> HeadingLevel {
        while self.open.last().is_some_and(|&(source, _)| source >= level) {
            self.open.pop();
        }
        let written = match self.open.last().map(|&(_, written)| written) {
            None => HeadingLevel::H3,
            Some(HeadingLevel::H3) => HeadingLevel::H4,
            Some(HeadingLevel::H4) => HeadingLevel::H5,
            Some(_) => HeadingLevel::H6,
        };
        self.open.push((level, written));
        written
    }

    /// The level the heading now ending was written at.
    fn end(&self) -> HeadingLevel {
        self.open.last().map_or(HeadingLevel::H3, |&(_, written)| written)
    }
}

/// Renders a Markdown body (CommonMark with tables, strikethrough and task lists).
pub fn render(text: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut outline = Outline::default();
    let events = Parser::new_ext(text, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: outline.start(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(_)) => Event::End(TagEnd::Heading(outline.end())),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: link_target(dest_url), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: link_target(dest_url), title, id })
        }
        other => other,
    });
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events);
    // Raw HTML is text by now, so every link and image here is one the renderer made.
    // `data-body` tells the site's link check that the author wrote it: a broken link in
    // a record is the record's business, not a template bug that stops the build.
    out.replace("<a href=\"", &format!("<a {BODY_LINK} href=\""))
        .replace("<img src=\"", &format!("<img {BODY_LINK} src=\""))
        // A wide table scrolls in its own box on a phone, and the keyboard can scroll it.
        .replace("<table>", "<div class=\"scroll\" tabindex=\"0\"><table>")
        .replace("</table>", "</table></div>")
}

/// The attribute that marks links and images written in a record's Markdown.
pub const BODY_LINK: &str = "data-body";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_text() {
        let html =
            render("Merhaba <script>alert(1)</script>\n\n<iframe src=x></iframe>\n\n<img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_links_are_inert() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](java\tscript:alert(1))",
            "![x](data:text/html;base64,PHNjcmlwdD4=)",
            "<javascript:alert(1)>",
        ] {
            let html = render(md);
            assert!(
                !html.to_lowercase().contains("javascript:") || !html.contains("href=\"javascript"),
                "{md} → {html}"
            );
            assert!(!html.contains("data:text"), "{md} → {html}");
        }
        assert!(render("[site](https://www.izmir.bel.tr)").contains("href=\"https://www.izmir.bel.tr\""));
        assert!(render("[bölüm](analiz.html#gereksinimler)").contains("href=\"analiz.html#gereksinimler\""));
        assert!(render("[yaz](mailto:destek@izmir.bel.tr)").contains("mailto:"));
    }

    #[test]
    fn links_from_records_are_marked() {
        let html = render("[bölüm](analiz.html) ![şema](sema.png) <https://www.izmir.bel.tr>");
        assert!(html.contains("<a data-body href=\"analiz.html\">"), "{html}");
        assert!(html.contains("<img data-body src=\"sema.png\""), "{html}");
        assert!(html.contains("<a data-body href=\"https://www.izmir.bel.tr\">"), "{html}");
        let html = render("<a href=\"x.html\">ham</a>");
        assert!(!html.contains("<a "), "{html}");
    }

    #[test]
    fn body_headings_sit_below_the_page_headings() {
        let html = render("# Analiz\n\n## Gereksinimler\n\n#### Ayrıntı\n\n# Test\n");
        assert!(
            html.contains("<h3>Analiz</h3>")
                && html.contains("<h4>Gereksinimler</h4>")
                && html.contains("<h5>Ayrıntı</h5>")
                && html.contains("<h3>Test</h3>"),
            "{html}"
        );
        // A body that starts at `##` (most do) starts at `h3`, right under the section's `h2`.
        let html = render("## 1. Amaç\n\n### 1.1 Kapsam\n\n## 2. Paydaşlar\n\n###### derin\n");
        assert!(
            html.contains("<h3>1. Amaç</h3>")
                && html.contains("<h4>1.1 Kapsam</h4>")
                && html.contains("<h3>2. Paydaşlar</h3>")
                && html.contains("<h4>derin</h4>"),
            "{html}"
        );
    }

    #[test]
    fn tables_and_turkish_text() {
        let html = render("| Alan | Tür |\n|---|---|\n| şikâyet | metin |\n");
        assert!(html.contains("<table>") && html.contains("şikâyet"), "{html}");
        assert!(
            html.contains("<div class=\"scroll\" tabindex=\"0\"><table>") && html.contains("</table></div>"),
            "{html}"
        );
    }
}

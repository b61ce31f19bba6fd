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

/// A body's `#` becomes `h3`, `##` `h4`, …, at most `h6`.
fn shifted(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Renders a Markdown body (CommonMark with tables, strikethrough and task lists).
pub fn render(text: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(text, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        // The body sits under the page's `h1` and its section's `h2`: shift headings down.
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: shifted(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shifted(level))),
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
        let html = render("# Analiz\n\n## Gereksinimler\n\n#### Ayrıntı\n");
        assert!(
            html.contains("<h3>Analiz</h3>")
                && html.contains("<h4>Gereksinimler</h4>")
                && html.contains("<h6>Ayrıntı</h6>"),
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

//! Markup, links, template syntax and formulas injected through records, a commit
//! message and an author name come out inert on every page, export, feed and calendar.

use std::collections::BTreeMap;
use std::path::Path;

use scraper::{Html, Selector};

use super::assert_ran;
use crate::harness::{AS_OF, GitRepo, files_in};

/// Base + good + the injection overlay, committed by a hostile commit; built.
fn hostile_site() -> (GitRepo, BTreeMap<String, Vec<u8>>) {
    let mut repo = GitRepo::new();
    repo.commit_as("selin.aydin", "Kayıtlar");
    let overlay = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/adversarial/injection");
    for (rel, bytes) in files_in(&overlay) {
        super::write_bytes(repo.path(), &rel, &bytes);
    }
    repo.git(&["add", "-A"]);
    repo.git(&[
        "-c",
        "user.name=Kötü \"Yazar\" & <script>alert(9)</script> \u{fffe}\u{ffff}\u{1b}",
        "-c",
        "user.email=kotu@example.org",
        "commit",
        "-q",
        "-m",
        "<script>alert('commit')</script> ]]></summary><entry> &amp; {{ 7*7 }} =HYPERLINK(\"x\")\u{1}\u{b}\u{fffe}\u{ffff}",
    ]);
    let out = repo.path().join("public");
    let built = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_ran(&built);
    assert_eq!(built.status.code(), Some(0), "{}", String::from_utf8_lossy(&built.stderr));
    let files = files_in(&out);
    (repo, files)
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

fn is_dangerous_url(url: &str) -> bool {
    let url: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_lowercase();
    ["javascript:", "vbscript:", "data:"].iter().any(|s| url.starts_with(s))
}

#[test]
fn injected_markup_is_inert_everywhere() {
    let (_repo, files) = hostile_site();
    let all = Selector::parse("*").unwrap();
    let mut pages = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        pages += 1;
        let html = Html::parse_document(text(bytes));
        for element in html.select(&all) {
            let name = element.value().name();
            let forbidden = ["iframe", "object", "embed", "frame", "frameset", "applet", "base"];
            assert!(!forbidden.contains(&name), "{path}: <{name}>");
            assert!(element.value().attr("http-equiv").is_none(), "{path}: <{name} http-equiv>");
            if name == "script" {
                assert_eq!(
                    (path.as_str(), element.value().attr("src")),
                    ("search.html", Some("assets/search.js")),
                    "{path}: a script"
                );
                assert_eq!(element.inner_html(), "", "{path}: inline script");
            }
            for (attr, value) in element.value().attrs() {
                assert!(!attr.starts_with("on"), "{path}: <{name} {attr}=…>");
                assert!(attr != "srcdoc", "{path}: <{name} {attr}=…>");
                if matches!(attr, "href" | "src" | "action" | "formaction" | "xlink:href") {
                    assert!(!is_dangerous_url(value), "{path}: <{name} {attr}=\"{value}\">");
                }
            }
        }
    }
    assert!(pages > 20);
    // What the hostile request said is on its page, as text, template syntax included.
    let page = Html::parse_document(text(&files["requests/TLP-2026-0666.html"]));
    let h1: String = page.select(&Selector::parse("h1").unwrap()).next().unwrap().text().collect();
    assert!(h1.contains("<script>alert('başlık')</script> {{ 7*7 }} {% include \"base.html\" %}"), "{h1}");
    let body: String = page.select(&Selector::parse("section.body").unwrap()).next().unwrap().text().collect();
    assert!(body.contains("{{ 7+7 }} {{ page.site_title }} {% for x in range(end=3) %}{{ x }}{% endfor %} {# yorum #} ${7+7} <%= 7+7 %>"), "{body}");
    assert!(body.contains("<iframe src=\"https://kotu.example/\"></iframe>"), "{body}");
    assert!(body.contains("<script>alert(3)</script> <script> &"), "entities decode to text once: {body}");
}

#[test]
fn csv_cells_never_start_a_formula() {
    let (_repo, files) = hostile_site();
    let mut cells = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".csv")) {
        let data = text(bytes).strip_prefix('\u{feff}').expect("CSV starts with a BOM");
        let mut reader = csv::ReaderBuilder::new().delimiter(b';').has_headers(false).from_reader(data.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                cells += 1;
                assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{path}: {cell:?}");
            }
        }
    }
    let requests = text(&files["exports/requests.csv"]);
    assert!(requests.contains("'=HYPERLINK"), "{requests}");
    assert!(text(&files["exports/units.csv"]).contains("'+cmd|"), "the formula is kept, neutralised");
    assert!(text(&files["exports/people.csv"]).contains("'@SUM"));
    assert!(cells > 100);
}

#[test]
fn json_exports_carry_the_data_but_no_markup() {
    let (_repo, files) = hostile_site();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".json")) {
        let data = text(bytes);
        assert!(!data.contains('<') && !data.contains('>'), "{path}");
        serde_json::from_str::<serde_json::Value>(data).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let rows: serde_json::Value = serde_json::from_slice(&files["exports/requests.json"]).unwrap();
    let title =
        rows.as_array().unwrap().iter().find(|r| r["id"] == "TLP-2026-0666").unwrap()["title"].as_str().unwrap();
    assert!(
        title.starts_with("=HYPERLINK(\"http://kotu.example/\",\"tıkla\") <script>"),
        "the data is intact: {title}"
    );
}

#[test]
fn feeds_are_well_formed_xml_with_escaped_text() {
    let (_repo, files) = hostile_site();
    let allowed = ["feed", "id", "title", "updated", "link", "entry", "author", "name", "summary"];
    let tag = regex::Regex::new(r"<(/?)([A-Za-z][A-Za-z0-9:]*)").unwrap();
    let mut entries = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".xml")) {
        let data = text(bytes);
        assert!(data.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "), "{path}");
        assert!(
            !data.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')),
            "{path}: XML 1.0 forbids control characters"
        );
        // U+FFFE, U+FFFF and controls in a title, a commit message and an author name:
        // a real XML parser reads every feed.
        if let Err(e) = roxmltree::Document::parse(data) {
            panic!("{path} is not well-formed XML: {e}");
        }
        assert!(!data.contains(['\u{fffe}', '\u{ffff}']), "{path}");
        let mut open = Vec::new();
        for c in tag.captures_iter(&data[data.find("<feed").unwrap()..]) {
            let name = &c[2];
            assert!(allowed.contains(&name), "{path}: <{name}>");
            if &c[1] == "/" {
                assert_eq!(open.pop(), Some(name.to_string()), "{path}: nesting");
            } else if name != "link" {
                open.push(name.to_string());
            }
        }
        assert!(open.is_empty(), "{path}: unclosed {open:?}");
        entries += data.matches("<entry>").count();
        if data.contains("TLP-2026-0666") {
            assert!(data.contains("&lt;script&gt;alert(&apos;commit&apos;)&lt;/script&gt; ]]&gt;&lt;/summary&gt;&lt;entry&gt; &amp;amp;"), "{data}");
        }
    }
    assert!(entries > 0, "the hostile commit is in the feeds");
}

#[test]
fn the_calendar_cannot_be_given_events() {
    let (_repo, files) = hostile_site();
    let ics = text(&files["deadlines.ics"]);
    assert!(ics.split('\n').all(|l| l.is_empty() || l.ends_with('\r')), "CRLF only");
    assert!(!ics.replace("\r\n", "").contains(['\r', '\n']), "no bare CR or LF");
    let unfolded = ics.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split("\r\n").filter(|l| !l.is_empty()).collect();
    let property = regex::Regex::new(r"^[A-Z][A-Z-]*[;:]").unwrap();
    for line in &lines {
        assert!(property.is_match(line), "not a property line: {line:?}");
        assert!(!line.chars().any(|c| c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}')), "{line:?}");
    }
    assert!(lines.iter().any(|l| l.contains("TLP-2026-0666")), "the request with U+FFFE in its title is there");
    let begins = lines.iter().filter(|l| **l == "BEGIN:VEVENT").count();
    assert_eq!(begins, lines.iter().filter(|l| **l == "END:VEVENT").count());
    assert!(!lines.iter().any(|l| l.starts_with("SUMMARY:sahte")), "{ics}");
    assert!(!lines.iter().any(|l| l.starts_with("URL:javascript")), "{ics}");
    let summary = lines.iter().find(|l| l.contains("crt-kotu —")).unwrap();
    assert!(summary.contains("kötü\\; sertifika\\, \\\\ <b>kalın</b>\\nEND:VEVENT\\nBEGIN:VEVENT"), "{summary}");
}

//! Text that reads one way to defter and another to the tools around it: a lone CR
//! (a line break to YAML, none to git and editors), two spellings of one file name
//! (NFC and NFD, one file on macOS), and markup copied into a Markdown report.

use super::{check_file, expect, validate};
use crate::harness::{AS_OF, Repo, fixtures, stdout};

/// A lone CR anywhere (not only in a file that has no LF at all) is refused at its line
/// and column, so that the line a finding names is the line an editor shows.
#[test]
fn a_lone_cr_is_refused_where_it_is() {
    // Valid but for the CR on line 3: YAML would read `roles: [staff]` as line 4.
    let person = "id: tek.cr\nname: Tek CR\ntitle: Eski Mac\rroles: [staff]\nunit: zabita-dairesi\nemail: a@b.org\ngit_emails: []\nactive: true\n";
    let f = check_file("records/org/people/tek.cr.yaml", person.as_bytes());
    expect(&f, "parse-error", 3, "lone CR");
    assert_eq!(f.len(), 1, "{f:#?}");
    // In a Markdown body, after CRLF lines (which stay accepted).
    let request = std::fs::read_to_string(fixtures().join("good/records/requests/2026/TLP-2026-0001.md"))
        .unwrap()
        .replace('\n', "\r\n")
        .replace("günlük özetini", "günlük\rözetini");
    let line = request.split("\r\n").position(|l| l.contains("günlük\r")).unwrap() as u64 + 1;
    let f = check_file("records/requests/2026/TLP-2026-0001.md", request.as_bytes());
    expect(&f, "parse-error", line, "lone CR");
    // The whole file in old Mac line endings: line 1, as before.
    let f = check_file("records/org/people/lone.cr.yaml", &super::corpus("lone-cr.yaml"));
    expect(&f, "parse-error", 1, "lone CR");
}

/// `gök.yaml` written with `ö` as one character (NFC) and as `o` + U+0308 (NFD): two
/// files on Linux, one on macOS. Both are reported as `case-clash`, as are two ids that
/// differ the same way.
#[test]
fn names_equal_once_normalised_clash() {
    let repo = Repo::with_overlays(&[]);
    let person = |id: &str| {
        format!(
            "id: {id}\nname: Gök Türk\nunit: zabita-dairesi\nroles: [staff]\nemail: gok@izmir.bel.tr\ngit_emails: []\nactive: true\n"
        )
    };
    let (nfc, nfd) = ("g\u{f6}k.t\u{fc}rk", "go\u{308}k.tu\u{308}rk");
    repo.write(&format!("records/org/people/{nfc}.yaml"), &person(nfc));
    repo.write(&format!("records/org/people/{nfd}.yaml"), &person(nfd));
    // Two ids apart in form, in files whose names do not clash.
    repo.write("records/org/people/ayri.bir.yaml", &person("ay\u{15f}e.g\u{f6}k"));
    repo.write("records/org/people/ayri.iki.yaml", &person("ays\u{327}e.go\u{308}k"));
    let (findings, _) = validate(repo.path());
    let clash = |path: &str, text: &str| {
        assert!(
            findings.iter().any(|f| f.rule == "case-clash" && f.path == path && f.message.contains(text)),
            "no case-clash on {path} containing {text:?}: {findings:#?}"
        );
    };
    clash(&format!("records/org/people/{nfc}.yaml"), &format!("same as records/org/people/{nfd}.yaml"));
    clash(&format!("records/org/people/{nfd}.yaml"), "Unicode form");
    clash("records/org/people/ayri.bir.yaml", "Unicode form");
    clash("records/org/people/ayri.iki.yaml", "Unicode form");
}

/// A Markdown report quotes names from records; rendered (as a pull request comment or a
/// wiki page would), their markup is text: no element, no link.
#[test]
fn a_markdown_report_shows_markup_as_text() {
    let repo = Repo::with_overlays(&[&fixtures().join("good"), &fixtures().join("cmd/reports")]);
    let unit = "records/org/units/yazilim-gelistirme-servisi.yaml";
    let text = std::fs::read_to_string(repo.path().join(unit)).unwrap();
    let name = text.lines().find(|l| l.starts_with("name:")).unwrap().to_string();
    repo.write(
        unit,
        &text.replace(
            &name,
            "name: \"<img src=x onerror=alert(1)> [x](javascript:alert(2)) <javascript:alert(3)> **k** &lt;b&gt;\"",
        ),
    );
    let person = "records/org/people/elif.kara.yaml";
    let text = std::fs::read_to_string(repo.path().join(person)).unwrap();
    repo.write(
        person,
        &text.replace("name: Elif Kara", "name: \"![i](javascript:alert(4)) <script>alert(5)</script> | `x`\""),
    );
    for report in ["open-requests", "workload"] {
        let output = repo.defter(&["report", report, "--as-of", AS_OF, "--format", "markdown"]);
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        let markdown = stdout(&output);
        assert!(
            markdown.contains("onerror") || markdown.contains("alert(5)"),
            "{report}: the name is not there: {markdown}"
        );
        let mut html = String::new();
        let parser = pulldown_cmark::Parser::new_ext(&markdown, pulldown_cmark::Options::ENABLE_TABLES);
        pulldown_cmark::html::push_html(&mut html, parser);
        for bad in ["<img", "<script", "<a ", "<strong", "<code", "&lt;b&gt;"] {
            assert!(!html.contains(bad), "{report}: {bad} in the rendered report:\n{html}");
        }
        // Each row still has its columns: the `|` in a name did not split a cell.
        let columns = markdown.lines().next().unwrap().matches(" | ").count();
        for line in markdown.lines().filter(|l| !l.starts_with("|---")) {
            assert_eq!(line.matches(" | ").count(), columns, "{report}: {line}");
        }
        if report == "open-requests" {
            assert!(html.contains("&lt;img src=x onerror=alert(1)&gt; [x](javascript:alert(2))"), "{html}");
        }
    }
}

//! Each person's own feeds (issue 29.3): the iCalendar feed of the due dates of what they
//! hold and the Atom feed of its changes, on a real git repository of several authors.

use std::path::Path;

use crate::harness::{AS_OF, GitRepo};

const OPEN_REQUEST: &str = "---
id: TLP-2026-0002
title: \"Ruhsat <script>alert(1)</script>; sorgu, hata\"
type: defect
source: phone
unit: zabita-dairesi
requester: mehmet.demir
received: 2026-11-02
priority: high
service: yazilim-gelistirme-servisi
assignee: elif.kara
due: 2026-12-10
status: assigned
history:
  - { date: 2026-11-02, by: burak.yildiz, status: new, note: Telefonla alındı }
  - { date: 2026-11-03, by: burak.yildiz, status: assigned }
---
Sorgu ekranı hata veriyor.
";

fn build(repo: &GitRepo, out: &Path) {
    let output = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
}

fn read(site: &Path, path: &str) -> String {
    std::fs::read_to_string(site.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A calendar's events as (DTSTART, unfolded SUMMARY), after checking the lines are
/// CRLF-terminated and folded at 75 octets.
fn events(ics: &str) -> Vec<(String, String)> {
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"), "{ics}");
    assert!(ics.split("\r\n").all(|l| l.len() <= 75 && !l.contains('\n')), "{ics}");
    let unfolded = ics.replace("\r\n ", "");
    let mut out = Vec::new();
    let mut start = String::new();
    for line in unfolded.split("\r\n") {
        if let Some(d) = line.strip_prefix("DTSTART;VALUE=DATE:") {
            start = d.to_string();
        } else if let Some(s) = line.strip_prefix("SUMMARY:") {
            out.push((start.clone(), s.to_string()));
        }
    }
    out
}

/// A feed's entries as (title, author), after parsing it as XML and checking it is Atom
/// with an absolute id.
fn entries(atom: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(atom).unwrap_or_else(|e| panic!("{e}: {atom}"));
    let feed = doc.root_element();
    assert_eq!((feed.tag_name().namespace(), feed.tag_name().name()), (Some("http://www.w3.org/2005/Atom"), "feed"));
    let child = |n: roxmltree::Node, name: &str| {
        n.children().find(|c| c.tag_name().name() == name).and_then(|c| c.text().map(str::to_string))
    };
    let id = feed.children().find(|c| c.tag_name().name() == "id").and_then(|c| c.text()).unwrap();
    assert!(id.starts_with("urn:") || id.contains("://"), "an Atom id is an absolute IRI: {id}");
    feed.children()
        .filter(|c| c.tag_name().name() == "entry")
        .map(|e| {
            let author = e.children().find(|c| c.tag_name().name() == "author").and_then(|a| child(a, "name"));
            (child(e, "title").unwrap_or_default(), author.unwrap_or_default())
        })
        .collect()
}

#[test]
fn each_person_gets_the_due_dates_and_changes_of_what_they_hold() {
    let mut repo = GitRepo::new();
    // The system's owner answers for the grants on it; a unit that owns something puts
    // it in its head's hands.
    repo.edit("records/inventory/application/app-bbys-zabita.yaml", "owner: zabita-dairesi", "owner: selin.aydin");
    repo.edit("records/org/units/yazilim-devops-servisi.yaml", "type: service", "type: service\nhead: tolga.sen");
    repo.commit_as("selin.aydin", "Kayıtlar");
    repo.write("records/requests/2026/TLP-2026-0002.md", OPEN_REQUEST);
    repo.commit_as("burak.yildiz", "TLP-2026-0002 atandı");
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    build(&repo, &site);

    // The person's page links both feeds.
    let page = read(&site, "people/elif.kara.html");
    assert!(
        page.contains("href=\"../feeds/people/elif.kara.ics\"")
            && page.contains("href=\"../feeds/people/elif.kara.xml\""),
        "{page}"
    );
    assert!(page.contains("Son tarihleri takvime ekle (iCalendar)"));

    // The assignee: the open request's due date (a closed one has none), its markup as
    // text and its commas and semicolons escaped.
    let elif = events(&read(&site, "feeds/people/elif.kara.ics"));
    assert_eq!(
        elif,
        vec![(
            "20261210".to_string(),
            "talep (Termin): TLP-2026-0002 — Ruhsat <script>alert(1)</script>\\; sorgu\\, hata".to_string()
        )]
    );
    assert!(read(&site, "feeds/people/elif.kara.ics").contains("X-WR-CALNAME:Son tarihler — Elif Kara\r\n"));
    // Both her requests' changes, each by its author; the title as text, not markup.
    let elif = entries(&read(&site, "feeds/people/elif.kara.xml"));
    assert!(
        elif.contains(&("TLP-2026-0002 — Ruhsat <script>alert(1)</script>; sorgu, hata".into(), "burak.yildiz".into())),
        "{elif:?}"
    );
    assert!(elif.contains(&("TLP-2026-0001 — Zabıta denetim raporu ekranı".into(), "selin.aydin".into())), "{elif:?}");
    assert!(!read(&site, "feeds/people/elif.kara.xml").contains("<script>"));

    // The grantee and the system's owner: the grant's next review; not the request.
    for person in ["mehmet.demir", "selin.aydin"] {
        let dates = events(&read(&site, &format!("feeds/people/{person}.ics")));
        assert!(
            dates.iter().any(|(_, s)| s.starts_with("yetki gözden geçirmesi: YTK-2026-0001")),
            "{person}: {dates:?}"
        );
        assert!(!dates.iter().any(|(_, s)| s.contains("TLP-")), "{person}: {dates:?}");
        let changes = entries(&read(&site, &format!("feeds/people/{person}.xml")));
        assert!(changes.iter().any(|(t, _)| t.starts_with("YTK-2026-0001")), "{person}: {changes:?}");
        assert!(!changes.iter().any(|(t, _)| t.starts_with("TLP-2026-0002")), "{person}: {changes:?}");
    }
    // The head of the unit that owns the certificate: its end.
    let tolga = events(&read(&site, "feeds/people/tolga.sen.ics"));
    assert!(tolga.iter().any(|(d, s)| d == "20270131" && s.starts_with("sertifika: crt-zabita")), "{tolga:?}");
    // Someone who holds nothing: empty, valid feeds.
    assert!(events(&read(&site, "feeds/people/volkan.acar.ics")).is_empty());
    assert!(entries(&read(&site, "feeds/people/volkan.acar.xml")).is_empty());

    // The same commit and date give the same bytes.
    let again = tmp.path().join("again");
    build(&repo, &again);
    for path in ["feeds/people/elif.kara.ics", "feeds/people/elif.kara.xml", "feeds/people/selin.aydin.xml"] {
        assert_eq!(read(&site, path), read(&again, path), "{path}");
    }
}

//! `defter build`: the example site as a person reads it (parsed HTML), determinism,
//! atomic output, exports and feeds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::harness::{AS_OF, GitRepo, Repo, defter};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the example records into `<tmp>/site`.
fn build_examples(dir: &Path) -> PathBuf {
    let out = dir.join("site");
    let output = defter(root(), &["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    out
}

fn page(site: &Path, path: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(site.join(path)).unwrap_or_else(|e| panic!("{path}: {e}")))
}

fn texts(html: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel).map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn a_request_page_speaks_turkish_with_names_and_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_examples(tmp.path());
    let html = page(&site, "requests/TLP-2026-0001.html");
    assert_eq!(html.root_element().value().attr("lang"), Some("tr"));
    let title = texts(&html, "h1").join(" ");
    assert!(title.contains("TLP-2026-0001") && title.contains("fotoğraf yüklemede zaman aşımı"), "{title}");
    let fields: Vec<(String, String)> =
        texts(&html, "dl.fields dt").into_iter().zip(texts(&html, "dl.fields dd")).collect();
    let field = |label: &str| {
        fields
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no field {label}: {fields:?}"))
    };
    assert_eq!(field("Talep eden birim"), "Zabıta Dairesi Başkanlığı");
    assert_eq!(field("Görevli"), "Elif Kara");
    assert_eq!(field("Talep eden kişi"), "Mehmet Demir", "people by name, not id");
    assert_eq!(field("Geliş tarihi"), "12.01.2026");
    assert_eq!(texts(&html, ".badge").first().map(String::as_str), Some("Kapatıldı"));
    // Links both ways: the request names its project, the project lists the request.
    let links = Selector::parse("dl.fields a").unwrap();
    assert!(html.select(&links).any(|a| a.value().attr("href") == Some("../projects/PRJ-0001/index.html")));
    let project = page(&site, "projects/PRJ-0001/index.html");
    let related = texts(&project, "section[aria-labelledby=h-related] li").join("\n");
    assert!(related.contains("TLP-2026-0001"), "{related}");
    // The project document's sections are sub-pages.
    assert!(!texts(&project, "section[aria-labelledby=h-sections] li").is_empty());
    // A person lists their grants and open work.
    let person = texts(&page(&site, "people/elif.kara.html"), "section[aria-labelledby=h-related]").join(" ");
    assert!(person.contains("Yetki") && person.contains("TLP-"), "{person}");
    // The body is rendered Markdown.
    assert!(!texts(&html, "section.body p").is_empty());
    // Every page says what it was built from.
    assert!(texts(&html, "footer").join(" ").contains("30.11.2026"));
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    let tmp = tempfile::tempdir().unwrap();
    let first = files(&build_examples(tmp.path()));
    let again = tempfile::tempdir().unwrap();
    let second = files(&build_examples(again.path()));
    assert!(first.len() > 400, "{} files", first.len());
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between builds");
    }
}

#[test]
fn lists_boards_and_overview_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_examples(tmp.path());
    let list = page(&site, "requests/index.html");
    assert_eq!(texts(&list, "table.list tbody tr").len(), 59);
    let unit = page(&site, "requests/unit/zabita-dairesi.html");
    let rows = texts(&unit, "table.list tbody tr td:nth-child(3)");
    assert!(!rows.is_empty() && rows.iter().all(|u| u == "Zabıta Dairesi Başkanlığı"), "{rows:?}");
    let board = page(&site, "requests/board/yazilim-destek-servisi.html");
    assert_eq!(texts(&board, ".column h2").len(), 7, "a column per status");
    let grants = page(&site, "grants/index.html");
    assert!(texts(&grants, "table.matrix tbody tr").len() > 5);
    let home = page(&site, "index.html");
    assert!(texts(&home, "h2").iter().any(|h| h == "Bugün dikkat isteyenler"));
    let reports = std::fs::read_to_string(site.join("reports.html")).unwrap();
    assert!(
        reports.matches("<svg").count() >= 6 && !reports.contains("<script"),
        "charts are inline SVG without scripts"
    );
    let calendar = page(&site, "calendar.html");
    assert!(texts(&calendar, "ul.calendar li time").iter().all(|d| d.len() == 10 && d.as_bytes()[2] == b'.'));
}

#[test]
fn exports_feeds_and_search_index() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_examples(tmp.path());
    let csv = std::fs::read(site.join("exports/requests.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}id;title;".as_bytes()), "UTF-8 BOM and semicolons for Excel");
    assert!(String::from_utf8(csv).unwrap().contains("fotoğraf yüklemede zaman aşımı"), "Turkish text survives");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("exports/requests.json")).unwrap()).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 59);
    let ics = std::fs::read_to_string(site.join("deadlines.ics")).unwrap();
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\n")
            && ics.contains("BEGIN:VEVENT")
            && ics.trim_end().ends_with("END:VCALENDAR")
    );
    let atom = std::fs::read_to_string(site.join("feed.xml")).unwrap();
    assert!(atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert!(site.join("feeds/zabita-dairesi.xml").is_file());
    // "zabita" (no dotless ı) finds the records that say "Zabıta".
    let shard: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("search/t-za.json")).unwrap()).unwrap();
    assert!(shard["zabita"].as_array().is_some_and(|docs| docs.len() > 5), "{shard}");
}

#[test]
fn history_from_git_appears_on_record_pages() {
    let mut repo = GitRepo::new();
    repo.commit_as("selin.aydin", "İlk kayıtlar");
    repo.edit("records/grants/2026/YTK-2026-0001.yaml", "role: Birim yöneticisi", "role: Raporlama");
    repo.commit_as("ayse.yilmaz", "Rol daraltıldı");
    let out = repo.path().join("site");
    let output = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let html = page(&out, "grants/YTK-2026-0001.html");
    let history = texts(&html, "ol.history > li");
    assert_eq!(history.len(), 2, "{history:?}");
    assert!(
        history[0].contains("Ayşe Yılmaz")
            && history[0].contains("Rol daraltıldı")
            && history[0].contains("Birim yöneticisi → Raporlama"),
        "{history:?}"
    );
    assert!(history[1].contains("Selin Aydın") && history[1].contains("oluşturuldu"), "{history:?}");
}

#[test]
fn a_failed_build_leaves_the_previous_site_alone() {
    let repo = Repo::with_overlays(&[&crate::harness::fixtures().join("good")]);
    let out = repo.path().join("public");
    let built = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(built.status.code(), Some(0), "{}", String::from_utf8_lossy(&built.stderr));
    let before = files(&out);
    repo.write(
        "site-templates/record.html",
        "{% extends \"base.html\" %}{% block content %}{{ nope( }}{% endblock content %}",
    );
    let failed = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(2));
    assert_eq!(files(&out), before, "the previous site is untouched");
    let leftovers: Vec<_> = std::fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("defter-new"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn templates_can_be_overridden_by_the_repository() {
    let repo = Repo::with_overlays(&[&crate::harness::fixtures().join("good")]);
    repo.write(
        "site-templates/home.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Özel ana sayfa</h1>{% endblock content %}",
    );
    let out = repo.path().join("public");
    let output = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(texts(&page(&out, "index.html"), "h1"), vec!["Özel ana sayfa"]);
}

#[test]
fn dangerous_output_folders_are_refused() {
    let repo = Repo::with_overlays(&[&crate::harness::fixtures().join("good")]);
    for out in
        [repo.path().to_path_buf(), repo.path().join("records"), repo.path().join("records/site"), PathBuf::from("/")]
    {
        let output = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{}", out.display());
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("refusing"),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let full = repo.path().join("notes");
    std::fs::create_dir_all(&full).unwrap();
    std::fs::write(full.join("important.txt"), "keep").unwrap();
    let output = repo.defter(&["build", "--as-of", AS_OF, "--out", full.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(full.join("important.txt")).unwrap(), "keep");
}

#[test]
fn the_english_catalogue_is_selectable() {
    let repo = Repo::with_overlays(&[&crate::harness::fixtures().join("good")]);
    repo.write("defter.toml", "[site]\nlanguage = \"en\"\ntitle = \"Software Branch\"\n");
    let out = repo.path().join("public");
    let output = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let home = page(&out, "index.html");
    assert_eq!(home.root_element().value().attr("lang"), Some("en"));
    assert!(texts(&home, "nav li").contains(&"Requests".to_string()));
}

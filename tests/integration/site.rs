//! `defter build`: the example site as a person reads it (parsed HTML), determinism,
//! atomic output, exports and feeds.

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::harness::{AS_OF, GitRepo, Repo, defter, files_in, fixtures, report};

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
    // Every page links to the page that says what it was built from: the commit and
    // the date (not named on every page, or a new commit would render every page again).
    let footer = Selector::parse("footer a").unwrap();
    let about = html.select(&footer).find(|a| a.value().attr("href") == Some("../build.html"));
    assert_eq!(about.map(|a| a.text().collect::<String>()).as_deref(), Some("Derleme: commit ve tarih"));
    assert!(!texts(&html, "footer").join(" ").contains("30.11.2026"));
    let build = page(&site, "build.html");
    assert_eq!(texts(&build, "h1"), ["Bu derleme"]);
    let said: Vec<(String, String)> =
        texts(&build, "dl.fields dt").into_iter().zip(texts(&build, "dl.fields dd")).collect();
    assert_eq!(said[1], ("Tarih".to_string(), "30.11.2026".to_string()), "{said:?}");
    assert!(said[0].0 == "Derleme" && said[0].1.starts_with("commit "), "{said:?}");
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    let tmp = tempfile::tempdir().unwrap();
    let first = files_in(&build_examples(tmp.path()));
    let again = tempfile::tempdir().unwrap();
    let second = files_in(&build_examples(again.path()));
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
    // Reviews falling due within the 30-day window, soonest first (the calendar's dates).
    let soon = texts(&grants, "ul.reviews-soon li");
    assert_eq!(soon.len(), 3, "{soon:?}");
    assert!(soon[0].starts_with("05.12.2026 · YTK-2025-0009"), "{soon:?}");
    let home = page(&site, "index.html");
    assert!(texts(&home, "h2").iter().any(|h| h == "Bugün dikkat isteyenler"));
    let reports = std::fs::read_to_string(site.join("reports.html")).unwrap();
    assert!(
        reports.matches("<svg").count() >= 6 && !reports.contains("<script"),
        "charts are inline SVG without scripts"
    );
    // Numbers the Turkish way, columns named for what they hold, and the measure is
    // "closed by the due date".
    let reports = page(&site, "reports.html");
    let cells = texts(&reports, "td");
    assert!(cells.iter().any(|c| c == "47,5") && cells.iter().any(|c| c == "%57,1"), "{cells:?}");
    assert!(
        cells.iter().all(|c| !c.ends_with(".0") && !c.ends_with(",0") && !c.ends_with('%') && !c.contains("5.")),
        "{cells:?}"
    );
    let headers = texts(&reports, "th");
    for h in ["Ortanca süre (gün)", "Kapanan talep", "Son tarihine kadar kapanan", "Talep", "Ay"] {
        assert!(headers.iter().any(|x| x == h), "no column {h}: {headers:?}");
    }
    assert!(!headers.iter().any(|h| h == "Sayı" || h == "Toplam"), "{headers:?}");
    assert!(texts(&reports, "h2").iter().any(|h| h == "Son tarihine kadar kapanan taleplerin oranı"));
    // Open requests by the records' own dates: the examples were committed at once, so
    // git counts nothing open before November 2026, and the page says where they differ.
    assert!(texts(&reports, "h2").iter().any(|h| h == "Açık talep sayısı (kayıtların tarihçesinden)"));
    assert!(headers.iter().any(|h| h == "Git geçmişine göre"), "{headers:?}");
    assert!(cells.iter().any(|c| c == "≠ 0"), "{cells:?}");
    let note = texts(&reports, "p.note").join(" ");
    assert!(note.starts_with("Git geçmişi ") && note.contains("2026-10"), "{note}");
    let svg_labels = texts(&reports, "svg text");
    assert!(svg_labels.iter().any(|t| t == "%57,1") && svg_labels.iter().any(|t| t == "47,5"), "{svg_labels:?}");
    assert!(!svg_labels.iter().any(|t| t.contains('.')), "{svg_labels:?}");
    assert!(texts(&page(&site, "requests/index.html"), "summary").iter().any(|s| s == "Filtrele: Birim"));
    // Labels, not codes: a state by its label on the rules and directive pages, a person
    // named in a free "id or name" field by their name.
    let rules = texts(&page(&site, "rules.html"), "main li");
    assert!(rules.iter().any(|l| l.starts_with("Talep · durumun gerektirdikleri: Atandı — ")), "{rules:?}");
    assert!(!rules.iter().any(|l| l.contains("request state") || l.contains("in_progress")), "{rules:?}");
    let directive = texts(&page(&site, "directive.html"), "main li");
    assert!(directive.iter().any(|l| l == "Talep · durumun gerektirdikleri: İşlemde"), "{directive:?}");
    assert!(directive.iter().any(|l| l == "Talep · alan: Görevli"), "{directive:?}");
    let training = texts(&page(&site, "registers/training/EGT-2026-0001.html"), "table.entries td");
    assert!(
        training.iter().any(|c| c == "Tolga Şen") && !training.iter().any(|c| c.contains("elif.kara")),
        "{training:?}"
    );
    let calendar = page(&site, "calendar.html");
    assert!(texts(&calendar, "ul.calendar li time").iter().all(|d| d.len() == 10 && d.as_bytes()[2] == b'.'));
    assert!(texts(&calendar, "nav[aria-label=Aylar]").is_empty(), "a short calendar is one page");
    assert!(!site.join("calendar").exists());
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
    // The index is scripts (a page opened from disk may load a script, not fetch a file).
    let shard = std::fs::read_to_string(site.join("search/t-za.js")).unwrap();
    let json = shard.strip_prefix("defterSearch(\"t-za\",").and_then(|s| s.strip_suffix(");\n")).expect(&shard);
    let shard: serde_json::Value = serde_json::from_str(json).unwrap();
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
fn a_boards_closed_column_shows_the_last_30_days() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = defter(root(), &["build", "--as-of", "2025-08-15", "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let board = page(&out, "requests/board/yazilim-analiz-servisi.html");
    let closed = texts(&board, "section[aria-labelledby=col-closed] li a");
    // Closed 30.07.2025, 16 days before; 23.04.2025, long before.
    assert!(closed.iter().any(|a| a == "TLP-2025-0009"), "{closed:?}");
    assert!(!closed.iter().any(|a| a == "TLP-2025-0006" || a == "TLP-2025-0001"), "{closed:?}");
    let more = texts(&board, "section[aria-labelledby=col-closed] p.more").remove(0);
    assert!(more.starts_with("Gösterilen: son 30 günde bu duruma geçen "), "{more}");
    assert!(more.contains("Tümünü gör: «Kapatıldı» durumundaki talepler"), "{more}");
    // Open columns are not cut by date.
    let open = texts(&board, "section[aria-labelledby=col-in_progress] li");
    let heading = texts(&board, "h2#col-in_progress").remove(0);
    assert!(heading.ends_with(&open.len().to_string()), "{heading} / {open:?}");
}

#[test]
fn the_home_page_lists_the_latest_commits_that_changed_records() {
    let mut repo = GitRepo::new();
    repo.commit_as("selin.aydin", "İlk kayıtlar");
    repo.edit("records/grants/2026/YTK-2026-0001.yaml", "role: Birim yöneticisi", "role: Raporlama");
    repo.commit_as("ayse.yilmaz", "Rol daraltıldı");
    // A repository that also holds code: the last twelve commits touch no record.
    for i in 0..12 {
        repo.write("tools/notes.txt", &format!("{i}\n"));
        repo.commit_as("selin.aydin", &format!("Araç notu {i}"));
    }
    let out = repo.path().join("site");
    let output = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let home = page(&out, "index.html");
    let recent = texts(&home, "section[aria-labelledby=h-recent] li");
    assert_eq!(recent.len(), 2, "{recent:?}");
    assert!(recent[0].contains("Rol daraltıldı") && recent[0].contains("Ayşe Yılmaz"), "{recent:?}");
    assert!(recent[0].contains("YTK-2026-0001"), "{recent:?}");
    assert!(recent[1].contains("İlk kayıtlar"), "{recent:?}");
    assert!(!recent.iter().any(|r| r.contains("Araç notu")), "{recent:?}");

    // A grant has no title: its heading says whose, on what and as what, not its id twice.
    let grant = page(&out, "grants/YTK-2026-0001.html");
    let h1 = texts(&grant, "h1").remove(0);
    assert_eq!(h1.matches("YTK-2026-0001").count(), 1, "{h1}");
    assert!(h1.contains(" · Raporlama"), "{h1}");
    let title = texts(&grant, "title").remove(0);
    assert_eq!(title.matches("YTK-2026-0001").count(), 1, "{title}");

    // Outside git there is no history: the home page says so in its own words.
    let plain = Repo::with_overlays(&[&fixtures().join("good")]);
    let out = plain.path().join("site");
    let output = plain.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let recent = texts(&page(&out, "index.html"), "section[aria-labelledby=h-recent] p");
    assert_eq!(recent, ["Git geçmişinde kayıtları değiştiren bir commit yok."]);
}

#[test]
fn a_failed_build_leaves_the_previous_site_alone() {
    let repo = Repo::with_overlays(&[&crate::harness::fixtures().join("good")]);
    let out = repo.path().join("public");
    let built = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(built.status.code(), Some(0), "{}", String::from_utf8_lossy(&built.stderr));
    let before = files_in(&out);
    repo.write(
        "site-templates/record.html",
        "{% extends \"base.html\" %}{% block content %}{{ nope( }}{% endblock content %}",
    );
    let failed = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(2));
    assert_eq!(files_in(&out), before, "the previous site is untouched");
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

/// The text of a page's `main`, whitespace collapsed.
fn main_text(html: &Html) -> String {
    texts(html, "main").join(" ")
}

#[test]
fn findings_and_rules_speak_the_sites_language() {
    let cases = ["state-fields", "deadline-missed", "expired", "schema"].map(|c| fixtures().join("rules").join(c));
    let repo = Repo::with_overlays(&cases.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    let report = report(repo.path());
    // As a reader sees it: `spans` are set as code, without their backticks.
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").replace('`', "");
    let messages: Vec<(String, String)> =
        report.diagnostics.iter().map(|d| (one_line(&d.message.tr), one_line(&d.message.en))).collect();
    let rules: Vec<_> = ["deadline-missed", "expired", "schema", "state-fields"]
        .iter()
        .map(|id| defter::diag::Rule::from_id(id).unwrap())
        .collect();
    assert!(rules.iter().all(|r| report.diagnostics.iter().any(|d| d.rule == *r)), "{messages:?}");
    for english in [false, true] {
        if english {
            repo.write("defter.toml", "[site]\nlanguage = \"en\"\n");
        }
        let out = repo.path().join(if english { "site-en" } else { "site-tr" });
        let output = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        let findings = main_text(&page(&out, "findings.html"));
        let pick =
            |(tr, en): &(String, String)| if english { (en.clone(), tr.clone()) } else { (tr.clone(), en.clone()) };
        for (shown, hidden) in messages.iter().map(pick) {
            assert!(findings.contains(&shown), "findings.html (english: {english}) lacks {shown:?}:\n{findings}");
            assert!(!findings.contains(&hidden), "findings.html (english: {english}) shows {hidden:?}");
        }
        // What to do about each finding, in the same language, under its message.
        let to_do = if english { "What to do: " } else { "Yapılacak: " };
        for help in report.diagnostics.iter().filter_map(|d| d.help.as_ref()) {
            // (Not also "the other language is absent": a help may quote a schema's
            // Turkish title in both.)
            let (shown, _) = pick(&(one_line(&help.tr), one_line(&help.en)));
            assert!(
                findings.contains(&format!("{to_do}{shown}")),
                "findings.html (english: {english}) lacks {shown:?}"
            );
        }
        let rules_html = page(&out, "rules.html");
        assert!(texts(&rules_html, "#id-filename td code").contains(&"id".to_string()), "`id` is set as code");
        let rules_page = main_text(&rules_html);
        for rule in defter::diag::Rule::ALL {
            let (shown, hidden) =
                if english { (rule.summary(), rule.summary_tr()) } else { (rule.summary_tr(), rule.summary()) };
            let (shown, hidden) = (one_line(shown), one_line(hidden));
            assert!(
                rules_page.contains(&shown) && !rules_page.contains(&hidden),
                "rules.html (english: {english}): {rule}"
            );
        }
        for rule in &rules {
            let (shown, hidden) =
                if english { (rule.summary(), rule.summary_tr()) } else { (rule.summary_tr(), rule.summary()) };
            let (shown, hidden) = (one_line(shown), one_line(hidden));
            assert!(
                findings.contains(&shown) && !findings.contains(&hidden),
                "findings.html (english: {english}): {rule}"
            );
        }
        // The home page's attention list and a record's own findings.
        let home = main_text(&page(&out, "index.html"));
        let request = main_text(&page(&out, "requests/TLP-2026-0001.html"));
        for d in &report.diagnostics {
            let (shown, hidden) = pick(&(one_line(&d.message.tr), one_line(&d.message.en)));
            if matches!(d.rule.id(), "deadline-missed" | "expired") {
                assert!(home.contains(&shown) && !home.contains(&hidden), "index.html (english: {english}): {shown:?}");
            }
            if d.path.ends_with("TLP-2026-0001.md") {
                assert!(
                    request.contains(&shown) && !request.contains(&hidden),
                    "request page (english: {english}): {shown:?}"
                );
            }
        }
        let line = if english { "(line " } else { ". satır)" };
        assert!(request.contains(line), "request page (english: {english}): no line label in {request}");
    }
}

/// Builds `repo`'s records into `<repo>/site`.
fn build_repo(repo: &Repo) -> PathBuf {
    let out = repo.path().join("site");
    let output = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    out
}

/// The clean fixture's grant, copied by the tests of long pages.
const GRANT: &str = "records/grants/2026/YTK-2026-0001.yaml";

fn grant_id(i: usize) -> String {
    format!("YTK-2026-{i:04}")
}

/// Writes copies of the fixture record `fixture` (a file named by its id) beside it, one
/// for each of `numbers`: named `id(i)`, the fixture's id replaced by that one in its
/// text, and the text then given to `edit(i, text)`.
fn write_copies(
    repo: &Repo,
    fixture: &str,
    numbers: std::ops::RangeInclusive<usize>,
    id: impl Fn(usize) -> String,
    edit: impl Fn(usize, String) -> String,
) {
    let path = Path::new(fixture);
    let (folder, old) = (path.parent().unwrap().to_str().unwrap(), path.file_stem().unwrap().to_str().unwrap());
    let extension = path.extension().unwrap().to_str().unwrap();
    let text = std::fs::read_to_string(repo.path().join(fixture)).unwrap();
    for i in numbers {
        let id = id(i);
        repo.write(&format!("{folder}/{id}.{extension}"), &edit(i, text.replace(old, &id)));
    }
}

/// The clean fixture with `count` requests in all: `TLP-2026-0002`… are copies of
/// `TLP-2026-0001` (closed, service `yazilim-gelistirme-servisi`), the ones up to
/// `high_until` of priority `high`, the rest (and `0001`) `normal`; the copies closed on
/// 20.11.2026, within a board's last 30 days. Built into `<repo>/site`.
fn build_many_requests(count: usize, high_until: usize) -> (Repo, PathBuf) {
    let repo = Repo::with_overlays(&[&crate::harness::fixtures().join("good")]);
    let id = |i: usize| format!("TLP-2026-{i:04}");
    write_copies(&repo, "records/requests/2026/TLP-2026-0001.md", 2..=count, id, |i, text| {
        let text = text.replace("2026-04-03", "2026-11-20");
        if i <= high_until { text.replace("priority: normal", "priority: high") } else { text }
    });
    let out = build_repo(&repo);
    (repo, out)
}

fn attr(html: &Html, selector: &str, name: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel).filter_map(|e| e.value().attr(name).map(str::to_string)).collect()
}

fn row_ids(html: &Html) -> Vec<String> {
    texts(html, "table.list tbody tr td:first-child")
}

#[test]
fn long_request_lists_are_paginated() {
    let (_repo, site) = build_many_requests(250, 201);
    let ids = |range: std::ops::RangeInclusive<usize>| range.map(|i| format!("TLP-2026-{i:04}")).collect::<Vec<_>>();

    // A person named by 250 requests lists the last 100 (in id order: the newest) and
    // says how many more there are, pointing to the requests export.
    let requester = page(&site, "people/mehmet.demir.html");
    let related = "section[aria-labelledby=h-related]";
    assert_eq!(
        texts(&requester, &format!("{related} p.more")),
        vec!["Gösterilen son kayıtlar: 100 · 150 kayıt daha · tümü dışa aktarım dosyasında (CSV)"]
    );
    assert_eq!(attr(&requester, &format!("{related} p.more a"), "href"), vec!["../exports/requests.csv"]);
    let shown: Vec<String> = texts(&requester, &format!("{related} li"))
        .into_iter()
        .filter(|t| t.starts_with("TLP-"))
        .map(|t| t[..13].to_string())
        .collect();
    assert_eq!(shown, ids(151..=250));
    let nav = "nav.pages[aria-label=Sayfalar]";

    // Page 1 keeps its path and shows the first 100 in list order.
    let first = page(&site, "requests/index.html");
    assert_eq!(row_ids(&first), ids(1..=100));
    assert_eq!(texts(&first, &format!("{nav} p")), vec!["Sayfa 1 / 3"]);
    assert!(texts(&first, "caption").iter().all(|c| c.ends_with("(250)")), "the caption counts every page");
    assert!(attr(&first, "a[rel=prev]", "href").is_empty());
    assert_eq!(attr(&first, "a[rel=next]", "href"), vec!["../requests/page/2.html"]);
    assert_eq!(attr(&first, &format!("{nav} a[aria-current=page]"), "href"), vec!["../requests/index.html"]);

    // Later pages go to `requests/page/<n>.html`, with links both ways.
    let second = page(&site, "requests/page/2.html");
    assert_eq!(row_ids(&second), ids(101..=200));
    assert_eq!(texts(&second, &format!("{nav} p")), vec!["Sayfa 2 / 3"]);
    assert!(texts(&second, "title")[0].contains("Sayfa 2 / 3"), "each page has its own title");
    assert_eq!(attr(&second, "a[rel=prev]", "href"), vec!["../../requests/index.html"]);
    assert_eq!(attr(&second, "a[rel=next]", "href"), vec!["../../requests/page/3.html"]);
    assert_eq!(texts(&second, &format!("{nav} a[aria-current=page]")), vec!["2"]);
    assert_eq!(
        attr(&second, &format!("{nav} a[aria-current=page]"), "href"),
        vec!["../../requests/page/2.html"],
        "the current page is marked"
    );
    let last = page(&site, "requests/page/3.html");
    assert_eq!(row_ids(&last), ids(201..=250), "the last page has the remaining rows");
    assert_eq!(attr(&last, "a[rel=prev]", "href"), vec!["../../requests/page/2.html"]);
    assert!(attr(&last, "a[rel=next]", "href").is_empty());
    assert!(!site.join("requests/page/4.html").exists());

    // A facet value's list: `<stem>/<n>.html`; an exact multiple of 100 has no empty page.
    let high = page(&site, "requests/priority/high.html");
    assert_eq!(row_ids(&high), ids(2..=101));
    assert_eq!(attr(&high, "a[rel=next]", "href"), vec!["../../requests/priority/high/2.html"]);
    let high2 = page(&site, "requests/priority/high/2.html");
    assert_eq!(row_ids(&high2), ids(102..=201));
    assert_eq!(texts(&high2, &format!("{nav} p")), vec!["Sayfa 2 / 2"]);
    assert_eq!(attr(&high2, "a[rel=prev]", "href"), vec!["../../../requests/priority/high.html"]);
    assert!(attr(&high2, "a[rel=next]", "href").is_empty());
    assert!(!site.join("requests/priority/high/3.html").exists(), "no empty last page");

    // A list of at most 100 is one page, without a pager.
    let normal = page(&site, "requests/priority/normal.html");
    assert_eq!(row_ids(&normal).len(), 50);
    assert!(texts(&normal, "nav.pages").is_empty());
    assert!(!site.join("requests/priority/normal").exists());

    // A unit's list is paginated the same way.
    let unit = page(&site, "requests/unit/zabita-dairesi/3.html");
    assert_eq!(row_ids(&unit), ids(201..=250));

    // A board column shows its 50 most recent cards, its full count, and where the rest are.
    let board = page(&site, "requests/board/yazilim-gelistirme-servisi.html");
    let closed = Selector::parse("section.column[aria-labelledby=col-closed]").unwrap();
    let column = board.select(&closed).next().expect("a closed column");
    let column = Html::parse_fragment(&column.html());
    assert_eq!(texts(&column, "h2 .n"), vec!["250"]);
    assert_eq!(texts(&column, "li.card a"), ids(201..=250));
    assert_eq!(attr(&column, "p.more a", "href"), vec!["../../requests/status/closed.html"]);
    let more = texts(&column, "p.more").join(" ");
    // 249 copies closed 10 days before --as-of, and 0001 long before.
    assert!(more.contains("son 30 günde bu duruma geçen 50 / 250") && more.contains("(250)"), "{more}");
    let new = Selector::parse("section.column[aria-labelledby=col-new]").unwrap();
    assert!(board.select(&new).next().is_some_and(|c| !c.html().contains("class=\"more\"")));
}

#[test]
fn the_reports_and_the_site_give_the_same_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_examples(tmp.path());
    let home = page(&site, "index.html");
    let report = |name: &str| -> serde_json::Value {
        let output = defter(root(), &["report", name, "--as-of", AS_OF, "--format", "json"]);
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let open = report("open-requests");
    // Open requests per service: the dashboard's list and the report's totals.
    let in_report: Vec<String> = open["data"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| format!("{} {}", s["name"].as_str().unwrap(), s["total"]))
        .collect();
    // (The dashboard also lists services with nothing open; the report leaves them out.)
    let on_site: Vec<String> =
        texts(&home, "#h-service + ul.counts li").into_iter().filter(|c| !c.ends_with(" 0")).collect();
    assert_eq!(on_site, in_report);
    // Open requests per state: the dashboard's count next to each state's badge.
    for state in open["data"]["states"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()) {
        let total: u64 =
            open["data"]["services"].as_array().unwrap().iter().map(|s| s["by_status"][state].as_u64().unwrap()).sum();
        let shown = texts(&home, &format!("#h-status + ul.counts .s-{state} + .n"));
        assert_eq!(shown, vec![total.to_string()], "{state}");
    }
    // Grant reviews coming up within the window: the permissions page and the report.
    let reviews = report("reviews-due");
    let in_report: Vec<String> = reviews["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "grant" && r["overdue"] == false)
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let grants = page(&site, "grants/index.html");
    let on_site: Vec<String> = texts(&grants, "ul.reviews-soon li a");
    assert_eq!(on_site, in_report);
    // The reviews export is the report itself (same window: `expiring_days`).
    let export = |name: &str| -> Vec<serde_json::Value> {
        serde_json::from_slice::<Vec<serde_json::Value>>(&std::fs::read(site.join("exports").join(name)).unwrap())
            .unwrap()
    };
    let ids =
        |rows: &[serde_json::Value]| rows.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&export("reviews.json")), ids(reviews["data"].as_array().unwrap()));
    assert!(!export("reviews.json").is_empty(), "the example records have reviews due");

    // Workload: the page, the export, each person's open work and the report agree.
    let workload = report("workload");
    let people = workload["data"].as_array().unwrap();
    assert!(people.len() > 3, "{workload}");
    let workload_page = page(&site, "workload.html");
    let names = texts(&workload_page, "tbody th a");
    let numbers = texts(&workload_page, "tbody td.num");
    let exported = export("workload.json");
    assert_eq!((names.len(), exported.len()), (people.len(), people.len()));
    // The total counts a project several people share once.
    let projects: std::collections::BTreeSet<&str> = people
        .iter()
        .flat_map(|p| p["items"].as_array().unwrap())
        .filter(|i| i["kind"] == "project")
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    let footer = texts(&workload_page, "tfoot td.num");
    assert_eq!(footer.last(), Some(&projects.len().to_string()), "{footer:?}");
    for (((load, name), numbers), exported) in people.iter().zip(&names).zip(numbers.chunks(3)).zip(&exported) {
        assert_eq!(name, load["name"].as_str().unwrap());
        let counts = [&load["open_requests"], &load["overdue"], &load["open_projects"]].map(|n| n.to_string());
        assert_eq!(numbers, counts.as_slice(), "{load}");
        assert_eq!(exported["person"], load["person"]);
        assert_eq!(exported["open_requests"], load["open_requests"].to_string());
        let person_page = page(&site, &format!("people/{}.html", load["person"].as_str().unwrap()));
        let listed = texts(&person_page, "ul.open-work li a");
        let items: Vec<String> =
            load["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect();
        assert_eq!(listed.len(), items.len(), "{}", load["person"]);
        assert!(listed.iter().zip(&items).all(|(l, id)| l.starts_with(id.as_str())), "{listed:?} vs {items:?}");
    }
    assert!(
        home.select(&Selector::parse("a[href='workload.html']").unwrap()).next().is_some(),
        "home links the workload"
    );

    // Monthly KPIs: the export and `report kpis` over the same 18 months.
    let output = defter(root(), &["report", "kpis", "--as-of", AS_OF, "--format", "json", "--months", "18"]);
    let kpis: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // Every column: counts as written, the median and the share to two decimals.
    let cell = |v: &serde_json::Value| match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) if n.is_f64() => format!("{:.2}", n.as_f64().unwrap()),
        other => other.to_string(),
    };
    let columns = ["month", "received", "closed", "backlog", "median_days_to_close", "on_time_share"];
    let months: Vec<Vec<String>> =
        kpis["data"].as_array().unwrap().iter().map(|m| columns.iter().map(|c| cell(&m[*c])).collect()).collect();
    let exported: Vec<Vec<String>> =
        export("kpis.json").iter().map(|m| columns.iter().map(|c| cell(&m[*c])).collect()).collect();
    assert_eq!(exported, months);
    assert!(months.iter().any(|m| !m[4].is_empty() && !m[5].is_empty()), "some month has a median and a share");

    // End dates: `report expiring` and the calendar's deadlines (its export) name the same
    // certificates, domains and grants on the same days.
    let output = defter(root(), &["report", "expiring", "--as-of", AS_OF, "--format", "json", "--within", "400"]);
    let expiring: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let expiring = expiring["data"].as_array().unwrap();
    assert!(expiring.len() >= 3, "{expiring:?}");
    let whats: Vec<&str> = expiring.iter().map(|e| e["what"].as_str().unwrap()).collect();
    let horizon = "2028-01-04"; // AS_OF + 400 days
    let mut in_calendar: Vec<String> = export("deadlines.json")
        .iter()
        .filter(|d| whats.contains(&d["what"].as_str().unwrap()) && d["date"].as_str().unwrap() <= horizon)
        .map(|d| format!("{} {}", d["date"].as_str().unwrap(), d["id"].as_str().unwrap()))
        .collect();
    in_calendar.sort();
    let mut in_report: Vec<String> =
        expiring.iter().map(|e| format!("{} {}", e["ends"].as_str().unwrap(), e["id"].as_str().unwrap())).collect();
    in_report.sort();
    assert_eq!(in_calendar, in_report);

    // The permission matrix: one exported row per filled cell of the page's matrix, with
    // the cell's person (row) and system (column).
    let systems = texts(&grants, "table.matrix thead th a");
    let row = Selector::parse("table.matrix tbody tr").unwrap();
    let (th, td) = (Selector::parse("th a").unwrap(), Selector::parse("td").unwrap());
    let text = |e: scraper::ElementRef| e.text().collect::<String>().trim().to_string();
    let mut cells = Vec::new();
    for tr in grants.select(&row) {
        let person = text(tr.select(&th).next().unwrap());
        for (system, roles) in systems.iter().zip(tr.select(&td).map(text)) {
            if !roles.is_empty() {
                cells.push(format!("{person} | {system} | {roles}"));
            }
        }
    }
    let field = |r: &serde_json::Value, k: &str| r[k].as_str().unwrap().to_string();
    let exported: Vec<String> = export("permissions.json")
        .iter()
        .map(|r| format!("{} | {} | {}", field(r, "grantee_name"), field(r, "system_name"), field(r, "roles")))
        .collect();
    assert!(cells.len() > 3, "{cells:?}");
    assert_eq!(exported, cells);
}

/// A matrix of more than `MATRIX_CELLS` cells (111 people × 111 systems, each person
/// holding one) is listed person by person: the same holdings as the export, in a page
/// a phone can open, not a table of thousands of empty cells.
#[test]
fn a_large_permission_matrix_is_listed_person_by_person() {
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    let person = std::fs::read_to_string(repo.path().join("records/org/people/mehmet.demir.yaml")).unwrap();
    let system =
        std::fs::read_to_string(repo.path().join("records/inventory/application/app-bbys-zabita.yaml")).unwrap();
    let grant = std::fs::read_to_string(repo.path().join("records/grants/2026/YTK-2026-0001.yaml")).unwrap();
    let count = 110;
    for i in 1..=count {
        let (who, what) = (format!("kisi.{i:03}"), format!("app-sistem-{i:03}"));
        repo.write(
            &format!("records/org/people/{who}.yaml"),
            &person
                .replace("id: mehmet.demir", &format!("id: {who}"))
                .replace("Mehmet Demir", &format!("Kişi {i:03}"))
                .replace("mehmet.demir@", &format!("{who}@")),
        );
        repo.write(
            &format!("records/inventory/application/{what}.yaml"),
            &system.replace("app-bbys-zabita", &what).replace("BBYS Zabıta Modülü", &format!("Sistem {i:03}")),
        );
        repo.write(
            &format!("records/grants/2026/YTK-2026-{:04}.yaml", 100 + i),
            &grant
                .replace("YTK-2026-0001", &format!("YTK-2026-{:04}", 100 + i))
                .replace("grantee: mehmet.demir", &format!("grantee: {who}"))
                .replace("app-bbys-zabita", &what)
                .replace("Birim yöneticisi", if i % 2 == 0 { "Okuyucu" } else { "Yönetici" }),
        );
    }
    let out = build_repo(&repo);
    let grants = page(&out, "grants/index.html");
    assert!(texts(&grants, "table.matrix").is_empty(), "no table of {} cells", 111 * 111);
    // The permissions page lists the first hundred holders and links the list of all,
    // a hundred a page.
    let first = texts(&grants, "ul.holders li");
    assert_eq!(first.len(), 100, "{first:?}");
    assert_eq!(
        texts(&grants, "section[aria-labelledby=h-matrix] p.more"),
        vec!["Gösterilen kayıtlar: 100 · 11 kayıt daha · tümünün listesi"]
    );
    assert_eq!(attr(&grants, "section[aria-labelledby=h-matrix] p.more a", "href"), vec!["../grants/holders.html"]);
    let all = page(&out, "grants/holders.html");
    assert_eq!(texts(&all, "ul.holders li"), first, "the list starts where the permissions page does");
    assert_eq!(attr(&all, "a[rel=next]", "href"), vec!["../grants/holders/2.html"]);
    let second = page(&out, "grants/holders/2.html");
    assert!(texts(&second, "title")[0].contains("Sayfa 2 / 2"));
    let mut holders = first.clone();
    holders.extend(texts(&second, "ul.holders li"));
    assert_eq!(holders.len(), count + 1, "{holders:?}");
    assert!(!out.join("grants/holders/3.html").exists());
    assert!(holders.contains(&"Kişi 007: Sistem 007 (Yönetici)".to_string()), "{holders:?}");
    assert!(holders.contains(&"Kişi 110: Sistem 110 (Okuyucu)".to_string()), "{holders:?}");
    assert!(holders.contains(&"Mehmet Demir: BBYS Zabıta Modülü (Birim yöneticisi)".to_string()), "{holders:?}");
    // The list and the export hold the same cells.
    let exported: Vec<String> =
        serde_json::from_slice::<Vec<serde_json::Value>>(&std::fs::read(out.join("exports/permissions.json")).unwrap())
            .unwrap()
            .iter()
            .map(|r| {
                format!(
                    "{}: {} ({})",
                    r["grantee_name"].as_str().unwrap(),
                    r["system_name"].as_str().unwrap(),
                    r["roles"].as_str().unwrap()
                )
            })
            .collect();
    let mut listed = holders.clone();
    listed.sort();
    let mut exported = exported;
    exported.sort();
    assert_eq!(listed, exported);
    // Each person and system is a link to its page.
    let links = attr(&grants, "ul.holders li a", "href");
    assert!(links.contains(&"../people/kisi.007.html".to_string()), "{links:?}");
    assert!(links.contains(&"../inventory/application/app-sistem-007.html".to_string()), "{links:?}");
    // The unit page names its 110 new people and systems (twice: as owner and as
    // business unit): of each group the first 100 by id are shown (these ids do not
    // grow with time), the rest counted and the kind's export linked.
    let unit = page(&out, "units/zabita-dairesi.html");
    let more = texts(&unit, "section[aria-labelledby=h-related] p.more");
    assert_eq!(more.len(), 3, "{more:?}");
    assert!(more.iter().all(|m| m.starts_with("Gösterilen kayıtlar: 100 · 11 kayıt daha")), "{more:?}");
    let mut exports = attr(&unit, "section[aria-labelledby=h-related] p.more a", "href");
    exports.dedup();
    assert_eq!(exports, vec!["../exports/people.csv", "../exports/inventory.csv"]);
    let people: Vec<String> =
        texts(&unit, "section[aria-labelledby=h-related] li").into_iter().filter(|t| t.starts_with("Kişi ")).collect();
    assert!(people.contains(&"Kişi 001".to_string()) && !people.contains(&"Kişi 110".to_string()), "{people:?}");
}

/// The permissions page lists every grant a hundred at a time: the first page keeps
/// the matrix, reviews and leavers above the list, the next ones only the list.
#[test]
fn the_grants_list_is_paginated() {
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    write_copies(&repo, GRANT, 2..=250, grant_id, |_, text| text);
    let out = build_repo(&repo);
    let total =
        serde_json::from_slice::<Vec<serde_json::Value>>(&std::fs::read(out.join("exports/grants.json")).unwrap())
            .unwrap()
            .len();
    assert!(total >= 250, "{total}");
    let pages = total.div_ceil(100);
    let rows = |html: &Html| texts(html, "section[aria-labelledby=h-all] tbody tr td:first-child");
    let first = page(&out, "grants/index.html");
    assert_eq!(rows(&first).len(), 100);
    assert!(!texts(&first, "#h-matrix").is_empty(), "the first page keeps the overview");
    assert_eq!(texts(&first, "nav.pages p"), vec![format!("Sayfa 1 / {pages}")]);
    assert_eq!(attr(&first, "a[rel=next]", "href"), vec!["../grants/page/2.html"]);
    assert!(
        texts(&first, "caption").iter().any(|c| c.ends_with(&format!("({total})"))),
        "the caption counts every page"
    );
    let mut listed = rows(&first);
    for n in 2..=pages {
        let next = page(&out, &format!("grants/page/{n}.html"));
        assert!(texts(&next, "#h-matrix").is_empty(), "page {n} shows the list only");
        assert_eq!(
            attr(&next, "a[rel=prev]", "href"),
            vec![if n == 2 {
                "../../grants/index.html".to_string()
            } else {
                format!("../../grants/page/{}.html", n - 1)
            }]
        );
        listed.extend(rows(&next));
    }
    assert!(!out.join(format!("grants/page/{}.html", pages + 1)).exists());
    assert_eq!(listed.len(), total, "every grant on one page or another");
    listed.dedup();
    assert_eq!(listed.len(), total, "no grant on two pages");
}

#[test]
fn a_long_calendar_gives_each_later_month_a_page() {
    // 600 grants ending this month (on the --as-of day) and on the 15th of each of the
    // next twelve: more dates than one page holds.
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    write_copies(&repo, GRANT, 2..=601, grant_id, |i, text| {
        let (year, month, day) = match i % 13 {
            0 => (2026, 11, 30),
            12 => (2026, 12, 15),
            m => (2027, m, 15),
        };
        text + &format!("valid_until: {year}-{month:02}-{day:02}\n")
    });
    let out = build_repo(&repo);

    let first = page(&out, "calendar.html");
    let nav = "nav[aria-label=Aylar] li a";
    let links = attr(&first, nav, "href");
    let counts: Vec<usize> = texts(&first, &format!("{nav} span.n")).iter().map(|n| n.parse().unwrap()).collect();
    assert_eq!(links.len(), counts.len());
    assert!(links.len() >= 13, "{links:?}");
    // This month and the next stay on the first page; later months have their own.
    assert_eq!(links[..2], ["calendar.html#m-2026-11", "calendar.html#m-2026-12"], "{links:?}");
    assert!(links.contains(&"calendar/2027-01.html".to_string()), "{links:?}");
    assert!(links.contains(&"calendar/2027-11.html".to_string()), "{links:?}");
    assert_eq!(attr(&first, "h2", "id"), ["m-2026-11", "m-2026-12"], "later months are not repeated");
    let mut shown = texts(&first, "ul.calendar li").len();
    for (link, count) in links.iter().zip(&counts) {
        let Some(path) = link.strip_prefix("calendar/") else {
            assert!(link.starts_with("calendar.html#m-"), "{link}");
            continue;
        };
        let month = page(&out, &format!("calendar/{path}"));
        assert_eq!(texts(&month, "section").len(), 1, "{path}: one month");
        assert_eq!(texts(&month, "ul.calendar li").len(), *count, "{path}: as many dates as the list says");
        assert_eq!(
            attr(&month, &format!("{nav}[aria-current=page]"), "href"),
            vec![format!("../calendar/{path}")],
            "{path} is marked"
        );
        assert_eq!(attr(&month, nav, "href")[0], format!("../{}", links[0]), "the list links back");
        assert!(texts(&month, "title")[0].starts_with("Süre takvimi — "), "{path}: its own title");
        shown += count;
    }
    assert_eq!(shown, counts.iter().sum::<usize>(), "every date on one page");
    assert!(
        texts(&first, "ul.calendar li").iter().any(|li| li.starts_with("15.12.2026") && li.contains("YTK-2026-0012")),
        "{:?}",
        texts(&first, "ul.calendar li")
    );
    let january = page(&out, "calendar/2027-01.html");
    assert_eq!(texts(&january, "h2"), vec!["Ocak 2027"]);
    assert!(
        texts(&january, "ul.calendar li").iter().any(|li| li.starts_with("15.01.2027") && li.contains("YTK-2026-0014")),
        "{:?}",
        texts(&january, "ul.calendar li")
    );
}

#[test]
fn the_frozen_and_revoked_grants_show_the_latest_first() {
    // 150 grants revoked on different days from June to November.
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    let date = |i: usize| format!("2026-{:02}-{:02}", 6 + i / 28, 1 + i % 28);
    write_copies(&repo, GRANT, 2..=151, grant_id, |i, text| {
        let date = date(i);
        text.replace(
            "\nstatus: active\n",
            &format!("\nstatus: revoked\nrevocation: {{ date: {date}, reason: Görev değişikliği }}\n"),
        ) + &format!("  - {{ date: {date}, by: oguz.koc, status: revoked }}\n")
    });
    let mut revoked: Vec<(String, String)> = (2..=151).map(|i| (date(i), grant_id(i))).collect();
    let out = repo.path().join("site");
    let output = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let said = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    assert!(said.contains(" 0 errors"), "the revoked grants are valid: {said}");

    let grants = page(&out, "grants/index.html");
    let section = "section[aria-labelledby=h-frozen]";
    revoked.sort_by(|a, b| b.0.cmp(&a.0));
    let latest: Vec<String> = revoked.iter().take(100).map(|(_, id)| id.clone()).collect();
    assert_eq!(texts(&grants, &format!("{section} tbody tr td:first-child")), latest, "the latest 100, newest first");
    assert_eq!(
        texts(&grants, &format!("{section} p.more")),
        vec!["Gösterilen son kayıtlar: 100 · 50 kayıt daha · tümü dışa aktarım dosyasında (CSV)"]
    );
    assert_eq!(attr(&grants, &format!("{section} p.more a"), "href"), vec!["../exports/grants.csv"]);
}

#[test]
fn a_long_inventory_type_has_its_own_paged_list() {
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    let id = |i: usize| format!("crt-site-{i:03}");
    write_copies(&repo, "records/inventory/certificate/crt-zabita.yaml", 1..=150, id, |_, text| text);
    let out = build_repo(&repo);
    let ids = |html: &Html| texts(html, "section[aria-labelledby=certificate] tbody tr td:first-child a");

    // The inventory page shows the first hundred, counts all 151, and links the list.
    let inventory = page(&out, "inventory/index.html");
    let shown = ids(&inventory);
    assert_eq!(shown.len(), 100);
    assert!(texts(&inventory, "nav[aria-label=Envanter] a").iter().any(|chip| chip.ends_with(" 151")));
    assert_eq!(
        texts(&inventory, "section[aria-labelledby=certificate] p.more"),
        vec!["Gösterilen kayıtlar: 100 · 51 kayıt daha · tümünün listesi"]
    );
    assert_eq!(
        attr(&inventory, "section[aria-labelledby=certificate] p.more a", "href"),
        vec!["../inventory/certificate.html"]
    );

    // The type's list: the same first hundred, then the rest on page 2.
    let first = page(&out, "inventory/certificate.html");
    assert_eq!(ids(&first), shown);
    assert!(texts(&first, "caption")[0].ends_with("(151)"), "{:?}", texts(&first, "caption"));
    assert!(texts(&first, "p.more").is_empty());
    assert_eq!(attr(&first, "a[rel=next]", "href"), vec!["../inventory/certificate/2.html"]);
    let second = page(&out, "inventory/certificate/2.html");
    let mut all = shown.clone();
    all.extend(ids(&second));
    assert_eq!(all.len(), 151);
    all.dedup();
    assert_eq!(all.len(), 151, "no item on two pages");
    assert_eq!(attr(&second, "a[rel=prev]", "href"), vec!["../../inventory/certificate.html"]);
    assert!(texts(&second, "title")[0].contains("Sayfa 2 / 2"));
    assert!(!out.join("inventory/certificate/3.html").exists());
}

#[test]
fn a_record_page_links_its_file_in_the_forges_editor_when_configured() {
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    let without = build_repo(&repo);
    let request = "requests/TLP-2026-0001.html";
    assert!(attr(&page(&without, request), "p.edit a", "href").is_empty(), "no edit_url: no link");
    repo.write("defter.toml", "[site]\nedit_url = \"https://git.izmir.bel.tr/yazilim/kayitlar/_edit/main/{path}\"\n");
    let with = build_repo(&repo);
    let html = page(&with, request);
    assert_eq!(
        attr(&html, "p.edit a", "href"),
        vec!["https://git.izmir.bel.tr/yazilim/kayitlar/_edit/main/records/requests/2026/TLP-2026-0001.md"]
    );
    assert_eq!(texts(&html, "p.edit a"), vec!["Dosyayı git sunucusunda düzenle"]);
}

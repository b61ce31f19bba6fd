//! A site for a wider audience (`build --public`, `[site] personal_data = false`) carries
//! no e-mail address, phone number or git identity on any page, export, feed or search
//! shard; the staff site keeps them.

use std::collections::BTreeMap;

use regex::Regex;

use crate::harness::{AS_OF, GitRepo};

fn email() -> Regex {
    Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}").unwrap()
}

fn phone() -> Regex {
    Regex::new(r"(\+90|\b0)[\s.-]?\(?[2-5]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{2}[\s.-]?\d{2}").unwrap()
}

/// The clean fixture in git, with contact details in prose and in a commit message too.
fn repo() -> GitRepo {
    let mut repo = GitRepo::new();
    repo.edit(
        "records/requests/2026/TLP-2026-0001.md",
        "tek ekranda görmek istiyor.",
        "tek ekranda görmek istiyor. İrtibat: mehmet.demir@izmir.bel.tr, 0232 293 11 22, [e-posta](mailto:mehmet.demir@izmir.bel.tr).",
    );
    repo.commit_as("selin.aydin", "Kayıtlar (soru için selin.aydin@izmir.bel.tr, 0 532 111 22 33)");
    repo.edit("records/org/people/elif.kara.yaml", "0232 293 16 26", "0232 293 16 27");
    repo.commit_as("elif.kara", "Telefon değişti");
    repo
}

fn build(repo: &GitRepo, extra: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let out = repo.path().join("public");
    let mut args = vec!["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()];
    args.extend(extra);
    let built = repo.defter(&args);
    assert_eq!(built.status.code(), Some(0), "{}", String::from_utf8_lossy(&built.stderr));
    crate::harness::files_in(&out)
}

fn personal(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let (email, phone) = (email(), phone());
    let mut found = Vec::new();
    for (path, bytes) in files {
        let text = String::from_utf8_lossy(bytes);
        // The build state (`.defter-build`, `.defter-search`) is pages' paths, shard
        // names and hex digests keyed with a random salt: a digest such as `05368642103…`
        // reads as a phone number now and then. It holds no text of the records, so only
        // e-mail addresses are looked for there.
        let phones = if path.starts_with(".defter-") { None } else { Some(phone.find_iter(&text)) };
        for m in email.find_iter(&text).chain(phones.into_iter().flatten()) {
            found.push(format!("{path}: {}", m.as_str()));
        }
    }
    found
}

#[test]
fn a_public_site_has_no_personal_data() {
    let repo = repo();
    let staff = build(&repo, &[]);
    let shown = personal(&staff);
    for expected in ["people/elif.kara.html: elif.kara@izmir.bel.tr", "people/elif.kara.html: 0232 293 16 27"] {
        assert!(shown.iter().any(|s| s == expected), "the staff site shows contact details: {shown:#?}");
    }
    assert!(shown.iter().any(|s| s.starts_with("requests/TLP-2026-0001.html: mehmet.demir@")), "{shown:#?}");
    let public = build(&repo, &["--public"]);
    assert_eq!(personal(&public), Vec::<String>::new());
    let page = String::from_utf8_lossy(&public["people/elif.kara.html"]);
    assert!(page.contains("Elif Kara"), "people are still named");
    let history = String::from_utf8_lossy(&public["people/elif.kara.html"]);
    assert!(history.contains("Telefon değişti"), "the change is shown, not what changed in a personal field");
    let pages = |files: &BTreeMap<String, Vec<u8>>| {
        files.keys().filter(|p| !p.starts_with("search/")).cloned().collect::<Vec<_>>()
    };
    assert_eq!(pages(&staff), pages(&public), "the same pages (the search index has fewer words)");
}

#[test]
fn defter_toml_can_make_every_build_public() {
    let mut repo = repo();
    repo.write("defter.toml", "[site]\npersonal_data = false\n");
    repo.commit_as("selin.aydin", "Site herkese açık");
    assert_eq!(personal(&build(&repo, &[])), Vec::<String>::new());
    repo.write("defter.toml", "[site]\npersonal_dat = false\n");
    let output = repo.defter(&["build", "--as-of", AS_OF, "--out", repo.path().join("public").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "a misspelt setting is an error, not silently ignored");
}

/// Personal data of every kind the `personal-data` rule knows, one to a line.
const SEEDED: &[&str] = &[
    "10000000146",
    "TR33 0006 1005 1978 6457 8413 26",
    "TR330006100519786457841326",
    "0532 987 65 43",
    "0 (232) 293 71 72",
    "(0232) 293 71 73",
    "+90 532 987-65-44",
    "+905329876545",
    "0090 532 987 65 46",
    "0532-987-65-47",
    "05329876548",
    "0532 987 6549",
    "zeynepgizli [at] ornekalan [dot] gov.tr",
    "zeynepgizli2(at)ornekalan.com",
    "zeynepgizli3 {at} ornekalan {nokta} com",
];

/// Not personal data: eleven digits that fail the check digits, a letter number.
const NOT_PERSONAL: &[&str] = &["12345678951", "E-12345678-010.01-1234"];

#[test]
fn a_public_site_has_no_identity_numbers_ibans_or_obfuscated_addresses() {
    let mut repo = repo();
    let body: String = SEEDED.iter().chain(NOT_PERSONAL).map(|s| format!("\nSatır: {s} burada.\n")).collect();
    let request = repo.read("records/requests/2026/TLP-2026-0001.md");
    repo.write("records/requests/2026/TLP-2026-0001.md", &format!("{request}{body}"));
    // A title (pages, feeds, exports, the search index) and a commit message (feeds, history).
    repo.edit(
        "records/requests/2026/TLP-2026-0001.md",
        "title: Zabıta denetim raporu ekranı",
        &format!("title: \"Ekran; arayan {} / {}\"", SEEDED[0], SEEDED[9]),
    );
    repo.commit_as("selin.aydin", &format!("Başvuru: {} ve IBAN {}", SEEDED[0], SEEDED[1]));

    // The rule flags every line that holds personal data, and neither of the others.
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let lines: Vec<u64> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "personal-data" && d["path"] == "records/requests/2026/TLP-2026-0001.md")
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    let text = repo.read("records/requests/2026/TLP-2026-0001.md");
    let line_of = |s: &str| text.lines().position(|l| l.contains(&format!("Satır: {s} "))).unwrap() as u64 + 1;
    for s in SEEDED {
        assert!(lines.contains(&line_of(s)), "{s} is not flagged: {lines:?}");
    }
    for s in NOT_PERSONAL {
        assert!(!lines.contains(&line_of(s)), "{s} is flagged");
    }
    let title = text.lines().position(|l| l.starts_with("title:")).unwrap() as u64 + 1;
    assert!(lines.contains(&title), "the title is flagged: {lines:?}");

    let staff = build(&repo, &[]);
    let page = String::from_utf8_lossy(&staff["requests/TLP-2026-0001.html"]);
    assert!(SEEDED.iter().all(|s| page.contains(s)), "the staff site shows the record as written");

    let public = build(&repo, &["--public"]);
    let mut leaks = Vec::new();
    for (path, bytes) in &public {
        let text = String::from_utf8_lossy(bytes);
        for s in SEEDED {
            let only_digits: String = s.chars().filter(char::is_ascii_digit).collect();
            let local = s.split(|c: char| !c.is_alphanumeric()).next().unwrap();
            if text.contains(s) || (s.contains("zeynepgizli") && text.contains(local)) {
                leaks.push(format!("{path}: {s}"));
            } else if !path.starts_with(".defter-") && only_digits.len() >= 10 && text.contains(&only_digits) {
                leaks.push(format!("{path}: {s} as {only_digits}"));
            }
        }
    }
    assert_eq!(leaks, Vec::<String>::new(), "personal data on the public site");
    let page = String::from_utf8_lossy(&public["requests/TLP-2026-0001.html"]);
    for s in NOT_PERSONAL {
        assert!(page.contains(s), "{s} is no personal data and stays");
    }
    let outputs = ["feed.xml", "deadlines.ics"].iter().filter(|f| public.contains_key(**f)).count();
    assert!(outputs >= 1 && public.keys().any(|p| p.starts_with("search/")), "{:?}", public.keys().collect::<Vec<_>>());
}

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

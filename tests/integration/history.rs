//! `validate --base` and `defter log` on real git repositories built by the harness.

use crate::harness::{AS_OF, GitRepo, files_in, findings, not_turkish, stdout};

const REQUEST: &str = "records/requests/2026/TLP-2026-0002.md";
const GRANT: &str = "records/grants/2026/YTK-2026-0001.yaml";

const NEW_REQUEST: &str = "---
id: TLP-2026-0002
title: İmar modülünde ruhsat sorgusu
type: defect
source: phone
unit: zabita-dairesi
requester: mehmet.demir
received: 2026-11-02
priority: high
service: yazilim-gelistirme-servisi
status: new
history:
  - { date: 2026-11-02, by: burak.yildiz, status: new, note: Telefonla alındı }
---
Sorgu ekranı hata veriyor.
";

/// A repository whose main holds the clean fixture and a new request.
fn repo() -> GitRepo {
    let mut repo = GitRepo::new();
    repo.commit_as("selin.aydin", "Kayıtlar");
    repo.write(REQUEST, NEW_REQUEST);
    repo.commit_as("burak.yildiz", "TLP-2026-0002 alındı");
    repo
}

fn validate_base(repo: &GitRepo, base: &str) -> Vec<String> {
    findings(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json", "--base", base]))
}

fn assign(repo: &mut GitRepo, by: &str) {
    repo.edit(REQUEST, "status: new\n", "status: assigned\nassignee: elif.kara\n");
    repo.edit(
        REQUEST,
        "note: Telefonla alındı }\n",
        &format!("note: Telefonla alındı }}\n  - {{ date: 2026-11-03, by: {by}, status: assigned }}\n"),
    );
}

#[test]
fn an_honest_change_passes() {
    let mut repo = repo();
    repo.git(&["checkout", "-q", "-b", "ata"]);
    assign(&mut repo, "burak.yildiz");
    repo.commit_as("burak.yildiz", "TLP-2026-0002 Elif'e atandı");
    assert_eq!(validate_base(&repo, "main"), Vec::<String>::new());
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--base", "main"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn skipping_a_state_is_an_illegal_transition() {
    let mut repo = repo();
    repo.edit(REQUEST, "status: new\n", "status: closed\n");
    repo.commit_as("burak.yildiz", "kapat");
    let got = validate_base(&repo, "HEAD~1");
    assert!(got.contains(&format!("illegal-transition {REQUEST}:11:9")), "{got:?}");
}

#[test]
fn the_transition_made_is_checked_for_its_actor() {
    let mut repo = repo();
    assign(&mut repo, "elif.kara");
    repo.commit_as("elif.kara", "kendime atadım");
    let got = validate_base(&repo, "HEAD~1");
    assert!(got.contains(&format!("unauthorized-actor {REQUEST}:15:29")), "{got:?}");
}

#[test]
fn a_new_record_starts_in_an_initial_state() {
    let mut repo = repo();
    let text = NEW_REQUEST
        .replace("TLP-2026-0002", "TLP-2026-0003")
        .replace("status: new\n", "status: assigned\nassignee: elif.kara\n")
        .replace("by: burak.yildiz, status: new", "by: burak.yildiz, status: assigned");
    repo.write("records/requests/2026/TLP-2026-0003.md", &text);
    repo.commit_as("burak.yildiz", "doğrudan atanmış talep");
    let got = validate_base(&repo, "HEAD~1");
    assert!(
        got.iter().any(|l| l.starts_with("illegal-transition records/requests/2026/TLP-2026-0003.md:14:")),
        "{got:?}"
    );
}

#[test]
fn immutable_fields_stay() {
    let mut repo = repo();
    repo.edit(REQUEST, "received: 2026-11-02", "received: 2026-10-02");
    repo.edit(REQUEST, "title: İmar modülünde ruhsat sorgusu", "title: İmar modülünde ruhsat sorgu hatası");
    repo.commit_as("burak.yildiz", "tarih düzeltme");
    let got = validate_base(&repo, "HEAD~1");
    assert_eq!(got, vec![format!("immutable-field {REQUEST}:8:1")]);
}

/// A grant requested before the written instruction arrives: the instruction is added
/// when it is approved (M13(1)(ç)) — lawful — and may not change once it is there.
#[test]
fn an_immutable_field_may_be_set_once_but_not_changed() {
    const NEW_GRANT: &str = "records/grants/2026/YTK-2026-0002.yaml";
    let mut repo = repo();
    repo.write(
        NEW_GRANT,
        "id: YTK-2026-0002\ngrantee: mehmet.demir\nsystem: app-bbys-zabita\nrole: Okuma\n\
         source: official_letter\nrequested_by: mehmet.demir\nstatus: requested\n\
         history:\n  - { date: 2026-11-02, by: mehmet.demir, status: requested }\n",
    );
    repo.commit_as("mehmet.demir", "YTK-2026-0002 istendi");
    repo.edit(NEW_GRANT, "requested_by: mehmet.demir\n", "instruction: { number: \"E-1\", date: 2026-11-03, signed_by: mehmet.demir }\nrequested_by: mehmet.demir\napproved_by: burak.yildiz\n");
    repo.edit(NEW_GRANT, "status: requested\n", "status: approved\n");
    repo.edit(
        NEW_GRANT,
        "status: requested }\n",
        "status: requested }\n  - { date: 2026-11-03, by: burak.yildiz, status: approved }\n",
    );
    repo.commit_as("burak.yildiz", "YTK-2026-0002 onaylandı");
    assert_eq!(validate_base(&repo, "HEAD~1"), Vec::<String>::new(), "the instruction arrives with the approval");
    repo.edit(NEW_GRANT, "number: \"E-1\"", "number: \"E-2\"");
    repo.commit_as("burak.yildiz", "talimat sayısı");
    assert_eq!(validate_base(&repo, "HEAD~1"), vec![format!("immutable-field {NEW_GRANT}:6:1")]);
}

#[test]
fn deleting_a_record_is_refused_but_moving_it_is_not() {
    let mut repo = repo();
    repo.remove(REQUEST);
    repo.commit_as("burak.yildiz", "sil");
    assert_eq!(validate_base(&repo, "HEAD~1"), vec![format!("record-deleted {REQUEST}")]);

    let mut repo = self::repo();
    let wrong = "records/requests/2025/TLP-2026-0002.md";
    repo.mv(REQUEST, wrong);
    repo.commit_as("burak.yildiz", "yanlış klasör");
    repo.mv(wrong, REQUEST);
    repo.commit_as("burak.yildiz", "doğru klasöre taşı");
    assert_eq!(validate_base(&repo, "HEAD~1"), Vec::<String>::new());
}

#[test]
fn a_record_disposed_of_may_be_deleted_but_not_in_the_same_change() {
    // M14(1)(ğ): what no longer needs keeping is sorted out and destroyed. The decision
    // (retention rule, approved by whom) is recorded first; the deletion follows.
    let disposal = "disposal: { date: 2026-11-20, rule: \"SDP 010.06, 2 yıl\", approved_by: selin.aydin }\nhistory:";
    let mut repo = repo();
    repo.edit(REQUEST, "history:", disposal);
    repo.commit_as("selin.aydin", "TLP-2026-0002 imha kararı");
    assert_eq!(validate_base(&repo, "HEAD~1"), Vec::<String>::new(), "recording the decision");
    repo.remove(REQUEST);
    repo.commit_as("burak.yildiz", "TLP-2026-0002 imha edildi");
    assert_eq!(validate_base(&repo, "HEAD~1"), Vec::<String>::new(), "the deletion it covers");
    // Decided and deleted in one change: the base holds no decision yet.
    assert_eq!(validate_base(&repo, "HEAD~2"), vec![format!("record-deleted {REQUEST}")]);

    // A decision without the retention rule covers nothing.
    let mut repo = self::repo();
    repo.edit(REQUEST, "history:", "disposal: { date: 2026-11-20, approved_by: selin.aydin }\nhistory:");
    repo.commit_as("selin.aydin", "eksik imha kararı");
    repo.remove(REQUEST);
    repo.commit_as("burak.yildiz", "sil");
    assert_eq!(validate_base(&repo, "HEAD~1"), vec![format!("record-deleted {REQUEST}")]);
}

#[test]
fn history_is_append_only() {
    let mut repo = repo();
    repo.edit(REQUEST, "note: Telefonla alındı", "note: E-posta ile alındı");
    repo.commit_as("burak.yildiz", "notu düzelt");
    assert_eq!(validate_base(&repo, "HEAD~1"), vec![format!("history-rewritten {REQUEST}:13:5")]);

    let mut repo = self::repo();
    repo.edit(
        REQUEST,
        "note: Telefonla alındı }\n",
        "note: Telefonla alındı }\n  - { date: 2026-11-03, by: burak.yildiz, note: Birimle görüşüldü }\n",
    );
    repo.commit_as("burak.yildiz", "not ekle");
    assert_eq!(validate_base(&repo, "HEAD~1"), Vec::<String>::new());
}

#[test]
fn a_forged_approver_is_a_commit_author_finding() {
    let mut repo = repo();
    repo.edit(GRANT, "  - { date: 2026-10-01, by: ayse.yilmaz, outcome: keep }\n", "  - { date: 2026-10-01, by: ayse.yilmaz, outcome: keep }\n  - { date: 2026-11-20, by: ayse.yilmaz, outcome: keep }\n");
    repo.commit_as("oguz.koc", "gözden geçirme");
    let got = validate_base(&repo, "HEAD~1");
    assert_eq!(got, vec![format!("commit-author {GRANT}:14:29")]);
    let json = stdout(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json", "--base", "HEAD~1"]));
    assert!(json.contains("by oguz.koc <oguz.koc@izmir.bel.tr>, who is not ayse.yilmaz"), "{json}");
    assert!(json.contains("\"severity\": \"warning\""), "{json}");

    // Made by the person it names: no finding.
    let mut repo = self::repo();
    repo.edit(GRANT, "  - { date: 2026-10-01, by: ayse.yilmaz, outcome: keep }\n", "  - { date: 2026-10-01, by: ayse.yilmaz, outcome: keep }\n  - { date: 2026-11-20, by: ayse.yilmaz, outcome: keep }\n");
    repo.commit_as("ayse.yilmaz", "gözden geçirme");
    assert_eq!(validate_base(&repo, "HEAD~1"), Vec::<String>::new());

    // Teams that commit on behalf of others turn it off, or make it an error.
    let mut repo = self::repo();
    repo.write("defter.toml", "[rules]\ncommit-author = \"error\"\n");
    repo.edit(GRANT, "granted_by: oguz.koc", "granted_by: ayse.yilmaz");
    repo.commit_as("oguz.koc", "tanımlayan düzeltildi");
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--format", "json", "--base", "HEAD~1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(findings(&output).contains(&format!("commit-author {GRANT}:9:13")));
}

#[test]
fn a_rule_change_exploited_in_the_same_diff_is_reported() {
    let mut repo = repo();
    let rules =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/workflows.yaml"))
            .unwrap();
    // Let anyone close a request straight from `new`.
    let loosened = rules.replacen("      - { name: reject, from: [new,", "      - { name: shortcut, from: [new], to: closed, by: [assignee], article: \"M5(1)(c)\" }\n      - { name: reject, from: [new,", 1);
    // …and a defect untested.
    let loosened = loosened.replacen("values: [change, db_change, defect]", "values: [change, db_change]", 1);
    assert!(loosened.contains("name: shortcut") && !loosened.contains("db_change, defect]"));
    repo.write("schemas/workflows.yaml", &loosened);
    repo.edit(REQUEST, "status: new\n", "status: closed\nassignee: elif.kara\nresolution: { date: 2026-11-04, summary: Düzeltildi, tested_by: oguz.koc }\n");
    repo.edit(
        REQUEST,
        "note: Telefonla alındı }\n",
        "note: Telefonla alındı }\n  - { date: 2026-11-04, by: elif.kara, status: closed }\n",
    );
    repo.commit_as("elif.kara", "kısa yol");
    // Under its own rules the change looks fine…
    let head_only = findings(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]));
    assert_eq!(head_only, Vec::<String>::new());
    // …but not under the rules in force at the base.
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--format", "json", "--base", "HEAD~1"]);
    let got = findings(&output);
    assert!(got.contains(&format!("illegal-transition {REQUEST}:16:48")), "{got:?}");
    // elif.kara also wrote oguz.koc in as the tester.
    assert!(got.contains(&format!("commit-author {REQUEST}:13:65")), "{got:?}");
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        stdout(&output).contains("allowed only by this change's own edit of schemas/workflows.yaml"),
        "{}",
        stdout(&output)
    );
    assert!(
        stdout(&output)
            .contains("buna yalnızca bu değişikliğin kendi kural düzenlemesi izin veriyor (schemas/workflows.yaml)"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn findings_against_a_base_speak_turkish_too() {
    let mut repo = repo();
    repo.edit(REQUEST, "received: 2026-11-02", "received: 2026-10-02");
    repo.edit(REQUEST, "note: Telefonla alındı", "note: E-posta ile alındı");
    repo.edit(REQUEST, "status: new\n", "status: closed\n");
    let text = NEW_REQUEST
        .replace("TLP-2026-0002", "TLP-2026-0003")
        .replace("status: new\n", "status: assigned\nassignee: elif.kara\n")
        .replace("by: burak.yildiz, status: new", "by: burak.yildiz, status: assigned");
    repo.write("records/requests/2026/TLP-2026-0003.md", &text);
    let review = "  - { date: 2026-10-01, by: ayse.yilmaz, outcome: keep }\n";
    repo.edit(GRANT, review, &format!("{review}  - {{ date: 2026-11-20, by: ayse.yilmaz, outcome: keep }}\n"));
    repo.edit("records/inventory/certificate/crt-zabita.yaml", "id: crt-zabita", "id: crt-zabita-yeni");
    repo.remove("records/requests/2026/TLP-2026-0001.md");
    repo.commit_as("burak.yildiz", "her şey bir arada");
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--format", "json", "--base", "HEAD~1"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let rules: std::collections::BTreeSet<&str> = diagnostics.iter().map(|d| d["rule"].as_str().unwrap()).collect();
    for rule in ["illegal-transition", "immutable-field", "record-deleted", "history-rewritten", "commit-author"] {
        assert!(rules.contains(rule), "{rule} not in {rules:?}");
    }
    let problems: Vec<String> = diagnostics
        .iter()
        .filter_map(|d| {
            let (en, tr) = (d["message"].as_str().unwrap(), d["message_tr"].as_str().unwrap());
            not_turkish(tr, en).map(|p| format!("{}: {p}", d["rule"]))
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn head_can_be_a_revision_and_the_working_tree_is_not_read_then() {
    let mut repo = repo();
    assign(&mut repo, "burak.yildiz");
    repo.commit_as("burak.yildiz", "ata");
    repo.edit(REQUEST, "received: 2026-11-02", "received: 2026-01-01"); // uncommitted
    assert_eq!(
        findings(
            &repo.defter(&["validate", "--as-of", AS_OF, "--format", "json", "--base", "HEAD~1", "--head", "HEAD"])
        ),
        Vec::<String>::new()
    );
    assert_eq!(validate_base(&repo, "HEAD~1"), vec![format!("immutable-field {REQUEST}:8:1")]);
}

#[test]
fn log_tells_a_records_story_across_branches_a_merge_and_a_move() {
    let mut repo = repo();
    repo.git(&["checkout", "-q", "-b", "ata"]);
    assign(&mut repo, "burak.yildiz");
    repo.commit_as("burak.yildiz", "TLP-2026-0002 Elif'e atandı");
    repo.git(&["checkout", "-q", "main"]);
    repo.edit(GRANT, "role: Birim yöneticisi", "role: Raporlama");
    repo.commit_as("ayse.yilmaz", "YTK-2026-0001 rol daraltıldı");
    repo.git(&["merge", "-q", "--no-ff", "-m", "Merge ata", "ata"]);
    let wrong = "records/requests/2025/TLP-2026-0002.md";
    repo.mv(REQUEST, wrong);
    repo.commit_as("selin.aydin", "taşı");

    let output = repo.defter(&["log", "TLP-2026-0002"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].contains("burak.yildiz <burak.yildiz@izmir.bel.tr>") && lines[0].ends_with("TLP-2026-0002 alındı"),
        "{text}"
    );
    assert_eq!(lines[1].trim(), format!("created {REQUEST}"));
    assert!(text.contains("status: new → assigned"), "{text}");
    assert!(text.contains("assignee: — → elif.kara"), "{text}");
    // A list's change is the entry it added, not the list's length.
    assert!(text.contains("history: added 2026-11-03 · burak.yildiz · assigned"), "{text}");
    assert!(!text.contains("entries]") && !text.contains("] → ["), "{text}");
    assert!(text.contains(&format!("moved {REQUEST} → {wrong}")), "{text}");
    assert!(!text.contains("Merge ata"), "merges are not credited: {text}");
    assert!(!text.contains("rol daraltıldı"), "{text}");

    let grant = stdout(&repo.defter(&["log", "YTK-2026-0001"]));
    assert!(grant.contains("role: Birim yöneticisi → Raporlama"), "{grant}");
    assert_eq!(repo.defter(&["log", "TLP-2099-0001"]).status.code(), Some(2));

    // An older revision's story is told without putting its trail in place of HEAD's,
    // which every build reads and extends.
    let kept = repo.path().join(".git/defter/history.bin");
    let of_head = std::fs::read(&kept).expect("log keeps HEAD's trail");
    let before = stdout(&repo.defter(&["log", "--rev", "HEAD~1", "YTK-2026-0001"]));
    assert!(before.contains("role: Birim yöneticisi → Raporlama"), "{before}");
    assert_eq!(std::fs::read(&kept).unwrap(), of_head, "log --rev replaced HEAD's kept trail");
}

#[test]
fn the_sites_history_speaks_in_labels_and_names() {
    let mut repo = repo();
    assign(&mut repo, "burak.yildiz");
    repo.commit_as("burak.yildiz", "TLP-2026-0002 Elif'e atandı");
    let out = repo.path().join("site");
    let output = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let html = std::fs::read_to_string(out.join("requests/TLP-2026-0002.html")).unwrap();
    let start = html.find("class=\"history\"").expect("a history");
    let history = &html[start..html[start..].find("</ol>").unwrap() + start];
    for line in ["Durum: Yeni → Atandı", "Görevli: — → Elif Kara", "Tarihçe: 03.11.2026 Burak Yıldız → Atandı eklendi"]
    {
        assert!(history.contains(line), "no «{line}» in {history}");
    }
    for code in ["assigned", "elif.kara", "burak.yildiz", "entries", "[2]"] {
        assert!(!history.contains(code), "«{code}» in {history}");
    }
}

#[test]
fn a_pull_request_is_checked_by_what_it_touches() {
    let mut repo = repo();
    // An old problem on main, in a file the pull request does not touch.
    let old = "records/requests/2026/TLP-2026-0003.md";
    repo.write(old, &NEW_REQUEST.replace("TLP-2026-0002", "TLP-2026-0003").replace("zabita-dairesi", "yok-dairesi"));
    repo.commit_as("burak.yildiz", "TLP-2026-0003 alındı");
    let old_finding = format!("dangling-ref {old}:6:7");
    repo.git(&["checkout", "-q", "-b", "pr"]);
    // The pull request hands the request to a service that does not exist.
    repo.edit(REQUEST, "service: yazilim-gelistirme-servisi", "service: olmayan-servis");
    repo.commit_as("burak.yildiz", "TLP-2026-0002 birimi");
    let new_finding = format!("dangling-ref {REQUEST}:10:10");
    assert_eq!(validate_base(&repo, "main"), vec![new_finding.clone()]);
    let head =
        findings(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json", "--base", "main", "--head", "HEAD"]));
    assert_eq!(head, vec![new_finding.clone()]);
    // The whole repository still has both.
    let all = findings(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]));
    assert_eq!(all, vec![new_finding.clone(), old_finding.clone()]);
    // An edit not yet committed is seen (its stat differs from the index).
    repo.edit(REQUEST, "service: olmayan-servis", "service: yazilim-gelistirme-servisi");
    assert_eq!(validate_base(&repo, "main"), Vec::<String>::new());
    // A change to a person can change findings anywhere: everything is checked.
    repo.edit("records/org/people/elif.kara.yaml", "name: Elif Kara", "name: Elif Kara Yılmaz");
    assert_eq!(validate_base(&repo, "main"), vec![old_finding]);
}

/// Asserts the sites at `a` and `b` have the same files with the same bytes (the build's
/// own `.defter-*` files too when `state_too`: their keys differ between repositories).
fn assert_same_files(a: &std::path::Path, b: &std::path::Path, state_too: bool, what: &str) {
    let (a, b) = (files_in(a), files_in(b));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "after {what}");
    for (path, bytes) in a.iter().filter(|(path, _)| state_too || !path.starts_with(".defter-")) {
        assert!(bytes == &b[path], "after {what}: {path} differs");
    }
}

fn build(repo: &GitRepo, out: &std::path::Path) {
    let output = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn a_cached_history_extended_by_new_commits_gives_the_site_a_fresh_build_gives() {
    let mut repo = repo();
    let sites = tempfile::tempdir().unwrap();
    let (kept, fresh) = (sites.path().join("kept"), sites.path().join("fresh"));
    build(&repo, &kept);
    let cache = repo.path().join(".git/defter/history.bin");
    assert!(cache.is_file(), "the trail is kept in .git/defter");
    assign(&mut repo, "burak.yildiz");
    repo.commit_as("burak.yildiz", "TLP-2026-0002 Elif'e atandı");
    repo.edit(REQUEST, "Sorgu ekranı hata veriyor.", "Sorgu ekranı 500 hatası veriyor.");
    repo.commit_as("elif.kara", "TLP-2026-0002 ayrıntı");
    // The kept site and trail are brought forward by two commits...
    build(&repo, &kept);
    // ...and a build from nothing gives the same bytes (but for the build state's keys:
    // a new key is made in .git/defter).
    std::fs::remove_dir_all(repo.path().join(".git/defter")).unwrap();
    build(&repo, &fresh);
    assert_same_files(&kept, &fresh, false, "a build from nothing");
    let page = std::fs::read_to_string(kept.join("requests/TLP-2026-0002.html")).unwrap();
    assert!(page.contains("TLP-2026-0002 ayrıntı") && page.contains("TLP-2026-0002 alındı"), "{page}");
}

#[test]
fn a_rebuild_rewrites_only_what_changed_and_matches_a_full_build() {
    use std::os::unix::fs::MetadataExt;
    let mut repo = repo();
    let sites = tempfile::tempdir().unwrap();
    let (kept, fresh) = (sites.path().join("kept"), sites.path().join("fresh"));
    build(&repo, &kept);
    let inode = |path: &str| std::fs::metadata(kept.join(path)).unwrap().ino();
    let other = "grants/YTK-2026-0001.html";
    let other_first = inode(other);
    // A new commit rewrites the pages of what it changed, not the others: no page but
    // the home page names the commit.
    repo.edit(REQUEST, "Sorgu ekranı hata veriyor.", "Sorgu ekranı 500 hatası veriyor.");
    repo.commit_as("burak.yildiz", "TLP-2026-0002 ayrıntı");
    build(&repo, &kept);
    assert_eq!(inode(other), other_first, "{other} was rewritten by a commit that did not change it");
    let (other_before, changed_before) = (inode(other), inode("requests/TLP-2026-0002.html"));
    // An edit not yet committed (as under `defter serve`) rewrites only its own pages.
    repo.edit(REQUEST, "500 hatası", "503 hatası");
    build(&repo, &kept);
    assert_eq!(inode(other), other_before, "{other} was rewritten though nothing it shows changed");
    assert_ne!(inode("requests/TLP-2026-0002.html"), changed_before);
    build(&repo, &fresh);
    assert_same_files(&kept, &fresh, true, "an edit not yet committed");
    let page = std::fs::read_to_string(kept.join("requests/TLP-2026-0002.html")).unwrap();
    assert!(page.contains("503 hatası") && page.contains("TLP-2026-0002 ayrıntı"), "{page}");
}

#[test]
fn log_masks_secrets_and_never_sends_control_characters() {
    let mut repo = repo();
    repo.edit(REQUEST, "title: İmar modülünde ruhsat sorgusu", "title: Bağlantı postgres://app:Gizli123@db01/imar");
    repo.commit_as("burak.yildiz", "Başlık \u{1b}[2J\u{1b}[31mkırmızı postgres://app:Gizli123@db01/x");
    let output = repo.defter(&["log", "TLP-2026-0002"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(!text.contains('\u{1b}') && !text.contains("Gizli123"), "{text}");
    assert!(text.contains("\\u{1b}[2J") && text.contains("db01/imar"), "{text}");
}

#[test]
fn a_rule_turned_off_in_the_same_change_still_applies_to_it() {
    let mut repo = repo();
    repo.write("defter.toml", "[rules]\nillegal-transition = \"off\"\n");
    repo.edit(REQUEST, "status: new\n", "status: closed\n");
    repo.commit_as("burak.yildiz", "kapat, kuralı da kapat");
    let got = validate_base(&repo, "HEAD~1");
    assert!(got.contains(&format!("illegal-transition {REQUEST}:11:9")), "{got:?}");
    // Once merged, the setting is the base's too, and it is honoured.
    repo.edit(REQUEST, "status: closed\n", "status: new\n");
    repo.commit_as("burak.yildiz", "geri al");
    repo.edit(REQUEST, "status: new\n", "status: closed\n");
    repo.commit_as("burak.yildiz", "kapat");
    let got = validate_base(&repo, "HEAD~1");
    assert!(!got.iter().any(|f| f.starts_with("illegal-transition")), "{got:?}");
}

/// The key each file of the site at `out` was last made under, by path (from the build
/// state): a file whose key did not change was kept, not rendered again.
fn keys_of(out: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    let state = std::fs::read_to_string(out.join(".defter-build")).unwrap();
    state
        .lines()
        .skip(3)
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            (cells[4].to_string(), format!("{} {}", cells[0], cells[1]))
        })
        .collect()
}

#[test]
fn every_kind_of_edit_rebuilds_to_what_a_full_build_gives_rendering_only_what_it_touches() {
    let mut repo = repo();
    // Enough requests for lists of several pages.
    let first = repo.read("records/requests/2026/TLP-2026-0001.md");
    for i in 3..=250 {
        let id = format!("TLP-2026-{i:04}");
        repo.write(&format!("records/requests/2026/{id}.md"), &first.replace("TLP-2026-0001", &id));
    }
    repo.commit_as("selin.aydin", "Eski talepler");
    let sites = tempfile::tempdir().unwrap();
    let kept = sites.path().join("kept");
    build(&repo, &kept);
    let on_page_2 = "records/requests/2026/TLP-2026-0150.md";
    let mut fresh_builds = 0;
    let mut check = |repo: &GitRepo, what: &str| {
        let before = keys_of(&kept);
        build(repo, &kept);
        fresh_builds += 1;
        let fresh = sites.path().join(format!("fresh-{fresh_builds}"));
        build(repo, &fresh);
        assert_same_files(&kept, &fresh, true, what);
        let after = keys_of(&kept);
        let rendered = move |path: &str| {
            assert!(after.contains_key(path), "{path} is not in the site");
            before.get(path) != after.get(path)
        };
        (rendered("requests/index.html"), rendered("requests/page/2.html"), rendered("exports/requests.csv"), rendered)
    };

    // A new commit of one request: its page (its text and its history) and what reads
    // the whole history (the home page, the reports, the feeds); no other record's page,
    // no list, no table.
    let pages = record_pages(&kept);
    repo.edit(on_page_2, "Zabıta Dairesi, saha", "Zabıta Dairesi, bütün saha");
    repo.commit_as("elif.kara", "TLP-2026-0150 ayrıntı");
    let (index, page_2, export, rendered) = check(&repo, "a commit of one record");
    assert_eq!((index, page_2, export), (false, false, false));
    assert_eq!(changed(&pages, &record_pages(&kept)), ["requests/TLP-2026-0150.html"]);
    assert!(rendered("index.html") && rendered("reports.html") && rendered("feed.xml"));
    assert!(!rendered("calendar.html") && !rendered("workload.html") && !rendered("search/d-0.js"));
    assert!(!rendered("exports/grants.csv") && !rendered("search.html") && !rendered("assets/style.css"));
    let page = std::fs::read_to_string(kept.join("requests/TLP-2026-0150.html")).unwrap();
    assert!(page.contains("TLP-2026-0150 ayrıntı") && page.contains("href=\"../build.html\""), "{page}");
    assert!(rendered("build.html"), "the commit is named there");
    let about = std::fs::read_to_string(kept.join("build.html")).unwrap();
    let head = repo.git(&["rev-parse", "--short=8", "HEAD"]);
    assert!(about.contains(&format!("<code>{}</code>", head.trim())) && about.contains("30.11.2026"), "{about}");

    // A merge of several records, with a commit on main beside it: the pages of the
    // records either side changed (and of the records showing what changed), nothing
    // else of the records.
    let pages = record_pages(&kept);
    repo.git(&["checkout", "-q", "-b", "toplu"]);
    repo.edit("records/requests/2026/TLP-2026-0200.md", "Zabıta Dairesi, saha", "Zabıta Dairesi, her saha");
    repo.edit("records/projects/PRJ-0001/notlar.md", "Ön yüzü olmayan bölüm.", "Ön yüzü olmayan bir bölüm.");
    repo.commit_as("elif.kara", "TLP-2026-0200 ve notlar");
    repo.edit("records/requests/2026/TLP-2026-0230.md", "Zabıta Dairesi, saha", "Zabıta Dairesi, tüm saha");
    repo.edit(
        "records/inventory/certificate/crt-zabita.yaml",
        "sans: [zabita.izmir.bel.tr]",
        "sans: [zabita.izmir.bel.tr, www.zabita.izmir.bel.tr]",
    );
    repo.commit_as("oguz.koc", "TLP-2026-0230 ve sertifika");
    repo.git(&["checkout", "-q", "main"]);
    repo.edit("records/requests/2026/TLP-2026-0010.md", "Zabıta Dairesi, saha", "Zabıta Dairesi, günlük saha");
    repo.commit_as("burak.yildiz", "TLP-2026-0010 ayrıntı");
    repo.git(&["merge", "-q", "--no-ff", "-m", "Merge toplu", "toplu"]);
    let (_, page_2, export, rendered) = check(&repo, "a merge of several records");
    assert_eq!((page_2, export), (false, false));
    assert_eq!(
        changed(&pages, &record_pages(&kept)),
        [
            "inventory/application/app-bbys-zabita.html",
            "inventory/certificate/crt-zabita.html",
            "projects/PRJ-0001/index.html",
            "projects/PRJ-0001/notlar.html",
            "requests/TLP-2026-0010.html",
            "requests/TLP-2026-0200.html",
            "requests/TLP-2026-0230.html",
            "units/yazilim-devops-servisi.html",
        ]
    );
    assert!(rendered("inventory/index.html") && rendered("exports/inventory.csv") && rendered("index.html"));
    assert!(!rendered("exports/grants.csv") && !rendered("exports/people.csv"));
    let page = std::fs::read_to_string(kept.join("requests/TLP-2026-0230.html")).unwrap();
    assert!(page.contains("TLP-2026-0230 ve sertifika"), "{page}");

    // Notes in a request's body: its page and the search index, no list or export.
    repo.edit(on_page_2, "tek ekranda görmek istiyor.", "tek ekranda görmek istiyor. Ek not.");
    let (index, page_2, export, rendered) = check(&repo, "a body edit");
    assert_eq!((index, page_2, export), (false, false, false));
    assert!(rendered("requests/TLP-2026-0150.html"));
    // The shards of its words, not the others; not the document list (it shows titles).
    assert!(rendered("search/t-ek.js") && rendered(".defter-search"));
    assert!(!rendered("search/t-ru.js") && !rendered("search/d-0.js"));
    assert!(!rendered("people/elif.kara.html") && !rendered("reports.html"), "the body is not shown there");

    // A title: the list pages showing its row, not the others; the exports.
    repo.edit(on_page_2, "title: Zabıta denetim raporu ekranı", "title: Zabıta denetim raporu ekranı (mobil)");
    let (index, page_2, export, rendered) = check(&repo, "a title edit");
    assert_eq!((index, page_2, export), (false, true, true));
    assert!(rendered("people/elif.kara.html"), "the assignee's page lists the title");
    assert!(!rendered("grants/index.html") && !rendered("inventory/index.html"), "they show no requests");
    assert!(!rendered("requests/TLP-2026-0149.html"));
    // Of the exports, the requests table and those over every record (the feeds).
    assert!(rendered("exports/requests.json") && rendered("feed.xml") && rendered("exports/deadlines.csv"));
    assert!(!rendered("exports/grants.csv") && !rendered("exports/permissions.csv") && !rendered("exports/units.json"));
    // Of the people's own feeds, the assignee's only.
    assert!(rendered("feeds/people/elif.kara.xml") && rendered("feeds/people/elif.kara.ics"));
    assert!(!rendered("feeds/people/mehmet.demir.xml") && !rendered("feeds/people/burak.yildiz.ics"));

    // A status: every list page shows the counts per status.
    assign(&mut repo, "burak.yildiz");
    let (index, page_2, export, _) = check(&repo, "a status change");
    assert_eq!((index, page_2, export), (true, true, true));

    // A person's name is on every row that names them.
    repo.edit("records/org/people/elif.kara.yaml", "name: Elif Kara", "name: Elif Kara Yılmaz");
    let (index, page_2, _, _) = check(&repo, "a person's new name");
    assert_eq!((index, page_2), (true, true));

    // A unit's, a grant's, a project section's, an inventory item's edits; a request
    // added and one removed.
    repo.edit("records/org/units/zabita-dairesi.yaml", "Başkanlığı", "Başkanlığı (Merkez)");
    let (index, ..) = check(&repo, "a unit's new name");
    assert!(index, "every list page names the units");
    repo.edit(GRANT, "role: Birim yöneticisi", "role: Raporlama");
    // The exports of grants and what shows them, not the requests table.
    let (index, _, export, rendered) = check(&repo, "a grant edit");
    assert_eq!((index, export), (false, false));
    assert!(rendered("grants/YTK-2026-0001.html") && rendered("exports/grants.csv") && rendered("grants/index.html"));
    assert!(rendered("exports/permissions.json") && !rendered("exports/people.csv"));
    // The grantee's feeds; not those of the people who hold no grant.
    assert!(rendered("feeds/people/mehmet.demir.ics") && !rendered("feeds/people/elif.kara.ics"));
    repo.edit("records/projects/PRJ-0001/analiz.md", "- Günlük özet", "- Günlük ve haftalık özet");
    let (index, _, export, rendered) = check(&repo, "a section's text");
    assert_eq!((index, export), (false, false));
    assert!(rendered("projects/PRJ-0001/analiz.html") && rendered("projects/PRJ-0001/index.html"));
    assert!(!rendered("people/elif.kara.html"), "a person's page shows no section text");
    repo.edit("records/inventory/certificate/crt-zabita.yaml", "issuer: Sectigo", "issuer: DigiCert");
    let (index, _, export, rendered) = check(&repo, "an inventory edit");
    assert_eq!((index, export), (false, false));
    assert!(rendered("exports/inventory.csv") && !rendered("exports/grants.csv"));
    assert!(rendered("inventory/certificate/crt-zabita.html") && rendered("inventory/index.html"));
    // A register shows what it names by name, whatever the record: a grant on a
    // project (a finding, but still shown) shows the project's title.
    repo.edit(GRANT, "system: app-bbys-zabita", "system: PRJ-0001");
    let (.., rendered) = check(&repo, "a grant naming a project");
    assert!(rendered("grants/index.html") && rendered("findings.html"));
    let project = "records/projects/PRJ-0001/index.md";
    repo.edit(project, "title: Zabıta Saha Denetim Uygulaması", "title: Zabıta Saha Denetimi");
    let (index, _, _, rendered) = check(&repo, "the title of a project a grant names");
    assert!(!index && rendered("grants/index.html") && rendered("exports/permissions.csv"));
    repo.write("records/requests/2026/TLP-2026-0251.md", &first.replace("TLP-2026-0001", "TLP-2026-0251"));
    let (index, ..) = check(&repo, "a new request");
    assert!(index, "the counts changed");
    // A page gone: the links to it are checked by a full build.
    repo.remove("records/requests/2026/TLP-2026-0003.md");
    let (index, ..) = check(&repo, "a removed request");
    assert!(index, "the counts changed");
    assert!(!kept.join("requests/TLP-2026-0003.html").exists());
}

#[test]
fn a_new_day_renders_again_what_the_date_decides_and_nothing_else() {
    let mut repo = repo();
    // An open request due in a few days, and a certificate expiring in two months.
    repo.edit(REQUEST, "status: new\n", "status: new\ndue: 2026-12-04\n");
    repo.commit_as("burak.yildiz", "TLP-2026-0002 süresi");
    let sites = tempfile::tempdir().unwrap();
    let kept = sites.path().join("kept");
    let build_on = |day: &str, out: &std::path::Path| {
        let output = repo.defter(&["-v", "build", "--as-of", day, "--out", out.to_str().unwrap()]);
        let said = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(0), "{said}");
        said
    };
    build_on(AS_OF, &kept);
    let mut fresh_builds = 0;
    let mut next_day = |day: &str| {
        let (before, pages) = (keys_of(&kept), record_pages(&kept));
        let said = build_on(day, &kept);
        assert!(!said.contains("full build"), "{said}");
        fresh_builds += 1;
        let fresh = sites.path().join(format!("fresh-{fresh_builds}"));
        build_on(day, &fresh);
        assert_same_files(&kept, &fresh, true, &format!("a build as of {day}"));
        let after = keys_of(&kept);
        let rendered: Vec<String> =
            after.iter().filter(|(path, key)| before.get(*path) != Some(key)).map(|(p, _)| p.clone()).collect();
        (rendered, changed(&pages, &record_pages(&kept)))
    };
    // The next day: nothing falls due or overdue, and no record's page changes but those
    // with an access timeline (it runs to the date built); what counts from the date is
    // made again.
    let (rendered, pages) = next_day("2026-12-01");
    let timeline = |page: &String| std::fs::read_to_string(kept.join(page)).unwrap().contains("id=\"h-access\"");
    assert!(pages.iter().all(timeline), "{pages:?}");
    assert!(!pages.iter().any(|p| p.starts_with("requests/") || p.starts_with("projects/")), "{pages:?}");
    for page in ["index.html", "calendar.html", "workload.html", "reports.html", "deadlines.ics"] {
        assert!(rendered.iter().any(|p| p == page), "{page} not rendered again: {rendered:?}");
    }
    assert!(!rendered.iter().any(|p| p == "requests/index.html" || p.starts_with("search/")), "{rendered:?}");
    // Past the due date: the request is overdue on its list's rows (and a finding on its
    // page); other records' pages stay.
    let (rendered, pages) = next_day("2026-12-05");
    assert!(rendered.iter().any(|p| p == "requests/index.html"), "{rendered:?}");
    assert!(pages.contains(&"requests/TLP-2026-0002.html".to_string()), "{pages:?}");
    assert!(!pages.iter().any(|p| p.contains("TLP-2026-0001") || p.contains("PRJ-0001")), "{pages:?}");
    let list = std::fs::read_to_string(kept.join("requests/index.html")).unwrap();
    assert!(list.contains("class=\"overdue\">04.12.2026"), "{list}");
}

#[test]
fn a_name_in_a_records_history_follows_the_record_it_names_after_a_commit() {
    let mut repo = repo();
    assign(&mut repo, "burak.yildiz");
    repo.commit_as("burak.yildiz", "TLP-2026-0002 Elif'e atandı");
    repo.edit(REQUEST, "assignee: elif.kara", "assignee: volkan.acar");
    repo.commit_as("burak.yildiz", "TLP-2026-0002 Volkan'a verildi");
    let sites = tempfile::tempdir().unwrap();
    let kept = sites.path().join("kept");
    build(&repo, &kept);
    let page = "requests/TLP-2026-0002.html";
    let history = |site: &std::path::Path| {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        html[html.find("class=\"history\"").unwrap_or_else(|| panic!("{html}"))..].to_string()
    };
    assert!(history(&kept).contains("Elif Kara → Volkan Acar"), "{}", history(&kept));
    // The request names her no more but its history does, by name: her new name is
    // shown there.
    repo.edit("records/org/people/elif.kara.yaml", "name: Elif Kara", "name: Elif Kara Yılmaz");
    repo.commit_as("selin.aydin", "Elif'in soyadı");
    rebuild_matches_full_build(&repo, &kept, "a new name of someone a record's history names");
    assert!(history(&kept).contains("Elif Kara Yılmaz → Volkan Acar"), "{}", history(&kept));
}

#[test]
fn a_template_naming_the_commit_on_every_page_renders_every_page_after_a_commit() {
    let mut repo = repo();
    // A repository's own base.html of old, naming the commit in every footer.
    let base = defter::site::templates::DEFAULTS.iter().find(|(name, _)| *name == "base.html").unwrap().1;
    let footer = "<footer class=\"bottom\">\n  <p>";
    assert!(base.contains(footer));
    repo.write(
        "site-templates/base.html",
        &base.replacen(footer, &format!("{footer}commit <code>{{{{ page.commit }}}}</code> · "), 1),
    );
    repo.commit_as("selin.aydin", "Kendi şablonumuz");
    let sites = tempfile::tempdir().unwrap();
    let site = sites.path().join("site");
    build_saying(repo.path(), &site);
    repo.edit(REQUEST, "Sorgu ekranı hata veriyor.", "Sorgu ekranı 500 hatası veriyor.");
    repo.commit_as("burak.yildiz", "TLP-2026-0002 ayrıntı");
    // A full build (`build_saying` holds it to rendering every file).
    let why = build_saying(repo.path(), &site).1;
    assert_eq!(why.as_deref(), Some("the commit changed since the last build"));
    let head = repo.git(&["rev-parse", "--short=8", "HEAD"]);
    let other = std::fs::read_to_string(site.join("grants/YTK-2026-0001.html")).unwrap();
    assert!(other.contains(&format!("commit <code>{}</code>", head.trim())), "{other}");
}

/// The key of each record's page in the site at `out` (by path), from the build state.
fn record_pages(out: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    keys_of(out).into_iter().filter(|(_, key)| key.starts_with("r:")).collect()
}

/// The pages whose key changed from `before` to `after` (rendered again), by path.
fn changed(
    before: &std::collections::BTreeMap<String, String>,
    after: &std::collections::BTreeMap<String, String>,
) -> Vec<String> {
    after.iter().filter(|(path, key)| before.get(*path) != Some(key)).map(|(path, _)| path.clone()).collect()
}

/// `defter -v build`'s count of files rendered again, from its last line, and why it was
/// a full build, if it says so.
fn build_saying(repo: &std::path::Path, out: &std::path::Path) -> (usize, Option<String>) {
    let output = crate::harness::defter(repo, &["-v", "build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{said}");
    let (_, rest) = said.rsplit_once(" (").unwrap_or_else(|| panic!("{said}"));
    let rendered = rest.split(' ').next().unwrap().parse().unwrap_or_else(|_| panic!("{said}"));
    let why = said.lines().find_map(|l| l.strip_prefix("full build: ")).map(str::to_string);
    // A full build renders every file it makes.
    let files: usize = said.lines().last().and_then(|l| l.split(' ').next()?.parse().ok()).unwrap();
    assert_eq!(why.is_some(), rendered == files, "{said}");
    (rendered, why)
}

fn rendered_count(repo: &std::path::Path, out: &std::path::Path) -> usize {
    build_saying(repo, out).0
}

#[test]
fn a_full_rebuild_says_why_under_verbose() {
    let mut repo = repo();
    let sites = tempfile::tempdir().unwrap();
    let site = sites.path().join("site");
    let (all, why) = build_saying(repo.path(), &site);
    assert!(why.unwrap().starts_with("no build state in the site"));
    repo.edit(REQUEST, "Sorgu ekranı hata veriyor.", "Sorgu ekranı 500 hatası veriyor.");
    let (some, why) = build_saying(repo.path(), &site);
    assert!(some > 0 && some < all / 4 && why.is_none(), "{some} of {all}: {why:?}");
    repo.commit_as("burak.yildiz", "TLP-2026-0002 ayrıntı");
    // No page but the home page names the commit: a new one is an incremental build.
    let (some, why) = build_saying(repo.path(), &site);
    assert!(some > 0 && some < all / 4 && why.is_none(), "{some} of {all}: {why:?}");
    let out = site.to_str().unwrap();
    let public = |repo: &GitRepo| {
        let output = repo.defter(&["-v", "build", "--as-of", "2026-12-01", "--public", "--out", out]);
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let said = public(&repo);
    assert!(said.contains("full build: --public changed since the last build"), "{said}");
    // A word with a shard of its own comes and goes: that shard is made and removed,
    // and as no page links to it the rebuild stays an incremental one.
    let fresh = sites.path().join("fresh");
    for (before, note) in [("", "Ek: qqzx kodu."), (" Ek: qqzx kodu.", "Ek: yok.")] {
        let old = format!("Sorgu ekranı 500 hatası veriyor.{before}");
        repo.edit(REQUEST, &old, &format!("Sorgu ekranı 500 hatası veriyor. {note}"));
        let said = public(&repo);
        assert!(!said.contains("full build"), "{said}");
        assert_eq!(site.join("search/t-qq.js").exists(), note.contains("qqzx"), "{note}");
    }
    let output = repo.defter(&["build", "--as-of", "2026-12-01", "--public", "--out", fresh.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert_same_files(&site, &fresh, false, "a shard made and removed");
    repo.edit(REQUEST, " Ek: yok.", "");
    // A removed record takes its page away: the links are checked over the whole site.
    repo.remove(REQUEST);
    let said = public(&repo);
    assert!(
        said.contains("full build: a page or an anchor went away, and links are checked over the whole site"),
        "{said}"
    );
}

#[test]
fn the_build_state_in_the_site_is_keyed_with_a_secret_kept_outside_it() {
    use std::os::unix::fs::PermissionsExt;
    let repo = repo();
    let sites = tempfile::tempdir().unwrap();
    let (ours, theirs) = (sites.path().join("ours"), sites.path().join("theirs"));
    let all = rendered_count(repo.path(), &ours);
    assert!(all > 50, "{all}");
    let key = repo.path().join(".git/defter/site-key");
    let mode = std::fs::metadata(&key).expect("the key is kept in the git folder").permissions().mode();
    assert_eq!(mode & 0o077, 0, "only its owner may read the key: {mode:o}");
    let secret = std::fs::read_to_string(&key).unwrap();
    assert_eq!(secret.trim().len(), 32);
    assert!(files_in(&ours).values().all(|bytes| !String::from_utf8_lossy(bytes).contains(secret.trim())));
    // The same key next time: nothing changed, nothing is rendered again.
    assert_eq!(rendered_count(repo.path(), &ours), 0);

    // A clone of the same commit has its own key: the same pages, other keys, so a key
    // in a site cannot be recomputed from a guessed text without the key of its repository.
    let clone = sites.path().join("clone");
    repo.git(&["clone", "-q", ".", clone.to_str().unwrap()]);
    rendered_count(&clone, &theirs);
    let page = "requests/TLP-2026-0002.html";
    assert_same_files(&ours, &theirs, false, "a build in a clone");
    let (ours_keys, theirs_keys) = (keys_of(&ours), keys_of(&theirs));
    assert_ne!(ours_keys[page], theirs_keys[page]);

    // A lost key only costs a full build.
    std::fs::remove_file(&key).unwrap();
    assert_eq!(rendered_count(repo.path(), &ours), all);
    assert!(key.is_file());
}

/// Builds that start together on a fresh clone (as the test suite's do in CI) agree on
/// one key: each would otherwise key its state with a salt of its own, and two builds of
/// one commit would differ in `.defter-build`.
#[test]
fn builds_started_together_on_a_fresh_clone_share_one_key() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..20 {
        let key = dir.path().join(format!("{round}/defter/site-key"));
        let start = std::sync::Barrier::new(8);
        let salts: Vec<_> = std::thread::scope(|scope| {
            let threads: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        defter::site::Salt::kept(&key)
                    })
                })
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        let first = salts[0].as_ref().expect("the key is kept");
        assert!(salts.iter().all(|s| s.as_ref().ok() == Some(first)), "round {round}: builds keyed differently");
        assert_eq!(std::fs::read_dir(key.parent().unwrap()).unwrap().count(), 1, "only the key is left");
    }
}

/// Builds `repo` into `kept` (a rebuild) and into a new folder (a full build) and asserts
/// both give the same files, byte for byte.
fn rebuild_matches_full_build(repo: &GitRepo, kept: &std::path::Path, what: &str) {
    build(repo, kept);
    let fresh = tempfile::tempdir().unwrap();
    build(repo, &fresh.path().join("site"));
    assert_same_files(kept, &fresh.path().join("site"), true, what);
}

#[test]
fn odd_records_and_hand_edited_sites_rebuild_to_what_a_full_build_gives() {
    let mut repo = repo();
    assign(&mut repo, "burak.yildiz");
    let sites = tempfile::tempdir().unwrap();
    let kept = sites.path().join("kept");
    build(&repo, &kept);
    let person = "people/elif.kara.html";
    let page = |kept: &std::path::Path| std::fs::read_to_string(kept.join(person)).unwrap();

    // A person's open work is found by its own fields, whatever references the rules list.
    let rules =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/workflows.yaml"))
            .unwrap();
    assert!(rules.contains("    assignee: [person]\n"));
    repo.write("schemas/workflows.yaml", &rules.replacen("    assignee: [person]\n", "", 1));
    rebuild_matches_full_build(&repo, &kept, "rules without the assignee reference");
    repo.edit(REQUEST, "title: İmar modülünde ruhsat sorgusu", "title: İmar ruhsat sorgusu");
    rebuild_matches_full_build(&repo, &kept, "retitling work its assignee's page lists");
    assert!(page(&kept).contains("İmar ruhsat sorgusu"));

    // Two records with one id: the person's page shows the one that is theirs.
    let copy = "records/requests/2025/TLP-2026-0002.md";
    let text = repo.read(REQUEST).replace("assignee: elif.kara", "assignee: volkan.acar");
    repo.write(copy, &text.replace("title: İmar ruhsat sorgusu", "title: Kopya"));
    rebuild_matches_full_build(&repo, &kept, "a second record with the id");
    repo.edit(copy, "title: Kopya", "title: Kopya (yeni)");
    rebuild_matches_full_build(&repo, &kept, "retitling the other record with the id");
    assert!(page(&kept).contains("İmar ruhsat sorgusu") && !page(&kept).contains("Kopya"), "{}", page(&kept));
    std::fs::remove_file(repo.path().join(copy)).unwrap();

    // A request without a unit names no unit, not one whose id is empty.
    repo.edit(REQUEST, "unit: zabita-dairesi\n", "");
    repo.write("records/org/units/bos.yaml", "id: \"\"\nname: Boş Birim\ntype: department\n");
    rebuild_matches_full_build(&repo, &kept, "a request without a unit");
    repo.edit("records/org/units/bos.yaml", "Boş Birim", "Adı Değişen Birim");
    rebuild_matches_full_build(&repo, &kept, "renaming a unit whose id is empty");
    let list = std::fs::read_to_string(kept.join("requests/index.html")).unwrap();
    assert!(!list.contains("Boş Birim") && !list.contains("Adı Değişen Birim"));

    // Files deleted or changed by hand in the site are made again, not trusted.
    std::fs::remove_file(kept.join("grants/YTK-2026-0001.html")).unwrap();
    std::fs::write(kept.join("search/meta.js"), "{}").unwrap();
    let shard = std::fs::read_dir(kept.join("search"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("t-")));
    std::fs::remove_file(shard.unwrap()).unwrap();
    let mut junk = std::fs::OpenOptions::new().append(true).open(kept.join(person)).unwrap();
    std::io::Write::write_all(&mut junk, b"<!-- elle -->").unwrap();
    rebuild_matches_full_build(&repo, &kept, "files deleted and edited in the site");
}

/// The part of a record's page between `<section class="next-steps"` and its end.
fn next_steps_of(site: &std::path::Path, page: &str) -> String {
    let html = std::fs::read_to_string(site.join(page)).unwrap();
    let start = html.find("<section class=\"next-steps\"").unwrap_or_else(|| panic!("no next steps on {page}"));
    html[start..start + html[start..].find("</section>").unwrap()].to_string()
}

#[test]
fn an_open_records_next_steps_follow_the_people_who_may_take_them_on_a_rebuild() {
    let mut repo = repo();
    let sites = tempfile::tempdir().unwrap();
    let kept = sites.path().join("kept");
    build(&repo, &kept);
    let page = "requests/TLP-2026-0002.html";
    let panel = next_steps_of(&kept, page);
    // The analysis service may reject a new request (M9(1)(b)); the command is there.
    assert!(panel.contains(">Zeynep Arslan</a>"), "{panel}");
    assert!(panel.contains("<code class=\"command\">defter step TLP-2026-0002 assign --to …</code>"), "{panel}");
    let keys = keys_of(&kept);
    // The request names nobody of the analysis service: only the panel shows them. A
    // new name is on it…
    let person = "records/org/people/zeynep.arslan.yaml";
    repo.edit(person, "name: Zeynep Arslan", "name: Zeynep Arslan Ak");
    rebuild_matches_full_build(&repo, &kept, "a new name of someone who may take a step");
    assert_ne!(keys_of(&kept)[page], keys[page], "the page was rendered again");
    assert!(next_steps_of(&kept, page).contains(">Zeynep Arslan Ak</a>"));
    // …and someone who leaves is no longer offered.
    repo.edit(person, "active: true", "active: false");
    rebuild_matches_full_build(&repo, &kept, "someone who may take a step left");
    assert!(!next_steps_of(&kept, page).contains("Zeynep Arslan"), "{}", next_steps_of(&kept, page));
    // A closed record has no next steps.
    assert!(!std::fs::read_to_string(kept.join("grants/YTK-2026-0001.html")).unwrap().contains("next-steps"));
}

//! Access review campaigns (issue 28, item 4) run with commands alone in a real git
//! repository with several authors: `defter review start` pins the accesses in force in a
//! scope, each reviewer decides their items with `defter step … decide`, a revoke
//! decision revokes the grant in the same write, the last decision closes the campaign,
//! the next campaign of the scope shows what changed; the refusals write nothing; an
//! overdue campaign and a scope without a closed campaign in its interval are findings,
//! with their lawful near misses.

use std::process::Output;

use super::harness::{GitRepo, defter_as, files_in, findings, ok, refused, stdout};

const CAMPAIGN: &str = "records/campaigns/2026/EGK-2026-0001.yaml";
const SECOND: &str = "records/campaigns/2026/EGK-2026-0002.yaml";
const GRANT: &str = "records/grants/2026/YTK-2026-0002.yaml";

/// `defter ARGS…` in `repo` as `person` (git's author e-mail is theirs), in Turkish.
fn as_(repo: &GitRepo, person: &str, args: &[&str]) -> Output {
    in_lang(repo, person, "tr", args)
}

fn in_lang(repo: &GitRepo, person: &str, lang: &str, args: &[&str]) -> Output {
    defter_as(repo.path(), person, &[&["--lang", lang], args].concat())
}

/// Every file of the repository but defter's caches in `.git/defter/` (loading keeps the
/// records as parsed there): what a refused command must leave as it was.
fn tree(repo: &GitRepo) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = files_in(repo.path());
    files.retain(|path, _| !path.starts_with(".git/defter/"));
    files
}

/// The fixture's grant YTK-2026-0001 (mehmet.demir) and a second one to elif.kara on the
/// same system, an administrator account of it held by tolga.sen, committed.
fn repo() -> GitRepo {
    let mut repo = GitRepo::new();
    repo.write(
        GRANT,
        "id: YTK-2026-0002\ngrantee: elif.kara\nsystem: app-bbys-zabita\nrole: Rapor okuma\nsource: intranet\n\
         instruction: { number: \"YTF-2026-0009\", date: 2026-10-01, signed_by: selin.aydin }\n\
         requested_by: burak.yildiz\napproved_by: selin.aydin\ngranted_by: oguz.koc\ngranted_on: 2026-10-02\n\
         status: active\nhistory:\n  - { date: 2026-10-01, by: burak.yildiz, status: requested }\n\
         \x20 - { date: 2026-10-01, by: selin.aydin, status: approved }\n\
         \x20 - { date: 2026-10-02, by: oguz.koc, status: active }\n",
    );
    repo.write(
        "records/inventory/account/acc-zabita-db.yaml",
        "id: acc-zabita-db\ntype: account\nname: Zabıta veritabanı yönetici hesabı\nowner: yazilim-devops-servisi\n\
         status: active\nclassification: secret\nsystem: app-bbys-zabita\nkind: admin\nholder: tolga.sen\n\
         last_review: 2026-09-21\n",
    );
    repo.commit_as("selin.aydin", "Zabıta sistemi: ikinci yetki ve yönetici hesabı");
    repo
}

fn decide(repo: &GitRepo, person: &str, item: &str, result: &str, extra: &[&str]) -> Output {
    let mut args = vec!["step", "EGK-2026-0001", "decide", "--item", item, "--result", result, "--as-of", "2026-11-12"];
    args.extend_from_slice(extra);
    as_(repo, person, &args)
}

#[test]
fn a_campaign_runs_from_start_to_close_with_commands_alone_and_the_next_one_shows_the_diff() {
    let mut repo = repo();
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let out = ok(as_(
        &repo,
        "ayse.yilmaz",
        &["review", "start", "--scope", "app-bbys-zabita", "--due", "2026-11-30", "--as-of", "2026-11-10"],
    ));
    assert_eq!(out.trim(), CAMPAIGN);
    let text = repo.read(CAMPAIGN);
    assert!(text.contains(&format!("commit: {head}\n")), "pinned to HEAD:\n{text}");
    assert!(text.contains("scope: { type: system, target: app-bbys-zabita }"), "{text}");
    // Every access in force, with its holder and a reviewer who is not the holder: the
    // grants by the support chief (who may also revoke them), the account by the branch
    // manager (DevOps' only member holds it).
    for line in [
        "item: YTK-2026-0001, kind: grant, record: YTK-2026-0001, holder: mehmet.demir, reviewer: ayse.yilmaz, detail: \"Birim yöneticisi (Etkin)\", change: new",
        "item: YTK-2026-0002, kind: grant, record: YTK-2026-0002, holder: elif.kara, reviewer: ayse.yilmaz",
        "item: acc-zabita-db, kind: account, record: acc-zabita-db, holder: tolga.sen, reviewer: selin.aydin",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    assert!(!text.contains("previous:") && !text.contains("removed:"), "the scope's first campaign:\n{text}");
    let started = repo.commit_as("ayse.yilmaz", "EGK-2026-0001 açıldı");

    // Refusals write nothing: not the item's reviewer, an unknown item, no item.
    let before = tree(&repo);
    let why = refused(&decide(&repo, "selin.aydin", "YTK-2026-0001", "keep", &[]));
    assert!(why.contains("gözden geçireni değil") && why.contains("Ayşe Yılmaz (ayse.yilmaz)"), "{why}");
    let why = refused(&decide(&repo, "ayse.yilmaz", "YTK-2026-0009", "keep", &[]));
    assert!(why.contains("böyle bir kalem yok") && why.contains("YTK-2026-0001"), "{why}");
    let why = refused(&as_(&repo, "ayse.yilmaz", &["step", "EGK-2026-0001", "decide", "--result", "keep"]));
    assert!(why.contains("--item"), "{why}");
    assert_eq!(tree(&repo), before, "a refused decision writes nothing");

    // Keep, by the reviewer, in Turkish words.
    let out = ok(decide(&repo, "ayse.yilmaz", "YTK-2026-0001", "sürdür", &[]));
    assert_eq!(out.trim(), "EGK-2026-0001: YTK-2026-0001 → sürdür (ayse.yilmaz)");
    repo.commit_as("ayse.yilmaz", "YTK-2026-0001 sürdürülecek");
    let why = refused(&decide(&repo, "ayse.yilmaz", "YTK-2026-0001", "keep", &[]));
    assert!(why.contains("zaten karar verildi"), "{why}");

    // Revoke: the grant is revoked through its own step, in the same write.
    let out = ok(decide(&repo, "ayse.yilmaz", "YTK-2026-0002", "revoke", &["--reason", "Görev değişikliği"]));
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["EGK-2026-0001: YTK-2026-0002 → kaldır (ayse.yilmaz)", "YTK-2026-0002: geri alındı"]
    );
    let grant = repo.read(GRANT);
    assert!(grant.contains("status: revoked"), "{grant}");
    assert!(grant.contains("revocation: { date: 2026-11-12, reason: \"Görev değişikliği\" }"), "{grant}");
    assert!(grant.contains("by: ayse.yilmaz, status: revoked, note: \"EGK-2026-0001 kararı\""), "{grant}");
    repo.commit_as("ayse.yilmaz", "YTK-2026-0002 kaldırıldı");
    assert!(!repo.read(CAMPAIGN).contains("status: closed"), "one item left");

    // The last decision closes it; it names who decided each item.
    let out = ok(decide(&repo, "selin.aydin", "acc-zabita-db", "keep", &["--note", "PAM kasasında"]));
    assert!(out.contains("EGK-2026-0001: kapandı"), "{out}");
    let text = repo.read(CAMPAIGN);
    assert!(text.contains("status: closed\nclosed: 2026-11-12\n"), "{text}");
    for decided in [
        "by: ayse.yilmaz, result: keep, item: YTK-2026-0001",
        "by: ayse.yilmaz, result: revoke, item: YTK-2026-0002",
        "by: selin.aydin, result: keep, item: acc-zabita-db, note: \"PAM kasasında\"",
    ] {
        assert!(text.contains(decided), "{decided}\n{text}");
    }
    repo.commit_as("selin.aydin", "EGK-2026-0001 kapandı");
    let before = tree(&repo);
    let why = refused(&decide(&repo, "selin.aydin", "acc-zabita-db", "revoke", &[]));
    assert!(why.contains("kapandı") && why.contains("kesindir"), "{why}");
    assert_eq!(tree(&repo), before, "nothing written on a closed campaign");

    // The whole run is lawful against the commit it started from, and as of its close.
    let output = repo.defter(&["validate", "--base", &started, "--as-of", "2026-11-12", "--format", "json"]);
    assert_eq!(findings(&output), Vec::<String>::new(), "{}", stdout(&output));

    // The site: the campaign's page with its progress, and its CSV with names.
    let site = repo.path().join("site-out");
    ok(repo.defter(&["build", "--as-of", "2026-11-12", "--out", site.to_str().unwrap()]));
    let page = std::fs::read_to_string(site.join("registers/campaign/EGK-2026-0001.html")).unwrap();
    assert!(page.contains("3 / 3 (%100)") && page.contains("EGK-2026-0001.csv"), "{page}");
    let csv = std::fs::read_to_string(site.join("registers/campaign/EGK-2026-0001.csv")).unwrap();
    assert!(csv.contains("YTK-2026-0002;Yetki;Elif Kara (elif.kara);Ayşe Yılmaz (ayse.yilmaz);Rapor okuma (Etkin);Yeni;Kaldır;Ayşe Yılmaz (ayse.yilmaz);12.11.2026"), "{csv}");
    std::fs::remove_dir_all(&site).unwrap();

    // What changed since: a grant's role, a new grant, the revoked one gone.
    repo.edit("records/grants/2026/YTK-2026-0001.yaml", "role: Birim yöneticisi", "role: Rapor okuma");
    repo.write(
        "records/grants/2026/YTK-2026-0003.yaml",
        "id: YTK-2026-0003\ngrantee: volkan.acar\nsystem: app-bbys-zabita\nrole: Rapor okuma\nsource: intranet\n\
         instruction: { number: \"YTF-2026-0011\", date: 2026-11-18, signed_by: selin.aydin }\n\
         requested_by: burak.yildiz\napproved_by: selin.aydin\ngranted_by: oguz.koc\ngranted_on: 2026-11-20\n\
         status: active\nhistory:\n  - { date: 2026-11-18, by: burak.yildiz, status: requested }\n\
         \x20 - { date: 2026-11-18, by: selin.aydin, status: approved }\n\
         \x20 - { date: 2026-11-20, by: oguz.koc, status: active }\n",
    );
    repo.commit_as("oguz.koc", "Yetkiler değişti");
    ok(as_(&repo, "ayse.yilmaz", &["review", "start", "--scope", "system:app-bbys-zabita", "--as-of", "2026-11-25"]));
    let second = repo.read(SECOND);
    assert!(second.contains("previous: EGK-2026-0001\n"), "{second}");
    assert!(second.contains("due: 2026-12-25\n"), "30 days by default:\n{second}");
    for (item, change) in [("YTK-2026-0001", "changed"), ("YTK-2026-0003", "new"), ("acc-zabita-db", "unchanged")] {
        let line = second
            .lines()
            .find(|l| l.contains(&format!("item: {item},")))
            .unwrap_or_else(|| panic!("{item}:\n{second}"));
        assert!(line.ends_with(&format!("change: {change} }}")), "{line}");
    }
    assert!(
        second.contains("removed:\n  - { item: YTK-2026-0002, kind: grant, record: YTK-2026-0002, holder: elif.kara, detail: \"Rapor okuma (Etkin)\" }\n"),
        "{second}"
    );
    // One open campaign per scope at a time.
    let before = tree(&repo);
    let why = refused(&as_(
        &repo,
        "ayse.yilmaz",
        &["review", "start", "--scope", "app-bbys-zabita", "--as-of", "2026-11-25"],
    ));
    assert!(why.contains("EGK-2026-0002") && why.contains("hâlâ açık"), "{why}");
    assert_eq!(tree(&repo), before);
}

#[test]
fn a_scope_with_nothing_in_force_or_unknown_is_refused_and_nothing_is_written() {
    let repo = repo();
    let before = tree(&repo);
    // The analysis service's people hold no access.
    let why = refused(&as_(&repo, "ayse.yilmaz", &["review", "start", "--scope", "unit:yazilim-analiz-servisi"]));
    assert!(why.contains("yürürlükte hiçbir şey yok") && why.contains("hiçbir şey yazılmadı"), "{why}");
    let why = refused(&in_lang(&repo, "ayse.yilmaz", "en", &["review", "start", "--scope", "system:app-yok"]));
    assert!(why.contains("`app-yok` is no application, server or unit"), "{why}");
    let why = refused(&as_(&repo, "ayse.yilmaz", &["review", "start", "--scope", "her-şey"]));
    assert!(why.contains("bir kapsam değil"), "{why}");
    let why = refused(&as_(
        &repo,
        "ayse.yilmaz",
        &["review", "start", "--scope", "all-grants", "--as-of", "2026-11-10", "--due", "2026-11-01"],
    ));
    assert!(why.contains("başlangıcından"), "{why}");
    assert_eq!(tree(&repo), before, "nothing written");
    // The items are the pinned commit's: a change not committed yet is refused.
    let mut repo = repo;
    repo.edit(GRANT, "role: Rapor okuma", "role: Rapor yazma");
    let why = refused(&as_(&repo, "ayse.yilmaz", &["review", "start", "--scope", "all-grants"]));
    assert!(why.contains("records/grants/2026/YTK-2026-0002.yaml") && why.contains("commit edin"), "{why}");
    repo.commit_as("burak.yildiz", "Rol değişti");
    // Every grant in force, by its Turkish name; the account is not a grant.
    ok(as_(&repo, "ayse.yilmaz", &["review", "start", "--scope", "tüm-yetkiler", "--as-of", "2026-11-10"]));
    let text = repo.read(CAMPAIGN);
    assert!(
        text.contains("scope: { type: all_grants }")
            && text.contains("YTK-2026-0002")
            && !text.contains("acc-zabita-db"),
        "{text}"
    );
}

/// `validate --as-of DATE --format json` findings of the campaign files.
fn campaign_findings(repo: &GitRepo, as_of: &str) -> Vec<String> {
    let output = repo.defter(&["validate", "--as-of", as_of, "--format", "json"]);
    findings(&output).into_iter().filter(|f| f.contains("records/campaigns/")).collect()
}

#[test]
fn an_overdue_campaign_and_a_scope_without_a_closed_campaign_in_its_interval_are_findings() {
    let mut repo = repo();
    ok(as_(
        &repo,
        "ayse.yilmaz",
        &["review", "start", "--scope", "app-bbys-zabita", "--due", "2026-11-20", "--as-of", "2026-11-10"],
    ));
    repo.commit_as("ayse.yilmaz", "EGK-2026-0001 açıldı");
    // Open on its due date: lawful; the day after: late.
    assert_eq!(campaign_findings(&repo, "2026-11-20"), Vec::<String>::new());
    assert_eq!(
        campaign_findings(&repo, "2026-11-21"),
        ["deadline-missed records/campaigns/2026/EGK-2026-0001.yaml:7:6"]
    );
    // Never closed: the scope is overdue [reviews] campaign (365) days after the start.
    let late = campaign_findings(&repo, "2027-11-11");
    assert!(late.contains(&"review-overdue records/campaigns/2026/EGK-2026-0001.yaml:3:1".to_string()), "{late:?}");
    assert!(!campaign_findings(&repo, "2027-11-10").iter().any(|f| f.starts_with("review-overdue")));

    for (person, item) in
        [("ayse.yilmaz", "YTK-2026-0001"), ("ayse.yilmaz", "YTK-2026-0002"), ("selin.aydin", "acc-zabita-db")]
    {
        ok(decide(&repo, person, item, "keep", &[]));
    }
    repo.commit_as("selin.aydin", "EGK-2026-0001 kapandı");
    // Closed on 12.11.2026: nothing due until 12.11.2027, the scope overdue the day after.
    assert_eq!(campaign_findings(&repo, "2027-11-12"), Vec::<String>::new());
    assert_eq!(
        campaign_findings(&repo, "2027-11-13"),
        ["review-overdue records/campaigns/2026/EGK-2026-0001.yaml:3:1"]
    );
    // A shorter interval of the directorate's own.
    repo.write("defter.toml", "[reviews]\ncampaign = 90\n");
    assert_eq!(
        campaign_findings(&repo, "2027-02-11"),
        ["review-overdue records/campaigns/2026/EGK-2026-0001.yaml:3:1"]
    );
    assert_eq!(campaign_findings(&repo, "2027-02-10"), Vec::<String>::new());

    // A scope the directorate names is held to the interval before its first campaign;
    // one that has had a campaign is lawful; a name that is no scope is told.
    let mut named = |scopes: &str| {
        repo.write("defter.toml", &format!("[campaigns]\nscopes = [{scopes}]\n"));
        let output = repo.defter(&["validate", "--as-of", "2026-11-12", "--format", "json"]);
        findings(&output).into_iter().filter(|f| f.contains("defter.toml")).collect::<Vec<_>>()
    };
    assert_eq!(named("\"admin-accounts\""), ["review-overdue defter.toml"]);
    assert_eq!(named("\"app-bbys-zabita\", \"unit:zabita-dairesi\""), ["review-overdue defter.toml"]);
    assert_eq!(named("\"app-bbys-zabita\""), Vec::<String>::new());
    assert_eq!(named("\"her-şey\""), ["dangling-ref defter.toml"]);
    repo.write("defter.toml", "");

    // A closed campaign with an item left undecided, and a decision by another than its
    // reviewer, are findings of the record itself.
    repo.edit(CAMPAIGN, "  - { date: 2026-11-12, by: selin.aydin, result: keep, item: acc-zabita-db }\n", "");
    repo.edit(
        CAMPAIGN,
        "by: ayse.yilmaz, result: keep, item: YTK-2026-0002",
        "by: selin.aydin, result: keep, item: YTK-2026-0002",
    );
    let got = campaign_findings(&repo, "2026-11-12");
    assert!(got.iter().any(|f| f.starts_with("state-fields records/campaigns/2026/EGK-2026-0001.yaml")), "{got:?}");
    assert!(
        got.iter().any(|f| f.starts_with("unauthorized-actor records/campaigns/2026/EGK-2026-0001.yaml")),
        "{got:?}"
    );
}

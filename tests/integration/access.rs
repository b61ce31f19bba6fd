//! `defter access`: who had access on a day, on a real git history of a year by several
//! authors — grants granted, frozen, unfrozen and revoked, one entered months later with
//! an earlier date (back-dated), one revocation recorded after the day it is dated (late)
//! and a repository whose access list grew — asked on chosen days, in every format.

use crate::harness::{GitRepo, ok, stdout};

/// A grant with the given history (date, by, status); `status` and the fields each state
/// needs follow the last entry.
fn grant(id: &str, grantee: &str, system: &str, history: &[(&str, &str, &str)]) -> String {
    let (last_date, _, status) = history.last().copied().unwrap();
    let granted_on = history.iter().find(|(_, _, s)| *s == "active").map_or(last_date, |(d, _, _)| d);
    let mut text = format!(
        "id: {id}\ngrantee: {grantee}\nsystem: {system}\nrole: Okuyucu\nsource: intranet\n\
         instruction: {{ number: \"YTF-{id}\", date: {first}, signed_by: selin.aydin }}\n\
         requested_by: zeynep.arslan\napproved_by: burak.yildiz\ngranted_by: oguz.koc\ngranted_on: {granted_on}\nstatus: {status}\n",
        first = history[0].0
    );
    match status {
        "frozen" => text.push_str(&format!("freeze: {{ date: {last_date}, reason: \"İnceleme\" }}\n")),
        "revoked" => text.push_str(&format!("revocation: {{ date: {last_date}, reason: \"Görev değişikliği\" }}\n")),
        _ => {}
    }
    text.push_str("history:\n");
    for (date, by, state) in history {
        text.push_str(&format!("  - {{ date: {date}, by: {by}, status: {state} }}\n"));
    }
    text
}

fn repository(people: &[(&str, &str)]) -> String {
    let mut text =
        "id: repo-zabita\ntype: repository\nname: Zabıta deposu\nowner: yazilim-devops-servisi\nstatus: active\n\
                    classification: internal\nurl: https://git.izbb.local/zabita\naccess:\n"
            .to_string();
    for (person, level) in people {
        text.push_str(&format!("  - {{ person: {person}, level: {level} }}\n"));
    }
    text.push_str("last_review: 2026-01-05\n");
    text
}

const A: &str = "records/grants/2026/YTK-2026-0101.yaml";
const B: &str = "records/grants/2026/YTK-2026-0102.yaml";
const C: &str = "records/grants/2026/YTK-2026-0103.yaml";
const REPO: &str = "records/inventory/repository/repo-zabita.yaml";

/// The year's history; the commit ids of the freeze and of the back-dated grant.
struct Year {
    repo: GitRepo,
    freeze: String,
}

fn year() -> Year {
    let mut repo = GitRepo::new();
    std::fs::remove_file(repo.path().join("records/grants/2026/YTK-2026-0001.yaml")).unwrap();
    repo.write(REPO, &repository(&[("zeynep.arslan", "write")]));
    repo.commit_on("selin.aydin", "2026-01-05", "Kayıtlar");
    // A: granted in January, frozen in April, active again in May, revoked in October.
    let a = [("2026-01-08", "zeynep.arslan", "requested"), ("2026-01-09", "burak.yildiz", "approved")];
    let granted = [&a[..], &[("2026-01-10", "oguz.koc", "active")]].concat();
    repo.write(A, &grant("YTK-2026-0101", "tolga.sen", "app-bbys-zabita", &granted));
    repo.commit_on("oguz.koc", "2026-01-10", "YTK-2026-0101 tanımlandı");
    // B: granted in February.
    let b = [
        ("2026-01-28", "zeynep.arslan", "requested"),
        ("2026-01-29", "burak.yildiz", "approved"),
        ("2026-02-01", "oguz.koc", "active"),
    ];
    repo.write(B, &grant("YTK-2026-0102", "volkan.acar", "app-bbys-zabita", &b));
    repo.commit_on("oguz.koc", "2026-02-01", "YTK-2026-0102 tanımlandı");
    let frozen = [&granted[..], &[("2026-04-01", "oguz.koc", "frozen")]].concat();
    repo.write(A, &grant("YTK-2026-0101", "tolga.sen", "app-bbys-zabita", &frozen));
    let freeze = repo.commit_on("oguz.koc", "2026-04-01", "YTK-2026-0101 donduruldu");
    let unfrozen = [&frozen[..], &[("2026-05-02", "oguz.koc", "active")]].concat();
    repo.write(A, &grant("YTK-2026-0101", "tolga.sen", "app-bbys-zabita", &unfrozen));
    repo.commit_on("oguz.koc", "2026-05-02", "YTK-2026-0101 yeniden etkin");
    repo.write(REPO, &repository(&[("zeynep.arslan", "write"), ("volkan.acar", "read")]));
    repo.commit_on("hakan.celik", "2026-06-01", "repo-zabita: Volkan okuma");
    // C: entered in August, dated March (back-dated).
    let c = [
        ("2026-02-26", "zeynep.arslan", "requested"),
        ("2026-02-27", "burak.yildiz", "approved"),
        ("2026-03-01", "oguz.koc", "active"),
    ];
    repo.write(C, &grant("YTK-2026-0103", "elif.kara", "app-him", &c));
    repo.commit_on("zeynep.arslan", "2026-08-03", "YTK-2026-0103 geriye dönük kayıt");
    // B's revocation, dated 15 June, recorded in September (late).
    let revoked = [&b[..], &[("2026-06-15", "oguz.koc", "revoked")]].concat();
    repo.write(B, &grant("YTK-2026-0102", "volkan.acar", "app-bbys-zabita", &revoked));
    repo.commit_on("oguz.koc", "2026-09-01", "YTK-2026-0102 geri alındı (geç kayıt)");
    let ended = [&unfrozen[..], &[("2026-10-01", "oguz.koc", "revoked")]].concat();
    repo.write(A, &grant("YTK-2026-0101", "tolga.sen", "app-bbys-zabita", &ended));
    repo.commit_on("oguz.koc", "2026-10-01", "YTK-2026-0101 geri alındı");
    Year { repo, freeze }
}

/// The rows of `access --format json` as (record, holder, state then, state now, difference).
fn rows(repo: &GitRepo, args: &[&str]) -> Vec<(String, String, String, String, String)> {
    let mut all = vec!["access", "--format", "json"];
    all.extend(args);
    let out = repo.defter(&all);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let state = |v: &serde_json::Value| v["state"].as_str().unwrap_or("-").to_string();
    json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["record"].as_str().unwrap().to_string(),
                r["holder"].as_str().unwrap().to_string(),
                state(&r["then"]),
                state(&r["now"]),
                r["difference"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn row(
    record: &str,
    holder: &str,
    then: &str,
    now: &str,
    difference: &str,
) -> (String, String, String, String, String) {
    (record.into(), holder.into(), then.into(), now.into(), difference.into())
}

#[test]
fn access_gives_the_holders_of_each_day_as_recorded_then_and_as_known_now() {
    let Year { repo, freeze } = year();
    let before = repo.git(&["status", "--porcelain"]);
    // January: the repository's first access, and A.
    assert_eq!(
        rows(&repo, &["--on", "2026-01-20"]),
        [
            row("YTK-2026-0101", "tolga.sen", "active", "active", ""),
            row("repo-zabita", "zeynep.arslan", "active", "active", ""),
        ]
    );
    // April: A frozen in both; B active; C known now (dated March) but not in the
    // repository then: back-dated.
    assert_eq!(
        rows(&repo, &["--on", "2026-04-15"]),
        [
            row("YTK-2026-0101", "tolga.sen", "frozen", "frozen", ""),
            row("YTK-2026-0102", "volkan.acar", "active", "active", ""),
            row("YTK-2026-0103", "elif.kara", "-", "active", "recorded_later"),
            row("repo-zabita", "zeynep.arslan", "active", "active", ""),
        ]
    );
    // July: B's revocation (dated June) was recorded only in September: the repository
    // then showed it active.
    assert_eq!(
        rows(&repo, &["--on", "2026-07-01"]),
        [
            row("YTK-2026-0101", "tolga.sen", "active", "active", ""),
            row("YTK-2026-0102", "volkan.acar", "active", "-", "ended_earlier"),
            row("YTK-2026-0103", "elif.kara", "-", "active", "recorded_later"),
            row("repo-zabita", "volkan.acar", "active", "active", ""),
            row("repo-zabita", "zeynep.arslan", "active", "active", ""),
        ]
    );
    // October: A and B revoked; C recorded by then, both views agree.
    assert_eq!(
        rows(&repo, &["--on", "2026-10-15", "--system", "app-him"]),
        [row("YTK-2026-0103", "elif.kara", "active", "active", "")]
    );
    assert_eq!(rows(&repo, &["--on", "2026-10-15", "--person", "tolga.sen"]), []);
    // A commit named directly: the freeze's.
    assert_eq!(
        rows(&repo, &["--at", &freeze, "--person", "tolga.sen"]),
        [row("YTK-2026-0101", "tolga.sen", "frozen", "frozen", "")]
    );
    // The commit that established each view, and who approved.
    let out = repo.defter(&["access", "--format", "json", "--on", "2026-07-01", "--system", "app-him"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let now = &json["rows"][0]["now"];
    assert_eq!(now["approved_by"], "burak.yildiz");
    assert_eq!(now["established_by"]["author"], "zeynep.arslan");
    assert_eq!(now["established_by"]["date"], "2026-08-03");
    let b = repo.defter(&["access", "--format", "json", "--on", "2026-07-01", "--person", "volkan.acar"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&b)).unwrap();
    assert_eq!(json["rows"][0]["then"]["established_by"]["date"], "2026-02-01");
    assert_eq!(json["on"], "2026-07-01");
    assert_eq!(repo.git(&["status", "--porcelain"]), before, "access writes nothing into the working tree");
}

#[test]
fn access_prints_a_table_csv_and_markdown_in_the_run_language() {
    let Year { repo, .. } = year();
    let ask = |lang: &str, format: &str| {
        let out = repo.defter(&["access", "--on", "2026-07-01", "--lang", lang, "--format", format]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        (stdout(&out), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (table, note) = ask("tr", "table");
    assert!(table.starts_with("tür "), "{table}");
    assert!(table.contains("Tolga Şen") && table.contains("Etkin"), "{table}");
    assert!(
        table.contains("sonradan geriye tarihli kaydedilmiş: o gün depoda yoktu (03.08.2026 tarihinde girildi)"),
        "{table}"
    );
    assert!(table.contains("bugünkü kayda göre o gün yürürlükte değildi"), "{table}");
    assert!(table.contains("Okuma") && table.contains("Depo"), "repository level and kind by their labels: {table}");
    assert!(note.contains("01.07.2026 günü"), "{note}");
    let (table, note) = ask("en", "table");
    assert!(
        table.contains("recorded later, back-dated: not in the repository that day (entered 2026-08-03)"),
        "{table}"
    );
    assert!(table.contains("today's records say it was not in force that day"), "{table}");
    assert!(note.contains("on 2026-07-01"), "{note}");
    let (csv, _) = ask("en", "csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "kind,record,system,holder,level,then,now,approved by,commit,note");
    assert_eq!(lines.len(), 6, "{csv}");
    assert!(lines.iter().any(|l| l.starts_with("grant,YTK-2026-0102,app-bbys-zabita,Volkan Acar,Okuyucu,active,—,")));
    let (markdown, _) = ask("tr", "markdown");
    assert!(markdown.lines().next().unwrap().starts_with("| tür | kayıt |"), "{markdown}");
    assert!(markdown.contains("| YTK-2026-0103 |"), "{markdown}");
    // The same day twice: the same bytes.
    assert_eq!(ask("tr", "markdown").0, markdown);
}

#[test]
fn access_refuses_a_day_it_cannot_answer_and_writes_nothing() {
    let Year { repo, .. } = year();
    let refused = |args: &[&str], expected: &str| {
        let before = repo.git(&["status", "--porcelain", "--ignored"]);
        let mut all = vec!["access", "--lang", "en"];
        all.extend(args);
        let out = repo.defter(&all);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(stdout(&out).is_empty());
        assert_eq!(repo.git(&["status", "--porcelain", "--ignored"]), before);
    };
    refused(&["--on", "2025-12-31"], "2025-12-31 is before the repository's first commit (2026-01-05)");
    refused(&["--on", "2099-01-01"], "is in the future");
    refused(&["--at", "no-such-branch"], "unknown revision `no-such-branch`");
    // A shallow clone that lacks the day: says how far back its history goes.
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    let target = clone.path().join("c");
    let ok = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "2", &url, target.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(ok.success());
    let out = crate::harness::defter(&target, &["access", "--lang", "tr", "--on", "2026-03-01"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("01.03.2026 bu kopyanın geçmişinin dışında") && err.contains("01.09.2026"), "{err}");
    // Within the clone's history it answers.
    let out = crate::harness::defter(&target, &["access", "--format", "json", "--on", "2026-10-02"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// What `defter ARGS…` printed, run with `DEFTER_CACHE` set to `cache` (unset: `None`).
fn answer(repo: &GitRepo, cache: Option<&str>, args: &[&str]) -> String {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_defter"));
    command.arg("--repo").arg(repo.path()).args(args).env("NO_COLOR", "1");
    match cache {
        Some(value) => command.env("DEFTER_CACHE", value),
        None => command.env_remove("DEFTER_CACHE"),
    };
    ok(command.output().expect("defter runs"))
}

#[test]
fn access_and_log_answer_alike_with_the_trail_kept_cold_warm_damaged_or_off() {
    let Year { mut repo, freeze } = year();
    let kept = repo.path().join(".git/defter/history.bin");
    let questions: Vec<Vec<&str>> = vec![
        vec!["access", "--on", "2026-04-15", "--format", "json"],
        vec!["access", "--on", "2026-07-01", "--lang", "tr"],
        vec!["access", "--at", &freeze, "--format", "csv"],
        vec!["log", "YTK-2026-0101"],
        vec!["log", "YTK-2026-0103"],
        vec!["log", "repo-zabita"],
    ];
    let off = |repo: &GitRepo| -> Vec<String> { questions.iter().map(|q| answer(repo, Some("off"), q)).collect() };
    let expected = off(&repo);
    assert!(!kept.exists(), "DEFTER_CACHE=off keeps nothing");
    // The JSON file of earlier versions, which the binary one replaces.
    let old = repo.path().join(".git/defter/history.json");
    std::fs::create_dir_all(old.parent().unwrap()).unwrap();
    std::fs::write(&old, r#"{"format":"defter-history 2","head":"","commits":[],"by_id":[]}"#).unwrap();
    for (question, expected) in questions.iter().zip(&expected) {
        let _ = std::fs::remove_file(&kept);
        assert_eq!(&answer(&repo, None, question), expected, "cold: {question:?}");
        assert!(kept.is_file() && !old.exists(), "{question:?}");
        assert_eq!(&answer(&repo, None, question), expected, "warm: {question:?}");
    }
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(kept.metadata().unwrap().permissions().mode() & 0o777, 0o600, "readable by its owner only");
    let good = std::fs::read(&kept).unwrap();
    let damaged = [good[..good.len() / 2].to_vec(), b"defterTR and then garbage".to_vec(), Vec::new()];
    for bytes in damaged {
        std::fs::write(&kept, &bytes).unwrap();
        assert_eq!(&answer(&repo, None, &questions[0]), &expected[0], "{bytes:?}");
        assert_eq!(std::fs::read(&kept).unwrap(), good, "a damaged file is replaced");
    }
    // A new commit: DEFTER_CACHE=off neither reads the kept file nor writes it; with
    // the cache, the kept trail is extended by the commit, and says what a walk says.
    repo.edit(C, "role: Okuyucu", "role: Yazar");
    repo.commit_on("oguz.koc", "2026-11-02", "YTK-2026-0103 yazar");
    let after = off(&repo);
    assert_ne!(after, expected);
    assert_eq!(std::fs::read(&kept).unwrap(), good, "DEFTER_CACHE=off wrote the kept trail");
    for (question, after) in questions.iter().zip(&after) {
        assert_eq!(&answer(&repo, None, question), after, "extended: {question:?}");
    }
    assert_ne!(std::fs::read(&kept).unwrap(), good, "the kept trail is brought forward");
}

#[test]
fn build_at_a_past_commit_or_day_builds_that_site_under_its_own_rules_and_touches_nothing() {
    let Year { mut repo, freeze } = year();
    // A rule set that changes later: the site's title in defter.toml, after the year.
    repo.write("defter.toml", "[site]\ntitle = \"Yeni Başlık\"\n");
    repo.commit_on("selin.aydin", "2026-11-02", "site başlığı");
    let before = repo.git(&["status", "--porcelain", "--ignored"]);
    let out = tempfile::tempdir().unwrap();
    let (at_commit, at_day) = (out.path().join("c"), out.path().join("d"));
    let built = repo.defter(&["build", "--at", &freeze, "--out", at_commit.to_str().unwrap()]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    assert!(String::from_utf8_lossy(&built.stderr).contains("(2026-04-01)"), "the commit's day is told");
    let built = repo.defter(&["-v", "build", "--at", "2026-04-15", "--out", at_day.to_str().unwrap()]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let said = String::from_utf8_lossy(&built.stderr);
    // The temporary checkout gets no caches: they would go with it, unread.
    let loaded = said.contains("loading ") || said.contains("yükleme ");
    assert!(loaded && !said.contains("cache") && !said.contains("önbellek"), "{said}");
    let (a, b) = (crate::harness::files_in(&at_commit), crate::harness::files_in(&at_day));
    // The freeze's commit is the last one by 15 April: the same site, byte for byte.
    let differing: Vec<&String> = a.keys().filter(|k| a.get(*k) != b.get(*k)).collect();
    assert!(a.len() == b.len() && differing.is_empty(), "a day and its commit build the same bytes: {differing:?}");
    let text: String = a
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    assert!(text.contains("YTK-2026-0101") && text.contains("YTK-2026-0102"));
    assert!(!text.contains("YTK-2026-0103"), "the grant entered in August is not on April's site");
    assert!(!text.contains("Yeni Başlık"), "the configuration in force then: no later title");
    // Today's site has both.
    let now = out.path().join("now");
    assert!(repo.defter(&["build", "--as-of", "2026-11-30", "--out", now.to_str().unwrap()]).status.success());
    let today = crate::harness::files_in(&now);
    assert!(today.values().any(|b| String::from_utf8_lossy(b).contains("Yeni Başlık")));
    assert_eq!(repo.git(&["status", "--porcelain", "--ignored"]), before, "the working tree is untouched");
    // Refused, nothing written.
    for (at, expected) in [
        ("2099-01-01", "is in the future"),
        ("2025-12-01", "before the repository's first commit"),
        ("v9.9", "unknown revision `v9.9`"),
    ] {
        let target = out.path().join("refused");
        let built = repo.defter(&["build", "--lang", "en", "--at", at, "--out", target.to_str().unwrap()]);
        assert_eq!(built.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&built.stderr).contains(expected), "{at}");
        assert!(!target.exists(), "{at}: nothing written");
    }
    let leftovers = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&format!("defter-at-{}", &freeze[..8])))
        .count();
    assert_eq!(leftovers, 0, "the checkout is removed");
}

#[test]
fn serve_at_a_past_commit_serves_that_site() {
    let Year { repo, freeze } = year();
    let tmp = tempfile::tempdir().unwrap();
    let server = crate::serve::Server::start_with(repo.path(), tmp.path(), &["--at", &freeze]);
    let (status, page) = server.get("/grants/index.html");
    assert_eq!(status, 200);
    assert!(page.contains("YTK-2026-0101") && !page.contains("YTK-2026-0103"), "{page}");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

/// The access section of a page of the site in `site`.
fn access_section(site: &std::path::Path, page: &str) -> String {
    let html = std::fs::read_to_string(site.join(page)).unwrap();
    let start =
        html.find("<section aria-labelledby=\"h-access\">").unwrap_or_else(|| panic!("{page}: no access section"));
    let end = html[start..].find("</section>").unwrap() + start;
    html[start..end].to_string()
}

#[test]
fn the_site_draws_who_held_which_access_when_per_person_and_per_system() {
    let Year { mut repo, .. } = year();
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let build = |repo: &GitRepo| {
        let built = repo.defter(&["build", "--as-of", "2026-11-30", "--out", site.to_str().unwrap()]);
        assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
        String::from_utf8_lossy(&built.stderr).into_owned()
    };
    build(&repo);
    let tolga = access_section(&site, "people/tolga.sen.html");
    // An accessible chart: named and described, every span with its dates.
    assert!(tolga.contains("role=\"img\"") && tolga.contains("<title id=\"access-chart-t\">"), "{tolga}");
    assert!(tolga.contains("<desc id=\"access-chart-d\">1 yetkinin"), "{tolga}");
    assert!(tolga.contains("<title>BBYS Zabıta Modülü: Etkin 10.01.2026 – 01.04.2026</title>"), "{tolga}");
    assert!(tolga.contains("<title>BBYS Zabıta Modülü: Donduruldu 01.04.2026 – 02.05.2026</title>"), "{tolga}");
    assert!(tolga.contains("<title>BBYS Zabıta Modülü: Geri alındı 01.10.2026</title></line>"), "{tolga}");
    // The same as text, and what is held before.
    assert!(
        tolga.contains(
            "<td>Etkin 10.01.2026 – 01.04.2026; Donduruldu 01.04.2026 – 02.05.2026; Etkin 02.05.2026 – 01.10.2026</td>"
        ),
        "{tolga}"
    );
    assert!(tolga.contains("Geçmişte sahip olduğu erişimler") && !tolga.contains("Sahip olduğu erişimler"), "{tolga}");
    // Volkan holds the repository's read access now; his grant ended (in June, by its record).
    let volkan = access_section(&site, "people/volkan.acar.html");
    assert!(
        volkan.contains(
            "<h3>Sahip olduğu erişimler</h3>\n  <ul><li><a href=\"../inventory/repository/repo-zabita.html\">"
        )
    );
    assert!(volkan.contains("Okuma"), "{volkan}");
    assert!(volkan.contains("Etkin 01.02.2026 – 15.06.2026"), "{volkan}");
    // The system's page: one lane per grant, by holder.
    let system = access_section(&site, "inventory/application/app-bbys-zabita.html");
    assert!(
        system.contains(">Tolga Şen · Okuyucu</text>") && system.contains(">Volkan Acar · Okuyucu</text>"),
        "{system}"
    );
    assert!(!system.contains("Elif Kara"), "app-him's grant is not on app-bbys-zabita's page");
    // A person renamed: the system page that names them by name follows on an
    // incremental rebuild, and the site is what a full build makes.
    // (In the working tree: a new commit would change every page's footer, a full build.)
    repo.edit("records/org/people/tolga.sen.yaml", "name: Tolga Şen", "name: Tolga Şenol");
    let said = build(&repo);
    assert!(!said.contains(" 0 rendered") && !said.contains("full build"), "{said}");
    assert!(
        access_section(&site, "inventory/application/app-bbys-zabita.html").contains(">Tolga Şenol · Okuyucu</text>")
    );
    let full = out.path().join("full");
    let built = repo.defter(&["build", "--as-of", "2026-11-30", "--out", full.to_str().unwrap()]);
    assert!(built.status.success());
    let (a, b) = (crate::harness::files_in(&site), crate::harness::files_in(&full));
    let differing: Vec<&String> = a.keys().filter(|k| a.get(*k) != b.get(*k)).collect();
    assert!(differing.is_empty(), "an incremental rebuild gives what a full build gives: {differing:?}");
}

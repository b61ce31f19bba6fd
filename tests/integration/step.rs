//! `defter step`: whole lifecycles walked with commands alone in real git repositories
//! (several authors, `--commit`, then `validate --base`), and the refusals that write
//! nothing.

use std::process::{Command, Output};

use super::harness::{GitRepo, defter_as, ok, refused, stderr, stdout};

const REQUEST: &str = "records/requests/2026/TLP-2026-0002.md";
const GRANT: &str = "records/grants/2026/YTK-2026-0002.yaml";
const PROJECT: &str = "records/projects/PRJ-0002/index.md";

/// `defter step ARGS…` in `repo` as `person` (git's author e-mail is theirs).
fn step_as(repo: &GitRepo, person: &str, args: &[&str]) -> Output {
    defter_as(repo.path(), person, &[&["step"], args, &["--as-of", "2026-11-30"]].concat())
}

/// A repository with a new request, a requested grant and a proposed project, committed.
fn repo() -> (GitRepo, String) {
    let mut repo = GitRepo::new();
    repo.write(
        REQUEST,
        "---\nid: TLP-2026-0002\ntitle: \"Ruhsat sorgusu: hata\"\ntype: defect\nsource: intranet\nunit: zabita-dairesi\n\
         requester: mehmet.demir\nreceived: 2026-11-30\npriority: normal\nservice: yazilim-gelistirme-servisi\nstatus: new\n\
         history:\n  - { date: 2026-11-30, by: mehmet.demir, status: new, note: \"İntranet üzerinden\" }\n---\n\
         Ruhsat sorgusu hata veriyor.\n",
    );
    repo.write(
        GRANT,
        "id: YTK-2026-0002\ngrantee: zeynep.arslan\nsystem: app-bbys-zabita\nrole: Okuma\nsource: intranet\n\
         instruction: { number: \"YTF-2026-0009\", date: 2026-11-30, signed_by: selin.aydin }\n\
         requested_by: zeynep.arslan\nstatus: requested\n\
         history:\n  - { date: 2026-11-30, by: zeynep.arslan, status: requested }\n",
    );
    repo.write(
        PROJECT,
        "---\nid: PRJ-0002\ntitle: Ruhsat sorgu ekranı\nkind: internal\nowner_unit: zabita-dairesi\n\
         service: yazilim-gelistirme-servisi\nphase: proposed\nstarted: 2026-11-30\n\
         history:\n  - { date: 2026-11-30, by: burak.yildiz, status: proposed }\n---\nProje.\n",
    );
    let base = repo.commit_as("selin.aydin", "Yeni talep, yetki ve proje");
    let check = repo.defter(&["validate", "--as-of", "2026-11-30"]);
    assert!(check.status.success(), "the start is valid: {}", stdout(&check));
    (repo, base)
}

#[test]
fn step_walks_a_request_through_its_lifecycle_committing_as_each_person() {
    let (repo, base) = repo();
    let listed = ok(step_as(&repo, "burak.yildiz", &["TLP-2026-0002"]));
    assert!(listed.contains("assign (ata) → assigned — you may"), "{listed}");
    assert!(listed.contains("defter step TLP-2026-0002 assign --to …"), "{listed}");
    // The analysis service and the branch manager, with whom it is discussed (M9(1)(b)).
    assert!(
        listed.contains("reject (reddet) → rejected — who may: hakan.celik, selin.aydin, zeynep.arslan"),
        "{listed}"
    );

    let out = ok(step_as(&repo, "burak.yildiz", &["TLP-2026-0002", "ata", "--to", "elif.kara", "--commit"]));
    assert_eq!(out, "TLP-2026-0002: atandı → elif.kara\n");
    // The state it leads to names a step too, by its Turkish label as typed.
    ok(step_as(&repo, "elif.kara", &["TLP-2026-0002", "İşlemde", "--commit"]));
    ok(step_as(&repo, "elif.kara", &["TLP-2026-0002", "send-to-test", "--note", "Test ortamında", "--commit"]));
    let own = step_as(&repo, "elif.kara", &["TLP-2026-0002", "close", "--summary", "Düzeltildi", "--commit"]);
    assert!(refused(&own).contains("who may: ayse.yilmaz, burak.yildiz, hakan.celik"), "{}", stderr(&own));
    ok(step_as(&repo, "hakan.celik", &["TLP-2026-0002", "kapat", "--summary", "Sorgu düzeltildi", "--commit"]));

    let log = repo.git(&["log", "--format=%an|%s", &format!("{base}..HEAD")]);
    assert_eq!(
        log,
        "hakan.celik|TLP-2026-0002: kapatıldı\nelif.kara|TLP-2026-0002: testte\nelif.kara|TLP-2026-0002: işlemde\n\
         burak.yildiz|TLP-2026-0002: atandı → elif.kara\n"
    );
    let text = repo.read(REQUEST);
    assert!(text.contains(
        "service: yazilim-gelistirme-servisi\nassignee: elif.kara\nstatus: closed\n\
         history:\n  - { date: 2026-11-30, by: mehmet.demir, status: new, note: \"İntranet üzerinden\" }\n\
         \x20 - { date: 2026-11-30, by: burak.yildiz, status: assigned }\n"
    ));
    assert!(text.ends_with(
        "  - { date: 2026-11-30, by: hakan.celik, status: closed }\nresolution:\n  date: 2026-11-30\n  \
         summary: \"Sorgu düzeltildi\"\n  tested_by: hakan.celik\n---\nRuhsat sorgusu hata veriyor.\n"
    ));
    let check = repo.defter(&["validate", "--as-of", "2026-11-30", "--base", &base]);
    assert!(check.status.success(), "validate --base: {}{}", stdout(&check), stderr(&check));
    assert_eq!(repo.git(&["status", "--porcelain"]), "", "everything committed");
}

#[test]
fn step_walks_a_grant_and_a_project_through_theirs() {
    let (repo, base) = repo();
    ok(step_as(&repo, "selin.aydin", &["YTK-2026-0002", "onayla", "--commit"]));
    ok(step_as(&repo, "oguz.koc", &["YTK-2026-0002", "grant", "--commit"]));
    ok(step_as(&repo, "oguz.koc", &["YTK-2026-0002", "dondur", "--reason", "Uzun izin", "--commit"]));
    ok(step_as(&repo, "oguz.koc", &["YTK-2026-0002", "unfreeze", "--commit"]));
    // The outcome by its label (`Sürdür`), folded: written as `keep`.
    ok(step_as(&repo, "ayse.yilmaz", &["YTK-2026-0002", "gözden-geçir", "--result", "sürdür", "--commit"]));
    ok(step_as(&repo, "oguz.koc", &["YTK-2026-0002", "kaldır", "--reason", "Görev değişikliği", "--commit"]));
    let grant = repo.read(GRANT);
    assert!(grant.contains("reviews:\n  - { date: 2026-11-30, by: ayse.yilmaz, outcome: keep }\n"), "{grant}");
    assert!(grant.contains("freeze: { date: 2026-11-30, reason: \"Uzun izin\" }\n"), "flow like instruction: {grant}");

    let steps: &[(&str, &[&str])] = &[
        ("hakan.celik", &["analize-başla", "--set", "analyst=zeynep.arslan"]),
        ("hakan.celik", &["start-development", "--set", "developers=[elif.kara]"]),
        ("burak.yildiz", &["to-test"]),
        ("oguz.koc", &["test", "--result", "pass"]),
        ("mehmet.demir", &["test", "--result", "pass", "--note", "Birim adına"]),
        ("hakan.celik", &["kuruluma-al"]),
        ("tolga.sen", &["deployment", "--set", "version=1.0.0", "--set", "approved_by=burak.yildiz"]),
        ("tolga.sen", &["canlıya-al"]),
    ];
    for (person, args) in steps {
        let mut all = vec!["PRJ-0002"];
        all.extend_from_slice(args);
        all.push("--commit");
        ok(step_as(&repo, person, &all));
    }
    let project = repo.read(PROJECT);
    assert!(project.contains("phase: live\n"), "{project}");
    assert!(project.contains("role: support"), "the support test's role is the one its actor rule names: {project}");
    assert!(project.contains("role: unit_official"), "{project}");
    assert!(project.contains("environment: production"), "{project}");
    let check = repo.defter(&["validate", "--as-of", "2026-11-30", "--base", &base]);
    assert!(check.status.success(), "validate --base: {}{}", stdout(&check), stderr(&check));
}

#[test]
fn step_refuses_and_writes_nothing() {
    let (repo, _) = repo();
    let before = repo.read(REQUEST);
    let typo = step_as(&repo, "burak.yildiz", &["TLP-2026-0002", "asign", "--to", "elif.kara"]);
    assert!(refused(&typo).contains("unknown action `asign`; did you mean `assign`?"), "{}", stderr(&typo));
    let id = step_as(&repo, "burak.yildiz", &["TLP-2026-002", "assign", "--to", "elif.kara"]);
    assert!(refused(&id).contains("did you mean `TLP-2026-0002`?"), "{}", stderr(&id));
    let wrong = step_as(&repo, "burak.yildiz", &["TLP-2026-0002", "close"]);
    assert!(refused(&wrong).contains("not a step TLP-2026-0002 allows in its state `new`"), "{}", stderr(&wrong));
    let missing = step_as(&repo, "burak.yildiz", &["TLP-2026-0002", "assign"]);
    assert!(refused(&missing).contains("--to …  Görevli"), "{}", stderr(&missing));
    let bad = step_as(&repo, "burak.yildiz", &["TLP-2026-0002", "assign", "--to", "nobody.here"]);
    assert!(stdout(&bad).contains("dangling-ref"), "a value the rules refuse: {}", stdout(&bad));
    assert!(refused(&bad).contains("would not be valid"));
    let left = step_as(&repo, "burak.yildiz", &["TLP-2026-0002", "assign", "--to", "volkan.acar"]);
    assert!(stdout(&left).contains("inactive-person"), "{}", stdout(&left));
    assert_eq!(repo.read(REQUEST), before, "nothing was written");

    // Several records: all or nothing (the request cannot be reviewed).
    let grant = repo.read(GRANT);
    let both = step_as(&repo, "selin.aydin", &["YTK-2026-0002", "TLP-2026-0002", "approve"]);
    refused(&both);
    assert_eq!((repo.read(GRANT), repo.read(REQUEST)), (grant, before.clone()));

    // A read-only file.
    let path = repo.path().join(REQUEST);
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions.clone()).unwrap();
    let ro = step_as(&repo, "burak.yildiz", &["TLP-2026-0002", "assign", "--to", "elif.kara"]);
    assert!(refused(&ro).contains("is read-only; nothing was written"), "{}", stderr(&ro));
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&path, permissions).unwrap();
    assert_eq!(repo.read(REQUEST), before);

    // Other changes staged: --commit refuses before writing.
    let mut repo = repo;
    repo.write(
        "records/inventory/application/app-bbys-zabita.yaml",
        &format!("{}# not\n", repo.read("records/inventory/application/app-bbys-zabita.yaml")),
    );
    repo.git(&["add", "-A"]);
    let staged = step_as(&repo, "burak.yildiz", &["TLP-2026-0002", "assign", "--to", "elif.kara", "--commit"]);
    assert!(refused(&staged).contains("other changes are staged"), "{}", stderr(&staged));
    assert_eq!(repo.read(REQUEST), before);
}

#[test]
fn step_refuses_a_record_already_invalid_unless_the_step_repairs_it() {
    let (mut repo, _) = repo();
    // Assigned with no assignee: invalid; assigning again (`reassign --to`) repairs it.
    repo.edit(REQUEST, "status: new\n", "status: assigned\n");
    repo.edit(
        REQUEST,
        "note: \"İntranet üzerinden\" }\n",
        "note: \"İntranet üzerinden\" }\n  - { date: 2026-11-30, by: burak.yildiz, status: assigned }\n",
    );
    let start = step_as(&repo, "elif.kara", &["TLP-2026-0002", "cancel", "--reason", "x"]);
    assert!(refused(&start).contains("may not cancel"), "{}", stderr(&start));
    let before = repo.read(REQUEST);
    let bad = step_as(
        &repo,
        "burak.yildiz",
        &["TLP-2026-0002", "cancel", "--reason", "Mükerrer", "--set", "cancellation.note=x"],
    );
    assert!(refused(&bad).contains("already invalid"), "{}", stderr(&bad));
    assert_eq!(repo.read(REQUEST), before);
    ok(step_as(&repo, "burak.yildiz", &["TLP-2026-0002", "reassign", "--to", "elif.kara"]));
    let check = repo.defter(&["validate", "--as-of", "2026-11-30"]);
    assert!(check.status.success(), "{}", stdout(&check));
}

/// `defter step ARGS…` on a pseudo-terminal (util-linux `script`), as `person`: each
/// `(wait, keys)` waits until the screen shows `wait`, then types `keys`. The screen
/// (everything the program drew) once it exits.
fn step_on_terminal(repo: &GitRepo, person: &str, args: &[&str], keys: &[(&str, &str)]) -> String {
    use std::io::{Read, Write};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    // The guided mode as Turkish staff see it.
    let mut command = format!("'{}' --repo '{}' --lang tr step", env!("CARGO_BIN_EXE_defter"), repo.path().display());
    for arg in args.iter().chain(&["--as-of", "2026-11-30", "--by", person]) {
        command.push_str(&format!(" '{arg}'"));
    }
    let mut child = Command::new("script")
        .args(["-qefc", &command, "/dev/null"])
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    let screen = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let (screen, mut out) = (Arc::clone(&screen), child.stdout.take().unwrap());
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                screen.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        })
    };
    let mut input = child.stdin.take().unwrap();
    let shown = |screen: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&screen.lock().unwrap()).into_owned();
    for (wait, typed) in keys {
        let start = Instant::now();
        while !shown(&screen).contains(wait) {
            assert!(start.elapsed() < Duration::from_secs(20), "no {wait:?} on the screen:\n{}", shown(&screen));
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(200));
        input.write_all(typed.as_bytes()).unwrap();
        input.flush().unwrap();
    }
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("defter did not finish:\n{}", shown(&screen));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(input);
    reader.join().unwrap();
    assert!(status.success(), "{status}:\n{}", shown(&screen));
    shown(&screen)
}

#[test]
fn step_on_a_terminal_asks_for_the_step_and_its_fields_then_writes_it() {
    let (repo, _) = repo();
    // The first step the user may take (assign) is chosen; its one field is asked for
    // with the schema's Turkish description.
    let screen = step_on_terminal(
        &repo,
        "burak.yildiz",
        &["TLP-2026-0002"],
        &[("hangi adım", "\r"), ("Görevli: Talebe atanan kişi", "elif.kara\r")],
    );
    assert!(screen.contains("assign (ata) → assigned — siz atabilirsiniz"), "{screen}");
    assert!(screen.contains("defter step TLP-2026-0002 assign --to elif.kara"), "the command it stands for: {screen}");
    assert!(screen.contains("TLP-2026-0002: atandı → elif.kara"), "{screen}");
    let text = repo.read(REQUEST);
    assert!(text.contains("service: yazilim-gelistirme-servisi\nassignee: elif.kara\nstatus: assigned\n"), "{text}");
    assert!(text.contains("  - { date: 2026-11-30, by: burak.yildiz, status: assigned }\n"), "{text}");
    let check = repo.defter(&["validate", "--as-of", "2026-11-30"]);
    assert!(check.status.success(), "{}", stdout(&check));
}

#[test]
fn step_on_a_terminal_offers_allowed_values_to_choose_from() {
    let (repo, _) = repo();
    ok(step_as(&repo, "selin.aydin", &["YTK-2026-0002", "onayla"]));
    ok(step_as(&repo, "oguz.koc", &["YTK-2026-0002", "grant"]));
    // The cursor starts on the first step the user may take: move down (j) to review.
    let listed = ok(step_as(&repo, "ayse.yilmaz", &["YTK-2026-0002"]));
    let steps: Vec<&str> = listed.lines().filter(|l| l.starts_with("  ") && !l.starts_with("      ")).collect();
    let review = steps.iter().position(|l| l.starts_with("  review")).expect("review is offered");
    let first = steps.iter().position(|l| l.ends_with("you may")).expect("ayse.yilmaz may review");
    let keys = format!("{}\r", "j".repeat(review - first));
    let screen =
        step_on_terminal(&repo, "ayse.yilmaz", &["YTK-2026-0002"], &[("hangi adım", &keys), ("keep, reduce", "\r")]);
    assert!(screen.contains("reduce"), "the allowed values are offered: {screen}");
    let grant = repo.read(GRANT);
    assert!(grant.contains("reviews:\n  - { date: 2026-11-30, by: ayse.yilmaz, outcome: keep }\n"), "{grant}");
}

#[test]
fn step_never_asks_without_a_terminal_or_with_no_input() {
    let (repo, _) = repo();
    let before = repo.read(REQUEST);
    // No terminal: the listing, as always.
    let listed = ok(step_as(&repo, "burak.yildiz", &["TLP-2026-0002"]));
    assert!(listed.contains("assign (ata) → assigned — you may"), "{listed}");
    // A terminal, but --no-input: the same listing (in Turkish, as the terminal is
    // asked to speak), no prompt, nothing read.
    let listed = ok(step_as(&repo, "burak.yildiz", &["--lang", "tr", "TLP-2026-0002"]));
    assert!(listed.starts_with("TLP-2026-0002: Yeni (siz: burak.yildiz). Sonraki adımlar:\n"), "{listed}");
    assert!(listed.contains("  ata → Atandı — siz atabilirsiniz\n"), "{listed}");
    let screen = step_on_terminal(&repo, "burak.yildiz", &["TLP-2026-0002", "--no-input"], &[]);
    assert!(!screen.contains("hangi adım"), "{screen}");
    for line in listed.lines() {
        assert!(screen.contains(line), "{line:?} not in:\n{screen}");
    }
    assert_eq!(repo.read(REQUEST), before, "nothing written");
}

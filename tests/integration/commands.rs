//! The everyday commands: `init`, `new`, `explain`, `report`, `codeowners`, and the
//! generated completions, manual page and help. Golden files live in tests/fixtures/cmd/
//! (`BLESS=1 cargo test` rewrites them; review the diff like code).

use std::path::Path;
use std::process::{Command, Output};

use defter::diag::Rule;

use crate::harness::{AS_OF, GitRepo, Repo, defter, findings, fixtures, stderr, stdout};

/// Compares `got` with the golden file tests/fixtures/cmd/`name` (rewritten with BLESS=1).
fn golden(name: &str, got: &str) {
    let path = fixtures().join("cmd").join(name);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no golden file {}", path.display()));
    assert_eq!(got, want, "output differs from {} (BLESS=1 rewrites it)", path.display());
}

/// Runs `defter ARGS…` in `dir` without `--repo`.
fn defter_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_defter")).current_dir(dir).args(args).env("NO_COLOR", "1").output().unwrap()
}

#[test]
fn init_makes_a_repository_that_validates_clean() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("kayitlar");
    let output = defter_in(dir.path(), &["init", "kayitlar", "--as-of", AS_OF]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for file in [
        "defter.toml",
        "CODEOWNERS",
        ".github/workflows/records.yml",
        ".github/workflows/notify.yml",
        ".github/pull_request_template.md",
        ".pre-commit-config.yaml",
        ".vscode/settings.json",
        "schemas/workflows.yaml",
        "records/requests/2026/TLP-2026-0001.md",
        "records/grants/2026/YTK-2026-0001.yaml",
        "records/projects/PRJ-0001/index.md",
        "records/inventory/continuity_plan/bcp-bbys.yaml",
    ] {
        assert!(repo.join(file).is_file(), "init wrote no {file}");
    }
    let output = defter(&repo, &["validate", "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(findings(&output), Vec::<String>::new());
    assert_eq!(output.status.code(), Some(0));
    // CI downloads this very version of defter (workflows.rs runs the step).
    let workflow = std::fs::read_to_string(repo.join(".github/workflows/records.yml")).unwrap();
    assert!(defter::load::yaml::parse(&workflow, 0).is_ok(), "the workflow is YAML");
    assert!(workflow.contains(&format!("DEFTER_VERSION: \"{}\"\n", env!("CARGO_PKG_VERSION"))), "{workflow}");
    // The example records are dated around the day of `init`: clean on that day, whenever it is.
    let today = dir.path().join("today");
    assert_eq!(defter_in(dir.path(), &["init", "today"]).status.code(), Some(0));
    assert_eq!(findings(&defter(&today, &["validate", "--format", "json"])), Vec::<String>::new());
}

#[test]
fn init_refuses_to_overwrite_and_names_the_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("defter.toml"), "# mine\n").unwrap();
    // Named, the folder may hold other things; only the files init writes are in the way.
    let output = defter_in(dir.path(), &["init", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("already has 1 of the files defter init writes"), "{}", stderr(&output));
    assert!(stderr(&output).contains("defter.toml"), "{}", stderr(&output));
    assert!(!dir.path().join("records").exists(), "nothing is written when a file is in the way");
    assert_eq!(std::fs::read_to_string(dir.path().join("defter.toml")).unwrap(), "# mine\n");
}

#[test]
fn init_copies_the_site_templates_on_request() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(defter_in(dir.path(), &["init", "--templates", "--as-of", AS_OF]).status.code(), Some(0));
    for (name, _) in defter::site::templates::DEFAULTS {
        assert!(dir.path().join("site-templates").join(name).is_file(), "{name}");
    }
}

/// A git repository of the clean fixture where git's user.email is Elif Kara's.
fn repo_as_elif() -> GitRepo {
    let mut repo = GitRepo::new();
    repo.commit_as("selin.aydin", "Kayıtlar");
    repo.git(&["config", "user.email", "elif.kara@izmir.bel.tr"]);
    repo
}

/// `defter new ARGS… --as-of AS_OF` in the repository; the author comes from git's
/// configuration, not from the environment the tests run in.
fn new(repo: &GitRepo, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_defter"))
        .arg("--repo")
        .arg(repo.path())
        .arg("new")
        .args(args)
        .args(["--as-of", AS_OF])
        .env("NO_COLOR", "1")
        .env_remove("GIT_AUTHOR_EMAIL")
        .output()
        .unwrap()
}

#[test]
fn new_request_takes_the_next_id_and_is_valid() {
    let repo = repo_as_elif();
    let output =
        new(&repo, &["request", "--title", "Ruhsat sorgusu: hata", "--unit", "zabita-dairesi", "--type", "defect"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "records/requests/2026/TLP-2026-0002.md\n");
    assert!(stderr(&output).contains("duplicate-id"), "new says how to renumber: {}", stderr(&output));
    golden("new-request.md", &repo.read("records/requests/2026/TLP-2026-0002.md"));
    assert_eq!(findings(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"])), Vec::<String>::new());

    // Values by their Turkish labels, as staff read them: written as the values they label.
    let output = new(
        &repo,
        &[
            "request",
            "--title",
            "İkinci",
            "--unit",
            "zabita-dairesi",
            "--type",
            "Değişiklik",
            "--priority",
            "YÜKSEK",
            "-q",
        ],
    );
    assert_eq!(stdout(&output), "records/requests/2026/TLP-2026-0003.md\n");
    assert_eq!(stderr(&output), "", "--quiet keeps stderr empty");
    let second = repo.read("records/requests/2026/TLP-2026-0003.md");
    assert!(second.contains("\ntype: change\n") && second.contains("\npriority: high\n"), "{second}");
    let output = repo.defter(&[
        "new",
        "request",
        "--title",
        "Yeni yıl",
        "--unit",
        "zabita-dairesi",
        "--type",
        "change",
        "--as-of",
        "2027-01-04",
    ]);
    assert_eq!(stdout(&output), "records/requests/2027/TLP-2027-0001.md\n");
}

#[test]
fn new_grant_and_project_are_valid_from_the_start() {
    let repo = repo_as_elif();
    let output = new(&repo, &["grant", "--grantee", "zeynep.arslan", "--system", "app-bbys-zabita", "--role", "Okuma"]);
    assert_eq!(stdout(&output), "records/grants/2026/YTK-2026-0002.yaml\n", "{}", stderr(&output));
    golden("new-grant.yaml", &repo.read("records/grants/2026/YTK-2026-0002.yaml"));
    let output =
        new(&repo, &["project", "--title", "Saha raporları", "--kind", "mobile", "--owner-unit", "zabita-dairesi"]);
    assert_eq!(stdout(&output), "records/projects/PRJ-0002/index.md\n", "{}", stderr(&output));
    assert!(repo.read("records/projects/PRJ-0002/index.md").contains("by: elif.kara, status: proposed"));
    assert_eq!(findings(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"])), Vec::<String>::new());
}

#[test]
fn new_refuses_what_would_not_validate_and_says_what_is_missing() {
    let repo = repo_as_elif();
    let output = new(&repo, &["request", "--title", "x", "--unit", "zabita-dairesi", "--type", "defekt"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("error[schema]: `type`: `defekt` is not an allowed value; did you mean `defect`?"),
        "{}",
        stdout(&output)
    );
    assert!(!repo.path().join("records/requests/2026/TLP-2026-0002.md").exists(), "nothing written");

    let output = new(&repo, &["request", "--title", "x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--type <TYPE>") && stderr(&output).contains("--unit <UNIT>"),
        "{}",
        stderr(&output)
    );
    let output = new(
        &repo,
        &["request", "--title", "x", "--unit", "zabita-dairesi", "--type", "change", "--source", "official_letter"],
    );
    assert!(stderr(&output).contains("needs --letter-number and --letter-date"), "{}", stderr(&output));

    repo.git(&["config", "user.email", "someone@example.org"]);
    let output = new(&repo, &["request", "--title", "x", "--unit", "zabita-dairesi", "--type", "change"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no person has your git e-mail `someone@example.org`"), "{}", stderr(&output));
    let output = new(
        &repo,
        &["request", "--title", "x", "--unit", "zabita-dairesi", "--type", "change", "--by", "burak.yildiz"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn new_makes_people_units_sections_and_every_inventory_type_valid() {
    let repo = repo_as_elif();
    let output = new(
        &repo,
        &["person", "--name", "İsmail Çağrı Öztürk", "--unit", "yazilim-destek-servisi", "--role", "staff"]
            .iter()
            .chain(&["--email", "ismail.ozturk@izmir.bel.tr", "--title", "Destek Uzmanı"])
            .copied()
            .collect::<Vec<_>>(),
    );
    assert_eq!(stdout(&output), "records/org/people/ismail.cagri.ozturk.yaml\n", "{}", stderr(&output));
    assert_eq!(stderr(&output), "", "no renumbering note for records named, not numbered");
    golden("new-person.yaml", &repo.read("records/org/people/ismail.cagri.ozturk.yaml"));

    let output = new(
        &repo,
        &[
            "unit",
            "--name",
            "Kültür ve Sanat Dairesi Başkanlığı",
            "--type",
            "department",
            "--head",
            "ismail.cagri.ozturk",
        ],
    );
    assert_eq!(stdout(&output), "records/org/units/kultur-ve-sanat-dairesi-baskanligi.yaml\n", "{}", stderr(&output));
    golden("new-unit.yaml", &repo.read("records/org/units/kultur-ve-sanat-dairesi-baskanligi.yaml"));

    let output = new(
        &repo,
        &[
            "section",
            "--project",
            "PRJ-0001",
            "--title",
            "Test planı",
            "--section",
            "test",
            "--description",
            "## Senaryolar",
        ],
    );
    assert_eq!(stdout(&output), "records/projects/PRJ-0001/test-plani.md\n", "{}", stderr(&output));
    golden("new-section.md", &repo.read("records/projects/PRJ-0001/test-plani.md"));

    // Each inventory type, with the fields its schema requires; references between them.
    let items: &[(&str, &str, &[&str])] = &[
        (
            "server",
            "Uygulama sunucusu 2",
            &["hostname=app02.izmir.local", "os=Windows Server 2022", "environment=production"],
        ),
        (
            "repository",
            "Kültür etkinlik",
            &["url=https://git.izmir.local/kultur", "access=[{person: elif.kara, level: write}]"],
        ),
        (
            "application",
            "Kültür etkinlik",
            &[
                "service=yazilim-gelistirme-servisi",
                "business_unit=zabita-dairesi",
                "servers=[srv-uygulama-sunucusu-2]",
                "criticality=2",
                "repository=repo-kultur-etkinlik",
            ],
        ),
        (
            "domain",
            "kultur.izmir.bel.tr",
            &["registrar=TRABİS", "registered=2020-01-01", "expires=2027-06-01", "auto_renew=true"],
        ),
        (
            "certificate",
            "kultur.izmir.bel.tr",
            &[
                "common_name=kultur.izmir.bel.tr",
                "sans=[kultur.izmir.bel.tr]",
                "issuer=Örnek SM",
                "not_before=2026-01-01",
                "not_after=2027-06-01",
                "used_by=[app-kultur-etkinlik]",
            ],
        ),
        (
            "website",
            "Kültür",
            &[
                "url=https://kultur.izmir.bel.tr",
                "application=app-kultur-etkinlik",
                "server=srv-uygulama-sunucusu-2",
                "domain=dom-kultur-izmir-bel-tr",
                "certificate=crt-kultur-izmir-bel-tr",
            ],
        ),
        ("account", "svc_kultur", &["system=app-kultur-etkinlik", "kind=service", "holder=elif.kara"]),
        ("webservice-client", "İZSU mobil", &["consumer=zabita-dairesi", "services=[Kultur/v1]", "permissions=[oku]"]),
        (
            "asset",
            "Dizüstü 7",
            &["tag=DMB-0007", "category=Dizüstü bilgisayar", "custodian=elif.kara", "location=Konak"],
        ),
        (
            "continuity-plan",
            "Kültür sürekliliği",
            &[
                "systems=[app-kultur-etkinlik]",
                "rto=8h",
                "rpo=4h",
                "test_interval=365",
                "tests=[{date: 2026-10-01, result: pass, by: elif.kara}]",
            ],
        ),
    ];
    for (kind, name, fields) in items {
        let mut args = vec![*kind, "--name", name, "--classification", "internal"];
        for field in *fields {
            args.extend(["--set", field]);
        }
        let output = new(&repo, &args);
        assert_eq!(output.status.code(), Some(0), "new {kind}: {}", stderr(&output));
        let path = stdout(&output);
        assert!(path.starts_with(&format!("records/inventory/{}/", kind.replace('-', "_"))), "{path}");
        let text = repo.read(path.trim_end());
        assert!(text.contains(&format!("type: {}\n", kind.replace('-', "_"))), "{text}");
        assert!(text.contains("owner: yazilim-gelistirme-servisi\n"), "the owner is the author's unit: {text}");
    }
    golden("new-account.yaml", &repo.read("records/inventory/account/acc-svc-kultur.yaml"));
    assert_eq!(findings(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"])), Vec::<String>::new());
}

#[test]
fn new_makes_every_register_valid_numbered_in_its_year_folder() {
    let repo = repo_as_elif();
    // (kind, title, fields, extra flags, path written)
    type Register<'a> = (&'a str, &'a str, &'a [&'a str], &'a [&'a str], &'a str);
    let registers: &[Register] = &[
        (
            "incident",
            "Şüpheli oturum açma",
            &["systems=[app-bbys-zabita]"],
            &[],
            "records/incidents/2026/OLY-2026-0001.md",
        ),
        ("incident", "Kiosk USB", &[], &[], "records/incidents/2026/OLY-2026-0002.md"),
        (
            "vulnerability",
            "Eski TLS sürümü",
            &["system=app-bbys-zabita", "severity=high", "test={name: 2026 sızma testi}"],
            &[],
            "records/vulnerabilities/2026/ACK-2026-0001.yaml",
        ),
        ("audit", "Erişim denetimi", &["scope=Yetkiler"], &[], "records/audits/2026/DNT-2026-0001.md"),
        // The chief identifies a training need (M7(1)(n)).
        (
            "training",
            "Güvenli kodlama",
            &["audience=staff"],
            &["--by", "burak.yildiz"],
            "records/trainings/2026/EGT-2026-0001.yaml",
        ),
        ("procurement", "Kod analizi lisansı", &["type=services"], &[], "records/procurements/2026/SAT-2026-0001.md"),
        (
            "maintenance",
            "Güvenlik güncellemeleri",
            &["type=update", "systems=[app-bbys-zabita]"],
            &[],
            "records/maintenance/2026/BKM-2026-0001.yaml",
        ),
        ("decision", "USB girişleri", &["type=decision"], &[], "records/committee/2026/KRR-2026-0001.md"),
        (
            "bgys-document",
            "Erişim yönetimi prosedürü",
            &["type=procedure"],
            &[],
            "records/bgys/bgys-erisim-yonetimi-proseduru.md",
        ),
    ];
    for (kind, title, fields, flags, path) in registers {
        let mut args = vec![*kind, "--title", title];
        for field in *fields {
            args.extend(["--set", field]);
        }
        args.extend(*flags);
        let output = new(&repo, &args);
        assert_eq!(stdout(&output), format!("{path}\n"), "new {kind}: {}", stderr(&output));
    }
    golden("new-incident.md", &repo.read("records/incidents/2026/OLY-2026-0001.md"));
    golden("new-vulnerability.yaml", &repo.read("records/vulnerabilities/2026/ACK-2026-0001.yaml"));
    assert_eq!(findings(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"])), Vec::<String>::new());

    // A staff member does not identify the service's training needs: nothing is written.
    let output = new(&repo, &["training", "--title", "Docker", "--set", "audience=staff"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).contains("unauthorized-actor"), "{}", stdout(&output));
    assert!(!repo.path().join("records/trainings/2026/EGT-2026-0002.yaml").exists());
    // Numbered registers take the next number, never one typed.
    let output = new(&repo, &["audit", "--title", "X", "--set", "scope=Y", "--id", "DNT-2026-0009"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("takes the next free number"), "{}", stderr(&output));
    // What a vulnerability still needs is named, with its values.
    let output = new(&repo, &["vulnerability", "--title", "X"]);
    let err = stderr(&output);
    assert!(
        err.contains("--set system=…") && err.contains("--set severity=…") && err.contains("critical, high"),
        "{err}"
    );
}

#[test]
fn new_names_the_fields_still_missing_and_refuses_taken_ids() {
    let repo = repo_as_elif();
    let output = new(&repo, &["server", "--name", "Uygulama sunucusu 3", "--set", "hostname=app03"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("a new server needs these fields too"), "{err}");
    assert!(err.contains("--set os=…") && err.contains("--set environment=…"), "{err}");
    assert!(!err.contains("--set hostname"), "hostname was given: {err}");
    assert!(err.contains("(production, "), "the allowed values are listed: {err}");
    assert!(!repo.path().join("records/inventory/server/srv-uygulama-sunucusu-3.yaml").exists());

    let output = new(
        &repo,
        &["person", "--name", "Elif Kara", "--unit", "zabita-dairesi", "--role", "staff", "--email", "e@izmir.bel.tr"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`elif.kara` is taken (records/org/people/elif.kara.yaml): pass --id"),
        "{}",
        stderr(&output)
    );

    let set = |value: &str| new(&repo, &["asset", "--name", "X", "--set", value]);
    assert!(stderr(&set("notes=a: b")).contains("quote it: --set 'notes=\"…\"'"), "a value cannot add a field");
    assert!(stderr(&set("status=retired")).contains("has its own flag"));
    assert!(stderr(&set("id=ast-y")).contains("use --id"));
    assert!(stderr(&set("Notes=x")).contains("is not a field name"));
    let output = new(
        &repo,
        &["request", "--title", "x", "--unit", "zabita-dairesi", "--type", "change", "--set", "due=2027-01-01"],
    );
    assert!(stderr(&output).contains("`due` is set by a flag of its own"), "{}", stderr(&output));
    let output =
        new(&repo, &["request", "--title", "x", "--unit", "zabita-dairesi", "--type", "change", "--set", "system=[a]"]);
    assert!(stderr(&output).contains("`system` is set by a flag"), "{}", stderr(&output));
    let output = new(&repo, &["section", "--project", "PRJ-0009", "--title", "x"]);
    assert!(stderr(&output).contains("--project PRJ-0009: no project has that id"), "{}", stderr(&output));

    // Each field once, and a field with a flag only through it, given or not.
    let output = new(&repo, &["asset", "--name", "X", "--set", "notes=a", "--set", "notes=b"]);
    assert!(stderr(&output).contains("--set notes: given more than once"), "{}", stderr(&output));
    let output = new(&repo, &["unit", "--name", "Yeni Birim", "--type", "department", "--set", "parent=belediye"]);
    assert!(stderr(&output).contains("has its own flag, --parent"), "{}", stderr(&output));
    let output = new(&repo, &["asset", "--name", "X", "--set", "owner=zabita-dairesi"]);
    assert!(stderr(&output).contains("has its own flag, --owner"), "a defaulted flag too: {}", stderr(&output));
    let person = ["person", "--name", "Yeni Kişi", "--unit", "zabita-dairesi", "--role", "staff", "--email", "y@x.tr"];
    let output = new(&repo, &[&person[..], &["--set", "roles=[staff]"]].concat());
    assert!(stderr(&output).contains("has its own flag, --role "), "{}", stderr(&output));

    // --set on a request lands before its history and the record is valid.
    let output = new(
        &repo,
        &[
            "request",
            "--title",
            "Yeni rapor",
            "--unit",
            "zabita-dairesi",
            "--type",
            "change",
            "--set",
            "tags=[rapor, zabıta]",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = repo.read(stdout(&output).trim_end());
    let (tags, history) = (text.find("tags: [rapor, zabıta]\n"), text.find("history:"));
    assert!(tags.is_some() && tags < history, "{text}");
    assert_eq!(findings(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"])), Vec::<String>::new());
}

#[test]
fn new_refuses_an_id_that_is_not_a_plain_file_name() {
    let repo = repo_as_elif();
    let before = repo.git(&["status", "--porcelain", "--untracked-files=all"]);
    for id in ["../../../escaped", "ast-x\nowner: someone", "ast-x/y", "AST-X", "ast..x"] {
        let output = new(&repo, &["asset", "--name", "X", "--id", id]);
        assert_eq!(output.status.code(), Some(2), "--id {id:?}");
        assert!(stderr(&output).contains("so that it is a safe file name"), "{}", stderr(&output));
    }
    assert_eq!(repo.git(&["status", "--porcelain", "--untracked-files=all"]), before, "nothing was written");
    // Where `records/inventory/asset/../../../escaped.yaml` would have landed.
    assert!(!repo.path().join("escaped.yaml").exists());
}

#[test]
fn explain_prints_the_rules_section() {
    let output = defter(Path::new("."), &["--lang", "en", "explain", "separation-of-duties"]);
    assert_eq!(output.status.code(), Some(0));
    golden("explain-separation-of-duties.txt", &stdout(&output));
    let list = stdout(&defter(Path::new("."), &["explain"]));
    assert_eq!(list.lines().count(), Rule::ALL.len(), "{list}");
    for rule in Rule::ALL {
        let text = stdout(&defter(Path::new("."), &["explain", rule.id()]));
        assert!(text.contains("**Bad") && text.contains("**Fixed"), "{rule}: {text}");
    }
    assert_eq!(defter(Path::new("."), &["explain", "no-such-rule"]).status.code(), Some(2));
}

#[test]
fn every_help_line_names_defter_explain() {
    let repo = Repo::with_overlays(&[&fixtures().join("rules/separation-of-duties")]);
    let text = stdout(&repo.defter(&["validate", "--as-of", AS_OF]));
    assert!(
        text.contains(
            "help: another person must take one of the two duties (see `defter explain separation-of-duties`)"
        ),
        "{text}"
    );
    let json = stdout(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]));
    assert!(json.contains("(see `defter explain separation-of-duties`)"), "{json}");
}

/// The base organisation, the clean fixture and a few open requests and a project.
fn report_repo() -> Repo {
    Repo::with_overlays(&[&fixtures().join("good"), &fixtures().join("cmd/reports")])
}

#[test]
fn reports_golden() {
    let repo = report_repo();
    for (name, extra) in [
        ("open-requests", &[][..]),
        ("workload", &[][..]),
        ("reviews-due", &["--within", "180d"][..]),
        ("expiring", &["--within", "90"][..]),
        ("kpis", &["--months", "6"][..]),
    ] {
        let mut args = vec!["report", name, "--as-of", AS_OF];
        args.extend(extra);
        let output = repo.defter(&args);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
        golden(&format!("report-{name}.txt"), &stdout(&output));
    }
    let json = stdout(&repo.defter(&["report", "workload", "--as-of", AS_OF, "--format", "json"]));
    golden("report-workload.json", &json);
    let csv = stdout(&repo.defter(&["report", "open-requests", "--as-of", AS_OF, "--format", "csv"]));
    assert!(csv.starts_with("service,name,new,assigned,in_progress,testing,open,overdue\n"), "{csv}");
    let markdown =
        stdout(&repo.defter(&["report", "expiring", "--as-of", AS_OF, "--within", "90d", "--format", "markdown"]));
    assert!(markdown.starts_with("| ends | days | id | name | what |\n|---|---|---|---|---|\n"), "{markdown}");
    assert_eq!(repo.defter(&["report", "nope"]).status.code(), Some(2));
}

#[test]
fn workload_counts_an_analyst_who_also_develops_once() {
    let repo = report_repo();
    let path = "records/projects/PRJ-0002/index.md";
    let text = std::fs::read_to_string(repo.path().join(path)).unwrap();
    repo.write(path, &text.replace("developers: [elif.kara]", "developers: [elif.kara, zeynep.arslan]"));
    let json = stdout(&repo.defter(&["report", "workload", "--as-of", AS_OF, "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let zeynep = json["data"].as_array().unwrap().iter().find(|p| p["person"] == "zeynep.arslan").expect("zeynep");
    assert_eq!(zeynep["open_projects"], 1, "{zeynep}");
    let roles: Vec<&str> = zeynep["items"].as_array().unwrap().iter().map(|i| i["role"].as_str().unwrap()).collect();
    assert_eq!(roles.iter().filter(|r| **r != "assignee").collect::<Vec<_>>(), [&"analyst"], "{zeynep}");
}

#[test]
fn codeowners_follows_the_organisation() {
    let repo = Repo::with_overlays(&[]);
    golden("codeowners-base.txt", &stdout(&repo.defter(&["codeowners", "--stdout"])));
    assert_eq!(repo.defter(&["codeowners", "--check"]).status.code(), Some(1), "no file yet");
    assert_eq!(stdout(&repo.defter(&["codeowners"])), "CODEOWNERS\n");
    assert_eq!(repo.defter(&["codeowners", "--check"]).status.code(), Some(0));
    assert_eq!(findings(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"])), Vec::<String>::new());

    // Elif leaves: she no longer owns the projects, and the committed file is stale.
    let person = repo.path().join("records/org/people/elif.kara.yaml");
    let text = std::fs::read_to_string(&person).unwrap().replace("active: true", "active: false\nleft_on: 2026-11-01");
    repo.write("records/org/people/elif.kara.yaml", &text);
    let output = repo.defter(&["codeowners", "--check"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).starts_with("CODEOWNERS:12: CODEOWNERS is stale"), "{}", stdout(&output));
    let got = findings(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]));
    assert_eq!(got, vec!["codeowners-stale CODEOWNERS:12:1".to_string()]);
}

#[test]
fn completions_man_page_and_help_come_from_the_cli() {
    let dot = Path::new(".");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = defter(dot, &["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        assert!(stdout(&output).contains("codeowners"), "{shell} completes the commands");
    }
    let man = stdout(&defter(dot, &["man"]));
    assert!(man.starts_with(".ie") || man.contains(".TH defter"), "{}", &man[..200.min(man.len())]);
    let out = tempfile::tempdir().unwrap();
    assert_eq!(defter(dot, &["man", "--out", out.path().to_str().unwrap()]).status.code(), Some(0));
    assert!(out.path().join("defter.1").is_file() && out.path().join("defter-report.1").is_file());
    for command in ["validate", "log", "explain", "init", "new", "report", "codeowners"] {
        let help = stdout(&defter(dot, &[command, "--help"]));
        assert!(help.contains("Examples:"), "`defter {command} --help` shows examples");
    }
}

/// A repository of more than 500 records (long enough for progress bars) with one
/// finding.
fn long_repo() -> Repo {
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    for n in 0..600 {
        repo.write(
            &format!("records/org/units/birim-{n}.yaml"),
            &format!("id: birim-{n}\nname: Birim {n}\ntype: unit\n"),
        );
    }
    repo.write("records/org/units/birim-0.yaml", "id: birim-0\nname: Birim 0\ntype: unit\nrenk: mavi\n");
    repo
}

/// What a person at a terminal sees from `defter ARGS…` (run under a pseudo-terminal by
/// util-linux `script`): stdout and stderr together.
fn on_a_terminal(repo: &Path, args: &str, no_color: bool) -> String {
    let line = format!("'{}' --repo '{}' {args}", env!("CARGO_BIN_EXE_defter"), repo.display());
    let mut command = Command::new("script");
    command.args(["-qec", &line, "/dev/null"]).env("TERM", "xterm-256color").env_remove("NO_COLOR");
    if no_color {
        command.env("NO_COLOR", "1");
    }
    String::from_utf8_lossy(&command.output().expect("util-linux `script` runs").stdout).into_owned()
}

/// An SGR escape (colour, bold): `ESC [ … m`.
fn has_colour(text: &str) -> bool {
    text.split("\x1b[").skip(1).any(|rest| {
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ';'));
        end.is_some_and(|i| rest[i..].starts_with('m'))
    })
}

#[test]
fn colour_and_progress_only_on_a_terminal_and_never_with_no_color() {
    let repo = long_repo();
    let args = format!("validate --as-of {AS_OF}");
    let seen = on_a_terminal(repo.path(), &args, false);
    assert!(seen.contains("error[schema]"), "{seen}");
    assert!(has_colour(&seen), "findings are coloured on a terminal: {seen:?}");
    assert!(seen.contains("loading [") && seen.contains("checking ["), "a bar per long phase: {seen:?}");

    let seen = on_a_terminal(repo.path(), &args, true);
    assert!(seen.contains("error[schema]"), "{seen}");
    assert!(!has_colour(&seen), "NO_COLOR turns colour off: {seen:?}");
    assert!(seen.contains("loading ["), "NO_COLOR keeps the bars (they are not colour)");

    let seen = on_a_terminal(repo.path(), &format!("{args} --quiet"), false);
    assert!(seen.contains("error[schema]") && !seen.contains("loading ["), "--quiet draws no bars: {seen:?}");

    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    let seen = on_a_terminal(repo.path(), &format!("build --as-of {AS_OF} --out '{}'", out.display()), false);
    assert!(seen.contains("rendering ["), "build draws bars too: {seen:?}");

    // Not a terminal: no colour, no bars, whatever NO_COLOR says.
    let output = Command::new(env!("CARGO_BIN_EXE_defter"))
        .args(["--repo", repo.path().to_str().unwrap(), "validate", "--as-of", AS_OF])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(stdout(&output).contains("error[schema]"));
    assert!(!stdout(&output).contains('\x1b') && stderr(&output).is_empty(), "{:?}", stderr(&output));
}

#[test]
fn verbose_says_what_each_phase_took() {
    let repo = long_repo();
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--verbose"]);
    let err = stderr(&output);
    for phase in ["loading ", "checking "] {
        let line = err.lines().find(|l| l.starts_with(phase)).unwrap_or_else(|| panic!("no `{phase}…` in {err}"));
        assert!(line.ends_with(" ms"), "{line}");
    }
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    let output = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap(), "-v"]);
    let err = stderr(&output);
    // A build's phases, each timed, in the order they run.
    let phases = ["loading", "checking", "history:", "redaction:", "indexes:", "keys:", "rendering"];
    let said: Vec<&str> =
        err.lines().filter(|l| phases.iter().any(|p| l.starts_with(p)) && l.ends_with(" ms")).collect();
    assert_eq!(said.len(), phases.len(), "{err}");
    for (line, phase) in said.iter().zip(phases) {
        assert!(line.starts_with(phase), "{phase}… where {line} is: {err}");
    }
    let output = repo.defter(&["validate", "--as-of", AS_OF]);
    assert!(stderr(&output).is_empty(), "without --verbose, nothing on stderr: {}", stderr(&output));
}

/// `defter` on crates.io is another program: no document may install defter from there
/// (`cargo install defter` without `--git` or `--path`).
#[test]
fn no_document_installs_the_unrelated_crate_of_the_same_name() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md"), root.join("starter/.github/workflows/records.yml")];
    for dir in ["docs", "starter"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().map(Result::unwrap) {
            if entry.path().extension().is_some_and(|e| e == "md") {
                files.push(entry.path().to_path_buf());
            }
        }
    }
    let mut wrong = Vec::new();
    for file in &files {
        for (n, whole) in std::fs::read_to_string(file).unwrap().lines().enumerate() {
            // A shell comment after the command may name another way; the command decides.
            let line = whole.split(" #").next().unwrap_or_default();
            let installs = line.contains("cargo install") && line.split_whitespace().any(|w| w == "defter");
            if installs && !line.contains("--git") && !line.contains("--path") {
                wrong.push(format!("{}:{}: {whole}", file.display(), n + 1));
            }
        }
    }
    assert!(files.len() > 5, "the documents were found: {files:?}");
    assert!(wrong.is_empty(), "installs the crates.io `defter`, another program:\n{}", wrong.join("\n"));
}

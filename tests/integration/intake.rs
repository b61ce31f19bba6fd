//! `defter intake` (issue 29.4) on GitHub's and Gitea's `issues` event payloads — GitHub's
//! real ones, as octokit's `@octokit/webhooks-examples` publishes them, Gitea's built
//! field for field from its `api.IssuePayload` — their body replaced by what each forge
//! renders for a filled form (see `tests/fixtures/intake/README.md`), in real git
//! repositories of several authors; and the issue forms and workflow `init` writes.

use std::path::Path;
use std::process::Output;
use std::sync::OnceLock;

use serde_json::Value as Json;

use crate::harness::{AS_OF, GitRepo, fixtures, stdout};

/// The request GitHub's payload becomes: its issue was opened on 2019-05-15.
const PATH: &str = "records/requests/2019/TLP-2019-0001.md";
const BRANCH: &str = "talep/TLP-2019-0001";
/// The request Gitea's payload becomes: its issue was opened on 2026-11-05 in Turkey.
const GITEA_PATH: &str = "records/requests/2026/TLP-2026-0002.md";
const GITEA_BRANCH: &str = "talep/TLP-2026-0002";

/// A Gitea payload of `tests/fixtures/intake/`.
fn payload(name: &str) -> Json {
    serde_json::from_slice(&std::fs::read(fixtures().join("intake").join(name)).unwrap()).unwrap()
}

/// The body GitHub renders for the form filled in: `### Label`, a blank line and the
/// value, sections apart by a blank line, no newline after the last; a textarea's line
/// breaks as the browser sent them (CRLF).
const GITHUB_BODY: &str = "### Talep eden birim\n\nZabıta Dairesi Başkanlığı (zabita-dairesi)\n\n\
    ### Talep eden kişi\n\nmehmet.demir\n\n### Talep türü\n\nDeğişiklik\n\n\
    ### Açıklama\n\nDenetim raporuna **işletme adı** sütunu eklensin.\r\n\r\nSaha ekipleri raporu her sabah alıyor.\n\n\
    ### Resmi yazı sayısı\n\nE-12345678-010.06-991122\n\n### Resmi yazı tarihi\n\n14.05.2019";

/// GitHub's example payloads as `@octokit/webhooks-examples` (npm, MIT; a dependency of
/// `tests/e2e/package.json`) ships them: one entry per event, its examples as captured.
fn github_examples() -> &'static Json {
    static EXAMPLES: OnceLock<Json> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
        crate::e2e::install_node_modules(&e2e);
        let file = e2e.join("node_modules/@octokit/webhooks-examples/api.github.com/index.json");
        serde_json::from_slice(&std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))).unwrap()
    })
}

/// GitHub's example of `event` with `action`, on a user's repository (none of an
/// organisation, an app installation or an edit), verbatim.
fn github(event: &str, action: &str) -> Json {
    let events = github_examples().as_array().unwrap();
    let examples = events.iter().find(|e| e["name"] == event).unwrap()["examples"].as_array().unwrap();
    let plain = |x: &&Json| ["organization", "installation", "changes"].iter().all(|k| x.get(k).is_none());
    let found = examples.iter().filter(plain).find(|x| x["action"] == action && !x["issue"]["body"].is_null());
    let found = found.or_else(|| examples.iter().filter(plain).find(|x| x["action"] == action));
    found.unwrap_or_else(|| panic!("no {event} {action} example")).clone()
}

/// GitHub's `issues` `opened` example (issue 1 of Codertocat/Hello-World, opened
/// 2019-05-15T15:20:18Z), its title and body those of a request filed with the form.
fn github_issue_opened() -> Json {
    let mut event = github("issues", "opened");
    assert_eq!(event["issue"]["created_at"], "2019-05-15T15:20:18Z", "the example the tests expect");
    event["issue"]["title"] = "Denetim raporuna işletme adı".into();
    event["issue"]["body"] = GITHUB_BODY.into();
    event
}

/// A repository whose main holds the clean fixture, committed by two people.
fn repo() -> GitRepo {
    let mut repo = GitRepo::new();
    repo.commit_as("selin.aydin", "Kayıtlar");
    repo
}

/// Runs intake (Turkish) on `event` written next to the repository; the output and the
/// comment it wrote, if any.
fn intake(repo: &GitRepo, event: &Json, extra: &[&str]) -> (Output, Option<String>) {
    intake_in(repo.path(), event, extra)
}

fn intake_in(repo: &Path, event: &Json, extra: &[&str]) -> (Output, Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("event.json");
    std::fs::write(&file, serde_json::to_vec(event).unwrap()).unwrap();
    let comment = dir.path().join("comment.md");
    let mut args = vec!["--lang", "tr", "intake", file.to_str().unwrap(), "--comment", comment.to_str().unwrap()];
    args.extend(extra);
    let output = crate::harness::defter(repo, &args);
    (output, std::fs::read_to_string(&comment).ok())
}

fn said(output: &Output) -> String {
    format!("{}{}", stdout(output), String::from_utf8_lossy(&output.stderr))
}

/// Nothing was written: no branch but main, a clean working tree, main where it was.
fn nothing_written(repo: &GitRepo, head: &str) {
    assert_eq!(repo.git(&["branch", "--format=%(refname:short)"]).trim(), "main");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]).trim(), head);
}

/// The findings of every rule in the request at `path` on `branch`, checked alone and
/// against main (the commit's author must be the person it records as acting), as `rule
/// severity` lines.
fn findings_on(repo: &GitRepo, (branch, path): (&str, &str)) -> Vec<String> {
    repo.git(&["switch", "-q", branch]);
    let mut out = Vec::new();
    for args in [
        vec!["validate", "--as-of", AS_OF, "--format", "json"],
        vec!["validate", "--as-of", AS_OF, "--format", "json", "--base", "main"],
    ] {
        let output = repo.defter(&args);
        let json: Json = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", said(&output)));
        out.extend(
            json["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["path"] == path)
                .map(|d| format!("{} {}", d["rule"].as_str().unwrap(), d["severity"].as_str().unwrap())),
        );
    }
    repo.git(&["switch", "-q", "main"]);
    out
}

fn findings_on_branch(repo: &GitRepo) -> Vec<String> {
    findings_on(repo, (BRANCH, PATH))
}

fn validates_on(repo: &GitRepo, at: (&str, &str)) {
    let findings = findings_on(repo, at);
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn a_github_form_becomes_a_valid_request_on_a_branch_of_its_own() {
    let repo = repo();
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let (output, comment) = intake(&repo, &github_issue_opened(), &["--event-name", "issues"]);
    assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    assert_eq!(stdout(&output), "TLP-2019-0001\n", "the id alone on stdout, for the workflow");
    let comment = comment.expect("a comment");
    assert!(comment.contains("**TLP-2019-0001** numarasıyla alındı") && comment.contains("talep/TLP-2019-0001"));
    assert!(comment.contains("durumu: Yeni"), "{comment}");

    // One commit on main's head, adding the one file; main and the working tree untouched.
    assert_eq!(repo.git(&["rev-parse", &format!("{BRANCH}^")]).trim(), head);
    assert_eq!(repo.git(&["diff", "--name-only", "main", BRANCH]).trim(), PATH);
    assert_eq!(repo.git(&["rev-parse", "--abbrev-ref", "HEAD"]).trim(), "main");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert!(!repo.path().join(PATH).exists());
    let who = repo.git(&["log", "-1", "--format=%an <%ae>|%aI|%s", BRANCH]);
    assert_eq!(
        who.trim(),
        "Mehmet Demir <mehmet.demir@izmir.bel.tr>|2019-05-15T15:20:18Z|TLP-2019-0001: Denetim raporuna işletme adı (başvuru formu #1)"
    );

    let text = repo.git(&["show", &format!("{BRANCH}:{PATH}")]);
    for line in [
        "title: Denetim raporuna işletme adı\n",
        "type: change\n",
        "source: official_letter\n",
        "letter: { number: \"E-12345678-010.06-991122\", date: 2019-05-14 }\n",
        "issue: \"https://github.com/Codertocat/Hello-World/issues/1\"\n",
        "unit: zabita-dairesi\n",
        "requester: mehmet.demir\n",
        "received: 2019-05-15\n",
        "status: new\n",
        "  - { date: 2019-05-15, by: mehmet.demir, status: new, note: \"Başvuru formuyla alındı (#1)\" }\n",
        // The textarea's CRLF line breaks, as GitHub keeps them, written as the file's LF.
        "Denetim raporuna **işletme adı** sütunu eklensin.\n\nSaha ekipleri raporu her sabah alıyor.\n",
    ] {
        assert!(text.contains(line), "{line:?} not in\n{text}");
    }
    assert!(!text.contains('\r'), "{text:?}");
    validates_on(&repo, (BRANCH, PATH));

    // The same event again: the branch is there, so nothing is written.
    let (output, _) = intake(&repo, &github_issue_opened(), &[]);
    assert_eq!(output.status.code(), Some(2), "{}", said(&output));
    assert!(said(&output).contains("talep/TLP-2019-0001 dalı zaten var"), "{}", said(&output));
}

#[test]
fn a_gitea_form_without_a_requester_is_filed_for_the_units_official() {
    let repo = repo();
    let (output, _) = intake(&repo, &payload("gitea-issues-opened.json"), &["--event-name", "issues"]);
    assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    assert_eq!(stdout(&output), "TLP-2026-0002\n");
    let text = repo.git(&["show", &format!("{GITEA_BRANCH}:{GITEA_PATH}")]);
    for line in [
        "title: Mobil denetim ekranı donuyor\n",
        "type: defect\n",
        "source: issue_form\n",
        "issue: \"https://gitea.izmir.bel.tr/bilgi-islem/kayitlar/issues/4\"\n",
        // The unit's one unit official, as nobody was named.
        "requester: mehmet.demir\n",
        // Opened at 00:30 in Turkey, 21:30 UTC the day before.
        "received: 2026-11-05\n",
        "  - { date: 2026-11-05, by: mehmet.demir, status: new, note: \"Başvuru formuyla alındı (#4)\" }\n",
        "---\nMobil denetim ekranı fotoğraf yüklerken donuyor.\nSorun sabahtan beri sürüyor.\n",
    ] {
        assert!(text.contains(line), "{line:?} not in\n{text}");
    }
    assert!(!text.contains("letter:") && !text.contains("_No response_") && !text.contains('\r'), "{text}");
    let who = repo.git(&["log", "-1", "--format=%an|%aI", GITEA_BRANCH]);
    assert_eq!(who.trim(), "Mehmet Demir|2026-11-05T00:30:00+03:00");
    validates_on(&repo, (GITEA_BRANCH, GITEA_PATH));
}

#[test]
fn a_form_that_does_not_validate_gets_a_turkish_comment_and_no_record() {
    let repo = repo();
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let mut event = github_issue_opened();
    let body = event["issue"]["body"].as_str().unwrap();
    let body = body
        .replace("Zabıta Dairesi Başkanlığı (zabita-dairesi)", "Olmayan Daire (olmayan-daire)")
        .replace("14.05.2019", "31.02.2019")
        .replace("### Talep türü\n\nDeğişiklik", "### Talep türü\n\n_No response_");
    event["issue"]["body"] = body.into();
    event["issue"]["title"] = "   ".into();
    let (output, comment) = intake(&repo, &event, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", said(&output));
    let comment = comment.expect("a comment saying what to fix");
    for wanted in [
        "Talebiniz alınamadı",
        "başlık boş",
        "«Talep eden birim»: «Olmayan Daire (olmayan-daire)» adında ya da kimliğinde bir birim yok",
        "«Talep türü» boş: bu alan zorunlu",
        "«Resmi yazı tarihi»: «31.02.2019» bir tarih değil",
        "yeni bir konu açın",
    ] {
        assert!(comment.contains(wanted), "{wanted:?} not in\n{comment}");
    }
    assert_eq!(stdout(&output), "", "no id");
    nothing_written(&repo, &head);

    // One of the letter's two fields alone; a requester nobody is.
    let mut event = github_issue_opened();
    let body = event["issue"]["body"]
        .as_str()
        .unwrap()
        .replace("### Resmi yazı tarihi\n\n14.05.2019", "### Resmi yazı tarihi\n\n_No response_");
    event["issue"]["body"] = body.replace("mehmet.demir", "Ahmet Yok").into();
    let (output, comment) = intake(&repo, &event, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", said(&output));
    let comment = comment.unwrap();
    assert!(comment.contains("«Resmi yazı sayısı» ve «Resmi yazı tarihi» birlikte verilir"), "{comment}");
    assert!(comment.contains("«Talep eden kişi»: «Ahmet Yok» adında ya da kimliğinde bir kişi yok"), "{comment}");
    nothing_written(&repo, &head);

    // An issue not opened with the form at all.
    let mut event = payload("gitea-issues-opened.json");
    event["issue"]["body"] = "Merhaba, ekran açılmıyor.".into();
    let (output, comment) = intake(&repo, &event, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", said(&output));
    assert!(comment.unwrap().contains("konu talep formuyla açılmamış"));
    nothing_written(&repo, &head);
}

#[test]
fn markup_in_the_form_stays_text_in_the_record_and_on_the_site() {
    let repo = repo();
    let mut event = github_issue_opened();
    let title = "Rapor: <script>alert(1)</script> --- \"tırnak\" # değil";
    event["issue"]["title"] = title.into();
    let body = event["issue"]["body"].as_str().unwrap().replace(
        "Saha ekipleri raporu her sabah alıyor.",
        "---\r\nstatus: closed\r\n---\r\n<img src=x onerror=alert(2)> ve <script>alert(3)</script>",
    );
    event["issue"]["body"] = body.into();
    let (output, _) = intake(&repo, &event, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    let text = repo.git(&["show", &format!("{BRANCH}:{PATH}")]);
    assert!(text.contains(&format!("title: {}\n", serde_json::to_string(title).unwrap())), "{text}");
    assert!(text.contains("status: new\n"), "{text}");
    // Kept as written: valid, and the HTML told to the reviewer as shown as text.
    let findings = findings_on_branch(&repo);
    assert!(!findings.is_empty() && findings.iter().all(|f| f == "raw-html warning"), "{findings:?}");

    // On the site: the title and the body as text, nothing to run; still state `new`.
    repo.git(&["switch", "-q", BRANCH]);
    let site = repo.path().join("site");
    let output = repo.defter(&["build", "--as-of", AS_OF, "--out", site.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    let page = std::fs::read_to_string(site.join("requests/TLP-2019-0001.html")).unwrap();
    assert!(!page.contains("<script>alert") && !page.contains("<img src=x"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && page.contains("&lt;img src=x"), "{page}");
    assert!(page.contains("Başvuru bağlantısı") && page.contains("https://github.com/Codertocat/Hello-World/issues/1"));
}

#[test]
fn an_event_of_another_kind_is_refused_and_nothing_is_written() {
    let repo = repo();
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let mut edited = github_issue_opened();
    edited["action"] = "edited".into();
    edited["changes"] = serde_json::json!({ "title": { "from": "Eski başlık" } });
    let mut closed = payload("gitea-issues-opened.json");
    closed["action"] = "closed".into();
    // Fields both forges always send, missing (a payload cut short, or not a forge's).
    let mut no_address = payload("gitea-issues-opened.json");
    no_address["issue"].as_object_mut().unwrap().remove("html_url");
    let mut no_date = github_issue_opened();
    no_date["issue"].as_object_mut().unwrap().remove("created_at");
    let mut no_issue = github_issue_opened();
    no_issue.as_object_mut().unwrap().remove("issue");
    let cases: Vec<(Json, &[&str], &str)> = vec![
        (github("pull_request", "opened"), &[], "`pull_request` olayı"),
        (github("issue_comment", "created"), &[], "`issue_comment` olayı"),
        (payload("gitea-issue_comment-created.json"), &[], "`issue_comment` olayı"),
        (edited, &[], "eylemi `edited`"),
        (closed, &[], "eylemi `closed`"),
        (github_issue_opened(), &["--event-name", "push"], "`push` olayı"),
        (no_address, &[], "her zaman gönderdiği `html_url` yok"),
        (no_date, &[], "her zaman gönderdiği `created_at` yok"),
        (no_issue, &[], "olayda `issue` yok"),
    ];
    for (event, extra, wanted) in cases {
        let (output, comment) = intake(&repo, &event, extra);
        assert_eq!(output.status.code(), Some(2), "{wanted}: {}", said(&output));
        assert!(said(&output).contains(wanted) && said(&output).contains("hiçbir şey yazılmadı"), "{}", said(&output));
        assert!(comment.is_none(), "no comment for an event that is not an issue opened");
        nothing_written(&repo, &head);
    }
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("event.json");
    std::fs::write(&broken, "{\"action\": \"opened\", \"issue\": ").unwrap();
    let output = repo.defter(&["--lang", "tr", "intake", broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(said(&output).contains("JSON değil"), "{}", said(&output));
    nothing_written(&repo, &head);
}

/// Fills a form `init` wrote as the forge renders it: each field's first option, or a
/// value of its own.
fn filled(form: &defter::model::Node, own: &[(&str, &str)]) -> String {
    let mut body = String::new();
    for field in form.get("body").unwrap().as_seq() {
        let Some(id) = field.get("id").and_then(|n| n.as_str()) else { continue };
        let attributes = field.get("attributes").unwrap();
        let label = attributes.get("label").and_then(|n| n.as_str()).unwrap();
        let value = match own.iter().find(|(i, _)| *i == id) {
            Some((_, v)) => v.to_string(),
            None => attributes
                .get("options")
                .and_then(|o| o.as_seq().first().and_then(|n| n.as_str()).map(str::to_string))
                .unwrap_or_else(|| "_No response_".to_string()),
        };
        body.push_str(&format!("### {label}\n\n{value}\n\n"));
    }
    body
}

#[test]
fn init_writes_forms_that_intake_reads_and_a_workflow_that_runs_it() {
    let dir = tempfile::tempdir().unwrap();
    let output =
        crate::harness::defter(dir.path(), &["init", &dir.path().join("k").to_string_lossy(), "--as-of", AS_OF]);
    assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    let root = dir.path().join("k");
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    let github = read(".github/ISSUE_TEMPLATE/talep.yml");
    let gitea = read(".gitea/ISSUE_TEMPLATE/talep.yaml");
    for (text, about) in [(&github, "description"), (&gitea, "about")] {
        let form = defter::load::yaml::parse(text, 0).expect("the form is YAML");
        assert!(form.get(about).is_some() && form.get("name").and_then(|n| n.as_str()) == Some("Talep"));
        assert_eq!(form.get("labels").unwrap().as_seq()[0].as_str(), Some("talep"));
        let fields = form.get("body").unwrap().as_seq();
        let options = |id: &str| -> Vec<String> {
            let field = fields.iter().find(|f| f.get("id").and_then(|n| n.as_str()) == Some(id)).unwrap();
            let options = field.get("attributes").unwrap().get("options");
            options
                .map(|o| o.as_seq().iter().filter_map(|n| n.as_str().map(str::to_string)).collect())
                .unwrap_or_default()
        };
        assert!(
            options("unit").contains(&"Zabıta Dairesi Başkanlığı (zabita-dairesi)".to_string()),
            "{:?}",
            options("unit")
        );
        assert!(
            !options("unit").iter().any(|o| o.contains("servisi)")),
            "services file no requests: {:?}",
            options("unit")
        );
        assert_eq!(options("type").first().map(String::as_str), Some("Yeni yazılım"));
        assert!(options("type").contains(&"Veritabanı değişikliği".to_string()));
    }

    // What the form gives back, intake takes in, in the repository init made.
    let form = defter::load::yaml::parse(&github, 0).unwrap();
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git")
            .current_dir(&root)
            .args([
                "-c",
                "user.name=Selin Aydın",
                "-c",
                "user.email=selin.aydin@izmir.bel.tr",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {}", said(&output));
        stdout(&output)
    };
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "Kayıt deposu"]);
    let mut event = github_issue_opened();
    event["issue"]["body"] = filled(
        &form,
        &[("unit", "Zabıta Dairesi Başkanlığı (zabita-dairesi)"), ("description", "Yeni bir rapor ekranı.")],
    )
    .into();
    let (output, comment) = intake_in(&root, &event, &[]);
    assert_eq!(output.status.code(), Some(0), "{}\n{comment:?}", said(&output));
    let id = stdout(&output).trim().to_string();
    let branch = format!("talep/{id}");
    let path = format!("records/requests/{}/{id}.md", &id[4..8]);
    let text = git(&["show", &format!("{branch}:{path}")]);
    assert!(text.contains("type: new_software\n") && text.contains("unit: zabita-dairesi\n"), "{text}");

    // The workflow installs defter as records.yml does, on issues opened with the label.
    let workflow = read(".github/workflows/intake.yml");
    let records = read(".github/workflows/records.yml");
    let install = |text: &str| {
        let start = text.find("      - name: Install defter\n").unwrap();
        let end = start + text[start..].find("\"$dir/defter\" --version\n").unwrap();
        text[start..end].to_string()
    };
    assert_eq!(install(&workflow), install(&records));
    assert!(workflow.contains("contains(github.event.issue.labels.*.name, 'talep')"));
    assert!(workflow.contains("intake \"$GITHUB_EVENT_PATH\" --event-name \"$EVENT_NAME\""));
    assert!(
        !workflow.contains("run: ${{") && !workflow.contains("\"${{ github.event.issue"),
        "untrusted text only through env"
    );
}

#[test]
fn a_record_the_repositorys_rules_refuse_is_told_as_theirs_and_not_written() {
    // A repository whose request schema predates intake: no `issue`, no `issue_form`.
    let mut repo = GitRepo::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut schema: Json =
        serde_json::from_slice(&std::fs::read(root.join("schemas/request.schema.json")).unwrap()).unwrap();
    schema["properties"].as_object_mut().unwrap().remove("issue");
    schema["properties"]["source"]["enum"].as_array_mut().unwrap().retain(|v| v != "issue_form");
    repo.write("schemas/request.schema.json", &serde_json::to_string_pretty(&schema).unwrap());
    repo.commit_as("selin.aydin", "Kayıtlar, eski şema");
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let (output, comment) = intake(&repo, &payload("gitea-issues-opened.json"), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", said(&output));
    let comment = comment.unwrap();
    assert!(comment.contains("kayıt deposunun şu kurallarına uymuyor"), "{comment}");
    assert!(comment.contains("`issue_form`") && comment.contains("`issue`"), "{comment}");
    assert!(comment.contains("müdürlük konuyu inceleyecek") && !comment.contains("formu yeniden doldurarak"));
    nothing_written(&repo, &head);
}

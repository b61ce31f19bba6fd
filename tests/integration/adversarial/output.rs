//! Where defter may write: the site stays inside its folder whatever the ids say, links
//! are never followed, dangerous `--out` folders are refused, files are not
//! world-writable, and no command but `new`/`init` writes into the repository.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use super::{assert_ran, check_file, expect, validate};
use crate::harness::{AS_OF, GitRepo, Repo, defter};

const HOSTILE_IDS: [&str; 8] = [
    "../../../../outside",
    "/tmp/defter-absolute",
    "$(touch defter-pwned)",
    "`touch defter-pwned`; rm -rf ~",
    "..",
    "a/../../b",
    "CON",
    "çok uzun kimlik xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
];

#[test]
fn hostile_ids_stay_inside_the_site() {
    let parent = tempfile::tempdir().unwrap();
    let repo = Repo::with_overlays(&[&crate::harness::fixtures().join("good")]);
    for (i, id) in HOSTILE_IDS.iter().enumerate() {
        let id = id.replace('\\', "\\\\").replace('"', "\\\"");
        repo.write(
            &format!("records/org/units/kotu-{i}.yaml"),
            &format!("id: \"{id}\"\nname: Birim {i}\ntype: unit\n"),
        );
        repo.write(
            &format!("records/requests/2026/TLP-2026-09{i:02}.md"),
            &format!(
                "---\nid: \"{id}\"\ntitle: Kötü kimlik\ntype: defect\nsource: phone\nunit: \"{id}\"\nrequester: mehmet.demir\nreceived: 2026-11-02\npriority: normal\nservice: yazilim-gelistirme-servisi\nstatus: new\nhistory:\n  - {{ date: 2026-11-02, by: burak.yildiz, status: new }}\n---\n"
            ),
        );
    }
    let (findings, _) = validate(repo.path());
    for i in 0..HOSTILE_IDS.len() {
        let unit = format!("records/org/units/kotu-{i}.yaml");
        let mine: Vec<_> = findings.iter().filter(|f| f.path == unit).cloned().collect();
        expect(&mine, "id-filename", 1, "differs from the file name");
        expect(&mine, "schema", 1, "`id`");
    }
    let out = parent.path().join("site");
    let output = Command::new(env!("CARGO_BIN_EXE_defter"))
        .current_dir(parent.path())
        .args(["--repo", repo.path().to_str().unwrap(), "build", "--as-of", AS_OF, "--out", "site"])
        .output()
        .unwrap();
    assert_ran(&output);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let outside: Vec<String> = std::fs::read_dir(parent.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(outside, ["site"], "the build wrote next to its folder");
    assert!(!Path::new("/tmp/defter-absolute.html").exists() && !Path::new("/outside.html").exists());
    assert!(!repo.path().join("defter-pwned").exists() && !parent.path().join("defter-pwned").exists());
    let mut lower = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        assert!(!entry.path_is_symlink(), "{}", entry.path().display());
        assert!(entry.path().starts_with(&out));
        let name = entry.file_name().to_string_lossy();
        assert!(name.len() <= 200, "file name of {} bytes", name.len());
        let rel = entry.path().strip_prefix(&out).unwrap().to_string_lossy().to_lowercase();
        assert!(lower.insert(rel.clone(), ()).is_none(), "two files differ only in case: {rel}");
    }
    // Every hostile request still has its page: none overwrote another.
    let requests =
        std::fs::read_dir(out.join("requests")).unwrap().filter(|e| e.as_ref().unwrap().path().is_file()).count();
    assert!(requests > HOSTILE_IDS.len(), "{requests}");
}

#[test]
fn symlinks_are_reported_and_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    let marker = "gizli.dis.kayit";
    let person = format!(
        "id: {marker}\nname: Dışarıdaki\nunit: zabita-dairesi\nroles: [staff]\nemail: a@b.org\ngit_emails: []\nactive: true\n"
    );
    std::fs::write(outside.path().join("person.yaml"), &person).unwrap();
    std::fs::create_dir(outside.path().join("dir")).unwrap();
    std::fs::write(outside.path().join("dir/srv-dis.yaml"), format!("id: srv-dis\nname: {marker}\n")).unwrap();
    let repo = Repo::with_overlays(&[]);
    let people = repo.path().join("records/org/people");
    std::os::unix::fs::symlink(outside.path().join("person.yaml"), people.join("link.yaml")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", people.join("passwd.yaml")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/defter", people.join("dangling.yaml")).unwrap();
    std::fs::create_dir_all(repo.path().join("records/inventory")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("dir"), repo.path().join("records/inventory/server")).unwrap();
    let (findings, output) = validate(repo.path());
    for rel in [
        "records/org/people/link.yaml",
        "records/org/people/passwd.yaml",
        "records/org/people/dangling.yaml",
        "records/inventory/server",
    ] {
        let mine: Vec<_> = findings.iter().filter(|f| f.path == rel).cloned().collect();
        expect(&mine, "parse-error", 1, "symbolic link");
    }
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!text.contains(marker) && !text.contains("root:"), "{text}");
    let out = repo.path().join("public");
    let built = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(built.status.code(), Some(0), "{}", String::from_utf8_lossy(&built.stderr));
    for (path, bytes) in crate::harness::files_in(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(marker) && !text.contains("root:x:0"), "{path} shows what a link points at");
    }
}

#[test]
fn names_that_clash_on_a_case_insensitive_file_system() {
    let person =
        std::fs::read_to_string(crate::harness::fixtures().join("base/records/org/people/elif.kara.yaml")).unwrap();
    let f =
        check_file("records/org/people/Elif.Kara.yaml", person.replace("id: elif.kara", "id: Elif.Kara").as_bytes());
    expect(&f, "case-clash", 1, "differs only in case from records/org/people/elif.kara.yaml");
    // Two ids that differ only in case, in files whose names do not clash.
    let f = check_file("records/org/people/ELIF.yaml", person.replace("id: elif.kara", "id: ELIF.KARA").as_bytes());
    expect(&f, "case-clash", 1, "id `ELIF.KARA` differs only in case from `elif.kara`");
}

fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, u32)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| !e.path().components().any(|c| c.as_os_str() == ".git" || c.as_os_str() == "public"))
        .map(|e| {
            let meta = e.metadata().unwrap();
            let bytes = if meta.is_file() { std::fs::read(e.path()).unwrap() } else { Vec::new() };
            (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), (bytes, meta.permissions().mode()))
        })
        .collect()
}

#[test]
fn reading_commands_leave_the_repository_byte_identical() {
    let mut repo = GitRepo::new();
    repo.commit_as("selin.aydin", "Kayıtlar");
    let before = snapshot(repo.path());
    let out = repo.path().join("public");
    for args in [
        vec!["validate", "--as-of", AS_OF],
        vec!["validate", "--as-of", AS_OF, "--format", "json"],
        vec!["validate", "--as-of", AS_OF, "--format", "github", "--base", "HEAD"],
        vec!["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()],
        vec!["build", "--as-of", AS_OF, "--public", "--out", out.to_str().unwrap()],
        vec!["log", "TLP-2026-0001"],
        vec!["explain", "secret"],
    ] {
        let output = repo.defter(&args);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(snapshot(repo.path()), before, "{args:?} changed the repository");
    }
    assert_eq!(repo.git(&["status", "--porcelain", "--ignored=no", "--", "records", "schemas"]), "");
}

#[test]
fn site_files_are_not_world_writable_whatever_the_umask() {
    let repo = Repo::with_overlays(&[&crate::harness::fixtures().join("good")]);
    let out = repo.path().join("public");
    let script = format!(
        "umask 000 && exec '{}' --repo '{}' build --as-of {AS_OF} --out '{}'",
        env!("CARGO_BIN_EXE_defter"),
        repo.path().display(),
        out.display()
    );
    let output = Command::new("sh").arg("-c").arg(script).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        let most = if entry.file_type().is_dir() { 0o755 } else { 0o644 };
        assert_eq!(mode & !most, 0, "{} is {mode:o}", entry.path().display());
    }
}

#[test]
fn out_folders_that_lead_elsewhere_are_refused() {
    let repo = Repo::with_overlays(&[&crate::harness::fixtures().join("good")]);
    let records = repo.path().join("records");
    let via_link = repo.path().join("kisayol");
    std::os::unix::fs::symlink(&records, &via_link).unwrap();
    let dotdot = repo.path().join("yeni/..");
    let into_schemas = repo.path().join("schemas/site");
    for out in [via_link.clone(), via_link.join("site"), dotdot, into_schemas, repo.path().join(".git/site")] {
        let before = snapshot(repo.path());
        let output = defter(repo.path(), &["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{}", out.display());
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("refusing"),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(snapshot(repo.path()), before, "{}", out.display());
    }
    // A previous site is replaced; the folder it was in keeps nothing of the build.
    let out = repo.path().join("public");
    for _ in 0..2 {
        let output = defter(repo.path(), &["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let leftovers: Vec<_> = std::fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".defter-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

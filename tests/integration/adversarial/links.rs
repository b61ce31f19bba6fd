//! Symbolic links at every level defter reads or writes: the records folder itself, the
//! rules, the configuration, the templates, CODEOWNERS, links committed to git and read
//! with `--base`/`--head`, the folders on the way to `--out`, `--out` itself, and
//! folders inside a site being rebuilt. Nothing is read or written through any of them.

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::Path;

use super::{assert_ran, expect, validate};
use crate::harness::{AS_OF, GitRepo, Repo, files_in, fixtures, stderr, stdout};

/// A person record with `marker` as its id, in a folder outside every repository.
fn outside_with_a_record(marker: &str) -> tempfile::TempDir {
    let outside = tempfile::tempdir().unwrap();
    let people = outside.path().join("org/people");
    std::fs::create_dir_all(&people).unwrap();
    std::fs::write(
        people.join(format!("{marker}.yaml")),
        format!("id: {marker}\nname: Dışarıdaki\nunit: zabita-dairesi\nroles: [staff]\nemail: a@b.org\ngit_emails: []\nactive: true\n"),
    )
    .unwrap();
    outside
}

#[test]
fn a_records_folder_that_is_a_link_is_refused_unread() {
    let marker = "gizli.dis.kayit";
    let outside = outside_with_a_record(marker);
    let repo = Repo::with_overlays(&[]);
    crate::harness::copy_tree(&repo.path().join("records"), outside.path());
    std::fs::remove_dir_all(repo.path().join("records")).unwrap();
    symlink(outside.path(), repo.path().join("records")).unwrap();
    let out = repo.path().join("public");
    for args in [
        vec!["validate", "--as-of", AS_OF],
        vec!["validate", "--as-of", AS_OF, "--format", "json"],
        vec!["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()],
    ] {
        let output = repo.defter(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stdout(&output));
        assert!(stderr(&output).contains("records is a symbolic link"), "{args:?}: {}", stderr(&output));
        assert!(
            !stdout(&output).contains(marker) && !stderr(&output).contains(marker),
            "{args:?} read through the link"
        );
    }
    assert!(!out.exists(), "a site was built from what the link points at");
}

#[test]
fn rules_configuration_and_templates_are_not_read_through_links() {
    let elsewhere = tempfile::tempdir().unwrap();
    let schema =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/person.schema.json")).unwrap();
    std::fs::write(elsewhere.path().join("person.schema.json"), &schema).unwrap();
    std::fs::write(elsewhere.path().join("defter.toml"), "[site]\ntitle = \"Başka\"\n").unwrap();
    std::fs::write(elsewhere.path().join("base.html"), "{{ page.title }}").unwrap();
    // (what to link, where the link goes, what it points at, the command that reads it)
    let cases: [(&str, &Path, &[&str]); 5] = [
        ("schemas", elsewhere.path(), &["validate", "--as-of", AS_OF]),
        ("schemas/person.schema.json", &elsewhere.path().join("person.schema.json"), &["validate", "--as-of", AS_OF]),
        ("defter.toml", &elsewhere.path().join("defter.toml"), &["validate", "--as-of", AS_OF]),
        ("site-templates", elsewhere.path(), &["build", "--as-of", AS_OF, "--out", "public"]),
        (
            "site-templates/base.html",
            &elsewhere.path().join("base.html"),
            &["build", "--as-of", AS_OF, "--out", "public"],
        ),
    ];
    for (rel, target, args) in cases {
        let repo = Repo::with_overlays(&[&fixtures().join("good")]);
        let link = repo.path().join(rel);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        symlink(target, &link).unwrap();
        let output = crate::harness::defter(repo.path(), args);
        assert_eq!(output.status.code(), Some(2), "{rel}: {}", stdout(&output));
        assert!(stderr(&output).contains("is a symbolic link"), "{rel}: {}", stderr(&output));
        assert!(!repo.path().join("public").exists(), "{rel}");
    }
}

#[test]
fn codeowners_is_not_read_through_a_link_nor_without_a_bound() {
    for place in ["CODEOWNERS", ".github/CODEOWNERS"] {
        let repo = Repo::with_overlays(&[]);
        let link = repo.path().join(place);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        symlink("/etc/passwd", &link).unwrap();
        let (findings, output) = validate(repo.path());
        let mine: Vec<_> = findings.iter().filter(|f| f.path == place).cloned().collect();
        expect(&mine, "parse-error", 1, "symbolic link");
        assert!(!stdout(&output).contains("root:"), "{place}: {}", stdout(&output));
    }
    let repo = Repo::with_overlays(&[]);
    // Not UTF-8 on line 3: a finding there, not a failure to run.
    std::fs::write(repo.path().join("CODEOWNERS"), b"# sahipler\n* @a\n/records/ @b \xff\xfe\n").unwrap();
    let (findings, output) = validate(repo.path());
    assert_ran(&output);
    let mine: Vec<_> = findings.iter().filter(|f| f.path == "CODEOWNERS").cloned().collect();
    expect(&mine, "parse-error", 3, "not valid UTF-8");
    // Over the records' bound: refused before it is read.
    let file = std::fs::File::create(repo.path().join("CODEOWNERS")).unwrap();
    file.set_len(6 << 20).unwrap();
    let (findings, _) = validate(repo.path());
    let mine: Vec<_> = findings.iter().filter(|f| f.path == "CODEOWNERS").cloned().collect();
    expect(&mine, "parse-error", 1, "limited to 5242880 bytes");
}

/// What `validate --base --head` reads from git trees: a link committed under records/
/// is reported as the working tree's check reports it; CODEOWNERS as a link, or not
/// UTF-8, is a finding; rules as a link are refused.
#[test]
fn links_committed_to_git_are_reported_with_base_and_head() {
    let mut repo = GitRepo::new();
    repo.commit_as("selin.aydin", "Kayıtlar");
    symlink("/etc/passwd", repo.path().join("records/org/people/passwd.yaml")).unwrap();
    symlink("../../../records", repo.path().join("records/inventory/dongu")).unwrap();
    symlink("/etc/passwd", repo.path().join("CODEOWNERS")).unwrap();
    repo.commit_as("selin.aydin", "Bağlantılar");
    fn json(repo: &GitRepo, args: &[&str]) -> Vec<(String, Option<u64>, String)> {
        let output = repo.defter(args);
        assert_ran(&output);
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert!(!stdout(&output).contains("root:"), "{args:?}");
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["path"].as_str().unwrap().to_string(),
                    d["line"].as_u64(),
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
    let head = json(&repo, &["validate", "--as-of", AS_OF, "--format", "json", "--base", "HEAD~1", "--head", "HEAD"]);
    let tree = json(&repo, &["validate", "--as-of", AS_OF, "--format", "json"]);
    for found in [&head, &tree] {
        for path in ["records/org/people/passwd.yaml", "records/inventory/dongu", "CODEOWNERS"] {
            assert!(
                found.iter().any(|(p, line, m)| p == path && *line == Some(1) && m.contains("symbolic link")),
                "{path} not reported: {found:#?}"
            );
        }
    }
    // CODEOWNERS that is not UTF-8, committed.
    std::fs::remove_file(repo.path().join("CODEOWNERS")).unwrap();
    std::fs::write(repo.path().join("CODEOWNERS"), b"* @a\n\xff\n").unwrap();
    repo.commit_as("selin.aydin", "Bozuk CODEOWNERS");
    let head = json(&repo, &["validate", "--as-of", AS_OF, "--format", "json", "--base", "HEAD~1", "--head", "HEAD"]);
    assert!(
        head.iter().any(|(p, line, m)| p == "CODEOWNERS" && *line == Some(2) && m.contains("not valid UTF-8")),
        "{head:#?}"
    );
    // A rule file committed as a link: refused, as on disk.
    symlink("/etc/passwd", repo.path().join("schemas")).unwrap();
    repo.commit_as("selin.aydin", "Kurallar bağlantı");
    // Gone from the working tree: only the commit has it.
    std::fs::remove_file(repo.path().join("schemas")).unwrap();
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--base", "HEAD~1", "--head", "HEAD"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(stderr(&output).contains("symbolic link"), "{}", stderr(&output));
}

/// Every file under `dir` with its bytes, links as `-> target`.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            let bytes = if e.path_is_symlink() {
                format!("-> {}", std::fs::read_link(e.path()).unwrap().display()).into_bytes()
            } else if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                b"/".to_vec()
            };
            (rel, bytes)
        })
        .collect()
}

#[test]
fn out_through_a_link_or_a_link_itself_is_refused() {
    let repo = Repo::with_overlays(&[&fixtures().join("good")]);
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("nobet.txt"), "başkasının dosyası\n").unwrap();
    // A link committed in the repository, and --out beneath it.
    symlink(elsewhere.path(), repo.path().join("yayin")).unwrap();
    // An empty folder elsewhere, and --out as a link to it.
    let empty = tempfile::tempdir().unwrap();
    symlink(empty.path(), repo.path().join("site-link")).unwrap();
    for out in ["yayin/site", "yayin", "site-link", "yayin/a/b/site"] {
        let (before, empty_before) = (tree(elsewhere.path()), tree(empty.path()));
        let output = repo.defter(&["build", "--as-of", AS_OF, "--out", repo.path().join(out).to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{out}");
        assert!(stderr(&output).contains("is a symbolic link"), "{out}: {}", stderr(&output));
        assert_eq!(tree(elsewhere.path()), before, "{out}: written through the link");
        assert_eq!(tree(empty.path()), empty_before, "{out}: written through the link");
        assert!(std::fs::symlink_metadata(repo.path().join("site-link")).unwrap().file_type().is_symlink());
    }
    // The same, relative to the current folder.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_defter"))
        .current_dir(repo.path())
        .args(["build", "--as-of", AS_OF, "--out", "yayin/site"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!elsewhere.path().join("site").exists());
}

/// A rebuild into a site in which a folder was replaced by a link writes nothing through
/// it: the new site is made beside it and swapped in, and the link's target is untouched.
#[test]
fn a_rebuild_never_writes_through_a_link_planted_in_the_site() {
    let mut repo = GitRepo::new();
    repo.commit_as("selin.aydin", "Kayıtlar");
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("site");
    let build = |repo: &GitRepo| {
        let output = repo.defter(&["build", "--verbose", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        output
    };
    build(&repo);
    // The requests folder moved elsewhere, a link left in its place.
    let elsewhere = tempfile::tempdir().unwrap();
    let moved = elsewhere.path().join("requests");
    std::fs::rename(out.join("requests"), &moved).unwrap();
    std::fs::write(moved.join("nobet.txt"), "başkasının dosyası\n").unwrap();
    symlink(&moved, out.join("requests")).unwrap();
    let before = tree(elsewhere.path());
    // An edit in the working tree (a commit would change the history: a full build
    // anyway), which an incremental rebuild writes into requests/.
    repo.edit("records/requests/2026/TLP-2026-0001.md", "title: Zabıta denetim raporu ekranı", "title: Yeni başlık");
    let output = build(&repo);
    assert!(stderr(&output).contains("not a folder"), "a full build, saying why: {}", stderr(&output));
    assert_eq!(tree(elsewhere.path()), before, "the rebuild wrote through the link: {}", stderr(&output));
    let requests = std::fs::symlink_metadata(out.join("requests")).unwrap();
    assert!(requests.is_dir() && !requests.file_type().is_symlink(), "the site's requests/ is a real folder again");
    let page = String::from_utf8(files_in(&out)["requests/TLP-2026-0001.html"].clone()).unwrap();
    assert!(page.contains("Yeni başlık"), "the rebuilt site has the change");
}

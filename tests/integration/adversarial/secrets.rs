//! Secrets pasted into records are found (`secret`, at their line) and never repeated:
//! not by the finding, not by another finding that quotes the value, not by the human
//! renderer's source line, not on the site, not in the history of a record whose secret
//! was removed later.

use super::{assert_ran, expect, validate};
use crate::harness::{AS_OF, GitRepo, Repo};

const GITHUB: &str = "ghp_Q7wE9rT2yU4iO6pA8sD0fG1hJ3kL5zX7cV9b";
const GITLAB: &str = "glpat-Zx8Cv7Bn6Mm5Aa4Ss3Dd";
const SLACK: &str = "xoxb-2841937462-Qm7Rk2Lp9Wz4";
const AWS: &str = "AKIAZ7Q3XK2M9PLR4TNW";
const GOOGLE: &str = "AIzaSyD4k9Qm2Lx7Vb3Nc8Zr1Tw6Yp0Hs5Jg2Fe";
const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ6YWJpdGEtYXBpIn0.Yk3Rq9Lm2Vx7Zp4Wn8Tc1Bs6Hd0Jf5Gu";
const URL_PASSWORD: &str = "Zb1ta!Sifre";
const FIELD_PASSWORD: &str = "Hunter2-Gizli";
const PROSE_PASSWORD: &str = "Kasa!2026Yok";
const ENTROPY: &str = "9fQ2xL7pV3mK8sT1wZ6bN4cR0yH5jD2gA7eU";
const KEY_BODY: &str = "MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2Ur5Rk9Fq8Lw";

const ALL: [&str; 11] =
    [GITHUB, GITLAB, SLACK, AWS, GOOGLE, JWT, URL_PASSWORD, FIELD_PASSWORD, PROSE_PASSWORD, ENTROPY, KEY_BODY];

fn request() -> String {
    format!(
        "---
id: TLP-2026-0777
title: Entegrasyon anahtarı {GITHUB}
type: integration
source: phone
unit: zabita-dairesi
requester: {GITHUB}
received: 2026-11-02
priority: normal
service: yazilim-gelistirme-servisi
status: new
password: {FIELD_PASSWORD}
history:
  - {{ date: 2026-11-02, by: burak.yildiz, status: new, note: \"token {JWT}\" }}
resolution: {{ date: 2026-11-03, summary: \"postgres://zabita:{URL_PASSWORD}@db01/zabita\", tested_by: oguz.koc }}
---
Servis hesabı bilgileri (bunlar buraya yazılmamalıydı):

- AWS: {AWS}
- GitLab: {GITLAB}
- Slack: {SLACK}
- Google: {GOOGLE}
- veritabanı parola: {PROSE_PASSWORD}
- imza anahtarı {ENTROPY}

-----BEGIN RSA PRIVATE KEY-----
{KEY_BODY}
-----END RSA PRIVATE KEY-----
"
    )
}

const PATH: &str = "records/requests/2026/TLP-2026-0777.md";

#[track_caller]
fn assert_no_secret(what: &str, text: &str) {
    for secret in ALL {
        assert!(!text.contains(secret), "{what} repeats {secret}:\n{text}");
        let middle = &secret[secret.len() / 3..secret.len() / 3 + 8];
        assert!(!text.contains(middle), "{what} repeats part of {secret}:\n{text}");
    }
}

#[test]
fn secrets_are_found_at_their_lines() {
    let repo = Repo::with_overlays(&[]);
    repo.write(PATH, &request());
    let (findings, _) = validate(repo.path());
    let mine: Vec<_> = findings.into_iter().filter(|f| f.path == PATH).collect();
    for (line, what) in [
        (3, "GitHub token"),
        (7, "GitHub token"),
        (12, "password or token field"),
        (14, "JSON Web Token"),
        (15, "password in a URL"),
        (19, "AWS access key"),
        (20, "GitLab token"),
        (21, "Slack token"),
        (22, "Google API key"),
        (23, "a password"),
        (24, "high-entropy"),
        (26, "private key"),
        (27, "high-entropy"),
    ] {
        expect(&mine, "secret", line, what);
    }
    // Other findings about the same values say what is wrong without the value.
    expect(&mine, "dangling-ref", 7, "[…]");
    expect(&mine, "schema", 7, "[…]");
}

#[test]
fn no_output_format_repeats_a_secret() {
    let repo = Repo::with_overlays(&[]);
    repo.write(PATH, &request());
    for format in ["human", "json", "github"] {
        let output = repo.defter(&["validate", "--as-of", AS_OF, "--format", format]);
        assert_ran(&output);
        assert_eq!(output.status.code(), Some(1));
        assert_no_secret(format, &String::from_utf8_lossy(&output.stdout));
        assert_no_secret(format, &String::from_utf8_lossy(&output.stderr));
    }
    let out = repo.path().join("public");
    let built = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(built.status.code(), Some(0), "{}", String::from_utf8_lossy(&built.stderr));
    let files = crate::harness::files_in(&out);
    for (path, bytes) in &files {
        assert_no_secret(path, &String::from_utf8_lossy(bytes));
    }
    let page = String::from_utf8_lossy(&files["requests/TLP-2026-0777.html"]);
    assert!(page.contains("Entegrasyon anahtarı […]"), "the rest of the record is shown");
}

#[test]
fn a_removed_secret_stays_out_of_the_history_and_base_findings() {
    let mut repo = GitRepo::new();
    repo.write(PATH, &request());
    repo.commit_as("burak.yildiz", "TLP-2026-0777 alındı");
    repo.git(&["checkout", "-q", "-b", "temizlik"]);
    let cleaned = request()
        .replace(&format!("password: {FIELD_PASSWORD}\n"), "")
        .replace(&format!("requester: {GITHUB}"), "requester: mehmet.demir");
    repo.write(PATH, &cleaned);
    repo.commit_as("burak.yildiz", "Parola kaldırıldı");
    let based = repo.defter(&["validate", "--as-of", AS_OF, "--format", "json", "--base", "main"]);
    assert_ran(&based);
    let text = String::from_utf8_lossy(&based.stdout);
    assert!(text.contains("immutable-field"), "{text}");
    assert_no_secret("validate --base", &text);
    let out = repo.path().join("public");
    let built = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(built.status.code(), Some(0), "{}", String::from_utf8_lossy(&built.stderr));
    for (path, bytes) in crate::harness::files_in(&out) {
        assert_no_secret(&path, &String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn the_example_records_have_no_false_alarm() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (findings, _) = validate(root);
    let secrets: Vec<_> = findings.iter().filter(|f| f.rule == "secret").collect();
    assert!(secrets.is_empty(), "{secrets:#?}");
}

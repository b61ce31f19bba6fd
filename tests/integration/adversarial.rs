//! Hostile and broken input: nothing crashes, nothing leaks, nothing is lost.
//!
//! Every file of `tests/adversarial/corpus/` (and the monsters generated here: a 50 MB
//! record, 200,000 keys, a 400 KB line) is put at a record's path in a fresh repository;
//! `defter validate` must end with exit status 0 or 1 — never 2, never a panic — and a
//! finding that names the rule, the file and the line. The submodules cover injected
//! markup on the site, secrets in every output, where the site may write, personal data
//! and the inputs the fuzzers found.

mod budget;
mod injection;
mod links;
mod output;
mod preview;
mod privacy;
mod regressions;
mod secrets;
mod terminal;
mod text;

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use crate::harness::{AS_OF, Repo, stdout};

/// One finding of `validate --format json`.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: String,
    pub path: String,
    pub line: Option<u64>,
    pub message: String,
}

/// A file of the committed corpus.
pub fn corpus(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/adversarial/corpus").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn write_bytes(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// defter ran to the end: exit status 0 or 1, no panic, no signal.
pub fn assert_ran(output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(matches!(output.status.code(), Some(0 | 1)), "status {:?}\n{stderr}", output.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `validate --format json` on a repository, checked to have run.
pub fn validate(root: &Path) -> (Vec<Finding>, Output) {
    let output = crate::harness::defter(root, &["validate", "--as-of", AS_OF, "--format", "json"]);
    assert_ran(&output);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", &stdout(&output)[..2000.min(output.stdout.len())]));
    let findings = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| Finding {
            rule: d["rule"].as_str().unwrap().to_string(),
            path: d["path"].as_str().unwrap().to_string(),
            line: d["line"].as_u64(),
            message: d["message"].as_str().unwrap().to_string(),
        })
        .collect();
    (findings, output)
}

/// The base organisation plus one file at `rel`; the findings about that file. Every
/// finding names a line, and the human and github renderers run on it too.
pub fn check_file(rel: &str, bytes: &[u8]) -> Vec<Finding> {
    let repo = Repo::with_overlays(&[]);
    write_bytes(repo.path(), rel, bytes);
    let started = Instant::now();
    let (findings, _) = validate(repo.path());
    assert!(started.elapsed() < Duration::from_secs(60), "{rel} took {:?}", started.elapsed());
    for format in ["human", "github"] {
        assert_ran(&repo.defter(&["validate", "--as-of", AS_OF, "--format", format]));
    }
    let mine: Vec<Finding> = findings.into_iter().filter(|f| f.path == rel).collect();
    for f in mine.iter().filter(|f| f.rule != "unknown-kind") {
        assert!(f.line.is_some(), "{rel}: a finding without a line: {f:?}");
    }
    mine
}

/// Asserts that `findings` hold a `rule` finding on `line` whose message contains `text`.
#[track_caller]
pub fn expect(findings: &[Finding], rule: &str, line: u64, text: &str) {
    assert!(
        findings.iter().any(|f| f.rule == rule && f.line == Some(line) && f.message.contains(text)),
        "expected {rule} on line {line} containing {text:?}, got {findings:#?}"
    );
}

const PERSON: &str = "records/org/people";
const REQUEST: &str = "records/requests/2026";

#[test]
fn alias_bombs_are_refused_at_the_first_anchor() {
    let f = check_file(&format!("{PERSON}/alias.bomb.yaml"), &corpus("alias-bomb.yaml"));
    expect(&f, "parse-error", 2, "anchors");
    let f = check_file(&format!("{PERSON}/alias.collection.yaml"), &corpus("alias-collection.yaml"));
    expect(&f, "parse-error", 2, "anchors");
}

#[test]
fn ten_thousand_levels_of_nesting_stop_at_the_limit() {
    let f = check_file(&format!("{PERSON}/deep.block.yaml"), &corpus("deep-block.yaml"));
    expect(&f, "parse-error", 3, "nesting deeper than 64");
    let f = check_file(&format!("{PERSON}/deep.flow.yaml"), &corpus("deep-flow.yaml"));
    expect(&f, "parse-error", 2, "");
    let f = check_file(&format!("{PERSON}/deep.map.yaml"), &corpus("deep-flow-mapping.yaml"));
    expect(&f, "parse-error", 2, "nesting deeper than 64");
    let f = check_file(&format!("{PERSON}/unclosed.flow.yaml"), &corpus("unclosed-flow.yaml"));
    expect(&f, "parse-error", 2, "");
}

#[test]
fn a_50_mb_record_is_refused_unread() {
    let big = format!("---\nid: TLP-2026-0107\ntitle: {}\n---\n", "a".repeat(50 * 1024 * 1024));
    let f = check_file(&format!("{REQUEST}/TLP-2026-0107.md"), big.as_bytes());
    expect(&f, "parse-error", 1, "records are limited to 5242880 bytes");
    // From git (`--base`, the history) a blob is not measured before it is read.
    let loaded = defter::load::load_file(defter::load::RawFile {
        path: "records/org/people/x.yaml".into(),
        bytes: vec![b'a'; 6 << 20],
    });
    assert!(matches!(loaded, defter::load::Loaded::Problem(d, _) if d.message.en.contains("limited")));
}

#[test]
fn many_keys_and_long_lines_stay_fast() {
    let mut text = String::from("id: cok.anahtar\n");
    for i in 0..200_000 {
        text.push_str(&format!("k{i}: {i}\n"));
    }
    let started = Instant::now();
    let node = defter::load::yaml::parse(&text, 0).expect("parses");
    assert_eq!(node.entries().len(), 200_001);
    text.push_str("k7: tekrar\n");
    let err = defter::load::yaml::parse(&text, 0).unwrap_err();
    assert_eq!((err.pos.line, err.message.en.contains("duplicate key `k7`")), (200_002, true));
    assert!(
        // Quadratic (the old linear search per key) takes minutes here, even optimised.
        started.elapsed() < Duration::from_secs(120),
        "duplicate keys are found in linear time: {:?}",
        started.elapsed()
    );

    let long = format!("id: uzun.satir\nnot: {}\n", "ş".repeat(200_000));
    let f = check_file(&format!("{PERSON}/uzun.satir.yaml"), long.as_bytes());
    expect(&f, "schema", 2, "unknown field `not`");
}

#[test]
fn nul_bytes_and_invalid_utf8_are_not_text() {
    let f = check_file(&format!("{PERSON}/nul.yaml"), &corpus("nul.yaml"));
    expect(&f, "parse-error", 1, "NUL");
    let f = check_file(&format!("{PERSON}/nul.inside.yaml"), &corpus("nul-inside.yaml"));
    expect(&f, "parse-error", 2, "NUL");
    let f = check_file(&format!("{PERSON}/bozuk.utf8.yaml"), &corpus("invalid-utf8.yaml"));
    expect(&f, "parse-error", 2, "not valid UTF-8");
    let f = check_file(&format!("{PERSON}/uzun.utf8.yaml"), &corpus("overlong-utf8.yaml"));
    expect(&f, "parse-error", 2, "not valid UTF-8");
}

#[test]
fn bom_crlf_and_mixed_line_endings_keep_positions() {
    // Both files are valid but for `priority: acil`, on line 9, column 11.
    let f = check_file(&format!("{REQUEST}/TLP-2026-0101.md"), &corpus("bom-crlf.md"));
    expect(&f, "schema", 9, "priority");
    assert_eq!(f.len(), 1, "{f:#?}");
    let f = check_file(&format!("{REQUEST}/TLP-2026-0102.md"), &corpus("mixed-eol.md"));
    expect(&f, "schema", 9, "priority");
    assert_eq!(f.len(), 1, "{f:#?}");
    let f = check_file(&format!("{REQUEST}/TLP-2026-0106.md"), &corpus("lone-cr.md"));
    expect(&f, "parse-error", 1, "lone CR");
    let f = check_file(&format!("{PERSON}/lone.cr.yaml"), &corpus("lone-cr.yaml"));
    assert!(f.iter().any(|f| f.rule == "parse-error"), "{f:#?}");
}

#[test]
fn tabs_and_duplicate_keys() {
    let f = check_file(&format!("{PERSON}/sekme.girinti.yaml"), &corpus("tabs.yaml"));
    expect(&f, "parse-error", 4, "tabs");
    let f = check_file(&format!("{PERSON}/cift.anahtar.yaml"), &corpus("duplicate-keys.yaml"));
    expect(&f, "parse-error", 4, "duplicate key `name` (first defined on line 2)");
    let f = check_file(&format!("{PERSON}/cift.ic.yaml"), &corpus("duplicate-keys-nested.yaml"));
    expect(&f, "parse-error", 3, "duplicate key `a`");
}

#[test]
fn broken_front_matter_and_empty_files() {
    let f = check_file(&format!("{REQUEST}/TLP-2026-0103.md"), &corpus("unclosed.md"));
    expect(&f, "parse-error", 1, "front matter is not closed");
    let f = check_file(&format!("{REQUEST}/TLP-2026-0104.md"), &corpus("front-matter-only.md"));
    expect(&f, "schema", 2, "missing required field `title`");
    let f = check_file(&format!("{REQUEST}/TLP-2026-0108.md"), &corpus("empty-front-matter.md"));
    expect(&f, "parse-error", 2, "no fields");
    let f = check_file(&format!("{REQUEST}/TLP-2026-0109.md"), &corpus("empty.md"));
    expect(&f, "parse-error", 1, "missing front matter");
    for name in ["empty.yaml", "whitespace.yaml", "comment-only.yaml"] {
        let f = check_file(&format!("{PERSON}/bos.kayit.yaml"), &corpus(name));
        expect(&f, "parse-error", 1, "no fields");
    }
    let f = check_file(&format!("{PERSON}/kok.metin.yaml"), &corpus("scalar-root.yaml"));
    expect(&f, "schema", 1, "is not of type \"object\"");
    let f = check_file(&format!("{PERSON}/liste.kok.yaml"), &corpus("list-root.yaml"));
    expect(&f, "schema", 1, "is not of type \"object\"");
    let f = check_file(&format!("{PERSON}/iki.belge.yaml"), &corpus("two-documents.yaml"));
    expect(&f, "parse-error", 2, "one YAML document");
    // A project section may be Markdown only; its empty front matter is still no record.
    let f = check_file("records/projects/PRJ-0001/notlar.md", &corpus("empty-front-matter.md"));
    assert!(f.iter().all(|f| f.rule != "parse-error" || f.line == Some(2)), "{f:#?}");
}

#[test]
fn keys_must_be_plain_words() {
    let f = check_file(&format!("{PERSON}/karmasik.anahtar.yaml"), &corpus("complex-key.yaml"));
    expect(&f, "parse-error", 2, "mapping key must be a plain word");
    let f = check_file(&format!("{PERSON}/karmasik.harita.yaml"), &corpus("complex-key-map.yaml"));
    expect(&f, "parse-error", 2, "mapping key must be a plain word");
    let f = check_file(&format!("{PERSON}/sayi.anahtar.yaml"), &corpus("int-key.yaml"));
    expect(&f, "schema", 2, "unknown field `1`");
    let f = check_file(&format!("{PERSON}/bos.anahtar.yaml"), &corpus("null-key.yaml"));
    expect(&f, "parse-error", 2, "not empty");
}

#[test]
fn tags_are_refused() {
    let f = check_file(&format!("{PERSON}/etiket.yaml"), &corpus("tag.yaml"));
    expect(&f, "parse-error", 2, "tags");
    let f = check_file(&format!("{PERSON}/ozel.etiket.yaml"), &corpus("custom-tag.yaml"));
    expect(&f, "parse-error", 2, "tags");
}

#[test]
fn numbers_where_dates_go() {
    let f = check_file(&format!("{REQUEST}/TLP-2026-0105.md"), &corpus("bad-dates.md"));
    // One finding per date, saying how dates are written (not the pattern and the format).
    expect(&f, "schema", 8, "`received`: `2024-13-45` is not a date; write it as YYYY-MM-DD");
    expect(&f, "schema", 11, "`due`: `1e309` is not a date");
    assert_eq!(f.iter().filter(|f| f.line == Some(8)).count(), 1, "{f:#?}");
    expect(&f, "schema", 14, "`history[0].date`: 20261102 is not of type \"string\"");
}

#[test]
fn records_in_the_wrong_folder() {
    let request = crate::harness::fixtures().join("good/records/requests/2026/TLP-2026-0001.md");
    let text = std::fs::read(&request).unwrap();
    let f = check_file("records/requests/2025/TLP-2026-0001.md", &text);
    expect(&f, "id-filename", 2, "is a 2026 id but the file is in the `2025` folder");

    let person = crate::harness::fixtures().join("base/records/org/people/elif.kara.yaml");
    let f = check_file("records/org/units/elif.kara.yaml", &std::fs::read(person).unwrap());
    expect(&f, "schema", 1, "missing required field `type`");

    let server = "id: srv-web01\ntype: server\nname: Web sunucusu\nowner: yazilim-devops-servisi\nstatus: active\nclassification: internal\n";
    let f = check_file("records/inventory/application/srv-web01.yaml", server.as_bytes());
    expect(&f, "schema", 2, "`type`");

    let f = check_file("records/inventory/servers/srv-web01.yaml", server.as_bytes());
    assert!(f.iter().any(|f| f.rule == "unknown-kind"), "{f:#?}");
}

#[test]
fn terminal_escapes_in_values_are_shown_not_sent() {
    let repo = Repo::with_overlays(&[]);
    write_bytes(repo.path(), &format!("{PERSON}/kacis.dizisi.yaml"), &corpus("escape-sequences.yaml"));
    let f = check_file(&format!("{PERSON}/kacis.dizisi.yaml"), &corpus("escape-sequences.yaml"));
    expect(&f, "dangling-ref", 3, "`unit` names");
    for format in ["human", "github"] {
        let output = repo.defter(&["validate", "--as-of", AS_OF, "--format", format]);
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(!text.contains(['\u{1b}', '\u{9b}', '\u{7}']), "{format}: {text:?}");
    }
}

/// All of the corpus at once, with the injection overlay: validate in every format and
/// build the site; nothing may stop the run.
#[test]
fn the_whole_corpus_at_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = Repo::with_overlays(&[&root.join("tests/fixtures/good"), &root.join("tests/adversarial/injection")]);
    for entry in std::fs::read_dir(root.join("tests/adversarial/corpus")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if name.ends_with(".md") { format!("{REQUEST}/{name}") } else { format!("{PERSON}/{name}") };
        write_bytes(repo.path(), &rel, &std::fs::read(entry.path()).unwrap());
    }
    let (findings, _) = validate(repo.path());
    assert!(findings.len() > 40, "{}", findings.len());
    for format in ["human", "github"] {
        assert_ran(&repo.defter(&["validate", "--as-of", AS_OF, "--format", format]));
    }
    let out = repo.path().join("public");
    let built = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(built.status.code(), Some(0), "{}", String::from_utf8_lossy(&built.stderr));
}

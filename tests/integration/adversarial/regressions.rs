//! Every input a fuzzer found a problem with (and the seeds it started from), replayed
//! through the same target bodies the fuzzers run (`fuzz/targets.rs`):
//! `tests/adversarial/fuzz-regressions/<target>/<file>`.

use std::path::Path;

#[allow(dead_code)]
#[path = "../../../fuzz/targets.rs"]
mod targets;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/adversarial/fuzz-regressions").join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&bytes));
        assert!(outcome.is_ok(), "{target} panics on {}", path.display());
        count += 1;
    }
    count
}

#[test]
fn fuzz_findings_stay_fixed() {
    let mut total = 0;
    for (target, run) in [
        ("frontmatter", targets::frontmatter as fn(&[u8])),
        ("yaml", targets::yaml),
        ("validate", targets::validate),
        ("markdown", targets::markdown),
    ] {
        total += replay(target, run);
    }
    assert!(total > 0);
}

/// The corpus of hostile files goes through the fuzz targets too.
#[test]
fn the_adversarial_corpus_through_the_fuzz_targets() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/adversarial/corpus");
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        targets::frontmatter(&bytes);
        targets::yaml(&bytes);
        targets::markdown(&bytes);
        for kind in 0..10u8 {
            let mut input = vec![kind];
            input.extend(&bytes);
            targets::validate(&input);
        }
    }
}

/// The shapes once quadratic in their size (`budget.rs`) through the fuzz targets: each
/// within the targets' time budget per byte. `fuzz/run.sh` runs them at 1 MB.
#[test]
fn the_slow_shapes_through_the_fuzz_targets_within_their_budget() {
    for (_, file, text) in super::budget::shapes(super::budget::UNIT) {
        let kind = if file.ends_with(".md") { 0 } else { 3 };
        let mut input = vec![kind];
        input.extend(text.as_bytes());
        targets::validate(&input);
        if file.ends_with(".md") {
            targets::frontmatter(text.as_bytes());
            targets::markdown(text.as_bytes());
        } else {
            targets::yaml(text.as_bytes());
        }
    }
}

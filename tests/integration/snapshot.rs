//! The example site, byte for byte: every file the README's build command makes from the
//! example `records/` is compared with the digests in `tests/fixtures/example-site.digest`.
//! A refactoring must leave them all as they are; a change meant to alter the site
//! updates the file (`DEFTER_BLESS=1 cargo test --test integration snapshot`), and the
//! diff of the digests shows which pages it touched, for review like code.

use std::hash::Hasher;
use std::path::Path;

use crate::harness::{AS_OF, defter, files_in};

const DIGESTS: &str = "tests/fixtures/example-site.digest";

/// A stable 128-bit digest (SipHash-1-3 with fixed keys: the same on every platform).
fn digest(bytes: &[u8]) -> String {
    let mut hasher = siphasher::sip128::SipHasher13::new_with_keys(0, 0);
    hasher.write(bytes);
    format!("{:032x}", siphasher::sip128::Hasher128::finish128(&hasher).as_u128())
}

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn the_example_site_is_the_one_its_digests_record() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Outside git, so that no commit or history makes the pages differ from run to run.
    let dir = tempfile::tempdir().unwrap();
    for part in ["records", "schemas", "site-templates"] {
        copy(&root.join(part), &dir.path().join(part));
    }
    std::fs::copy(root.join("defter.toml"), dir.path().join("defter.toml")).unwrap();
    let out = dir.path().join("site");
    let output = defter(dir.path(), &["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    // The build state is keyed with a per-repository secret and the binary: not content.
    let made: String = files_in(&out)
        .iter()
        .filter(|(path, _)| !path.starts_with(".defter-"))
        .map(|(path, bytes)| format!("{}  {path}\n", digest(bytes)))
        .collect();
    assert!(made.lines().count() > 500, "the example site has its pages:\n{made}");
    let file = root.join(DIGESTS);
    if std::env::var_os("DEFTER_BLESS").is_some() {
        std::fs::write(&file, &made).unwrap();
        return;
    }
    let kept = std::fs::read_to_string(&file).unwrap_or_default();
    let changed: Vec<String> = {
        let kept: std::collections::BTreeSet<&str> = kept.lines().collect();
        let made: std::collections::BTreeSet<&str> = made.lines().collect();
        kept.symmetric_difference(&made).map(|l| l.to_string()).collect()
    };
    assert!(
        changed.is_empty(),
        "the example site differs from {DIGESTS} in {} lines (first: {:?}); if the change is \
         meant, update it with DEFTER_BLESS=1 cargo test --test integration snapshot",
        changed.len(),
        &changed[..changed.len().min(10)]
    );
}

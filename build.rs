//! Names the sources this defter is built from, for the caches in `.git/defter/` and the
//! site's build state (`git::binary_identity`): what they hold was made by defter's code,
//! so another code must not reuse it — but the same code must, whatever copy of the
//! binary runs it. A CI job downloads the release binary anew on every run (a new path
//! and modification time each time); keyed by the executable file, every cache and the
//! last site would be thrown away on every run, which is the run they exist for.
//!
//! The id is a hash of every file the binary is compiled from or embeds (`src/`, the
//! default rules in `schemas/`, what `init` writes in `starter/`, `docs/rules.md`) and of
//! `Cargo.toml` and `Cargo.lock` (a dependency's version can change what a parse or a
//! page makes), by path and content, in the order of their paths.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

const INPUTS: [&str; 6] = ["src", "schemas", "starter", "docs/rules.md", "Cargo.toml", "Cargo.lock"];

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for input in INPUTS {
        // A folder is watched whole: cargo runs this again when any file below it changes.
        println!("cargo:rerun-if-changed={input}");
        collect(&root, &root.join(input), &mut files);
    }
    files.sort();
    // Two differently keyed hashes: 128 bits, so two builds never share an id by chance.
    let mut hashers = [DefaultHasher::new(), DefaultHasher::new()];
    for (i, h) in hashers.iter_mut().enumerate() {
        i.hash(h);
    }
    for (rel, path) in &files {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        for h in &mut hashers {
            (rel, &bytes).hash(h);
        }
    }
    let [a, b] = hashers.map(|h| h.finish());
    println!("cargo:rustc-env=DEFTER_SOURCE_ID={a:016x}{b:016x}");
}

/// Every file at or below `path` (a package without one of the inputs, such as a crate
/// without its lock file, has nothing there), with its path relative to `root`,
/// `/`-separated.
fn collect(root: &Path, path: &Path, out: &mut Vec<(String, PathBuf)>) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else { return };
        for entry in entries.flatten() {
            collect(root, &entry.path(), out);
        }
    } else if path.is_file() {
        let rel = path.strip_prefix(root).unwrap_or(path);
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        out.push((rel, path.to_path_buf()));
    }
}

//! The layer order `src/lib.rs` states is the order the code keeps: no module imports a
//! module of its own or a higher layer (tests inside the modules included).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, top first, as the `Layers:` line of lib.rs's documentation names them.
fn layers(lib: &str) -> Vec<Vec<String>> {
    let line = lib
        .lines()
        .find_map(|l| l.strip_prefix("//! Layers: "))
        .expect("lib.rs documents its layers on a `//! Layers: ` line");
    line.split('>').map(|layer| layer.split_whitespace().map(str::to_string).collect()).collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules of ours a file names (`crate::x`).
fn imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let name: String =
            text[i + "crate::".len()..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

/// Which top-level module a file under src/ belongs to.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// Upward or sideways imports in `src`, as `file: module → imported`.
fn violations(src: &Path) -> Vec<String> {
    let order = layers(&std::fs::read_to_string(src.join("lib.rs")).expect("src/lib.rs"));
    let rank: BTreeMap<&str, usize> =
        order.iter().enumerate().flat_map(|(i, layer)| layer.iter().map(move |m| (m.as_str(), i))).collect();
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let Some(module) = module_of(src, &file) else { continue };
        let Some(&own) = rank.get(module.as_str()) else {
            out.push(format!("{}: module `{module}` is on no layer of lib.rs", file.display()));
            continue;
        };
        for used in imports(&std::fs::read_to_string(&file).expect("a source file")) {
            if used == module {
                continue;
            }
            match rank.get(used.as_str()) {
                // A lower layer has a higher index (the line lists the top first).
                Some(&theirs) if theirs > own => {}
                Some(_) => out.push(format!("{}: `{module}` imports `{used}`, not below it", file.display())),
                None => out.push(format!("{}: `{used}` is on no layer of lib.rs", file.display())),
            }
        }
    }
    out
}

#[test]
fn every_import_points_down_the_layers_lib_rs_states() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(found.is_empty(), "imports against the layer order:\n{}", found.join("\n"));
}

#[test]
fn an_upward_import_is_caught() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let src = dir.path();
    std::fs::write(src.join("lib.rs"), "//! Layers: cmd > load > model\n").unwrap();
    std::fs::create_dir(src.join("model")).unwrap();
    std::fs::write(src.join("model/mod.rs"), "use crate::model::x;\n").unwrap();
    std::fs::write(src.join("model/node.rs"), "fn f() { crate::load::read(); }\n").unwrap();
    std::fs::write(src.join("load.rs"), "use crate::model::Node; use crate::cmd::x; use crate::site::y;\n").unwrap();
    std::fs::write(src.join("cmd.rs"), "use crate::load; use crate::model; // $crate::cmd in a macro\n").unwrap();
    let found = violations(src);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].ends_with("load.rs: `load` imports `cmd`, not below it"), "{}", found[0]);
    assert!(found[1].ends_with("load.rs: `site` is on no layer of lib.rs"), "{}", found[1]);
    assert!(found[2].ends_with("node.rs: `model` imports `load`, not below it"), "{}", found[2]);
}

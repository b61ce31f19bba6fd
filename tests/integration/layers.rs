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

/// The rooms of `src/site/` (a file directly in it, or a folder) and the rooms each one
/// imports, comments left out: `crate::site::ROOM`, and `super::ROOM` (one `super` per
/// folder level). Names that are no room are items of `site/mod.rs`, the entry, which
/// declares the rooms and renders through them: not an edge.
fn site_rooms(site: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(site, &mut files);
    let room_of = |file: &Path| {
        let rel = file.strip_prefix(site).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_str().unwrap().to_string();
        (first.strip_suffix(".rs").map(str::to_string).unwrap_or(first), rel.components().count())
    };
    let rooms: BTreeSet<String> = files.iter().map(|f| room_of(f).0).filter(|r| r != "mod").collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let (room, depth) = room_of(file);
        if room == "mod" {
            continue;
        }
        let text: String = std::fs::read_to_string(file)
            .unwrap()
            .lines()
            .map(|line| line.split("//").next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        let up = "super::".repeat(depth);
        let mut used = BTreeSet::new();
        for prefix in ["crate::site::", up.as_str()] {
            for (i, _) in text.match_indices(prefix) {
                // `super::super::x` is not `super::x` read from its second half.
                if text[..i].ends_with("::") {
                    continue;
                }
                let name: String =
                    text[i + prefix.len()..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if rooms.contains(&name) && name != room {
                    used.insert(name);
                }
            }
        }
        graph.entry(room).or_insert_with(BTreeSet::new).extend(used);
    }
    graph
}

/// A circle of imports in `graph`, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_rooms_of_the_site_import_each_other_without_a_circle() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/site");
    let graph = site_rooms(&site);
    for room in ["pages", "build", "formats", "data", "html", "view"] {
        assert!(graph.contains_key(room), "src/site/ has no room `{room}`: {:?}", graph.keys());
    }
    assert!(graph["formats"].is_empty(), "the formats know nothing of the site: {:?}", graph["formats"]);
    assert!(!graph["build"].contains("pages"), "the incremental machinery imports no page");
    assert_eq!(circle(&graph), None, "rooms of src/site/ that import each other: {graph:#?}");
}

#[test]
fn a_circle_among_rooms_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    std::fs::create_dir(site.join("pages")).unwrap();
    std::fs::write(site.join("mod.rs"), "use pages::home;\n").unwrap();
    std::fs::write(site.join("pages/home.rs"), "use crate::site::data::Site; // super::super::build\n").unwrap();
    std::fs::write(site.join("data.rs"), "fn f() { super::html::esc(); }\n").unwrap();
    std::fs::write(site.join("html.rs"), "use super::super::pages; fn g() {}\n").unwrap();
    let graph = site_rooms(site);
    assert_eq!(graph["html"], BTreeSet::new(), "`super::super` from a file in site/ is not a room");
    assert_eq!(circle(&graph), None, "{graph:?}");
    std::fs::write(site.join("html.rs"), "use super::pages::home::x;\n").unwrap();
    let found = circle(&site_rooms(site)).expect("pages → data → html → pages");
    assert_eq!(found.first(), found.last());
    assert_eq!(found.len(), 4, "{found:?}");
}

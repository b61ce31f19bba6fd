//! The **Bad** and **Fixed** examples of `docs/rules.md`, run: in a copy of the example
//! records, each Bad example must give the rule of its section (in one of its files) and
//! each Fixed example must be clean of it.
//!
//! How an example's code blocks become files:
//! - the path is the `File `…`:` or `Body of `…`:` line before the block, or the block's
//!   first line (`# records/… (front matter)`, `# records/… — base`); a Fixed block
//!   without one continues the Bad example's file;
//! - a snippet with `# …` (or a record's front matter) is laid over the record as it is in
//!   the example records, or in `tests/fixtures/docs/` for records the examples invent;
//!   a list whose first line is `# …` gets the snippet's entries appended;
//! - `— base` blocks are committed first and the check runs with `--base`;
//! - text blocks list paths (`unknown-kind`, `case-clash`) or delete a file (`D path`).
//!
//! A section marked `<!-- examples: not run (…) -->` is skipped; the test knows which.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::{Map, Value as Json};

use crate::harness::{AS_OF, defter, findings, fixtures};

/// Sections whose examples cannot be run, each marked so in docs/rules.md.
const NOT_RUN: &[&str] = &["commit-author", "codeowners-stale"];

/// Sections whose Fixed example is told in prose, without a block to run.
const FIXED_IN_PROSE: &[&str] = &["immutable-field"];

#[derive(Clone, Debug, PartialEq)]
enum Tag {
    Whole,
    FrontMatter,
    Body,
    Base,
    Working,
}

#[derive(Clone, Debug)]
struct Block {
    lang: String,
    path: Option<String>,
    tag: Tag,
    text: String,
}

#[derive(Debug)]
struct Example {
    rule: String,
    bad: bool,
    line: usize,
    as_of: Option<String>,
    blocks: Vec<Block>,
}

fn docs() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md")).unwrap()
}

/// The path and tag a block's first line names, if it names one.
fn header(first: &str) -> Option<(String, Tag)> {
    let rest = first.strip_prefix("# ")?;
    if !rest.starts_with("records/") {
        return None;
    }
    let path = rest.split([' ', '(']).next().unwrap().to_string();
    let tag = if rest.contains("— base") {
        Tag::Base
    } else if rest.contains("— working tree") {
        Tag::Working
    } else if rest.contains("(front matter)") {
        Tag::FrontMatter
    } else {
        Tag::Whole
    };
    Some((path, tag))
}

/// Every Bad / Fixed example, by section, and the sections marked not run.
fn examples(text: &str) -> (Vec<Example>, Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let (mut out, mut skipped) = (Vec::<Example>::new(), Vec::new());
    let mut rule = String::new();
    let mut open = false; // blocks still join the current example
    let mut marker = false; // in the paragraph of the **Bad** / **Fixed** marker
    let mut pending: Option<(String, Tag)> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(id) = line.strip_prefix("## `").and_then(|r| r.strip_suffix('`')) {
            rule = id.to_string();
            open = false;
        } else if line.starts_with("<!-- examples: not run") {
            skipped.push(rule.clone());
        } else if line.starts_with("**Bad") || line.starts_with("**Fixed") {
            let as_of = line.split_once("as of ").map(|(_, r)| r[..10].to_string());
            out.push(Example {
                rule: rule.clone(),
                bad: line.starts_with("**Bad"),
                line: i + 1,
                as_of,
                blocks: vec![],
            });
            (open, marker) = (true, true);
        } else if let Some(fence) = line.strip_prefix("```") {
            let start = i + 1;
            i = start;
            while !lines[i].starts_with("```") {
                i += 1;
            }
            let body = lines[start..i].join("\n") + "\n";
            let named = pending.take();
            if open {
                let (path, tag) = match named {
                    Some(p) => (Some(p.0), p.1),
                    None => match header(lines[start]) {
                        Some((p, t)) => (Some(p), t),
                        None => (None, Tag::Whole),
                    },
                };
                let example = out.last_mut().unwrap();
                example.blocks.push(Block { lang: fence.to_string(), path, tag, text: body });
            }
        } else if let Some(rest) = line.strip_prefix("File `").or_else(|| line.strip_prefix("Body of `")) {
            let path = rest.split('`').next().unwrap().to_string();
            pending = Some((path, if line.starts_with("Body") { Tag::Body } else { Tag::Whole }));
        } else if line.trim().is_empty() {
            marker = false;
        } else if !marker {
            (open, pending) = (false, None); // prose ends the example
        }
        i += 1;
    }
    (out, skipped)
}

/// A Markdown record's front matter and body, or a YAML record (no body).
fn split(path: &str, text: &str) -> (String, Option<String>) {
    if !path.ends_with(".md") {
        return (text.to_string(), None);
    }
    let Some(rest) = text.strip_prefix("---\n") else { return (String::new(), Some(text.to_string())) };
    match rest.find("\n---\n") {
        Some(end) => (rest[..end + 1].to_string(), Some(rest[end + 5..].to_string())),
        None => (rest.to_string(), Some(String::new())),
    }
}

fn parse(yaml: &str) -> Map<String, Json> {
    match defter::load::yaml::parse(yaml, 0).map(|n| n.to_json()) {
        Ok(Json::Object(map)) => map,
        _ => Map::new(),
    }
}

/// `fields` with the snippet's keys laid over them; a list the snippet opens with `# …`
/// keeps its entries and gets the snippet's appended.
fn lay_over(mut fields: Map<String, Json>, snippet: &str) -> Map<String, Json> {
    let lines: Vec<&str> = snippet.lines().collect();
    for (key, value) in parse(snippet) {
        let opens = lines.iter().position(|l| l.starts_with(&format!("{key}:")));
        let appended = opens.and_then(|at| lines.get(at + 1)).is_some_and(|next| next.trim() == "# …");
        match (appended, fields.get_mut(&key), value) {
            (true, Some(Json::Array(old)), Json::Array(new)) => old.extend(new),
            (_, _, value) => {
                fields.insert(key, value);
            }
        }
    }
    fields
}

/// A record's text from its fields (each value as one-line JSON, which is YAML).
fn render(path: &str, fields: &Map<String, Json>, body: Option<&str>) -> String {
    let yaml: String = fields.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
    if path.ends_with(".md") { format!("---\n{yaml}---\n{}", body.unwrap_or_default()) } else { yaml }
}

/// The record at `path` before any example touches it: the example records' or the
/// fixture's invented one.
fn context(root: &Path, path: &str) -> Option<String> {
    let invented = fixtures().join("docs").join(path);
    std::fs::read_to_string(root.join(path)).ok().or_else(|| std::fs::read_to_string(invented).ok())
}

/// A copy of the example records (with `defter.toml`) in a temporary git repository.
struct Workspace {
    dir: tempfile::TempDir,
    /// The example records as they were, to read contexts from.
    root: std::path::PathBuf,
    committed: bool,
    /// The files of the Bad example a Fixed one follows, as the Bad example left them.
    bad_texts: BTreeMap<String, String>,
}

impl Workspace {
    fn new() -> Workspace {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
        let dir = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(root.join("records")) {
            let entry = entry.unwrap();
            let target = dir.path().join(entry.path().strip_prefix(&root).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
        std::fs::copy(root.join("defter.toml"), dir.path().join("defter.toml")).unwrap();
        Workspace { dir, root, committed: false, bad_texts: BTreeMap::new() }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn read(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.path().join(rel)).ok()
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn git(&self, args: &[&str]) {
        let output = Command::new("git")
            .current_dir(self.path())
            .args(["-c", "commit.gpgsign=false", "-c", "user.name=t", "-c", "user.email=t@izmir.bel.tr"])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }

    fn commit(&mut self) {
        self.git(&["init", "-q", "-b", "main"]);
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", "base"]);
        self.committed = true;
    }

    /// Lays one block over the workspace; `current` is the file a path-less block means,
    /// `from_context` whether it starts from the record's context rather than as it is.
    fn apply(&mut self, block: &Block, current: &str, from_context: bool) -> Vec<String> {
        let path = block.path.clone().unwrap_or_else(|| current.to_string());
        if block.lang == "text" || block.lang == "sh" {
            return self.apply_text(block);
        }
        let elided = block.text.lines().any(|l| l.trim() == "# …");
        // A Markdown block that is not a whole file is a body (`Body of` the file).
        let body = block.tag == Tag::Body || (block.lang == "markdown" && !block.text.starts_with("---\n"));
        if body {
            let (front, _) = split(&path, &self.read(&path).or_else(|| context(&self.root, &path)).unwrap_or_default());
            self.write(&path, &format!("---\n{front}---\n{}", block.text));
        } else if block.path.is_some() && block.tag == Tag::Whole && !elided {
            self.write(&path, &block.text);
        } else {
            let start = if from_context || block.path.is_some() {
                context(&self.root, &path).unwrap_or_default()
            } else {
                self.bad_texts.get(&path).cloned().or_else(|| self.read(&path)).unwrap_or_default()
            };
            let (front, body) = split(&path, &start);
            let (snippet, own_body) = if block.text.starts_with("---\n") {
                let (f, b) = split(&path, &block.text);
                (f, b)
            } else {
                (block.text.clone(), None)
            };
            let fields = lay_over(parse(&front), &snippet);
            self.write(&path, &render(&path, &fields, own_body.or(body).as_deref()));
        }
        vec![path]
    }

    /// Text blocks: paths of files (`path  # note` or `path  id: X`), or `D path` deletions
    /// and `git checkout … -- path` restorations.
    fn apply_text(&mut self, block: &Block) -> Vec<String> {
        let mut touched = Vec::new();
        for line in block.text.lines() {
            let line = line.trim();
            if let Some(path) = line.strip_prefix("D ") {
                let path = path.trim();
                if !self.committed {
                    self.write(path, &context(&self.root, path).expect("a context for the deleted record"));
                    self.commit();
                }
                std::fs::remove_file(self.path().join(path)).unwrap();
                touched.push(path.to_string());
            } else if let Some(rest) = line.strip_prefix("git checkout ") {
                let path = rest.rsplit(' ').next().unwrap();
                self.write(path, &context(&self.root, path).unwrap());
                touched.push(path.to_string());
            } else if line.starts_with("records/") {
                let path = line.split_whitespace().next().unwrap().to_string();
                let text = match line.split_once("id: ") {
                    Some((_, id)) => {
                        let like = self.read(&path.to_lowercase()).unwrap_or_default();
                        let kept: String =
                            like.lines().filter(|l| !l.starts_with("id:")).map(|l| format!("{l}\n")).collect();
                        format!("id: {}\n{kept}", id.trim())
                    }
                    None => format!("id: {}\n", Path::new(&path).file_stem().unwrap().to_string_lossy()),
                };
                self.write(&path, &text);
                touched.push(path);
            }
        }
        touched
    }

    /// `rule path` of every finding of `validate` (with `--base HEAD` once committed).
    fn findings(&self, as_of: &str) -> Vec<String> {
        let mut args = vec!["validate", "--as-of", as_of, "--format", "json"];
        if self.committed {
            args.extend(["--base", "HEAD"]);
        }
        let output = defter(self.path(), &args);
        assert!(matches!(output.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&output.stderr));
        findings(&output).into_iter().map(|f| f.split(':').next().unwrap().to_string()).collect()
    }
}

/// Builds the files of `example` (after its Bad, for a Fixed one) and returns them.
fn build(ws: &mut Workspace, example: &Example, bad_files: &[String]) -> Vec<String> {
    let mut files = Vec::new();
    let base: Vec<&Block> = example.blocks.iter().filter(|b| b.tag == Tag::Base).collect();
    for block in &base {
        ws.apply(block, "", false);
    }
    if !base.is_empty() {
        ws.commit();
    }
    for block in example.blocks.iter().filter(|b| b.tag != Tag::Base) {
        let current = files.last().or(bad_files.first()).cloned().unwrap_or_default();
        // A Fixed block without a path that restates the record (`# …` at its top level)
        // starts from the record's context; otherwise it continues the Bad one.
        let restates = block.text.lines().any(|l| l == "# …");
        files.extend(ws.apply(block, &current, restates));
    }
    files
}

#[test]
fn every_bad_example_fires_its_rule_and_every_fixed_one_is_clean_of_it() {
    let (examples, skipped) = examples(&docs());
    assert_eq!(skipped, NOT_RUN, "sections marked `<!-- examples: not run` in docs/rules.md");
    let mut problems = Vec::new();
    let mut ran = BTreeMap::<String, (usize, usize)>::new();
    // The last Bad example: its workspace, files and their texts, and its date.
    let mut last_bad: Option<(Workspace, Vec<String>, String)> = None;
    for example in examples.iter().filter(|e| !skipped.contains(&e.rule) && !e.blocks.is_empty()) {
        let kind = if example.bad { "Bad" } else { "Fixed" };
        let what = format!("docs/rules.md:{} ({} {kind})", example.line, example.rule);
        let (mut ws, bad_files, as_of) = if example.bad {
            (Workspace::new(), Vec::new(), example.as_of.clone().unwrap_or_else(|| AS_OF.to_string()))
        } else {
            let (bad_ws, files, as_of) = last_bad.take().unwrap_or_else(|| panic!("{what}: no Bad example before it"));
            let texts: BTreeMap<String, String> =
                files.iter().filter_map(|f| bad_ws.read(f).map(|t| (f.clone(), t))).collect();
            let mut ws = if bad_ws.committed {
                // Back to the base the Bad example was committed on.
                bad_ws.git(&["checkout", "-q", "--", "."]);
                bad_ws.git(&["clean", "-qfd"]);
                bad_ws
            } else {
                Workspace::new()
            };
            ws.bad_texts = texts;
            (ws, files, example.as_of.clone().unwrap_or(as_of))
        };
        let files = build(&mut ws, example, &bad_files);
        let got = ws.findings(&as_of);
        let here: Vec<&String> =
            got.iter().filter(|f| files.iter().any(|p| **f == format!("{} {p}", example.rule))).collect();
        let count = ran.entry(example.rule.clone()).or_default();
        if example.bad {
            count.0 += 1;
            if here.is_empty() {
                problems.push(format!("{what}: no `{}` in {files:?}; got {got:#?}", example.rule));
            }
            last_bad = Some((ws, files, as_of));
        } else {
            count.1 += 1;
            if !here.is_empty() {
                problems.push(format!("{what}: still `{}` in {files:?}: {here:?}", example.rule));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    // Every rule's section has run its examples, but the ones marked.
    for rule in defter::diag::Rule::ALL.iter().map(|r| r.id()).filter(|r| !NOT_RUN.contains(r)) {
        let (bad, fixed) = ran.get(rule).copied().unwrap_or_default();
        let fixed_in_prose = FIXED_IN_PROSE.contains(&rule);
        assert!(bad > 0 && (fixed > 0 || fixed_in_prose), "{rule}: {bad} Bad and {fixed} Fixed examples ran");
    }
}

//! The bodies of the fuzz targets, shared with the test that replays every input
//! committed under `tests/adversarial/fuzz-regressions/<target>/`
//! (`tests/integration/adversarial/regressions.rs`). Each target feeds arbitrary bytes
//! to one layer of defter and checks what must hold whatever the input — beyond not
//! panicking, not overflowing the stack and not hanging.

use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use defter::config::Config;
use defter::diag::{Findings, render_github, render_human, render_json};
use defter::load::rules::Ruleset;
use defter::load::{Loaded, RawFile, Records, frontmatter, load_file, yaml};
use defter::model::{Node, Value};
use defter::validate::{Schemas, check_all};

/// The time one input may take: half a second plus 10 µs a byte (20 times that in a
/// debug build, as `cargo test` replays the inputs). It grows with the input, so a pass
/// quadratic in the input's size fails on the large seeds `fuzz/run.sh` makes (1 MB),
/// which libFuzzer's fixed `-timeout` would let through.
struct Budget {
    target: &'static str,
    len: usize,
    started: Instant,
}

impl Budget {
    fn start(target: &'static str, data: &[u8]) -> Self {
        Self { target, len: data.len(), started: Instant::now() }
    }
}

impl Drop for Budget {
    fn drop(&mut self) {
        let scale = if cfg!(debug_assertions) { 20.0 } else { 1.0 };
        let budget = Duration::from_secs_f64(scale * (0.5 + self.len as f64 * 10e-6));
        let took = self.started.elapsed();
        if !std::thread::panicking() {
            assert!(took <= budget, "{}: {} bytes took {took:?}, over the budget of {budget:?}", self.target, self.len);
        }
    }
}

/// `load::frontmatter::split`: the parts are the input's own text, in order, and the
/// body's line number counts the lines before it.
pub fn frontmatter(data: &[u8]) {
    let _budget = Budget::start("frontmatter", data);
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(split) = frontmatter::split(text) else { return };
    assert!(text.ends_with(split.body));
    let before = &text[..text.len() - split.body.len()];
    if let Some(yaml) = split.yaml {
        assert!(before.contains(yaml));
        assert_eq!(split.yaml_line_offset, 1);
    }
    if !split.body.is_empty() {
        assert_eq!(split.body_line as usize, before.matches('\n').count() + 1);
    }
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Every node sits at a position inside the text and is found again by the JSON
/// Pointer that names it (the pointer a schema error carries). Following a pointer
/// searches each mapping on the way, so only the first [`POINTED`] entries of a mapping
/// are looked up: the check itself stays within the time budget on a mapping of 80,000
/// keys.
fn check_node(root: &Node, node: &Node, pointer: &str, lines: usize, look_up: bool) {
    assert!(node.pos.line >= 1 && node.pos.col >= 1 && node.pos.line as usize <= lines, "{:?}", node.pos);
    assert!(!look_up || std::ptr::eq(root.pointer(pointer), node), "pointer {pointer}");
    match &node.value {
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                check_node(root, item, &format!("{pointer}/{i}"), lines, look_up);
            }
        }
        Value::Map(entries) => {
            for (i, e) in entries.iter().enumerate() {
                assert!(e.key_pos.line >= 1 && e.key_pos.line as usize <= lines);
                let pointer = format!("{pointer}/{}", escape(&e.key));
                check_node(root, &e.value, &pointer, lines, look_up && i < POINTED);
            }
        }
        _ => {}
    }
}

/// How many entries of a mapping [`check_node`] follows a pointer to.
const POINTED: usize = 1000;

/// `load::yaml::parse`: a tree whose positions are in the text and whose JSON Pointers
/// lead back to each node; its JSON form is well-formed. Where the reader of the subset
/// records are written in gives a tree, saphyr gives the same one.
pub fn yaml(data: &[u8]) {
    let _budget = Budget::start("yaml", data);
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let (Some(fast), full) = yaml::fast_and_full(text, 0) {
        assert_eq!(Ok(&fast), full.as_ref(), "the two readers differ");
    }
    let Ok(node) = yaml::parse(text, 0) else { return };
    // Lines as YAML counts them: LF, CRLF and a lone CR each end one.
    let lines = text.replace("\r\n", "\n").matches(['\n', '\r']).count() + 1;
    check_node(&node, &node, "", lines, true);
    serde_json::to_string(&node.to_json()).expect("serialises");
}

/// Where the validate target puts its input: the first byte picks the kind.
const PATHS: [&str; 10] = [
    "records/requests/2026/TLP-2026-0001.md",
    "records/projects/PRJ-0001/index.md",
    "records/projects/PRJ-0001/analiz.md",
    "records/org/people/ayse.yilmaz.yaml",
    "records/org/units/zabita-dairesi.yaml",
    "records/grants/2026/YTK-2026-0001.yaml",
    "records/inventory/certificate/crt-zabita.yaml",
    "records/inventory/domain/dom-izmir-bel-tr.yaml",
    "records/inventory/continuity_plan/bcp-zabita.yaml",
    "records/org/people/a.yml",
];

struct Setup {
    rules: Ruleset,
    schemas: Schemas,
    config: Config,
}

static SETUP: LazyLock<Setup> = LazyLock::new(|| {
    let rules = Ruleset::from_source(|_| Ok(None)).expect("embedded rules");
    let schemas = Schemas::compile(&rules).expect("embedded schemas");
    Setup { rules, schemas, config: Config::from_text(None, "defter.toml").expect("defaults") }
});

/// `load::load_file` and every static check on a one-record repository, then the three
/// renderers: findings belong to the file, carry a line, and render.
pub fn validate(data: &[u8]) {
    let _budget = Budget::start("validate", data);
    let Some((&first, bytes)) = data.split_first() else { return };
    let path = PATHS[usize::from(first) % PATHS.len()];
    let mut records = Records::default();
    match load_file(RawFile { path: path.to_string(), bytes: bytes.to_vec() }) {
        Loaded::Record(record, text) => {
            records.sources.insert(path.to_string(), text);
            records.records.push(record);
        }
        Loaded::Problem(d, text) => {
            if let Some(text) = text {
                records.sources.insert(path.to_string(), text);
            }
            records.problems.push(d);
        }
    }
    let setup = &*SETUP;
    let as_of = jiff::civil::date(2026, 11, 30);
    let diagnostics = check_all(&records, &setup.rules, &setup.schemas, &setup.config, as_of);
    for d in &diagnostics {
        assert_eq!(d.path, path);
        assert!(d.pos.is_none_or(|p| p.line >= 1 && p.col >= 1), "{d:?}");
    }
    let report = Findings::new(diagnostics, records.records.len(), &BTreeMap::new());
    let _ = render_human(&report, &records, false, defter::diag::Lang::Tr);
    serde_json::from_str::<serde_json::Value>(&render_json(&report)).expect("JSON output");
    let _ = render_github(&report, defter::diag::Lang::Tr);
    let _: Option<defter::model::Source> = records.sources.remove(path);
}

/// The part of `html` inside each start tag.
fn tags(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices('<').map(move |(i, _)| {
        let rest = &html[i + 1..];
        &rest[..rest.find('>').expect("every tag is closed")]
    })
}

/// ` name="value"` or ` name`: how the renderer writes attributes.
static ATTRIBUTE: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r#"\s([a-zA-Z-]+)(?:="([^"]*)")?"#).expect("compiles"));

const TAGS: [&str; 29] = [
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "em",
    "strong",
    "del",
    "a",
    "img",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "input",
    "sup",
    "div",
];

/// `site::markdown::render`: whatever the Markdown, the HTML holds only the elements
/// the renderer writes, no event handler, and no link or image source with a scheme
/// other than http, https or mailto.
pub fn markdown(data: &[u8]) {
    let _budget = Budget::start("markdown", data);
    let Ok(text) = std::str::from_utf8(data) else { return };
    let html = defter::site::markdown::render(text);
    for tag in tags(&html) {
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let name: String = tag.chars().take_while(char::is_ascii_alphanumeric).collect();
        assert!(TAGS.contains(&name.as_str()), "<{tag}>");
        let attributes = &tag[name.len()..];
        let bare = ATTRIBUTE.replace_all(attributes, "");
        assert!(bare.trim_matches(|c: char| c.is_whitespace() || c == '/').is_empty(), "<{tag}>");
        for c in ATTRIBUTE.captures_iter(attributes) {
            let (key, value) = (&c[1], c.get(2).map_or("", |m| m.as_str()));
            assert!(!key.starts_with("on"), "<{tag}>");
            if key == "href" || key == "src" {
                // Only the escapes the renderer writes; none of them can spell a `:`.
                let escapes = ["&amp;", "&#x27;", "&#39;", "&quot;", "&lt;", "&gt;"];
                assert!(
                    value.match_indices('&').all(|(i, _)| escapes.iter().any(|e| value[i..].starts_with(e))),
                    "<{tag}>"
                );
                let url =
                    value.replace("&#x27;", "'").replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<");
                let url = url.replace("&gt;", ">").replace("&amp;", "&");
                if let Some((scheme, _)) = url.split_once(':').filter(|(s, _)| !s.contains(['/', '?', '#'])) {
                    assert!(matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https" | "mailto"), "<{tag}>");
                }
            }
        }
    }
}

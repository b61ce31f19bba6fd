//! Property tests (proptest): the source positions of generated YAML, the id a path
//! implies, and the slugs the site builds paths from.

use defter::load::{Loaded, RawFile, load_file, yaml};
use defter::model::{Kind, Pos};
use defter::site::html::{MAX_SLUG, slug};
use proptest::prelude::*;

/// A YAML value to write out: scalars in their written form, block mappings, and flow
/// lists of scalars.
#[derive(Clone, Debug)]
enum Tree {
    Scalar(String),
    Flow(Vec<String>),
    Map(Vec<(String, Tree)>),
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9]{0,8}",
        any::<i32>().prop_map(|i| i.to_string()),
        "[a-zA-Z0-9 çğıöşüÇĞİÖŞÜ.,:#-]{0,12}".prop_map(|s| format!("\"{}\"", s.replace('"', "\\\""))),
        "[a-z çğış'-]{0,10}".prop_map(|s| format!("'{}'", s.replace('\'', "''"))),
        Just("2026-03-03".to_string()),
    ]
}

/// A mapping key (`null` would be a null key, which records refuse).
fn key() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,6}".prop_filter("not null", |k| k != "null")
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![scalar().prop_map(Tree::Scalar), prop::collection::vec(scalar(), 0..4).prop_map(Tree::Flow)];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop::collection::btree_map(key(), inner, 1..5).prop_map(|m| Tree::Map(m.into_iter().collect()))
    })
}

/// Writes `tree` as the value of a block mapping at `indent`, recording the expected
/// position of every scalar (by JSON Pointer) and of every key.
struct Writer {
    text: String,
    line: u32,
    expected: Vec<(String, Pos)>,
    keys: Vec<(String, String, Pos)>,
}

impl Writer {
    fn map(&mut self, entries: &[(String, Tree)], indent: usize, pointer: &str) {
        for (key, value) in entries {
            let at = format!("{pointer}/{key}");
            self.keys.push((pointer.to_string(), key.clone(), Pos::new(self.line, indent as u32 + 1)));
            self.text.push_str(&format!("{}{key}:", " ".repeat(indent)));
            let col = (indent + key.len() + 2) as u32 + 1;
            match value {
                Tree::Scalar(s) => {
                    self.expected.push((at, Pos::new(self.line, col)));
                    self.text.push_str(&format!(" {s}\n"));
                }
                Tree::Flow(items) => {
                    self.text.push_str(" [");
                    let mut col = col + 1;
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            self.text.push_str(", ");
                            col += 2;
                        }
                        self.expected.push((format!("{at}/{i}"), Pos::new(self.line, col)));
                        self.text.push_str(item);
                        col += item.chars().count() as u32;
                    }
                    self.text.push_str("]\n");
                }
                Tree::Map(children) => {
                    self.text.push('\n');
                    self.line += 1;
                    self.map(children, indent + 2, &at);
                    continue;
                }
            }
            self.line += 1;
        }
    }
}

fn write(entries: &[(String, Tree)], first_line: u32) -> Writer {
    let mut w = Writer { text: String::new(), line: first_line, expected: Vec::new(), keys: Vec::new() };
    w.map(entries, 0, "");
    w
}

fn root() -> impl Strategy<Value = Vec<(String, Tree)>> {
    prop::collection::btree_map(key(), tree(), 1..6).prop_map(|m| m.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn pointers_lead_to_where_the_value_is_written(entries in root(), offset in 0u32..5) {
        let w = write(&entries, 1 + offset);
        let node = yaml::parse(&w.text, offset).map_err(|e| TestCaseError::fail(format!("{e:?}\n{}", w.text)))?;
        for (pointer, pos) in &w.expected {
            prop_assert_eq!(node.pointer(pointer).pos, *pos, "{}\n{}", pointer, w.text);
        }
        for (parent, key, pos) in &w.keys {
            prop_assert_eq!(node.key_pos_at(parent, key), *pos, "{}/{}\n{}", parent, key, w.text);
        }
    }

    #[test]
    fn crlf_and_a_byte_order_mark_move_nothing(entries in root()) {
        let w = write(&entries, 1);
        let text = format!("\u{feff}{}", w.text.replace('\n', "\r\n"));
        let Loaded::Record(record, _) = load_file(RawFile { path: "records/org/people/a.yaml".into(), bytes: text.into_bytes() }) else {
            return Err(TestCaseError::fail(format!("not loaded:\n{}", w.text)));
        };
        for (pointer, pos) in &w.expected {
            prop_assert_eq!(record.fields.pointer(pointer).pos, *pos, "{}", pointer);
        }
    }

    #[test]
    fn paths_imply_their_ids(
        year in 2000u16..2100,
        n in 0u16..10_000,
        name in "[a-z0-9]+([.-][a-z0-9]+){0,3}",
        section in "[a-z0-9-]{1,12}",
    ) {
        let request = format!("TLP-{year}-{n:04}");
        let grant = format!("YTK-{year}-{n:04}");
        let project = format!("PRJ-{n:04}");
        let cases = [
            (format!("requests/{year}/{request}.md"), Kind::Request, request.clone()),
            (format!("grants/{year}/{grant}.yaml"), Kind::Grant, grant.clone()),
            (format!("projects/{project}/index.md"), Kind::Project, project.clone()),
            (format!("projects/{project}/{section}.md"), Kind::ProjectSection, format!("{project}/{section}")),
            (format!("org/people/{name}.yaml"), Kind::Person, name.clone()),
            (format!("org/units/{name}.yaml"), Kind::Unit, name.clone()),
        ];
        for (path, kind, id) in cases {
            if kind == Kind::ProjectSection && section == "index" {
                continue;
            }
            prop_assert_eq!(Kind::from_path(&path), Some((kind, id)), "{}", path);
        }
        for kind in Kind::ALL.into_iter().filter(|k| k.is_inventory()) {
            let path = format!("inventory/{}/{name}.yaml", kind.name());
            prop_assert_eq!(Kind::from_path(&path), Some((kind, name.clone())));
            prop_assert_eq!(Kind::from_path(&format!("inventory/{}/{name}.yml", kind.name())), None);
        }
    }

    #[test]
    fn any_path_is_recognised_or_refused_without_panic(path in "\\PC{0,60}", bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = Kind::from_path(&path);
        let _ = load_file(RawFile { path: format!("records/{path}"), bytes });
    }

    #[test]
    fn slugs_are_one_safe_path_segment(id in "\\PC{0,300}") {
        let s = slug(&id);
        prop_assert!(!s.is_empty() && s.len() <= MAX_SLUG);
        prop_assert!(!s.starts_with('.'));
        prop_assert!(s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')), "{}", s);
        prop_assert_eq!(slug(&id), s, "deterministic");
    }
}

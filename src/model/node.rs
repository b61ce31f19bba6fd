//! A YAML value tree that remembers where every node and key came from.
//!
//! Records are checked against JSON Schemas and workflow rules; every finding must point
//! at a file, line and column. [`Node`] is the loaded value with its position;
//! [`Node::to_json`] gives the plain `serde_json::Value` the schema validator wants, and
//! [`Node::pointer`] maps a JSON Pointer from a schema error back to the YAML node (as
//! taplo does for TOML).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value as Json};

pub(crate) use super::SmallStr;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub const fn new(line: u32, col: u32) -> Self {
        Self { line, col }
    }
}

/// A YAML 1.2 core-schema value. Serialized (with [`Node`] and [`Entry`]) for the cache
/// of parsed records, `load::cache`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(SmallStr),
    Seq(Box<[Node]>),
    Map(Box<[Entry]>),
}

/// A value and the position where it starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

/// One key of a mapping; keys are always strings in records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub key: SmallStr,
    pub key_pos: Pos,
    pub value: Node,
}

impl Node {
    /// Every string value in the tree (not the keys), in document order.
    pub fn strings(&self) -> Vec<&str> {
        fn walk<'a>(node: &'a Node, out: &mut Vec<&'a str>) {
            match &node.value {
                Value::Str(s) => out.push(s),
                Value::Seq(items) => items.iter().for_each(|i| walk(i, out)),
                Value::Map(entries) => entries.iter().for_each(|e| walk(&e.value, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }

    pub fn new(value: Value, pos: Pos) -> Self {
        Self { value, pos }
    }

    /// The value of `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry (key and value) of `key` when this node is a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// A short string form of a scalar, for messages and comparisons; `None` for
    /// collections and null.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }

    /// Every node reached by a field path: dotted keys, `[]` walks each item of a list
    /// (`deployments[].by`, `developers[]`). Missing parts yield nothing; a null leaf
    /// counts as missing.
    pub fn path<'a>(&'a self, path: &str) -> Vec<&'a Node> {
        let mut current = vec![self];
        for part in path.split('.') {
            let (key, each) = match part.strip_suffix("[]") {
                Some(k) => (k, true),
                None => (part, false),
            };
            let mut next = Vec::new();
            for node in current {
                if let Some(child) = node.get(key) {
                    if each {
                        next.extend(child.as_seq().iter());
                    } else {
                        next.push(child);
                    }
                }
            }
            current = next;
        }
        current.retain(|n| n.value != Value::Null);
        current
    }

    /// Calls `f` with every node [`Node::path`] reaches, in the same order, collecting
    /// nothing: for passes over every record of a large repository.
    pub fn each_at<'a>(&'a self, path: &str, f: &mut impl FnMut(&'a Node)) {
        let (part, rest) = match path.split_once('.') {
            Some((part, rest)) => (part, Some(rest)),
            None => (path, None),
        };
        let (key, each) = match part.strip_suffix("[]") {
            Some(k) => (k, true),
            None => (part, false),
        };
        let Some(child) = self.get(key) else { return };
        let mut visit = |node: &'a Node| match rest {
            Some(rest) => node.each_at(rest, f),
            None if node.value != Value::Null => f(node),
            None => {}
        };
        if each {
            child.as_seq().iter().for_each(&mut visit);
        } else {
            visit(child);
        }
    }

    /// The first string reached by `path`, if any.
    pub fn str_at(&self, path: &str) -> Option<&str> {
        if path.contains("[]") {
            return self.path(path).into_iter().find_map(Node::as_str);
        }
        // Plain keys (the common case): one walk, nothing collected.
        let mut node = self;
        for key in path.split('.') {
            node = node.get(key)?;
        }
        node.as_str()
    }

    /// The node a JSON Pointer (RFC 6901) names, or the deepest node on the way to it,
    /// so a finding about a missing child still points at its parent.
    pub fn pointer(&self, pointer: &str) -> &Node {
        let mut node = self;
        for raw in pointer.split('/').skip(1) {
            let token = raw.replace("~1", "/").replace("~0", "~");
            let next = match &node.value {
                Value::Map(entries) => entries.iter().find(|e| e.key == token).map(|e| &e.value),
                Value::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node
    }

    /// The position of `key` in the mapping a JSON Pointer names, falling back to the
    /// mapping itself.
    pub fn key_pos_at(&self, pointer: &str, key: &str) -> Pos {
        let parent = self.pointer(pointer);
        parent.entry(key).map_or(parent.pos, |e| e.key_pos)
    }

    /// The plain JSON value, for schema validation and templates.
    pub fn to_json(&self) -> Json {
        match &self.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::Number((*i).into()),
            Value::Float(f) => Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Value::Str(s) => Json::String(s.to_string()),
            Value::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for e in entries {
                    map.insert(e.key.to_string(), e.value.to_json());
                }
                Json::Object(map)
            }
        }
    }
}

/// The nodes a field path reaches, keeping only list entries whose fields equal
/// `filter` (`tests[].by` where `role: support`). The filter applies to the entries of
/// the first list the path walks.
pub fn select<'a>(fields: &'a Node, path: &str, filter: &IndexMap<String, String>) -> Vec<&'a Node> {
    if filter.is_empty() {
        return fields.path(path);
    }
    let Some((list, rest)) = path.split_once("[]") else { return fields.path(path) };
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    fields
        .path(&format!("{list}[]"))
        .into_iter()
        .filter(|entry| entry_matches(entry, filter))
        .flat_map(|entry| if rest.is_empty() { vec![entry] } else { entry.path(rest) })
        .collect()
}

/// Whether a list entry's fields equal every `key: value` of `filter`.
pub fn entry_matches(entry: &Node, filter: &IndexMap<String, String>) -> bool {
    filter.iter().all(|(k, v)| entry.get(k).and_then(Node::scalar_text).as_deref() == Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str, line: u32) -> Node {
        Node::new(Value::Str(v.into()), Pos::new(line, 5))
    }

    fn map(entries: Vec<(&str, Node)>, line: u32) -> Node {
        let entries = entries
            .into_iter()
            .map(|(k, v)| Entry { key: k.into(), key_pos: Pos::new(v.pos.line, 1), value: v })
            .collect();
        Node::new(Value::Map(entries), Pos::new(line, 1))
    }

    /// A 100,000-record repository holds some thirty million of these while it is
    /// checked and rendered: a byte here is tens of megabytes there.
    #[test]
    fn trees_stay_small() {
        assert_eq!(std::mem::size_of::<Value>(), 24);
        assert_eq!(std::mem::size_of::<Node>(), 32);
        assert_eq!(std::mem::size_of::<Entry>(), 64);
    }

    #[test]
    fn paths_walk_lists_and_skip_nulls() {
        let deployments = Node::new(
            Value::Seq(
                [map(vec![("by", s("tolga.sen", 3))], 3), map(vec![("by", Node::new(Value::Null, Pos::new(4, 5)))], 4)]
                    .into(),
            ),
            Pos::new(2, 1),
        );
        let root = map(vec![("deployments", deployments), ("id", s("PRJ-0001", 5))], 1);
        let found: Vec<_> = root.path("deployments[].by").iter().filter_map(|n| n.as_str()).collect();
        assert_eq!(found, ["tolga.sen"]);
        assert_eq!(root.str_at("id"), Some("PRJ-0001"));
        assert!(root.path("missing.deeper").is_empty());
        // The walker that collects nothing reaches the same nodes, in the same order.
        for path in
            ["deployments[].by", "deployments[]", "deployments", "id", "missing.deeper", "id.deeper", "deployments.by"]
        {
            let mut walked = Vec::new();
            root.each_at(path, &mut |n| walked.push(std::ptr::from_ref(n)));
            let collected: Vec<_> = root.path(path).into_iter().map(std::ptr::from_ref).collect();
            assert_eq!(walked, collected, "{path}");
        }
        let mut by = Vec::new();
        root.each_at("deployments[].by", &mut |n| by.push(n.pos.line));
        assert_eq!(by, [3], "the null `by` of line 4 is skipped");
    }

    #[test]
    fn pointer_falls_back_to_deepest_existing_node() {
        let root = map(vec![("resolution", map(vec![("date", s("2026-01-01", 7))], 6))], 1);
        assert_eq!(root.pointer("/resolution/date").pos.line, 7);
        assert_eq!(root.pointer("/resolution/tested_by").pos.line, 6);
        assert_eq!(root.key_pos_at("/resolution", "date").line, 7);
    }
}

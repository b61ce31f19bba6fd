//! One record as loaded: its kind, the id its path implies, its YAML fields and its
//! Markdown body (a view of the file's text, shared rather than copied).

use std::sync::Arc;

use super::{Kind, Node, Pos};

/// One loaded record.
#[derive(Clone, Debug)]
pub struct Record {
    pub kind: Kind,
    /// The id the path implies (file stem, project folder, `PRJ-0001/section`).
    pub path_id: String,
    /// Relative to the repository root, `/`-separated.
    pub path: String,
    /// The YAML fields (a mapping; `Null` for a project section without front matter).
    pub fields: Node,
    /// The Markdown body of `.md` records.
    pub body: Option<Body>,
}

#[derive(Clone, Debug)]
pub struct Body {
    /// The Markdown text (a view of the file's text, not a copy, until the site keeps
    /// the body alone: [`SharedText::detach`]).
    pub text: SharedText,
    /// 1-based line of the body's first line in the file.
    pub line: u32,
}

/// A part of a text that others share: a record's body is a view of its file's text,
/// which [`Records::sources`] keeps anyway, so the body is not held twice while the
/// records are checked (the site, which drops the files' texts, detaches it). Reads as
/// a `&str` (it derefs to one).
#[derive(Clone)]
pub struct SharedText {
    text: Arc<str>,
    range: std::ops::Range<usize>,
}

impl SharedText {
    /// The part `range` (byte offsets on character boundaries) of `text`.
    pub fn new(text: Arc<str>, range: std::ops::Range<usize>) -> Self {
        debug_assert!(text.get(range.clone()).is_some());
        SharedText { text, range }
    }

    pub fn as_str(&self) -> &str {
        self.text.get(self.range.clone()).unwrap_or_default()
    }

    /// Makes this part a text of its own, no longer holding the rest of the whole (for
    /// when only the part is kept: the site keeps a record's body, not its front matter).
    pub fn detach(&mut self) {
        if self.range.len() != self.text.len() {
            *self = SharedText::from(self.as_str());
        }
    }

    /// Where in the whole text this part is (byte offsets).
    pub fn range(&self) -> std::ops::Range<usize> {
        self.range.clone()
    }
}

impl std::ops::Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for SharedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for SharedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for SharedText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        let len = text.len();
        SharedText { text: Arc::from(text), range: 0..len }
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> Self {
        SharedText { text: Arc::from(text), range: 0..text.len() }
    }
}

impl Record {
    /// The record's id: its `id` field, or the id its path implies.
    pub fn id(&self) -> &str {
        self.fields.get("id").and_then(Node::as_str).unwrap_or(&self.path_id)
    }

    /// A field's position, or the top of the file.
    pub fn pos_of(&self, key: &str) -> Pos {
        self.fields.entry(key).map_or(self.fields.pos, |e| e.key_pos)
    }
}

//! The YAML records are written in, read without saphyr: block mappings and sequences,
//! one-line flow mappings and sequences of scalars (`- { date: 2026-03-03, by: a }`),
//! one-line plain and quoted scalars, literal and folded block scalars in their plain
//! forms (`notes: >-`), comments and blank lines. It builds the same [`Node`] tree,
//! positions included, as the event-stream reader in [`super`], in a fraction of the
//! time, and gives up — `None` — at the first thing outside that subset: an empty value,
//! a multi-line plain or quoted scalar, an escape, a key that is not a plain word, a
//! tab, a control character, an anchor, tag or alias, a duplicate key, anything saphyr
//! would refuse. The caller then reads the whole text with saphyr, so every
//! error message and every rarer form still comes from one place. A differential test
//! holds the two readers to the same tree on generated and hand-written texts.

use saphyr_parser::ScalarStyle;

use super::{SMALL_MAP, Scratch, scalar};
use crate::model::node::{Entry, Node, Pos, SmallStr, Value};

/// Nesting this deep is left to saphyr (which refuses past [`super::MAX_DEPTH`]).
const DEPTH: usize = 24;

/// A key longer than this is left to saphyr, which refuses a plain key of more than
/// 1,024 characters (the YAML scanner's simple-key limit).
const LONG_KEY: usize = 1_000;

/// One line that holds something: its number (1-based, before the offset), its
/// indentation in spaces, and the rest without the line break.
#[derive(Clone, Copy)]
struct Line<'a> {
    number: u32,
    indent: usize,
    content: &'a str,
}

struct Reader<'a, 's> {
    text: &'a str,
    /// Byte offset of the first line not yet read.
    next: usize,
    /// Number of the next line not yet read.
    next_number: u32,
    /// The current line; `None` at the end of the text.
    line: Option<Line<'a>>,
    offset: u32,
    depth: usize,
    scratch: &'s mut Scratch,
}

/// Reads `text` when all of it is in the subset; `None` otherwise (nothing is kept in
/// `scratch` either way).
pub(super) fn parse(text: &str, line_offset: u32, scratch: &mut Scratch) -> Option<Node> {
    if !plain_text(text.as_bytes()) {
        return None;
    }
    let mut reader = Reader { text, next: 0, next_number: 1, line: None, offset: line_offset, depth: 0, scratch };
    reader.advance()?;
    let first = reader.line?;
    let root = reader.block(first.indent)?;
    reader.line.is_none().then_some(root)
}

/// No byte the subset leaves to saphyr: tabs, carriage returns and other controls, a
/// byte-order mark, C1 controls, the Unicode line and paragraph separators, noncharacters.
fn plain_text(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' | 0x20..=0x7e => {}
            0..=0x1f | 0x7f => return false,
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => return false,
            0xe2 if bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) => return false,
            0xef if matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
            ) =>
            {
                return false;
            }
            _ => {}
        }
        i += 1;
    }
    true
}

/// A byte that may not begin a plain scalar (YAML's indicators).
fn indicator(b: u8) -> bool {
    matches!(
        b,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

/// A key as records write them: ASCII letters, digits, `_`, `-` and `.`, not starting
/// with `-` or `.`.
fn plain_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    !bytes.is_empty()
        && (bytes[0].is_ascii_alphanumeric() || bytes[0] == b'_')
        && bytes.iter().all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// Where `content` has `key:` followed by a space or the end, with a plain key before it.
fn key_end(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    let end = bytes.iter().position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))?;
    (end <= LONG_KEY
        && bytes[end] == b':'
        && matches!(bytes.get(end + 1), None | Some(b' '))
        && plain_key(&content[..end]))
    .then_some(end)
}

/// Whether a line is a block sequence item: `-` followed by a space or the end.
fn item(content: &str) -> bool {
    content.starts_with("- ") || content == "-"
}

/// What follows a value on its line is nothing, spaces, or spaces and a comment.
fn rest_is_blank(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

fn spaces(s: &str) -> usize {
    s.bytes().take_while(|&b| b == b' ').count()
}

impl<'a> Reader<'a, '_> {
    /// Moves to the next line that holds something (not blank, not only a comment).
    /// `None` at a document marker, which the subset leaves to saphyr.
    fn advance(&mut self) -> Option<()> {
        self.line = None;
        while self.next < self.text.len() {
            let rest = &self.text[self.next..];
            let len = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
            let raw = &rest[..len];
            let number = self.next_number;
            self.next += len + 1;
            self.next_number += 1;
            if raw.starts_with("---") || raw.starts_with("...") {
                return None;
            }
            let indent = spaces(raw);
            let content = &raw[indent..];
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            self.line = Some(Line { number, indent, content });
            return Some(());
        }
        Some(())
    }

    /// The position of byte `at` of the current line's content.
    fn pos(&self, line: Line<'_>, at: usize) -> Pos {
        self.pos_after(line, 0, 0, at)
    }

    /// The position of byte `at` of `line`'s content, counting characters from byte
    /// `from`, which is character `chars` (a long flow is counted once, not from its
    /// line's start for each of its items).
    fn pos_after(&self, line: Line<'_>, from: usize, chars: usize, at: usize) -> Pos {
        let more = line.content.as_bytes()[from..at].iter().filter(|&&b| (b & 0xc0) != 0x80).count();
        Pos::new(line.number + self.offset, (line.indent + chars + more) as u32 + 1)
    }

    /// A block sequence or mapping whose first line (the current one) is at `indent`.
    fn block(&mut self, indent: usize) -> Option<Node> {
        if self.depth >= DEPTH {
            return None;
        }
        self.depth += 1;
        let node = match self.line {
            Some(line) if item(line.content) => self.sequence(indent),
            Some(_) => self.mapping(indent),
            None => None,
        };
        self.depth -= 1;
        node
    }

    /// The value of a key or item written on the lines below it (the current line is
    /// the key's or the item's): a nested block, or a sequence at the key's own
    /// indentation when `same_indent_list` allows it.
    fn below(&mut self, indent: usize, same_indent_list: bool) -> Option<Node> {
        self.advance()?;
        let next = self.line?;
        if next.indent > indent {
            self.block(next.indent)
        } else if same_indent_list && next.indent == indent && item(next.content) && !rest_is_blank(&next.content[1..])
        {
            // saphyr places a list written at its key's indentation where its first
            // item starts after the `-` (its scanner's block-entry token, an empty span
            // after the spaces; an empty first item is placed elsewhere).
            let pos = self.pos(next, 1 + spaces(&next.content[1..]));
            let mut list = self.block(next.indent)?;
            list.pos = pos;
            Some(list)
        } else {
            None
        }
    }

    /// A value on the current line after byte `at` of its content, which must end it
    /// (a line below at a deeper indentation would continue a plain scalar: saphyr's).
    fn inline_last(&mut self, at: usize, indent: usize) -> Option<Node> {
        let line = self.line?;
        let value = self.inline(line, at)?;
        self.advance()?;
        match self.line {
            Some(next) if next.indent > indent => None,
            _ => Some(value),
        }
    }

    /// A literal (`|`) or folded (`>`) scalar whose header is at byte `at` of the current
    /// line, written on the lines below at one indentation deeper than `indent`. Only the
    /// plain forms: clipped or stripped (`-`), no indentation indicator, no line more
    /// indented than the first in a folded scalar, no blank line before the first or
    /// holding spaces, no trailing spaces, a line break after the last line.
    fn block_scalar(&mut self, at: usize, indent: usize) -> Option<Node> {
        let line = self.line?;
        let header = &line.content.as_bytes()[at..];
        let literal = header[0] == b'|';
        let strip = header.get(1) == Some(&b'-');
        if !rest_is_blank(&line.content[at + 1 + usize::from(strip)..]) {
            return None;
        }
        // saphyr places a block scalar where its text starts, on the line below.
        let mut pos = Pos::default();
        let mut value = String::new();
        let (mut inner, mut blanks, mut lines) = (0, 0, 0);
        while self.next < self.text.len() {
            let rest = &self.text[self.next..];
            let len = memchr::memchr(b'\n', rest.as_bytes())?;
            let raw = &rest[..len];
            if raw.is_empty() {
                if lines == 0 {
                    return None;
                }
                blanks += 1;
            } else {
                let spaces = spaces(raw);
                if spaces == raw.len() || raw.ends_with(' ') {
                    return None;
                }
                if lines == 0 {
                    if spaces <= indent {
                        return None;
                    }
                    inner = spaces;
                    pos = Pos::new(self.next_number + self.offset, spaces as u32 + 1);
                } else if spaces < inner {
                    break;
                } else if spaces > inner && !literal {
                    return None;
                } else if literal || blanks > 0 {
                    value.extend(std::iter::repeat_n('\n', if literal { blanks + 1 } else { blanks }));
                } else {
                    value.push(' ');
                }
                value.push_str(&raw[inner..]);
                lines += 1;
                blanks = 0;
            }
            self.next += len + 1;
            self.next_number += 1;
        }
        // Blank lines at the very end of the text are left to saphyr: how they are
        // chomped there was not worth copying.
        if lines == 0 || (blanks > 0 && self.next >= self.text.len()) {
            return None;
        }
        if !strip {
            value.push('\n');
        }
        self.advance()?;
        Some(Node::new(Value::Str(value.into()), pos))
    }

    fn mapping(&mut self, indent: usize) -> Option<Node> {
        let first = self.scratch.entries.len();
        let start = self.pos(self.line?, 0);
        while let Some(line) = self.line {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let end = key_end(line.content)?;
            let key = match scalar(&line.content[..end], ScalarStyle::Plain) {
                Value::Str(key) => key,
                _ => return None,
            };
            let key_pos = self.pos(line, 0);
            let after = end + 1 + spaces(&line.content[end + 1..]);
            let value = if rest_is_blank(&line.content[end + 1..]) {
                self.below(indent, true)?
            } else if matches!(line.content.as_bytes()[after], b'|' | b'>') {
                self.block_scalar(after, indent)?
            } else {
                self.inline_last(after, indent)?
            };
            self.scratch.entries.push(Entry { key, key_pos, value });
        }
        let entries = &self.scratch.entries[first..];
        if has_duplicate(entries) {
            return None;
        }
        Some(Node::new(Value::Map(self.scratch.entries.drain(first..).collect()), start))
    }

    fn sequence(&mut self, indent: usize) -> Option<Node> {
        let first = self.scratch.items.len();
        let start = self.pos(self.line?, 0);
        while let Some(line) = self.line {
            if line.indent < indent || (line.indent == indent && !item(line.content)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let at = 1 + spaces(&line.content[1..]);
            let rest = &line.content[at..];
            let value = if rest_is_blank(&line.content[1..]) {
                self.below(indent, false)?
            } else if item(rest) {
                return None;
            } else if matches!(rest.as_bytes()[0], b'|' | b'>') {
                self.block_scalar(at, indent)?
            } else if key_end(rest).is_some() {
                // `- key: value`: a mapping whose keys line up with this first one.
                let inner = Line { number: line.number, indent: line.indent + at, content: rest };
                self.line = Some(inner);
                self.block(inner.indent)?
            } else {
                self.inline_last(at, indent)?
            };
            self.scratch.items.push(value);
        }
        Some(Node::new(Value::Seq(self.scratch.items.drain(first..).collect()), start))
    }

    /// A scalar, flow mapping or flow sequence starting at byte `at` of `line`'s content
    /// and ending the line (but for spaces and a comment).
    fn inline(&mut self, line: Line<'_>, at: usize) -> Option<Node> {
        let s = &line.content[at..];
        let (node, len) = match s.as_bytes()[0] {
            b'{' | b'[' => self.flow(line, at)?,
            b'\'' | b'"' => quoted(s).map(|(v, len)| (Node::new(Value::Str(v), self.pos(line, at)), len))?,
            _ => {
                let len = plain_end(s, false)?;
                (Node::new(scalar(&s[..len], ScalarStyle::Plain), self.pos(line, at)), len)
            }
        };
        rest_is_blank(&s[len..]).then_some(node)
    }

    /// A one-line flow mapping of scalars or flow sequence of scalars at byte `at`;
    /// the node and the bytes it took.
    fn flow(&mut self, line: Line<'_>, at: usize) -> Option<(Node, usize)> {
        let s = &line.content[at..];
        let bytes = s.as_bytes();
        let map = bytes[0] == b'{';
        let close = if map { b'}' } else { b']' };
        let first = if map { self.scratch.entries.len() } else { self.scratch.items.len() };
        let mut i = 1 + spaces(&s[1..]);
        // Characters counted so far: up to byte `counted.0` of the line, `counted.1` of them.
        let mut counted = (0, 0);
        let mut pos_at = |reader: &Self, byte: usize| {
            let pos = reader.pos_after(line, counted.0, counted.1, byte);
            counted = (byte, pos.col as usize - 1 - line.indent);
            pos
        };
        if bytes.get(i) != Some(&close) {
            loop {
                let key = if map {
                    let end = key_end(&s[i..])?;
                    let key = match scalar(&s[i..i + end], ScalarStyle::Plain) {
                        Value::Str(key) => key,
                        _ => return None,
                    };
                    let key_pos = pos_at(self, at + i);
                    i += end + 1 + spaces(&s[i + end + 1..]);
                    Some((key, key_pos))
                } else {
                    None
                };
                let value_pos = pos_at(self, at + i);
                let (value, len) = match *bytes.get(i)? {
                    b'\'' | b'"' => quoted(&s[i..]).map(|(v, len)| (Value::Str(v), len))?,
                    _ => {
                        let len = plain_end(&s[i..], true)?;
                        (scalar(&s[i..i + len], ScalarStyle::Plain), len)
                    }
                };
                let value = Node::new(value, value_pos);
                match key {
                    Some((key, key_pos)) => self.scratch.entries.push(Entry { key, key_pos, value }),
                    None => self.scratch.items.push(value),
                }
                i += len;
                i += spaces(&s[i..]);
                match *bytes.get(i)? {
                    b',' => {
                        i += 1;
                        i += spaces(&s[i..]);
                        if matches!(bytes.get(i), None | Some(b',' | b'}' | b']')) {
                            return None;
                        }
                    }
                    b if b == close => break,
                    _ => return None,
                }
            }
        }
        let pos = self.pos(line, at);
        let value = if map {
            if has_duplicate(&self.scratch.entries[first..]) {
                return None;
            }
            Value::Map(self.scratch.entries.drain(first..).collect())
        } else {
            Value::Seq(self.scratch.items.drain(first..).collect())
        };
        Some((Node::new(value, pos), i + 1))
    }
}

/// The length of a one-line plain scalar at the start of `s`, without the spaces before
/// a comment or a flow indicator; `None` for what the subset leaves to saphyr: a scalar
/// starting with an indicator (but `-` before a digit or a dot, as in `-7`), an empty
/// one, one holding `: ` or ending in `:`, and in a flow collection one holding any of
/// `[]{}#:`.
fn plain_end(s: &str, in_flow: bool) -> Option<usize> {
    let bytes = s.as_bytes();
    let first = *bytes.first()?;
    if indicator(first) && !(first == b'-' && matches!(bytes.get(1), Some(b'0'..=b'9' | b'.'))) {
        return None;
    }
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b',' | b'}' | b']' if in_flow => break,
            b'[' | b'{' | b'#' | b':' if in_flow => return None,
            b'#' if bytes[i - 1] == b' ' => break,
            b':' if matches!(bytes.get(i + 1), None | Some(b' ')) => return None,
            _ => {}
        }
        i += 1;
    }
    let len = s[..i].trim_end_matches(' ').len();
    (len > 0).then_some(len)
}

/// A one-line quoted scalar at the start of `s` and the bytes it took: single-quoted
/// with `''` for a quote, double-quoted without escapes.
fn quoted(s: &str) -> Option<(SmallStr, usize)> {
    let quote = s.as_bytes()[0];
    let body = &s[1..];
    if quote == b'"' {
        let end = memchr::memchr2(b'"', b'\\', body.as_bytes())?;
        return (body.as_bytes()[end] == b'"').then(|| (body[..end].into(), end + 2));
    }
    let mut value = String::new();
    let mut from = 0;
    loop {
        let end = from + memchr::memchr(b'\'', &body.as_bytes()[from..])?;
        value.push_str(&body[from..end]);
        if body.as_bytes().get(end + 1) == Some(&b'\'') {
            value.push('\'');
            from = end + 2;
        } else {
            return Some((value.into(), end + 2));
        }
    }
}

/// Whether two entries share a key.
fn has_duplicate(entries: &[Entry]) -> bool {
    if entries.len() <= SMALL_MAP {
        return entries.iter().enumerate().any(|(i, e)| entries[..i].iter().any(|f| f.key == e.key));
    }
    let mut seen = std::collections::HashSet::with_capacity(entries.len());
    !entries.iter().all(|e| seen.insert(e.key.as_str()))
}

#[cfg(test)]
mod tests {
    use super::super::fast_and_full;
    use proptest::prelude::*;

    /// The subset's tree, which must be saphyr's.
    fn same(text: &str) -> bool {
        let (fast, full) = fast_and_full(text, 1);
        match fast {
            Some(fast) => {
                assert_eq!(Ok(&fast), full.as_ref(), "the readers differ on:\n{text}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn records_as_written_are_read_by_the_subset() {
        for text in [
            "id: TLP-2026-0001\ntitle: Park ve Bahçeler modülünde kayıt\npriority: normal\n",
            "history:\n  - { date: 2026-03-03, by: ali.kaya, status: new, note: Birimden alındı }\n  - { date: 2026-03-04, by: b }\n",
            "instruction: { number: YTF-2019-5477, date: 2019-03-14, signed_by: ismail.tas }\nn: 1\n",
            "resolution:\n  date: 2019-12-02\n  summary: Çözüldü.\n  tested_by: yusuf.ozkan\n",
            "tags: [a, b, 'c d']\nempty: []\nnone: {}\n",
            "# a comment\nid: X # trailing\n\nlist:\n- a\n- 'it''s'\n- \"quoted # not a comment\"\nafter: 1\n",
            "items:\n  - date: 2026-01-01\n    by: a\n  - date: 2026-01-02\n    nested:\n      deep: [1, 2.5, -3, true, null, ~]\n",
            "- a\n- b: c\n  d: e\n-\n  f: g\n",
            "url: https://ornek.izmir.bel.tr/a?b=c#d\nnote: C# ile yazılmış, ',' ve [köşeli] de olur\n",
            "  indented: root\n  second: 2\n",
            "emoji: 🙂 ve İ\nflow: { k: 🙂 İ, l: 0x1F, m: .5 }\n",
            "notes: >-\n  Kullanıcı yetki tanımları (M13(1)(ç)).\n  Parola kasada: saklanır.\n\n  # not a comment\nnext: 1\n",
            "a: |\n  line one\n    indented\n\n  after a blank\nb: >\n  folded\n  text\n\n\nc: x\n",
            "- |-\n  in a list\n- b: >\n    in a mapping\n    in a list\n",
        ] {
            assert!(same(text), "left to saphyr:\n{text}");
        }
    }

    #[test]
    fn what_is_outside_the_subset_is_left_to_saphyr() {
        for text in [
            "",
            "# only a comment\n",
            "plain scalar\n",
            "a:\nb: 1\n",
            "a: b: c\n",
            "a: first line\n  continued\n",
            "a: \"esc\\n\"\n",
            "a: 'unclosed\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: 1\na: 2\n",
            "a: |+\n  keep\n",
            "a: |2\n   indent given\n",
            "a: >\n  folded\n    more indented\n",
            "a: |\n\n  leading blank\n",
            "a: |\n  trailing space \n",
            "a: |\n  no line break at the end",
            "a: { b: 1, b: 2 }\n",
            "a: { b: [1] }\n",
            "a: { b: 1,\n  c: 2 }\n",
            "a: { b: 10:30 }\n",
            "a:\tb\n",
            "a: b\r\n",
            "\u{feff}a: b\n",
            "---\na: b\n",
            "a: b\n...\n",
            "\"quoted key\": 1\n",
            "true: 1\n",
            "? complex\n: key\n",
            "- - nested\n",
            "a: 1\n b: 2\n",
            "a: { b: 1, }\n",
            "a: -\n",
            "a: ends:\n",
            "a: b\u{85}c\n",
        ] {
            assert!(!same(text), "read by the subset:\n{text}");
        }
    }

    #[test]
    fn long_keys_are_left_to_saphyr_and_long_flows_read_once() {
        // saphyr refuses a plain key of more than 1,024 characters outside a flow.
        let long = "k".repeat(1100);
        for text in
            [format!("{}: b\n", "k".repeat(1025)), format!("- {long}: b\n"), format!("x:\n- a: 1\n  {long}: 2\n")]
        {
            assert!(!same(&text), "read by the subset: {}…", &text[..20]);
            assert!(fast_and_full(&text, 1).1.is_err());
        }
        assert!(same(&format!("{}: b\n", "k".repeat(1000))));
        // A line of 20,000 items, not all ASCII: positions counted along the line.
        let items: Vec<String> = (0..20_000).map(|i| format!("ç{i}")).collect();
        let entries: Vec<String> = (0..2_000).map(|i| format!("k{i}: ğ{i}")).collect();
        assert!(same(&format!("a: [{}]\nb: {{ {} }}\n", items.join(", "), entries.join(", "))));
    }

    /// The example repository and every fixture: what the subset reads, it reads as
    /// saphyr does, and it reads nearly all of what people wrote. `DEFTER_YAML_CORPUS`
    /// points the same check at another folder (a generated corpus of 100,000 records).
    #[test]
    fn the_subset_agrees_with_saphyr_on_every_record() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let folders = match std::env::var_os("DEFTER_YAML_CORPUS") {
            Some(folder) => vec![std::path::PathBuf::from(folder)],
            None => vec![root.join("records"), root.join("tests"), root.join("starter")],
        };
        let (mut read, mut left) = (0usize, Vec::new());
        for folder in folders {
            let walk = walkdir::WalkDir::new(folder).sort_by_file_name();
            for entry in walk.into_iter().filter_entry(|e| e.file_name() != "node_modules") {
                let entry = entry.unwrap();
                let path = entry.path();
                let Some(ext) = path.extension().and_then(|e| e.to_str()) else { continue };
                if !matches!(ext, "yaml" | "yml" | "md") || !entry.file_type().is_file() {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(path) else { continue };
                let yaml = if ext == "md" {
                    match crate::load::frontmatter::split(&text) {
                        Ok(split) => match split.yaml {
                            Some(yaml) => yaml.to_string(),
                            None => continue,
                        },
                        Err(_) => continue,
                    }
                } else {
                    text
                };
                if same(&yaml) {
                    read += 1;
                } else if fast_and_full(&yaml, 1).1.is_ok() {
                    left.push(path.display().to_string());
                }
            }
        }
        // Valid records the subset leaves to saphyr are few (block scalars, empty
        // values, escapes); a change that left most of them would be slow, not wrong.
        assert!(read > 20 * left.len().max(1), "{read} read, left to saphyr: {left:#?}");
    }

    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "a",
                "İzmir",
                "2026-03-03",
                "-7",
                "+7",
                ".5",
                "1e3",
                "0x1F",
                "0o17",
                "~",
                "null",
                "True",
                "no",
                "-",
                "-a",
                "a:b",
                "a: b",
                "a:",
                "a #b",
                "a#b",
                "C#",
                "'q'",
                "'it''s'",
                "\"d\"",
                "\"e\\n\"",
                "[x]",
                "{x}",
                "[]",
                "{}",
                "x,y",
                "&a",
                "*a",
                "!t",
                "|",
                ">",
                "%",
                "@",
                "`",
                "? k",
                "a  ",
                " a",
                "",
                "...",
                "---",
                "ç ğ ı ö ş ü",
                "🙂",
                "10:30",
                "a]",
                "a}",
                "\u{85}",
                "a'b",
                "\"",
                "|-",
                ">-",
                "|+",
                ">2",
                "| # c",
                "a b ",
            ])
            .prop_map(String::from),
            "[ -~]{0,6}",
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            1 => prop::sample::select(vec![1000, 1024, 1025, 1100]).prop_map(|n| "k".repeat(n)),
            8 => prop::sample::select(vec![
                "id", "by", "date", "a", "a.b", "a-b", "_x", "1", "true", "null", "x y", "'k'", "-k", ""
            ])
            .prop_map(String::from),
            8 => "[a-c]{1,2}",
        ]
    }

    fn flow() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::collection::vec((key(), scalar()), 0..4).prop_map(|entries| {
                let inner: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!("{{ {} }}", inner.join(", "))
            }),
            prop::collection::vec(scalar(), 0..4).prop_map(|items| format!("[{}]", items.join(", "))),
        ]
    }

    /// A line of a block: indentation, then a key with or without a value, an item, or
    /// a comment.
    fn line() -> impl Strategy<Value = String> {
        let value = prop_oneof![scalar(), flow(), Just(String::new())];
        (
            0usize..7,
            prop_oneof![
                (key(), value.clone()).prop_map(|(k, v)| if v.is_empty() {
                    format!("{k}:")
                } else {
                    format!("{k}: {v}")
                }),
                value.clone().prop_map(|v| format!("- {v}")),
                (key(), value).prop_map(|(k, v)| format!("- {k}: {v}")),
                Just("-".to_string()),
                Just("# c".to_string()),
                scalar(),
                Just(String::new()),
            ],
        )
            .prop_map(|(indent, line)| format!("{}{line}", " ".repeat(indent)))
    }

    /// A document in the shapes records take, to be written out in one of several ways.
    #[derive(Clone, Debug)]
    enum Tree {
        Scalar(String),
        Flow(String),
        Block(&'static str, Vec<String>),
        Map(Vec<(String, Tree)>),
        Seq(Vec<Tree>),
    }

    fn tree() -> impl Strategy<Value = Tree> {
        let text = prop_oneof![3 => "[a-zçğıöşüİ0-9.:/#'-][a-zçğıöşüİ0-9 .:/#'-]{0,10}", 1 => scalar()];
        let leaf = prop_oneof![
            4 => text.prop_map(Tree::Scalar),
            1 => flow().prop_map(Tree::Flow),
            1 => (
                prop::sample::select(vec!["|", "|-", ">", ">-", "|+", "| # c"]),
                prop::collection::vec(prop_oneof![4 => "[a-z#:][a-z #:]{0,8}", 1 => Just(String::new()), 1 => Just("  more".to_string())], 1..4),
            )
                .prop_map(|(header, lines)| Tree::Block(header, lines)),
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec((key(), inner.clone()), 1..4).prop_map(Tree::Map),
                prop::collection::vec(inner, 1..4).prop_map(Tree::Seq),
            ]
        })
    }

    /// Writes `tree` at `indent`, nested blocks `step` deeper, lists under a key at the
    /// key's own indentation when `indentless`.
    fn write(tree: &Tree, indent: usize, step: usize, indentless: bool, out: &mut String) {
        let pad = " ".repeat(indent);
        let value = |value: &Tree, out: &mut String| match value {
            Tree::Scalar(s) | Tree::Flow(s) => *out += &format!(" {s}\n"),
            Tree::Block(header, lines) => {
                *out += &format!(" {header}\n");
                for line in lines {
                    *out += &if line.is_empty() {
                        "\n".to_string()
                    } else {
                        format!("{}{line}\n", " ".repeat(indent + step))
                    };
                }
            }
            Tree::Map(_) => {
                out.push('\n');
                write(value, indent + step, step, indentless, out);
            }
            Tree::Seq(_) => {
                out.push('\n');
                write(value, if indentless { indent } else { indent + step }, step, indentless, out);
            }
        };
        match tree {
            Tree::Map(entries) => {
                for (key, v) in entries {
                    *out += &format!("{pad}{key}:");
                    value(v, out);
                }
            }
            Tree::Seq(items) => {
                for v in items {
                    if let Tree::Map(_) = v {
                        let mut inner = String::new();
                        write(v, indent + 2, step, indentless, &mut inner);
                        *out += &format!("{pad}- {}", &inner[indent + 2..]);
                    } else {
                        *out += &format!("{pad}-");
                        value(v, out);
                    }
                }
            }
            leaf => write(&Tree::Map(vec![("k".into(), leaf.clone())]), indent, step, indentless, out),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

        /// Whatever the subset reads from block-shaped text of awkward pieces, saphyr
        /// reads the same way.
        #[test]
        fn the_subset_reads_what_saphyr_reads(lines in prop::collection::vec(line(), 1..8)) {
            same(&(lines.join("\n") + "\n"));
        }

        /// Documents in the shapes of records, written with 1–4 spaces of indentation,
        /// lists under keys indented or not, blank and comment lines put in anywhere
        /// (inside block scalars, where they are text): what the subset reads of them,
        /// saphyr reads the same way.
        #[test]
        fn the_subset_reads_records_as_saphyr_does(
            tree in tree(),
            step in 1usize..5,
            indentless: bool,
            extra in prop::collection::vec((0usize..40, prop::sample::select(vec!["", "# c", "  # c", "   "])), 0..3),
        ) {
            let mut text = String::new();
            write(&tree, 0, step, indentless, &mut text);
            let mut lines: Vec<&str> = text.lines().collect();
            for (at, line) in &extra {
                lines.insert(at % (lines.len() + 1), line);
            }
            same(&(lines.join("\n") + "\n"));
        }
    }
}

//! Edits that keep the file: a step sets fields and appends list entries by splicing
//! text at the byte spans the loader's positioned tree gives, so that outside the lines
//! it changes a record stays byte for byte (comments, key order, quoting, flow or block
//! style, blank lines, the Markdown body, CRLF, a byte-order mark). Every edit is read
//! back and compared with what it was meant to do; an edit the file's style does not
//! allow (a block scalar where a value is replaced, say) is refused, never guessed.

use serde_json::Value as Json;

use crate::diag::{Message, msg};
use crate::load::{frontmatter, yaml};
use crate::model::{Node, Value};

/// One change to a record's fields. Values are YAML text on one line (`2026-11-30`,
/// `"Kapatıldı: test edildi"`, `[a, b]`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Change {
    /// Sets the field at a dotted path (`resolution.summary`), adding the mappings on
    /// the way that are missing.
    Set { path: String, value: String },
    /// Appends a mapping to the list at a top-level key (added when missing).
    Append { list: String, entry: Vec<(String, String)> },
}

/// Why an edit could not be made.
fn unusual(what: &str) -> Message {
    msg!(
        "the front matter is written in a style this step cannot edit safely ({what}); make the change by hand",
        "ön bilgi bölümü bu adımın güvenle düzenleyemeyeceği bir biçimde yazılmış ({what}); değişikliği elle yapın"
    )
}

/// The file `text` with `changes` made (`markdown`: the YAML is its front matter). A new
/// top-level field goes after the last present field that `order` (the kind's schema
/// order) puts before it, else at the end.
pub(crate) fn apply(text: &str, markdown: bool, changes: &[Change], order: &[String]) -> Result<String, Message> {
    let (bom, text) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let (start, end) = if markdown {
        let split = frontmatter::split(text).map_err(|_| unusual("front matter not closed"))?;
        let yaml = split.yaml.ok_or_else(|| unusual("no front matter"))?;
        let start = yaml.as_ptr() as usize - text.as_ptr() as usize;
        (start, start + yaml.len())
    } else {
        (0, text.len())
    };
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut region = text[start..end].to_string();
    let before = parse(&region)?;
    let mut expected = before.to_json();
    for change in changes {
        let tree = parse(&region)?;
        let (at, remove, insert) = splice(&region, &tree, change, eol, order)?;
        region.replace_range(at..at + remove, &insert);
        expect(&mut expected, change)?;
    }
    if parse(&region)?.to_json() != expected {
        return Err(unusual("the edit did not read back as intended"));
    }
    Ok(format!("{bom}{}{region}{}", &text[..start], &text[end..]))
}

fn parse(region: &str) -> Result<Node, Message> {
    yaml::parse(region, 0).map_err(|e| unusual(&e.message.en))
}

/// The JSON a YAML value text reads as.
fn json_of(value: &str) -> Result<Json, Message> {
    let node = yaml::parse(&format!("v: {value}\n"), 0).map_err(|_| unusual("a value is not one YAML value"))?;
    match node.entries() {
        [entry] if entry.key == "v" => Ok(entry.value.to_json()),
        _ => Err(unusual("a value is not one YAML value")),
    }
}

/// What `change` must make of the fields, in JSON.
fn expect(json: &mut Json, change: &Change) -> Result<(), Message> {
    match change {
        Change::Set { path, value } => {
            let parts: Vec<&str> = path.split('.').collect();
            let mut node = json;
            for (i, part) in parts.iter().enumerate() {
                if node.is_null() {
                    *node = Json::Object(serde_json::Map::new());
                }
                let map = node.as_object_mut().ok_or_else(|| unusual("a field path crosses a value"))?;
                let fresh = if i + 1 < parts.len() { Json::Object(serde_json::Map::new()) } else { Json::Null };
                node = map.entry(part.to_string()).or_insert(fresh);
            }
            *node = json_of(value)?;
        }
        Change::Append { list, entry } => {
            let map = json.as_object_mut().ok_or_else(|| unusual("the record is not a mapping"))?;
            let mut item = serde_json::Map::new();
            for (k, v) in entry {
                item.insert(k.clone(), json_of(v)?);
            }
            let slot = map.entry(list.clone()).or_insert(Json::Array(Vec::new()));
            if slot.is_null() {
                *slot = Json::Array(Vec::new());
            }
            slot.as_array_mut().ok_or_else(|| unusual("the list is not a list"))?.push(Json::Object(item));
        }
    }
    Ok(())
}

/// Line starts of a text, and byte offsets from positions.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The text of line `n` (1-based) without its line ending.
    fn line(&self, n: usize) -> &'a str {
        let start = self.starts[n - 1];
        let end = self.starts.get(n).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    fn count(&self) -> usize {
        if self.text.ends_with('\n') { self.starts.len() - 1 } else { self.starts.len() }
    }

    /// The byte offset of a 1-based line and character column.
    fn offset(&self, line: u32, col: u32) -> usize {
        let start = self.starts[line as usize - 1];
        let rest = &self.text[start..];
        start + rest.char_indices().nth(col as usize - 1).map_or(rest.len(), |(i, _)| i)
    }

    /// The byte offset just after line `n`'s line ending (the end of the text after the
    /// last line).
    fn after(&self, n: usize) -> usize {
        self.starts.get(n).copied().unwrap_or(self.text.len())
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// The last line of the block node that starts on line `first` at indentation `k` (a
/// mapping's keys or a sequence's dashes), trailing blank and comment lines left out.
fn block_end(lines: &Lines, first: usize, k: usize, seq: bool) -> usize {
    let mut last = first;
    for n in first + 1..=lines.count() {
        let line = lines.line(n);
        if is_blank_or_comment(line) {
            continue;
        }
        let i = indent(line);
        let inside = i > k || (i == k && (!seq || line[i..].starts_with('-')));
        if !inside {
            break;
        }
        last = n;
    }
    last
}

/// The end (exclusive) of the flow scalar or flow collection starting at `at`.
fn value_end(text: &str, at: usize) -> Result<usize, Message> {
    let bytes = text.as_bytes();
    match bytes.get(at) {
        Some(b'"') => {
            let mut i = at + 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' => i += 2,
                    b'"' => return Ok(i + 1),
                    b'\n' => return Err(unusual("a quoted value over several lines")),
                    _ => i += 1,
                }
            }
            Err(unusual("an unclosed quote"))
        }
        Some(b'\'') => {
            let mut i = at + 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    b'\'' => return Ok(i + 1),
                    b'\n' => return Err(unusual("a quoted value over several lines")),
                    _ => i += 1,
                }
            }
            Err(unusual("an unclosed quote"))
        }
        Some(b'{' | b'[') => matching(text, at).map(|i| i + 1),
        Some(b'|' | b'>') => Err(unusual("a block scalar")),
        _ => {
            let line_end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
            let mut end = line_end;
            if let Some(i) = text[at..line_end].find(" #") {
                end = at + i;
            }
            Ok(at + text[at..end].trim_end().len())
        }
    }
}

/// The offset of the bracket closing the one at `at`, quotes respected.
fn matching(text: &str, at: usize) -> Result<usize, Message> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = at;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i);
                }
            }
            b'"' | b'\'' => {
                i = value_end(text, i)?;
                continue;
            }
            b'#' if i > 0 && bytes[i - 1].is_ascii_whitespace() => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Err(unusual("an unclosed bracket"))
}

/// A mapping's fields as one flow mapping: `{ a: 1, b: 2 }`.
fn flow_map(fields: &[(String, String)], padded: bool) -> String {
    let inner = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ");
    if padded { format!("{{ {inner} }}") } else { format!("{{{inner}}}") }
}

/// `rest` (the missing keys below a present mapping) and a value, as one flow value.
fn nested(rest: &[&str], value: &str) -> String {
    match rest {
        [] => value.to_string(),
        [key, more @ ..] => format!("{{ {key}: {} }}", nested(more, value)),
    }
}

/// Where the root mapping's text ends: after its last content line.
fn root_end(lines: &Lines) -> usize {
    let mut last = 0;
    for n in 1..=lines.count() {
        if !is_blank_or_comment(lines.line(n)) {
            last = n;
        }
    }
    last
}

/// The line after which a new top-level `key` goes: after the last present field that
/// `order` puts before it (its last content line), else after the last field.
fn top_level_end(lines: &Lines, root: &Node, key: &str, order: &[String]) -> usize {
    let rank = |k: &str| order.iter().position(|o| o == k);
    let Some(mine) = rank(key) else { return root_end(lines) };
    let entries = root.entries();
    let before = entries.iter().enumerate().rfind(|(_, e)| rank(&e.key).is_some_and(|r| r < mine));
    match before {
        Some((i, _)) if i + 1 < entries.len() => {
            let mut end = entries[i + 1].key_pos.line as usize - 1;
            while end > entries[i].key_pos.line as usize && is_blank_or_comment(lines.line(end)) {
                end -= 1;
            }
            end
        }
        _ => root_end(lines),
    }
}

/// A new line (with the line ending) inserted after line `n`; a last line without an
/// ending gets one first.
fn line_after(lines: &Lines, n: usize, text: &str, eol: &str) -> (usize, usize, String) {
    let at = lines.after(n);
    let needs_break = n > 0 && !lines.text[..at].ends_with('\n');
    let prefix = if needs_break { eol } else { "" };
    (at, 0, format!("{prefix}{text}{eol}"))
}

/// The splice (offset, bytes removed, text inserted) that makes `change`.
fn splice(
    region: &str,
    root: &Node,
    change: &Change,
    eol: &str,
    order: &[String],
) -> Result<(usize, usize, String), Message> {
    let lines = Lines::new(region);
    if !matches!(root.value, Value::Map(_)) {
        return Err(unusual("the fields are not a mapping"));
    }
    match change {
        Change::Set { path, value } => set(&lines, root, path, value, eol, order),
        Change::Append { list, entry } => append(&lines, root, list, entry, eol, order),
    }
}

fn set(
    lines: &Lines,
    root: &Node,
    path: &str,
    value: &str,
    eol: &str,
    order: &[String],
) -> Result<(usize, usize, String), Message> {
    let parts: Vec<&str> = path.split('.').collect();
    let mut parent = root;
    for (depth, part) in parts.iter().enumerate() {
        // A value inside `{ … }` ends at its `,` or `}`, not at the end of the line.
        let flow = !std::ptr::eq(parent, root)
            && lines.text.as_bytes().get(lines.offset(parent.pos.line, parent.pos.col)) == Some(&b'{');
        match parent.entry(part) {
            Some(entry) if depth + 1 == parts.len() => return replace(lines, entry, value, flow),
            Some(entry) if matches!(entry.value.value, Value::Map(_)) => parent = &entry.value,
            Some(_) => return Err(unusual("a field path crosses a value")),
            None => return insert(lines, root, parent, (part, &parts[depth + 1..]), value, eol, order),
        }
    }
    unreachable!("a path has at least one part")
}

/// Replaces the value of a present key.
fn replace(
    lines: &Lines,
    entry: &crate::model::Entry,
    value: &str,
    flow: bool,
) -> Result<(usize, usize, String), Message> {
    let text = lines.text;
    let key_line = lines.line(entry.key_pos.line as usize);
    let key_at = lines.offset(entry.key_pos.line, entry.key_pos.col);
    // The key's own text: quoted, or up to the `:`.
    let after_key = match text.as_bytes().get(key_at) {
        Some(b'"' | b'\'') => value_end(text, key_at)?,
        _ => key_at + text[key_at..].find(':').ok_or_else(|| unusual("a key without a colon"))?,
    };
    let colon = after_key + text[after_key..].find(':').ok_or_else(|| unusual("a key without a colon"))?;
    let line_end = lines.offset(entry.key_pos.line, 1) + key_line.len();
    let rest = &text[colon + 1..line_end];
    if entry.value.value == Value::Null {
        let trimmed = rest.trim_start();
        let at = line_end - trimmed.len();
        return if trimmed.is_empty() || trimmed.starts_with('#') {
            Ok((colon + 1, 0, format!(" {value}")))
        } else if trimmed.starts_with('~') || trimmed.starts_with("null") {
            Ok((at, value_end(text, at)? - at, value.to_string()))
        } else {
            Err(unusual("an empty value"))
        };
    }
    if entry.value.pos.line != entry.key_pos.line {
        return Err(unusual("a value below its key"));
    }
    let at = lines.offset(entry.value.pos.line, entry.value.pos.col);
    let end = match text.as_bytes().get(at) {
        Some(b'"' | b'\'' | b'{' | b'[') => value_end(text, at)?,
        _ if flow => {
            let line_end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
            let stop = text[at..line_end].find([',', '}', ']']).map_or(line_end, |i| at + i);
            at + text[at..stop].trim_end().len()
        }
        _ => value_end(text, at)?,
    };
    Ok((at, end - at, value.to_string()))
}

/// Whether the record writes its other top-level mappings in flow style.
fn flow_style(root: &Node, lines: &Lines) -> bool {
    root.entries()
        .iter()
        .find(|e| matches!(e.value.value, Value::Map(_)))
        .is_some_and(|e| lines.text.as_bytes().get(lines.offset(e.value.pos.line, e.value.pos.col)) == Some(&b'{'))
}

/// Adds `key` (and the `rest` below it) to the mapping `parent`.
fn insert(
    lines: &Lines,
    root: &Node,
    parent: &Node,
    (key, rest): (&str, &[&str]),
    value: &str,
    eol: &str,
    order: &[String],
) -> Result<(usize, usize, String), Message> {
    let text = lines.text;
    let parent_at = lines.offset(parent.pos.line, parent.pos.col);
    if std::ptr::eq(parent, root) || text.as_bytes().get(parent_at) != Some(&b'{') {
        let first = parent.entries().first().ok_or_else(|| unusual("an empty mapping"))?;
        let k = first.key_pos.col as usize - 1;
        let pad = " ".repeat(k);
        let end = if std::ptr::eq(parent, root) {
            top_level_end(lines, root, key, order)
        } else {
            block_end(lines, first.key_pos.line as usize, k, false)
        };
        let new = match rest {
            [_, ..] if std::ptr::eq(parent, root) && !flow_style(root, lines) => {
                // A new top-level mapping in block style, like the record's others.
                let child = format!("{pad}  {}: {}", rest[0], nested(&rest[1..], value));
                format!("{pad}{key}:{eol}{child}")
            }
            _ => format!("{pad}{key}: {}", nested(rest, value)),
        };
        return Ok(line_after(lines, end, &new, eol));
    }
    let close = matching(text, parent_at)?;
    let inner = &text[parent_at + 1..close];
    let trimmed = inner.trim_end();
    let at = parent_at + 1 + trimmed.len();
    let field = format!("{key}: {}", nested(rest, value));
    if trimmed.trim().is_empty() { Ok((parent_at + 1, 0, field)) } else { Ok((at, 0, format!(", {field}"))) }
}

fn append(
    lines: &Lines,
    root: &Node,
    list: &str,
    entry: &[(String, String)],
    eol: &str,
    order: &[String],
) -> Result<(usize, usize, String), Message> {
    let text = lines.text;
    let Some(found) = root.entry(list) else {
        let first = root.entries().first().ok_or_else(|| unusual("an empty mapping"))?;
        let pad = " ".repeat(first.key_pos.col as usize - 1);
        let new = format!("{pad}{list}:{eol}{pad}  - {}", flow_map(entry, true));
        return Ok(line_after(lines, top_level_end(lines, root, list, order), &new, eol));
    };
    let node = &found.value;
    match &node.value {
        Value::Null => {
            let pad = " ".repeat(found.key_pos.col as usize - 1);
            let new = format!("{pad}  - {}", flow_map(entry, true));
            if !lines.line(found.key_pos.line as usize).trim_end().ends_with(':') {
                return Err(unusual("an empty list written as null"));
            }
            Ok(line_after(lines, found.key_pos.line as usize, &new, eol))
        }
        Value::Seq(items) => {
            let at = lines.offset(node.pos.line, node.pos.col);
            if text.as_bytes().get(at) == Some(&b'[') {
                let close = matching(text, at)?;
                let trimmed = text[at + 1..close].trim_end();
                let item = flow_map(&ordered(items.last(), entry), true);
                return if trimmed.trim().is_empty() {
                    Ok((at + 1, 0, item))
                } else {
                    Ok((at + 1 + trimmed.len(), 0, format!(", {item}")))
                };
            }
            let last = items.last().ok_or_else(|| unusual("an empty block list"))?;
            let entry = ordered(Some(last), entry);
            let line = lines.line(last.pos.line as usize);
            let col = line.char_indices().nth(last.pos.col as usize - 1).map_or(line.len(), |(i, _)| i);
            let dash = line[..col].rfind('-').ok_or_else(|| unusual("a list item without its dash"))?;
            let pad = " ".repeat(dash);
            let first = block_end(lines, node.pos.line as usize, dash, true);
            let end = block_end(lines, first.max(last.pos.line as usize), dash, true);
            let item_at = lines.offset(last.pos.line, last.pos.col);
            let new = match (&last.value, text.as_bytes().get(item_at)) {
                (Value::Map(_), Some(b'{')) => {
                    let padded = text.as_bytes().get(item_at + 1) == Some(&b' ');
                    format!("{pad}- {}", flow_map(&entry, padded))
                }
                (Value::Map(_), _) => {
                    let inner = " ".repeat(line[..col].chars().count());
                    let fields: Vec<String> = entry.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                    format!("{pad}- {}", fields.join(&format!("{eol}{inner}")))
                }
                _ => return Err(unusual("a list whose entries are not mappings")),
            };
            Ok(line_after(lines, end, &new, eol))
        }
        _ => Err(unusual("the list is not a list")),
    }
}

/// The fields of a new list entry in the order the last entry writes its keys (the
/// others after, as given).
fn ordered(last: Option<&Node>, entry: &[(String, String)]) -> Vec<(String, String)> {
    let keys: Vec<&str> = last.map(|l| l.entries().iter().map(|e| e.key.as_str()).collect()).unwrap_or_default();
    let mut out: Vec<(String, String)> = Vec::with_capacity(entry.len());
    for key in &keys {
        out.extend(entry.iter().filter(|(k, _)| k == key).cloned());
    }
    out.extend(entry.iter().filter(|(k, _)| !keys.contains(&k.as_str())).cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn set(path: &str, value: &str) -> Change {
        Change::Set { path: path.into(), value: value.into() }
    }

    fn history(status: &str) -> Change {
        Change::Append {
            list: "history".into(),
            entry: vec![
                ("date".into(), "2026-11-30".into()),
                ("by".into(), "elif.kara".into()),
                ("status".into(), status.into()),
                ("note".into(), "\"Başladı\"".into()),
            ],
        }
    }

    #[test]
    fn a_step_changes_only_its_lines() {
        let text = "id: X # kimlik\nstatus: 'assigned'   # durum\n\nhistory:\n  - { date: 2026-01-01, by: a, status: new }\n  # son\nnotes: x\n";
        let out = apply(text, false, &[set("status", "in_progress"), history("in_progress")], &[]).unwrap();
        assert_eq!(
            out,
            "id: X # kimlik\nstatus: in_progress   # durum\n\nhistory:\n  - { date: 2026-01-01, by: a, status: new }\n  - { date: 2026-11-30, by: elif.kara, status: in_progress, note: \"Başladı\" }\n  # son\nnotes: x\n"
        );
    }

    #[test]
    fn block_entries_crlf_bom_and_markdown_bodies_are_kept() {
        let text = "\u{feff}---\r\nid: X\r\nstatus: new\r\nhistory:\r\n- date: 2026-01-01\r\n  by: a\r\n  status: new\r\n---\r\nGövde\r\n";
        let changes = [set("status", "rejected"), history("rejected"), set("rejection.reason", "\"r\"")];
        let out = apply(text, true, &changes, &[]).unwrap();
        assert_eq!(
            out,
            "\u{feff}---\r\nid: X\r\nstatus: rejected\r\nhistory:\r\n- date: 2026-01-01\r\n  by: a\r\n  status: new\r\n- date: 2026-11-30\r\n  by: elif.kara\r\n  status: rejected\r\n  note: \"Başladı\"\r\nrejection:\r\n  reason: \"r\"\r\n---\r\nGövde\r\n"
        );
    }

    #[test]
    fn flow_mappings_grow_in_place() {
        let text = "id: X\nfreeze: {date: 2026-01-01}\nhistory: []\n";
        let out = apply(text, false, &[set("freeze.reason", "\"neden\""), history("frozen")], &[]).unwrap();
        assert_eq!(
            out,
            "id: X\nfreeze: {date: 2026-01-01, reason: \"neden\"}\nhistory: [{ date: 2026-11-30, by: elif.kara, status: frozen, note: \"Başladı\" }]\n"
        );
    }

    #[test]
    fn a_block_scalar_is_refused_not_guessed() {
        let text = "id: X\nstatus: |\n  new\n";
        assert!(apply(text, false, &[set("status", "assigned")], &[]).is_err());
    }

    /// A record in one of many styles: quoting, flow or block, comments, blank lines,
    /// CRLF, a BOM, Markdown or YAML.
    fn styled() -> impl Strategy<Value = (String, bool)> {
        (
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            0usize..3,
            0usize..3,
            any::<bool>(),
            any::<bool>(),
            prop::sample::select(vec!["", " # yorum", "   #x"]),
        )
            .prop_map(|(crlf, bom, markdown, quote, list, comments, blank, comment)| {
                let status = ["assigned", "'assigned'", "\"assigned\""][quote];
                let history = match list {
                    0 => "history:\n  - { date: 2026-01-01, by: a, status: new }\n  - {date: 2026-01-02, by: b, status: assigned}\n".to_string(),
                    1 => "history:\n- date: 2026-01-01\n  by: a\n  status: new\n\n- date: 2026-01-02\n  by: b\n  status: assigned\n".to_string(),
                    _ => "history: [{date: 2026-01-01, by: a, status: new}, {date: 2026-01-02, by: b, status: assigned}]\n".to_string(),
                };
                let mut yaml = format!("id: TLP-2026-0001{comment}\n");
                if comments {
                    yaml.push_str("# Talep\n");
                }
                yaml.push_str(&format!("status: {status}{comment}\n"));
                if blank {
                    yaml.push('\n');
                }
                yaml.push_str("assignee: elif.kara\n");
                yaml.push_str(&history);
                if comments {
                    yaml.push_str("# son\n");
                }
                let mut text = if markdown { format!("---\n{yaml}---\n\nGövde: *metin*\n\n") } else { yaml };
                if crlf {
                    text = text.replace('\n', "\r\n");
                }
                if bom {
                    text.insert(0, '\u{feff}');
                }
                (text, markdown)
            })
    }

    /// Whether every line of `old` is in `new`, in order, but for at most `changed`.
    fn kept(old: &str, new: &str, changed: usize) -> bool {
        let new: Vec<&str> = new.split_inclusive('\n').collect();
        let mut j = 0;
        let mut missing = 0;
        for line in old.split_inclusive('\n') {
            match new[j..].iter().position(|l| *l == line) {
                Some(p) => j += p + 1,
                None => missing += 1,
            }
        }
        missing <= changed
    }

    proptest! {
        #[test]
        fn every_style_keeps_its_bytes((text, markdown) in styled()) {
            let changes = [
                set("status", "in_progress"),
                history("in_progress"),
                set("resolution.summary", "\"özet\""),
            ];
            let out = apply(&text, markdown, &changes, &[]).unwrap();
            prop_assert_eq!(out.starts_with('\u{feff}'), text.starts_with('\u{feff}'));
            prop_assert_eq!(out.contains("\r\n"), text.contains("\r\n"));
            prop_assert!(!out.replace("\r\n", "").contains('\n') || !text.contains("\r\n"), "line endings mixed");
            // The status line and (for a one-line flow list) the history line change.
            prop_assert!(kept(&text, &out, 2), "{:?}\n→\n{:?}", text, out);
            if markdown {
                prop_assert!(out.ends_with(&text[text.find("Gövde").unwrap()..]));
            }
        }
    }
}

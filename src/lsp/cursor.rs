//! Which field the cursor is at, read from the YAML text around it rather than from a
//! parse (while typing, the document rarely parses): the field path the way
//! `workflows.yaml` writes it (`assignee`, `resolution.tested_by`, `history[].by`,
//! `developers[]`), and whether the cursor is on the key or in the value, and where the
//! value typed so far starts. Block mappings and lists, and one-line flow mappings and
//! lists (`- { date: …, by: … }`, `[a, b]`), are understood; anything else is no field.

/// The field at the cursor.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Field {
    /// `history[].by`, `developers[]`, `status`.
    pub path: String,
    /// Where the cursor is.
    pub at: At,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum At {
    /// On the key: the key's start and end (byte offsets in the line).
    Key { start: usize, end: usize },
    /// In the value: where the value typed so far starts (a byte offset in the line).
    Value { start: usize },
}

/// The lines of `text` that hold YAML: all of them, or, in a Markdown record, those
/// between the front matter's fences (as (first, end) line indexes).
fn yaml_lines(lines: &[&str], markdown: bool) -> (usize, usize) {
    if !markdown {
        return (0, lines.len());
    }
    let fence = |l: &&str| l.trim_end() == "---";
    if !lines.first().is_some_and(fence) {
        return (0, 0);
    }
    let end = lines.iter().skip(1).position(|l| fence(l) || l.trim_end() == "...").map_or(lines.len(), |i| i + 1);
    (1, end)
}

/// The shape of one YAML line: its indentation, the column of its list dash if it is a
/// list item (`- `), and what follows both.
struct Shape<'a> {
    indent: usize,
    dash: Option<usize>,
    rest: &'a str,
    /// Byte offset of `rest` in the line.
    rest_at: usize,
}

fn shape(line: &str) -> Shape<'_> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let after = &line[indent..];
    match after.strip_prefix("- ").or_else(|| (after == "-").then_some("")) {
        Some(rest) => {
            let skipped = rest.len() - rest.trim_start_matches(' ').len();
            Shape { indent, dash: Some(indent), rest: &rest[skipped..], rest_at: line.len() - rest.len() + skipped }
        }
        None => Shape { indent, dash: None, rest: after, rest_at: indent },
    }
}

/// A block key that opens a nested value (`history:`, `resolution:  # comment`).
fn opening_key(rest: &str) -> Option<&str> {
    let (key, value) = rest.split_once(':')?;
    let value = value.trim();
    let plain = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    (plain && (value.is_empty() || value.starts_with('#'))).then_some(key)
}

/// The fields that enclose line `at` (`["history[]"]`), from the lines above it.
fn parents(lines: &[&str], first: usize, at: usize) -> Vec<String> {
    let own = shape(lines[at]);
    let (mut limit, mut in_item) = match own.dash {
        Some(d) => (d, true),
        None => (own.indent, false),
    };
    let mut out = Vec::new();
    for line in lines[first..at].iter().rev() {
        if limit == 0 && !in_item {
            break;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let s = shape(line);
        match s.dash {
            Some(d) if d < limit && !in_item => {
                in_item = true;
                limit = d;
            }
            Some(_) => {}
            None => {
                let encloses = if in_item { s.indent <= limit } else { s.indent < limit };
                if encloses && let Some(key) = opening_key(s.rest) {
                    out.push(if in_item { format!("{key}[]") } else { key.to_string() });
                    in_item = false;
                    limit = s.indent;
                } else if encloses {
                    // A line with a value of its own encloses nothing: not YAML we know.
                    return Vec::new();
                }
            }
        }
    }
    out.reverse();
    out
}

fn join(parents: &[String], last: &str) -> String {
    let mut all = parents.to_vec();
    all.push(last.to_string());
    all.join(".")
}

/// Whether `c` may be part of a key.
fn key_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// The field at byte `col` of line `line` of `text` (a Markdown record's front matter
/// when `markdown`), if the cursor is on a key or in a value.
pub(crate) fn field_at(text: &str, line: usize, col: usize, markdown: bool) -> Option<Field> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let (first, end) = yaml_lines(&lines, markdown);
    if line < first || line >= end {
        return None;
    }
    let text = lines[line];
    let col = col.min(text.len());
    if !text.is_char_boundary(col) {
        return None;
    }
    let s = shape(text);
    let parents = parents(&lines, first, line);
    // On a key: the word around the cursor, followed by `:`.
    let word_start = text[..col].rfind(|c: char| !key_char(c)).map_or(0, |i| i + 1);
    let word_end = text[col..].find(|c: char| !key_char(c)).map_or(text.len(), |i| col + i);
    if word_start < word_end && text[word_end..].trim_start_matches(' ').starts_with(':') {
        let before = text[..word_start].trim_end_matches(' ');
        let key = &text[word_start..word_end];
        let at = At::Key { start: word_start, end: word_end };
        if word_start == s.rest_at {
            return Some(Field { path: join(&parents, key), at });
        }
        if before.ends_with('{') || before.ends_with(',') {
            return Some(Field { path: join(&parents, key), at });
        }
    }
    let typed = &text[s.rest_at.min(col)..col];
    if s.rest_at > col {
        return None;
    }
    // In a one-line flow mapping: the key of the entry the cursor is in.
    if let Some(open) = typed.rfind('{') {
        let entry_at = typed.rfind(',').filter(|c| *c > open).unwrap_or(open) + 1;
        let (key, value) = typed[entry_at..].split_once(':')?;
        let start = s.rest_at + entry_at + key.len() + 1 + (value.len() - value.trim_start().len());
        return Some(Field { path: join(&parents, key.trim()), at: At::Value { start } });
    }
    match typed.split_once(':') {
        Some((key, value)) if key.chars().all(key_char) && !key.is_empty() => {
            let skipped = value.len() - value.trim_start().len();
            let value_at = s.rest_at + key.len() + 1 + skipped;
            let value = value.trim_start();
            // A one-line list: `developers: [a, b`.
            if let Some(list) = value.strip_prefix('[') {
                let item_at = list.rfind(',').map_or(0, |i| i + 1);
                let item = &list[item_at..];
                let start = value_at + 1 + item_at + (item.len() - item.trim_start().len());
                return Some(Field { path: format!("{}[]", join(&parents, key)), at: At::Value { start } });
            }
            Some(Field { path: join(&parents, key), at: At::Value { start: value_at } })
        }
        // A list item of plain values (`  - ali.yurt`): the list's own path.
        None if s.dash.is_some() && !parents.is_empty() => {
            Some(Field { path: parents.join("."), at: At::Value { start: s.rest_at } })
        }
        _ => None,
    }
}

/// `history[].by` → `/history/0/by`: the JSON Pointer of (any) node the path reaches,
/// which is what the schema describes.
pub(crate) fn pointer(path: &str) -> String {
    let mut out = String::new();
    for part in path.split('.') {
        match part.strip_suffix("[]") {
            Some(key) => out.push_str(&format!("/{key}/0")),
            None => out.push_str(&format!("/{part}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field at the `|` of `text` (which is removed).
    fn at(text: &str, markdown: bool) -> Option<Field> {
        let cursor = text.find('|').expect("a cursor");
        let text = text.replacen('|', "", 1);
        let line = text[..cursor].matches('\n').count();
        let col = cursor - text[..cursor].rfind('\n').map_or(0, |i| i + 1);
        field_at(&text, line, col, markdown)
    }

    fn value(text: &str) -> Option<(String, usize)> {
        match at(text, false)? {
            Field { path, at: At::Value { start } } => Some((path, start)),
            _ => None,
        }
    }

    #[test]
    fn block_fields_nested_fields_and_list_entries() {
        assert_eq!(value("id: x\nassignee: |"), Some(("assignee".into(), 10)));
        assert_eq!(value("assignee: zey|"), Some(("assignee".into(), 10)));
        assert_eq!(value("resolution:\n  result: ok\n  tested_by: |"), Some(("resolution.tested_by".into(), 13)));
        assert_eq!(value("history:\n  - date: 2026-01-01\n    by: h|"), Some(("history[].by".into(), 8)));
        assert_eq!(value("history:\n- date: 2026-01-01\n  by: |"), Some(("history[].by".into(), 6)));
        assert_eq!(value("history:\n  - by: |"), Some(("history[].by".into(), 8)));
        assert_eq!(value("developers:\n  - ali.yurt\n  - |"), Some(("developers[]".into(), 4)));
        assert_eq!(value("developers: [ali.yurt, |"), Some(("developers[]".into(), 23)));
        assert_eq!(
            value("history:\n  - { date: 2026-03-03, by: hak|"),
            Some(("history[].by".into(), "  - { date: 2026-03-03, by: ".len()))
        );
        // A later top-level key is not nested under the list above it.
        assert_eq!(value("history:\n  - by: x\nstatus: |"), Some(("status".into(), 8)));
    }

    #[test]
    fn keys_under_the_cursor() {
        let key = |text: &str| at(text, false).map(|f| (f.path, matches!(f.at, At::Key { .. })));
        assert_eq!(key("sta|tus: new"), Some(("status".into(), true)));
        assert_eq!(key("resolution:\n  tested|_by: x"), Some(("resolution.tested_by".into(), true)));
        assert_eq!(key("history:\n  - { date: 2026-03-03, b|y: x }"), Some(("history[].by".into(), true)));
        assert_eq!(key("title: a| b"), Some(("title".into(), false)));
    }

    #[test]
    fn only_the_front_matter_of_a_markdown_record() {
        assert_eq!(at("---\nstatus: |\n---\nbody", true).map(|f| f.path), Some("status".into()));
        assert_eq!(at("---\nstatus: new\n---\nnote: |", true), None);
        assert_eq!(at("no front matter: |", true), None);
    }

    #[test]
    fn paths_become_pointers() {
        assert_eq!(pointer("history[].by"), "/history/0/by");
        assert_eq!(pointer("developers[]"), "/developers/0");
        assert_eq!(pointer("status"), "/status");
    }
}

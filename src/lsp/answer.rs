//! What the server answers about a document: its findings as LSP diagnostics, the
//! completions at the cursor (the ids a reference field may name, an enumeration's
//! values with their Turkish labels) and the description of the field under the cursor.
//! All of it is read from the rule set — `workflows.yaml`'s `references:`, the schemas'
//! `enum`, `x-labels`, `title` and `description` — so a new field or kind needs nothing here.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionItemLabelDetails, CompletionTextEdit, Diagnostic as LspDiagnostic,
    DiagnosticSeverity, Hover, HoverContents, MarkupContent, MarkupKind, NumberOrString, Position, Range, TextEdit,
};
use serde_json::Value as Json;

use super::cursor::{self, At, Field};
use super::workspace::Workspace;
use crate::diag::{Diagnostic, Severity, help_line};
use crate::model::{Kind, Record};

/// The UTF-16 length of `text` (LSP's default position encoding).
fn utf16(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

/// The byte offset in `line` of the UTF-16 `character`.
pub(crate) fn byte_of(line: &str, character: u32) -> usize {
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= character {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    line.len()
}

/// Line `n` (0-based) of `text`, without its line ending.
fn line_of(text: &str, n: usize) -> &str {
    let line = text.split('\n').nth(n).unwrap_or_default();
    line.strip_suffix('\r').unwrap_or(line)
}

/// Where a finding's token ends on its line (from byte `start`): a quoted scalar to its
/// closing quote, a key to its colon, a plain value before a comment or a flow
/// separator, else the end of the line.
fn token_end(line: &str, start: usize) -> usize {
    let rest = &line[start..];
    if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
        return rest[1..].find(quote).map_or(line.len(), |i| start + i + 2);
    }
    let stops = [": ", " #", ",", "}", "]"];
    let end = stops.iter().filter_map(|s| rest.find(s)).min().unwrap_or(rest.len());
    let end = if rest[..end].ends_with(':') { end - 1 } else { end };
    start + rest[..end].trim_end().len()
}

/// A finding as an LSP diagnostic on the document `text`: the message in the
/// repository's language followed by its help line, the rule id as its code.
pub(crate) fn diagnostic(d: &Diagnostic, text: &str, english: bool) -> LspDiagnostic {
    let range = match d.pos {
        Some(pos) => {
            let line = line_of(text, pos.line.saturating_sub(1) as usize);
            let start = line.char_indices().nth(pos.col.saturating_sub(1) as usize).map_or(line.len(), |(i, _)| i);
            let end = token_end(line, start).max(start);
            let at = |byte: usize| Position::new(pos.line.saturating_sub(1), utf16(&line[..byte]));
            let end = if end == start { line.len() } else { end };
            Range::new(at(start), at(end))
        }
        None => Range::new(Position::new(0, 0), Position::new(0, utf16(line_of(text, 0)))),
    };
    let help = match &d.help {
        _ if english => help_line(d),
        Some(help) => help.tr.clone(),
        None => format!("ayrıntı için: `defter explain {}`", d.rule),
    };
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning | Severity::Off => DiagnosticSeverity::WARNING,
    };
    LspDiagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(d.rule.to_string())),
        source: Some("defter".into()),
        message: format!("{}\n{help}", d.message.text(english)),
        ..LspDiagnostic::default()
    }
}

/// The field at an LSP position in a record of `kind`.
fn field(text: &str, kind: Kind, position: Position) -> Option<(Field, &str)> {
    let line = line_of(text, position.line as usize);
    let col = byte_of(line, position.character);
    Some((cursor::field_at(text, position.line as usize, col, kind.is_markdown())?, line))
}

/// The name a record is shown by: its `name`, else its `title`.
fn name(record: &Record) -> Option<&str> {
    record.fields.str_at("name").or_else(|| record.fields.str_at("title"))
}

/// The completions at `position` in the record `text` of `kind`.
pub(crate) fn completion(ws: &Workspace, kind: Kind, text: &str, position: Position) -> Vec<CompletionItem> {
    let Some((Field { path, at: At::Value { start } }, line)) = field(text, kind, position) else {
        return Vec::new();
    };
    let end = byte_of(line, position.character).max(start);
    let range = Range::new(
        Position::new(position.line, utf16(&line[..start])),
        Position::new(position.line, utf16(&line[..end])),
    );
    let item = |label: &str, detail: Option<String>, kind: CompletionItemKind, sort: usize| CompletionItem {
        label: label.to_string(),
        label_details: detail.clone().map(|d| CompletionItemLabelDetails { detail: None, description: Some(d) }),
        kind: Some(kind),
        filter_text: Some(match &detail {
            Some(d) => format!("{label} {d}"),
            None => label.to_string(),
        }),
        detail,
        sort_text: Some(format!("{sort:06}")),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, label.to_string()))),
        ..CompletionItem::default()
    };
    let w = &ws.repo.rules.workflows;
    if let Some(targets) = w.references.get(kind.name()).and_then(|r| r.get(&path)) {
        let wanted = |r: &Record| {
            targets.iter().any(|t| {
                let (k, ty) = t.split_once(':').map_or((t.as_str(), None), |(k, ty)| (k, Some(ty)));
                r.kind.name() == k && ty.is_none_or(|ty| r.fields.str_at("type") == Some(ty))
            })
        };
        let mut found: Vec<&Record> = ws.records.records.iter().filter(|r| wanted(r)).collect();
        // The active first, each group by id.
        found.sort_by_key(|r| (r.fields.get("active").and_then(|a| a.as_bool()) == Some(false), r.id()));
        found.dedup_by_key(|r| r.id());
        return found
            .iter()
            .enumerate()
            .map(|(i, r)| item(r.id(), name(r).map(str::to_string), CompletionItemKind::REFERENCE, i))
            .collect();
    }
    let Some(schema) = ws.schemas.subschema(kind, &cursor::pointer(&path)) else { return Vec::new() };
    let values = schema.get("enum").and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str);
    let labels = schema.get("x-labels");
    values
        .enumerate()
        .map(|(i, v)| {
            let label = labels.and_then(|l| l.get(v)).and_then(Json::as_str).map(str::to_string);
            item(v, label, CompletionItemKind::ENUM_MEMBER, i)
        })
        .collect()
}

/// The articles of the directive a text cites (`M13(1)(ç)`, `M12(1)(g)(h)`).
fn articles(text: &str) -> Vec<&str> {
    static CITATION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"M\d+(?:\(\d+\))?(?:\([a-zçğıöşü]{1,2}\))*").expect("a valid pattern")
    });
    let mut out: Vec<&str> = CITATION.find_iter(text).map(|m| m.as_str()).collect();
    out.dedup();
    out
}

/// What hovering over a field's key shows: its Turkish title and description from the
/// schema, the articles they cite, and (for the state field) the lifecycle's article,
/// the values it allows, the kinds of record it names.
pub(crate) fn hover(ws: &Workspace, kind: Kind, text: &str, position: Position) -> Option<Hover> {
    let (Field { path, at: At::Key { start, end } }, line) = field(text, kind, position)? else { return None };
    let schema = ws.schemas.subschema(kind, &cursor::pointer(&path))?;
    let get = |key: &str| schema.get(key).and_then(Json::as_str);
    let mut out = format!("**{}** (`{path}`)", get("title").unwrap_or(&path));
    let description = get("description").unwrap_or_default();
    if !description.is_empty() {
        out.push_str(&format!("\n\n{description}"));
    }
    let w = &ws.repo.rules.workflows;
    let mut cited: Vec<&str> = articles(description);
    if let Some(lifecycle) = w.lifecycle(kind.name()).filter(|l| l.field == path) {
        cited.extend(articles(&lifecycle.article));
    }
    cited.dedup();
    if !cited.is_empty() {
        out.push_str(&format!("\n\nYönerge: {}", cited.join(", ")));
    }
    if let Some(labels) = schema.get("x-labels").and_then(Json::as_object) {
        let values: Vec<String> =
            labels.iter().map(|(v, l)| format!("`{v}` {}", l.as_str().unwrap_or_default())).collect();
        out.push_str(&format!("\n\nDeğerler: {}", values.join(", ")));
    }
    if let Some(targets) = w.references.get(kind.name()).and_then(|r| r.get(&path)) {
        let targets: Vec<String> = targets.iter().map(|t| format!("`{t}`")).collect();
        out.push_str(&format!("\n\nBir kaydın kimliği: {}", targets.join(" ya da ")));
    }
    let range = Range::new(
        Position::new(position.line, utf16(&line[..start])),
        Position::new(position.line, utf16(&line[..end])),
    );
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: out }),
        range: Some(range),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_end_where_yaml_ends_them() {
        let line = "assignee: nobody.here  # who";
        assert_eq!(&line[10..token_end(line, 10)], "nobody.here");
        let line = "  - { date: 2026-03-03, by: kim.se, status: new }";
        assert_eq!(&line[28..token_end(line, 28)], "kim.se");
        assert_eq!(&line[6..token_end(line, 6)], "date");
        let line = "title: \"a: b\" ";
        assert_eq!(&line[7..token_end(line, 7)], "\"a: b\"");
    }

    #[test]
    fn utf16_columns() {
        assert_eq!(byte_of("şu: ğ", 4), "şu: ".len());
        assert_eq!(utf16("şu: 𝄞"), 6);
        assert_eq!(articles("Onay (M13(1)(ç)); ayrıca M12(1)(g)(h) ve M5"), ["M13(1)(ç)", "M12(1)(g)(h)", "M5"]);
    }
}

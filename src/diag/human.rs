//! The `--format human` renderer: rustc-style findings with the source line, a caret
//! under the offending value and a `help:` line, then a one-line summary.

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use std::collections::HashSet;

use super::{Findings, Rule, Severity, help_line};

/// Where the renderer finds the text of a line, to quote it.
pub trait Sources {
    /// Line `line` (1-based) of the file at `path`, without its line ending.
    fn line(&self, path: &str, line: u32) -> Option<&str>;
}

pub fn render(report: &Findings, sources: &dyn Sources, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    // A line that holds a secret is never quoted, whichever finding points at it.
    let secret_lines: HashSet<(&str, u32)> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == Rule::Secret)
        .filter_map(|d| Some((d.path.as_str(), d.pos?.line)))
        .collect();
    let mut out = String::new();
    for d in &report.diagnostics {
        let level = if d.severity == Severity::Error { Level::ERROR } else { Level::WARNING };
        let help = printable(&help_line(d));
        let message = printable(&d.message.en);
        let title = level.primary_title(&message).id(d.rule.id());
        let quoted = d
            .pos
            .filter(|pos| d.rule != Rule::Secret && !secret_lines.contains(&(d.path.as_str(), pos.line)))
            .and_then(|pos| Some((pos, visible(sources.line(&d.path, pos.line)?))));
        let main = match quoted {
            Some((pos, ref text)) => {
                let span = token_span(text, pos.col);
                title.element(
                    Snippet::source(text)
                        .line_start(pos.line as usize)
                        .path(d.path.as_str())
                        .annotation(AnnotationKind::Primary.span(span)),
                )
            }
            None => {
                let mut origin = Origin::path(d.path.as_str());
                if let Some(pos) = d.pos {
                    origin = origin.line(pos.line as usize).char_column(pos.col as usize);
                }
                title.element(origin)
            }
        };
        let report = [main, Group::with_title(Level::HELP.secondary_title(help))];
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    out.push_str(&report.summary_line());
    out.push('\n');
    out
}

/// A message quotes values from records: control characters (an escape sequence in a
/// title would drive the reader's terminal) are shown as `\u{…}`.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// A quoted source line with each control character replaced by one visible character
/// (columns stay where they were).
fn visible(line: &str) -> String {
    line.chars()
        .map(|c| match c {
            '\t' => c,
            '\0'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// The byte range of the token starting at 1-based character column `col`: up to the
/// next space or YAML flow punctuation, at least one character.
fn token_span(line: &str, col: u32) -> std::ops::Range<usize> {
    let start = line.char_indices().nth(col.saturating_sub(1) as usize).map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let mut end = rest
        .char_indices()
        .find(|&(i, c)| i > 0 && (c.is_whitespace() || matches!(c, ',' | '}' | ']')))
        .map_or(rest.len(), |(i, _)| i);
    if let Some(colon) = rest[..end].find(':').filter(|&i| i > 0) {
        end = colon;
    }
    start..start + end.max(rest.chars().next().map_or(0, char::len_utf8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_spans_stop_at_flow_punctuation() {
        let line = "  - { date: 2026-03-03, by: zeynep.arslan, status: x }";
        let col = line.find("zeynep").unwrap() as u32 + 1;
        assert_eq!(&line[token_span(line, col)], "zeynep.arslan");
        for (text, token) in [("assignee: ali", "assignee"), ("çağrı: x", "çağrı")] {
            assert_eq!(&text[token_span(text, 1)], token);
        }
        assert_eq!(token_span("", 1), 0..0);
    }

    #[test]
    fn control_characters_in_messages_are_shown_not_sent() {
        assert_eq!(visible("a\u{1b}b\u{9b}c\td"), "a\u{241b}b\u{fffd}c\td");
        assert_eq!(printable("a\u{1b}[2J\u{9b}31m b\tc"), "a\\u{1b}[2J\\u{9b}31m b\tc");
    }
}

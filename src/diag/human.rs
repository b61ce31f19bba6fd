//! The `--format human` renderer: rustc-style findings with the source line, a caret
//! under the offending value and a `help:` line, then a one-line summary.

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use std::collections::HashSet;

use super::{Findings, Lang, Rule, Severity, help_in};

/// Where the renderer finds the text of a line, to quote it.
pub trait Sources {
    /// Line `line` (1-based) of the file at `path`, without its line ending.
    fn line(&self, path: &str, line: u32) -> Option<&str>;
}

/// The findings in `lang`: the rule id stays, the message, the help and the words
/// `error`, `warning`, `help` (`hata`, `uyarı`, `yardım`) and the summary are `lang`'s.
pub fn render(report: &Findings, sources: &dyn Sources, color: bool, lang: Lang) -> String {
    render_some(report, sources, color, lang, |_| true)
}

/// [`render`] of the findings `shown` keeps (`build` shows the errors), still followed by
/// the summary of them all.
pub fn render_some(
    report: &Findings,
    sources: &dyn Sources,
    color: bool,
    lang: Lang,
    shown: impl Fn(&super::Diagnostic) -> bool,
) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    // A line that holds a secret is never quoted, whichever finding points at it.
    let secret_lines: HashSet<(&str, u32)> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == Rule::Secret)
        .filter_map(|d| Some((d.path.as_str(), d.pos?.line)))
        .collect();
    let mut out = String::new();
    for d in report.diagnostics.iter().filter(|d| shown(d)) {
        let level = match (d.severity, lang) {
            (Severity::Error, Lang::En) => Level::ERROR,
            (Severity::Error, Lang::Tr) => Level::ERROR.with_name(Some("hata")),
            (_, Lang::En) => Level::WARNING,
            (_, Lang::Tr) => Level::WARNING.with_name(Some("uyarı")),
        };
        let help_level = if lang == Lang::Tr { Level::HELP.with_name(Some("yardım")) } else { Level::HELP };
        let help = printable(&help_in(d, lang));
        let message = printable(d.message.get(lang));
        let title = level.primary_title(&message).id(d.rule.id());
        let path = printable(&native_path(&d.path));
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
                        .path(path.as_str())
                        .annotation(AnnotationKind::Primary.span(span)),
                )
            }
            None => {
                let mut origin = Origin::path(path.as_str());
                if let Some(pos) = d.pos {
                    origin = origin.line(pos.line as usize).char_column(pos.col as usize);
                }
                title.element(origin)
            }
        };
        let report = [main, Group::with_title(help_level.secondary_title(help))];
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    out.push_str(&report.summary_in(lang));
    out.push('\n');
    out
}

/// A finding's path (relative, `/`-separated as everywhere in defter) as the platform
/// writes paths: `records\requests\…` on Windows, so that it can be pasted into the
/// shell it was printed in. The json and github formats keep `/`.
fn native_path(path: &str) -> std::borrow::Cow<'_, str> {
    if std::path::MAIN_SEPARATOR == '/' {
        std::borrow::Cow::Borrowed(path)
    } else {
        std::borrow::Cow::Owned(path.replace('/', std::path::MAIN_SEPARATOR_STR))
    }
}

/// Whether `c` may not reach a terminal as it is: control characters (C0 with tab, CR and
/// LF, DEL, C1), the line and paragraph separators, and the bidirectional overrides and
/// isolates (which reorder what is shown after them). A record could otherwise print a
/// line that reads as a CI workflow command (`::error::…`), clear the screen or show text
/// other than it holds.
pub(crate) fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Text from records (a message quoting values, a file name, a table cell, a commit
/// message) made safe for the terminal: each [`hidden`] character shown as `\n`, `\r`,
/// `\t` or `\u{…}`.
pub fn printable(text: &str) -> String {
    if !text.chars().any(hidden) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// A quoted source line with each control character replaced by one visible character
/// (columns stay where they were): C0 by its control picture, the rest of [`hidden`] by
/// U+FFFD.
fn visible(line: &str) -> String {
    line.chars()
        .map(|c| match c {
            '\t' => c,
            '\0'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
            c if hidden(c) => '\u{fffd}',
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
        assert_eq!(printable("a\u{1b}[2J\u{9b}31m b\tc"), "a\\u{1b}[2J\\u{9b}31m b\\tc");
        assert_eq!(printable("x\n::error::y\r\u{202e}z\u{2028}"), "x\\n::error::y\\r\\u{202e}z\\u{2028}");
        assert_eq!(visible("a\u{202e}b\u{2066}c"), "a\u{fffd}b\u{fffd}c");
    }
}

//! The `--format github` renderer: workflow commands that GitHub and Gitea Actions turn
//! into inline annotations on a pull request.

use std::fmt::Write;

use super::{Findings, Lang, Severity, help_in};

/// Escapes a message (`%`, CR, LF).
fn data(s: &str) -> String {
    let s = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    // Other control characters (ANSI escapes from a record's text), line separators and
    // bidirectional overrides are shown, not sent.
    s.chars().map(|c| if super::human::hidden(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}

/// Escapes a property value (also `:` and `,`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The annotations in `lang` (the workflow commands themselves, `::error`, stay as the
/// forge reads them).
pub fn render(report: &Findings, lang: Lang) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let command = if d.severity == Severity::Error { "error" } else { "warning" };
        let _ = write!(out, "::{command} file={}", property(&d.path));
        if let Some(pos) = d.pos {
            let _ = write!(out, ",line={},col={}", pos.line, pos.col);
        }
        let _ = write!(out, ",title={}::{}", property(&format!("defter {}", d.rule)), data(d.message.get(lang)));
        let help = lang.pick("help", "yardım");
        let _ = write!(out, "{}", data(&format!("\n{help}: {}", help_in(d, lang))));
        out.push('\n');
    }
    let _ = writeln!(out, "{}", report.summary_in(lang));
    out
}

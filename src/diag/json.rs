//! The `--format json` renderer: one JSON document for tools, whatever the terminal's
//! language (English messages and help, with the Turkish ones beside each).

use serde::Serialize;

use super::{Findings, Lang, help_in, help_line};

#[derive(Serialize)]
struct Document<'a> {
    diagnostics: Vec<Item<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Item<'a> {
    rule: &'a str,
    severity: &'a str,
    path: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    message: &'a str,
    /// The message in Turkish, as the site shows it.
    message_tr: &'a str,
    help: String,
    /// The help line in Turkish.
    help_tr: String,
    /// On the finding that stands for those left out by the limit per file: how many.
    #[serde(skip_serializing_if = "is_zero")]
    more: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct Summary {
    records: usize,
    errors: usize,
    warnings: usize,
}

pub fn render(report: &Findings) -> String {
    let doc = Document {
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| Item {
                rule: d.rule.id(),
                severity: d.severity.as_str(),
                path: &d.path,
                line: d.pos.map(|p| p.line),
                column: d.pos.map(|p| p.col),
                message: &d.message.en,
                message_tr: &d.message.tr,
                help: help_line(d),
                help_tr: help_in(d, Lang::Tr),
                more: d.more,
            })
            .collect(),
        summary: Summary { records: report.records, errors: report.errors(), warnings: report.warnings() },
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("diagnostics serialise");
    out.push('\n');
    out
}

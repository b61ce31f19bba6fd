//! Findings as data: the [`Diagnostic`] every check pushes, the rule ids, the finding's
//! text in English and Turkish ([`Message`]), and the three renderers (`human`, `json`,
//! `github`). Only the renderers turn findings into terminal text, in English; the site
//! picks the language it is built in.

pub mod explain;
mod github;
pub mod human;
mod json;
mod message;
pub mod rule;

use std::collections::BTreeMap;

pub use github::render as render_github;
pub use human::render as render_human;
pub use json::render as render_json;
pub use message::Message;
pub(crate) use message::msg;
pub use rule::{Rule, Severity};

use crate::model::Pos;

/// One finding about the records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    /// Relative to the repository root, `/`-separated.
    pub path: String,
    pub pos: Option<Pos>,
    pub message: Message,
    pub help: Option<Message>,
}

impl Diagnostic {
    /// A finding with the rule's default severity; configuration may change it later.
    pub fn new(rule: Rule, path: impl Into<String>, pos: Option<Pos>, message: Message) -> Self {
        Self { rule, severity: rule.default_severity(), path: path.into(), pos, message, help: None }
    }

    pub fn at(rule: Rule, path: impl Into<String>, pos: Pos, message: Message) -> Self {
        Self::new(rule, path, Some(pos), message)
    }

    pub fn with_help(mut self, help: Message) -> Self {
        self.help = Some(help);
        self
    }

    fn sort_key(&self) -> (&str, Pos, Rule, &Message) {
        (&self.path, self.pos.unwrap_or_default(), self.rule, &self.message)
    }
}

/// Severity overrides per rule, from `[rules]` in defter.toml.
pub type Overrides = BTreeMap<Rule, Severity>;

/// Everything one run found, sorted and with configured severities applied.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub records: usize,
}

impl Report {
    /// Applies overrides (dropping rules set to `off`), sorts and removes exact repeats.
    pub fn new(mut diagnostics: Vec<Diagnostic>, records: usize, overrides: &Overrides) -> Self {
        for d in &mut diagnostics {
            if let Some(severity) = overrides.get(&d.rule) {
                d.severity = *severity;
            }
        }
        diagnostics.retain(|d| d.severity != Severity::Off);
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        diagnostics.dedup();
        Self { diagnostics, records }
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    /// `412 records: 2 errors, 5 warnings`
    pub fn summary_line(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "{}: {}, {}",
            plural(self.records, "record"),
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning")
        )
    }
}

/// The help line every finding carries when a check gave none: where to read more.
pub fn default_help(rule: Rule) -> String {
    format!("see `defter explain {rule}` or docs/rules.md#{rule}")
}

/// The (English) help line of a finding: the check's own help, always followed by where
/// to read more (`defter explain <rule>`).
pub fn help_line(d: &Diagnostic) -> String {
    match d.help.as_ref().map(|h| &h.en) {
        Some(help) if help.contains("defter explain") => help.clone(),
        Some(help) => format!("{help} (see `defter explain {}`)", d.rule),
        None => default_help(d.rule),
    }
}

//! Findings as data: the [`Diagnostic`] every check pushes, the rule ids, the finding's
//! text in English and Turkish ([`Message`]), and the three renderers (`human`, `json`,
//! `github`). Only the renderers turn findings into terminal text, in the language `cmd`
//! chose ([`Lang`]); the site picks the language it is built in.

pub(crate) mod explain;
mod github;
pub mod human;
mod json;
mod message;
pub mod rule;

use std::collections::{BTreeMap, HashSet};

pub use github::render as render_github;
pub use human::render as render_human;
pub use json::render as render_json;
pub(crate) use message::msg;
pub use message::{Lang, Message, set_terminal, terminal};
pub use rule::{Rule, Severity};

use crate::model::Pos;

/// One finding about the records. Serialisable for the findings cache
/// (`validate::cache`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    /// Relative to the repository root, `/`-separated.
    pub path: String,
    pub pos: Option<Pos>,
    pub message: Message,
    pub help: Option<Message>,
    /// The most severe this finding may be whatever `[rules]` says: a local rule set to
    /// `"warning"` under `[local]` in defter.toml.
    pub cap: Option<Severity>,
    /// How many further findings about the same file this one stands for, left out by
    /// the limit of [`MAX_PER_FILE`] (0 for an ordinary finding).
    pub more: usize,
}

/// The most findings listed for one file; the rest become one finding that counts them,
/// so a 1 MB record of mistakes cannot turn into tens of megabytes of output.
pub const MAX_PER_FILE: usize = 50;

impl Diagnostic {
    /// A finding with the rule's default severity; configuration may change it later.
    pub fn new(rule: Rule, path: impl Into<String>, pos: Option<Pos>, message: Message) -> Self {
        Self {
            rule,
            severity: rule.default_severity(),
            path: path.into(),
            pos,
            message,
            help: None,
            cap: None,
            more: 0,
        }
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
pub struct Findings {
    pub diagnostics: Vec<Diagnostic>,
    pub records: usize,
}

impl Findings {
    /// Applies overrides (dropping rules set to `off`), sorts and removes exact repeats.
    pub fn new(mut diagnostics: Vec<Diagnostic>, records: usize, overrides: &Overrides) -> Self {
        for d in &mut diagnostics {
            if let Some(severity) = overrides.get(&d.rule) {
                d.severity = *severity;
            }
            if let Some(cap) = d.cap {
                d.severity = d.severity.min(cap);
            }
        }
        diagnostics.retain(|d| d.severity != Severity::Off);
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        diagnostics.dedup();
        Self { diagnostics: limit_per_file(diagnostics), records }
    }

    /// The findings about the files at `paths` replaced by those of `found` about them
    /// (configured severities applied; `found` may hold findings about other files,
    /// which are left out): what [`Findings::new`] makes of every finding when only those
    /// files' findings changed.
    pub fn replace_paths(&mut self, paths: &HashSet<&str>, mut found: Vec<Diagnostic>, overrides: &Overrides) {
        found.retain(|d| paths.contains(d.path.as_str()));
        let found = Findings::new(found, 0, overrides).diagnostics;
        self.diagnostics.retain(|d| !paths.contains(d.path.as_str()));
        self.diagnostics.extend(found);
        self.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.diagnostics.dedup();
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
        self.summary_in(Lang::En)
    }

    /// The summary line in `lang`: `412 records: 2 errors, 5 warnings` or
    /// `412 kayıt: 2 hata, 5 uyarı` (Turkish nouns take no plural after a number).
    pub fn summary_in(&self, lang: Lang) -> String {
        let (records, errors, warnings) = (self.records, self.errors(), self.warnings());
        match lang {
            Lang::Tr => format!("{records} kayıt: {errors} hata, {warnings} uyarı"),
            Lang::En => {
                let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
                format!("{}: {}, {}", plural(records, "record"), plural(errors, "error"), plural(warnings, "warning"))
            }
        }
    }
}

/// `sorted` (by file) with at most [`MAX_PER_FILE`] findings per file: the ones after
/// that become one finding at the first of them, of the most severe rule among them,
/// that says how many there are.
fn limit_per_file(sorted: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(sorted.len().min(1 << 16));
    let mut rest: Vec<Diagnostic> = Vec::new();
    let mut listed = 0;
    for d in sorted {
        if out.last().is_none_or(|last| last.path != d.path) {
            out.extend(summary(std::mem::take(&mut rest)));
            listed = 0;
        }
        if listed < MAX_PER_FILE && d.more == 0 {
            listed += 1;
            out.push(d);
        } else {
            rest.push(d);
        }
    }
    out.extend(summary(rest));
    out
}

/// One finding standing for `rest` (findings about one file), if there are any.
fn summary(rest: Vec<Diagnostic>) -> Option<Diagnostic> {
    let first = rest.first()?;
    // A finding stands for itself, a summary (from an earlier pass) for what it counts.
    let weight = |d: &Diagnostic| d.more.max(1);
    let n: usize = rest.iter().map(weight).sum();
    let errors: usize = rest.iter().filter(|d| d.severity == Severity::Error).map(weight).sum();
    let worst = rest.iter().max_by_key(|d| d.severity).unwrap_or(first);
    let mut d = Diagnostic::new(
        worst.rule,
        first.path.clone(),
        first.pos,
        msg!(
            "and {n} more findings about this file ({errors} of them errors), not listed: fix the ones above and run again",
            "ve bu dosyayla ilgili listelenmeyen {n} bulgu daha (bunların {errors} tanesi hata): yukarıdakileri düzeltip yeniden çalıştırın"
        ),
    );
    d.severity = worst.severity;
    d.more = n;
    Some(d)
}

/// The help line every finding carries when a check gave none: where to read more.
pub fn default_help(rule: Rule) -> String {
    default_help_in(rule, Lang::En)
}

fn default_help_in(rule: Rule, lang: Lang) -> String {
    match lang {
        Lang::En => format!("see `defter explain {rule}` or docs/rules.md#{rule}"),
        Lang::Tr => format!("bkz. `defter explain {rule}` ya da docs/rules.md#{rule}"),
    }
}

/// The (English) help line of a finding: the check's own help, always followed by where
/// to read more (`defter explain <rule>`).
pub fn help_line(d: &Diagnostic) -> String {
    help_in(d, Lang::En)
}

/// The help line of a finding in `lang`.
pub fn help_in(d: &Diagnostic, lang: Lang) -> String {
    match d.help.as_ref().map(|h| h.get(lang)) {
        Some(help) if help.contains("defter explain") => help.to_string(),
        Some(help) => match lang {
            Lang::En => format!("{help} (see `defter explain {}`)", d.rule),
            Lang::Tr => format!("{help} (bkz. `defter explain {}`)", d.rule),
        },
        None => default_help_in(d.rule, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: Rule, path: &str, line: u32) -> Diagnostic {
        Diagnostic::at(rule, path, Pos::new(line, 1), msg!("x", "x"))
    }

    #[test]
    fn replacing_one_files_findings_gives_what_a_full_report_would() {
        let (a, b, c) = ("records/a.md", "records/b.md", "records/c.md");
        let overrides: Overrides = [(Rule::Secret, Severity::Off), (Rule::DanglingRef, Severity::Warning)].into();
        let old = vec![finding(Rule::Schema, c, 2), finding(Rule::Schema, b, 9), finding(Rule::Schema, a, 1)];
        let mut report = Findings::new(old, 3, &overrides);
        // b's findings are made again, with a finding about c that b's check also made.
        let found = vec![
            finding(Rule::Schema, c, 2),
            finding(Rule::DanglingRef, b, 4),
            finding(Rule::Secret, b, 1),
            finding(Rule::Schema, b, 3),
            finding(Rule::Schema, b, 3),
        ];
        report.replace_paths(&[b].into(), found, &overrides);
        let whole = vec![
            finding(Rule::Schema, a, 1),
            finding(Rule::Schema, b, 3),
            finding(Rule::DanglingRef, b, 4),
            finding(Rule::Schema, c, 2),
        ];
        assert_eq!(report.diagnostics, Findings::new(whole, 3, &overrides).diagnostics);
        assert_eq!((report.records, report.errors(), report.warnings()), (3, 3, 1));
    }
}

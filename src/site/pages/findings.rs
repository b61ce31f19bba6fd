//! The findings page (every finding by rule and by whose record it is on) and the list
//! of rules.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use crate::diag::Rule;
use crate::load::trace::{Carrier, What};
use crate::model::Kind;
use crate::model::workflow::EntryPart;
use crate::site::build::Output;
use crate::site::data::Site;
use crate::site::pages::directive::citation_links;
use crate::site::templates::Templates;
use crate::site::view::{FindingView, Layout, Link};

#[derive(Serialize)]
struct RuleGroup {
    rule: String,
    article: String,
    /// Each item the rule enforces, linked to the directive page.
    articles: Vec<Link>,
    summary: String,
    findings: Vec<FindingView>,
}

#[derive(Serialize)]
struct OwnerGroup {
    owner: String,
    findings: Vec<FindingView>,
}

#[derive(Serialize)]
struct FindingsPage {
    page: Layout,
    errors: usize,
    warnings: usize,
    by_rule: Vec<RuleGroup>,
    by_owner: Vec<OwnerGroup>,
}

#[derive(Serialize)]
struct RuleRow {
    id: String,
    severity: String,
    article: String,
    articles: Vec<Link>,
    summary: String,
    needs_history: bool,
    count: usize,
    /// Each entry of workflows.yaml the rule enforces and its source ("Yönerge: M…" or
    /// "Yerel kural: …").
    sources: Vec<String>,
}

#[derive(Serialize)]
struct RulesPage {
    page: Layout,
    rules: Vec<RuleRow>,
}

impl Site<'_> {
    /// A rule's one-line summary in the site's language.
    fn rule_summary(&self, rule: Rule) -> String {
        (if self.english { rule.summary() } else { rule.summary_tr() }).into()
    }
    /// The unit or person a finding's record is the responsibility of.
    fn owner_of(&self, path: &str) -> String {
        let Some(r) = self.record_at(path) else { return "—".into() };
        let owner = ["service", "owner", "granted_by", "unit"].iter().find_map(|f| r.fields.str_at(f));
        owner.map_or_else(|| "—".into(), |o| self.name_of(o))
    }
    pub(crate) fn findings_page(&self, templates: &Templates) -> Result<Output> {
        let path = "findings.html";
        let by_rule = Rule::ALL
            .iter()
            .filter_map(|rule| {
                let findings: Vec<FindingView> = self
                    .input
                    .report
                    .diagnostics
                    .iter()
                    .filter(|d| d.rule == *rule)
                    .map(|d| self.finding_view(d, ""))
                    .collect();
                (!findings.is_empty()).then(|| RuleGroup {
                    rule: rule.id().into(),
                    article: rule.article().into(),
                    articles: citation_links(rule.article(), ""),
                    summary: self.rule_summary(*rule),
                    findings,
                })
            })
            .collect();
        let mut owners: BTreeMap<String, Vec<FindingView>> = BTreeMap::new();
        for d in &self.input.report.diagnostics {
            owners.entry(self.owner_of(&d.path)).or_default().push(self.finding_view(d, ""));
        }
        let view = FindingsPage {
            page: self.layout(path, &self.t("findings"), path),
            errors: self.input.report.errors(),
            warnings: self.input.report.warnings(),
            by_rule,
            by_owner: owners.into_iter().map(|(owner, findings)| OwnerGroup { owner, findings }).collect(),
        };
        Ok((path.into(), templates.render("findings.html", &view)?.into_bytes()))
    }
    /// The sources of the workflow entries `rule` enforces, one line each.
    fn rule_sources(&self, rule: Rule) -> Vec<String> {
        let w = &self.input.rules.workflows;
        w.entries()
            .iter()
            .filter(|e| e.rules.contains(&rule.id()))
            .map(|e| {
                // In words on a Turkish site (`Talep · durumun gerektirdikleri: Atandı`), as
                // on the directive page; the English site keeps the workflow's own names.
                let what = if self.english {
                    e.label.clone()
                } else {
                    let kind = Kind::from_name(e.kind);
                    let carrier = Carrier {
                        what: What::of(e.part),
                        kind: Some(e.kind.to_string()),
                        kind_title: kind.map(|k| self.kind_label(k)),
                        name: e.name.clone(),
                        local: None,
                    };
                    let text = self.carrier_text(&carrier);
                    match (e.part, e.label.split_once(": ")) {
                        (EntryPart::StateEntry, Some((_, entry))) => format!("{text} ({entry})"),
                        _ => text,
                    }
                };
                format!("{what} — {}", w.source_tr(e))
            })
            .collect()
    }
    pub(crate) fn rules_page(&self, templates: &Templates) -> Result<Output> {
        let path = "rules.html";
        let rules = Rule::ALL
            .iter()
            .map(|r| RuleRow {
                id: r.id().into(),
                severity: self.t(if r.default_severity() == crate::diag::Severity::Error {
                    "error"
                } else {
                    "warning"
                }),
                article: r.article().into(),
                articles: citation_links(r.article(), ""),
                summary: self.rule_summary(*r),
                needs_history: r.needs_history(),
                count: self.input.report.diagnostics.iter().filter(|d| d.rule == *r).count(),
                sources: self.rule_sources(*r),
            })
            .collect();
        let view = RulesPage { page: self.layout(path, &self.t("rules"), "findings.html"), rules };
        Ok((path.into(), templates.render("rules.html", &view)?.into_bytes()))
    }
}

//! The pages, one file per page family. Each file holds the view structs only its pages
//! read and an `impl Site` block with the methods that build them, so a change to one
//! page is made in one file. What every page needs is here: the layout (menu, footer),
//! a field's enumerated values and a finding as shown; the structs several templates
//! share are in [`super::view`].
//!
//! A page file uses `Site`, the views, [`super::html`], [`super::formats`] and the
//! build's pieces and keys; of its siblings only small shared helpers (the [`pager`],
//! the request grouping the home page counts with, the export a record page links).
//! Nothing outside `pages/` but the build entry ([`super`]) names a page, and the
//! exports reuse the figures the pages compute (the permission matrix, the deadlines,
//! the monthly KPIs, the workload) so that a page and its export cannot disagree.

pub(crate) mod about;
pub(crate) mod access;
pub(crate) mod calendar;
pub(crate) mod campaign;
pub(crate) mod directive;
pub(crate) mod exports;
pub(crate) mod feeds;
pub(crate) mod findings;
pub(crate) mod grants;
pub(crate) mod home;
pub(crate) mod inventory;
pub(crate) mod pager;
pub(crate) mod portfolio;
pub(crate) mod record;
pub(crate) mod reports;
pub(crate) mod requests;
pub(crate) mod search;
pub(crate) mod workload;

use super::data::Site;
use super::html::root_of;
use super::view::{FindingView, Layout, Link, Nav};
use crate::diag::Severity;
use crate::model::Kind;

const NAV: [(&str, &str); 11] = [
    ("index.html", "home"),
    ("requests/index.html", "requests"),
    ("projects/index.html", "projects"),
    ("grants/index.html", "grants"),
    ("inventory/index.html", "inventory"),
    ("registers/index.html", "registers"),
    ("calendar.html", "calendar"),
    ("reports.html", "reports"),
    ("findings.html", "findings"),
    ("directive.html", "directive"),
    ("search.html", "search"),
];

impl Site<'_> {
    pub(crate) fn layout(&self, path: &str, title: &str, section: &str) -> Layout {
        let config = &self.input.config.site;
        Layout {
            lang: if self.english { "en".into() } else { "tr".into() },
            site_title: config.title.clone(),
            organisation: config.organisation.clone(),
            title: title.to_string(),
            root: root_of(path),
            t: self.t.clone(),
            nav: NAV
                .iter()
                .map(|(url, key)| Nav { url: (*url).to_string(), label: self.t(key), current: *url == section })
                .collect(),
            commit: self.input.commit.clone().unwrap_or_else(|| "—".into()),
            as_of: crate::model::date::show_date(self.input.as_of),
            live_reload: self.input.live_reload,
        }
    }
    /// `(value, label)` of every enum value of a field, in schema order.
    pub(super) fn enum_values(&self, kind: Kind, field: &str) -> Vec<(String, String)> {
        let schema = self.input.schemas.subschema(kind, &format!("/{field}"));
        let values: Vec<String> = schema
            .and_then(|s| s.get("enum"))
            .and_then(|e| e.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        values.into_iter().map(|v| (v.clone(), self.value_label(kind, &format!("/{field}"), &v))).collect()
    }
    pub(crate) fn finding_view(&self, d: &crate::diag::Diagnostic, root: &str) -> FindingView {
        let record = self.record_at(&d.path);
        FindingView {
            rule: d.rule.id().to_string(),
            severity: d.severity.as_str().to_string(),
            severity_label: self.t(if d.severity == Severity::Error { "error" } else { "warning" }),
            line: d.pos.map(|p| p.line),
            line_label: d.pos.map(|p| self.t("line_n").replace("{n}", &p.line.to_string())),
            message: d.message.text(self.english).to_string(),
            help: d.help.as_ref().map(|h| h.text(self.english).to_string()).unwrap_or_default(),
            article: d.rule.article().to_string(),
            path: d.path.clone(),
            record: record.map(|r| Link { url: format!("{root}{}", self.url(r)), text: self.display(r) }),
        }
    }
}

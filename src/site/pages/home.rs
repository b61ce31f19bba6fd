//! The home page: requests by status and open requests by service, what is overdue,
//! expiring or due for review, the latest changes from the history, and totals.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use serde::Serialize;

use super::requests::{facet_slug, group};
use crate::diag::Rule;
use crate::model::Kind;
use crate::site::build::Output;
use crate::site::data::Site;
use crate::site::templates::Templates;
use crate::site::view::{Count, FindingView, Layout, Link};

#[derive(Serialize)]
struct HomePage {
    page: Layout,
    by_status: Vec<Count>,
    by_service: Vec<Count>,
    overdue: Vec<FindingView>,
    expiring: Vec<FindingView>,
    reviews: Vec<FindingView>,
    errors: usize,
    warnings: usize,
    recent: Vec<Recent>,
    totals: Vec<Count>,
}

#[derive(Serialize)]
struct Recent {
    when: String,
    who: String,
    message: String,
    commit: String,
    records: Vec<Link>,
}

/// Records named per change on the home page.
const RECENT_LINKS: usize = 12;
/// How many commits the home page's recent changes list.
const RECENT_COMMITS: usize = 10;

impl Site<'_> {
    pub(crate) fn home(&self, templates: &Templates) -> Result<Output> {
        let path = "index.html";
        let groups = Self::groups(&self.requests());
        let group = |field: &'static str, value: &str| group(&groups, field, value);
        let by_status = self
            .enum_values(Kind::Request, "status")
            .into_iter()
            .map(|(value, label)| {
                let count = group("status", &value).len();
                Count { url: Some(format!("requests/status/{}.html", facet_slug(&value))), label, value, count }
            })
            .collect();
        // Counted by the code of `defter report open-requests`; every service is listed,
        // those with nothing open too.
        let open =
            crate::report::open_by_service(&self.input.records.records, &self.input.rules.workflows, self.input.as_of);
        let by_service = self
            .of_kind(Kind::Unit)
            .filter(|u| u.fields.str_at("type") == Some("service"))
            .map(|u| {
                let count = open.services.iter().find(|s| s.service == u.id()).map_or(0, |s| s.total);
                Count {
                    label: self.title(u),
                    value: u.id().to_string(),
                    count,
                    url: Some(format!("requests/board/{}.html", self.page_slug(u))),
                }
            })
            .collect();
        let totals = [Kind::Request, Kind::Project, Kind::Grant, Kind::Person]
            .into_iter()
            .map(|k| Count {
                label: self.kind_label(k),
                value: k.name().into(),
                count: self.of_kind(k).count(),
                url: None,
            })
            .collect();
        let recent = self
            .input
            .trail
            .map(|trail| {
                // The latest commits that changed a record shown here (commits are newest
                // first), however many commits to code or configuration came after them.
                let mut latest: BTreeSet<usize> = BTreeSet::new();
                for (id, entries) in trail.iter() {
                    if self.index.get(id).is_none() {
                        continue;
                    }
                    // A record's entries are newest first: past the tenth latest, stop.
                    for e in entries {
                        if latest.len() == RECENT_COMMITS && latest.last().is_some_and(|&last| e.commit >= last) {
                            break;
                        }
                        latest.insert(e.commit);
                        if latest.len() > RECENT_COMMITS {
                            latest.pop_last();
                        }
                    }
                }
                let mut touched: BTreeMap<usize, Vec<Link>> = BTreeMap::new();
                for (id, entries) in trail.iter() {
                    for e in entries {
                        if latest.contains(&e.commit)
                            && let Some(r) = self.index.get(id)
                        {
                            touched
                                .entry(e.commit)
                                .or_default()
                                .push(Link { url: self.url(r), text: r.id().to_string() });
                        }
                    }
                }
                touched
                    .into_iter()
                    .map(|(i, mut records)| {
                        records.sort_by(|a, b| a.text.cmp(&b.text));
                        let more = records.len().saturating_sub(RECENT_LINKS);
                        records.truncate(RECENT_LINKS);
                        if more > 0 {
                            records.push(Link { url: "search.html".into(), text: format!("+{more}") });
                        }
                        let c = &trail.commits[i];
                        let when = jiff::Timestamp::from_second(c.time)
                            .map(|t| crate::model::date::show_date(t.to_zoned(jiff::tz::TimeZone::UTC).date()))
                            .unwrap_or_default();
                        Recent {
                            when,
                            who: self
                                .person_by_email(&c.author_email)
                                .map_or_else(|| c.author_name.clone(), |p| self.title(p)),
                            message: c.summary.clone(),
                            commit: c.short(),
                            records,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let view = HomePage {
            page: self.layout(path, &self.t("home"), "index.html"),
            by_status,
            by_service,
            overdue: self.findings_of(&[Rule::DeadlineMissed], ""),
            expiring: self.findings_of(&[Rule::Expired, Rule::Expiring], ""),
            reviews: self.findings_of(&[Rule::ReviewOverdue], ""),
            errors: self.input.report.errors(),
            warnings: self.input.report.warnings(),
            recent,
            totals,
        };
        Ok((path.into(), templates.render("home.html", &view)?.into_bytes()))
    }
    /// Findings of a rule as (text, link) pairs for the home page.
    fn findings_of(&self, rules: &[Rule], root: &str) -> Vec<FindingView> {
        self.input
            .report
            .diagnostics
            .iter()
            .filter(|d| rules.contains(&d.rule))
            .map(|d| self.finding_view(d, root))
            .collect()
    }
}

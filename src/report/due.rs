//! What falls due: periodic reviews (the `reviews` of the workflow data: grants,
//! accounts, repository access, web-service clients, continuity tests) and end dates
//! (the `expiries`: certificates, domains, grants) within a number of days.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use super::title_of;
use crate::config::Config;
use crate::model::Record;
use crate::model::date::date;
use crate::model::workflow::Workflows;
use crate::validate::time::{days_between, review_state};

/// A review that is due within the window (or overdue).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub(crate) struct ReviewDue {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub path: String,
    /// What is reviewed, as the workflow data says (Turkish).
    pub what: String,
    pub article: String,
    /// The last review (or the start date), if any.
    pub last: Option<String>,
    pub interval_days: i64,
    /// `None` when it has never been done (due at once).
    pub due: Option<String>,
    /// Days from the as-of date to `due` (negative: overdue; `None`: never done).
    pub days_left: Option<i64>,
    pub overdue: bool,
}

/// An end date within the window (or past).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub(crate) struct Expiry {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub path: String,
    pub what: String,
    pub field: String,
    pub article: String,
    pub ends: String,
    /// Days from the as-of date to `ends` (negative: already past).
    pub days_left: i64,
    pub expired: bool,
}

fn state_of<'r>(workflows: &Workflows, record: &'r Record) -> Option<&'r str> {
    record.fields.str_at(workflows.state_field(record.kind.name()))
}

/// Reviews due by `as_of + within_days` (overdue ones included), soonest first.
pub(crate) fn reviews_due(
    records: &[Record],
    workflows: &Workflows,
    config: &Config,
    as_of: Date,
    within_days: i64,
) -> Vec<ReviewDue> {
    let horizon = as_of.checked_add(within_days.days()).unwrap_or(Date::MAX);
    let mut out = Vec::new();
    for record in records {
        let kind = record.kind.name();
        let Some(state) = state_of(workflows, record) else { continue };
        for rule in workflows.reviews.iter().filter(|r| r.kind == kind && workflows.state_matches(kind, state, &r.when))
        {
            let Some(review) = review_state(record, rule, config) else { continue };
            let never = review.last.is_none();
            if !never && review.due > horizon {
                continue;
            }
            out.push(ReviewDue {
                id: record.id().to_string(),
                kind: kind.to_string(),
                name: title_of(record),
                path: record.path.clone(),
                what: rule.what.clone(),
                article: rule.article.clone(),
                last: review.last.map(|(d, _)| d.to_string()),
                interval_days: review.interval,
                due: (!never).then(|| review.due.to_string()),
                days_left: (!never).then(|| days_between(as_of, review.due)),
                overdue: never || review.due < as_of,
            });
        }
    }
    out.sort_by(|a, b| (&a.due, &a.id).cmp(&(&b.due, &b.id)));
    out
}

/// End dates by `as_of + within_days` (past ones included), soonest first.
pub(crate) fn expiring(records: &[Record], workflows: &Workflows, as_of: Date, within_days: i64) -> Vec<Expiry> {
    let horizon = as_of.checked_add(within_days.days()).unwrap_or(Date::MAX);
    let mut out = Vec::new();
    for record in records {
        let kind = record.kind.name();
        let Some(state) = state_of(workflows, record) else { continue };
        for rule in
            workflows.expiries.iter().filter(|r| r.kind == kind && workflows.state_matches(kind, state, &r.when))
        {
            for end in record.fields.path(&rule.field).into_iter().filter_map(date) {
                if end > horizon {
                    continue;
                }
                out.push(Expiry {
                    id: record.id().to_string(),
                    kind: kind.to_string(),
                    name: title_of(record),
                    path: record.path.clone(),
                    what: rule.what.clone(),
                    field: rule.field.clone(),
                    article: rule.article.clone(),
                    ends: end.to_string(),
                    days_left: days_between(as_of, end),
                    expired: end < as_of,
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.ends, &a.id).cmp(&(&b.ends, &b.id)));
    out
}

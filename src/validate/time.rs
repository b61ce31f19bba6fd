//! The time rules, evaluated as of a date: `expired` / `expiring` end dates,
//! `review-overdue` periodic reviews, and `deadline-missed` for open requests and security
//! holes (whose deadline is counted from `found` by severity).

use jiff::civil::Date;
use jiff::{ToSpan, Unit};

use super::{Context, from_entry};
use crate::config::Config;
use crate::diag::{Diagnostic, Rule, msg};
use crate::model::Pos;
use crate::model::Record;
use crate::model::date::{date, show_date};
use crate::model::workflow::{FieldRule, Review};

/// `1 day`, `3 days`.
fn n_days(n: i64) -> String {
    if n == 1 { "1 day".into() } else { format!("{n} days") }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub(crate) fn days_between(from: Date, to: Date) -> i64 {
    from.until((Unit::Day, to)).map_or(0, |s| i64::from(s.get_days()))
}

/// Where a record stands with one periodic review rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ReviewState {
    /// The newest review (or the `since` date when there is none yet), and where it is.
    pub last: Option<(Date, Pos)>,
    /// The interval in days.
    pub interval: i64,
    /// When the next review is due (`Date::MIN` plus the interval when never done).
    pub due: Date,
}

/// The review state of `record` under `rule`; `None` when no interval applies (the
/// configuration or the record names none).
pub(crate) fn review_state(record: &Record, rule: &Review, config: &Config) -> Option<ReviewState> {
    let interval = match (&rule.interval, &rule.interval_field) {
        (Some(name), _) => config.reviews.get(name).map(|d| i64::from(*d)),
        (None, Some(field)) => record.fields.get(field).and_then(|n| n.as_i64()),
        (None, None) => None,
    }?;
    let dates = record.fields.path(&rule.dates);
    let newest = dates.iter().filter_map(|n| date(n).map(|d| (d, n.pos))).max_by_key(|(d, _)| *d);
    let since = rule.since.as_deref().and_then(|f| record.fields.get(f)).and_then(|n| date(n).map(|d| (d, n.pos)));
    let last = newest.or(since);
    let due = last.map_or(Date::MIN, |(d, _)| d).checked_add(interval.days()).unwrap_or(Date::MAX);
    Some(ReviewState { last, interval, due })
}

/// The due dates `rule` (a `deadlines` entry) gives `record`, with where each is written:
/// the dates in its field, or with `days_by`, the start date in its field plus the days
/// `[deadlines.<kind>]` gives the value of that other field (none when it gives none).
pub(crate) fn deadline_dates(record: &Record, rule: &FieldRule, config: &Config) -> Vec<(Date, Pos)> {
    let days = match &rule.days_by {
        None => 0,
        Some(by) => {
            let value = record.fields.path(by).into_iter().find_map(|n| n.as_str());
            let table = config.deadlines.get(&rule.kind);
            match value.and_then(|v| table.and_then(|t| t.get(v))) {
                Some(days) => i64::from(*days),
                None => return Vec::new(),
            }
        }
    };
    let dates = record.fields.path(&rule.field).into_iter().filter_map(|n| date(n).map(|d| (d, n.pos)));
    dates.filter_map(|(d, pos)| d.checked_add(days.days()).ok().map(|due| (due, pos))).collect()
}

pub(crate) fn check(cx: &Context, record: &Record, out: &mut Vec<Diagnostic>) {
    let w = &cx.rules.workflows;
    let kind = record.kind.name();
    let Some(state) = record.fields.str_at(w.state_field(kind)) else { return };
    let as_of = cx.as_of;
    let window = i64::from(cx.config.windows.expiring_days);
    for rule in w.expiries.iter().filter(|r| r.kind == kind && w.state_matches(kind, state, &r.when)) {
        let (what, article) = (&rule.what, &rule.article);
        for node in record.fields.path(&rule.field) {
            let Some(end) = date(node) else { continue };
            let (left, end) = (days_between(as_of, end), show_date(end));
            if left < 0 {
                let (days, n) = (n_days(-left), -left);
                out.extend(from_entry(
                    cx,
                    rule.local.as_deref(),
                    Diagnostic::at(
                        Rule::Expired,
                        &record.path,
                        node.pos,
                        msg!(
                            "{what} expired on {end} ({days} ago, {article})",
                            "{what}: süresi {end} tarihinde doldu ({n} gün önce, {article})"
                        ),
                    )
                    .with_help(msg!(
                        "renew it and update the date, or retire / revoke the record",
                        "yenileyip tarihi güncelleyin ya da kaydı kullanımdan kaldırın / iptal edin"
                    )),
                ));
            } else if left <= window {
                let (days, days_tr) = match left {
                    0 => ("today".to_string(), "bugün".to_string()),
                    _ => (format!("in {}", n_days(left)), format!("{left} gün kaldı")),
                };
                out.extend(from_entry(
                    cx,
                    rule.local.as_deref(),
                    Diagnostic::at(
                        Rule::Expiring,
                        &record.path,
                        node.pos,
                        msg!(
                            "{what} expires on {end} ({days}, {article})",
                            "{what}: süresi {end} tarihinde doluyor ({days_tr}, {article})"
                        ),
                    )
                    .with_help(if left == 0 {
                        msg!("renew it today", "bugün yenileyin")
                    } else {
                        msg!("renew it before {end}", "{end} tarihinden önce yenileyin")
                    }),
                ));
            }
        }
    }
    for rule in w.reviews.iter().filter(|r| r.kind == kind && w.state_matches(kind, state, &r.when)) {
        let Some(review) = review_state(record, rule, cx.config) else { continue };
        if review.due < as_of {
            let (what, article, dates) = (&rule.what, &rule.article, &rule.dates);
            let (message, pos) = match review.last {
                None => (
                    msg!("{what} has never been done ({article})", "{what} hiç yapılmamış ({article})"),
                    record.pos_of(rule.dates.split(['.', '[']).next().unwrap_or(&rule.dates)),
                ),
                Some((last, pos)) => (
                    msg!(
                        "{what} was due on {due} (last on {last}, every {interval} days, {article})",
                        "{what} {due} tarihinde yapılmalıydı (sonuncusu {last}, her {interval} günde bir, {article})",
                        due = show_date(review.due),
                        last = show_date(last),
                        interval = review.interval
                    ),
                    pos,
                ),
            };
            out.extend(from_entry(
                cx,
                rule.local.as_deref(),
                Diagnostic::at(Rule::ReviewOverdue, &record.path, pos, message).with_help(msg!(
                    "record a new review in `{dates}`",
                    "yapılan yeni gözden geçirmeyi (ya da testi) `{dates}` alanına işleyin"
                )),
            ));
        }
    }
    for rule in w.deadlines.iter().filter(|r| r.kind == kind && w.state_matches(kind, state, &r.when)) {
        for (due, pos) in deadline_dates(record, rule, cx.config) {
            if due < as_of {
                out.extend(from_entry(cx, rule.local.as_deref(),
                    Diagnostic::at(
                        Rule::DeadlineMissed,
                        &record.path,
                        pos,
                        msg!(
                            "{what} is still `{state}` but was due on {due} ({days} ago, {article})",
                            "{what} hâlâ `{state}` durumunda; son tarih {due} idi ({n} gün geçti, {article})",
                            what = &rule.what,
                            article = &rule.article,
                            n = days_between(due, as_of),
                            days = n_days(n),
                            due = show_date(due)
                        ),
                    )
                    .with_help(if rule.kind == "campaign" {
                        msg!(
                            "have the reviewers decide the open items (`defter step {id}`), or set a new `due` and record why in `history`",
                            "gözden geçirenler açık kalemlere karar versin (`defter step {id}`) ya da yeni bir `due` belirleyip gerekçesini `history` listesine yazın",
                            id = record.id()
                        )
                    } else {
                        msg!(
                            "finish it, or agree a new due date with the requesting unit and record why in `history`",
                            "işi bitirin ya da talep eden birimle yeni bir son tarih belirleyip gerekçesini `history` listesine yazın"
                        )
                    }),
                ));
            }
        }
    }
}

//! The time rules, evaluated as of a date: `expired` / `expiring` end dates,
//! `review-overdue` periodic reviews, and `deadline-missed` for open requests.

use jiff::civil::Date;
use jiff::{ToSpan, Unit};

use super::{Context, date, show_date};
use crate::diag::{Diagnostic, Rule};
use crate::load::Record;

fn days_between(from: Date, to: Date) -> i64 {
    from.until((Unit::Day, to)).map_or(0, |s| i64::from(s.get_days()))
}

pub fn check(cx: &Context, record: &Record, out: &mut Vec<Diagnostic>) {
    let w = &cx.rules.workflows;
    let kind = record.kind.name();
    let Some(state) = record.fields.str_at(w.state_field(kind)) else { return };
    let as_of = cx.as_of;
    let window = i64::from(cx.config.windows.expiring_days);
    for rule in w.expiries.iter().filter(|r| r.kind == kind && w.state_matches(kind, state, &r.when)) {
        for node in record.fields.path(&rule.field) {
            let Some(end) = date(node) else { continue };
            let left = days_between(as_of, end);
            if left < 0 {
                out.push(
                    Diagnostic::at(
                        Rule::Expired,
                        &record.path,
                        node.pos,
                        format!("{} expired on {} ({} days ago, {})", rule.what, show_date(end), -left, rule.article),
                    )
                    .with_help("renew it and update the date, or retire / revoke the record"),
                );
            } else if left <= window {
                out.push(
                    Diagnostic::at(
                        Rule::Expiring,
                        &record.path,
                        node.pos,
                        format!("{} expires on {} (in {left} days, {})", rule.what, show_date(end), rule.article),
                    )
                    .with_help(format!("renew it before {}", show_date(end))),
                );
            }
        }
    }
    for rule in w.reviews.iter().filter(|r| r.kind == kind && w.state_matches(kind, state, &r.when)) {
        let interval = match (&rule.interval, &rule.interval_field) {
            (Some(name), _) => cx.config.reviews.get(name).map(|d| i64::from(*d)),
            (None, Some(field)) => record.fields.get(field).and_then(|n| n.as_i64()),
            (None, None) => None,
        };
        let Some(interval) = interval else { continue };
        let dates = record.fields.path(&rule.dates);
        let newest = dates.iter().filter_map(|n| date(n).map(|d| (d, n.pos))).max_by_key(|(d, _)| *d);
        let since = rule.since.as_deref().and_then(|f| record.fields.get(f)).and_then(|n| date(n).map(|d| (d, n.pos)));
        let (last, pos) = match newest.or(since) {
            Some(found) => found,
            None => (Date::MIN, record.pos_of(rule.dates.split(['.', '[']).next().unwrap_or(&rule.dates))),
        };
        let due = last.checked_add(interval.days()).unwrap_or(Date::MAX);
        if due < as_of {
            let message = if last == Date::MIN {
                format!("{} has never been done ({})", rule.what, rule.article)
            } else {
                format!(
                    "{} was due on {} (last on {}, every {interval} days, {})",
                    rule.what,
                    show_date(due),
                    show_date(last),
                    rule.article
                )
            };
            out.push(
                Diagnostic::at(Rule::ReviewOverdue, &record.path, pos, message)
                    .with_help(format!("record a new review in `{}`", rule.dates)),
            );
        }
    }
    for rule in w.deadlines.iter().filter(|r| r.kind == kind && w.state_matches(kind, state, &r.when)) {
        for node in record.fields.path(&rule.field) {
            let Some(due) = date(node) else { continue };
            if due < as_of {
                out.push(
                    Diagnostic::at(
                        Rule::DeadlineMissed,
                        &record.path,
                        node.pos,
                        format!(
                            "{} is still `{state}` but was due on {} ({} days ago, {})",
                            rule.what,
                            show_date(due),
                            days_between(due, as_of),
                            rule.article
                        ),
                    )
                    .with_help(
                        "finish it, or agree a new due date with the requesting unit and record why in `history`",
                    ),
                );
            }
        }
    }
}

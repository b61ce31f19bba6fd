//! Request KPIs per month and per service: inflow and outflow, the backlog over time,
//! median days to close, the share closed by the due date, and counts by unit and type.
//! The site's reports page and `defter report kpis` both read these.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::history::{AuditTrail, Shown};
use crate::model::Kind;
use crate::model::Record;
use crate::model::workflow::Workflows;

/// One calendar month's numbers.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub(crate) struct MonthKpi {
    /// `2026-03`
    pub month: String,
    pub received: usize,
    pub closed: usize,
    /// Requests open at the end of the month, by the dates the records' histories
    /// declare (the directive's record, whatever git says).
    pub backlog: usize,
    /// The same count by the dates of the commits that changed each request's status
    /// (a request git never saw change by its history's dates); `None` without git.
    /// Where it differs from `backlog`, git and the records disagree: records imported
    /// in one commit, or changed long after the fact.
    pub backlog_git: Option<usize>,
    /// Median days from `received` to closing, for requests closed this month.
    pub median_days_to_close: Option<f64>,
    /// Of the requests closed this month that had a due date, the share closed by it (0–1).
    pub on_time_share: Option<f64>,
}

/// A per-service (or per-unit, per-type) figure.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub(crate) struct Figure {
    pub key: String,
    pub value: f64,
    pub count: usize,
}

fn date(r: &Record, path: &str) -> Option<Date> {
    r.fields.str_at(path)?.parse().ok()
}

/// When a request was closed: `resolution.date`, else the history entry that closed it.
pub(crate) fn closed_on(r: &Record) -> Option<Date> {
    if r.fields.str_at("status") != Some("closed") {
        return None;
    }
    date(r, "resolution.date").or_else(|| {
        r.fields
            .path("history[]")
            .iter()
            .rev()
            .find(|e| e.str_at("status") == Some("closed"))
            .and_then(|e| e.str_at("date")?.parse().ok())
    })
}

fn month_of(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) { (values[mid - 1] + values[mid]) / 2.0 } else { values[mid] })
}

fn days(from: Date, to: Date) -> f64 {
    from.until((jiff::Unit::Day, to)).map_or(0.0, |s| f64::from(s.get_days()))
}

/// The dates and states a request's `history` records.
fn history_changes(r: &Record) -> Vec<(Date, String)> {
    r.fields
        .path("history[]")
        .iter()
        .filter_map(|e| Some((e.str_at("date")?.parse().ok()?, e.str_at("status")?.to_string())))
        .collect()
}

/// The state of each request over time as its record declares it: the dates and states
/// of its `history`, or, with none, its current state since `received`.
fn declared_changes(r: &Record) -> Vec<(Date, String)> {
    let declared = history_changes(r);
    if !declared.is_empty() {
        return declared;
    }
    match (date(r, "received"), r.fields.str_at("status")) {
        (Some(d), Some(s)) => vec![(d, s.to_string())],
        _ => Vec::new(),
    }
}

/// The state of each request over time as git saw it: from the audit trail (the commit
/// that changed `status`) where git has it, else from the dates its `history` records.
/// `days` has each commit's day (UTC), by the trail's commit numbers.
fn status_changes(r: &Record, trail: &AuditTrail, days: &[Option<Date>]) -> Vec<(Date, String)> {
    let mut out = Vec::new();
    for e in trail.of(r.id()).iter().rev() {
        let Some(day) = days.get(e.commit).copied().flatten() else { continue };
        if let Some(change) = e.fields.iter().find(|f| f.field == "status")
            && let Some(s) = change.new.as_ref().and_then(Shown::as_str)
        {
            out.push((day, s.to_string()));
        }
    }
    if out.is_empty() { history_changes(r) } else { out }
}

/// The day (UTC) of a commit made at `time` (seconds since the epoch).
fn commit_day(time: i64) -> Option<Date> {
    Some(jiff::Timestamp::from_second(time).ok()?.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// How many of the requests whose state changes are `changes` were open at the end of
/// each of the days `ends` (in ascending order). A request's state on a day is that of
/// its last change, in the order given, dated on or before it.
///
/// Each request's changes are put in date order once and the days swept in step (the
/// last change in the order given among those dated on or before a day can only move
/// later as the days do), rather than every change looked through again for every month.
fn open_at_each(changes: &[Vec<(Date, String)>], ends: &[Date], is_open: impl Fn(&str) -> bool) -> Vec<usize> {
    let mut counts = vec![0; ends.len()];
    for c in changes {
        let mut by_date: Vec<usize> = (0..c.len()).collect();
        by_date.sort_by_key(|&i| c[i].0);
        let open: Vec<bool> = c.iter().map(|(_, s)| is_open(s)).collect();
        let (mut next, mut last) = (0, None);
        for (count, end) in counts.iter_mut().zip(ends) {
            while let Some(&i) = by_date.get(next).filter(|&&i| c[i].0 <= *end) {
                last = last.max(Some(i));
                next += 1;
            }
            if last.is_some_and(|i| open[i]) {
                *count += 1;
            }
        }
    }
    counts
}

/// Month by month, from the first request received (at most `months` months back) to
/// the month of `as_of`.
pub(crate) fn monthly(
    records: &[Record],
    workflows: &Workflows,
    trail: Option<&AuditTrail>,
    as_of: Date,
    months: usize,
) -> Vec<MonthKpi> {
    let requests: Vec<&Record> = records.iter().filter(|r| r.kind == Kind::Request).collect();
    let lifecycle = workflows.lifecycle("request");
    let is_open = |s: &str| lifecycle.is_some_and(|l| l.is_open(s));
    // Each request's dates read once (not once per month): received, closed, due.
    let dates: Vec<(Option<Date>, Option<Date>, Option<Date>)> =
        requests.iter().map(|r| (date(r, "received"), closed_on(r), date(r, "due"))).collect();
    let first = dates.iter().filter_map(|d| d.0).min().unwrap_or(as_of);
    let mut month_starts = Vec::new();
    let mut cursor = Date::new(as_of.year(), as_of.month(), 1).unwrap_or(as_of);
    let first_month = Date::new(first.year(), first.month(), 1).unwrap_or(first);
    while cursor >= first_month && month_starts.len() < months {
        month_starts.push(cursor);
        cursor = cursor.checked_sub(jiff::Span::new().months(1)).unwrap_or(Date::MIN);
    }
    month_starts.reverse();
    let changes: Vec<Vec<(Date, String)>> = requests.iter().map(|r| declared_changes(r)).collect();
    // Each commit's day, found once rather than for every entry of every request.
    let commit_days: Vec<Option<Date>> =
        trail.map_or_else(Vec::new, |t| t.commits.iter().map(|c| commit_day(c.time)).collect());
    let git_changes: Option<Vec<Vec<(Date, String)>>> =
        trail.map(|t| requests.iter().map(|r| status_changes(r, t, &commit_days)).collect());
    let ends: Vec<Date> = month_starts.iter().map(|start| start.last_of_month().min(as_of)).collect();
    let backlogs = open_at_each(&changes, &ends, is_open);
    let backlogs_git = git_changes.as_deref().map(|git| open_at_each(git, &ends, is_open));
    let same_month = |d: Date, start: Date| d.year() == start.year() && d.month() == start.month();
    month_starts
        .into_iter()
        .enumerate()
        .map(|(m, start)| {
            let received = dates.iter().filter(|d| d.0.is_some_and(|d| same_month(d, start))).count();
            let closed: Vec<&(Option<Date>, Option<Date>, Option<Date>)> =
                dates.iter().filter(|d| d.1.is_some_and(|d| same_month(d, start))).collect();
            let backlog = backlogs[m];
            let backlog_git = backlogs_git.as_ref().map(|b| b[m]);
            let durations = closed.iter().filter_map(|d| Some(days(d.0?, d.1?))).collect();
            let with_due: Vec<(Date, Date)> = closed.iter().filter_map(|d| Some((d.1?, d.2?))).collect();
            let on_time_share = (!with_due.is_empty())
                .then(|| with_due.iter().filter(|(c, d)| c <= d).count() as f64 / with_due.len() as f64);
            MonthKpi {
                month: month_of(start),
                received,
                closed: closed.len(),
                backlog,
                backlog_git,
                median_days_to_close: median(durations),
                on_time_share,
            }
        })
        .collect()
}

/// Median days to close per responsible service (unit id), over all closed requests.
pub(crate) fn median_close_by_service(records: &[Record]) -> Vec<Figure> {
    let mut by: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for r in records.iter().filter(|r| r.kind == Kind::Request) {
        if let (Some(service), Some(received), Some(closed)) =
            (r.fields.str_at("service"), date(r, "received"), closed_on(r))
        {
            by.entry(service.to_string()).or_default().push(days(received, closed));
        }
    }
    by.into_iter().filter_map(|(key, v)| Some(Figure { count: v.len(), value: median(v)?, key })).collect()
}

/// The share (0–1) of closed requests with a due date that were closed by it, per service.
pub(crate) fn on_time_by_service(records: &[Record]) -> Vec<Figure> {
    let mut by: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in records.iter().filter(|r| r.kind == Kind::Request) {
        if let (Some(service), Some(closed), Some(due)) = (r.fields.str_at("service"), closed_on(r), date(r, "due")) {
            let e = by.entry(service.to_string()).or_default();
            e.1 += 1;
            if closed <= due {
                e.0 += 1;
            }
        }
    }
    by.into_iter().map(|(key, (ok, all))| Figure { key, value: ok as f64 / all as f64, count: all }).collect()
}

/// How many requests each value of a field has (`unit`, `type`), largest first.
pub(crate) fn count_by(records: &[Record], field: &str) -> Vec<Figure> {
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for r in records.iter().filter(|r| r.kind == Kind::Request) {
        if let Some(v) = r.fields.str_at(field) {
            *by.entry(v.to_string()).or_default() += 1;
        }
    }
    let mut out: Vec<Figure> = by.into_iter().map(|(key, n)| Figure { key, value: n as f64, count: n }).collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sweep counts what looking through every request's changes again for every
    /// day counts: pseudo-random changes out of date order, repeated dates, a request
    /// with none, and days before, between and after the changes.
    #[test]
    fn the_open_requests_of_each_day_are_those_a_look_at_every_change_finds() {
        let mut seed = 11u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let day = |n: u64| Date::new(2025, 1, 1).unwrap().checked_add(jiff::Span::new().days(n as i64)).unwrap();
        let states = ["new", "assigned", "closed", "cancelled"];
        let changes: Vec<Vec<(Date, String)>> = (0..300)
            .map(|_| (0..next(5)).map(|_| (day(next(400)), states[next(4) as usize].to_string())).collect())
            .collect();
        let is_open = |s: &str| matches!(s, "new" | "assigned");
        let mut ends: Vec<Date> = (0..20).map(|_| day(next(450))).collect();
        ends.extend([day(0), day(0), day(500)]);
        ends.sort();
        let looked = |end: Date| {
            changes.iter().filter(|c| c.iter().rfind(|(d, _)| *d <= end).is_some_and(|(_, s)| is_open(s))).count()
        };
        let expected: Vec<usize> = ends.iter().map(|e| looked(*e)).collect();
        assert_eq!(open_at_each(&changes, &ends, is_open), expected);
        assert!(expected.iter().any(|n| *n > 0) && expected[0] < expected[10], "{expected:?}");
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}

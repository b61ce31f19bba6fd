//! The summaries as tables, for the terminal (text, CSV, Markdown): a column per figure,
//! a row per service, person, review, expiry or month.

use super::{Expiry, MonthKpi, OpenRequests, PersonLoad, ReviewDue, Table};

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "—".to_string(), |v| v.to_string())
}

pub(crate) fn open_requests(data: &OpenRequests) -> Table {
    let mut headers = vec!["service", "name"];
    headers.extend(data.states.iter().map(String::as_str));
    headers.extend(["open", "overdue"]);
    let mut table = Table::new(&headers);
    for s in &data.services {
        let mut row = vec![s.service.clone(), s.name.clone()];
        row.extend(s.by_status.values().map(ToString::to_string));
        row.extend([s.total.to_string(), s.overdue.to_string()]);
        table.row(row);
    }
    let mut total = vec!["total".to_string(), String::new()];
    for state in &data.states {
        total.push(
            data.services.iter().map(|s| s.by_status.get(state).copied().unwrap_or(0)).sum::<usize>().to_string(),
        );
    }
    total.extend([data.total.to_string(), data.overdue.to_string()]);
    table.footer.push(total);
    table
}

pub(crate) fn workload(data: &[PersonLoad]) -> Table {
    let mut table = Table::new(&["person", "name", "requests", "overdue", "projects", "items"]);
    for p in data {
        let items: Vec<&str> = p.items.iter().map(|i| i.id.as_str()).collect();
        table.row(vec![
            p.person.clone(),
            p.name.clone(),
            p.open_requests.to_string(),
            p.overdue.to_string(),
            p.open_projects.to_string(),
            items.join(" "),
        ]);
    }
    table
}

pub(crate) fn reviews(data: &[ReviewDue]) -> Table {
    let mut table = Table::new(&["due", "days", "id", "name", "review", "last"]);
    for r in data {
        table.row(vec![
            r.due.clone().unwrap_or_else(|| "now".into()),
            opt(r.days_left),
            r.id.clone(),
            r.name.clone(),
            r.what.clone(),
            opt(r.last.as_ref()),
        ]);
    }
    table
}

pub(crate) fn expiring(data: &[Expiry]) -> Table {
    let mut table = Table::new(&["ends", "days", "id", "name", "what"]);
    for e in data {
        table.row(vec![e.ends.clone(), e.days_left.to_string(), e.id.clone(), e.name.clone(), e.what.clone()]);
    }
    table
}

pub(crate) fn kpis(data: &[MonthKpi]) -> Table {
    let mut table = Table::new(&["month", "received", "closed", "backlog", "backlog (git)", "median days", "on time"]);
    for m in data {
        table.row(vec![
            m.month.clone(),
            m.received.to_string(),
            m.closed.to_string(),
            m.backlog.to_string(),
            opt(m.backlog_git.map(|n| n.to_string())),
            opt(m.median_days_to_close.map(|d| crate::model::number::decimal(d, true))),
            opt(m.on_time_share.map(|s| crate::model::number::percent(s, true))),
        ]);
    }
    table
}

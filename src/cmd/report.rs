//! `defter report <name>`: load the records, compute one report (`crate::report`), print
//! it as a table, CSV, JSON or Markdown.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;
use serde::Serialize;

use crate::cli::{ReportArgs, ReportFormat, ReportName};

use crate::load;
use crate::repo::Repo;
use crate::report::{self, Table};

/// The JSON form: which report, as of when, and its data.
#[derive(Serialize)]
struct Document<'a, T: Serialize> {
    report: &'a str,
    as_of: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    within_days: Option<i64>,
    data: T,
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "—".to_string(), |v| v.to_string())
}

pub(super) fn run(root: &Path, args: &ReportArgs) -> Result<ExitCode> {
    let Some(name) = args.name else {
        for name in ReportName::value_variants() {
            let value = name.to_possible_value().expect("every report has a name");
            println!("{:<14} {}", value.get_name(), value.get_help().map(ToString::to_string).unwrap_or_default());
        }
        return Ok(ExitCode::SUCCESS);
    };
    let Repo { config, rules } = Repo::open(root)?;
    let records = load::load_dir(root)?;
    let (records, workflows, as_of) = (&records.records, &rules.workflows, args.as_of);
    let within = args.within.unwrap_or(i64::from(config.windows.expiring_days));
    let id = name.to_possible_value().expect("every report has a name").get_name().to_string();
    let doc = |within_days| (id.as_str(), as_of.to_string(), within_days);
    let (json, table) = match name {
        ReportName::OpenRequests => {
            let data = report::open_by_service(records, workflows, as_of);
            (to_json(doc(None), &data), open_requests_table(&data))
        }
        ReportName::Workload => {
            let data = report::workload(records, workflows, as_of);
            (to_json(doc(None), &data), workload_table(&data))
        }
        ReportName::ReviewsDue => {
            let data = report::reviews_due(records, workflows, &config, as_of, within);
            (to_json(doc(Some(within)), &data), reviews_table(&data))
        }
        ReportName::Expiring => {
            let data = report::expiring(records, workflows, as_of, within);
            (to_json(doc(Some(within)), &data), expiring_table(&data))
        }
        ReportName::Kpis => {
            let trail = history(root);
            let data = report::kpi::monthly(records, workflows, trail.as_ref(), as_of, args.months);
            (to_json(doc(None), &data), kpis_table(&data))
        }
    };
    print!(
        "{}",
        match args.format {
            ReportFormat::Json => json,
            ReportFormat::Table => table.to_text(),
            ReportFormat::Csv => table.to_csv(),
            ReportFormat::Markdown => table.to_markdown(),
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// The records' history from git when the repository is in git (as the site uses it);
/// without git the KPIs read the dates the records' `history` lists.
fn history(root: &Path) -> Option<crate::history::AuditTrail> {
    let git = crate::git::Git::open(root).ok()?;
    let head = git.resolve("HEAD").ok()?;
    crate::history::cache::audit_trail_cached(&git, head, &git.cache_file("history.json")).ok()
}

fn to_json<T: Serialize>((report, as_of, within_days): (&str, String, Option<i64>), data: &T) -> String {
    let document = Document { report, as_of, within_days, data };
    serde_json::to_string_pretty(&document).expect("reports serialise") + "\n"
}

fn open_requests_table(data: &report::OpenRequests) -> Table {
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

fn workload_table(data: &[report::PersonLoad]) -> Table {
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

fn reviews_table(data: &[report::ReviewDue]) -> Table {
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

fn expiring_table(data: &[report::Expiry]) -> Table {
    let mut table = Table::new(&["ends", "days", "id", "name", "what"]);
    for e in data {
        table.row(vec![e.ends.clone(), e.days_left.to_string(), e.id.clone(), e.name.clone(), e.what.clone()]);
    }
    table
}

fn kpis_table(data: &[report::MonthKpi]) -> Table {
    let mut table = Table::new(&["month", "received", "closed", "backlog", "median days", "on time"]);
    for m in data {
        table.row(vec![
            m.month.clone(),
            m.received.to_string(),
            m.closed.to_string(),
            m.backlog.to_string(),
            opt(m.median_days_to_close.map(|d| format!("{d:.1}"))),
            opt(m.on_time_share.map(|s| format!("{:.0}%", s * 100.0))),
        ]);
    }
    table
}

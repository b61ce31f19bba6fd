//! `defter report <name>`: load the records, compute one report (`crate::report`), print
//! it as a table, CSV, JSON or Markdown.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;
use serde::Serialize;

use super::Ui;
use crate::cli::{ReportArgs, ReportFormat, ReportName};
use crate::diag::Lang;

use crate::load;
use crate::repo::Repo;
use crate::report::{self, Table, tables};

/// The JSON form: which report, as of when, and its data.
#[derive(Serialize)]
struct Document<'a, T: Serialize> {
    report: &'a str,
    as_of: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    within_days: Option<i64>,
    data: T,
}

/// The Turkish words of the tables' headers and cells (a state's is its label).
const TURKISH: &[(&str, &str)] = &[
    ("service", "servis"),
    ("name", "ad"),
    ("open", "açık"),
    ("overdue", "gecikmiş"),
    ("total", "toplam"),
    ("person", "kişi"),
    ("requests", "talepler"),
    ("projects", "projeler"),
    ("items", "işler"),
    ("due", "son tarih"),
    ("days", "gün"),
    ("id", "kimlik"),
    ("review", "gözden geçirme"),
    ("last", "son"),
    ("ends", "bitiş"),
    ("what", "ne"),
    ("month", "ay"),
    ("received", "gelen"),
    ("closed", "kapatılan"),
    ("backlog", "bekleyen"),
    ("median days", "ortanca gün"),
    ("on time", "zamanında"),
    ("now", "şimdi"),
];

/// A table for Turkish readers: headers in Turkish, states by their labels, dates as
/// `dd.mm.yyyy`.
fn in_turkish(table: &mut Table, rules: &crate::load::rules::Ruleset) {
    let state = |code: &str| crate::step::state_label(rules, crate::model::Kind::Request, code);
    for header in &mut table.headers {
        if let Some((_, tr)) = TURKISH.iter().find(|(en, _)| en == header) {
            *header = (*tr).to_string();
        } else if let Some(label) = state(header) {
            *header = label;
        }
    }
    for cell in table.rows.iter_mut().chain(table.footer.iter_mut()).flatten() {
        if let Some((_, tr)) = TURKISH.iter().find(|(en, _)| en == cell) {
            *cell = (*tr).to_string();
        } else if let Ok(date) = cell.parse::<jiff::civil::Date>() {
            *cell = crate::model::date::show_date(date);
        }
    }
}

pub(super) fn run(root: &Path, args: &ReportArgs, ui: Ui) -> Result<ExitCode> {
    let Some(name) = args.name else {
        for name in ReportName::value_variants() {
            let value = name.to_possible_value().expect("every report has a name");
            println!("{:<14} {}", value.get_name(), value.get_help().map(ToString::to_string).unwrap_or_default());
        }
        return Ok(ExitCode::SUCCESS);
    };
    let repo = Repo::open(root)?;
    let (config, rules) = (&repo.config, &repo.rules);
    let records = load::load_dir(root)?;
    let (records, workflows, as_of) = (&records.records, &rules.workflows, args.as_of);
    let within = args.within.unwrap_or(i64::from(config.windows.expiring_days));
    let id = name.to_possible_value().expect("every report has a name").get_name().to_string();
    let doc = |within_days| (id.as_str(), as_of.to_string(), within_days);
    let (json, mut table) = match name {
        ReportName::OpenRequests => {
            let data = report::open_by_service(records, workflows, as_of);
            (to_json(doc(None), &data), tables::open_requests(&data))
        }
        ReportName::Workload => {
            let data = report::workload(records, workflows, as_of);
            (to_json(doc(None), &data), tables::workload(&data))
        }
        ReportName::ReviewsDue => {
            let data = report::reviews_due(records, workflows, config, as_of, within);
            (to_json(doc(Some(within)), &data), tables::reviews(&data))
        }
        ReportName::Expiring => {
            let data = report::expiring(records, workflows, as_of, within);
            (to_json(doc(Some(within)), &data), tables::expiring(&data))
        }
        ReportName::Kpis => {
            // Every request's history is read: decoded at once, in parallel.
            let trail = Repo::audit_trail(root).map(|mut trail| {
                trail.decode_all();
                trail
            });
            let data = report::kpi::monthly(records, workflows, trail.as_ref(), as_of, args.months);
            (to_json(doc(None), &data), tables::kpis(&data))
        }
    };
    if ui.lang == Lang::Tr && matches!(args.format, ReportFormat::Table | ReportFormat::Markdown) {
        in_turkish(&mut table, rules);
    }
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

fn to_json<T: Serialize>((report, as_of, within_days): (&str, String, Option<i64>), data: &T) -> String {
    let document = Document { report, as_of, within_days, data };
    serde_json::to_string_pretty(&document).expect("reports serialise") + "\n"
}

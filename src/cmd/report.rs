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
use crate::report::{self, tables};

/// The JSON form: which report, as of when, and its data.
#[derive(Serialize)]
struct Document<'a, T: Serialize> {
    report: &'a str,
    as_of: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    within_days: Option<i64>,
    data: T,
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
            (to_json(doc(None), &data), tables::open_requests(&data))
        }
        ReportName::Workload => {
            let data = report::workload(records, workflows, as_of);
            (to_json(doc(None), &data), tables::workload(&data))
        }
        ReportName::ReviewsDue => {
            let data = report::reviews_due(records, workflows, &config, as_of, within);
            (to_json(doc(Some(within)), &data), tables::reviews(&data))
        }
        ReportName::Expiring => {
            let data = report::expiring(records, workflows, as_of, within);
            (to_json(doc(Some(within)), &data), tables::expiring(&data))
        }
        ReportName::Kpis => {
            let trail = Repo::audit_trail(root);
            let data = report::kpi::monthly(records, workflows, trail.as_ref(), as_of, args.months);
            (to_json(doc(None), &data), tables::kpis(&data))
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

fn to_json<T: Serialize>((report, as_of, within_days): (&str, String, Option<i64>), data: &T) -> String {
    let document = Document { report, as_of, within_days, data };
    serde_json::to_string_pretty(&document).expect("reports serialise") + "\n"
}

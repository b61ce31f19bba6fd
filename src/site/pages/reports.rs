//! The reports page: request KPIs from `crate::report::kpi` drawn as inline SVG charts,
//! each followed by its data table.

use anyhow::Result;
use serde::Serialize;

use crate::model::number;
use crate::report::kpi::{self, Figure};
use crate::site::build::Output;
use crate::site::charts;
use crate::site::data::Site;
use crate::site::templates::Templates;
use crate::site::view::Layout;

#[derive(Serialize)]
struct Chart {
    id: String,
    /// The export (`exports/<name>.csv|json`) holding the chart's data.
    export: &'static str,
    title: String,
    svg: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    /// A sentence under the chart (where git and the records disagree).
    note: Option<String>,
}

#[derive(Serialize)]
struct ReportsPage {
    page: Layout,
    charts: Vec<Chart>,
}

/// Months shown on the charts.
pub(super) const MONTHS: usize = 18;

/// A chart's SVG description: its data, row by row, for screen readers.
fn describe(rows: &[Vec<String>]) -> String {
    rows.iter().map(|r| format!("{}: {}", r[0], r[1..].join(" / "))).collect::<Vec<_>>().join("; ")
}

impl Site<'_> {
    /// A chart of one figure per service, unit or type. `percent`: the values are shares
    /// (0–1); `headers` name the table's columns after the first (what is counted); a
    /// count chart (`headers` of one) shows its value once, without a count column.
    fn figures_chart(
        &self,
        id: &str,
        title: String,
        figures: &[Figure],
        max: Option<f64>,
        percent: bool,
        headers: &[&str],
    ) -> Chart {
        let english = self.english;
        let items: Vec<(String, f64)> =
            figures.iter().map(|f| (self.name_of(&f.key), if percent { f.value * 100.0 } else { f.value })).collect();
        let rows: Vec<Vec<String>> = figures
            .iter()
            .map(|f| {
                let value = if percent { number::percent(f.value, english) } else { number::decimal(f.value, english) };
                let mut row = vec![self.name_of(&f.key), value];
                if headers.len() > 1 {
                    row.push(f.count.to_string());
                }
                row
            })
            .collect();
        let svg = charts::hbars(
            id,
            &title,
            &describe(&rows),
            &items,
            max.map(|m| if percent { m * 100.0 } else { m }),
            percent,
            english,
        );
        let export = match id {
            "median" => "median-close",
            "ontime" => "on-time",
            "units" => "requests-by-unit",
            _ => "requests-by-type",
        };
        let mut all = vec![String::new()];
        all.extend(headers.iter().map(|h| self.t(h)));
        Chart { id: id.into(), export, title, svg, headers: all, rows, note: None }
    }

    fn labelled(&self, field: &str, figures: Vec<Figure>) -> Vec<Figure> {
        figures
            .into_iter()
            .map(|f| Figure { key: self.value_label(crate::model::Kind::Request, &format!("/{field}"), &f.key), ..f })
            .collect()
    }

    /// The request figures month by month ([`MONTHS`] back), counted once for the
    /// reports page and the KPI export.
    pub(crate) fn monthly(&self) -> &[kpi::MonthKpi] {
        self.monthly.get_or_init(|| {
            let input = self.input;
            kpi::monthly(&input.records.records, &input.rules.workflows, input.trail, input.as_of, MONTHS)
        })
    }

    pub(crate) fn reports(&self, templates: &Templates) -> Result<Output> {
        let path = "reports.html";
        let records = &self.input.records.records;
        let months = self.monthly();
        let categories: Vec<String> = months.iter().map(|m| m.month.clone()).collect();
        let (received, closed) = (self.t("received_label"), self.t("closed_label"));
        let mut charts = Vec::new();
        let title = self.t("inflow_outflow");
        let rows: Vec<Vec<String>> =
            months.iter().map(|m| vec![m.month.clone(), m.received.to_string(), m.closed.to_string()]).collect();
        charts.push(Chart {
            id: "inflow".into(),
            export: "kpis",
            svg: charts::bars(
                "inflow",
                &title,
                &describe(&rows),
                &categories,
                &[
                    (received.clone(), months.iter().map(|m| m.received as f64).collect()),
                    (closed.clone(), months.iter().map(|m| m.closed as f64).collect()),
                ],
                self.english,
            ),
            headers: vec![self.t("month"), received, closed],
            rows,
            title,
            note: None,
        });
        // Open requests by the dates the records declare; git's count beside it, and the
        // months where the two disagree marked (records imported in one commit show no
        // open request in git before the import).
        let title = self.t("backlog");
        let differs = |m: &kpi::MonthKpi| m.backlog_git.is_some_and(|g| g != m.backlog);
        let with_git = months.iter().any(|m| m.backlog_git.is_some());
        let rows: Vec<Vec<String>> = months
            .iter()
            .map(|m| {
                let mut row = vec![m.month.clone(), m.backlog.to_string()];
                if let Some(git) = m.backlog_git {
                    row.push(if differs(m) { format!("≠ {git}") } else { git.to_string() });
                } else if with_git {
                    row.push(String::new());
                }
                row
            })
            .collect();
        let disagree: Vec<&str> = months.iter().filter(|m| differs(m)).map(|m| m.month.as_str()).collect();
        let mut headers = vec![self.t("month"), self.t("open_requests_count")];
        if with_git {
            headers.push(self.t("backlog_git"));
        }
        charts.push(Chart {
            id: "backlog".into(),
            export: "kpis",
            svg: charts::line(
                "backlog",
                &title,
                &describe(&rows.iter().map(|r| r[..2].to_vec()).collect::<Vec<_>>()),
                &categories,
                &months.iter().map(|m| m.backlog as f64).collect::<Vec<_>>(),
                self.english,
            ),
            headers,
            rows,
            title,
            note: (!disagree.is_empty()).then(|| {
                self.t("backlog_disagree")
                    .replace("{n}", &disagree.len().to_string())
                    .replace("{months}", &disagree.join(", "))
            }),
        });
        charts.push(self.figures_chart(
            "median",
            self.t("median_close"),
            &kpi::median_close_by_service(records),
            None,
            false,
            &["median_days", "closed_requests"],
        ));
        charts.push(self.figures_chart(
            "ontime",
            self.t("on_time"),
            &kpi::on_time_by_service(records),
            Some(1.0),
            true,
            &["closed_by_due", "closed_with_due"],
        ));
        let by_unit = kpi::count_by(records, "unit");
        charts.push(self.figures_chart("units", self.t("by_unit"), &by_unit, None, false, &["request_count"]));
        let by_type = self.labelled("type", kpi::count_by(records, "type"));
        charts.push(self.figures_chart("types", self.t("by_type"), &by_type, None, false, &["request_count"]));
        // The first column of a figures table names what is counted (no empty header).
        for chart in &mut charts {
            let first = match chart.id.as_str() {
                "units" => "unit",
                "types" => "type",
                "median" | "ontime" => "service",
                _ => continue,
            };
            chart.headers[0] = self.t(first);
        }
        let view = ReportsPage { page: self.layout(path, &self.t("reports"), path), charts };
        Ok((path.into(), templates.render("reports.html", &view)?.into_bytes()))
    }
}

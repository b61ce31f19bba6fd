//! Summaries over the loaded repository: open requests by service and status, open work
//! per person, reviews and expiries coming due, and monthly KPIs.
//!
//! Each report is a pure function of the records, the workflow data
//! (`schemas/workflows.yaml`: which states are open, which reviews and end dates
//! exist), the configuration and an "as of" date, and returns typed, serialisable
//! structs: `defter report` prints them as a table, CSV, JSON or Markdown, and the site
//! renders the same structs. Dates are ISO `YYYY-MM-DD` strings in the structs.

mod backlog;
mod due;
pub(crate) mod kpi;
pub(crate) mod table;
pub(crate) mod tables;

pub(crate) use backlog::{OpenRequests, PersonLoad, WorkItem, open_by_service, workload};
pub(crate) use due::{Expiry, ReviewDue, expiring, reviews_due};
pub(crate) use kpi::MonthKpi;
pub(crate) use table::Table;

use crate::model::Index;
use crate::model::Record;

/// The display name of a unit or person (`name`), or its id.
fn name_of(index: &Index, id: &str) -> String {
    index.get(id).and_then(|r| r.fields.str_at("name")).unwrap_or(id).to_string()
}

/// A record's `title` or `name` for lists; a grant reads `grantee — system (role)`.
pub(crate) fn title_of(record: &Record) -> String {
    if record.kind == crate::model::Kind::Grant {
        let field = |f| record.fields.str_at(f).unwrap_or("?");
        return format!("{} — {} ({})", field("grantee"), field("system"), field("role"));
    }
    record.fields.str_at("title").or_else(|| record.fields.str_at("name")).unwrap_or_default().to_string()
}

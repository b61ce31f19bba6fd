//! Dates as records hold them (`YYYY-MM-DD`) and as people read them (`dd.mm.yyyy`).

use jiff::civil::Date;

use super::Node;

/// Parses a `YYYY-MM-DD` date (invalid dates are the schema's business).
pub(crate) fn date(node: &Node) -> Option<Date> {
    node.as_str()?.parse().ok()
}

/// `dd.mm.yyyy`, the date form people read.
pub(crate) fn show_date(d: Date) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

/// `2026-03-03` → `03.03.2026`; other text unchanged.
pub(crate) fn human_date(text: &str) -> String {
    match text.parse::<Date>() {
        Ok(d) if text.len() == 10 => show_date(d),
        _ => text.to_string(),
    }
}

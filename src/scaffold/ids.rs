//! The next free id of a numbered kind: `TLP-<year>-<nnnn>` (requests), `YTK-<year>-<nnnn>`
//! (grants), `PRJ-<nnnn>` (projects), `OLY-<year>-<nnnn>` and the other numbered registers:
//! the largest number in use, plus one.

use crate::load::Records;
use crate::model::Kind;

/// The prefix of a numbered kind's ids, and whether they carry a year.
fn scheme(kind: Kind) -> Option<(&'static str, bool)> {
    match kind {
        Kind::Request => Some(("TLP", true)),
        Kind::Grant => Some(("YTK", true)),
        Kind::Project => Some(("PRJ", false)),
        kind => kind.register().and_then(|(_, prefix)| prefix).map(|prefix| (prefix, true)),
    }
}

/// The number of `id` under `prefix` (and `year`), if it is one of those ids.
fn number(id: &str, prefix: &str, year: Option<i16>) -> Option<u32> {
    let rest = id.strip_prefix(prefix)?.strip_prefix('-')?;
    let digits = match year {
        Some(year) => rest.strip_prefix(&format!("{year:04}-"))?,
        None => rest,
    };
    (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok())?
}

/// The next free id of `kind` in `year` (ignored for projects). Every id in use counts:
/// `id` fields, file and folder names, and files that do not even parse.
pub(crate) fn next_id(records: &Records, kind: Kind, year: i16) -> Option<String> {
    let (prefix, yearly) = scheme(kind)?;
    let year = yearly.then_some(year);
    let names = records.records.iter().flat_map(|r| [r.id(), r.path_id.as_str()]).chain(
        records
            .records
            .iter()
            .map(|r| r.path.as_str())
            .chain(records.problems.iter().map(|d| d.path.as_str()))
            .flat_map(|path| path.split('/').map(|part| part.split('.').next().unwrap_or(part))),
    );
    let max = names.filter_map(|name| number(name, prefix, year)).max().unwrap_or(0);
    Some(match year {
        Some(year) => format!("{prefix}-{year:04}-{:04}", max + 1),
        None => format!("{prefix}-{:04}", max + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_the_year_only() {
        assert_eq!(number("TLP-2026-0042", "TLP", Some(2026)), Some(42));
        assert_eq!(number("TLP-2025-0042", "TLP", Some(2026)), None);
        assert_eq!(number("PRJ-0007", "PRJ", None), Some(7));
        assert_eq!(number("PRJ-0007/analiz", "PRJ", None), None);
        assert_eq!(number("YTK-2026-12", "YTK", Some(2026)), None);
        assert_eq!(next_id(&Records::default(), Kind::Request, 2026).as_deref(), Some("TLP-2026-0001"));
        assert_eq!(next_id(&Records::default(), Kind::Person, 2026), None);
    }
}

//! CSV for Excel in a Turkish locale: UTF-8 with a byte-order mark and `;` between
//! cells, so ç ğ ı İ ö ş ü arrive intact; cells that start like a formula are
//! neutralised.

use anyhow::Result;

use super::{Table, capacity};
pub(crate) use crate::report::table::defuse_formula;

pub(crate) fn to_csv(table: &Table) -> Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(capacity(table, 1, 2, false));
    // A byte-order mark: Excel reads the file as UTF-8 then.
    bytes.extend_from_slice("\u{feff}".as_bytes());
    let mut writer = ::csv::WriterBuilder::new().delimiter(b';').terminator(::csv::Terminator::CRLF).from_writer(bytes);
    writer.write_record(&table.columns)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|c| defuse_formula(c)))?;
    }
    writer.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_excel_safe() {
        let table = Table {
            name: "t",
            columns: vec!["a".into(), "b".into()],
            rows: vec![
                vec!["=HYPERLINK(\"http://x\")".into(), "Şikâyet; \"alıntı\"".into()],
                vec!["-1".into(), "@x".into()],
            ],
        };
        let text = String::from_utf8(to_csv(&table).unwrap()).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("'=HYPERLINK"), "{text}");
        assert!(text.contains("\"Şikâyet; \"\"alıntı\"\"\""), "{text}");
        assert!(text.contains("'-1;'@x\r\n"), "{text}");
    }
}

//! The file formats the site writes besides HTML, knowing nothing of pages or of the
//! site: CSV and JSON of a [`Table`], an iCalendar feed of dated events and an Atom feed
//! of entries. The pages decide what goes into a file; these writers only how it is
//! spelt, so each format's escaping rules (formula cells, `</script>` in JSON, RFC 5545
//! folding, XML's forbidden characters) are found and tested in one place.

pub(crate) mod atom;
pub(crate) mod csv;
pub(crate) mod ics;
pub(crate) mod json;

/// A table: column names and rows of cells.
pub(crate) struct Table {
    pub name: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Bytes enough for every cell of `table` with `per_cell` more each and `per_row` more
/// each row, the column names once (CSV's header) or in every row too (JSON's keys), and
/// a little for escapes: an export of 60,000 rows is written into one buffer of about
/// its size rather than one that doubled its way there (twice the size, and each
/// doubling a copy).
fn capacity(table: &Table, per_cell: usize, per_row: usize, names_per_row: bool) -> usize {
    let cells: usize =
        table.rows.iter().map(|row| row.iter().map(|c| c.len() + per_cell).sum::<usize>() + per_row).sum();
    let names: usize = table.columns.iter().map(String::len).sum();
    let header = names + table.columns.len() * per_cell + per_row;
    let text = cells + if names_per_row { names * table.rows.len() } else { header };
    text + text / 16 + 64
}

#[cfg(test)]
mod tests {
    use super::csv::to_csv;
    use super::json::to_json;
    use super::*;

    /// the estimate, so the buffer never doubles, and the estimate is close.
    #[test]
    fn exports_fit_their_estimated_size() {
        let columns = vec!["id".to_string(), "title".into(), "unit".into(), "status".into()];
        let rows = (0..1000)
            .map(|i| {
                vec![
                    format!("TLP-2026-{i:04}"),
                    format!("Şikâyet modülünde \"mükerrer\" kayıt {i}"),
                    "fen-isleri-dairesi".into(),
                    if i % 3 == 0 { String::new() } else { "in_progress".into() },
                ]
            })
            .collect();
        let table = Table { name: "t", columns, rows };
        // Large enough, and not much larger (no better than doubling otherwise).
        for (len, capacity) in [
            (to_json(&table).len(), capacity(&table, 12, 9, true)),
            (to_csv(&table).unwrap().len(), capacity(&table, 1, 2, false)),
        ] {
            assert!(len <= capacity && capacity * 10 < len * 11, "{len} bytes in {capacity}");
        }
    }
}

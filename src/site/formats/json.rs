//! JSON of a [`Table`] and the rule that keeps every JSON file of the site inert.

use super::{Table, capacity};

/// The table as a JSON array of objects, one per row, laid out as `serde_json`'s pretty
/// printer lays it out, and inert (see [`inert_json`]). Written string by string into
/// one buffer: a table of 60,000 rows is not built as a JSON tree first.
pub(crate) fn to_json(table: &Table) -> Vec<u8> {
    fn string(out: &mut Vec<u8>, s: &str) {
        if has_markup(s) {
            out.extend_from_slice(inert_json(&serde_json::to_string(s).expect("strings serialise")).as_bytes());
        } else {
            serde_json::to_writer(&mut *out, s).expect("strings serialise into memory");
        }
    }
    if table.rows.is_empty() {
        return b"[]\n".to_vec();
    }
    // Each cell is `,\n    "column": "value"` (12 bytes besides the name and value),
    // each row `,\n  {` and `\n  }`.
    let mut out = Vec::with_capacity(capacity(table, 12, 9, true));
    // The column names, written once and copied into every row.
    let names: Vec<Vec<u8>> = table
        .columns
        .iter()
        .map(|c| {
            let mut name = Vec::new();
            string(&mut name, c);
            name
        })
        .collect();
    out.extend_from_slice(b"[\n");
    for (i, row) in table.rows.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"  {" } else { b",\n  {" });
        // A row has a cell per column (a missing cell is left out, as a short zip would).
        for (j, (name, value)) in names.iter().zip(row).enumerate() {
            out.extend_from_slice(if j == 0 { b"\n    " } else { b",\n    " });
            out.extend_from_slice(name);
            out.extend_from_slice(b": ");
            string(&mut out, value);
        }
        out.extend_from_slice(if table.columns.is_empty() || row.is_empty() { b"}" } else { b"\n  }" });
    }
    out.extend_from_slice(b"\n]\n");
    out
}

/// Whether `text` holds `<`, `>` or `&`. A byte search (memchr's), where `str::contains`
/// with a set of chars decodes every char: the search index's files and the exports
/// are tens of megabytes, and the char-by-char scan was 1 % of a merge's build.
fn has_markup(text: &str) -> bool {
    memchr::memchr3(b'<', b'>', b'&', text.as_bytes()).is_some()
}

/// JSON with `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`: the same data to
/// any JSON reader, but no markup should a browser or a misconfigured server ever show
/// the file as HTML. (Outside strings JSON has none of these characters.)
pub(crate) fn inert_json(text: &str) -> String {
    if !has_markup(text) {
        return text.to_string();
    }
    text.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, Value as Json};

    #[test]
    fn json_is_what_serde_json_pretty_prints_and_inert() {
        let pretty = |table: &Table| {
            let rows: Vec<Json> = table
                .rows
                .iter()
                .map(|row| {
                    let object: Map<String, Json> =
                        table.columns.iter().cloned().zip(row.iter().cloned().map(Json::String)).collect();
                    Json::Object(object)
                })
                .collect();
            inert_json(&(serde_json::to_string_pretty(&rows).unwrap() + "\n"))
        };
        let columns = vec!["id".to_string(), "başlık <b>".into(), "\"x\"".into()];
        for rows in [
            vec![],
            vec![vec!["TLP-1".into(), "Şikâyet & \"alıntı\"\n</script>".into(), "\u{1}\t\\".into()]],
            vec![vec!["a".into(), "b".into(), "c".into()], vec!["d".into(), String::new(), "İı".into()]],
        ] {
            let table = Table { name: "t", columns: columns.clone(), rows };
            let ours = String::from_utf8(to_json(&table)).unwrap();
            assert_eq!(ours, pretty(&table));
            assert!(!ours.contains(['<', '>', '&']), "{ours}");
            let back: Json = serde_json::from_str(&ours).unwrap();
            assert_eq!(back.as_array().map(Vec::len), Some(table.rows.len()));
        }
    }
}

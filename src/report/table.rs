//! A report as rows and columns, rendered as an aligned text table, CSV or a Markdown
//! table. (JSON is the report's typed struct itself.)

/// Column headers and rows of cells; `footer` rows (totals) come last.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub footer: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(headers: &[&str]) -> Table {
        Table { headers: headers.iter().map(|h| h.to_string()).collect(), ..Table::default() }
    }

    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table with every control character in a cell shown as `\u{…}`: cells quote
    /// record text, and an escape sequence in a title must not drive the reader's terminal.
    fn printable(&self) -> Table {
        let row = |cells: &Vec<String>| cells.iter().map(|c| crate::diag::human::printable(c)).collect();
        Table {
            headers: self.headers.clone(),
            rows: self.rows.iter().map(row).collect(),
            footer: self.footer.iter().map(row).collect(),
        }
    }

    fn all_rows(&self) -> impl Iterator<Item = &Vec<String>> {
        self.rows.iter().chain(&self.footer)
    }

    /// Columns padded to their widest cell, numbers right-aligned, a rule under the
    /// header and above the footer.
    pub(crate) fn to_text(&self) -> String {
        let shown = self.printable();
        let this = &shown;
        let width = |i: usize| {
            std::iter::once(&this.headers)
                .chain(this.all_rows())
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..this.headers.len()).map(width).collect();
        let numeric: Vec<bool> = (0..this.headers.len())
            .map(|i| {
                this.all_rows()
                    .filter_map(|r| r.get(i))
                    .all(|c| c.is_empty() || c == "—" || c.trim_end_matches('%').parse::<f64>().is_ok())
            })
            .collect();
        let line = |cells: &[String]| {
            let parts: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let pad = widths[i].saturating_sub(c.chars().count());
                    if numeric[i] { format!("{}{c}", " ".repeat(pad)) } else { format!("{c}{}", " ".repeat(pad)) }
                })
                .collect();
            parts.join("  ").trim_end().to_string() + "\n"
        };
        let rule = widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("  ") + "\n";
        let mut out = line(&this.headers);
        out.push_str(&rule);
        for row in &this.rows {
            out.push_str(&line(row));
        }
        if !this.footer.is_empty() {
            out.push_str(&rule);
            for row in &this.footer {
                out.push_str(&line(row));
            }
        }
        out
    }

    /// RFC 4180 CSV with a header line; cells that would run as a spreadsheet formula
    /// are neutralised.
    pub(crate) fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&self.headers).expect("writing CSV to memory");
        for row in self.all_rows() {
            writer.write_record(row.iter().map(|c| defuse_formula(c))).expect("writing CSV to memory");
        }
        String::from_utf8(writer.into_inner().expect("flushing CSV to memory")).expect("CSV of UTF-8 cells")
    }

    /// A GitHub-flavoured Markdown table whose cells read as the text they hold: markup
    /// copied from a record (`<img onerror=…>`, `[x](javascript:…)`) is escaped, so the
    /// table is inert wherever it is pasted and rendered (a pull request, a wiki).
    pub(crate) fn to_markdown(&self) -> String {
        let cell = |c: &String| crate::diag::human::printable(&markdown_text(c));
        let line = |cells: &[String]| format!("| {} |\n", cells.iter().map(cell).collect::<Vec<_>>().join(" | "));
        let mut out = line(&self.headers);
        out.push_str(&format!("|{}\n", "---|".repeat(self.headers.len())));
        for row in self.all_rows() {
            out.push_str(&line(row));
        }
        out
    }
}

/// `text` as Markdown that shows it literally, on one line: every ASCII punctuation
/// character that starts markup in CommonMark, GitHub's extensions or HTML (`<`, `&`,
/// `[`, `]`, `` ` ``, `*`, `_`, `~`, `|`, `!`, `\`…) is backslash-escaped (CommonMark
/// allows the escape before any ASCII punctuation), line breaks become spaces.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a
/// leading `'` (OWASP's advice against CSV injection).
pub(crate) fn defuse_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_cells_are_shown_not_sent() {
        let mut t = Table::new(&["id", "title"]);
        t.row(vec!["TLP-2026-0001".into(), "a\u{1b}[2Jb".into()]);
        let text = t.to_text();
        assert!(!text.contains('\u{1b}') && text.contains("a\\u{1b}[2Jb"), "{text}");
        let markdown = t.to_markdown();
        assert!(!markdown.contains('\u{1b}') && markdown.contains("a\\u{1b}\\[2Jb"), "{markdown}");
        // A line break in a cell cannot start a line of its own (a workflow command), nor a
        // bidi override reorder the table.
        t.row(vec!["x".into(), "y\n::error file=x::forged\u{202e}\u{2028}".into()]);
        let out = t.to_text();
        assert!(out.contains("y\\n::error file=x::forged\\u{202e}\\u{2028}"), "{out}");
        assert!(!out.lines().any(|l| l.starts_with("::")) && !out.contains(['\u{202e}', '\u{2028}']), "{out}");
    }

    #[test]
    fn renders_three_ways() {
        let mut t = Table::new(&["servis", "açık"]);
        t.row(vec!["Analiz".into(), "3".into()]);
        t.row(vec!["Geliştirme, Ar-Ge".into(), "12".into()]);
        t.footer.push(vec!["toplam".into(), "15".into()]);
        assert_eq!(
            t.to_text(),
            "servis             açık\n-----------------  ----\nAnaliz                3\nGeliştirme, Ar-Ge    12\n-----------------  ----\ntoplam               15\n"
        );
        assert_eq!(t.to_csv(), "servis,açık\nAnaliz,3\n\"Geliştirme, Ar-Ge\",12\ntoplam,15\n");
        assert!(t.to_markdown().starts_with("| servis | açık |\n|---|---|\n| Analiz | 3 |\n"));
    }
}

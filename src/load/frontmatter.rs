//! Splitting a Markdown file into its YAML front matter (fenced by `---` lines) and body.

/// The parts of a Markdown record.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences, or `None` when the file has no front matter.
    pub yaml: Option<&'a str>,
    /// Line number of the first YAML line minus one (the opening fence's line).
    pub yaml_line_offset: u32,
    pub body: &'a str,
    /// 1-based line where the body starts.
    pub body_line: u32,
}

/// Why the front matter could not be split off.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The opening `---` has no closing `---` (line of the opening fence).
    Unclosed,
}

fn is_fence(line: &str, closing: bool) -> bool {
    let line = line.trim_end_matches(['\r', '\n']).trim_end();
    line == "---" || (closing && line == "...")
}

/// Splits `text` (BOM already removed). A file whose first line is not `---` has no
/// front matter. CRLF line endings are accepted.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let no_front_matter = Split { yaml: None, yaml_line_offset: 0, body: text, body_line: 1 };
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if !is_fence(&text[..first_end], false) {
        return Ok(no_front_matter);
    }
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1);
        if is_fence(&text[offset..end], true) {
            return Ok(Split {
                yaml: Some(&text[first_end..offset]),
                yaml_line_offset: 1,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("---\nid: x\n---\nGövde\n").unwrap();
        assert_eq!(s.yaml, Some("id: x\n"));
        assert_eq!(s.body, "Gövde\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn accepts_crlf_and_empty_front_matter() {
        let s = split("---\r\nid: x\r\n---\r\nbody\r\n").unwrap();
        assert_eq!(s.yaml, Some("id: x\r\n"));
        assert_eq!(s.body, "body\r\n");
        let s = split("---\n---\n").unwrap();
        assert_eq!(s.yaml, Some(""));
        assert_eq!(s.body, "");
    }

    #[test]
    fn no_front_matter_and_unclosed() {
        assert_eq!(split("# Başlık\n").unwrap().yaml, None);
        assert_eq!(split("").unwrap().yaml, None);
        assert_eq!(split("---\nid: x\n"), Err(SplitError::Unclosed));
        assert_eq!(split("---"), Err(SplitError::Unclosed));
    }
}

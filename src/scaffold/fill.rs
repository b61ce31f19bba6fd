//! Filling a record template: `{{name}}` placeholders take YAML-ready values; a line
//! whose placeholder has no value is left out (an optional field not given).

use std::collections::BTreeMap;

/// Placeholder values (already written as YAML scalars, see [`yaml_scalar`]).
pub(crate) type Values = BTreeMap<&'static str, Option<String>>;

/// The template with every placeholder replaced; lines naming a placeholder without a
/// value are dropped.
pub(crate) fn fill(template: &str, values: &Values) -> String {
    let mut out = String::with_capacity(template.len());
    'lines: for line in template.split_inclusive('\n') {
        let mut filled = String::with_capacity(line.len());
        let mut rest = line;
        while let Some(start) = rest.find("{{") {
            let Some(end) = rest[start..].find("}}") else { break };
            let name = &rest[start + 2..start + end];
            match values.get(name) {
                Some(Some(value)) => {
                    filled.push_str(&rest[..start]);
                    filled.push_str(value);
                }
                _ => continue 'lines,
            }
            rest = &rest[start + end + 2..];
        }
        filled.push_str(rest);
        out.push_str(&filled);
    }
    out
}

/// A string as a YAML scalar: plain when that reads back as the same string (also inside
/// a flow mapping), else double-quoted.
pub(crate) fn yaml_scalar(text: &str) -> String {
    let plain_char =
        |c: char| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '(' | ')' | '/' | '\'' | '’' | '@' | '+');
    let looks_typed = text.parse::<f64>().is_ok()
        || ["0x", "0o"].iter().any(|p| text.strip_prefix(p).is_some_and(|r| i64::from_str_radix(r, 16).is_ok()))
        || matches!(text.to_ascii_lowercase().as_str(), "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off");
    let plain = text.chars().next().is_some_and(char::is_alphanumeric)
        && !text.ends_with(' ')
        && text.chars().all(plain_char)
        && !looks_typed;
    if plain { text.to_string() } else { serde_json::to_string(text).expect("a string serialises") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_and_drops_lines() {
        let mut values = Values::new();
        values.insert("id", Some("TLP-2026-0001".into()));
        values.insert("due", None);
        let text = fill("id: {{id}}\ndue: {{due}}\nlater: {{unknown}}\nstatus: new\n", &values);
        assert_eq!(text, "id: TLP-2026-0001\nstatus: new\n");
    }

    #[test]
    fn quotes_what_plain_yaml_would_misread() {
        assert_eq!(yaml_scalar("Zabıta raporu (günlük)"), "Zabıta raporu (günlük)");
        assert_eq!(yaml_scalar("Rapor: günlük"), "\"Rapor: günlük\"");
        assert_eq!(yaml_scalar("a, b"), "\"a, b\"");
        assert_eq!(yaml_scalar("ali.veli+git@izmir.bel.tr"), "ali.veli+git@izmir.bel.tr");
        assert_eq!(yaml_scalar("2026"), "\"2026\"");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
        assert_eq!(yaml_scalar("0x1F"), "\"0x1F\"");
        assert_eq!(yaml_scalar("#1 \"x\""), "\"#1 \\\"x\\\"\"");
        assert_eq!(yaml_scalar(""), "\"\"");
    }
}

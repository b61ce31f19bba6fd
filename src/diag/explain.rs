//! The long explanation of each rule, taken from `docs/rules.md` (embedded at build time,
//! so `defter explain` and the reference never disagree): what the rule checks, the
//! article it enforces, a bad and a fixed example, and what to do.

use super::Rule;

/// The rule reference, as shipped.
pub(crate) const RULES_MD: &str = include_str!("../../docs/rules.md");

/// The section of docs/rules.md headed ``## `rule-id` ``, without its heading and the
/// closing `---` rule, trimmed.
pub(crate) fn section(rule: Rule) -> Option<&'static str> {
    let heading = format!("## `{}`", rule.id());
    let start = RULES_MD.lines().scan(0, |offset, line| {
        let at = *offset;
        *offset += line.len() + 1;
        Some((at, line))
    });
    let (at, line) = start.into_iter().find(|(_, line)| line.trim_end() == heading)?;
    let body = &RULES_MD[at + line.len()..];
    let end = body.find("\n## ").unwrap_or(body.len());
    let body = body[..end].trim();
    Some(body.strip_suffix("---").unwrap_or(body).trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_section_with_a_bad_and_a_fixed_example() {
        for rule in Rule::ALL {
            let text = section(*rule).unwrap_or_else(|| panic!("docs/rules.md has no section for `{rule}`"));
            assert!(text.starts_with("**") || text.starts_with("Needs"), "{rule}: {}", &text[..40.min(text.len())]);
            assert!(text.contains("**What it checks.**"), "{rule} says what it checks");
            assert!(text.contains("**Article"), "{rule} names its article");
            assert!(text.contains("**Bad"), "{rule} has a bad example");
            assert!(text.contains("**Fixed"), "{rule} has a fixed example");
            assert!(!text.contains("\n## "), "{rule}: one section only");
        }
    }
}

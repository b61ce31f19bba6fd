//! Numbers as a reader writes them: the one place a number that is not a plain count
//! becomes text, on the site and in the terminal alike. Turkish writes a decimal comma
//! and the percent sign first (`47,5`, `%57,1`); English a decimal point and the sign
//! after (`47.5`, `57.1%`). A whole number has no decimals in either (`11`, not `11.0`).

/// `value` with at most one decimal, rounded half away from zero; a whole number (after
/// rounding) without any. `english` picks the decimal point over the comma.
pub(crate) fn decimal(value: f64, english: bool) -> String {
    let tenths = (value * 10.0).round();
    // -0.04 rounds to -0: write 0.
    let tenths = if tenths == 0.0 { 0.0 } else { tenths };
    let text = if tenths % 10.0 == 0.0 { format!("{:.0}", tenths / 10.0) } else { format!("{:.1}", tenths / 10.0) };
    if english { text } else { text.replace('.', ",") }
}

/// A share (0–1) as a percentage with at most one decimal: `%57,1`, `57.1%`.
pub(crate) fn percent(share: f64, english: bool) -> String {
    let number = decimal(share * 100.0, english);
    if english { format!("{number}%") } else { format!("%{number}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turkish_numbers_have_a_comma_and_no_empty_decimals() {
        assert_eq!(decimal(47.5, false), "47,5");
        assert_eq!(decimal(11.0, false), "11");
        assert_eq!(decimal(29.04, false), "29");
        assert_eq!(decimal(2.25, false), "2,3");
        assert_eq!(decimal(-0.01, false), "0");
        assert_eq!(decimal(1234.5, false), "1234,5");
        assert_eq!(percent(4.0 / 7.0, false), "%57,1");
        assert_eq!(percent(1.0, false), "%100");
        assert_eq!(percent(0.5, false), "%50");
    }

    #[test]
    fn english_numbers_have_a_point() {
        assert_eq!(decimal(47.5, true), "47.5");
        assert_eq!(decimal(11.0, true), "11");
        assert_eq!(percent(4.0 / 7.0, true), "57.1%");
        assert_eq!(percent(0.0, true), "0%");
    }
}

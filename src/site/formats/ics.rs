//! iCalendar (RFC 5545): a calendar of whole-day events, with text escaped and lines
//! folded as calendar programs expect.

use jiff::civil::Date;

/// A whole-day event.
pub(crate) struct Event {
    /// Unique and stable from build to build (a calendar program updates the event).
    pub uid: String,
    pub day: Date,
    pub summary: String,
    pub url: String,
}

/// A calendar named `name` of `events`, stamped `stamp` (the day the site is built as of).
pub(crate) fn calendar<'e>(name: &str, stamp: Date, events: impl Iterator<Item = &'e Event>) -> Vec<u8> {
    let stamp = format!("{}T000000Z", stamp.strftime("%Y%m%d"));
    let mut out = String::new();
    for line in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//defter//tr", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"] {
        out.push_str(&fold_line(line));
    }
    out.push_str(&fold_line(&format!("X-WR-CALNAME:{}", text(name))));
    for e in events {
        let day = e.day.strftime("%Y%m%d").to_string();
        let next = e.day.tomorrow().map(|t| t.strftime("%Y%m%d").to_string()).unwrap_or_else(|_| day.clone());
        out.push_str(&fold_line("BEGIN:VEVENT"));
        out.push_str(&fold_line(&format!("UID:{}", e.uid)));
        out.push_str(&fold_line(&format!("DTSTAMP:{stamp}")));
        out.push_str(&fold_line(&format!("DTSTART;VALUE=DATE:{day}")));
        out.push_str(&fold_line(&format!("DTEND;VALUE=DATE:{next}")));
        out.push_str(&fold_line(&format!("SUMMARY:{}", text(&e.summary))));
        out.push_str(&fold_line(&format!("URL:{}", e.url)));
        out.push_str(&fold_line("END:VEVENT"));
    }
    out.push_str(&fold_line("END:VCALENDAR"));
    out.into_bytes()
}

/// iCalendar text: escape `\\ ; ,` and line breaks (`\\n`). What RFC 5545 forbids in a
/// value is left out by [`fold_line`], which every line goes through.
pub(crate) fn text(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace("\r\n", "\\n").replace(['\r', '\n'], "\\n")
}

/// Whether RFC 5545 allows `c` in a content line: no control character but the tab
/// (CONTROL = %x00-08 / %x0A-1F / %x7F; C1 and the noncharacters U+FFFE and U+FFFF are
/// left out too). A stray CR or LF would let a value end its line and add a property.
pub(crate) fn ics_char(c: char) -> bool {
    c == '\t' || !(c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}'))
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), on character boundaries: the one
/// writer of the calendar's lines; characters [`ics_char`] refuses are left out.
fn fold_line(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars().filter(|&c| ics_char(c)) {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_lines_are_escaped_and_folded() {
        assert_eq!(text("a;b,c\nd"), "a\\;b\\,c\\nd");
        let long = format!("SUMMARY:{}", "ş".repeat(60));
        let folded = fold_line(&long);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
    }
}

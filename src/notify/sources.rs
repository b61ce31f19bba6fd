//! The sources of the agenda ([`super::SOURCES`]) and who is told about a record: each
//! reads what defter already computes for the site and `validate`, and says whom it
//! concerns.

use super::{Input, Item, Topic};
use crate::diag::{Message, Rule, Severity, msg};
use crate::model::date::show_date;
use crate::model::keepers::{Part, heads, keepers_in};
use crate::model::{Index, Kind, Record};
use crate::validate::time::{days_between, deadline_dates};

/// The roles whose passing test a project needs before it leaves testing (M9(1)(g): the
/// support service's and the owner unit's official's); `tests[].role` values.
const ACCEPTANCE: [&str; 2] = ["support", "unit_official"];

/// The project phase in which the acceptance tests are made (M9(1)(g)).
const TESTING: &str = "testing";

/// The people a record's reminders go to: those who answer for it in one of the parts
/// [`Part::answers`] takes — who works on it (assignee, analyst), a grant's approver (who
/// reviews it), a campaign's opener, its owner (a person, or who heads the owning unit);
/// when no one of these is found, who heads its responsible `service`. The site's
/// per-person feeds read the same [`keepers`](crate::model::keepers::keepers).
fn responsible<'a>(index: &Index<'a>, record: &Record) -> Vec<&'a str> {
    keepers_in(index, record, Part::answers)
}

fn item(record: &Record, topic: Topic, key: String, text: Message, date: Option<jiff::civil::Date>) -> Item {
    Item {
        topic,
        key,
        id: record.id().to_string(),
        path: record.path.clone(),
        title: crate::report::title_of(record),
        text,
        date,
        urgent: false,
    }
}

/// How far a date is, in English and Turkish: `3 days ago` / `3 gün geçti`, `today` /
/// `bugün`, `in 5 days` / `5 gün kaldı`.
fn distance(days_left: i64) -> (String, String) {
    match days_left {
        0 => ("today".into(), "bugün".into()),
        n if n < 0 => (format!("{} days ago", -n), format!("{} gün geçti", -n)),
        n => (format!("in {n} days"), format!("{n} gün kaldı")),
    }
}

/// Open requests and security holes past their due date or within `[notify]
/// due_soon_days` of it (the `deadlines` of the workflow data), for who answers for them:
/// the assignee, or while there is none, the chief of the responsible service.
pub(crate) fn deadlines(input: &Input<'_>, out: &mut Vec<(String, Item)>) {
    let w = &input.rules.workflows;
    let soon = i64::from(input.config.notify.due_soon_days);
    for record in input.records {
        let kind = record.kind.name();
        let Some(state) = record.fields.str_at(w.state_field(kind)) else { continue };
        for rule in w.deadlines.iter().filter(|r| r.kind == kind && w.state_matches(kind, state, &r.when)) {
            for (due, _) in deadline_dates(record, rule, input.config) {
                let left = days_between(input.as_of, due);
                if left > soon {
                    continue;
                }
                let (what, shown, (far, far_tr)) = (&rule.what, show_date(due), distance(left));
                let text = msg!("{what}: due on {shown} ({far})", "{what}: son tarih {shown} ({far_tr})");
                let key =
                    format!("deadline|{}|{}|{due}|{}", record.path, rule.field, if left < 0 { "late" } else { "soon" });
                let mut found = item(record, Topic::Deadline, key, text, Some(due));
                found.urgent = left < 0;
                for person in responsible(input.index, record) {
                    out.push((person.to_string(), found.clone()));
                }
            }
        }
    }
}

/// Tests waiting for someone: a request in the state where the workflow data requires a
/// test (`required_tests`) waits for the chief of its service, who has it tested and
/// closes it (not for its assignee: the tester is someone else, M7(1)(r)); a project in
/// testing waits for the acceptance tests of M9(1)(g) still missing a pass — for each,
/// the people who may make it, its developers left out.
pub(crate) fn tests(input: &Input<'_>, out: &mut Vec<(String, Item)>) {
    let w = &input.rules.workflows;
    for record in input.records {
        let kind = record.kind.name();
        let Some(state) = record.fields.str_at(w.state_field(kind)) else { continue };
        let required = w
            .required_tests
            .iter()
            .find(|t| t.kind == kind && t.state == state && t.applies_to(record.fields.str_at(&t.field)));
        if let Some(test) = required {
            let chiefs = record.fields.str_at("service").map(|s| heads(input.index, s)).unwrap_or_default();
            let assignee = record.fields.str_at("assignee");
            for chief in chiefs.into_iter().filter(|c| assignee != Some(*c)) {
                let (what, article) = (&test.what, &test.article);
                let text = msg!(
                    "waiting for its test ({what}, {article}): have it tested, then close it or send it back",
                    "test bekliyor ({what}, {article}): test ettirip kapatın ya da geri gönderin"
                );
                let key = format!("test|{}|{state}", record.path);
                out.push((chief.to_string(), item(record, Topic::Test, key, text, None)));
            }
        }
        if record.kind == Kind::Project && state == TESTING {
            project_tests(input, record, out);
        }
    }
}

fn project_tests(input: &Input<'_>, record: &Record, out: &mut Vec<(String, Item)>) {
    let w = &input.rules.workflows;
    let developers: Vec<&str> = record.fields.path("developers[]").into_iter().filter_map(|n| n.as_str()).collect();
    let tests = record.fields.path("tests[]");
    for role in ACCEPTANCE {
        let passed = tests.iter().any(|t| t.str_at("role") == Some(role) && t.str_at("result") == Some("pass"));
        if passed {
            continue;
        }
        let Some(rule) = w.actor_fields.iter().find(|r| {
            r.kind == "project" && r.field == "tests[].by" && r.filter.get("role").map(String::as_str) == Some(role)
        }) else {
            continue;
        };
        let (what, article) = (&rule.what, &rule.article);
        let text = msg!(
            "the project is in testing and waits for a passing test ({what}, {article})",
            "proje test aşamasında; başarılı test bekleniyor ({what}, {article})"
        );
        let key = format!("test|{}|{role}", record.path);
        for person in input.index.people() {
            let id = person.id();
            if developers.contains(&id)
                || input.index.is_active(id) == Some(false)
                || !input.index.any_actor(w, id, &rule.by, record)
            {
                continue;
            }
            out.push((id.to_string(), item(record, Topic::Test, key.clone(), text.clone(), None)));
        }
    }
}

/// Periodic reviews and tests overdue or due within `[windows] expiring_days`, for who
/// is responsible for the record ([`responsible`]).
pub(crate) fn reviews(input: &Input<'_>, out: &mut Vec<(String, Item)>) {
    let (w, config, as_of) = (&input.rules.workflows, input.config, input.as_of);
    let window = i64::from(config.windows.expiring_days);
    for due in crate::report::reviews_due(input.records, w, config, as_of, window) {
        let Some(record) = input.record_at(&due.path) else { continue };
        let date = due.due.as_deref().and_then(|d| d.parse::<jiff::civil::Date>().ok());
        let (what, article) = (&due.what, &due.article);
        let text = match (date, due.days_left) {
            (Some(date), Some(left)) => {
                let (shown, (far, far_tr)) = (show_date(date), distance(left));
                msg!(
                    "{what}: due on {shown} ({far}, {article})",
                    "{what}: {shown} tarihinde yapılmalı ({far_tr}, {article})"
                )
            }
            _ => msg!("{what} has never been done ({article})", "{what} hiç yapılmamış ({article})"),
        };
        let stage = if due.overdue { "late" } else { "soon" };
        let key = format!("review|{}|{what}|{}|{stage}", due.path, due.due.as_deref().unwrap_or("never"));
        let mut found = item(record, Topic::Review, key, text, date);
        found.urgent = due.overdue;
        for person in responsible(input.index, record) {
            out.push((person.to_string(), found.clone()));
        }
    }
}

/// End dates past or within `[windows] expiring_days`, for who is responsible for the
/// record.
pub(crate) fn expiries(input: &Input<'_>, out: &mut Vec<(String, Item)>) {
    let (w, config, as_of) = (&input.rules.workflows, input.config, input.as_of);
    let window = i64::from(config.windows.expiring_days);
    for end in crate::report::expiring(input.records, w, as_of, window) {
        let Some(record) = input.record_at(&end.path) else { continue };
        let Ok(date) = end.ends.parse::<jiff::civil::Date>() else { continue };
        let (what, article, shown, (far, far_tr)) = (&end.what, &end.article, show_date(date), distance(end.days_left));
        let text = if end.expired {
            msg!(
                "{what} expired on {shown} ({far}, {article})",
                "{what}: süresi {shown} tarihinde doldu ({far_tr}, {article})"
            )
        } else {
            msg!(
                "{what} expires on {shown} ({far}, {article})",
                "{what}: süresi {shown} tarihinde doluyor ({far_tr}, {article})"
            )
        };
        let stage = if end.expired { "past" } else { "soon" };
        let key = format!("expiry|{}|{}|{}|{stage}", end.path, end.field, end.ends);
        let mut found = item(record, Topic::Expiry, key, text, Some(date));
        found.urgent = end.expired;
        for person in responsible(input.index, record) {
            out.push((person.to_string(), found.clone()));
        }
    }
}

/// The items of open access review campaigns that wait for their reviewer's decision:
/// one line per campaign for each reviewer, with how many of their items are undecided
/// and the campaign's due date.
pub(crate) fn campaigns(input: &Input<'_>, out: &mut Vec<(String, Item)>) {
    use crate::model::campaign::{decisions, listed};
    let w = &input.rules.workflows;
    for record in input.records.iter().filter(|r| r.kind == Kind::Campaign) {
        if record.fields.str_at(w.state_field("campaign")) != Some("open") {
            continue;
        }
        let decided: Vec<String> = decisions(record).into_iter().map(|(d, _)| d.item).collect();
        let mut waiting: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        let nodes = record.fields.path("items[]");
        for (item, node) in listed(record, "items").iter().zip(&nodes) {
            if let Some(reviewer) = node.str_at("reviewer").filter(|_| !decided.contains(&item.item)) {
                *waiting.entry(reviewer).or_default() += 1;
            }
        }
        let due = record.fields.str_at("due").and_then(|d| d.parse::<jiff::civil::Date>().ok());
        for (reviewer, n) in waiting {
            let text = match due {
                Some(due) => {
                    let (shown, (far, far_tr)) = (show_date(due), distance(days_between(input.as_of, due)));
                    msg!(
                        "{n} item(s) of this access review wait for your decision (keep, revoke or change) by {shown} ({far})",
                        "bu erişim gözden geçirmesinde {n} kalem kararınızı bekliyor (sürdür, kaldır ya da değiştir): son tarih {shown} ({far_tr})"
                    )
                }
                None => msg!(
                    "{n} item(s) of this access review wait for your decision (keep, revoke or change)",
                    "bu erişim gözden geçirmesinde {n} kalem kararınızı bekliyor (sürdür, kaldır ya da değiştir)"
                ),
            };
            let late = due.is_some_and(|d| d < input.as_of);
            let key = format!("campaign|{}|{reviewer}|{}", record.path, if late { "late" } else { "open" });
            let mut found = item(record, Topic::Review, key, text, due);
            found.urgent = late;
            out.push((reviewer.to_string(), found));
        }
    }
}

/// The rules whose findings the other sources already tell, in their own words.
const TOLD_ELSEWHERE: [Rule; 4] = [Rule::Expired, Rule::Expiring, Rule::ReviewOverdue, Rule::DeadlineMissed];

/// `validate`'s findings (errors and warnings) in records someone is responsible for.
pub(crate) fn findings(input: &Input<'_>, out: &mut Vec<(String, Item)>) {
    for d in input.findings.iter().filter(|d| !TOLD_ELSEWHERE.contains(&d.rule)) {
        let Some(record) = input.record_at(&d.path) else { continue };
        let (rule, en, tr) = (d.rule, &d.message.en, &d.message.tr);
        let text = match d.severity {
            Severity::Error => msg!("error ({rule}): {en}", "hata ({rule}): {tr}"),
            _ => msg!("warning ({rule}): {en}", "uyarı ({rule}): {tr}"),
        };
        let key = format!("finding|{}|{rule}|{en}", d.path);
        let mut found = item(record, Topic::Finding, key, text, None);
        found.urgent = d.severity == Severity::Error;
        for person in responsible(input.index, record) {
            out.push((person.to_string(), found.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_read_as_people_say_them() {
        assert_eq!(distance(0).1, "bugün");
        assert_eq!(distance(-3).1, "3 gün geçti");
        assert_eq!(distance(5).0, "in 5 days");
    }
}

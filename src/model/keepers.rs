//! Who answers for a record, and in what part: the one reading of the fields that name
//! people (or units) on a record, shared by the site's per-person feeds (the records a
//! person holds) and `defter notify` (whom a record's reminders go to), so that a
//! person's calendar and their e-mail never disagree about whose a record is.
//!
//! [`keepers`] resolves every such field to people — a person named is that person, a
//! unit named is its `head`, or where it names none its service chiefs — and tags each
//! with its [`Part`]. The two readers differ only in which parts count: a grant's
//! grantee holds it (their feed follows it) but does not review it; its approver reviews
//! it but does not hold it. [`Part::holds`] and [`Part::answers`] say which.

use super::{Index, Kind, Record};

/// What a person named on a record is to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// Does its work: a request's or security hole's `assignee`, a project's `analyst`.
    Work,
    /// One of a project's `developers`.
    Development,
    /// Owns or keeps it: `owner`, `custodian` (a person, or who heads the unit named).
    Ownership,
    /// Has the thing: an asset's `holder`, a grant's `grantee`.
    Holding,
    /// Approved a grant (`approved_by`), and so reviews it.
    Approval,
    /// Opened an access review campaign (`started_by`).
    Opening,
    /// Owns the system a grant is on: M11(1)(ğ) has the grants on a system reviewed,
    /// and its owner answers for that.
    SystemOwner,
    /// Heads the record's responsible `service`: only when no one is found who does its
    /// work, approved it, opened it or owns it.
    Service,
}

impl Part {
    /// Whether the part puts the record in the person's hands: the records their own
    /// iCalendar and Atom feeds follow.
    pub(crate) fn holds(self) -> bool {
        matches!(self, Part::Work | Part::Development | Part::Ownership | Part::Holding | Part::SystemOwner)
    }

    /// Whether the part makes the person answer for what the record needs done: whom
    /// `defter notify` reminds of its deadlines, reviews, end dates and findings.
    pub(crate) fn answers(self) -> bool {
        matches!(self, Part::Work | Part::Ownership | Part::Approval | Part::Opening | Part::Service)
    }
}

/// The fields every kind may name people in, in the order they are read.
const FIELDS: [(&str, Part); 7] = [
    ("assignee", Part::Work),
    ("analyst", Part::Work),
    ("developers[]", Part::Development),
    ("owner", Part::Ownership),
    ("custodian", Part::Ownership),
    ("holder", Part::Holding),
    ("grantee", Part::Holding),
];

/// Everyone `record` names, as people of `index`, each with their part, in the order of
/// the fields (a person may come more than once, in several parts). People who have
/// left are included: what to make of them is the reader's. A name that is no person
/// or unit (a dangling reference, which `validate` reports) yields nobody.
pub(crate) fn keepers<'a>(index: &Index<'a>, record: &Record) -> Vec<(&'a str, Part)> {
    let mut out = Vec::new();
    let mut add = |name: Option<&str>, part: Part| {
        if let Some(name) = name {
            out.extend(people(index, name).into_iter().map(|p| (p, part)));
        }
    };
    for (field, part) in FIELDS {
        for name in record.fields.path(field).into_iter().filter_map(|n| n.as_str()) {
            add(Some(name), part);
        }
    }
    match record.kind {
        Kind::Grant => {
            add(record.fields.str_at("approved_by"), Part::Approval);
            let system = record.fields.str_at("system").and_then(|s| index.get(s));
            add(system.and_then(|s| s.fields.str_at("owner")), Part::SystemOwner);
        }
        Kind::Campaign => add(record.fields.str_at("started_by"), Part::Opening),
        _ => {}
    }
    // Someone must hear of it: with no one found to answer for it (none named, a unit
    // that nobody heads, a name that is nobody), the head of its service does.
    if !out.iter().any(|(_, part)| part.answers())
        && let Some(service) = record.fields.str_at("service")
    {
        out.extend(heads(index, service).into_iter().map(|p| (p, Part::Service)));
    }
    out
}

/// The people of [`keepers`] in the parts `keep` takes, each once, in order.
pub(crate) fn keepers_in<'a>(index: &Index<'a>, record: &Record, keep: fn(Part) -> bool) -> Vec<&'a str> {
    let mut once: Vec<&'a str> = Vec::new();
    for (person, _) in keepers(index, record).into_iter().filter(|(_, part)| keep(*part)) {
        if !once.contains(&person) {
            once.push(person);
        }
    }
    once
}

/// The people a name on a record stands for: the person, or who heads the unit.
fn people<'a>(index: &Index<'a>, name: &str) -> Vec<&'a str> {
    match index.person(name) {
        Some(person) => vec![person.id()],
        None if index.unit(name).is_some() => heads(index, name),
        None => Vec::new(),
    }
}

/// Who heads a unit: its `head` (when that is a person), or where it names none, its
/// service chiefs (the `chief_of_service` of the workflow data: people of the unit with
/// the role `service_chief`).
pub(crate) fn heads<'a>(index: &Index<'a>, unit: &str) -> Vec<&'a str> {
    if let Some(head) = index.unit(unit).and_then(|u| u.fields.str_at("head")) {
        return index.person(head).map(|p| p.id()).into_iter().collect();
    }
    index
        .people()
        .filter(|p| p.fields.str_at("unit") == Some(unit))
        .filter(|p| p.fields.path("roles[]").iter().any(|r| r.as_str() == Some("service_chief")))
        .map(|p| p.id())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entry, Node, Pos, Value};

    /// A field's value: a string, or a list of strings (`a,b`).
    fn value(text: &str) -> Node {
        let at = Pos::new(1, 1);
        let string = |s: &str| Node::new(Value::Str(s.into()), at);
        match text.strip_prefix('[') {
            Some(list) => Node::new(Value::Seq(list.split(',').map(string).collect()), at),
            None => string(text),
        }
    }

    fn record(kind: Kind, fields: &[(&str, &str)]) -> Record {
        let at = Pos::new(1, 1);
        let entries: Vec<Entry> =
            fields.iter().map(|(k, v)| Entry { key: (*k).into(), key_pos: at, value: value(v) }).collect();
        let id = fields.iter().find(|(k, _)| *k == "id").map_or("x", |(_, v)| *v);
        Record {
            kind,
            path_id: id.into(),
            path: format!("records/{id}.yaml"),
            fields: Node::new(Value::Map(entries.into()), at).into(),
            body: None,
        }
    }

    fn organisation() -> Vec<Record> {
        let person = |id: &str, unit: &str, role: &str| {
            let roles = format!("[{role}");
            record(Kind::Person, &[("id", id), ("unit", unit), ("roles", roles.as_str())])
        };
        vec![
            person("ayse", "destek", "service_chief"),
            person("burak", "gelistirme", "staff"),
            person("cem", "gelistirme", "staff"),
            person("deniz", "zabita", "unit_official"),
            person("elif", "gelistirme", "service_chief"),
            record(Kind::Unit, &[("id", "destek"), ("type", "service")]),
            record(Kind::Unit, &[("id", "gelistirme"), ("type", "service"), ("head", "elif")]),
            record(Kind::Unit, &[("id", "zabita"), ("head", "deniz")]),
            record(Kind::Unit, &[("id", "kimsesiz")]),
            record(Kind::Application, &[("id", "app-zabita"), ("owner", "zabita")]),
        ]
    }

    #[test]
    fn names_are_people_and_units_are_their_heads_or_service_chiefs() {
        let org = organisation();
        let index = Index::new(&org);
        let project = record(
            Kind::Project,
            &[("analyst", "burak"), ("developers", "[cem,burak"), ("owner", "zabita"), ("service", "gelistirme")],
        );
        assert_eq!(
            keepers(&index, &project),
            [
                ("burak", Part::Work),
                ("cem", Part::Development),
                ("burak", Part::Development),
                ("deniz", Part::Ownership)
            ]
        );
        assert_eq!(keepers_in(&index, &project, Part::holds), ["burak", "cem", "deniz"]);
        assert_eq!(keepers_in(&index, &project, Part::answers), ["burak", "deniz"], "developers are not reminded");
        // A unit without a head: its service chiefs. A unit with neither, or a name that
        // is nobody: the head of the record's service, or else no one.
        assert_eq!(heads(&index, "destek"), ["ayse"]);
        for owner in ["kimsesiz", "hayalet"] {
            let server = record(Kind::Server, &[("owner", owner), ("service", "gelistirme")]);
            assert_eq!(keepers(&index, &server), [("elif", Part::Service)], "{owner}");
            assert!(keepers(&index, &record(Kind::Server, &[("owner", owner)])).is_empty(), "{owner}");
        }
    }

    #[test]
    fn a_grant_is_held_by_its_grantee_and_answered_for_by_its_approver() {
        let org = organisation();
        let index = Index::new(&org);
        let grant = record(Kind::Grant, &[("grantee", "cem"), ("approved_by", "ayse"), ("system", "app-zabita")]);
        assert_eq!(
            keepers(&index, &grant),
            [("cem", Part::Holding), ("ayse", Part::Approval), ("deniz", Part::SystemOwner)]
        );
        assert_eq!(keepers_in(&index, &grant, Part::holds), ["cem", "deniz"]);
        assert_eq!(keepers_in(&index, &grant, Part::answers), ["ayse"]);
        let campaign = record(Kind::Campaign, &[("started_by", "elif")]);
        assert_eq!(keepers_in(&index, &campaign, Part::answers), ["elif"]);
        assert!(keepers_in(&index, &campaign, Part::holds).is_empty());
    }

    #[test]
    fn with_no_one_named_the_service_answers() {
        let org = organisation();
        let index = Index::new(&org);
        let request = record(Kind::Request, &[("service", "gelistirme"), ("requester", "deniz")]);
        assert_eq!(keepers(&index, &request), [("elif", Part::Service)]);
        assert!(keepers_in(&index, &request, Part::holds).is_empty(), "nobody holds it yet");
        let assigned = record(Kind::Request, &[("service", "destek"), ("assignee", "cem")]);
        assert_eq!(keepers_in(&index, &assigned, Part::answers), ["cem"]);
        let unheaded = record(Kind::Request, &[("service", "destek")]);
        assert_eq!(keepers_in(&index, &unheaded, Part::answers), ["ayse"], "the chief of a service without a head");
    }
}

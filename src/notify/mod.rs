//! `defter notify`'s engine: what each person must act on as of a date (their agenda),
//! the digest e-mail made of it, what was already sent (the state file), and sending
//! over SMTP.
//!
//! The agenda is put together from [`SOURCES`], one function per kind of thing to act
//! on, each reading what the rest of defter already computes — the deadlines of
//! `schemas/workflows.yaml` ([`crate::validate::time::deadline_dates`]), the reviews and
//! end dates coming due ([`crate::report::reviews_due`], [`crate::report::expiring`]),
//! the tests the workflow data requires, and `validate`'s findings — so that a reminder
//! and the site cannot disagree. Another kind of work (review campaigns, say) joins the
//! e-mails by adding its function to [`SOURCES`].

mod digest;
mod mailer;
mod sources;
mod state;

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;

use crate::config::Config;
use crate::diag::{Diagnostic, Message};
use crate::load::rules::Ruleset;
use crate::model::{Index, Record};

pub(crate) use digest::{Digest, Links, compose};
pub(crate) use mailer::Mailer;
pub(crate) use state::{Sent, state_path};

/// What the sources read: the loaded records, the rule set, the configuration, the
/// findings of every check and the date the agenda is made for.
pub(crate) struct Input<'a> {
    pub records: &'a [Record],
    pub index: &'a Index<'a>,
    pub rules: &'a Ruleset,
    pub config: &'a Config,
    pub findings: &'a [Diagnostic],
    pub as_of: Date,
    /// The records by file.
    by_path: HashMap<&'a str, &'a Record>,
}

impl<'a> Input<'a> {
    pub(crate) fn new(
        records: &'a [Record],
        index: &'a Index<'a>,
        rules: &'a Ruleset,
        config: &'a Config,
        findings: &'a [Diagnostic],
        as_of: Date,
    ) -> Self {
        let by_path = records.iter().map(|r| (r.path.as_str(), r)).collect();
        Input { records, index, rules, config, findings, as_of, by_path }
    }

    /// The record in the file at `path`.
    pub(crate) fn record_at(&self, path: &str) -> Option<&'a Record> {
        self.by_path.get(path).copied()
    }
}

/// The kinds of things to act on, in the order a digest lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Topic {
    /// Open work (requests, security holes) past or near its due date.
    Deadline,
    /// A test the workflow data requires, waiting for this person.
    Test,
    /// A periodic review or test (grants, accounts, repositories, continuity plans…).
    Review,
    /// An end date (certificates, domains, grants) past or near.
    Expiry,
    /// A finding of `validate` in a record this person is responsible for.
    Finding,
}

impl Topic {
    /// The heading of the topic's part of a digest.
    pub(crate) fn heading(self) -> Message {
        match self {
            Topic::Deadline => Message::new("Work overdue or due soon", "Son tarihi geçen ya da yaklaşan işler"),
            Topic::Test => Message::new("Tests waiting for you", "Sizi bekleyen testler"),
            Topic::Review => Message::new("Reviews and tests due", "Zamanı gelen gözden geçirmeler ve testler"),
            Topic::Expiry => Message::new("Expired or expiring", "Süresi dolan ya da dolmak üzere olanlar"),
            Topic::Finding => Message::new("Findings in your records", "Sorumlu olduğunuz kayıtlardaki bulgular"),
        }
    }
}

/// One thing a person must act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Item {
    pub topic: Topic,
    /// What the item is, stable from one day to the next while nothing about it changes
    /// (no counts of days in it): what the state file remembers as sent.
    pub key: String,
    /// The record's id and file.
    pub id: String,
    pub path: String,
    /// The record's title (or name).
    pub title: String,
    /// What is due, in both languages.
    pub text: Message,
    /// The date it is due or ends (for the order).
    pub date: Option<Date>,
    /// Past due, expired, or an error: listed first in its topic.
    pub urgent: bool,
}

/// A source of items: pushes `(person id, item)` for what it finds.
pub(crate) type Source = fn(&Input<'_>, &mut Vec<(String, Item)>);

/// Every source of the agenda. A new kind of work that people must be reminded of adds
/// its function here (see the module's documentation).
pub(crate) const SOURCES: &[Source] =
    &[sources::deadlines, sources::tests, sources::reviews, sources::campaigns, sources::expiries, sources::findings];

/// Each person's items as of `input.as_of`, people by id, items by topic, urgency, date
/// and record (the same for the same records and date). Only people the organisation
/// knows and who have not left are included.
pub(crate) fn agenda(input: &Input<'_>) -> BTreeMap<String, Vec<Item>> {
    let mut found = Vec::new();
    for source in SOURCES {
        source(input, &mut found);
    }
    let mut out: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for (person, item) in found {
        if input.index.person(&person).is_none() || input.index.is_active(&person) == Some(false) {
            continue;
        }
        let items = out.entry(person).or_default();
        if !items.iter().any(|i| i.key == item.key) {
            items.push(item);
        }
    }
    for items in out.values_mut() {
        items.sort_by(|a, b| {
            (a.topic, !a.urgent, a.date, &a.id, &a.key).cmp(&(b.topic, !b.urgent, b.date, &b.id, &b.key))
        });
    }
    out
}

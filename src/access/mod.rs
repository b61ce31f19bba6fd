//! Who had access when: every grant, account, repository access and web-service client in
//! force on a date, read two ways. *As recorded at the time* is the repository as it
//! stood on that day — the last commit on the first-parent line at or before the end of
//! the day (or a commit named directly) — taken from the cached audit trail for grants
//! (their state and fields then, rolled back from today's by the trail's field changes,
//! without reading a single old blob) and from that commit's tree for the few inventory
//! records, whose access lists the trail keeps only by length. *As known now* is today's
//! grants read for that date by their own dated `history` (granted, frozen, revoked) and
//! `valid_until`. Where the two disagree — a grant entered later and back-dated, a
//! revocation recorded after the day it is dated — the row says so.
//!
//! [`timelines`] gives a grant's dated spans, for the site's charts.
//!
//! Inventory records carry no dated history of their own: git is their only witness, so
//! their "known now" is what was recorded then, and they never differ.

use std::collections::HashMap;

use anyhow::{Result, bail};
use jiff::civil::Date;
use serde::Serialize;

use crate::diag::msg;
use crate::git::{Commit, Git};
use crate::history::{Action, AuditTrail, Entry, Shown, parse_blob};
use crate::model::{Kind, Node, Record, date::show_date};

/// The inventory folders whose records grant access.
pub(crate) const INVENTORY: [&str; 3] =
    ["records/inventory/account", "records/inventory/repository", "records/inventory/webservice_client"];

/// The folders `access` reads from the working tree: grants, the access inventory, and
/// the people (for their names).
pub(crate) const FOLDERS: [&str; 5] = [
    "records/grants",
    "records/inventory/account",
    "records/inventory/repository",
    "records/inventory/webservice_client",
    "records/org/people",
];

/// The fields through which a record gives access to a person or on a system (what the
/// site's timelines follow, as backlinks).
pub(crate) const FIELDS: [(Kind, &str); 6] = [
    (Kind::Grant, "grantee"),
    (Kind::Grant, "system"),
    (Kind::Account, "holder"),
    (Kind::Account, "system"),
    (Kind::Repository, "access[].person"),
    (Kind::WebserviceClient, "consumer"),
];

/// The fields of an access record that the page shows by the name of the record they
/// name (a grant's holder on a system's page, its system on a person's page).
pub(crate) const NAMED: [&str; 3] = ["grantee", "system", "consumer"];

/// The grant states in which the access exists (a frozen grant is held but suspended;
/// it is listed with its state).
const IN_FORCE: [&str; 2] = ["active", "frozen"];

/// What is asked: the date, or a commit named directly.
pub(crate) enum When<'a> {
    On(Date),
    At(&'a str),
}

/// Which rows are wanted.
#[derive(Default)]
pub(crate) struct Filter {
    /// A system: the grant's or account's `system`, or the repository's or client's id.
    pub system: Option<String>,
    /// A person: the holder.
    pub person: Option<String>,
}

/// A date as JSON writes it: `YYYY-MM-DD`.
fn iso<S: serde::Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

/// A commit, as the answer cites it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Cited {
    pub commit: String,
    pub author: String,
    #[serde(serialize_with = "iso")]
    pub date: Date,
}

/// One view of a row: the state it was in and who approved it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Seen {
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// The commit that established this state (that recorded the history entry in force,
    /// or for the repository's view, that set the state).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub established_by: Option<Cited>,
}

/// Where the two views disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Difference {
    /// Today's records say it was in force; the repository on the day did not show it
    /// (entered later, back-dated).
    RecordedLater,
    /// The repository on the day showed it in force; today's records say it had ended or
    /// not begun (a revocation or freeze recorded late, dated back).
    EndedEarlier,
    /// In force in both, in different states (active / frozen).
    StateDiffers,
}

/// One access in force on the day.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Row {
    pub kind: &'static str,
    pub record: String,
    pub system: String,
    pub holder: String,
    /// The role, account kind, repository level or client permissions.
    pub level: String,
    /// As recorded at the time (`None`: the repository on the day did not show it in force).
    pub then: Option<Seen>,
    /// As known now (`None`: today's records say it was not in force).
    pub now: Option<Seen>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<Difference>,
}

/// The answer.
#[derive(Debug, Serialize)]
pub(crate) struct Answer {
    /// The day asked about.
    #[serde(serialize_with = "iso")]
    pub on: Date,
    /// The commit the repository "as recorded" is read at.
    pub commit: String,
    pub rows: Vec<Row>,
}

/// The commit that stood for `when`, the day it stands for, and the commits that are
/// its ancestors (by index into the trail), or a clear refusal.
pub(crate) struct Point {
    pub index: usize,
    pub on: Date,
    pub ancestors: Vec<bool>,
}

/// A commit's date in its author's own time zone.
pub(crate) fn commit_date(c: &Commit) -> Date {
    jiff::Timestamp::from_second(c.time)
        .ok()
        .and_then(|t| Some(t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::Offset::from_seconds(c.offset).ok()?))))
        .map_or(jiff::civil::date(1970, 1, 1), |z| z.date())
}

/// The commit a date or revision names, checked: not in the future, not before the first
/// commit, not beyond a shallow clone's history.
pub(crate) fn point(git: &Git, trail: &AuditTrail, head: gix::ObjectId, when: &When, today: Date) -> Result<Point> {
    let index_of: HashMap<gix::ObjectId, usize> = trail.commits.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let (index, on) = match when {
        When::At(rev) => {
            let id = git.resolve(rev)?;
            let Some(&i) = index_of.get(&id) else {
                bail!(msg!(
                    "`{rev}` is not in the history of HEAD: `access --at` reads commits of the current branch",
                    "`{rev}` HEAD'in geçmişinde değil: `access --at` yalnızca geçerli dalın commit'lerini okur"
                ));
            };
            (i, commit_date(&trail.commits[i]))
        }
        When::On(day) => (on_day(&trail.commits, &index_of, head, *day, today)?, *day),
    };
    let mut ancestors = vec![false; trail.commits.len()];
    let mut stack = vec![index];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut ancestors[i], true) {
            continue;
        }
        stack.extend(trail.commits[i].parents.iter().filter_map(|p| index_of.get(p)));
    }
    Ok(Point { index, on, ancestors })
}

/// The commit that stood at the end of `day`: the last on the first-parent line from
/// `head` dated on or before it (index into `commits`, every commit reachable from
/// `head`), or a clear refusal — a day in the future, before the first commit, or
/// beyond a shallow clone's history (saying how far back it goes).
pub(crate) fn on_day(
    commits: &[Commit],
    index_of: &HashMap<gix::ObjectId, usize>,
    head: gix::ObjectId,
    day: Date,
    today: Date,
) -> Result<usize> {
    if day > today {
        let (d, t, d_tr, t_tr) = (day, today, show_date(day), show_date(today));
        bail!(msg!(
            "{d} is in the future (today is {t}): nothing is recorded for that day yet",
            "{d_tr} gelecekte (bugün {t_tr}): o gün için henüz bir kayıt yok"
        ));
    }
    let Some(mut i) = index_of.get(&head).copied() else { bail!("HEAD is not among its own commits") };
    loop {
        let c = &commits[i];
        if commit_date(c) <= day {
            return Ok(i);
        }
        let (first, first_tr) = (commit_date(c), show_date(commit_date(c)));
        let (asked, asked_tr) = (day, show_date(day));
        match c.parents.first() {
            None => bail!(msg!(
                "{asked} is before the repository's first commit ({first}): nothing is recorded that early",
                "{asked_tr}, deponun ilk commit'inden ({first_tr}) önce: depoda o kadar eski bir kayıt yok"
            )),
            Some(p) => match index_of.get(p) {
                Some(&parent) => i = parent,
                None => bail!(msg!(
                    "{asked} is beyond this clone's history: it is shallow and goes back only to {first}; fetch the rest (`git fetch --unshallow`) and ask again",
                    "{asked_tr} bu kopyanın geçmişinin dışında: kopya sığ (shallow) ve yalnızca {first_tr} tarihine kadar iniyor; geçmişin kalanını alıp (`git fetch --unshallow`) yeniden sorun"
                )),
            },
        }
    }
}

fn cited(trail: &AuditTrail, index: usize) -> Cited {
    let c = &trail.commits[index];
    Cited { commit: c.short(), author: c.author_name.clone(), date: commit_date(c) }
}

fn text(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::scalar_text)
}

fn shown_text(value: Option<&Shown>) -> Option<String> {
    match value? {
        Shown::Str(s) => Some(s.to_string()),
        Shown::Null => None,
        other => Some(other.to_string()),
    }
}

/// A grant as the repository held it at the point: its fields rolled back from today's
/// record (or its deleted version) by the trail's changes, and the entry that set its
/// state.
struct Then {
    fields: HashMap<&'static str, Option<String>>,
    state: String,
    set_by: usize,
}

/// The scalar fields of a grant the answer needs.
const GRANT_FIELDS: [&str; 6] = ["grantee", "system", "role", "approved_by", "valid_until", "granted_on"];

fn grant_then(entries: &[Entry], point: &Point, today: Option<&Record>) -> Option<Then> {
    // Entries are newest first; "at the time" is the first that is an ancestor.
    let newest = entries.iter().find(|e| point.ancestors[e.commit])?;
    if newest.action == Action::Deleted {
        return None;
    }
    let (state, set_by) = entries.iter().filter(|e| point.ancestors[e.commit]).find_map(|e| {
        let change = e.fields.iter().find(|f| f.field == "status")?;
        Some((shown_text(change.new.as_ref())?, e.commit))
    })?;
    let mut fields = HashMap::new();
    for key in GRANT_FIELDS {
        let before = entries
            .iter()
            .filter(|e| point.ancestors[e.commit])
            .find_map(|e| e.fields.iter().find(|f| f.field == key).map(|f| shown_text(f.new.as_ref())));
        let value = match before {
            Some(v) => v,
            // Unchanged up to the point: the oldest later change's old value, else today's.
            None => match entries
                .iter()
                .rev()
                .filter(|e| !point.ancestors[e.commit])
                .find_map(|e| e.fields.iter().find(|f| f.field == key).map(|f| shown_text(f.old.as_ref())))
            {
                Some(v) => v,
                None => today.and_then(|r| text(r.fields.get(key))),
            },
        };
        fields.insert(key, value);
    }
    Some(Then { fields, state, set_by })
}

/// A grant's state on `day` by its own history (the last entry dated on or before it),
/// with expiry applied; and the history entry's date.
pub(crate) fn state_on(record: &Record, day: Date) -> Option<(String, Date)> {
    let mut found = None;
    for entry in record.fields.get("history").map(Node::as_seq).unwrap_or_default() {
        let (Some(date), Some(state)) = (entry.get("date").and_then(crate::model::date::date), entry.str_at("status"))
        else {
            continue;
        };
        if date <= day {
            found = Some((state.to_string(), date));
        }
    }
    let (state, date) = found?;
    Some((expired(state, record.fields.get("valid_until").and_then(crate::model::date::date), day), date))
}

/// An active grant whose `valid_until` has passed has expired, whatever the record says.
fn expired(state: String, until: Option<Date>, day: Date) -> String {
    if state == "active" && until.is_some_and(|u| u < day) { "expired".into() } else { state }
}

/// The commit that recorded the history entry of `state` dated `date`: the first change
/// that added it, else the commit that created the record with it.
fn recorded_by(entries: &[Entry], state: &str, date: Date) -> Option<usize> {
    let date = date.to_string();
    let adds = |e: &&Entry| {
        e.fields.iter().filter(|f| f.field == "history").filter_map(|f| f.list.as_deref()).any(|list| {
            list.entries.iter().any(|item| {
                let member = |k: &str| item.members.iter().find(|(key, _)| key == k).and_then(|(_, v)| v.as_str());
                member("status") == Some(state) && member("date") == Some(date.as_str())
            })
        })
    };
    entries
        .iter()
        .rev()
        .find(adds)
        .or_else(|| entries.iter().rev().find(|e| e.action == Action::Added))
        .map(|e| e.commit)
}

fn wanted(filter: &Filter, system: &str, holder: &str) -> bool {
    filter.system.as_deref().is_none_or(|s| s == system) && filter.person.as_deref().is_none_or(|p| p == holder)
}

/// Who had access at the point, from today's `records` (grants and access inventory),
/// the audit trail, and the inventory in the tree of the point's commit.
pub(crate) fn answer(
    git: &Git,
    trail: &AuditTrail,
    point: &Point,
    records: &[Record],
    filter: &Filter,
) -> Result<Answer> {
    let day = point.on;
    let today: HashMap<&str, &Record> = records.iter().filter(|r| r.kind == Kind::Grant).map(|r| (r.id(), r)).collect();
    // Every grant either view may show: today's, and those the trail knows (a deleted one).
    let mut ids: Vec<&str> = today.keys().copied().collect();
    ids.extend(trail.ids().filter(|id| is_grant(trail, id)));
    ids.sort_unstable();
    ids.dedup();
    let mut rows = Vec::new();
    for id in ids {
        let entries = trail.of(id);
        let record = today.get(id).copied();
        let then = grant_then(entries, point, record);
        let then_state = then.as_ref().map(|t| {
            let until = t.fields["valid_until"].as_deref().and_then(|d| d.parse().ok());
            expired(t.state.clone(), until, day)
        });
        let now = record.and_then(|r| state_on(r, day));
        let then_in = then_state.as_deref().is_some_and(|s| IN_FORCE.contains(&s));
        let now_in = now.as_ref().is_some_and(|(s, _)| IN_FORCE.contains(&s.as_str()));
        if !then_in && !now_in {
            continue;
        }
        let field = |key: &str| -> Option<String> {
            record.and_then(|r| text(r.fields.get(key))).or_else(|| then.as_ref().and_then(|t| t.fields[key].clone()))
        };
        let (system, holder) = (field("system").unwrap_or_default(), field("grantee").unwrap_or_default());
        if !wanted(filter, &system, &holder) {
            continue;
        }
        let then_seen = then.as_ref().filter(|_| then_in).map(|t| Seen {
            state: then_state.clone().unwrap_or_default(),
            approved_by: t.fields["approved_by"].clone(),
            established_by: Some(cited(trail, t.set_by)),
        });
        let now_seen = now.as_ref().filter(|_| now_in).map(|(state, date)| Seen {
            state: state.clone(),
            approved_by: record.and_then(|r| text(r.fields.get("approved_by"))),
            established_by: recorded_by(entries, state, *date).map(|i| cited(trail, i)),
        });
        let difference = match (&then_seen, &now_seen) {
            (None, Some(_)) => Some(Difference::RecordedLater),
            (Some(_), None) => Some(Difference::EndedEarlier),
            (Some(a), Some(b)) if a.state != b.state => Some(Difference::StateDiffers),
            _ => None,
        };
        rows.push(Row {
            kind: Kind::Grant.name(),
            record: id.to_string(),
            system,
            holder,
            level: field("role").unwrap_or_default(),
            then: then_seen,
            now: now_seen,
            difference,
        });
    }
    rows.extend(inventory(git, trail, point, filter)?);
    rows.sort_by(|a, b| (&a.system, &a.holder, &a.record).cmp(&(&b.system, &b.holder, &b.record)));
    Ok(Answer { on: day, commit: trail.commits[point.index].id.to_string(), rows })
}

/// Whether the trail's record `id` is a grant (where it was last), told without reading
/// its history: only the grants' histories are decoded.
fn is_grant(trail: &AuditTrail, id: &str) -> bool {
    !id.is_empty() && trail.newest_path(id).is_some_and(|p| p.starts_with("records/grants/"))
}

/// The access inventory as the point's commit held it: active accounts (their holder),
/// repositories (each person of `access`) and web-service clients (their consumer).
fn inventory(git: &Git, trail: &AuditTrail, point: &Point, filter: &Filter) -> Result<Vec<Row>> {
    let files = git.files_at(trail.commits[point.index].id, &INVENTORY)?;
    let mut rows = Vec::new();
    for (path, blob) in files {
        let Some(record) = parse_blob(git, &path, blob)? else { continue };
        if record.fields.str_at("status") != Some("active") {
            continue;
        }
        let id = record.id().to_string();
        let set_by = trail.of(&id).iter().find(|e| point.ancestors[e.commit]).map(|e| cited(trail, e.commit));
        let seen = Seen { state: "active".into(), approved_by: None, established_by: set_by };
        let mut push = |system: String, holder: String, level: String| {
            if wanted(filter, &system, &holder) {
                rows.push(Row {
                    kind: record.kind.name(),
                    record: id.clone(),
                    system,
                    holder,
                    level,
                    then: Some(seen.clone()),
                    now: Some(seen.clone()),
                    difference: None,
                });
            }
        };
        match record.kind {
            Kind::Account => push(
                text(record.fields.get("system")).unwrap_or_default(),
                text(record.fields.get("holder")).unwrap_or_default(),
                text(record.fields.get("kind")).unwrap_or_default(),
            ),
            Kind::Repository => {
                for access in record.fields.get("access").map(Node::as_seq).unwrap_or_default() {
                    push(
                        id.clone(),
                        access.str_at("person").unwrap_or_default().to_string(),
                        access.str_at("level").unwrap_or_default().to_string(),
                    );
                }
            }
            Kind::WebserviceClient => {
                let permissions = record.fields.get("permissions").map(Node::strings).unwrap_or_default().join(", ");
                push(id.clone(), text(record.fields.get("consumer")).unwrap_or_default(), permissions);
            }
            _ => {}
        }
    }
    Ok(rows)
}

/// One span of a grant's life in which the access existed: from the day it became
/// active (or frozen) to the day it changed (`None`: still so).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub state: String,
    pub from: Date,
    pub to: Option<Date>,
}

/// A grant's spans by its own history, up to `as_of` (expiry applied), for the site's
/// timelines; a revocation or expiry ends the last span.
pub(crate) fn timelines(record: &Record, as_of: Date) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut events: Vec<(Date, String)> = Vec::new();
    for entry in record.fields.get("history").map(Node::as_seq).unwrap_or_default() {
        if let (Some(date), Some(state)) =
            (entry.get("date").and_then(crate::model::date::date), entry.str_at("status"))
            && date <= as_of
        {
            events.push((date, state.to_string()));
        }
    }
    if let Some(until) = record.fields.get("valid_until").and_then(crate::model::date::date)
        && until < as_of
    {
        let next = until.tomorrow().unwrap_or(until);
        // Expiry ends an active span the history left open.
        if events.last().is_some_and(|(d, s)| s == "active" && *d <= next) {
            events.push((next, "expired".into()));
        }
    }
    for (date, state) in events {
        if let Some(open) = spans.last_mut().filter(|s| s.to.is_none()) {
            if open.state == state {
                continue;
            }
            open.to = Some(date);
        }
        if IN_FORCE.contains(&state.as_str()) {
            spans.push(Span { state, from: date, to: None });
        }
    }
    spans
}

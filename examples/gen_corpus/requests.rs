//! Requests: received from a unit, assigned by the service's chief, worked on by the
//! assignee, tested by someone else and closed — or rejected by analysis, or cancelled.
//! Each follows the request lifecycle with the actors the directive names; a request
//! still under way on the corpus date stays open.

use jiff::civil::Date;

use crate::org::Org;
use crate::rng::{Rng, plus};
use crate::value::{V, plain, text as t};
use crate::{Cut, Rec, Ver, inventory, text};

pub struct Ctx<'a> {
    pub org: &'a Org,
    pub apps: usize,
    pub projects: usize,
    pub end: Date,
}

/// A history entry: date, actor (person index), state, note.
pub struct Step {
    pub date: Date,
    pub by: usize,
    pub status: &'static str,
    pub note: Option<String>,
}

pub fn history(org: &Org, steps: &[Step]) -> V {
    V::List(
        steps
            .iter()
            .map(|s| {
                let mut e = vec![("date", plain(s.date)), ("by", plain(org.id(s.by))), ("status", plain(s.status))];
                if let Some(note) = &s.note {
                    e.push(("note", t(note.clone())));
                }
                V::Map(e)
            })
            .collect(),
    )
}

/// Versions at the first entry, sometimes one in the middle, and the final one.
pub fn versions(
    rng: &mut Rng,
    steps: &[Step],
    drop_early: &'static [&'static str],
    drop_mid: &'static [&'static str],
    last: Date,
) -> Vec<Ver> {
    let n = steps.len();
    let mut out = Vec::new();
    if n > 1 {
        out.push(Ver { date: steps[0].date, author: steps[0].by, cut: Cut::History(1, drop_early) });
    }
    if n > 3 && rng.chance(0.3) {
        let k = rng.range(2, n as i64 - 1) as usize;
        out.push(Ver { date: steps[k - 1].date, author: steps[k - 1].by, cut: Cut::History(k, drop_mid) });
    }
    let by = steps.last().map_or(0, |s| s.by);
    out.push(Ver { date: last, author: by, cut: Cut::Final });
    out
}

const TYPES: &[(&str, u32)] = &[
    ("defect", 30),
    ("change", 25),
    ("new_software", 5),
    ("db_change", 8),
    ("data_update", 12),
    ("web_content", 8),
    ("integration", 5),
    ("training", 4),
    ("consultancy", 3),
];
const SOURCES: &[&str] = &["intranet", "support_portal", "him", "official_letter", "phone", "email"];
const PRIORITIES: &[(&str, u32)] = &[("low", 15), ("normal", 60), ("high", 20), ("urgent", 5)];

/// The request `TLP-<year>-<seq>` received on `received`; `project` is set when linked.
pub fn request(cx: &Ctx, rng: &mut Rng, year: i16, seq: usize, received: Date) -> (Rec, Option<usize>) {
    let org = cx.org;
    let id = format!("TLP-{year}-{seq:04}");
    let unit = rng.pick(&org.requesting);
    let requester = if rng.chance(0.2) { unit.official } else { *rng.pick(&unit.people) };
    let service = &org.services[rng.weighted(&crate::org::SERVICES.iter().map(|s| s.3).collect::<Vec<_>>())];
    let assignee = *rng.pick(&service.staff);
    let source = *rng.pick(SOURCES);
    let (steps, outcome) = timeline(cx, rng, received, requester, service.chief, assignee);
    let status = steps.last().expect("a request has a first entry").status;
    let open = matches!(status, "new" | "assigned" | "in_progress" | "testing");
    let mut f = vec![
        ("id", plain(&id)),
        ("title", t(text::title(rng))),
        ("type", plain(TYPES[rng.weighted(&TYPES.iter().map(|x| x.1).collect::<Vec<_>>())].0)),
        ("source", plain(source)),
    ];
    if source == "official_letter" {
        let number = format!("E-{}-010.06-{}", rng.range(10_000_000, 99_999_999), rng.range(100_000, 999_999));
        f.push(("letter", V::Map(vec![("number", t(number)), ("date", plain(plus(received, -rng.range(1, 5))))])));
    }
    f.push(("unit", plain(&unit.unit)));
    f.push(("requester", plain(org.id(requester))));
    f.push(("received", plain(received)));
    f.push(("priority", plain(PRIORITIES[rng.weighted(&PRIORITIES.iter().map(|x| x.1).collect::<Vec<_>>())].0)));
    f.push(("service", plain(&service.unit)));
    if steps.iter().any(|s| s.status == "assigned") {
        f.push(("assignee", plain(org.id(assignee))));
    }
    let due = plus(received, rng.range(20, 120));
    if rng.chance(0.4) && !(open && due < cx.end) {
        f.push(("due", plain(due)));
    }
    let project = (cx.projects > 0 && rng.chance(0.1)).then(|| rng.below(cx.projects));
    if let Some(p) = project {
        f.push(("project", plain(format!("PRJ-{:04}", p + 1))));
    }
    if rng.chance(0.5) {
        f.push(("system", plain(inventory::id("application", rng.below(cx.apps)))));
    }
    f.push(("status", plain(status)));
    f.push(("history", history(org, &steps)));
    let last = steps.last().map_or(received, |s| s.date);
    if let Some(outcome) = outcome.filter(|_| !open) {
        f.push(outcome.field(rng, last, org));
    }
    let versions = versions(
        rng,
        &steps,
        &["assignee", "resolution", "rejection", "cancellation"],
        &["resolution", "rejection", "cancellation"],
        last,
    );
    let path = format!("records/requests/{year}/{id}.md");
    (Rec { path, kind: "request", fields: V::Map(f), body: Some((rng.next(), 1000, 2000)), versions }, project)
}

enum Outcome {
    Closed(usize),
    Rejected(usize),
    Cancelled,
}

impl Outcome {
    fn field(&self, rng: &mut Rng, date: Date, org: &Org) -> (&'static str, V) {
        match self {
            Outcome::Closed(tester) => (
                "resolution",
                V::Map(vec![
                    ("date", plain(date)),
                    ("summary", t(text::sentence(rng))),
                    ("tested_by", plain(org.id(*tester))),
                ]),
            ),
            Outcome::Rejected(by) => {
                let number = format!("E-{}-010.06-{}", rng.range(10_000_000, 99_999_999), rng.range(100_000, 999_999));
                let letter = V::Map(vec![("number", t(number)), ("date", plain(date))]);
                (
                    "rejection",
                    V::Map(vec![
                        ("date", plain(date)),
                        ("by", plain(org.id(*by))),
                        ("reason", t(text::sentence(rng))),
                        ("letter", letter),
                    ]),
                )
            }
            Outcome::Cancelled => {
                ("cancellation", V::Map(vec![("date", plain(date)), ("reason", t(text::sentence(rng)))]))
            }
        }
    }
}

/// The entries of a request's history up to the corpus date, and how it ended.
fn timeline(
    cx: &Ctx,
    rng: &mut Rng,
    received: Date,
    requester: usize,
    chief: usize,
    assignee: usize,
) -> (Vec<Step>, Option<Outcome>) {
    let org = cx.org;
    let testers: Vec<usize> = org
        .service("support")
        .members()
        .into_iter()
        .chain(org.service("analysis").staff.iter().copied())
        .filter(|p| *p != assignee)
        .collect();
    let tester = *rng.pick(&testers);
    let mut steps = vec![Step { date: received, by: requester, status: "new", note: Some("Birimden alındı".into()) }];
    let mut date = received;
    let mut step = |rng: &mut Rng, lo: i64, hi: i64, by: usize, status: &'static str, note: Option<String>| {
        date = rng.after(date, lo, hi);
        steps.push(Step { date, by, status, note });
    };
    let roll = rng.below(100);
    let outcome = if roll < 8 {
        let analyst = *rng.pick(&org.service("analysis").staff);
        step(rng, 1, 10, analyst, "rejected", Some("Gerekçeli yazı ile reddedildi".into()));
        Outcome::Rejected(analyst)
    } else if roll < 15 {
        if rng.chance(0.5) {
            step(rng, 0, 3, chief, "assigned", None);
        }
        step(rng, 1, 30, chief, "cancelled", Some("Birimin isteğiyle iptal edildi".into()));
        Outcome::Cancelled
    } else {
        step(rng, 0, 3, chief, "assigned", None);
        step(rng, 0, 5, assignee, "in_progress", None);
        step(rng, 2, 25, assignee, "testing", None);
        if rng.chance(0.1) {
            step(rng, 1, 5, tester, "in_progress", Some("Testte hata bulundu".into()));
            step(rng, 2, 10, assignee, "testing", None);
        }
        step(rng, 1, 7, tester, "closed", None);
        Outcome::Closed(tester)
    };
    let end = cx.end;
    let full = steps.len();
    steps.retain(|s| s.date <= end);
    let outcome = (steps.len() == full).then_some(outcome);
    (steps, outcome)
}

//! Permission grants: requested for a person, approved by a chief or the branch manager
//! on a written instruction, defined by the support service, reviewed periodically, and
//! in time frozen, revoked or expired — or rejected.

use jiff::civil::Date;

use crate::org::Org;
use crate::requests::{Step, history, versions};
use crate::rng::{Rng, plus};
use crate::value::{V, plain, text as t};
use crate::{Rec, inventory, text};

const ROLES: &[&str] = &["Okuyucu", "Veri girişi", "Onaylayıcı", "Yönetici", "Raporlama", "Birim yöneticisi"];

pub fn grant(org: &Org, apps: usize, rng: &mut Rng, year: i16, seq: usize, day: Date, end: Date) -> Rec {
    let id = format!("YTK-{year}-{seq:04}");
    let unit = rng.pick(&org.requesting);
    let grantee = *rng.pick(&unit.people);
    let requested_by = if rng.chance(0.5) { unit.official } else { grantee };
    let approver = if rng.chance(0.8) { org.services[rng.below(org.services.len())].chief } else { org.branch_manager };
    let support = org.service("support").members();
    let granter = *rng.pick(&support);
    let mut steps = vec![Step {
        date: day,
        by: requested_by,
        status: "requested",
        note: Some("İntranet yetki talep formu ile".into()),
    }];
    let roll = rng.below(100);
    let left = org.people[grantee].left_on;
    let mut valid_until = None;
    let mut extra: Vec<(&'static str, V)> = Vec::new();
    if roll < 5 {
        let date = push(&mut steps, rng, 1, 5, approver, "rejected");
        extra.push(("rejection", V::Map(vec![("date", plain(date)), ("reason", t(text::sentence(rng)))])));
    } else {
        push(&mut steps, rng, 1, 4, approver, "approved");
        let mut date = push(&mut steps, rng, 1, 3, granter, "active");
        if rng.chance(0.04) {
            let by = *rng.pick(&support);
            date = push(&mut steps, rng, 30, 300, by, "frozen");
            extra.push((
                "freeze",
                V::Map(vec![("date", plain(date)), ("reason", t("Uzun süreli izin nedeniyle donduruldu"))]),
            ));
            if rng.chance(0.5) {
                let by = *rng.pick(&support);
                date = push(&mut steps, rng, 10, 60, by, "active");
            }
        }
        let last_state = steps.last().map_or("", |s| s.status);
        if roll < 25 {
            let on = rng.after(date, 30, 700);
            steps.push(Step { date: on, by: *rng.pick(&support), status: "revoked", note: None });
            extra.push(revocation(on));
        } else if roll < 33 && last_state == "active" {
            let until = rng.after(date, 30, 500);
            valid_until = Some(until);
            steps.push(Step { date: plus(until, 1), by: *rng.pick(&support), status: "expired", note: None });
        } else if rng.chance(0.25) {
            valid_until = Some(rng.after(end, 45, 700));
        }
    }
    let full = steps.len();
    steps.retain(|s| s.date <= end);
    let mut status = steps.last().map_or("requested", |s| s.status);
    if steps.len() < full && valid_until.is_some_and(|v| v <= plus(end, 31)) {
        valid_until = None;
    }
    // A grantee who left loses the access on the day they left.
    if let (Some(left), "active" | "frozen") = (left, status) {
        let on = left.max(steps.last().map_or(day, |s| s.date)).min(end);
        steps.push(Step { date: on, by: *rng.pick(&support), status: "revoked", note: None });
        extra.retain(|(k, _)| *k != "revocation");
        extra.push(revocation(on));
        status = "revoked";
    }
    extra.retain(|(k, _)| {
        matches!((*k, status), ("freeze", "frozen") | ("revocation", "revoked") | ("rejection", "rejected"))
    });
    let granted = steps.iter().find(|s| s.status == "active").map(|s| s.date);
    let mut f = vec![
        ("id", plain(&id)),
        ("grantee", plain(org.id(grantee))),
        ("system", plain(inventory::id("application", rng.below(apps)))),
        ("role", t(*rng.pick(ROLES))),
    ];
    if rng.chance(0.5) {
        f.push(("scope", t("Yalnızca kendi birimindeki kayıtlar")));
    }
    f.push(("source", plain(if rng.chance(0.7) { "intranet" } else { "official_letter" })));
    let number = format!("YTF-{year}-{:04}", rng.range(1, 9999));
    let instruction =
        vec![("number", t(number)), ("date", plain(plus(day, 1))), ("signed_by", plain(org.id(unit.official)))];
    f.push(("instruction", V::Map(instruction)));
    f.push(("requested_by", plain(org.id(requested_by))));
    if steps.iter().any(|s| s.status == "approved") {
        f.push(("approved_by", plain(org.id(approver))));
    }
    if let Some(on) = granted {
        f.push(("granted_by", plain(org.id(granter))));
        f.push(("granted_on", plain(on)));
    }
    if let Some(until) = valid_until {
        f.push(("valid_until", plain(until)));
    }
    f.push(("status", plain(status)));
    let mut last = steps.last().map_or(day, |s| s.date);
    if let (Some(on), "active" | "frozen") = (granted, status) {
        let reviews = reviews(org, rng, on, end);
        if let V::List(items) = &reviews
            && let Some(V::Map(e)) = items.last()
        {
            last = last.max(e[0].1.as_str().parse().unwrap_or(last));
        }
        f.push(("reviews", reviews));
    }
    f.push(("history", history(org, &steps)));
    f.extend(extra);
    let f: Vec<(&'static str, V)> =
        f.into_iter().filter(|(k, v)| *k != "reviews" || matches!(v, V::List(l) if !l.is_empty())).collect();
    let early: &'static [&'static str] =
        &["approved_by", "granted_by", "granted_on", "valid_until", "reviews", "freeze", "revocation", "rejection"];
    let versions = versions(rng, &steps, early, &["reviews", "freeze", "revocation", "valid_until"], last);
    let path = format!("records/grants/{year}/{id}.yaml");
    Rec { path, kind: "grant", fields: V::Map(f), body: None, versions }
}

fn revocation(on: Date) -> (&'static str, V) {
    ("revocation", V::Map(vec![("date", plain(on)), ("reason", t("Görev değişikliği nedeniyle geri alındı"))]))
}

/// Appends an entry `lo..=hi` days after the last one; returns its date.
fn push(steps: &mut Vec<Step>, rng: &mut Rng, lo: i64, hi: i64, by: usize, status: &'static str) -> Date {
    let date = rng.after(steps.last().map_or(Date::MIN, |s| s.date), lo, hi);
    steps.push(Step { date, by, status, note: None });
    date
}

/// Reviews every five months or so since the grant, so none is overdue on `end`.
fn reviews(org: &Org, rng: &mut Rng, since: Date, end: Date) -> V {
    let mut out = Vec::new();
    let mut d = rng.after(since, 140, 170);
    let reviewers: Vec<usize> = org.service("support").members().into_iter().chain([org.branch_manager]).collect();
    while d <= end {
        out.push(V::Map(vec![
            ("date", plain(d)),
            ("by", plain(org.id(*rng.pick(&reviewers)))),
            ("outcome", plain("keep")),
        ]));
        d = rng.after(d, 140, 170);
    }
    V::List(out)
}

//! The findings about access review campaigns that no workflow entry states: a decision
//! must name an item the campaign lists and be made by that item's reviewer, a closed
//! campaign must have every item decided (local rule `campaign_steps`), and every scope
//! reviewed once, or named in `[campaigns] scopes`, must have a closed campaign within
//! `[reviews] campaign` days (local rule `campaign_interval`). A campaign past its due date is a `deadlines` entry of
//! `workflows.yaml`, checked with the others in [`super::time`].

use std::collections::BTreeMap;

use jiff::ToSpan;

use super::{Context, from_entry};
use crate::diag::{Diagnostic, Rule, msg};
use crate::model::campaign::{self, Scope};
use crate::model::date::{date, show_date};
use crate::model::{Kind, Record};

/// One campaign record's own findings.
pub(crate) fn check(cx: &Context, record: &Record, out: &mut Vec<Diagnostic>) {
    if record.kind != Kind::Campaign {
        return;
    }
    let reviewers: BTreeMap<&str, &str> = record
        .fields
        .path("items[]")
        .into_iter()
        .filter_map(|n| Some((n.str_at("item")?, n.str_at("reviewer").unwrap_or_default())))
        .collect();
    let id = record.id();
    let mut push = |d: Diagnostic| out.extend(from_entry(cx, Some("campaign_steps"), d));
    for (d, node) in campaign::decisions(record) {
        let item = d.item.as_str();
        match reviewers.get(item) {
            None => push(
                Diagnostic::at(
                    Rule::DanglingRef,
                    &record.path,
                    node.pos,
                    msg!(
                        "a decision on `{item}`, which {id} does not list among its items",
                        "`{item}` için bir karar var, ama {id} kalemleri arasında böyle bir kalem yok"
                    ),
                )
                .with_help(msg!("name an item of `items`", "`items` listesindeki bir kalemi yazın")),
            ),
            Some(reviewer) if *reviewer != d.by => {
                let by = &d.by;
                push(
                    Diagnostic::at(
                        Rule::UnauthorizedActor,
                        &record.path,
                        node.pos,
                        msg!(
                            "`{by}` decided `{item}`, whose reviewer is `{reviewer}` (M11(1)(g)(ğ)(c))",
                            "`{item}` kalemine `{by}` karar vermiş, ama kalemin gözden geçireni `{reviewer}` (M11(1)(g)(ğ)(c))"
                        ),
                    )
                    .with_help(msg!(
                        "the item's reviewer decides it: `defter step {id} decide --item {item}` as them",
                        "kalem için kararı gözden geçireni verir: `defter step {id} karar-ver --item {item}` onun adıyla"
                    )),
                )
            }
            Some(_) => {}
        }
    }
    if record.fields.str_at(cx.rules.workflows.state_field("campaign")) == Some("closed") {
        let decided: Vec<String> = campaign::decisions(record).into_iter().map(|(d, _)| d.item).collect();
        let open: Vec<&str> = reviewers.keys().copied().filter(|i| !decided.iter().any(|d| d == i)).collect();
        if !open.is_empty() {
            let (n, list) = (open.len(), open.join(", "));
            push(
                Diagnostic::at(
                    Rule::StateFields,
                    &record.path,
                    record.pos_of("status"),
                    msg!(
                        "{id} is closed but {n} of its items have no decision: {list}",
                        "{id} kapanmış, ama {n} kaleminin kararı yok: {list}"
                    ),
                )
                .with_help(msg!(
                    "a campaign closes with its last decision: reopen it (status: open) and have the reviewers decide these",
                    "kampanya son kararla kapanır: yeniden açın (status: open) ve bu kalemlere gözden geçirenleri karar verdirin"
                )),
            );
        }
    }
}

/// Every scope with a campaign must have one closed within `[reviews] campaign` days:
/// counted from the newest closed campaign's `closed`, or from the first campaign's
/// `started` while none has closed.
pub(crate) fn scopes(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(interval) = cx.config.reviews.get("campaign").map(|d| i64::from(*d)) else { return };
    let state = cx.rules.workflows.state_field("campaign");
    let mut by_scope: BTreeMap<Scope, Vec<&Record>> = BTreeMap::new();
    for r in cx.records.iter().filter(|r| r.kind == Kind::Campaign) {
        if let Some(scope) = Scope::of_record(r) {
            by_scope.entry(scope).or_default().push(r);
        }
    }
    for typed in &cx.config.campaigns.scopes {
        let file = crate::config::FILE;
        let Ok(scope) = Scope::parse(typed, cx.index) else {
            out.push(
                Diagnostic::new(
                    Rule::DanglingRef,
                    file,
                    None,
                    msg!(
                        "[campaigns] scopes names `{typed}`, which is no scope",
                        "[campaigns] scopes `{typed}` diyor, ama bu bir kapsam değil"
                    ),
                )
                .with_help(msg!(
                    "write a system (`app-…`, `srv-…`), `unit:ID`, `all-grants` or `admin-accounts`",
                    "bir sistem (`app-…`, `srv-…`), `unit:KİMLİK`, `all-grants` ya da `admin-accounts` yazın"
                )),
            );
            continue;
        };
        if by_scope.contains_key(&scope) {
            continue;
        }
        let key = scope.key();
        out.extend(from_entry(
            cx,
            Some("campaign_interval"),
            Diagnostic::new(
                Rule::ReviewOverdue,
                file,
                None,
                msg!(
                    "`{key}` is reviewed every {interval} days ([campaigns] scopes) and has never had an access review campaign",
                    "`{key}` her {interval} günde bir gözden geçirilir ([campaigns] scopes) ve hiç erişim gözden geçirme kampanyası olmamış"
                ),
            )
            .with_help(msg!("start one: `defter review start --scope {key}`", "bir tane açın: `defter review start --scope {key}`")),
        ));
    }
    for (scope, campaigns) in by_scope {
        let closed = campaigns
            .iter()
            .filter(|r| r.fields.str_at(state) == Some("closed"))
            .filter_map(|r| r.fields.get("closed").and_then(date))
            .max();
        let first = campaigns.iter().filter_map(|r| r.fields.get("started").and_then(date)).min();
        let Some(since) = closed.or(first) else { continue };
        let Ok(due) = since.checked_add(interval.days()) else { continue };
        if due >= cx.as_of {
            continue;
        }
        let newest = campaigns.iter().max_by_key(|r| r.id()).expect("a scope has a campaign");
        let (key, due, since) = (scope.key(), show_date(due), show_date(since));
        let message = match closed {
            Some(_) => msg!(
                "`{key}` has no closed access review campaign since {since}: one was due by {due} (every {interval} days)",
                "`{key}` kapsamının {since} tarihinden beri kapanmış erişim gözden geçirme kampanyası yok: {due} tarihine kadar biri kapanmalıydı (her {interval} günde bir)"
            ),
            None => msg!(
                "`{key}` has never closed an access review campaign (the first started on {since}): one was due by {due} (every {interval} days)",
                "`{key}` kapsamının hiç kapanmış erişim gözden geçirme kampanyası yok (ilki {since} tarihinde açıldı): {due} tarihine kadar biri kapanmalıydı (her {interval} günde bir)"
            ),
        };
        out.extend(from_entry(
            cx,
            Some("campaign_interval"),
            Diagnostic::at(Rule::ReviewOverdue, &newest.path, newest.pos_of("scope"), message).with_help(msg!(
                "finish the open campaign, or start one: `defter review start --scope {key}`",
                "açık kampanyayı bitirin ya da bir tane açın: `defter review start --scope {key}`"
            )),
        ));
    }
}

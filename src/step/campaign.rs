//! Access review campaigns as commands: `defter review start` makes the campaign record
//! (the accesses in force in a scope at the current commit, each with its reviewer, and
//! the difference from the scope's last closed campaign), and a campaign's `decide` step
//! checks the decision (a listed item, not yet decided, by its reviewer, on an open
//! campaign) and carries it out in the same write: a revoke decision on a grant is the
//! grant's own `revoke` step, and the last decision closes the campaign.

use std::path::Path;

use jiff::ToSpan;
use jiff::civil::Date;

use super::{Change, Inputs, What, actions, changes, code_for, may, property, some, who};
use crate::diag::{Message, msg};
use crate::git::Git;
use crate::load::Records;
use crate::model::campaign::{self, Item, Scope, ScopeError};
use crate::model::date::show_date;
use crate::model::{Index, Kind, Record};
use crate::repo::Repo;
use crate::scaffold::yaml_scalar;
use serde_json::Value as Json;

/// Days from a campaign's start to its due date when `--due` does not say: the
/// directorate's choice (local rule `campaign_due`).
pub(crate) const DEFAULT_DAYS: i64 = 30;

/// A campaign record made by [`start`], not yet written.
#[derive(Debug)]
pub(crate) struct Started {
    pub id: String,
    /// Relative to the repository root.
    pub path: String,
    pub text: String,
    pub items: usize,
    /// New, changed and unchanged items, and the accesses gone since the last campaign.
    pub new: usize,
    pub changed: usize,
    pub removed: usize,
    pub previous: Option<String>,
}

/// The label of a value of a kind's field (`Etkin` for a grant's `active`), else the value.
fn label(repo: &Repo, kind: Kind, field: &str, value: &str) -> String {
    let labels = property(&repo.rules, kind, field).and_then(|p| super::resolved(&repo.rules, p).get("x-labels"));
    labels.and_then(|l| l.get(value)).and_then(Json::as_str).unwrap_or(value).to_string()
}

/// The name a record shows (`name`, `title`), else its id.
fn name_of(index: &Index, id: &str) -> String {
    let record = index.get(id);
    let name = record.and_then(|r| r.fields.str_at("name").or_else(|| r.fields.str_at("title")));
    name.unwrap_or(id).to_string()
}

/// The campaign record for `typed` (the scope as typed), opened by `by` on `as_of`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn start(
    root: &Path,
    repo: &Repo,
    loaded: &Records,
    typed: &str,
    due: Option<Date>,
    title: Option<&str>,
    as_of: Date,
    by: Option<&str>,
) -> Result<Started, Message> {
    let w = &repo.rules.workflows;
    let records = &loaded.records;
    let index = Index::new(records);
    let person = crate::scaffold::author(root, &index, by)?.id().to_string();
    let scope = Scope::parse(typed, &index).map_err(|e| match e {
        ScopeError::Unknown(id) => msg!(
            "--scope {typed}: `{id}` is no application, server or unit; nothing was written",
            "--scope {typed}: `{id}` bir uygulama, sunucu ya da birim değil; hiçbir şey yazılmadı"
        ),
        ScopeError::Unreadable(_) => msg!(
            "--scope {typed}: not a scope; give a system (`app-…`, `srv-…`, `system:ID`), a unit (`unit:ID`), `all-grants` or `admin-accounts`; nothing was written",
            "--scope {typed}: bir kapsam değil; bir sistem (`app-…`, `srv-…`, `system:KİMLİK`), bir birim (`unit:KİMLİK`), `tüm-yetkiler` ya da `yönetici-hesapları` verin; hiçbir şey yazılmadı"
        ),
    })?;
    let key = scope.key();
    let open = records.iter().find(|r| {
        r.kind == Kind::Campaign
            && campaign::Scope::of_record(r).as_ref() == Some(&scope)
            && r.fields.str_at(w.state_field("campaign")) != Some("closed")
    });
    if let Some(open) = open {
        let id = open.id();
        return Err(msg!(
            "{id} reviews `{key}` and is still open: decide its items (`defter step {id}`) before starting another; nothing was written",
            "{id} `{key}` kapsamını gözden geçiriyor ve hâlâ açık: başka bir kampanya açmadan önce kalemlerine karar verin (`defter step {id}`); hiçbir şey yazılmadı"
        ));
    }
    let commit = Git::open(root).and_then(|g| g.resolve("HEAD")).map_err(|_| {
        msg!(
            "a campaign is pinned to the commit it starts from, and this repository has none: commit the records first; nothing was written",
            "kampanya başladığı commit'e sabitlenir, bu depoda henüz commit yok: önce kayıtları commit edin; hiçbir şey yazılmadı"
        )
    })?;
    // The items are read from the working tree: it must be the commit they are pinned to.
    let changed = crate::git::changed_under(root, crate::load::RECORDS_DIR).unwrap_or_default();
    if !changed.is_empty() {
        let (n, first) = (changed.len(), changed.iter().take(3).cloned().collect::<Vec<_>>().join(", "));
        return Err(msg!(
            "the campaign is pinned to the current commit, but {n} files under records/ differ from it ({first}…): commit or stash them first; nothing was written",
            "kampanya şu anki commit'e sabitlenir, ama records/ altında {n} dosya ondan farklı ({first}…): önce commit edin ya da saklayın (stash); hiçbir şey yazılmadı"
        ));
    }
    let items = campaign::in_scope(w, &index, records, &scope, &|kind, field, value| label(repo, kind, field, value));
    if items.is_empty() {
        return Err(msg!(
            "--scope {typed}: nothing is in force in `{key}` (no active grant, account, repository access or web-service client), so there is nothing to review; nothing was written",
            "--scope {typed}: `{key}` kapsamında yürürlükte hiçbir şey yok (etkin yetki, hesap, depo erişimi ya da web servis istemcisi yok); gözden geçirilecek bir şey olmadığından hiçbir şey yazılmadı"
        ));
    }
    let mut reviewers = Vec::new();
    for item in &items {
        let record = index.get(&item.record).expect("an item is read from a record");
        // A grant's reviewer who may also revoke it carries out a revoke decision at once.
        let also = match item.kind {
            Kind::Grant => w
                .lifecycle("grant")
                .and_then(|l| l.transitions.iter().find(|t| t.name == "revoke"))
                .map(|t| t.by.clone())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let Some(reviewer) = campaign::reviewer(w, &index, item, record, &also) else {
            let (it, holder) = (&item.item, &item.holder);
            let actors = campaign::reviewer_actors(w, item.kind).join(", ");
            return Err(msg!(
                "no active person other than its holder {holder} may review {it} ({actors}); nothing was written",
                "{it} kalemini sahibi {holder} dışında gözden geçirebilecek etkin kimse yok ({actors}); hiçbir şey yazılmadı"
            ));
        };
        reviewers.push(reviewer);
    }
    let previous = campaign::last_closed(w, records, &scope);
    let before = previous.map(|p| campaign::listed(p, "items"));
    let (changes, removed) = campaign::diff(before.as_deref(), &items);
    let due = due.unwrap_or_else(|| as_of.checked_add(DEFAULT_DAYS.days()).unwrap_or(as_of));
    if due < as_of {
        let (due, start) = (show_date(due), show_date(as_of));
        return Err(msg!(
            "--due {due} is before the campaign starts ({start}); nothing was written",
            "--due {due} kampanyanın başlangıcından ({start}) önce; hiçbir şey yazılmadı"
        ));
    }
    let id = crate::scaffold::next_id(loaded, Kind::Campaign, as_of.year()).expect("campaigns are numbered");
    let path = format!("records/{}", Kind::Campaign.register_path(&id).expect("a register"));
    let title = title.map_or_else(
        || match &scope {
            Scope::System(s) => format!("{} erişim gözden geçirmesi", name_of(&index, s)),
            Scope::Unit(u) => format!("{} erişim gözden geçirmesi", name_of(&index, u)),
            Scope::AllGrants => "Bütün yetkilerin gözden geçirilmesi".to_string(),
            Scope::AdminAccounts => "Yönetici hesaplarının gözden geçirilmesi".to_string(),
        },
        str::to_string,
    );
    let mut text = format!("id: {id}\ntitle: {}\n", yaml_scalar(&title));
    text.push_str(&match scope.target() {
        Some(t) => format!("scope: {{ type: {}, target: {t} }}\n", scope.code()),
        None => format!("scope: {{ type: {} }}\n", scope.code()),
    });
    text.push_str(&format!("started: {as_of}\nstarted_by: {person}\ncommit: {commit}\ndue: {due}\n"));
    if let Some(p) = previous {
        text.push_str(&format!("previous: {}\n", p.id()));
    }
    let entry = |i: &Item| {
        format!(
            "item: {}, kind: {}, record: {}, holder: {}",
            yaml_scalar(&i.item),
            i.kind.name(),
            i.record,
            yaml_scalar(&i.holder)
        )
    };
    text.push_str("items:\n");
    for ((item, change), reviewer) in items.iter().zip(&changes).zip(&reviewers) {
        let (e, detail, change) = (entry(item), serde_json::to_string(&item.detail).unwrap_or_default(), change.code());
        text.push_str(&format!("  - {{ {e}, reviewer: {reviewer}, detail: {detail}, change: {change} }}\n"));
    }
    if !removed.is_empty() {
        text.push_str("removed:\n");
        for item in &removed {
            let (e, detail) = (entry(item), serde_json::to_string(&item.detail).unwrap_or_default());
            text.push_str(&format!("  - {{ {e}, detail: {detail} }}\n"));
        }
    }
    let n = items.len();
    text.push_str(&format!(
        "status: open\nhistory:\n  - {{ date: {as_of}, by: {person}, status: open, note: \"{n} kalem, commit {}\" }}\n",
        &commit.to_string()[..12]
    ));
    let count = |c: campaign::Change| changes.iter().filter(|x| **x == c).count();
    Ok(Started {
        id,
        path,
        text,
        items: n,
        new: count(campaign::Change::New),
        changed: count(campaign::Change::Changed),
        removed: removed.len(),
        previous: previous.map(|p| p.id().to_string()),
    })
}

/// What a decision does besides its own entry: the campaign's further changes (closing
/// it), other records' steps (a grant revoked), and what the user must still do by hand.
#[derive(Debug, Default)]
pub(super) struct Decided {
    pub more: Vec<Change>,
    /// A record, the step on it and its changes, and the summary line.
    pub others: Vec<(String, Vec<Change>, String)>,
    pub lines: Vec<String>,
    pub notes: Vec<Message>,
}

/// Whether `typed` names the `decide` step.
pub(super) fn names_decide(typed: &str) -> bool {
    super::names::names("decide", typed)
}

/// The refusal of a decision on a closed campaign, said plainly (the generic "not a step
/// it allows" would not say why).
pub(super) fn closed(w: &crate::model::workflow::Workflows, record: &Record) -> Option<Message> {
    if record.fields.str_at(w.state_field("campaign")) != Some("closed") {
        return None;
    }
    let id = record.id();
    let on = record.fields.get("closed").and_then(crate::model::date::date).map(show_date).unwrap_or_default();
    Some(msg!(
        "{id} was closed on {on}: its decisions are final; start a new campaign for the scope (`defter review start`); nothing was written",
        "{id} {on} tarihinde kapandı: kararları kesindir; kapsam için yeni bir kampanya açın (`defter review start`); hiçbir şey yazılmadı"
    ))
}

/// Checks a decision on `record` (an open campaign) by `person` and works out what else
/// it changes. `inputs` are the step's, with `--item`, `--result` and `--reason`.
pub(super) fn decide(
    repo: &Repo,
    index: &Index,
    record: &Record,
    person: &str,
    inputs: &Inputs,
) -> Result<Decided, Message> {
    let w = &repo.rules.workflows;
    let id = record.id();
    let flag = |name: &str| inputs.flags.iter().find(|(f, _)| *f == name).map(|(_, v)| v.as_str());
    let items = campaign::listed(record, "items");
    let Some(typed) = flag("item") else {
        return Err(msg!(
            "a decision names its item: --item ID (one of the {n} items of {id}: `defter step {id}` lists them on the site's page)",
            "karar, kalemini belirtir: --item KİMLİK ({id} kampanyasının {n} kaleminden biri)",
            n = items.len()
        ));
    };
    let Some(item) = items.iter().find(|i| i.item == typed) else {
        let close = items
            .iter()
            .map(|i| i.item.as_str())
            .min_by_key(|i| strsim::levenshtein(i, typed))
            .filter(|i| strsim::levenshtein(i, typed) <= 3);
        let (en, tr) = close.map_or_else(Default::default, |c| {
            (format!("; did you mean `{c}`?"), format!("; `{c}` mi demek istediniz?"))
        });
        return Err(msg!(
            "--item {typed}: {id} lists no such item{en}; nothing was written",
            "--item {typed}: {id} kampanyasında böyle bir kalem yok{tr}; hiçbir şey yazılmadı"
        ));
    };
    let reviewer = record
        .fields
        .path("items[]")
        .into_iter()
        .find(|n| n.str_at("item") == Some(typed))
        .and_then(|n| n.str_at("reviewer"))
        .unwrap_or_default();
    let decided = campaign::decisions(record);
    if let Some((d, _)) = decided.iter().find(|(d, _)| d.item == typed) {
        let (by, result) = (&d.by, label(repo, Kind::Campaign, "decisions[].result", &d.result));
        let on = d.date.map(show_date).unwrap_or_default();
        return Err(msg!(
            "{typed} was decided already ({result}, by {by} on {on}); decisions are final; nothing was written",
            "{typed} için zaten karar verildi ({result}, {by}, {on}); kararlar kesindir; hiçbir şey yazılmadı"
        ));
    }
    if person != reviewer {
        let name = index.person(reviewer).and_then(|p| p.fields.str_at("name")).unwrap_or(reviewer);
        return Err(msg!(
            "`{person}` is not the reviewer of {typed}: {name} ({reviewer}) is; only they decide it (local rule `campaign_steps`); nothing was written",
            "`{person}`, {typed} kaleminin gözden geçireni değil: gözden geçiren {name} ({reviewer}); kararı yalnız o verir (yerel kural `campaign_steps`); hiçbir şey yazılmadı"
        ));
    }
    let result = code_for(&repo.rules, Kind::Campaign, "decisions[].result", flag("result").unwrap_or_default());
    let mut out = Decided::default();
    let label = |r: &str| super::names::lower(&label(repo, Kind::Campaign, "decisions[].result", r));
    out.lines.push(format!("{id}: {typed} → {} ({person})", label(&result)));
    let reason = flag("reason").map(str::to_string).or_else(|| inputs.note.clone());
    match (result.as_str(), item.kind) {
        ("revoke", Kind::Grant) => revoke_grant(repo, index, record, item, person, inputs, reason, &mut out)?,
        ("revoke" | "change", _) => {
            let (what, file) = (&item.item, index.get(&item.record).map(|r| r.path.as_str()).unwrap_or_default());
            out.notes.push(if result == "revoke" {
                msg!(
                    "{what}: the decision is to revoke it; remove the access in {file} (its status, or its `access` entry) and commit it",
                    "{what}: kaldırılmasına karar verildi; erişimi {file} dosyasında kaldırın (durumunu ya da `access` girdisini) ve commit edin"
                )
            } else {
                msg!(
                    "{what}: the decision is to change it; make the change in {file} (or the grant's own steps) and commit it",
                    "{what}: değiştirilmesine karar verildi; değişikliği {file} dosyasında (ya da yetkinin kendi adımlarıyla) yapın ve commit edin"
                )
            });
        }
        _ => {}
    }
    // The last decision closes the campaign, through its own `close` step.
    if decided.len() + 1 >= items.len()
        && items.iter().all(|i| i.item == typed || decided.iter().any(|(d, _)| d.item == i.item))
    {
        let close = actions(w, record).into_iter().find(|a| a.name == "close");
        if let Some(close) = close {
            let quiet = Inputs { as_of: inputs.as_of, ..Inputs::default() };
            let closing = changes(repo, index, record, &close, person, &quiet).map_err(|r| r.why[0].clone())?;
            out.more.extend(closing);
            let closed = label_state(repo, "closed");
            out.lines.push(format!("{id}: {closed}"));
        }
    }
    Ok(out)
}

fn label_state(repo: &Repo, state: &str) -> String {
    super::names::lower(&label(repo, Kind::Campaign, "status", state))
}

/// A revoke decision on a grant: the grant's own `revoke` step in the same write when the
/// reviewer may take it, else a note naming the step and who may take it.
#[allow(clippy::too_many_arguments)]
fn revoke_grant(
    repo: &Repo,
    index: &Index,
    record: &Record,
    item: &Item,
    person: &str,
    inputs: &Inputs,
    reason: Option<String>,
    out: &mut Decided,
) -> Result<(), Message> {
    let w = &repo.rules.workflows;
    let Some(grant) = index.get(&item.record) else { return Ok(()) };
    let gid = grant.id();
    let Some(revoke) = actions(w, grant).into_iter().find(|a| a.name == "revoke") else {
        let state = grant.fields.str_at("status").unwrap_or("—");
        out.notes.push(msg!(
            "{gid} is `{state}` now: it cannot be revoked, and is no longer in force",
            "{gid} şu anda `{state}` durumunda: kaldırılamaz, zaten yürürlükte değil"
        ));
        return Ok(());
    };
    let reason =
        reason.unwrap_or_else(|| format!("{} erişim gözden geçirmesinde kaldırılmasına karar verildi", record.id()));
    if !may(w, index, person, &revoke, grant) {
        let who = some(&who(w, index, &revoke, grant));
        let quoted = reason.replace('"', "\\\"");
        out.notes.push(msg!(
            "{gid}: you may not revoke the grant yourself ({who} may): ask them to take `defter step {gid} revoke --reason \"{quoted}\"`",
            "{gid}: yetkiyi siz kaldıramazsınız (kaldırabilecekler: {who}); onlardan `defter step {gid} revoke --reason \"{quoted}\"` adımını atmalarını isteyin"
        ));
        return Ok(());
    }
    let step = Inputs {
        as_of: inputs.as_of,
        note: Some(format!("{} kararı", record.id())),
        flags: vec![("reason", reason)],
        ..Inputs::default()
    };
    let planned = changes(repo, index, grant, &revoke, person, &step).map_err(|r| r.why[0].clone())?;
    let What::Transition { to } = &revoke.what else { unreachable!("revoke is a transition") };
    let state = super::names::lower(&label(repo, Kind::Grant, "status", to));
    out.others.push((gid.to_string(), planned, format!("{gid}: {state}")));
    Ok(())
}

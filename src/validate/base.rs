//! The checks that compare the head with a base revision (`validate --base REV`):
//! `illegal-transition` (state changes since the base), `immutable-field`,
//! `record-deleted`, `history-rewritten`, `commit-author`, and the rules in force at the
//! base: a change that edits `schemas/` and relies on the edit in the same diff is
//! reported.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use gix::ObjectId;
use jiff::civil::Date;
use serde_json::Value as Json;

use super::{Context, Schemas, check_record, workflow};
use crate::config::Config;
use crate::diag::{Diagnostic, Rule, msg};
use crate::git::{Commit, Git};
use crate::history::parse_blob;
use crate::load::{self, RawFile, Records, rules::Ruleset};
use crate::model::Record;
use crate::model::{IdTable, Index};
use crate::model::{Node, Pos};

/// The base side of a comparison.
pub(crate) struct Base<'a> {
    pub git: &'a Git,
    pub commit: ObjectId,
    pub rules: &'a Ruleset,
    /// `records/…` blobs at the base.
    pub files: Vec<(String, ObjectId)>,
}

/// The head side: the loaded records, their rules, and the commit whose history is
/// checked for `commit-author` (the working tree's `HEAD` when checking it).
pub(crate) struct Head<'a> {
    pub records: &'a Records,
    pub rules: &'a Ruleset,
    pub schemas: &'a Schemas,
    pub commit: Option<ObjectId>,
    /// Blob id per path (when the head is a commit); else hashed from the text.
    pub ids: HashMap<String, ObjectId>,
    /// The findings of the static checks, to tell which base-rule findings are new.
    pub findings: &'a [Diagnostic],
    /// Where each id is among `records` (the static checks' table).
    pub table: &'a IdTable,
}

pub(crate) fn check(base: &Base, head: &Head, config: &Config, as_of: Date) -> Result<Vec<Diagnostic>> {
    let mut out = Vec::new();
    let changed: Vec<RawFile> = base
        .files
        .iter()
        .filter(|(path, id)| head.ids.get(path) != Some(id))
        .map(|(path, id)| Ok(RawFile { path: path.clone(), bytes: base.git.blob(*id)? }))
        .collect::<Result<_>>()?;
    let base_paths: HashSet<&str> = base.files.iter().map(|(p, _)| p.as_str()).collect();
    let old = load::load_files(changed);
    // One index of the head's records for every check of the change.
    let head_index = Index::with(head.table, &head.records.records);
    let by_path: HashMap<&str, &Record> = head.records.records.iter().map(|r| (r.path.as_str(), r)).collect();
    let cx = Context {
        records: &head.records.records,
        index: &head_index,
        rules: base.rules,
        schemas: head.schemas,
        config,
        as_of,
    };
    let mut matched: HashSet<&str> = HashSet::new();
    for b in &old.records {
        let same_kind = |r: &&Record| r.kind == b.kind;
        let Some(h) = head_index.get(b.id()).filter(same_kind) else {
            match by_path.get(b.path.as_str()) {
                Some(h) if h.kind == b.kind => {
                    matched.insert(h.path.as_str());
                    let pos = h.fields.get("id").map_or(h.fields.pos, |n| n.pos);
                    let (old, new) = (b.id(), h.id());
                    out.push(
                        Diagnostic::at(
                            Rule::ImmutableField,
                            &h.path,
                            pos,
                            msg!(
                                "`id` changed from `{old}` to `{new}`",
                                "`id` alanı değişmiş: önceki `{old}`, şimdiki `{new}`"
                            ),
                        )
                        .with_help(msg!(
                            "an id never changes: keep the old id (create a new record for new work)",
                            "kimlik hiç değişmez: eski kimliği geri yazın (yeni bir iş için yeni bir kayıt oluşturun)"
                        )),
                    );
                }
                // Sorting out and destroying what no longer needs keeping is lawful
                // (M14(1)(ğ)) when the base already records the decision to dispose of it.
                _ if disposed(b) => {}
                _ => {
                    let (kind, id) = (b.kind, b.id());
                    let title = head.schemas.title(kind, "").unwrap_or(kind.name());
                    out.push(
                        Diagnostic::new(
                            Rule::RecordDeleted,
                            &b.path,
                            None,
                            msg!("{kind} `{id}` was deleted", "{title} kaydı `{id}` silinmiş"),
                        )
                        .with_help(msg!(
                            "restore the file and end the record through its lifecycle; to destroy it, record its `disposal` first and delete it in a later change",
                            "dosyayı geri getirin ve kaydı yaşam döngüsüyle kapatın; imha edilecekse önce `disposal` alanını işleyin, silmeyi sonraki bir değişiklikte yapın"
                        )),
                    )
                }
            }
            continue;
        };
        matched.insert(h.path.as_str());
        compare(&cx, b, h, &mut out);
    }
    // Records new since the base: they start in an initial state.
    for h in &head.records.records {
        if base_paths.contains(h.path.as_str()) || matched.contains(h.path.as_str()) {
            continue;
        }
        if old.records.iter().any(|b| b.id() == h.id()) {
            continue;
        }
        first_state(&cx, h, &mut out);
    }
    // Findings only the edited rules allow replace the same finding made above.
    let mut edited = Vec::new();
    rules_in_force(base, head, &head_index, config, as_of, &mut edited)?;
    let keys: HashSet<(Rule, String, Option<Pos>)> = edited.iter().map(|d| (d.rule, d.path.clone(), d.pos)).collect();
    out.retain(|d| !keys.contains(&(d.rule, d.path.clone(), d.pos)));
    out.extend(edited);
    if let Some(head_commit) = head.commit {
        let commits = base.git.commits(head_commit, Some(base.commit))?;
        commit_authors(base, &head_index, &commits, &mut out)?;
    }
    // An old value quoted in a message may be a secret since removed from the head.
    super::content::scrub(&old.records, &mut out);
    Ok(out)
}

/// Whether a record carries a disposal decision: under which retention rule, approved by
/// whom (`disposal`, M14(1)(ğ)).
fn disposed(record: &Record) -> bool {
    let Some(disposal) = record.fields.get("disposal") else { return false };
    ["date", "rule", "approved_by"].iter().all(|k| disposal.str_at(k).is_some_and(|v| !v.trim().is_empty()))
}

/// A changed record against its base version.
fn compare(cx: &Context, b: &Record, h: &Record, out: &mut Vec<Diagnostic>) {
    let w = &cx.rules.workflows;
    let kind = h.kind.name();
    for field in w.immutable.get(kind).into_iter().flatten() {
        let (old, new) = (b.fields.get(field).map(Node::to_json), h.fields.get(field).map(Node::to_json));
        // A value may be given where there was none (a grant's written instruction arrives
        // with its approval), never changed or taken away.
        if old.is_some() && old != new && field != "id" {
            let (was, was_tr) = (show(old.as_ref(), "absent"), show(old.as_ref(), "yok"));
            out.push(
                Diagnostic::at(
                    Rule::ImmutableField,
                    &h.path,
                    h.pos_of(field),
                    msg!(
                        "`{field}` may not change once the record exists (was {was})",
                        "`{field}` alanı kayıt oluşturulduktan sonra değiştirilemez (önceki değer: {was_tr})"
                    ),
                )
                .with_help(msg!(
                    "restore `{field}`; if it was wrong from the start, cancel this record and create a new one",
                    "`{field}` alanını eski haline getirin; baştan yanlışsa bu kaydı iptal edip yeni bir kayıt oluşturun"
                )),
            );
        }
    }
    for list in &w.append_only {
        let old = b.fields.path(&format!("{list}[]"));
        let new = h.fields.path(&format!("{list}[]"));
        let first_difference =
            old.iter().enumerate().find(|(i, o)| new.get(*i).is_none_or(|n| n.to_json() != o.to_json()));
        if let Some((i, _)) = first_difference {
            let (pos, what, what_tr) = match new.get(i) {
                Some(n) => (n.pos, "was edited or reordered", "değiştirilmiş ya da yeri değişmiş"),
                None => (h.pos_of(list), "was removed", "silinmiş"),
            };
            let (n, count) = (i + 1, old.len());
            out.push(
                Diagnostic::at(
                    Rule::HistoryRewritten,
                    &h.path,
                    pos,
                    msg!(
                        "entry {n} of `{list}` {what}; entries are only ever appended",
                        "`{list}` listesinin {n}. girdisi {what_tr}; girdiler yalnızca sona eklenir"
                    ),
                )
                .with_help(msg!(
                    "restore the {count} existing entries as they were and append a new entry instead",
                    "mevcut {count} girdiyi eski haline getirin ve bunun yerine yeni bir girdi ekleyin"
                )),
            );
        }
    }
    let Some(lifecycle) = w.lifecycle(kind) else { return };
    let (Some(before), Some(after)) = (b.fields.str_at(&lifecycle.field), h.fields.get(&lifecycle.field)) else {
        return;
    };
    // The first status change since the base: the first appended history entry with a
    // status, or the state itself when no entry records the change.
    let known = b.fields.path("history[]").len();
    let appended = h.fields.path("history[]").into_iter().skip(known).find_map(|e| e.get("status").map(|s| (e, s)));
    match appended {
        Some((entry, status)) => workflow::check_step(cx, h, lifecycle, Some(before), entry, status, out),
        None if after.as_str() != Some(before) => {
            let none = Node::new(crate::model::Value::Null, after.pos);
            workflow::check_step(cx, h, lifecycle, Some(before), &none, after, out);
        }
        None => {}
    }
}

/// A record added since the base must start in one of the lifecycle's initial states.
fn first_state(cx: &Context, h: &Record, out: &mut Vec<Diagnostic>) {
    let Some(lifecycle) = cx.rules.workflows.lifecycle(h.kind.name()) else { return };
    let first = h.fields.path("history[]").into_iter().find_map(|e| e.get("status").map(|s| (e, s)));
    match first {
        Some((entry, status)) => workflow::check_step(cx, h, lifecycle, None, entry, status, out),
        None => {
            if let Some(state) = h.fields.get(&lifecycle.field) {
                let none = Node::new(crate::model::Value::Null, state.pos);
                workflow::check_step(cx, h, lifecycle, None, &none, state, out);
            }
        }
    }
}

/// A field's old value for a message (`absent`: the word for no value).
fn show(value: Option<&Json>, absent: &str) -> String {
    match value {
        None => absent.into(),
        Some(Json::String(s)) => format!("`{s}`"),
        Some(v) => format!("`{v}`"),
    }
}

/// When the change edits `schemas/`, the changed records are also checked under the
/// base's rules; what only the edit allows is reported.
fn rules_in_force(
    base: &Base,
    head: &Head,
    index: &Index,
    config: &Config,
    as_of: Date,
    out: &mut Vec<Diagnostic>,
) -> Result<()> {
    if base.rules.texts == head.rules.texts {
        return Ok(());
    }
    let edited: Vec<&str> = base
        .rules
        .texts
        .iter()
        .filter(|(name, text)| head.rules.texts.get(*name) != Some(*text))
        .map(|(name, _)| name.as_str())
        .collect();
    let schemas = Schemas::compile(base.rules)?;
    let cx = Context { records: &head.records.records, index, rules: base.rules, schemas: &schemas, config, as_of };
    let seen: HashSet<(Rule, &str, Option<Pos>)> =
        head.findings.iter().map(|d| (d.rule, d.path.as_str(), d.pos)).collect();
    let unchanged: HashSet<&str> =
        base.files.iter().filter(|(p, id)| head.ids.get(p) == Some(id)).map(|(p, _)| p.as_str()).collect();
    for record in &head.records.records {
        if unchanged.contains(record.path.as_str()) {
            continue;
        }
        let mut found = Vec::new();
        check_record(&cx, record, &mut found);
        for mut d in found {
            if !seen.contains(&(d.rule, d.path.as_str(), d.pos)) {
                let (en, tr, files) = (&d.message.en, &d.message.tr, edited.join(", schemas/"));
                d.message = msg!(
                    "{en} — allowed only by this change's own edit of schemas/{files}",
                    "{tr} — buna yalnızca bu değişikliğin kendi kural düzenlemesi izin veriyor (schemas/{files})"
                );
                d.help = Some(msg!(
                    "change the rules in one pull request and use them in a later one, so the rule change is reviewed on its own",
                    "kuralları bir birleştirme isteğinde (pull request) değiştirin, sonraki bir istekte kullanın; böylece kural değişikliği ayrıca gözden geçirilir"
                ));
                out.push(d);
            }
        }
    }
    Ok(())
}

/// JSON Pointers of the actor values a record version holds, for the fields the
/// workflow data names (`actor_fields`, the testers of `required_tests`) and every
/// history entry's `by`.
fn actor_pointers(rules: &Ruleset, record: &Record) -> Vec<(String, String)> {
    let w = &rules.workflows;
    let mut paths: Vec<(&str, Option<&indexmap::IndexMap<String, String>>)> = vec![("history[].by", None)];
    paths.extend(
        w.actor_fields.iter().filter(|f| f.kind == record.kind.name()).map(|f| (f.field.as_str(), Some(&f.filter))),
    );
    for t in w.required_tests.iter().filter(|t| t.kind == record.kind.name()) {
        if !paths.iter().any(|(p, _)| *p == t.tester) {
            paths.push((t.tester.as_str(), None));
        }
    }
    let mut out = Vec::new();
    for (path, filter) in paths {
        match path.split_once("[].") {
            Some((list, leaf)) => {
                for (i, entry) in record.fields.path(&format!("{list}[]")).into_iter().enumerate() {
                    if filter.is_some_and(|f| !crate::model::entry_matches(entry, f)) {
                        continue;
                    }
                    if let Some(person) = entry.str_at(leaf) {
                        out.push((
                            format!("/{}/{i}/{}", list.replace('.', "/"), leaf.replace('.', "/")),
                            person.to_string(),
                        ));
                    }
                }
            }
            None => {
                if let Some(person) = record.fields.str_at(path) {
                    out.push((format!("/{}", path.replace('.', "/")), person.to_string()));
                }
            }
        }
    }
    out
}

/// `commit-author`: whoever a commit records as acting must be the commit's author.
fn commit_authors(base: &Base, index: &Index, commits: &[Commit], out: &mut Vec<Diagnostic>) -> Result<()> {
    let mut reported: HashSet<(String, String)> = HashSet::new();
    for commit in commits.iter().filter(|c| c.parents.len() <= 1) {
        for change in base.git.changes(commit)? {
            let Some(new_id) = change.new else { continue };
            let Some(new) = parse_blob(base.git, &change.path, new_id)? else { continue };
            let old = match change.old {
                Some(id) => parse_blob(base.git, &change.path, id)?,
                None => None,
            };
            let before: HashSet<(String, String)> =
                old.as_ref().map(|o| actor_pointers(base.rules, o)).unwrap_or_default().into_iter().collect();
            let Some(h) = index.get(new.id()).filter(|h| h.kind == new.kind) else { continue };
            for (pointer, person) in actor_pointers(base.rules, &new) {
                if before.contains(&(pointer.clone(), person.clone())) {
                    continue;
                }
                let Some(p) = index.person(&person) else { continue };
                let email = commit.author_email.to_lowercase();
                let bound = p
                    .fields
                    .path("git_emails[]")
                    .iter()
                    .chain(p.fields.path("email").iter())
                    .any(|n| n.as_str().is_some_and(|e| e.to_lowercase() == email));
                if bound || !reported.insert((h.path.clone(), pointer.clone())) {
                    continue;
                }
                let node = h.fields.pointer(&pointer);
                let field = super::schema::dotted(&pointer);
                let (short, summary, name, email) =
                    (commit.short(), &commit.summary, &commit.author_name, &commit.author_email);
                out.push(
                    Diagnostic::at(
                        Rule::CommitAuthor,
                        &h.path,
                        node.pos,
                        msg!(
                            "`{field}: {person}` was recorded in commit {short} (\"{summary}\") by {name} <{email}>, who is not {person}",
                            "`{field}: {person}` bilgisi {short} commit'inde (\"{summary}\") {name} <{email}> tarafından kaydedilmiş; bu kişi `{person}` değil"
                        ),
                    )
                    .with_help(msg!(
                        "{person} should make this change from their own account (their git_emails in records/org/people/{person}.yaml); teams that commit on behalf of others can set [rules] commit-author = \"off\"",
                        "bu değişikliği `{person}` kendi hesabından yapmalıdır (records/org/people/{person}.yaml dosyasındaki git_emails); başkaları adına kayıt yapan ekipler [rules] commit-author = \"off\" ayarını kullanabilir"
                    )),
                );
            }
        }
    }
    Ok(())
}

//! The defaults a new record takes from the organisation: who is acting (from git's
//! e-mail and the people's `git_emails`), a unit's requester, the service that handles
//! a request or project.

use std::path::Path;

use anyhow::{Result, anyhow, bail};

use crate::diag::{Message, msg};
use crate::git::Git;
use crate::model::{Index, Node, Record};

/// The person acting: `by` (`--by`), else the one whose `git_emails` hold git's
/// user.email; one who has left may not act. Said in both languages, for `new` and
/// `step` alike.
pub(crate) fn author<'a>(root: &Path, index: &Index<'a>, by: Option<&str>) -> Result<&'a Record, Message> {
    let person = match by {
        Some(by) => index.person(by).ok_or_else(|| {
            msg!("--by {by}: no person record has that id", "--by {by}: bu kimlikte bir kişi kaydı yok")
        })?,
        None => {
            let email = Git::open(root).ok().and_then(|g| g.user_email()).ok_or_else(|| {
                msg!(
                    "who acts is read from git's user.email, and there is none: set it (`git config user.email you@…`, the address in your `git_emails`) or pass --by PERSON",
                    "kimin işlem yaptığı git'in user.email ayarından okunur ve bu ayar yok: ayarlayın (`git config user.email siz@…`, `git_emails` alanınızdaki adres) ya da --by KİŞİ verin"
                )
            })?;
            let mine = |p: &&Record| {
                p.fields.path("git_emails[]").iter().filter_map(|n| n.as_str()).any(|e| e.eq_ignore_ascii_case(&email))
            };
            index.people().find(mine).ok_or_else(|| {
                msg!(
                    "no person has your git e-mail `{email}` in `git_emails`: add it to your record in records/org/people/ (or pass --by PERSON)",
                    "hiçbir kişinin `git_emails` alanında git e-postanız `{email}` yok: records/org/people/ altındaki kaydınıza ekleyin (ya da --by KİŞİ verin)"
                )
            })?
        }
    };
    if index.is_active(person.id()) == Some(false) {
        let id = person.id();
        return Err(msg!(
            "`{id}` has left (`active: false`) and cannot act",
            "`{id}` ayrılmış (`active: false`); işlem yapamaz"
        ));
    }
    Ok(person)
}

/// `--service`, else the author's own service, else the analysis service.
pub(crate) fn service(index: &Index, given: &Option<String>, author: &Record, records: &[&Record]) -> Result<String> {
    if let Some(service) = given {
        return Ok(service.clone());
    }
    let own =
        author.fields.str_at("unit").and_then(|u| index.unit(u)).filter(|u| u.fields.str_at("type") == Some("service"));
    let analysis = || records.iter().copied().find(|u| u.fields.str_at("function") == Some("analysis"));
    own.or_else(analysis).map(|u| u.id().to_string()).ok_or_else(|| {
        anyhow!(msg!(
            "--service is needed: you are not in a service and there is no analysis service",
            "--service gerekli: bir serviste değilsiniz ve analiz servisi yok"
        ))
    })
}

pub(crate) fn services<'a>(index: &Index<'a>) -> Vec<&'a Record> {
    let mut units: Vec<&Record> = index.units().filter(|u| u.fields.str_at("type") == Some("service")).collect();
    units.sort_by(|a, b| a.id().cmp(b.id()));
    units
}

/// The requester a unit implies: its head, else its only active unit official.
pub(crate) fn requester(index: &Index, unit: &Record) -> Result<String> {
    if let Some(head) = unit.fields.str_at("head") {
        return Ok(head.to_string());
    }
    let officials: Vec<&Record> = index
        .people()
        .filter(|p| p.fields.str_at("unit") == Some(unit.id()))
        .filter(|p| p.fields.path("roles[]").iter().any(|r| r.as_str() == Some("unit_official")))
        .filter(|p| p.fields.get("active").and_then(Node::as_bool) != Some(false))
        .collect();
    match officials.as_slice() {
        [one] => Ok(one.id().to_string()),
        _ => {
            let unit = unit.id();
            bail!(msg!(
                "--requester is needed: `{unit}` has no head and not exactly one unit official",
                "--requester gerekli: `{unit}` biriminin yöneticisi yok ve tam olarak bir birim yetkilisi yok"
            ))
        }
    }
}

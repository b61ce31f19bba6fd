//! `defter intake EVENT.json`: a request filed on the forge's issue form becomes a request
//! record in state `new` on a branch of its own, ready for a pull request (issue 29.4).
//!
//! The form's answers are read by [`crate::intake`]; the record is made by the code of
//! `defter new request` (its template, next free id, defaults and checks) and checked
//! with every rule before anything is written. It is committed with git's plumbing onto
//! `talep/<id>` without touching the working tree or the branch checked out (see
//! [`crate::git::commit_file_on_new_branch`]): in CI the checkout stays clean, and on a
//! person's machine their work in progress stays theirs. A form that does not validate
//! writes no record, only the comment saying what to fix.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use serde_json::Value as Json;

use super::Ui;
use crate::cli::{IntakeArgs, NewCommon, NewRequest};
use crate::diag::{Message, msg};
use crate::intake::{self, Issue};
use crate::load;
use crate::model::{Index, Kind, Record};
use crate::repo::Repo;
use crate::scaffold::{self, Values, yaml_scalar};

pub(super) fn run(root: &Path, args: &IntakeArgs, ui: Ui) -> Result<ExitCode> {
    let shown = args.event.display();
    let bytes = std::fs::read(&args.event).with_context(|| msg!("cannot read {shown}", "{shown} okunamıyor"))?;
    let payload: Json = serde_json::from_slice(&bytes).map_err(|e| {
        anyhow!(msg!(
            "{shown} is not JSON ({e}): intake reads the forge's event file (`$GITHUB_EVENT_PATH`); nothing was written",
            "{shown} JSON değil ({e}): intake forge'un olay dosyasını (`$GITHUB_EVENT_PATH`) okur; hiçbir şey yazılmadı"
        ))
    })?;
    let issue = intake::opened_issue(&payload, args.event_name.as_deref()).map_err(|m| anyhow!(m))?;
    let repo = Repo::open(root)?;
    let mut loaded = load::load_dir(root)?;
    let common = NewCommon { as_of: issue.opened, by: None, set: Vec::new() };
    let drafted = {
        let index = Index::new(&loaded.records);
        draft(&issue, &index, &repo).and_then(|(a, author)| {
            let id = scaffold::next_id(&loaded, Kind::Request, issue.opened.year()).expect("requests are numbered");
            let mut values: Values = super::new::request(&a, &index, author).map_err(|e| vec![message_of(&e)])?;
            values.insert("issue", Some(yaml_scalar(&issue.url)));
            let text = super::new::numbered_text(Kind::Request, &id, values, &common, author)
                .map_err(|e| vec![message_of(&e)])?;
            Ok((id, text, signature(author)))
        })
    };
    let (id, text, author) = match drafted {
        Ok(drafted) => drafted,
        Err(problems) => return refuse(args, ui, &problems, Refusal::Form),
    };
    let path = scaffold::record_path(Kind::Request, &id).expect("requests have a folder");
    let errors = repo.check_added(&mut loaded, &path, &text, issue.opened)?;
    if errors.errors() > 0 {
        let problems: Vec<Message> = errors.diagnostics.iter().map(|d| d.message.clone()).collect();
        return refuse(args, ui, &problems, Refusal::Rules);
    }
    let branch = format!("talep/{id}");
    let message = format!("{id}: {} (başvuru formu #{})\n\n{}\n", issue.title, issue.number, issue.url);
    let author = (author.0.as_str(), author.1.as_str());
    let commit = crate::git::commit_file_on_new_branch(
        root,
        &branch,
        &path,
        text.as_bytes(),
        &message,
        author,
        &issue.opened_at,
    )?;
    let state = crate::step::state_label(&repo.rules, Kind::Request, "new").unwrap_or_else(|| "new".into());
    let comment = msg!(
        "Your request was taken in as **{id}** ({state}). It waits for the directorate's review on the branch `{branch}`, and is recorded once that is merged.\n",
        "Talebiniz **{id}** numarasıyla alındı (durumu: {state}). `{branch}` dalında müdürlüğün incelemesini bekliyor; birleştirildiğinde kayda geçer.\n"
    );
    if let Some(file) = &args.comment {
        write_comment(file, ui.say(&comment))?;
    }
    println!("{id}");
    let short = &commit[..commit.len().min(12)];
    ui.note(ui.say(&msg!("{path} committed on {branch} ({short})", "{path}, {branch} dalına commit edildi ({short})")));
    Ok(ExitCode::SUCCESS)
}

/// An error of the scaffold (a unit without a head, say) as a message in both languages.
fn message_of(e: &anyhow::Error) -> Message {
    let text = e.to_string();
    Message { en: text.clone(), tr: text }
}

/// Why a request was not taken in.
#[derive(Clone, Copy, PartialEq)]
enum Refusal {
    /// The form's answers: the person who filed it can fix them.
    Form,
    /// The rules refused the record made from answers that read well: more likely the
    /// repository's rules (an older schema, say) than the form, for the directorate.
    Rules,
}

/// Says why nothing was taken in, on stderr and in the comment; nothing else is written.
fn refuse(args: &IntakeArgs, ui: Ui, problems: &[Message], why: Refusal) -> Result<ExitCode> {
    let list = |english: bool| problems.iter().map(|p| format!("- {}\n", p.text(english))).collect::<String>();
    let (en, tr) = (list(true), list(false));
    let comment = match why {
        Refusal::Form => msg!(
            "Your request could not be taken in: the form has these to fix.\n\n{en}\nPlease open a new issue with the form filled in again; an edit of this one is not read.\n",
            "Talebiniz alınamadı: formda şunların düzeltilmesi gerekiyor.\n\n{tr}\nLütfen formu yeniden doldurarak yeni bir konu açın; bu konudaki düzenlemeler okunmaz.\n"
        ),
        Refusal::Rules => msg!(
            "Your request could not be taken in: the record made from it breaks these rules of the records repository.\n\n{en}\nThis is likely the repository's setup rather than your form; the directorate will look into it.\n",
            "Talebiniz alınamadı: formdan oluşturulan kayıt, kayıt deposunun şu kurallarına uymuyor.\n\n{tr}\nBu büyük olasılıkla formunuzdan değil deponun ayarlarından kaynaklanıyor; müdürlük konuyu inceleyecek.\n"
        ),
    };
    if let Some(file) = &args.comment {
        write_comment(file, ui.say(&comment))?;
    }
    eprint!("{}", ui.say(&comment));
    Ok(ExitCode::from(1))
}

fn write_comment(file: &Path, text: &str) -> Result<()> {
    let shown = file.display();
    std::fs::write(file, text).with_context(|| msg!("cannot write {shown}", "{shown} yazılamıyor"))
}

/// The git identity of whoever filed the request: their name and e-mail (their
/// `git_emails` first, so `commit-author` knows them), else a no-reply address.
fn signature(person: &Record) -> (String, String) {
    let name = person.fields.str_at("name").unwrap_or(person.id()).to_string();
    let email = person
        .fields
        .path("git_emails[]")
        .into_iter()
        .chain(person.fields.path("email"))
        .find_map(|n| n.as_str())
        .unwrap_or("intake@defter.invalid");
    (name, email.to_string())
}

/// `found`, or `None` with the problem `tell` says.
fn told<T>(found: Option<T>, problems: &mut Vec<Message>, tell: impl FnOnce() -> Message) -> Option<T> {
    if found.is_none() {
        problems.push(tell());
    }
    found
}

/// The flags `defter new request` would have been given for the form's answers, and who
/// files it (the requester); or everything the form lacks.
fn draft<'a>(issue: &Issue, index: &Index<'a>, repo: &Repo) -> Result<(NewRequest, &'a Record), Vec<Message>> {
    let answers = intake::answers(&issue.body);
    let answer = |id: &str| answers.iter().find(|(f, _)| *f == id).and_then(|(_, v)| v.clone());
    let mut problems = Vec::new();
    if answers.iter().all(|(_, v)| v.is_none()) {
        return Err(vec![msg!(
            "the issue was not opened with the request form (none of its fields is in it)",
            "konu talep formuyla açılmamış (formun alanlarından hiçbiri yok)"
        )]);
    }
    if issue.title.is_empty() {
        problems.push(msg!(
            "the title is empty: give the issue a short summary of the request",
            "başlık boş: konunun başlığına talebin kısa bir özetini yazın"
        ));
    }
    let required = |field: &intake::Field, problems: &mut Vec<Message>| -> Option<String> {
        let value = answer(field.id).filter(|v| !v.trim().is_empty());
        if value.is_none() {
            let label = field.label;
            problems.push(msg!("«{label}» is empty: it is required", "«{label}» boş: bu alan zorunlu"));
        }
        value
    };
    let unit = required(&intake::UNIT, &mut problems).and_then(|typed| {
        let label = intake::UNIT.label;
        told(intake::find_unit(index, &typed), &mut problems, || {
            msg!(
                "«{label}»: no unit is called «{typed}» (choose one from the list)",
                "«{label}»: «{typed}» adında ya da kimliğinde bir birim yok (listeden birini seçin)"
            )
        })
    });
    let kind = required(&intake::TYPE, &mut problems).and_then(|typed| {
        let code = crate::step::code_for(&repo.rules, Kind::Request, "type", &typed);
        let types = intake::request_types(&repo.rules);
        if types.iter().any(|(c, _)| *c == code) {
            Some(code)
        } else {
            let label = intake::TYPE.label;
            let known = types.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join(", ");
            problems.push(msg!(
                "«{label}»: «{typed}» is not a request type (one of: {known})",
                "«{label}»: «{typed}» bir talep türü değil (şunlardan biri olmalı: {known})"
            ));
            None
        }
    });
    let description = required(&intake::DESCRIPTION, &mut problems);
    let requester = match (answer(intake::REQUESTER.id).filter(|v| !v.trim().is_empty()), unit) {
        (Some(typed), _) => {
            let label = intake::REQUESTER.label;
            told(intake::find_person(index, &typed), &mut problems, || {
                msg!(
                    "«{label}»: no person is called «{typed}» (give their id, such as mehmet.demir, or their full name)",
                    "«{label}»: «{typed}» adında ya da kimliğinde bir kişi yok (kimliğini, ör. mehmet.demir, ya da adını soyadını yazın)"
                )
            })
        }
        (None, Some(unit)) => {
            let (label, name) = (intake::REQUESTER.label, unit.fields.str_at("name").unwrap_or(unit.id()));
            let found = scaffold::requester(index, unit).ok().and_then(|id| index.person(&id));
            told(found, &mut problems, || {
                msg!(
                    "«{label}» is empty, and {name} has no head nor exactly one unit official to file it for: give the person",
                    "«{label}» boş ve {name} biriminin yöneticisi ya da tek bir birim yetkilisi yok: talep eden kişiyi yazın"
                )
            })
        }
        (None, None) => None,
    };
    if let Some(person) = requester
        && index.is_active(person.id()) == Some(false)
    {
        let (label, name) = (intake::REQUESTER.label, person.fields.str_at("name").unwrap_or(person.id()));
        problems.push(msg!(
            "«{label}»: {name} has left (`active: false`) and cannot file a request",
            "«{label}»: {name} ayrılmış (`active: false`); talep yapamaz"
        ));
    }
    let number = answer(intake::LETTER_NUMBER.id).filter(|v| !v.trim().is_empty());
    let typed_date = answer(intake::LETTER_DATE.id).filter(|v| !v.trim().is_empty());
    let date = typed_date.as_deref().and_then(|typed| {
        let date = intake::parse_date(typed);
        if date.is_none() {
            let label = intake::LETTER_DATE.label;
            problems.push(msg!(
                "«{label}»: «{typed}» is not a date (write it as dd.mm.yyyy, such as 02.03.2026)",
                "«{label}»: «{typed}» bir tarih değil (gg.aa.yyyy biçiminde yazın, ör. 02.03.2026)"
            ));
        }
        date
    });
    if number.is_some() != typed_date.is_some() {
        let (n, d) = (intake::LETTER_NUMBER.label, intake::LETTER_DATE.label);
        problems.push(msg!(
            "«{n}» and «{d}» go together: give both for a request that came with an official letter, or neither",
            "«{n}» ve «{d}» birlikte verilir: talep resmi yazıyla geldiyse ikisini de yazın, gelmediyse ikisini de boş bırakın"
        ));
    }
    let (Some(unit), Some(kind), Some(description), Some(requester), true) =
        (unit, kind, description, requester, problems.is_empty())
    else {
        return Err(problems);
    };
    let letter = number.is_some() && date.is_some();
    let request = NewRequest {
        common: NewCommon { as_of: issue.opened, by: None, set: Vec::new() },
        title: Some(issue.title.clone()),
        kind: Some(kind),
        unit: Some(unit.id().to_string()),
        requester: Some(requester.id().to_string()),
        source: if letter { "official_letter" } else { "issue_form" }.to_string(),
        letter_number: number.filter(|_| letter).map(|n| n.trim().to_string()),
        letter_date: date.filter(|_| letter).map(|d| d.to_string()),
        priority: "normal".into(),
        service: None,
        due: None,
        system: None,
        project: None,
        note: Some(format!("Başvuru formuyla alındı (#{})", issue.number)),
        description: Some(format!("{}\n", description.trim_end())),
    };
    Ok((request, requester))
}

//! `defter step ID… [ACTION]`: without an action, what may be done next to a record and
//! what each step needs; with one, the step taken on every record named, checked with
//! every rule and written all or nothing (then committed with `--commit`). On a terminal,
//! without an action and without `--yes`, it asks: which step, then each field the step
//! needs (with its Turkish description and allowed values); the answers take the same
//! path as flags would.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::Ui;
use crate::cli::StepArgs;
use crate::diag::{self, Lang, Message};
use crate::git;
use crate::load;
use crate::model::{Index, Node};
use crate::repo::Repo;
use crate::step::{self, Inputs, Offer, What};

pub(super) fn run(root: &Path, args: &StepArgs, ui: Ui) -> Result<ExitCode> {
    let repo = Repo::open(root)?;
    let mut loaded = load::load_dir(root)?;
    let index = Index::new(&loaded.records);
    // The ids come first; a last word that names no record is the action.
    let (ids, action) = match args.words.split_last() {
        Some((last, rest)) if !rest.is_empty() && index.get(last).is_none() => (rest.to_vec(), Some(last.clone())),
        _ => (args.words.clone(), None),
    };
    let mut answers = Inputs::default();
    let action = match action {
        Some(action) => action,
        None => {
            let [id] = ids.as_slice() else {
                bail!(crate::diag::msg!(
                    "name one record to see its next steps, or add an action",
                    "sonraki adımlarını görmek için tek bir kayıt adı verin ya da bir işlem ekleyin"
                ))
            };
            let (record, person, offers) =
                match step::next(root, &repo, &loaded.records, &index, id, args.by.as_deref()) {
                    Ok(next) => next,
                    Err(why) => return refuse(&[why], ui),
                };
            if args.yes || !interactive() {
                list(&repo, record, id, person, offers, ui);
                return Ok(ExitCode::SUCCESS);
            }
            match guide(id, &offers, &mut answers, ui)? {
                Some(action) => action,
                None => return Ok(ExitCode::SUCCESS),
            }
        }
    };
    drop(index);
    if args.commit {
        let staged = git::staged(root)?;
        if !staged.is_empty() {
            return refuse(
                &[crate::diag::Message::new(
                    format!("--commit: other changes are staged ({}); commit or unstage them first", staged.join(", ")),
                    format!(
                        "--commit: hazırlanmış başka değişiklikler var ({}); önce onları işleyin ya da geri alın",
                        staged.join(", ")
                    ),
                )],
                ui,
            );
        }
    }
    let given = [
        ("to", &args.to),
        ("tested-by", &args.tested_by),
        ("letter-number", &args.letter_number),
        ("letter-date", &args.letter_date),
        ("summary", &args.summary),
        ("reason", &args.reason),
        ("result", &args.result),
        ("item", &args.item),
    ];
    let inputs = Inputs {
        as_of: Some(args.as_of),
        by: args.by.clone(),
        note: args.note.clone(),
        flags: given.iter().filter_map(|(f, v)| v.as_ref().map(|v| (*f, v.clone()))).chain(answers.flags).collect(),
        set: args.set.iter().cloned().chain(answers.set).collect(),
    };
    let planned = match step::plan(root, &repo, &mut loaded, &ids, &action, &inputs)? {
        Ok(planned) => planned,
        Err(refused) => {
            if let Some(findings) = &refused.findings {
                print!("{}", diag::render_human(findings, &loaded, super::use_color(), ui.lang));
            }
            return refuse(&refused.why, ui);
        }
    };
    if let Some(branch) = &args.branch {
        git::new_branch(root, branch)?;
    }
    if let Err(why) = step::write::all_or_nothing(root, &planned.edits) {
        return refuse(&[why], ui);
    }
    for line in &planned.lines {
        println!("{}", diag::human::printable(line));
    }
    for note in &planned.notes {
        eprintln!("{}: {}", ui.t("note", "not"), ui.say(note));
    }
    if args.commit {
        let paths: Vec<&str> = planned.edits.iter().map(|e| e.path.as_str()).collect();
        let author = args.by.as_ref().and_then(|_| {
            let person = loaded.records.iter().find(|r| r.id() == planned.by)?;
            let name = person.fields.str_at("name")?;
            let email = person.fields.path("git_emails[]").into_iter().find_map(Node::as_str)?;
            Some(format!("{name} <{email}>"))
        });
        let commit = git::commit_paths(root, &paths, &planned.lines.join("; "), author.as_deref())?;
        ui.note(&format!("{} {commit}", ui.t("committed", "commit edildi:")));
    }
    Ok(ExitCode::SUCCESS)
}

fn refuse(why: &[Message], ui: Ui) -> Result<ExitCode> {
    for message in why {
        eprintln!("{}: {}", ui.t("error", "hata"), ui.say(message));
    }
    Ok(ExitCode::from(1))
}

/// Whether a person is at the keyboard: prompts read the terminal and draw on stderr.
fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// What may be done next to the record, each step with what it needs and the command.
fn list(repo: &Repo, record: &crate::model::Record, id: &str, person: Option<String>, offers: Vec<Offer>, ui: Ui) {
    let code = record.fields.str_at(repo.rules.workflows.state_field(record.kind.name())).unwrap_or("—");
    let state = diag::human::printable(&state_label(repo, record, code, ui));
    let you = person.map(|p| format!(" ({}: {p})", ui.t("you", "siz"))).unwrap_or_default();
    match ui.lang {
        Lang::En => println!("{id} is `{state}`{you}. Next steps:"),
        Lang::Tr => println!("{id}: {state}{you}. Sonraki adımlar:"),
    }
    if offers.is_empty() {
        match ui.lang {
            Lang::En => println!("  none: `{state}` is final"),
            Lang::Tr => println!("  yok: {state} son durum"),
        }
    }
    for offer in offers {
        let name = offer.action.name.replace('_', "-");
        let who = if offer.may {
            ui.t("you may", "siz atabilirsiniz").to_string()
        } else {
            format!("{}: {}", ui.t("who may", "atabilecekler"), offer.who.join(", "))
        };
        println!("  {} — {who}", summary(repo, record, &offer, ui));
        for need in &offer.needs {
            println!("      {} {}  {}", ui.t("needs", "gerekli:"), need.flag_text(), need.text);
        }
        for first in &offer.first {
            println!("      {} {first}", ui.t("first:", "önce:"));
        }
        let flags: String = offer.needs.iter().map(|n| format!(" {}", n.flag_text())).collect();
        println!("      defter step {id} {name}{flags}");
    }
}

/// A state as the user reads it: its Turkish label in Turkish (`İşlemde`), its code in
/// English.
fn state_label(repo: &Repo, record: &crate::model::Record, code: &str, ui: Ui) -> String {
    match ui.lang {
        Lang::En => code.to_string(),
        Lang::Tr => step::state_label(&repo.rules, record.kind, code).unwrap_or_else(|| code.to_string()),
    }
}

/// `assign (ata) → assigned`; in Turkish `ata → Atandı`.
fn summary(repo: &Repo, record: &crate::model::Record, offer: &Offer, ui: Ui) -> String {
    let name = offer.action.name.replace('_', "-");
    let (name, tr) = match (ui.lang, offer.turkish) {
        (Lang::Tr, Some(t)) => (t.to_string(), String::new()),
        (_, t) => (name, t.map(|t| format!(" ({t})")).unwrap_or_default()),
    };
    let to = match (&offer.action.what, ui.lang) {
        (What::Transition { to }, _) => format!(" → {}", state_label(repo, record, to, ui)),
        (What::Append { list, .. }, Lang::En) => format!(" (a new `{list}` entry)"),
        (What::Append { list, .. }, Lang::Tr) => format!(" (yeni bir `{list}` girdisi)"),
        (What::Stamp { field }, Lang::En) => format!(" (`{field}` today)"),
        (What::Stamp { field }, Lang::Tr) => format!(" (`{field}` bugün)"),
    };
    format!("{name}{tr}{to}")
}

/// The guided mode: asks for a step and for each field it needs, into `answers`; the
/// step's name, or none when there is nothing to do or the user stepped back (Esc).
fn guide(id: &str, offers: &[Offer], answers: &mut Inputs, ui: Ui) -> Result<Option<String>> {
    use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
    use dialoguer::{Input, Select};

    if offers.is_empty() {
        eprintln!("{id}: {}", ui.t("no next step (the state is final)", "sonraki adım yok (son durumda)"));
        return Ok(None);
    }
    let colorful = ColorfulTheme::default();
    let theme: &dyn Theme =
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) { &SimpleTheme } else { &colorful };
    let items: Vec<String> = offers
        .iter()
        .map(|o| {
            let who = if o.may {
                ui.t("you may", "siz atabilirsiniz").to_string()
            } else {
                format!("{}: {}", ui.t("who may", "atabilecekler"), o.who.join(", "))
            };
            format!("{} — {who}", guide_summary(o, ui))
        })
        .collect();
    let first = offers.iter().position(|o| o.may).unwrap_or(0);
    let Some(chosen) = Select::with_theme(theme)
        .with_prompt(format!("{id}: {}", ui.t("which step? (Esc: cancel)", "hangi adım? (Esc: vazgeç)")))
        .items(&items)
        .default(first)
        .interact_opt()?
    else {
        return Ok(None);
    };
    let offer = &offers[chosen];
    for first in &offer.first {
        eprintln!("{} {first}", ui.t("first:", "önce:"));
    }
    let mut command = format!("defter step {id} {}", offer.action.name.replace('_', "-"));
    for need in &offer.needs {
        let value =
            if need.values.is_empty() {
                Input::<String>::with_theme(theme)
                    .with_prompt(&need.text)
                    .validate_with(|v: &String| {
                        if v.trim().is_empty() { Err(ui.t("may not be empty", "boş olamaz")) } else { Ok(()) }
                    })
                    .interact_text()?
                    .trim()
                    .to_string()
            } else {
                let Some(i) =
                    Select::with_theme(theme).with_prompt(&need.text).items(&need.values).default(0).interact_opt()?
                else {
                    return Ok(None);
                };
                need.values[i].clone()
            };
        need.give(&value, answers);
        let shown = crate::scaffold::yaml_scalar(&value);
        match need.flag {
            Some(f) => command.push_str(&format!(" --{f} {}", shell_word(&value))),
            None => command.push_str(&format!(" --set {}", shell_word(&format!("{}={shown}", need.field)))),
        }
    }
    eprintln!("{command}");
    Ok(Some(offer.action.name.clone()))
}

/// A step in the guided mode's list (no repository lookups: the prompt is drawn once).
fn guide_summary(offer: &Offer, ui: Ui) -> String {
    let name = offer.action.name.replace('_', "-");
    let tr = offer.turkish.map(|t| format!(" ({t})")).unwrap_or_default();
    let to = match (&offer.action.what, ui.lang) {
        (What::Transition { to }, _) => format!(" → {to}"),
        (What::Append { list, .. }, Lang::En) => format!(" (a new `{list}` entry)"),
        (What::Append { list, .. }, Lang::Tr) => format!(" (yeni bir `{list}` girdisi)"),
        (What::Stamp { field }, Lang::En) => format!(" (`{field}` today)"),
        (What::Stamp { field }, Lang::Tr) => format!(" (`{field}` bugün)"),
    };
    format!("{name}{tr}{to}")
}

/// A word as a shell reads it back: bare when it is safe, else in single quotes.
fn shell_word(word: &str) -> String {
    let safe = |c: char| c.is_alphanumeric() || "-_.,:/=@+".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

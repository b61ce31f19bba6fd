//! `defter step ID… [ACTION]`: without an action, what may be done next to a record and
//! what each step needs; with one, the step taken on every record named, checked with
//! every rule and written all or nothing (then committed with `--commit`).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::Ui;
use crate::cli::StepArgs;
use crate::diag::{self, Message};
use crate::git;
use crate::load;
use crate::model::{Index, Node};
use crate::repo::Repo;
use crate::step::{self, Inputs, What};

pub(super) fn run(root: &Path, args: &StepArgs, ui: Ui) -> Result<ExitCode> {
    let repo = Repo::open(root)?;
    let mut loaded = load::load_dir(root)?;
    let index = Index::new(&loaded.records);
    // The ids come first; a last word that names no record is the action.
    let (ids, action) = match args.words.split_last() {
        Some((last, rest)) if !rest.is_empty() && index.get(last).is_none() => (rest.to_vec(), Some(last.clone())),
        _ => (args.words.clone(), None),
    };
    let Some(action) = action else {
        let [id] = ids.as_slice() else { bail!("name one record to see its next steps, or add an action") };
        return match step::next(root, &repo, &loaded.records, &index, id, args.by.as_deref()) {
            Ok((record, person, offers)) => {
                let state = record.fields.str_at(repo.rules.workflows.state_field(record.kind.name())).unwrap_or("—");
                let you = person.map(|p| format!(" (you: {p})")).unwrap_or_default();
                println!("{id} is `{state}`{you}. Next steps:");
                if offers.is_empty() {
                    println!("  none: `{state}` is final");
                }
                for offer in offers {
                    let name = offer.action.name.replace('_', "-");
                    let tr = offer.turkish.map(|t| format!(" ({t})")).unwrap_or_default();
                    let to = match &offer.action.what {
                        What::Transition { to } => format!(" → {to}"),
                        What::Append { list, .. } => format!(" (a new `{list}` entry)"),
                        What::Stamp { field } => format!(" (`{field}` today)"),
                    };
                    let who =
                        if offer.may { "you may".to_string() } else { format!("who may: {}", offer.who.join(", ")) };
                    println!("  {name}{tr}{to} — {who}");
                    for (flag, what) in &offer.needs {
                        println!("      needs {flag}  {what}");
                    }
                    for first in &offer.first {
                        println!("      first: {first}");
                    }
                    let flags: String = offer.needs.iter().map(|(f, _)| format!(" {f}")).collect();
                    println!("      defter step {id} {name}{flags}");
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(why) => refuse(&[why]),
        };
    };
    drop(index);
    if args.commit {
        let staged = git::staged(root)?;
        if !staged.is_empty() {
            return refuse(&[crate::diag::Message::new(
                format!("--commit: other changes are staged ({}); commit or unstage them first", staged.join(", ")),
                format!(
                    "--commit: hazırlanmış başka değişiklikler var ({}); önce onları işleyin ya da geri alın",
                    staged.join(", ")
                ),
            )]);
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
    ];
    let inputs = Inputs {
        as_of: Some(args.as_of),
        by: args.by.clone(),
        note: args.note.clone(),
        flags: given.iter().filter_map(|(f, v)| v.as_ref().map(|v| (*f, v.clone()))).collect(),
        set: args.set.clone(),
    };
    let planned = match step::plan(root, &repo, &mut loaded, &ids, &action, &inputs)? {
        Ok(planned) => planned,
        Err(refused) => {
            if let Some(findings) = &refused.findings {
                print!("{}", diag::render_human(findings, &loaded, super::use_color()));
            }
            return refuse(&refused.why);
        }
    };
    if let Some(branch) = &args.branch {
        git::new_branch(root, branch)?;
    }
    if let Err(why) = step::write::all_or_nothing(root, &planned.edits) {
        return refuse(&[why]);
    }
    for line in &planned.lines {
        println!("{line}");
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
        ui.note(&format!("committed {commit}"));
    }
    Ok(ExitCode::SUCCESS)
}

fn refuse(why: &[Message]) -> Result<ExitCode> {
    for message in why {
        eprintln!("error: {}", message.en);
    }
    Ok(ExitCode::from(1))
}

//! `defter log <ID>`: a record's timeline from git — date, who, what changed, commit.
//! Everything printed comes from records and commits, so it goes out as findings do:
//! secrets masked (a value of a secret field not shown at all) and control characters
//! shown as `\u{…}`, never sent to the terminal.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::Ui;
use crate::cli::LogArgs;
use crate::diag::human::printable;
use crate::diag::msg;
use crate::git::Git;
use crate::history::cache::audit_trail_cached;
use crate::history::{Action, Shown};
use crate::model::secret::{is_secret_field, mask_secrets};

/// Text from a record or commit, made safe to print.
fn safe(text: &str) -> String {
    printable(&mask_secrets(text))
}

fn short(value: Option<&Shown>) -> String {
    let text = match value {
        None => return "—".into(),
        Some(Shown::List(n)) => crate::diag::msg!("[{n} entries]", "[{n} girdi]").to_string(),
        Some(v) => v.to_string(),
    };
    if text.chars().count() > 60 { format!("{}…", text.chars().take(59).collect::<String>()) } else { text }
}

pub(super) fn run(root: &Path, args: &LogArgs, ui: Ui) -> Result<ExitCode> {
    let git = Git::open(root)?;
    let head = git.resolve(&args.rev)?;
    // The trail `build` keeps (and extends) in .git/defter, computed there if need be.
    let trail = audit_trail_cached(&git, head)?;
    let entries = trail.of(&args.id);
    if entries.is_empty() {
        let (rev, id) = (&args.rev, &args.id);
        bail!(msg!(
            "no commit up to {rev} touched a record with id `{id}`",
            "{rev} sürümüne kadar hiçbir commit `{id}` kimlikli bir kayda dokunmamış"
        ));
    }
    for entry in entries.iter().rev() {
        let commit = &trail.commits[entry.commit];
        let when = jiff::Timestamp::from_second(commit.time)?
            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::Offset::from_seconds(commit.offset)?));
        let path = &entry.path;
        let action = match &entry.action {
            Action::Added => msg!("created {path}", "oluşturuldu: {path}"),
            Action::Modified => msg!("changed", "değişti"),
            Action::Deleted => msg!("deleted {path}", "silindi: {path}"),
            Action::Moved { from } => msg!("moved {from} → {path}", "taşındı: {from} → {path}"),
        };
        let action = ui.say(&action);
        println!(
            "{}  {} <{}>  {}  {}",
            when.strftime("%d.%m.%Y %H:%M"),
            safe(&commit.author_name),
            safe(&commit.author_email),
            commit.short(),
            safe(&commit.summary)
        );
        println!("    {}", safe(action));
        if entry.action != Action::Added {
            for change in &entry.fields {
                let (old, new) = if is_secret_field(&change.field) {
                    ("[…]".to_string(), "[…]".to_string())
                } else {
                    (short(change.old.as_ref()), short(change.new.as_ref()))
                };
                match change.list.as_deref() {
                    // A list: the entries added or altered, not `[1] → [2]`.
                    Some(list) => {
                        for item in &list.entries {
                            let members: Vec<String> = item
                                .members
                                .iter()
                                .map(|(key, value)| {
                                    if is_secret_field(key) || is_secret_field(&change.field) {
                                        "[…]".to_string()
                                    } else {
                                        short(Some(value))
                                    }
                                })
                                .collect();
                            let verb = if item.added { "added" } else { "changed" };
                            println!("    {}: {verb} {}", safe(&change.field), safe(&members.join(" · ")));
                        }
                        if list.more > 0 {
                            println!("    {}: {} more entries added or changed", safe(&change.field), list.more);
                        }
                        if list.removed > 0 {
                            println!("    {}: {} entries removed", safe(&change.field), list.removed);
                        }
                    }
                    None => println!("    {}: {} → {}", safe(&change.field), safe(&old), safe(&new)),
                }
            }
        }
        if entry.body_changed && entry.action == Action::Modified {
            println!("    {}", ui.t("text changed", "metin değişti"));
        }
    }
    Ok(ExitCode::SUCCESS)
}

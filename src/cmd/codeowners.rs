//! `defter codeowners [--check | --stdout]`: CODEOWNERS from the organisation data.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::Ui;
use crate::cli::CodeownersArgs;
use crate::diag::human::printable;
use crate::diag::msg;
use crate::load;
use crate::validate::codeowners;

/// Where a repository without one gets its CODEOWNERS (read by GitHub and Gitea alike).
const DEFAULT_PATH: &str = "CODEOWNERS";

pub(super) fn run(root: &Path, args: &CodeownersArgs, ui: Ui) -> Result<ExitCode> {
    let records = load::load_dir(root)?;
    let text = codeowners::render(&records.records);
    if args.stdout {
        print!("{text}");
        return Ok(ExitCode::SUCCESS);
    }
    let path = records.codeowners.as_ref().map_or(DEFAULT_PATH, |(p, _)| p.as_str());
    if args.check {
        if records.codeowners.is_none() {
            println!(
                "{}",
                ui.t(
                    "no CODEOWNERS file; `defter codeowners` writes one",
                    "CODEOWNERS dosyası yok; `defter codeowners` bir tane yazar"
                )
            );
            return Ok(ExitCode::from(1));
        }
        let mut findings = Vec::new();
        codeowners::check(&records, &mut findings);
        for d in &findings {
            let line = d.pos.map(|p| format!(":{}", p.line)).unwrap_or_default();
            println!("{}{line}: {}", printable(&d.path), printable(ui.say(&d.message)));
        }
        if !findings.is_empty() {
            ui.note(ui.t(
                "help: run `defter codeowners` and commit the file it writes",
                "yardım: `defter codeowners` çalıştırın ve yazdığı dosyayı commit edin",
            ));
            return Ok(ExitCode::from(1));
        }
        ui.note(ui.say(&msg!("{path} is up to date", "{path} güncel")));
        return Ok(ExitCode::SUCCESS);
    }
    let target = root.join(path);
    let shown = target.display();
    std::fs::write(&target, &text).with_context(|| msg!("cannot write {shown}", "{shown} yazılamıyor"))?;
    println!("{path}");
    Ok(ExitCode::SUCCESS)
}

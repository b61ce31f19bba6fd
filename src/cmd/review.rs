//! `defter review start --scope SCOPE [--due DATE]`: opens an access review campaign —
//! the record `step::campaign::start` makes — checked with the rest of the repository
//! before it is written, never over another file. Its items are then decided with
//! `defter step EGK-… decide`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use super::Ui;
use crate::cli::{ReviewArgs, ReviewCommand};
use crate::diag::{self, Lang, msg};
use crate::load;
use crate::model::date::show_date;
use crate::repo::Repo;
use crate::step::campaign;

pub(super) fn run(root: &Path, args: &ReviewArgs, ui: Ui) -> Result<ExitCode> {
    let ReviewCommand::Start(a) = &args.command;
    let repo = Repo::open(root)?;
    let mut loaded = load::load_dir(root)?;
    let started =
        match campaign::start(root, &repo, &loaded, &a.scope, a.due, a.title.as_deref(), a.as_of, a.by.as_deref()) {
            Ok(s) => s,
            Err(why) => {
                eprintln!("{}: {}", ui.t("error", "hata"), ui.say(&why));
                return Ok(ExitCode::from(1));
            }
        };
    let errors = repo.check_added(&mut loaded, &started.path, &started.text, a.as_of)?;
    if errors.errors() > 0 {
        print!("{}", diag::render_human(&errors, &loaded, super::use_color(), ui.lang));
        let said = msg!(
            "error: the campaign would not be valid, so nothing was written",
            "hata: kampanya kaydı geçerli olmayacaktı, bu yüzden hiçbir şey yazılmadı"
        );
        eprintln!("{}", ui.say(&said));
        return Ok(ExitCode::from(1));
    }
    super::new::write_new(&root.join(&started.path), &started.text)?;
    println!("{}", started.path);
    let (id, n, new, changed, removed) = (&started.id, started.items, started.new, started.changed, started.removed);
    let since = match (&started.previous, ui.lang) {
        (Some(p), Lang::En) => format!("since {p}: {new} new, {changed} changed, {removed} removed"),
        (Some(p), Lang::Tr) => {
            format!("{p} kampanyasından bu yana: {new} yeni, {changed} değişen, {removed} kaldırılan")
        }
        (None, Lang::En) => "the scope's first campaign".to_string(),
        (None, Lang::Tr) => "kapsamın ilk kampanyası".to_string(),
    };
    let due = a
        .due
        .map_or_else(|| show_date(a.as_of.saturating_add(jiff::Span::new().days(campaign::DEFAULT_DAYS))), show_date);
    ui.note(&match ui.lang {
        Lang::En => format!("{id}: {n} items to decide by {due} ({since}); each reviewer: `defter step {id} decide --item ITEM --result keep|revoke|change`"),
        Lang::Tr => format!("{id}: {due} tarihine kadar karar verilecek {n} kalem ({since}); her gözden geçiren: `defter step {id} karar-ver --item KALEM --result sürdür|kaldır|değiştir`"),
    });
    Ok(ExitCode::SUCCESS)
}

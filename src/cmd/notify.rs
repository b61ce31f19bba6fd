//! `defter notify`: load and check the records, work out each person's agenda
//! ([`crate::notify`]), and send one digest to each person with something new — or,
//! with `--dry-run`, print them. What the server accepted is remembered at once; what
//! failed is not, and is tried again on the next run.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::Ui;
use crate::cli::NotifyArgs;
use crate::config::Notify;
use crate::diag::msg;
use crate::model::{Index, Kind};
use crate::notify::{self, Digest, Links, Mailer, Sent};
use crate::repo::Repo;

pub(super) fn run(root: &Path, args: &NotifyArgs, ui: Ui) -> Result<ExitCode> {
    let bar = ui.progress();
    let (repo, records, checked) = Repo::open_checked(root, args.as_of, &bar, crate::load::Texts::Read)?;
    bar.finish();
    let (config, as_of) = (&repo.config, args.as_of);
    let index = Index::with(&checked.ids, &records.records);
    if let Some(to) = &args.to
        && index.person(to).is_none()
    {
        let near = index.closest(to, |r| r.kind == Kind::Person);
        let (near_en, near_tr) = match near {
            Some(n) => (format!("; did you mean `{n}`?"), format!("; `{n}` mi demek istediniz?")),
            None => Default::default(),
        };
        bail!(msg!(
            "--to {to}: no such person in records/org/people/{near_en}",
            "--to {to}: records/org/people/ altında böyle bir kişi yok{near_tr}"
        ));
    }
    let links = Links::new(&config.site.base_url, &records.records);
    // Everything that could stop the run is settled before the first message goes.
    let mailer = if args.dry_run {
        None
    } else {
        if !links.absolute() {
            let base = &config.site.base_url;
            bail!(msg!(
                "[site] base_url in defter.toml is `{base}`, which leads nowhere from an e-mail: set it to the site's address (`https://intranet.example/yazilim/`); nothing was sent",
                "defter.toml'daki [site] base_url `{base}`; bu, e-postadan bir yere götürmez: sitenin adresini yazın (`https://intranet.ornek/yazilim/`); hiçbir şey gönderilmedi"
            ));
        }
        Some(Mailer::new(&config.notify, root, std::env::var(Notify::PASSWORD_VAR).ok())?)
    };
    let path = notify::state_path(root, config);
    let mut sent = match (&path, args.dry_run) {
        (Ok(path), _) => Sent::load(path)?,
        // A dry run outside git only shows: as if nothing had been sent.
        (Err(_), true) => Sent::empty(),
        (Err(e), false) => bail!("{e:#}"),
    };
    let input = notify::Input::new(&records.records, &index, &repo.rules, config, &checked.findings.diagnostics, as_of);
    let agenda = notify::agenda(&input);
    let people: Vec<&str> = match &args.to {
        Some(to) => vec![to.as_str()],
        None => agenda.keys().map(String::as_str).collect(),
    };
    let remind = config.notify.remind_days;
    let (mut done, mut quiet, mut skipped, mut failed) = (0usize, 0usize, Vec::new(), Vec::new());
    for person in people {
        let items = agenda.get(person).map_or(&[][..], Vec::as_slice);
        let new: Vec<bool> = items.iter().map(|i| sent.is_new(person, i, as_of, remind)).collect();
        if !new.contains(&true) {
            quiet += 1;
            continue;
        }
        let record = index.person(person);
        let name = record.and_then(|r| r.fields.str_at("name")).unwrap_or(person);
        let Some(address) = record.and_then(|r| r.fields.str_at("email")).filter(|a| !a.trim().is_empty()) else {
            skipped.push(format!("{name} ({person})"));
            continue;
        };
        let digest =
            notify::compose((person, name, address), items, &new, &links, (&config.site.title, ui.lang, as_of));
        let Some(mailer) = &mailer else {
            print!("{}", show(&digest, ui));
            done += 1;
            continue;
        };
        match mailer.send(&digest) {
            Ok(_) => {
                sent.mark(person, items, as_of);
                if let Ok(path) = &path {
                    sent.save(path)?;
                }
                done += 1;
                ui.info(&format!("{name} <{address}>"));
            }
            Err(failure) => failed.push((format!("{name} <{address}>"), failure)),
        }
    }
    // What was not done is said even with --quiet.
    let tell = |message: crate::diag::Message| eprintln!("{}", ui.say(&message));
    for who in &skipped {
        tell(msg!(
            "skipped {who}: no e-mail address (add `email` to the person's record)",
            "{who} atlandı: e-posta adresi yok (kişinin kaydına `email` ekleyin)"
        ));
    }
    let n = skipped.len();
    ui.note(&if args.dry_run {
        ui.say(&msg!(
            "{done} digest(s) would be sent; {quiet} person(s) with nothing new; {n} without an e-mail address (dry run: nothing sent or remembered)",
            "{done} ileti gönderilecekti; {quiet} kişi için yeni bir şey yok; {n} kişinin e-posta adresi yok (deneme: hiçbir şey gönderilmedi, kaydedilmedi)"
        ))
        .to_string()
    } else {
        ui.say(&msg!(
            "{done} digest(s) sent; {quiet} person(s) with nothing new; {n} without an e-mail address",
            "{done} ileti gönderildi; {quiet} kişi için yeni bir şey yok; {n} kişinin e-posta adresi yok"
        ))
        .to_string()
    });
    if !failed.is_empty() {
        for (who, failure) in &failed {
            let (reason, tries) = (&failure.reason, failure.tries);
            let times = if tries == 1 { "1 try".to_string() } else { format!("{tries} tries") };
            tell(if tries == 0 {
                // Never offered to the server: the message itself could not be made.
                msg!(
                    "not sent to {who}: {reason_en}",
                    "{who} adresine gönderilemedi: {reason_tr}",
                    reason_en = &reason.en,
                    reason_tr = &reason.tr
                )
            } else {
                msg!(
                    "not sent to {who} after {times}: {reason_en}",
                    "{who} adresine {tries} denemede gönderilemedi: {reason_tr}",
                    reason_en = &reason.en,
                    reason_tr = &reason.tr
                )
            });
        }
        let n = failed.len();
        bail!(msg!(
            "{n} digest(s) could not be sent and are not remembered as sent: the next run tries them again",
            "{n} ileti gönderilemedi ve gönderilmiş sayılmadı: bir sonraki çalıştırma yeniden dener"
        ));
    }
    super::keep_until_exit((records, checked));
    Ok(ExitCode::SUCCESS)
}

/// A digest as `--dry-run` prints it: the headers a reader sees and the plain-text part
/// (the HTML part says the same, with links).
fn show(digest: &Digest, ui: Ui) -> String {
    let rule = "=".repeat(72);
    let (to, subject) = (ui.t("To", "Kime"), ui.t("Subject", "Konu"));
    format!("{rule}\n{to}: {} <{}>\n{subject}: {}\n\n{}", digest.name, digest.address, digest.subject, digest.text)
}

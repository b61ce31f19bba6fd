//! `defter build`: validate, read the history, render the site, write it atomically;
//! with `--at`, from a past commit checked out into a temporary folder ([`past`]).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use jiff::civil::Date;

use super::Ui;
use crate::access;
use crate::cli::{BuildArgs, today};
use crate::diag::{Diagnostic, Severity, human, msg};
use crate::git::Git;
use crate::model::date::show_date;
use crate::site::{self, Settings, build};

pub(super) fn run(root: &Path, args: &BuildArgs, ui: Ui) -> Result<ExitCode> {
    let out = if args.out.is_absolute() { args.out.clone() } else { std::env::current_dir()?.join(&args.out) };
    site::check_out_dir(&out, root)?;
    let past = args.at.as_deref().map(|at| past(root, at, ui)).transpose()?;
    let (root, as_of) = match &past {
        Some(p) => (p.root.as_path(), args.as_of.unwrap_or(p.day)),
        None => (root, args.as_of.unwrap_or_else(today)),
    };
    let bar = ui.progress();
    let settings = Settings { as_of, base_url: args.base_url.clone(), live_reload: false, public: args.public };
    let (built, made) = build(root, &out, &settings, &bar)?;
    bar.finish();
    // The errors the site shows are printed too, where the user looks; warnings are
    // counted (`defter validate` lists them).
    let errors = |d: &Diagnostic| d.severity == Severity::Error;
    let report = &made.report;
    if report.errors() > 0 && !ui.quiet {
        let text = human::render_some(report, made.redacted.records(), super::use_color_on_stderr(), ui.lang, errors);
        eprint!("{}", text.strip_suffix(&format!("{}\n", report.summary_in(ui.lang))).unwrap_or(&text));
    }
    let summary = report.summary_in(ui.lang);
    super::keep_until_exit(made);
    if let Some(why) = &built.full {
        ui.info(&format!("{} {why}", ui.t("full build:", "tam derleme:")));
    }
    // A rebuild renders only what changed and writes only the files whose bytes did.
    let (files, rendered, written, out) = (built.files, built.rendered, built.written, out.display());
    let said = msg!(
        "{files} files in {out} ({rendered} rendered, {written} written; {summary})",
        "{out} içinde {files} dosya ({rendered} oluşturuldu, {written} yazıldı; {summary})"
    );
    eprintln!("{}", ui.say(&said));
    Ok(ExitCode::SUCCESS)
}

/// A past commit checked out into a temporary folder (removed when dropped), to build or
/// serve the site as it was.
pub(super) struct Past {
    dir: PathBuf,
    /// The records repository's root in the checkout.
    pub root: PathBuf,
    /// The commit's day (the site's default "today").
    pub day: Date,
}

impl Drop for Past {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `--at REV|DATE`: a day (`YYYY-MM-DD`: the last commit on the first-parent line by its
/// end) or a revision, checked out into a temporary folder; refused with a clear message
/// (a day in the future or before the first commit, an unknown revision, a shallow clone
/// lacking the day) before anything is written.
pub(super) fn past(root: &Path, at: &str, ui: Ui) -> Result<Past> {
    let git = Git::open(root)?;
    let commit = match at.parse::<Date>() {
        Ok(day) if at.len() == 10 => {
            let head = git.resolve("HEAD")?;
            let commits = git.commits(head, None)?;
            let index_of = commits.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
            let i = access::on_day(&commits, &index_of, head, day, today())?;
            commits[i].id
        }
        _ => git.resolve(at)?,
    };
    let short = commit.to_hex_with_len(8).to_string();
    let dir = std::env::temp_dir().join(format!("defter-at-{short}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let day = access::commit_date(&git.commit(commit)?);
    // Made before the checkout, so a checkout that fails half-way is removed too.
    let mut past = Past { dir: dir.clone(), root: dir.clone(), day };
    past.root = git.checkout_into(commit, &dir)?;
    // The checkout goes when the run ends: at 100,000 records the caches a load, the
    // checks and the history would write into it are some 160 MB, never read again.
    crate::git::caches_off_for_this_run();
    // The repository's own site key (made now if it has none yet), so that the past site
    // is keyed as this repository's sites are and two builds at one commit are the same
    // bytes; a key of the temporary checkout's own would be new each time.
    let key = git.cache_file("site-key");
    crate::site::Salt::kept(&key)?;
    let copy = Git::open(&past.root)?.cache_file("site-key");
    std::fs::create_dir_all(copy.parent().expect("a file in .git/defter"))?;
    std::fs::copy(&key, &copy)?;
    ui.note(&match ui.lang {
        crate::diag::Lang::Tr => format!("{short} commit'indeki hâliyle ({})", show_date(past.day)),
        crate::diag::Lang::En => format!("as at commit {short} ({})", past.day),
    });
    Ok(past)
}

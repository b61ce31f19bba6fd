//! `defter build`: validate, read the history, render the site, write it atomically.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use jiff::civil::Date;

use super::Ui;
use crate::cli::BuildArgs;
use crate::config::Config;
use crate::diag::Report;
use crate::git::Git;
use crate::history::cache::audit_trail_cached;
use crate::load::{self, Progress, rules::Ruleset};
use crate::site::{self, Input, Templates};
use crate::validate::Schemas;

pub fn run(root: &Path, args: &BuildArgs, ui: Ui) -> Result<ExitCode> {
    let out = if args.out.is_absolute() { args.out.clone() } else { std::env::current_dir()?.join(&args.out) };
    site::check_out_dir(&out, root)?;
    let bar = ui.progress();
    let (built, report, shown) =
        build_site(root, &out, args.as_of, args.base_url.as_deref(), false, args.public, &bar)?;
    bar.finish();
    super::keep_until_exit(shown);
    if let Some(why) = &built.full {
        ui.info(&format!("full build: {why}"));
    }
    // A rebuild renders only what changed and writes only the files whose bytes did.
    eprintln!(
        "{} files in {} ({} rendered, {} written; {})",
        built.files,
        out.display(),
        built.rendered,
        built.written,
        report.summary_line()
    );
    Ok(ExitCode::SUCCESS)
}

/// Builds the site of the repository at `root` into `out`; returns the number of files
/// and the validation report shown on it.
pub fn build(
    root: &Path,
    out: &Path,
    as_of: Date,
    base_url: Option<&str>,
    live_reload: bool,
) -> Result<(usize, Report)> {
    build_site(root, out, as_of, base_url, live_reload, false, &load::Silent)
        .map(|(built, report, _)| (built.files, report))
}

/// [`build`]; `public` leaves personal data off the site (`--public`). Also gives back
/// what the site was made from, for a caller that exits to keep rather than free.
fn build_site(
    root: &Path,
    out: &Path,
    as_of: Date,
    base_url: Option<&str>,
    live_reload: bool,
    public: bool,
    progress: &dyn Progress,
) -> Result<(site::Built, Report, site::redact::Redacted)> {
    let config = Config::load(root)?;
    let rules = Ruleset::load(root)?;
    // The history is optional: a repository outside git still gets its site. It depends
    // on the commits alone, so it is read (or walked) on a thread of its own while the
    // records are loaded and checked: reading the kept trail is one core's work.
    let history = std::thread::spawn({
        let root = root.to_path_buf();
        move || {
            let git = Git::open(&root).ok()?;
            let trail = git.resolve("HEAD").and_then(|head| {
                let trail = audit_trail_cached(&git, head, &git.cache_file("history.json"))?;
                Ok((trail, head.to_hex_with_len(8).to_string()))
            });
            Some((git, trail.ok()))
        }
    });
    let records = load::load_dir_with(root, progress)?;
    let schemas = Schemas::compile(&rules)?;
    let diagnostics = crate::validate::check_all_with(&records, &rules, &schemas, &config, as_of, progress);
    let report = Report::new(diagnostics, records.records.len(), &config.overrides()?);
    progress.start("history", 0);
    let (git, history) = history.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)).unzip();
    let (trail, commit) = history.flatten().unzip();
    // The build state in the site is keyed with a secret kept in the git folder; where
    // there is none (outside git, or it cannot be written) every build is a full one.
    let salt =
        git.and_then(|git| site::Salt::kept(&git.cache_file("site-key")).ok()).unwrap_or_else(site::Salt::random);
    let mut base_url = base_url.map_or_else(|| config.site.base_url.clone(), str::to_string);
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let templates = Templates::load(root)?;
    // Validation is done: the records and the history are only for the site now, which
    // takes them over and redacts them in place rather than holding a copy of each.
    let public = site::hides_personal_data(public, &config);
    let shown = site::redact::Redacted::take(records, trail, report.clone(), public, salt);
    let input = Input {
        records: shown.records(),
        rules: &rules,
        schemas: &schemas,
        config: &config,
        report: shown.report(),
        trail: shown.trail(),
        as_of,
        commit,
        base_url,
        live_reload,
        public,
    };
    let built = site::build_redacted(&input, &shown, &templates, out, progress)?;
    Ok((built, report, shown))
}

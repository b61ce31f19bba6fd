//! `defter build`: validate, read the history, render the site, write it atomically.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use gix::ObjectId;
use jiff::civil::Date;

use super::Ui;
use crate::cli::BuildArgs;
use crate::config::Config;
use crate::diag::{Overrides, Report};
use crate::git::Git;
use crate::history::cache::audit_trail_cached;
use crate::load::{self, Progress, rules::Ruleset};
use crate::site::{self, Input, Templates};
use crate::validate::Schemas;

pub fn run(root: &Path, args: &BuildArgs, ui: Ui) -> Result<ExitCode> {
    let out = if args.out.is_absolute() { args.out.clone() } else { std::env::current_dir()?.join(&args.out) };
    site::check_out_dir(&out, root)?;
    let bar = ui.progress();
    let settings =
        Settings { as_of: args.as_of, base_url: args.base_url.clone(), live_reload: false, public: args.public };
    let (built, made) = build_site(root, &out, &settings, &bar)?;
    bar.finish();
    let summary = made.report.summary_line();
    super::keep_until_exit(made);
    if let Some(why) = &built.full {
        ui.info(&format!("full build: {why}"));
    }
    // A rebuild renders only what changed and writes only the files whose bytes did.
    eprintln!(
        "{} files in {} ({} rendered, {} written; {summary})",
        built.files,
        out.display(),
        built.rendered,
        built.written,
    );
    Ok(ExitCode::SUCCESS)
}

/// How a site is built: the same for every rebuild of one `defter serve`.
#[derive(Clone)]
pub struct Settings {
    pub as_of: Date,
    /// `--base-url`, else the configuration's.
    pub base_url: Option<String>,
    pub live_reload: bool,
    /// `--public`.
    pub public: bool,
}

/// Everything a site was built from, validated and redacted: what `defter serve` keeps
/// between rebuilds (see [`super::warm`]).
pub struct Made {
    pub config: Config,
    pub rules: Ruleset,
    pub schemas: Schemas,
    pub templates: Templates,
    /// The severities `defter.toml` sets.
    pub overrides: Overrides,
    /// The records, history and findings as the site shows them.
    pub shown: site::redact::Redacted,
    /// The findings before redaction (what the command reports).
    pub report: Report,
    /// The commit checked out (`HEAD`), when the repository is in git.
    pub head: Option<ObjectId>,
    pub base_url: String,
    pub as_of: Date,
    pub live_reload: bool,
}

impl Made {
    /// Renders the site into `out`: only what changed since the last build there, when
    /// its state allows (see [`site::build_redacted`]).
    pub fn render(&self, out: &Path, progress: &dyn Progress) -> Result<site::Built> {
        let input = Input {
            records: self.shown.records(),
            rules: &self.rules,
            schemas: &self.schemas,
            config: &self.config,
            report: self.shown.report(),
            trail: self.shown.trail(),
            as_of: self.as_of,
            commit: self.head.map(|head| head.to_hex_with_len(8).to_string()),
            base_url: self.base_url.clone(),
            live_reload: self.live_reload,
            public: self.shown.public(),
        };
        site::build_redacted(&input, &self.shown, &self.templates, out, progress)
    }
}

/// Loads, checks and redacts the repository at `root` and builds its site into `out`,
/// telling `progress` about each phase. Also gives back what the site was made from,
/// for a caller that rebuilds from it (`defter serve`) or exits to keep rather than
/// free it.
pub fn build_site(
    root: &Path,
    out: &Path,
    settings: &Settings,
    progress: &dyn Progress,
) -> Result<(site::Built, Made)> {
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
                Ok((trail, head))
            });
            Some((git, trail.ok()))
        }
    });
    let records = load::load_dir_with(root, progress)?;
    let schemas = Schemas::compile(&rules)?;
    let diagnostics = crate::validate::check_all_with(&records, &rules, &schemas, &config, settings.as_of, progress);
    let overrides = config.overrides()?;
    let report = Report::new(diagnostics, records.records.len(), &overrides);
    progress.start("history", 0);
    let (git, history) = history.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)).unzip();
    let (trail, head) = history.flatten().unzip();
    // The build state in the site is keyed with a secret kept in the git folder; where
    // there is none (outside git, or it cannot be written) every build is a full one.
    let salt =
        git.and_then(|git| site::Salt::kept(&git.cache_file("site-key")).ok()).unwrap_or_else(site::Salt::random);
    let mut base_url = settings.base_url.clone().unwrap_or_else(|| config.site.base_url.clone());
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let templates = Templates::load(root)?;
    // Validation is done: the records and the history are only for the site now, which
    // takes them over and redacts them in place rather than holding a copy of each.
    let public = site::hides_personal_data(settings.public, &config);
    let shown = site::redact::Redacted::take(records, trail, report.clone(), public, salt);
    let made = Made {
        config,
        rules,
        schemas,
        templates,
        overrides,
        shown,
        report,
        head,
        base_url,
        as_of: settings.as_of,
        live_reload: settings.live_reload,
    };
    let built = made.render(out, progress)?;
    Ok((built, made))
}

//! The pipeline of a build: the repository opened, loaded and checked through
//! [`crate::repo`], its history read beside the loading, its records and findings
//! redacted for showing, and the site rendered. [`Made`] is what a build was made from,
//! which `defter serve` keeps between rebuilds ([`super::warm`]).

use std::path::Path;

use anyhow::Result;
use gix::ObjectId;
use jiff::civil::Date;

use super::{Input, Templates};
use crate::config::Config;
use crate::diag::{Findings, Overrides};
use crate::git::Git;
use crate::history::cache::audit_trail_cached;
use crate::load::{self, Progress, rules::Ruleset};
use crate::model::IdTable;
use crate::repo::Repo;
use crate::validate::Schemas;

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
    pub redacted: super::redact::Redacted,
    /// Where each id is among the records: validation's, kept for the site.
    pub ids: IdTable,
    /// The findings before redaction (what the command reports).
    pub report: Findings,
    /// The commit checked out (`HEAD`), when the repository is in git.
    pub head: Option<ObjectId>,
    pub base_url: String,
    pub as_of: Date,
    pub live_reload: bool,
}

impl Made {
    /// Renders the site into `out`: only what changed since the last build there, when
    /// its state allows (see [`super::write`]).
    pub fn render(&self, out: &Path, progress: &dyn Progress) -> Result<super::Built> {
        super::write(&self.input(), &self.redacted, &self.templates, out, progress, None)
    }

    /// [`Made::render`], keeping the site's backlinks in `keep` for
    /// [`Made::render_parts_of`].
    pub(crate) fn render_keeping(
        &self,
        out: &Path,
        progress: &dyn Progress,
        keep: &mut super::data::KeptBacklinks,
    ) -> Result<super::Built> {
        super::write(&self.input(), &self.redacted, &self.templates, out, progress, Some(keep))
    }

    /// Renders the pages of the records at `paths` alone into the site at `out` (see
    /// [`super::write_parts_of`]): what `defter serve` shows of an edit before
    /// [`Made::render`] brings the rest of the site up to it. `backlinks` are those kept
    /// by the last [`Made::render_keeping`], before the records at `paths` changed.
    /// Gives back each file's path, its bytes' hash and whether it was replaced.
    pub(crate) fn render_parts_of(
        &self,
        out: &Path,
        paths: &[String],
        backlinks: &super::data::KeptBacklinks,
    ) -> Result<Vec<(String, u64, bool)>> {
        super::write_parts_of(&self.input(), &self.redacted, &self.templates, out, paths, backlinks)
    }

    fn input(&self) -> Input<'_> {
        Input {
            records: self.redacted.records(),
            rules: &self.rules,
            schemas: &self.schemas,
            config: &self.config,
            report: self.redacted.report(),
            trail: self.redacted.trail(),
            as_of: self.as_of,
            commit: self.head.map(|head| head.to_hex_with_len(8).to_string()),
            base_url: self.base_url.clone(),
            live_reload: self.live_reload,
            public: self.redacted.public(),
            ids: Some(&self.ids),
        }
    }
}

/// Loads, checks and redacts the repository at `root` and builds its site into `out`,
/// telling `progress` about each phase. Also gives back what the site was made from,
/// for a caller that rebuilds from it (`defter serve`) or exits to keep rather than
/// free it.
///
/// The files the cache of parsed records knows unchanged are not read unless a page
/// rendered again shows their text (a build after a merge renders a few hundred of
/// them): their digests are their blob ids and their trees ([`super::build::keys`]),
/// and their bodies are read, and redacted, when first shown.
pub fn build(root: &Path, out: &Path, settings: &Settings, progress: &dyn Progress) -> Result<(super::Built, Made)> {
    build_keeping(root, out, settings, progress, None, load::Texts::Later)
}

/// [`build`], keeping the site's backlinks in `keep` when given (`defter serve`: see
/// [`Made::render_parts_of`]), reading the files as `texts` says. `defter serve` reads
/// every file ([`load::Texts::Read`]): it keeps the records while the files change, and a
/// body read later could be one the watcher has not reported yet.
pub(crate) fn build_keeping(
    root: &Path,
    out: &Path,
    settings: &Settings,
    progress: &dyn Progress,
    keep: Option<&mut super::data::KeptBacklinks>,
    texts: load::Texts,
) -> Result<(super::Built, Made)> {
    let Repo { config, rules } = Repo::open(root)?;
    // The history is optional: a repository outside git still gets its site. It depends
    // on the commits alone, so it is read (or walked) on a thread of its own while the
    // records are loaded and checked: reading the kept trail is one core's work.
    let history = std::thread::spawn({
        let root = root.to_path_buf();
        move || {
            let git = Git::open(&root).ok()?;
            let trail = git.resolve("HEAD").and_then(|head| {
                let mut trail = audit_trail_cached(&git, head)?;
                // The site shows every record's history: all of it decoded here, beside
                // the loading, rather than record by record while pages are rendered.
                trail.decode_all();
                Ok((trail, head))
            });
            Some((git, trail.ok()))
        }
    });
    let (records, _) = load::load_dir_as(root, progress, crate::git::caches_on(), texts)?;
    let repo = Repo { config, rules };
    let checked = repo.check_tree(root, &records, settings.as_of, progress)?;
    let (Repo { config, rules }, crate::repo::Checked { schemas, overrides, findings: report, ids }) = (repo, checked);
    progress.start("history", 0);
    let (git, history) = history.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)).unzip();
    let (trail, head) = history.flatten().unzip();
    // The build state in the site is keyed with a secret kept in the git folder; where
    // there is none (outside git, or it cannot be written) every build is a full one.
    let salt =
        git.and_then(|git| super::Salt::kept(&git.cache_file("site-key")).ok()).unwrap_or_else(super::Salt::random);
    let mut base_url = settings.base_url.clone().unwrap_or_else(|| config.site.base_url.clone());
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let templates = Templates::load(root)?;
    // Validation is done: the records and the history are only for the site now, which
    // takes them over and redacts them in place rather than holding a copy of each.
    let public = super::hides_personal_data(settings.public, &config);
    progress.start("redaction", 0);
    let redacted = super::redact::Redacted::take(records, trail, report.clone(), public, salt);
    let made = Made {
        config,
        rules,
        schemas,
        templates,
        overrides,
        redacted,
        ids,
        report,
        head,
        base_url,
        as_of: settings.as_of,
        live_reload: settings.live_reload,
    };
    let built = match keep {
        Some(keep) => made.render_keeping(out, progress, keep)?,
        None => made.render(out, progress)?,
    };
    Ok((built, made))
}

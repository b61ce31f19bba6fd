//! The front door: a records repository opened with its configuration and rules — from
//! the working tree or from a commit — loaded, and checked. Every command that reads
//! records starts here, so which configuration, which rules and which records a command
//! works with is decided in one place; `validate --base`'s check of a change is
//! [`crate::validate::change`]'s, reached through [`Repo::check_change`].

use std::path::Path;

use anyhow::Result;
use jiff::civil::Date;

use crate::config::Config;
use crate::diag::{Findings, Overrides, Severity};
use crate::git::Git;
use crate::history::AuditTrail;
use crate::history::cache::audit_trail_cached;
use crate::load::{self, Loaded, Progress, RawFile, Records, rules::Ruleset};
use crate::model::{IdTable, Index};
use crate::validate::{self, Context, Schemas};

/// A repository's configuration and rules.
pub(crate) struct Repo {
    pub config: Config,
    pub rules: Ruleset,
}

/// What checking the records found.
pub(crate) struct Checked {
    /// The compiled JSON Schemas the records were checked against.
    pub schemas: Schemas,
    /// The severities `defter.toml` sets.
    pub overrides: Overrides,
    /// Every finding, with the configured severities.
    pub findings: Findings,
    /// Where each id is among the records checked: made once, for the checks and for
    /// whatever shows the records next (the site).
    pub ids: IdTable,
}

impl Repo {
    /// The configuration and rules of the working tree at `root` (the embedded defaults
    /// where the repository has none).
    pub(crate) fn open(root: &Path) -> Result<Repo> {
        let (config, rules) = (Config::load(root)?, Ruleset::load(root)?);
        config.check_rules(&rules.workflows)?;
        Ok(Repo { config, rules })
    }

    /// The working tree's repository and its records, loaded as `texts` says and checked
    /// as of `as_of`.
    pub(crate) fn open_checked(
        root: &Path,
        as_of: Date,
        progress: &dyn Progress,
        texts: load::Texts,
    ) -> Result<(Repo, Records, Checked)> {
        let repo = Repo::open(root)?;
        let (records, _) = load::load_dir_as(root, progress, crate::git::caches_on(), texts)?;
        let checked = repo.check_tree(root, &records, as_of, progress)?;
        Ok((repo, records, checked))
    }

    /// The records' history from git, when the repository at `root` is in git (kept in
    /// git's folder from one run to the next, as the site keeps it); `None` outside git
    /// or when the history cannot be read, and the summaries read the dates the records'
    /// own `history` lists.
    pub(crate) fn audit_trail(root: &Path) -> Option<AuditTrail> {
        let git = Git::open(root).ok()?;
        let head = git.resolve("HEAD").ok()?;
        audit_trail_cached(&git, head).ok()
    }

    /// Checks `records` against the rules as of `as_of`.
    pub(crate) fn check(&self, records: &Records, as_of: Date, progress: &dyn Progress) -> Result<Checked> {
        self.check_keeping(records, as_of, progress, None)
    }

    /// [`Repo::check`] of the records of the working tree at `root`, as loaded from it:
    /// each record's own findings are taken from the findings cache in its git folder
    /// where nothing they depend on changed, and kept there for the next run
    /// ([`validate::cache`]; none outside git or with `DEFTER_CACHE=off`). The findings
    /// are the same either way. Not for a command that refuses without writing
    /// anything (`step`, `new`): the cache would be written all the same.
    pub(crate) fn check_tree(
        &self,
        root: &Path,
        records: &Records,
        as_of: Date,
        progress: &dyn Progress,
    ) -> Result<Checked> {
        self.check_keeping(records, as_of, progress, validate::cache::file(root).as_deref())
    }

    fn check_keeping(
        &self,
        records: &Records,
        as_of: Date,
        progress: &dyn Progress,
        kept: Option<&Path>,
    ) -> Result<Checked> {
        let schemas = Schemas::compile(&self.rules)?;
        let ids = IdTable::new(&records.records);
        let findings = {
            let index = Index::with(&ids, &records.records);
            let (rules, config) = (&self.rules, &self.config);
            let cx = Context { records: &records.records, index: &index, rules, schemas: &schemas, config, as_of };
            validate::check_all_in(&cx, records, progress, kept)
        };
        let overrides = self.config.overrides()?;
        let report = Findings::new(findings, records.records.len(), &overrides);
        Ok(Checked { schemas, overrides, findings: report, ids })
    }

    /// Checks the record `text` would be at `path` together with `records` (which it
    /// joins, for quoting) and returns its own findings of error severity: what a
    /// command that writes a record asks before writing it.
    pub(crate) fn check_added(&self, records: &mut Records, path: &str, text: &str, as_of: Date) -> Result<Findings> {
        match load::load_file(RawFile { path: path.to_string(), bytes: text.as_bytes().to_vec() }) {
            Loaded::Record(record, source) => {
                records.sources.insert(path.to_string(), source);
                records.records.push(record);
            }
            Loaded::Problem(d, source) => {
                if let Some(source) = source {
                    records.sources.insert(path.to_string(), source);
                }
                records.problems.push(d);
            }
        }
        let report = self.check(records, as_of, &load::Silent)?.findings;
        let diagnostics = report.diagnostics.into_iter().filter(|d| d.path == path && d.severity == Severity::Error);
        Ok(Findings { diagnostics: diagnostics.collect(), records: 1 })
    }

    /// The findings of the change from `base` to `head` (a revision, or the working
    /// tree when `None`): see [`validate::change`]. Says how much it checks through
    /// `tell`.
    pub(crate) fn check_change(
        root: &Path,
        base: &str,
        head: Option<&str>,
        as_of: Date,
        tell: &dyn Fn(&str),
    ) -> Result<(Findings, Records)> {
        validate::change::check(root, base, head, as_of, tell)
    }
}

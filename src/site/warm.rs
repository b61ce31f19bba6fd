//! `defter serve`'s rebuilds. The first build loads, checks and redacts the whole
//! repository and keeps what it made ([`Made`]); after an edit that only changes records
//! in place, a rebuild reads just those files and the ones their checks read, checks
//! them again, puts them in place of the old ones and renders what changed. The site is
//! byte for byte the one a full build of the same files would make: only changes whose
//! effect on the findings is known to stay with the edited records are taken this way
//! (the argument is [`crate::validate::scope`]'s, made for `validate --base`), and
//! everything else is a full build, as every rebuild was before.
//!
//! A warm rebuild needs each changed path to be a record that was loaded before and
//! still loads, with the same id, outside `records/org/`; `HEAD` where it was (the
//! history is read for it; after a commit the repository is loaded again, and the site
//! still renders only what the commit changed); and the last rebuild to have succeeded.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;

use super::data::KeptBacklinks;
use super::pipeline::{Made, Settings, build_keeping};
use super::serve::Reach;
use crate::git::Git;
use crate::load::{self, Records};
use crate::validate::scope;

/// A site being served and what it was made from.
pub struct Warm {
    root: PathBuf,
    out: PathBuf,
    settings: Settings,
    /// `None` after a rebuild that failed half-way: the next one is a full build.
    made: Option<Made>,
    /// The backlinks of the last site built, for the pages shown first after an edit.
    backlinks: KeptBacklinks,
}

/// What a change asks of a rebuild.
#[derive(Debug, PartialEq, Eq)]
enum Plan {
    /// Nothing the site is made from changed (an editor's temporary file came and went).
    Nothing,
    /// These records changed in place.
    Edited(Vec<String>),
    /// A full build, for this reason.
    Full(&'static str),
}

impl Warm {
    /// Builds the site of `root` into `out` in full; also says what it built.
    pub fn start(root: &Path, out: &Path, settings: Settings) -> Result<(Warm, String)> {
        let mut backlinks = KeptBacklinks::default();
        let (built, made) =
            build_keeping(root, out, &settings, &load::Silent, Some(&mut backlinks), load::Texts::Read)?;
        let said = format!("{} files built ({})", built.files, made.report.summary_line());
        let warm = Warm { root: root.to_path_buf(), out: out.to_path_buf(), settings, made: Some(made), backlinks };
        Ok((warm, said))
    }

    /// Rebuilds after the files at `changed` (relative to the root, `/`-separated)
    /// changed; `None` when the changes are not known (the watcher lost track). Says
    /// what it did and which files of the site it changed, or `None` when nothing the
    /// site is made from changed.
    ///
    /// After an edit in place the edited records' pages are rendered first, alone, and
    /// put into the site; `shown` is told so, and which files they are (their open pages
    /// may reload), before the rest of the site is brought up to the edit. At 100,000
    /// records the one takes a fraction of a second, the other seconds
    /// (docs/performance.md). The files the rest writes again as they were shown first
    /// are not among those it says it changed: a page showing one reloads once.
    pub(crate) fn rebuild(
        &mut self,
        changed: Option<&BTreeSet<String>>,
        shown: &dyn Fn(&str, Reach),
    ) -> Result<Option<(String, Reach)>> {
        let started = Instant::now();
        let plan = match (&self.made, changed) {
            (None, _) => Plan::Full("the last rebuild failed"),
            (Some(_), None) => Plan::Full("the file watcher lost track of the changes"),
            (Some(made), Some(changed)) => plan(&self.root, made, changed),
        };
        let (built, how) = match plan {
            Plan::Nothing => return Ok(None),
            Plan::Edited(paths) => {
                let made = self.made.take().expect("planned with it");
                match update(&self.root, made, &paths)? {
                    Ok(made) => {
                        let first = made.render_parts_of(&self.out, &paths, &self.backlinks)?;
                        let ms = started.elapsed().as_millis();
                        let replaced: Vec<String> =
                            first.iter().filter(|(_, _, replaced)| *replaced).map(|(path, ..)| path.clone()).collect();
                        if !replaced.is_empty() {
                            let said =
                                format!("shown: the edited records' pages ({} files) in {ms} ms", replaced.len());
                            shown(&said, Reach::of(replaced));
                        }
                        let mut built = made.render_keeping(&self.out, &load::Silent, &mut self.backlinks)?;
                        self.made = Some(made);
                        // Written again as shown first: already in the site, no news.
                        let as_shown: HashSet<(&str, u64)> =
                            first.iter().map(|(p, hash, _)| (p.as_str(), *hash)).collect();
                        if let Some(changed) = &mut built.changed {
                            changed
                                .retain(|(path, hash)| !hash.is_some_and(|h| as_shown.contains(&(path.as_str(), h))));
                        }
                        (built, format!("{} edited, warm; their pages shown after {ms} ms", paths.len()))
                    }
                    Err(why) => (self.full()?, format!("full: {why}")),
                }
            }
            Plan::Full(why) => {
                self.made = None;
                (self.full()?, format!("full: {why}"))
            }
        };
        let said = format!(
            "rebuilt: {} rendered, {} written ({how}) in {} ms",
            built.rendered,
            built.written,
            started.elapsed().as_millis()
        );
        let reach = built.changed.map_or(Reach::All, |changed| Reach::of(changed.into_iter().map(|(path, _)| path)));
        Ok(Some((said, reach)))
    }

    /// What the last build was made from, if it succeeded: the findings (`made.report`) to
    /// print after a rebuild, and the records to quote them from.
    pub fn made(&self) -> Option<&Made> {
        self.made.as_ref()
    }

    fn full(&mut self) -> Result<super::Built> {
        let (built, made) = build_keeping(
            &self.root,
            &self.out,
            &self.settings,
            &load::Silent,
            Some(&mut self.backlinks),
            load::Texts::Read,
        )?;
        self.made = Some(made);
        Ok(built)
    }
}

/// Whether the files at `changed` are records edited in place (see the module's
/// documentation), judged from the file system now.
fn plan(root: &Path, made: &Made, changed: &BTreeSet<String>) -> Plan {
    let head = Git::open(root).and_then(|git| git.resolve("HEAD")).ok();
    if head != made.head {
        return Plan::Full("HEAD moved (a commit, a checkout or a merge)");
    }
    let records = made.redacted.records();
    let loaded: HashSet<&str> = records.records.iter().map(|r| r.path.as_str()).collect();
    let problems: HashSet<&str> = records.problems.iter().map(|d| d.path.as_str()).collect();
    let mut edited = Vec::new();
    // Names starting with a dot are skipped by loading, folders with their contents.
    for path in changed.iter().filter(|p| !p.split('/').any(|part| part.starts_with('.'))) {
        if !path.starts_with("records/") {
            return Plan::Full("the rules, the templates or the configuration changed");
        }
        if path.starts_with("records/org/") {
            return Plan::Full("people or units changed");
        }
        if problems.contains(path.as_str()) {
            return Plan::Full("a file that did not load changed");
        }
        let now = std::fs::symlink_metadata(root.join(path));
        match (loaded.contains(path.as_str()), now) {
            (true, Ok(meta)) if meta.is_file() => edited.push(path.clone()),
            (true, Ok(_)) => return Plan::Full("a record became a folder or a link"),
            (true, Err(_)) => return Plan::Full("a record was deleted or renamed"),
            (false, Ok(_)) => return Plan::Full("a file or folder was added"),
            (false, Err(_)) => {
                let inside = format!("{path}/");
                if loaded.iter().chain(&problems).any(|p| p.starts_with(&inside)) {
                    return Plan::Full("a folder was removed");
                }
            }
        }
    }
    if edited.is_empty() {
        Plan::Nothing
    } else if edited.len() > scope::MAX_CHANGED {
        Plan::Full("more than 2,000 records changed")
    } else {
        Plan::Edited(edited)
    }
}

/// `made` with the records at `paths` loaded and checked again, or why a full build
/// is needed after all (`made` is then dropped). An error leaves nothing to go on: the
/// caller's next rebuild is a full one.
fn update(root: &Path, mut made: Made, paths: &[String]) -> Result<Result<Made, &'static str>> {
    let fresh = load::load_paths(root, paths);
    if !fresh.problems.is_empty() {
        return Ok(Err("an edited record no longer loads"));
    }
    let records = made.redacted.records();
    // Where each record is in the order a full build loads them.
    let order: HashMap<&str, usize> = records.records.iter().enumerate().map(|(i, r)| (r.path.as_str(), i)).collect();
    for r in &fresh.records {
        if records.records[order[r.path.as_str()]].id() != r.id() {
            return Ok(Err("an edited record's id changed"));
        }
    }
    let context = context(records, &fresh);
    let problems: HashSet<&str> = records.problems.iter().map(|d| d.path.as_str()).collect();
    if context.iter().any(|p| problems.contains(p.as_str())) {
        return Ok(Err("an edited record names a file that does not load"));
    }
    let mut checked = load::load_paths(root, &context);
    if !checked.problems.is_empty() || checked.records.len() != context.len() {
        return Ok(Err("a file the edited records name no longer loads"));
    }
    checked.records.extend(fresh.records.iter().cloned());
    checked.sources.extend(fresh.sources.iter().map(|(p, t)| (p.clone(), t.clone())));
    checked.records.sort_by_key(|r| order[r.path.as_str()]);
    drop(order);
    let findings = crate::validate::check_all(&checked, &made.rules, &made.schemas, &made.config, made.as_of);
    drop(checked);
    let edited: HashSet<&str> = paths.iter().map(String::as_str).collect();
    made.report.replace_paths(&edited, findings.clone(), &made.overrides);
    made.redacted.replace(fresh, findings, &made.overrides);
    Ok(Ok(made))
}

/// The files, other than `fresh`'s, that the checks of `fresh`'s records read:
/// [`scope::context`], and the records whose id (rather than file name) is one they
/// name or their own, up to case.
fn context(records: &Records, fresh: &Records) -> Vec<String> {
    let all: Vec<&str> = records
        .records
        .iter()
        .map(|r| r.path.as_str())
        .chain(records.problems.iter().map(|d| d.path.as_str()))
        .collect();
    let mut context: BTreeSet<String> = scope::context(fresh, &all).into_iter().collect();
    let named: HashSet<String> = fresh
        .records
        .iter()
        .flat_map(|r| [r.id(), r.path_id.as_str()].into_iter().chain(r.fields.strings()))
        .map(str::to_lowercase)
        .collect();
    let edited: HashSet<&str> = fresh.records.iter().map(|r| r.path.as_str()).collect();
    let mut buf = String::new();
    context.extend(
        records
            .records
            .iter()
            .filter(|r| !edited.contains(r.path.as_str()) && named.contains(scope::fold_into(&mut buf, r.id())))
            .map(|r| r.path.clone()),
    );
    context.into_iter().collect()
}

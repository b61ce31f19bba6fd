//! Where rendered files go: straight to disk as they are rendered (on every core),
//! keeping of each page only what the link check needs, so a site of 100,000 pages is
//! never held in memory.
//!
//! A full build writes into a new folder next to the site and swaps it in with one
//! rename. An incremental build writes the files that changed into a pending folder
//! inside the site, and moves them into place only when the whole build has succeeded;
//! files whose bytes did not change are not written at all.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};

use super::links::{self, Interner, Summary};
use super::state::{self, State};
use super::write::{create_file, dir_builder, fresh_dir, not_a_folder, staging_dir, swap_in};

/// One file of the new site.
pub(crate) struct Made {
    pub path: String,
    pub part: String,
    pub key: u64,
    pub hash: u64,
    pub size: u64,
    /// Links and ids of a page rendered by this build.
    pub summary: Option<Summary>,
    /// The ids of a page kept from the last build, as its state has them (see
    /// [`state::Entry::ids`]): looked for only where a rendered page links to them.
    pub kept_ids: Option<Box<str>>,
    /// Whether this build rendered it (else it was kept from the last build).
    pub rendered: bool,
    /// Whether this build wrote it (a rendered file whose bytes did not change is not).
    pub written: bool,
    /// Where an incremental build wrote it, until it is moved into place.
    pending: Option<PathBuf>,
}

pub(crate) struct Sink {
    /// The new site's folder (full build) or the pending folder (incremental).
    dir: PathBuf,
    /// The last build's state, when this build only replaces what changed.
    previous: Option<State>,
    /// The site this build replaces files in (incremental builds).
    site: Option<PathBuf>,
    made_dirs: Mutex<HashSet<PathBuf>>,
    pub strings: Mutex<Interner>,
    files: Mutex<Vec<Made>>,
    counter: AtomicUsize,
}

impl Sink {
    /// A full build of the site at `out`.
    pub(crate) fn full(out: &Path) -> Result<Sink> {
        Ok(Sink::new(staging_dir(out)?, None, None))
    }

    /// An incremental build of the site at `out`, whose last build left `previous`.
    pub(crate) fn incremental(out: &Path, previous: State) -> Result<Sink> {
        Ok(Sink::new(fresh_dir(out, ".defter-pending")?, Some(previous), Some(out.to_path_buf())))
    }

    fn new(dir: PathBuf, previous: Option<State>, site: Option<PathBuf>) -> Sink {
        Sink {
            dir,
            previous,
            site,
            made_dirs: Mutex::default(),
            strings: Mutex::default(),
            files: Mutex::default(),
            counter: AtomicUsize::new(0),
        }
    }

    pub(crate) fn previous(&self) -> Option<&State> {
        self.previous.as_ref()
    }

    /// The bytes of a file the last build made, as it made them (`None` when it did not
    /// make it or the file no longer holds what it made).
    pub(crate) fn previous_file(&self, path: &str) -> Option<Vec<u8>> {
        let entry = self.previous.as_ref()?.by_path(path)?;
        let site = self.site.as_ref()?;
        // Only a regular file in the site is read (never a link's target).
        fs::symlink_metadata(site.join(path)).ok().filter(fs::Metadata::is_file)?;
        let bytes = fs::read(site.join(path)).ok()?;
        (state::content_hash(&bytes) == entry.hash).then_some(bytes)
    }

    /// Whether the file the last build made is still in the site as it made it, by its
    /// size (a file deleted or edited by hand in the site is rendered again, not kept).
    pub(crate) fn intact(&self, entry: &state::Entry) -> bool {
        let Some(site) = &self.site else { return false };
        fs::symlink_metadata(site.join(&entry.path)).is_ok_and(|m| m.is_file() && m.len() == entry.size)
    }

    /// Writes one rendered file of `part`.
    pub(crate) fn put(&self, part: &str, key: u64, path: String, bytes: &[u8]) -> Result<()> {
        if Path::new(&path).components().any(|c| !matches!(c, Component::Normal(_))) {
            bail!("refusing to write {path:?}: not a plain path inside the site (a defter bug)");
        }
        let hash = state::content_hash(bytes);
        let summary =
            path.ends_with(".html").then(|| links::summarize(&path, &String::from_utf8_lossy(bytes), &self.strings));
        let unchanged =
            self.previous.as_ref().and_then(|p| p.by_path(&path)).is_some_and(|e| e.hash == hash && self.intact(e));
        let pending = if unchanged {
            None
        } else {
            let target = match &self.previous {
                Some(_) => self.dir.join(self.counter.fetch_add(1, Ordering::Relaxed).to_string()),
                None => self.dir.join(&path),
            };
            if self.previous.is_none() {
                self.make_parent(&target)?;
            }
            create_file(&target)
                .and_then(|mut f| f.write_all(bytes))
                .with_context(|| format!("cannot write {}", target.display()))?;
            self.previous.is_some().then_some(target)
        };
        let size = bytes.len() as u64;
        let made = Made {
            path,
            part: part.to_string(),
            key,
            hash,
            size,
            summary,
            kept_ids: None,
            rendered: true,
            written: !unchanged,
            pending,
        };
        self.files.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(made);
        Ok(())
    }

    /// Keeps a file of the last build as it is.
    pub(crate) fn keep(&self, entry: &state::Entry) {
        let made = Made {
            path: entry.path.clone(),
            part: entry.part.clone(),
            key: entry.key,
            hash: entry.hash,
            size: entry.size,
            summary: None,
            kept_ids: entry.path.ends_with(".html").then(|| entry.ids.clone()),
            rendered: false,
            written: false,
            pending: None,
        };
        self.files.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(made);
    }

    fn make_parent(&self, target: &Path) -> Result<()> {
        let Some(dir) = target.parent() else { return Ok(()) };
        if self.made_dirs.lock().unwrap_or_else(std::sync::PoisonError::into_inner).contains(dir) {
            return Ok(());
        }
        dir_builder(true).create(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        self.made_dirs.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(dir.to_path_buf());
        Ok(())
    }

    /// Everything written, sorted by path.
    pub(crate) fn into_files(self) -> (Vec<Made>, Finish) {
        let mut files = self.files.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let strings = self.strings.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        (files, Finish { dir: self.dir, previous: self.previous, strings })
    }
}

/// What is left to do once every file is made: check, then put the site in place.
pub(crate) struct Finish {
    dir: PathBuf,
    previous: Option<State>,
    pub strings: Interner,
}

impl Finish {
    /// Whether this build replaces only what changed.
    pub(crate) fn is_incremental(&self) -> bool {
        self.previous.is_some()
    }

    /// The paths of the last build this one no longer makes.
    pub(crate) fn removed(&self, files: &[Made]) -> Vec<String> {
        let Some(previous) = &self.previous else { return Vec::new() };
        let now: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        previous.entries.iter().filter(|e| !now.contains(e.path.as_str())).map(|e| e.path.clone()).collect()
    }

    /// Whether a page rendered again lost an id it had, which a page not rendered again
    /// may link to (a kept page has the ids it had).
    pub(crate) fn lost_ids(&self, files: &[Made]) -> bool {
        let Some(previous) = &self.previous else { return false };
        files.iter().filter(|f| f.rendered).any(|f| {
            let (Some(before), Some(summary)) = (previous.by_path(&f.path), &f.summary) else { return false };
            let now: HashSet<&str> = summary.ids(&self.strings).collect();
            before.ids().any(|id| !now.contains(id))
        })
    }

    /// Drops what this build wrote (the site stays as it was).
    pub(crate) fn abandon(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }

    /// Puts the new site in place at `out` with its state.
    pub(crate) fn commit(self, out: &Path, global: u64, inputs: &[(&str, u64)], files: &[Made]) -> Result<()> {
        let strings = &self.strings;
        let lines = files.iter().map(|f| state::Line {
            part: &f.part,
            key: f.key,
            hash: f.hash,
            size: f.size,
            path: &f.path,
            ids: f
                .summary
                .iter()
                .flat_map(|s| s.ids(strings))
                .chain(f.kept_ids.iter().flat_map(|ids| state::ids_in(ids))),
        });
        let text = state::text(global, inputs, lines);
        match &self.previous {
            None => {
                if let Some(text) = &text {
                    create_file(&self.dir.join(state::FILE))?.write_all(text.as_bytes())?;
                }
                swap_in(&self.dir, out)
            }
            Some(previous) => {
                // Checked again just before: no file is moved into, nor removed from, a
                // folder that a link replaced while this build ran (the site stays as
                // it was; the next build makes it anew beside it).
                let mut checked = HashSet::new();
                let touched = files.iter().filter(|f| f.pending.is_some()).map(|f| f.path.as_str());
                let gone = previous.entries.iter().map(|e| e.path.as_str());
                if let Some(dir) = touched.chain(gone).find_map(|path| not_a_folder(out, path, &mut checked)) {
                    let _ = fs::remove_dir_all(&self.dir);
                    bail!(
                        "{dir} in the site {} is not a folder (a symbolic link?): nothing was written",
                        out.display()
                    );
                }
                // Without a state the next build is a full one: a commit interrupted
                // half-way is repaired by the next build.
                let state_path = out.join(state::FILE);
                if state_path.exists() {
                    fs::remove_file(&state_path)?;
                }
                for f in files {
                    let Some(pending) = &f.pending else { continue };
                    let target = out.join(&f.path);
                    if let Some(dir) = target.parent() {
                        dir_builder(true).create(dir)?;
                    }
                    fs::rename(pending, &target).with_context(|| format!("cannot replace {}", target.display()))?;
                }
                let now: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
                for e in previous.entries.iter().filter(|e| !now.contains(e.path.as_str())) {
                    let _ = fs::remove_file(out.join(&e.path));
                }
                if let Some(text) = &text {
                    let temp = self.dir.join("state");
                    create_file(&temp)?.write_all(text.as_bytes())?;
                    fs::rename(&temp, &state_path)?;
                }
                fs::remove_dir_all(&self.dir)?;
                Ok(())
            }
        }
    }
}

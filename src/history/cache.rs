//! The audit trail kept between builds: walking a long history is the slowest part of
//! a build (each commit diffed, each version parsed), and its result depends on nothing
//! but the commit. [`audit_trail_cached`] keeps the trail of the last `HEAD` in a file,
//! reuses it while `HEAD` has not moved, and extends it with the new commits alone when
//! `HEAD` moved forward (a merged pull request).
//!
//! The file holds field values from the records' past (before redaction), so it lives
//! in the git folder (`.git/defter/`), never in the working tree or the site, and is
//! readable by its owner only. A CI job can cache that folder between runs.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use gix::ObjectId;
use serde::{Deserialize, Serialize};

use super::{AuditTrail, Entry, entries_of, extend_trail};
use crate::git::{Commit, Git};

/// Bumped whenever the trail's meaning or this format changes.
const FORMAT: &str = "defter-history 2";

#[derive(Serialize, Deserialize)]
struct CachedCommit {
    id: String,
    parents: Vec<String>,
    author_name: String,
    author_email: String,
    time: i64,
    offset: i32,
    summary: String,
    message: String,
}

#[derive(Serialize, Deserialize)]
struct Cached {
    format: String,
    head: String,
    commits: Vec<CachedCommit>,
    by_id: Vec<(String, Vec<Entry>)>,
}

fn to_cached(head: ObjectId, trail: &AuditTrail) -> Cached {
    let commits = trail
        .commits
        .iter()
        .map(|c| CachedCommit {
            id: c.id.to_string(),
            parents: c.parents.iter().map(ToString::to_string).collect(),
            author_name: c.author_name.clone(),
            author_email: c.author_email.clone(),
            time: c.time,
            offset: c.offset,
            summary: c.summary.clone(),
            message: c.message.clone(),
        })
        .collect();
    let mut by_id: Vec<(String, Vec<Entry>)> = trail.by_id.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    by_id.sort_by(|a, b| a.0.cmp(&b.0));
    Cached { format: FORMAT.into(), head: head.to_string(), commits, by_id }
}

fn from_cached(cached: Cached) -> Option<AuditTrail> {
    let id = |hex: &str| ObjectId::from_hex(hex.as_bytes()).ok();
    let commits = cached
        .commits
        .into_iter()
        .map(|c| {
            Some(Commit {
                id: id(&c.id)?,
                parents: c.parents.iter().map(|p| id(p)).collect::<Option<_>>()?,
                author_name: c.author_name,
                author_email: c.author_email,
                time: c.time,
                offset: c.offset,
                summary: c.summary,
                message: c.message,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    // Trimmed to size: the lists grew as they were read, and a large repository's
    // trail stays in memory for the whole build.
    let by_id = cached
        .by_id
        .into_iter()
        .map(|(id, mut entries)| {
            entries.shrink_to_fit();
            entries.iter_mut().for_each(|e| e.fields.shrink_to_fit());
            (id, entries)
        })
        .collect();
    Some(AuditTrail { commits, by_id })
}

/// The cached trail and the commit it is of.
fn read(file: &Path) -> Option<(String, AuditTrail)> {
    let bytes = std::fs::read(file).ok()?;
    let cached: Cached = serde_json::from_slice(&bytes).ok()?;
    (cached.format == FORMAT).then_some(())?;
    let head = cached.head.clone();
    Some((head, from_cached(cached)?))
}

fn write(file: &Path, head: ObjectId, trail: &AuditTrail) -> Result<()> {
    let name = file.file_name().map_or_else(|| "history".into(), |n| n.to_string_lossy().into_owned());
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let temp = file.with_file_name(format!("{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = std::io::BufWriter::new(options.open(&temp)?);
    serde_json::to_writer(&mut out, &to_cached(head, trail))?;
    out.flush()?;
    drop(out);
    std::fs::rename(&temp, file)?;
    Ok(())
}

/// The audit trail of every record reachable from `head` (merge commits skipped, as `git
/// log` does), read from `file` when it holds the trail of `head`, else computed and kept
/// there for the next build (a cache that cannot be written is only a slower build).
/// With `DEFTER_CACHE=off` the file is neither read nor written.
pub(crate) fn audit_trail_cached(git: &Git, head: ObjectId, file: &Path) -> Result<AuditTrail> {
    let on = crate::git::caches_on();
    let earlier = match on.then(|| read(file)).flatten() {
        Some((of, trail)) if of == head => return Ok(trail),
        Some((_, trail)) => Some(trail),
        None => None,
    };
    let commits = git.commits(head, None)?;
    let extended = earlier.map(|earlier| extend_trail(git, earlier, &commits)).transpose()?.flatten();
    let by_id = match extended {
        Some(by_id) => by_id,
        None => entries_of(git, &commits)?,
    };
    let trail = AuditTrail { by_id, commits };
    if on {
        let _ = write(file, head, &trail);
    }
    Ok(trail)
}

//! Writing the site safely: refuse dangerous output folders, render into a temporary
//! sibling folder, and swap it in only when complete.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::pages::Output;

/// A file every defter site carries, so a later build knows it may replace the folder.
pub const MARKER: &str = ".defter-site";

/// Refuses output folders a build must never replace: the filesystem root, the
/// repository or anything above it, `records/`, `schemas/`, or a non-empty folder that
/// is not a previous defter site.
pub fn check_out_dir(out: &Path, repo: &Path) -> Result<()> {
    let absolute = |p: &Path| -> Result<PathBuf> {
        let p = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir()?.join(p) };
        // Resolve what exists, so `..` and symlinks cannot hide the real target.
        let mut existing = p.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut resolved = existing.canonicalize().unwrap_or(existing);
        for part in rest.iter().rev() {
            resolved.push(part);
        }
        Ok(resolved)
    };
    let out_abs = absolute(out)?;
    let repo_abs = absolute(repo)?;
    if out_abs.parent().is_none() {
        bail!("refusing to write the site to {}", out.display());
    }
    if repo_abs.starts_with(&out_abs) {
        bail!("refusing to write the site to {}: it contains the repository", out.display());
    }
    for protected in [crate::load::RECORDS_DIR, crate::load::rules::SCHEMAS_DIR, super::templates::DIR, ".git"] {
        if out_abs.starts_with(repo_abs.join(protected)) {
            bail!("refusing to write the site into {protected}/ ({})", out.display());
        }
    }
    if out_abs.is_file() {
        bail!("{} is a file, not a folder", out.display());
    }
    if out_abs.is_dir() {
        let mut entries = std::fs::read_dir(&out_abs).with_context(|| format!("cannot read {}", out.display()))?;
        if entries.next().is_some() && !out_abs.join(MARKER).is_file() {
            bail!("{} is not empty and is not a defter site (no {MARKER}); choose an empty or new folder", out.display());
        }
    }
    Ok(())
}

/// Writes `files` into a temporary folder next to `out`, then replaces `out` with it.
pub fn write_atomically(out: &Path, files: &[Output]) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let name = out.file_name().map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.defter-new-{}", std::process::id()));
    let result = (|| -> Result<()> {
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        for (path, bytes) in files {
            let target = staging.join(path);
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&target, bytes).with_context(|| format!("cannot write {}", target.display()))?;
        }
        std::fs::write(staging.join(MARKER), "defter\n")?;
        let old = parent.join(format!(".{name}.defter-old-{}", std::process::id()));
        if out.exists() {
            std::fs::rename(out, &old).with_context(|| format!("cannot move the previous site {}", out.display()))?;
        }
        std::fs::rename(&staging, out).with_context(|| format!("cannot move the new site to {}", out.display()))?;
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(())
    })();
    if result.is_err() && staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

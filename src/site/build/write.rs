//! Writing the site safely: refuse dangerous output folders, render into a temporary
//! sibling folder, and swap it in only when complete.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

/// A file every defter site carries, so a later build knows it may replace the folder.
pub const MARKER: &str = ".defter-site";

/// Refuses output folders a build must never replace: the filesystem root, the
/// repository or anything above it, `records/`, `schemas/`, a non-empty folder that is
/// not a previous defter site, and any path through a symbolic link (`--out` itself, or
/// a folder on the way to it: a link committed in the repository could lead anywhere).
pub fn check_out_dir(out: &Path, repo: &Path) -> Result<()> {
    let given = if out.is_absolute() { out.to_path_buf() } else { std::env::current_dir()?.join(out) };
    let mut on_the_way = PathBuf::new();
    for part in given.components() {
        on_the_way.push(part);
        if fs::symlink_metadata(&on_the_way).is_ok_and(|m| m.file_type().is_symlink()) {
            bail!(
                "refusing to write the site to {}: {} is a symbolic link (name the real folder; a site is never written through a link)",
                out.display(),
                on_the_way.display()
            );
        }
    }
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
    // `..` can only survive in the part that does not exist yet (`new/..`): where that
    // leads is decided by folders created later, so it is refused outright.
    if out_abs.components().any(|c| matches!(c, Component::ParentDir | Component::CurDir)) {
        bail!("refusing to write the site to {}: name the folder without `..`", out.display());
    }
    if out_abs.parent().is_none() {
        bail!("refusing to write the site to {}", out.display());
    }
    if repo_abs.starts_with(&out_abs) {
        bail!("refusing to write the site to {}: it contains the repository", out.display());
    }
    for protected in [crate::load::RECORDS_DIR, crate::load::rules::SCHEMAS_DIR, crate::site::templates::DIR, ".git"] {
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
            bail!(
                "{} is not empty and is not a defter site (no {MARKER}); choose an empty or new folder",
                out.display()
            );
        }
    }
    Ok(())
}

/// The first folder on the way to `rel` (a `/`-separated path inside the site at `out`)
/// that is not a real folder — a symbolic link, or a file — as a path inside the site;
/// `None` when every one that exists is a folder. `checked` remembers the folders found
/// real, so a site's many files cost one look per folder.
pub(crate) fn not_a_folder(out: &Path, rel: &str, checked: &mut std::collections::HashSet<String>) -> Option<String> {
    let mut end = 0;
    while let Some(slash) = rel[end..].find('/') {
        end += slash;
        let dir = &rel[..end];
        end += 1;
        if checked.contains(dir) {
            continue;
        }
        match fs::symlink_metadata(out.join(dir)) {
            Ok(meta) if meta.is_dir() => {
                checked.insert(dir.to_string());
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            _ => return Some(dir.to_string()),
        }
    }
    None
}

/// A new folder that did not exist before (never one planted in a shared parent folder,
/// nor a link to elsewhere): `name`, or `name-2`, `name-3`…
pub(crate) fn fresh_dir(parent: &Path, name: &str) -> Result<PathBuf> {
    for n in 0..1000 {
        let dir = if n == 0 { parent.join(name) } else { parent.join(format!("{name}-{n}")) };
        match dir_builder(false).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot create {}", dir.display())),
        }
    }
    bail!("cannot create a temporary folder in {}", parent.display())
}

/// Folders are `rwxr-xr-x` at most, files `rw-r--r--` at most (the umask may take more
/// away, never add): a site is read by the web server, written only by the build.
pub(crate) fn dir_builder(recursive: bool) -> fs::DirBuilder {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(recursive);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o755);
    builder
}

pub(crate) fn create_file(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o644);
    options.open(path)
}

/// Puts `bytes` at `rel` in the site at `out`, in one step (written beside it, then
/// renamed over it: a reader gets the old file or the new one, never half of one);
/// `false` when the file there already holds them. Refuses a path that is not plain or
/// leads through anything but real folders.
pub(crate) fn replace_file(out: &Path, rel: &str, bytes: &[u8]) -> Result<bool> {
    if Path::new(rel).components().any(|c| !matches!(c, Component::Normal(_))) {
        bail!("refusing to write {rel:?}: not a plain path inside the site (a defter bug)");
    }
    if let Some(dir) = not_a_folder(out, rel, &mut std::collections::HashSet::new()) {
        bail!("refusing to write {rel:?}: {dir} in the site is not a folder");
    }
    let target = out.join(rel);
    if fs::read(&target).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let parent = target.parent().unwrap_or(out);
    dir_builder(true).create(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    // A dot name: never served, and never taken for a page by a build.
    let temporary = parent.join(format!(".defter-new-{}", std::process::id()));
    let _ = fs::remove_file(&temporary);
    create_file(&temporary)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| fs::rename(&temporary, &target))
        .with_context(|| format!("cannot write {}", target.display()))
        .inspect_err(|_| {
            let _ = fs::remove_file(&temporary);
        })?;
    Ok(true)
}

/// A temporary folder next to `out` to build the new site in.
pub(crate) fn staging_dir(out: &Path) -> Result<PathBuf> {
    let parent = parent_of(out);
    dir_builder(true).create(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
    fresh_dir(&parent, &format!(".{}.defter-new-{}", name_of(out), std::process::id()))
}

fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn name_of(out: &Path) -> String {
    out.file_name().map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned())
}

/// Marks the complete site in `staging` and replaces `out` with it: in one exchange on
/// Linux, else by two renames (the previous site is removed afterwards).
pub(crate) fn swap_in(staging: &Path, out: &Path) -> Result<()> {
    let (parent, name) = (parent_of(out), name_of(out));
    create_file(&staging.join(MARKER))?.write_all(b"defter\n")?;
    let old = (0..)
        .map(|n| parent.join(format!(".{name}.defter-old-{}-{n}", std::process::id())))
        .find(|p| p.symlink_metadata().is_err())
        .expect("an unused name");
    if out.exists() && exchange(staging, out) {
        // The old site is now where the new one was built.
        fs::remove_dir_all(staging)?;
        return Ok(());
    }
    if out.exists() {
        fs::rename(out, &old).with_context(|| format!("cannot move the previous site {}", out.display()))?;
    }
    fs::rename(staging, out).with_context(|| format!("cannot move the new site to {}", out.display()))?;
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// Swaps two folders in one step (Linux `renameat2` with `RENAME_EXCHANGE`), so a reader
/// of `out` sees the old site or the new one, never neither. `false` where the system or
/// file system cannot: the caller then renames twice.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::replace_file;

    #[test]
    fn a_replaced_file_is_whole_and_an_unchanged_one_is_not_written() {
        let site = tempfile::tempdir().unwrap();
        let page = site.path().join("requests/TLP-2026-0001.html");
        std::fs::create_dir_all(page.parent().unwrap()).unwrap();
        std::fs::write(&page, "eski").unwrap();
        assert!(replace_file(site.path(), "requests/TLP-2026-0001.html", b"yeni").unwrap());
        assert_eq!(std::fs::read_to_string(&page).unwrap(), "yeni");
        // The same bytes: nothing written (the file keeps its inode).
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&page).unwrap());
        assert!(!replace_file(site.path(), "requests/TLP-2026-0001.html", b"yeni").unwrap());
        #[cfg(unix)]
        assert_eq!(std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&page).unwrap()), inode);
        // A folder that is not there yet is made; nothing is left beside the files.
        assert!(replace_file(site.path(), "people/elif.kara.html", b"Elif").unwrap());
        let left: Vec<String> = std::fs::read_dir(site.path().join("requests"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["TLP-2026-0001.html"]);
        for bad in ["../outside.html", "/etc/passwd", "requests/../../x.html"] {
            assert!(replace_file(site.path(), bad, b"x").is_err(), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_link_in_the_site() {
        let (site, elsewhere) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        std::os::unix::fs::symlink(elsewhere.path(), site.path().join("requests")).unwrap();
        assert!(replace_file(site.path(), "requests/TLP-2026-0001.html", b"x").is_err());
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }
}

//! Writing the records a step changed, all or nothing: each file must still hold the
//! bytes the step read and be writable; the new texts go to temporary files beside them
//! first, and only when every one is written are they renamed into place (a failure
//! there puts back the ones already moved).

use std::path::{Path, PathBuf};

use crate::diag::{Message, msg};

/// One file a step changes: its path (relative to the repository), the bytes it was
/// read with and the bytes to write.
#[derive(Clone, Debug)]
pub(crate) struct FileEdit {
    pub path: String,
    pub old: Vec<u8>,
    pub new: Vec<u8>,
}

fn temporary(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.defter-step"))
}

/// Writes every edit or none; a refusal names the file and why.
pub(crate) fn all_or_nothing(root: &Path, edits: &[FileEdit]) -> Result<(), Message> {
    for edit in edits {
        let path = root.join(&edit.path);
        let p = &edit.path;
        let now = std::fs::read(&path).map_err(|e| {
            msg!(
                "cannot read {p} again ({e}); nothing was written",
                "{p} yeniden okunamadı ({e}); hiçbir şey yazılmadı"
            )
        })?;
        if now != edit.old {
            return Err(msg!(
                "{p} changed on disk since it was read; nothing was written (run the step again)",
                "{p} okunduktan sonra diskte değişti; hiçbir şey yazılmadı (adımı yeniden çalıştırın)"
            ));
        }
        let meta = std::fs::metadata(&path).map_err(|e| msg!("{p}: {e}", "{p}: {e}"))?;
        if meta.permissions().readonly() {
            return Err(msg!("{p} is read-only; nothing was written", "{p} salt okunur; hiçbir şey yazılmadı"));
        }
    }
    let mut written: Vec<PathBuf> = Vec::new();
    let clean = |written: &[PathBuf]| written.iter().for_each(|t| drop(std::fs::remove_file(t)));
    for edit in edits {
        let path = root.join(&edit.path);
        let tmp = temporary(&path);
        let p = &edit.path;
        let result = std::fs::write(&tmp, &edit.new).and_then(|()| {
            let permissions = std::fs::metadata(&path)?.permissions();
            std::fs::set_permissions(&tmp, permissions)
        });
        written.push(tmp);
        if let Err(e) = result {
            clean(&written);
            return Err(msg!(
                "cannot write beside {p} ({e}); nothing was written",
                "{p} yanına yazılamadı ({e}); hiçbir şey yazılmadı"
            ));
        }
    }
    for (i, edit) in edits.iter().enumerate() {
        let path = root.join(&edit.path);
        if let Err(e) = std::fs::rename(&written[i], &path) {
            for done in &edits[..i] {
                drop(std::fs::write(root.join(&done.path), &done.old));
            }
            clean(&written[i..]);
            let p = &edit.path;
            return Err(msg!(
                "cannot replace {p} ({e}); the files were put back as they were",
                "{p} değiştirilemedi ({e}); dosyalar eski hallerine döndürüldü"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_since_it_was_read_refuses_them_all() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "a: 1\n").unwrap();
        std::fs::write(dir.path().join("b.yaml"), "b: 2 # changed by someone\n").unwrap();
        let edits = [
            FileEdit { path: "a.yaml".into(), old: b"a: 1\n".to_vec(), new: b"a: 9\n".to_vec() },
            FileEdit { path: "b.yaml".into(), old: b"b: 2\n".to_vec(), new: b"b: 9\n".to_vec() },
        ];
        let why = all_or_nothing(dir.path(), &edits).unwrap_err();
        assert!(why.en.contains("b.yaml changed on disk"), "{}", why.en);
        assert_eq!(std::fs::read_to_string(dir.path().join("a.yaml")).unwrap(), "a: 1\n", "nothing written");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "no temporary files left");
        std::fs::write(dir.path().join("b.yaml"), "b: 2\n").unwrap();
        all_or_nothing(dir.path(), &edits).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("b.yaml")).unwrap(), "b: 9\n");
    }
}

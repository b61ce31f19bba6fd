//! `id-filename`, `duplicate-id` and `case-clash`: ids agree with where records live,
//! and are unique — also to a file system that ignores case.

use std::collections::BTreeMap;

use super::Context;
use crate::diag::{Diagnostic, Rule, msg};
use crate::load::{Record, Records};
use crate::model::{Kind, Pos};

pub fn id_filename(record: &Record, out: &mut Vec<Diagnostic>) {
    if record.kind == Kind::ProjectSection {
        return;
    }
    let Some(id) = record.fields.get("id").and_then(|n| n.as_str()) else { return };
    let pos = record.fields.get("id").map_or(record.fields.pos, |n| n.pos);
    if id != record.path_id {
        let (place, place_tr) = if record.kind == Kind::Project { ("folder", "klasör") } else { ("file", "dosya") };
        let name = &record.path_id;
        out.push(
            Diagnostic::at(
                Rule::IdFilename,
                &record.path,
                pos,
                msg!(
                    "id `{id}` differs from the {place} name `{name}`",
                    "kimlik `{id}`, {place_tr} adı ise `{name}`; ikisi aynı olmalıdır"
                ),
            )
            .with_help(msg!(
                "rename the {place} to `{id}` or correct the id; they must be the same",
                "{place_tr} adını `{id}` yapın ya da kimliği düzeltin; ikisi aynı olmalıdır"
            )),
        );
    } else if let Some(folder) = record.kind.year_folder(&record.path) {
        let year = id.split('-').nth(1).unwrap_or_default();
        if year != folder {
            out.push(
                Diagnostic::at(
                    Rule::IdFilename,
                    &record.path,
                    pos,
                    msg!(
                        "id `{id}` is a {year} id but the file is in the `{folder}` folder",
                        "`{id}` kimliği {year} yılına ait, ama dosya `{folder}` klasöründe"
                    ),
                )
                .with_help(msg!("move the file to the `{year}` folder", "dosyayı `{year}` klasörüne taşıyın")),
            );
        }
    }
}

pub fn duplicates(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (id, records) in cx.index.duplicates() {
        let mut paths: Vec<&str> = records.iter().map(|r| r.path.as_str()).collect();
        paths.sort_unstable();
        for r in records {
            let others = paths.iter().copied().filter(|p| *p != r.path).collect::<Vec<_>>().join(", ");
            let pos = r.fields.get("id").map_or(r.fields.pos, |n| n.pos);
            out.push(
                Diagnostic::at(
                    Rule::DuplicateId,
                    &r.path,
                    pos,
                    msg!("id `{id}` is also used by {others}", "`{id}` kimliği başka kayıtlarda da kullanılıyor: {others}"),
                )
                .with_help(msg!(
                    "give one of the records the next free id (when two branches created the same id, renumber the one merged last)",
                    "kayıtlardan birine sıradaki boş kimliği verin (aynı kimliği iki ayrı dal oluşturduysa, en son birleştirilenin numarasını değiştirin)"
                )),
            );
        }
    }
}

/// Files under `records/` whose paths, or records whose ids, differ only in case: on
/// Windows and macOS (and on a site served from them) they are one file, so a checkout
/// there silently loses one of them.
pub fn case_clashes(loaded: &Records, out: &mut Vec<Diagnostic>) {
    let mut paths: BTreeMap<String, BTreeMap<&str, Pos>> = BTreeMap::new();
    let mut ids: BTreeMap<String, BTreeMap<&str, (&str, Pos)>> = BTreeMap::new();
    for r in &loaded.records {
        let pos = r.fields.get("id").map_or(r.fields.pos, |n| n.pos);
        paths.entry(r.path.to_lowercase()).or_default().insert(&r.path, pos);
        ids.entry(r.id().to_lowercase()).or_default().insert(r.id(), (&r.path, pos));
    }
    for d in &loaded.problems {
        paths.entry(d.path.to_lowercase()).or_default().insert(&d.path, d.pos.unwrap_or(Pos::new(1, 1)));
    }
    let mut reported = std::collections::HashSet::new();
    for group in paths.values().filter(|g| g.len() > 1) {
        for (path, pos) in group {
            reported.insert(*path);
            let others = group.keys().copied().filter(|p| p != path).collect::<Vec<_>>().join(", ");
            out.push(
                Diagnostic::at(
                    Rule::CaseClash,
                    *path,
                    *pos,
                    msg!(
                        "the file name differs only in case from {others}",
                        "dosya adı şu dosyalardan yalnızca büyük/küçük harf bakımından farklı: {others}"
                    ),
                )
                .with_help(msg!(
                    "on Windows and macOS these are one file: keep one name (ids are lower case, or `TLP-`/`YTK-`/`PRJ-` upper case)",
                    "Windows ve macOS'ta bunlar tek dosyadır: tek bir ad bırakın (kimlikler küçük harflidir; `TLP-`/`YTK-`/`PRJ-` önekleri büyük harflidir)"
                )),
            );
        }
    }
    for group in ids.values().filter(|g| g.len() > 1) {
        for (id, (path, pos)) in group.iter().filter(|(_, (path, _))| !reported.contains(path)) {
            let others = group.keys().filter(|o| *o != id).map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ");
            out.push(
                Diagnostic::at(
                    Rule::CaseClash,
                    *path,
                    *pos,
                    msg!(
                        "id `{id}` differs only in case from {others}",
                        "`{id}` kimliği şu kimliklerden yalnızca büyük/küçük harf bakımından farklı: {others}"
                    ),
                )
                .with_help(msg!(
                    "ids that differ only in case name the same page on the site and the same file on Windows and macOS: rename one",
                    "yalnızca büyük/küçük harf bakımından farklı kimlikler sitede aynı sayfayı, Windows ve macOS'ta aynı dosyayı gösterir: birini yeniden adlandırın"
                )),
            );
        }
    }
}

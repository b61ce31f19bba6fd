//! `id-filename`, `duplicate-id` and `case-clash`: ids agree with where records live,
//! and are unique — also to a file system that ignores case.

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use super::Context;
use crate::diag::{Diagnostic, Rule, msg};
use crate::load::Records;
use crate::model::Record;
use crate::model::{Kind, Pos};

pub(super) fn id_filename(record: &Record, out: &mut Vec<Diagnostic>) {
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

pub(super) fn duplicates(cx: &Context, out: &mut Vec<Diagnostic>) {
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

/// Files under `records/` whose paths, or records whose ids, differ only in case or in
/// Unicode normalisation (`ö` as one character, NFC, or as `o` and a combining mark, NFD):
/// on Windows and macOS (and on a site served from them) they are one file, so a checkout
/// there silently loses one of them.
pub(super) fn case_clashes(loaded: &Records, out: &mut Vec<Diagnostic>) {
    // Where a finding points: a record's `id` field, read only for the records that
    // clash (a run that keeps most records' fields packed does not unpack them all).
    let pos_of = |at: At<'_>| match at {
        At::Record(r) => r.fields.get("id").map_or(r.fields.pos, |n| n.pos),
        At::Pos(pos) => pos,
    };
    let records = loaded.records.par_iter();
    let problems = loaded.problems.par_iter().map(|d| (d.path.as_str(), At::Pos(d.pos.unwrap_or(Pos::new(1, 1)))));
    let paths = same_but_case(records.clone().map(|r| (r.path.as_str(), At::Record(r))).chain(problems).collect());
    let ids = same_but_case(records.map(|r| (r.id(), (r.path.as_str(), At::Record(r)))).collect());
    let mut reported = std::collections::HashSet::new();
    for group in &paths {
        for &(path, at) in group {
            let pos = pos_of(at);
            reported.insert(path);
            let others = group.iter().map(|(p, _)| *p).filter(|p| *p != path).collect::<Vec<_>>().join(", ");
            let message = if only_case(group.iter().map(|(p, _)| *p)) {
                msg!(
                    "the file name differs only in case from {others}",
                    "dosya adı şu dosyalardan yalnızca büyük/küçük harf bakımından farklı: {others}"
                )
            } else {
                msg!(
                    "the file name is the same as {others} but for its Unicode form (an accented letter written as one character, NFC, or as a letter and a combining mark, NFD)",
                    "dosya adı şu dosyalarla aynı, yalnızca Unicode biçimi farklı (aksanlı bir harf tek karakter, NFC, ya da harf ve birleşen işaret, NFD, olarak yazılmış): {others}"
                )
            };
            out.push(
                Diagnostic::at(Rule::CaseClash, path, pos, message)
                .with_help(msg!(
                    "on Windows and macOS these are one file: keep one name (ids are lower case, or `TLP-`/`YTK-`/`PRJ-` upper case)",
                    "Windows ve macOS'ta bunlar tek dosyadır: tek bir ad bırakın (kimlikler küçük harflidir; `TLP-`/`YTK-`/`PRJ-` önekleri büyük harflidir)"
                )),
            );
        }
    }
    for group in &ids {
        for &(id, (path, at)) in group.iter().filter(|(_, (path, _))| !reported.contains(path)) {
            let pos = pos_of(at);
            let others = group
                .iter()
                .map(|(o, _)| o)
                .filter(|o| **o != id)
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let message = if only_case(group.iter().map(|(o, _)| *o)) {
                msg!(
                    "id `{id}` differs only in case from {others}",
                    "`{id}` kimliği şu kimliklerden yalnızca büyük/küçük harf bakımından farklı: {others}"
                )
            } else {
                msg!(
                    "id `{id}` is the same as {others} but for its Unicode form (NFC or NFD)",
                    "`{id}` kimliği şu kimliklerle aynı, yalnızca Unicode biçimi (NFC ya da NFD) farklı: {others}"
                )
            };
            out.push(
                Diagnostic::at(Rule::CaseClash, path, pos, message)
                .with_help(msg!(
                    "ids that differ only in case name the same page on the site and the same file on Windows and macOS: rename one",
                    "yalnızca büyük/küçük harf bakımından farklı kimlikler sitede aynı sayfayı, Windows ve macOS'ta aynı dosyayı gösterir: birini yeniden adlandırın"
                )),
            );
        }
    }
}

/// What a name of [`case_clashes`] belongs to: a record, or a file that is none.
#[derive(Clone, Copy)]
enum At<'a> {
    Record(&'a Record),
    Pos(Pos),
}

/// Whether the names of a group differ only in case (else in Unicode normalisation too).
fn only_case<'a>(mut names: impl Iterator<Item = &'a str>) -> bool {
    let Some(first) = names.next().map(str::to_lowercase) else { return true };
    names.all(|n| n.to_lowercase() == first)
}

/// The key two names clash under: lower case, in Unicode normalisation form C (macOS's
/// file systems and Windows treat `ö` as one character and as `o` + U+0308 as one name).
fn folded(name: &str) -> String {
    let lower = name.to_lowercase();
    if unicode_normalization::is_nfc_quick(lower.chars()) == unicode_normalization::IsNormalized::Yes {
        lower
    } else {
        lower.nfc().collect()
    }
}

/// The names (paths or ids) that are equal once lower-cased and NFC-normalised, in groups of two or more
/// different names: groups in the order of their lower-cased form, names in order within
/// a group. A name given more than once counts once, with the value given last. At
/// 100,000 records this is a parallel sort, not two ordered maps built on one thread.
fn same_but_case<'a, V: Copy + Send>(named: Vec<(&'a str, V)>) -> Vec<Vec<(&'a str, V)>> {
    let mut keyed: Vec<(String, &'a str, usize, V)> =
        named.into_par_iter().enumerate().map(|(i, (name, value))| (folded(name), name, i, value)).collect();
    keyed.par_sort_unstable_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
    let mut groups = Vec::new();
    for run in keyed.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
        let mut group: Vec<(&'a str, V)> = Vec::with_capacity(run.len());
        for &(_, name, _, value) in run {
            if group.last().is_some_and(|(last, _)| *last == name) {
                group.pop();
            }
            group.push((name, value));
        }
        if group.len() > 1 {
            groups.push(group);
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::same_but_case;

    #[test]
    fn names_equal_but_for_case_are_grouped_in_order_and_once() {
        let named = vec![
            ("records/b/X.yaml", 1),
            ("records/a/only.yaml", 2),
            ("records/b/x.yaml", 3),
            ("TLP-2026-0001", 4),
            ("tlp-2026-0001", 5),
            // Given twice (a path that is both a record and a problem): once, the last value.
            ("TLP-2026-0001", 6),
            ("records/c/alone.yaml", 7),
            ("İzmir", 8),
            ("i̇zmir", 9),
        ];
        let groups = same_but_case(named);
        assert_eq!(
            groups,
            vec![
                // In the order of the lower-cased names: "i̇zmir", "records/…", "tlp-…".
                vec![("i̇zmir", 9), ("İzmir", 8)],
                vec![("records/b/X.yaml", 1), ("records/b/x.yaml", 3)],
                vec![("TLP-2026-0001", 6), ("tlp-2026-0001", 5)],
            ]
        );
        assert!(same_but_case(vec![("a", 1), ("b", 2), ("a", 3)]).is_empty(), "one name given twice is no clash");
        // "ö" as one character (NFC) and as "o" + U+0308 (NFD, what macOS wrote): one name.
        let groups = same_but_case(vec![("g\u{f6}k", 1), ("go\u{308}k", 2), ("GO\u{308}K", 3)]);
        assert_eq!(groups, vec![vec![("GO\u{308}K", 3), ("go\u{308}k", 2), ("g\u{f6}k", 1)]]);
    }
}

//! The scope of `validate --base`. A pull request touches a handful of records in a
//! repository of 100,000; checking all of them again would make every pull request
//! wait for the whole repository.
//!
//! When a change only adds or edits records outside `records/org/`, the checks of a
//! changed record read nothing but the record, the organisation (people and units), the
//! records it names, its own project folder and the records whose id is the same as its
//! own up to case. [`plan`] says so, and [`context`] lists those files, so that only
//! they are read and parsed. Any other change — to the rules (`schemas/`), the
//! configuration, CODEOWNERS, people or units, a deleted or renamed record, or more than
//! [`MAX_CHANGED`] files — can change findings anywhere, and is checked in full.

use std::collections::{HashMap, HashSet};

use gix::ObjectId;

use crate::load::Records;
use crate::model::Kind;

/// Beyond this many changed files a scoped check saves little: check everything.
pub(crate) const MAX_CHANGED: usize = 2_000;

const RECORDS: &str = "records/";
const ORG: &str = "records/org/";

/// What `validate --base` checks.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Everything, for the reason given.
    Everything(&'static str),
    /// The records at these paths (added or edited since the base).
    Changed(Vec<String>),
}

/// Compares the files of the base and the head (records, rules, configuration and
/// CODEOWNERS, as (path, blob id) sorted by path).
pub(crate) fn plan(base: &[(String, ObjectId)], head: &[(String, ObjectId)]) -> Plan {
    // Hidden files under records/ (`.gitkeep`) are not records: loading skips them.
    let seen = |(p, _): &&(String, ObjectId)| !(p.starts_with(RECORDS) && p.contains("/."));
    let base_ids: HashMap<&str, ObjectId> = base.iter().filter(seen).map(|(p, id)| (p.as_str(), *id)).collect();
    let head_paths: HashSet<&str> = head.iter().filter(seen).map(|(p, _)| p.as_str()).collect();
    if base_ids.keys().any(|p| !head_paths.contains(p)) {
        return Plan::Everything("a file was deleted or renamed");
    }
    let changed: Vec<&str> = head
        .iter()
        .filter(seen)
        .filter(|(p, id)| base_ids.get(p.as_str()) != Some(id))
        .map(|(p, _)| p.as_str())
        .collect();
    if changed.iter().any(|p| !p.starts_with(RECORDS)) {
        return Plan::Everything("the change edits the rules, the configuration or CODEOWNERS");
    }
    if changed.iter().any(|p| p.starts_with(ORG)) {
        return Plan::Everything("the change edits people or units");
    }
    if changed.len() > MAX_CHANGED {
        return Plan::Everything("the change touches more than 2,000 files");
    }
    Plan::Changed(changed.into_iter().map(str::to_string).collect())
}

/// `text` in lower case (as [`str::to_lowercase`]) into `buf`, which is cleared first:
/// a pass over every path or id of a large repository folds each without allocating.
pub(crate) fn fold_into<'b>(buf: &'b mut String, text: &str) -> &'b str {
    buf.clear();
    if text.is_ascii() {
        buf.extend(text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        buf.push_str(&text.to_lowercase());
    }
    buf
}

/// The project folder a path lies in (`records/projects/PRJ-0001/`).
fn project_folder(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("records/projects/")?;
    let end = rest.find('/')?;
    Some(&path[..("records/projects/".len() + end + 1)])
}

/// The files, other than the changed ones, that the changed records' checks read:
/// every person and unit, every record a changed record names, the rest of its
/// project folder, and the records whose id equals its own up to case. `head` is every
/// path of the head.
pub(crate) fn context(changed: &Records, head: &[&str]) -> Vec<String> {
    // What the changed records name, folded, and their project folders; then one pass
    // over the head's paths (at 100,000 records, folding each into one buffer rather
    // than indexing them all is most of a warm rebuild's time saved).
    let mut names: HashSet<String> = HashSet::new();
    for record in &changed.records {
        let strings = record.fields.strings();
        for id in [record.id(), record.path_id.as_str()].into_iter().chain(strings) {
            names.insert(id.to_lowercase());
        }
    }
    let folders: HashSet<&str> = changed.records.iter().filter_map(|r| project_folder(&r.path)).collect();
    let edited: HashSet<&str> = changed.records.iter().map(|r| r.path.as_str()).collect();
    let mut buf = String::new();
    let mut out: Vec<String> = head
        .iter()
        .filter(|path| !edited.contains(**path))
        .filter(|path| {
            path.starts_with(ORG)
                || project_folder(path).is_some_and(|f| folders.contains(f))
                || path
                    .strip_prefix(RECORDS)
                    .and_then(Kind::from_path)
                    .is_some_and(|(_, id)| names.contains(fold_into(&mut buf, &id)))
        })
        .map(|path| path.to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{RawFile, load_files};

    fn id(n: u8) -> ObjectId {
        ObjectId::from_bytes_or_panic(&[n; 20])
    }

    fn files(list: &[(&str, u8)]) -> Vec<(String, ObjectId)> {
        list.iter().map(|(p, n)| ((*p).to_string(), id(*n))).collect()
    }

    const REQ: &str = "records/requests/2026/TLP-2026-0001.md";

    #[test]
    fn edited_records_are_checked_alone() {
        let base = files(&[
            ("defter.toml", 1),
            (REQ, 2),
            ("records/org/people/a.yaml", 3),
            ("records/requests/2027/.gitkeep", 6),
        ]);
        let head = files(&[
            ("defter.toml", 1),
            (REQ, 4),
            ("records/grants/2026/YTK-2026-0001.yaml", 5),
            ("records/org/people/a.yaml", 3),
        ]);
        assert_eq!(
            plan(&base, &head),
            Plan::Changed(vec![REQ.into(), "records/grants/2026/YTK-2026-0001.yaml".into()])
        );
    }

    #[test]
    fn changes_that_reach_every_record_are_checked_in_full() {
        let base = files(&[("defter.toml", 1), ("records/org/people/a.yaml", 3), (REQ, 2)]);
        let cases = [
            (files(&[("defter.toml", 9), ("records/org/people/a.yaml", 3), (REQ, 2)]), "configuration"),
            (files(&[("defter.toml", 1), ("records/org/people/a.yaml", 9), (REQ, 2)]), "people or units"),
            (files(&[("defter.toml", 1), ("records/org/people/a.yaml", 3)]), "deleted"),
        ];
        for (head, why) in cases {
            match plan(&base, &head) {
                Plan::Everything(reason) => assert!(reason.contains(why), "{reason}"),
                Plan::Changed(_) => panic!("{why}: scoped"),
            }
        }
        let many: Vec<(String, ObjectId)> =
            (0..=MAX_CHANGED).map(|n| (format!("records/requests/2026/TLP-2026-{n:04}.md"), id(7))).collect();
        assert!(matches!(plan(&[], &many), Plan::Everything(_)));
    }

    #[test]
    fn folding_into_a_buffer_is_lower_casing() {
        let mut buf = String::from("left over");
        for text in ["PRJ-0002", "prj-0002", "TLP-İZMİR-Iğdır", "ΟΔΟΣ", ""] {
            assert_eq!(fold_into(&mut buf, text), text.to_lowercase(), "{text}");
        }
    }

    #[test]
    fn context_holds_the_organisation_what_is_named_and_the_project_folder() {
        let text = "---\nid: PRJ-0002\ntitle: x\nowner_unit: bilgi-islem\nrequest: TLP-2026-0001\n---\nbody\n";
        let changed =
            load_files(vec![RawFile { path: "records/projects/PRJ-0002/index.md".into(), bytes: text.into() }]);
        let head = [
            "records/org/units/bilgi-islem.yaml",
            "records/org/people/a.yaml",
            "records/projects/PRJ-0002/index.md",
            "records/projects/PRJ-0002/analysis.md",
            "records/projects/PRJ-0003/index.md",
            REQ,
            "records/requests/2026/TLP-2026-0002.md",
            "records/grants/2026/prj-0002.yaml",
        ];
        assert_eq!(
            context(&changed, &head),
            vec![
                "records/grants/2026/prj-0002.yaml",
                "records/org/people/a.yaml",
                "records/org/units/bilgi-islem.yaml",
                "records/projects/PRJ-0002/analysis.md",
                REQ,
            ]
        );
    }
}

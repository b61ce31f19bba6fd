//! `id-filename` and `duplicate-id`: ids agree with where records live, and are unique.

use super::Context;
use crate::diag::{Diagnostic, Rule};
use crate::load::Record;
use crate::model::Kind;

pub fn id_filename(record: &Record, out: &mut Vec<Diagnostic>) {
    if record.kind == Kind::ProjectSection {
        return;
    }
    let Some(id) = record.fields.get("id").and_then(|n| n.as_str()) else { return };
    let pos = record.fields.get("id").map_or(record.fields.pos, |n| n.pos);
    if id != record.path_id {
        let place = if record.kind == Kind::Project { "folder" } else { "file" };
        out.push(
            Diagnostic::at(
                Rule::IdFilename,
                &record.path,
                pos,
                format!("id `{id}` differs from the {place} name `{}`", record.path_id),
            )
            .with_help(format!("rename the {place} to `{id}` or correct the id; they must be the same")),
        );
    } else if let Some(folder) = record.kind.year_folder(&record.path) {
        let year = id.split('-').nth(1).unwrap_or_default();
        if year != folder {
            out.push(
                Diagnostic::at(
                    Rule::IdFilename,
                    &record.path,
                    pos,
                    format!("id `{id}` is a {year} id but the file is in the `{folder}` folder"),
                )
                .with_help(format!("move the file to the `{year}` folder")),
            );
        }
    }
}

pub fn duplicates(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (id, records) in cx.index.duplicates() {
        let mut paths: Vec<&str> = records.iter().map(|r| r.path.as_str()).collect();
        paths.sort_unstable();
        for r in records {
            let others: Vec<&str> = paths.iter().copied().filter(|p| *p != r.path).collect();
            let pos = r.fields.get("id").map_or(r.fields.pos, |n| n.pos);
            out.push(
                Diagnostic::at(Rule::DuplicateId, &r.path, pos, format!("id `{id}` is also used by {}", others.join(", ")))
                    .with_help("give one of the records the next free id (when two branches created the same id, renumber the one merged last)"),
            );
        }
    }
}

//! `dangling-ref`: every reference the workflow data declares names an existing record
//! of an allowed kind (`unit:service` also checks the unit's type).

use super::Context;
use crate::diag::{Diagnostic, Rule, msg};
use crate::model::workflow::Workflows;
use crate::model::{Node, Record};

/// One value of a reference field: the field's path, the kinds it may name, the node and
/// the id it holds.
type Reference<'r> = (&'r str, &'r [String], &'r Node, &'r str);

/// The values of `record`'s reference fields: every id [`check`] looks up, and so (with
/// people and units) every record whose change can change its findings — what the
/// findings cache ([`super::cache`]) keeps of each record.
fn references<'r>(workflows: &'r Workflows, record: &'r Record) -> Vec<Reference<'r>> {
    let Some(fields) = workflows.references.get(record.kind.name()) else { return Vec::new() };
    let mut out = Vec::new();
    for (path, targets) in fields {
        for node in record.fields.path(path) {
            if let Some(id) = node.as_str() {
                out.push((path.as_str(), targets.as_slice(), node, id));
            }
        }
    }
    out
}

/// The ids `record`'s reference fields name, sorted, once each.
pub(super) fn named(workflows: &Workflows, record: &Record) -> Vec<String> {
    let mut ids: Vec<String> = references(workflows, record).into_iter().map(|(.., id)| id.to_string()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

pub(super) fn check(cx: &Context, record: &Record, out: &mut Vec<Diagnostic>) {
    for (path, targets, node, id) in references(&cx.rules.workflows, record) {
        let candidates = cx.index.all(id);
        let found = candidates.first().copied();
        let ok = candidates.iter().any(|target| {
            targets.iter().any(|t| {
                let (kind, unit_type) = t.split_once(':').map_or((t.as_str(), None), |(k, ty)| (k, Some(ty)));
                target.kind.name() == kind && unit_type.is_none_or(|ty| target.fields.str_at("type") == Some(ty))
            })
        });
        if ok {
            continue;
        }
        let wanted = targets.join(" or ");
        let wanted_tr = targets.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(" ya da ");
        let message = match found {
            None => msg!(
                "`{path}` names `{id}`, but no record has that id",
                "`{path}` alanında geçen `{id}` kaydı bulunamadı"
            ),
            Some(target) => {
                let ty = target.fields.str_at("type").filter(|_| target.kind.name() == "unit");
                let actual = ty.map_or_else(|| target.kind.to_string(), |ty| format!("unit:{ty}"));
                msg!(
                    "`{path}` names `{id}`, a {actual} record; it must name: {wanted}",
                    "`{path}` alanında geçen `{id}` kaydının türü uygun değil (türü: `{actual}`; olması gereken: {wanted_tr})"
                )
            }
        };
        out.push(Diagnostic::at(Rule::DanglingRef, &record.path, node.pos, message).with_help(msg!(
            "use the id of an existing {wanted} record (ids are file names under records/)",
            "var olan bir kaydın kimliğini yazın (tür: {wanted_tr}; kimlikler records/ altındaki dosya adlarıdır)"
        )));
    }
}

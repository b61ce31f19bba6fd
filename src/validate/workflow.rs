//! The workflow data applied to one record: `state-fields` (what a state requires),
//! `illegal-transition` and `unauthorized-actor` for the status changes its `history`
//! records, `unauthorized-actor` for the actor fields, `separation-of-duties` and
//! `inactive-person`.

use super::{Context, select};
use crate::diag::{Diagnostic, Rule};
use crate::load::Record;
use crate::model::Node;
use crate::model::workflow::Lifecycle;

pub fn check(cx: &Context, record: &Record, out: &mut Vec<Diagnostic>) {
    let kind = record.kind.name();
    if let Some(lifecycle) = cx.rules.workflows.lifecycle(kind) {
        state_fields(record, lifecycle, out);
        history(cx, record, lifecycle, out);
    }
    actor_fields(cx, record, out);
    separation(cx, record, out);
    holders(cx, record, out);
}

fn is_present(node: &Node) -> bool {
    match &node.value {
        crate::model::Value::Str(s) => !s.trim().is_empty(),
        crate::model::Value::Seq(items) => !items.is_empty(),
        crate::model::Value::Null => false,
        _ => true,
    }
}

fn state_fields(record: &Record, lifecycle: &Lifecycle, out: &mut Vec<Diagnostic>) {
    let Some(state_node) = record.fields.get(&lifecycle.field) else { return };
    let Some(state) = state_node.as_str() else { return };
    let Some(spec) = lifecycle.states.get(state) else { return };
    let article = spec.article.as_deref().unwrap_or(&lifecycle.article);
    let field = &lifecycle.field;
    for path in &spec.requires {
        if !record.fields.path(path).into_iter().any(is_present) {
            out.push(
                Diagnostic::at(
                    Rule::StateFields,
                    &record.path,
                    state_node.pos,
                    format!("{field} `{state}` requires `{path}` ({article})"),
                )
                .with_help(format!("fill in `{path}`, or keep the record in an earlier {field}")),
            );
        }
    }
    for req in &spec.entries {
        if select(&record.fields, &format!("{}[]", req.list), &req.filter).is_empty() {
            let filter: Vec<String> = req.filter.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            out.push(
                Diagnostic::at(
                    Rule::StateFields,
                    &record.path,
                    state_node.pos,
                    format!(
                        "{field} `{state}` requires {} in `{}` ({}) ({})",
                        req.label,
                        req.list,
                        filter.join(", "),
                        req.article
                    ),
                )
                .with_help(format!(
                    "append a `{}` entry with {}, or keep the record in an earlier {field}",
                    req.list,
                    filter.join(", ")
                )),
            );
        }
    }
}

/// Walks the status changes recorded in `history`: each must be a transition of the
/// lifecycle made by an allowed actor, and the last must be the current state.
fn history(cx: &Context, record: &Record, lifecycle: &Lifecycle, out: &mut Vec<Diagnostic>) {
    let field = &lifecycle.field;
    let mut previous: Option<&str> = None;
    let mut last_entry: Option<&Node> = None;
    for entry in record.fields.path("history[]") {
        let Some(status_node) = entry.get("status") else { continue };
        let Some(status) = status_node.as_str() else { continue };
        last_entry = Some(status_node);
        if !lifecycle.states.contains_key(status) {
            continue; // the schema reports unknown states
        }
        check_step(cx, record, lifecycle, previous, entry, status_node, out);
        previous = Some(status);
    }
    let current = record.fields.get(field).and_then(|n| n.as_str());
    if let (Some(current), Some(last)) = (current, last_entry)
        && last.as_str() != Some(current)
    {
        let pos = record.fields.get(field).map_or(record.fields.pos, |n| n.pos);
        out.push(
            Diagnostic::at(
                Rule::StateFields,
                &record.path,
                pos,
                format!(
                    "{field} is `{current}` but the last history entry records `{}`",
                    last.as_str().unwrap_or_default()
                ),
            )
            .with_help(format!("append a history entry {{date, by, status: {current}}} for the change")),
        );
    }
}

/// Checks one status change, from `previous` (`None`: the record's first state) to the
/// state `status_node` holds, recorded by history `entry` (whose `by` made it).
pub fn check_step(
    cx: &Context,
    record: &Record,
    lifecycle: &Lifecycle,
    previous: Option<&str>,
    entry: &Node,
    status_node: &Node,
    out: &mut Vec<Diagnostic>,
) {
    let field = &lifecycle.field;
    let Some(status) = status_node.as_str() else { return };
    let transition = match previous {
        None => {
            if !lifecycle.initial.iter().any(|s| s == status) {
                out.push(
                    Diagnostic::at(
                        Rule::IllegalTransition,
                        &record.path,
                        status_node.pos,
                        format!(
                            "a new record starts in {field} {}, not `{status}` ({})",
                            lifecycle.initial.join(" or "),
                            lifecycle.article
                        ),
                    )
                    .with_help("the first history entry records how the record was created"),
                );
            }
            return;
        }
        Some(prev) if prev == status => return,
        Some(prev) => match lifecycle.transition(prev, status) {
            Some(t) => t,
            None => {
                let allowed: Vec<&str> = lifecycle
                    .transitions
                    .iter()
                    .filter(|t| t.from.iter().any(|f| f == prev))
                    .map(|t| t.to.as_str())
                    .collect();
                out.push(
                    Diagnostic::at(
                        Rule::IllegalTransition,
                        &record.path,
                        status_node.pos,
                        format!("{field} `{prev}` cannot change to `{status}` ({})", lifecycle.article),
                    )
                    .with_help(format!(
                        "from `{prev}` the lifecycle allows: {}",
                        if allowed.is_empty() { "nothing (final)".into() } else { allowed.join(", ") }
                    )),
                );
                return;
            }
        },
    };
    let Some(by) = entry.get("by") else { return };
    let Some(person) = by.as_str() else { return };
    if cx.index.knows_person(person) && !cx.index.any_actor(&cx.rules.workflows, person, &transition.by, record) {
        out.push(
            Diagnostic::at(
                Rule::UnauthorizedActor,
                &record.path,
                by.pos,
                format!(
                    "`{person}` may not {} ({} → {}, {})",
                    transition.name.replace('_', " "),
                    transition.from.join("/"),
                    transition.to,
                    transition.article
                ),
            )
            .with_help(format!("this step is taken by: {}", transition.by.join(", ").replace('_', " "))),
        );
    }
}

fn actor_fields(cx: &Context, record: &Record, out: &mut Vec<Diagnostic>) {
    let w = &cx.rules.workflows;
    for rule in w.actor_fields.iter().filter(|r| r.kind == record.kind.name()) {
        for node in select(&record.fields, &rule.field, &rule.filter) {
            let Some(person) = node.as_str() else { continue };
            if cx.index.knows_person(person) && !cx.index.any_actor(w, person, &rule.by, record) {
                out.push(
                    Diagnostic::at(
                        Rule::UnauthorizedActor,
                        &record.path,
                        node.pos,
                        format!("`{person}` may not be {} (`{}`, {})", rule.what, rule.field, rule.article),
                    )
                    .with_help(format!("this is done by: {}", rule.by.join(", ").replace('_', " "))),
                );
            }
        }
    }
}

fn separation(cx: &Context, record: &Record, out: &mut Vec<Diagnostic>) {
    let none = Default::default();
    for rule in cx.rules.workflows.separation.iter().filter(|r| r.kind == record.kind.name()) {
        let a: Vec<&str> = select(&record.fields, &rule.a, &none).into_iter().filter_map(Node::as_str).collect();
        for node in select(&record.fields, &rule.b, &rule.filter) {
            let Some(person) = node.as_str() else { continue };
            if a.contains(&person) {
                out.push(
                    Diagnostic::at(
                        Rule::SeparationOfDuties,
                        &record.path,
                        node.pos,
                        format!("`{person}` is both `{}` and `{}`: {} ({})", rule.a, rule.b, rule.what, rule.article),
                    )
                    .with_help("another person must take one of the two duties"),
                );
            }
        }
    }
}

fn holders(cx: &Context, record: &Record, out: &mut Vec<Diagnostic>) {
    let w = &cx.rules.workflows;
    let kind = record.kind.name();
    let Some(state) = record.fields.str_at(w.state_field(kind)) else { return };
    for rule in w.holders.iter().filter(|r| r.kind == kind) {
        if !w.state_matches(kind, state, &rule.when) {
            continue;
        }
        for node in record.fields.path(&rule.field) {
            let Some(person) = node.as_str() else { continue };
            if cx.index.is_active(person) == Some(false) {
                let left = cx
                    .index
                    .person(person)
                    .and_then(|p| p.fields.str_at("left_on"))
                    .map(|d| format!(" on {d}"))
                    .unwrap_or_default();
                out.push(
                    Diagnostic::at(
                        Rule::InactivePerson,
                        &record.path,
                        node.pos,
                        format!("`{person}` left{left} but is still {} ({})", rule.what, rule.article),
                    )
                    .with_help("hand the work to an active colleague, or revoke the access"),
                );
            }
        }
    }
}

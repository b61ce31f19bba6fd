//! The workflow data applied to one record: `state-fields` (what a state requires),
//! `illegal-transition` and `unauthorized-actor` for the status changes its `history`
//! records, `unauthorized-actor` for the actor fields, `separation-of-duties` and
//! `inactive-person`.

use super::{Context, from_entry};
use crate::diag::{Diagnostic, Rule, msg};
use crate::model::Node;
use crate::model::Record;
use crate::model::select;
use crate::model::workflow::Lifecycle;

pub(super) fn check(cx: &Context, record: &Record, out: &mut Vec<Diagnostic>) {
    let kind = record.kind.name();
    if let Some(lifecycle) = cx.rules.workflows.lifecycle(kind) {
        state_fields(cx, record, lifecycle, out);
        history(cx, record, lifecycle, out);
    }
    required_tests(cx, record, out);
    actor_fields(cx, record, out);
    separation(cx, record, out);
    holders(cx, record, out);
}

/// The Turkish word for a lifecycle's state field (`status`, `phase`), for messages.
fn state_word(field: &str) -> String {
    match field {
        "status" => "durum".into(),
        "phase" => "aşama".into(),
        other => format!("`{other}`"),
    }
}

/// A state by its Turkish label from the kind's schema (`Kapatıldı`), or its code.
fn state_label(cx: &Context, record: &Record, field: &str, state: &str) -> String {
    let labels = cx.schemas.subschema(record.kind, &format!("/{field}")).and_then(|s| s.get("x-labels"));
    match labels.and_then(|l| l.get(state)).and_then(serde_json::Value::as_str) {
        Some(label) => label.to_string(),
        None => format!("`{state}`"),
    }
}

/// A field path for a Turkish sentence: `` `resolution.tested_by` (Test eden) `` with the
/// schema's title when it has one.
fn field_tr(cx: &Context, record: &Record, path: &str) -> String {
    let pointer: String = path.split('.').map(|p| format!("/{p}")).collect();
    match cx.schemas.title(record.kind, &pointer) {
        Some(title) => format!("`{path}` ({title})"),
        None => format!("`{path}`"),
    }
}

/// Names (states, actors) as a Turkish list: `` `a` ya da `b` ``.
fn any_of(names: &[String], separator: &str) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(separator)
}

fn is_present(node: &Node) -> bool {
    match &node.value {
        crate::model::Value::Str(s) => !s.trim().is_empty(),
        crate::model::Value::Seq(items) => !items.is_empty(),
        crate::model::Value::Null => false,
        _ => true,
    }
}

fn state_fields(cx: &Context, record: &Record, lifecycle: &Lifecycle, out: &mut Vec<Diagnostic>) {
    let Some(state_node) = record.fields.get(&lifecycle.field) else { return };
    let Some(state) = state_node.as_str() else { return };
    let Some(spec) = lifecycle.states.get(state) else { return };
    let field = &lifecycle.field;
    let word = state_word(field);
    // The fields the state requires that the record lacks: one finding for them all, at
    // the state field; an entry of a list that lacks a field: a finding at the entry.
    let mut absent: Vec<&str> = Vec::new();
    for path in &spec.requires {
        // `list[].field`: every entry of the list has the field (an audit's findings each
        // with its corrective action done); otherwise the field is there at all.
        match path.rsplit_once("[].") {
            Some((list, rest)) => {
                for entry in record.fields.path(&format!("{list}[]")) {
                    if !entry.path(rest).into_iter().any(is_present) {
                        out.extend(missing_fields(
                            cx,
                            record,
                            lifecycle,
                            state,
                            entry.pos,
                            &[path],
                            spec.local.as_deref(),
                        ));
                    }
                }
            }
            None if record.fields.path(path).into_iter().any(is_present) => {}
            None => absent.push(path),
        }
    }
    if !absent.is_empty() {
        out.extend(missing_fields(cx, record, lifecycle, state, state_node.pos, &absent, spec.local.as_deref()));
    }
    for (local, paths) in &spec.local_requires {
        let absent: Vec<&str> =
            paths.iter().filter(|p| !record.fields.path(p).into_iter().any(is_present)).map(String::as_str).collect();
        if !absent.is_empty() {
            out.extend(missing_fields(cx, record, lifecycle, state, state_node.pos, &absent, Some(local)));
        }
    }
    for req in &spec.entries {
        if select(&record.fields, &format!("{}[]", req.list), &req.filter).is_empty() {
            let filter = req.filter.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ");
            let (label, list, article) = (&req.label, &req.list, &req.article);
            out.extend(from_entry(
                cx,
                req.local.as_deref(),
                Diagnostic::at(
                    Rule::StateFields,
                    &record.path,
                    state_node.pos,
                    msg!(
                        "{field} `{state}` requires {label} in `{list}` ({filter}) ({article})",
                        "`{list}` listesinde {label} yok ({filter}); {word} `{state}` olduğunda zorunludur ({article})"
                    ),
                )
                .with_help(msg!(
                    "append a `{list}` entry with {filter}, or keep the record in an earlier {field}",
                    "`{list}` listesine bir girdi ekleyin ({filter}) ya da {word} değişikliğini geri alın"
                )),
            ));
        }
    }
}

/// The `state-fields` finding for `paths` that `state` requires and the record (or, at
/// `pos`, one entry of a list) lacks: one finding naming them all, under the local rule
/// `local` (or the directive, `None`).
fn missing_fields(
    cx: &Context,
    record: &Record,
    lifecycle: &Lifecycle,
    state: &str,
    pos: crate::model::Pos,
    paths: &[&str],
    local: Option<&str>,
) -> Option<Diagnostic> {
    let spec = &lifecycle.states[state];
    let article = spec.article.as_deref().unwrap_or(&lifecycle.article);
    let field = &lifecycle.field;
    let word = state_word(field);
    let en = paths.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
    let tr = paths.iter().map(|p| field_tr(cx, record, p)).collect::<Vec<_>>().join(", ");
    let label = state_label(cx, record, field, state);
    let (fields, them) = if paths.len() == 1 { ("field", "it") } else { ("fields", "them") };
    let alan = if paths.len() == 1 { "alan" } else { "alanlar" };
    from_entry(
        cx,
        local,
        Diagnostic::at(
            Rule::StateFields,
            &record.path,
            pos,
            msg!(
                "{field} `{state}` requires {en} ({article})",
                "{word} {label} olduğunda zorunlu olan {alan} eksik: {tr} ({article})"
            ),
        )
        .with_help(msg!(
            "fill in the {fields} ({en}), or keep the record in an earlier {field} than `{state}` until {them} can be",
            "eksik {alan_acc} doldurun ({tr}) ya da {word} değişikliğini geri alın",
            alan_acc = if paths.len() == 1 { "alanı" } else { "alanları" }
        )),
    )
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
        let (word, last) = (state_word(field), last.as_str().unwrap_or_default());
        out.push(
            Diagnostic::at(
                Rule::StateFields,
                &record.path,
                pos,
                msg!(
                    "{field} is `{current}` but the last history entry records `{last}`",
                    "{word} `{current}`, ama `history` listesindeki son girdide `{last}` yazıyor"
                ),
            )
            .with_help(msg!(
                "append a history entry {{date, by, status: {current}}} for the change",
                "bu değişiklik için `history` listesine bir girdi ekleyin: {{date, by, status: {current}}}"
            )),
        );
    }
}

/// Checks one status change, from `previous` (`None`: the record's first state) to the
/// state `status_node` holds, recorded by history `entry` (whose `by` made it).
pub(super) fn check_step(
    cx: &Context,
    record: &Record,
    lifecycle: &Lifecycle,
    previous: Option<&str>,
    entry: &Node,
    status_node: &Node,
    out: &mut Vec<Diagnostic>,
) {
    let (field, article) = (&lifecycle.field, &lifecycle.article);
    let word = state_word(field);
    let Some(status) = status_node.as_str() else { return };
    let transition = match previous {
        None => {
            if !lifecycle.initial.iter().any(|s| s == status) {
                let (initial, initial_tr) = (lifecycle.initial.join(" or "), any_of(&lifecycle.initial, " ya da "));
                out.push(
                    Diagnostic::at(
                        Rule::IllegalTransition,
                        &record.path,
                        status_node.pos,
                        msg!(
                            "a new record starts in {field} {initial}, not `{status}` ({article})",
                            "yeni bir kaydın ilk {word} değeri {initial_tr} olmalıdır, `{status}` olamaz ({article})"
                        ),
                    )
                    .with_help(msg!(
                        "the first history entry records how the record was created",
                        "`history` listesinin ilk girdisi kaydın nasıl oluşturulduğunu gösterir"
                    )),
                );
            }
            return;
        }
        Some(prev) if prev == status => return,
        Some(prev) => match lifecycle.transition(prev, status) {
            Some(t) => t,
            None => {
                let allowed: Vec<String> = lifecycle
                    .transitions
                    .iter()
                    .filter(|t| t.from.iter().any(|f| f == prev))
                    .map(|t| t.to.clone())
                    .collect();
                let help = if allowed.is_empty() {
                    msg!(
                        "from `{prev}` the lifecycle allows: nothing (final)",
                        "`{prev}` son {word} değeridir; yaşam döngüsü buradan bir geçişe izin vermez"
                    )
                } else {
                    msg!(
                        "from `{prev}` the lifecycle allows: {en}",
                        "yaşam döngüsünün `{prev}` değerinden izin verdiği geçişler: {tr}",
                        en = allowed.join(", "),
                        tr = any_of(&allowed, ", ")
                    )
                };
                out.push(
                    Diagnostic::at(
                        Rule::IllegalTransition,
                        &record.path,
                        status_node.pos,
                        msg!(
                            "{field} `{prev}` cannot change to `{status}` ({article})",
                            "{word} `{prev}` değerinden `{status}` değerine geçilemez ({article})"
                        ),
                    )
                    .with_help(help),
                );
                return;
            }
        },
    };
    untested_step(cx, record, lifecycle, previous, status_node, out);
    let Some(by) = entry.get("by") else { return };
    let Some(person) = by.as_str() else { return };
    if cx.index.knows_person(person) && !cx.index.any_actor(&cx.rules.workflows, person, &transition.by, record) {
        let (step, from, to, article) =
            (transition.name.replace('_', " "), transition.from.join("/"), &transition.to, &transition.article);
        out.extend(from_entry(
            cx,
            transition.local.as_deref(),
            Diagnostic::at(
                Rule::UnauthorizedActor,
                &record.path,
                by.pos,
                msg!(
                    "`{person}` may not {step} ({from} → {to}, {article})",
                    "`{person}` bu geçişi yapamaz: {from} → {to} ({article})"
                ),
            )
            .with_help(msg!(
                "this step is taken by: {en}",
                "bu adımı atabilecekler: {tr}",
                en = transition.by.join(", ").replace('_', " "),
                tr = any_of(&transition.by, ", ")
            )),
        ));
    }
}

fn actor_fields(cx: &Context, record: &Record, out: &mut Vec<Diagnostic>) {
    let w = &cx.rules.workflows;
    for rule in w.actor_fields.iter().filter(|r| r.kind == record.kind.name()) {
        for node in select(&record.fields, &rule.field, &rule.filter) {
            let Some(person) = node.as_str() else { continue };
            if cx.index.knows_person(person) && !cx.index.any_actor(w, person, &rule.by, record) {
                let (what, field, article) = (&rule.what, &rule.field, &rule.article);
                out.extend(from_entry(
                    cx,
                    rule.local.as_deref(),
                    Diagnostic::at(
                        Rule::UnauthorizedActor,
                        &record.path,
                        node.pos,
                        msg!(
                            "`{person}` may not be {what} (`{field}`, {article})",
                            "`{person}` {what} olamaz; bu görev için gereken role sahip değil (`{field}`, {article})"
                        ),
                    )
                    .with_help(msg!(
                        "this is done by: {en}",
                        "bu görevi yapabilecekler: {tr}",
                        en = rule.by.join(", ").replace('_', " "),
                        tr = any_of(&rule.by, ", ")
                    )),
                ));
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
                let (a, b, what, article) = (&rule.a, &rule.b, &rule.what, &rule.article);
                out.extend(from_entry(
                    cx,
                    rule.local.as_deref(),
                    Diagnostic::at(
                        Rule::SeparationOfDuties,
                        &record.path,
                        node.pos,
                        msg!(
                            "`{person}` is both `{a}` and `{b}`: {what} ({article})",
                            "`{person}` hem `{a}` hem `{b}` alanında: {what} ({article})"
                        ),
                    )
                    .with_help(msg!(
                        "another person must take one of the two duties",
                        "iki görevden birini başka bir kişi üstlenmelidir"
                    )),
                ));
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
                let left_on = cx.index.person(person).and_then(|p| p.fields.str_at("left_on"));
                let left = left_on.map(|d| format!(" on {d}")).unwrap_or_default();
                let left_tr = left_on
                    .map(|d| d.parse().map_or_else(|_| d.to_string(), crate::model::date::show_date))
                    .map(|d| format!(" {d} tarihinde"))
                    .unwrap_or_default();
                let (what, article) = (&rule.what, &rule.article);
                out.extend(from_entry(
                    cx,
                    rule.local.as_deref(),
                    Diagnostic::at(
                        Rule::InactivePerson,
                        &record.path,
                        node.pos,
                        msg!(
                            "`{person}` left{left} but is still {what} ({article})",
                            "`{person}`{left_tr} ayrıldı ama hâlâ {what} ({article})"
                        ),
                    )
                    .with_help(msg!(
                        "hand the work to an active colleague, or revoke the access",
                        "işi görevdeki bir çalışma arkadaşına devredin ya da erişimi kaldırın"
                    )),
                ));
            }
        }
    }
}

/// A step into a state that the record's type reaches only after a test, taken from
/// another state than the test's (`required_tests`).
fn untested_step(
    cx: &Context,
    record: &Record,
    lifecycle: &Lifecycle,
    previous: Option<&str>,
    status_node: &Node,
    out: &mut Vec<Diagnostic>,
) {
    let (Some(prev), Some(status)) = (previous, status_node.as_str()) else { return };
    let kind = record.kind.name();
    for rule in cx.rules.workflows.required_tests.iter().filter(|r| r.kind == kind && r.before == status) {
        let value = record.fields.str_at(&rule.field);
        if prev == rule.state || !rule.applies_to(value) {
            continue;
        }
        let (field, test, article) = (&lifecycle.field, &rule.state, &rule.article);
        let (word, value, by) = (state_word(field), value.unwrap_or_default(), &rule.field);
        out.extend(from_entry(cx, rule.local.as_deref(),
            Diagnostic::at(
                Rule::IllegalTransition,
                &record.path,
                status_node.pos,
                msg!(
                    "a record of {by} `{value}` goes through `{test}` before {field} `{status}`, not from `{prev}` ({article})",
                    "`{by}` değeri `{value}` olan kayıt, {word} `{status}` olmadan önce `{test}` aşamasından geçer; `{prev}` değerinden doğrudan geçilemez ({article})"
                ),
            )
            .with_help(msg!(
                "send it to `{test}` and record who tested it",
                "kaydı `{test}` durumuna gönderin ve test edeni kaydedin"
            )),
        ));
    }
}

/// `required_tests`: the tester a record's type needs in the state after the test, and
/// that the tester recorded may test it.
fn required_tests(cx: &Context, record: &Record, out: &mut Vec<Diagnostic>) {
    let w = &cx.rules.workflows;
    let kind = record.kind.name();
    let state_field = w.state_field(kind);
    let state_node = record.fields.get(state_field);
    let state = state_node.and_then(Node::as_str);
    for rule in w.required_tests.iter().filter(|r| r.kind == kind) {
        let Some(value) = record.fields.str_at(&rule.field).filter(|v| rule.applies_to(Some(v))) else { continue };
        let (tester, article, by) = (&rule.tester, &rule.article, &rule.field);
        let testers = record.fields.path(tester);
        if let (Some(state), Some(node)) = (state, state_node)
            && state == rule.before
            && !testers.iter().any(|n| is_present(n))
        {
            let word = state_word(state_field);
            out.extend(from_entry(cx, rule.local.as_deref(),
                Diagnostic::at(
                    Rule::StateFields,
                    &record.path,
                    node.pos,
                    msg!(
                        "{state_field} `{state}` requires `{tester}`: a record of {by} `{value}` is tested first ({article})",
                        "`{tester}` alanı eksik; `{by}` değeri `{value}` olan kayıt {word} `{state}` olmadan önce test edilir ({article})"
                    ),
                )
                .with_help(msg!(
                    "record who tested it in `{tester}`",
                    "testi yapan kişiyi `{tester}` alanına yazın"
                )),
            ));
        }
        for node in testers {
            let Some(person) = node.as_str() else { continue };
            if cx.index.knows_person(person) && !cx.index.any_actor(w, person, &rule.by, record) {
                let what = &rule.what;
                out.extend(from_entry(
                    cx,
                    rule.local.as_deref(),
                    Diagnostic::at(
                        Rule::UnauthorizedActor,
                        &record.path,
                        node.pos,
                        msg!(
                            "`{person}` may not be {what} (`{tester}`, {article})",
                            "`{person}` {what} olamaz; bu görev için gereken role sahip değil (`{tester}`, {article})"
                        ),
                    )
                    .with_help(msg!(
                        "this is done by: {en}",
                        "bu görevi yapabilecekler: {tr}",
                        en = rule.by.join(", ").replace('_', " "),
                        tr = any_of(&rule.by, ", ")
                    )),
                ));
            }
        }
    }
}

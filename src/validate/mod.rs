//! Every check that needs no git history. Each check reads the loaded records and the
//! rule set and pushes [`Diagnostic`]s; nothing here stops at the first problem.

pub(crate) mod base;
pub(crate) mod cache;
mod campaign;
pub(crate) mod change;
pub(crate) mod codeowners;
mod content;
mod ids;
mod refs;
pub(crate) mod schema;
pub(crate) mod scope;
pub(crate) mod time;
mod workflow;

use std::path::Path;

use anyhow::Result;
use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::Config;
use crate::config::LocalSetting;
use crate::diag::{Diagnostic, Findings, Severity};
use crate::load::{Progress, Records, Silent, rules::Ruleset};
use crate::model::Record;
use crate::model::{IdTable, Index};

pub use schema::Schemas;

/// What every check may read.
pub struct Context<'a> {
    pub records: &'a [Record],
    pub index: &'a Index<'a>,
    pub rules: &'a Ruleset,
    pub schemas: &'a Schemas,
    pub config: &'a Config,
    pub as_of: Date,
}

/// A finding made by an entry of `workflows.yaml` from `local` (the local rule it is, if
/// any): as made for a directive entry; for a local rule, saying so, and as `[local]` in
/// defter.toml sets it (`None`: switched off).
pub(crate) fn from_entry(cx: &Context, local: Option<&str>, mut d: Diagnostic) -> Option<Diagnostic> {
    let Some(name) = local else { return Some(d) };
    let reason = cx.rules.workflows.local_reason(name).unwrap_or_default();
    d.message.en.push_str(&format!(" (local rule `{name}`: {reason})"));
    d.message.tr.push_str(&format!(" (yerel kural `{name}`: {reason})"));
    match cx.config.local.get(name) {
        Some(LocalSetting::Off) => None,
        Some(LocalSetting::Warning) => {
            d.cap = Some(Severity::Warning);
            Some(d)
        }
        None => Some(d),
    }
}

/// Runs every static check and returns the report (sorted, severities applied).
pub fn validate(loaded: &Records, rules: &Ruleset, config: &Config, as_of: Date) -> Result<Findings> {
    config.check_rules(&rules.workflows)?;
    let schemas = Schemas::compile(rules)?;
    let diagnostics = check_all(loaded, rules, &schemas, config, as_of);
    Ok(Findings::new(diagnostics, loaded.records.len(), &config.overrides()?))
}

/// The unsorted findings of every static check, file problems included.
pub fn check_all(
    loaded: &Records,
    rules: &Ruleset,
    schemas: &Schemas,
    config: &Config,
    as_of: Date,
) -> Vec<Diagnostic> {
    check_all_with(loaded, &IdTable::new(&loaded.records), rules, schemas, config, as_of, &Silent)
}

/// [`check_all`] with the records' id table made already (`table` is made from
/// `loaded.records`), telling `progress` about each record checked.
pub fn check_all_with(
    loaded: &Records,
    table: &IdTable,
    rules: &Ruleset,
    schemas: &Schemas,
    config: &Config,
    as_of: Date,
    progress: &dyn Progress,
) -> Vec<Diagnostic> {
    let index = Index::with(table, &loaded.records);
    let cx = Context { records: &loaded.records, index: &index, rules, schemas, config, as_of };
    check_all_in(&cx, loaded, progress, None)
}

/// [`check_all_with`] in `cx` (made from `loaded`), each record's own findings taken
/// from the findings cache `kept` where nothing they depend on changed, and kept there
/// for the next run, when it is given ([`cache`]): the same findings in the same order
/// either way. The findings across records and the masking of secrets are made anew.
pub(crate) fn check_all_in(
    cx: &Context,
    loaded: &Records,
    progress: &dyn Progress,
    kept: Option<&Path>,
) -> Vec<Diagnostic> {
    let mut out = loaded.problems.clone();
    ids::duplicates(cx, &mut out);
    ids::case_clashes(loaded, &mut out);
    codeowners::check(loaded, &mut out);
    campaign::scopes(cx, &mut out);
    match kept {
        Some(file) => out.extend(cache::own_findings(cx, loaded, file, progress).0),
        None => {
            let all: Vec<&Record> = loaded.records.iter().collect();
            out.extend(check_each(cx, &all, progress).into_iter().flatten());
        }
    }
    content::scrub(&loaded.records, &mut out);
    out
}

/// The own findings of each of `records` ([`check_record`]), checked in parallel, in
/// their order.
fn check_each(cx: &Context, records: &[&Record], progress: &dyn Progress) -> Vec<Vec<Diagnostic>> {
    progress.start("checking", records.len());
    records
        .par_iter()
        .map(|record| {
            let mut out = Vec::new();
            check_record(cx, record, &mut out);
            progress.step();
            out
        })
        .collect()
}

/// Findings made elsewhere (against a base revision) with secrets masked, as
/// [`check_all`] masks its own.
pub fn scrub_secrets(records: &[Record], diagnostics: &mut [Diagnostic]) {
    content::scrub(records, diagnostics);
}

/// The checks that look at one record (and the index).
pub fn check_record(cx: &Context, record: &Record, out: &mut Vec<Diagnostic>) {
    schema::check(cx, record, out);
    ids::id_filename(record, out);
    refs::check(cx, record, out);
    workflow::check(cx, record, out);
    time::check(cx, record, out);
    campaign::check(cx, record, out);
    content::check(record, out);
}

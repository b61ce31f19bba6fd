//! Every check that needs no git history. Each check reads the loaded records and the
//! rule set and pushes [`Diagnostic`]s; nothing here stops at the first problem.

pub mod base;
pub mod codeowners;
mod content;
mod ids;
pub mod index;
mod refs;
pub mod schema;
pub mod scope;
pub mod time;
mod workflow;

use anyhow::Result;
use indexmap::IndexMap;
use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Report};
use crate::load::{Progress, Record, Records, Silent, rules::Ruleset};
use crate::model::Node;

pub use content::{is_secret_field, mask_secrets};
pub use index::Index;
pub use schema::Schemas;

/// What every check may read.
pub struct Context<'a> {
    pub records: &'a [Record],
    pub index: Index<'a>,
    pub rules: &'a Ruleset,
    pub schemas: &'a Schemas,
    pub config: &'a Config,
    pub as_of: Date,
}

/// Runs every static check and returns the report (sorted, severities applied).
pub fn validate(loaded: &Records, rules: &Ruleset, config: &Config, as_of: Date) -> Result<Report> {
    let schemas = Schemas::compile(rules)?;
    let diagnostics = check_all(loaded, rules, &schemas, config, as_of);
    Ok(Report::new(diagnostics, loaded.records.len(), &config.overrides()?))
}

/// The unsorted findings of every static check, file problems included.
pub fn check_all(
    loaded: &Records,
    rules: &Ruleset,
    schemas: &Schemas,
    config: &Config,
    as_of: Date,
) -> Vec<Diagnostic> {
    check_all_with(loaded, rules, schemas, config, as_of, &Silent)
}

/// [`check_all`], telling `progress` about each record checked.
pub fn check_all_with(
    loaded: &Records,
    rules: &Ruleset,
    schemas: &Schemas,
    config: &Config,
    as_of: Date,
    progress: &dyn Progress,
) -> Vec<Diagnostic> {
    let cx = Context { records: &loaded.records, index: Index::new(&loaded.records), rules, schemas, config, as_of };
    let mut out = loaded.problems.clone();
    ids::duplicates(&cx, &mut out);
    ids::case_clashes(loaded, &mut out);
    codeowners::check(loaded, &mut out);
    progress.start("checking", loaded.records.len());
    let per_record: Vec<Diagnostic> = loaded
        .records
        .par_iter()
        .flat_map_iter(|record| {
            let mut out = Vec::new();
            check_record(&cx, record, &mut out);
            progress.step();
            out
        })
        .collect();
    out.extend(per_record);
    content::scrub(&loaded.records, &mut out);
    out
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
    content::check(record, out);
}

/// The nodes a field path reaches, keeping only list entries whose fields equal
/// `filter` (`tests[].by` where `role: support`). The filter applies to the entries of
/// the first list the path walks.
pub fn select<'a>(fields: &'a Node, path: &str, filter: &IndexMap<String, String>) -> Vec<&'a Node> {
    if filter.is_empty() {
        return fields.path(path);
    }
    let Some((list, rest)) = path.split_once("[]") else { return fields.path(path) };
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    fields
        .path(&format!("{list}[]"))
        .into_iter()
        .filter(|entry| entry_matches(entry, filter))
        .flat_map(|entry| if rest.is_empty() { vec![entry] } else { entry.path(rest) })
        .collect()
}

/// Whether a list entry's fields equal every `key: value` of `filter`.
pub fn entry_matches(entry: &Node, filter: &IndexMap<String, String>) -> bool {
    filter.iter().all(|(k, v)| entry.get(k).and_then(Node::scalar_text).as_deref() == Some(v))
}

/// Parses a `YYYY-MM-DD` date (invalid dates are the schema's business).
pub fn date(node: &Node) -> Option<Date> {
    node.as_str()?.parse().ok()
}

/// `dd.mm.yyyy`, the date form people read.
pub fn show_date(d: Date) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

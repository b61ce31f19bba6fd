//! `defter build`: the records rendered as a static intranet site. Pages are rendered in
//! memory (in parallel), their links checked, and only then written to a temporary
//! folder that replaces the output folder in one step: a failed build never leaves a
//! half-written site. The same commit and `--as-of` give byte-identical output.

mod charts;
pub mod data;
pub mod exports;
pub mod i18n;
mod links;
mod lists;
pub mod markdown;
pub mod pages;
pub mod redact;
mod reports;
pub mod search;
pub mod serve;
pub mod templates;
mod write;

use anyhow::Result;
use rayon::prelude::*;

pub use data::Input;
use data::Site;
use pages::Output;
pub use templates::Templates;
pub use write::{MARKER, check_out_dir, write_atomically};

/// Renders every page and file of the site, sorted by path. Everything is rendered from
/// a redacted copy of the records, history and findings (see [`redact`]).
pub fn render(input: &Input, templates: &Templates) -> Result<Vec<Output>> {
    let public = input.public || !input.config.site.personal_data;
    let shown = redact::apply(input.records, input.trail, input.report, public);
    let input = Input {
        records: &shown.records,
        rules: input.rules,
        schemas: input.schemas,
        config: input.config,
        report: &shown.report,
        trail: shown.trail.as_ref(),
        as_of: input.as_of,
        commit: input.commit.clone(),
        base_url: input.base_url.clone(),
        live_reload: input.live_reload,
        public,
    };
    let input = &input;
    let site = Site::new(input);
    let mut out: Vec<Output> = site.sorted.par_iter().map(|r| site.record_page(r, templates)).collect::<Result<_>>()?;
    out.push(site.home(templates)?);
    out.extend(site.request_lists(templates)?);
    out.push(site.portfolio(templates)?);
    out.push(site.grants_page(templates)?);
    out.push(site.inventory_page(templates)?);
    out.push(site.calendar(templates)?);
    out.push(site.reports(templates)?);
    out.push(site.findings_page(templates)?);
    out.push(site.rules_page(templates)?);
    out.extend(exports::render(&site)?);
    out.extend(search::render(&site, templates)?);
    if input.live_reload {
        out.push(("assets/livereload.js".into(), serve::LIVE_RELOAD_JS.as_bytes().to_vec()));
    }
    for (name, text) in &templates.assets {
        out.push((format!("assets/{name}"), text.clone().into_bytes()));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    unique_paths(&out)?;
    links::check(&out)?;
    Ok(out)
}

/// No two files of the site may share a path, not even one that differs only in case
/// (one file on Windows and macOS): a page overwriting another would lose it silently.
fn unique_paths(files: &[Output]) -> Result<()> {
    let mut seen = std::collections::HashMap::new();
    for (path, _) in files {
        if let Some(other) = seen.insert(path.to_lowercase(), path) {
            anyhow::bail!("two files of the site would be written to one path: {other} and {path} (a defter bug)");
        }
    }
    Ok(())
}

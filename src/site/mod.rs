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
mod reports;
pub mod search;
pub mod templates;
mod write;

use anyhow::Result;
use rayon::prelude::*;

pub use data::Input;
use data::Site;
use pages::Output;
pub use templates::Templates;
pub use write::{MARKER, check_out_dir, write_atomically};

/// Renders every page and file of the site, sorted by path.
pub fn render(input: &Input, templates: &Templates) -> Result<Vec<Output>> {
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
    for (name, text) in &templates.assets {
        out.push((format!("assets/{name}"), text.clone().into_bytes()));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    links::check(&out)?;
    Ok(out)
}

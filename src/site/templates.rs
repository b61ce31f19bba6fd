//! The site's Tera templates: defaults embedded in the binary; a file of the same name
//! in the repository's `site-templates/` replaces the default (as Zola's theme
//! overrides and mdBook's theme folder do). `defter init --templates` copies the
//! defaults out for editing.

use std::path::Path;

use crate::diag::msg;
use anyhow::{Context as _, Result, anyhow};
use serde::Serialize;

/// The folder of overrides in a records repository.
pub const DIR: &str = "site-templates";

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        /// Every default template and asset, by file name.
        pub const DEFAULTS: &[(&str, &str)] = &[$(($name, include_str!(concat!("templates/", $name))),)*];
    };
}

embedded!(
    "base.html",
    "home.html",
    "record.html",
    "list.html",
    "pager.html",
    "board.html",
    "portfolio.html",
    "grants.html",
    "holders.html",
    "inventory.html",
    "calendar.html",
    "reports.html",
    "findings.html",
    "rules.html",
    "directive.html",
    "build.html",
    "search.html",
    "workload.html",
    "style.css",
    "search.js",
);

/// Compiled templates, ready to render many pages.
pub struct Templates {
    tera: tera::Tera,
    /// Static assets (`.css`, `.js`) by name, after overrides.
    pub assets: Vec<(String, String)>,
    /// A hash of every template and asset text: an incremental build re-renders
    /// everything when it changes.
    pub digest: u64,
    /// Whether a template other than the home page's and the build page's shows
    /// `page.commit` or `page.as_of` (a repository's own `base.html` from before they
    /// moved off every page, say): every page is then keyed by the commit and the date.
    pub shows_build: bool,
}

impl Templates {
    /// Loads the defaults and the repository's overrides (never through a symbolic
    /// link), and compiles them once.
    pub fn load(root: &Path) -> Result<Templates> {
        let dir = root.join(DIR);
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html"]);
        // `{{ text | code }}`: escaped, `spans` in backticks as <code>.
        tera.register_filter("code", |text: &str, _: tera::Kwargs, _: &tera::State| {
            tera::Value::safe_string(&super::html::code_spans(text))
        });
        let mut sources = Vec::new();
        let mut assets = Vec::new();
        for (name, default) in DEFAULTS {
            crate::config::refuse_links(root, &format!("{DIR}/{name}"))?;
            let path = dir.join(name);
            let text = if path.is_file() {
                std::fs::read_to_string(&path)
                    .with_context(|| msg!("cannot read {p}", "{p} okunamıyor", p = path.display()))?
            } else {
                (*default).to_string()
            };
            if name.ends_with(".html") {
                sources.push((name.to_string(), text));
            } else {
                assets.push((name.to_string(), text));
            }
        }
        let mut hasher = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&(&sources, &assets), &mut hasher);
        let digest = std::hash::Hasher::finish(&hasher);
        // The home page and the build page are keyed by both; any other page is not,
        // unless it shows them.
        let shows_build = sources.iter().any(|(name, text)| {
            !["home.html", "build.html"].contains(&name.as_str())
                && (text.contains("page.commit") || text.contains("page.as_of"))
        });
        tera.add_raw_templates(sources).map_err(|e| anyhow!("site templates: {e}"))?;
        Ok(Templates { tera, assets, digest, shows_build })
    }

    /// Renders `template` with a typed view model.
    pub fn render<T: Serialize>(&self, template: &str, view: &T) -> Result<String> {
        let context = tera::Context::from_serialize(view).map_err(|e| anyhow!("view for {template}: {e}"))?;
        self.tera.render(template, &context).map_err(|e| anyhow!("rendering {template}: {e:?}"))
    }
}

//! The page about this build (`build.html`): the commit the site was built from and the
//! `--as-of` date its overdue and expiring marks follow. Every page's footer links here
//! instead of naming them itself, so that a new commit or a new day re-renders only the
//! pages whose content they change (see the build keys).

use anyhow::Result;
use serde::Serialize;

use crate::site::build::Output;
use crate::site::data::Site;
use crate::site::templates::Templates;
use crate::site::view::Layout;

/// The page's path, linked from every page's footer.
pub(crate) const PATH: &str = "build.html";

#[derive(Serialize)]
struct BuildPage {
    page: Layout,
}

impl Site<'_> {
    pub(crate) fn build_page(&self, templates: &Templates) -> Result<Output> {
        let view = BuildPage { page: self.layout(PATH, &self.t("about_build"), "") };
        Ok((PATH.to_string(), templates.render("build.html", &view)?.into_bytes()))
    }
}

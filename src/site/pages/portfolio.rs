//! The project portfolio: every project by phase, as cards.

use anyhow::Result;
use serde::Serialize;

use crate::model::Kind;
use crate::site::build::Output;
use crate::site::data::Site;
use crate::site::html::root_of;
use crate::site::templates::Templates;
use crate::site::view::Layout;

#[derive(Serialize)]
struct Phase {
    label: String,
    value: String,
    projects: Vec<ProjectCard>,
}

#[derive(Serialize)]
struct ProjectCard {
    url: String,
    id: String,
    title: String,
    unit: String,
    kind: String,
    tests: usize,
    deployments: usize,
}

#[derive(Serialize)]
struct PortfolioPage {
    page: Layout,
    phases: Vec<Phase>,
}

impl Site<'_> {
    pub(crate) fn portfolio(&self, templates: &Templates) -> Result<Output> {
        let path = "projects/index.html";
        let root = root_of(path);
        let phases = self
            .enum_values(Kind::Project, "phase")
            .into_iter()
            .map(|(value, label)| Phase {
                projects: self
                    .of_kind(Kind::Project)
                    .filter(|p| p.fields.str_at("phase") == Some(&value))
                    .map(|p| ProjectCard {
                        url: format!("{root}{}", self.url(p)),
                        id: p.id().to_string(),
                        title: self.title(p),
                        unit: p.fields.str_at("owner_unit").map(|u| self.name_of(u)).unwrap_or_default(),
                        kind: p
                            .fields
                            .str_at("kind")
                            .map(|k| self.value_label(Kind::Project, "/kind", k))
                            .unwrap_or_default(),
                        tests: p.fields.path("tests[]").len(),
                        deployments: p.fields.path("deployments[]").len(),
                    })
                    .collect(),
                label,
                value,
            })
            .collect();
        let view = PortfolioPage { page: self.layout(path, &self.t("portfolio"), path), phases };
        Ok((path.into(), templates.render("portfolio.html", &view)?.into_bytes()))
    }
}

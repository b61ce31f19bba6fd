//! The directive page (`directive.html`, "Yönerge"): every article, paragraph and item of
//! the directive with its text and what carries it in defter, or why nothing does, from
//! [`crate::load::trace`] — the same computation `defter explain --articles` prints.

use anyhow::Result;
use serde::Serialize;

use crate::load::trace::{Carrier, Coverage, Unit, What, trace};
use crate::model::Kind;
use crate::model::date::human_date;
use crate::model::directive::find_citations;
use crate::site::build::Output;
use crate::site::data::Site;
use crate::site::templates::Templates;
use crate::site::view::{Layout, Link};

/// The page's path.
pub(crate) const PATH: &str = "directive.html";

#[derive(Serialize)]
struct CarrierView {
    text: String,
    url: Option<String>,
    local: bool,
}

#[derive(Serialize)]
struct UnitView {
    label: String,
    anchor: String,
    letter: String,
    text: String,
    none: Option<String>,
    carriers: Vec<CarrierView>,
    /// A consequence that nothing carries.
    missing: bool,
}

#[derive(Serialize)]
struct ParagraphView {
    label: String,
    anchor: String,
    text: String,
    whole: Vec<CarrierView>,
    has_items: bool,
    units: Vec<UnitView>,
}

#[derive(Serialize)]
struct ArticleView {
    title: String,
    anchor: String,
    whole: Vec<CarrierView>,
    paragraphs: Vec<ParagraphView>,
}

#[derive(Serialize)]
struct Missing {
    label: String,
    anchor: String,
}

#[derive(Serialize)]
struct DirectivePage {
    page: Layout,
    title: String,
    approved: String,
    coverage: Coverage,
    coverage_line: String,
    missing: Vec<Missing>,
    articles: Vec<ArticleView>,
}

/// The page that lists records of `kind`, if the site has one.
fn list_page(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Request => Some("requests/index.html"),
        Kind::Project | Kind::ProjectSection => Some("projects/index.html"),
        Kind::Grant => Some("grants/index.html"),
        kind if kind.is_inventory() => Some("inventory/index.html"),
        kind if kind.register().is_some() => Some("registers/index.html"),
        _ => None,
    }
}

/// The page that shows a report's figures.
fn report_page(name: &str) -> Option<&'static str> {
    match name {
        "open-requests" => Some("requests/index.html"),
        "workload" => Some(super::workload::PATH),
        "reviews-due" | "expiring" => Some("calendar.html"),
        "kpis" => Some("reports.html"),
        _ => None,
    }
}

/// Each citation in `text` (`M5(1)(c), M9(1)(b)(g)`) as a link to its place on the
/// directive page, from a page at `root`.
pub(crate) fn citation_links(text: &str, root: &str) -> Vec<Link> {
    find_citations(text)
        .into_iter()
        .map(|c| Link { url: format!("{root}{PATH}#{}", c.anchor()), text: c.to_string() })
        .collect()
}

impl Site<'_> {
    fn carrier_view(&self, c: &Carrier) -> CarrierView {
        let url = match c.what {
            What::Rule => Some(format!("rules.html#{}", c.name)),
            What::Report => report_page(&c.name).map(str::to_string),
            What::LocalRule => None,
            _ => c.kind.as_deref().and_then(Kind::from_name).and_then(list_page).map(str::to_string),
        };
        CarrierView { text: self.carrier_text(c), url, local: c.local.is_some() }
    }

    /// A carrier in words: on a Turkish site a state by its label and a field by its
    /// title (`Talep · durumun gerektirdikleri: Atandı`), not `assigned`; the rest (a
    /// transition, a rule, a local rule) by its name, which is what the rules call it.
    pub(crate) fn carrier_text(&self, c: &Carrier) -> String {
        let kind = c.kind.as_deref().and_then(Kind::from_name);
        let named = match (c.what, kind) {
            _ if self.english || c.name.is_empty() => None,
            (What::State | What::StateEntry, Some(kind)) => {
                let field = self.input.rules.workflows.state_field(kind.name());
                Some(self.value_label(kind, &format!("/{field}"), &c.name))
            }
            (
                What::Field | What::ActorField | What::Holder | What::Expiry | What::Review | What::Deadline,
                Some(kind),
            ) => {
                let pointer = format!("/{}", c.name.replace("[]", "/0").replace('.', "/"));
                Some(self.label(kind, &pointer))
            }
            _ => None,
        };
        let Some(named) = named else { return c.label() };
        let mut out = String::new();
        if let Some(title) = &c.kind_title {
            out.push_str(title);
            out.push_str(" · ");
        }
        out.push_str(c.what.label());
        out.push_str(": ");
        out.push_str(&named);
        if let Some(local) = &c.local {
            out.push_str(&format!(" (yerel kural `{local}`)"));
        }
        out
    }

    fn unit_view(&self, u: &Unit) -> UnitView {
        UnitView {
            label: u.label.clone(),
            anchor: u.anchor.clone(),
            letter: u.letter.clone(),
            text: u.text.clone(),
            none: u.none.clone(),
            carriers: u.carriers.iter().map(|c| self.carrier_view(c)).collect(),
            missing: u.none.is_none() && u.carriers.is_empty(),
        }
    }

    pub(crate) fn directive_page(&self, templates: &Templates) -> Result<Output> {
        let trace = trace(self.input.rules);
        let c = trace.coverage;
        let coverage_line = self
            .t("coverage_line")
            .replace("{with}", &c.with_consequence.to_string())
            .replace("{carried}", &c.carried.to_string())
            .replace("{percent}", &c.percent.to_string())
            .replace("{local}", &c.local_only.to_string())
            .replace("{none}", &(c.units - c.with_consequence).to_string());
        let missing = trace
            .units()
            .filter(|u| u.none.is_none() && u.carriers.is_empty())
            .map(|u| Missing { label: u.label.clone(), anchor: u.anchor.clone() })
            .collect();
        let views = |list: &[Carrier]| list.iter().map(|c| self.carrier_view(c)).collect::<Vec<_>>();
        let articles = trace
            .articles
            .iter()
            .map(|a| ArticleView {
                title: format!("{} — {}", self.t("article_n").replace("{n}", &a.cite.article.to_string()), a.heading),
                anchor: a.anchor.clone(),
                whole: views(&a.whole),
                paragraphs: a
                    .paragraphs
                    .iter()
                    .map(|p| ParagraphView {
                        label: p.label.clone(),
                        anchor: p.anchor.clone(),
                        text: p.text.clone(),
                        whole: views(&p.whole),
                        has_items: p.has_items,
                        units: p.units.iter().map(|u| self.unit_view(u)).collect(),
                    })
                    .collect(),
            })
            .collect();
        let view = DirectivePage {
            page: self.layout(PATH, &self.t("directive"), PATH),
            title: trace.title.clone(),
            approved: human_date(&trace.approved),
            coverage: c,
            coverage_line,
            missing,
            articles,
        };
        Ok((PATH.into(), templates.render("directive.html", &view)?.into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::trace::REPORTS;

    #[test]
    fn every_report_has_a_page() {
        for (name, _, _) in REPORTS {
            assert!(report_page(name).is_some(), "report {name} has no page on the site");
        }
    }
}

//! The inventory: a section per type with its first items, and each long type's own
//! list on pages of its own.

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;

use super::pager::{PAGE_ROWS, page_path, page_rows};
use crate::model::{Kind, Record};
use crate::site::build::Output;
use crate::site::data::Site;
use crate::site::html::root_of;
use crate::site::templates::Templates;
use crate::site::view::{Layout, Link, Pager};

#[derive(Serialize)]
struct InventoryGroup {
    label: String,
    kind: String,
    /// The items shown here: on the inventory page the first [`PAGE_ROWS`] of the type.
    items: Vec<InventoryRow>,
    /// Items of the type in all.
    total: usize,
    /// Items not shown here (said on the inventory page, where `all` lists them).
    more: usize,
    /// The type's own list, when it has more items than the inventory page shows.
    all: Option<String>,
}

#[derive(Serialize)]
struct InventoryRow {
    link: Link,
    status: String,
    status_value: String,
    owner: String,
    classification: String,
}

#[derive(Serialize)]
struct InventoryPage {
    page: Layout,
    groups: Vec<InventoryGroup>,
    pager: Option<Pager>,
    /// One type's own list rather than the inventory page.
    list: bool,
}

impl Site<'_> {
    /// The inventory page, a section per type with its first [`PAGE_ROWS`] items, and
    /// for a type with more, its own list of every item a hundred a page
    /// (`inventory/server.html`, `inventory/server/2.html`…).
    pub(crate) fn inventory_pages(&self, templates: &Templates) -> Result<Vec<Output>> {
        const FIRST: &str = "inventory/index.html";
        let kinds: Vec<(Kind, Vec<&Record>)> = Kind::ALL
            .into_iter()
            .filter(|k| k.is_inventory())
            .map(|kind| (kind, self.of_kind(kind).collect::<Vec<_>>()))
            .filter(|(_, items)| !items.is_empty())
            .collect();
        // A type's section: `items` of its `total`, linking its own list on the overview.
        let group = |kind: Kind, items: &[&Record], total: usize, root: &str, overview: bool| InventoryGroup {
            label: self.kind_label(kind),
            kind: kind.name().into(),
            items: items
                .iter()
                .map(|r| InventoryRow {
                    link: Link { url: format!("{root}{}", self.url(r)), text: self.display(r) },
                    status: self.state(r).map(|s| s.1).unwrap_or_default(),
                    status_value: r.fields.str_at("status").unwrap_or_default().to_string(),
                    owner: r.fields.str_at("owner").map(|o| self.name_of(o)).unwrap_or_default(),
                    classification: r
                        .fields
                        .str_at("classification")
                        .map(|c| self.value_label(kind, "/classification", c))
                        .unwrap_or_default(),
                })
                .collect(),
            total,
            more: total.saturating_sub(items.len()),
            all: (overview && total > PAGE_ROWS).then(|| format!("{root}inventory/{}.html", kind.name())),
        };
        // Every page to make: the overview (no type), then each long type's pages.
        let mut jobs: Vec<(Option<usize>, usize)> = vec![(None, 1)];
        for (i, (_, items)) in kinds.iter().enumerate().filter(|(_, (_, items))| items.len() > PAGE_ROWS) {
            jobs.extend((1..=items.len().div_ceil(PAGE_ROWS)).map(|n| (Some(i), n)));
        }
        jobs.into_par_iter()
            .map(|(of, n)| {
                let Some(i) = of else {
                    let root = root_of(FIRST);
                    let groups = kinds
                        .iter()
                        .map(|(kind, items)| {
                            group(*kind, &items[..items.len().min(PAGE_ROWS)], items.len(), &root, true)
                        })
                        .collect();
                    let view = InventoryPage {
                        page: self.layout(FIRST, &self.t("inventory"), FIRST),
                        groups,
                        pager: None,
                        list: false,
                    };
                    return Ok((FIRST.to_string(), templates.render("inventory.html", &view)?.into_bytes()));
                };
                let (kind, items) = &kinds[i];
                let first = format!("inventory/{}.html", kind.name());
                let pages = items.len().div_ceil(PAGE_ROWS);
                let path = page_path(&first, n);
                let root = root_of(&path);
                let mut title = format!("{} — {}", self.t("inventory"), self.kind_label(*kind));
                if n > 1 {
                    title = format!("{title} — {}", self.page_of(n, pages));
                }
                let shown = group(*kind, page_rows(items, n), items.len(), &root, false);
                let view = InventoryPage {
                    page: self.layout(&path, &title, FIRST),
                    groups: vec![shown],
                    pager: (pages > 1).then(|| self.pager(&first, n, pages, &root)),
                    list: true,
                };
                Ok((path, templates.render("inventory.html", &view)?.into_bytes()))
            })
            .collect()
    }
}

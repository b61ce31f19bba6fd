//! The inventory and the security and management registers: a section per type with its
//! first items, and each long type's own list on pages of its own.

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
    /// The registers' date of the record (detected, found, planned, meeting…).
    date: String,
}

#[derive(Serialize)]
struct InventoryPage {
    page: Layout,
    groups: Vec<InventoryGroup>,
    pager: Option<Pager>,
    /// One type's own list rather than the inventory page.
    list: bool,
    /// The registers rather than the inventory (other columns, other exports).
    registers: bool,
}

/// The fields a register row shows as its date, the first one a record has.
const DATE_FIELDS: [&str; 7] =
    ["detected", "found", "planned", "meeting", "approved", "specification.date", "need.date"];

impl Site<'_> {
    /// The inventory page, a section per type with its first [`PAGE_ROWS`] items, and
    /// for a type with more, its own list of every item a hundred a page
    /// (`inventory/server.html`, `inventory/server/2.html`…).
    pub(crate) fn inventory_pages(&self, templates: &Templates) -> Result<Vec<Output>> {
        self.group_pages(templates, false)
    }

    /// The registers' page (`registers/index.html`) and each long register's own list,
    /// as [`Site::inventory_pages`] does for the inventory.
    pub(crate) fn register_pages(&self, templates: &Templates) -> Result<Vec<Output>> {
        self.group_pages(templates, true)
    }

    fn group_pages(&self, templates: &Templates, registers: bool) -> Result<Vec<Output>> {
        let (folder, title_key) = if registers { ("registers", "registers") } else { ("inventory", "inventory") };
        let first_page = format!("{folder}/index.html");
        let in_group = |k: &Kind| if registers { k.register().is_some() } else { k.is_inventory() };
        let kinds: Vec<(Kind, Vec<&Record>)> = Kind::ALL
            .into_iter()
            .filter(in_group)
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
                    date: DATE_FIELDS
                        .iter()
                        .find_map(|f| r.fields.path(f).into_iter().find_map(crate::model::date::date))
                        .map(crate::model::date::show_date)
                        .unwrap_or_default(),
                })
                .collect(),
            total,
            more: total.saturating_sub(items.len()),
            all: (overview && total > PAGE_ROWS).then(|| format!("{root}{folder}/{}.html", kind.name())),
        };
        // Every page to make: the overview (no type), then each long type's pages.
        let mut jobs: Vec<(Option<usize>, usize)> = vec![(None, 1)];
        for (i, (_, items)) in kinds.iter().enumerate().filter(|(_, (_, items))| items.len() > PAGE_ROWS) {
            jobs.extend((1..=items.len().div_ceil(PAGE_ROWS)).map(|n| (Some(i), n)));
        }
        jobs.into_par_iter()
            .map(|(of, n)| {
                let Some(i) = of else {
                    let root = root_of(&first_page);
                    let groups = kinds
                        .iter()
                        .map(|(kind, items)| {
                            group(*kind, &items[..items.len().min(PAGE_ROWS)], items.len(), &root, true)
                        })
                        .collect();
                    let view = InventoryPage {
                        page: self.layout(&first_page, &self.t(title_key), &first_page),
                        groups,
                        pager: None,
                        list: false,
                        registers,
                    };
                    return Ok((first_page.clone(), templates.render("inventory.html", &view)?.into_bytes()));
                };
                let (kind, items) = &kinds[i];
                let first = format!("{folder}/{}.html", kind.name());
                let pages = items.len().div_ceil(PAGE_ROWS);
                let path = page_path(&first, n);
                let root = root_of(&path);
                let mut title = format!("{} — {}", self.t(title_key), self.kind_label(*kind));
                if n > 1 {
                    title = format!("{title} — {}", self.page_of(n, pages));
                }
                let shown = group(*kind, page_rows(items, n), items.len(), &root, false);
                let view = InventoryPage {
                    page: self.layout(&path, &title, &first_page),
                    groups: vec![shown],
                    pager: (pages > 1).then(|| self.pager(&first, n, pages, &root)),
                    list: true,
                    registers,
                };
                Ok((path, templates.render("inventory.html", &view)?.into_bytes()))
            })
            .collect()
    }
}

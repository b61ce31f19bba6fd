//! An access review campaign on its page and in its CSV: how many items are decided, and
//! for every item its holder, its reviewer, what changed since the scope's last closed
//! campaign, the decision, who made it and when; then the accesses gone since that
//! campaign. The CSV (`registers/campaign/EGK-….csv`, beside the page) is the same table
//! for an auditor to keep. Both read the campaign record alone (and the names of what it
//! names), so they are made under the record page's own build key.

use anyhow::Result;
use serde::Serialize;

use crate::model::campaign;
use crate::model::date::show_date;
use crate::model::number::percent;
use crate::model::{Kind, Record};
use crate::site::build::Output;
use crate::site::data::Site;
use crate::site::formats::{Table, csv};
use crate::site::html::esc;

/// One row of the page's table; `*_html` cells are escaped HTML already.
#[derive(Serialize)]
pub(crate) struct CampaignRow {
    pub item_html: String,
    pub kind: String,
    pub holder_html: String,
    pub reviewer_html: String,
    pub detail: String,
    pub change: String,
    pub decision: String,
    pub by_html: String,
    pub date: String,
    pub note: String,
}

#[derive(Serialize)]
pub(crate) struct CampaignView {
    /// `3 / 5 (%60)`.
    pub progress: String,
    pub done: bool,
    pub csv: String,
    pub rows: Vec<CampaignRow>,
    pub removed: Vec<CampaignRow>,
}

/// The columns of the page's table and of the CSV, as catalogue keys.
const COLUMNS: [&str; 10] = [
    "campaign_item",
    "campaign_kind",
    "campaign_holder",
    "campaign_reviewer",
    "campaign_access",
    "campaign_change",
    "campaign_decision",
    "campaign_decided_by",
    "date",
    "campaign_note",
];

/// A campaign's rows as text: one per item, then one per access gone (`removed`).
struct Rows {
    items: Vec<[String; 10]>,
    removed: Vec<[String; 10]>,
}

impl Site<'_> {
    fn campaign_rows(&self, r: &Record, name: &dyn Fn(&str) -> String) -> Rows {
        let decisions = campaign::decisions(r);
        let reviewers = r.fields.path("items[]");
        let label = |field: &str, value: &str| self.value_label(Kind::Campaign, field, value);
        let row = |i: &campaign::Item, change: String, reviewer: &str| {
            let decided = decisions.iter().map(|(d, _)| d).find(|d| d.item == i.item);
            [
                i.item.clone(),
                self.value_label(Kind::Campaign, "/items/0/kind", i.kind.name()),
                name(&i.holder),
                if reviewer.is_empty() { String::new() } else { name(reviewer) },
                i.detail.clone(),
                change,
                decided
                    .map(|d| label("/decisions/0/result", &d.result))
                    .unwrap_or_else(|| self.t("campaign_undecided")),
                decided.map(|d| name(&d.by)).unwrap_or_default(),
                decided.and_then(|d| d.date).map(show_date).unwrap_or_default(),
                decided.and_then(|d| d.note.clone()).unwrap_or_default(),
            ]
        };
        let items = campaign::listed(r, "items")
            .iter()
            .zip(&reviewers)
            .map(|(i, n)| {
                let change = label("/items/0/change", n.str_at("change").unwrap_or_default());
                row(i, change, n.str_at("reviewer").unwrap_or_default())
            })
            .collect();
        let gone = self.t("campaign_removed_change");
        let removed = campaign::listed(r, "removed")
            .iter()
            .map(|i| {
                let mut cells = row(i, gone.clone(), "");
                cells[6] = String::new();
                cells
            })
            .collect();
        Rows { items, removed }
    }

    /// The campaign part of a campaign's page.
    pub(crate) fn campaign_view(&self, r: &Record, root: &str) -> Option<CampaignView> {
        if r.kind != Kind::Campaign {
            return None;
        }
        let (decided, of) = campaign::progress(r);
        let share = if of == 0 { 0.0 } else { decided as f64 / of as f64 };
        let progress = format!("{decided} / {of} ({})", percent(share, self.english));
        let link = |id: &str| self.link_id(id, root);
        let Rows { items, removed } = self.campaign_rows(r, &link);
        let plain = |cells: [String; 10], html: [String; 10]| CampaignRow {
            item_html: html[0].clone(),
            kind: esc(&cells[1]),
            holder_html: html[2].clone(),
            reviewer_html: html[3].clone(),
            detail: cells[4].clone(),
            change: cells[5].clone(),
            decision: cells[6].clone(),
            by_html: html[7].clone(),
            date: cells[8].clone(),
            note: cells[9].clone(),
        };
        // The item's own cell links its record (a repository access: the repository).
        let html = |cells: &[String; 10], i: &campaign::Item| {
            let mut h = cells.clone();
            h[0] = match self.index.get(&i.record) {
                Some(rec) => format!("<a href=\"{root}{}\">{}</a>", esc(&self.url(rec)), esc(&i.item)),
                None => esc(&i.item),
            };
            h
        };
        let view = |rows: Vec<[String; 10]>, list: &str| -> Vec<CampaignRow> {
            rows.into_iter()
                .zip(campaign::listed(r, list))
                .map(|(c, i)| {
                    let h = html(&c, &i);
                    plain(c, h)
                })
                .collect()
        };
        let (rows, removed) = (view(items, "items"), view(removed, "removed"));
        let page = self.url(r);
        let csv = page.rsplit('/').next().unwrap_or(&page).replace(".html", ".csv");
        Some(CampaignView { progress, done: decided == of, csv, rows, removed })
    }

    /// The campaign's CSV, beside its page.
    pub(crate) fn campaign_csv(&self, r: &Record) -> Result<Output> {
        let name = |id: &str| match self.index.get(id) {
            Some(rec) if rec.kind != Kind::Campaign => format!("{} ({id})", self.display(rec)),
            _ => id.to_string(),
        };
        let Rows { items, removed } = self.campaign_rows(r, &name);
        let table = Table {
            name: "campaign",
            columns: COLUMNS.iter().map(|c| self.t(c)).collect(),
            rows: items.into_iter().chain(removed).map(Vec::from).collect(),
        };
        let path = self.url(r).replace(".html", ".csv");
        Ok((path, csv::to_csv(&table)?))
    }
}

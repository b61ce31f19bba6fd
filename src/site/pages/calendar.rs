//! The expiry calendar and the deadlines it shows: expiries, due dates of open requests
//! and the next periodic reviews, found once (the deadlines export and the iCalendar feed
//! list the same). A calendar too long for one page gives later months pages of their own.

use std::collections::BTreeMap;

use anyhow::Result;
use jiff::ToSpan;
use rayon::prelude::*;
use serde::Serialize;

use crate::model::Record;
use crate::site::build::Output;
use crate::site::data::{Deadline, Site};
use crate::site::html::root_of;
use crate::site::templates::Templates;
use crate::site::view::{CalendarItem, Layout, Link};

/// A calendar of more dates than this gives each month after the next one a page of its
/// own: in a large repository thirteen months in one page are more than a phone loads.
pub(crate) const CALENDAR_ONE_PAGE: usize = 500;

#[derive(Serialize)]
struct Month {
    label: String,
    /// `yyyy-mm`, for the month's anchor.
    id: String,
    items: Vec<CalendarItem>,
}

/// A month in the list at the top of a calendar split into pages.
#[derive(Serialize)]
struct MonthLink {
    label: String,
    url: String,
    count: usize,
    /// This page is the month's own.
    current: bool,
}

#[derive(Serialize)]
struct CalendarPage<M: Serialize> {
    page: Layout,
    months: Vec<M>,
    /// Every month, linked, when the calendar is split into pages; else empty.
    nav: Vec<MonthLink>,
}

impl<'a> Site<'a> {
    /// When each periodic review of `r` next falls due (reviews done at least once;
    /// one never done is a `review-overdue` finding).
    fn next_reviews(&self, r: &Record) -> Vec<(jiff::civil::Date, &'a str)> {
        let w = &self.input.rules.workflows;
        let kind = r.kind.name();
        let Some(state) = r.fields.str_at(w.state_field(kind)) else { return Vec::new() };
        w.reviews
            .iter()
            .filter(|rv| rv.kind == kind && w.state_matches(kind, state, &rv.when))
            .filter_map(|rv| {
                let next = crate::validate::time::review_state(r, rv, self.input.config)?;
                next.last.map(|_| (next.due, rv.what.as_str()))
            })
            .collect()
    }
    /// Every dated deadline: expiries (the workflow data's `expiries`), due dates of open
    /// requests, and the next review of what is reviewed periodically; found once for the
    /// calendar, the deadlines export and the iCalendar feed.
    pub(crate) fn deadlines(&self) -> &[Deadline<'a>] {
        self.deadlines.get_or_init(|| self.find_deadlines())
    }
    fn find_deadlines(&self) -> Vec<Deadline<'a>> {
        let w = &self.input.rules.workflows;
        let mut out = Vec::new();
        for r in self.sorted.iter().copied() {
            let kind = r.kind.name();
            let Some(state) = r.fields.str_at(w.state_field(kind)) else { continue };
            for e in w.expiries.iter().filter(|e| e.kind == kind && w.state_matches(kind, state, &e.when)) {
                if let Some(date) = r.fields.str_at(&e.field).and_then(|d| d.parse().ok()) {
                    out.push(Deadline { date, what: e.what.clone(), record: r });
                }
            }
            for d in w.deadlines.iter().filter(|d| d.kind == kind && w.state_matches(kind, state, &d.when)) {
                for (date, _) in crate::validate::time::deadline_dates(r, d, self.input.config) {
                    let what = match d.days_by {
                        Some(_) => format!("{} ({})", d.what, self.t("deadline")),
                        None => format!("{} ({})", d.what, self.label(r.kind, &format!("/{}", d.field))),
                    };
                    out.push(Deadline { date, what, record: r });
                }
            }
            for (date, what) in self.next_reviews(r) {
                out.push(Deadline { date, what: what.to_string(), record: r });
            }
        }
        out.sort_by(|a, b| (a.date, a.record.id(), &a.what).cmp(&(b.date, b.record.id(), &b.what)));
        out
    }
    /// The expiry calendar: `calendar.html`, and when it holds more than
    /// [`CALENDAR_ONE_PAGE`] dates, a page per month after the next one
    /// (`calendar/2027-02.html`), all listed at the top of each page.
    pub(crate) fn calendar(&self, templates: &Templates) -> Result<Vec<Output>> {
        const FIRST: &str = "calendar.html";
        let as_of = self.input.as_of;
        let horizon = as_of.checked_add(12.months()).unwrap_or(as_of);
        let from = as_of.checked_sub(1.months()).unwrap_or(as_of);
        let mut months: BTreeMap<(i16, i8), Vec<CalendarItem>> = BTreeMap::new();
        for d in self.deadlines().iter().filter(|d| d.date >= from && d.date <= horizon) {
            months.entry((d.date.year(), d.date.month())).or_default().push(CalendarItem {
                date: crate::model::date::show_date(d.date),
                iso: d.date.to_string(),
                what: d.what.clone(),
                link: Link { url: self.url(d.record), text: self.display(d.record) },
                past: d.date < as_of,
            });
        }
        let names_tr = [
            "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım",
            "Aralık",
        ];
        let names_en = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let names = if self.english { names_en } else { names_tr };
        let total: usize = months.values().map(Vec::len).sum();
        let month = |(year, month): (i16, i8), items| Month {
            label: format!("{} {year}", names[(month - 1) as usize]),
            id: format!("{year:04}-{month:02}"),
            items,
        };
        if total <= CALENDAR_ONE_PAGE {
            let months = months.into_iter().map(|(at, items)| month(at, items)).collect();
            let view = CalendarPage { page: self.layout(FIRST, &self.t("calendar"), FIRST), months, nav: Vec::new() };
            return Ok(vec![(FIRST.into(), templates.render("calendar.html", &view)?.into_bytes())]);
        }
        // The first page keeps what is due now and next: last month's dates, this
        // month's and next month's.
        let next = as_of.first_of_month().checked_add(1.month()).unwrap_or(as_of);
        let path_of = |(year, month): (i16, i8)| {
            if (year, month) <= (next.year(), next.month()) {
                FIRST.to_string()
            } else {
                format!("calendar/{year:04}-{month:02}.html")
            }
        };
        let months: Vec<(String, Month)> =
            months.into_iter().map(|(at, items)| (path_of(at), month(at, items))).collect();
        let mut pages: Vec<&str> = months.iter().map(|(path, _)| path.as_str()).collect();
        pages.dedup();
        if pages.first() != Some(&FIRST) {
            pages.insert(0, FIRST);
        }
        pages
            .into_par_iter()
            .map(|path| {
                let root = root_of(path);
                let nav = months
                    .iter()
                    .map(|(at, m)| MonthLink {
                        label: m.label.clone(),
                        url: if at == FIRST { format!("{root}{FIRST}#m-{}", m.id) } else { format!("{root}{at}") },
                        count: m.items.len(),
                        current: at == path && path != FIRST,
                    })
                    .collect();
                let shown: Vec<&Month> = months.iter().filter(|(at, _)| at == path).map(|(_, m)| m).collect();
                let title = match shown.first() {
                    Some(m) if path != FIRST => format!("{} — {}", self.t("calendar"), m.label),
                    _ => self.t("calendar"),
                };
                let view = CalendarPage { page: self.layout(path, &title, FIRST), months: shown, nav };
                Ok((path.to_string(), templates.render("calendar.html", &view)?.into_bytes()))
            })
            .collect()
    }
}

//! The structs templates read that more than one page shows: the layout every page has,
//! links, finding and request rows, the pager, calendar items and a person's open work.
//! Plain data, knowing nothing of records or of the site, so a template author can read
//! in one file what a shared part of a page holds; a struct only one page uses lives with
//! that page.

use serde::Serialize;

use super::i18n::Catalogue;

#[derive(Serialize)]
pub(crate) struct Nav {
    pub url: String,
    pub label: String,
    pub current: bool,
}

/// What the base template needs on every page.
#[derive(Serialize)]
pub(crate) struct Layout {
    pub lang: String,
    pub site_title: String,
    pub organisation: String,
    pub title: String,
    /// `../` repeated to reach the site root from this page.
    pub root: String,
    pub t: Catalogue,
    pub nav: Vec<Nav>,
    pub commit: String,
    pub as_of: String,
    pub live_reload: bool,
}

/// A link with its text.
#[derive(Serialize, Clone)]
pub(crate) struct Link {
    pub url: String,
    pub text: String,
}

#[derive(Serialize)]
pub(crate) struct FindingView {
    pub rule: String,
    pub severity: String,
    pub severity_label: String,
    pub line: Option<u32>,
    /// `12. satır` / `line 12`.
    pub line_label: Option<String>,
    /// The message and help in the site's language.
    pub message: String,
    pub help: String,
    pub article: String,
    pub path: String,
    pub record: Option<Link>,
}

/// One row of a request list.
#[derive(Serialize, Clone)]
pub(crate) struct RequestRow {
    pub id: String,
    pub url: String,
    pub title: String,
    pub unit: String,
    pub unit_id: String,
    pub kind: String,
    pub kind_value: String,
    pub priority: String,
    pub priority_value: String,
    pub status: String,
    pub status_value: String,
    pub service: String,
    pub service_id: String,
    pub assignee: String,
    pub received: String,
    pub due: String,
    pub overdue: bool,
}

#[derive(Serialize)]
pub(crate) struct Count {
    pub label: String,
    pub value: String,
    pub count: usize,
    pub url: Option<String>,
}

/// The pagination of a list: `Sayfa 2 / 35`, previous and next, and the pages around.
#[derive(Serialize)]
pub(crate) struct Pager {
    pub text: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The first and last pages and those near this one, in order; `None` for a gap.
    pub pages: Vec<Option<PageLink>>,
}

#[derive(Serialize)]
pub(crate) struct PageLink {
    pub number: usize,
    pub url: String,
    /// "Sayfa 3", for screen readers.
    pub label: String,
    pub current: bool,
}

#[derive(Serialize)]
pub(crate) struct CalendarItem {
    pub date: String,
    /// `yyyy-mm-dd`, for `<time datetime>`.
    pub iso: String,
    pub what: String,
    pub link: Link,
    pub past: bool,
}

/// One open request or project on a person's page.
#[derive(Serialize)]
pub(crate) struct WorkView {
    pub link: Link,
    pub kind: String,
    pub state: String,
    pub state_value: String,
    pub role: String,
    pub due: String,
    pub overdue: bool,
}

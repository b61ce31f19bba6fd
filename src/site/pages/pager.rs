//! Long lists cut into pages: how many rows a page holds, where page `n` of a list lives,
//! and the pager linking a page to its neighbours. The request lists, the permissions
//! page, the holders' list and the inventory share it, so every long list pages alike.

use crate::site::data::Site;
use crate::site::view::{PageLink, Pager};

/// Rows on one page of a long list (a request list, the permissions page's grants, the
/// holders, an inventory type's items). Page 1 keeps the list's path; the rest go to
/// `requests/page/2.html` for `requests/index.html` and to `<stem>/2.html` for any other
/// `<stem>.html` (see [`page_path`]). Search finds every record, so no page has to hold
/// them all.
pub(crate) const PAGE_ROWS: usize = 100;

/// Pages linked from a pager on either side of the current one (besides first and last).
const PAGER_SPAN: usize = 2;

/// The path of page `n` of the list whose first page is `first`: `requests/index.html` →
/// `requests/page/2.html`, `requests/status/closed.html` → `requests/status/closed/2.html`.
pub(crate) fn page_path(first: &str, n: usize) -> String {
    if n <= 1 {
        return first.to_string();
    }
    let stem = first.strip_suffix(".html").unwrap_or(first);
    let folder = match stem.strip_suffix("index") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{dir}page"),
        _ => stem.to_string(),
    };
    format!("{folder}/{n}.html")
}

/// The rows on page `n` (from 1) of a list.
pub(crate) fn page_rows<T>(rows: &[T], n: usize) -> &[T] {
    let start = (n.saturating_sub(1) * PAGE_ROWS).min(rows.len());
    &rows[start..(start + PAGE_ROWS).min(rows.len())]
}

/// Pages to link from page `current` of `total`: the first, the last and [`PAGER_SPAN`]
/// either side of the current one, `None` where pages are left out (a gap of one page is
/// shown as that page instead).
fn pager_numbers(current: usize, total: usize) -> Vec<Option<usize>> {
    let near = current.saturating_sub(PAGER_SPAN).max(1)..=(current + PAGER_SPAN).min(total);
    let mut wanted: Vec<usize> = std::iter::once(1).chain(near).chain(std::iter::once(total)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut out = Vec::new();
    for n in wanted {
        match out.last() {
            Some(Some(last)) if n == last + 2 => out.push(Some(last + 1)),
            Some(Some(last)) if n > last + 2 => out.push(None),
            _ => {}
        }
        out.push(Some(n));
    }
    out
}

impl Site<'_> {
    /// `Sayfa 2 / 35`.
    pub(crate) fn page_of(&self, n: usize, pages: usize) -> String {
        self.t("page_of").replace("{n}", &n.to_string()).replace("{total}", &pages.to_string())
    }
    /// The pager on page `n` (of `pages`) of the list whose first page is `first`; `root`
    /// leads from that page to the site's root.
    pub(crate) fn pager(&self, first: &str, n: usize, pages: usize, root: &str) -> Pager {
        let url = |n: usize| format!("{root}{}", page_path(first, n));
        Pager {
            text: self.page_of(n, pages),
            prev: (n > 1).then(|| url(n - 1)),
            next: (n < pages).then(|| url(n + 1)),
            pages: pager_numbers(n, pages)
                .into_iter()
                .map(|p| {
                    p.map(|p| PageLink {
                        number: p,
                        url: url(p),
                        label: format!("{} {p}", self.t("page")),
                        current: p == n,
                    })
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_pages_live_under_the_first_pages_stem() {
        assert_eq!(page_path("requests/index.html", 1), "requests/index.html");
        assert_eq!(page_path("requests/index.html", 2), "requests/page/2.html");
        assert_eq!(page_path("requests/status/closed.html", 3), "requests/status/closed/3.html");
        assert_eq!(page_path("requests/unit/reindex.html", 2), "requests/unit/reindex/2.html");
    }

    #[test]
    fn the_pager_links_first_last_and_neighbours() {
        assert_eq!(pager_numbers(1, 1), vec![Some(1)]);
        assert_eq!(pager_numbers(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(pager_numbers(2, 636), vec![Some(1), Some(2), Some(3), Some(4), None, Some(636)]);
        assert_eq!(pager_numbers(636, 636), vec![Some(1), None, Some(634), Some(635), Some(636)]);
        // A gap of one page shows the page instead.
        assert_eq!(
            pager_numbers(5, 10),
            vec![Some(1), Some(2), Some(3), Some(4), Some(5), Some(6), Some(7), None, Some(10)]
        );
    }
}

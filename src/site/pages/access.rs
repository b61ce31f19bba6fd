//! Who held which access when, on a record's page: on a person's page the grants they
//! held (a Gantt-style timeline of each grant's dated history, with freezes and the day
//! it was revoked or expired), and the access they hold and held (grants, accounts,
//! repositories); on a system's page the same for everyone who held access to it.
//!
//! Everything shown comes from the records that name the page's record — its backlinks
//! through [`crate::access::FIELDS`] — and from the records those name (a person's or system's name):
//! the record page's key ([`crate::site::build::keys`]) covers both, so an edited grant
//! re-renders the pages of its holder and its system and nothing else.

use jiff::civil::Date;
use serde::Serialize;

use crate::access::{FIELDS, Span, timelines};
use crate::model::date::show_date;
use crate::model::{Kind, Record};
use crate::site::charts::{self, Lane};
use crate::site::data::Site;
use crate::site::view::Link;

/// A grant's row in the timeline's table (its text alternative).
#[derive(Serialize)]
pub(crate) struct SpanRow {
    link: Link,
    /// The other side: the system on a person's page, the person on a system's page.
    party: String,
    role: String,
    periods: String,
    state: String,
    state_value: String,
}

/// One access held now or before.
#[derive(Serialize)]
pub(crate) struct HoldRow {
    link: Link,
    what: String,
}

#[derive(Serialize)]
pub(crate) struct AccessView {
    chart: Option<String>,
    rows: Vec<SpanRow>,
    holds: Vec<HoldRow>,
    held: Vec<HoldRow>,
}

impl Site<'_> {
    fn date_text(&self, d: Date) -> String {
        if self.english { d.to_string() } else { show_date(d) }
    }

    /// The records that give access to `r` (a person) or on `r` (a system), each once,
    /// in id order.
    fn access_records(&self, r: &Record) -> Vec<&Record> {
        let mut found: Vec<&Record> = self
            .backlinks(r.id())
            .iter()
            .filter(|b| FIELDS.iter().any(|(kind, field)| b.from.kind == *kind && b.field == *field))
            .map(|b| b.from)
            .collect();
        found.sort_by(|a, b| (a.id(), &a.path).cmp(&(b.id(), &b.path)));
        found.dedup_by(|a, b| std::ptr::eq(*a, *b));
        found
    }

    /// The access section of `r`'s page; `None` when no record gives access to or on it.
    pub(crate) fn access_view(&self, r: &Record, root: &str) -> Option<AccessView> {
        let records = self.access_records(r);
        if records.is_empty() {
            return None;
        }
        let as_of = self.input.as_of;
        let person = r.kind == Kind::Person;
        let link = |g: &Record| Link { url: format!("{root}{}", self.url(g)), text: self.display(g) };
        let label = |kind: Kind, value: &str| self.value_label(kind, "/status", value);
        let grants: Vec<(&Record, Vec<Span>)> = records
            .iter()
            .filter(|g| g.kind == Kind::Grant)
            .map(|g| (*g, timelines(g, as_of)))
            .filter(|(_, spans)| !spans.is_empty())
            .collect();
        let mut rows = Vec::new();
        let mut lanes = Vec::new();
        let start = grants.iter().filter_map(|(_, s)| s.first().map(|s| s.from)).min();
        for (g, spans) in &grants {
            let party_id = g.fields.str_at(if person { "system" } else { "grantee" }).unwrap_or_default();
            let party = self.name_of(party_id);
            let role = g.fields.str_at("role").unwrap_or_default().to_string();
            let text = |s: &Span| {
                let to = s.to.map_or_else(|| self.t("access_now"), |d| self.date_text(d));
                format!("{} {} – {to}", label(Kind::Grant, &s.state), self.date_text(s.from))
            };
            let periods: Vec<String> = spans.iter().map(text).collect();
            let (state_value, _) = crate::access::state_on(g, as_of).unwrap_or_default();
            let ended = spans
                .last()
                .and_then(|s| s.to)
                .filter(|_| matches!(state_value.as_str(), "revoked" | "expired"))
                .map(|d| (d, format!("{party}: {} {}", label(Kind::Grant, &state_value), self.date_text(d))));
            if let Some(start) = start {
                let day = |d: Date| (d - start).get_days() as i64;
                let end = day(as_of) + 1;
                lanes.push(Lane {
                    label: shorten(&format!("{party} · {role}"), 30),
                    spans: spans
                        .iter()
                        .map(|s| {
                            let kind = usize::from(s.state == "frozen");
                            (day(s.from), s.to.map_or(end, day), kind, format!("{party}: {}", text(s)))
                        })
                        .collect(),
                    ended: ended.map(|(d, t)| (day(d), t)),
                });
            }
            rows.push(SpanRow {
                link: link(g),
                party,
                role,
                periods: periods.join("; "),
                state: label(Kind::Grant, &state_value),
                state_value,
            });
        }
        let chart = start.map(|start| {
            let days = (as_of - start).get_days() as i64 + 1;
            let ticks: Vec<(i64, String)> = (0..=4)
                .map(|i| {
                    let day = (days - 1) * i / 4;
                    (day, self.date_text(start.checked_add(jiff::Span::new().days(day)).unwrap_or(start)))
                })
                .collect();
            let legend = [
                (0, label(Kind::Grant, "active")),
                (1, label(Kind::Grant, "frozen")),
                (usize::MAX, format!("{} / {}", label(Kind::Grant, "revoked"), label(Kind::Grant, "expired"))),
            ];
            let title = format!("{} — {}", self.t("access_timeline"), self.display(r));
            let desc = self
                .t("access_timeline_desc")
                .replace("{n}", &grants.len().to_string())
                .replace("{from}", &self.date_text(start))
                .replace("{to}", &self.date_text(as_of));
            charts::timeline("access-chart", &title, &desc, &lanes, days, &ticks, &legend)
        });
        // What is held now and what was held before: grants by their state today, the
        // inventory by its own status (it keeps no dates).
        let (mut holds, mut held) = (Vec::new(), Vec::new());
        for a in &records {
            let (now, what) = match a.kind {
                Kind::Grant => {
                    let state = crate::access::state_on(a, as_of).map(|s| s.0).unwrap_or_default();
                    let party = self.name_of(a.fields.str_at(if person { "system" } else { "grantee" }).unwrap_or(""));
                    let role = a.fields.str_at("role").unwrap_or_default();
                    (
                        matches!(state.as_str(), "active" | "frozen"),
                        format!("{party} · {role} · {}", label(a.kind, &state)),
                    )
                }
                Kind::Account | Kind::Repository | Kind::WebserviceClient => {
                    let active = a.fields.str_at("status") == Some("active");
                    let level = match a.kind {
                        Kind::Account => a.fields.str_at("kind").map(|k| self.value_label(a.kind, "/kind", k)),
                        Kind::Repository => a
                            .fields
                            .get("access")
                            .map(crate::model::Node::as_seq)
                            .unwrap_or_default()
                            .iter()
                            .find(|e| e.str_at("person") == Some(r.id()))
                            .and_then(|e| e.str_at("level"))
                            .map(|l| self.value_label(a.kind, "/access/0/level", l)),
                        _ => None,
                    };
                    let state = a.fields.str_at("status").map(|s| label(a.kind, s)).unwrap_or_default();
                    let what = [Some(self.kind_label(a.kind)), level, Some(state)].into_iter().flatten();
                    (active, what.collect::<Vec<_>>().join(" · "))
                }
                _ => continue,
            };
            let row = HoldRow { link: link(a), what };
            if now { holds.push(row) } else { held.push(row) }
        }
        Some(AccessView { chart, rows, holds, held })
    }
}

/// `text` cut to `n` characters with an ellipsis (a lane's label has a fixed width).
fn shorten(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(n - 1).collect::<String>())
    }
}

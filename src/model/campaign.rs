//! Access review campaigns as data (issue 28, item 4): what a scope is, which accesses are
//! in force in it (grants, administrator and service accounts, repository accesses,
//! web-service clients), who reviews each (the `items[].reviewer` actor rules of
//! `workflows.yaml`), what changed since the scope's last closed campaign, and how far a
//! campaign record's decisions have got. The command that opens one and the step that
//! decides an item are in `step::campaign`; the findings in `validate::campaign`.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::date::date;
use super::workflow::Workflows;
use super::{Index, Kind, Node, Record};

/// What a campaign reviews.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Scope {
    /// The accesses to one application or server.
    System(String),
    /// The accesses held by one unit's people (and its web-service clients).
    Unit(String),
    /// Every grant in force.
    AllGrants,
    /// Every administrator account in force.
    AdminAccounts,
}

/// Why a typed scope names nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ScopeError {
    /// `system:`/`unit:` with an id that is no application, server or unit.
    Unknown(String),
    /// A word that is no scope at all.
    Unreadable(String),
}

impl Scope {
    /// A scope as typed: `system:ID`, `unit:ID`, a bare application, server or unit id,
    /// `all-grants` (`tüm-yetkiler`) or `admin-accounts` (`yönetici-hesapları`).
    pub(crate) fn parse(typed: &str, index: &Index) -> Result<Scope, ScopeError> {
        let folded = super::text::fold_case(typed.trim()).replace('_', "-");
        match folded.as_str() {
            // Folded: `tüm-yetkiler`, `yönetici-hesapları` as typed.
            "all-grants" | "tum-yetkiler" => return Ok(Scope::AllGrants),
            "admin-accounts" | "yonetici-hesaplari" => return Ok(Scope::AdminAccounts),
            _ => {}
        }
        let is_system = |id: &str| index.get(id).is_some_and(|r| matches!(r.kind, Kind::Application | Kind::Server));
        let is_unit = |id: &str| index.unit(id).is_some();
        let typed = typed.trim();
        match typed.split_once(':') {
            Some(("system" | "sistem", id)) if is_system(id) => Ok(Scope::System(id.to_string())),
            Some(("unit" | "birim", id)) if is_unit(id) => Ok(Scope::Unit(id.to_string())),
            Some(("system" | "sistem" | "unit" | "birim", id)) => Err(ScopeError::Unknown(id.to_string())),
            Some(_) => Err(ScopeError::Unreadable(typed.to_string())),
            None if is_system(typed) => Ok(Scope::System(typed.to_string())),
            None if is_unit(typed) => Ok(Scope::Unit(typed.to_string())),
            None => Err(ScopeError::Unreadable(typed.to_string())),
        }
    }

    /// The scope a campaign record names (`scope: { type: system, target: app-x }`).
    pub(crate) fn of_record(record: &Record) -> Option<Scope> {
        let target = || record.fields.str_at("scope.target").map(str::to_string);
        Some(match record.fields.str_at("scope.type")? {
            "system" => Scope::System(target()?),
            "unit" => Scope::Unit(target()?),
            "all_grants" => Scope::AllGrants,
            "admin_accounts" => Scope::AdminAccounts,
            _ => return None,
        })
    }

    /// The `scope.type` code.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Scope::System(_) => "system",
            Scope::Unit(_) => "unit",
            Scope::AllGrants => "all_grants",
            Scope::AdminAccounts => "admin_accounts",
        }
    }

    pub(crate) fn target(&self) -> Option<&str> {
        match self {
            Scope::System(id) | Scope::Unit(id) => Some(id),
            Scope::AllGrants | Scope::AdminAccounts => None,
        }
    }

    /// `system:app-intranet`, `all-grants`: how the scope is typed and told.
    pub(crate) fn key(&self) -> String {
        match self.target() {
            Some(id) => format!("{}:{id}", self.code()),
            None => self.code().replace('_', "-"),
        }
    }
}

/// One access in force, as a campaign lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Item {
    /// The grant, account or client id; `REPOSITORY:PERSON` for a repository access.
    pub item: String,
    pub kind: Kind,
    /// The record that holds the access.
    pub record: String,
    /// The person (a client: the consuming unit or application).
    pub holder: String,
    /// What the access is (role, level, permissions) and, for a grant, its state.
    pub detail: String,
}

/// Whether `record`'s state is one its accesses are in force in (as `workflows.yaml`'s
/// `holders` rules count them: a grant active or frozen, the others active).
fn in_force(w: &Workflows, record: &Record) -> bool {
    let kind = record.kind.name();
    let Some(state) = record.fields.str_at(w.state_field(kind)) else { return false };
    match record.kind {
        Kind::Grant => matches!(state, "active" | "frozen"),
        _ => state == "active",
    }
}

/// Every access in force in `scope`, sorted by item. `label` names a value of a field of
/// a kind by its label (`Etkin`), for the items' `detail`.
pub(crate) fn in_scope(
    w: &Workflows,
    index: &Index,
    records: &[Record],
    scope: &Scope,
    label: &dyn Fn(Kind, &str, &str) -> String,
) -> Vec<Item> {
    let unit_of = |person: &str| index.person(person).and_then(|p| p.fields.str_at("unit")).map(str::to_string);
    let in_unit = |person: &str, unit: &str| unit_of(person).as_deref() == Some(unit);
    // A system's repository is named by the application (`repository: repo-x`).
    let system_repository = match scope {
        Scope::System(id) => index.get(id).and_then(|a| a.fields.str_at("repository")).map(str::to_string),
        _ => None,
    };
    let mut out = Vec::new();
    for r in records.iter().filter(|r| in_force(w, r)) {
        let f = &r.fields;
        let s = |path: &str| f.str_at(path).unwrap_or_default().to_string();
        match r.kind {
            Kind::Grant => {
                let holder = s("grantee");
                let wanted = match scope {
                    Scope::System(id) => f.str_at("system") == Some(id),
                    Scope::Unit(unit) => in_unit(&holder, unit),
                    Scope::AllGrants => true,
                    Scope::AdminAccounts => false,
                };
                if wanted {
                    let status = label(Kind::Grant, "status", &s("status"));
                    let detail = format!("{} ({status})", s("role"));
                    out.push(Item { item: r.id().into(), kind: r.kind, record: r.id().into(), holder, detail });
                }
            }
            Kind::Account => {
                let holder = s("holder");
                let wanted = match scope {
                    Scope::System(id) => f.str_at("system") == Some(id),
                    Scope::Unit(unit) => in_unit(&holder, unit),
                    Scope::AllGrants => false,
                    Scope::AdminAccounts => f.str_at("kind") == Some("admin"),
                };
                if wanted && !holder.is_empty() {
                    let detail = format!("{} ({})", s("name"), label(Kind::Account, "kind", &s("kind")));
                    out.push(Item { item: r.id().into(), kind: r.kind, record: r.id().into(), holder, detail });
                }
            }
            Kind::Repository => {
                for access in f.path("access[]") {
                    let (Some(person), level) = (access.str_at("person"), access.str_at("level").unwrap_or_default())
                    else {
                        continue;
                    };
                    let wanted = match scope {
                        Scope::System(_) => system_repository.as_deref() == Some(r.id()),
                        Scope::Unit(unit) => in_unit(person, unit),
                        Scope::AllGrants | Scope::AdminAccounts => false,
                    };
                    if wanted {
                        out.push(Item {
                            item: format!("{}:{person}", r.id()),
                            kind: r.kind,
                            record: r.id().into(),
                            holder: person.into(),
                            detail: label(Kind::Repository, "access[].level", level),
                        });
                    }
                }
            }
            Kind::WebserviceClient => {
                let holder = s("consumer");
                let wanted = match scope {
                    Scope::System(id) | Scope::Unit(id) => holder == *id,
                    Scope::AllGrants | Scope::AdminAccounts => false,
                };
                if wanted {
                    let permissions: Vec<&str> = f.path("permissions[]").into_iter().filter_map(Node::as_str).collect();
                    let detail = permissions.join(", ");
                    out.push(Item { item: r.id().into(), kind: r.kind, record: r.id().into(), holder, detail });
                }
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| a.item.cmp(&b.item));
    out
}

/// The actors who may review an item of `kind`: the `items[].reviewer` rules of the
/// `campaign` kind whose `where` names it.
pub(crate) fn reviewer_actors(w: &Workflows, kind: Kind) -> Vec<String> {
    w.actor_fields
        .iter()
        .filter(|r| r.kind == "campaign" && r.field == "items[].reviewer")
        .filter(|r| r.filter.get("kind").is_some_and(|k| k == kind.name()))
        .flat_map(|r| r.by.iter().cloned())
        .collect()
}

/// The reviewer of an item: an active person the rules let review it, never its holder;
/// of those, first one who may also take `also` on the record (a grant's `revoke`, so a
/// revoke decision is carried out in the same write), then a service chief, then the
/// branch manager, then anyone, each by id.
pub(crate) fn reviewer(w: &Workflows, index: &Index, item: &Item, record: &Record, also: &[String]) -> Option<String> {
    let actors = reviewer_actors(w, item.kind);
    let rank = |p: &Record| {
        let roles: Vec<&str> = p.fields.path("roles[]").into_iter().filter_map(Node::as_str).collect();
        let role = if roles.contains(&"service_chief") {
            0
        } else if roles.contains(&"branch_manager") {
            1
        } else {
            2
        };
        let carries = also.is_empty() || index.any_actor(w, p.id(), also, record);
        (!carries, role, p.id().to_string())
    };
    index
        .people()
        .filter(|p| index.is_active(p.id()) != Some(false) && p.id() != item.holder)
        .filter(|p| index.any_actor(w, p.id(), &actors, record))
        .min_by_key(|p| rank(p))
        .map(|p| p.id().to_string())
}

/// How an item stands against the last closed campaign of its scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    New,
    Changed,
    Unchanged,
}

impl Change {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Changed => "changed",
            Change::Unchanged => "unchanged",
        }
    }
}

/// The items a campaign record lists (or, under `removed`, lists as gone).
pub(crate) fn listed(record: &Record, list: &str) -> Vec<Item> {
    let mut out = Vec::new();
    for node in record.fields.path(&format!("{list}[]")) {
        let s = |k: &str| node.str_at(k).unwrap_or_default().to_string();
        let Some(kind) = node.str_at("kind").and_then(Kind::from_name) else { continue };
        out.push(Item { item: s("item"), kind, record: s("record"), holder: s("holder"), detail: s("detail") });
    }
    out
}

/// The newest closed campaign of `scope` (by closing date, then id), if any.
pub(crate) fn last_closed<'a>(w: &Workflows, records: &'a [Record], scope: &Scope) -> Option<&'a Record> {
    records
        .iter()
        .filter(|r| r.kind == Kind::Campaign && Scope::of_record(r).as_ref() == Some(scope))
        .filter(|r| r.fields.str_at(w.state_field("campaign")) == Some("closed"))
        .max_by_key(|r| (r.fields.get("closed").and_then(date), r.id().to_string()))
}

/// Each item of `now` with how it changed since `before` (all new without one), and the
/// items of `before` no longer in force.
pub(crate) fn diff(before: Option<&[Item]>, now: &[Item]) -> (Vec<Change>, Vec<Item>) {
    let Some(before) = before else { return (vec![Change::New; now.len()], Vec::new()) };
    let old: BTreeMap<&str, &Item> = before.iter().map(|i| (i.item.as_str(), i)).collect();
    let changes = now
        .iter()
        .map(|i| match old.get(i.item.as_str()) {
            None => Change::New,
            Some(o) if o.holder != i.holder || o.detail != i.detail => Change::Changed,
            Some(_) => Change::Unchanged,
        })
        .collect();
    let current: Vec<&str> = now.iter().map(|i| i.item.as_str()).collect();
    let removed = before.iter().filter(|o| !current.contains(&o.item.as_str())).cloned().collect();
    (changes, removed)
}

/// One decision of a campaign record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decision {
    pub item: String,
    pub result: String,
    pub by: String,
    pub date: Option<Date>,
    pub note: Option<String>,
}

/// A campaign record's decisions, in the order they were made.
pub(crate) fn decisions(record: &Record) -> Vec<(Decision, &Node)> {
    record
        .fields
        .path("decisions[]")
        .into_iter()
        .map(|n| {
            let s = |k: &str| n.str_at(k).unwrap_or_default().to_string();
            let d = Decision {
                item: s("item"),
                result: s("result"),
                by: s("by"),
                date: n.get("date").and_then(date),
                note: n.str_at("note").map(str::to_string),
            };
            (d, n)
        })
        .collect()
}

/// How many of a campaign's items are decided, of how many.
pub(crate) fn progress(record: &Record) -> (usize, usize) {
    let items = listed(record, "items");
    let decided = decisions(record);
    let done = items.iter().filter(|i| decided.iter().any(|(d, _)| d.item == i.item)).count();
    (done, items.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, holder: &str, detail: &str) -> Item {
        Item { item: id.into(), kind: Kind::Grant, record: id.into(), holder: holder.into(), detail: detail.into() }
    }

    #[test]
    fn the_diff_tells_new_changed_unchanged_and_removed() {
        let before =
            [item("YTK-1", "a", "Okuma (Etkin)"), item("YTK-2", "b", "Yazma (Etkin)"), item("YTK-3", "c", "x")];
        let now =
            [item("YTK-1", "a", "Okuma (Etkin)"), item("YTK-2", "b", "Yazma (Donduruldu)"), item("YTK-4", "d", "y")];
        let (changes, removed) = diff(Some(&before), &now);
        assert_eq!(changes, [Change::Unchanged, Change::Changed, Change::New]);
        assert_eq!(removed, [item("YTK-3", "c", "x")]);
        let (changes, removed) = diff(None, &now);
        assert_eq!(changes, [Change::New; 3]);
        assert!(removed.is_empty());
    }
}

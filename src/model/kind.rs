//! Record kinds and how a path under `records/` names one (the directive's record families).

use std::fmt;

/// Every kind of record defter knows. Inventory types are kinds of their own, each with
/// its own schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Unit,
    Person,
    Request,
    Project,
    ProjectSection,
    Grant,
    Application,
    Server,
    Website,
    Domain,
    Certificate,
    Repository,
    Account,
    WebserviceClient,
    Asset,
    ContinuityPlan,
    Incident,
    Vulnerability,
    Audit,
    Training,
    Procurement,
    Maintenance,
    Decision,
    BgysDocument,
    Campaign,
}

impl Kind {
    pub const ALL: [Kind; 25] = [
        Kind::Unit,
        Kind::Person,
        Kind::Request,
        Kind::Project,
        Kind::ProjectSection,
        Kind::Grant,
        Kind::Application,
        Kind::Server,
        Kind::Website,
        Kind::Domain,
        Kind::Certificate,
        Kind::Repository,
        Kind::Account,
        Kind::WebserviceClient,
        Kind::Asset,
        Kind::ContinuityPlan,
        Kind::Incident,
        Kind::Vulnerability,
        Kind::Audit,
        Kind::Training,
        Kind::Procurement,
        Kind::Maintenance,
        Kind::Decision,
        Kind::BgysDocument,
        Kind::Campaign,
    ];

    /// The stable, tool-facing name: schema file stem, inventory folder, workflow key.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Unit => "unit",
            Kind::Person => "person",
            Kind::Request => "request",
            Kind::Project => "project",
            Kind::ProjectSection => "project_section",
            Kind::Grant => "grant",
            Kind::Application => "application",
            Kind::Server => "server",
            Kind::Website => "website",
            Kind::Domain => "domain",
            Kind::Certificate => "certificate",
            Kind::Repository => "repository",
            Kind::Account => "account",
            Kind::WebserviceClient => "webservice_client",
            Kind::Asset => "asset",
            Kind::ContinuityPlan => "continuity_plan",
            Kind::Incident => "incident",
            Kind::Vulnerability => "vulnerability",
            Kind::Audit => "audit",
            Kind::Training => "training",
            Kind::Procurement => "procurement",
            Kind::Maintenance => "maintenance",
            Kind::Decision => "decision",
            Kind::BgysDocument => "bgys_document",
            Kind::Campaign => "campaign",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub const fn is_inventory(self) -> bool {
        !matches!(self, Kind::Unit | Kind::Person | Kind::Request | Kind::Project | Kind::ProjectSection | Kind::Grant)
            && self.register().is_none()
    }

    /// The registers of the directorate's security and management duties (incidents,
    /// vulnerabilities, audits, trainings, procurements, maintenance, committee
    /// decisions, BGYS documents, access review campaigns): their folder under `records/`, and the prefix of their
    /// numbered ids (`OLY-2026-0001`, in a year folder) — `None` for BGYS documents,
    /// whose ids are names (`bgys-erisim-proseduru`) in one folder.
    pub const fn register(self) -> Option<(&'static str, Option<&'static str>)> {
        Some(match self {
            Kind::Incident => ("incidents", Some("OLY")),
            Kind::Vulnerability => ("vulnerabilities", Some("ACK")),
            Kind::Audit => ("audits", Some("DNT")),
            Kind::Training => ("trainings", Some("EGT")),
            Kind::Procurement => ("procurements", Some("SAT")),
            Kind::Maintenance => ("maintenance", Some("BKM")),
            Kind::Decision => ("committee", Some("KRR")),
            Kind::BgysDocument => ("bgys", None),
            Kind::Campaign => ("campaigns", Some("EGK")),
            _ => return None,
        })
    }

    /// Markdown with front matter (`true`) or plain YAML (`false`).
    pub const fn is_markdown(self) -> bool {
        matches!(
            self,
            Kind::Request
                | Kind::Project
                | Kind::ProjectSection
                | Kind::Incident
                | Kind::Audit
                | Kind::Procurement
                | Kind::Decision
                | Kind::BgysDocument
        )
    }

    /// Where a record of this kind with `id` lives, relative to `records/`, for the kinds
    /// whose place follows from the id alone (numbered kinds in year folders, BGYS
    /// documents).
    pub fn register_path(self, id: &str) -> Option<String> {
        let (folder, prefix) = self.register()?;
        let ext = if self.is_markdown() { "md" } else { "yaml" };
        Some(match prefix {
            Some(_) => format!("{folder}/{}/{id}.{ext}", id.split('-').nth(1).unwrap_or_default()),
            None => format!("{folder}/{id}.{ext}"),
        })
    }

    /// Recognises a path relative to `records/` (with `/` separators). Returns the kind
    /// and the id the path implies (file stem; project folder; `PRJ-0001/section`).
    pub fn from_path(rel: &str) -> Option<(Kind, String)> {
        let parts: Vec<&str> = rel.split('/').collect();
        let (dir, file) = parts.split_at(parts.len() - 1);
        let file = file[0];
        let yaml = file.strip_suffix(".yaml");
        let md = file.strip_suffix(".md");
        let kind_id = match (dir, yaml, md) {
            (["org", "units"], Some(stem), _) => (Kind::Unit, stem.to_string()),
            (["org", "people"], Some(stem), _) => (Kind::Person, stem.to_string()),
            (["requests", _year], _, Some(stem)) => (Kind::Request, stem.to_string()),
            (["projects", folder], _, Some("index")) => (Kind::Project, folder.to_string()),
            (["projects", folder], _, Some(stem)) => (Kind::ProjectSection, format!("{folder}/{stem}")),
            (["grants", _year], Some(stem), _) => (Kind::Grant, stem.to_string()),
            (["inventory", ty], Some(stem), _) => match Kind::from_name(ty) {
                Some(kind) if kind.is_inventory() => (kind, stem.to_string()),
                _ => return None,
            },
            ([folder, rest @ ..], _, _) => {
                let kind = Kind::ALL.into_iter().find(|k| k.register().is_some_and(|(f, _)| f == *folder))?;
                let yearly = matches!(kind.register(), Some((_, Some(_))));
                let stem = if kind.is_markdown() { md } else { yaml }?;
                if rest.len() != usize::from(yearly) {
                    return None;
                }
                (kind, stem.to_string())
            }
            _ => return None,
        };
        Some(kind_id)
    }

    /// The year folder a request or grant lives in, when its kind has one (`path` is
    /// relative to the repository root: `records/requests/2026/…`).
    pub fn year_folder(self, path: &str) -> Option<&str> {
        match self {
            Kind::Request | Kind::Grant => path.split('/').nth(2),
            kind if matches!(kind.register(), Some((_, Some(_)))) => path.split('/').nth(2),
            _ => None,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_every_kind_from_its_path() {
        let cases = [
            ("org/units/zabita-dairesi.yaml", Kind::Unit, "zabita-dairesi"),
            ("org/people/ayse.yilmaz.yaml", Kind::Person, "ayse.yilmaz"),
            ("requests/2026/TLP-2026-0042.md", Kind::Request, "TLP-2026-0042"),
            ("projects/PRJ-0007/index.md", Kind::Project, "PRJ-0007"),
            ("projects/PRJ-0007/analiz.md", Kind::ProjectSection, "PRJ-0007/analiz"),
            ("grants/2025/YTK-2025-0007.yaml", Kind::Grant, "YTK-2025-0007"),
            ("inventory/webservice_client/wsc-izsu.yaml", Kind::WebserviceClient, "wsc-izsu"),
            ("incidents/2026/OLY-2026-0001.md", Kind::Incident, "OLY-2026-0001"),
            ("vulnerabilities/2026/ACK-2026-0003.yaml", Kind::Vulnerability, "ACK-2026-0003"),
            ("committee/2025/KRR-2025-0002.md", Kind::Decision, "KRR-2025-0002"),
            ("bgys/bgys-erisim-proseduru.md", Kind::BgysDocument, "bgys-erisim-proseduru"),
            ("campaigns/2026/EGK-2026-0001.yaml", Kind::Campaign, "EGK-2026-0001"),
        ];
        for (path, kind, id) in cases {
            assert_eq!(Kind::from_path(path), Some((kind, id.to_string())), "{path}");
        }
        for path in [
            "README.md",
            "org/units/x.yml",
            "requests/TLP-2026-0001.md",
            "inventory/printer/p1.yaml",
            "inventory/application/sub/x.yaml",
            "grants/2025/YTK-2025-0001.md",
            "incidents/OLY-2026-0001.md",
            "incidents/2026/OLY-2026-0001.yaml",
            "bgys/2026/bgys-x.md",
            "vulnerabilities/2026/ACK-2026-0001.md",
        ] {
            assert_eq!(Kind::from_path(path), None, "{path}");
        }
        assert_eq!(Kind::Request.year_folder("records/requests/2026/TLP-2026-0042.md"), Some("2026"));
    }
}

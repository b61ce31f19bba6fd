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
}

impl Kind {
    pub const ALL: [Kind; 16] = [
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
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub const fn is_inventory(self) -> bool {
        !matches!(self, Kind::Unit | Kind::Person | Kind::Request | Kind::Project | Kind::ProjectSection | Kind::Grant)
    }

    /// Markdown with front matter (`true`) or plain YAML (`false`).
    pub const fn is_markdown(self) -> bool {
        matches!(self, Kind::Request | Kind::Project | Kind::ProjectSection)
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
            _ => return None,
        };
        Some(kind_id)
    }

    /// The year folder a request or grant lives in, when its kind has one (`path` is
    /// relative to the repository root: `records/requests/2026/…`).
    pub fn year_folder(self, path: &str) -> Option<&str> {
        match self {
            Kind::Request | Kind::Grant => path.split('/').nth(2),
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
        ] {
            assert_eq!(Kind::from_path(path), None, "{path}");
        }
        assert_eq!(Kind::Request.year_folder("records/requests/2026/TLP-2026-0042.md"), Some("2026"));
    }
}

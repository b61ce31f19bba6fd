//! Starter content: the files `defter init` writes (configuration, CI, a pull-request
//! template, editor settings, a small organisation and one valid record of each kind —
//! the project's `starter/` folder, embedded), the record templates `defter new`
//! fills in and the drafts it builds for kinds without one. Dates in the starter are written around a given day, so a fresh repository
//! validates clean whenever it is made.

mod defaults;
mod draft;
mod fill;
mod ids;

use jiff::ToSpan;
use jiff::civil::Date;

pub(crate) use defaults::{author, requester, service, services};
pub(crate) use draft::{Draft, with_fields};
pub(crate) use fill::{Values, fill, yaml_scalar};
pub(crate) use ids::next_id;

use crate::model::Kind;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        /// Every file of the starter repository, by path (`{{year}}` in a path is the year).
        pub(crate) const STARTER: &[(&str, &str)] = &[$(($name, include_str!(concat!("../../starter/", $name))),)*];
    };
}

embedded!(
    ".github/pull_request_template.md",
    ".github/workflows/intake.yml",
    ".github/workflows/notify.yml",
    ".github/workflows/records.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".vscode/extensions.json",
    ".vscode/settings.json",
    "README.md",
    "defter.toml",
    "records/grants/{{year}}/YTK-{{year}}-0001.yaml",
    "records/inventory/account/acc-svc-zabita.yaml",
    "records/inventory/application/app-bbys-zabita.yaml",
    "records/inventory/asset/ast-dizustu-001.yaml",
    "records/inventory/certificate/crt-zabita.yaml",
    "records/inventory/continuity_plan/bcp-bbys.yaml",
    "records/inventory/domain/dom-ornek-bel-tr.yaml",
    "records/inventory/repository/repo-zabita-denetim.yaml",
    "records/inventory/server/srv-app01.yaml",
    "records/inventory/webservice_client/wsc-zabita-mobil.yaml",
    "records/inventory/website/web-zabita.yaml",
    "records/org/people/ayse.yilmaz.yaml",
    "records/org/people/burak.yildiz.yaml",
    "records/org/people/elif.kara.yaml",
    "records/org/people/hakan.celik.yaml",
    "records/org/people/mehmet.demir.yaml",
    "records/org/people/oguz.koc.yaml",
    "records/org/people/selin.aydin.yaml",
    "records/org/people/tolga.sen.yaml",
    "records/org/people/zeynep.arslan.yaml",
    "records/org/units/belediye.yaml",
    "records/org/units/bilgi-islem-dairesi.yaml",
    "records/org/units/yazilim-analiz-servisi.yaml",
    "records/org/units/yazilim-arge-servisi.yaml",
    "records/org/units/yazilim-destek-servisi.yaml",
    "records/org/units/yazilim-devops-servisi.yaml",
    "records/org/units/yazilim-gelistirme-servisi.yaml",
    "records/org/units/yazilim-idari-isler-servisi.yaml",
    "records/org/units/yazilim-sube-mudurlugu.yaml",
    "records/org/units/zabita-dairesi.yaml",
    "records/projects/PRJ-0001/analiz.md",
    "records/projects/PRJ-0001/index.md",
    "records/requests/{{year}}/TLP-{{year}}-0001.md",
);

/// Replaces `{{year}}`, `{{today}}`, `{{today±N}}` (N days) and `{{version}}` (defter's
/// own) in a starter file.
pub(crate) fn dated(text: &str, as_of: Date) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = &after[..end];
        let replaced = match name {
            "year" => Some(as_of.year().to_string()),
            "version" => Some(env!("CARGO_PKG_VERSION").to_string()),
            "today" => Some(as_of.to_string()),
            _ => name
                .strip_prefix("today")
                .and_then(|offset| {
                    offset.strip_prefix('+').map_or_else(|| offset.parse::<i64>().ok(), |n| n.parse().ok())
                })
                .and_then(|days| as_of.checked_add(days.days()).ok())
                .map(|d| d.to_string()),
        };
        match replaced {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The starter repository's files with their dates filled in, as (path, text).
pub(crate) fn starter(as_of: Date) -> Vec<(String, String)> {
    STARTER.iter().map(|(path, text)| (dated(path, as_of), dated(text, as_of))).collect()
}

/// The template `defter new` fills in for a kind, if it has one.
pub(crate) fn template(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Request => Some(include_str!("templates/request.md")),
        Kind::Grant => Some(include_str!("templates/grant.yaml")),
        Kind::Project => Some(include_str!("templates/project.md")),
        _ => None,
    }
}

/// Where a new record of `kind` with `id` lives, relative to the repository root.
pub(crate) fn record_path(kind: Kind, id: &str) -> Option<String> {
    let year = id.split('-').nth(1).unwrap_or_default();
    match kind {
        Kind::Request => Some(format!("records/requests/{year}/{id}.md")),
        Kind::Grant => Some(format!("records/grants/{year}/{id}.yaml")),
        Kind::Project => Some(format!("records/projects/{id}/index.md")),
        kind => kind.register_path(id).map(|p| format!("records/{p}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_around_the_day() {
        let day: Date = "2026-03-01".parse().unwrap();
        assert_eq!(
            dated("{{year}} {{today}} {{today-1}} {{today+31}} ${{ github.base_ref }} {{x}}", day),
            "2026 2026-03-01 2026-02-28 2026-04-01 ${{ github.base_ref }} {{x}}"
        );
    }

    #[test]
    fn every_starter_file_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("starter");
        let on_disk =
            walkdir::WalkDir::new(&dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file());
        for entry in on_disk {
            let rel = entry.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
            assert!(STARTER.iter().any(|(p, _)| *p == rel), "starter/{rel} is not in STARTER");
        }
    }
}

//! The repository the language server checks: loaded once when the server starts and
//! kept in memory, with the text of each open document laid over the file on disk. A
//! document is checked the way `validate --base` checks a changed record
//! ([`crate::validate::scope`]): with every rule, against the records its checks read
//! (the organisation, the records it names, its project folder, the records whose id
//! equals its own up to case) rather than against all of them, so an edit costs the same
//! in a repository of 200 records or of 100,000.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::Result;
use jiff::civil::Date;

use crate::diag::{Diagnostic, Findings, Overrides};
use crate::load::{self, Loaded, RawFile, Records};
use crate::model::{IdTable, Kind, Record};
use crate::repo::Repo;
use crate::validate::{self, Schemas, scope};

/// A repository loaded for the language server.
pub(crate) struct Workspace {
    /// The repository's folder (as given, and as the file system names it).
    pub root: PathBuf,
    canonical_root: Option<PathBuf>,
    pub repo: Repo,
    pub schemas: Schemas,
    overrides: Overrides,
    /// The records on disk, each open document's text in place of its file.
    pub records: Records,
}

impl Workspace {
    /// Loads the repository at `root`: its configuration, rules and every record.
    pub(crate) fn open(root: &Path) -> Result<Workspace> {
        let repo = Repo::open(root)?;
        let schemas = Schemas::compile(&repo.rules)?;
        let overrides = repo.config.overrides()?;
        let records = load::load_dir(root)?;
        Ok(Workspace {
            root: root.to_path_buf(),
            canonical_root: root.canonicalize().ok(),
            repo,
            schemas,
            overrides,
            records,
        })
    }

    /// Whether findings are to be shown in English (`[site] language = "en"`).
    pub(crate) fn english(&self) -> bool {
        self.repo.config.site.language == "en"
    }

    /// The path of `file` relative to the repository, `/`-separated, when it is a file
    /// under `records/` that loading would read (not a hidden file): a record, or a file
    /// `validate` reports as no record.
    pub(crate) fn record_path(&self, file: &Path) -> Option<String> {
        let canonical = file.canonicalize().ok().or_else(|| {
            let name = file.file_name()?;
            Some(file.parent()?.canonicalize().ok()?.join(name))
        });
        let roots = [Some(self.root.as_path()), self.canonical_root.as_deref()];
        let files = [Some(file), canonical.as_deref()];
        let rel =
            roots.iter().flatten().find_map(|root| files.iter().flatten().find_map(|f| f.strip_prefix(root).ok()))?;
        let parts: Vec<&str> = rel.components().map(|c| c.as_os_str().to_str()).collect::<Option<_>>()?;
        let inside = parts.len() > 1 && parts[0] == load::RECORDS_DIR;
        (inside && !parts.iter().any(|p| p.starts_with('.'))).then(|| parts.join("/"))
    }

    /// The kind of record at `path` (relative to the repository).
    pub(crate) fn kind_of(path: &str) -> Option<Kind> {
        Kind::from_path(path.strip_prefix("records/")?).map(|(kind, _)| kind)
    }

    /// Lays `text` over the file at `path` (`None`: the file as it is on disk, or no file).
    pub(crate) fn set(&mut self, path: &str, text: Option<&str>) {
        self.records.records.retain(|r| r.path != path);
        self.records.problems.retain(|d| d.path != path);
        self.records.sources.remove(path);
        let bytes = match text {
            Some(text) => text.as_bytes().to_vec(),
            None => match std::fs::read(self.root.join(path)) {
                Ok(bytes) => bytes,
                Err(_) => return,
            },
        };
        match load::load_file(RawFile { path: path.to_string(), bytes }) {
            Loaded::Record(record, source) => {
                self.records.sources.insert(path.to_string(), source);
                self.records.records.push(record);
            }
            Loaded::Problem(d, source) => {
                if let Some(source) = source {
                    self.records.sources.insert(path.to_string(), source);
                }
                self.records.problems.push(d);
            }
        }
    }

    /// The findings about the file at `path` as of `as_of`: every rule, with the
    /// severities `defter.toml` sets, as `validate` reports them for that file.
    pub(crate) fn findings(&self, path: &str, as_of: Date) -> Vec<Diagnostic> {
        let own: Vec<Record> = self.records.records.iter().filter(|r| r.path == path).cloned().collect();
        let mut wanted: HashSet<String> = HashSet::from([path.to_string()]);
        if !own.is_empty() {
            let changed = Records { records: own, ..Records::default() };
            let all: Vec<&str> = self.records.sources.keys().map(String::as_str).collect();
            wanted.extend(scope::context(&changed, &all));
        }
        let sub = Records {
            records: self.records.records.iter().filter(|r| wanted.contains(&r.path)).cloned().collect(),
            problems: self.records.problems.iter().filter(|d| d.path == path).cloned().collect(),
            sources: self
                .records
                .sources
                .iter()
                .filter(|(p, _)| wanted.contains(*p))
                .map(|(p, t)| (p.clone(), t.clone()))
                .collect(),
            ..Records::default()
        };
        let table = IdTable::new(&sub.records);
        let rules = &self.repo.rules;
        let mut found =
            validate::check_all_with(&sub, &table, rules, &self.schemas, &self.repo.config, as_of, &load::Silent);
        found.retain(|d| d.path == path);
        Findings::new(found, 1, &self.overrides).diagnostics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Workspace {
        Workspace::open(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the example repository loads")
    }

    /// The scoped check of each record finds what checking the whole repository finds
    /// about it: on the example records as they are, and with an error in one of them.
    #[test]
    fn each_record_alone_gets_the_findings_validate_reports_for_it() {
        let mut ws = example();
        let as_of = Date::constant(2027, 3, 1);
        let path = "records/requests/2026/TLP-2026-0004.md";
        let text = ws.records.sources[path].replace("assignee: mert.dogan", "assignee: nobody.here");
        ws.set(path, Some(&text));
        let whole = crate::validate::validate(&ws.records, &ws.repo.rules, &ws.repo.config, as_of).unwrap();
        let mut paths: Vec<String> = ws.records.sources.keys().cloned().collect();
        paths.extend(ws.records.problems.iter().map(|d| d.path.clone()));
        paths.sort();
        paths.dedup();
        let mut seen = 0;
        for path in paths.iter().filter(|p| p.starts_with("records/")) {
            let expected: Vec<&Diagnostic> = whole.diagnostics.iter().filter(|d| &d.path == path).collect();
            let got = ws.findings(path, as_of);
            assert_eq!(got.iter().collect::<Vec<_>>(), expected, "{path}");
            seen += got.len();
        }
        assert!(seen > 0, "as of 2027 the example records have findings to compare");
        assert!(ws.findings(path, as_of).iter().any(|d| d.rule == crate::diag::Rule::DanglingRef));
    }

    #[test]
    fn only_files_under_records_are_checked() {
        let ws = example();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let rel = |p: &str| ws.record_path(&root.join(p));
        assert_eq!(rel("records/org/people/ali.yurt.yaml").as_deref(), Some("records/org/people/ali.yurt.yaml"));
        assert_eq!(
            rel("records/requests/2031/TLP-2031-0001.md").as_deref(),
            Some("records/requests/2031/TLP-2031-0001.md")
        );
        assert_eq!(rel("schemas/workflows.yaml"), None);
        assert_eq!(rel("records/.gitkeep"), None);
        assert_eq!(ws.record_path(Path::new("/elsewhere/records/x.yaml")), None);
    }
}

//! `validate --base REV [--head REV]`: the records at the head checked as a change
//! from the base — only the changed records and what they name when the change allows
//! ([`super::scope`]), the checks that compare the two sides ([`super::base`]), and the
//! severities in force for a change ([`in_force`]): a pull request cannot relax a rule
//! for itself.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{Context, Result};
use gix::ObjectId;
use jiff::civil::Date;

use super::{Schemas, base, scope};
use crate::config::{self, Config};
use crate::diag::{Findings, Overrides, msg};
use crate::git::Git;
use crate::load::{self, RawFile, Records, rules::Ruleset};
use crate::model::IdTable;

/// The records, rules and configuration of a commit.
struct Snapshot {
    records: Records,
    rules: Ruleset,
    config: Config,
    /// Blob id per record path, of every record (loaded or not).
    ids: HashMap<String, ObjectId>,
    /// How many records the head has (loaded or not).
    count: usize,
    /// The paths a scoped check is about (empty when everything is checked).
    changed: Vec<String>,
}

fn snapshot_at(git: &Git, commit: ObjectId) -> Result<Snapshot> {
    let (files, links) = git.tree_at(commit, &compared_paths())?;
    let at = commit.to_hex_with_len(8).to_string();
    // What a checkout would make links: records and CODEOWNERS are reported as the
    // working tree's are; the rules and configuration are refused, as there.
    let mut problems = Vec::new();
    let mut codeowners_link = None;
    for link in links {
        if link.starts_with("records/") || link == "records" {
            problems.push(load::link_problem(link, false));
        } else if load::CODEOWNERS_PATHS.contains(&link.as_str()) {
            codeowners_link = codeowners_link.or(Some(link));
        } else {
            anyhow::bail!(crate::diag::msg!(
                "refusing to read {link} at {at}: it is a symbolic link (replace it with the file itself)",
                "{at} sürümündeki {link} okunmuyor: sembolik bir bağlantı (yerine dosyanın kendisini koyun)"
            ));
        }
    }
    let mut raw = Vec::new();
    let mut schemas = HashMap::new();
    let mut config_text = None;
    let mut codeowners = HashMap::new();
    let mut ids = HashMap::new();
    for (path, id) in files {
        if load::CODEOWNERS_PATHS.contains(&path.as_str()) {
            // Measured before it is read, as records on disk are.
            let size = git.blob_size(id)?;
            let bytes = if size > load::MAX_FILE_BYTES { Vec::new() } else { git.blob(id)? };
            codeowners.insert(path, (size, bytes));
            continue;
        }
        let bytes = git.blob(id)?;
        if path == config::FILE {
            config_text =
                Some(String::from_utf8(bytes).context(msg!("defter.toml is not UTF-8", "defter.toml UTF-8 değil"))?);
        } else if let Some(name) = path.strip_prefix("schemas/") {
            schemas.insert(name.to_string(), String::from_utf8_lossy(&bytes).into_owned());
        } else {
            ids.insert(path.clone(), id);
            raw.push(RawFile { path, bytes });
        }
    }
    let (rules, config) = rules_and_config(
        |path| Ok(if path == config::FILE { config_text.clone() } else { schemas.get(schema_name(path)).cloned() }),
        &at,
    )?;
    let mut records = load::load_files(raw);
    records.problems.splice(0..0, problems);
    // The first of the places forges look in, as on disk: a link there is reported.
    let first =
        load::CODEOWNERS_PATHS.iter().find(|p| codeowners.contains_key(**p) || codeowners_link.as_deref() == Some(**p));
    if let Some(path) = first {
        match codeowners.remove(*path) {
            Some((size, _)) if size > load::MAX_FILE_BYTES => {
                records.problems.push(load::too_large(path.to_string(), size))
            }
            Some((_, bytes)) => records.add_codeowners(path, bytes),
            None => records.problems.push(load::link_problem(path.to_string(), true)),
        }
    }
    let count = records.records.len();
    Ok(Snapshot { records, rules, config, ids, count, changed: Vec::new() })
}

/// Every file `validate --base` compares: the records, the rules, the configuration and
/// CODEOWNERS.
fn compared_paths() -> Vec<&'static str> {
    let mut wanted = vec!["records", load::rules::SCHEMAS_DIR, config::FILE];
    wanted.extend(load::CODEOWNERS_PATHS);
    wanted
}

/// The rules and configuration of a commit (`at` names it in errors), given the text of
/// a file at it by path (`None` where it has none: the defaults).
fn rules_and_config(text: impl Fn(&str) -> Result<Option<String>>, at: &str) -> Result<(Ruleset, Config)> {
    let rules = Ruleset::from_source(|name| text(&format!("schemas/{name}")))
        .with_context(|| msg!("the rules at {at}", "{at} sürümündeki kurallar"))?;
    let config = Config::from_text(text(config::FILE)?.as_deref(), &format!("defter.toml at {at}"))?;
    Ok((rules, config))
}

/// `schemas/NAME` → `NAME`.
fn schema_name(path: &str) -> &str {
    path.strip_prefix("schemas/").unwrap_or(path)
}

/// The findings of the change from `base_rev` to `head_rev` (the working tree when
/// `None`) as of `as_of`, and the head's records; says through `tell` how much it checks.
pub(crate) fn check(
    root: &Path,
    base_rev: &str,
    head_rev: Option<&str>,
    as_of: Date,
    tell: &dyn Fn(&str),
) -> Result<(Findings, Records)> {
    let git = Git::open(root)?;
    let base_commit = git.resolve(base_rev)?;
    let head_commit = head_rev.map(|rev| git.resolve(rev)).transpose()?;
    let base_files = git.files_at(base_commit, &compared_paths())?;
    let head_files = match head_commit {
        // A link is no file to compare: the whole head is loaded, which reports it.
        Some(commit) => {
            Some(git.tree_at(commit, &compared_paths())?).filter(|(_, links)| links.is_empty()).map(|t| t.0)
        }
        None => git.worktree_files(root, &compared_paths())?,
    };
    let plan = head_files.as_ref().map_or(scope::Plan::Everything("records/ holds a link or a special file"), |head| {
        scope::plan(&base_files, head)
    });
    let (head, scoped) = match (plan, head_files) {
        (scope::Plan::Changed(changed), Some(files)) => {
            tell(&format!("checking the {} changed files and what they name", changed.len()));
            (scoped_snapshot(root, &git, head_commit, &files, changed)?, true)
        }
        (plan, files) => {
            if let scope::Plan::Everything(reason) = plan {
                tell(&format!("checking every record: {reason}"));
            }
            let snapshot = match head_commit {
                Some(commit) => snapshot_at(&git, commit)?,
                None => {
                    let records = load::load_dir(root)?;
                    // The blob ids git's index gave, else the files' texts hashed.
                    let ids = match files {
                        Some(files) => files.into_iter().filter(|(p, _)| p.starts_with("records/")).collect(),
                        None => records
                            .sources
                            .iter()
                            .map(|(path, text)| (path.clone(), git.hash(text.as_bytes())))
                            .collect(),
                    };
                    let count = records.records.len();
                    Snapshot {
                        rules: Ruleset::load(root)?,
                        config: Config::load(root)?,
                        records,
                        ids,
                        count,
                        changed: Vec::new(),
                    }
                }
            };
            (snapshot, false)
        }
    };
    let head_commit = head_commit.or_else(|| git.resolve("HEAD").ok());
    let (base_snapshot_rules, base_config) = {
        let ids: HashMap<&str, ObjectId> = base_files.iter().map(|(p, id)| (p.as_str(), *id)).collect();
        let text =
            |path: &str| ids.get(path).map(|id| Ok(String::from_utf8_lossy(&git.blob(*id)?).into_owned())).transpose();
        rules_and_config(text, base_rev)?
    };
    let schemas = Schemas::compile(&head.rules)?;
    // One id table of the head for the static checks and for those against the base.
    let table = IdTable::new(&head.records.records);
    let mut findings =
        super::check_all_with(&head.records, &table, &head.rules, &schemas, &head.config, as_of, &crate::load::Silent);
    if scoped {
        // The other records were loaded to check the changed ones against; their own
        // findings are not this change's.
        let changed: HashSet<&str> = head.changed.iter().map(String::as_str).collect();
        findings.retain(|d| changed.contains(d.path.as_str()));
    }
    let base = base::Base {
        git: &git,
        commit: base_commit,
        rules: &base_snapshot_rules,
        files: base_files.into_iter().filter(|(p, _)| p.starts_with("records/")).collect(),
    };
    let head_side = base::Head {
        records: &head.records,
        rules: &head.rules,
        schemas: &schemas,
        commit: head_commit,
        ids: head.ids,
        findings: &findings,
        table: &table,
    };
    let more = base::check(&base, &head_side, &head.config, as_of)?;
    findings.extend(more);
    let overrides = in_force(&head.config.overrides()?, &base_config.overrides()?);
    let report = Findings::new(findings, head.count, &overrides);
    Ok((report, head.records))
}

/// The severities in force for a change: each rule at the stricter of the base's and the
/// head's setting, so a pull request cannot turn a rule off (or down to a warning) and
/// rely on it in the same diff. Relaxing a rule takes effect once the change is merged.
pub(crate) fn in_force(head: &Overrides, base: &Overrides) -> Overrides {
    let rules = head.keys().chain(base.keys()).copied().collect::<HashSet<_>>();
    rules
        .into_iter()
        .map(|rule| {
            let at = |o: &Overrides| o.get(&rule).copied().unwrap_or(rule.default_severity());
            (rule, at(head).max(at(base)))
        })
        .collect()
}

/// The head of a scoped check: the changed records and the files their checks read
/// (see [`scope`]), from the commit or the working tree.
fn scoped_snapshot(
    root: &Path,
    git: &Git,
    commit: Option<ObjectId>,
    files: &[(String, ObjectId)],
    changed: Vec<String>,
) -> Result<Snapshot> {
    let ids: HashMap<String, ObjectId> = files.iter().cloned().collect();
    let read = |paths: &[String]| -> Result<Vec<RawFile>> {
        paths
            .iter()
            .map(|path| {
                let bytes = match commit {
                    Some(_) => git.blob(ids[path])?,
                    None => std::fs::read(root.join(path))
                        .with_context(|| msg!("cannot read {path}", "{path} okunamıyor"))?,
                };
                Ok(RawFile { path: path.clone(), bytes })
            })
            .collect()
    };
    let mut raw = read(&changed)?;
    let loaded = load::load_files(raw.clone());
    let all: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).filter(|p| p.starts_with("records/")).collect();
    raw.extend(read(&scope::context(&loaded, &all))?);
    drop(loaded);
    let (rules, config) = match commit {
        Some(commit) => {
            let text = |path: &str| -> Result<Option<String>> {
                ids.get(path).map(|id| Ok(String::from_utf8_lossy(&git.blob(*id)?).into_owned())).transpose()
            };
            rules_and_config(text, &commit.to_hex_with_len(8).to_string())?
        }
        None => (Ruleset::load(root)?, Config::load(root)?),
    };
    let count = all.iter().filter(|p| crate::model::Kind::from_path(&p["records/".len()..]).is_some()).count();
    let records_ids = files.iter().filter(|(p, _)| p.starts_with("records/")).cloned().collect();
    Ok(Snapshot { records: load::load_files(raw), rules, config, ids: records_ids, count, changed })
}

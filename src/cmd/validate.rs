//! `defter validate`: load the repository (the working tree, or a commit), run every
//! check — against a base revision too when asked — and print the findings.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use gix::ObjectId;

use super::Ui;
use crate::cli::{Format, ValidateArgs};
use crate::config::{self, Config};
use crate::diag::{self, Report};
use crate::git::Git;
use crate::load::{self, RawFile, Records, rules::Ruleset};
use crate::validate::{Schemas, base};

pub fn run(root: &Path, args: &ValidateArgs, ui: Ui) -> Result<ExitCode> {
    let (report, records) = match &args.base {
        None => {
            let config = Config::load(root)?;
            let rules = Ruleset::load(root)?;
            let bar = ui.progress();
            let records = load::load_dir_with(root, &bar)?;
            let schemas = Schemas::compile(&rules)?;
            let findings = crate::validate::check_all_with(&records, &rules, &schemas, &config, args.as_of, &bar);
            bar.finish();
            (Report::new(findings, records.records.len(), &config.overrides()?), records)
        }
        Some(base_rev) => against_base(root, base_rev, args)?,
    };
    let text = match args.format {
        Format::Human => diag::render_human(&report, &records, super::use_color()),
        Format::Json => diag::render_json(&report),
        Format::Github => diag::render_github(&report),
    };
    print!("{text}");
    Ok(if report.errors() > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The records, rules and configuration of a commit.
struct Snapshot {
    records: Records,
    rules: Ruleset,
    config: Config,
    ids: HashMap<String, ObjectId>,
}

fn snapshot_at(git: &Git, commit: ObjectId) -> Result<Snapshot> {
    let mut wanted = vec!["records", load::rules::SCHEMAS_DIR, config::FILE];
    wanted.extend(load::CODEOWNERS_PATHS);
    let files = git.files_at(commit, &wanted)?;
    let mut raw = Vec::new();
    let mut schemas = HashMap::new();
    let mut config_text = None;
    let mut codeowners = HashMap::new();
    let mut ids = HashMap::new();
    for (path, id) in files {
        let bytes = git.blob(id)?;
        if load::CODEOWNERS_PATHS.contains(&path.as_str()) {
            codeowners.insert(path, String::from_utf8_lossy(&bytes).into_owned());
        } else if path == config::FILE {
            config_text = Some(String::from_utf8(bytes).context("defter.toml is not UTF-8")?);
        } else if let Some(name) = path.strip_prefix("schemas/") {
            schemas.insert(name.to_string(), String::from_utf8_lossy(&bytes).into_owned());
        } else {
            ids.insert(path.clone(), id);
            raw.push(RawFile { path, bytes });
        }
    }
    let short = commit.to_hex_with_len(8);
    let rules =
        Ruleset::from_source(|name| Ok(schemas.get(name).cloned())).with_context(|| format!("the rules at {short}"))?;
    let config = Config::from_text(config_text.as_deref(), &format!("defter.toml at {short}"))?;
    let mut records = load::load_files(raw);
    if let Some(path) = load::CODEOWNERS_PATHS.iter().find(|p| codeowners.contains_key(**p)) {
        records.set_codeowners(path, codeowners.remove(*path).unwrap_or_default());
    }
    Ok(Snapshot { records, rules, config, ids })
}

fn against_base(root: &Path, base_rev: &str, args: &ValidateArgs) -> Result<(Report, Records)> {
    let git = Git::open(root)?;
    let base_commit = git.resolve(base_rev)?;
    let (head, head_commit) = match &args.head {
        Some(rev) => {
            let commit = git.resolve(rev)?;
            (snapshot_at(&git, commit)?, Some(commit))
        }
        None => {
            let records = load::load_dir(root)?;
            let ids = records.sources.iter().map(|(path, text)| (path.clone(), git.hash(text.as_bytes()))).collect();
            let snapshot = Snapshot { rules: Ruleset::load(root)?, config: Config::load(root)?, records, ids };
            (snapshot, git.resolve("HEAD").ok())
        }
    };
    let base_snapshot_rules = {
        let files = git.files_at(base_commit, &[load::rules::SCHEMAS_DIR])?;
        let mut texts = HashMap::new();
        for (path, id) in files {
            if let Some(name) = path.strip_prefix("schemas/") {
                texts.insert(name.to_string(), String::from_utf8_lossy(&git.blob(id)?).into_owned());
            }
        }
        Ruleset::from_source(|name| Ok(texts.get(name).cloned())).with_context(|| format!("the rules at {base_rev}"))?
    };
    let schemas = Schemas::compile(&head.rules)?;
    let mut findings = crate::validate::check_all(&head.records, &head.rules, &schemas, &head.config, args.as_of);
    let base = base::Base {
        git: &git,
        commit: base_commit,
        rules: &base_snapshot_rules,
        files: git.files_at(base_commit, &["records"])?,
    };
    let head_side = base::Head {
        records: &head.records,
        rules: &head.rules,
        schemas: &schemas,
        commit: head_commit,
        ids: head.ids,
        findings: &findings,
    };
    let more = base::check(&base, &head_side, &head.config, args.as_of)?;
    findings.extend(more);
    let report = Report::new(findings, head.records.records.len(), &head.config.overrides()?);
    Ok((report, head.records))
}

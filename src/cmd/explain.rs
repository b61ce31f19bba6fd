//! `defter explain [RULE]`: what a rule checks, the article it enforces, and a bad and a
//! fixed example (the rule's section of docs/rules.md, embedded in the binary).

use std::process::ExitCode;

use anyhow::{Result, bail};

use std::path::Path;

use crate::diag::{Rule, explain};
use crate::load::rules::Ruleset;

pub(super) fn run(rule: Option<&str>) -> Result<ExitCode> {
    let Some(id) = rule else {
        for rule in Rule::ALL {
            println!("{:<22} {:<8} {}", rule.id(), rule.default_severity().as_str(), rule.summary());
        }
        return Ok(ExitCode::SUCCESS);
    };
    let Some(rule) = Rule::from_id(id) else {
        bail!("no rule `{id}`; `defter explain` lists them");
    };
    println!("{}: {}", rule.id(), rule.summary());
    println!("severity: {} (change it under [rules] in defter.toml)", rule.default_severity().as_str());
    println!("enforces: {}", rule.article());
    if rule.needs_history() {
        println!("runs with: defter validate --base REV (needs git history)");
    }
    let rules = Ruleset::load(Path::new("."))?;
    let entries: Vec<_> = rules.workflows.entries().into_iter().filter(|e| e.rules.contains(&rule.id())).collect();
    if !entries.is_empty() {
        println!("\nentries of schemas/workflows.yaml it enforces (a local rule may be switched off under [local]):");
        for entry in &entries {
            println!("  {:<44} {}", entry.label, rules.workflows.source_tr(entry));
        }
    }
    if let Some(text) = explain::section(rule) {
        println!("\n{text}\n");
    }
    println!("docs/rules.md#{}", rule.id());
    Ok(ExitCode::SUCCESS)
}

//! `defter explain [RULE]`: what a rule checks, the article it enforces, and a bad and a
//! fixed example (the rule's section of docs/rules.md, embedded in the binary).

use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::diag::{Rule, explain};

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
    if let Some(text) = explain::section(rule) {
        println!("\n{text}\n");
    }
    println!("docs/rules.md#{}", rule.id());
    Ok(ExitCode::SUCCESS)
}

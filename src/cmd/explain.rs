//! `defter explain [RULE]`: what a rule checks, the article it enforces, and a bad and a
//! fixed example (the rule's section of docs/rules.md, embedded in the binary).
//! `defter explain --articles`: the directive item by item and what carries each
//! ([`crate::load::trace`]).

use std::process::ExitCode;

use anyhow::{Result, bail};

use std::path::Path;

use super::Ui;
use crate::diag::{Lang, Rule, explain, msg};
use crate::load::rules::Ruleset;
use crate::load::trace::{Carrier, trace};
use crate::model::date::human_date;

/// The width `--articles` wraps the directive's text to.
const WIDTH: usize = 100;

/// `text` in lines of at most [`WIDTH`] characters (a longer word stands alone), each
/// after `indent` spaces but the first, which follows `first` (already printed).
fn wrapped(first: usize, indent: usize, text: &str) -> String {
    let mut out = String::new();
    let (mut used, mut empty) = (first, true);
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if !empty && used + 1 + len > WIDTH {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            (used, empty) = (indent, true);
        }
        if !empty {
            out.push(' ');
            used += 1;
        }
        out.push_str(word);
        (used, empty) = (used + len, false);
    }
    out
}

fn carriers(list: &[Carrier]) -> String {
    list.iter().map(Carrier::label).collect::<Vec<_>>().join("; ")
}

pub(super) fn articles(root: &Path) -> Result<ExitCode> {
    let trace = trace(&Ruleset::load(root)?);
    println!("{}", wrapped(0, 0, &format!("{} (olur: {})", trace.title, human_date(&trace.approved))));
    for article in &trace.articles {
        println!("\nMADDE {} — {}", article.cite.article, article.heading);
        if !article.whole.is_empty() {
            println!("  {}", wrapped(2, 4, &format!("→ maddenin bütünü: {}", carriers(&article.whole))));
        }
        for paragraph in &article.paragraphs {
            let head = format!("  {}  ", paragraph.label);
            println!("{head}{}", wrapped(head.chars().count(), 6, &paragraph.text));
            let mut lines = Vec::new();
            if !paragraph.whole.is_empty() {
                lines.push(format!("→ fıkranın bütünü: {}", carriers(&paragraph.whole)));
            }
            if !paragraph.has_items {
                lines.extend(outcome(&paragraph.units[0]));
            }
            for line in lines {
                println!("      {}", wrapped(6, 8, &line));
            }
            for unit in paragraph.units.iter().filter(|_| paragraph.has_items) {
                let head = format!("    {}  ", unit.label);
                println!("{head}{}", wrapped(head.chars().count(), 8, &unit.text));
                for line in outcome(unit) {
                    println!("        {}", wrapped(8, 10, &line));
                }
            }
        }
    }
    let c = trace.coverage;
    let summary = format!(
        "Yazılımda karşılığı olan {} bentten {} tanesini defter taşıyor (%{}); {} tanesini yalnız yerel kurallar. {} bendin yazılımda karşılığı yok.",
        c.with_consequence,
        c.carried,
        c.percent,
        c.local_only,
        c.units - c.with_consequence
    );
    println!("\n{}", wrapped(0, 0, &summary));
    if trace.unknown.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("\ncitations that name no place of schemas/directive.yaml:");
    for line in &trace.unknown {
        eprintln!("  {line}");
    }
    Ok(ExitCode::from(1))
}

/// What carries a unit, or why nothing does, or that nothing does yet.
fn outcome(unit: &crate::load::trace::Unit) -> Vec<String> {
    match &unit.none {
        Some(reason) => vec![format!("karşılığı yok: {reason}")],
        None if unit.carriers.is_empty() => vec!["TAŞINMIYOR: yazılımda karşılığı var, defter'de henüz yok".into()],
        None => unit.carriers.iter().map(|c| format!("→ {}", c.label())).collect(),
    }
}

/// A severity as the user reads it.
fn severity(rule: Rule, ui: Ui) -> &'static str {
    match (rule.default_severity().as_str(), ui.lang) {
        ("error", Lang::Tr) => "hata",
        ("warning", Lang::Tr) => "uyarı",
        ("off", Lang::Tr) => "kapalı",
        (other, _) => other,
    }
}

pub(super) fn run(rule: Option<&str>, ui: Ui) -> Result<ExitCode> {
    let summary = |rule: Rule| ui.t(rule.summary(), rule.summary_tr());
    let Some(id) = rule else {
        for rule in Rule::ALL {
            println!("{:<22} {:<8} {}", rule.id(), severity(*rule, ui), summary(*rule));
        }
        return Ok(ExitCode::SUCCESS);
    };
    let Some(rule) = Rule::from_id(id) else {
        let (near_en, near_tr) = match Rule::closest(id) {
            Some(near) => (format!("did you mean `{near}`? "), format!("`{near}` mi demek istediniz? ")),
            None => Default::default(),
        };
        bail!(msg!(
            "no rule `{id}`; {near_en}`defter explain` lists them",
            "`{id}` diye bir kural yok; {near_tr}`defter explain` hepsini listeler"
        ));
    };
    println!("{}: {}", rule.id(), summary(rule));
    let level = severity(rule, ui);
    match ui.lang {
        Lang::En => println!("severity: {level} (change it under [rules] in defter.toml)"),
        Lang::Tr => println!("önem: {level} (defter.toml'da [rules] altında değiştirilebilir)"),
    }
    println!("{} {}", ui.t("enforces:", "dayanağı:"), rule.article());
    if rule.needs_history() {
        println!(
            "{}",
            ui.t(
                "runs with: defter validate --base REV (needs git history)",
                "çalıştığı yer: defter validate --base SÜRÜM (git geçmişi gerekir)"
            )
        );
    }
    let rules = Ruleset::load(Path::new("."))?;
    let entries: Vec<_> = rules.workflows.entries().into_iter().filter(|e| e.rules.contains(&rule.id())).collect();
    if !entries.is_empty() {
        println!(
            "\n{}",
            ui.t(
                "entries of schemas/workflows.yaml it enforces (a local rule may be switched off under [local]):",
                "uyguladığı schemas/workflows.yaml girdileri (yerel bir kural [local] altında kapatılabilir):"
            )
        );
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

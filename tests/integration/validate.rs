//! `defter validate` on the rule fixtures, the clean fixture and the example records.

use std::path::Path;

use defter::diag::Rule;

use crate::harness::{AS_OF, Repo, defter, findings, fixtures, not_turkish, report, stdout};

fn expected(case: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(case.join("expected")).unwrap_or_default();
    let mut lines: Vec<String> =
        text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).map(str::to_string).collect();
    lines.sort();
    lines
}

/// Validates base + `case` and compares the findings with `case/expected`
/// (`BLESS=1` rewrites the file; review the diff like code).
fn check_case(case: &Path) {
    let repo = Repo::with_overlays(&[case]);
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]);
    let got = findings(&output);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(case.join("expected"), got.join("\n") + "\n").unwrap();
        return;
    }
    assert_eq!(got, expected(case), "findings of {}", case.display());
    let errors = got.iter().any(|l| {
        let rule = Rule::from_id(l.split(' ').next().unwrap()).unwrap();
        rule.default_severity() == defter::diag::Severity::Error
    });
    assert_eq!(output.status.code(), Some(if errors { 1 } else { 0 }), "exit status of {}", case.display());
}

#[test]
fn clean_fixture_has_no_findings() {
    let case = fixtures().join("good");
    check_case(&case);
    assert!(expected(&case).is_empty());
}

#[test]
fn every_rule_fires_on_its_fixture_at_the_right_place() {
    for rule in Rule::ALL.iter().filter(|r| !r.needs_history()) {
        let case = fixtures().join("rules").join(rule.id());
        assert!(case.is_dir(), "rule {rule} has no fixture in {}", case.display());
        check_case(&case);
        let expected = expected(&case);
        let folder = if *rule == Rule::CodeownersStale { "CODEOWNERS" } else { "records/" };
        let (fires, positioned) = (format!("{} {folder}", rule.id()), rule != &Rule::UnknownKind);
        assert!(
            expected.iter().any(|l| l.starts_with(&fires) && (!positioned || l.matches(':').count() == 2)),
            "the fixture of {rule} does not expect it (with a line and column)"
        );
    }
}

#[test]
fn every_finding_on_the_rule_fixtures_speaks_turkish_too() {
    let mut problems = Vec::new();
    for rule in Rule::ALL.iter().filter(|r| !r.needs_history()) {
        let repo = Repo::with_overlays(&[&fixtures().join("rules").join(rule.id())]);
        let report = report(repo.path());
        assert!(report.diagnostics.iter().any(|d| d.rule == *rule), "{rule}: its fixture does not fire it");
        for d in &report.diagnostics {
            let what = format!("{} {}", d.rule, d.path);
            problems.extend(not_turkish(&d.message.tr, &d.message.en).map(|p| format!("{what}: {p}")));
            let Some(help) = &d.help else {
                problems.push(format!("{what}: no help"));
                continue;
            };
            // A schema finding's help is the field's Turkish description, in both languages.
            if help.tr != help.en || !help.tr.contains(|c| "çğıöşü".contains(c)) {
                problems.extend(not_turkish(&help.tr, &help.en).map(|p| format!("{what} (help): {p}")));
            }
        }
        // The JSON format carries the Turkish message beside the English one.
        let json: serde_json::Value =
            serde_json::from_slice(&repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]).stdout).unwrap();
        let mut from_json: Vec<&str> =
            json["diagnostics"].as_array().unwrap().iter().map(|d| d["message_tr"].as_str().unwrap()).collect();
        let mut from_report: Vec<&str> = report.diagnostics.iter().map(|d| d.message.tr.as_str()).collect();
        from_json.sort_unstable();
        from_report.sort_unstable();
        assert_eq!(from_json, from_report, "{rule}: message_tr in the JSON output");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn example_records_validate_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = defter(root, &["validate", "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(findings(&output), Vec::<String>::new());
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["summary"]["records"].as_u64().unwrap() > 150);
}

#[test]
fn human_output_quotes_the_line_and_ends_with_a_summary() {
    let repo = Repo::with_overlays(&[&fixtures().join("rules/separation-of-duties")]);
    let output = repo.defter(&["validate", "--as-of", AS_OF]);
    let text = stdout(&output);
    assert!(
        text.contains("error[separation-of-duties]: `oguz.koc` is both `assignee` and `resolution.tested_by`"),
        "{text}"
    );
    assert!(text.contains("--> records/requests/2026/TLP-2026-0001.md:22:"), "{text}");
    assert!(text.contains("resolution: { date: 2026-04-03"), "{text}");
    assert!(text.contains("^^^^^^^^"), "{text}");
    assert!(text.contains("help: another person must take one of the two duties"), "{text}");
    assert!(text.trim_end().ends_with("records: 1 error, 0 warnings"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour when not on a terminal: {text}");
}

#[test]
fn github_output_is_workflow_commands() {
    let repo = Repo::with_overlays(&[&fixtures().join("rules/expiring")]);
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--format", "github"]);
    let text = stdout(&output);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with(
            "::warning file=records/inventory/certificate/crt-zabita.yaml,line=11,col=12,title=defter expiring::"
        ),
        "{text}"
    );
    assert_eq!(output.status.code(), Some(0), "warnings alone exit 0");
}

#[test]
fn severities_follow_defter_toml() {
    let repo = Repo::with_overlays(&[&fixtures().join("rules/expiring")]);
    repo.write("defter.toml", "[rules]\nexpiring = \"error\"\n");
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("\"severity\": \"error\""));
    // `expiring` enforces the directive's certificate and domain end dates (M11(1)(i),
    // M9(1)(e)): it may be lowered, never switched off (docs/rules.md, "Local rules").
    repo.write("defter.toml", "[rules]\nexpiring = \"off\"\n");
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot switch `expiring` off"));
}

#[test]
fn the_tool_failing_exits_2() {
    let missing = defter(Path::new("/nonexistent/defter-repo"), &["validate"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such folder"));

    let repo = Repo::with_overlays(&[]);
    repo.write("defter.toml", "[rules]\nno-such-rule = \"error\"\n");
    let output = repo.defter(&["validate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no-such-rule"));

    let repo = Repo::with_overlays(&[]);
    repo.write("schemas/workflows.yaml", "version: 1\nactors: {}\nlifecycles: {}\nbogus: true\n");
    let output = repo.defter(&["validate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("workflows.yaml"));
}

#[test]
fn a_workflow_field_no_schema_declares_stops_the_tool() {
    let repo = Repo::with_overlays(&[&fixtures().join("rules/separation-of-duties")]);
    let shipped =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/workflows.yaml")).unwrap();
    let typo = "{ kind: request, a: assignee, b: resolution.tested_bye,";
    let broken = shipped.replacen("{ kind: request, a: assignee, b: resolution.tested_by,", typo, 1);
    assert_ne!(broken, shipped);
    repo.write("schemas/workflows.yaml", &broken);
    let output = repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(output.status.code(), Some(2), "broken rules are the tool failing, not a finding");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = 1 + broken[..broken.find(typo).unwrap()].matches('\n').count();
    for says in [
        "schemas/workflows.yaml".to_string(),
        format!("line {line}: separation[0] (request assignee / resolution.tested_bye)"),
        "`resolution.tested_bye` is not a field of request".to_string(),
        "did you mean `resolution.tested_by`?".to_string(),
    ] {
        assert!(stderr.contains(&says), "{says:?} not in\n{stderr}");
    }
}

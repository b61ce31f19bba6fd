//! Traceability, article by article: every citation names a place of the directive
//! (`schemas/directive.yaml`), every item with a software consequence is carried by
//! something in defter, and `defter explain --articles` and the site's directive page
//! show an item's text and its carriers.

use std::path::Path;

use defter::load::rules::{DEFAULTS, Ruleset};
use defter::load::trace::{What, trace};
use defter::model::directive::{Cite, find_citations};
use scraper::{Html, Selector};

use crate::harness::{AS_OF, Repo, defter, stdout};

/// Items with a software consequence that nothing carries (none since M13(1)(e) got
/// `release`): the list is named so a gap is counted, never hidden behind a `none:`.
const NOT_MODELLED: &[&str] = &[];

fn defaults() -> Ruleset {
    Ruleset::from_source(|_| Ok(None)).unwrap()
}

#[test]
fn every_citation_anywhere_names_a_place_of_the_directive() {
    let rules = defaults();
    // The structured citations (workflows.yaml, the schemas' descriptions, the rules,
    // the reports), as the trace reads them.
    let trace = trace(&rules);
    assert!(trace.unknown.is_empty(), "{}", trace.unknown.join("\n"));
    // And every citation-shaped text in every file of schemas/, comments and examples
    // included, and in every rule's article.
    let mut cited: Vec<(String, Cite)> = Vec::new();
    for (name, text) in DEFAULTS {
        cited.extend(find_citations(text).into_iter().map(|c| (format!("schemas/{name}"), c)));
    }
    for rule in defter::diag::Rule::ALL {
        cited.extend(find_citations(rule.article()).into_iter().map(|c| (format!("rule {}", rule.id()), c)));
    }
    assert!(cited.len() > 200, "only {} citations found", cited.len());
    let wrong: Vec<String> =
        cited.iter().filter(|(_, c)| !rules.directive.has(c)).map(|(at, c)| format!("{at}: {c}")).collect();
    assert!(wrong.is_empty(), "citations of nothing in the directive:\n{}", wrong.join("\n"));
}

#[test]
fn a_made_up_citation_is_refused() {
    // In a schema's description: `explain --articles` names it and fails.
    let repo = Repo::with_overlays(&[]);
    let schema = DEFAULTS.iter().find(|(n, _)| *n == "request.schema.json").unwrap().1;
    let broken = schema.replacen("\"Talebin kısa başlığı\"", "\"Talebin kısa başlığı (M9(1)(z))\"", 1);
    assert_ne!(broken, schema);
    repo.write("schemas/request.schema.json", &broken);
    let output = repo.defter(&["explain", "--articles"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Talep · alan `title`: M9(1)(z) is not in the directive"), "{stderr}");
    // In workflows.yaml: the rule set is not usable, and validate says why.
    let repo = Repo::with_overlays(&[]);
    let workflows = DEFAULTS.iter().find(|(n, _)| *n == "workflows.yaml").unwrap().1;
    let broken = workflows.replacen("article: \"M9(1)(b)\" }", "article: \"M9(1)(z)\" }", 1);
    assert_ne!(broken, workflows);
    repo.write("schemas/workflows.yaml", &broken);
    let output = repo.defter(&["validate", "--as-of", AS_OF]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("M9(1)(z) is not in the directive"), "{stderr}");
}

#[test]
fn every_item_with_a_consequence_has_a_carrier() {
    let trace = trace(&defaults());
    let labels: Vec<&str> = trace.units().map(|u| u.label.as_str()).collect();
    let bare: Vec<&str> =
        trace.units().filter(|u| u.none.is_none() && u.carriers.is_empty()).map(|u| u.label.as_str()).collect();
    assert_eq!(bare, NOT_MODELLED, "items with a consequence and nothing carrying them");
    // The whole directive is there: 18 articles, every item of M7(1) from a) to ü).
    assert_eq!(trace.articles.len(), 18);
    let m7: Vec<&str> = labels.iter().filter(|l| l.starts_with("M7(1)(")).copied().collect();
    assert_eq!(m7.len(), 26, "{m7:?}");
    assert_eq!(m7.last(), Some(&"M7(1)(ü)"));
    // A reason is a reason: one line, in Turkish.
    for unit in trace.units() {
        if let Some(reason) = &unit.none {
            assert!(!reason.contains('\n') && reason.len() > 10, "{}: {reason:?}", unit.label);
        }
    }
}

#[test]
fn explain_articles_shows_the_text_and_what_carries_it() {
    let output = defter(Path::new("."), &["explain", "--articles"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let text = stdout(&output);
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // M9(1)(b): its text, wrapped, and its carriers.
    assert!(
        one_line.contains(
            "M9(1)(b) Birimlerden gelen yazılım ihtiyaçlarını değerlendirmek, gerekirse amiriyle müzakere ederek"
        ),
        "{text}"
    );
    let at = text.find("M9(1)(b)  ").unwrap();
    let block = &text[at..text[at..].find("M9(1)(c)").map_or(text.len(), |e| at + e)];
    for carrier in ["→ Talep · geçiş `reject`", "→ Talep · alan `rejection.letter`", "→ kural `state-fields`"]
    {
        assert!(block.contains(carrier), "{carrier} missing from\n{block}");
    }
    let long: Vec<&str> = text.lines().filter(|l| l.chars().count() > 100 && l.trim().contains(' ')).collect();
    assert!(long.is_empty(), "lines over 100 characters: {long:?}");
    // An item with no consequence shows its reason; the summary ends the output.
    assert!(one_line.contains("M14(1)(b)"), "{text}");
    assert!(one_line.contains("karşılığı yok: personel özlük işleri; defter'in konusu değil"), "{text}");
    let trace = trace(&defaults());
    let c = trace.coverage;
    assert!(
        one_line.ends_with(&format!(
            "Yazılımda karşılığı olan {} bentten {} tanesini defter taşıyor (%{}); {} tanesini yalnız yerel kurallar. {} bendin yazılımda karşılığı yok.",
            c.with_consequence,
            c.carried,
            c.percent,
            c.local_only,
            c.units - c.with_consequence
        )),
        "{text}"
    );
    assert!(c.with_consequence > 90 && c.carried > 60, "{c:?}");
    // A local rule carries M7(1)(r) by analogy, and says so.
    let r = trace.units().find(|u| u.label == "M7(1)(r)").unwrap();
    assert!(r.carriers.iter().any(|c| c.what == What::Separation && c.local.is_some()), "{r:?}");
}

#[test]
fn the_site_has_the_directive_page() {
    let repo = Repo::with_overlays(&[]);
    let out = repo.path().join("site");
    let output = repo.defter(&["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let html = Html::parse_document(&std::fs::read_to_string(out.join("directive.html")).unwrap());
    let select = |s: &str| Selector::parse(s).unwrap();
    let text = |s: &str| -> Vec<String> {
        html.select(&select(s))
            .map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    assert_eq!(text("h1"), ["Yönerge"]);
    // Headings go h1 > h2 > h3 and skip no level.
    let levels: Vec<u8> = html
        .select(&select("main h1, main h2, main h3, main h4, main h5, main h6"))
        .map(|h| h.value().name()[1..].parse().unwrap())
        .collect();
    assert!(levels.windows(2).all(|w| w[1] <= w[0] + 1), "{levels:?}");
    assert_eq!(levels.iter().filter(|l| **l == 2).count(), 19, "coverage and 18 articles");
    // The coverage summary at the top.
    let trace = trace(&defaults());
    let summary = text("#coverage + p").concat();
    assert!(
        summary.contains(&format!("{} bentten {} tanesini", trace.coverage.with_consequence, trace.coverage.carried)),
        "{summary}"
    );
    // An item: its anchor, text and carriers, with links.
    let item = text("li#m9-1-b").concat();
    assert!(item.contains("gerekirse amiriyle müzakere ederek"), "{item}");
    assert!(item.contains("Talep · geçiş reject"), "{item}");
    let links: Vec<String> =
        html.select(&select("li#m9-1-b a")).filter_map(|a| a.value().attr("href").map(str::to_string)).collect();
    assert!(links.contains(&"requests/index.html".to_string()), "{links:?}");
    assert!(links.contains(&"rules.html#state-fields".to_string()), "{links:?}");
    // An item with a Turkish letter, and a reason where nothing carries it.
    let m14 = text("li#m14-1-b").concat();
    assert!(m14.contains("Yazılımda karşılığı yok: personel özlük işleri"), "{m14}");
    assert!(!text("li#m5-1-cc").is_empty(), "M5(1)(ç) has the anchor m5-1-cc");
    // The rules and the findings link the items a rule enforces.
    let rules = Html::parse_document(&std::fs::read_to_string(out.join("rules.html")).unwrap());
    let cited: Vec<&str> = rules.select(&select("tr#state-fields a")).filter_map(|a| a.value().attr("href")).collect();
    assert!(cited.contains(&"directive.html#m9-1-b") && cited.contains(&"directive.html#m13-1-cc"), "{cited:?}");
    // The menu links it.
    let home = Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    let nav: Vec<&str> = home.select(&select("header nav a")).filter_map(|a| a.value().attr("href")).collect();
    assert!(nav.contains(&"directive.html"), "{nav:?}");
}

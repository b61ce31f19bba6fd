//! `defter serve` over real HTTP on a real git repository: it builds and serves the site,
//! rebuilds once per change (and not again while nothing changes), hands the open pages
//! a new version to reload on, serves nothing outside the site, and cleans up on Ctrl-C;
//! a rebuild after records were edited in place is a warm one, and makes the site a full
//! build makes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::harness::{AS_OF, GitRepo, files_in};

/// A running `defter serve` and everything it printed so far.
pub struct Server {
    child: Child,
    pub addr: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(repo: &Path, tmp: &Path) -> Server {
        Server::start_with(repo, tmp, &[])
    }

    /// [`Server::start`] with more arguments of `serve` (`--at REV`).
    pub fn start_with(repo: &Path, tmp: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_defter"))
            .arg("--repo")
            .arg(repo)
            .args(["serve", "--port", "0", "--as-of", AS_OF])
            .args(args)
            .env("NO_COLOR", "1")
            .env("TMPDIR", tmp)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("defter serve starts");
        let log = Arc::new(Mutex::new(String::new()));
        let (found, address) = mpsc::channel();
        let (stderr, lines) = (child.stderr.take().unwrap(), Arc::clone(&log));
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("serving http://") {
                    found.send(rest.split('/').next().unwrap_or_default().to_string()).ok();
                }
                lines.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let addr = address
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("serve did not start: {}", log.lock().unwrap()));
        Server { child, addr, log }
    }

    /// The status and body of `GET path`, sent as written (no normalising).
    pub fn get(&self, path: &str) -> (u16, String) {
        self.get_as(path, Some(&self.addr))
    }

    /// [`Server::get`] with the `Host` header `host` (none when `None`).
    pub fn get_as(&self, path: &str, host: Option<&str>) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        let host = host.map_or_else(String::new, |h| format!("Host: {h}\r\n"));
        write!(stream, "GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n").unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8_lossy(&response).into_owned();
        let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("an HTTP status line");
        let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }

    fn version(&self) -> String {
        self.get("/__defter/version").1
    }

    /// `GET /__defter/version?after=seen` on a thread of its own (the server holds it
    /// until the version moves on): its answer, when it comes.
    fn held(&self, seen: &str) -> mpsc::Receiver<String> {
        self.held_path(format!("/__defter/version?after={seen}"))
    }

    /// [`Server::held`] for the open page at `page` (`/requests/x.html`): answered when
    /// that page must reload.
    fn held_page(&self, seen: &str, page: &str) -> mpsc::Receiver<String> {
        self.held_path(format!("/__defter/version?after={seen}&page={}", page.replace('/', "%2F")))
    }

    /// What a page that has seen `seen` is told at once about `page`.
    fn asked(&self, seen: &str, page: &str) -> String {
        self.get(&format!("/__defter/version?after={seen}&page={}&hold=0", page.replace('/', "%2F"))).1
    }

    fn held_path(&self, path: String) -> mpsc::Receiver<String> {
        let (answer, answered) = mpsc::channel();
        let addr = self.addr.clone();
        std::thread::spawn(move || {
            let mut stream = TcpStream::connect(&addr).unwrap();
            write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
            let mut response = Vec::new();
            if stream.read_to_end(&mut response).is_ok() {
                let response = String::from_utf8_lossy(&response).into_owned();
                answer.send(response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()).ok();
            }
        });
        answered
    }

    fn rebuilds(&self) -> usize {
        self.log.lock().unwrap().lines().filter(|l| l.starts_with("rebuilt: ")).count()
    }

    /// The folder it builds the site into (in its `TMPDIR`).
    pub fn site(&self, tmp: &Path) -> std::path::PathBuf {
        tmp.join(format!("defter-serve-{}", self.child.id()))
    }

    /// Makes a change to the record whose page is `page` and waits for the rebuild
    /// after it, checking on the way that the page served when the version first moves
    /// (the edited records' pages, shown first) is, byte for byte, the one the whole
    /// rebuild leaves; gives back what the rebuild said.
    fn shown_first(&self, page: &str, change: impl FnOnce()) -> String {
        let held = self.held(&self.version());
        let said = self.after(|| {
            change();
            held.recv_timeout(Duration::from_secs(120)).expect("the version moves");
            let first = self.get(page).1;
            // Held until the rebuild is done: the page must not change again.
            let before = self.rebuilds();
            let deadline = Instant::now() + Duration::from_secs(120);
            while self.rebuilds() == before {
                assert!(Instant::now() < deadline, "no rebuild: {}", self.log.lock().unwrap());
                std::thread::sleep(Duration::from_millis(20));
            }
            assert_eq!(self.get(page).1, first, "{page}: the page shown first is not the rebuild's");
        });
        assert!(said.contains("their pages shown after"), "{said}");
        said
    }

    /// Makes a change and waits for the rebuild after it; gives back what it said.
    fn after(&self, change: impl FnOnce()) -> String {
        let before = self.rebuilds();
        change();
        let deadline = Instant::now() + Duration::from_secs(120);
        while self.rebuilds() == before {
            assert!(Instant::now() < deadline, "no rebuild after a change: {}", self.log.lock().unwrap());
            std::thread::sleep(Duration::from_millis(50));
        }
        let log = self.log.lock().unwrap();
        log.lines().filter(|l| l.starts_with("rebuilt: ")).nth(before).unwrap().to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_rebuilds_once_per_change_and_serves_only_the_site() {
    let mut repo = GitRepo::new();
    repo.commit_as("elif.kara", "İlk kayıtlar");
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(repo.path(), tmp.path());

    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("<html lang=\"tr\""), "{home}");
    assert!(home.contains("livereload.js"), "served pages reload themselves: {home}");
    assert_eq!(server.get("/assets/livereload.js").0, 200);
    assert_eq!(server.get("/yok.html").0, 404);
    for escape in ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc/passwd"] {
        let (status, body) = server.get(escape);
        assert!((400..500).contains(&status), "{escape}: {status}");
        assert!(!body.contains("root:"), "{escape} served a file outside the site");
    }
    assert_eq!(server.version(), "1");

    // A page asking for the version after the one it has is held until it moves on;
    // one that says which it is, until a rebuild changes it.
    let held = server.held("1");
    let edited = server.held_page("1", "/requests/TLP-2026-0001.html");
    let other = server.held_page("1", "/rules.html");
    std::thread::sleep(Duration::from_secs(1));
    assert!(held.try_recv().is_err(), "answered while nothing changed");
    assert!(edited.try_recv().is_err(), "answered while nothing changed");

    // One change, one rebuild: the edited request's page is shown first (the version
    // moves on and the held request answers at once), then the rest of the site.
    repo.edit(
        "records/requests/2026/TLP-2026-0001.md",
        "title: Zabıta denetim raporu ekranı",
        "title: Zabıta denetim ve ceza raporu ekranı",
    );
    let version = held.recv_timeout(Duration::from_secs(120)).expect("the held request answers after the change");
    assert_eq!(version, "2");
    assert_eq!(edited.recv_timeout(Duration::from_secs(120)).expect("the edited page is told"), "2 reload");
    let (_, first) = server.get("/requests/TLP-2026-0001.html");
    assert!(
        first.contains("Zabıta denetim ve ceza raporu ekranı"),
        "the edit is shown with the first version: {first}"
    );
    let deadline = Instant::now() + Duration::from_secs(120);
    while server.rebuilds() == 0 {
        assert!(Instant::now() < deadline, "no rebuild after a change: {}", server.log.lock().unwrap());
        std::thread::sleep(Duration::from_millis(100));
    }
    // The page shown first is the rebuild's, byte for byte.
    assert_eq!(server.get("/requests/TLP-2026-0001.html").1, first);
    // Which pages reload: the edited one once (the rebuild wrote it again as it was
    // shown), the requests list (its title changed) after the rebuild, the rules never.
    assert_eq!(server.asked("2", "/requests/TLP-2026-0001.html"), "3", "{}", server.log.lock().unwrap());
    assert_eq!(server.asked("2", "/requests/"), "3 reload");
    assert_eq!(server.asked("1", "/rules.html"), "3");
    assert!(other.try_recv().is_err(), "the rules page was told to reload");
    let log = server.log.lock().unwrap().clone();
    let (shown, rebuilt) = (log.find("shown: the edited records' pages"), log.find("rebuilt: "));
    assert!(shown.is_some() && shown < rebuilt, "{log}");
    // Reading the records to rebuild them is no change: nothing more happens.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!((server.version(), server.rebuilds()), ("3".to_string(), 1), "{}", server.log.lock().unwrap());

    // A folder made after the start is watched too, and then what changes inside it.
    let (_, css) = server.get("/assets/style.css");
    let wait_for = |version: &str| {
        let deadline = Instant::now() + Duration::from_secs(120);
        while server.version() != version {
            assert!(Instant::now() < deadline, "no version {version}: {}", server.log.lock().unwrap());
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    repo.write("site-templates/style.css", &format!("{css}\n/* yerel 1 */\n"));
    wait_for("4");
    assert!(server.get("/assets/style.css").1.contains("/* yerel 1 */"));
    assert_eq!(server.asked("3", "/rules.html"), "4 reload", "every page shows the style sheet");
    assert_eq!(other.recv_timeout(Duration::from_secs(10)).expect("answered"), "4 reload");
    repo.write("site-templates/style.css", &format!("{css}\n/* yerel 2 */\n"));
    wait_for("5");
    assert!(server.get("/assets/style.css").1.contains("/* yerel 2 */"));

    // A broken edit keeps the last good site served and says why.
    repo.write("defter.toml", "this is not toml = = =\n");
    let deadline = Instant::now() + Duration::from_secs(120);
    while !server.log.lock().unwrap().contains("the previous site is still served") {
        assert!(Instant::now() < deadline, "no error reported: {}", server.log.lock().unwrap());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(server.get("/").0, 200);
    assert_eq!(server.version(), "5");

    // Ctrl-C stops it cleanly and removes the built site, not waiting for an open page's
    // held request.
    let held = server.held("5");
    std::thread::sleep(Duration::from_millis(500));
    let mut server = server;
    let interrupted = Command::new("kill").args(["-INT", &server.child.id().to_string()]).status().unwrap();
    assert!(interrupted.success());
    // Well within the time a request is held (25 s).
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}: {}", server.log.lock().unwrap());
    drop(held);
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.iter().all(|name| !name.to_string_lossy().starts_with("defter-serve-")), "{left:?}");
}

/// The site `server` serves (in `tmp`) is, byte for byte, the one a new `defter serve` of
/// the same files builds in full.
fn assert_as_built_in_full(repo: &Path, server: &Server, tmp: &Path) {
    let fresh_tmp = tempfile::tempdir().unwrap();
    let fresh = Server::start(repo, fresh_tmp.path());
    let (warm, full) = (files_in(&server.site(tmp)), files_in(&fresh.site(fresh_tmp.path())));
    assert!(full.len() > 20, "{:?}", full.keys());
    let differ: Vec<&String> = warm
        .keys()
        .chain(full.keys())
        .filter(|path| warm.get(*path) != full.get(*path))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(differ.is_empty(), "the warm rebuilds made a site that differs in {differ:?}");
}

#[test]
fn edits_in_place_rebuild_warm_and_make_the_site_a_full_build_makes() {
    let mut repo = GitRepo::new();
    repo.commit_as("elif.kara", "İlk kayıtlar");
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(repo.path(), tmp.path());
    let request = "records/requests/2026/TLP-2026-0001.md";
    let warm = |said: String| assert!(said.contains("(1 edited, warm; their pages shown after "), "{said}");

    // A title (on the lists, the search index and the request's page), a body (the page
    // and the search index), a finding that comes and one that goes, a project section:
    // each page shown first is the one the rebuild leaves.
    let page = "/requests/TLP-2026-0001.html";
    warm(server.shown_first(page, || {
        repo.edit(request, "title: Zabıta denetim raporu ekranı", "title: Zabıta saha denetim ekranı");
    }));
    let (_, shown) = server.get(page);
    assert!(shown.contains("Zabıta saha denetim ekranı"), "{shown}");
    warm(server.shown_first(page, || {
        repo.edit(request, "**günlük özetini**", "**haftalık özetini**");
    }));
    warm(server.shown_first(page, || {
        repo.edit(request, "assignee: elif.kara", "assignee: yok.kimse");
    }));
    let (_, shown) = server.get(page);
    assert!(shown.contains("dangling-ref") && shown.contains("yok.kimse"), "the new finding is shown: {shown}");
    assert_as_built_in_full(repo.path(), &server, tmp.path());
    warm(server.shown_first(page, || {
        repo.edit(request, "assignee: yok.kimse", "assignee: elif.kara");
    }));
    let analysis = "records/projects/PRJ-0001/analiz.md";
    let text = repo.read(analysis);
    warm(server.shown_first("/projects/PRJ-0001/analiz.html", || {
        repo.write(analysis, &format!("{text}\nEk: saha ekipleri tablet kullanıyor.\n"));
    }));
    // The project the section belongs to names the request; its page, shown first after
    // an edit of the project, lists what names it as the rebuild does.
    let project = "records/projects/PRJ-0001/index.md";
    let text = repo.read(project);
    warm(server.shown_first("/projects/PRJ-0001/index.html", || {
        repo.write(project, &format!("{text}\nEk not.\n"));
    }));
    assert_as_built_in_full(repo.path(), &server, tmp.path());

    // An editor's hidden swap file is nothing the site is made from: no rebuild.
    let before = (server.version(), server.rebuilds());
    repo.write("records/requests/2026/.TLP-2026-0001.md.swp", "swap");
    std::fs::remove_file(repo.path().join("records/requests/2026/.TLP-2026-0001.md.swp")).unwrap();
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!((server.version(), server.rebuilds()), before, "{}", server.log.lock().unwrap());

    // What can change findings elsewhere is a full build, and says why.
    let person = "records/org/people/elif.kara.yaml";
    let text = repo.read(person);
    let said = server.after(|| {
        repo.write(person, &format!("{text}# not\n"));
    });
    assert!(said.contains("(full: people or units changed)"), "{said}");
    let copy = repo.read(request).replace("TLP-2026-0001", "TLP-2026-0002");
    let said = server.after(|| {
        repo.write("records/requests/2026/TLP-2026-0002.md", &copy);
    });
    assert!(said.contains("(full: a file or folder was added)"), "{said}");
    let said = server.after(|| {
        std::fs::remove_file(repo.path().join("records/requests/2026/TLP-2026-0002.md")).unwrap();
    });
    assert!(said.contains("(full: a record was deleted or renamed)"), "{said}");
    let said = server.after(|| {
        repo.commit_as("oguz.koc", "Düzeltmeler");
        repo.edit(request, "**haftalık özetini**", "**aylık özetini**");
    });
    assert!(said.contains("(full: HEAD moved"), "{said}");
    // And after a full rebuild the next edit is warm again.
    warm(server.after(|| {
        repo.edit(request, "**aylık özetini**", "**günlük özetini**");
    }));
    assert_as_built_in_full(repo.path(), &server, tmp.path());
}

#[test]
fn serve_prints_the_findings_after_each_rebuild_and_the_pages_show_a_banner_for_errors() {
    let mut repo = GitRepo::new();
    repo.commit_as("elif.kara", "İlk kayıtlar");
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(repo.path(), tmp.path());
    assert!(server.log.lock().unwrap().contains(" records: 0 errors, 0 warnings\n"), "{}", server.log.lock().unwrap());
    assert_eq!(server.get("/__defter/banner"), (200, String::new()), "no banner while the records are clean");
    assert!(server.get("/assets/livereload.js").1.contains("/__defter/banner"));

    // The assignee tests their own work (and may not test): errors, printed and shown on
    // every page.
    server.after(|| {
        repo.edit("records/requests/2026/TLP-2026-0001.md", "tested_by: oguz.koc", "tested_by: elif.kara");
    });
    let log = server.log.lock().unwrap().clone();
    assert!(log.contains("error[separation-of-duties]:"), "{log}");
    assert!(log.contains(" records: 2 errors, 0 warnings\nrebuilt: "), "{log}");
    let (status, banner) = server.get("/__defter/banner");
    assert_eq!(status, 200);
    assert_eq!(banner, "Önizleme: kayıtlarda 2 hata var; birleştirme denetiminden geçmez (Bulgular sayfası)");
}

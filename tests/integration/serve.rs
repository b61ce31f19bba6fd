//! `defter serve` over real HTTP on a real git repository: it builds and serves the site,
//! rebuilds once per change (and not again while nothing changes), hands the open pages
//! a new version to reload on, serves nothing outside the site, and cleans up on Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::harness::{AS_OF, GitRepo};

/// A running `defter serve` and everything it printed so far.
struct Server {
    child: Child,
    addr: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(repo: &Path, tmp: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_defter"))
            .arg("--repo")
            .arg(repo)
            .args(["serve", "--port", "0", "--as-of", AS_OF])
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
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr).unwrap();
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

    fn rebuilds(&self) -> usize {
        self.log.lock().unwrap().lines().filter(|l| *l == "rebuilt").count()
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

    // One change, one rebuild: the new title is served and the version moves on once.
    repo.edit(
        "records/requests/2026/TLP-2026-0001.md",
        "title: Zabıta denetim raporu ekranı",
        "title: Zabıta denetim ve ceza raporu ekranı",
    );
    let deadline = Instant::now() + Duration::from_secs(120);
    while server.version() == "1" {
        assert!(Instant::now() < deadline, "no rebuild after a change: {}", server.log.lock().unwrap());
        std::thread::sleep(Duration::from_millis(100));
    }
    let (_, page) = server.get("/requests/TLP-2026-0001.html");
    assert!(page.contains("Zabıta denetim ve ceza raporu ekranı"), "{page}");
    // Reading the records to rebuild them is no change: nothing more happens.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!((server.version(), server.rebuilds()), ("2".to_string(), 1), "{}", server.log.lock().unwrap());

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
    wait_for("3");
    assert!(server.get("/assets/style.css").1.contains("/* yerel 1 */"));
    repo.write("site-templates/style.css", &format!("{css}\n/* yerel 2 */\n"));
    wait_for("4");
    assert!(server.get("/assets/style.css").1.contains("/* yerel 2 */"));

    // A broken edit keeps the last good site served and says why.
    repo.write("defter.toml", "this is not toml = = =\n");
    let deadline = Instant::now() + Duration::from_secs(120);
    while !server.log.lock().unwrap().contains("the previous site is still served") {
        assert!(Instant::now() < deadline, "no error reported: {}", server.log.lock().unwrap());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(server.get("/").0, 200);
    assert_eq!(server.version(), "4");

    // Ctrl-C stops it cleanly and removes the built site.
    let mut server = server;
    let interrupted = Command::new("kill").args(["-INT", &server.child.id().to_string()]).status().unwrap();
    assert!(interrupted.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}: {}", server.log.lock().unwrap());
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.iter().all(|name| !name.to_string_lossy().starts_with("defter-serve-")), "{left:?}");
}

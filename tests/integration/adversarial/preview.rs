//! `defter serve` under attack from a web page in the same browser: a request under
//! another host name (DNS rebinding) gets no page, and the build's own files are never
//! served, however their names are written.

use crate::harness::GitRepo;
use crate::serve::Server;

#[test]
fn the_preview_answers_only_its_own_address_and_hides_the_build_state() {
    let mut repo = GitRepo::new();
    repo.commit_as("elif.kara", "İlk kayıtlar");
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(repo.path(), tmp.path());
    let port = server.addr.rsplit_once(':').unwrap().1.to_string();
    let site = server.site(tmp.path());
    for state in [".defter-build", ".defter-search", ".defter-site"] {
        assert!(site.join(state).exists(), "the build has no {state} to hide");
    }

    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}")] {
        let (status, page) = server.get_as("/", Some(&host));
        assert_eq!(status, 200, "{host}");
        assert!(page.contains("<html"), "{host}: {page}");
    }
    // A rebinding page's requests carry its own name; a browser always sends one.
    for host in [
        Some("evil.example".to_string()),
        Some(format!("evil.example:{port}")),
        Some(format!("127.0.0.1.evil.example:{port}")),
        Some("127.0.0.1".to_string()),
        Some("127.0.0.1:1".to_string()),
        None,
    ] {
        for path in ["/", "/__defter/version", "/assets/search.js"] {
            let (status, body) = server.get_as(path, host.as_deref());
            assert!(status == 421 || status == 403, "{host:?} {path}: {status}");
            assert!(!body.contains("<html") && body.len() < 200, "{host:?} {path}: {body}");
        }
    }
    // An absolute request target names the host too.
    let (status, _) = server.get_as("http://evil.example/index.html", Some(&server.addr));
    assert!(status == 421 || status == 403, "absolute target: {status}");

    for path in [
        "/.defter-build",
        "/.defter-site",
        "/%2edefter-build",
        "/%2Edefter-build",
        "/assets/../.defter-build",
        "/requests/%2e%2e/.defter-build",
    ] {
        let (status, body) = server.get_as(path, Some(&server.addr));
        assert_eq!(status, 404, "{path}: {body}");
        assert!(!body.contains("defter") || body.len() < 40, "{path}: {body}");
    }
    // Before the guard, ServeDir sent these: their bytes are what the site holds.
    for path in ["/.defter-search", "/%2edefter-search", "/%2e%64efter-build"] {
        assert_eq!(server.get_as(path, Some(&server.addr)).0, 404, "{path}");
    }
}

//! `defter serve`: a local preview. The site is built into a temporary folder and served
//! on localhost; when a record, schema, template or defter.toml changes, it is rebuilt
//! and open pages reload themselves (they poll a version number — no websockets): a
//! page reloads when a rebuild wrote its own file, or anything every page shares. Only
//! requests addressed to the preview itself are answered, never with the build's state.

use std::collections::{BTreeSet, VecDeque};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

use crate::diag::msg;
use anyhow::{Context, Result};
use axum::Router;
use axum::routing::get;
use notify::{Event, EventKind, RecursiveMode, Watcher};
use tower_http::services::ServeDir;

/// Asks `/__defter/version` (held until it moves on while the page is visible) and
/// reloads the page when the preview says a rebuild changed it; shows the preview's
/// banner (`/__defter/banner`: the records have errors) at the top of the page.
pub(crate) const LIVE_RELOAD_JS: &str = r#"(function () {
  "use strict";
  fetch("/__defter/banner", { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (text) {
    if (!text) { return; }
    var bar = document.createElement("a");
    bar.className = "defter-preview-banner";
    bar.href = "/findings.html";
    bar.textContent = text;
    bar.setAttribute("style", "display:block;position:sticky;top:0;z-index:1000;padding:.5em 1em;" +
      "background:#b3261e;color:#fff;font-weight:bold;text-decoration:none");
    document.body.insertBefore(bar, document.body.firstChild);
  }).catch(function () {});
  // A visible page asks to be answered when a rebuild has changed it (the preview holds
  // the request until then, or for a while), so it reloads the moment its new file is
  // in the site, once, and not for edits that leave it as it is. A hidden one asks once
  // a second instead: a browser opens only a few connections to one host, and held
  // requests from many tabs would leave none for the pages themselves. The answer is the
  // version to ask after next, and "reload" when this page changed since the last.
  var seen = null, held = null, page = encodeURIComponent(window.location.pathname);
  function poll() {
    var hold = seen !== null && document.visibilityState === "visible";
    held = hold ? new AbortController() : null;
    var query = seen === null ? "" : "?after=" + encodeURIComponent(seen) + "&page=" + page + (hold ? "" : "&hold=0");
    var options = { cache: "no-store", signal: held ? held.signal : undefined };
    fetch("/__defter/version" + query, options).then(function (r) { return r.text(); }).then(function (v) {
      var said = v.split(" ");
      if (seen !== null && said[1] === "reload") { window.location.reload(); return; }
      seen = said[0];
      if (hold) { poll(); } else { setTimeout(poll, 1000); }
    }).catch(function () { setTimeout(poll, 1000); });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible" && held) { held.abort(); }
  });
  poll();
})();
"#;

/// How long the files must stay unchanged before a rebuild starts: an editor's save
/// (a temporary file written, the old one renamed away, the new one renamed in) comes
/// as events within a few milliseconds.
const QUIET: Duration = Duration::from_millis(50);

/// The longest `/__defter/version?after=N` is held while the version is still `N`.
const HELD: Duration = Duration::from_secs(25);

/// How many rebuilds the preview remembers the files of: a page that last asked before
/// the oldest of them reloads whatever they wrote.
const REMEMBERED: usize = 64;

/// The longest a rebuild waits for that quiet moment.
const LONGEST_WAIT: Duration = Duration::from_secs(2);

/// What `serve` watches for changes.
pub(crate) const WATCHED: [&str; 4] = ["records", "schemas", "site-templates", "defter.toml"];

/// Which files of the site a rebuild wrote: the open pages that show one of them reload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Every page (a full build, or a change to what every page shows).
    All,
    /// These files (paths inside the site, `/`-separated).
    Files(BTreeSet<String>),
}

impl Reach {
    /// The reach of a rebuild that wrote (or removed) `paths`: every page when one of
    /// them is what every page loads (the style sheet, the scripts under `assets/`).
    pub(crate) fn of(paths: impl IntoIterator<Item = String>) -> Reach {
        let mut files = BTreeSet::new();
        for path in paths {
            if path.starts_with("assets/") {
                return Reach::All;
            }
            files.insert(path);
        }
        Reach::Files(files)
    }

    /// Whether the page at the site path `file` is among them.
    fn touches(&self, file: &str) -> bool {
        match self {
            Reach::All => true,
            Reach::Files(files) => files.contains(file),
        }
    }
}

/// The site file a page's address shows: `/requests/` → `requests/index.html` (`None`:
/// not a path inside the site).
fn page_file(address: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(address).decode_utf8().ok()?;
    let path = decoded.strip_prefix('/')?;
    if path.split('/').any(|part| part == ".." || part == ".") {
        return None;
    }
    Some(if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() })
}

/// Serves `site` on `127.0.0.1:port`, calling `rebuild` after every change under `root`
/// with the paths that changed (relative to `root`, `/`-separated), or `None` when the
/// file watcher lost track of them. `rebuild` says what it did and which files of the
/// site it wrote, or `None` when nothing the site is made from changed (the pages are not
/// reloaded); it may say earlier, to the function it is given, that part of the site is
/// already new (the pages showing it reload then, and the pages the rest of the rebuild
/// changes when it is done). What a person watching
/// should read (the address, each rebuild, a failed rebuild) goes to `tell`: the
/// command layer prints it. `banner` is what the open pages show at their top (empty:
/// nothing), kept up to date by the caller.
pub(crate) fn run(
    root: &Path,
    site: PathBuf,
    port: u16,
    banner: Arc<Mutex<String>>,
    mut rebuild: impl FnMut(Option<&BTreeSet<String>>, &dyn Fn(&str, Reach)) -> Result<Option<(String, Reach)>>
    + Send
    + 'static,
    tell: impl Fn(&str) + Send + Sync + 'static,
) -> Result<()> {
    let tell = Arc::new(tell);
    let rebuild_tell = Arc::clone(&tell);
    let version = Arc::new(Version::default());
    let watcher_version = Arc::clone(&version);
    // Events name absolute, resolved paths on some platforms (FSEvents): compare with the
    // root resolved the same way.
    let root =
        root.canonicalize().with_context(|| msg!("cannot resolve {p}", "{p} çözümlenemiyor", p = root.display()))?;
    // Only changes to what the site is built from count: reading the files to rebuild
    // them is an event too (inotify reports opens), and would rebuild for ever.
    let (changed, changes) = mpsc::channel::<Option<Vec<String>>>();
    let inputs: Vec<PathBuf> = WATCHED.iter().map(|name| root.join(name)).collect();
    let relevant = inputs.clone();
    let watched_root = root.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
        let Ok(event) = event else { return };
        if event.need_rescan() {
            changed.send(None).ok();
            return;
        }
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        // A path that is no UTF-8 cannot be named: the change is unknown.
        let paths: Option<Vec<String>> = event
            .paths
            .iter()
            .filter(|p| relevant.iter().any(|input| p.starts_with(input)))
            .map(|p| relative(&watched_root, p))
            .collect();
        if paths.as_ref().is_none_or(|paths| !paths.is_empty()) {
            changed.send(paths).ok();
        }
    })
    .context(msg!("cannot watch the repository", "depodaki değişiklikler izlenemiyor"))?;
    // The root itself, so that a defter.toml or site-templates/ made later is seen.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .context(msg!("cannot watch the repository", "depodaki değişiklikler izlenemiyor"))?;
    watch_inputs(&mut watcher, &inputs)?;
    // Held while a rebuild runs, and by the shutdown: the site folder is not removed
    // under a rebuild, and no rebuild starts after the shutdown.
    let building = Arc::new(Mutex::new(false));
    let stopped = Arc::clone(&building);
    std::thread::spawn(move || {
        while let Ok(first) = changes.recv() {
            // What changed since the last rebuild; `None` once any change is unknown.
            let mut changed = Some(BTreeSet::new());
            let mut add = |paths: Option<Vec<String>>| match (paths, &mut changed) {
                (Some(paths), Some(set)) => set.extend(paths),
                _ => changed = None,
            };
            add(first);
            // Wait for a quiet moment, so that a save touching many files rebuilds once,
            // but not for ever while something keeps writing.
            let deadline = Instant::now() + LONGEST_WAIT;
            while Instant::now() < deadline {
                match changes.recv_timeout(QUIET) {
                    Ok(paths) => add(paths),
                    Err(_) => break,
                }
            }
            // An input folder removed and made again (a branch switched) needs a new watch;
            // folders made inside one are watched as they come. Watching `records/` again
            // walks every folder in it (a quarter of a second at 100,000 records), so only
            // when one of them was among the changes, or the changes are not known.
            let roots_changed = changed.as_ref().is_none_or(|set| WATCHED.iter().any(|input| set.contains(*input)));
            if roots_changed && let Err(e) = watch_inputs(&mut watcher, &inputs) {
                rebuild_tell(&format!("warning: {e:#}"));
            }
            let stopping = building.lock().unwrap_or_else(PoisonError::into_inner);
            if *stopping {
                return;
            }
            let shown = |said: &str, reach: Reach| {
                watcher_version.bump(reach);
                rebuild_tell(said);
            };
            // A bug in a rebuild must not end the watching: report it, keep the site.
            match std::panic::catch_unwind(AssertUnwindSafe(|| rebuild(changed.as_ref(), &shown))) {
                Ok(Ok(None)) => {}
                Ok(Ok(Some((said, reach)))) => {
                    watcher_version.bump(reach);
                    rebuild_tell(&said);
                }
                Ok(Err(e)) => rebuild_tell(&format!("error: {e:#} (the previous site is still served)")),
                Err(_) => rebuild_tell("error: the rebuild failed unexpectedly (the previous site is still served)"),
            }
        }
    });
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .with_context(|| msg!("cannot listen on 127.0.0.1:{port}", "127.0.0.1:{port} adresinde dinlenemiyor"))?;
        let bound = listener.local_addr()?.port();
        let polled = Arc::clone(&version);
        let app = Router::new()
            .route(
                "/__defter/version",
                get(move |axum::extract::RawQuery(query): axum::extract::RawQuery| async move {
                    polled.answer(query.as_deref()).await
                }),
            )
            .route(
                "/__defter/banner",
                get(move || async move { banner.lock().unwrap_or_else(PoisonError::into_inner).clone() }),
            )
            .fallback_service(ServeDir::new(&site).append_index_html_on_directories(true))
            .layer(axum::middleware::from_fn_with_state(bound, guard));
        tell(&format!("serving http://{}/ (Ctrl-C stops)", listener.local_addr()?));
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                tokio::signal::ctrl_c().await.ok();
                // The held version requests answer now, or the shutdown would wait for them.
                version.stop();
            })
            .await?;
        // Wait for a rebuild in progress, and let none start after it.
        *stopped.lock().unwrap_or_else(PoisonError::into_inner) = true;
        Ok(())
    })
}

/// The site's version: a number that moves on after each rebuild that put something
/// new into the site, with the files each of the last [`REMEMBERED`] rebuilds wrote.
#[derive(Default)]
struct Version {
    moves: Mutex<Moves>,
    /// The preview is stopping: nothing is held any more.
    stopping: AtomicBool,
    /// Woken when it moves, or when the preview stops.
    moved: tokio::sync::Notify,
}

/// The version now and what the last rebuilds reached, oldest first (each with the
/// version it moved to).
struct Moves {
    now: u64,
    log: VecDeque<(u64, Reach)>,
}

impl Default for Moves {
    fn default() -> Moves {
        Moves { now: 1, log: VecDeque::new() }
    }
}

impl Moves {
    /// Whether a page that has seen version `seen` must reload: a rebuild since wrote
    /// its file (`file`; `None`: any rebuild), or it saw a version this preview has not
    /// made or no longer remembers (the preview was started again).
    fn reload(&self, seen: u64, file: Option<&str>) -> bool {
        if seen == self.now {
            return false;
        }
        let remembered = self.log.front().is_some_and(|(first, _)| *first <= seen + 1);
        if seen > self.now || !remembered {
            return true;
        }
        let Some(file) = file else { return true };
        self.log.iter().filter(|(at, _)| *at > seen).any(|(_, reach)| reach.touches(file))
    }
}

/// What a page asks `/__defter/version` (see [`Version::answer`]).
#[derive(Debug, Default, PartialEq)]
struct Asked {
    /// The version it has.
    after: Option<u64>,
    /// The site file it shows.
    page: Option<String>,
    /// Whether to hold the request until there is something to say (not `hold=0`).
    hold: bool,
}

impl Asked {
    fn parse(query: Option<&str>) -> Asked {
        let mut asked = Asked { hold: true, ..Asked::default() };
        for (name, value) in query.unwrap_or_default().split('&').filter_map(|pair| pair.split_once('=')) {
            match name {
                "after" => asked.after = value.parse().ok(),
                // The page's address, percent-encoded as a path, then again as a value.
                "page" => {
                    asked.page =
                        percent_encoding::percent_decode_str(value).decode_utf8().ok().and_then(|a| page_file(&a))
                }
                "hold" => asked.hold = value != "0",
                _ => {}
            }
        }
        asked
    }
}

impl Version {
    fn bump(&self, reach: Reach) {
        {
            let mut moves = self.moves.lock().unwrap_or_else(PoisonError::into_inner);
            moves.now += 1;
            let now = moves.now;
            moves.log.push_back((now, reach));
            if moves.log.len() > REMEMBERED {
                moves.log.pop_front();
            }
        }
        self.moved.notify_waiters();
    }

    fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.moved.notify_waiters();
    }

    /// The answer to `query`: the version now, followed by ` reload` when the page
    /// asking (`after=N&page=/its/path.html`) must reload. Without `page`, any move is a
    /// reload; without `after`, the version alone, at once. A page's request is held
    /// (but for `hold=0`) until it must reload, or for [`HELD`], so that it learns of
    /// a rebuild the moment it is done rather than at its next poll.
    async fn answer(&self, query: Option<&str>) -> String {
        let asked = Asked::parse(query);
        let Some(seen) = asked.after else {
            return self.moves.lock().unwrap_or_else(PoisonError::into_inner).now.to_string();
        };
        let verdict = || {
            let moves = self.moves.lock().unwrap_or_else(PoisonError::into_inner);
            (moves.now, moves.reload(seen, asked.page.as_deref()))
        };
        let mut said = verdict();
        if asked.hold && !said.1 {
            let _ = tokio::time::timeout(HELD, async {
                loop {
                    // Registered before the version is read: a bump in between still wakes it.
                    let moved = self.moved.notified();
                    tokio::pin!(moved);
                    moved.as_mut().enable();
                    said = verdict();
                    if said.1 || self.stopping.load(Ordering::SeqCst) {
                        return;
                    }
                    moved.await;
                }
            })
            .await;
        }
        let (now, reload) = said;
        if reload && asked.page.is_some() { format!("{now} reload") } else { now.to_string() }
    }
}

/// Answers only requests meant for this preview, and never with the build's own files.
///
/// A web page on any site can make the reader's browser ask `127.0.0.1` for pages under
/// a name its attacker controls (DNS rebinding: `evil.example` resolves to 127.0.0.1 a
/// moment later), and then read them as its own; the `Host` such a request carries is
/// the attacker's name, so only the bound address (`127.0.0.1`, `localhost`, `[::1]`
/// with the bound port) is answered (421 otherwise). A path with a segment starting
/// with a dot (`.defter-build`, `.defter-search`, `.defter-site`, however encoded) is
/// the build's state or hidden, never a page: 404.
async fn guard(
    axum::extract::State(port): axum::extract::State<u16>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    let authority = request.uri().authority().map(|a| a.as_str());
    if !host.is_some_and(|h| is_local(h, port)) || authority.is_some_and(|a| !is_local(a, port)) {
        let said = format!(
            "421 Misdirected Request: this preview answers only at http://127.0.0.1:{port}/ or http://localhost:{port}/\n"
        );
        return (StatusCode::MISDIRECTED_REQUEST, said).into_response();
    }
    if is_hidden(request.uri().path()) {
        return (StatusCode::NOT_FOUND, "404 Not Found\n").into_response();
    }
    next.run(request).await
}

/// Whether a `Host` (or a request's authority) names this machine's loopback address at
/// `port`.
fn is_local(host: &str, port: u16) -> bool {
    let Some((name, at)) = host.rsplit_once(':') else { return false };
    at.parse::<u16>() == Ok(port) && matches!(name.to_ascii_lowercase().as_str(), "127.0.0.1" | "localhost" | "[::1]")
}

/// Whether a request path, percent-decoded as the file service decodes it, has a segment
/// starting with a dot.
fn is_hidden(path: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    decoded.split(['/', '\\']).any(|segment| segment.starts_with('.'))
}

/// `path` relative to `root`, `/`-separated (`None` outside it, or not UTF-8).
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// Watches each input folder that exists now, recursively, afresh (a watch on a folder
/// that was removed is gone even if the folder is back). Files (defter.toml) are seen
/// through the root's watch.
fn watch_inputs(watcher: &mut impl Watcher, inputs: &[PathBuf]) -> Result<()> {
    for input in inputs.iter().filter(|i| i.is_dir()) {
        let _ = watcher.unwatch(input);
        watcher
            .watch(input, RecursiveMode::Recursive)
            .with_context(|| msg!("cannot watch {p}", "{p} izlenemiyor", p = input.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Asked, Moves, Reach, is_hidden, is_local, page_file};

    fn files(paths: &[&str]) -> Reach {
        Reach::of(paths.iter().map(|p| p.to_string()))
    }

    #[test]
    fn a_page_reloads_when_a_rebuild_since_wrote_its_file_or_what_every_page_loads() {
        let mut moves = Moves::default();
        let mut bump = |reach: Reach| {
            moves.now += 1;
            moves.log.push_back((moves.now, reach));
        };
        bump(files(&["requests/TLP-2026-0001.html"]));
        bump(files(&["requests/index.html", "search/t-ze.js"]));
        let page = Some("requests/TLP-2026-0001.html");
        assert_eq!(moves.now, 3);
        assert!(moves.reload(1, page), "the first rebuild wrote it");
        assert!(!moves.reload(2, page), "the second did not");
        assert!(!moves.reload(3, page), "nothing since");
        assert!(moves.reload(2, Some("requests/index.html")));
        assert!(!moves.reload(1, Some("rules.html")), "no rebuild wrote it");
        assert!(moves.reload(1, None), "a page that does not say which it is reloads on any move");
        assert!(moves.reload(7, page), "a version from before the preview was started again");
        moves.now += 1;
        moves.log.push_back((moves.now, files(&["assets/style.css", "index.html"])));
        assert_eq!(moves.log.back().map(|(_, r)| r), Some(&Reach::All), "the style sheet is on every page");
        assert!(moves.reload(3, Some("rules.html")));
        // The oldest rebuilds forgotten: a page that saw a version before them reloads.
        moves.log.pop_front();
        assert!(moves.reload(1, Some("rules.html")));
        assert!(!moves.reload(4, Some("rules.html")), "nothing since the last");
    }

    #[test]
    fn a_pages_question_is_read_from_its_query() {
        let asked = Asked::parse(Some("after=12&page=%2Frequests%2FTLP-2026-0001.html"));
        assert_eq!(asked, Asked { after: Some(12), page: Some("requests/TLP-2026-0001.html".into()), hold: true });
        let asked = Asked::parse(Some("after=3&page=%2F&hold=0"));
        assert_eq!(asked, Asked { after: Some(3), page: Some("index.html".into()), hold: false });
        assert_eq!(Asked::parse(None), Asked { after: None, page: None, hold: true });
        // `encodeURIComponent(location.pathname)` of a page whose name is not ASCII.
        let asked = Asked::parse(Some("after=1&page=%2Funits%2Fbilgi-i%25C5%259Flem.html"));
        assert_eq!(asked.page.as_deref(), Some("units/bilgi-işlem.html"));
        assert_eq!(Asked::parse(Some("after=x&page=%2F..%2Fetc")).after, None);
        assert_eq!(page_file("/people/"), Some("people/index.html".into()));
        assert_eq!(page_file("/ki%C5%9Fi.html"), Some("kişi.html".into()));
        assert_eq!(page_file("/a/../b.html"), None);
        assert_eq!(page_file("requests.html"), None, "not an absolute path");
    }

    #[test]
    fn only_the_loopback_names_at_the_bound_port_are_answered() {
        for host in ["127.0.0.1:4000", "localhost:4000", "LOCALHOST:4000", "[::1]:4000"] {
            assert!(is_local(host, 4000), "{host}");
        }
        for host in ["127.0.0.1:4001", "localhost", "evil.example:4000", "127.0.0.1.evil.example:4000", "", ":4000"] {
            assert!(!is_local(host, 4000), "{host}");
        }
    }

    #[test]
    fn dotfiles_are_hidden_however_written() {
        for path in ["/.defter-build", "/%2edefter-search/ab.json", "/a/%2Edefter-site", "/a%2f.git/config", "/a\\.x"] {
            assert!(is_hidden(path), "{path}");
        }
        for path in ["/", "/index.html", "/requests/TLP-2026-0001.html", "/__defter/version", "/a.b/c"] {
            assert!(!is_hidden(path), "{path}");
        }
    }
}

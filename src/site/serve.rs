//! `defter serve`: a local preview. The site is built into a temporary folder and served
//! on localhost; when a record, schema, template or defter.toml changes, it is rebuilt
//! and open pages reload themselves (they poll a version number — no websockets). Only
//! requests addressed to the preview itself are answered, never with the build's state.

use std::collections::BTreeSet;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

use crate::diag::msg;
use anyhow::{Context, Result};
use axum::Router;
use axum::routing::get;
use notify::{Event, EventKind, RecursiveMode, Watcher};
use tower_http::services::ServeDir;

/// Asks `/__defter/version` (held until it moves on while the page is visible) and
/// reloads the page when it changes; shows the preview's banner (`/__defter/banner`:
/// the records have errors) at the top of the page.
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
  // A visible page asks to be answered when the version moves on (the preview holds the
  // request until then, or for a while), so it reloads the moment a rebuild has put
  // anything new into the site. A hidden one asks once a second instead: a browser
  // opens only a few connections to one host, and held requests from many tabs would
  // leave none for the pages themselves.
  var seen = null, held = null;
  function poll() {
    var hold = seen !== null && document.visibilityState === "visible";
    held = hold ? new AbortController() : null;
    var query = hold ? "?after=" + encodeURIComponent(seen) : "";
    var options = { cache: "no-store", signal: held ? held.signal : undefined };
    fetch("/__defter/version" + query, options).then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) { window.location.reload(); return; }
      seen = v;
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

/// The longest a rebuild waits for that quiet moment.
const LONGEST_WAIT: Duration = Duration::from_secs(2);

/// What `serve` watches for changes.
pub(crate) const WATCHED: [&str; 4] = ["records", "schemas", "site-templates", "defter.toml"];

/// Serves `site` on `127.0.0.1:port`, calling `rebuild` after every change under `root`
/// with the paths that changed (relative to `root`, `/`-separated), or `None` when the
/// file watcher lost track of them. `rebuild` says what it did, or `None` when nothing
/// the site is made from changed (the pages are not reloaded); it may say earlier, to
/// the function it is given, that part of the site is already new (the pages reload
/// then, and again when it is done). What a person watching
/// should read (the address, each rebuild, a failed rebuild) goes to `tell`: the
/// command layer prints it. `banner` is what the open pages show at their top (empty:
/// nothing), kept up to date by the caller.
pub(crate) fn run(
    root: &Path,
    site: PathBuf,
    port: u16,
    banner: Arc<Mutex<String>>,
    mut rebuild: impl FnMut(Option<&BTreeSet<String>>, &dyn Fn(&str)) -> Result<Option<String>> + Send + 'static,
    tell: impl Fn(&str) + Send + Sync + 'static,
) -> Result<()> {
    let tell = Arc::new(tell);
    let rebuild_tell = Arc::clone(&tell);
    let version = Arc::new(Version {
        now: AtomicU64::new(1),
        stopping: AtomicBool::new(false),
        moved: tokio::sync::Notify::new(),
    });
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
            let shown = |said: &str| {
                watcher_version.bump();
                rebuild_tell(said);
            };
            // A bug in a rebuild must not end the watching: report it, keep the site.
            match std::panic::catch_unwind(AssertUnwindSafe(|| rebuild(changed.as_ref(), &shown))) {
                Ok(Ok(None)) => {}
                Ok(Ok(Some(said))) => {
                    watcher_version.bump();
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
                    polled.after(query.as_deref()).await
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

/// The site's version: a number the open pages reload on when it moves (after each
/// rebuild that put something new into the site).
struct Version {
    now: AtomicU64,
    /// The preview is stopping: nothing is held any more.
    stopping: AtomicBool,
    /// Woken when it moves, or when the preview stops.
    moved: tokio::sync::Notify,
}

impl Version {
    fn bump(&self) {
        self.now.fetch_add(1, Ordering::SeqCst);
        self.moved.notify_waiters();
    }

    fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.moved.notify_waiters();
    }

    /// The version now; for `after=N` (the one a page has), once it is no longer `N`, or
    /// after [`HELD`] (then still `N`), so that the page learns of a rebuild the moment
    /// it is done rather than at its next poll.
    async fn after(&self, query: Option<&str>) -> String {
        let seen = query.and_then(|q| q.strip_prefix("after=")).and_then(|n| n.parse::<u64>().ok());
        if let Some(seen) = seen {
            let _ = tokio::time::timeout(HELD, async {
                loop {
                    // Registered before the version is read: a bump in between still wakes it.
                    let moved = self.moved.notified();
                    tokio::pin!(moved);
                    moved.as_mut().enable();
                    if self.now.load(Ordering::SeqCst) != seen || self.stopping.load(Ordering::SeqCst) {
                        return;
                    }
                    moved.await;
                }
            })
            .await;
        }
        self.now.load(Ordering::SeqCst).to_string()
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
    use super::{is_hidden, is_local};

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

//! `defter serve`: a local preview. The site is built into a temporary folder and served
//! on localhost; when a record, schema, template or defter.toml changes, it is rebuilt
//! and open pages reload themselves (they poll a version number — no websockets).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use axum::routing::get;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer, notify::RecursiveMode};
use tower_http::services::ServeDir;

/// Polls `/__defter/version` and reloads the page when it changes.
pub const LIVE_RELOAD_JS: &str = r#"(function () {
  "use strict";
  var seen = null;
  function poll() {
    fetch("/__defter/version", { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) { window.location.reload(); }
      seen = v;
    }).catch(function () {}).then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"#;

/// What `serve` watches for changes.
pub const WATCHED: [&str; 4] = ["records", "schemas", "site-templates", "defter.toml"];

/// Serves `site` on `127.0.0.1:port`, calling `rebuild` after every change under `root`.
pub fn run(
    root: &Path,
    site: PathBuf,
    port: u16,
    rebuild: impl Fn() -> Result<()> + Send + Sync + 'static,
) -> Result<()> {
    let version = Arc::new(AtomicU64::new(1));
    let watcher_version = Arc::clone(&version);
    let mut debouncer = new_debouncer(Duration::from_millis(300), move |result: DebounceEventResult| {
        if result.is_ok() {
            match rebuild() {
                Ok(()) => {
                    watcher_version.fetch_add(1, Ordering::SeqCst);
                    eprintln!("rebuilt");
                }
                Err(e) => eprintln!("error: {e:#} (the previous site is still served)"),
            }
        }
    })
    .context("cannot watch the repository")?;
    for name in WATCHED {
        let path = root.join(name);
        if path.exists() {
            let mode = if path.is_dir() { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
            debouncer.watcher().watch(&path, mode).with_context(|| format!("cannot watch {}", path.display()))?;
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async move {
        let app = Router::new()
            .route("/__defter/version", get(move || async move { version.load(Ordering::SeqCst).to_string() }))
            .fallback_service(ServeDir::new(&site).append_index_html_on_directories(true));
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
        eprintln!("serving http://{}/ (Ctrl-C stops)", listener.local_addr()?);
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                tokio::signal::ctrl_c().await.ok();
            })
            .await?;
        drop(debouncer);
        Ok(())
    })
}

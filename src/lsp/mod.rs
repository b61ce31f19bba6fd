//! `defter lsp`: a language server over stdio. It publishes the findings `validate`
//! makes about the open record — every rule, on the text in the editor, against the
//! repository kept in memory ([`workspace`]) — and completes and explains fields from the
//! rule set ([`answer`]).
//!
//! The messages are `lsp-server`'s and `lsp-types`', but the loop reading them is ours:
//! `lsp-server`'s reader thread ends at the first malformed message, and a server that an
//! editor cannot restart by itself must answer it with an error and go on. It is one
//! thread: each message is answered before the next is read, which an edit's check
//! (milliseconds: docs/performance.md) allows.

mod answer;
mod cursor;
mod workspace;

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use jiff::civil::Date;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CompletionOptions, CompletionParams, CompletionResponse, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern, HoverParams, HoverProviderCapability, InitializeParams,
    InitializeResult, MessageType, PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use workspace::Workspace;

/// How the conversation with the editor ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// `exit` after `shutdown`: exit status 0.
    Cleanly,
    /// `exit` without `shutdown`, or the input ended: exit status 1, as the protocol says.
    Abruptly,
}

/// An open document.
struct Document {
    text: String,
    version: Option<i32>,
    /// Its path in the repository, when it is a file under `records/`.
    path: Option<String>,
}

/// The server's state.
struct Server<'a> {
    out: &'a mut dyn Write,
    log: &'a dyn Fn(&str),
    /// Where to look for the repository before a document says.
    start: Option<PathBuf>,
    /// The repository, once loaded; the reason it could not be, once tried.
    workspace: Option<Workspace>,
    failed: Option<String>,
    as_of: Option<Date>,
    documents: HashMap<Uri, Document>,
    initialized: bool,
    shut_down: bool,
    /// Whether the editor watches files for the server (dynamic registration).
    can_watch: bool,
}

/// Serves the editor on `input` and `output` until it says `exit` or the input ends.
/// `start` is where the repository is looked for (upwards) when the editor names no
/// workspace folder; `as_of` fixes the date the time rules use (else today's, each
/// time); `log` is told what the server does (stderr, for the editor's log).
pub fn run(
    start: Option<PathBuf>,
    as_of: Option<Date>,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    log: &dyn Fn(&str),
) -> Result<Ended> {
    let mut server = Server {
        out: output,
        log,
        start,
        workspace: None,
        failed: None,
        as_of,
        documents: HashMap::new(),
        initialized: false,
        shut_down: false,
        can_watch: false,
    };
    loop {
        let message = match Message::read(&mut &mut *input) {
            Ok(Some(message)) => message,
            Ok(None) => return Ok(Ended::Abruptly),
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                log(&format!("defter lsp: {e}"));
                server.send_raw(&serde_json::json!({
                    "jsonrpc": "2.0",
                    "id": null,
                    "error": {"code": ErrorCode::ParseError as i32, "message": format!("not a JSON-RPC message: {e}")},
                }))?;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        match message {
            Message::Request(request) => server.request(request)?,
            Message::Notification(note) if note.method == "exit" => {
                return Ok(if server.shut_down { Ended::Cleanly } else { Ended::Abruptly });
            }
            Message::Notification(note) => server.notification(note)?,
            Message::Response(_) => {}
        }
    }
}

fn params<T: DeserializeOwned>(value: Json) -> std::result::Result<T, String> {
    serde_json::from_value(value).map_err(|e| format!("invalid parameters: {e}"))
}

/// The file a `file:` URI names.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(rest).decode_utf8().ok()?;
    // `file:///C:/x` on Windows.
    let bytes = decoded.as_bytes();
    if cfg!(windows) && bytes.len() > 2 && bytes[2] == b':' {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded.as_ref()))
}

/// The nearest folder from `dir` upwards holding `defter.toml` or `records/`.
fn repository_above(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(crate::config::FILE).is_file() || d.join(crate::load::RECORDS_DIR).is_dir())
        .map(Path::to_path_buf)
}

impl Server<'_> {
    fn send(&mut self, message: Message) -> Result<()> {
        message.write(&mut self.out)?;
        Ok(())
    }

    fn send_raw(&mut self, value: &Json) -> Result<()> {
        let text = value.to_string();
        write!(self.out, "Content-Length: {}\r\n\r\n{text}", text.len())?;
        self.out.flush()?;
        Ok(())
    }

    fn notify(&mut self, method: &str, params: impl serde::Serialize) -> Result<()> {
        self.send(Message::Notification(Notification::new(method.to_string(), params)))
    }

    fn error(&mut self, id: RequestId, code: ErrorCode, message: String) -> Result<()> {
        self.send(Message::Response(Response::new_err(id, code as i32, message)))
    }

    fn request(&mut self, request: Request) -> Result<()> {
        let Request { id, method, params: raw } = request;
        if method == "initialize" {
            let init: InitializeParams = match params(raw) {
                Ok(init) => init,
                Err(e) => return self.error(id, ErrorCode::InvalidParams, e),
            };
            #[allow(deprecated)]
            let folder = init
                .workspace_folders
                .as_ref()
                .and_then(|f| f.first())
                .map(|f| f.uri.clone())
                .or(init.root_uri.clone())
                .and_then(|uri| file_path(&uri));
            if let Some(folder) = folder {
                self.start = Some(folder);
            }
            let watching = init.capabilities.workspace.as_ref().and_then(|w| w.did_change_watched_files.as_ref());
            self.can_watch = watching.and_then(|w| w.dynamic_registration) == Some(true);
            self.initialized = true;
            let result = InitializeResult { capabilities: capabilities(), server_info: Some(server_info()) };
            return self.send(Message::Response(Response::new_ok(id, result)));
        }
        if !self.initialized {
            let said = "the server is not initialized yet".to_string();
            return self.error(id, ErrorCode::ServerNotInitialized, said);
        }
        if self.shut_down {
            return self.error(id, ErrorCode::InvalidRequest, "the server is shutting down".into());
        }
        match method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                self.send(Message::Response(Response::new_ok(id, Json::Null)))
            }
            "textDocument/completion" => {
                let p: CompletionParams = match params(raw) {
                    Ok(p) => p,
                    Err(e) => return self.error(id, ErrorCode::InvalidParams, e),
                };
                let at = p.text_document_position;
                let items = self
                    .record_document(&at.text_document.uri)
                    .map(|(ws, kind, text)| answer::completion(ws, kind, text, at.position))
                    .unwrap_or_default();
                self.send(Message::Response(Response::new_ok(id, CompletionResponse::Array(items))))
            }
            "textDocument/hover" => {
                let p: HoverParams = match params(raw) {
                    Ok(p) => p,
                    Err(e) => return self.error(id, ErrorCode::InvalidParams, e),
                };
                let at = p.text_document_position_params;
                let hover = self
                    .record_document(&at.text_document.uri)
                    .and_then(|(ws, kind, text)| answer::hover(ws, kind, text, at.position));
                self.send(Message::Response(Response::new_ok(id, hover)))
            }
            _ => self.error(id, ErrorCode::MethodNotFound, format!("defter lsp does not answer `{method}`")),
        }
    }

    /// The repository, the kind and the text of an open document that is a record.
    fn record_document(&self, uri: &Uri) -> Option<(&Workspace, crate::model::Kind, &str)> {
        let doc = self.documents.get(uri)?;
        let kind = Workspace::kind_of(doc.path.as_deref()?)?;
        Some((self.workspace.as_ref()?, kind, &doc.text))
    }

    fn notification(&mut self, note: Notification) -> Result<()> {
        if !self.initialized || self.shut_down {
            return Ok(());
        }
        let Notification { method, params: raw } = note;
        match method.as_str() {
            "initialized" if self.can_watch => self.watch(),
            "workspace/didChangeWatchedFiles" => {
                let Ok(p) = params::<DidChangeWatchedFilesParams>(raw) else { return self.bad(&method) };
                self.files_changed(p.changes.iter().filter_map(|c| file_path(&c.uri)).collect())
            }
            "textDocument/didOpen" => {
                let Ok(p) = params::<DidOpenTextDocumentParams>(raw) else { return self.bad(&method) };
                let doc = p.text_document;
                self.opened(doc.uri, doc.text, Some(doc.version))
            }
            "textDocument/didChange" => {
                let Ok(p) = params::<DidChangeTextDocumentParams>(raw) else { return self.bad(&method) };
                // Full sync: the last change holds the whole text.
                let Some(change) = p.content_changes.into_iter().last() else { return Ok(()) };
                self.opened(p.text_document.uri, change.text, Some(p.text_document.version))
            }
            "textDocument/didSave" => {
                let Ok(p) = params::<DidSaveTextDocumentParams>(raw) else { return self.bad(&method) };
                let uri = p.text_document.uri;
                match (p.text, self.documents.get(&uri)) {
                    (Some(text), _) => self.opened(uri, text, None),
                    (None, Some(doc)) => {
                        let text = doc.text.clone();
                        self.opened(uri, text, None)
                    }
                    (None, None) => Ok(()),
                }
            }
            "textDocument/didClose" => {
                let Ok(p) = params::<DidCloseTextDocumentParams>(raw) else { return self.bad(&method) };
                let uri = p.text_document.uri;
                if let Some(Document { path: Some(path), .. }) = self.documents.remove(&uri)
                    && let Some(ws) = self.workspace.as_mut()
                {
                    // What is on disk again, for the documents still open.
                    ws.set(&path, None);
                }
                self.publish(uri, Vec::new(), None)?;
                self.check_open(None)
            }
            _ => Ok(()),
        }
    }

    /// Asks the editor to say when records, the rules or the configuration change on
    /// disk (a `git pull`, a checkout, another program).
    fn watch(&mut self) -> Result<()> {
        let watchers = ["**/records/**", "**/schemas/**", "**/defter.toml"]
            .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.into()), kind: None })
            .to_vec();
        let registration = Registration {
            id: "defter-files".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: Some(serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers })?),
        };
        let params = RegistrationParams { registrations: vec![registration] };
        let id = RequestId::from("defter-watch".to_string());
        self.send(Message::Request(Request::new(id, "client/registerCapability".into(), params)))
    }

    /// Files changed on disk: the rules or the configuration load the repository anew;
    /// a record not open in the editor is read again (or dropped, when it is gone).
    fn files_changed(&mut self, files: Vec<PathBuf>) -> Result<()> {
        let Some(ws) = self.workspace.as_mut() else { return Ok(()) };
        let rules = |f: &PathBuf| {
            [Some(ws.root.clone()), ws.root.canonicalize().ok()].into_iter().flatten().any(|root| {
                f.strip_prefix(&root).is_ok_and(|rel| {
                    rel == Path::new(crate::config::FILE) || rel.starts_with(crate::load::rules::SCHEMAS_DIR)
                })
            })
        };
        if files.iter().any(rules) {
            let root = ws.root.clone();
            match Workspace::open(&root) {
                Ok(mut fresh) => {
                    for doc in self.documents.values() {
                        if let Some(path) = &doc.path {
                            fresh.set(path, Some(&doc.text));
                        }
                    }
                    (self.log)("defter lsp: the rules or the configuration changed: repository loaded again");
                    self.workspace = Some(fresh);
                }
                Err(e) => {
                    let said = format!("defter: {} could not be loaded again: {e:#}", root.display());
                    (self.log)(&said);
                    self.notify("window/showMessage", ShowMessageParams { typ: MessageType::ERROR, message: said })?;
                }
            }
        } else {
            let open: Vec<&str> = self.documents.values().filter_map(|d| d.path.as_deref()).collect();
            for file in &files {
                if let Some(path) = ws.record_path(file).filter(|p| !open.contains(&p.as_str())) {
                    ws.set(&path, None);
                }
            }
        }
        self.check_open(None)
    }

    fn bad(&mut self, method: &str) -> Result<()> {
        (self.log)(&format!("defter lsp: `{method}` with invalid parameters: ignored"));
        Ok(())
    }

    /// Loads the repository the first time a document asks, from the workspace folder or
    /// else from the document's own folder upwards; says so to the editor when it cannot.
    fn ensure_workspace(&mut self, file: &Path) -> Result<()> {
        if self.workspace.is_some() || self.failed.is_some() {
            return Ok(());
        }
        let root = self.start.as_deref().and_then(repository_above).or_else(|| repository_above(file.parent()?));
        let Some(root) = root else { return Ok(()) };
        let started = std::time::Instant::now();
        match Workspace::open(&root) {
            Ok(ws) => {
                (self.log)(&format!(
                    "defter lsp: {} records loaded from {} in {} ms",
                    ws.records.records.len(),
                    root.display(),
                    started.elapsed().as_millis()
                ));
                self.workspace = Some(ws);
            }
            Err(e) => {
                let said = format!("defter: {} could not be loaded: {e:#}", root.display());
                (self.log)(&said);
                self.failed = Some(said.clone());
                self.notify("window/showMessage", ShowMessageParams { typ: MessageType::ERROR, message: said })?;
            }
        }
        Ok(())
    }

    /// A document's text is new (opened, changed or saved): lay it over the repository,
    /// publish its findings, then those of the other open documents it may change.
    fn opened(&mut self, uri: Uri, text: String, version: Option<i32>) -> Result<()> {
        let file = file_path(&uri);
        if let Some(file) = &file {
            self.ensure_workspace(file)?;
        }
        let path = match (&file, &self.workspace) {
            (Some(file), Some(ws)) => ws.record_path(file),
            _ => None,
        };
        let version = version.or_else(|| self.documents.get(&uri).and_then(|d| d.version));
        if let (Some(path), Some(ws)) = (&path, self.workspace.as_mut()) {
            ws.set(path, Some(&text));
        }
        self.documents.insert(uri.clone(), Document { text, version, path });
        self.check_open(Some(&uri))
    }

    /// Publishes the findings of `first`, then of every other open record.
    fn check_open(&mut self, first: Option<&Uri>) -> Result<()> {
        let mut uris: Vec<Uri> = first.into_iter().cloned().collect();
        let mut others: Vec<Uri> = self.documents.keys().filter(|u| Some(*u) != first).cloned().collect();
        others.sort();
        uris.extend(others);
        let as_of = self.as_of.unwrap_or_else(|| jiff::Zoned::now().date());
        for uri in uris {
            let Some(doc) = self.documents.get(&uri) else { continue };
            let diagnostics = match (&doc.path, &self.workspace) {
                (Some(path), Some(ws)) => {
                    let english = ws.english();
                    ws.findings(path, as_of).iter().map(|d| answer::diagnostic(d, &doc.text, english)).collect()
                }
                _ => Vec::new(),
            };
            let version = doc.version;
            self.publish(uri, diagnostics, version)?;
        }
        Ok(())
    }

    fn publish(&mut self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) -> Result<()> {
        self.notify("textDocument/publishDiagnostics", PublishDiagnosticsParams { uri, diagnostics, version })
    }
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(true) })),
            ..TextDocumentSyncOptions::default()
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into(), ",".into(), "[".into()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

fn server_info() -> ServerInfo {
    ServerInfo { name: "defter".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }
}

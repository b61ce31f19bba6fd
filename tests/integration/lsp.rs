//! `defter lsp` as an editor meets it: a client that speaks JSON-RPC with Content-Length
//! framing to the real binary over its stdin and stdout, on this repository's own
//! records (read, never written: the edits live only in the client's documents).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    from_server: Receiver<Value>,
    next_id: i64,
}

/// Reads the server's framed messages into a channel.
fn read_frames(stdout: impl Read + Send + 'static) -> Receiver<Value> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = None;
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 {
                    return;
                }
                let header = header.trim_end();
                if header.is_empty() {
                    break;
                }
                if let Some(n) = header.strip_prefix("Content-Length: ") {
                    length = Some(n.parse::<usize>().expect("a Content-Length"));
                }
            }
            let mut body = vec![0; length.expect("every message has a Content-Length")];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            if tx.send(serde_json::from_slice(&body).expect("the server writes JSON")).is_err() {
                return;
            }
        }
    });
    rx
}

impl Client {
    fn start(root: &Path) -> Client {
        Client::start_with(root, json!({}))
    }

    /// Starts the server and initializes it as an editor with `capabilities`.
    fn start_with(root: &Path, capabilities: Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_defter"))
            .args(["lsp", "--as-of", "2026-11-30"])
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("defter lsp starts");
        let stdin = child.stdin.take().unwrap();
        let from_server = read_frames(child.stdout.take().unwrap());
        let mut client = Client { child, stdin, from_server, next_id: 0 };
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": uri(root), "capabilities": capabilities, "workspaceFolders": [{"uri": uri(root), "name": "defter"}]}),
        );
        assert_eq!(result["result"]["serverInfo"]["name"], "defter", "{result}");
        assert_eq!(result["result"]["capabilities"]["hoverProvider"], true);
        client.notify("initialized", json!({}));
        client
    }

    fn send_bytes(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        self.send_bytes(message.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its response (whatever else comes first is skipped).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self.from_server.recv_timeout(left).expect("the server answers in time");
            if wanted(&message) {
                return message;
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let published =
            self.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
        published["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        let params = json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]});
        self.notify("textDocument/didChange", params);
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    let text = path.to_str().expect("a UTF-8 path").replace('%', "%25").replace(' ', "%20");
    format!("file://{text}")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The 0-based line of `text` that starts with `start`.
fn line_of(text: &str, start: &str) -> usize {
    text.lines().position(|l| l.starts_with(start)).expect("the line")
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

#[test]
fn lsp_checks_completes_and_explains_as_you_type() {
    let root = root();
    let rel = "records/requests/2026/TLP-2026-0004.md";
    let saved = std::fs::read_to_string(root.join(rel)).unwrap();
    let doc = uri(&root.join(rel));
    let mut client = Client::start(&root);

    // Opened with the tester the same person as the assignee: a finding from
    // workflows.yaml's separation of duties, at the tester, in Turkish (`language = "tr"`).
    let same = saved.replace("tested_by: serkan.polat", "tested_by: mert.dogan");
    let params = json!({"textDocument": {"uri": doc, "languageId": "markdown", "version": 1, "text": same}});
    client.notify("textDocument/didOpen", params);
    let found = client.diagnostics(&doc);
    let separation = found.iter().find(|d| d["code"] == "separation-of-duties").unwrap_or_else(|| panic!("{found:#?}"));
    let line = line_of(&same, "  tested_by:");
    assert_eq!(separation["range"]["start"]["line"], line);
    assert_eq!(separation["severity"], 1, "an error");
    assert_eq!(separation["source"], "defter");

    // A reference to a person who does not exist: found against the people in memory,
    // with the range of the id itself.
    let dangling = saved.replace("assignee: mert.dogan", "assignee: nobody.here");
    client.change(&doc, 2, &dangling);
    let found = client.diagnostics(&doc);
    let dangling_ref = found.iter().find(|d| d["code"] == "dangling-ref").unwrap_or_else(|| panic!("{found:#?}"));
    let line = line_of(&dangling, "assignee:");
    assert_eq!(dangling_ref["range"]["start"], json!({"line": line, "character": 10}));
    assert_eq!(dangling_ref["range"]["end"], json!({"line": line, "character": 21}));
    let message = dangling_ref["message"].as_str().unwrap();
    assert!(message.contains("`nobody.here` kaydı bulunamadı"), "{message}");

    // Fixed: the diagnostics are cleared. Each edit's round trip is timed (reported,
    // not asserted: docs/performance.md).
    let mut times = Vec::new();
    for version in 3..23 {
        let text = if version % 2 == 1 { &saved } else { &dangling };
        let sent = Instant::now();
        client.change(&doc, version, text);
        let found = client.diagnostics(&doc);
        times.push(sent.elapsed());
        assert_eq!(found.is_empty(), version % 2 == 1, "version {version}: {found:#?}");
    }
    times.sort();
    eprintln!(
        "defter lsp: an edit's findings published in {:?} (median of {}), {:?} at most",
        times[times.len() / 2],
        times.len(),
        times.last().unwrap()
    );

    // Completion of a person at `assignee: `, with their names.
    let blank = saved.replace("assignee: mert.dogan", "assignee: ");
    client.change(&doc, 30, &blank);
    client.diagnostics(&doc);
    let line = line_of(&blank, "assignee:");
    let at = |line: usize, character: usize| json!({"textDocument": {"uri": doc}, "position": {"line": line, "character": character}});
    let items = client.request("textDocument/completion", at(line, 10))["result"].as_array().unwrap().clone();
    let mert = items.iter().find(|i| i["label"] == "mert.dogan").unwrap_or_else(|| panic!("{items:#?}"));
    assert_eq!(mert["labelDetails"]["description"], "Mert Doğan");
    assert!(items.iter().all(|i| !i["label"].as_str().unwrap().starts_with("TLP-")), "people only");

    // Completion of a state at `status: `, with the Turkish labels.
    let line = line_of(&saved, "status:");
    let items = client.request("textDocument/completion", at(line, 8))["result"].as_array().unwrap().clone();
    let states: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i["label"].as_str().unwrap(), i["labelDetails"]["description"].as_str().unwrap()))
        .collect();
    assert!(states.contains(&("in_progress", "İşlemde")) && states.contains(&("closed", "Kapatıldı")), "{states:?}");

    // Completion of a person inside a history entry (`history[].by` in workflows.yaml).
    let line = line_of(&saved, "  - { date: 2026-02-09");
    let column = "  - { date: 2026-02-09, by: ".len();
    let items = client.request("textDocument/completion", at(line, column))["result"].as_array().unwrap().clone();
    assert!(items.iter().any(|i| i["label"] == "ipek.oral"), "{items:#?}");

    // Hover on a field: its Turkish title, description and article.
    let hover = client.request("textDocument/hover", at(line_of(&saved, "status:"), 2));
    let shown = hover["result"]["contents"]["value"].as_str().unwrap_or_else(|| panic!("{hover}"));
    assert!(shown.contains("**Durum**") && shown.contains("M5(1)(c)") && shown.contains("İşlemde"), "{shown}");

    // Malformed JSON, a message that is no JSON-RPC, an unknown method, a document that
    // is not a record: an error or nothing, and the server answers the next request.
    client.send_bytes(b"{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ");
    let error = client.wait_for(|m| m.get("error").is_some());
    assert_eq!((error["id"].clone(), error["error"]["code"].clone()), (Value::Null, json!(-32700)), "{error}");
    client.send(json!({"hello": "world"}));
    client.wait_for(|m| m["error"]["code"] == -32700);
    let unknown = client.request("textDocument/frobnicate", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let bad = client.request("textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    for other in [root.join("schemas/workflows.yaml"), std::env::temp_dir().join("elsewhere.yaml")] {
        let other = uri(&other);
        let params = json!({"textDocument": {"uri": other, "languageId": "yaml", "version": 1, "text": "a: [b"}});
        client.notify("textDocument/didOpen", params);
        assert_eq!(client.diagnostics(&other), Vec::<Value>::new());
    }
    // Under records/ but of no kind: validate's finding about it, nothing more.
    let stray = uri(&root.join("records/notes/list.yaml"));
    let params = json!({"textDocument": {"uri": stray, "languageId": "yaml", "version": 1, "text": "a: b\n"}});
    client.notify("textDocument/didOpen", params);
    assert_eq!(codes(&client.diagnostics(&stray)), ["unknown-kind"]);
    let hover = client.request("textDocument/hover", at(line_of(&saved, "status:"), 2));
    assert!(hover["result"]["contents"]["value"].as_str().is_some(), "still answering: {hover}");

    // Closed: its diagnostics are cleared.
    client.change(&doc, 40, &dangling);
    assert!(codes(&client.diagnostics(&doc)).contains(&"dangling-ref"));
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": doc}}));
    assert_eq!(client.diagnostics(&doc), Vec::<Value>::new());

    // Shut down and exit: status 0.
    assert_eq!(client.request("shutdown", Value::Null)["result"], Value::Null);
    client.notify("exit", Value::Null);
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = client.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server exits after `exit`");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}

#[test]
fn lsp_exit_without_shutdown_is_status_1_and_a_finding_in_a_yaml_record_is_published() {
    let root = root();
    let mut client = Client::start(&root);
    let rel = "records/org/people/mert.dogan.yaml";
    let text =
        std::fs::read_to_string(root.join(rel)).unwrap().replace("unit: yazilim-gelistirme-servisi", "unit: yok");
    let doc = uri(&root.join(rel));
    let params = json!({"textDocument": {"uri": doc, "languageId": "yaml", "version": 1, "text": text}});
    client.notify("textDocument/didOpen", params);
    assert!(codes(&client.diagnostics(&doc)).contains(&"dangling-ref"));
    client.notify("exit", Value::Null);
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = client.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server exits after `exit`");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(1));
}

#[test]
fn lsp_sees_records_and_rules_changed_on_disk() {
    let tmp = tempfile::tempdir().unwrap();
    for part in ["records", "schemas"] {
        crate::harness::copy_tree(&root().join(part), &tmp.path().join(part));
    }
    std::fs::copy(root().join("defter.toml"), tmp.path().join("defter.toml")).unwrap();
    let watching = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut client = Client::start_with(tmp.path(), watching);
    let register = client.wait_for(|m| m["method"] == "client/registerCapability");
    let watchers = &register["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert!(watchers.as_array().unwrap().iter().any(|w| w["globPattern"] == "**/records/**"), "{register}");
    client.send(json!({"jsonrpc": "2.0", "id": register["id"], "result": null}));

    let rel = "records/requests/2026/TLP-2026-0004.md";
    let doc = uri(&tmp.path().join(rel));
    let text = std::fs::read_to_string(tmp.path().join(rel)).unwrap();
    let params = json!({"textDocument": {"uri": doc, "languageId": "markdown", "version": 1, "text": text}});
    client.notify("textDocument/didOpen", params);
    assert_eq!(client.diagnostics(&doc), Vec::<Value>::new());

    // The assignee's file is deleted by a pull: the open request names no one now.
    let person = tmp.path().join("records/org/people/mert.dogan.yaml");
    std::fs::remove_file(&person).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&person), "type": 3}]}));
    assert!(codes(&client.diagnostics(&doc)).contains(&"dangling-ref"));

    // defter.toml turns the rule off: the repository is loaded again with it.
    let config = tmp.path().join("defter.toml");
    let text =
        std::fs::read_to_string(&config).unwrap().replacen("[rules]\n", "[rules]\n\"dangling-ref\" = \"off\"\n", 1);
    std::fs::write(&config, text).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&config), "type": 2}]}));
    let found = client.diagnostics(&doc);
    assert!(!codes(&found).contains(&"dangling-ref"), "{found:#?}");
}

//! `defter notify` against a real SMTP server on the loopback address (aiosmtpd, run by
//! `tests/smtp/sink.py`): who receives what, the subject and names as RFC 2047 encoded
//! words, both MIME parts with their links, nothing sent twice, and what happens when the
//! server refuses an address, is down, is silent or says "try later"; the same server
//! speaking STARTTLS and implicit TLS with a certificate of a throw-away CA (the openssl
//! command makes it), trusted through `[notify] ca_file` or refused without it. And the
//! dry run on the example repository.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

use super::harness::{AS_OF, GitRepo, copy_tree, stderr};

/// Debian's python3 has python3-aiosmtpd; a python3 of pyenv's earlier on PATH may not.
fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" }
}

/// The SMTP server of `tests/smtp/sink.py`, writing what it receives into a folder;
/// ended on drop.
struct Sink {
    child: Child,
    port: u16,
    out: tempfile::TempDir,
}

impl Sink {
    fn start(args: &[&str]) -> Sink {
        let out = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/sink.py");
        let mut child = Command::new(python())
            .arg("-u")
            .arg(&script)
            .arg(out.path())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the test needs python3 with aiosmtpd (Debian: `apt-get install -y python3-aiosmtpd`)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().strip_prefix("PORT ").and_then(|p| p.parse().ok());
        let port =
            port.unwrap_or_else(|| panic!("the SMTP sink did not start (python3 -m aiosmtpd missing?): {line:?}"));
        Sink { child, port, out }
    }

    /// Every message received so far, in the order received.
    fn messages(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files.iter().map(|f| serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap()).collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A throw-away certificate authority and a certificate it signed for the loopback
/// address (`127.0.0.1`, `localhost`), made with the openssl command; gone with the test.
struct TestCa {
    dir: tempfile::TempDir,
}

impl TestCa {
    fn new() -> TestCa {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        // Configuration files of their own, so that no openssl.cnf of the machine adds to
        // or changes the certificates.
        write(
            "ca.cnf",
            "[req]\ndistinguished_name = dn\nx509_extensions = ca\nprompt = no\n[dn]\nCN = defter test CA\n\
             [ca]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n\
             subjectKeyIdentifier = hash\n",
        );
        write(
            "server.cnf",
            "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = 127.0.0.1\n\
             [server]\nsubjectAltName = IP:127.0.0.1,DNS:localhost\nbasicConstraints = critical,CA:FALSE\n\
             keyUsage = critical,digitalSignature\nextendedKeyUsage = serverAuth\nauthorityKeyIdentifier = keyid\n",
        );
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        let ca = ["req", "-x509", "-config", "ca.cnf", "-days", "2", "-keyout", "ca.key", "-out", "ca.pem"];
        openssl(dir.path(), &[&ca[..], &key[..]].concat());
        let request = ["req", "-new", "-config", "server.cnf", "-keyout", "server.key", "-out", "server.csr"];
        openssl(dir.path(), &[&request[..], &key[..]].concat());
        openssl(
            dir.path(),
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-set_serial",
                "2",
                "-days",
                "2",
                "-extfile",
                "server.cnf",
                "-extensions",
                "server",
                "-out",
                "server.pem",
            ],
        );
        TestCa { dir }
    }

    /// The CA's certificate, the PEM file `[notify] ca_file` names.
    fn pem(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// The sink's arguments for a server speaking TLS (`starttls`, `implicit`) with the
    /// certificate this CA signed.
    fn server(&self, mode: &str) -> Vec<String> {
        let file = |name: &str| self.dir.path().join(name).to_string_lossy().into_owned();
        vec!["--tls".into(), mode.into(), "--cert".into(), file("server.pem"), "--key".into(), file("server.key")]
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the test needs the openssl command (Debian: `apt-get install -y openssl`)");
    assert!(output.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

/// A port nothing listens on (bound by the system, then let go).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

const PERSON_WITHOUT_ADDRESS: &str = "\
id: irem.celik
name: İrem Çelik
title: Yazılım Geliştirici
unit: yazilim-gelistirme-servisi
roles: [staff]
git_emails: [irem.celik@izmir.bel.tr]
active: true
";

/// An open request of `service` assigned to `assignee` by `chief`, due on `due`.
fn request(n: u32, (assignee, service, chief): (&str, &str, &str), due: &str) -> (String, String) {
    let id = format!("TLP-2026-{n:04}");
    let text = format!(
        "---
id: {id}
title: Ruhsat ekranında değişiklik {n}
type: change
source: intranet
unit: zabita-dairesi
requester: mehmet.demir
received: 2026-11-02
priority: normal
service: {service}
assignee: {assignee}
due: {due}
system: app-bbys-zabita
status: in_progress
history:
  - {{ date: 2026-11-02, by: {chief}, status: new }}
  - {{ date: 2026-11-03, by: {chief}, status: assigned }}
  - {{ date: 2026-11-04, by: {assignee}, status: in_progress }}
---
Ruhsat ekranında küçük bir değişiklik.
"
    );
    (format!("records/requests/2026/{id}.md"), text)
}

fn config(port: u16, extra: &str) -> String {
    format!(
        "[site]
title = \"Yazılım Şube Müdürlüğü\"
language = \"tr\"
base_url = \"https://defter.example/yazilim/\"

[notify]
server = \"127.0.0.1\"
port = {port}
tls = \"none\"
sender = \"Yazılım Şube Müdürlüğü <defter@izmir.bel.tr>\"
timeout_seconds = 2
attempts = 2
{extra}"
    )
}

/// [`config`] with the connection protected by `tls` (`starttls` or `tls`).
fn tls_config(port: u16, tls: &str, extra: &str) -> String {
    config(port, extra).replace("tls = \"none\"", &format!("tls = \"{tls}\""))
}

/// A repository in git where Elif Kara has a request due in two days, Oğuz Koç one ten
/// days overdue, and İrem Çelik (no e-mail address) one overdue too.
fn repository(port: u16) -> GitRepo {
    let mut repo = GitRepo::new();
    repo.write("defter.toml", &config(port, ""));
    repo.write("records/org/people/irem.celik.yaml", PERSON_WITHOUT_ADDRESS);
    for (path, text) in [
        request(2, ELIF_WORK, "2026-12-02"),
        request(3, ("oguz.koc", "yazilim-destek-servisi", "ayse.yilmaz"), "2026-11-20"),
        request(4, ("irem.celik", "yazilim-gelistirme-servisi", "burak.yildiz"), "2026-11-25"),
    ] {
        repo.write(&path, &text);
    }
    repo.commit_as("burak.yildiz", "Talepler");
    repo
}

fn notify(repo: &GitRepo, args: &[&str]) -> Output {
    let mut all = vec!["notify", "--as-of", AS_OF];
    all.extend_from_slice(args);
    repo.defter(&all)
}

fn to_of(message: &Value) -> String {
    message["rcpt_tos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn received_by(sink: &Sink) -> Vec<String> {
    let mut to: Vec<String> = sink.messages().iter().map(to_of).collect();
    to.sort();
    to
}

fn message_to<'a>(messages: &'a [Value], address: &str) -> &'a Value {
    messages.iter().find(|m| to_of(m) == address).unwrap_or_else(|| panic!("nothing was sent to {address}"))
}

/// A MIME part's text, decoded, with its lines ended as in defter's text (SMTP sends CRLF).
fn part(message: &Value, content_type: &str) -> String {
    let parts = message["parts"].as_array().unwrap();
    let part = parts.iter().find(|p| p["content_type"] == content_type);
    let part = part.unwrap_or_else(|| panic!("no {content_type} part in {parts:?}"));
    assert_eq!(part["charset"], "utf-8", "{part:?}");
    part["text"].as_str().unwrap().replace("\r\n", "\n")
}

const ELIF: &str = "elif.kara@izmir.bel.tr";
const ELIF_WORK: (&str, &str, &str) = ("elif.kara", "yazilim-gelistirme-servisi", "burak.yildiz");
const OGUZ: &str = "oguz.koc@izmir.bel.tr";

#[test]
fn notify_sends_one_digest_per_person_and_nothing_twice() {
    let sink = Sink::start(&[]);
    let mut repo = repository(sink.port);
    let first = notify(&repo, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let messages = sink.messages();
    let to = received_by(&sink);
    assert!(to.contains(&ELIF.to_string()) && to.contains(&OGUZ.to_string()), "{to:?}");
    assert_eq!(to.iter().filter(|t| *t == ELIF).count(), 1, "one digest per person: {to:?}");
    assert!(!to.iter().any(|t| t.contains("irem")), "{to:?}");
    // The person without an address is skipped and named.
    assert!(stderr(&first).contains("İrem Çelik (irem.celik) atlandı: e-posta adresi yok"), "{}", stderr(&first));

    let oguz = message_to(&messages, OGUZ);
    assert_eq!(oguz["mail_from"], "defter@izmir.bel.tr");
    // Non-ASCII headers travel as RFC 2047 encoded words and read back as written.
    let raw = &oguz["raw_headers"];
    for header in ["Subject", "To", "From"] {
        let value = raw[header].as_str().unwrap();
        assert!(value.to_ascii_lowercase().contains("=?utf-8?"), "{header} is not encoded: {value}");
        assert!(value.is_ascii(), "{header} carries raw non-ASCII: {value}");
    }
    assert_eq!(oguz["headers"]["Subject"], "Yazılım Şube Müdürlüğü: sizi bekleyen 1 iş (30.11.2026)");
    assert_eq!(oguz["headers"]["To"], "Oğuz Koç <oguz.koc@izmir.bel.tr>");
    assert_eq!(oguz["headers"]["From"], "Yazılım Şube Müdürlüğü <defter@izmir.bel.tr>");
    assert_eq!(oguz["content_type"], "multipart/alternative");
    let (text, html) = (part(oguz, "text/plain"), part(oguz, "text/html"));
    let link = "https://defter.example/yazilim/requests/TLP-2026-0003.html";
    assert!(text.starts_with("Sayın Oğuz Koç,"), "{text}");
    assert!(text.contains("Son tarihi geçen ya da yaklaşan işler"), "{text}");
    assert!(
        text.contains(
            "[yeni] TLP-2026-0003 — Ruhsat ekranında değişiklik 3: talep: son tarih 20.11.2026 (10 gün geçti)"
        ),
        "{text}"
    );
    assert!(text.contains(&format!("    {link}\n")), "{text}");
    assert!(html.contains(&format!("<a href=\"{link}\">TLP-2026-0003 — Ruhsat ekranında değişiklik 3</a>")), "{html}");
    assert!(html.contains("<p>Sayın Oğuz Koç,</p>") && html.contains("<html lang=\"tr\">"), "{html}");
    assert!(!text.contains("TLP-2026-0002"), "Elif's request is not Oğuz's: {text}");
    let elif = part(message_to(&messages, ELIF), "text/plain");
    assert!(elif.contains("TLP-2026-0002") && elif.contains("son tarih 02.12.2026 (2 gün kaldı)"), "{elif}");

    // What was sent is kept where the scheduled workflow caches it (workflows.rs).
    assert!(repo.path().join(".git/defter/notify.json").is_file());
    // The same day again: nothing new, nothing sent.
    let again = notify(&repo, &[]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(sink.messages().len(), messages.len(), "a rerun sent again");
    assert!(stderr(&again).contains("0 ileti gönderildi"), "{}", stderr(&again));
    // The next day neither: told yesterday, and the reminder comes after a week.
    let next_day = repo.defter(&["notify", "--as-of", "2026-12-01"]);
    assert_eq!(next_day.status.code(), Some(0), "{}", stderr(&next_day));
    assert_eq!(sink.messages().len(), messages.len(), "the next day sent again");

    assert!(!elif.contains("bulgular"), "{elif}");

    // Something new for Elif only — an overdue request, assigned by someone who may not
    // (a finding in her record) —: only Elif hears, and her digest marks what is new.
    let (path, text) = request(5, ("elif.kara", "yazilim-gelistirme-servisi", "hakan.celik"), "2026-11-28");
    repo.write(&path, &text);
    repo.commit_as("burak.yildiz", "Yeni talep");
    let news = notify(&repo, &[]);
    assert_eq!(news.status.code(), Some(0), "{}", stderr(&news));
    let all = sink.messages();
    assert_eq!(all.len(), messages.len() + 1, "{:?}", received_by(&sink));
    let last = all.last().unwrap();
    assert_eq!(to_of(last), ELIF);
    let text = part(last, "text/plain");
    assert!(text.contains("[yeni] TLP-2026-0005") && text.contains("  * TLP-2026-0002"), "{text}");
    assert!(text.contains("Sorumlu olduğunuz kayıtlardaki bulgular"), "{text}");
    assert!(
        text.contains("[yeni] TLP-2026-0005 — Ruhsat ekranında değişiklik 5: hata (unauthorized-actor): `hakan.celik`"),
        "{text}"
    );

    // A week on, what still waits is told again.
    let week = repo.defter(&["notify", "--as-of", "2026-12-07"]);
    assert_eq!(week.status.code(), Some(0), "{}", stderr(&week));
    assert!(sink.messages().len() > all.len(), "no reminder after a week");
}

#[test]
fn a_refused_address_is_not_marked_as_sent_and_others_stay_marked() {
    let sink = Sink::start(&["--refuse", OGUZ]);
    let repo = repository(sink.port);
    let output = notify(&repo, &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("Oğuz Koç <oguz.koc@izmir.bel.tr> adresine 1 denemede gönderilemedi: sunucu kabul etmedi"),
        "{err}"
    );
    assert!(err.contains("550"), "the server's answer is shown: {err}");
    assert!(err.contains("1 ileti gönderilemedi ve gönderilmiş sayılmadı"), "{err}");
    assert!(received_by(&sink).contains(&ELIF.to_string()));
    assert!(!received_by(&sink).contains(&OGUZ.to_string()));
    drop(sink);

    // The server takes it now: Oğuz gets his, Elif (already told) nothing.
    let sink = Sink::start(&[]);
    repo.repo.write("defter.toml", &config(sink.port, ""));
    let output = notify(&repo, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(received_by(&sink), vec![OGUZ.to_string()]);
}

#[test]
fn a_server_that_is_down_is_tried_again_then_reported_and_nothing_is_marked() {
    let port = closed_port();
    let repo = repository(port);
    let output = notify(&repo, &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("2 denemede gönderilemedi: e-posta sunucusuna ulaşılamıyor"), "{err}");
    assert!(err.contains("gönderilmiş sayılmadı"), "{err}");
    // Up again: everyone is sent their digest, as nothing was marked.
    let sink = Sink::start(&[]);
    everyone_is_sent_theirs(&repo, &sink, &config(sink.port, ""));
}

/// With `toml` as the configuration, notify succeeds and `sink` has Elif's and Oğuz's
/// digests; every message it has.
fn everyone_is_sent_theirs(repo: &GitRepo, sink: &Sink, toml: &str) -> Vec<Value> {
    repo.repo.write("defter.toml", toml);
    let output = notify(repo, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let to = received_by(sink);
    assert!(to.contains(&ELIF.to_string()) && to.contains(&OGUZ.to_string()), "{to:?}");
    sink.messages()
}

#[test]
fn a_silent_server_times_out() {
    // Takes the connection and never greets.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let held = std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in listener.incoming().take(8) {
            open.push(stream);
        }
    });
    let repo = repository(port);
    let output = notify(&repo, &["--to", "oguz.koc"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("Oğuz Koç <oguz.koc@izmir.bel.tr> adresine 2 denemede gönderilemedi"), "{err}");
    assert!(err.contains("sunucu zamanında yanıt vermedi"), "{err}");
    drop(held);
}

#[test]
fn a_transient_refusal_is_tried_again_and_delivered() {
    let sink = Sink::start(&["--flaky", ELIF]);
    let repo = repository(sink.port);
    let output = notify(&repo, &["--to", "elif.kara"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(received_by(&sink), vec![ELIF.to_string()], "--to sends to that person only");
}

#[test]
fn bad_settings_stop_before_anything_is_sent() {
    let sink = Sink::start(&[]);
    let repo = repository(sink.port);
    let cases: [(&str, &str); 5] = [
        (
            "[site]\nlanguage = \"tr\"\nbase_url = \"https://defter.example/\"\n[notify]\nsender = \"defter@izmir.bel.tr\"\n",
            "e-posta sunucusu belirtmiyor",
        ),
        (&config(sink.port, "user = \"defter\"\n"), "DEFTER_SMTP_PASSWORD"),
        (&config(sink.port, "").replace("https://defter.example/yazilim/", "/"), "base_url"),
        (&tls_config(sink.port, "starttls", "ca_file = \"yok/kurum.pem\"\n"), "ca_file` "),
        (&tls_config(sink.port, "tls", "ca_file = \"defter.toml\"\n"), "bir PEM sertifika dosyası değil"),
    ];
    for (toml, said) in cases {
        repo.repo.write("defter.toml", toml);
        let output = notify(&repo, &[]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(stderr(&output).contains(said), "{said}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("hiçbir şey gönderilmedi")
                || said == "DEFTER_SMTP_PASSWORD"
                || said.contains("sunucu")
        );
    }
    assert_eq!(sink.messages().len(), 0);
    repo.repo.write("defter.toml", &config(sink.port, ""));
    let output = notify(&repo, &["--to", "elif.kra"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`elif.kara` mi demek istediniz?"), "{}", stderr(&output));
    assert_eq!(sink.messages().len(), 0);
}

/// The example repository (the project's own `records/`), copied out of git so that no
/// state of an earlier run counts.
fn example() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for part in ["records", "schemas"] {
        copy_tree(&root.join(part), &dir.path().join(part));
    }
    std::fs::copy(root.join("defter.toml"), dir.path().join("defter.toml")).unwrap();
    dir
}

#[test]
fn dry_run_on_the_example_lists_the_right_digests() {
    let dir = example();
    let run = || super::harness::defter(dir.path(), &["notify", "--dry-run", "--as-of", AS_OF]);
    let output = run();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = String::from_utf8(output.stdout.clone()).unwrap();
    let digests: Vec<&str> = out.split("=".repeat(72).as_str()).filter(|d| !d.trim().is_empty()).collect();
    let to: Vec<&str> = digests.iter().filter_map(|d| d.lines().find_map(|l| l.strip_prefix("Kime: "))).collect();
    assert_eq!(
        to,
        [
            "Ayşe Yılmaz <ayse.yilmaz@izmir.bel.tr>",
            "Burak Yıldız <burak.yildiz@izmir.bel.tr>",
            "Elif Kara <elif.kara@izmir.bel.tr>",
            "Hakan Çelik <hakan.celik@izmir.bel.tr>",
            "İrem Çelik <irem.celik@izmir.bel.tr>",
            "Kemal Aslan <kemal.aslan@izmir.bel.tr>",
            "Özge Taş <ozge.tas@izmir.bel.tr>",
            "Selin Aydın <selin.aydin@izmir.bel.tr>",
            "Serkan Polat <serkan.polat@izmir.bel.tr>",
        ]
    );
    let of = |name: &str| *digests.iter().find(|d| d.contains(&format!("Sayın {name},"))).unwrap();
    // The open access review's undecided items, for their reviewers: Selin Aydın has one
    // repository access left, Ayşe Yılmaz the grant; Kemal Aslan, who holds it, nothing.
    let waiting = "EGK-2026-0002 — İntranet erişim gözden geçirmesi (2026 ikinci dönem): bu erişim gözden geçirmesinde 1 kalem kararınızı bekliyor";
    for reviewer in ["Selin Aydın", "Ayşe Yılmaz"] {
        assert!(of(reviewer).contains(waiting), "{}", of(reviewer));
        assert!(of(reviewer).contains("/registers/campaign/EGK-2026-0002.html"), "{}", of(reviewer));
    }
    assert!(!of("Kemal Aslan").contains("EGK-2026-0002"), "{}", of("Kemal Aslan"));
    // Requests and security holes near their due date, for their assignees.
    let elif = of("Elif Kara");
    assert!(elif.contains("Konu: Yazılım Şube Müdürlüğü: sizi bekleyen 2 iş (30.11.2026)"), "{elif}");
    assert!(elif.contains("ACK-2026-0002 — Zabıta uygulamasının rapor ekranında SQL enjeksiyonu: güvenlik açığı: son tarih 05.12.2026 (5 gün kaldı)"), "{elif}");
    assert!(
        elif.contains(
            "TLP-2026-0020 — Kiosklarda etkinlik listesi boş görünüyor: talep: son tarih 05.12.2026 (5 gün kaldı)"
        ),
        "{elif}"
    );
    // Tests: a request waiting for its service chief, a project for the owner unit's official.
    assert!(of("Burak Yıldız").contains("TLP-2026-0018") && of("Burak Yıldız").contains("test bekliyor"));
    assert!(of("Kemal Aslan").contains("PRJ-0003") && of("Kemal Aslan").contains("birim adına testi onaylayan"));
    // Reviews coming due, for who answers for the record.
    let selin = of("Selin Aydın");
    assert!(selin.contains("Zamanı gelen gözden geçirmeler ve testler"), "{selin}");
    assert!(selin.contains("repo-ik-portal — İK portalı: depo erişim gözden geçirmesi: 12.12.2026 tarihinde yapılmalı (12 gün kaldı, M11(1)(c))"), "{selin}");
    assert!(of("Ayşe Yılmaz").contains("YTK-2025-0009"), "{}", of("Ayşe Yılmaz"));
    // The example's base_url is "/": the links are the site's own pages under it.
    assert!(elif.contains("    /requests/TLP-2026-0020.html\n"), "{elif}");
    assert!(stderr(&output).contains("9 ileti gönderilecekti"), "{}", stderr(&output));
    // The same commit and date print the same bytes; a dry run remembers nothing.
    assert_eq!(run().stdout, output.stdout);
    assert!(!dir.path().join(".git").exists());

    // --to and --lang.
    let one = super::harness::defter(
        dir.path(),
        &["--lang", "en", "notify", "--dry-run", "--to", "kemal.aslan", "--as-of", AS_OF],
    );
    let one_out = String::from_utf8(one.stdout).unwrap();
    assert!(one_out.contains("To: Kemal Aslan <kemal.aslan@izmir.bel.tr>"), "{one_out}");
    assert!(one_out.contains("Subject: Yazılım Şube Müdürlüğü: 1 thing waiting for you (30.11.2026)"), "{one_out}");
    assert_eq!(one_out.matches("To: ").count(), 1, "{one_out}");
}

#[test]
fn a_malformed_address_is_named_and_an_unassigned_request_goes_to_its_chief() {
    let sink = Sink::start(&[]);
    let mut repo = repository(sink.port);
    repo.edit("records/org/people/elif.kara.yaml", "email: elif.kara@izmir.bel.tr", "email: elif.kara(at)izmir.bel.tr");
    // A request nobody has taken yet, past its due date: its service's chief hears of it.
    let (path, text) = request(6, ELIF_WORK, "2026-11-27");
    let history = |l: &&str| !l.contains("status: assigned }") && !l.contains("status: in_progress }");
    let text = text.lines().filter(history).collect::<Vec<_>>().join("\n") + "\n";
    let text = text.replace("assignee: elif.kara\n", "").replace("status: in_progress", "status: new");
    repo.write(&path, &text);
    repo.commit_as("burak.yildiz", "Adres ve yeni talep");
    let output = notify(&repo, &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("Elif Kara <elif.kara(at)izmir.bel.tr> adresine gönderilemedi: `elif.kara(at)izmir.bel.tr` bir e-posta adresi değil"),
        "{err}"
    );
    let messages = sink.messages();
    assert!(received_by(&sink).contains(&OGUZ.to_string()), "the others still go out");
    let burak = part(message_to(&messages, "burak.yildiz@izmir.bel.tr"), "text/plain");
    assert!(
        burak.contains(
            "[yeni] TLP-2026-0006 — Ruhsat ekranında değişiklik 6: talep: son tarih 27.11.2026 (3 gün geçti)"
        ),
        "{burak}"
    );
}

/// The sink's arguments as `Sink::start` takes them.
fn args(owned: &[String]) -> Vec<&str> {
    owned.iter().map(String::as_str).collect()
}

#[test]
fn digests_go_through_starttls_and_implicit_tls_and_arrive_intact() {
    let ca = TestCa::new();
    for (mode, tls) in [("starttls", "starttls"), ("implicit", "tls")] {
        let sink = Sink::start(&args(&ca.server(mode)));
        let mut repo = repository(sink.port);
        // The CA by an absolute path (a file of the runner's), or kept in the repository.
        let ca_file = if mode == "starttls" {
            ca.pem().to_string_lossy().into_owned()
        } else {
            repo.write("ca/kurum.pem", &std::fs::read_to_string(ca.pem()).unwrap());
            "ca/kurum.pem".to_string()
        };
        let toml = tls_config(sink.port, tls, &format!("ca_file = \"{ca_file}\"\n"));
        let messages = everyone_is_sent_theirs(&repo, &sink, &toml);
        for message in &messages {
            let version = message["tls"].as_str().unwrap_or_default();
            assert!(version.starts_with("TLSv1."), "{mode}: not over TLS: {:?}", message["tls"]);
        }
        let oguz = message_to(&messages, OGUZ);
        assert_eq!(oguz["headers"]["Subject"], "Yazılım Şube Müdürlüğü: sizi bekleyen 1 iş (30.11.2026)", "{mode}");
        assert_eq!(oguz["headers"]["To"], "Oğuz Koç <oguz.koc@izmir.bel.tr>", "{mode}");
        let (text, html) = (part(oguz, "text/plain"), part(oguz, "text/html"));
        assert!(
            text.starts_with("Sayın Oğuz Koç,")
                && text.contains(
                    "[yeni] TLP-2026-0003 — Ruhsat ekranında değişiklik 3: talep: son tarih 20.11.2026 (10 gün geçti)"
                ),
            "{mode}: {text}"
        );
        let link = "<a href=\"https://defter.example/yazilim/requests/TLP-2026-0003.html\">";
        assert!(html.contains(link), "{mode}: {html}");
        // Remembered as sent like any other: a rerun sends nothing.
        let again = notify(&repo, &[]);
        assert_eq!(again.status.code(), Some(0), "{mode}: {}", stderr(&again));
        assert_eq!(sink.messages().len(), messages.len(), "{mode}: sent twice");
    }
}

#[test]
fn a_server_whose_certificate_is_not_trusted_gets_nothing_and_nothing_is_marked() {
    let ca = TestCa::new();
    for (mode, tls) in [("starttls", "starttls"), ("implicit", "tls")] {
        let sink = Sink::start(&args(&ca.server(mode)));
        let repo = repository(sink.port);
        // No ca_file: the system's authorities only, which never signed this certificate.
        repo.repo.write("defter.toml", &tls_config(sink.port, tls, ""));
        let err = refused_at_once(&repo, &sink, &[], "e-posta sunucusunun sertifikasına güvenilmiyor");
        assert!(err.contains("UnknownIssuer") && err.contains("`[notify] ca_file`"), "{mode}: {err}");
        assert!(err.contains("gönderilemedi ve gönderilmiş sayılmadı"), "{mode}: {err}");
        if mode == "starttls" {
            let english = repo.defter(&["--lang", "en", "notify", "--as-of", AS_OF, "--to", "oguz.koc"]);
            let err = stderr(&english);
            assert!(err.contains("not sent to Oğuz Koç <oguz.koc@izmir.bel.tr> after 1 try: the mail server's certificate is not trusted (invalid peer certificate: UnknownIssuer)"), "{err}");
        }
        // Trusted now: everyone gets what waited, as nothing was marked.
        let ca_file = format!("ca_file = \"{}\"\n", ca.pem().display());
        everyone_is_sent_theirs(&repo, &sink, &tls_config(sink.port, tls, &ca_file));
    }
}

#[test]
fn a_plain_connection_to_a_server_that_requires_starttls_fails_clearly() {
    let ca = TestCa::new();
    let sink = Sink::start(&args(&ca.server("starttls")));
    // `tls = "none"`: the server greets and takes EHLO, then refuses the mail (530).
    let repo = repository(sink.port);
    let why = "sunucu iletiyi yalnız şifreli bağlantıyla kabul ediyor";
    let err = refused_at_once(&repo, &sink, &["--to", "oguz.koc"], why);
    assert!(err.contains("530") && err.contains("`tls = \"starttls\"`"), "{err}");
}

/// Runs notify (`args`), which must give up on Oğuz's digest at the first try for `why`,
/// with nothing received by `sink` and nothing remembered as sent; what it said.
fn refused_at_once(repo: &GitRepo, sink: &Sink, args: &[&str], why: &str) -> String {
    let output = notify(repo, args);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    let told = format!("Oğuz Koç <oguz.koc@izmir.bel.tr> adresine 1 denemede gönderilemedi: {why}");
    assert!(err.contains(&told), "tried once, and told why: {err}");
    assert!(sink.messages().is_empty(), "{err}");
    assert!(!repo.path().join(".git/defter/notify.json").exists(), "nothing marked as sent");
    err
}

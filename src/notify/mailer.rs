//! Sending digests over SMTP with lettre: the connection `[notify]` describes (STARTTLS,
//! TLS or plain; the system's certificate authorities and those of `ca_file`; a login
//! when a user is named, its password from the environment), one message per digest with
//! a plain-text and an HTML part, and a bounded number of tries when the server is down,
//! times out or says "try later" — none more when the answer could not change (an
//! address refused for good, a certificate not trusted, a server that wants TLS).

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{SmtpTransport, Transport};

use super::Digest;
use crate::config::{Notify, TlsMode};
use crate::diag::{Message, msg};

/// An open way to the mail server.
pub(crate) struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
    attempts: u32,
    /// The pause before the second try; doubled before each further one.
    pause: Duration,
    /// Whether the connection is plain (`tls = "none"`), for the advice when the server
    /// wants it encrypted.
    plain: bool,
}

/// A digest that could not be sent, and why.
#[derive(Debug)]
pub(crate) struct Failure {
    pub reason: Message,
    /// How many times it was tried.
    pub tries: u32,
}

impl Mailer {
    /// The mailer `[notify]` describes, with `password` (from the environment) when it
    /// names a user; `ca_file` is found from `root`, the repository. A missing server or
    /// sender, a sender that is not an address, or a `ca_file` that is not a PEM file of
    /// certificates, is an error before anything is sent.
    pub(crate) fn new(config: &Notify, root: &Path, password: Option<String>) -> Result<Mailer> {
        let var = Notify::PASSWORD_VAR;
        if config.server.is_empty() {
            bail!(msg!(
                "defter.toml names no mail server: set `server` (and `sender`) under [notify], or use --dry-run to see the digests",
                "defter.toml bir e-posta sunucusu belirtmiyor: [notify] altında `server` (ve `sender`) yazın ya da iletileri görmek için --dry-run kullanın"
            ));
        }
        let sender = &config.sender;
        let from: Mailbox = match sender.parse() {
            Ok(from) => from,
            Err(e) => bail!(msg!(
                "[notify] sender `{sender}` is not an e-mail address ({e}); write it as `defter@example.org` or `Name <defter@example.org>`",
                "[notify] sender `{sender}` bir e-posta adresi değil ({e}); `defter@ornek.bel.tr` ya da `Ad <defter@ornek.bel.tr>` biçiminde yazın"
            )),
        };
        let server = config.server.clone();
        let tls = match config.tls {
            TlsMode::None => Tls::None,
            TlsMode::Starttls => Tls::Required(tls_parameters(config, root)?),
            TlsMode::Tls => Tls::Wrapper(tls_parameters(config, root)?),
        };
        let mut builder = SmtpTransport::builder_dangerous(server)
            .port(config.port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(u64::from(config.timeout_seconds.max(1)))));
        if !config.user.is_empty() {
            let Some(password) = password.filter(|p| !p.is_empty()) else {
                let user = &config.user;
                bail!(msg!(
                    "[notify] logs in as `{user}` but the environment variable {var} holding the password is not set (keep it in the CI's secrets, never in defter.toml)",
                    "[notify] `{user}` olarak oturum açıyor ama parolayı taşıyan {var} ortam değişkeni tanımlı değil (parolayı CI'ın gizli değişkenlerinde tutun, asla defter.toml'da değil)"
                ));
            };
            builder = builder.credentials(Credentials::new(config.user.clone(), password));
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
            attempts: config.attempts.max(1),
            pause: Duration::from_secs(1),
            plain: config.tls == TlsMode::None,
        })
    }

    /// The e-mail of `digest`: From the sender, To the person, the subject, and the text
    /// and HTML bodies as alternatives (lettre encodes non-ASCII headers as RFC 2047
    /// encoded words and the bodies as needed).
    fn message(&self, digest: &Digest) -> Result<lettre::Message, Failure> {
        let address = &digest.address;
        let to = address.parse().map(|a| Mailbox::new(Some(digest.name.clone()), a)).map_err(|e| Failure {
            reason: msg!(
                "`{address}` is not an e-mail address ({e}); correct `email` in the person's record",
                "`{address}` bir e-posta adresi değil ({e}); kişinin kaydındaki `email` alanını düzeltin"
            ),
            tries: 0,
        })?;
        lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(digest.subject.clone())
            .multipart(MultiPart::alternative_plain_html(digest.text.clone(), digest.html.clone()))
            .map_err(|e| Failure {
                reason: msg!("the message cannot be made: {e}", "ileti oluşturulamadı: {e}"),
                tries: 0,
            })
    }

    /// Sends `digest`, trying again (after 1 s, 2 s, 4 s…) while the server cannot be
    /// reached, times out or answers with a transient (4xx) refusal, up to `[notify]
    /// attempts` tries. A permanent (5xx) refusal — an address the server will not take,
    /// a plain connection to a server that wants STARTTLS — and a certificate defter
    /// does not trust are not tried again: the answer would be the same. Returns the
    /// tries it took.
    pub(crate) fn send(&self, digest: &Digest) -> Result<u32, Failure> {
        let email = self.message(digest)?;
        let mut pause = self.pause;
        let mut tries = 0;
        loop {
            tries += 1;
            let error = match self.transport.send(&email) {
                Ok(_) => return Ok(tries),
                Err(error) => error,
            };
            let server = error.to_string();
            if let Some(why) = untrusted_certificate(&error) {
                return Err(Failure {
                    reason: msg!(
                        "the mail server's certificate is not trusted ({why}): defter trusts the system's certificate authorities and those of `[notify] ca_file`; if the server's certificate is from the directorate's own CA, name that CA's PEM file there",
                        "e-posta sunucusunun sertifikasına güvenilmiyor ({why}): defter sistemin sertifika otoritelerine ve `[notify] ca_file` ile verilenlere güvenir; sunucunun sertifikası kurumun kendi sertifika otoritesinden (CA) geliyorsa o CA'nın PEM dosyasını orada belirtin"
                    ),
                    tries,
                });
            }
            if self.plain && error.is_permanent() && server.to_ascii_lowercase().contains("starttls") {
                return Err(Failure {
                    reason: msg!(
                        "the server takes mail only over an encrypted connection ({server}): set `tls = \"starttls\"` (port 587) or `tls = \"tls\"` (port 465) under [notify]",
                        "sunucu iletiyi yalnız şifreli bağlantıyla kabul ediyor ({server}): [notify] altında `tls = \"starttls\"` (587 numaralı port) ya da `tls = \"tls\"` (465 numaralı port) yazın"
                    ),
                    tries,
                });
            }
            if error.is_permanent() {
                return Err(Failure {
                    reason: msg!("the server refused it: {server}", "sunucu kabul etmedi: {server}"),
                    tries,
                });
            }
            if tries >= self.attempts {
                let reason = if timed_out(&error) {
                    msg!("the server did not answer in time: {server}", "sunucu zamanında yanıt vermedi: {server}")
                } else if error.is_transient() {
                    msg!("the server said to try later: {server}", "sunucu daha sonra denenmesini istedi: {server}")
                } else {
                    msg!("cannot reach the mail server: {server}", "e-posta sunucusuna ulaşılamıyor: {server}")
                };
                return Err(Failure { reason, tries });
            }
            std::thread::sleep(pause);
            pause *= 2;
        }
    }
}

/// Whether the server let a read or write wait past the timeout: lettre's own timeout,
/// or the socket's (`WouldBlock` on Unix, `TimedOut` on Windows).
fn timed_out(error: &lettre::transport::smtp::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return matches!(io.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut);
        }
        source = e.source();
    }
    error.is_timeout()
}

/// Why the TLS handshake refused the server's certificate, if that is what `error` is:
/// rustls's own error, carried inside the I/O error of the read or write that made the
/// handshake (`io::Error::source` skips it, so each I/O error is opened).
fn untrusted_certificate(error: &lettre::transport::smtp::Error) -> Option<String> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        let inner = e.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref());
        let found = inner.and_then(|i| i.downcast_ref::<rustls::Error>()).or_else(|| e.downcast_ref());
        if let Some(why @ rustls::Error::InvalidCertificate(_)) = found {
            return Some(why.to_string());
        }
        source = e.source();
    }
    None
}

/// The TLS settings for `[notify]`'s server: the system's certificate authorities, and
/// those of `ca_file` (all the certificates of a PEM file) besides.
fn tls_parameters(config: &Notify, root: &Path) -> Result<TlsParameters> {
    let server = &config.server;
    let mut builder = TlsParameters::builder(server.clone());
    if !config.ca_file.is_empty() {
        // An absolute path stays as it is.
        let path = root.join(&config.ca_file);
        let shown = path.display();
        let pem = std::fs::read(&path).with_context(|| {
            msg!(
                "cannot read `[notify] ca_file` {shown}; nothing was sent",
                "`[notify] ca_file` {shown} okunamıyor; hiçbir şey gönderilmedi"
            )
        })?;
        // A file with no certificate would be read as none, and trust nothing more.
        let certificate = if pem.windows(CERTIFICATE.len()).any(|w| w == CERTIFICATE) {
            Certificate::from_pem(&pem).ok()
        } else {
            None
        };
        let Some(certificate) = certificate else {
            bail!(msg!(
                "`[notify] ca_file` {shown} is not a PEM file of certificates (`-----BEGIN CERTIFICATE-----` …); nothing was sent",
                "`[notify] ca_file` {shown} bir PEM sertifika dosyası değil (`-----BEGIN CERTIFICATE-----` …); hiçbir şey gönderilmedi"
            ));
        };
        builder = builder.add_root_certificate(certificate);
    }
    builder.build().map_err(|e| {
        anyhow::anyhow!(msg!("cannot set up TLS for {server}: {e}", "{server} için TLS hazırlanamadı: {e}"))
    })
}

/// What opens a certificate in a PEM file.
const CERTIFICATE: &[u8] = b"-----BEGIN CERTIFICATE-----";

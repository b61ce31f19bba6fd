//! Sending digests over SMTP with lettre: the connection `[notify]` describes (STARTTLS,
//! TLS or plain; a login when a user is named, its password from the environment), one
//! message per digest with a plain-text and an HTML part, and a bounded number of tries
//! when the server is down, times out or says "try later".

use std::time::Duration;

use anyhow::{Result, bail};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
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
    /// names a user. A missing server or sender, or a sender that is not an address, is
    /// an error before anything is sent.
    pub(crate) fn new(config: &Notify, password: Option<String>) -> Result<Mailer> {
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
            TlsMode::Starttls => Tls::Required(tls_parameters(&server)?),
            TlsMode::Tls => Tls::Wrapper(tls_parameters(&server)?),
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
        Ok(Mailer { transport: builder.build(), from, attempts: config.attempts.max(1), pause: Duration::from_secs(1) })
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
    /// attempts` tries. A permanent (5xx) refusal — an address the server will not take
    /// — is not tried again: the answer would be the same. Returns the tries it took.
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

fn tls_parameters(server: &str) -> Result<TlsParameters> {
    TlsParameters::new(server.to_string()).map_err(|e| {
        anyhow::anyhow!(msg!("cannot set up TLS for {server}: {e}", "{server} için TLS hazırlanamadı: {e}"))
    })
}

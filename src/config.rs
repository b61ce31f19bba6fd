//! `defter.toml`, the records repository's configuration: site title and language,
//! warning windows, review intervals, and per-rule severity overrides.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::diag::{Lang, Overrides, Rule, Severity, msg};
use crate::model::workflow::Workflows;

/// The file name, at the repository root.
pub const FILE: &str = "defter.toml";

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub site: Site,
    pub windows: Windows,
    /// Review intervals in days, by the names `schemas/workflows.yaml` uses.
    pub reviews: BTreeMap<String, u32>,
    /// Days to a deadline per kind and value (`[deadlines.vulnerability] critical = 15`),
    /// for the `deadlines` entries of `schemas/workflows.yaml` that have `days_by`.
    pub deadlines: BTreeMap<String, BTreeMap<String, u32>>,
    /// Severity per rule id: `"error"`, `"warning"` or `"off"`.
    pub rules: BTreeMap<String, Severity>,
    /// Local rules of `schemas/workflows.yaml` (its `local_rules`) switched off or down to a
    /// warning; the directive's rules are not named here.
    pub local: BTreeMap<String, LocalSetting>,
    /// Access review campaigns (`defter review start`).
    pub campaigns: Campaigns,
    /// `defter notify`'s mail server and reminders.
    pub notify: Notify,
}

/// `[campaigns]`: the scopes the directorate reviews whether or not a campaign was ever
/// started for them (`all-grants`, `admin-accounts`, `system:app-…`, `unit:…`); every
/// other scope is held to `[reviews] campaign` once it has had a campaign.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Campaigns {
    pub scopes: Vec<String>,
}

/// What `[local]` may make of a local rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LocalSetting {
    /// Its findings are not made.
    Off,
    /// Its findings are warnings at most.
    Warning,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Site {
    pub title: String,
    pub organisation: String,
    /// `tr` (default) or `en`.
    pub language: String,
    pub base_url: String,
    /// Whether the site shows personal contact details (e-mail addresses, phone numbers,
    /// git identities). `false` builds every site as `build --public` does: for a
    /// readership wider than the staff who keep the records (KVKK, docs/security.md).
    pub personal_data: bool,
    /// The address of a record's file in the forge's editor, `{path}` standing for the
    /// file's path in the repository (Gitea: `https://git.example/ORG/REPO/_edit/main/{path}`,
    /// GitHub: `https://github.com/ORG/REPO/edit/main/{path}`). Empty: no edit link.
    pub edit_url: String,
}

impl Default for Site {
    fn default() -> Self {
        Self {
            title: "Yazılım Şube Müdürlüğü".into(),
            organisation: "İzmir Büyükşehir Belediyesi".into(),
            language: "tr".into(),
            base_url: "/".into(),
            personal_data: true,
            edit_url: String::new(),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Windows {
    /// Days before an end date when `expiring` starts warning.
    pub expiring_days: u32,
}

impl Default for Windows {
    fn default() -> Self {
        Self { expiring_days: 30 }
    }
}

/// `[notify]`: where `defter notify` sends its digests and how often it reminds. The
/// password is never here: it is read from [`Notify::PASSWORD_VAR`] in the environment
/// (a CI secret), so that it is never committed.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Notify {
    /// The SMTP server's host name (empty: notify can only `--dry-run`).
    pub server: String,
    /// Its port (587 for STARTTLS, 465 for TLS, 25 without encryption).
    pub port: u16,
    pub tls: TlsMode,
    /// The From address: `defter@example.org` or `Yazılım Şube Müdürlüğü <defter@example.org>`.
    pub sender: String,
    /// The user name to log in with (empty: no login).
    pub user: String,
    /// Days before a request's (or another record's) due date when it is first told.
    pub due_soon_days: u32,
    /// Days after which something still waiting is told again.
    pub remind_days: u32,
    /// Seconds to wait for the server at each step before a try counts as failed.
    pub timeout_seconds: u32,
    /// Tries per message when the server is down, times out or answers "try later".
    pub attempts: u32,
    /// Where what was sent is remembered, relative to the repository (empty:
    /// `.git/defter/notify.json`, inside git's folder, never committed).
    pub state: String,
    /// A PEM file of certificate authorities trusted besides the system's — the CA of a
    /// directorate's own mail server, on a CI runner that does not know it — relative to
    /// the repository or absolute (empty: the system's only).
    pub ca_file: String,
}

/// How the connection to the mail server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Plain SMTP (a relay on the same machine or the loopback address only).
    None,
    /// Plain first, then upgraded with STARTTLS; refused when the server cannot.
    Starttls,
    /// TLS from the first byte (SMTPS, port 465).
    Tls,
}

impl Notify {
    /// The environment variable the SMTP password is read from.
    pub const PASSWORD_VAR: &str = "DEFTER_SMTP_PASSWORD";
}

impl Default for Notify {
    fn default() -> Self {
        Self {
            server: String::new(),
            port: 587,
            tls: TlsMode::Starttls,
            sender: String::new(),
            user: String::new(),
            due_soon_days: 7,
            remind_days: 7,
            timeout_seconds: 30,
            attempts: 3,
            state: String::new(),
            ca_file: String::new(),
        }
    }
}

/// Review intervals used when `[reviews]` does not name one (180 days: the directorate's
/// choice; the directive says only "periodically").
const DEFAULT_REVIEWS: [(&str, u32); 7] = [
    ("grant", 180),
    ("account", 365),
    ("repository", 180),
    ("webservice_client", 365),
    ("code_analysis", 90),
    ("bgys_document", 365),
    ("campaign", 365),
];

/// Days to close a security hole by severity when `[deadlines.vulnerability]` does not say
/// (the directorate's choice, local rule `vulnerability_deadline`; the directive sets none).
const DEFAULT_VULNERABILITY_DAYS: [(&str, u32); 4] = [("critical", 15), ("high", 30), ("medium", 90), ("low", 180)];

/// The first of `rel`'s components (`/`-separated, under `root`) that is a symbolic
/// link, as a path relative to `root`: `None` when none is (or the path does not exist).
/// What defter reads of a repository — `records/`, `schemas/`, `defter.toml`,
/// `site-templates/`, CODEOWNERS — is read only where no link leads elsewhere on the
/// machine (a link committed to `/etc/passwd` or a runner's credentials). Each component
/// is looked at without following it.
pub(crate) fn link_on_the_way(root: &Path, rel: &str) -> Option<String> {
    let mut path = root.to_path_buf();
    let mut seen = String::new();
    for part in rel.split('/').filter(|p| !p.is_empty()) {
        path.push(part);
        if !seen.is_empty() {
            seen.push('/');
        }
        seen.push_str(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => return Some(seen),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Refuses to read `rel` under `root` through a symbolic link ([`link_on_the_way`]).
pub(crate) fn refuse_links(root: &Path, rel: &str) -> Result<()> {
    if let Some(link) = link_on_the_way(root, rel) {
        bail!(msg!(
            "refusing to read {rel}: {link} is a symbolic link (defter reads the repository's own files only; replace the link with the file or folder itself)",
            "{rel} okunmuyor: {link} bir sembolik bağlantı (defter yalnız deponun kendi dosyalarını okur; bağlantının yerine dosyanın ya da klasörün kendisini koyun)"
        ));
    }
    Ok(())
}

/// The language `[site] language` in `root`'s defter.toml names, when the file names
/// one (no file, no key, or a file that is not TOML: `None`; the full load reports the
/// last). A value other than `"tr"` or `"en"` is an error.
pub fn written_language(root: &Path) -> Result<Option<Lang>> {
    if link_on_the_way(root, FILE).is_some() {
        return Ok(None);
    }
    let Ok(text) = std::fs::read_to_string(root.join(FILE)) else { return Ok(None) };
    let Ok(table) = toml::from_str::<toml::Table>(&text) else { return Ok(None) };
    let Some(value) = table.get("site").and_then(|site| site.get("language")) else { return Ok(None) };
    match value.as_str().and_then(Lang::parse) {
        Some(lang) => Ok(Some(lang)),
        None => bail!(bad_language(FILE, &value.to_string())),
    }
}

fn bad_language(shown: &str, value: &str) -> crate::diag::Message {
    msg!(
        "{shown}: [site] language must be \"tr\" (Turkish) or \"en\" (English), not {value}",
        "{shown}: [site] language \"tr\" (Türkçe) ya da \"en\" (İngilizce) olmalı, {value} değil"
    )
}

impl Config {
    /// Reads `defter.toml` from `root`; a missing file gives the defaults. It is not read
    /// through a symbolic link.
    pub fn load(root: &Path) -> Result<Config> {
        refuse_links(root, FILE)?;
        let path = root.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                let shown = path.display();
                return Err(e).with_context(|| msg!("cannot read {shown}", "{shown} okunamıyor"));
            }
        };
        Config::from_text(text.as_deref(), &path.display().to_string())
    }

    /// Parses the text of a `defter.toml` (`None`: the file does not exist); `shown` names
    /// it in errors.
    pub fn from_text(text: Option<&str>, shown: &str) -> Result<Config> {
        let mut config: Config = match text {
            Some(text) => toml::from_str(text).with_context(|| msg!("cannot read {shown}", "{shown} okunamıyor"))?,
            None => Config::default(),
        };
        for (name, days) in DEFAULT_REVIEWS {
            config.reviews.entry(name.to_string()).or_insert(days);
        }
        let vulnerability = config.deadlines.entry("vulnerability".to_string()).or_default();
        for (severity, days) in DEFAULT_VULNERABILITY_DAYS {
            vulnerability.entry(severity.to_string()).or_insert(days);
        }
        if !matches!(config.site.language.as_str(), "tr" | "en") {
            bail!(bad_language(shown, &format!("{:?}", config.site.language)));
        }
        config.overrides().with_context(|| msg!("in {shown}", "{shown} dosyasında"))?;
        Ok(config)
    }

    /// Refuses a `[local]` entry that is not a local rule of `workflows`, and `off` under
    /// `[rules]` for a rule that enforces an entry of the directive: the directive's rules
    /// are never switched off (docs/rules.md, "Local rules").
    pub fn check_rules(&self, workflows: &Workflows) -> Result<()> {
        for name in self.local.keys() {
            if !workflows.local_rules.contains_key(name) {
                let known = workflows.local_rules.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                bail!(msg!(
                    "{FILE}: [local] names `{name}`, which is not a local rule of schemas/workflows.yaml: \
                     only local rules may be switched off, never the directive's (local rules: {known})",
                    "{FILE}: [local] `{name}` diyor, ama bu schemas/workflows.yaml'ın yerel bir kuralı değil: \
                     yalnız yerel kurallar kapatılabilir, yönergeninkiler asla (yerel kurallar: {known})"
                ));
            }
        }
        for (id, severity) in &self.rules {
            if let Some(rule) = Rule::from_id(id)
                && *severity == Severity::Off
                && workflows.enforces_directive(rule.id())
            {
                bail!(msg!(
                    "{FILE}: [rules] cannot switch `{id}` off: it enforces the directive (`defter explain {id}` \
                     lists its entries); set it to \"warning\", or switch off the local rules you mean under [local]",
                    "{FILE}: [rules] `{id}` kuralını kapatamaz: kural yönergeyi uyguluyor (`defter explain {id}` \
                     maddelerini listeler); \"warning\" yapın ya da kastettiğiniz yerel kuralları [local] altında kapatın"
                ));
            }
        }
        Ok(())
    }

    /// The `[rules]` table as rule → severity; unknown rule ids are an error.
    pub fn overrides(&self) -> Result<Overrides> {
        let mut out = Overrides::new();
        for (id, severity) in &self.rules {
            let Some(rule) = Rule::from_id(id) else {
                let near = Rule::closest(id);
                bail!(msg!(
                    "[rules] names unknown rule `{id}`{near_en} (see `defter explain` for the list)",
                    "[rules] bilinmeyen `{id}` kuralını adlandırıyor{near_tr} (liste için `defter explain`)",
                    near_en = near.as_ref().map(|n| format!("; did you mean `{n}`?")).unwrap_or_default(),
                    near_tr = near.as_ref().map(|n| format!("; `{n}` mi demek istediniz?")).unwrap_or_default(),
                ));
            };
            out.insert(rule, *severity);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::load(dir.path()).unwrap();
        assert_eq!(config.windows.expiring_days, 30);
        assert_eq!(config.reviews["grant"], 180);
        assert_eq!(config.deadlines["vulnerability"]["critical"], 15);
        std::fs::write(dir.path().join(FILE), "[deadlines.vulnerability]\ncritical = 7\n").unwrap();
        let config = Config::load(dir.path()).unwrap();
        assert_eq!((config.deadlines["vulnerability"]["critical"], config.deadlines["vulnerability"]["low"]), (7, 180));

        std::fs::write(dir.path().join(FILE), "[rules]\nexpiring = \"error\"\nraw-html = \"off\"\n").unwrap();
        let overrides = Config::load(dir.path()).unwrap().overrides().unwrap();
        assert_eq!(overrides[&Rule::Expiring], Severity::Error);
        assert_eq!(overrides[&Rule::RawHtml], Severity::Off);

        std::fs::write(dir.path().join(FILE), "[rules]\nno-such-rule = \"error\"\n").unwrap();
        assert!(Config::load(dir.path()).is_err());
        std::fs::write(dir.path().join(FILE), "[windows]\nexpiring_dayz = 3\n").unwrap();
        assert!(Config::load(dir.path()).is_err());
        // The password has no key: it is read from the environment only.
        std::fs::write(dir.path().join(FILE), "[notify]\npassword = \"x\"\n").unwrap();
        assert!(Config::load(dir.path()).is_err());
        std::fs::write(dir.path().join(FILE), "[notify]\nserver = \"mail\"\ntls = \"tls\"\n").unwrap();
        let notify = Config::load(dir.path()).unwrap().notify;
        assert_eq!((notify.server.as_str(), notify.tls, notify.port), ("mail", TlsMode::Tls, 587));
        assert_eq!(notify.ca_file, "", "the system's certificate authorities only");
        std::fs::write(dir.path().join(FILE), "[notify]\nca_file = \"ca/kurum.pem\"\n").unwrap();
        assert_eq!(Config::load(dir.path()).unwrap().notify.ca_file, "ca/kurum.pem");
    }
}

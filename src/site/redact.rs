//! What a build leaves out of the site, before any page is rendered.
//!
//! - **Secrets, always.** A record carrying a password or token fails validation, but the
//!   site is still built (it shows the finding) and must not republish the secret to
//!   every reader of the intranet: values of secret fields and anything the `secret`
//!   rule recognises become `[…]`, in fields, bodies, old values in the history and
//!   commit messages.
//! - **Personal data, for a wider audience** (`build --public`, or `[site] personal_data
//!   = false`): e-mail and phone fields and `git_emails` are dropped from every record,
//!   e-mail addresses (plain or obfuscated), phone numbers, TC kimlik numbers and IBANs
//!   in any text (bodies, notes, findings, commit messages) become `[…]`, and commit authors' e-mail addresses are forgotten. Every
//!   page, export, feed and the search index are rendered from the redacted records (a
//!   copy, or — for `defter build`, which no longer needs the originals — the records
//!   themselves, redacted in place: [`Redacted::take`]), so no output can miss it.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use crate::diag::Findings;
use crate::history::{AuditTrail, Entry, FieldChange, Shown};
use crate::load::Records;
use crate::model::Record;
use crate::model::SmallStr;
use crate::model::personal::is_contact_field;
use crate::model::redaction::{HIDDEN, node, redact_str, text};
use crate::model::secret::is_secret_field;

/// Everything a build shows, redacted. Made only by [`Redacted::take`] or [`apply`], so
/// a site made from it cannot show what redaction hides.
pub struct Redacted {
    records: Records,
    trail: Option<AuditTrail>,
    report: Findings,
    digests: super::build::keys::Digests,
    /// Whether personal data was hidden too (see [`super::hides_personal_data`]).
    public: bool,
    /// Whether every record kept its id (redaction changed none): the records are then
    /// found by the id table validation made of them.
    ids_kept: bool,
}

/// Redacts a record in place; says whether its id changed (an id that looks like a
/// secret or, on a public site, like an e-mail address or phone number).
fn record(r: &mut Record, public: bool) -> bool {
    // A tree the cache of parsed records noted redaction leaves as it is is not walked
    // again: most records hold nothing to hide, and scanning every text of every record
    // on each build was 0.4-0.5 s of CPU at 100,000 records (docs/performance.md). Its
    // id is then unchanged too.
    if r.fields.redaction_leaves(public) {
        // Its packed form goes, as a walk's mutable borrow lets it go: every packed
        // tree holds the whole trees file of the cache (86 MB at 100,000 records) in
        // memory.
        let _: &mut crate::model::Node = &mut r.fields;
        redact_body(r, public);
        return false;
    }
    let id = SmallStr::from(r.id());
    node(&mut r.fields, None, public);
    redact_body(r, public);
    r.id() != id
}

/// Redacts a record's Markdown body, now or when it is first read.
fn redact_body(r: &mut Record, public: bool) {
    if let Some(body) = &mut r.body {
        // A body loading left unread (its file unchanged since the cache of parsed
        // records took it) is redacted when a page first reads it: most never are.
        body.text.change_when_read(move |s| match text(s, public) {
            Cow::Owned(changed) => Some(changed),
            Cow::Borrowed(_) => None,
        });
    }
}

fn entry(e: &mut Entry, public: bool) {
    if public {
        e.fields.retain(|c| !is_contact_field(&c.field));
    }
    for FieldChange { field, old, new, list } in &mut e.fields {
        let secret = is_secret_field(field);
        for value in [old, new].into_iter().flatten() {
            if secret && *value != Shown::Null {
                *value = Shown::Str(HIDDEN.into());
            } else if let Shown::Str(s) = value {
                redact_str(s, public);
            }
        }
        // A list's entries as the change keeps them: the same rules, member by member.
        for item in list.iter_mut().flat_map(|l| l.entries.iter_mut()) {
            if public {
                item.members.retain(|(key, _)| !is_contact_field(key));
            }
            for (key, value) in &mut item.members {
                if (secret || is_secret_field(key)) && *value != Shown::Null {
                    *value = Shown::Str(HIDDEN.into());
                } else if let Shown::Str(s) = value {
                    redact_str(s, public);
                }
            }
        }
    }
}

fn trail(t: &mut AuditTrail, public: bool) {
    for c in &mut t.commits {
        redact_str(&mut c.summary, public);
        redact_str(&mut c.message, public);
        redact_str(&mut c.author_name, public);
        if public {
            c.author_email = String::new();
        }
    }
    t.entries_mut().for_each(|e| entry(e, public));
}

impl Redacted {
    /// Takes over a build's records, history and findings and redacts them in place.
    /// The file texts go (they are for quoting in diagnostics, and unredacted) once their
    /// digests are taken for the build keys, keyed with `salt`; a Markdown body keeps its
    /// own.
    pub fn take(
        mut records: Records,
        history: Option<AuditTrail>,
        report: Findings,
        public: bool,
        salt: super::build::keys::Salt,
    ) -> Redacted {
        let digests = super::build::keys::digests(&records, salt);
        records.sources = Default::default();
        records.codeowners = None;
        // The files' texts are no longer needed (their digests are taken): each Markdown
        // body read keeps its own text instead of its whole file's. One left unread is
        // read, alone, when its page is rendered.
        records
            .records
            .par_iter_mut()
            .filter_map(|r| r.body.as_mut())
            .filter(|b| b.text.is_read())
            .for_each(|b| b.text.detach());
        Redacted::redact(records, history, report, digests, public)
    }

    fn redact(
        mut records: Records,
        mut history: Option<AuditTrail>,
        mut report: Findings,
        digests: super::build::keys::Digests,
        public: bool,
    ) -> Redacted {
        let (changed, ()) = rayon::join(
            || records.records.par_iter_mut().map(|r| record(r, public)).filter(|changed| *changed).count(),
            || {
                if let Some(t) = &mut history {
                    trail(t, public);
                }
            },
        );
        for d in &mut report.diagnostics {
            d.message = d.message.map(|m| text(m, public).into_owned());
            d.help = d.help.as_ref().map(|h| h.map(|h| text(h, public).into_owned()));
        }
        Redacted { records, trail: history, report, digests, public, ids_kept: changed == 0 }
    }

    /// Takes in `edited`, the records at some paths loaded again after an edit (each
    /// in place of the record at its path, which must exist), and `findings` about them
    /// (as [`crate::diag::Findings::replace_paths`] takes them), redacted as
    /// [`Redacted::take`] redacts: what `defter serve` changes between two rebuilds.
    pub fn replace(
        &mut self,
        mut edited: Records,
        findings: Vec<crate::diag::Diagnostic>,
        overrides: &crate::diag::Overrides,
    ) {
        self.digests.replace(&edited);
        let paths: std::collections::HashSet<&str> = edited.records.iter().map(|r| r.path.as_str()).collect();
        let mut findings = findings;
        for d in &mut findings {
            d.message = d.message.map(|m| text(m, self.public).into_owned());
            d.help = d.help.as_ref().map(|h| h.map(|h| text(h, self.public).into_owned()));
        }
        self.report.replace_paths(&paths, findings, overrides);
        drop(paths);
        let at: HashMap<&str, usize> =
            self.records.records.iter().enumerate().map(|(i, r)| (r.path.as_str(), i)).collect();
        let places: Vec<usize> = edited
            .records
            .iter()
            .map(|r| *at.get(r.path.as_str()).unwrap_or_else(|| panic!("{} was no record before", r.path)))
            .collect();
        drop(at);
        for (mut r, i) in edited.records.drain(..).zip(places) {
            if let Some(b) = &mut r.body {
                b.text.detach();
            }
            if record(&mut r, self.public) {
                self.ids_kept = false;
            }
            self.records.records[i] = r;
        }
    }

    /// Whether every record shows the id it was validated with.
    pub(crate) fn ids_kept(&self) -> bool {
        self.ids_kept
    }

    pub fn records(&self) -> &Records {
        &self.records
    }

    pub fn trail(&self) -> Option<&AuditTrail> {
        self.trail.as_ref()
    }

    /// Whether personal data was hidden too: what the site built from this says it shows.
    pub fn public(&self) -> bool {
        self.public
    }

    pub fn report(&self) -> &Findings {
        &self.report
    }

    /// The digest of every file's text as loaded, by path (`build::keys::digests`).
    pub fn digests(&self) -> &super::build::keys::Digests {
        &self.digests
    }
}

/// The redacted copy of a build's records, history and findings (digests keyed with
/// `salt`).
pub(crate) fn apply(
    records: &Records,
    history: Option<&AuditTrail>,
    report: &Findings,
    public: bool,
    salt: super::build::keys::Salt,
) -> Redacted {
    let copy = Records { records: records.records.clone(), problems: records.problems.clone(), ..Records::default() };
    Redacted::redact(copy, history.cloned(), report.clone(), super::build::keys::digests(records, salt), public)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_says_whether_redaction_changed_its_id() {
        let load = |path: &str, text: &str| {
            let file = crate::load::RawFile { path: path.into(), bytes: text.into() };
            match crate::load::load_file(file) {
                crate::load::Loaded::Record(r, _) => r,
                crate::load::Loaded::Problem(d, _) => panic!("{d:?}"),
            }
        };
        let mut plain = load("records/org/units/bim.yaml", "id: bim\nname: Bilgi İşlem\n");
        assert!(!record(&mut plain, true), "an ordinary id is kept");
        let token = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
        let mut odd = load(&format!("records/org/units/{token}.yaml"), &format!("id: {token}\nname: x\n"));
        assert!(record(&mut odd, false), "an id that looks like a token is masked: the id table no longer fits");
        assert_ne!(odd.id(), token);
    }

    #[test]
    fn personal_text_is_hidden_only_for_a_public_site() {
        let s = "Ayşe Yılmaz (ayse.yilmaz@izmir.bel.tr, 0232 293 21 31, +90 532 123 45 67)";
        assert_eq!(text(s, false), s);
        assert_eq!(text(s, true), "Ayşe Yılmaz ([…], […], […])");
        for keep in ["E-12345678-010.06-987654", "2026-03-03", "TLP-2026-0042", "v1.2.3", "10.0.12.4", "PRJ-0007"] {
            assert_eq!(text(keep, true), keep);
        }
        assert_eq!(
            text("(0232) 293 21 31 ve 05321234567, 0 532 111 22 33, +90 (232) 293 21 31", true),
            "[…] ve […], […], […]"
        );
    }

    /// A person with contact details and a secret nested in a list, a request whose body
    /// names an e-mail address, a commit whose message has an address and a phone
    /// number, a history entry that changed `email` and `password`, and a finding whose
    /// help quotes an address.
    fn sample() -> (Records, AuditTrail, Findings) {
        let person = "id: ayse.yilmaz\nname: Ayşe Yılmaz\nemail: ayse@izmir.bel.tr\n\
                      accounts: [{system: x, password: Gizli123}]\nnotes: aranır 0232 293 21 31\n";
        let request = "---\nid: TLP-2026-0001\ntitle: Arama\n---\nAyşe (ayse@izmir.bel.tr) arar.\n";
        let records = crate::load::load_files(vec![
            crate::load::RawFile { path: "records/org/people/ayse.yilmaz.yaml".into(), bytes: person.into() },
            crate::load::RawFile { path: "records/requests/2026/TLP-2026-0001.md".into(), bytes: request.into() },
        ]);
        assert_eq!(records.records.len(), 2, "{:?}", records.problems);
        let commit = crate::git::Commit {
            id: gix::ObjectId::null(gix::hash::Kind::Sha1),
            parents: Vec::new(),
            author_name: "Ayşe Yılmaz".into(),
            author_email: "ayse@izmir.bel.tr".into(),
            time: 0,
            offset: 0,
            summary: "Ayşe: 0532 123 45 67".into(),
            message: "Ayşe: 0532 123 45 67\n\nayse@izmir.bel.tr token=ghp_abcdefghijklmnopqrstuvwxyz0123456789".into(),
        };
        let change = |field: &str, old: &str, new: &str| FieldChange {
            field: field.into(),
            old: Some(Shown::Str(old.into())),
            new: Some(Shown::Str(new.into())),
            list: None,
        };
        let accounts = FieldChange {
            field: "accounts".into(),
            old: Some(Shown::List(0)),
            new: Some(Shown::List(1)),
            list: Some(Box::new(crate::history::ListChange {
                entries: vec![crate::history::ItemChange {
                    added: true,
                    members: vec![
                        ("system".into(), Shown::Str("x".into())),
                        ("password".into(), Shown::Str("Gizli123".into())),
                        ("phone".into(), Shown::Str("0532 123 45 67".into())),
                        ("note".into(), Shown::Str("ara: ayse@izmir.bel.tr".into())),
                    ],
                }],
                ..Default::default()
            })),
        };
        let entry = Entry {
            commit: 0,
            action: crate::history::Action::Modified,
            path: "records/org/people/ayse.yilmaz.yaml".into(),
            fields: vec![
                change("email", "a@b.org", "ayse@izmir.bel.tr"),
                change("password", "x", "Gizli123"),
                accounts,
            ],
            body_changed: false,
        };
        let trail = AuditTrail::from_entries(vec![commit], [("ayse.yilmaz".to_string(), vec![entry])].into());
        let finding = crate::diag::Diagnostic::new(
            crate::diag::Rule::Schema,
            "records/org/people/ayse.yilmaz.yaml",
            None,
            crate::diag::Message { en: "bad".into(), tr: "kötü".into() },
        )
        .with_help(crate::diag::Message { en: "ask ayse@izmir.bel.tr".into(), tr: "ayse@izmir.bel.tr sorun".into() });
        (records, trail, Findings { diagnostics: vec![finding], records: 2 })
    }

    /// What a redacted sample shows, one line per thing.
    fn shown(r: &Redacted) -> Vec<String> {
        let mut out: Vec<String> = r
            .records
            .records
            .iter()
            .map(|r| format!("{} {:?}", r.fields.to_json(), r.body.as_ref().map(|b| &*b.text)))
            .collect();
        let t = r.trail.as_ref().unwrap();
        let c = &t.commits[0];
        out.push(format!("commit {} | {} | {} | {:?}", c.author_name, c.author_email, c.summary, c.message));
        for e in t.iter().flat_map(|(_, entries)| entries) {
            out.push(format!(
                "changes {}",
                serde_json::to_string(&e.fields.iter().map(|c| (&c.field, &c.old, &c.new)).collect::<Vec<_>>())
                    .unwrap()
            ));
            for c in &e.fields {
                for item in c.list.iter().flat_map(|l| &l.entries) {
                    let members: Vec<String> = item.members.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    out.push(format!("entry {} {}", c.field, members.join(" ")));
                }
            }
        }
        let help = r.report.diagnostics[0].help.as_ref().unwrap();
        out.push(format!("help {} | {}", help.en, help.tr));
        out
    }

    #[test]
    fn redaction_hides_secrets_always_and_personal_data_for_a_public_site() {
        let (records, history, report) = sample();
        let internal = [
            r#"{"id":"ayse.yilmaz","name":"Ayşe Yılmaz","email":"ayse@izmir.bel.tr","accounts":[{"system":"x","password":"[…]"}],"notes":"aranır 0232 293 21 31"} None"#,
            r#"{"id":"TLP-2026-0001","title":"Arama"} Some("Ayşe (ayse@izmir.bel.tr) arar.\n")"#,
            r#"commit Ayşe Yılmaz | ayse@izmir.bel.tr | Ayşe: 0532 123 45 67 | "Ayşe: 0532 123 45 67\n\nayse@izmir.bel.tr token=[…]""#,
            r#"changes [["email","a@b.org","ayse@izmir.bel.tr"],["password","[…]","[…]"],["accounts",[],[null]]]"#,
            "entry accounts system=x password=[…] phone=0532 123 45 67 note=ara: ayse@izmir.bel.tr",
            "help ask ayse@izmir.bel.tr | ayse@izmir.bel.tr sorun",
        ];
        let public = [
            r#"{"id":"ayse.yilmaz","name":"Ayşe Yılmaz","accounts":[{"system":"x","password":"[…]"}],"notes":"aranır […]"} None"#,
            r#"{"id":"TLP-2026-0001","title":"Arama"} Some("Ayşe ([…]) arar.\n")"#,
            r#"commit Ayşe Yılmaz |  | Ayşe: […] | "Ayşe: […]\n\n[…] token=[…]""#,
            r#"changes [["password","[…]","[…]"],["accounts",[],[null]]]"#,
            "entry accounts system=x password=[…] note=ara: […]",
            "help ask […] | […] sorun",
        ];
        for (is_public, expected) in [(false, internal), (true, public)] {
            let salt = super::super::build::keys::Salt::random();
            let copied = apply(&records, Some(&history), &report, is_public, salt);
            assert_eq!(shown(&copied), expected, "public: {is_public}");
            let (records, history, report) = sample();
            let taken = Redacted::take(records, Some(history), report, is_public, salt);
            assert_eq!(shown(&taken), expected, "public: {is_public}");
            assert!(taken.records.sources.is_empty() && taken.records.codeowners.is_none());
            assert_eq!(taken.digests(), copied.digests());
            assert_eq!(taken.digests().len(), 2);
        }
    }

    #[test]
    fn secrets_are_hidden_always() {
        assert_eq!(text("postgres://app:Gizli123@db01/x", false), "[…]db01/x");
        let mut n = crate::load::yaml::parse("password: hunter22\nemail: a@b.org\nname: A\n", 0).unwrap();
        node(&mut n, None, true);
        assert_eq!(n.to_json(), serde_json::json!({ "password": "[…]", "name": "A" }));
    }
}

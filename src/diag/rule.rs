//! The stable rule ids, their default severities and what they enforce.
//! Ids never change meaning; new ones may be added.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How serious a finding is. `Off` only appears in configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Warning,
    Error,
}

impl Severity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $severity:ident, $git:literal, $article:literal, $summary:literal, $summary_tr:literal;)*) => {
        /// A rule id. The order is the order of `docs/rules.md`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Rule { $($variant,)* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable id, as written in diagnostics and `defter.toml`.
            pub const fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            pub const fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity,)* }
            }

            /// Whether the rule needs git history (`validate --base`).
            pub const fn needs_history(self) -> bool {
                match self { $(Rule::$variant => $git,)* }
            }

            /// The directive's articles the rule enforces (the workflow data may cite a
            /// more precise item per finding).
            pub const fn article(self) -> &'static str {
                match self { $(Rule::$variant => $article,)* }
            }

            /// One line on what the rule catches, in English (the terminal, `explain`).
            pub const fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary,)* }
            }

            /// [`Rule::summary`] in Turkish (the site's default language).
            pub const fn summary_tr(self) -> &'static str {
                match self { $(Rule::$variant => $summary_tr,)* }
            }
        }
    };
}

rules! {
    ParseError = "parse-error", Error, false, "M8(1)(h)", "a file that is not valid YAML / front matter, not UTF-8, or too large",
        "YAML sözdizimi ya da ön bilgi bölümü (front matter) geçersiz olan, UTF-8 olmayan veya çok büyük bir dosya";
    Schema = "schema", Error, false, "M8(1)(h)", "a JSON Schema violation (the message names the field path)",
        "JSON şemasına uymayan bir değer (bulgu, alanın yolunu belirtir)";
    IdFilename = "id-filename", Error, false, "M14(1)(a)", "`id` differs from the file (or folder) name",
        "`id` alanı dosyanın (ya da klasörün) adından farklı";
    DuplicateId = "duplicate-id", Error, false, "M14(1)(a)", "two records share an id",
        "iki kayıt aynı kimliği (`id`) taşıyor";
    UnknownKind = "unknown-kind", Error, false, "M11(1)(f), M8(1)(h)", "a file under records/ that matches no kind",
        "records/ altında hiçbir kayıt türüne uymayan bir dosya";
    DanglingRef = "dangling-ref", Error, false, "M11(1)(f), M8(1)(h)", "a reference to a missing record, or to a record of the wrong kind",
        "var olmayan bir kayda ya da yanlış türde bir kayda yapılan gönderme";
    StateFields = "state-fields", Error, false, "M5(1)(c), M9(1)(b)(g), M11(1)(d), M13(1)(ç)", "a field that the record's status or phase requires is missing",
        "kaydın durumunun ya da aşamasının gerektirdiği bir alan eksik";
    UnauthorizedActor = "unauthorized-actor", Error, false, "M5(1)(c), M9(1)(b)(g), M11(1)(d), M13(1)(ç)", "the person recorded for an action lacks the role the procedure requires",
        "bir işlemi yapan olarak kaydedilen kişi, usulün gerektirdiği role sahip değil";
    SeparationOfDuties = "separation-of-duties", Error, false, "M6(1)(d), M7(1)(r)", "one person in two roles the procedure keeps apart",
        "usulün ayrı tuttuğu iki görevde aynı kişi";
    InactivePerson = "inactive-person", Error, false, "M13(1)(ç), M5(1)(c), M11(1)(c)(g)", "an active grant, or an open assignment, held by a person who has left",
        "ayrılmış bir kişide kalan etkin yetki ya da açık görev";
    Expired = "expired", Error, false, "M11(1)(i), M9(1)(e), M13(1)(ç)", "a certificate, domain or grant past its end date",
        "bitiş tarihi geçmiş sertifika, alan adı ya da yetki";
    Expiring = "expiring", Warning, false, "M11(1)(i), M9(1)(e), M13(1)(ç)", "a certificate, domain or grant near its end date",
        "bitiş tarihi yaklaşan sertifika, alan adı ya da yetki";
    ReviewOverdue = "review-overdue", Warning, false, "M11(1)(ğ)(g)(c)(ı)", "a grant, account, repository access, web-service client or continuity test not reviewed in time",
        "süresinde gözden geçirilmemiş yetki, hesap, depo erişimi, web servis istemcisi ya da süresinde yapılmamış iş sürekliliği testi";
    DeadlineMissed = "deadline-missed", Warning, false, "M5(1)(c)", "an open request past its `due` date, a vulnerability past its severity's days, or an open access review campaign past its `due` date",
        "son tarihi (`due`) geçmiş açık talep ya da önem derecesinin süresini aşmış güvenlik açığı";
    Secret = "secret", Error, false, "M8(1)(g), M11(1)(h)", "a private key, password or token pasted into a record",
        "kayda yapıştırılmış özel anahtar, parola ya da erişim belirteci (token)";
    PersonalData = "personal-data", Warning, false, "M8(1)(g), M11(1)(h)", "personal data (a TC kimlik no, an IBAN, an e-mail address, a phone number) in a record's text, outside the fields meant for contact data",
        "kaydın metninde, iletişim alanları dışında kişisel veri (T.C. kimlik numarası, IBAN, e-posta adresi, telefon numarası)";
    RawHtml = "raw-html", Warning, false, "M11(1)(h)", "Markdown that carries raw HTML (it is never rendered unsanitised)",
        "ham HTML içeren Markdown metni (sitede hiçbir zaman temizlenmeden gösterilmez)";
    IllegalTransition = "illegal-transition", Error, false, "M5(1)(c), M9(1)(b)(g), M13(1)(ç)", "a status/phase change the lifecycle does not allow (in history, or since the base revision)",
        "yaşam döngüsünün izin vermediği bir durum/aşama değişikliği (`history` listesinde ya da temel commit'ten bu yana)";
    ImmutableField = "immutable-field", Error, true, "M14(1)(a), M13(1)(ç)", "a field that may never change (id, received, unit, requester, grantee…) changed against the base",
        "hiç değişmemesi gereken bir alan (id, received, unit, requester, grantee…) temel commit'e göre değişmiş";
    RecordDeleted = "record-deleted", Error, true, "M14(1)(ğ)", "a record that exists in the base revision is gone, and the base records no decision to dispose of it",
        "temel commit'te bulunan bir kayıt, temel commit'te imha kararı olmadan silinmiş";
    HistoryRewritten = "history-rewritten", Error, true, "M5(1)(c), M14(1)(ğ)", "an existing history, tests, deployments or reviews entry was edited or removed",
        "`history`, `tests`, `deployments` ya da `reviews` listesindeki mevcut bir girdi değiştirilmiş ya da silinmiş";
    CommitAuthor = "commit-author", Warning, true, "M8(1)(d)", "the git author of a change is not the person it records as acting",
        "bir değişikliğin git yazarı, değişikliğin işlemi yapan olarak kaydettiği kişi değil";
    CodeownersStale = "codeowners-stale", Warning, false, "M11(1)(e), M6(1)(d)", "the committed CODEOWNERS no longer matches the organisation data",
        "depodaki CODEOWNERS dosyası artık teşkilat verisiyle uyuşmuyor";
    CaseClash = "case-clash", Error, false, "M14(1)(a)", "two files, or two ids, that differ only in upper/lower case",
        "yalnızca büyük/küçük harf bakımından farklı iki dosya ya da iki kimlik";
}

impl Rule {
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// The rule id closest to a mistyped `id`, if one is close.
    pub fn closest(id: &str) -> Option<&'static str> {
        crate::model::text::closest(id, Rule::ALL.iter().map(|r| r.id()))
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(*rule));
        }
        let mut ids: Vec<_> = Rule::ALL.iter().map(|r| r.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Rule::ALL.len());
    }

    #[test]
    fn every_rule_has_a_turkish_summary() {
        for rule in Rule::ALL {
            let (en, tr) = (rule.summary(), rule.summary_tr());
            assert!(!tr.trim().is_empty() && tr != en, "{rule}: no Turkish summary");
            assert!(tr.contains(|c| "çğıİöşüÇĞÖŞÜ".contains(c)), "{rule}: {tr:?} reads as no Turkish");
        }
    }
}

//! A finding's text in the two languages defter speaks, English and Turkish: the
//! terminal prints the one the user reads ([`Lang`]), the site the one it is built in. Both are written
//! where the finding is made, by the code that knows the values, so a finding cannot be
//! added without its Turkish text: [`msg!`] takes both format strings, and
//! [`Diagnostic::new`](super::Diagnostic::new) and `with_help` take only a [`Message`].

use std::sync::atomic::{AtomicBool, Ordering};

/// The language a person reads: English or Turkish. `cmd` chooses it once per run
/// (`--lang`, else `[site] language` in defter.toml or a Turkish locale) and hands it to
/// the renderers; [`set_terminal`] also makes it the language a [`Message`] is displayed
/// in, so an error made far below `cmd` (`bail!(msg!(…))`) prints in it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Tr,
}

impl Lang {
    /// `"tr"` or `"en"`.
    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "tr" => Some(Lang::Tr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The locale's language as `LC_ALL`, `LC_MESSAGES` and `LANG` say it (the first that
    /// is set and not empty, as POSIX orders them): Turkish when it starts with `tr`
    /// (`tr_TR.UTF-8`, `tr`), English for any other (`C`, `de_DE`, a locale defter does
    /// not know), `None` when none is set.
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Option<Lang> {
        let value = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|name| var(name).filter(|v| !v.is_empty()))?;
        Some(if value.to_ascii_lowercase().starts_with("tr") { Lang::Tr } else { Lang::En })
    }

    /// English or Turkish, by `self`.
    pub fn pick<'a>(self, en: &'a str, tr: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Tr => tr,
        }
    }
}

static TERMINAL_TR: AtomicBool = AtomicBool::new(false);

/// Makes `lang` the language [`Message`]s are displayed in (`{}`), for this process.
pub fn set_terminal(lang: Lang) {
    TERMINAL_TR.store(lang == Lang::Tr, Ordering::Relaxed);
}

/// The language [`Message`]s are displayed in: English unless [`set_terminal`] said Turkish.
pub fn terminal() -> Lang {
    if TERMINAL_TR.load(Ordering::Relaxed) { Lang::Tr } else { Lang::En }
}

/// One text in English and in Turkish.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Message {
    pub en: String,
    pub tr: String,
}

impl Message {
    pub fn new(en: impl Into<String>, tr: impl Into<String>) -> Self {
        Message { en: en.into(), tr: tr.into() }
    }

    /// The English text when `english`, else the Turkish one (the site's default).
    pub fn text(&self, english: bool) -> &str {
        if english { &self.en } else { &self.tr }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.tr)
    }

    /// Both texts passed through `f` (masking secrets, redacting).
    pub fn map(&self, mut f: impl FnMut(&str) -> String) -> Message {
        Message { en: f(&self.en), tr: f(&self.tr) }
    }
}

/// A message is displayed in the terminal's language ([`terminal`]): an error made with
/// `bail!(msg!(…))` or `.context(msg!(…))` prints in the language the user reads.
impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.get(terminal()))
    }
}

/// `msg!("english {x}", "Türkçe {x}", x = value, …)`: a [`Message`] from two format
/// strings that name their values (`{x}`, never `{}`), each bound once by `name = expr`
/// or captured from the surrounding code, so the two languages may order them freely.
macro_rules! msg {
    ($en:literal, $tr:literal $(, $name:ident = $value:expr)* $(,)?) => {{
        $(let $name = $value;)*
        $crate::diag::Message { en: format!($en), tr: format!($tr) }
    }};
}

pub(crate) use msg;

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn the_locale_says_turkish_only_when_it_starts_with_tr() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        };
        assert_eq!(Lang::from_locale(env(&[("LANG", "tr_TR.UTF-8")])), Some(Lang::Tr));
        assert_eq!(Lang::from_locale(env(&[("LANG", "tr_TR.UTF-8"), ("LC_ALL", "C")])), Some(Lang::En));
        assert_eq!(Lang::from_locale(env(&[("LC_ALL", ""), ("LC_MESSAGES", "tr"), ("LANG", "en_US")])), Some(Lang::Tr));
        assert_eq!(Lang::from_locale(env(&[("LANG", "xx_YY.nonsense")])), Some(Lang::En));
        assert_eq!(Lang::from_locale(env(&[])), None);
    }

    #[test]
    fn both_texts_take_the_named_values() {
        let id = "TLP-2026-0001";
        let m = msg!("`{id}` is {n} days late", "`{id}` kaydı {n} gün gecikti", n = 3);
        assert_eq!(m.en, "`TLP-2026-0001` is 3 days late");
        assert_eq!(m.text(false), "`TLP-2026-0001` kaydı 3 gün gecikti");
        assert_eq!(m.get(super::Lang::Tr), "`TLP-2026-0001` kaydı 3 gün gecikti");
        assert_eq!(m.map(|t| t.replace("TLP-2026-0001", "[…]")).tr, "`[…]` kaydı 3 gün gecikti");
    }
}

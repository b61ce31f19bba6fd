//! A finding's text in the two languages defter speaks: English, which the terminal
//! renderers print, and Turkish, which the site shows to municipal staff. Both are written
//! where the finding is made, by the code that knows the values, so a finding cannot be
//! added without its Turkish text: [`msg!`] takes both format strings, and
//! [`Diagnostic::new`](super::Diagnostic::new) and `with_help` take only a [`Message`].

/// One text in English and in Turkish.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

    /// Both texts passed through `f` (masking secrets, redacting).
    pub fn map(&self, mut f: impl FnMut(&str) -> String) -> Message {
        Message { en: f(&self.en), tr: f(&self.tr) }
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
    #[test]
    fn both_texts_take_the_named_values() {
        let id = "TLP-2026-0001";
        let m = msg!("`{id}` is {n} days late", "`{id}` kaydı {n} gün gecikti", n = 3);
        assert_eq!(m.en, "`TLP-2026-0001` is 3 days late");
        assert_eq!(m.text(false), "`TLP-2026-0001` kaydı 3 gün gecikti");
        assert_eq!(m.map(|t| t.replace("TLP-2026-0001", "[…]")).tr, "`[…]` kaydı 3 gün gecikti");
    }
}

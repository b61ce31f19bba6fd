//! What redaction does to a tree of fields, and whether it would change one. The site
//! redacts every record it shows (in its `redact` module); the cache of parsed
//! records notes, for each tree it keeps, whether redaction would leave it as it is
//! ([`Leaves`]), so that a build does not scan again, on every run, the text of records
//! that hold nothing to hide (docs/performance.md). Both follow the one walk here.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::personal::{self, is_contact_field};
use super::secret::{is_secret_field, mask_secrets, replace_ranges};
use super::{Entry, Node, Value};

/// What stands in for a removed value.
pub(crate) const HIDDEN: &str = "[…]";

/// A text with secrets (and, when `public`, personal data: e-mail addresses plain or
/// obfuscated, phone numbers, TC kimlik numbers, IBANs — [`crate::model::personal`])
/// hidden.
pub(crate) fn text(s: &str, public: bool) -> Cow<'_, str> {
    let masked = mask_secrets(s);
    if !public {
        return masked;
    }
    let found = personal::find_all(&masked);
    if found.is_empty() {
        return masked;
    }
    Cow::Owned(replace_ranges(&masked, found.into_iter().map(|(_, r)| r)).into_owned())
}

/// Replaces `s` by its redacted text when that differs (no allocation otherwise).
pub(crate) fn redact_str<S: From<String> + std::ops::Deref<Target = str>>(s: &mut S, public: bool) {
    if let Cow::Owned(changed) = text(s, public) {
        *s = S::from(changed);
    }
}

/// Redacts the tree `n` (the value of the field `key`, if it is one) in place: a secret
/// field's value is hidden whole, every text is [`text`], and, when `public`, contact
/// fields go.
pub(crate) fn node(n: &mut Node, key: Option<&str>, public: bool) {
    if hides_whole(n, key) {
        n.value = Value::Str(HIDDEN.into());
        return;
    }
    match &mut n.value {
        Value::Str(s) => redact_str(s, public),
        Value::Seq(items) => items.iter_mut().for_each(|i| node(i, None, public)),
        Value::Map(entries) => {
            if public && entries.iter().any(|e| is_contact_field(&e.key)) {
                let mut kept = std::mem::take(entries).into_vec();
                kept.retain(|e| !is_contact_field(&e.key));
                *entries = kept.into_boxed_slice();
            }
            for Entry { key, value, .. } in entries {
                node(value, Some(key), public);
            }
        }
        _ => {}
    }
}

/// Whether [`node`] hides the value `n` of the field `key` whole.
fn hides_whole(n: &Node, key: Option<&str>) -> bool {
    key.is_some_and(is_secret_field) && n.value != Value::Null
}

/// Whether [`node`] would change the tree `n` (the value of the field `key`): the same
/// walk, reading only. A text it would write back the same counts as a change (it is
/// rare, and a change only means the tree is redacted).
pub(crate) fn changes(n: &Node, key: Option<&str>, public: bool) -> bool {
    if hides_whole(n, key) {
        return true;
    }
    match &n.value {
        Value::Str(s) => matches!(text(s, public), Cow::Owned(_)),
        Value::Seq(items) => items.iter().any(|i| changes(i, None, public)),
        Value::Map(entries) => {
            (public && entries.iter().any(|e| is_contact_field(&e.key)))
                || entries.iter().any(|e| changes(&e.value, Some(&e.key), public))
        }
        _ => false,
    }
}

/// Which sites' redaction leaves a tree as it is: one for the intranet (secrets hidden)
/// and one for a wider audience (personal data hidden too). Noted by the cache of parsed
/// records when it keeps a tree, and true of that tree only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaves {
    pub intranet: bool,
    pub public: bool,
}

impl Leaves {
    /// What redaction does to `tree`, the fields of a record.
    pub fn of(tree: &Node) -> Leaves {
        let intranet = !changes(tree, None, false);
        // Whatever the intranet's redaction changes, the public one changes too.
        Leaves { intranet, public: intranet && !changes(tree, None, true) }
    }

    /// Whether the redaction of a site for a wider audience (`public`) or not leaves
    /// the tree as it is.
    pub fn site(self, public: bool) -> bool {
        if public { self.public } else { self.intranet }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Pos;

    /// A tree of `json`'s values (every position the first: redaction reads none).
    fn tree(json: serde_json::Value) -> Node {
        use serde_json::Value as J;
        let value = match json {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(b),
            J::Number(n) => n.as_i64().map_or_else(|| Value::Float(n.as_f64().unwrap_or_default()), Value::Int),
            J::String(s) => Value::Str(s.into()),
            J::Array(items) => Value::Seq(items.into_iter().map(tree).collect()),
            J::Object(map) => Value::Map(
                map.into_iter()
                    .map(|(key, v)| Entry { key: key.into(), key_pos: Pos::new(1, 1), value: tree(v) })
                    .collect(),
            ),
        };
        Node::new(value, Pos::new(1, 1))
    }

    /// The reading walk says a tree changes exactly when the redacting walk changes it,
    /// for either audience.
    #[test]
    fn changes_says_what_the_redaction_does() {
        use serde_json::json;
        let trees = [
            json!({"id": "TLP-2026-0001", "title": "Yazıcı arızası", "status": "new"}),
            json!({"id": "TLP-2026-0002", "notes": "bağlantı: postgres://app:Gizli123@db.izmir.bel.tr/kayit"}),
            json!({"id": "TLP-2026-0003", "password": "abc"}),
            json!({"id": "TLP-2026-0004", "password": null}),
            json!({"id": "KIS-0001", "email": "ayse@izmir.bel.tr", "name": "Ayşe"}),
            json!({"id": "KIS-0002", "name": "Ayşe", "notes": "ulaşın: ayse@izmir.bel.tr"}),
            json!({"id": "KIS-0003", "notes": "telefon 0532 293 12 34"}),
            json!({"id": "SYS-0001", "links": [{"url": "https://user:pass@example.org/x"}, {"url": "https://example.org"}]}),
            json!({"id": "SYS-0002", "owners": [{"name": "Ali", "email": "ali@example.org"}]}),
            json!({"id": "SYS-0003", "list": [1, 2.5, true, null, "AKIAIOSFODNN7EXAMPLE"]}),
            json!({"id": "SYS-0004", "nested": {"deep": {"token": "x"}}}),
            json!({"id": "SYS-0005", "notes": "IBAN TR33 0006 1005 1978 6457 8413 26"}),
        ];
        let mut changed = [0, 0];
        for json in trees {
            let yaml = json.to_string();
            let original = tree(json);
            for public in [false, true] {
                let mut redacted = original.clone();
                node(&mut redacted, None, public);
                let differs = format!("{redacted:?}") != format!("{original:?}");
                assert_eq!(changes(&original, None, public), differs, "public {public}: {yaml}");
                assert_eq!(Leaves::of(&original).site(public), !differs, "public {public}: {yaml}");
                changed[usize::from(public)] += usize::from(differs);
            }
        }
        // The cases tell the two audiences apart: personal data changes only the public
        // site, secrets both.
        assert!(changed[0] >= 5 && changed[1] > changed[0], "{changed:?}");
    }
}

//! What an action is called on the command line: its name in `workflows.yaml`
//! (`send_to_test`, also written `send-to-test`) or its Turkish name (`teste-gönder`,
//! also without the Turkish letters: `teste-gonder`), and "did you mean" for the rest.

use crate::model::text::fold_case;

/// The Turkish command word of the actions the rule set names. An action it does not
/// know (a new lifecycle's) is still reached by its own name.
const TURKISH: &[(&str, &str)] = &[
    ("assign", "ata"),
    ("reassign", "yeniden-ata"),
    ("start", "başlat"),
    ("send_to_test", "teste-gönder"),
    ("test_failed", "testten-döndür"),
    ("close", "kapat"),
    ("reject", "reddet"),
    ("cancel", "iptal-et"),
    ("reopen", "yeniden-aç"),
    ("start_analysis", "analize-başla"),
    ("start_development", "geliştirmeye-başla"),
    ("to_test", "teste-al"),
    ("to_deployment", "kuruluma-al"),
    ("go_live", "canlıya-al"),
    ("retire", "kullanımdan-kaldır"),
    ("hold", "beklet"),
    ("resume_analysis", "analize-dön"),
    ("resume_development", "geliştirmeye-dön"),
    ("approve", "onayla"),
    ("grant", "tanımla"),
    ("freeze", "dondur"),
    ("unfreeze", "dondurmayı-kaldır"),
    ("revoke", "kaldır"),
    ("expire", "süresini-bitir"),
    ("review", "gözden-geçir"),
    ("test", "test-et"),
    ("deployment", "kurulum"),
    ("finish", "bitir"),
    ("report", "bildir"),
    ("notification", "bildirim"),
    ("plan", "planla"),
    ("give", "eğitimi-ver"),
    ("session", "oturum"),
    ("approve_specification", "şartnameyi-onayla"),
    ("start_purchase", "satın-almaya-başla"),
    ("start_acceptance", "kabule-başla"),
    ("accept", "kabul-et"),
    ("payment", "hakediş"),
    ("complete", "tamamla"),
    ("withdraw", "yürürlükten-kaldır"),
    ("revise", "yeniden-düzenle"),
    ("analysis", "kod-analizi"),
    ("decide", "karar-ver"),
];

/// The Turkish word for an action, if it has one.
pub(crate) fn turkish(action: &str) -> Option<&'static str> {
    TURKISH.iter().find(|(en, _)| *en == action).map(|(_, tr)| *tr)
}

/// A word as it is compared: folded the Turkish way, `_` and `-` alike.
fn key(word: &str) -> String {
    fold_case(word).replace('_', "-")
}

/// Whether `typed` names the action `name`.
pub(crate) fn names(name: &str, typed: &str) -> bool {
    let typed = key(typed);
    key(name) == typed || turkish(name).is_some_and(|tr| key(tr) == typed)
}

/// The action among `names` closest to `typed`, if one is close.
pub(crate) fn closest<'a>(typed: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let typed = key(typed);
    let mut best: Option<(usize, String)> = None;
    for name in candidates {
        let mut words = vec![name.to_string()];
        words.extend(turkish(name).map(str::to_string));
        for word in words {
            let d = strsim::levenshtein(&typed, &key(&word));
            if d <= 2.max(typed.chars().count() / 3) && best.as_ref().is_none_or(|(b, _)| d < *b) {
                best = Some((d, word));
            }
        }
    }
    best.map(|(_, word)| word)
}

/// Lower case the Turkish way (`I` → `ı`, `İ` → `i`): `Atandı` → `atandı`.
pub(crate) fn lower(text: &str) -> String {
    text.replace('I', "ı").replace('İ', "i").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_named_in_english_or_turkish() {
        assert!(names("send_to_test", "send-to-test"));
        assert!(names("send_to_test", "teste-gönder"));
        assert!(names("send_to_test", "TESTE-GONDER"));
        assert!(names("start", "başlat") && names("start", "baslat"));
        assert!(!names("start", "close"));
        assert_eq!(closest("clsoe", ["close", "cancel"].into_iter()).as_deref(), Some("close"));
        assert_eq!(closest("kapa", ["close", "cancel"].into_iter()).as_deref(), Some("kapat"));
        assert_eq!(closest("zzzzzz", ["close"].into_iter()), None);
    }

    #[test]
    fn every_transition_of_the_shipped_rules_has_one_turkish_name() {
        let rules = crate::load::rules::Ruleset::from_source(|_| Ok(None)).unwrap();
        for (kind, lifecycle) in &rules.workflows.lifecycles {
            for t in &lifecycle.transitions {
                assert!(turkish(&t.name).is_some(), "{kind} {}: no Turkish name", t.name);
            }
        }
        let mut words: Vec<&str> = TURKISH.iter().map(|(_, tr)| *tr).collect();
        words.sort_unstable();
        let count = words.len();
        words.dedup();
        assert_eq!(words.len(), count, "two actions share a Turkish name");
    }
}

//! What `defter notify` has sent, so that a rerun sends nothing twice: for each person,
//! the keys of the items their last digests told ([`super::Item::key`]) and the day each
//! was told. A small JSON file outside the records — by default
//! `.git/defter/notify.json`, which the scheduled CI job keeps in its cache — written
//! again after each digest the server accepted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Item;
use crate::config::Config;
use crate::diag::msg;

/// The state file's format.
const VERSION: u32 = 1;

/// What was sent: person id → item key → the day it was last told (`YYYY-MM-DD`).
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct Sent {
    version: u32,
    people: BTreeMap<String, BTreeMap<String, String>>,
}

/// Where the state file is: `[notify] state` (relative to the repository), else
/// `notify.json` in defter's folder inside git's.
pub(crate) fn state_path(root: &Path, config: &Config) -> Result<PathBuf> {
    if !config.notify.state.is_empty() {
        return Ok(root.join(&config.notify.state));
    }
    let git = crate::git::Git::open(root).with_context(|| {
        msg!(
            "defter notify keeps what it sent in git's folder, and there is none: set `[notify] state` in defter.toml to a file outside records/",
            "defter notify gönderdiklerini git klasöründe tutar, ama burada git yok: defter.toml'da `[notify] state` ile records/ dışında bir dosya belirtin"
        )
    })?;
    Ok(git.cache_file("notify.json"))
}

impl Sent {
    /// Nothing sent yet.
    pub(crate) fn empty() -> Sent {
        Sent { version: VERSION, people: BTreeMap::new() }
    }

    /// Reads the state file; none yet is an empty state.
    pub(crate) fn load(path: &Path) -> Result<Sent> {
        let shown = path.display();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Sent::empty()),
            Err(e) => return Err(e).with_context(|| msg!("cannot read {shown}", "{shown} okunamıyor")),
        };
        let sent: Sent = serde_json::from_str(&text).map_err(|e| {
            anyhow::anyhow!(msg!(
                "{shown} is not a state file of defter notify ({e}); nothing was sent. Delete it to start afresh (everyone's current items are then sent again)",
                "{shown} bir defter notify durum dosyası değil ({e}); hiçbir şey gönderilmedi. Baştan başlamak için silin (herkesin güncel işleri yeniden gönderilir)"
            ))
        })?;
        if sent.version != VERSION {
            let version = sent.version;
            bail!(msg!(
                "{shown} is of version {version}, which this defter does not read; nothing was sent",
                "{shown} {version}. sürüm bir durum dosyası, bu defter onu okuyamıyor; hiçbir şey gönderilmedi"
            ));
        }
        Ok(sent)
    }

    /// Whether `item` is news for `person` on `as_of`: never told, or told at least
    /// `remind_days` ago and still waiting.
    pub(crate) fn is_new(&self, person: &str, item: &Item, as_of: Date, remind_days: u32) -> bool {
        let told = self.people.get(person).and_then(|told| told.get(&item.key));
        match told.and_then(|day| day.parse::<Date>().ok()) {
            None => true,
            Some(told) => told.checked_add(i64::from(remind_days.max(1)).days()).is_ok_and(|next| next <= as_of),
        }
    }

    /// Remembers that `person` was sent `items` on `as_of`; what they were told before
    /// and is no longer waiting is forgotten (should it come back, it is news again).
    pub(crate) fn mark(&mut self, person: &str, items: &[Item], as_of: Date) {
        self.people.insert(person.to_string(), items.iter().map(|i| (i.key.clone(), as_of.to_string())).collect());
    }

    /// Writes the state file whole (a new file renamed over the old one, so a run that
    /// is stopped half-way leaves the previous state, never half a file).
    pub(crate) fn save(&self, path: &Path) -> Result<()> {
        let shown = path.display();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| msg!("cannot create {shown}", "{shown} oluşturulamıyor"))?;
        }
        let text = serde_json::to_string_pretty(self).expect("the state serialises") + "\n";
        let temporary = path.with_extension("json.new");
        std::fs::write(&temporary, text)
            .and_then(|()| std::fs::rename(&temporary, path))
            .with_context(|| msg!("cannot write {shown}", "{shown} yazılamıyor"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::Topic;

    fn item(key: &str) -> Item {
        Item {
            topic: Topic::Deadline,
            key: key.into(),
            id: "TLP-2026-0001".into(),
            path: "records/requests/2026/TLP-2026-0001.md".into(),
            title: "t".into(),
            text: crate::diag::Message::new("x", "x"),
            date: None,
            urgent: false,
        }
    }

    #[test]
    fn told_items_wait_for_the_reminder_interval() {
        let day: Date = "2026-11-30".parse().unwrap();
        let mut sent = Sent::empty();
        let (a, b) = (item("a"), item("b"));
        assert!(sent.is_new("p", &a, day, 7));
        sent.mark("p", std::slice::from_ref(&a), day);
        assert!(!sent.is_new("p", &a, day, 7), "the same day: not again");
        assert!(!sent.is_new("p", &a, day.checked_add(6.days()).unwrap(), 7));
        assert!(sent.is_new("p", &a, day.checked_add(7.days()).unwrap(), 7), "a week on: a reminder");
        assert!(sent.is_new("p", &b, day, 7), "another item is news");
        assert!(sent.is_new("q", &a, day, 7), "another person has not been told");
        sent.mark("p", &[b], day);
        assert!(sent.is_new("p", &a, day, 7), "gone and back: news again");
    }

    #[test]
    fn a_state_file_round_trips_and_a_foreign_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/notify.json");
        assert_eq!(Sent::load(&path).unwrap().people.len(), 0);
        let mut sent = Sent::empty();
        sent.mark("p", &[item("a")], "2026-11-30".parse().unwrap());
        sent.save(&path).unwrap();
        assert_eq!(Sent::load(&path).unwrap(), sent);
        std::fs::write(&path, "{\"version\": 1, \"people\": 3}").unwrap();
        assert!(Sent::load(&path).unwrap_err().to_string().contains("not a state file"));
    }
}

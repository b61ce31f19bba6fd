//! The audit trail kept between runs: walking a long history is the slowest part of a
//! build (each commit diffed, each version parsed), and its result depends on nothing
//! but the commit. [`audit_trail_cached`] keeps the trail of the last `HEAD` in
//! `.git/defter/history.bin`, reuses it while `HEAD` has not moved, extends it with the
//! new commits alone when `HEAD` moved forward (a merged pull request), and walks the
//! history anew when `HEAD` moved elsewhere.
//!
//! The file is compact and read per record: a header (format, checksum, length), then
//! (postcard) the commit it is of, the commits, and an index of the records by id with
//! the length of each one's entries, then each record's entries (postcard), in the
//! index's order. Opening it reads the commits and the index; a record's entries are
//! decoded when asked for ([`super::AuditTrail`]). A stored entry counts its commit
//! from the oldest, so the entries of a record no new commit touched are copied into the
//! next file byte for byte. A missing, damaged (the checksum), cut short or older file
//! (the JSON `history.json` of earlier versions too) is walked again, never an error.
//!
//! The file holds field values from the records' past (before redaction), so it lives
//! in the git folder (`.git/defter/`), never in the working tree or the site, and is
//! readable by its owner only. A CI job can cache that folder between runs.
//! `DEFTER_CACHE=off` in the environment neither reads nor writes it.

use std::borrow::Cow;
use std::path::Path;

use anyhow::Result;
use gix::ObjectId;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::trail::Kept;
use super::{Action, AuditTrail, Entry, FieldChange, entries_of, extend_trail, extends};
use crate::git::{Commit, Git};

/// The file's first bytes.
const MAGIC: [u8; 8] = *b"defterTR";

/// Bumped whenever the trail's meaning or this format changes.
const FORMAT: u32 = 3;

/// The magic, the format, a CRC-32 of the rest and its length (little-endian).
const HEADER: usize = 8 + 4 + 4 + 8;

/// The file in `.git/defter/`, and the one earlier versions kept there.
const FILE: &str = "history.bin";
const OLD_FILE: &str = "history.json";

#[derive(Serialize, Deserialize)]
struct CachedCommit {
    id: String,
    parents: Vec<String>,
    author_name: String,
    author_email: String,
    time: i64,
    offset: i32,
    summary: String,
    message: String,
}

/// What comes after the header, before the entries: the commit the trail is of, its
/// commits, and each record's id with the length of its entries, in the order they
/// follow (`I`: `&str` written, `String` read).
#[derive(Serialize, Deserialize)]
struct Contents<I> {
    head: String,
    commits: Vec<CachedCommit>,
    index: Vec<(I, u64)>,
}

/// An [`Entry`] as the file stores it: the same fields, but the commit counted from the
/// oldest (0) rather than from the newest, so it stays right when new commits come.
#[derive(Serialize)]
struct StoredEntry<'a> {
    commit: usize,
    action: &'a Action,
    path: &'a str,
    fields: &'a [FieldChange],
    body_changed: bool,
}

/// The first fields of a record's stored entries: their number, then the newest
/// entry's commit, action and path.
#[derive(Deserialize)]
struct Newest<'a> {
    _count: usize,
    _commit: usize,
    #[serde(borrow)]
    _action: ActionRef<'a>,
    path: &'a str,
}

/// [`Action`] read in place.
#[derive(Deserialize)]
enum ActionRef<'a> {
    Added,
    Modified,
    Deleted,
    Moved {
        #[serde(borrow)]
        _from: &'a str,
    },
}

/// A record's entries as stored, for a trail of `commits` commits.
fn encode_entries(entries: &[Entry], commits: usize) -> Result<Vec<u8>> {
    let stored: Vec<StoredEntry> = entries
        .iter()
        .map(|e| StoredEntry {
            commit: commits - 1 - e.commit,
            action: &e.action,
            path: &e.path,
            fields: &e.fields,
            body_changed: e.body_changed,
        })
        .collect();
    Ok(postcard::to_stdvec(&stored)?)
}

/// A record's stored entries, for a trail of `commits` commits.
pub(super) fn decode_entries(bytes: &[u8], commits: usize) -> Option<Vec<Entry>> {
    let (mut entries, rest): (Vec<Entry>, &[u8]) = postcard::take_from_bytes(bytes).ok()?;
    rest.is_empty().then_some(())?;
    for e in &mut entries {
        e.commit = commits.checked_sub(1)?.checked_sub(e.commit)?;
    }
    entries.shrink_to_fit();
    entries.iter_mut().for_each(|e| e.fields.shrink_to_fit());
    Some(entries)
}

/// The path of the newest of a record's stored entries, read in place.
pub(super) fn newest_path(bytes: &[u8]) -> Option<&str> {
    let newest: Newest = postcard::take_from_bytes(bytes).ok()?.0;
    Some(newest.path)
}

/// The part of `bytes` after the header, when the header says this format and the rest
/// is whole and undamaged.
fn body(bytes: &[u8]) -> Option<&[u8]> {
    let (header, body) = bytes.split_at_checked(HEADER)?;
    let format = u32::from_le_bytes(header[8..12].try_into().ok()?);
    let crc = u32::from_le_bytes(header[12..16].try_into().ok()?);
    let len = u64::from_le_bytes(header[16..24].try_into().ok()?);
    let whole = header[..8] == MAGIC && format == FORMAT && len == body.len() as u64;
    (whole && crc32fast::hash(body) == crc).then_some(body)
}

/// The kept trail and the commit it is of; its entries stay in the file's bytes until
/// asked for.
fn read(file: &Path) -> Option<(ObjectId, AuditTrail)> {
    let bytes = std::fs::read(file).ok()?;
    let body = body(&bytes)?;
    let (contents, entries): (Contents<String>, &[u8]) = postcard::take_from_bytes(body).ok()?;
    let id = |hex: &str| ObjectId::from_hex(hex.as_bytes()).ok();
    let head = id(&contents.head)?;
    let commits = contents
        .commits
        .into_iter()
        .map(|c| {
            Some(Commit {
                id: id(&c.id)?,
                parents: c.parents.iter().map(|p| id(p)).collect::<Option<_>>()?,
                author_name: c.author_name,
                author_email: c.author_email,
                time: c.time,
                offset: c.offset,
                summary: c.summary,
                message: c.message,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let mut at = bytes.len() - entries.len();
    let mut index = Vec::with_capacity(contents.index.len());
    for (record, len) in contents.index {
        let end = at.checked_add(usize::try_from(len).ok()?)?;
        index.push((record, at..end));
        at = end;
    }
    (at == bytes.len()).then_some(())?;
    Some((head, AuditTrail::from_stored(commits, index, bytes)))
}

/// Writes `trail`, the trail of `head`, to `file` (through a file of this process,
/// renamed into place, so a reader never sees half of it), readable by its owner only.
fn write(file: &Path, head: ObjectId, trail: &AuditTrail) -> Result<()> {
    let mut records: Vec<(&str, Kept)> = trail.kept().collect();
    records.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let n = trail.commits.len();
    let entries: Vec<Cow<[u8]>> = records
        .par_iter()
        .map(|(_, kept)| match kept {
            Kept::Stored(bytes) => Ok(Cow::Borrowed(*bytes)),
            Kept::Decoded(entries) => encode_entries(entries, n).map(Cow::Owned),
        })
        .collect::<Result<_>>()?;
    let commits = trail
        .commits
        .iter()
        .map(|c| CachedCommit {
            id: c.id.to_string(),
            parents: c.parents.iter().map(ToString::to_string).collect(),
            author_name: c.author_name.clone(),
            author_email: c.author_email.clone(),
            time: c.time,
            offset: c.offset,
            summary: c.summary.clone(),
            message: c.message.clone(),
        })
        .collect();
    let index = records.iter().zip(&entries).map(|((id, _), bytes)| (*id, bytes.len() as u64)).collect();
    let contents = postcard::to_stdvec(&Contents { head: head.to_string(), commits, index })?;
    let mut crc = crc32fast::Hasher::new();
    crc.update(&contents);
    entries.iter().for_each(|bytes| crc.update(bytes));
    let len = contents.len() + entries.iter().map(|bytes| bytes.len()).sum::<usize>();

    crate::git::write_private_with(file, |out| {
        out.write_all(&MAGIC)?;
        out.write_all(&FORMAT.to_le_bytes())?;
        out.write_all(&crc.finalize().to_le_bytes())?;
        out.write_all(&(len as u64).to_le_bytes())?;
        out.write_all(&contents)?;
        entries.iter().try_for_each(|bytes| out.write_all(bytes))
    })?;
    Ok(())
}

/// The audit trail of every record reachable from `head` (merge commits skipped, as `git
/// log` does), read from the kept file when it holds the trail of `head` (each record's
/// entries decoded when asked for), else computed and kept there for the next run (a
/// file that cannot be written is only a slower next run).
pub(crate) fn audit_trail_cached(git: &Git, head: ObjectId) -> Result<AuditTrail> {
    let file = git.cache_file(FILE);
    let cached = crate::git::caches_on();
    let earlier = match cached.then(|| read(&file)).flatten() {
        Some((of, trail)) if of == head => return Ok(trail),
        Some((_, trail)) => Some(trail),
        None => None,
    };
    let commits = git.commits(head, None)?;
    let trail = match earlier {
        Some(earlier) if extends(&earlier, &commits) => extend_trail(git, earlier, commits)?,
        _ => {
            let by_id = entries_of(git, &commits)?;
            AuditTrail::from_entries(commits, by_id)
        }
    };
    // Only the trail of HEAD is kept: the one every build reads and extends. An older
    // revision's (`log --rev`) would put the next build back to a walk of everything.
    let of_head = git.resolve("HEAD").ok() == Some(head);
    if cached && of_head && write(&file, head, &trail).is_ok() {
        let _ = std::fs::remove_file(git.cache_file(OLD_FILE));
    }
    Ok(trail)
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;
    use crate::history::Shown;

    /// A real git repository, committed to by several people on given days.
    struct Repo {
        dir: tempfile::TempDir,
        day: u32,
    }

    impl Repo {
        fn git(&self, who: &str, args: &[&str]) -> String {
            let date = format!("2026-03-{:02}T10:00:00+03:00", self.day.max(1));
            let email = format!("{who}@izmir.bel.tr");
            let output = Command::new("git")
                .current_dir(self.dir.path())
                .args(["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"])
                .args(args)
                .envs([("GIT_AUTHOR_NAME", who), ("GIT_COMMITTER_NAME", who)])
                .envs([("GIT_AUTHOR_EMAIL", &email), ("GIT_COMMITTER_EMAIL", &email)])
                .envs([("GIT_AUTHOR_DATE", &date), ("GIT_COMMITTER_DATE", &date)])
                .output()
                .unwrap();
            assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
            String::from_utf8(output.stdout).unwrap()
        }

        fn write(&self, rel: &str, text: &str) {
            let path = self.dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }

        /// Commits everything as `who`, a day after the last commit.
        fn commit(&mut self, who: &str, message: &str) {
            self.day += 1;
            self.git(who, &["add", "-A"]);
            self.git(who, &["commit", "-q", "-m", message]);
        }

        fn open(&self) -> Git {
            Git::open(self.dir.path()).unwrap()
        }
    }

    const PERSON: &str = "records/org/people/ayse.yilmaz.yaml";
    const REQUEST: &str = "records/requests/2026/TLP-2026-0001.md";
    const GRANT: &str = "records/grants/2026/YTK-2026-0001.yaml";
    const REQUEST_ID: &str = "TLP-2026-0001";

    fn request(status: &str, history: &[(&str, &str)], body: &str) -> String {
        let mut text = format!("---\nid: TLP-2026-0001\ntitle: Yazıcı arızası\nstatus: {status}\nhistory:\n");
        for (date, state) in history {
            text.push_str(&format!("  - {{ date: {date}, by: burak.yildiz, status: {state} }}\n"));
        }
        text + "---\n" + body
    }

    fn grant(role: &str, cost: &str) -> String {
        format!(
            "id: YTK-2026-0001\ngrantee: ayse.yilmaz\nsystem: app-him\nrole: {role}\nstatus: active\n\
             cost: {cost}\nlimits: {{ daily: 3 }}\nexpires: null\nremote: true\nseats: -2\n"
        )
    }

    /// A history by four people: records added, changed field by field and in lists, a
    /// side branch merged, a request moved to another folder, a person deleted and added
    /// again, values of every kind.
    fn history() -> Repo {
        let mut repo = Repo { dir: tempfile::tempdir().unwrap(), day: 0 };
        repo.git("ayse.yilmaz", &["init", "-q", "-b", "main"]);
        repo.write(PERSON, "id: ayse.yilmaz\nname: Ayşe Yılmaz\nemail: ayse@izmir.bel.tr\n");
        repo.write(REQUEST, &request("new", &[("2026-03-01", "new")], "Yazıcı çalışmıyor.\n"));
        repo.write(GRANT, &grant("Okuyucu", "12.5"));
        repo.commit("ayse.yilmaz", "Kayıtlar");
        repo.write(REQUEST, &request("assigned", &[("2026-03-01", "new"), ("2026-03-02", "assigned")], "Yazıcı.\n"));
        repo.write(PERSON, "id: ayse.yilmaz\nname: Ayşe Yılmaz\nemail: ayse.yilmaz@izmir.bel.tr\n");
        repo.commit("burak.yildiz", "TLP-2026-0001 atandı");
        repo.git("elif.kara", &["checkout", "-q", "-b", "yan"]);
        repo.write(GRANT, &grant("Yazar", ".nan"));
        repo.commit("elif.kara", "YTK-2026-0001 rol");
        repo.git("selin.aydin", &["checkout", "-q", "main"]);
        std::fs::create_dir_all(repo.dir.path().join("records/requests/2025")).unwrap();
        repo.git("selin.aydin", &["mv", REQUEST, "records/requests/2025/TLP-2026-0001.md"]);
        repo.git("selin.aydin", &["rm", "-q", PERSON]);
        repo.commit("selin.aydin", "taşı, sil");
        repo.day += 1;
        repo.git("selin.aydin", &["merge", "-q", "--no-ff", "-m", "Merge yan", "yan"]);
        repo.write(GRANT, &grant("Yönetici", "7"));
        repo.write(PERSON, "id: ayse.yilmaz\nname: Ayşe Yılmaz Kara\n");
        repo.commit("ayse.yilmaz", "YTK-2026-0001 yönetici, Ayşe geri");
        let done = [("2026-03-01", "new"), ("2026-03-02", "assigned"), ("2026-03-07", "done")];
        repo.write("records/requests/2025/TLP-2026-0001.md", &request("done", &done, "Yazıcı onarıldı.\n"));
        repo.commit("burak.yildiz", "TLP-2026-0001 kapandı");
        repo
    }

    /// Everything a trail holds, record by record in id order (each record's newest path
    /// asked before its entries, so a kept trail's is read in place).
    fn dump(trail: &AuditTrail) -> Vec<String> {
        let mut out: Vec<String> = trail.commits.iter().map(|c| format!("{c:?}")).collect();
        let mut ids: Vec<&str> = trail.ids().collect();
        ids.sort_unstable();
        for id in ids {
            out.push(format!("{id} {:?} {:?}", trail.newest_path(id), trail.of(id)));
        }
        out
    }

    /// The trail of `rev` walked from scratch, never kept.
    fn walked(git: &Git, rev: &str) -> Vec<String> {
        let commits = git.commits(git.resolve(rev).unwrap(), None).unwrap();
        let by_id = entries_of(git, &commits).unwrap();
        dump(&AuditTrail::from_entries(commits, by_id))
    }

    /// The history, opened, its HEAD, and the walk's trail of it.
    fn walked_history() -> (Repo, Git, ObjectId, Vec<String>) {
        let repo = history();
        let git = repo.open();
        let head = git.resolve("HEAD").unwrap();
        let expected = walked(&git, "HEAD");
        (repo, git, head, expected)
    }

    #[test]
    fn the_kept_trail_reads_back_as_the_walk_gives_it_whole_or_record_by_record() {
        let (_repo, git, head, expected) = walked_history();
        assert_eq!(expected.iter().filter(|l| l.contains("Moved")).count(), 1, "{expected:#?}");
        assert!(expected.iter().any(|l| l.contains("Deleted")) && expected.iter().any(|l| l.contains("Float(12.5)")));
        assert_eq!(dump(&audit_trail_cached(&git, head).unwrap()), expected, "the first run walks");
        let file = git.cache_file(FILE);
        #[cfg(unix)]
        assert_eq!(std::os::unix::fs::PermissionsExt::mode(&file.metadata().unwrap().permissions()) & 0o777, 0o600);

        // Read again: one record asked for is the only one decoded, and is the walk's.
        let kept = audit_trail_cached(&git, head).unwrap();
        assert_eq!(kept.decoded(), 0);
        let line = |id: &str| format!("{id} {:?} {:?}", kept.newest_path(id), kept.of(id));
        assert_eq!(expected.iter().find(|l| l.starts_with("TLP-2026-0001 ")), Some(&line("TLP-2026-0001")));
        assert_eq!(kept.decoded(), 1);
        assert_eq!(dump(&kept), expected, "record by record");
        let (of, mut whole) = read(&file).unwrap();
        assert_eq!(of, head);
        whole.decode_all();
        assert_eq!(whole.decoded(), whole.ids().count());
        assert_eq!(dump(&whole), expected, "all at once");
    }

    #[test]
    fn a_trail_kept_at_another_commit_is_extended_or_walked_anew_as_a_walk_gives_it() {
        let repo = history();
        let git = repo.open();
        // (kept at, asked for, whether the kept trail is extended): forward along the
        // first parents and from the side branch, whose commits are the oldest (extended);
        // from before the side branch's commit, back to an ancestor (`log --rev`) and to
        // the side branch (walked anew).
        let cases = [
            ("HEAD~1", "HEAD", true),
            ("HEAD~2", "HEAD", true),
            ("yan", "HEAD", true),
            ("HEAD~3", "HEAD", false),
            ("HEAD", "HEAD~2", false),
            ("HEAD", "yan", false),
        ];
        for (from, to, extended) in cases {
            let (at, head) = (git.resolve(from).unwrap(), git.resolve(to).unwrap());
            // Kept at `from` (a build that ran there, when it was HEAD).
            let before = git.commits(at, None).unwrap();
            let trail = AuditTrail::from_entries(before.clone(), entries_of(&git, &before).unwrap());
            write(&git.cache_file(FILE), at, &trail).unwrap();
            assert_eq!(dump(&read(&git.cache_file(FILE)).unwrap().1), walked(&git, from), "{from}");
            let commits = git.commits(head, None).unwrap();
            assert_eq!(extends(&read(&git.cache_file(FILE)).unwrap().1, &commits), extended, "{from} → {to}");
            if extended {
                // Some records' entries read already (in memory, counted from the newest
                // commit), the others still in the file's bytes.
                let (_, earlier) = read(&git.cache_file(FILE)).unwrap();
                assert!(!earlier.of(REQUEST_ID).is_empty() && !earlier.of("YTK-2026-0001").is_empty());
                let extended = extend_trail(&git, earlier, commits.clone()).unwrap();
                assert_eq!(dump(&extended), walked(&git, to), "{from} → {to}, partly read");
            }
            assert_eq!(dump(&audit_trail_cached(&git, head).unwrap()), walked(&git, to), "{from} → {to}");
            // HEAD's trail is written then (entries copied as they were and entries
            // written) and reads back as the walk; another revision's is not kept, and the
            // file stays as it was.
            let (of, kept) = read(&git.cache_file(FILE)).unwrap();
            if git.resolve("HEAD").unwrap() == head {
                assert_eq!((of, dump(&kept)), (head, walked(&git, to)), "{from} → {to}, read back");
            } else {
                assert_eq!((of, dump(&kept)), (at, walked(&git, from)), "{from} → {to}: only HEAD's is kept");
            }
        }
    }

    #[test]
    fn a_damaged_cut_or_older_file_is_walked_again_and_replaced() {
        let (_repo, git, head, expected) = walked_history();
        let file = git.cache_file(FILE);
        audit_trail_cached(&git, head).unwrap();
        let good = std::fs::read(&file).unwrap();
        let flipped = |at: usize| {
            let mut bytes = good.clone();
            bytes[at] ^= 0x20;
            bytes
        };
        let mut older = good.clone();
        older[8..12].copy_from_slice(&(FORMAT - 1).to_le_bytes());
        let damaged: Vec<(&str, Vec<u8>)> = vec![
            ("empty", Vec::new()),
            ("the header cut", good[..HEADER - 1].to_vec()),
            ("the header alone", good[..HEADER].to_vec()),
            ("cut in half", good[..good.len() / 2].to_vec()),
            ("the last byte cut", good[..good.len() - 1].to_vec()),
            ("a byte more", [&good[..], b"\n"].concat()),
            ("a byte of an entry changed", flipped(good.len() - 3)),
            ("a byte of a commit changed", flipped(HEADER + 50)),
            ("garbage", (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect()),
            ("an older format", older),
            (
                "the JSON of earlier versions",
                br#"{"format":"defter-history 2","head":"","commits":[],"by_id":[]}"#.to_vec(),
            ),
        ];
        for (what, bytes) in damaged {
            std::fs::write(&file, &bytes).unwrap();
            assert!(read(&file).is_none(), "{what} was read");
            assert_eq!(dump(&audit_trail_cached(&git, head).unwrap()), expected, "{what}");
            assert_eq!(std::fs::read(&file).unwrap(), good, "{what} was not replaced");
        }
        // A file that is a folder is no file: walked, and the run goes on.
        std::fs::remove_file(&file).unwrap();
        std::fs::create_dir(&file).unwrap();
        assert_eq!(dump(&audit_trail_cached(&git, head).unwrap()), expected);
        std::fs::remove_dir(&file).unwrap();
        // The JSON file of earlier versions goes when the binary one is written.
        let old = git.cache_file(OLD_FILE);
        std::fs::write(&old, "{}").unwrap();
        audit_trail_cached(&git, head).unwrap();
        assert!(file.is_file() && !old.exists());
    }

    #[test]
    fn a_shown_value_round_trips_in_the_binary_form_and_stays_json_in_json() {
        let values = [
            Shown::Null,
            Shown::Bool(true),
            Shown::Int(-7),
            Shown::Int(i64::MAX),
            Shown::Float(2.5),
            Shown::Float(f64::NAN),
            Shown::Float(f64::NEG_INFINITY),
            Shown::Str("".into()),
            Shown::Str("Ayşe Yılmaz, bir uzun değer: satır\nsonu ve {süslü} [köşeli]".into()),
            Shown::List(0),
            Shown::List(3),
            Shown::Map,
        ];
        for value in &values {
            let back: Shown = postcard::from_bytes(&postcard::to_stdvec(value).unwrap()).unwrap();
            assert_eq!(format!("{back:?}"), format!("{value:?}"));
        }
        let json: Vec<String> = values.iter().map(|v| serde_json::to_string(v).unwrap()).collect();
        assert_eq!(json[9..], ["[]", "[null,null,null]", "{}"]);
        assert_eq!(json[5], "null");
        let back: Vec<Shown> = json.iter().map(|j| serde_json::from_str(j).unwrap()).collect();
        assert_eq!(back[10], Shown::List(3));
    }
}

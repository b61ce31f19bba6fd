//! The incremental machinery under every build, knowing no page: the keys of what each
//! part is made from ([`keys`]), the state the last build left in the site ([`state`]),
//! where rendered files go and how the new site is put in place ([`sink`], [`mod@write`]),
//! and the link check ([`links`]). A page hands its files to a [`Pieces`] under a name
//! and a key and never learns whether they were rendered, kept or only collected in
//! memory; so changing a page never means changing anything here.

pub(super) mod keys;
pub(super) mod links;
pub(super) mod sink;
pub(super) mod state;
pub(super) mod write;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::Result;

use crate::diag::msg;

use keys::Keys;
use sink::Sink;
use state::State;

/// A rendered file of the site: path relative to the root, and its bytes.
pub(super) type Output = (String, Vec<u8>);

/// Where the parts of a site put their files. A piece is a set of files made at once
/// under one name and key; a build renders it only when the last build did not make it
/// with the same key.
pub(super) trait Pieces: Sync {
    /// Makes the piece `name`, whose inputs have the key `key`, with `render` (or keeps
    /// the last build's files).
    fn piece(&self, name: &str, key: u64, render: &(dyn Fn() -> Result<Vec<Output>> + Sync)) -> Result<()>;

    /// A file of the last build, for a part that updates its files rather than making
    /// them anew (the search index); `None` when there is none to update.
    fn previous_file(&self, _path: &str) -> Option<Vec<u8>> {
        None
    }

    /// The key under which the last build made the piece `name` (`None` when its files
    /// are not in the site as it made them).
    fn previous_key(&self, _name: &str) -> Option<u64> {
        None
    }
}

/// Renders every piece, in memory.
#[derive(Default)]
pub(super) struct Collect(std::sync::Mutex<Vec<Output>>);

impl Collect {
    /// Every file `make` puts into the pieces it is given.
    pub(super) fn all(make: impl FnOnce(&Collect) -> Result<()>) -> Result<Vec<Output>> {
        let all = Collect::default();
        make(&all)?;
        Ok(all.0.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}

impl Pieces for Collect {
    fn piece(&self, _: &str, _: u64, render: &(dyn Fn() -> Result<Vec<Output>> + Sync)) -> Result<()> {
        let files = render()?;
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend(files);
        Ok(())
    }
}

impl Pieces for Sink {
    fn piece(&self, name: &str, key: u64, render: &(dyn Fn() -> Result<Vec<Output>> + Sync)) -> Result<()> {
        let reusable = self.previous().and_then(|p| p.reusable(name, key));
        if let Some(files) = reusable.filter(|files| files.iter().all(|f| self.intact(f))) {
            files.into_iter().for_each(|f| self.keep(f));
            return Ok(());
        }
        for (path, bytes) in render()? {
            self.put(name, key, path, &bytes)?;
        }
        Ok(())
    }

    fn previous_file(&self, path: &str) -> Option<Vec<u8>> {
        Sink::previous_file(self, path)
    }

    fn previous_key(&self, name: &str) -> Option<u64> {
        let files = self.previous()?.part(name)?;
        let intact = files.iter().all(|f| self.intact(f));
        files.first().map(|f| f.key).filter(|key| intact && files.iter().all(|f| f.key == *key))
    }
}

/// No two files of the site may share a path, not even one that differs only in case
/// (one file on Windows and macOS): a page overwriting another would lose it silently.
pub(super) fn unique_paths<'p>(paths: impl Iterator<Item = &'p str>) -> Result<()> {
    let mut seen = HashMap::new();
    for path in paths {
        if let Some(other) = seen.insert(path.to_lowercase(), path) {
            anyhow::bail!("two files of the site would be written to one path: {other} and {path} (a defter bug)");
        }
    }
    Ok(())
}

/// What a build made.
pub struct Built {
    /// Files of the site.
    pub files: usize,
    /// Files rendered again (the rest were kept from the last build).
    pub rendered: usize,
    /// Files written (a rendered file whose bytes did not change is not written).
    pub written: usize,
    /// Why nothing of the last build could be reused, when that was so.
    pub full: Option<String>,
    /// What an incremental build changed in the site: each file written, with the
    /// [`state::content_hash`] of its bytes, and each file removed (hash `None`); `None`
    /// after a full build, which put a whole new site in place.
    pub changed: Option<Vec<(String, Option<u64>)>>,
}

/// What a build does with the pieces it is given: make every part of the site into them.
pub(super) type Make<'m> = dyn Fn(&dyn Pieces) -> Result<()> + Sync + 'm;

/// Makes the site into `out` with `make`, incrementally when `previous` (the state the
/// last build left in `out`) was made with the same global key as `keys`, else in full;
/// `unlinked` tells a file no page links to (its going away needs no link check).
///
/// An incremental build renders only the pieces whose keys changed and replaces only
/// the files that changed; when it cannot check the links on its own (a page or an
/// anchor went away) it gives way to a full build, made next to `out` and swapped in.
/// Either way a failed build leaves `out` as it was.
pub(super) fn run(
    out: &Path,
    keys: &Keys,
    previous: Option<State>,
    make: &Make,
    unlinked: fn(&str) -> bool,
) -> Result<Built> {
    let full = match previous {
        None => msg!(
            "no build state in the site that this defter can read (a first build, the last one did not finish, or an older defter made it)",
            "sitede bu defter'in okuyabileceği bir derleme durumu yok (ilk derleme, son derleme bitmedi ya da daha eski bir defter yaptı)"
        ),
        Some(previous) if previous.global != keys.global => {
            let names = previous.changed(&keys.inputs);
            let en = names.join(", ");
            let tr = names.iter().map(|n| input_tr(n)).collect::<Vec<_>>().join(", ");
            msg!("{en} changed since the last build", "son derlemeden beri değişen: {tr}")
        }
        Some(previous) => match link_in_site(out, &previous) {
            // Writing into it would write wherever it leads: the new site is made next
            // to this one and swapped in, and the link goes with the old site.
            Some(dir) => msg!(
                "{dir} in the site is not a folder (a symbolic link?), and nothing is written through it",
                "sitedeki {dir} bir klasör değil (sembolik bağ mı?); içinden hiçbir şey yazılmaz"
            ),
            None => {
                // `None`: a page went away, and only a full build can check the links.
                let sink = Sink::incremental(out, previous)?;
                if let Some(built) = build_with(keys, sink, out, make, unlinked)? {
                    return Ok(built);
                }
                msg!(
                    "a page or an anchor went away, and links are checked over the whole site",
                    "bir sayfa ya da bağlantı hedefi kalktı; bağlantılar bütün sitede denetlenir"
                )
            }
        },
    }
    .to_string();
    let built = build_with(keys, Sink::full(out)?, out, make, unlinked)?
        .ok_or_else(|| anyhow::anyhow!("full build refused"))?;
    Ok(Built { full: Some(full), changed: None, ..built })
}

/// The Turkish name of a build input ([`Keys`]'s names are English: they are stored in
/// the build state).
fn input_tr(name: &str) -> &str {
    match name {
        "the defter binary" => "defter programı",
        "the templates" => "şablonlar",
        "the configuration" => "yapılandırma",
        "the rules" => "kurallar",
        "the base URL" => "temel adres",
        "live reload" => "canlı yenileme",
        "--public" => "--public",
        "the site key (.git/defter/site-key)" => "site anahtarı (.git/defter/site-key)",
        "the date (--as-of)" => "tarih (--as-of)",
        "the commit" => "commit",
        other => other,
    }
}

/// The first folder of the last build's files in the site at `out` that is no longer a
/// real folder (replaced by a symbolic link, say), as a path inside the site.
fn link_in_site(out: &Path, previous: &State) -> Option<String> {
    let mut checked = HashSet::new();
    previous.entries.iter().find_map(|e| write::not_a_folder(out, &e.path, &mut checked))
}

/// Renders (or keeps) every part into `sink` and puts the site in place; `None` when an
/// incremental build cannot be checked on its own (a file or an id went away).
fn build_with(keys: &Keys, sink: Sink, out: &Path, make: &Make, unlinked: fn(&str) -> bool) -> Result<Option<Built>> {
    let made = make(&sink);
    let (files, finish) = sink.into_files();
    let checked = made.and_then(|()| {
        let removed = finish.removed(&files);
        let linked_file_gone = removed.iter().any(|path| !unlinked(path));
        if finish.is_incremental() && (linked_file_gone || finish.lost_ids(&files)) {
            return Ok(None);
        }
        unique_paths(files.iter().map(|f| f.path.as_str()))?;
        let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let pages = files.iter().filter_map(|f| Some((f.path.as_str(), f.summary.as_ref()?)));
        // A kept page's ids, found (the files are sorted by path) only for the pages
        // rendered pages link into.
        let kept = |path: &str| {
            let at = files.binary_search_by(|f| f.path.as_str().cmp(path)).ok()?;
            files[at].kept_ids.as_deref()
        };
        links::check_summaries(&paths, pages, &finish.strings, &kept)?;
        Ok(Some(removed))
    });
    match checked {
        Ok(Some(removed)) => {
            let written = files.iter().filter(|f| f.written);
            let changed = written.map(|f| (f.path.clone(), Some(f.hash))).chain(removed.into_iter().map(|p| (p, None)));
            let built = Built {
                files: files.len(),
                rendered: files.iter().filter(|f| f.rendered).count(),
                written: files.iter().filter(|f| f.written).count(),
                full: None,
                changed: finish.is_incremental().then(|| changed.collect()),
            };
            finish.commit(out, keys.global, &keys.inputs, &files)?;
            Ok(Some(built))
        }
        Ok(None) => {
            finish.abandon();
            Ok(None)
        }
        Err(e) => {
            finish.abandon();
            Err(e)
        }
    }
}

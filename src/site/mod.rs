//! `defter build`: the records rendered as a static intranet site. This file is the
//! build's entry and its table of contents: the input becomes a [`Site`] (the indexes
//! over the records, [`data`]), the site is cut into `Part`s, each made by its page
//! family under [`pages`], and every part's files go through the build's pieces to a
//! sink that streams them to disk, checks every link and swaps the new site in.
//!
//! Where things live: the struct the pages read the records through is in [`data`];
//! the structs several templates share in [`view`]; escaping and slugs in [`html`]; the
//! CSV, JSON, iCalendar and Atom writers in [`formats`]; keys, build state, sink, safe
//! writing and the link check in `build/`, which no page change touches. Alongside:
//! [`templates`], [`markdown`], `charts`, [`i18n`], [`redact`] and [`serve`].
//!
//! Pages are rendered in parallel and streamed to disk as they are made (only their
//! links and ids are kept, for the link check), into a temporary folder that replaces
//! the output folder in one step once every link checks out: a failed build never
//! leaves a half-written site. A build state in the site (`.defter-build`) lets the
//! next build re-render only the parts whose inputs changed — after a merge, the pages
//! of the records it changed and the overviews. The same commit and `--as-of` give
//! byte-identical output, incremental or not.

mod build;
mod charts;
pub(crate) mod data;
pub(crate) mod formats;
pub mod html;
pub(crate) mod i18n;
pub mod markdown;
pub(crate) mod pages;
mod pipeline;
pub(crate) mod redact;
pub(crate) mod serve;
pub mod templates;
pub(crate) mod view;
mod warm;

use std::path::Path;

use anyhow::Result;
use rayon::prelude::*;

pub use build::Built;
pub use build::keys::Salt;
use build::keys::{self, Keys};
pub use build::write::{MARKER, check_out_dir};
use build::{Collect, Output, Pieces, links, state, unique_paths};
pub use data::Input;
use data::Site;
use pages::{exports, search};
pub use pipeline::{Made, Settings, build};

use crate::load::Progress;
use crate::model::Record;
pub use templates::Templates;
pub use warm::Warm;

/// A part of the site, made at once: a record's page, or a page (or a set of files)
/// over many records.
#[derive(Clone, Copy)]
enum Part<'a> {
    Record(&'a Record),
    Home,
    RequestLists,
    Portfolio,
    Grants,
    Inventory,
    Registers,
    Calendar,
    Reports,
    Findings,
    Rules,
    Directive,
    /// The page naming the commit and the date.
    Build,
    Workload,
    Exports,
    Search,
    Assets,
}

/// The parts over many records, in no particular order (the output is sorted).
const OVERVIEWS: [Part<'static>; 16] = [
    Part::Home,
    Part::RequestLists,
    Part::Portfolio,
    Part::Grants,
    Part::Inventory,
    Part::Registers,
    Part::Calendar,
    Part::Reports,
    Part::Findings,
    Part::Rules,
    Part::Directive,
    Part::Build,
    Part::Workload,
    Part::Exports,
    Part::Search,
    Part::Assets,
];

impl Part<'_> {
    /// The part's name in the build state.
    fn name(&self, site: &Site) -> String {
        match self {
            Part::Record(r) => format!("r:{}", site.url(r)),
            Part::Home => "home".into(),
            Part::RequestLists => "requests".into(),
            Part::Portfolio => "portfolio".into(),
            Part::Grants => "grants".into(),
            Part::Inventory => "inventory".into(),
            Part::Registers => "registers".into(),
            Part::Calendar => "calendar".into(),
            Part::Reports => "reports".into(),
            Part::Findings => "findings".into(),
            Part::Rules => "rules".into(),
            Part::Directive => "directive".into(),
            Part::Build => "build".into(),
            Part::Workload => "workload".into(),
            Part::Exports => "exports".into(),
            Part::Search => "search".into(),
            Part::Assets => "assets".into(),
        }
    }

    /// Makes the part's files into `pieces`: the request lists page by page, the exports
    /// a group at a time and the search index file by file, each under its own key; every
    /// other part as one piece under the key of its inputs (see [`keys`]).
    fn make(&self, site: &Site, templates: &Templates, keys: &Keys, pieces: &dyn Pieces) -> Result<()> {
        let key = match self {
            Part::RequestLists => return site.request_lists(templates, keys, pieces),
            Part::Exports => return exports::make(site, keys, pieces),
            Part::Search => return search::make(site, templates, keys, pieces),
            Part::Record(r) => keys.page(site, r),
            Part::Assets => keys.global,
            // The pages over many records show no bodies; these show no requests or
            // projects either. The grants page lists the reviews due from the date on.
            Part::Grants => keys.dated(keys.registers),
            Part::Inventory | Part::Registers => keys.registers,
            // The directive page reads the rule set only (in the global key).
            Part::Directive => keys.global,
            // The page every footer links to names the commit and the date.
            Part::Build => keys.dated(keys.with_history(keys.global)),
            // The home page lists the latest changes of the history; the reports count
            // months of it. Both count what is open or late on the date.
            Part::Home | Part::Reports => keys.dated(keys.with_history(keys.all_data)),
            // What is due from the date on, and what is overdue on it.
            Part::Calendar | Part::Workload => keys.dated(keys.all_data),
            // Neither the date nor the commit: the findings say what the date decides.
            Part::Portfolio | Part::Findings | Part::Rules => keys.all_data,
        };
        pieces.piece(&self.name(site), key, &|| self.render(site, templates, keys))
    }

    /// Renders the part's files (all of them).
    fn render(&self, site: &Site, templates: &Templates, keys: &Keys) -> Result<Vec<Output>> {
        Ok(match self {
            Part::Record(r) => record_files(site, r, templates)?,
            Part::Home => vec![site.home(templates)?],
            Part::RequestLists => Collect::all(|all| site.request_lists(templates, keys, all))?,
            Part::Portfolio => vec![site.portfolio(templates)?],
            Part::Grants => site.grants_pages(templates)?,
            Part::Inventory => site.inventory_pages(templates)?,
            Part::Registers => site.register_pages(templates)?,
            Part::Calendar => site.calendar(templates)?,
            Part::Reports => vec![site.reports(templates)?],
            Part::Findings => vec![site.findings_page(templates)?],
            Part::Rules => vec![site.rules_page(templates)?],
            Part::Directive => vec![site.directive_page(templates)?],
            Part::Build => vec![site.build_page(templates)?],
            Part::Workload => vec![site.workload_page(templates)?],
            Part::Exports => Collect::all(|all| exports::make(site, keys, all))?,
            Part::Search => Collect::all(|all| search::make(site, templates, keys, all))?,
            Part::Assets => {
                let mut out = Vec::new();
                if site.input.live_reload {
                    out.push(("assets/livereload.js".into(), serve::LIVE_RELOAD_JS.as_bytes().to_vec()));
                }
                for (name, text) in &templates.assets {
                    out.push((format!("assets/{name}"), text.clone().into_bytes()));
                }
                out
            }
        })
    }
}

/// The files of a record's part: its page, and a campaign's CSV, which reads the record
/// alone like its page (one piece, one key).
fn record_files(site: &Site, r: &Record, templates: &Templates) -> Result<Vec<Output>> {
    Ok(if r.kind == crate::model::Kind::Campaign {
        vec![site.record_page(r, templates)?, site.campaign_csv(r)?]
    } else {
        vec![site.record_page(r, templates)?]
    })
}

/// Renders the parts of the records at `paths` alone (their pages) and puts their files
/// into the site at `out` in place of the last build's, each replaced whole in one step;
/// the rest of the site and its build state are left as they are. This is how `defter
/// serve` shows an edit at once, before the rebuild that brings the rest of the site up
/// to it ([`warm`]): the files are those that rebuild makes of the same input, and the
/// build state, which still describes the last build's files, makes it render them
/// again. Gives back each file's path, the [`build::state::content_hash`] of its bytes
/// and whether it was replaced (a file whose bytes did not change is not written).
///
/// The pages ask for the backlinks of their own records alone, which are taken from
/// `backlinks` (the last full render's, [`write`]) and found anew for the records at
/// `paths` only, rather than from a walk over every record's references.
pub(crate) fn write_parts_of(
    input: &Input,
    redacted: &redact::Redacted,
    templates: &Templates,
    out: &Path,
    paths: &[String],
    backlinks: &data::KeptBacklinks,
) -> Result<Vec<(String, u64, bool)>> {
    let shown = shown_input(input, redacted);
    let edited: Vec<usize> =
        shown.records.records.iter().enumerate().filter(|(_, r)| paths.contains(&r.path)).map(|(at, _)| at).collect();
    let ids: Vec<&str> = edited.iter().map(|at| shown.records.records[*at].id()).collect();
    let site = Site::with_backlinks(&shown, backlinks.patched(&shown, &ids, &edited));
    {
        let site = &site;
        let records: Vec<&Record> = paths.iter().filter_map(|p| site.record_at(p)).collect();
        let files: Vec<Vec<Output>> =
            records.par_iter().map(|r| record_files(site, r, templates)).collect::<Result<_>>()?;
        let mut written = Vec::new();
        for (path, bytes) in files.into_iter().flatten() {
            let replaced = build::write::replace_file(out, &path, &bytes)?;
            written.push((path, build::state::content_hash(&bytes), replaced));
        }
        Ok(written)
    }
}

/// Whether the site leaves personal data out: `--public`, or `[site] personal_data =
/// false`.
pub fn hides_personal_data(public: bool, config: &crate::config::Config) -> bool {
    public || !config.site.personal_data
}

/// The redacted copy of `input`'s records, history and findings (see [`redact`]), keyed
/// with a new [`keys::Salt`]: a site built from it shares no build keys with an earlier
/// one (see [`write`] for builds that do).
pub fn redact_copy(input: &Input) -> redact::Redacted {
    let public = hides_personal_data(input.public, input.config);
    redact::apply(input.records, input.trail, input.report, public, keys::Salt::random())
}

/// Runs `f` on the site made from `redacted` (redacted records, history and findings) with
/// `input`'s settings; `input`'s own records, history, findings and `public` are not
/// used (`public` is how `redacted` was made).
fn with_redacted<T>(input: &Input, redacted: &redact::Redacted, f: impl FnOnce(&Site) -> Result<T>) -> Result<T> {
    let input = shown_input(input, redacted);
    let site = Site::new(&input);
    f(&site)
}

/// `input`'s settings with `redacted`'s records, history and findings (see
/// [`with_redacted`]).
fn shown_input<'a>(input: &Input<'a>, redacted: &'a redact::Redacted) -> Input<'a> {
    Input {
        records: redacted.records(),
        rules: input.rules,
        schemas: input.schemas,
        config: input.config,
        report: redacted.report(),
        trail: redacted.trail(),
        as_of: input.as_of,
        commit: input.commit.clone(),
        base_url: input.base_url.clone(),
        live_reload: input.live_reload,
        public: redacted.public(),
        // Validation's id table fits the records shown only if redaction changed no id.
        ids: input.ids.filter(|_| redacted.ids_kept()),
    }
}

/// Fails when a file loading left unread (see [`crate::model::Source::later`]) was no
/// longer what loading knew when a page read its body (or its fields were parsed from
/// it again, their packed form not reading back).
fn changed_while_built(records: &crate::load::Records) -> Result<()> {
    let changed = |r: &&crate::model::Record| {
        r.fields.changed_since_loading() || r.body.as_ref().is_some_and(|b| b.text.changed_since_loading())
    };
    match records.records.iter().find(changed) {
        Some(r) => {
            let path = &r.path;
            anyhow::bail!(crate::diag::msg!(
                "{path} changed while the site was built: nothing was written; build again",
                "{path} site oluşturulurken değişti: hiçbir şey yazılmadı; yeniden oluşturun"
            ))
        }
        None => Ok(()),
    }
}

/// The overviews first: they are the long pieces (the exports, the search index), and
/// starting them first lets the other core take the many short record pages meanwhile.
fn parts<'a>(site: &Site<'a>) -> Vec<Part<'a>> {
    OVERVIEWS.into_iter().chain(site.sorted.iter().map(|r| Part::Record(r))).collect()
}

/// Renders every page and file of the site in memory, sorted by path, and checks them.
pub fn render(input: &Input, templates: &Templates) -> Result<Vec<Output>> {
    let redacted = redact_copy(input);
    with_redacted(input, &redacted, |site| {
        let keys = Keys::new(site, templates, redacted.digests());
        let rendered: Vec<Vec<Output>> =
            parts(site).par_iter().map(|part| part.render(site, templates, &keys)).collect::<Result<_>>()?;
        let mut out: Vec<Output> = rendered.into_iter().flatten().collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        unique_paths(out.iter().map(|(p, _)| p.as_str()))?;
        links::check(&out)?;
        Ok(out)
    })
}

/// Builds the site into `out` from records, history and findings already redacted — by
/// [`redact::Redacted::take`], which redacts in place what a caller no longer needs
/// instead of copying it (a large repository is then held once, not twice) — telling
/// `progress` about each part. `input` gives the settings only.
///
/// When `out` holds a site built with the same templates, configuration, rules, defter
/// binary and [`Salt`] (its `.defter-build` state says so), only the parts whose inputs
/// changed are rendered (after a new commit or on a new `--as-of` date too: see
/// [`keys`]) and only the files that changed are
/// replaced; otherwise the whole site is built next to `out` and swapped in. Either way
/// a failed build leaves `out` as it was, and the result is byte for byte what a full
/// build gives.
///
/// `keep`, when given, is made the site's backlinks (for [`write_parts_of`]).
pub(crate) fn write(
    input: &Input,
    redacted: &redact::Redacted,
    templates: &Templates,
    out: &Path,
    progress: &dyn Progress,
    keep: Option<&mut data::KeptBacklinks>,
) -> Result<Built> {
    progress.start("indexes", 0);
    with_redacted(input, redacted, |site| {
        if let Some(keep) = keep {
            *keep = data::KeptBacklinks::of(site);
        }
        progress.start("keys", 0);
        // The last build's state is one file of about 120 bytes a page, read while the
        // keys are made.
        let (keys, previous) =
            rayon::join(|| Keys::new(site, templates, redacted.digests()), || state::State::read(out));
        let make = |pieces: &dyn Pieces| -> Result<()> {
            let parts = parts(site);
            progress.start("rendering", parts.len());
            let make = |part: &Part| -> Result<()> {
                progress.step();
                part.make(site, templates, &keys, pieces)
            };
            // The overviews are each a part of their own to take: in one stretch of the
            // parts, rayon would give them all to one core, one after the other, while
            // the other made the record pages and then waited (docs/performance.md).
            let (overviews, records) = parts.split_at(OVERVIEWS.len());
            let (overviews, records) = rayon::join(
                || overviews.par_iter().with_max_len(1).try_for_each(make),
                || records.par_iter().try_for_each(make),
            );
            overviews.and(records)?;
            // A body loading left unread was read for its page; should its file have
            // changed since, the page would show what no key and no check saw, and be
            // kept so: the build fails instead, and the site stays as it was.
            changed_while_built(site.input.records)
        };
        build::run(out, &keys, previous, &make, search::unlinked)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, Kind, Known, Record, SharedText, Source};

    fn blob(bytes: &[u8]) -> [u8; 20] {
        crate::git::blob_id(bytes).as_slice().try_into().expect("20 bytes")
    }

    /// A body read for its page from a file that changed since loading left it unread
    /// fails the build, naming the file; one read as loading knew it does not.
    #[test]
    fn a_body_changed_since_loading_fails_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let records = |text: &str, now: &str| {
            let path = dir.path().join("TLP-2026-0001.md");
            std::fs::write(&path, now).unwrap();
            let known = Known { len: text.len() as u64, id: blob(text.as_bytes()), id_of: blob };
            let body = text.find("Gövde").unwrap()..text.len();
            let record = Record {
                kind: Kind::Request,
                path_id: "TLP-2026-0001".into(),
                path: "records/requests/2026/TLP-2026-0001.md".into(),
                fields: crate::model::Node::new(crate::model::Value::Null, crate::model::Pos::new(1, 1)).into(),
                body: Some(Body { text: SharedText::new(Source::later(path, known), body), line: 4 }),
            };
            crate::load::Records { records: vec![record], ..Default::default() }
        };
        let text = "---\nid: TLP-2026-0001\n---\nGövde bir\n";
        let same = records(text, text);
        assert_eq!(same.records[0].body.as_ref().unwrap().text.as_str(), "Gövde bir\n");
        assert!(changed_while_built(&same).is_ok());
        let changed = records(text, &text.replace("bir", "iki"));
        assert_eq!(changed.records[0].body.as_ref().unwrap().text.as_str(), "", "no text it was not known by");
        let err = changed_while_built(&changed).unwrap_err().to_string();
        assert!(err.contains("records/requests/2026/TLP-2026-0001.md"), "{err}");
    }
}

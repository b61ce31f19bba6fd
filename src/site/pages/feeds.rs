//! Each person's own feeds (issue 29.3), linked from their page: an iCalendar feed of the
//! due dates of what they hold and an Atom feed of the changes to it, for people who
//! follow their work in a calendar program or a feed reader rather than on the site.
//!
//! Both are cut from what the site-wide feeds list — the deadlines the calendar page
//! finds ([`Site::deadlines`]) and the Atom entries of [`Site::atom`] — so a person's
//! feed never disagrees with the calendar. Each person's two files are a piece of their
//! own, keyed by that person's data, the data and own history of the records they hold,
//! and the date built: an edit or a commit re-renders the feeds of the people it
//! concerns only; a new day re-renders them all (both feeds are stamped with it).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::OnceLock;

use anyhow::Result;
use rayon::prelude::*;

use crate::model::keepers::{Part, keepers_in};
use crate::model::{Kind, Record};
use crate::site::build::keys::Keys;
use crate::site::build::{Output, Pieces};
use crate::site::data::{Site, address};

/// Where a person's feeds are, from their page's slug: (`.ics`, `.xml`).
pub(crate) fn paths(slug: &str) -> (String, String) {
    (format!("feeds/people/{slug}.ics"), format!("feeds/people/{slug}.xml"))
}

impl<'a> Site<'a> {
    /// The people `r` is in the hands of (ids, each once, in field order): those who
    /// hold it in one of the parts [`Part::holds`] takes — its assignee, analyst and
    /// developers, who owns or keeps it (the head of a unit named), an asset's holder, a
    /// grant's grantee and the owner of the system the grant is on.
    pub(crate) fn keepers(&self, r: &Record) -> Vec<&'a str> {
        keepers_in(&self.index, r, Part::holds)
    }

    /// The records each person holds ([`Site::keepers`]), in list order.
    fn held(&self) -> HashMap<&'a str, Vec<&'a Record>> {
        let keepers: Vec<(&'a Record, Vec<&'a str>)> =
            self.sorted.par_iter().map(|r| (*r, self.keepers(r))).filter(|(_, k)| !k.is_empty()).collect();
        let mut held: HashMap<&'a str, Vec<&'a Record>> = HashMap::new();
        for (r, people) in keepers {
            for p in people {
                held.entry(p).or_default().push(r);
            }
        }
        held
    }

    /// A person's two feeds: the due dates of what they hold (`due`: the deadlines by
    /// the address of their record, as positions in [`Site::deadlines`]), and its changes.
    fn person_feeds(&self, person: &Record, held: &[&Record], due: &DueByRecord) -> Vec<Output> {
        let (ics_path, atom_path) = paths(&self.page_slug(person));
        let name = self.title(person);
        // In the site-wide calendar's order, each once (a record held twice is one).
        let mut mine: Vec<usize> = held.iter().filter_map(|r| due.get(&address(r))).flatten().copied().collect();
        mine.sort_unstable();
        mine.dedup();
        let deadlines = self.deadlines();
        let calendar =
            self.ics_of(&format!("{} — {name}", self.t("person_ical_name")), mine.iter().map(|&i| &deadlines[i]));
        let title = format!("{} — {name}", self.t("person_feed_name"));
        vec![(ics_path, calendar), (atom_path.clone(), self.atom(&atom_path, &title, held))]
    }

    /// Every deadline's position in [`Site::deadlines`], by the address of its record.
    fn due_by_record(&self) -> DueByRecord {
        let mut out: DueByRecord = HashMap::new();
        for (i, d) in self.deadlines().iter().enumerate() {
            out.entry(address(d.record)).or_default().push(i);
        }
        out
    }
}

type DueByRecord = HashMap<usize, Vec<usize>>;

/// Makes every person's feeds into `pieces`, one piece per person (see the module's
/// note on keys).
pub(in crate::site) fn make(site: &Site, keys: &Keys, pieces: &dyn Pieces) -> Result<()> {
    let held = site.held();
    // Found once, and only when a person's feeds are rendered (a rebuild that keeps them
    // all does not look at the deadlines).
    let due: OnceLock<DueByRecord> = OnceLock::new();
    let people: Vec<&Record> = site.of_kind(Kind::Person).collect();
    people.par_iter().try_for_each(|person| {
        let records = held.get(person.id()).map_or(&[][..], Vec::as_slice);
        let mut h = DefaultHasher::new();
        keys.data(person).hash(&mut h);
        keys.data_of(records.iter().copied()).hash(&mut h);
        // The Atom feed lists the commits that changed what they hold, and both feeds
        // are stamped with the date built.
        for r in records {
            keys.own_history(r, &mut h);
        }
        let name = format!("feeds:{}", site.url(person));
        pieces.piece(&name, keys.dated(h.finish()), &|| {
            Ok(site.person_feeds(person, records, due.get_or_init(|| site.due_by_record())))
        })
    })
}

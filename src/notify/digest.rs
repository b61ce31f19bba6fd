//! One person's digest: the subject, a plain-text body and the same as HTML, in the
//! language of the run (Turkish by default), each item with a link to its record's page
//! on the intranet site.

use std::collections::HashMap;

use jiff::civil::Date;

use super::{Item, Topic};
use crate::diag::{Lang, msg};
use crate::model::date::show_date;
use crate::site::html::esc;

/// Where the records' pages are: `[site] base_url` and each record's page under it.
pub(crate) struct Links {
    base: String,
    pages: HashMap<String, String>,
}

impl Links {
    pub(crate) fn new(base_url: &str, records: &[crate::model::Record]) -> Self {
        let mut base = base_url.to_string();
        if !base.ends_with('/') {
            base.push('/');
        }
        Links { base, pages: crate::site::data::page_urls(records) }
    }

    /// Whether the links lead somewhere from an e-mail (`https://…`, not `/`).
    pub(crate) fn absolute(&self) -> bool {
        self.base.starts_with("https://") || self.base.starts_with("http://")
    }

    /// The site's front page.
    pub(crate) fn home(&self) -> &str {
        &self.base
    }

    /// The page of the record in the file at `path`.
    fn page(&self, path: &str) -> Option<String> {
        self.pages.get(path).map(|page| format!("{}{page}", self.base))
    }
}

/// A digest ready to send or show.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Digest {
    pub person: String,
    /// The person's name and address.
    pub name: String,
    pub address: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The digest for `person` (name, address) of `items`; `new` says which are news.
pub(crate) fn compose(
    (person, name, address): (&str, &str, &str),
    items: &[Item],
    new: &[bool],
    links: &Links,
    (title, lang, as_of): (&str, Lang, Date),
) -> Digest {
    let day = show_date(as_of);
    let (n, fresh) = (items.len(), new.iter().filter(|n| **n).count());
    let things = if n == 1 { "1 thing".to_string() } else { format!("{n} things") };
    let subject = msg!("{title}: {things} waiting for you ({day})", "{title}: sizi bekleyen {n} iş ({day})");
    let opening = msg!(
        "As of {day}, {things} wait for you ({fresh} new or not told for a while):",
        "{day} itibarıyla sizi bekleyen {n} iş var ({fresh} tanesi yeni ya da bir süredir hatırlatılmadı):"
    );
    let dear = msg!("Dear {name},", "Sayın {name},").get(lang).to_string();
    let new_tag = lang.pick("new", "yeni");
    let footer = msg!(
        "This message was sent by defter from the records of {title}. The site: {home}",
        "Bu iletiyi defter, {title} kayıtlarından gönderdi. Site: {home}",
        home = links.home()
    );
    let mut text = format!("{dear}\n\n{}\n", opening.get(lang));
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n<p>{}</p>\n<p>{}</p>\n",
        lang.pick("en", "tr"),
        esc(subject.get(lang)),
        esc(&dear),
        esc(opening.get(lang))
    );
    let mut topic: Option<Topic> = None;
    for (item, is_new) in items.iter().zip(new) {
        if topic != Some(item.topic) {
            if topic.is_some() {
                html.push_str("</ul>\n");
            }
            topic = Some(item.topic);
            let heading = item.topic.heading();
            text.push_str(&format!("\n{}\n", heading.get(lang)));
            html.push_str(&format!("<h2>{}</h2>\n<ul>\n", esc(heading.get(lang))));
        }
        let tag = if *is_new { format!("[{new_tag}] ") } else { String::new() };
        let named = if item.title.is_empty() { item.id.clone() } else { format!("{} — {}", item.id, item.title) };
        let what = item.text.get(lang);
        text.push_str(&format!("  * {tag}{named}: {what}\n"));
        let link = links.page(&item.path);
        if let Some(url) = &link {
            text.push_str(&format!("    {url}\n"));
        }
        let shown = match &link {
            Some(url) => format!("<a href=\"{}\">{}</a>", esc(url), esc(&named)),
            None => esc(&named),
        };
        let tag = if *is_new { format!("<strong>{}</strong> ", esc(&format!("[{new_tag}]"))) } else { String::new() };
        html.push_str(&format!("<li>{tag}{shown}: {}</li>\n", esc(what)));
    }
    if topic.is_some() {
        html.push_str("</ul>\n");
    }
    text.push_str(&format!("\n-- \n{}\n", footer.get(lang)));
    html.push_str(&format!("<p><small>{}</small></p>\n</body>\n</html>\n", esc(footer.get(lang))));
    Digest {
        person: person.to_string(),
        name: name.to_string(),
        address: address.to_string(),
        subject: subject.get(lang).to_string(),
        text,
        html,
    }
}

//! The directive's text as data (`schemas/directive.yaml`) and its citations.
//!
//! A citation names an article (`M4`), a paragraph (`M9(1)`) or items of a paragraph
//! (`M9(1)(b)`, `M7(1)(ö)(p)`: two items of one paragraph); a list separates citations
//! with commas (`M11(1)(d), M12(1)(h)`). [`Cite`] is one place a citation points at.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The Turkish alphabet, in order: the letters of a paragraph's items.
pub const LETTERS: &str = "abcçdefgğhıijklmnoöprsştuüvyz";

/// The directive: its articles, paragraphs and items, with their text.
#[derive(Clone, Debug, Deserialize)]
pub struct Directive {
    pub version: u32,
    pub title: String,
    pub approved: String,
    pub articles: Vec<Article>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Article {
    pub article: u32,
    pub heading: String,
    pub paragraphs: Vec<Paragraph>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Paragraph {
    pub paragraph: u32,
    pub text: String,
    /// Why a paragraph without items has no software consequence.
    #[serde(default)]
    pub none: Option<String>,
    #[serde(default)]
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Item {
    pub item: String,
    pub text: String,
    /// Why the item has no software consequence.
    #[serde(default)]
    pub none: Option<String>,
}

/// One place a citation points at: an article, a paragraph of it, or an item of that.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Cite {
    pub article: u32,
    pub paragraph: Option<u32>,
    pub item: Option<String>,
}

impl Cite {
    pub fn item(article: u32, paragraph: u32, item: &str) -> Cite {
        Cite { article, paragraph: Some(paragraph), item: Some(item.to_string()) }
    }

    /// The fragment id of the place on the site's directive page, ASCII only:
    /// `m9-1-b`; a Turkish letter is its base letter doubled (`ç` → `cc`, `ı` → `ii`),
    /// which no item's single letter can be.
    pub fn anchor(&self) -> String {
        let mut out = format!("m{}", self.article);
        if let Some(p) = self.paragraph {
            out.push_str(&format!("-{p}"));
        }
        if let Some(item) = &self.item {
            out.push('-');
            for c in item.chars() {
                match c {
                    'ç' => out.push_str("cc"),
                    'ğ' => out.push_str("gg"),
                    'ı' => out.push_str("ii"),
                    'ö' => out.push_str("oo"),
                    'ş' => out.push_str("ss"),
                    'ü' => out.push_str("uu"),
                    c => out.push(c),
                }
            }
        }
        out
    }
}

impl fmt::Display for Cite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "M{}", self.article)?;
        if let Some(p) = self.paragraph {
            write!(f, "({p})")?;
        }
        if let Some(item) = &self.item {
            write!(f, "({item})")?;
        }
        Ok(())
    }
}

/// Reads one citation at the start of `text` (`M7(1)(ö)(p)` → two places); returns the
/// places and the bytes read, or `None` when `text` does not start with one.
fn cite_at(text: &str) -> Option<(Vec<Cite>, usize)> {
    let rest = text.strip_prefix('M')?;
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let article: u32 = rest[..digits].parse().ok()?;
    let mut at = 1 + digits;
    let mut paragraph = None;
    let mut items = Vec::new();
    while let Some(inner) = text[at..].strip_prefix('(') {
        let Some(close) = inner.find(')') else { break };
        let part = &inner[..close];
        let is_number = !part.is_empty() && part.chars().all(|c| c.is_ascii_digit());
        let is_letter = part.chars().count() == 1 && part.chars().all(|c| LETTERS.contains(c));
        if paragraph.is_none() && items.is_empty() && is_number {
            paragraph = part.parse().ok();
        } else if paragraph.is_some() && is_letter {
            items.push(part.to_string());
        } else {
            break;
        }
        at += 1 + close + 1;
    }
    let cites = if items.is_empty() {
        vec![Cite { article, paragraph, item: None }]
    } else {
        items.into_iter().map(|i| Cite { article, paragraph, item: Some(i) }).collect()
    };
    Some((cites, at))
}

/// Every citation in free text (a schema's description: `… (M9(1)(c), M10(1)(b))`).
pub fn find_citations(text: &str) -> Vec<Cite> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find('M') {
        let start = at + found;
        let boundary = text[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        match cite_at(&text[start..]).filter(|_| boundary) {
            Some((cites, len)) => {
                out.extend(cites);
                at = start + len;
            }
            None => at = start + 1,
        }
    }
    out
}

/// A citation field of `workflows.yaml` (`article:`, `applies:`): citations separated
/// by `, `, and nothing else.
pub fn parse_citations(text: &str) -> Result<Vec<Cite>, String> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim) {
        match cite_at(part) {
            Some((cites, len)) if len == part.len() => out.extend(cites),
            _ => return Err(format!("`{part}` is not a citation of the directive (write M9(1)(b))")),
        }
    }
    Ok(out)
}

impl Directive {
    /// Whether the directive has the place `cite` names.
    pub fn has(&self, cite: &Cite) -> bool {
        let Some(article) = self.articles.iter().find(|a| a.article == cite.article) else { return false };
        let Some(number) = cite.paragraph else { return true };
        let Some(paragraph) = article.paragraphs.iter().find(|p| p.paragraph == number) else { return false };
        match &cite.item {
            None => true,
            Some(item) => paragraph.items.iter().any(|i| &i.item == item),
        }
    }

    /// What is wrong with the text's structure: numbers out of order, letters out of the
    /// alphabet's order.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (i, a) in self.articles.iter().enumerate() {
            if a.article as usize != i + 1 {
                problems.push(format!("article {} is written where article {} belongs", a.article, i + 1));
            }
            for (j, p) in a.paragraphs.iter().enumerate() {
                if p.paragraph as usize != j + 1 {
                    problems.push(format!(
                        "M{}: paragraph ({}) is written where ({}) belongs",
                        a.article,
                        p.paragraph,
                        j + 1
                    ));
                }
                for (letter, item) in LETTERS.chars().zip(&p.items) {
                    if item.item != letter.to_string() {
                        problems.push(format!(
                            "M{}({}): item ({}) is written where ({letter}) belongs",
                            a.article, p.paragraph, item.item
                        ));
                    }
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_are_read_item_by_item() {
        let cites = parse_citations("M7(1)(ö)(p), M9(1), M4").unwrap();
        let shown: Vec<String> = cites.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["M7(1)(ö)", "M7(1)(p)", "M9(1)", "M4"]);
        assert_eq!(cites[0].anchor(), "m7-1-oo");
        assert_eq!(Cite::item(9, 1, "b").anchor(), "m9-1-b");
        assert!(parse_citations("M9(1)(b) and more").is_err());
        assert!(parse_citations("9(1)(b)").is_err());
        assert!(parse_citations("M9(1)(bb)").is_err());
    }

    #[test]
    fn citations_are_found_in_free_text() {
        let text = "Projenin türü (M5(1)(d)(ı), M12(1)(a)); MADDE 3 is no citation, nor AM9(1)";
        let found: Vec<String> = find_citations(text).iter().map(ToString::to_string).collect();
        assert_eq!(found, ["M5(1)(d)", "M5(1)(ı)", "M12(1)(a)"]);
    }
}

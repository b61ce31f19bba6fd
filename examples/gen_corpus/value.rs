//! The record fields as a small value tree, and its two spellings: YAML as people write
//! records (flow mappings for history entries, block lists) and JSON for the schema
//! validators the benchmark compares with.

use std::fmt::Write;

#[derive(Clone)]
pub enum V {
    /// An id or a date: written unquoted.
    Plain(String),
    /// Text: quoted when YAML would read it otherwise.
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<V>),
    Map(Vec<(&'static str, V)>),
}

pub fn plain(s: impl ToString) -> V {
    V::Plain(s.to_string())
}

pub fn text(s: impl Into<String>) -> V {
    V::Str(s.into())
}

pub fn ids<S: ToString>(items: impl IntoIterator<Item = S>) -> V {
    V::List(items.into_iter().map(plain).collect())
}

impl V {
    pub fn get(&self, key: &str) -> Option<&V> {
        match self {
            V::Map(entries) => entries.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            V::Plain(s) | V::Str(s) => s,
            _ => "",
        }
    }

    fn is_scalar(&self) -> bool {
        !matches!(self, V::List(_) | V::Map(_))
    }
}

/// Whether a text can be written as a plain YAML scalar, in flow context too.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    first.is_alphabetic()
        && !s.ends_with(' ')
        && !s.contains(['#', ',', '[', ']', '{', '}', '"', '\\', '\n', '\t', '&', '*', '!', '|', '>', '%', '@', '`'])
        && !s.contains(": ")
        && !s.ends_with(':')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
}

fn scalar(out: &mut String, v: &V) {
    match v {
        V::Plain(s) => out.push_str(s),
        V::Str(s) if plain_ok(s) => out.push_str(s),
        V::Str(s) => out.push_str(&serde_json::to_string(s).expect("strings serialise")),
        V::Int(i) => {
            let _ = write!(out, "{i}");
        }
        V::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        V::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                scalar(out, item);
            }
            out.push(']');
        }
        V::Map(entries) => {
            out.push_str("{ ");
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{k}: ");
                scalar(out, v);
            }
            out.push_str(" }");
        }
    }
}

/// The top-level mapping as YAML lines.
pub fn yaml(fields: &V) -> String {
    let mut out = String::with_capacity(1024);
    let V::Map(entries) = fields else { return out };
    for (key, value) in entries {
        let _ = write!(out, "{key}:");
        match value {
            V::List(items) if items.iter().all(V::is_scalar) && items.len() <= 4 => {
                out.push(' ');
                scalar(&mut out, value);
                out.push('\n');
            }
            V::List(items) => {
                out.push('\n');
                for item in items {
                    out.push_str("  - ");
                    scalar(&mut out, item);
                    out.push('\n');
                }
            }
            V::Map(inner) if inner.iter().any(|(_, v)| v.as_str().len() > 60) => {
                out.push('\n');
                for (k, v) in inner {
                    let _ = write!(out, "  {k}: ");
                    scalar(&mut out, v);
                    out.push('\n');
                }
            }
            _ => {
                out.push(' ');
                scalar(&mut out, value);
                out.push('\n');
            }
        }
    }
    out
}

/// The same value as JSON.
pub fn json(v: &V) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        V::Plain(s) | V::Str(s) => J::String(s.clone()),
        V::Int(i) => J::from(*i),
        V::Bool(b) => J::Bool(*b),
        V::List(items) => J::Array(items.iter().map(json).collect()),
        V::Map(entries) => J::Object(entries.iter().map(|(k, v)| ((*k).to_string(), json(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_yaml_would_misread() {
        assert!(plain_ok("Elif Kara'ya atandı"));
        assert!(!plain_ok("1.0.1 sürümü"));
        assert!(!plain_ok("a: b"));
        assert!(!plain_ok("yes"));
    }
}

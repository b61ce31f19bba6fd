//! [`SmallStr`]: the immutable string of the YAML tree's keys and text values.
//!
//! A 100,000-record repository holds millions of keys and short values (`status`,
//! `2026-03-03`, `ayse.yilmaz`) in memory while it is checked. Each as a `String` is a
//! heap allocation of its own; a `SmallStr` keeps up to 22 bytes inline, in the same 24
//! bytes a `String` takes, and only longer text on the heap.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

const INLINE: usize = 22;

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

/// An immutable string, inline when short. Reads as a `&str` (it derefs to one).
#[derive(Clone)]
pub struct SmallStr(Repr);

impl SmallStr {
    pub fn new(s: &str) -> Self {
        if s.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            SmallStr(Repr::Inline { len: s.len() as u8, bytes })
        } else {
            SmallStr(Repr::Heap(s.into()))
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // The inline bytes are always a copy of a whole `&str`.
            Repr::Inline { len, bytes } => std::str::from_utf8(&bytes[..*len as usize]).unwrap_or_default(),
            Repr::Heap(s) => s,
        }
    }
}

impl Deref for SmallStr {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SmallStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for SmallStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl Default for SmallStr {
    fn default() -> Self {
        SmallStr::new("")
    }
}

impl From<&str> for SmallStr {
    fn from(s: &str) -> Self {
        SmallStr::new(s)
    }
}

impl From<String> for SmallStr {
    fn from(s: String) -> Self {
        if s.len() <= INLINE { SmallStr::new(&s) } else { SmallStr(Repr::Heap(s.into_boxed_str())) }
    }
}

impl From<&String> for SmallStr {
    fn from(s: &String) -> Self {
        SmallStr::new(s)
    }
}

impl From<SmallStr> for String {
    fn from(s: SmallStr) -> Self {
        s.as_str().to_string()
    }
}

impl fmt::Debug for SmallStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SmallStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for SmallStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SmallStr {}

impl PartialEq<str> for SmallStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SmallStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SmallStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<SmallStr> for str {
    fn eq(&self, other: &SmallStr) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<SmallStr> for &str {
    fn eq(&self, other: &SmallStr) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<SmallStr> for String {
    fn eq(&self, other: &SmallStr) -> bool {
        self == other.as_str()
    }
}

impl PartialOrd for SmallStr {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SmallStr {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for SmallStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_text_read_back() {
        for s in ["", "id", "2026-03-03", "tam yirmi iki bayt ı", "Zabıta Dairesi Başkanlığı — uzun bir ad"] {
            let small = SmallStr::from(s);
            assert_eq!(small.as_str(), s);
            assert_eq!(small, s);
            assert_eq!(SmallStr::from(s.to_string()), small);
        }
        assert_eq!(std::mem::size_of::<SmallStr>(), std::mem::size_of::<String>());
    }
}

//! A record version as the audit trail compares it: its id, each top-level field's value
//! and a hash of the body. Lists and mappings are kept as their shape only (a list's
//! length, an empty mapping) with a hash of their content: every reader of the trail
//! shows them as `[3]` or `{…}`, and a repository's history holds hundreds of thousands
//! of versions, each with its whole `history` list.

use std::hash::{DefaultHasher, Hash, Hasher};

use super::{FieldChange, Shown};
use crate::model::Record;
use crate::model::{Node, SmallStr, Value};

/// One top-level field of a version.
#[derive(Debug)]
pub(crate) struct Field {
    pub key: SmallStr,
    /// The value as the trail shows it (lists and mappings abbreviated).
    pub shown: Shown,
    /// A hash of the whole value, equal exactly when the JSON values are equal.
    pub hash: u64,
}

impl PartialEq for Field {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.shown == other.shown
    }
}

/// What the trail keeps of one version of a record.
#[derive(Debug)]
pub(crate) struct Version {
    pub id: String,
    pub fields: Vec<Field>,
    /// A hash of the body with CRLF read as LF.
    pub body: Option<u64>,
}

impl Version {
    pub(crate) fn of(record: &Record) -> Version {
        let fields = record
            .fields
            .entries()
            .iter()
            .map(|e| Field { key: e.key.clone(), shown: shown(&e.value), hash: hash_node(&e.value) })
            .collect();
        let body = record.body.as_ref().map(|b| {
            let mut h = DefaultHasher::new();
            b.text.replace("\r\n", "\n").hash(&mut h);
            h.finish()
        });
        Version { id: record.id().to_string(), fields, body }
    }

    fn get(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// A value as the trail shows it: scalars whole, lists and mappings by their shape.
fn shown(node: &Node) -> Shown {
    match &node.value {
        Value::Null => Shown::Null,
        Value::Bool(b) => Shown::Bool(*b),
        Value::Int(i) => Shown::Int(*i),
        // As JSON has it: no infinity or NaN.
        Value::Float(f) if f.is_finite() => Shown::Float(*f),
        Value::Float(_) => Shown::Null,
        Value::Str(s) => Shown::Str(s.clone()),
        Value::Seq(items) => Shown::List(items.len()),
        Value::Map(_) => Shown::Map,
    }
}

/// A hash that follows JSON equality (`serde_json`'s): mappings compare without regard
/// to key order, `0.0` equals `-0.0`, an integer never equals a float.
fn hash_node(node: &Node) -> u64 {
    let mut h = DefaultHasher::new();
    match &node.value {
        Value::Null => 0u8.hash(&mut h),
        Value::Float(f) if !f.is_finite() => 0u8.hash(&mut h),
        Value::Bool(b) => (1u8, b).hash(&mut h),
        Value::Int(i) => (2u8, i).hash(&mut h),
        Value::Float(f) => (3u8, if *f == 0.0 { 0.0f64 } else { *f }.to_bits()).hash(&mut h),
        Value::Str(s) => (4u8, s.as_str()).hash(&mut h),
        Value::Seq(items) => {
            (5u8, items.len()).hash(&mut h);
            for item in items {
                hash_node(item).hash(&mut h);
            }
        }
        Value::Map(entries) => {
            let mut members: Vec<u64> = entries
                .iter()
                .map(|e| {
                    let mut m = DefaultHasher::new();
                    (e.key.as_str(), hash_node(&e.value)).hash(&mut m);
                    m.finish()
                })
                .collect();
            members.sort_unstable();
            (6u8, members).hash(&mut h);
        }
    }
    h.finish()
}

/// The top-level fields that differ between two versions (in the order of the newer,
/// then the removed ones), and whether the body changed.
pub(crate) fn diff(old: Option<&Version>, new: Option<&Version>) -> (Vec<FieldChange>, bool) {
    let none: &[Field] = &[];
    let old_fields = old.map_or(none, |v| &v.fields);
    let new_fields = new.map_or(none, |v| &v.fields);
    let mut changes = Vec::new();
    for f in new_fields {
        let before = old.and_then(|v| v.get(&f.key));
        if before != Some(f) {
            changes.push(FieldChange {
                field: f.key.clone(),
                old: before.map(|b| b.shown.clone()),
                new: Some(f.shown.clone()),
            });
        }
    }
    for f in old_fields {
        if new.is_none_or(|v| v.get(&f.key).is_none()) {
            changes.push(FieldChange { field: f.key.clone(), old: Some(f.shown.clone()), new: None });
        }
    }
    changes.shrink_to_fit();
    (changes, old.and_then(|v| v.body) != new.and_then(|v| v.body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml;

    fn node(text: &str) -> Node {
        yaml::parse(text, 0).unwrap()
    }

    /// A large repository's trail holds half a million field changes.
    #[test]
    fn trail_values_stay_small() {
        assert_eq!(std::mem::size_of::<Shown>(), 24);
        assert_eq!(std::mem::size_of::<Option<Shown>>(), 24);
        assert_eq!(std::mem::size_of::<FieldChange>(), 72);
        let values = [
            Shown::Null,
            Shown::Bool(true),
            Shown::Int(-3),
            Shown::Float(1.5),
            Shown::Str("in_progress".into()),
            Shown::List(2),
            Shown::Map,
        ];
        let json = serde_json::to_string(&values).unwrap();
        assert_eq!(json, r#"[null,true,-3,1.5,"in_progress",[null,null],{}]"#);
        let back: Vec<Shown> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, values);
        let shown: Vec<String> = values.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["null", "true", "-3", "1.5", "in_progress", "[2]", "{…}"]);
    }

    #[test]
    fn hashes_follow_json_equality() {
        assert_eq!(hash_node(&node("{a: 1, b: [x, y]}")), hash_node(&node("{b: [x, y], a: 1}")));
        assert_ne!(hash_node(&node("[x, y]")), hash_node(&node("[y, x]")));
        assert_ne!(hash_node(&node("1")), hash_node(&node("1.0")));
        assert_eq!(hash_node(&node("0.0")), hash_node(&node("-0.0")));
        assert_ne!(hash_node(&node("'1'")), hash_node(&node("1")));
    }
}

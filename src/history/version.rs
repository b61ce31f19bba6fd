//! A record version as the audit trail compares it: its id, each top-level field's value
//! and a hash of the body. Lists and mappings are kept as their shape only (a list's
//! length, an empty mapping) with a hash of their content: every reader of the trail
//! shows them as `[3]` or `{…}`, and a repository's history holds hundreds of thousands
//! of versions, each with its whole `history` list.

use std::hash::{DefaultHasher, Hash, Hasher};

use super::{FieldChange, ItemChange, LIST_KEPT, ListChange, Shown};
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
    /// A list's entries (empty for anything else), to tell which ones a change added.
    pub items: Box<[Item]>,
}

/// One entry of a list field: a hash of it and its scalar members.
#[derive(Debug)]
pub(crate) struct Item {
    hash: u64,
    members: Vec<(SmallStr, Shown)>,
}

impl Item {
    fn of(node: &Node) -> Item {
        let members = match &node.value {
            Value::Map(entries) => entries
                .iter()
                .filter(|e| !matches!(e.value.value, Value::Seq(_) | Value::Map(_)))
                .map(|e| (e.key.clone(), shown(&e.value)))
                .collect(),
            Value::Seq(_) => Vec::new(),
            _ => vec![(SmallStr::default(), shown(node))],
        };
        Item { hash: hash_node(node), members }
    }
}

fn items(node: &Node) -> Box<[Item]> {
    match &node.value {
        Value::Seq(items) => items.iter().map(Item::of).collect(),
        _ => Box::default(),
    }
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

impl Field {
    /// One top-level field of a record as a version keeps it.
    fn of(e: &crate::model::node::Entry) -> Field {
        Field { key: e.key.clone(), shown: shown(&e.value), hash: hash_node(&e.value), items: items(&e.value) }
    }
}

impl Version {
    pub(crate) fn of(record: &Record) -> Version {
        let fields = record.fields.entries().iter().map(Field::of).collect();
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
                list: list_change(before, f),
            });
        }
    }
    for f in old_fields {
        if new.is_none_or(|v| v.get(&f.key).is_none()) {
            let list = matches!(f.shown, Shown::List(n) if n > 0)
                .then(|| Box::new(ListChange { removed: f.items.len(), ..ListChange::default() }));
            changes.push(FieldChange { field: f.key.clone(), old: Some(f.shown.clone()), new: None, list });
        }
    }
    changes.shrink_to_fit();
    (changes, old.and_then(|v| v.body) != new.and_then(|v| v.body))
}

/// Which entries of a list the newer version added or altered: an entry equal to one of
/// the older list (wherever it stood) is unchanged; one at a position whose older entry
/// is gone was altered; the rest were added. `None` when the newer value is no list.
fn list_change(before: Option<&Field>, after: &Field) -> Option<Box<ListChange>> {
    if !matches!(after.shown, Shown::List(_)) {
        return None;
    }
    let old: &[Item] = before.map_or(&[], |b| &b.items);
    let old_hashes: std::collections::HashSet<u64> = old.iter().map(|i| i.hash).collect();
    let new_hashes: std::collections::HashSet<u64> = after.items.iter().map(|i| i.hash).collect();
    let mut change = ListChange::default();
    let mut altered = 0;
    for (i, item) in after.items.iter().enumerate() {
        if old_hashes.contains(&item.hash) {
            continue;
        }
        let added = old.get(i).is_none_or(|o| new_hashes.contains(&o.hash));
        altered += usize::from(!added);
        if change.entries.len() < LIST_KEPT {
            change.entries.push(ItemChange { added, members: item.members.clone() });
        } else {
            change.more += 1;
        }
    }
    change.removed = old.iter().filter(|o| !new_hashes.contains(&o.hash)).count().saturating_sub(altered);
    (change != ListChange::default()).then(|| Box::new(change))
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
        assert_eq!(std::mem::size_of::<FieldChange>(), 80);
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

    fn version(text: &str) -> Version {
        let root = node(text);
        let fields = root.entries().iter().map(Field::of).collect();
        Version { id: "X".into(), fields, body: None }
    }

    #[test]
    fn a_list_change_tells_the_entries_added_altered_and_removed() {
        let old = version(
            "history: [{date: 2026-01-10, by: a, status: new}, {date: 2026-01-11, by: b, status: assigned}]\ntags: [x, y]",
        );
        let new = version(
            "history: [{date: 2026-01-10, by: a, status: new}, {date: 2026-01-11, by: b, status: assigned, note: n}, {date: 2026-01-12, by: elif.kara, status: in_progress}]\ntags: [y]",
        );
        let (changes, _) = diff(Some(&old), Some(&new));
        let history = changes.iter().find(|c| c.field == "history").unwrap();
        let list = history.list.as_deref().unwrap();
        assert_eq!(list.entries.len(), 2);
        assert!(!list.entries[0].added, "the second entry was altered in place");
        assert_eq!(list.entries[0].members.last().unwrap(), &(SmallStr::from("note"), Shown::Str("n".into())));
        assert!(list.entries[1].added);
        assert_eq!(
            list.entries[1].members,
            [
                ("date".into(), Shown::Str("2026-01-12".into())),
                ("by".into(), Shown::Str("elif.kara".into())),
                ("status".into(), Shown::Str("in_progress".into()))
            ]
        );
        assert_eq!(list.removed, 0);
        let tags = changes.iter().find(|c| c.field == "tags").unwrap().list.as_deref().unwrap();
        assert_eq!((tags.entries.len(), tags.removed), (0, 1));
        // The trail's cache (binary, with no field names) keeps it, and a scalar field's
        // change, which has no list change.
        let kept = |change: &FieldChange| postcard::from_bytes::<FieldChange>(&postcard::to_stdvec(change).unwrap());
        assert_eq!(&kept(history).unwrap(), history);
        let (changes, _) = diff(Some(&version("status: new")), Some(&version("status: assigned")));
        assert!(changes[0].list.is_none());
        assert_eq!(kept(&changes[0]).unwrap(), changes[0]);
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

//! Lookups over the loaded records: by id, people with their roles and units, units with
//! their type and function, and the actor conditions of the workflow data.

use super::workflow::{ActorSpec, Workflows};
use super::{Kind, Record, SmallStr};

/// Where each id is in a list of records: the part of an [`Index`] that is made once and
/// kept with the records it was made from. Positions rather than references, so that it
/// outlives a borrow of the records: the site shows the records validation checked,
/// redacted in place and in the same order, and looks them up through the table
/// validation made (`defter serve` replaces edited records in place, id unchanged).
pub struct IdTable {
    /// The first record with each id.
    first: foldhash::HashMap<SmallStr, u32>,
    /// Every record of an id more than one record holds (a `duplicate-id` finding).
    more: foldhash::HashMap<SmallStr, Vec<u32>>,
    /// How many records the table was made from.
    len: usize,
    /// The length of the longest id: the site looks up every string value of every
    /// record, most of them prose, and a longer string is no id without hashing it.
    longest: usize,
}

impl IdTable {
    pub fn new(records: &[Record]) -> IdTable {
        let mut first = foldhash::HashMap::with_capacity_and_hasher(records.len(), Default::default());
        let mut more: foldhash::HashMap<SmallStr, Vec<u32>> = foldhash::HashMap::default();
        for (i, r) in records.iter().enumerate() {
            let at = u32::try_from(i).expect("fewer than 2^32 records");
            match first.entry(SmallStr::from(r.id())) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(at);
                }
                std::collections::hash_map::Entry::Occupied(e) => {
                    more.entry(e.key().clone()).or_insert_with(|| vec![*e.get()]).push(at);
                }
            }
        }
        let longest = first.keys().map(|id| id.len()).max().unwrap_or(0);
        IdTable { first, more, len: records.len(), longest }
    }
}

/// Records by id (a duplicate id keeps every record; lookups take the first), with the
/// people, units and actor conditions looked up through them.
pub struct Index<'a> {
    table: Table<'a>,
    records: &'a [Record],
    /// The person records, in the records' order: found once, when first asked for
    /// (asking who may take a step went through every record, for every step asked).
    /// (Places in `records`, not references: a cell of references would tie the index's
    /// lifetime down, and an index of shorter-lived records could no longer be lent.)
    people: std::sync::OnceLock<Vec<u32>>,
    /// The person records by their `unit` field, each unit's in the records' order.
    people_by_unit: std::sync::OnceLock<foldhash::HashMap<SmallStr, Vec<u32>>>,
}

enum Table<'a> {
    Own(IdTable),
    Kept(&'a IdTable),
}

impl<'a> Index<'a> {
    /// An index of `records`, made now.
    pub fn new(records: &'a [Record]) -> Self {
        Index {
            table: Table::Own(IdTable::new(records)),
            records,
            people: Default::default(),
            people_by_unit: Default::default(),
        }
    }

    /// An index of `records` through `table`, which was made from them (or from records
    /// with the same ids in the same order).
    pub fn with(table: &'a IdTable, records: &'a [Record]) -> Self {
        assert_eq!(table.len, records.len(), "an id table is used with the records it was made from");
        Index { table: Table::Kept(table), records, people: Default::default(), people_by_unit: Default::default() }
    }

    /// The id among those of the records `keep` accepts that is closest to a mistyped
    /// `id`: "did you mean …".
    pub fn closest(&self, id: &str, keep: impl Fn(&Record) -> bool) -> Option<&'a str> {
        crate::model::text::closest(id, self.records.iter().filter(|r| keep(r)).map(Record::id))
    }

    fn table(&self) -> &IdTable {
        match &self.table {
            Table::Own(t) => t,
            Table::Kept(t) => t,
        }
    }

    pub fn get(&self, id: &str) -> Option<&'a Record> {
        let table = self.table();
        if id.len() > table.longest {
            return None;
        }
        table.first.get(id).map(|&i| &self.records[i as usize])
    }

    /// Every record with this id (more than one only when ids clash).
    pub fn all(&self, id: &str) -> Vec<&'a Record> {
        let table = self.table();
        match table.more.get(id) {
            Some(at) => at.iter().map(|&i| &self.records[i as usize]).collect(),
            None => self.get(id).into_iter().collect(),
        }
    }

    /// Ids held by more than one record, with those records.
    pub fn duplicates(&self) -> impl Iterator<Item = (&str, Vec<&'a Record>)> + '_ {
        self.table().more.iter().map(|(id, at)| (id.as_str(), at.iter().map(|&i| &self.records[i as usize]).collect()))
    }

    fn of_kind(&self, id: &str, kind: Kind) -> Option<&'a Record> {
        match self.table().more.get(id) {
            Some(at) => at.iter().map(|&i| &self.records[i as usize]).find(|r| r.kind == kind),
            None => self.get(id).filter(|r| r.kind == kind),
        }
    }

    pub fn person(&self, id: &str) -> Option<&'a Record> {
        self.of_kind(id, Kind::Person)
    }

    pub fn unit(&self, id: &str) -> Option<&'a Record> {
        self.of_kind(id, Kind::Unit)
    }

    /// Whether the person exists and has not left.
    pub fn is_active(&self, person: &str) -> Option<bool> {
        let p = self.person(person)?;
        Some(p.fields.get("active").and_then(|n| n.as_bool()).unwrap_or(true))
    }

    /// Whether `person` satisfies the actor condition `spec` for `record`. Unknown people
    /// match nothing (their reference is reported as `dangling-ref`).
    pub fn actor_matches(&self, person: &str, spec: &ActorSpec, record: &Record) -> bool {
        let Some(p) = self.person(person) else { return false };
        let unit = p.fields.str_at("unit");
        if !spec.role.0.is_empty() {
            let roles = p.fields.path("roles[]");
            if !roles.iter().filter_map(|n| n.as_str()).any(|r| spec.role.0.iter().any(|w| w == r)) {
                return false;
            }
        }
        if let Some(function) = &spec.function {
            let f = unit.and_then(|u| self.unit(u)).and_then(|u| u.fields.str_at("function"));
            if f != Some(function.as_str()) {
                return false;
            }
        }
        if let Some(field) = &spec.unit_from
            && (unit.is_none() || unit != record.fields.str_at(field))
        {
            return false;
        }
        if let Some(field) = &spec.person_from
            && record.fields.str_at(field) != Some(person)
        {
            return false;
        }
        true
    }

    /// Whether `person` matches any of the named actors.
    pub fn any_actor(&self, workflows: &Workflows, person: &str, actors: &[String], record: &Record) -> bool {
        actors.iter().filter_map(|name| workflows.actors.get(name)).any(|spec| self.actor_matches(person, spec, record))
    }

    /// Every person record.
    pub fn people(&self) -> impl Iterator<Item = &'a Record> + '_ {
        self.person_places().iter().map(|&i| &self.records[i as usize])
    }

    /// Where the person records are in `records`.
    fn person_places(&self) -> &[u32] {
        self.people.get_or_init(|| {
            let at = |i: usize| u32::try_from(i).expect("fewer than 2^32 records");
            self.records.iter().enumerate().filter(|(_, r)| r.kind == Kind::Person).map(|(i, _)| at(i)).collect()
        })
    }

    /// The person records whose `unit` is `unit`, in the records' order.
    pub fn people_in(&self, unit: &str) -> impl Iterator<Item = &'a Record> + '_ {
        let by_unit = self.people_by_unit.get_or_init(|| {
            let mut by_unit: foldhash::HashMap<SmallStr, Vec<u32>> = Default::default();
            for &i in self.person_places() {
                if let Some(unit) = self.records[i as usize].fields.str_at("unit") {
                    by_unit.entry(SmallStr::from(unit)).or_default().push(i);
                }
            }
            by_unit
        });
        by_unit.get(unit).into_iter().flatten().map(|&i| &self.records[i as usize])
    }

    /// Every unit record.
    pub fn units(&self) -> impl Iterator<Item = &'a Record> + '_ {
        self.records.iter().filter(|r| r.kind == Kind::Unit)
    }

    /// Whether the person record exists at all.
    pub fn knows_person(&self, person: &str) -> bool {
        self.person(person).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::{IdTable, Index};
    use crate::model::{Entry, Kind, Node, Pos, Record, Value};

    fn record(kind: Kind, id: &str) -> Record {
        let at = Pos::new(1, 1);
        let id_entry = Entry { key: "id".into(), key_pos: at, value: Node::new(Value::Str(id.into()), Pos::new(1, 5)) };
        let fields = Node::new(Value::Map(vec![id_entry].into()), at);
        Record { kind, path_id: id.into(), path: format!("records/{id}.yaml"), fields: fields.into(), body: None }
    }

    #[test]
    fn ids_are_found_whatever_their_length_and_longer_strings_are_none() {
        let records = [record(Kind::Person, "ayse.yilmaz"), record(Kind::Unit, "bim")];
        let index = Index::new(&records);
        assert_eq!(index.get("ayse.yilmaz").map(|r| r.id()), Some("ayse.yilmaz"), "the longest id");
        assert_eq!(index.get("bim").map(|r| r.id()), Some("bim"));
        assert_eq!(index.person("ayse.yilmaz").map(|r| r.kind), Some(Kind::Person));
        assert!(index.person("bim").is_none(), "a unit is no person");
        assert!(index.get("ayse.yilmazz").is_none(), "one byte longer than any id");
        assert!(index.get("").is_none());
        assert!(Index::new(&[]).get("bim").is_none(), "no records: no ids");
    }

    #[test]
    fn a_kept_table_finds_what_a_new_index_finds_duplicates_included() {
        let records = [
            record(Kind::Unit, "bim"),
            record(Kind::Person, "ayse.yilmaz"),
            record(Kind::Person, "bim"),
            record(Kind::Request, "TLP-2026-0001"),
            record(Kind::Unit, "bim"),
        ];
        let table = IdTable::new(&records);
        let (kept, new) = (Index::with(&table, &records), Index::new(&records));
        for index in [&kept, &new] {
            assert_eq!(index.get("bim").map(|r| r.kind), Some(Kind::Unit), "the first record with the id");
            assert_eq!(
                index.all("bim").iter().map(|r| r.kind).collect::<Vec<_>>(),
                [Kind::Unit, Kind::Person, Kind::Unit]
            );
            assert_eq!(index.all("TLP-2026-0001").len(), 1);
            assert!(index.all("TLP-2026-0002").is_empty());
            assert_eq!(index.person("bim").map(|r| r.kind), Some(Kind::Person), "a person among the clashing ids");
            assert!(index.unit("ayse.yilmaz").is_none());
            let dups: Vec<(&str, usize)> = index.duplicates().map(|(id, rs)| (id, rs.len())).collect();
            assert_eq!(dups, [("bim", 3)]);
            assert_eq!(index.people().count(), 2);
        }
    }

    #[test]
    #[should_panic(expected = "an id table is used with the records it was made from")]
    fn a_table_of_other_records_is_refused() {
        let records = [record(Kind::Unit, "bim")];
        let table = IdTable::new(&records[..0]);
        let _ = Index::with(&table, &records);
    }
}

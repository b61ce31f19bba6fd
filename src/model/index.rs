//! Lookups over the loaded records: by id, people with their roles and units, units with
//! their type and function, and the actor conditions of the workflow data.

use super::Kind;
use super::Record;
use super::workflow::{ActorSpec, Workflows};

/// Records by id (a duplicate id keeps every record; lookups take the first).
pub struct Index<'a> {
    by_id: foldhash::HashMap<&'a str, Vec<&'a Record>>,
    /// The length of the longest id: the site looks up every string value of every
    /// record, most of them prose, and a longer string is no id without hashing it.
    longest: usize,
}

impl<'a> Index<'a> {
    pub fn new(records: &'a [Record]) -> Self {
        let mut by_id: foldhash::HashMap<&str, Vec<&Record>> =
            foldhash::HashMap::with_capacity_and_hasher(records.len(), Default::default());
        for r in records {
            by_id.entry(r.id()).or_default().push(r);
        }
        let longest = by_id.keys().map(|id| id.len()).max().unwrap_or(0);
        Self { by_id, longest }
    }

    pub fn get(&self, id: &str) -> Option<&'a Record> {
        if id.len() > self.longest {
            return None;
        }
        self.by_id.get(id).and_then(|v| v.first().copied())
    }

    /// Every record with this id (more than one only when ids clash).
    pub fn all(&self, id: &str) -> &[&'a Record] {
        self.by_id.get(id).map_or(&[], Vec::as_slice)
    }

    /// Ids held by more than one record, with those records.
    pub fn duplicates(&self) -> impl Iterator<Item = (&&'a str, &Vec<&'a Record>)> {
        self.by_id.iter().filter(|(_, v)| v.len() > 1)
    }

    fn of_kind(&self, id: &str, kind: Kind) -> Option<&'a Record> {
        self.by_id.get(id)?.iter().copied().find(|r| r.kind == kind)
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
        self.by_id.values().flatten().copied().filter(|r| r.kind == Kind::Person)
    }

    /// Every unit record.
    pub fn units(&self) -> impl Iterator<Item = &'a Record> + '_ {
        self.by_id.values().flatten().copied().filter(|r| r.kind == Kind::Unit)
    }

    /// Whether the person record exists at all.
    pub fn knows_person(&self, person: &str) -> bool {
        self.person(person).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::Index;
    use crate::model::{Entry, Kind, Node, Pos, Record, Value};

    fn record(kind: Kind, id: &str) -> Record {
        let at = Pos::new(1, 1);
        let id_entry = Entry { key: "id".into(), key_pos: at, value: Node::new(Value::Str(id.into()), Pos::new(1, 5)) };
        let fields = Node::new(Value::Map(vec![id_entry].into()), at);
        Record { kind, path_id: id.into(), path: format!("records/{id}.yaml"), fields, body: None }
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
}

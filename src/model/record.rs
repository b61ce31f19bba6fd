//! One record as loaded: its kind, the id its path implies, its YAML fields (a tree, or
//! packed as the cache of parsed records keeps it until first read) and its Markdown
//! body (a view of the file's text, shared rather than copied).

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};

use super::redaction::Leaves;
use super::{Kind, Node, Pos, SmallStr};

/// One loaded record.
#[derive(Clone, Debug)]
pub struct Record {
    pub kind: Kind,
    /// The id the path implies (file stem, project folder, `PRJ-0001/section`).
    pub path_id: String,
    /// Relative to the repository root, `/`-separated.
    pub path: String,
    /// The YAML fields (a mapping; `Null` for a project section without front matter).
    /// Reads as a [`Node`] (it derefs to one).
    pub fields: Fields,
    /// The Markdown body of `.md` records.
    pub body: Option<Body>,
}

#[derive(Clone, Debug)]
pub struct Body {
    /// The Markdown text (a view of the file's text, not a copy, until the site keeps
    /// the body alone: [`SharedText::detach`]).
    pub text: SharedText,
    /// 1-based line of the body's first line in the file.
    pub line: u32,
}

/// A record's YAML fields: the tree, or the tree packed as the cache of parsed records
/// keeps it, unpacked when first read. A run that checks and exits (`validate`) takes
/// most records' findings from its cache and never reads their fields, only their ids
/// (kept beside the packed tree), so it does not build every record's tree to look at a
/// handful (docs/performance.md has what that cost). Reads as a [`Node`]; a mutable
/// borrow unpacks it for good.
pub struct Fields {
    tree: OnceLock<Node>,
    packed: Option<Arc<Packed>>,
    /// Whether the tree was parsed again from a file no longer what loading knew
    /// (kept when a mutable borrow drops the packed form).
    changed: bool,
    /// What the tree's `id` field was found to be, once unpacked for good (see
    /// [`Fields::id_or`]): [`Record::id`] is asked for everywhere (every look-up by id
    /// compares it), and looking the field up among the tree's keys each time was
    /// 1.5–2.6 % of a build's samples (docs/performance.md). One byte, in what was
    /// padding: a million records packed cost nothing more.
    id_found: AtomicU8,
}

/// [`Fields::id_found`]: not looked up since the tree last changed.
const ID_UNKNOWN: u8 = 0;
/// [`Fields::id_found`]: no `id` string, or the one the record's path implies.
const ID_IS_PATH: u8 = 1;
/// [`Fields::id_found`]: another id (a record whose path and id disagree, which
/// validation reports): looked up on every ask.
const ID_ELSEWHERE: u8 = 2;

/// How a packed tree is unpacked: by the layer that packed it, which checks the packed
/// bytes and parses the file's text again should they not read back whole.
pub type Unpack = fn(&[u8], &Source) -> Node;

/// Bytes shared by the fields packed in them (a cache file's, mapped or read).
pub type Shared = Arc<dyn AsRef<[u8]> + Send + Sync>;

struct Packed {
    /// The packed tree is `whole[range]`: a cache file's bytes, shared by every
    /// record's fields rather than copied out of it.
    whole: Shared,
    range: std::ops::Range<usize>,
    /// The `id` field, where it is a string.
    id: Option<SmallStr>,
    /// Which sites' redaction leaves the packed tree as it is.
    leaves: Leaves,
    /// The file's text (maybe unread yet), for [`Unpack`] to parse again.
    source: Source,
    unpack: Unpack,
}

impl Fields {
    /// Fields packed as `whole[range]`, whose `id` field is `id` and which redaction
    /// `leaves` as they are, unpacked by `unpack` when first read.
    pub fn packed(
        (whole, range): (Shared, std::ops::Range<usize>),
        (id, leaves): (Option<SmallStr>, Leaves),
        source: Source,
        unpack: Unpack,
    ) -> Self {
        let packed = Packed { whole, range, id, leaves, source, unpack };
        Fields {
            tree: OnceLock::new(),
            packed: Some(Arc::new(packed)),
            changed: false,
            id_found: AtomicU8::new(ID_UNKNOWN),
        }
    }

    /// Whether the tree is built (it was never packed, or was read since).
    pub fn is_unpacked(&self) -> bool {
        self.tree.get().is_some()
    }

    /// Whether the fields were parsed again from a file read later that was no longer
    /// what loading knew (packed bytes that did not read back: see [`Unpack`] and
    /// [`Source::later`]).
    pub fn changed_since_loading(&self) -> bool {
        self.changed || self.packed.as_ref().is_some_and(|p| p.source.changed_since_loading())
    }

    /// Whether the site's redaction (for a wider audience, `public`, or not) leaves the
    /// tree as it is, as noted when it was packed: the tree must then be the one packed,
    /// not one parsed again from a file that changed since (see [`Unpack`]), so it is
    /// unpacked first. `false` for a tree that was never packed, or changed since.
    pub fn redaction_leaves(&self, public: bool) -> bool {
        let Some(packed) = &self.packed else { return false };
        if !packed.leaves.site(public) {
            return false;
        }
        let _: &Node = self;
        !self.changed_since_loading()
    }

    /// The `id` field as it was packed (`Some(None)`: none, or not a string), without
    /// unpacking; `None` for fields that were never packed.
    fn packed_id(&self) -> Option<Option<&str>> {
        self.packed.as_ref().map(|p| p.id.as_deref())
    }

    /// The `id` field where it is a string, else `path_id` (the id the record's path
    /// implies, the same on every call): as packed, or looked up in the tree, which is
    /// done once where the field is missing or is `path_id` (every record validation
    /// passes).
    fn id_or<'a>(&'a self, path_id: &'a str) -> &'a str {
        if let Some(id) = self.packed_id() {
            return id.unwrap_or(path_id);
        }
        if self.id_found.load(Ordering::Relaxed) == ID_IS_PATH {
            return path_id;
        }
        let id = self.get("id").and_then(Node::as_str);
        let found = if id.is_none_or(|id| id == path_id) { ID_IS_PATH } else { ID_ELSEWHERE };
        self.id_found.store(found, Ordering::Relaxed);
        id.unwrap_or(path_id)
    }
}

impl From<Node> for Fields {
    fn from(tree: Node) -> Self {
        Fields { tree: OnceLock::from(tree), packed: None, changed: false, id_found: AtomicU8::new(ID_UNKNOWN) }
    }
}

impl std::ops::Deref for Fields {
    type Target = Node;

    fn deref(&self) -> &Node {
        self.tree.get_or_init(|| {
            let packed = self.packed.as_ref().expect("fields are a tree or packed");
            let bytes = (*packed.whole).as_ref().get(packed.range.clone()).unwrap_or_default();
            (packed.unpack)(bytes, &packed.source)
        })
    }
}

impl std::ops::DerefMut for Fields {
    fn deref_mut(&mut self) -> &mut Node {
        let _: &Node = self;
        // Changed, the tree no longer is what was packed (its id among it).
        self.changed = self.changed_since_loading();
        self.packed = None;
        // The tree may change under this borrow: its id is looked up again after it.
        *self.id_found.get_mut() = ID_UNKNOWN;
        self.tree.get_mut().expect("unpacked just now")
    }
}

impl Clone for Fields {
    fn clone(&self) -> Self {
        Fields {
            tree: self.tree.clone(),
            packed: self.packed.clone(),
            changed: self.changed,
            id_found: AtomicU8::new(self.id_found.load(Ordering::Relaxed)),
        }
    }
}

impl std::fmt::Debug for Fields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// A file's text as loading keeps it: read, or read when first asked for. A file the
/// cache of parsed records already knows, unchanged since (the file system says so, as
/// git's index trusts it), is taken from the cache and not read at all by a run that
/// checks and exits, unless a finding quotes it or a check reads its body (reading every
/// file was a large part of such a run: docs/performance.md). Cloning shares the text
/// (and the one reading).
#[derive(Clone)]
pub struct Source(Whole);

#[derive(Clone)]
enum Whole {
    Read(Arc<str>),
    Later(Arc<Later>),
}

/// A file to read when its text is first asked for.
struct Later {
    path: std::path::PathBuf,
    known: Known,
    text: std::sync::OnceLock<Arc<str>>,
    /// Whether the file, when read, was no longer what loading knew.
    changed: std::sync::atomic::AtomicBool,
}

/// What loading knew of a file it left unread: its length, and the id of its bytes as
/// `id_of` makes it (the git blob id, made by the layer that keeps it).
#[derive(Clone, Copy, Debug)]
pub struct Known {
    pub len: u64,
    pub id: [u8; 20],
    pub id_of: fn(&[u8]) -> [u8; 20],
}

impl Later {
    /// The file's bytes, if it is still a regular file (not a link) of its length whose
    /// bytes have its id.
    fn read(&self) -> Option<Vec<u8>> {
        use std::io::Read;
        let meta = std::fs::symlink_metadata(&self.path).ok()?;
        (meta.is_file() && meta.len() == self.known.len).then_some(())?;
        let mut bytes = Vec::with_capacity(usize::try_from(self.known.len).ok()?);
        std::fs::File::open(&self.path).ok()?.take(self.known.len + 1).read_to_end(&mut bytes).ok()?;
        (bytes.len() as u64 == self.known.len && (self.known.id_of)(&bytes) == self.known.id).then_some(bytes)
    }
}

impl Source {
    /// The text of the file at `path`, as loading `known` it when it took it as
    /// unchanged, read when first asked for (a byte-order mark left out, as loading
    /// leaves it out). A file that is no longer a regular file of that length with bytes
    /// of that id, can no longer be read or is no longer UTF-8 reads as empty, and
    /// [`Source::changed_since_loading`] says so: it changed after loading took what its
    /// bytes said from the cache, and the run reports what they said then (a build does
    /// not publish it: `defter build` fails). No more than its length is read, and no
    /// link is followed.
    pub fn later(path: std::path::PathBuf, known: Known) -> Self {
        let later = Later { path, known, text: std::sync::OnceLock::new(), changed: Default::default() };
        Source(Whole::Later(Arc::new(later)))
    }

    /// Whether the file was read later and was then no longer what loading knew (see
    /// [`Source::later`]).
    pub fn changed_since_loading(&self) -> bool {
        match &self.0 {
            Whole::Read(_) => false,
            Whole::Later(later) => later.changed.load(std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// The whole text (read now, if it was not yet).
    pub fn text(&self) -> &Arc<str> {
        match &self.0 {
            Whole::Read(text) => text,
            Whole::Later(later) => later.text.get_or_init(|| {
                let text = later.read().and_then(|bytes| String::from_utf8(bytes).ok());
                if text.is_none() {
                    later.changed.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                let text = text.unwrap_or_default();
                Arc::from(text.strip_prefix('\u{feff}').unwrap_or(&text))
            }),
        }
    }

    /// Whether the text is in memory (read at loading, or asked for since).
    pub fn is_read(&self) -> bool {
        match &self.0 {
            Whole::Read(_) => true,
            Whole::Later(later) => later.text.get().is_some(),
        }
    }
}

impl From<Arc<str>> for Source {
    fn from(text: Arc<str>) -> Self {
        Source(Whole::Read(text))
    }
}

impl std::ops::Deref for Source {
    type Target = str;

    fn deref(&self) -> &str {
        self.text()
    }
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self.text(), f)
    }
}

/// A part of a text that others share: a record's body is a view of its file's text,
/// which loading keeps anyway (`Records::sources`), so the body is not held twice while
/// the records are checked (the site, which drops the files' texts, detaches it). Reads
/// as a `&str` (it derefs to one); a view of a [`Source::later`] reads its file when
/// first read.
#[derive(Clone)]
pub struct SharedText {
    text: Source,
    range: std::ops::Range<usize>,
    /// What [`SharedText::change_when_read`] asked for, made when the part is first read.
    change: Option<Arc<Change>>,
}

/// What makes a [`Change`]: the changed text of a part, or `None` for none.
type MakeChange = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// A change to a part of a text not read yet: `make` gives the changed text (`None`:
/// the part as it is), made once, on first reading.
struct Change {
    make: MakeChange,
    made: OnceLock<Option<Box<str>>>,
}

impl SharedText {
    /// The part `range` (byte offsets on character boundaries) of `text`.
    pub fn new(text: impl Into<Source>, range: std::ops::Range<usize>) -> Self {
        let text = text.into();
        debug_assert!(!text.is_read() || text.get(range.clone()).is_some());
        SharedText { text, range, change: None }
    }

    pub fn as_str(&self) -> &str {
        let part = self.text.get(self.range.clone()).unwrap_or_default();
        match &self.change {
            None => part,
            Some(change) => {
                change.made.get_or_init(|| (change.make)(part).map(String::into_boxed_str)).as_deref().unwrap_or(part)
            }
        }
    }

    /// Whether the text is in memory (see [`Source::is_read`]).
    pub fn is_read(&self) -> bool {
        self.text.is_read()
    }

    /// Whether its file was read later and was no longer what loading knew (see
    /// [`Source::later`]).
    pub fn changed_since_loading(&self) -> bool {
        self.text.changed_since_loading()
    }

    /// Changes the part by `change` (which gives the changed text, or `None` for no
    /// change): now, if its text is read, else when it is first read — so a part of a
    /// file loading left unread is not read to be changed (the site hides secrets in the
    /// bodies it shows; most it never reads: docs/performance.md). Every reading gives
    /// the changed text.
    pub fn change_when_read(&mut self, change: impl Fn(&str) -> Option<String> + Send + Sync + 'static) {
        if self.is_read() {
            if let Some(changed) = change(self.as_str()) {
                *self = SharedText::from(changed);
            }
            return;
        }
        let make: MakeChange = match self.change.take() {
            None => Box::new(change),
            Some(first) => Box::new(move |part: &str| {
                let once = (first.make)(part);
                change(once.as_deref().unwrap_or(part)).or(once)
            }),
        };
        self.change = Some(Arc::new(Change { make, made: OnceLock::new() }));
    }

    /// Makes this part a text of its own, no longer holding the rest of the whole (for
    /// when only the part is kept: the site keeps a record's body, not its front matter).
    pub fn detach(&mut self) {
        if self.change.is_some() || self.range.len() != self.text.len() {
            *self = SharedText::from(self.as_str());
        }
    }

    /// Where in the whole text this part is (byte offsets; before any change).
    pub fn range(&self) -> std::ops::Range<usize> {
        self.range.clone()
    }
}

impl std::ops::Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for SharedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for SharedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for SharedText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        let len = text.len();
        SharedText::new(Arc::<str>::from(text), 0..len)
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> Self {
        SharedText::new(Arc::<str>::from(text), 0..text.len())
    }
}

impl Record {
    /// The record's id: its `id` field, or the id its path implies (known without
    /// unpacking packed fields).
    pub fn id(&self) -> &str {
        self.fields.id_or(&self.path_id)
    }

    /// A field's position, or the top of the file.
    pub fn pos_of(&self, key: &str) -> Pos {
        self.fields.entry(key).map_or(self.fields.pos, |e| e.key_pos)
    }
}

#[cfg(test)]
mod tests {
    use super::{Known, SharedText, Source};

    /// A record's id is its `id` field, looked up once, and looked up again after a
    /// mutable borrow changed it (redaction hides an id that looks like a secret).
    #[test]
    fn an_id_is_the_field_even_after_the_tree_changes() {
        use crate::model::{Entry, Kind, Node, Pos, Record, Value};
        let tree = Node::new(
            Value::Map(
                vec![Entry {
                    key: "id".into(),
                    key_pos: Pos::new(1, 1),
                    value: Node::new(Value::Str("TLP-1".into()), Pos::new(1, 5)),
                }]
                .into(),
            ),
            Pos::new(1, 1),
        );
        let mut r = Record {
            kind: Kind::Request,
            path_id: "TLP-2".into(),
            path: "records/TLP-2.yaml".into(),
            fields: tree.into(),
            body: None,
        };
        assert_eq!(r.id(), "TLP-1");
        assert_eq!(r.id(), "TLP-1", "asked again");
        let copy = Record { fields: r.fields.clone(), ..r.clone() };
        if let Value::Map(entries) = &mut r.fields.value {
            entries[0].value.value = Value::Str("[…]".into());
        }
        assert_eq!(r.id(), "[…]", "the changed tree's id");
        assert_eq!(copy.id(), "TLP-1", "a clone keeps its own");
        r.fields.value = Value::Null;
        assert_eq!(r.id(), "TLP-2", "no id field: the path's");
        assert_eq!(r.id(), "TLP-2");
        // The path's id, found once, then changed to another.
        r.fields.value = Value::Map(
            vec![Entry {
                key: "id".into(),
                key_pos: Pos::new(1, 1),
                value: Node::new(Value::Str("TLP-2".into()), Pos::new(1, 5)),
            }]
            .into(),
        );
        assert_eq!(r.id(), "TLP-2");
        if let Value::Map(entries) = &mut r.fields.value {
            entries[0].value.value = Value::Str("TLP-3".into());
        }
        assert_eq!(r.id(), "TLP-3", "the path's id is not taken for a changed one");
        assert_eq!(r.id(), "TLP-3");
        assert_eq!(Record { fields: r.fields.clone(), ..r.clone() }.id(), "TLP-3");
    }

    /// A stand-in for the git blob id, which this layer cannot make.
    fn id_of(bytes: &[u8]) -> [u8; 20] {
        let mut id = [0u8; 20];
        for (i, b) in bytes.iter().enumerate() {
            id[i % 20] = id[i % 20].wrapping_mul(31).wrapping_add(*b);
        }
        id
    }

    fn known(bytes: &[u8]) -> Known {
        Known { len: bytes.len() as u64, id: id_of(bytes), id_of }
    }

    /// A text read later is the file's, without its byte-order mark, while the file is
    /// still a regular file of the length and bytes loading knew; otherwise it reads as
    /// empty, and says it changed.
    #[test]
    fn a_text_read_later_is_the_file_loading_saw_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let bytes = "\u{feff}---\nid: a\n---\nGövde\r\n";
        std::fs::write(&path, bytes).unwrap();
        let source = Source::later(path.clone(), known(bytes.as_bytes()));
        assert!(!source.is_read());
        assert_eq!(&**source.text(), "---\nid: a\n---\nGövde\r\n");
        assert!(source.is_read() && !source.changed_since_loading());
        let changed = |source: Source| {
            let text = source.text().clone();
            assert!(source.changed_since_loading(), "a file changed since loading is told");
            text
        };
        let shorter = Known { len: bytes.len() as u64 - 1, ..known(bytes.as_bytes()) };
        assert_eq!(&*changed(Source::later(path.clone(), shorter)), "", "another length");
        let other = known("\u{feff}---\nid: b\n---\nGövde\r\n".as_bytes());
        assert_eq!(&*changed(Source::later(path.clone(), other)), "", "other bytes of the same length");
        assert_eq!(&*changed(Source::later(dir.path().join("gone.md"), known(bytes.as_bytes()))), "", "gone");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.md");
            std::os::unix::fs::symlink(&path, &link).unwrap();
            assert_eq!(&*changed(Source::later(link, known(bytes.as_bytes()))), "", "a link is not followed");
        }
    }

    /// A change asked of a part not read yet is made when it is first read, once, and
    /// after a change asked before it; a part already read is changed at once.
    #[test]
    fn a_part_read_later_is_changed_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let text = "---\nid: a\n---\nparola: gizli1 ve gizli2\n";
        std::fs::write(&path, text).unwrap();
        let source = Source::later(path, known(text.as_bytes()));
        let body = text.find("parola").unwrap()..text.len();
        let mut part = SharedText::new(source.clone(), body.clone());
        let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = calls.clone();
        part.change_when_read(move |s| {
            counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            s.contains("gizli1").then(|| s.replace("gizli1", "[…]"))
        });
        part.change_when_read(|s| s.contains("gizli2").then(|| s.replace("gizli2", "[…]")));
        assert!(!part.is_read() && !source.is_read(), "asking for a change read nothing");
        let copy = part.clone();
        assert_eq!(part.as_str(), "parola: […] ve […]\n");
        assert_eq!(copy.as_str(), "parola: […] ve […]\n", "a copy shares the change");
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 1, "made once");
        assert_eq!(part.range(), body, "the place in the file is the part's before the change");
        let mut detached = part.clone();
        detached.detach();
        assert_eq!(detached.as_str(), part.as_str());
        // Read: changed now, and a change that gives nothing keeps the text.
        let mut read = SharedText::from("parola: gizli1");
        read.change_when_read(|s| Some(s.replace("gizli1", "[…]")));
        read.change_when_read(|_| None);
        assert_eq!(read.as_str(), "parola: […]");
    }
}

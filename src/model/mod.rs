//! The domain, below every other layer: records and their kinds, the positioned YAML
//! tree, the id index, who answers for a record, the workflow data model, the
//! directive's text and its citations, dates and numbers and their display, Turkish text
//! folding and what a secret looks like. Nothing here does I/O or imports anything of
//! defter's from outside `model`.

pub(crate) mod campaign;
pub(crate) mod date;
pub mod directive;
pub(crate) mod index;
pub(crate) mod keepers;
pub(crate) mod kind;
pub(crate) mod node;
pub(crate) mod number;
pub(crate) mod personal;
pub(crate) mod record;
pub(crate) mod redaction;
pub(crate) mod secret;
pub(crate) mod text;
pub mod workflow;

/// The string of the YAML tree's keys and text values: up to 24 bytes inline, longer
/// text on the heap. A 100,000-record repository holds millions of short keys and values
/// (`status`, `2026-03-03`, `ayse.yilmaz`); as `String`s each would be an allocation.
pub use compact_str::CompactString as SmallStr;
pub use index::{IdTable, Index};
pub use kind::Kind;
pub use node::{Entry, Node, Pos, Value, entry_matches, select};
pub use record::{Body, Fields, Known, Record, Shared, SharedText, Source, Unpack};

//! Pure data: record kinds, the positioned YAML tree, and the workflow data model.
//! Nothing here does I/O.

pub mod kind;
pub mod node;
pub mod workflow;

/// The string of the YAML tree's keys and text values: up to 24 bytes inline, longer
/// text on the heap. A 100,000-record repository holds millions of short keys and values
/// (`status`, `2026-03-03`, `ayse.yilmaz`); as `String`s each would be an allocation.
pub use compact_str::CompactString as SmallStr;
pub use kind::Kind;
pub use node::{Entry, Node, Pos, Value};

//! Pure data: record kinds, the positioned YAML tree, and the workflow data model.
//! Nothing here does I/O.

pub mod kind;
pub mod node;
pub mod text;
pub mod workflow;

pub use kind::Kind;
pub use node::{Entry, Node, Pos, Value};
pub use text::SmallStr;

//! defter: an IT directorate's requests, projects, permission grants and inventory as
//! plain text in git, validated against the directive's workflow rules.
//!
//! Dependencies point inward: `cmd → validate → load → model/diag/config`.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod diag;
pub mod git;
pub mod history;
pub mod load;
pub mod model;
pub mod report;
pub mod scaffold;
pub mod site;
pub mod validate;

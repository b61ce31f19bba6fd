//! The one integration test binary: runs the real `defter` binary on fixture
//! repositories assembled on disk.

mod access;
mod adversarial;
mod cache;
mod campaign;
mod commands;
mod directive;
mod doc_examples;
mod e2e;
mod feeds;
mod findings_cache;
mod harness;
mod history;
mod intake;
mod language;
mod layers;
mod lsp;
mod notify;
mod properties;
pub mod serve;
mod site;
mod snapshot;
mod step;
mod validate;
mod windows;
mod workflow_rules;
mod workflows;

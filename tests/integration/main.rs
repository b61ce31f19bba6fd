//! The one integration test binary: runs the real `defter` binary on fixture
//! repositories assembled on disk.

mod harness;
mod commands;
mod history;
mod site;
mod validate;

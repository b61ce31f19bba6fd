//! The one integration test binary: runs the real `defter` binary on fixture
//! repositories assembled on disk.

mod harness;
mod history;
mod validate;

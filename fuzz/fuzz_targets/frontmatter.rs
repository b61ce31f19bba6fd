#![no_main]
//! `cargo fuzz run frontmatter`: see fuzz/targets.rs.

#[allow(dead_code)]
#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::frontmatter(data));

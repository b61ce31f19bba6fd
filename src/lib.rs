//! defter: an IT directorate's requests, projects, permission grants and inventory as
//! plain text in git, validated against the directive's workflow rules.
//!
//! Each top-level module has one job, and imports only the modules below it:
//!
//! Layers: cmd > cli > notify > site lsp intake > step > repo report scaffold access > validate > history > load > config git > diag > model
//!
//! - `cmd`: one file per subcommand — arguments in, a library call, an exit code out; the
//!   only layer that prints. `cli`: the command line's clap definitions.
//! - `notify`: `defter notify` — each person's agenda from the other modules' answers
//!   (deadlines, reviews, end dates, tests, findings), the digest e-mail with links into
//!   the site, what was sent, and SMTP.
//! - `site`: the intranet site — its build pipeline, pages, formats, incremental machinery
//!   and the preview server.
//! - `lsp`: `defter lsp`, the language server — the findings of the open record as the
//!   editor holds it, completion and hover from the rule set.
//! - `intake`: requests from the forge's issue form — the form `init` writes and its
//!   answers read back from an `issues` event.
//! - `step`: `defter step` — what a record allows next from the workflow data, and the
//!   step's edit, kept byte for byte outside the lines it changes, checked with every
//!   rule and written all or nothing.
//! - `repo`: the front door — a repository opened with its configuration and rules,
//!   loaded and checked. `access`: who had access on a day, as recorded then and as
//!   known now. `report`: summaries over the records (tables, KPIs) that the
//!   CLI and the site both show. `scaffold`: what `init` and `new` write.
//! - `validate`: every check, each pushing findings; `validate --base`'s change check.
//! - `history`: the audit trail from git. `load`: walking `records/`, YAML, front matter,
//!   the rule set (`schemas/`). `config`: `defter.toml`. `git`: the one place that talks
//!   to git. `diag`: findings, rule ids and their renderers. `model`: the domain.
//!
//! The `Layers:` line is the order; `tests/integration/layers.rs` fails on an import of a
//! module of the same or a higher layer (the modules named together on it do not import
//! each other).

// Only the command layer prints (cmd/mod.rs allows it there); the library hands text back.
#![deny(clippy::print_stdout, clippy::print_stderr)]
// What is public is what the binary, the tests, the benchmarks and the fuzz targets use;
// the rest is `pub(crate)`, so the compiler reports what nothing uses.
#![warn(unreachable_pub)]

pub(crate) mod access;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod diag;
pub(crate) mod git;
pub(crate) mod history;
pub(crate) mod intake;
pub mod load;
pub mod lsp;
pub mod model;
pub(crate) mod notify;
pub(crate) mod repo;
pub(crate) mod report;
pub(crate) mod scaffold;
pub mod site;
pub(crate) mod step;
pub mod validate;

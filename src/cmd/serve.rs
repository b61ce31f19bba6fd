//! `defter serve`: build into a temporary folder, serve it on localhost, rebuild and
//! reload the open pages when records, schemas, templates or defter.toml change (the
//! rebuilds are [`super::warm`]'s).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::ServeArgs;
use crate::site::{Settings, Warm};

pub(super) fn run(root: &Path, args: &ServeArgs) -> Result<ExitCode> {
    let out = std::env::temp_dir().join(format!("defter-serve-{}", std::process::id()));
    let settings = Settings { as_of: args.as_of, base_url: None, live_reload: true, public: false };
    let (mut warm, said) = Warm::start(root, &out, settings)?;
    eprintln!("{said}");
    let result = crate::site::serve::run(
        root,
        out.clone(),
        args.port,
        move |changed| warm.rebuild(changed),
        |said| eprintln!("{said}"),
    );
    let _ = std::fs::remove_dir_all(&out);
    result.map(|()| ExitCode::SUCCESS)
}

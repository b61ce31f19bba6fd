//! `defter serve`: build into a temporary folder, serve it on localhost, rebuild and
//! reload the open pages when records, schemas, templates or defter.toml change.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::ServeArgs;

pub fn run(root: &Path, args: &ServeArgs) -> Result<ExitCode> {
    let out = std::env::temp_dir().join(format!("defter-serve-{}", std::process::id()));
    let (files, report) = super::build::build(root, &out, args.as_of, None, true)?;
    eprintln!("{files} files built ({})", report.summary_line());
    let (root_owned, out_owned, as_of) = (root.to_path_buf(), out.clone(), args.as_of);
    let result = crate::site::serve::run(root, out.clone(), args.port, move || {
        super::build::build(&root_owned, &out_owned, as_of, None, true).map(|_| ())
    });
    let _ = std::fs::remove_dir_all(&out);
    result.map(|()| ExitCode::SUCCESS)
}

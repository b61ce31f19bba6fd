//! The physical floor of a cold site build (issue 30, item 4): writes the files a site
//! holds — the same count, sizes and folders — into an empty folder, and nothing else.
//! No reading, no templates: what creating and writing that many files costs on this
//! machine, with both cores, as defter's build uses them. `bench/run.sh` times it in the
//! same run as `defter build` into an empty folder (`write-floor`).
//!
//!     find SITE -type f -printf '%P\t%s\n' > MANIFEST
//!     write_floor MANIFEST OUT
//!
//! MANIFEST holds one `path<TAB>size` line per file, path relative to the site.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [manifest, out] = args.as_slice() else {
        eprintln!(
            "usage: write_floor MANIFEST OUT (MANIFEST: `path<TAB>size` lines, as find -printf '%P\\t%s\\n' gives)"
        );
        return ExitCode::from(2);
    };
    match run(Path::new(manifest), Path::new(out)) {
        Ok(count) => {
            eprintln!("{count} files written into {out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("write_floor: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(manifest: &Path, out: &Path) -> Result<usize, String> {
    let text = fs::read_to_string(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mut files: Vec<(PathBuf, usize)> = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
        let (path, size) = line.rsplit_once('\t').ok_or_else(|| format!("line {}: no tab", n + 1))?;
        let size = size.parse().map_err(|e| format!("line {}: size {size:?}: {e}", n + 1))?;
        files.push((out.join(path), size));
    }
    if out.exists() {
        return Err(format!("{} exists: the floor is writing into an empty folder", out.display()));
    }
    // Folders first, parents before children (a set of paths sorts them so), as a site
    // build makes them before it writes pages into them.
    let dirs: BTreeSet<&Path> = files.iter().filter_map(|(p, _)| p.parent()).collect();
    for dir in &dirs {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let largest = files.iter().map(|(_, s)| *s).max().unwrap_or(0);
    // Bytes that are not all zero, so no file system can store them sparsely.
    let bytes: Vec<u8> = (0..largest).map(|i| b"<p>defter</p>\n"[i % 14]).collect();
    files.par_iter().try_for_each(|(path, size)| {
        let mut file = fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        file.write_all(&bytes[..*size]).map_err(|e| format!("{}: {e}", path.display()))
    })?;
    Ok(files.len())
}

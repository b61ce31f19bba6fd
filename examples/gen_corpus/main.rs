//! Generates a realistic records repository for benchmarks: units and people, requests,
//! grants, projects with their documents and the inventory, in realistic proportions and
//! with references that resolve, plus a git history of `--commits` commits by the people
//! who did the work. Deterministic from `--seed`. `defter validate --as-of 2026-11-30` on
//! the result reports no errors.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --records 100000 --commits 20000 --seed 1 --out /tmp/corpus
//! ```
//!
//! `--json DIR` also writes every record's fields as plain JSON, one folder per kind (for
//! other schema validators); `--pr N` adds a branch `pr` whose N commits each move one
//! open request a step along its lifecycle (for `validate --base main`).

mod git;
mod grants;
mod inventory;
mod org;
mod projects;
mod requests;
mod rng;
mod text;
mod value;

use std::path::PathBuf;
use std::time::Instant;

use jiff::civil::{Date, date};

use rng::Rng;
use value::V;

/// The date the corpus is clean as of.
pub const AS_OF: Date = date(2026, 11, 30);

/// One record: where it lives, its final fields, its Markdown body (seed and size
/// range), and the versions git sees, oldest first (the last one is final).
pub struct Rec {
    pub path: String,
    pub kind: &'static str,
    pub fields: V,
    pub body: Option<(u64, usize, usize)>,
    pub versions: Vec<Ver>,
}

/// A version of a record: when, by whom (a person index), and how it differs from the
/// final fields.
pub struct Ver {
    pub date: Date,
    pub author: usize,
    pub cut: Cut,
}

pub enum Cut {
    Final,
    /// The first `n` history entries (the state field follows the last), without these keys.
    History(usize, &'static [&'static str]),
    /// These booleans set, these keys removed.
    Swap(&'static [(&'static str, bool)], &'static [&'static str]),
}

struct Args {
    records: usize,
    commits: usize,
    seed: u64,
    out: PathBuf,
    json: Option<PathBuf>,
    pr: usize,
}

fn args() -> Result<Args, String> {
    let mut a = Args { records: 1000, commits: 200, seed: 1, out: PathBuf::from("corpus"), json: None, pr: 10 };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--records" => a.records = value()?.parse().map_err(|e| format!("--records: {e}"))?,
            "--commits" => a.commits = value()?.parse().map_err(|e| format!("--commits: {e}"))?,
            "--seed" => a.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => a.out = PathBuf::from(value()?),
            "--json" => a.json = Some(PathBuf::from(value()?)),
            "--pr" => a.pr = value()?.parse().map_err(|e| format!("--pr: {e}"))?,
            other => return Err(format!("unknown argument `{other}` (see the example's documentation)")),
        }
    }
    Ok(a)
}

fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let corpus = generate(&args);
    eprintln!("{} records generated in {:.1?}", corpus.records.len(), started.elapsed());
    if let Err(e) = git::write(&args.out, &corpus, args.commits, args.pr) {
        eprintln!("gen_corpus: {e}");
        std::process::exit(1);
    }
    if let Some(dir) = &args.json
        && let Err(e) = git::write_json(dir, &corpus)
    {
        eprintln!("gen_corpus: {e}");
        std::process::exit(1);
    }
    eprintln!("{} written in {:.1?} (clean as of {AS_OF})", args.out.display(), started.elapsed());
}

pub struct Corpus {
    pub org: org::Org,
    pub records: Vec<Rec>,
    pub start: Date,
    /// Indexes of requests, newest last (the `--pr` branch advances open ones).
    pub requests: std::ops::Range<usize>,
}

fn generate(args: &Args) -> Corpus {
    let mut rng = Rng::new(args.seed);
    let n = args.records.max(100);
    let grants = n / 4;
    let years = (n * 2 / 3).div_ceil(9000).max(2) as i16;
    let first_year = AS_OF.year() - years + 1;
    let start = date(first_year, 1, 1).checked_sub(jiff::ToSpan::days(30)).expect("in range");
    let mut org = org::build(&mut rng.fork(1), n, start, AS_OF);
    let counts = inventory::Counts::new(n * 8 / 100);
    let projects = (n / 200).clamp(3, 9999);
    let mut records: Vec<Rec> = std::mem::take(&mut org.units);
    records.extend(org::people_records(&org, &mut rng.fork(2), start));
    let inv = inventory::Ctx { org: &org, counts: &counts, projects, start, end: AS_OF };
    records.extend(inventory::records(&inv, &mut rng.fork(3)));
    let apps = counts.0[2];
    let repos = counts.0[3];
    let pcx = projects::Ctx { org: &org, apps, repos, start, end: AS_OF };
    let mut project_recs: Vec<Vec<Rec>> =
        (1..=projects).map(|p| projects::project(&pcx, &mut rng.fork(100_000 + p as u64), p)).collect();
    let sections: usize = project_recs.iter().map(Vec::len).sum();
    let requests = n.saturating_sub(records.len() + sections + grants).max(10);
    let mut links: Vec<Vec<String>> = vec![Vec::new(); projects];
    let rcx = requests::Ctx { org: &org, apps, projects, end: AS_OF };
    let first_request = records.len();
    for (year, count) in per_year(requests, first_year, years) {
        let mut days = spread(&mut rng.fork(year as u64), count, year);
        days.sort_unstable();
        for (seq, day) in days.into_iter().enumerate() {
            let mut r = rng.fork((year as u64) << 20 | seq as u64);
            let (rec, project) = requests::request(&rcx, &mut r, year, seq + 1, day);
            if let Some(p) = project
                && links[p].len() < 12
            {
                links[p].push(rec.fields.get("id").map(V::as_str).unwrap_or_default().to_string());
            }
            records.push(rec);
        }
    }
    let request_range = first_request..records.len();
    for (year, count) in per_year(grants, first_year, years) {
        let mut days = spread(&mut rng.fork(7_000 + year as u64), count, year);
        days.sort_unstable();
        for (seq, day) in days.into_iter().enumerate() {
            let mut r = rng.fork((1 << 40) | (year as u64) << 20 | seq as u64);
            records.push(grants::grant(&org, apps, &mut r, year, seq + 1, day, AS_OF));
        }
    }
    for (p, recs) in project_recs.iter_mut().enumerate() {
        projects::link_requests(&mut recs[0], std::mem::take(&mut links[p]));
    }
    records.extend(project_recs.into_iter().flatten());
    Corpus { org, records, start, requests: request_range }
}

/// `total` spread evenly over `years` years ending with the as-of year.
fn per_year(total: usize, first: i16, years: i16) -> Vec<(i16, usize)> {
    let per = total / years as usize;
    (0..years).map(|i| (first + i, if i == years - 1 { total - per * (years as usize - 1) } else { per })).collect()
}

/// `count` random days of `year` (up to the as-of date in its year).
fn spread(rng: &mut Rng, count: usize, year: i16) -> Vec<Date> {
    let first = date(year, 1, 1);
    let last = if year == AS_OF.year() { AS_OF } else { date(year, 12, 31) };
    let span = (last - first).get_days() as i64;
    (0..count).map(|_| rng::plus(first, rng.range(0, span))).collect()
}

//! In-process benchmarks (criterion) of the parts every command runs: parsing a record,
//! loading a repository, checking it, and rendering its site in memory. Whole commands,
//! with peak memory and the tools a team would use instead, are timed by `bench/run.sh`.
//!
//! The repository is `DEFTER_BENCH_REPO` (a corpus from the generator, e.g.
//! `cargo run --release --example gen_corpus -- --records 10000 --out /tmp/c10k`), else
//! this repository's example records:
//!
//! ```sh
//! DEFTER_BENCH_REPO=/tmp/c10k cargo bench --bench pipeline
//! ```

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use defter::config::Config;
use defter::diag::Findings;
use defter::load::{self, RawFile, rules::Ruleset};
use defter::site::{self, Input, Templates};
use defter::validate::{self, Schemas};
use jiff::civil::date;

fn repository() -> PathBuf {
    std::env::var_os("DEFTER_BENCH_REPO").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
}

fn pipeline(c: &mut Criterion) {
    let root = repository();
    let as_of = date(2026, 11, 30);
    let config = Config::load(&root).expect("defter.toml");
    let rules = Ruleset::load(&root).expect("schemas/");
    let schemas = Schemas::compile(&rules).expect("schemas compile");
    let records = load::load_dir(&root).expect("records/");
    let count = records.records.len();

    let (path, text) = records.sources.iter().find(|(p, _)| p.ends_with(".md")).expect("a Markdown record");
    let mut one = c.benchmark_group("record");
    one.throughput(Throughput::Bytes(text.len() as u64));
    one.bench_function("parse", |b| {
        b.iter(|| load::load_file(RawFile { path: path.clone(), bytes: black_box(text.as_bytes()).to_vec() }))
    });
    one.finish();

    let mut all = c.benchmark_group(format!("repository of {count} records"));
    all.throughput(Throughput::Elements(count as u64));
    all.sample_size(10);
    // Every file parsed, and (in a git repository) every record from the cache of parsed
    // records that the first run fills.
    let root_dir = &root;
    let loading =
        |cache: bool| move || load::load_dir_cached(black_box(root_dir), &load::Silent, cache).expect("records/");
    all.bench_function("load", |b| b.iter(loading(false)));
    all.bench_function("load from the cache", |b| b.iter(loading(true)));
    all.bench_function("check", |b| b.iter(|| validate::check_all(&records, &rules, &schemas, &config, as_of)));
    let diagnostics = validate::check_all(&records, &rules, &schemas, &config, as_of);
    let report = Findings::new(diagnostics, count, &config.overrides().expect("[rules]"));
    let templates = Templates::load(&root).expect("templates");
    let input = Input {
        records: &records,
        rules: &rules,
        schemas: &schemas,
        config: &config,
        report: &report,
        trail: None,
        as_of,
        commit: None,
        base_url: "/".into(),
        live_reload: false,
        public: false,
        ids: None,
    };
    all.bench_function("render site", |b| b.iter(|| site::render(&input, &templates).expect("site")));
    all.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);

#!/usr/bin/env bash
# Benchmarks defter on generated corpora of SIZES records, next to other tools doing the
# same kind of work: ajv-cli and check-jsonschema (schema validation of the same records
# as plain YAML) and Hugo (rendering the same Markdown files). Whole commands are timed
# with hyperfine; peak memory is one more run under GNU time. See bench/README.md.
#
#   bench/run.sh                        # SIZES="1000 10000 100000"
#   SIZES=1000 BENCH_DIR=/var/tmp/bench bench/run.sh
#
# Never run by the test suite: it takes minutes to hours and wants a quiet machine.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench

SIZES=${SIZES:-1000 10000 100000}
# Generated corpora (cN: the git repository, jN and yN: the same records as plain JSON
# and as plain YAML), kept between
# runs because generating 100k records takes minutes.
BENCH_DIR=${BENCH_DIR:-/var/tmp/defter-bench}
# Everything the benchmark itself writes (sites, the Hugo project, a copy of the
# binaries), apart from the corpora so that a shared BENCH_DIR stays as generated.
WORK_DIR=${WORK_DIR:-/var/tmp/defter-bench-work}
RUNS=${RUNS:-3}
SKIP_SLOW=${SKIP_SLOW:-0}
# A second run on one day gets its own folder (-2, -3…) rather than overwriting the first.
if [ -z "${RESULTS:-}" ]; then
  RESULTS=$BENCH/results/$(date +%F)-$(uname -n)
  n=2
  base=$RESULTS
  while [ -e "$RESULTS" ]; do RESULTS=$base-$n; n=$((n + 1)); done
fi
# The date the generated corpora are clean as of (gen_corpus's AS_OF).
AS_OF=2026-11-30
# The day `defter access` is asked about: within every corpus's history.
ACCESS_ON=2026-06-30

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 1; }

# --- Tools -----------------------------------------------------------------------------

# Debian packages for whatever is missing; a prepared machine installs nothing.
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v hugo >/dev/null || need+=(hugo)
command -v jq >/dev/null || need+=(jq)
command -v git >/dev/null || need+=(git)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
[ -x /usr/bin/time ] || need+=(time) # the shell's `time` keyword cannot report memory
if [ "${#need[@]}" -gt 0 ]; then
  log "Installing ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# ajv-cli from the committed lock file. `npm ci` wipes node_modules first, so only when
# the lock file changed since the last install.
if ! cmp -s "$BENCH/package-lock.json" "$BENCH/node_modules/.package-lock.installed" 2>/dev/null; then
  log "Installing ajv-cli (npm ci --prefix bench)"
  npm ci --prefix "$BENCH" --no-audit --no-fund
  cp "$BENCH/package-lock.json" "$BENCH/node_modules/.package-lock.installed"
fi

# check-jsonschema into a venv, pinned by requirements.txt; it is the slow one, so
# SKIP_SLOW=1 skips its installation too.
if [ "$SKIP_SLOW" != 1 ] &&
  ! cmp -s "$BENCH/requirements.txt" "$BENCH/.venv/requirements.installed" 2>/dev/null; then
  log "Installing check-jsonschema into bench/.venv"
  if ! python3 -m venv "$BENCH/.venv"; then
    # Debian's python3 ships venv separately.
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$BENCH/.venv"
  fi
  "$BENCH/.venv/bin/pip" install -q --disable-pip-version-check -r "$BENCH/requirements.txt"
  cp "$BENCH/requirements.txt" "$BENCH/.venv/requirements.installed"
fi

# --- Binaries --------------------------------------------------------------------------

# SKIP_BUILD=1 takes the binaries already in the target directory, e.g. while the work
# tree does not compile.
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "Building defter, gen_corpus and write_floor (release)"
  (cd "$ROOT" && cargo build --release --locked --bin defter --example gen_corpus --example write_floor)
fi
# cargo metadata knows the target directory whether it comes from CARGO_TARGET_DIR, a
# cargo config file or the default.
target=$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps --locked | jq -r .target_directory)
# Copies, so that someone rebuilding in the same target directory cannot swap the binary
# in the middle of a run.
mkdir -p "$WORK_DIR/bin" "$RESULTS"
cp "$target/release/defter" "$WORK_DIR/bin/defter"
cp "$target/release/examples/gen_corpus" "$WORK_DIR/bin/gen_corpus"
cp "$target/release/examples/write_floor" "$WORK_DIR/bin/write_floor"
DEFTER=$WORK_DIR/bin/defter
GEN=$WORK_DIR/bin/gen_corpus
FLOOR=$WORK_DIR/bin/write_floor
RESULTS=$(cd "$RESULTS" && pwd)

# --- Helpers ---------------------------------------------------------------------------

# The corpus being benchmarked and the record the rebuild benchmark edits, for the trap.
corpus=""
edited=""
restore() {
  if [ -n "$corpus" ]; then
    [ -z "$edited" ] || git -C "$corpus" checkout -q -- "$edited"
    git -C "$corpus" checkout -q main
  fi
}
trap restore EXIT

# measure NAME DIR COMMAND [PREPARE] [CLEANUP]
# Times COMMAND in DIR with hyperfine (PREPARE before every run, CLEANUP after all of
# them), then runs it once more under GNU time for its peak memory: %M is the largest
# resident set of the process or any of its children, in KiB.
measure() {
  local name=$1 dir=$2 cmd=$3 prepare=${4:-true} cleanup=${5:-true}
  local out=$RESULTS/$n-$name
  log "N=$n $name: $cmd"
  (cd "$dir" && hyperfine --warmup 1 --runs "$RUNS" --command-name "$name" \
    --prepare "$prepare" --cleanup "$cleanup" \
    --export-json "$out.json" --export-markdown "$out.md" "$cmd")
  (cd "$dir" && sh -c "$prepare" &&
    /usr/bin/time -f '%e %M' -o "$out.mem" sh -c "$cmd" >/dev/null 2>&1 &&
    sh -c "$cleanup")
}

# Makes sure the corpus of N records exists: cN, jN and yN in BENCH_DIR.
corpus_for() {
  local n=$1 c=$BENCH_DIR/c$1 j=$BENCH_DIR/j$1 y=$BENCH_DIR/y$1
  if git -C "$c" rev-parse -q --verify refs/heads/pr >/dev/null 2>&1 && [ -d "$j" ]; then
    # Corpora generated before the YAML dump existed get it now; a half-written one is
    # written again.
    if [ ! -e "$y/.complete" ]; then
      log "Writing the records of $j as plain YAML into $y"
      rm -rf "$y"
      node "$BENCH/to-yaml.js" "$j" "$y"
      touch "$y/.complete"
    fi
    return
  fi
  # gen_corpus refuses an existing folder; a half-written one is for a person to remove.
  if [ -e "$c" ] || [ -e "$j" ]; then
    die "$c or $j is incomplete (interrupted generation?); remove both"
  fi
  log "Generating $n records into $c"
  mkdir -p "$BENCH_DIR"
  (cd "$BENCH_DIR" && "$GEN" --records "$n" --commits $((n / 5)) --seed 1 --out "c$n" --json "j$n" --pr 10)
  node "$BENCH/to-yaml.js" "$j" "$y"
  touch "$y/.complete"
}

# The same Markdown files as a Hugo project, in WORK_DIR/hugo-N.
hugo_project() {
  local h=$1
  "$BENCH/aside.sh" "$TRASH" "$h"
  mkdir -p "$h/content" "$h/layouts/_default"
  (cd "$corpus/records" && find . -name '*.md' -exec cp --parents -t "$h/content" {} +)
  # A project folder holds index.md and its sections (analiz.md, test-plani.md, …). To
  # Hugo, a folder with index.md is a leaf bundle whose other .md files are resources,
  # not pages, and are never rendered; _index.md makes it a section whose files are pages.
  find "$h/content" -name index.md -execdir mv index.md _index.md \;
  # Only pages and section lists: no taxonomies (the records have none), feeds, sitemap
  # or 404 page.
  cat >"$h/hugo.toml" <<'TOML'
baseURL = "/"
title = "defter benchmark"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
TOML
  cat >"$h/layouts/_default/baseof.html" <<'HTML'
<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>
HTML
  cat >"$h/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
HTML
  cat >"$h/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
HTML
}

# count N KEY VALUE: a figure for the summary (records, pages, …).
count() { printf '%s\t%s\n' "$2" "$3" >>"$RESULTS/$1-counts.tsv"; }

# --- Benchmarks ------------------------------------------------------------------------

# The sites and Hugo outputs a measurement replaces are moved into TRASH, not deleted
# (bench/aside.sh says why: deleting 100,000 files slows the next minute's file creation
# on this VM's ext4). The last run's are deleted here, before anything is measured, and
# the file system is given that minute.
TRASH=$WORK_DIR/trash
if [ -e "$TRASH" ]; then
  log "deleting the outputs the last run set aside in $TRASH, then waiting a minute"
  rm -rf "$TRASH"
  sync
  sleep 65
fi

for n in $SIZES; do
  corpus_for "$n"
  corpus=$BENCH_DIR/c$n
  json=$BENCH_DIR/j$n
  yaml=$BENCH_DIR/y$n
  site=$WORK_DIR/site-$n
  rm -f "$RESULTS/$n"-*
  # Every build's output stays in TRASH until the next run: about 150 KB a record for
  # defter's five builds of each kind and Hugo's five.
  free_kb=$(df -Pk "$WORK_DIR" | awk 'NR == 2 { print $4 }')
  [ "$free_kb" -ge $((n * 200)) ] ||
    die "$WORK_DIR has $((free_kb / 1024)) MiB free; N=$n wants about $((n * 200 / 1024)) MiB for the outputs set aside (delete $TRASH?)"
  [ -z "$(git -C "$corpus" status --porcelain)" ] || die "$corpus has uncommitted changes"
  git -C "$corpus" checkout -q main
  count "$n" "load average at start" "$(cut -d' ' -f1-3 /proc/loadavg)"
  count "$n" "records (JSON files)" "$(find "$json" -name '*.json' | wc -l)"
  count "$n" "records (YAML files)" "$(find "$yaml" -name '*.yaml' | wc -l)"
  count "$n" "Markdown files" "$(find "$corpus/records" -name '*.md' | wc -l)"
  count "$n" "commits on main" "$(git -C "$corpus" rev-list --count main)"

  # After the warm-up run every record comes from the cache of parsed records in
  # .git/defter/records.bin (what a developer sees)...
  measure validate "$corpus" "$DEFTER validate --as-of $AS_OF"
  # ... and with every cache off: every file parsed (a fresh clone, CI without a cache).
  measure validate-cold "$corpus" "DEFTER_CACHE=off $DEFTER validate --as-of $AS_OF"

  # The branch pr changes 10 records, one a commit; --base adds the checks that compare
  # with main (state changes, immutable fields, history, authors).
  git -C "$corpus" checkout -q pr
  measure validate-base "$corpus" "$DEFTER validate --as-of $AS_OF --base main"
  git -C "$corpus" checkout -q main

  # A full build into an empty folder. defter keeps the audit trail it reads from git in
  # .git/defter/ while HEAD stays the same, so after the warm-up run this is a build with
  # a warm history cache (what a developer sees)...
  measure build "$corpus" "$DEFTER build --as-of $AS_OF --out $site" "$BENCH/aside.sh $TRASH $site"
  # ... and without it (a fresh clone or CI without a cache).
  measure build-cold "$corpus" "$DEFTER build --as-of $AS_OF --out $site" \
    "$BENCH/aside.sh $TRASH $site .git/defter"

  # The site the rebuilds below start from, and the files the floor writes.
  (cd "$corpus" && "$DEFTER" build --as-of "$AS_OF" --out "$site" 2>"$RESULTS/$n-build.log")
  count "$n" "defter build" "$(tail -n 1 "$RESULTS/$n-build.log")"
  count "$n" "defter: files in the site" "$(find "$site" -type f | wc -l)"
  # The physical floor of a build into an empty folder (issue 30, item 4): the same
  # files — count, sizes, folders — written by a program that does nothing else, on
  # both cores. The cold build's goal is at most 1.5 times this.
  manifest=$WORK_DIR/manifest-$n.tsv
  (cd "$site" && find . -type f -printf '%P\t%s\n') >"$manifest"
  measure write-floor "$corpus" "$FLOOR $manifest $WORK_DIR/floor-$n" "$BENCH/aside.sh $TRASH $WORK_DIR/floor-$n"

  # Who had access on a day in the middle of the history (issue 28): the grants' state
  # then from the audit trail the build above left in .git/defter, the access inventory
  # from that day's tree, today's grants read for the day.
  measure access "$corpus" "$DEFTER access --on $ACCESS_ON --format json"

  # One record's Markdown body changes in the working tree and the site is built again
  # into the folder of the last build, which re-renders only what that change touches.
  # Appending before each run keeps every run a real change.
  # sed, not head: head would close the pipe early and pipefail would count git's SIGPIPE.
  edited=$(git -C "$corpus" ls-files 'records/requests/*.md' | sed -n 1p)
  measure rebuild "$corpus" "$DEFTER build --as-of $AS_OF --out $site" \
    "printf '\\nBenchmark edit.\\n' >> $edited" "git checkout -q -- $edited"
  # The same request's title: its row in the lists, the exports of requests, the
  # reports and the pages naming it are rendered again too.
  measure rebuild-field "$corpus" "$DEFTER build --as-of $AS_OF --out $site" \
    "sed -i 's/^title: .*/& x/' $edited" "git checkout -q -- $edited"
  edited=""

  # ajv-cli and check-jsonschema validate the same records as plain YAML (what
  # gen_corpus --json wrote, dumped by bench/to-yaml.js), against the same schemas, as
  # the issue compares them. First one untimed run to check that ajv finds every record
  # valid: a failure would mean a schema, or a value, it reads differently.
  log "N=$n: checking that ajv finds every record valid"
  if ! "$BENCH/ajv-all.sh" "$corpus/schemas" "$yaml" >"$RESULTS/$n-ajv.log" 2>&1; then
    die "ajv reports invalid records or schema errors: see $RESULTS/$n-ajv.log"
  fi
  count "$n" "ajv: files reported valid" "$(grep -c ' valid$' "$RESULTS/$n-ajv.log")"
  measure ajv "$corpus" "$BENCH/ajv-all.sh $corpus/schemas $yaml"
  # The same on the JSON dump, for comparison with earlier runs (and the lighter parse).
  measure ajv-json "$corpus" "$BENCH/ajv-all.sh $corpus/schemas $json"

  if [ "$SKIP_SLOW" != 1 ]; then
    # About 5 ms a record: one run, no warm-up, and that run under GNU time gives its
    # peak memory too (measure's extra run would double a long wait). Its output goes to
    # a log, checked below; a failure makes hyperfine stop the script.
    mem=$RESULTS/$n-check-jsonschema.mem
    cj="/usr/bin/time -f '%e %M' -o $mem $BENCH/check-jsonschema-all.sh $corpus/schemas $yaml"
    log "N=$n check-jsonschema: $cj"
    (cd "$corpus" && hyperfine --warmup 0 --runs 1 --command-name check-jsonschema \
      --export-json "$RESULTS/$n-check-jsonschema.json" \
      --export-markdown "$RESULTS/$n-check-jsonschema.md" \
      "$cj >$RESULTS/$n-check-jsonschema.log 2>&1")
    count "$n" "check-jsonschema: invocations that passed" \
      "$(grep -c '^ok -- validation done' "$RESULTS/$n-check-jsonschema.log")"
  fi

  # Hugo renders the same Markdown files (front matter and body) with a minimal layout.
  hugo_project "$WORK_DIR/hugo-$n"
  measure hugo "$WORK_DIR/hugo-$n" "hugo --quiet --minify=false -d out" "$BENCH/aside.sh $TRASH out"
  count "$n" "hugo: pages rendered (index.html files)" \
    "$(find "$WORK_DIR/hugo-$n/out" -name index.html | wc -l)"
  corpus=""
done

# --- Report ----------------------------------------------------------------------------

# Everything in RESULTS goes into the tables, so that sizes run separately on the same
# day (SIZES=1000, then SIZES=100000) end up in one summary.
names="validate validate-cold validate-base build build-cold write-floor access rebuild rebuild-field ajv ajv-json check-jsonschema hugo"
sizes=$(find "$RESULTS" -name '*.json' -printf '%f\n' | cut -d- -f1 | sort -nu)

mib() { awk -v kb="$1" 'BEGIN { printf "%.0f", kb / 1024 }'; }

{
  echo "| N | command | wall (s) | peak RSS (MiB) |"
  echo "|---:|---|---:|---:|"
  for n in $sizes; do
    for name in $names; do
      f=$RESULTS/$n-$name.mem
      [ -f "$f" ] || continue
      read -r wall kb <"$f"
      echo "| $n | $name | $wall | $(mib "$kb") |"
    done
  done
} >"$RESULTS/memory.md"

defter_version=$("$DEFTER" --version)
commit=$(git -C "$ROOT" rev-parse --short HEAD)
[ -z "$(git -C "$ROOT" status --porcelain -- src Cargo.toml Cargo.lock)" ] || commit="$commit (with uncommitted changes)"
{
  echo "# defter benchmark, $(date +%F) on $(uname -n)"
  echo
  echo "Mean of $RUNS runs after one warm-up (check-jsonschema: one run); peak RSS from one"
  echo "more run under \`/usr/bin/time -f %M\` (the largest single process). See bench/README.md."
  echo
  echo "| N | command | mean (s) | ± σ (s) | min (s) | max (s) | runs | peak RSS (MiB) |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|"
  for n in $sizes; do
    for name in $names; do
      f=$RESULTS/$n-$name.json
      [ -f "$f" ] || continue
      row=$(jq -r '.results[0] | [.mean, (.stddev // "-"), .min, .max, (.times | length)]
        | map(if type == "number" then (. * 1000 | round / 1000 | tostring) else . end)
        | join(" | ")' "$f")
      rss="-"
      if [ -f "$RESULTS/$n-$name.mem" ]; then
        read -r _ kb <"$RESULTS/$n-$name.mem"
        rss=$(mib "$kb")
      fi
      echo "| $n | $name | $row | $rss |"
    done
  done
  echo
  echo "## Counts"
  echo
  for n in $sizes; do
    [ -f "$RESULTS/$n-counts.tsv" ] || continue
    echo "- N=$n: $(awk -F'\t' '{ printf "%s%s: %s", (NR > 1 ? "; " : ""), $1, $2 }' "$RESULTS/$n-counts.tsv")"
  done
  echo
  echo "## Commands (run in the corpus cN; hugo in its project)"
  echo
  echo "- validate: \`defter validate --as-of $AS_OF\` on branch main, parsed records cached in .git/defter warm"
  echo "- validate-cold: the same with \`DEFTER_CACHE=off\` (every file parsed)"
  echo "- validate-base: \`defter validate --as-of $AS_OF --base main\` on branch pr (10 commits, one record each)"
  echo "- build: \`defter build --as-of $AS_OF --out SITE\` into an empty folder, history and parsed records cached in .git/defter warm"
  echo "- build-cold: the same without .git/defter (no cache)"
  echo "- write-floor: \`write_floor MANIFEST OUT\` (examples/write_floor.rs): the build's files — same count, sizes and folders — written into an empty folder on both cores, nothing else"
  echo "- rebuild: the same into the last build's folder after one request's Markdown body changed"
  echo "- rebuild-field: the same after that request's title changed"
  echo "- access: \`defter access --on $ACCESS_ON --format json\`, audit trail cached in .git/defter"
  echo "- ajv: \`bench/ajv-all.sh cN/schemas yN\`: ajv-cli once per kind on yN/<kind>/*.yaml"
  echo "- ajv-json: \`bench/ajv-all.sh cN/schemas jN\`: the same on jN/<kind>/*.json"
  echo "- check-jsonschema: \`bench/check-jsonschema-all.sh cN/schemas yN\`: check-jsonschema once per kind"
  echo "- hugo: \`hugo --quiet --minify=false -d out\` on the corpus's Markdown files, minimal layout"
  echo
  echo "## Machine"
  echo
  echo "- CPU: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | sed -n 1p)"
  echo "- memory: $(free -g | awk '/^Mem:/ { print $2 }') GiB"
  echo "- kernel: $(uname -sr)"
  echo "- defter: $defter_version, commit $commit"
  echo "- $(rustc -V)"
  echo "- hyperfine: $(hyperfine --version)"
  echo "- hugo: $(hugo version)"
  echo "- node: $(node --version)"
  echo "- ajv-cli: $(jq -r .version "$BENCH/node_modules/ajv-cli/package.json"), ajv $(jq -r .version "$BENCH/node_modules/ajv/package.json"), ajv-formats $(jq -r .version "$BENCH/node_modules/ajv-formats/package.json")"
  if [ -x "$BENCH/.venv/bin/check-jsonschema" ]; then
    echo "- check-jsonschema: $("$BENCH/.venv/bin/check-jsonschema" --version), $("$BENCH/.venv/bin/python" --version)"
  fi
} >"$RESULTS/summary.md"

cat "$RESULTS/summary.md"
echo
cat "$RESULTS/memory.md"
log "Results in $RESULTS"

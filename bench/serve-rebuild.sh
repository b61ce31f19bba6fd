#!/usr/bin/env bash
# Times `defter serve`'s rebuilds on a generated corpus: serve builds the site once, then
# one request's Markdown body and then its title are edited RUNS times each. Recorded for
# every edit: the time from the save to the new version (the one an open page reloads
# on: the edited request's page shown, its edit checked in the page served then), and
# what serve prints (its page shown, the whole rebuild: from the change being picked up,
# after serve's 50 ms wait for a quiet moment, to the last file written). See
# bench/README.md.
#
#   bench/serve-rebuild.sh               # N=100000, the corpus bench/run.sh generates
#   N=10000 RUNS=5 bench/serve-rebuild.sh
#
# Needs the corpus (bench/run.sh makes it) and jq, curl; never run by the test suite.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-100000}
BENCH_DIR=${BENCH_DIR:-/var/tmp/defter-bench}
WORK_DIR=${WORK_DIR:-/var/tmp/defter-bench-work}
RUNS=${RUNS:-10}
AS_OF=2026-11-30
corpus=$BENCH_DIR/c$N
if [ -z "${RESULTS:-}" ]; then
  RESULTS=$ROOT/bench/results/$(date +%F)-$(uname -n)-serve
  n=2
  base=$RESULTS
  while [ -e "$RESULTS" ]; do RESULTS=$base-$n; n=$((n + 1)); done
fi

die() { printf 'bench/serve-rebuild.sh: %s\n' "$*" >&2; exit 1; }
git -C "$corpus" rev-parse -q --verify HEAD >/dev/null 2>&1 || die "no corpus in $corpus: run bench/run.sh (SIZES=$N) first"
[ -z "$(git -C "$corpus" status --porcelain)" ] || die "$corpus has changes: git -C $corpus checkout -- . first"
git -C "$corpus" checkout -q main

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$ROOT" && cargo build --release --locked --bin defter)
fi
target=$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps --locked | jq -r .target_directory)
mkdir -p "$WORK_DIR/bin" "$WORK_DIR/serve-tmp" "$RESULTS"
cp "$target/release/defter" "$WORK_DIR/bin/defter-serve"
DEFTER=$WORK_DIR/bin/defter-serve
log=$RESULTS/$N-serve.log

edited=$(git -C "$corpus" ls-files 'records/requests/*.md' | sed -n 1p)
pid=""
finish() {
  [ -z "$pid" ] || kill -INT "$pid" 2>/dev/null || true
  [ -z "$pid" ] || wait "$pid" 2>/dev/null || true
  git -C "$corpus" checkout -q -- "$edited"
}
trap finish EXIT

now_ms() { date +%s%3N; }
started=$(now_ms)
(cd "$corpus" && TMPDIR=$WORK_DIR/serve-tmp exec "$DEFTER" serve --port 0 --as-of "$AS_OF") 2>"$log" &
pid=$!
until grep -q '^serving http://' "$log"; do
  kill -0 "$pid" 2>/dev/null || die "serve stopped: $(cat "$log")"
  sleep 0.2
done
start_ms=$(($(now_ms) - started))
addr=$(sed -n 's|^serving http://\([^/]*\)/.*|\1|p' "$log")

# change KIND I: makes the I-th edit of KIND, waits for the version to move (asking as a
# served page does: the request is held until it moves), checks the edited request's page
# served then shows the edit, waits for the rebuild to finish and prints
# "KIND I SHOWN_MS REBUILD_MS SAVE_TO_SHOWN_MS REBUILT-LINE".
page=requests/$(basename "$edited" .md).html
change() {
  local kind=$1 i=$2 before version t0 line marker now
  before=$(grep -c '^rebuilt: ' "$log" || true)
  version=$(curl -sf "http://$addr/__defter/version")
  t0=$(now_ms)
  case $kind in
    body) marker="Benchmark edit $i." && printf '\n%s\n' "$marker" >>"$corpus/$edited" ;;
    title) marker="(düzenleme $i)" && sed -i "s/^title: .*/& $marker/" "$corpus/$edited" ;;
  esac
  now=$version
  while [ "$now" = "$version" ]; do
    kill -0 "$pid" 2>/dev/null || die "serve stopped: $(cat "$log")"
    now=$(curl -sf --max-time 60 "http://$addr/__defter/version?after=$version")
  done
  local served=$(($(now_ms) - t0))
  # Read whole, then searched: `grep -q` stopping early would fail curl under pipefail.
  local shown_page
  shown_page=$(curl -sf "http://$addr/$page") || die "$page: no answer at version $now"
  grep -qF "$marker" <<<"$shown_page" || die "$page at version $now does not show the edit ($marker)"
  until [ "$(grep -c '^rebuilt: ' "$log" || true)" -gt "$before" ]; do
    kill -0 "$pid" 2>/dev/null || die "serve stopped: $(cat "$log")"
    sleep 0.05
  done
  line=$(grep '^rebuilt: ' "$log" | sed -n "$((before + 1))p")
  case $line in *warm*) ;; *) die "not a warm rebuild: $line" ;; esac
  local ms=${line##* in } shown=${line##*shown after }
  printf '%s %s %s %s %s %s\n' "$kind" "$i" "${shown%% ms*}" "${ms% ms}" "$served" "$line"
}

: >"$RESULTS/$N-serve.tsv"
for kind in body title; do
  for i in $(seq 1 "$RUNS"); do
    change "$kind" "$i" | tee -a "$RESULTS/$N-serve.tsv"
  done
done
rss=$(awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$pid/status")

stats() { # KIND COLUMN: min, median and max of that column of the KIND rows
  awk -v k="$1" -v c="$2" '$1 == k { print $c }' "$RESULTS/$N-serve.tsv" | sort -n |
    awk '{ v[NR] = $1 } END { printf "%d | %d | %d", v[1], v[int((NR + 1) / 2)], v[NR] }'
}
{
  echo "# defter serve rebuilds, $(date +%F) on $(uname -n)"
  echo
  echo "N=$N records (\`$corpus\`); \`defter serve --as-of $AS_OF\` started (first, full build"
  echo "and the server listening) in $start_ms ms; peak RSS of the serve process $rss MiB."
  echo "$RUNS edits of each kind to \`$edited\`, one at a time."
  echo
  echo "| edit | save to shown min (ms) | median | max | page shown (serve) min | median | max | whole rebuild min | median | max |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for kind in body title; do
    echo "| $kind | $(stats "$kind" 5) | $(stats "$kind" 3) | $(stats "$kind" 4) |"
  done
  echo
  echo "- save to shown: from the edit written to \`/__defter/version?after=N\` answering the"
  echo "  new version (what an open page reloads on; the edited request's page served then"
  echo "  is checked to show the edit); includes serve's 50 ms wait for a quiet moment"
  echo "- page shown: what serve prints (\`their pages shown after X ms\`): from the change"
  echo "  being picked up to the edited record's page written"
  echo "- whole rebuild: what serve prints (\`rebuilt: … in X ms\`): reading the edited file"
  echo "  and the files its checks read, checking them, rendering what changed, writing it"
  echo "- defter: $("$DEFTER" --version), commit $(git -C "$ROOT" rev-parse --short HEAD); $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | sed -n 1p)"
} >"$RESULTS/$N-serve.md"
cat "$RESULTS/$N-serve.md"

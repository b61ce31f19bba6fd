#!/usr/bin/env bash
# Times builds with nothing changed after what a checkout does to a working tree
# (docs/performance.md, "files checked out just before a run"), for each binary given:
#
# - touched: every file under records/ rewritten (its times moved) just before a build,
#   as a `git checkout` or `git pull` that rewrites them leaves it, then ROUNDS builds;
# - fresh clone: a `git clone` of the repository with .git/defter and the site copied
#   in, as a CI job restores them from its cache, built at once, then once more;
# - CI after a merge: a ten-record merge (bench/ten-record-merge.sh), then a fresh
#   clone with the state of the last build before the merge restored (issue 30,
#   item 3's case).
#
#   bench/fresh-checkout.sh CORPUS BINARY...
#
# Each binary gets its own copy under WORK (/var/tmp/fresh-checkout, must not exist),
# built once in full first. The corpus must be on the branch to build (gen_corpus
# leaves it on main). Never run by the test suite.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:?usage: bench/fresh-checkout.sh CORPUS BINARY...}
shift
WORK=${WORK:-/var/tmp/fresh-checkout}
ROUNDS=${ROUNDS:-3}
AS_OF=2026-11-30

[ "$#" -gt 0 ] || { echo "usage: bench/fresh-checkout.sh CORPUS BINARY..." >&2; exit 2; }
[ ! -e "$WORK" ] || { echo "bench/fresh-checkout.sh: $WORK exists: give a new folder (WORK=…)" >&2; exit 1; }
mkdir -p "$WORK"

# One timed build of the repository $1 by the binary $2, labelled $3.
build() {
  echo "-- $3"
  (cd "$1" && /usr/bin/time -f '%e s, %U s user, %M KiB' "$2" -v build --as-of "$AS_OF" --out site 2>&1 |
    grep -E 'önbellek|yükleme|s user')
}

n=0
for bin in "$@"; do
  n=$((n + 1))
  copy=$WORK/$n
  echo "== $bin"
  cp -a "$corpus" "$copy"
  build "$copy" "$bin" "the first build (a full one)" >/dev/null
  sync
  sleep 3
  find "$copy/records" -type f -exec touch {} +
  build "$copy" "$bin" "touched: at once"
  for _ in $(seq "$ROUNDS"); do
    sync
    sleep 3
    build "$copy" "$bin" "touched: nothing changed"
  done
  git clone -q "$copy" "$copy-clone"
  cp -a "$copy/.git/defter" "$copy-clone/.git/defter"
  cp -a "$copy/site" "$copy-clone/site"
  build "$copy-clone" "$bin" "fresh clone: at once"
  sync
  sleep 3
  build "$copy-clone" "$bin" "fresh clone: again"
  # What a CI job after a merge does: the merge (bench/ten-record-merge.sh), a fresh
  # clone, and the state of the last build before it (.git/defter, the site) restored.
  "$ROOT/bench/ten-record-merge.sh" "$copy" 0
  git clone -q "$copy" "$copy-ci"
  cp -a "$copy/.git/defter" "$copy-ci/.git/defter"
  cp -a "$copy/site" "$copy-ci/site"
  sync
  sleep 3
  build "$copy-ci" "$bin" "CI after a ten-record merge"
  rm -rf "$copy" "$copy-clone" "$copy-ci"
done

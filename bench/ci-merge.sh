#!/usr/bin/env bash
# Times what a CI job after a merge does (issue 30, item 3; docs/performance.md, tenth
# run) for two defter binaries, in turn: a ten-record merge (bench/ten-record-merge.sh)
# into a copy of the corpus each binary has built in full, then, ROUNDS (3) times, a
# fresh clone of each copy with the state of that last build (.git/defter, the site)
# restored into it, and the clone built. The clones of a round are made before either is
# built, then a `sync` and a pause before each build, so that copying a site of 100,000
# pages does not land in a build's time.
#
#   bench/ci-merge.sh CORPUS OLD NEW
#
# WORK (/var/tmp/ci-merge) must not exist. Never run by the test suite.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:?usage: bench/ci-merge.sh CORPUS OLD NEW}
old=${2:?usage: bench/ci-merge.sh CORPUS OLD NEW}
new=${3:?usage: bench/ci-merge.sh CORPUS OLD NEW}
WORK=${WORK:-/var/tmp/ci-merge}
ROUNDS=${ROUNDS:-3}
AS_OF=2026-11-30

[ ! -e "$WORK" ] || { echo "bench/ci-merge.sh: $WORK exists: give a new folder (WORK=…)" >&2; exit 1; }
mkdir -p "$WORK"
declare -A bin=([old]=$old [new]=$new)
for side in old new; do
  cp -a "$corpus" "$WORK/$side"
  (cd "$WORK/$side" && "${bin[$side]}" build --as-of "$AS_OF" --out site >/dev/null 2>&1)
  "$ROOT/bench/ten-record-merge.sh" "$WORK/$side" 0
done
for round in $(seq "$ROUNDS"); do
  for side in old new; do
    rm -rf "$WORK/$side-ci"
    git clone -q "$WORK/$side" "$WORK/$side-ci"
    cp -a "$WORK/$side/.git/defter" "$WORK/$side-ci/.git/defter"
    cp -a "$WORK/$side/site" "$WORK/$side-ci/site"
  done
  for side in old new; do
    sync
    sleep 10
    echo "== $side (${bin[$side]}): CI after a ten-record merge, round $round"
    (cd "$WORK/$side-ci" && /usr/bin/time -f '%e s, %U s user, %S s system, %M KiB' "${bin[$side]}" -v build \
      --as-of "$AS_OF" --out site 2>&1 | grep -E 'önbellek|yükleme|denetim|sayfalar|s user')
  done
done
rm -rf "$WORK"

#!/usr/bin/env bash
# Times "the site after a ten-record merge" (docs/performance.md): a copy of a generated
# corpus is built once; ten requests are changed on a branch (five Markdown bodies, five
# titles, in five commits: bench/ten-record-merge.sh) and merged into main with a merge
# commit; then the build after the merge — into the last site, with .git/defter kept,
# as the records workflow restores both from the CI cache — is timed with GNU time, and
# `defter -v` says what took how long. With COMPARE=1 the result is also compared, file
# by file, with a full build.
#
#   cargo build --release --locked --bin defter
#   cargo run --release --example gen_corpus -- --records 100000 --commits 1 --seed 1 --out /var/tmp/lsp-c100000
#   bench/merge-rebuild.sh /var/tmp/lsp-c100000 /var/tmp/inc-c100000
#
# The copy (the second argument) must not exist yet. Never run by the test suite.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:?usage: bench/merge-rebuild.sh CORPUS COPY}
work=${2:?usage: bench/merge-rebuild.sh CORPUS COPY}
DEFTER=${DEFTER:-$ROOT/target/release/defter}
AS_OF=2026-11-30

die() { printf 'bench/merge-rebuild.sh: %s\n' "$*" >&2; exit 1; }
[ -x "$DEFTER" ] || die "no defter at $DEFTER (set DEFTER)"
git -C "$corpus" rev-parse -q --verify HEAD >/dev/null || die "$corpus is not a git repository"
[ ! -e "$work" ] || die "$work exists: give a new folder"
cp -a "$corpus" "$work"
cd "$work"
git checkout -q main

echo "== the last build (a full one)"
/usr/bin/time -f '%e s, %M KiB' "$DEFTER" -v build --as-of "$AS_OF" --out site

echo "== ten requests changed on a branch and merged"
"$ROOT/bench/ten-record-merge.sh" "$work" 0
git diff --stat HEAD~1 | tail -1

echo "== the build after the merge"
/usr/bin/time -f '%e s, %M KiB' "$DEFTER" -v build --as-of "$AS_OF" --out site

if [ "${COMPARE:-0}" = 1 ]; then
  echo "== compared with a full build"
  "$DEFTER" build --as-of "$AS_OF" --out site-full
  diff -r -q -x '.defter-*' site site-full && echo "the same files, byte for byte"
fi

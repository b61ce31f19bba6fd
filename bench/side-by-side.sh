#!/usr/bin/env bash
# Times two defter binaries side by side (docs/performance.md, ninth run): two copies of
# a generated corpus, each built by its own binary; builds with nothing changed, then
# ten-record merges made the same way on both (bench/ten-record-merge.sh, a
# different ten requests each time), the two binaries in turn, with a `sync` and a pause
# before every run so that one run's writes do not land in the next one's time. Each
# build is timed with GNU time, and `defter -v` says what each phase took. At the end
# each copy's site is compared, file by file, with a full build of its binary.
#
#   cargo build --release --locked --bin defter --example gen_corpus
#   target/release/examples/gen_corpus --records 100000 --commits 20000 --seed 1 --pr 10 --out /var/tmp/c100000
#   bench/side-by-side.sh /var/tmp/c100000 /var/tmp/defter-old target/release/defter
#
# ROUNDS (3) builds with nothing changed and MERGES (4) merges for each binary; WORK
# (/var/tmp/side-by-side) must not exist. Never run by the test suite.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:?usage: bench/side-by-side.sh CORPUS OLD NEW}
old=${2:?usage: bench/side-by-side.sh CORPUS OLD NEW}
new=${3:?usage: bench/side-by-side.sh CORPUS OLD NEW}
WORK=${WORK:-/var/tmp/side-by-side}
ROUNDS=${ROUNDS:-3}
MERGES=${MERGES:-4}
AS_OF=2026-11-30

die() { printf 'bench/side-by-side.sh: %s\n' "$*" >&2; exit 1; }
for bin in "$old" "$new"; do [ -x "$bin" ] || die "no defter at $bin"; done
git -C "$corpus" rev-parse -q --verify HEAD >/dev/null || die "$corpus is not a git repository"
[ ! -e "$WORK" ] || die "$WORK exists: give a new folder (WORK=…)"
mkdir -p "$WORK"
for side in old new; do
  cp -a "$corpus" "$WORK/$side"
  git -C "$WORK/$side" checkout -q main
done

# One timed build of the copy $1 by its binary.
build() {
  local side=$1 bin
  if [ "$side" = old ]; then bin=$old; else bin=$new; fi
  sync
  sleep 2
  echo "== $side: $2"
  (cd "$WORK/$side" && /usr/bin/time -f '%e s, %U s user, %M KiB' "$bin" -v build --as-of "$AS_OF" --out site 2>&1 |
    grep -E ' s, .* KiB$|^(loading|checking|history|redaction|indexes|keys|rendering)|^(yükleme|denetim|geçmiş|gizleme|dizinler|anahtarlar|sayfalar)|files? in|dosya')
}

for side in old new; do
  build "$side" "the first build (a full one)"
  build "$side" "warm-up"
done
for ((r = 1; r <= ROUNDS; r++)); do
  for side in old new; do build "$side" "nothing changed"; done
done
for ((k = 1; k <= MERGES; k++)); do
  for side in old new; do
    "$ROOT/bench/ten-record-merge.sh" "$WORK/$side" "$k"
    build "$side" "after merge $k"
  done
done
for side in old new; do
  if [ "$side" = old ]; then bin=$old; else bin=$new; fi
  echo "== $side: compared with a full build"
  (cd "$WORK/$side" && "$bin" build --as-of "$AS_OF" --out site-full >/dev/null 2>&1 &&
    diff -r -q -x '.defter-*' site site-full && echo "the same files, byte for byte")
done

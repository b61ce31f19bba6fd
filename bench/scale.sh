#!/usr/bin/env bash
# How defter's cost grows with the size of the repository (issue 30, item 6): on a
# generated corpus of N records, one run each, under GNU time (wall, user, system, peak
# memory), of what a directorate's day asks of it — validate with no cache, validate
# with its caches warm, the pull-request check, a build into an empty folder with no
# cache at all, and the build after a ten-record merge into the last site, as CI does
# with its cache restored. See bench/README.md.
#
#   bench/scale.sh /var/tmp/scale/c300000        # made by gen_corpus (--pr 10)
#   DEFTER=target/release/defter bench/scale.sh CORPUS
#
# The corpus's `main` is merged into for the ten-record rebuild and put back where it was
# at the end, its branch `toplu` and `.git/defter/` removed; the site goes to CORPUS.site.
# Never run by the test suite: at a million records it takes most of an hour.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(cd "${1:?usage: bench/scale.sh CORPUS}" && pwd)
DEFTER=${DEFTER:-$ROOT/target/release/defter}
AS_OF=2026-11-30
site=$corpus.site
out=${OUT:-$corpus.scale.md}

die() { printf 'bench/scale.sh: %s\n' "$*" >&2; exit 1; }
[ -x "$DEFTER" ] || die "no defter at $DEFTER (set DEFTER)"
git -C "$corpus" rev-parse -q --verify refs/heads/pr >/dev/null || die "$corpus has no branch pr (gen_corpus --pr 10)"
[ -z "$(git -C "$corpus" status --porcelain)" ] || die "$corpus has changes"
[ ! -e "$site" ] || die "$site exists: remove it first"
cd "$corpus"
git checkout -q main
start=$(git rev-parse main)
finish() {
  git checkout -q -f main
  git reset -q --hard "$start"
  git branch -q -D toplu 2>/dev/null || true
}
trap finish EXIT
records=$(git ls-files records | wc -l)
load=$(cut -d' ' -f1-3 /proc/loadavg)
commits=$(git rev-list --count main)

rows=()
phases=()
# timed NAME COMMAND...: runs it once under GNU time, keeps a row of the table and the
# phases `defter -v` reports (loading, checking, history, redaction, indexes, keys, pages).
timed() {
  local name=$1 t
  shift
  t=$(mktemp)
  /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >/dev/null 2>"$t.err" || {
    local rc=$?
    # validate exits 1 on errors, which a generated corpus has none of.
    die "$name failed ($rc): $(tail -5 "$t.err")"
  }
  read -r wall user sys rss <"$t"
  rows+=("| $name | $wall | $user | $sys | $((rss / 1024)) |")
  phases+=("- $name: $(grep -E '^(records from the cache|loading|checking|history|redaction|indexes|keys|rendering|full build)' "$t.err" | paste -sd ';' - | sed 's/;/; /g')")
  printf '%s: %s s, %s MiB\n' "$name" "$wall" "$((rss / 1024))" >&2
  rm -f "$t" "$t.err"
}

# The files in the page cache and git's index fresh, as for every later command: the
# first command must not be the only one that reads the disk.
git ls-files -z | xargs -0 cat >/dev/null
git status --porcelain >/dev/null
rm -rf .git/defter
timed "validate, every cache off" env DEFTER_CACHE=off "$DEFTER" -v --lang en validate --as-of "$AS_OF"
timed "validate, first run (writes the caches)" "$DEFTER" -v --lang en validate --as-of "$AS_OF"
timed "validate, caches warm" "$DEFTER" -v --lang en validate --as-of "$AS_OF"
git checkout -q pr
timed "validate --base main (10-commit branch)" "$DEFTER" -v --lang en validate --as-of "$AS_OF" --base main
git checkout -q main
rm -rf .git/defter
timed "build into an empty folder, no cache" "$DEFTER" -v --lang en build --as-of "$AS_OF" --out "$site"
files=$(find "$site" -type f | wc -l)

# Ten requests changed on a branch in five commits and merged, as bench/merge-rebuild.sh.
git checkout -q -b toplu main
step=$(($(git ls-files records/requests | wc -l) / 10))
mapfile -t changed < <(git ls-files records/requests | awk -v s="$step" 'NR % s == 1' | head -10)
for i in "${!changed[@]}"; do
  f=${changed[$i]}
  if ((i < 5)); then
    printf '\nBirleştirmede eklenen not %d.\n' "$i" >>"$f"
  else
    sed -i '0,/^title: /s/^title: \(.*\)$/title: \1 (güncellendi)/' "$f"
  fi
  if ((i % 2 == 1)); then
    git add -A
    git -c user.name=bench -c user.email=bench@example.org commit -q -m "İki talep güncellendi ($i)"
  fi
done
git checkout -q main
git -c user.name=bench -c user.email=bench@example.org merge -q --no-ff -m "Merge toplu" toplu
timed "build after a ten-record merge, into the last site" "$DEFTER" -v --lang en build --as-of "$AS_OF" --out "$site"
timed "build again, nothing changed" "$DEFTER" -v --lang en build --as-of "$AS_OF" --out "$site"

{
  echo "# defter at $records files under records/, $(date +%F) on $(uname -n)"
  echo
  echo "Corpus \`$corpus\` ($records files under records/, $commits commits on main; the site: $files files)."
  echo "One run each under GNU time; \`--as-of $AS_OF\`. See bench/README.md."
  echo
  echo "| command | wall (s) | user (s) | system (s) | peak RSS (MiB) |"
  echo "|---|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "What \`defter -v\` said of each phase:"
  echo
  printf '%s\n' "${phases[@]}"
  echo
  echo "- defter: $("$DEFTER" --version), commit $(git -C "$ROOT" rev-parse --short HEAD)"
  echo "- machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | sed -n 1p), $(free -g | awk '/^Mem:/ { print $2 }') GiB; load at the start: $load"
  echo "- disk after the run: $(du -sh "$corpus/.git" | cut -f1) of git, $(du -sh "$corpus/.git/defter" | cut -f1) of defter's caches, $(du -sh "$site" | cut -f1) of site"
} >"$out"
cat "$out"

#!/usr/bin/env bash
# Runs defter's fuzz targets, each for a bounded time. Not part of CI's test run: it needs
# cargo-fuzz (`cargo install cargo-fuzz`) and builds with sanitizers.
#
#   fuzz/run.sh                      # every target, 60 s each
#   fuzz/run.sh 300                  # every target, 5 minutes each
#   fuzz/run.sh 120 yaml validate    # some targets
#
# Each target starts from the records and fixtures of this repository (seeded into
# fuzz/corpus/<target>/, which is not committed) and from the inputs already in
# tests/adversarial/fuzz-regressions/<target>/. A crash, a timeout (an input slower than
# 10 s, or over the time budget per byte of fuzz/targets.rs) or an out-of-memory stops the run and is written to fuzz/artifacts/<target>/:
# fix it, then copy the input to tests/adversarial/fuzz-regressions/<target>/ so that
# `cargo test` replays it from then on.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(frontmatter yaml validate markdown)
fi
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2; exit 2; }
# cargo-fuzz passes nightly-only flags (-Zsanitizer); this lets a stable toolchain take them.
export RUSTC_BOOTSTRAP=1

# The validate target reads its first byte as the kind of record (see targets.rs).
kind_byte() {
  case "$1" in
    */requests/*) printf '\000' ;;
    */projects/*/index.md) printf '\001' ;;
    */projects/*) printf '\002' ;;
    */people/*) printf '\003' ;;
    */units/*) printf '\004' ;;
    */grants/*) printf '\005' ;;
    */certificate/*) printf '\006' ;;
    */domain/*) printf '\007' ;;
    */continuity_plan/*) printf '\010' ;;
    *) printf '\003' ;;
  esac
}

seed() {
  local target="$1" n=0 file
  mkdir -p "corpus/$target"
  if [ -n "$(ls -A "corpus/$target")" ]; then
    return 0
  fi
  while IFS= read -r -d '' file; do
    n=$((n + 1))
    case "$target:$file" in
      frontmatter:*.md | markdown:*.md | yaml:*.yaml) cp "$file" "corpus/$target/seed-$n" ;;
      validate:*) { kind_byte "$file"; cat "$file"; } > "corpus/$target/seed-$n" ;;
    esac
  done < <(find ../records ../tests/fixtures ../tests/adversarial/corpus ../tests/adversarial/injection \
             -type f \( -name '*.md' -o -name '*.yaml' \) -size -64k -print0)
}

# The shapes that were once quadratic in their size (docs/security.md), generated at
# 1 MB, not committed: each target runs them once first, under its time budget per byte.
slow_shapes() {
  local target="$1" dir="slow/$1" head='---\nid: TLP-2026-0901\ntitle: x\ntype: defect\n---\n' k=''
  rm -rf "$dir"; mkdir -p "$dir"
  [ "$target" = validate ] && k='\000'
  case "$target" in
    frontmatter | markdown | validate)
      { printf -- "$k$head"; head -c 1000000 < <(yes 'satır <b>kalın</b> parola: Gizli123Xy! <i>x</i>'); } > "$dir/lines"
      { printf -- "$k$head"; head -c 1000000 < <(yes '<b>x</b>') | tr '\n' ' '; echo; } > "$dir/tag-line"
      { printf -- "$k$head"; head -c 1000000 < <(yes 'ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5 Zq8Rt4Vb2Nm6Lk0Jh9Gf7Ds5Aa3Pp1') | tr '\n' ' '; echo; } > "$dir/secret-line" ;;
  esac
  case "$target" in
    yaml | validate)
      { [ "$target" = validate ] && printf '\003'; echo 'id: cok.anahtar'; seq 0 80000 | sed 's/.*/k&: &/'; } > "$dir/top-keys" ;;
  esac
}

for target in "${targets[@]}"; do
  seed "$target"
  slow_shapes "$target"
  if [ -n "$(ls -A "slow/$target")" ]; then
    echo "== $target: the slow shapes" >&2
    cargo fuzz run "$target" "slow/$target" -- -runs=0 -max_len=1100000 -timeout=60 -rss_limit_mb=4096
  fi
  echo "== $target: ${seconds}s" >&2
  cargo fuzz run "$target" "corpus/$target" "../tests/adversarial/fuzz-regressions/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
done

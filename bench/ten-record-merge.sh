#!/usr/bin/env bash
# The K-th ten-record merge into main of the generated corpus REPO (docs/performance.md,
# "the site after a ten-record merge"): ten requests changed on the branch toplu-K —
# five Markdown bodies, five titles, in five commits — and merged into main with a
# merge commit. Each K takes another ten requests (every 6,000th, from the (K+1)-th).
# Used by bench/merge-rebuild.sh and bench/side-by-side.sh.
#
#   bench/ten-record-merge.sh REPO K
set -euo pipefail

dir=${1:?usage: bench/ten-record-merge.sh REPO K}
k=${2:?usage: bench/ten-record-merge.sh REPO K}
as_bench() { git -C "$dir" -c user.name=bench -c user.email=bench@example.org "$@"; }

git -C "$dir" checkout -q -b "toplu-$k" main
mapfile -t files < <(git -C "$dir" ls-files records/requests | awk -v k="$k" 'NR % 6000 == (1 + k) % 6000' | head -10)
for i in "${!files[@]}"; do
  f=$dir/${files[$i]}
  if ((i < 5)); then
    printf '\nBirleştirmede eklenen not %d-%d.\n' "$k" "$i" >>"$f"
  else
    sed -i "0,/^title: /s/^title: \(.*\)\$/title: \1 (güncellendi $k)/" "$f"
  fi
  if ((i % 2 == 1)); then
    git -C "$dir" add -A
    as_bench commit -q -m "İki talep güncellendi ($k-$i)"
  fi
done
git -C "$dir" checkout -q main
as_bench merge -q --no-ff -m "Merge toplu-$k" "toplu-$k"

#!/bin/sh
# aside.sh TRASH PATH...: moves each PATH that exists into the folder TRASH under a new
# name — a rename, which frees no inode. On an ext4 file system without a journal (the
# project's build machine), creating a file skips every inode freed in the last minute
# (six while the inode table is not yet written back), so a build started right after
# `rm -rf` of the last site spends tens of seconds more in the kernel than it would on a
# fresh runner; run.sh deletes TRASH only before it starts measuring.
set -eu
trash=$1
shift
mkdir -p "$trash"
for p in "$@"; do
  [ ! -e "$p" ] || mv "$p" "$trash/$(date +%s%N)-$$"
done

#!/usr/bin/env bash
# Validates every record of a dump (`gen_corpus --json`'s JSON, or bench/to-yaml.js's
# YAML of it), with check-jsonschema: one invocation per kind (a few at 100k records, see
# below), against schemas/<kind>.schema.json. bench/run.sh times it as one command. Exits
# non-zero if any record is invalid or a schema cannot be loaded, after checking every kind.
#
#   bench/check-jsonschema-all.sh SCHEMA_DIR DUMP_DIR       # DUMP_DIR/<kind>/*.json or *.yaml
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cj=$here/.venv/bin/check-jsonschema
schemas=$(cd "$1" && pwd)
json=$2

status=0
for dir in "$json"/*/; do
  kind=$(basename "$dir")
  schema=$schemas/$kind.schema.json
  # check-jsonschema reads .yaml files as YAML (ruamel.yaml).
  ext=json
  [ -z "$(find "$dir" -maxdepth 1 -name '*.yaml' -print -quit)" ] || ext=yaml
  # --base-uri: each schema has an `$id` of https://defter.invalid/schemas/<kind>.schema.json,
  #   and check-jsonschema resolves the relative "$ref": "common.schema.json#…" against
  #   that `$id` (as the spec says), i.e. tries to download it and fails. With the base URI
  #   set to the schema file, the reference resolves to the file next to it.
  # Paths go through xargs rather than a shell glob: at 100k records the request folder
  #   alone exceeds the kernel's argument-size limit. -s 1000000 keeps each batch well
  #   under that limit yet large enough that 10k records need one invocation per kind.
  (cd "$dir" && printf '%s\0' *."$ext" |
    xargs -0 -s 1000000 "$cj" --base-uri "file://$schema" --schemafile "$schema") || status=1
done
exit "$status"

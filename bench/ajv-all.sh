#!/usr/bin/env bash
# Validates every record of a dump (`gen_corpus --json`'s JSON, or bench/to-yaml.js's
# YAML of it), with ajv-cli: one ajv invocation per kind (the folder's name is its
# schema's name), against schemas/<kind>.schema.json with the shared definitions of
# schemas/common.schema.json. bench/run.sh times it as one command. Prints "<file> valid" /
# "<file> invalid" per record, like ajv; exits 1 if any kind failed, after checking them all.
#
#   bench/ajv-all.sh SCHEMA_DIR DUMP_DIR       # DUMP_DIR/<kind>/*.json or *.yaml
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
ajv=$here/node_modules/.bin/ajv
schemas=$1
json=$2

status=0
for dir in "$json"/*/; do
  kind=$(basename "$dir")
  # ajv-cli reads .yaml files with js-yaml (the library bench/to-yaml.js dumped them with).
  ext=json
  [ -z "$(find "$dir" -maxdepth 1 -name '*.yaml' -print -quit)" ] || ext=yaml
  # --spec=draft2020: the schemas declare draft 2020-12.
  # -c ajv-formats: the schemas use "format" (date, email, uri, hostname); without it ajv
  #   rejects unknown formats rather than checking them.
  # --strict=false: the schemas annotate enums with an `x-labels` keyword of their own,
  #   which strict mode rejects as an unknown keyword.
  # The data pattern is quoted: ajv-cli expands it itself, which keeps tens of thousands
  #   of paths off the command line at 100k records.
  "$ajv" validate --spec=draft2020 -c ajv-formats --strict=false \
    -s "$schemas/$kind.schema.json" -r "$schemas/common.schema.json" \
    -d "$dir*.$ext" || status=1
done
exit "$status"

// Writes every jN/<kind>/*.json that `gen_corpus --json` dumped as yN/<kind>/*.yaml: the
// same records as plain YAML, for ajv-cli and check-jsonschema (the comparison is
// with those tools reading YAML). The dump is js-yaml's, the library ajv-cli reads YAML
// with, so every value reads back as it was: js-yaml follows YAML 1.1 and would read a
// bare 2026-11-30 as a date, so it quotes such strings itself. bench/run.sh checks that
// ajv finds every record valid.
//
//   node bench/to-yaml.js JSON_DIR YAML_DIR
"use strict";
const fs = require("fs");
const path = require("path");
// The copy ajv-cli itself loads (a dependency of ajv-cli, not one of ours).
const yaml = require(require.resolve("js-yaml", { paths: [path.dirname(require.resolve("ajv-cli/package.json"))] }));

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error("usage: node bench/to-yaml.js JSON_DIR YAML_DIR");
  process.exit(2);
}
for (const kind of fs.readdirSync(from).sort()) {
  fs.mkdirSync(path.join(to, kind), { recursive: true });
  for (const name of fs.readdirSync(path.join(from, kind)).sort()) {
    const record = JSON.parse(fs.readFileSync(path.join(from, kind, name), "utf8"));
    fs.writeFileSync(path.join(to, kind, name.replace(/\.json$/, ".yaml")), yaml.safeDump(record));
  }
}

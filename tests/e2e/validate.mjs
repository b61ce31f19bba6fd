// HTML validity of every page of the built site, with html-validate (no network: the
// rules ship with the package; the configuration allows only what is intentional) and
// with the W3C Nu HTML checker (the `vnu-jar` package, on the system's Java).

import { execFile } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { HtmlValidate } from "html-validate";

const CONFIG = {
  extends: ["html-validate:recommended"],
  rules: {
    // Record pages are titled "<id> <record title> · <site title>": long, and meant so.
    "long-title": "off",
    // Whitespace left by template tags is not markup.
    "no-trailing-whitespace": "off",
  },
};

/** A machine-readable date or time (the HTML standard's formats that the site uses). */
const DATETIME = /^(\d{4}-\d{2}(-\d{2})?([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?|\d{2}:\d{2}(:\d{2})?)$/;

/**
 * What html-validate does not check: a `<time>` needs a machine-readable `datetime`, or
 * content that is one itself (`03.12.2026` is not).
 */
function timeProblems(page, text) {
  const problems = [];
  for (const m of text.matchAll(/<time(\s[^>]*)?>([^<]*)<\/time>/g)) {
    const attr = /\sdatetime="([^"]*)"/.exec(m[1] || "");
    const value = attr ? attr[1] : m[2].trim();
    if (!DATETIME.test(value)) {
      const line = text.slice(0, m.index).split("\n").length;
      problems.push(`${page}:${line} time-datetime: <time>${m[2]}</time> has no valid datetime ("${value}")`);
    }
  }
  return problems;
}

/** The site-relative paths of every HTML page under `root`, sorted. */
export async function htmlFiles(root) {
  const all = await readdir(root, { recursive: true });
  return all.filter((f) => f.endsWith(".html")).map((f) => f.split(path.sep).join("/")).sort();
}

/** Validates every page; resolves to `{ pages, problems }`, problems as text lines. */
export async function validateSite(root) {
  const validator = new HtmlValidate(CONFIG);
  const pages = await htmlFiles(root);
  const problems = [];
  for (const page of pages) {
    const text = await readFile(path.join(root, page), "utf8");
    problems.push(...timeProblems(page, text));
    const report = await validator.validateString(text, page);
    for (const result of report.results) {
      for (const m of result.messages) {
        problems.push(`${page}:${m.line}:${m.column} ${m.ruleId}: ${m.message}${m.selector ? ` (${m.selector})` : ""}`);
      }
    }
  }
  return { pages: pages.length, problems };
}

const require = createRequire(import.meta.url);

/**
 * The W3C Nu HTML checker over every page under `root` (one Java run for all of them);
 * resolves to `{ pages, errors }`, errors as text lines. Warnings are not errors.
 */
export async function nuCheck(root) {
  const jar = require.resolve("vnu-jar/build/dist/vnu.jar");
  const java = process.env.JAVA || "java";
  const pages = await htmlFiles(root);
  const out = await new Promise((resolve, reject) => {
    execFile(
      java,
      ["-jar", jar, "--errors-only", "--skip-non-html", "--format", "json", "--exit-zero-always", root],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${java} -jar vnu.jar did not run (Debian: apt-get install -y default-jre-headless): ${error.message}\n${stderr}`));
        } else {
          resolve(stderr || stdout);
        }
      },
    );
  });
  const { messages } = JSON.parse(out);
  const errors = messages
    .filter((m) => m.type === "error" || m.subType === "fatal")
    .map((m) => `${path.relative(root, new URL(m.url).pathname)}:${m.lastLine ?? "?"}: ${m.message}`);
  return { pages: pages.length, errors };
}

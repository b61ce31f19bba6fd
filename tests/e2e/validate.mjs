// HTML validity of every page of the built site, with html-validate (no network: the
// rules ship with the package). The configuration allows only what is intentional.

import { readFile, readdir } from "node:fs/promises";
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

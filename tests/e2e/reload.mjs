#!/usr/bin/env node
// `defter serve`'s live reload as a person sees it, in a real headless Chromium: a page
// the preview serves is opened; once it holds its request for the next version, the
// record it shows is edited on disk, and the page must reload by itself and show the
// edit, with no click and no poll interval to wait out — once, though the preview shows
// the edited page first and brings the rest of the site up to the edit after. A second
// page open beside it, which the edit does not change, must not reload at all.
//
//   node tests/e2e/reload.mjs URL FILE OLD NEW OTHER_URL
//
// FILE is the record's file; OLD is replaced by NEW in it, and NEW must then be in the
// page's heading. Exit status: 0 when the page reloaded with the edit, once, and the
// other page did not, 1 when not, 2 when the run cannot start.

import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { chromium } from "playwright-core";

import { ARGS, CHROMIUM } from "./browser.mjs";

const [url, file, before, after, otherUrl] = process.argv.slice(2);
if (!otherUrl) {
  console.error("usage: node tests/e2e/reload.mjs URL FILE OLD NEW OTHER_URL");
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`no Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM)`);
  process.exit(2);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
let failed = false;
try {
  const version = async () => (await (await fetch(new URL("/__defter/version", url))).text()).trim();
  const other = await browser.newPage();
  const otherHeld = other.waitForRequest((r) => r.url().includes("/__defter/version?after="), { timeout: 60_000 });
  await other.goto(otherUrl, { waitUntil: "load" });
  await otherHeld;
  let otherLoads = 0;
  other.on("load", () => (otherLoads += 1));
  const page = await browser.newPage();
  const held = page.waitForRequest((r) => r.url().includes("/__defter/version?after="), { timeout: 60_000 });
  await page.goto(url, { waitUntil: "load" });
  const heading = await page.textContent("h1");
  const old = before.replace(/^title: /, "");
  if (!heading.includes(old)) {
    throw new Error(`the page does not show the record before the edit: ${heading}`);
  }
  await held;
  const first = Number(await version());
  // The next load is the reload the preview asks for; nothing here navigates.
  const reloaded = page.waitForEvent("load", { timeout: 120_000 });
  let loads = 0;
  page.on("load", () => (loads += 1));
  const text = await readFile(file, "utf8");
  if (!text.includes(before)) {
    throw new Error(`${file} does not hold ${JSON.stringify(before)}`);
  }
  const saved = Date.now();
  await writeFile(file, text.replace(before, after));
  await reloaded;
  const waited = Date.now() - saved;
  const now = await page.textContent("h1");
  const shown = after.replace(/^title: /, "");
  if (!now.includes(shown)) {
    throw new Error(`the page reloaded without the edit: ${now}`);
  }
  // The rest of the site is brought up to the edit after the page is shown: the version
  // moves once more; then no page has anything more to reload for.
  const deadline = Date.now() + 120_000;
  while (Number(await version()) < first + 2) {
    if (Date.now() > deadline) {
      throw new Error(`the rebuild did not finish: version ${await version()}, ${first} before the edit`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  await new Promise((done) => setTimeout(done, 1500));
  if (loads !== 1) {
    throw new Error(`the edited page loaded ${loads} times after the save, not once`);
  }
  if (otherLoads !== 0) {
    throw new Error(`the page the edit does not change reloaded ${otherLoads} times`);
  }
  console.log(`ok: the page reloaded by itself ${waited} ms after the save and shows the edit, once; the other page stayed`);
} catch (e) {
  failed = true;
  console.error(`FAIL: ${e.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);

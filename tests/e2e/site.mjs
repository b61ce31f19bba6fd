#!/usr/bin/env node
// End-to-end tests of the site `defter build` writes, used as a person uses it: a real
// headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) on the pages
// served over HTTP from 127.0.0.1. The scenarios expect the example records of this
// repository built with `--as-of 2026-11-30`.
//
//   node tests/e2e/site.mjs SITE_DIR
//
// Environment: CHROMIUM (default /usr/bin/chromium); DEFTER_SCREENSHOTS=1 also writes a
// screenshot of each main page to docs/img/ (DEFTER_SCREENSHOTS=home,findings only those;
// DEFTER_SCREENSHOTS_DIR to write elsewhere); DEFTER_E2E_ONLY=word runs only the scenarios
// whose name holds the word (while working on one).
// Exit status: 0 when every scenario passes, 1 when one fails, 2 when the run cannot start.

import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

import { ARGS, CHROMIUM } from "./browser.mjs";
import { serve } from "./server.mjs";
import { htmlFiles, nuCheck, validateSite } from "./validate.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const SITE_TITLE = "Yazılım Şube Müdürlüğü";
const MENU = ["Ana sayfa", "Talepler", "Projeler", "Yetkiler", "Envanter", "Güvenlik ve yönetim", "Süre takvimi", "Raporlar", "Bulgular", "Yönerge", "Ara"];

/** Besides every page as it is written: the search page with results filled in. */
const AXE_EXTRA = ["search.html?q=zabita"];

/** Pages that must not scroll sideways on a phone. */
const PHONE_PAGES = [
  "index.html",
  "requests/TLP-2026-0027.html",
  "projects/PRJ-0001/index.html",
  "projects/PRJ-0001/test-plani.html",
  "rules.html",
  "requests/index.html",
  "requests/board/yazilim-analiz-servisi.html",
  "grants/index.html",
  "inventory/index.html",
  "calendar.html",
  "reports.html",
  "workload.html",
  "directive.html",
  "search.html?q=zabita",
];

/** docs/img/<name>.png ← page, for docs/site.md. */
const SCREENSHOTS = [
  ["home", "index.html"],
  ["requests", "requests/index.html"],
  ["board", "requests/board/yazilim-analiz-servisi.html"],
  ["unit-requests", "requests/unit/zabita-dairesi.html"],
  ["request", "requests/TLP-2026-0027.html"],
  ["person", "people/mehmet.demir.html"],
  ["workload", "workload.html"],
  ["projects", "projects/index.html"],
  ["project", "projects/PRJ-0001/index.html"],
  ["project-section", "projects/PRJ-0001/analiz.html"],
  ["grants", "grants/index.html"],
  ["inventory", "inventory/index.html"],
  ["calendar", "calendar.html"],
  ["reports", "reports.html"],
  ["findings", "findings.html"],
  ["rules", "rules.html"],
  ["directive", "directive.html"],
  ["search", "search.html?q=zabita"],
];

class Failure extends Error {}

function check(condition, message) {
  if (!condition) {
    throw new Failure(message);
  }
}

function fatal(message) {
  console.error(`e2e: ${message}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------

// A hung browser must not hang `cargo test` (axe over every page takes a few minutes on
// a busy two-core machine).
setTimeout(() => {
  console.error("e2e: still running after 15 minutes; giving up");
  process.exit(1);
}, 900_000).unref();

const siteArg = process.argv[2];
if (!siteArg) {
  fatal("usage: node tests/e2e/site.mjs SITE_DIR (a folder written by `defter build`)");
}
const site = path.resolve(siteArg);
if (!existsSync(path.join(site, "index.html"))) {
  fatal(`${site} holds no index.html: build the site first (defter build --as-of 2026-11-30 --out DIR)`);
}
if (!existsSync(CHROMIUM)) {
  fatal(`no Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM)`);
}

// axe-core is served beside the site, so the page's Content-Security-Policy admits it.
const AXE_URL = "/__e2e__/axe.min.js";
const server = await serve(site, { [AXE_URL]: require.resolve("axe-core/axe.min.js") });
const userDataDir = await mkdtemp(path.join(os.tmpdir(), "defter-e2e-chromium-"));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
    locale: "tr-TR",
    timeout: 60_000,
  });
} catch (e) {
  await server.close();
  await rm(userDataDir, { recursive: true, force: true });
  fatal(`Chromium did not start: ${e.message}`);
}
context.setDefaultTimeout(10_000);

// The site is for the intranet: it must load nothing from anywhere but itself (served,
// or opened from disk).
const siteFileUrl = pathToFileURL(site).href + "/";
const outside = [];
await context.route("**/*", (route) => {
  const url = route.request().url();
  if (url.startsWith(server.url) || url.startsWith(siteFileUrl)) {
    return route.continue();
  }
  outside.push(url);
  return route.abort();
});

const url = (rel) => server.url + rel;

/** Opens a site page in `page`, failing on an HTTP error. */
async function open(page, rel) {
  const response = await page.goto(url(rel), { waitUntil: "load" });
  check(response && response.ok(), `${rel}: HTTP ${response && response.status()}`);
}

/** The site-relative path of the page's current URL. */
const at = (page) => page.url().slice(server.url.length);

const results = [];

/** Runs one scenario on a fresh tab; a script error on the page fails it too. */
async function scenario(name, body) {
  if (process.env.DEFTER_E2E_ONLY && !name.includes(process.env.DEFTER_E2E_ONLY)) {
    return;
  }
  const started = Date.now();
  const page = await context.newPage();
  const scriptErrors = [];
  page.on("pageerror", (e) => scriptErrors.push(`${at(page)}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") {
      scriptErrors.push(`${at(page)}: console: ${m.text()}`);
    }
  });
  const notes = [];
  try {
    await body(page, notes);
    check(scriptErrors.length === 0, `errors on the page:\n    ${scriptErrors.join("\n    ")}`);
    results.push({ name, ok: true });
    console.log(`ok    ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    const detail = e instanceof Failure ? e.message : e.stack || String(e);
    console.log(`FAIL  ${name}\n    ${detail.replace(/\n/g, "\n    ")}`);
  } finally {
    for (const n of notes) {
      console.log(`      note: ${n}`);
    }
    await page.close();
  }
}

// (a) The home page: Turkish title, language, landmarks, menu. ---------------------------

await scenario("home page: Turkish title, landmarks and menu", async (page) => {
  await open(page, "index.html");
  check((await page.title()) === `Ana sayfa · ${SITE_TITLE}`, `title is "${await page.title()}"`);
  check((await page.getAttribute("html", "lang")) === "tr", "<html lang> is not tr");
  check((await page.getByRole("heading", { level: 1 }).innerText()) === SITE_TITLE, "no h1 with the site title");
  for (const role of ["banner", "main", "contentinfo"]) {
    check((await page.getByRole(role).count()) === 1, `not exactly one ${role} landmark`);
  }
  const menu = page.getByRole("navigation", { name: "Menü" });
  check((await menu.count()) === 1, "no navigation landmark named Menü");
  const labels = (await menu.getByRole("link").allInnerTexts()).map((s) => s.trim());
  check(JSON.stringify(labels) === JSON.stringify(MENU), `menu is ${JSON.stringify(labels)}`);
  check((await menu.getByRole("link", { name: "Ana sayfa" }).getAttribute("aria-current")) === "page", "home is not marked current");
  // The skip link is the first stop of the keyboard and shows itself when focused.
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => [document.activeElement.textContent, document.activeElement.getAttribute("href")]);
  check(focused[0] === "İçeriğe geç" && focused[1] === "#main", `first Tab stop is ${JSON.stringify(focused)}`);
  const box = await page.locator("a.skip").boundingBox();
  check(box && box.x >= 0 && box.y >= 0, "the focused skip link is off screen");
  // Every menu entry opens its page, which marks itself current.
  for (const label of MENU.slice(1)) {
    await open(page, "index.html");
    await page.getByRole("navigation", { name: "Menü" }).getByRole("link", { name: label, exact: true }).click();
    await page.waitForLoadState("load");
    const current = page.getByRole("navigation", { name: "Menü" }).getByRole("link", { name: label, exact: true });
    check((await current.getAttribute("aria-current")) === "page", `${label}: ${at(page)} does not mark its menu entry current`);
    check((await page.getByRole("heading", { level: 1 }).count()) === 1, `${label}: not exactly one h1`);
  }
});

// (b) Search, typed the way people type Turkish on any keyboard. -------------------------

/** Types `query` into the search box like a person and waits until the results settle. */
async function search(page, query) {
  const box = page.getByRole("searchbox", { name: "Kayıt, kişi, birim ara…" });
  await box.fill("");
  await box.pressSequentially(query, { delay: 15 });
  await box.press("Enter");
  // Typing fires a debounced search; wait until the list stops changing.
  let last = null;
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(100);
    const now = await page.evaluate(() => document.getElementById("search-status").textContent + "|" + document.getElementById("search-results").textContent);
    if (now === last && !now.startsWith("|")) {
      break;
    }
    last = now;
  }
  return page.locator("#search-results a").evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href"), text: a.textContent })));
}

function expectHit(query, hits, href) {
  check(
    hits.some((h) => h.href === href),
    `"${query}" does not find ${href}; found ${hits.length}: ${hits.slice(0, 8).map((h) => h.href).join(", ")}`,
  );
}

await scenario("search: Turkish letters typed without diacritics, in any case", async (page) => {
  await open(page, "search.html");
  check((await page.getByRole("search").count()) === 1, "no search landmark");
  // "şikâyet" (with ş and â) found by plain ASCII.
  let hits = await search(page, "sikayet");
  expectHit("sikayet", hits, "requests/TLP-2026-0027.html");
  const found = await page.locator("#search-status").innerText();
  check(found === `${hits.length} sonuç bulundu`, `the status says "${found}" for ${hits.length} results`);
  // Dotted capital İ typed as ASCII, lower and upper case.
  for (const q of ["izmir", "IZMIR", "İZMİR", "İzmir"]) {
    hits = await search(page, q);
    expectHit(q, hits, "units/izmir-bb.html");
  }
  // Dotless ı typed as i or as capital I.
  for (const q of ["zabita", "ZABITA", "Zabıta"]) {
    hits = await search(page, q);
    expectHit(q, hits, "units/zabita-dairesi.html");
    expectHit(q, hits, "requests/TLP-2026-0027.html");
  }
  const zabita = hits.length;
  // ğ typed as g.
  hits = await search(page, "dogrulama");
  expectHit("dogrulama", hits, "requests/TLP-2026-0015.html");
  // Several words: records that match all of them.
  hits = await search(page, "zabita sikayet");
  expectHit("zabita sikayet", hits, "requests/TLP-2026-0027.html");
  check(hits.length < zabita, `"zabita sikayet" finds ${hits.length} records, no fewer than "zabita" (${zabita})`);
  // Nothing found is said, not left blank.
  hits = await search(page, "qqxyzzy");
  check(hits.length === 0, `"qqxyzzy" finds ${hits.length} records`);
  const status = await page.locator("#search-status").innerText();
  check(status === "Sonuç bulunamadı.", `status for no results is "${status}"`);
  // A result opens its record.
  await search(page, "sikayet zabita");
  await page.locator('#search-results a[href="requests/TLP-2026-0027.html"]').click();
  await page.waitForURL(/requests\/TLP-2026-0027\.html$/);
  const h1 = await page.getByRole("heading", { level: 1 }).innerText();
  check(h1.includes("TLP-2026-0027") && h1.includes("şikâyet"), `the result opened a page headed "${h1}"`);
});

await scenario("search: a query in the address (search.html?q=…)", async (page) => {
  await open(page, "search.html?q=%C4%B0zmir");
  await page.locator('#search-results a[href="units/izmir-bb.html"]').waitFor();
  check((await page.locator("#q").inputValue()) === "İzmir", "the query is not put in the search box");
});

await scenario("search from disk: the site opened as file://, as the README says", async (page) => {
  // No server: a page from disk may not fetch the index, so the index is scripts.
  await page.goto(siteFileUrl + "search.html?q=zabita", { waitUntil: "load" });
  await page.locator('#search-results a[href="units/zabita-dairesi.html"]').waitFor();
  let hits = await search(page, "sikayet");
  expectHit("sikayet", hits, "requests/TLP-2026-0027.html");
  hits = await search(page, "qqxyzzy");
  check(hits.length === 0, `"qqxyzzy" finds ${hits.length} records from disk`);
  check((await page.locator("#search-status").innerText()) === "Sonuç bulunamadı.", "no 'nothing found' from disk");
  await search(page, "İzmir");
  await page.locator('#search-results a[href="units/izmir-bb.html"]').click();
  await page.waitForURL(/units\/izmir-bb\.html$/);
  check(page.url().startsWith("file://"), `the result opened ${page.url()}`);
});

// (c) Following links: list → request → unit and person, and back through backlinks. -----

/** The link in the record's field whose label is `label`. */
const fieldLink = (page, label) => page.locator("dl.fields dt", { hasText: label }).locator("xpath=following-sibling::dd[1]").getByRole("link").first();

/** The links of the "İlişkili kayıtlar" (related records) section. */
const related = (page) => page.getByRole("region", { name: "İlişkili kayıtlar" }).getByRole("link");

await scenario("links: requests list → request → unit, person and back", async (page) => {
  await open(page, "index.html");
  await page.getByRole("navigation", { name: "Menü" }).getByRole("link", { name: "Talepler" }).click();
  await page.waitForURL(/requests\/index\.html$/);
  const table = page.getByRole("table", { name: /Tüm talepler/ });
  check((await table.getByRole("row").count()) > 30, "the requests table has too few rows");
  await table.getByRole("link", { name: "TLP-2026-0027", exact: true }).click();
  await page.waitForURL(/requests\/TLP-2026-0027\.html$/);
  check((await page.title()).startsWith("TLP-2026-0027 "), `request page title is "${await page.title()}"`);

  await fieldLink(page, "Talep eden birim").click();
  await page.waitForURL(/units\/zabita-dairesi\.html$/);
  check((await page.getByRole("heading", { level: 1 }).innerText()).includes("Zabıta Dairesi Başkanlığı"), "the unit page is not the Zabıta unit");
  const unitLinks = await related(page).evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  check(unitLinks.includes("../requests/TLP-2026-0027.html"), "the unit page does not list the request among its related records");

  await page.goBack();
  await page.waitForURL(/requests\/TLP-2026-0027\.html$/);
  const person = fieldLink(page, "Talep eden kişi");
  check((await person.innerText()) === "Mehmet Demir", `the requester is shown as "${await person.innerText()}", not by name`);
  await person.click();
  await page.waitForURL(/people\/mehmet\.demir\.html$/);
  const h1 = await page.getByRole("heading", { level: 1 }).innerText();
  check(h1.includes("Mehmet Demir"), `the person page is headed "${h1}"`);
  check((await page.getByRole("heading", { name: "Talep — Talep eden kişi" }).count()) === 1, "the person page has no group of requests they made");
  const backlink = related(page).filter({ hasText: "TLP-2026-0027" }).first();
  check((await backlink.count()) === 1, "the person page does not list the request");
  await fieldLink(page, "Birim").click();
  await page.waitForURL(/units\/zabita-dairesi\.html$/);
  await page.goBack();
  await related(page).filter({ hasText: "TLP-2026-0027" }).first().click();
  await page.waitForURL(/requests\/TLP-2026-0027\.html$/);
});

await scenario("links: boards, a unit's own list and a project's document", async (page) => {
  await open(page, "requests/index.html");
  await page.getByRole("link", { name: "Analiz Servisi", exact: true }).first().click();
  await page.waitForURL(/requests\/board\/yazilim-analiz-servisi\.html$/);
  check((await page.getByRole("heading", { level: 2, name: /Yeni/ }).count()) === 1, "the board has no Yeni column");
  await page.getByRole("link", { name: "TLP-2026-0027", exact: true }).click();
  await page.waitForURL(/requests\/TLP-2026-0027\.html$/);

  await open(page, "requests/index.html");
  await page.getByText("Filtrele: Birim").click();
  await page.getByRole("link", { name: /Zabıta Dairesi Başkanlığı/ }).first().click();
  await page.waitForURL(/requests\/unit\/zabita-dairesi\.html$/);
  const rows = await page.getByRole("table").getByRole("row").count();
  check(rows > 3, `the unit's list has ${rows - 1} requests`);

  await page.getByRole("navigation", { name: "Menü" }).getByRole("link", { name: "Projeler" }).click();
  await page.getByRole("link", { name: "PRJ-0001", exact: true }).click();
  await page.waitForURL(/projects\/PRJ-0001\/index\.html$/);
  const sections = page.getByRole("region", { name: "Proje dokümanı" }).getByRole("link");
  check((await sections.count()) >= 3, "the project lists too few document sections");
  await sections.first().click();
  await page.waitForURL(/projects\/PRJ-0001\/[a-z-]+\.html$/);
  await page.locator(".crumbs a").click();
  await page.waitForURL(/projects\/PRJ-0001\/index\.html$/);
});

// Exports and feeds are served and well-formed. -------------------------------------------

await scenario("exports and feeds", async (page) => {
  const get = async (rel) => {
    const r = await page.request.get(url(rel));
    check(r.ok(), `${rel}: HTTP ${r.status()}`);
    return r.text();
  };
  for (const kind of ["requests", "projects", "grants", "inventory", "people", "units", "deadlines", "findings"]) {
    const csv = await get(`exports/${kind}.csv`);
    check(csv.replace(/^\uFEFF/, "").startsWith("id;") || kind === "findings" || kind === "deadlines", `exports/${kind}.csv has no id column first`);
    JSON.parse(await get(`exports/${kind}.json`));
  }
  const feed = await get("feed.xml");
  check(feed.startsWith("<?xml") && feed.includes("<feed"), "feed.xml is not an Atom feed");
  const ics = await get("deadlines.ics");
  check(ics.startsWith("BEGIN:VCALENDAR") && ics.trimEnd().endsWith("END:VCALENDAR"), "deadlines.ics is not an iCalendar file");
  await open(page, "index.html");
  const alt = await page.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute("href");
  check(alt === "feed.xml", `the home page's feed link is ${alt}`);
});

// (d) Accessibility: axe-core on a page of each kind. ------------------------------------

/**
 * Runs axe-core on the open page (every <details> opened first, so it sees what a person
 * who opens them sees). Resolves to its violations of any impact, as text.
 */
async function axe(page, rel) {
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
  await page.addScriptTag({ url: AXE_URL });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(" ")} — ${n.failureSummary.split("\n").slice(1, 2).join("").trim()}`),
    }));
  });
  return violations.map((v) => {
    const more = v.nodes.length > 5 ? `\n      … ${v.nodes.length - 5} more` : "";
    return `${rel}: [${v.impact}] ${v.id}: ${v.help}\n      ${v.nodes.slice(0, 5).join("\n      ")}${more}`;
  });
}

/** Opens a page and waits for what its scripts fill in. */
async function openSettled(page, rel) {
  await open(page, rel);
  if (rel.startsWith("search.html?")) {
    await page.locator("#search-results li").first().waitFor();
  }
}

const everyPage = [...(await htmlFiles(site)), ...AXE_EXTRA];

await scenario(`accessibility: axe-core on every page (${everyPage.length}), any violation fails`, async (page, notes) => {
  // Two tabs (a renderer process each, one per core) share the pages: each loads a page
  // and runs axe on it, no browser start-up between pages.
  const started = Date.now();
  const failures = [];
  const queue = [...everyPage];
  const second = await context.newPage();
  const errors = [];
  second.on("pageerror", (e) => errors.push(`${at(second)}: ${e.message}`));
  const work = async (tab) => {
    for (let rel = queue.shift(); rel !== undefined; rel = queue.shift()) {
      await openSettled(tab, rel);
      failures.push(...(await axe(tab, rel)));
    }
  };
  try {
    await Promise.all([work(page), work(second)]);
  } finally {
    await second.close();
  }
  failures.sort();
  const ms = Math.round((Date.now() - started) / everyPage.length);
  notes.push(`${everyPage.length} pages in two tabs, ${ms} ms a page, ${failures.length} violations`);
  check(errors.length === 0, `errors on the page:\n    ${errors.join("\n    ")}`);
  check(failures.length === 0, `${failures.length} violations:\n  ${failures.slice(0, 40).join("\n  ")}${failures.length > 40 ? `\n  … ${failures.length - 40} more` : ""}`);
});

// (e) A phone: nothing scrolls sideways but the tables inside their .scroll box. ----------

await scenario("phone (390×844): no sideways scrolling of the page; axe-core again", async (page) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const wide = [];
  const failures = [];
  for (const rel of PHONE_PAGES) {
    await openSettled(page, rel);
    const m = await page.evaluate(() => {
      const width = window.innerWidth;
      const culprits = [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest(".scroll, .board"))
        .slice(0, 3)
        .map((e) => `${e.tagName.toLowerCase()}${e.className ? "." + String(e.className).replace(/ /g, ".") : ""} (right ${Math.round(e.getBoundingClientRect().right)})`);
      return { scroll: document.documentElement.scrollWidth, width, culprits };
    });
    if (m.scroll > m.width) {
      wide.push(`${rel}: page is ${m.scroll}px wide on a ${m.width}px screen; ${m.culprits.join(", ")}`);
    }
    // Narrow, the tables scroll inside their boxes: those must be reachable by keyboard.
    failures.push(...(await axe(page, rel)));
  }
  check(wide.length === 0, `pages wider than the phone:\n  ${wide.join("\n  ")}`);
  check(failures.length === 0, `${failures.length} violations on the phone:\n  ${failures.join("\n  ")}`);
});

// Boards fit a laptop and a phone: no sideways scrolling, of the page or of the board. ---

await scenario("boards fit a 1366×768 laptop and a 390×844 phone", async (page, notes) => {
  const boards = (await htmlFiles(site)).filter((p) => p.startsWith("requests/board/"));
  boards.push("projects/index.html");
  const wide = [];
  for (const [width, height] of [[1366, 768], [390, 844]]) {
    await page.setViewportSize({ width, height });
    for (const rel of boards) {
      await open(page, rel);
      const m = await page.evaluate(() => {
        const board = document.querySelector(".board");
        const columns = [...board.querySelectorAll(".column")].map((c) => c.getBoundingClientRect());
        return {
          page: document.documentElement.scrollWidth,
          width: window.innerWidth,
          board: [board.scrollWidth, board.clientWidth],
          right: Math.max(...columns.map((r) => r.right)),
          rows: new Set(columns.map((r) => Math.round(r.top))).size,
        };
      });
      if (m.page > m.width || m.board[0] > m.board[1] || m.right > m.width) {
        wide.push(`${rel} at ${width}px: page ${m.page}px, board ${m.board[0]}/${m.board[1]}px, last column ends at ${Math.round(m.right)}px`);
      }
      if (width === 1366 && rel.startsWith("requests/board/") && m.rows !== 1) {
        wide.push(`${rel} at ${width}px: the seven columns take ${m.rows} rows, not one`);
      }
    }
  }
  notes.push(`${boards.length} boards at 1366 and 390 pixels`);
  check(wide.length === 0, `boards that do not fit:\n  ${wide.join("\n  ")}`);
});

// Print: the official copy of a list or a record, without the screen's furniture. ------

await scenario("print: no menu or search, black text, tables at 9 pt, a PDF comes out", async (page, notes) => {
  await page.emulateMedia({ media: "print" });
  for (const rel of ["requests/index.html", "requests/TLP-2026-0001.html"]) {
    await open(page, rel);
    const nav = page.getByRole("navigation", { name: "Menü" });
    check(!(await nav.isVisible()), `${rel}: the menu is printed`);
    const sizes = await page.$$eval("main table", (ts) => ts.map((t) => getComputedStyle(t).fontSize));
    check(sizes.length > 0 && sizes.every((s) => s === "12px"), `${rel}: tables print at ${JSON.stringify(sizes)}, not 9 pt (12px)`);
    const colour = await page.$eval("main a", (a) => getComputedStyle(a).color);
    check(colour === "rgb(0, 0, 0)", `${rel}: links print in ${colour}`);
  }
  const pdf = await page.pdf({ format: "A4" });
  check(pdf.subarray(0, 5).toString() === "%PDF-", "no PDF");
  notes.push(`requests/TLP-2026-0001.html prints as ${Math.round(pdf.length / 1024)} KB of A4`);
});

// HTML validity of every page. ----------------------------------------------------------

await scenario("HTML validity: html-validate on every page", async (_page, notes) => {
  const { pages, problems } = await validateSite(site);
  notes.push(`${pages} pages validated`);
  check(problems.length === 0, `${problems.length} problems:\n  ${problems.slice(0, 40).join("\n  ")}${problems.length > 40 ? `\n  … ${problems.length - 40} more` : ""}`);
});

await scenario("HTML validity: the W3C Nu HTML checker (vnu-jar) on every page", async (_page, notes) => {
  const { pages, errors } = await nuCheck(site);
  notes.push(`${pages} pages checked by the Nu HTML checker`);
  check(errors.length === 0, `${errors.length} errors:\n  ${errors.slice(0, 40).join("\n  ")}${errors.length > 40 ? `\n  … ${errors.length - 40} more` : ""}`);
});

await scenario("no missing files and nothing loaded from outside", async () => {
  // Browsers ask for /favicon.ico on their own; the site links no icon.
  const misses = server.misses.filter((m) => m !== "/favicon.ico");
  check(misses.length === 0, `404s: ${[...new Set(misses)].join(", ")}`);
  check(outside.length === 0, `requests outside the site: ${[...new Set(outside)].join(", ")}`);
});

// (f) Screenshots for docs/site.md, on request only. ---------------------------------------

const wanted = (process.env.DEFTER_SCREENSHOTS || "").split(",").filter(Boolean);
if (wanted.length > 0) {
  await scenario("screenshots for docs/site.md", async (page, notes) => {
    const dir = path.resolve(process.env.DEFTER_SCREENSHOTS_DIR || path.join(here, "..", "..", "docs", "img"));
    await mkdir(dir, { recursive: true });
    await page.setViewportSize({ width: 1024, height: 700 });
    for (const [name, rel] of SCREENSHOTS.filter(([n]) => wanted.includes("1") || wanted.includes(n))) {
      await openSettled(page, rel);
      const file = path.join(dir, `${name}.png`);
      await page.screenshot({ path: file, animations: "disabled" });
      const { size } = await stat(file);
      notes.push(`${path.relative(process.cwd(), file)} ${Math.round(size / 1024)} KB`);
      check(size < 200 * 1024, `${name}.png is ${Math.round(size / 1024)} KB, over 200 KB`);
    }
  });
}

await context.close();
await server.close();
await rm(userDataDir, { recursive: true, force: true });

const failed = results.filter((r) => !r.ok).length;
console.log(`\nsite e2e: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

// A tiny static file server for the built site: 127.0.0.1, a free port, no directory
// listings, nothing outside the site's folder. Like the intranet's web server would, it
// serves `index.html` for a folder, with the security headers docs/site.md recommends.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".xml": "application/atom+xml; charset=utf-8",
  ".ics": "text/calendar; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

const CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

/** Resolves a request path to a file inside `root`, or null. */
async function fileFor(root, urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath.split("?")[0].split("#")[0]);
  } catch {
    return null;
  }
  const file = path.resolve(root, "." + path.posix.normalize("/" + rel));
  if (file !== root && !file.startsWith(root + path.sep)) {
    return null;
  }
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      const index = path.join(file, "index.html");
      return (await stat(index)).isFile() ? index : null;
    }
    return info.isFile() ? file : null;
  } catch {
    return null;
  }
}

/**
 * Serves `root` and resolves to `{ url, close, misses }` once listening; `misses` lists
 * every path that got a 404, so a test can fail on a missing asset. `extra` maps further
 * URL paths to files (the test's own scripts, served from the same origin so that the
 * Content-Security-Policy admits them).
 */
export function serve(root, extra = {}) {
  const base = path.resolve(root);
  const misses = [];
  const server = createServer(async (req, res) => {
    const get = req.method === "GET" || req.method === "HEAD";
    const file = get ? extra[req.url] || (await fileFor(base, req.url)) : null;
    if (!file) {
      misses.push(req.url);
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("not found\n");
      return;
    }
    const body = await readFile(file);
    res.writeHead(200, {
      "content-type": TYPES[path.extname(file)] || "application/octet-stream",
      "content-length": body.length,
      "cache-control": "no-store",
      // The headers docs/site.md recommends for the intranet server: a page that needs
      // anything from elsewhere, or inline script, fails the tests.
      "content-security-policy": CSP,
      "x-content-type-options": "nosniff",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}/`,
        misses,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

// The headless Chromium every browser test drives: Debian's /usr/bin/chromium (or the one
// CHROMIUM names), with the flags that keep it from reaching out or needing a display.

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

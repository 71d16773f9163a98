// Where the webview and end-to-end tests find Chromium, and the one line they stop with when it is missing.
import { existsSync } from 'node:fs';

/** Debian's Chromium, or the binary CHROMIUM_PATH names (playwright-core downloads no browser). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium's switches for the webview tests (test/webview/harness.ts, scripts/run-tests.mjs). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Exits 1 with one line saying how to get Chromium when `chromiumPath` does not exist; `suite` names the tests. */
export function requireChromium(suite) {
  if (existsSync(chromiumPath)) return;
  console.error(
    `The ${suite} need Chromium at ${chromiumPath}: install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
  );
  process.exit(1);
}

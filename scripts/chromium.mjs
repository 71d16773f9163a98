// Where the webview and end-to-end tests find Chromium, and the one line they stop with when it is missing.
import { existsSync } from 'node:fs';

/** Debian's Chromium, or the binary CHROMIUM_PATH names (playwright-core downloads no browser). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The features Playwright (1.65) turns off with its own --disable-features switch. */
const playwrightDisabledFeatures = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

/**
 * Headless Chromium preloads the address bar's popups (chrome://omnibox-popup.top-chrome/) in a renderer of their
 * own for every window, and every page of a new browser context is a window. Without them, the webview suite alone
 * took 57 s and Chromium 63 CPU-s, instead of 76 s and 97 CPU-s. Chromium keeps only the last --disable-features
 * switch it is given, and ours comes after Playwright's, so it repeats Playwright's list (test/webview/harness.test.ts
 * checks that it still does).
 */
const disabledFeatures = [
  ...playwrightDisabledFeatures,
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
  'WebUIOmniboxFullPopup',
];

/** Headless Chromium's switches for the webview tests (test/webview/harness.ts, scripts/run-tests.mjs). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--disable-features=${disabledFeatures.join(',')}`,
];

/** Exits 1 with one line saying how to get Chromium when `chromiumPath` does not exist; `suite` names the tests. */
export function requireChromium(suite) {
  if (existsSync(chromiumPath)) return;
  console.error(
    `The ${suite} need Chromium at ${chromiumPath}: install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
  );
  process.exit(1);
}

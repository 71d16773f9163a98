/** Debian's Chromium, or the binary CHROMIUM_PATH names. */
export const chromiumPath: string;
/** Headless Chromium's switches for the webview tests. */
export const chromiumArgs: string[];
/** Exits 1 with one line saying how to get Chromium when `chromiumPath` does not exist. */
export function requireChromium(suite: string): void;

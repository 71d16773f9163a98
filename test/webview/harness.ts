/**
 * Renders a panel's bundle in headless Chromium the way VS Code would: the page from the host's own
 * `panelHtml` (so its CSP applies), a stand-in for `acquireVsCodeApi` that records posted messages and state,
 * and the `--vscode-*` variables and body class of a light or dark theme.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'node:test';
import {
  chromium,
  errors,
  type Browser,
  type BrowserContext,
  type Disposable,
  type Page,
} from 'playwright-core';
import { panelHtml } from '../../src/extension/panels/html';
import type { FromPanel, PanelKind, ToPanel } from '../../src/protocol/panels';
import { countColour, readCanvasPixels, type CanvasPixels } from '../helpers/canvas';

/** Repository root. */
export const root = resolve(__dirname, '..', '..');

/** The colours VS Code sets for its default dark and light themes (the ones the panels read). */
export const themes = {
  dark: {
    bodyClass: 'vscode-dark',
    variables: {
      '--vscode-foreground': '#cccccc',
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-editor-background': '#1e1e1e',
      '--vscode-charts-lines': 'rgba(204, 204, 204, 0.25)',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-panel-border': '#80808059',
      // The controls' colours (VS Code's Default Dark Modern), so screenshots show them as VS Code does.
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-checkbox-background': '#313131',
      '--vscode-checkbox-border': '#3c3c3c',
      '--vscode-checkbox-foreground': '#cccccc',
      '--vscode-settings-checkboxBackground': '#313131',
      '--vscode-settings-checkboxBorder': '#3c3c3c',
      '--vscode-settings-checkboxForeground': '#cccccc',
      '--vscode-settings-dropdownBackground': '#313131',
      '--vscode-settings-dropdownBorder': '#3c3c3c',
      '--vscode-settings-dropdownForeground': '#cccccc',
      '--vscode-settings-dropdownListBorder': '#454545',
      '--vscode-font-family': 'sans-serif',
      '--vscode-font-size': '13px',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    variables: {
      '--vscode-foreground': '#616161',
      '--vscode-editor-foreground': '#333333',
      '--vscode-editor-background': '#ffffff',
      '--vscode-charts-lines': 'rgba(97, 97, 97, 0.25)',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-orange': '#c27d1a',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-purple': '#652d90',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-red': '#e51400',
      '--vscode-panel-border': '#80808059',
      // The controls' colours (VS Code's Default Light Modern): without them they keep their dark defaults.
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-checkbox-background': '#f8f8f8',
      '--vscode-checkbox-border': '#cecece',
      '--vscode-checkbox-foreground': '#3b3b3b',
      '--vscode-settings-checkboxBackground': '#f8f8f8',
      '--vscode-settings-checkboxBorder': '#cecece',
      '--vscode-settings-checkboxForeground': '#3b3b3b',
      '--vscode-settings-dropdownBackground': '#ffffff',
      '--vscode-settings-dropdownBorder': '#cecece',
      '--vscode-settings-dropdownForeground': '#3b3b3b',
      '--vscode-settings-dropdownListBorder': '#c8c8c8',
      '--vscode-font-family': 'sans-serif',
      '--vscode-font-size': '13px',
    },
  },
} as const;

/** A theme the harness can switch to. */
export type ThemeName = keyof typeof themes;

const bundleDir = mkdtempSync(join(tmpdir(), 'topdown-webview-'));
const bundles = new Map<PanelKind, string>();

/** What a panel's bundle is built from: its folder's and the shared code, and the build script. */
const bundleSources = ['webviews', 'src', 'esbuild.mjs'].map((path) => join(root, path));

/**
 * The bundle of `webviews/<kind>/main.ts`: dist/webviews/<kind>.js where `npm run build` (which `npm test` runs
 * first) wrote it after every change to its sources, else built here with esbuild.mjs's options for the webviews
 * (the same bytes, less the source map's comment).
 */
export async function buildPanel(kind: PanelKind): Promise<string> {
  const known = bundles.get(kind);
  if (known) return known;
  const { builtAfter } = await import('../../scripts/built-fresh.mjs');
  let bundle = join(root, 'dist', 'webviews', `${kind}.js`);
  if (!builtAfter(bundle, bundleSources)) {
    bundle = join(bundleDir, `${kind}.js`);
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [join(root, 'webviews', kind, 'main.ts')],
      outfile: bundle,
      bundle: true,
      mainFields: ['module', 'main'],
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      loader: { '.css': 'text' },
      legalComments: 'none',
      logLevel: 'error',
    });
  }
  bundles.set(kind, bundle);
  return bundle;
}

function themeStyle(theme: ThemeName): string {
  return Object.entries(themes[theme].variables)
    .map(([name, value]) => `${name}: ${value}`)
    .join('; ');
}

/** A panel's page as VS Code writes it (the host's own `panelHtml`, so its CSP applies), in a theme. */
function pageHtml(origin: string, kind: PanelKind, theme: ThemeName): string {
  return panelHtml({
    kind,
    title: kind,
    cspSource: origin,
    scriptUri: `${origin}/dist/webviews/${kind}.js`,
    styleUri: `${origin}/media/panels/panels.css`,
    nonce: 'dGVzdC1ub25jZS0xMjM0',
  })
    .replace('<html lang="en">', `<html lang="en" style="${themeStyle(theme)}">`)
    .replace('<body ', `<body class="${themes[theme].bodyClass}" `);
}

/**
 * The panels' origin: an HTTP server of this process on a free loopback port, as VS Code serves a webview's
 * resources from an origin of its own. It serves each panel's page (`/<kind>.<theme>.html`, for the kinds
 * `buildPanel` found), their bundles and the stylesheet, those two with a cache lifetime: the pages of a browser
 * context (one per browser, `takePage`) load each once and take it from Chromium's cache after that. (Playwright's
 * request interception, which served them before, turns Chromium's cache off, and sent each bundle, 0.6 MB, through
 * this process, Playwright's server and the browser at every load.)
 */
let server: Promise<string> | undefined;
function panelOrigin(): Promise<string> {
  server ??= new Promise((resolve) => {
    const http = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const [, kind, theme] = /^\/([a-z]+)\.(dark|light)\.html$/.exec(path) ?? [];
      // The page's origin, for its CSP and its resources' addresses: the host the browser asked.
      const page = bundles.has(kind as PanelKind)
        ? pageHtml(`http://${request.headers.host}`, kind as PanelKind, theme as ThemeName)
        : undefined;
      const bundle = bundles.get(/^\/dist\/webviews\/([a-z]+)\.js$/.exec(path)?.[1] as PanelKind);
      const cached = { 'cache-control': 'max-age=3600' };
      if (page !== undefined) response.writeHead(200, { 'content-type': 'text/html' }).end(page);
      else if (bundle)
        response.writeHead(200, { 'content-type': 'text/javascript', ...cached }).end(readFileSync(bundle));
      else if (path === '/media/panels/panels.css')
        response
          .writeHead(200, { 'content-type': 'text/css', ...cached })
          .end(readFileSync(join(root, 'media', 'panels', 'panels.css')));
      // No icon (asked for once): a 404 would reach the page's console as an error.
      else if (path === '/favicon.ico') response.writeHead(204, cached).end();
      else response.writeHead(404).end();
    });
    // The server does not keep the test's process alive.
    http.unref();
    http.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(http.address() as AddressInfo).port}`));
  });
  return server;
}

/**
 * Headless Chromium (Debian's package): the one scripts/run-tests.mjs started for the whole suite (its endpoint in
 * TOPDOWN_CHROMIUM_WS), or one of this file's own. `close()` then only disconnects from the shared one.
 */
export async function launchBrowser(): Promise<Browser> {
  const shared = process.env.TOPDOWN_CHROMIUM_WS;
  if (shared) return chromium.connect(shared);
  const { chromiumArgs, chromiumPath } = await import('../../scripts/chromium.mjs');
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/** A panel open in a page, with helpers to talk to it as the host would. */
export interface PanelPage {
  page: Page;
  /** Messages the panel posted to the host so far. */
  posted(): Promise<FromPanel[]>;
  /** The state the panel saved with setState. */
  state(): Promise<unknown>;
  /** Delivers host messages synchronously, in order. */
  send(...messages: ToPanel[]): Promise<void>;
  setTheme(theme: ThemeName): Promise<void>;
  pixels(selector: string): Promise<CanvasPixels>;
  /**
   * Saves the page in both themes under test-results/webview/ (`<name>.dark.png`, `<name>.light.png`: every panel
   * a test shows, in the default dark and light themes), and leaves the page in the theme it had.
   */
  screenshot(name: string): Promise<void>;
  /** CSP violations and script errors seen by the page. */
  problems(): Promise<string[]>;
}

/**
 * Pages kept between tests, per browser: a new page costs a renderer process, loading a panel into a used one a
 * fraction of that. `openPanel` takes an idle page or makes one, in the browser's one context;
 * after each test (the `afterEach` below) the pages it opened go back emptied: their init scripts and
 * listeners removed, on about:blank (the panel's timers stopped) with the pointer at the origin, where a new
 * page's pointer starts.
 */
const idlePages = new WeakMap<Browser, Page[]>();

/** A page a test holds, with what `openPanel` added to it. */
interface Lease {
  browser: Browser;
  page: Page;
  scripts: Disposable[];
}
const leases: Lease[] = [];

/** Each browser's one context: its pages share Chromium's cache of the bundles (a context per page would not). */
const contexts = new WeakMap<Browser, Promise<BrowserContext>>();

async function takePage(browser: Browser, viewport: { width: number; height: number }): Promise<Page> {
  let page = idlePages.get(browser)?.pop();
  if (!page) {
    const context = contexts.get(browser) ?? browser.newContext();
    contexts.set(browser, context);
    page = await (await context).newPage();
  }
  const size = page.viewportSize();
  if (size?.width !== viewport.width || size.height !== viewport.height) await page.setViewportSize(viewport);
  return page;
}

async function giveBack({ browser, page, scripts }: Lease): Promise<void> {
  // A page the test closed, or one of a browser it closed, has nothing to give back.
  if (page.isClosed() || !browser.isConnected()) return;
  await Promise.all(scripts.map((script) => script.dispose()));
  page.removeAllListeners('pageerror');
  page.removeAllListeners('console');
  await page.goto('about:blank');
  await page.mouse.move(0, 0);
  const idle = idlePages.get(browser) ?? [];
  idle.push(page);
  idlePages.set(browser, idle);
}

afterEach(async () => {
  await Promise.all(leases.splice(0).map(giveBack));
});

/**
 * Opens a panel page; `state` is what getState returns at start (a reload). The page is the test's until it ends
 * (then the next test may get it), so open panels in tests, not in `before` hooks.
 */
export async function openPanel(
  browser: Browser,
  kind: PanelKind,
  options: { state?: unknown; theme?: ThemeName; width?: number } = {},
): Promise<PanelPage> {
  await buildPanel(kind);
  const origin = await panelOrigin();
  const theme = options.theme ?? 'dark';
  let current: ThemeName = theme;
  const page = await takePage(browser, { width: options.width ?? 1000, height: 900 });
  const lease: Lease = { browser, page, scripts: [] };
  leases.push(lease);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  // tsx compiles this file with keepNames, which wraps functions in `__name(...)`; functions sent to the page
  // need that helper there too.
  lease.scripts.push(await page.addInitScript({ content: 'window.__name = (target) => target;' }));
  lease.scripts.push(
    await page.addInitScript((initialState) => {
      const recorder = window as unknown as {
        posted: unknown[];
        savedState: unknown;
        saves: number;
        problems: string[];
      };
      recorder.posted = [];
      recorder.savedState = initialState ?? undefined;
      recorder.saves = 0;
      recorder.problems = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        recorder.problems.push(`CSP blocked ${event.blockedURI} (${event.violatedDirective})`),
      );
      (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
        postMessage: (message: unknown) => recorder.posted.push(JSON.parse(JSON.stringify(message))),
        getState: () => recorder.savedState,
        setState: (state: unknown) => {
          recorder.savedState = JSON.parse(JSON.stringify(state));
          recorder.saves += 1;
        },
      });
    }, options.state ?? null),
  );
  await page.goto(`${origin}/${kind}.${theme}.html`);
  await page.waitForFunction(() => (window as unknown as { posted: unknown[] }).posted.length > 0);

  async function applyTheme(name: ThemeName): Promise<void> {
    current = name;
    await page.evaluate(
      ({ variables, bodyClass }) => {
        for (const [variable, value] of Object.entries(variables)) {
          document.documentElement.style.setProperty(variable, value);
        }
        document.body.className = bodyClass;
      },
      { variables: themes[name].variables as Record<string, string>, bodyClass: themes[name].bodyClass },
    );
    // The MutationObserver fires in a microtask; give it a turn before reading pixels.
    await page.evaluate(() => new Promise((done) => setTimeout(done, 0)));
  }

  return {
    page,
    posted: () => page.evaluate(() => (window as unknown as { posted: FromPanel[] }).posted),
    state: async () => {
      // The panel saves its state 250 ms after a change: wait for that save, or 300 ms if none comes.
      const saves = await page.evaluate(() => (window as unknown as { saves: number }).saves);
      await page
        .waitForFunction((count) => (window as unknown as { saves: number }).saves > count, saves, {
          timeout: 300,
          polling: 20,
        })
        .catch((error: unknown) => {
          if (!(error instanceof errors.TimeoutError)) throw error;
        });
      return page.evaluate(() => (window as unknown as { savedState: unknown }).savedState);
    },
    async send(...messages) {
      await page.evaluate((list) => {
        for (const data of list) window.dispatchEvent(new MessageEvent('message', { data }));
      }, messages);
    },
    setTheme: applyTheme,
    pixels: (selector) => page.evaluate(readCanvasPixels, selector),
    async screenshot(name) {
      const dir = join(root, 'test-results', 'webview');
      mkdirSync(dir, { recursive: true });
      const shown = current;
      const other = shown === 'dark' ? 'light' : 'dark';
      await page.screenshot({ path: join(dir, `${name}.${shown}.png`), fullPage: true });
      await applyTheme(other);
      await page.screenshot({ path: join(dir, `${name}.${other}.png`), fullPage: true });
      await applyTheme(shown);
    },
    problems: async () => [
      ...problems,
      ...(await page.evaluate(() => (window as unknown as { problems: string[] }).problems)),
    ],
  };
}

/** Picks `value` in the panel's control `[data-control="<control>"]` (a select or a checkbox), as a click would. */
export async function choose(panel: PanelPage, control: string, value: string): Promise<void> {
  await panel.page.evaluate(
    ({ control, value }) => {
      const element = document.querySelector(`[data-control="${control}"]`) as HTMLElement & {
        value: string;
      };
      element.value = value;
      element.dispatchEvent(new Event('change'));
    },
    { control, value },
  );
}

/** Loads a recorded message fixture from test/fixtures/panels/. */
export function fixture<T = ToPanel[]>(name: string): T {
  return JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'panels', name), 'utf8')) as T;
}

export { countColour, type CanvasPixels };

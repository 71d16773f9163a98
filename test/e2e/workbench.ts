/**
 * Drives the VS Code workbench in Chromium the way a person does: the palette, quick picks, tree views,
 * notifications and webview panels. Every wait is bounded; a failed wait saves a screenshot and throws a
 * message naming the scenario, what was expected and where the screenshot is.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Locator, type Page } from 'playwright-core';
import { resultsDir, type VsCodeServer } from './server';
import { countColour, readCanvasPixels, type CanvasPixels } from '../helpers/canvas';

/** Debian's Chromium; playwright-core downloads no browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Default bound of one wait. */
export const WAIT_MS = 30_000;
/** How long a wait for a step's job to finish may take: a quick step takes 20-30 s on a loaded 2-core machine. */
export const JOB_WAIT_MS = 120_000;

function sleep(milliseconds: number): Promise<void> {
  return new Promise((done) => setTimeout(done, milliseconds));
}

/** One browser window on a code-server, for one scenario at a time. */
export class Workbench {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly server: VsCodeServer,
    /** The scenario the next failure is reported under. */
    public scenario: string,
    private readonly profile: string,
  ) {}

  /** Opens Chromium on the server, with the folder open (or an empty window), and waits for the workbench. */
  static async open(server: VsCodeServer, scenario: string, folder?: string): Promise<Workbench> {
    const profile = mkdtempSync(join(tmpdir(), 'topdown-e2e-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1440, height: 900 },
      timeout: WAIT_MS,
    });
    context.setDefaultTimeout(WAIT_MS);
    const page = context.pages()[0] ?? (await context.newPage());
    const workbench = new Workbench(context, page, server, scenario, profile);
    await workbench.goto(folder);
    return workbench;
  }

  /** Loads the folder (or an empty window) and waits until the workbench and its status bar are up. */
  async goto(folder?: string): Promise<void> {
    const query = folder ? `?folder=${encodeURIComponent(folder)}` : '?ew=true';
    // The first load of a window compiles the workbench's scripts: at a load of 40 on 2 cores it took over 30 s.
    await this.page.goto(`${this.server.url}/${query}`, { timeout: 90_000 });
    await this.visible(this.page.locator('.monaco-workbench .part.statusbar'), 'the workbench loads', 60_000);
  }

  /** Saves a screenshot under test-results/e2e/ and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(resultsDir, { recursive: true });
    const path = join(resultsDir, `${name}.png`);
    try {
      await this.page.screenshot({ path, timeout: 10_000 });
    } catch (error) {
      return `${path} (not saved: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
    }
    return path;
  }

  /** Throws the failure of an expectation with a screenshot. */
  async fail(expectation: string, detail = ''): Promise<never> {
    const slug = `${this.scenario}-${expectation}`
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 90);
    const path = await this.screenshot(`FAILED-${slug}`);
    const state = await this.describeState();
    throw new Error(
      `[${this.scenario}] expected ${expectation}${detail ? ` (${detail})` : ''}; screenshot: ${path}\n${state}`,
    );
  }

  /**
   * What the window shows and the extension last logged, for a failure message: a CI log keeps the message
   * but not the screenshot.
   */
  async describeState(): Promise<string> {
    const texts = async (selector: string) =>
      (
        await this.page
          .locator(selector)
          .allTextContents()
          .catch(() => [] as string[])
      )
        .map((text) => text.replace(/\s+/g, ' ').trim())
        .filter(Boolean);
    const tabs = await texts('.tabs-container .tab .label-name');
    const activeTab = await texts('.tabs-container .tab.active .label-name');
    const toasts = await texts('.notification-toast .notification-list-item-message');
    const frames = this.page
      .frames()
      .map((frame) => frame.url())
      .filter((url) => url.includes('webview')).length;
    const log = topdownLogTail(join(this.server.scratch, 'user-data', 'logs'), 12);
    return [
      `editor tabs: ${tabs.join(' | ') || '(none)'} (active: ${activeTab.join(' | ') || 'none'})`,
      `notifications: ${toasts.join(' | ') || '(none)'}`,
      `webview frames: ${frames}`,
      `Topdown log, last lines:\n${log}`,
    ].join('\n');
  }

  /** Polls `check` until it returns a value other than undefined/false, at most `timeout` ms. */
  async until<T>(
    expectation: string,
    check: () => Promise<T | undefined | false>,
    timeout = WAIT_MS,
  ): Promise<T> {
    const deadline = Date.now() + timeout;
    let last = '';
    while (Date.now() < deadline) {
      try {
        const value = await check();
        if (value !== undefined && value !== false) return value;
      } catch (error) {
        last = error instanceof Error ? error.message.split('\n')[0] : String(error);
      }
      await sleep(250);
    }
    return this.fail(
      expectation,
      `not within ${Math.round(timeout / 1000)} s${last ? `; last error: ${last}` : ''}`,
    );
  }

  /** Waits for a locator to be visible. */
  async visible(locator: Locator, expectation: string, timeout = WAIT_MS): Promise<Locator> {
    try {
      await locator.first().waitFor({ state: 'visible', timeout });
    } catch {
      await this.fail(expectation, `not visible within ${Math.round(timeout / 1000)} s`);
    }
    return locator.first();
  }

  /** The palette's input, once open. */
  private quickInput(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /**
   * Runs a command by its palette title ("Topdown: Define Problem"). The palette lists what was registered
   * when it opened, so while the extension is still loading it is closed and opened again. Twice the usual
   * wait: on a loaded machine the extension host has taken 12 s to activate Topdown after a window opened.
   */
  async command(title: string, timeout = 2 * WAIT_MS): Promise<void> {
    const row = this.page.locator('.quick-input-list .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
    });
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      try {
        const input = await this.openPalette(Math.max(1000, deadline - Date.now()));
        // The palette closes when something else takes the focus (a window reload, a preview opening):
        // every action is bounded, and a palette that went away is opened again.
        await input.fill(`>${title}`, { timeout: 3000 });
        await row.first().waitFor({ state: 'visible', timeout: 3000 });
        await row.first().click({ timeout: 3000 });
        return;
      } catch {
        // Not registered yet, or the palette closed under us: try again with a fresh palette.
      }
    }
    await this.fail(`the palette lists "${title}"`, `not within ${Math.round(timeout / 1000)} s`);
  }

  /**
   * Opens the command palette. F1 goes to whatever holds the keyboard focus, and a webview (a Topdown panel, the
   * Markdown preview) may keep it, so the focus is first taken back to the workbench's own document; when F1
   * still opens nothing, the command center in the title bar is clicked. Both are retried until `timeout`.
   */
  async openPalette(timeout = WAIT_MS): Promise<Locator> {
    const deadline = Date.now() + timeout;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      await this.closeQuickInput();
      if (await this.page.locator('.context-view .monaco-menu').isVisible()) {
        await this.page.keyboard.press('Escape');
      }
      await this.page.evaluate(() => {
        const active = document.activeElement;
        if (active instanceof HTMLElement && active.tagName === 'IFRAME') active.blur();
      });
      if (attempt % 2 === 0) await this.page.keyboard.press('F1');
      else {
        const center = this.page.locator('.command-center .command-center-center').first();
        if (await center.isVisible()) await center.click({ timeout: 3000 }).catch(() => undefined);
      }
      try {
        await this.quickInput().first().waitFor({ state: 'visible', timeout: 3000 });
        // The command center opens Quick Open for files; the ">" that command() types switches it to commands.
        return this.quickInput().first();
      } catch {
        // Nothing opened: take the focus back and try the other way.
      }
    }
    return this.visible(this.quickInput(), 'the command palette opens', 1000);
  }

  /** Opens a workspace file in the editor through Quick Open, by its path inside the workspace. */
  async openFile(relativePath: string, timeout = WAIT_MS): Promise<void> {
    const name = relativePath.split('/').at(-1)!;
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      try {
        const input = await this.openPalette(Math.max(1000, deadline - Date.now()));
        await input.fill(relativePath, { timeout: 3000 });
        const row = this.page.locator('.quick-input-list .monaco-list-row', {
          has: this.page.locator('.label-description', { hasText: relativePath.split('/').at(-2) ?? '' }),
        });
        await row.first().waitFor({ state: 'visible', timeout: 5000 });
        await row.first().click({ timeout: 3000 });
        await this.page
          .locator('.tabs-container .tab.active', { hasText: name })
          .waitFor({ state: 'visible', timeout: 5000 });
        return;
      } catch {
        // The file index is not ready, or the palette closed under us: try again.
      }
    }
    await this.fail(`Quick Open opens ${relativePath}`, `not within ${Math.round(timeout / 1000)} s`);
  }

  /** The description a view shows beside its title (the Topdown views name the active project there). */
  async viewDescription(title: string): Promise<string> {
    const text = await this.pane(title).locator('.pane-header .description').first().textContent();
    return (text ?? '').trim();
  }

  /** Whether the palette offers a command (used for commands that should be hidden). */
  async paletteOffers(title: string): Promise<boolean> {
    return this.until(`the palette to answer whether it offers "${title}"`, async () => {
      const input = await this.openPalette();
      // A palette closed under us (focus taken) throws here, and until() asks again.
      await input.fill(`>${title}`, { timeout: 3000 });
      await sleep(1000);
      const labels = await this.page
        .locator('.quick-input-list .monaco-list-row .label-name')
        .allTextContents();
      if (!(await input.isVisible())) return undefined;
      await this.page.keyboard.press('Escape');
      return { offered: labels.some((label) => label.trim() === title) };
    }).then((answer) => answer.offered);
  }

  /** Closes a palette or quick pick left open. */
  async closeQuickInput(): Promise<void> {
    if (await this.page.locator('.quick-input-widget').isVisible()) await this.page.keyboard.press('Escape');
  }

  /** Waits for a quick pick titled `title` and picks the row whose label matches. */
  async pick(title: RegExp, label: RegExp): Promise<void> {
    await this.visible(
      this.page.locator('.quick-input-widget .quick-input-title', { hasText: title }),
      `a quick pick titled ${title}`,
    );
    const row = this.page.locator('.quick-input-list .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: label }),
    });
    await this.visible(row, `the quick pick ${title} offers ${label}`);
    await row.first().click();
  }

  /** Answers the simple file dialog (code-server has no native one) with a path, then accepts it. */
  async answerFileDialog(title: RegExp, path: string): Promise<void> {
    await this.visible(
      this.page.locator('.quick-input-widget .quick-input-title', { hasText: title }),
      `a file dialog titled ${title}`,
    );
    const input = this.quickInput();
    // The dialog fills in its starting folder a moment after it opens; typing before that is overwritten.
    await this.until(`the file dialog ${title} shows its starting folder`, async () =>
      (await input.inputValue()).startsWith('/'),
    );
    await sleep(300);
    await input.fill(path);
    await this.until(`the file dialog ${title} keeps the typed path`, async () => {
      if ((await input.inputValue()) === path) return true;
      await input.fill(path);
      return false;
    });
    await sleep(500);
    await input.press('Enter');
    // A folder typed in full is first navigated into; a second Enter (or the OK button) accepts it.
    await sleep(750);
    const stillOpen = await this.page
      .locator('.quick-input-widget .quick-input-title', { hasText: title })
      .isVisible();
    if (stillOpen) {
      const ok = this.page.locator(
        '.quick-input-widget .quick-input-action a, .quick-input-widget .monaco-button',
        {
          hasText: /Create Here|Use These Images|OK|Open|Select/,
        },
      );
      if (await ok.first().isVisible()) await ok.first().click();
      else await input.press('Enter');
    }
  }

  /** Waits for an input box titled `title`, replaces its value and accepts it. */
  async answerInput(title: RegExp, value: string): Promise<void> {
    await this.visible(
      this.page.locator('.quick-input-widget .quick-input-title', { hasText: title }),
      `an input box titled ${title}`,
    );
    await this.quickInput().fill(value);
    await sleep(300);
    await this.quickInput().press('Enter');
  }

  /** A view's pane in the side bar, found by its header title ("Project", "Runs"). */
  pane(title: string): Locator {
    return this.page.locator('.split-view-view .pane', {
      has: this.page.locator('.pane-header h3.title', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
    });
  }

  /** Shows the Topdown views in the side bar. */
  async showTopdown(): Promise<void> {
    await this.command('Topdown: Focus on Project View');
    await this.visible(this.pane('Project'), 'the Topdown Project view is shown');
  }

  /** Labels of the tree items a view shows now. */
  async treeLabels(title: string): Promise<string[]> {
    const labels = await this.pane(title).locator('[role=treeitem] .label-name').allTextContents();
    return labels.map((label) => label.trim());
  }

  /** A tree item of a view by label. */
  treeItem(title: string, label: string | RegExp): Locator {
    return this.pane(title).locator('[role=treeitem]', {
      has: this.page.locator('.label-name', { hasText: label }),
    });
  }

  /** A notification toast containing `text`. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notification-toast', { hasText: text });
  }

  /** Clicks a button of a notification, waiting for it as long as a job may take by default. */
  async clickNotificationButton(text: string | RegExp, button: string, timeout = JOB_WAIT_MS): Promise<void> {
    const toast = await this.visible(this.notification(text), `a notification saying ${text}`, timeout);
    await toast.locator('.monaco-button', { hasText: button }).first().click();
  }

  /** Closes every notification, so old ones do not answer for new ones. */
  async clearNotifications(): Promise<void> {
    await this.command('Notifications: Clear All Notifications');
  }

  /** The frame of a Topdown panel (`body[data-panel=kind]`), once its content has rendered. */
  async panel(kind: string, expectation: string, timeout = WAIT_MS): Promise<Frame> {
    return this.until(expectation, () => this.findPanel(kind), timeout);
  }

  /** The frame of an open panel of a kind, if one is open. */
  async findPanel(kind: string): Promise<Frame | undefined> {
    for (const frame of this.page.frames()) {
      if (frame.isDetached()) continue;
      const body = await frame.$(`body[data-panel="${kind}"]`).catch(() => null);
      if (body) return frame;
    }
    return undefined;
  }

  /**
   * Clicks an item (a tree row) that opens a panel, and clicks it again, as a person would, when nothing opened
   * within 10 s (a first click can go to taking the focus back from a webview); every extra click is logged.
   */
  async openPanelBy(item: Locator, kind: string, expectation: string, timeout = WAIT_MS): Promise<Frame> {
    const deadline = Date.now() + timeout;
    for (let click = 1; Date.now() < deadline; click++) {
      if (click > 1) console.log(`e2e: ${this.scenario}: ${expectation}: click ${click}`);
      await item.click({ timeout: Math.max(1_000, deadline - Date.now()) });
      const waitUntil = Math.min(deadline, Date.now() + 10_000);
      while (Date.now() < waitUntil) {
        const frame = await this.findPanel(kind);
        if (frame) return frame;
        await sleep(250);
      }
    }
    return this.fail(expectation, `clicked until ${timeout / 1000} s`);
  }

  /** Closes the browser. */
  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** The last lines of the newest Topdown output channel log under a code-server logs folder. */
function topdownLogTail(logsDir: string, lines: number): string {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 5) return;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (name === 'Topdown.log') found.push(path);
      else if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) walk(path, depth + 1);
    }
  };
  walk(logsDir, 0);
  const newest = found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) return '  (no Topdown.log)';
  const text = readFileSync(newest, 'utf8').trimEnd().split('\n').slice(-lines);
  return text.map((line) => `  ${line.slice(0, 300)}`).join('\n');
}

/** Escapes a string for a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Reads a canvas's pixels inside a panel frame. */
export function canvasPixels(frame: Frame, selector: string): Promise<CanvasPixels> {
  return frame.evaluate(readCanvasPixels, selector);
}

export { countColour, type CanvasPixels };

/**
 * Starts code-server (a real VS Code) with the packaged extension installed, in a scratch folder of its own,
 * and stops it as a whole process group: the extension host and the jobs it forks outlive the browser.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root. */
export const root = resolve(__dirname, '..', '..');
/** Where scripts/e2e/install-code-server.sh puts code-server. */
export const codeServerBinary = join(root, '.cache', 'code-server', 'node_modules', '.bin', 'code-server');
/** Extensions folder with the packaged Topdown installed (filled by scripts/e2e/run.mjs). */
export const extensionsDir = join(root, '.cache', 'e2e', 'extensions');
/**
 * The colour theme of every instance when TOPDOWN_E2E_THEME names one ("Default Light Modern", "Default High
 * Contrast", ...): the panels' screenshots in that theme, in their own folder. Unset: code-server's default.
 */
const theme = process.env.TOPDOWN_E2E_THEME;
/** Screenshots and server logs. */
export const resultsDir = join(
  root,
  'test-results',
  theme ? `e2e-${theme.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` : 'e2e',
);

/** User settings every instance starts with: quick steps, no tours, no network. */
export const BASE_SETTINGS: Record<string, unknown> = {
  'topdown.quickMode': true,
  'topdown.backend': 'wasm',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': true,
  'files.simpleDialog.enable': true,
  'window.restoreWindows': 'none',
  'chat.disableAIFeatures': true,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  ...(theme ? { 'workbench.colorTheme': theme } : {}),
};

/** A running code-server. */
export interface VsCodeServer {
  url: string;
  /** Scratch folder of this instance (user data, XDG folders, temp). */
  scratch: string;
  /** Folder for projects the test creates. */
  workspaces: string;
  /** Stops the process group; safe to call twice. */
  stop(): Promise<void>;
}

/** Options of one instance. */
export interface ServerOptions {
  /** Name for the log file. */
  name: string;
  /** false: workspace trust on, so folders open in Restricted Mode. */
  trusted: boolean;
  settings?: Record<string, unknown>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((done) => setTimeout(done, milliseconds));
}

function alive(processGroup: number): boolean {
  try {
    process.kill(-processGroup, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  const group = child.pid;
  if (group === undefined || !alive(group)) return;
  process.kill(-group, 'SIGTERM');
  for (let waited = 0; waited < 5000 && alive(group); waited += 100) await sleep(100);
  if (alive(group)) process.kill(-group, 'SIGKILL');
}

/** Throws a message that says what to run when code-server or the packaged extension is missing. */
export function checkInstalled(): void {
  if (!existsSync(codeServerBinary)) {
    throw new Error(
      `code-server is not installed at ${codeServerBinary}: run scripts/e2e/install-code-server.sh (or npm run test:e2e, which installs it).`,
    );
  }
  const installed =
    existsSync(extensionsDir) && readdirSync(extensionsDir).some((name) => name.startsWith('topdown.'));
  if (!installed) {
    throw new Error(
      `Topdown is not installed in ${extensionsDir}: run npm run test:e2e, which packages and installs it.`,
    );
  }
}

/** Starts code-server on a free port and waits (at most 60 s) until it answers. */
export async function startServer(options: ServerOptions): Promise<VsCodeServer> {
  checkInstalled();
  const scratch = mkdtempSync(join(tmpdir(), `topdown-e2e-${options.name}-`));
  const userData = join(scratch, 'user-data');
  const workspaces = join(scratch, 'workspaces');
  for (const folder of ['User', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp']) {
    mkdirSync(folder === 'User' ? join(userData, 'User') : join(scratch, folder), { recursive: true });
  }
  mkdirSync(workspaces, { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({ ...BASE_SETTINGS, ...options.settings }, null, 2),
  );
  const port = await freePort();
  const args = [
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensionsDir,
  ];
  if (options.trusted) args.push('--disable-workspace-trust');
  mkdirSync(resultsDir, { recursive: true });
  const logPath = join(resultsDir, `${options.name}-server.log`);
  writeFileSync(logPath, `code-server ${args.join(' ')}\n`);
  const log = openSync(logPath, 'a');
  // detached: the child calls setsid(), so the whole group (server, extension host, jobs) can be stopped.
  const child = spawn(codeServerBinary, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      EXTENSIONS_GALLERY: '{}',
      XDG_CONFIG_HOME: join(scratch, 'xdg-config'),
      XDG_DATA_HOME: join(scratch, 'xdg-data'),
      XDG_CACHE_HOME: join(scratch, 'xdg-cache'),
      TMPDIR: join(scratch, 'tmp'),
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopGroup(child);
    // Keep the extension host logs (the Topdown channel among them) beside the screenshots.
    const logs = join(userData, 'logs');
    if (existsSync(logs)) cpSync(logs, join(resultsDir, `${options.name}-logs`), { recursive: true });
    rmSync(scratch, { recursive: true, force: true });
  };
  const server: VsCodeServer = { url, scratch, workspaces, stop };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return server;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  await server.stop();
  throw new Error(`code-server did not answer on ${url} within 60 s; see ${logPath}`);
}

/** Scaffolds a template project with the packaged CLI (dist/cli.js), as `topdown new` would. */
export function scaffold(template: string, projectDir: string): void {
  const result = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'new', template, projectDir], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `topdown new ${template} ${projectDir} failed: ${result.stderr || result.error?.message}`,
    );
  }
}

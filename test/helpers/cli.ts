/** Helpers for tests that drive the real `topdown` CLI (dist/cli.js, built by `npm run build`) as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRng } from '../../src/core/random';

/** The built CLI; tests fail with a clear message when it is missing. */
export const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');

/** Throws unless `npm run build` has produced dist/cli.js. */
export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
}

/** Result of one CLI run. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is one JSON object. */
  json?: Record<string, unknown>;
}

/** Runs `topdown <args>` to completion. */
export function runCli(
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  requireBuild();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`topdown ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60000} ms\n${stderr}`),
      );
    }, options.timeoutMs ?? 60000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(stdout) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      resolvePromise({ code, stdout, stderr, json });
    });
  });
}

/** Starts `topdown <args> --ipc` with an IPC channel, as the VS Code host does. */
export function forkCli(args: string[]): ChildProcess {
  requireBuild();
  const child = spawn(process.execPath, [CLI, ...args, '--ipc'], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // Drain the pipes so a chatty child never blocks on a full buffer.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** A temp folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `topdown-${prefix}-`));
}

/** Seeded generator for test data (the engine's own mulberry32). */
export function rng(seed: number): () => number {
  return createRng(seed);
}

/** Writes a small, learnable binary-classification CSV (two informative features, two noise). */
export function writeBinaryCsv(file: string, rows = 80, seed = 1): void {
  const random = rng(seed);
  const lines = ['a,b,noise1,noise2,label'];
  for (let row = 0; row < rows; row++) {
    const positive = row % 2 === 0;
    const shift = positive ? 1.5 : -1.5;
    const values = [shift + random(), shift + random(), random(), random()].map((v) => v.toFixed(4));
    lines.push(`${values.join(',')},${positive ? 'yes' : 'no'}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** Writes a small project around `data/data.csv` with the given candidates. */
export function writeProject(dir: string, config: Record<string, unknown>): string {
  mkdirSync(join(dir, 'data'), { recursive: true });
  mkdirSync(join(dir, 'models'), { recursive: true });
  writeFileSync(join(dir, 'topdown.json'), `${JSON.stringify(config, null, 2)}\n`);
  return dir;
}

/** A binary project in a new temp folder: `binaryProject(candidates)` over a generated `rows`-row CSV. */
export function binaryCsvProject(
  prefix: string,
  candidates: Array<Record<string, unknown>>,
  rows = 60,
): string {
  const dir = writeProject(tempDir(prefix), binaryProject(candidates));
  writeBinaryCsv(join(dir, 'data', 'data.csv'), rows);
  return dir;
}

/** A minimal valid binary project config (quick to run). */
export function binaryProject(
  candidates: Array<Record<string, unknown>>,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name: 'test',
    description: 'test project',
    problem: {
      data: 'data/data.csv',
      target: 'label',
      task: 'binary',
      metric: 'accuracy',
      positiveClass: 'yes',
    },
    prepare: [{ op: 'standardize' }],
    evaluate: { validation: { scheme: 'stratified-kfold', folds: 3 }, seed: 3, candidates },
    ...overrides,
  };
}

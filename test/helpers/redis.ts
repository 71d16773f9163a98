/**
 * Helpers for the queue's integration tests: a throwaway `redis-server` on 127.0.0.1 on a free port (no
 * persistence), and `topdown worker` processes (dist/cli.js) serving it. Nothing is skipped: without
 * redis-server the tests fail with a one-line hint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { CLI, requireBuild } from './cli';

/** A running redis-server. */
export interface RedisServer {
  port: number;
  /** redis://… with the password, for the processes under test. */
  url: string;
  password: string;
  process: ChildProcess;
  /** Stops it (SIGKILL when `hard`, as a crash would). */
  stop(hard?: boolean): Promise<void>;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Waits until `stream` prints a line containing `text` (or rejects after `timeoutMs`, with what it printed). */
export function waitForOutput(
  child: ChildProcess,
  text: string,
  timeoutMs = 30000,
  stream: 'stdout' | 'stderr' = 'stderr',
): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`no "${text}" within ${timeoutMs} ms; saw:\n${seen}`)),
      timeoutMs,
    );
    child[stream]?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before "${text}"; printed:\n${seen}`));
    });
  });
}

function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = once(child, 'exit').then(() => undefined);
  child.kill(signal);
  return exited;
}

/** Starts redis-server on a free port with a password, no persistence; fails with a hint when it is missing. */
export async function startRedis(password = 'queue-test-secret'): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--requirepass',
      password,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const failed = once(child, 'error').then(([error]) => {
    throw (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? new Error('redis-server is not installed: apt-get install redis-server (.ci/run installs it).')
      : (error as Error);
  });
  await Promise.race([waitForOutput(child, 'Ready to accept connections', 20000, 'stdout'), failed]);
  return {
    port,
    password,
    url: `redis://:${password}@127.0.0.1:${port}`,
    process: child,
    stop: (hard = false) => stopProcess(child, hard ? 'SIGKILL' : 'SIGTERM'),
  };
}

/** A running `topdown worker`. */
export interface WorkerProcess {
  process: ChildProcess;
  /** Everything it printed on stderr. */
  log: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `topdown worker --queue <url>` (one task at a time, cpu backend) and waits until it takes tasks. */
export async function startWorker(url: string, extra: string[] = []): Promise<WorkerProcess> {
  requireBuild();
  const child = spawn(
    process.execPath,
    [CLI, 'worker', '--queue', url, '--concurrency', '1', '--backend', 'cpu', '--lock-ms', '3000', ...extra],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  // A worker that never got ready must not outlive the test: it would keep the test process waiting.
  await waitForOutput(child, 'taking tasks from').catch(async (error: unknown) => {
    await stopProcess(child, 'SIGKILL');
    throw error;
  });
  return { process: child, log: () => log, stop: (signal = 'SIGTERM') => stopProcess(child, signal) };
}

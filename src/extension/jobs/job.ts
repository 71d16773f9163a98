/**
 * One `topdown <step> --ipc` child process. Plain TypeScript (no `vscode`), so tests drive it with a fake CLI.
 * It checks the handshake, forwards JobEvents, and turns every way a process can end into one JobOutcome.
 * Disposing it cancels: `job/cancel` over IPC, then a kill after the grace period.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ErrorInfo } from '../../protocol/errors';
import { HOST_PROTOCOL_VERSION, type JobCommand, type JobEvent } from '../../protocol/host';
import type { StepName } from '../../protocol/records';
import type { NodeChoice } from './node';

/** What a job runs: a step or all of them. */
export type JobStep = StepName | 'all';

/** How a job ended. */
export type JobOutcome =
  | { status: 'completed'; result: Record<string, unknown>; exitCode: number | null; durationMs: number }
  | { status: 'failed'; error: ErrorInfo; exitCode: number | null; durationMs: number }
  | { status: 'cancelled'; exitCode: number | null; durationMs: number };

/** What starts a job. */
export interface JobOptions {
  /** Absolute path of dist/cli.js. */
  cliPath: string;
  step: JobStep;
  projectDir: string;
  /** Extra CLI flags (`--backend`, `--workers`, `--quick`, `--candidates`). */
  flags: string[];
  node: NodeChoice;
  /** Milliseconds between `job/cancel` and a kill. Default 5000. */
  graceMs?: number;
  /** Every event after a valid hello. */
  onEvent?: (event: JobEvent) => void;
  /** stderr text (the job's log). */
  onStderr?: (text: string) => void;
}

const STDERR_KEPT = 4000;

/** A running job. `outcome` settles once, when the process has exited. */
export class Job {
  readonly step: JobStep;
  readonly projectDir: string;
  readonly pid: number | undefined;
  readonly startedAt = Date.now();
  /** Settles when the process has exited. Never rejects. */
  readonly outcome: Promise<JobOutcome>;
  private readonly child: ChildProcess;
  private readonly graceMs: number;
  private greeted = false;
  private ending: JobOutcome['status'] | undefined;
  private endResult: Record<string, unknown> = {};
  private endError: ErrorInfo | undefined;
  private cancelRequested = false;
  private killTimer: NodeJS.Timeout | undefined;
  private stderrTail = '';

  constructor(private readonly options: JobOptions) {
    this.step = options.step;
    this.projectDir = options.projectDir;
    this.graceMs = options.graceMs ?? 5000;
    const args = [
      options.step,
      options.projectDir,
      '--ipc',
      '--backend',
      options.node.backend,
      ...options.flags,
    ];
    this.child = fork(options.cliPath, args, {
      execPath: options.node.execPath,
      cwd: options.projectDir,
      env: { ...process.env, ...options.node.env },
      // Never inherit the editor's or a test runner's Node flags (inspector ports, loaders).
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.pid = this.child.pid;
    this.child.stdout?.resume();
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_KEPT);
      options.onStderr?.(text);
    });
    this.child.on('message', (message) => this.receive(message as JobEvent));
    this.outcome = new Promise((resolve) => {
      let spawnError: Error | undefined;
      this.child.on('error', (error) => (spawnError = error));
      this.child.on('close', (exitCode, signal) => {
        clearTimeout(this.killTimer);
        resolve(this.finish(exitCode, signal, spawnError));
      });
    });
  }

  /** Asks the job to stop; kills it if it is still alive after the grace period. */
  cancel(): void {
    if (this.cancelRequested || this.child.exitCode !== null) return;
    this.cancelRequested = true;
    this.send({ type: 'job/cancel' });
    this.killTimer = setTimeout(() => this.child.kill('SIGKILL'), this.graceMs);
  }

  /** Disposing a running job cancels it. */
  dispose(): void {
    this.cancel();
  }

  private send(command: JobCommand): void {
    if (this.child.connected) this.child.send(command, () => undefined);
  }

  private receive(event: JobEvent): void {
    if (!this.greeted) {
      if (event.type !== 'hello' || event.protocolVersion !== HOST_PROTOCOL_VERSION) {
        const got =
          event.type === 'hello' ? `protocol ${event.protocolVersion}` : `a "${event.type}" message`;
        this.endError = {
          code: 'PROTOCOL_MISMATCH',
          message: `The topdown runner speaks ${got}, but this extension expects protocol ${HOST_PROTOCOL_VERSION}.`,
          hint: 'Rebuild the extension (npm run build) or reinstall it so the runner and the extension match.',
        };
        this.ending = 'failed';
        this.child.kill('SIGKILL');
        return;
      }
      this.greeted = true;
    }
    if (event.type === 'job/completed') {
      this.ending = 'completed';
      this.endResult = event.result;
    } else if (event.type === 'job/failed') {
      this.ending = 'failed';
      this.endError = event.error;
    } else if (event.type === 'job/cancelled') {
      this.ending = 'cancelled';
    }
    this.options.onEvent?.(event);
  }

  private finish(exitCode: number | null, signal: NodeJS.Signals | null, spawnError?: Error): JobOutcome {
    const durationMs = Date.now() - this.startedAt;
    if (this.ending === 'completed')
      return { status: 'completed', result: this.endResult, exitCode, durationMs };
    if (this.ending === 'failed' && this.endError)
      return { status: 'failed', error: this.endError, exitCode, durationMs };
    if (this.ending === 'cancelled' || this.cancelRequested)
      return { status: 'cancelled', exitCode, durationMs };
    const how = spawnError
      ? `could not start (${spawnError.message})`
      : signal
        ? `was killed by ${signal}`
        : `exited with code ${exitCode} without reporting a result`;
    const tail = this.stderrTail.trim().split('\n').slice(-3).join(' | ');
    return {
      status: 'failed',
      exitCode,
      durationMs,
      error: {
        code: 'RUNNER_CRASHED',
        message: `The ${this.step} job ${how}.${tail ? ` Last output: ${tail}` : ''}`,
        hint: 'Open the Topdown log for details; runs it left running are shown as interrupted.',
      },
    };
  }
}

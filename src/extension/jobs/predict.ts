/**
 * `topdown predict` from the editor: the CLI runs as a child process with an argument array (as every step
 * runs), never as a line typed into a shell, so a bundle or CSV named with backticks, `$(…)` or quotes is
 * only ever a file name. Plain TypeScript (no `vscode`), so tests drive it with a fake CLI.
 */
import { execFile } from 'node:child_process';
import type { ErrorInfo } from '../../protocol/errors';
import type { NodeChoice } from './node';

/** What runs a prediction. */
export interface PredictRequest {
  /** Absolute path of dist/cli.js. */
  cliPath: string;
  node: NodeChoice;
  /** The bundle folder (models/<name>). */
  bundleDir: string;
  /** The CSV to predict. */
  inputFile: string;
  /** Working folder of the child (the project). */
  cwd: string;
}

/** How a prediction ended: the CLI's `--json` result, or its error. */
export type PredictOutcome =
  { status: 'completed'; output: string; rows: number } | { status: 'failed'; error: ErrorInfo };

/** The CLI's arguments after the script: each value its own argument, never parsed by a shell. */
export function predictArguments(request: PredictRequest): string[] {
  return [
    request.cliPath,
    'predict',
    request.bundleDir,
    request.inputFile,
    '--json',
    '--backend',
    request.node.backend,
  ];
}

/** Reads the one JSON object `topdown --json` prints last on stdout. */
function parseResult(stdout: string): Record<string, unknown> | undefined {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `topdown predict <bundle> <input> --json` and resolves with its result; never rejects. */
export function runPredict(request: PredictRequest): Promise<PredictOutcome> {
  const [script, ...args] = predictArguments(request);
  return new Promise((resolve) => {
    execFile(
      request.node.execPath,
      [script, ...args],
      {
        cwd: request.cwd,
        env: { ...process.env, ...request.node.env },
        maxBuffer: 16 * 1024 * 1024,
        shell: false,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const result = parseResult(stdout);
        if (result && typeof result.output === 'string' && typeof result.rows === 'number') {
          resolve({ status: 'completed', output: result.output, rows: result.rows });
          return;
        }
        const reported = result?.error as ErrorInfo | undefined;
        if (reported && typeof reported.code === 'string' && typeof reported.message === 'string') {
          resolve({ status: 'failed', error: reported });
          return;
        }
        const tail = stderr.trim().split('\n').slice(-3).join(' | ');
        resolve({
          status: 'failed',
          error: {
            code: 'RUNNER_CRASHED',
            message: `topdown predict ${error ? `failed (${error.message.split('\n')[0]})` : 'printed no result'}.${tail ? ` Last output: ${tail}` : ''}`,
            hint: 'Open the Topdown log for details.',
          },
        });
      },
    );
  });
}

/**
 * `topdown predict` from the editor: the CLI runs as a child process with an argument array (as every step
 * runs), never as a line typed into a shell, so a bundle or CSV named with backticks, `$(…)` or quotes is
 * only ever a file name. Plain TypeScript (no `vscode`), so tests drive it with a fake CLI.
 */
import { execFile } from 'node:child_process';
import type { ErrorInfo } from '../../protocol/errors';
import { basename } from 'node:path';
import type { MetricName } from '../../core/config';
import { metricKey } from '../../core/metrics';
import { formatScore, metricLabel } from '../../shared/format';
import type { NodeChoice } from './node';

/** What runs a prediction. */
export interface PredictRequest {
  /** Absolute path of dist/cli.js. */
  cliPath: string;
  node: NodeChoice;
  /** The bundle folder (models/<name>). */
  bundleDir: string;
  /** What to predict: a CSV, or for an image model a folder of images, image files or an IDX file. */
  inputs: string[];
  /** Where to write the predictions (the CLI's default, beside the input, when absent). */
  output?: string;
  /** Working folder of the child (the project). */
  cwd: string;
  /** Aborting it stops the child (Cancel on the progress notification). */
  signal?: AbortSignal;
}

/** The predictions scored against the input's target column (`score` of `topdown predict --json`). */
export interface PredictScore {
  target: string;
  metric: string;
  value: number;
  /** Every metric of the task, keyed in camelCase (`logLoss`). */
  metrics?: Record<string, number>;
  rows: number;
  skipped: number;
}

/** How a prediction ended: the CLI's `--json` result, or its error. */
export type PredictOutcome =
  | { status: 'completed'; output: string; rows: number; score?: PredictScore }
  | { status: 'failed'; error: ErrorInfo }
  | { status: 'cancelled' };

/** The score of a `--json` result, when it has a well-formed one. */
function scoreOf(result: Record<string, unknown>): PredictScore | undefined {
  const score = result.score as Partial<PredictScore> | undefined;
  if (
    !score ||
    typeof score.target !== 'string' ||
    typeof score.metric !== 'string' ||
    typeof score.value !== 'number' ||
    typeof score.rows !== 'number'
  )
    return undefined;
  return { ...(score as PredictScore), skipped: typeof score.skipped === 'number' ? score.skipped : 0 };
}

/** "Scored 208 rows against "Class": accuracy 0.861.", with the rows left out when some had no known value. */
export function scoreSentence(score: PredictScore): string {
  const left = score.skipped > 0 ? ` (${score.skipped} without a known ${score.target} left out)` : '';
  return `Scored ${score.rows} rows against "${score.target}": ${metricLabel(score.metric)} ${formatScore(score.value)}${left}.`;
}

/** Every metric of the score, the project metric first, for the log: "accuracy 0.861, F1 0.850, log loss 0.330". */
export function scoreMetricsWords(score: PredictScore): string {
  const key = metricKey(score.metric as MetricName);
  const entries = Object.entries(score.metrics ?? {}).filter(([, value]) => typeof value === 'number');
  entries.sort(([a], [b]) => Number(b === key) - Number(a === key));
  if (entries.length === 0) return `${metricLabel(score.metric)} ${formatScore(score.value)}`;
  return entries.map(([name, value]) => `${metricLabel(name)} ${formatScore(value)}`).join(', ');
}

/** What the editor says after a prediction: how many and where, and their score when the input held the target. */
export function describePrediction(outcome: Extract<PredictOutcome, { status: 'completed' }>): string {
  const wrote = `Wrote ${outcome.rows} predictions to ${basename(outcome.output)}.`;
  return outcome.score ? `${wrote} ${scoreSentence(outcome.score)}` : wrote;
}

/** The CLI's arguments after the script: each value its own argument, never parsed by a shell. */
export function predictArguments(request: PredictRequest): string[] {
  return [
    request.cliPath,
    'predict',
    request.bundleDir,
    ...request.inputs,
    ...(request.output ? ['--output', request.output] : []),
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
        ...(request.signal ? { signal: request.signal } : {}),
      },
      (error, stdout, stderr) => {
        if (request.signal?.aborted) {
          resolve({ status: 'cancelled' });
          return;
        }
        const result = parseResult(stdout);
        if (result && typeof result.output === 'string' && typeof result.rows === 'number') {
          const score = scoreOf(result);
          resolve({
            status: 'completed',
            output: result.output,
            rows: result.rows,
            ...(score ? { score } : {}),
          });
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

/**
 * Measures training speed in a short-lived worker process, on the same code path as training: the pool, the
 * worker, the fold runner and the zoo's estimator. Used by `auto` (backend-probe.ts).
 */
import type { CandidateConfig } from '../core/config';
import type { BackendName } from '../protocol/records';
import type { FoldTask } from '../protocol/runner';
import { WorkerPool } from './pool';

/** Batches timed per backend and model, after one warm-up batch and a two-batch reference. */
export const MEASURED_BATCHES = 8;
/** Measured batches stop growing once they take this long (ms): well above the jitter of a fold run. */
export const MEASURED_MIN_MS = 150;
/** ...or once this many batches were timed. */
export const MEASURED_BATCHES_MAX = 512;
/** A measuring task that takes longer than this is abandoned (that backend is far too slow anyway). */
const TASK_TIMEOUT_MS = 60_000;

/** One backend's speed on one model. */
export interface Measurement {
  /** Training samples per second of one worker. */
  samplesPerSecond: number;
  /** Wall time the measurement took, start-up included. */
  ms: number;
}

/** Where and on which rows to measure. */
export interface MeasureSetup {
  projectDir: string;
  /** Training rows of the first fold: the measured batches are taken from these, wrapping around. */
  trainRows: number[];
  validationRows: number[];
  seed: number;
}

/**
 * Measures candidates on one backend in one worker process: per candidate, a one-batch warm-up (model build,
 * kernel compilation), then two and 2 + N batches of one epoch; the difference of the last two fold durations is
 * the time of N batches alone (start-up, preparation and prediction cancel out). N starts at MEASURED_BATCHES
 * and grows fourfold until the batches take MEASURED_MIN_MS.
 */
export async function measureInWorkers(
  backend: BackendName,
  candidates: CandidateConfig[],
  request: MeasureSetup,
  budgetMs?: number,
): Promise<Measurement[]> {
  const pool = new WorkerPool({ size: 1, backend, projectDir: request.projectDir });
  const started = performance.now();
  const deadline = started + (budgetMs ?? Infinity);
  // A worker that could not load its backend exits by itself; asking it to shut down could write to a closed pipe.
  let workerGone = false;
  try {
    const results: Measurement[] = [];
    for (const candidate of candidates) {
      const candidateStarted = performance.now();
      const batchSize = (candidate as { batchSize?: number }).batchSize ?? 32;
      const { earlyStopping: _early, ...plain } = candidate as CandidateConfig & { earlyStopping?: unknown };
      const probeCandidate = { ...plain, epochs: 1 } as CandidateConfig;
      const run = async (batches: number, label: string): Promise<number> => {
        const task: FoldTask = {
          taskId: `probe/${backend}/${candidate.name}/${label}`,
          projectDir: request.projectDir,
          candidate: probeCandidate,
          foldIndex: 0,
          trainRows: cycle(request.trainRows, batches * batchSize),
          validationRows: request.validationRows.slice(0, 64),
          seed: request.seed,
          maxEpochs: 1,
        };
        const limit = Math.min(TASK_TIMEOUT_MS, deadline - performance.now());
        if (limit <= 0)
          throw new Error(`${backend}: not measured (over its ${Math.round(budgetMs! / 1000)} s budget)`);
        const outcome = await withTimeout(pool.run(task), limit, backend, () => pool.cancelAll());
        if (outcome.status === 'done') return outcome.result.durationMs;
        if (outcome.status === 'failed' && outcome.error.code === 'BACKEND_UNAVAILABLE') workerGone = true;
        throw new Error(
          outcome.status === 'failed'
            ? `${backend}: not measured (${outcome.error.message})`
            : `${backend}: not measured (cancelled)`,
        );
      };
      await run(1, 'warm-up');
      const reference = await run(2, 'reference');
      // Small models train 8 batches in a few ms, within the noise of two fold runs: time more until it shows.
      let batches = MEASURED_BATCHES;
      let milliseconds = (await run(2 + batches, 'measured')) - reference;
      while (milliseconds < MEASURED_MIN_MS && batches < MEASURED_BATCHES_MAX) {
        batches *= 4;
        milliseconds = (await run(2 + batches, 'measured')) - reference;
      }
      results.push({
        samplesPerSecond: (batches * batchSize * 1000) / Math.max(1, milliseconds),
        ms: performance.now() - (results.length === 0 ? started : candidateStarted),
      });
    }
    return results;
  } finally {
    if (!workerGone) await pool.close();
  }
}

/** `count` rows taken from `rows` in order, wrapping around when there are fewer. */
function cycle(rows: number[], count: number): number[] {
  if (rows.length === 0) return [];
  return Array.from({ length: count }, (_, index) => rows[index % rows.length]);
}

async function withTimeout<T>(
  work: Promise<T>,
  milliseconds: number,
  backend: BackendName,
  onTimeout: () => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(
        new Error(`${backend}: not measured (a few batches took over ${Math.round(milliseconds / 1000)} s)`),
      );
    }, milliseconds);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

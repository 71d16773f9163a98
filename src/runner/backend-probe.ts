/**
 * `auto` measures before it chooses. At the start of a job it times a few training batches of the job's own
 * models on each backend worth trying, in short-lived worker processes (the same code path as training, and a
 * crash in a GPU driver cannot take the job down), then picks the backend that finishes the whole job first:
 * one worker's speed times the workers that backend runs in parallel. Measurements are cached per model shape
 * and batch size in `runs/.backend-cache.json`, so a project pays for them once.
 *
 * Machines with only wasm and cpu skip the measuring, except for small dense networks at small batches, where
 * plain JavaScript beats wasm's per-call overhead (bench/backends.mjs).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { CandidateConfig } from '../core/config';
import { NEURAL_MODELS } from '../core/models/zoo';
import type { BackendInfo, BackendName, BackendProbe } from '../protocol/records';
import type { FoldTask } from '../protocol/runner';
import { findGpu } from './backend-webgpu';
import { defaultPoolSize, WorkerPool } from './pool';

/** Batches timed per backend and model, after one warm-up batch and a two-batch reference. */
export const MEASURED_BATCHES = 8;
/** Measured batches stop growing once they take this long (ms): well above the jitter of a fold run. */
export const MEASURED_MIN_MS = 150;
/** ...or once this many batches were timed. */
export const MEASURED_BATCHES_MAX = 512;
/** At or below this batch size a small dense network may train faster on cpu than on wasm. */
export const SMALL_BATCH = 8;
/** Cache format; a change invalidates old entries. */
const CACHE_VERSION = 1;
/** A measuring task that takes longer than this is abandoned (that backend is far too slow anyway). */
const TASK_TIMEOUT_MS = 60_000;

/** One backend's speed on one model. */
export interface Measurement {
  /** Training samples per second of one worker. */
  samplesPerSecond: number;
  /** Wall time the measurement took, start-up included. */
  ms: number;
}

/** Times each candidate on `backend`, in order; rejects (the reason in the message) when the backend cannot run. */
export type Measure = (backend: BackendName, candidates: CandidateConfig[]) => Promise<Measurement[]>;

/** What `auto` looks at to choose. */
export interface ProbeRequest {
  projectDir: string;
  /** The job's candidates, resolved (defaults filled in). Only the neural ones are measured. */
  candidates: CandidateConfig[];
  /** Rows of the first fold: the measuring tasks train on a few batches of these. */
  trainRows: number[];
  validationRows: number[];
  seed: number;
  /** Folds the job trains each candidate on. */
  folds: number;
  /** Epochs cap (quick mode), as in the fold tasks. */
  maxEpochs?: number;
  /** Worker count the user asked for; default: one per core for wasm/cpu, one for tensorflow/webgpu. */
  workers?: number;
  /** Part of the cache key: what the models see (problem and preparation), e.g. a hash of topdown.json's parts. */
  shapeKey: string;
}

/** Hooks for tests and callers. */
export interface ProbeOptions {
  /** Default: `<projectDir>/runs/.backend-cache.json`. */
  cacheFile?: string;
  /** Default: worker processes (`measureInWorkers`). */
  measure?: Measure;
  /** Backends beyond wasm and cpu found on this machine, with reasons for the others; default: looked up. */
  accelerators?: { names: BackendName[]; reasons: string[]; fingerprint: string };
  /** Default: this machine's core count. */
  cores?: number;
}

/** What `auto` decided. */
export interface BackendChoice {
  /** The backend the workers should load: a name, or `auto` (tensorflow, wasm, cpu in order) when nothing was measured. */
  backend: BackendName | 'auto';
  /** Every measurement, fastest first (samples/s of one worker on the job's slowest model). */
  probe?: BackendProbe[];
  /** Why, for a person. */
  reasons: string[];
  /** Measuring time this job spent (0 when cached or skipped). */
  probeMs: number;
}

interface CacheEntry {
  backend: BackendName;
  samplesPerSecond: number;
  ms: number;
}

interface CacheFile {
  version: number;
  entries: Record<string, CacheEntry[]>;
}

/** Looks for the backends faster than wasm could be: tfjs-node, and a hardware (not software) WebGPU adapter. */
export async function findAccelerators(
  projectDir: string,
): Promise<{ names: BackendName[]; reasons: string[]; fingerprint: string }> {
  const names: BackendName[] = [];
  const reasons: string[] = [];
  const fingerprint: string[] = [];
  if (resolvable('@tensorflow/tfjs-node', projectDir)) {
    names.push('tensorflow');
    fingerprint.push('tensorflow');
  }
  const gpu = await findGpu(projectDir);
  if (!gpu.ok) {
    reasons.push(gpu.reason);
  } else if (gpu.adapter.software) {
    reasons.push(`webgpu: ${gpu.adapter.description} is a software renderer, slower than wasm; not measured`);
  } else {
    names.push('webgpu');
    fingerprint.push(`webgpu ${gpu.packageVersion} ${gpu.adapter.description}`);
  }
  return { names, reasons, fingerprint: fingerprint.join('; ') };
}

function resolvable(name: string, projectDir: string): boolean {
  for (const place of [join(projectDir, 'package.json'), __filename]) {
    try {
      createRequire(place).resolve(name);
      return true;
    } catch {
      // Try the next place.
    }
  }
  return false;
}

/** Dense networks small enough that per-call overhead dominates: cpu may beat wasm at small batches. */
function smallDense(candidate: CandidateConfig): boolean {
  if (candidate.model !== 'linear' && candidate.model !== 'mlp') return false;
  const batchSize = candidate.batchSize ?? 32;
  const widest = candidate.model === 'mlp' ? Math.max(0, ...candidate.layers) : 0;
  return batchSize <= SMALL_BATCH && widest <= 64;
}

/**
 * Chooses the backend for a job under `auto`. Never throws for a backend that fails: it is left out, with its
 * reason. Returns `auto` (today's order) without measuring when there is nothing to choose between.
 */
export async function chooseBackend(
  request: ProbeRequest,
  options: ProbeOptions = {},
): Promise<BackendChoice> {
  const neural = request.candidates.filter((candidate) => NEURAL_MODELS.has(candidate.model));
  if (neural.length === 0) return { backend: 'auto', reasons: [], probeMs: 0 };
  const accelerators = options.accelerators ?? (await findAccelerators(request.projectDir));
  const contenders: BackendName[] = [...accelerators.names, 'wasm'];
  if (neural.every(smallDense)) contenders.push('cpu');
  if (contenders.length === 1) return { backend: 'auto', reasons: accelerators.reasons, probeMs: 0 };

  const cacheFile = options.cacheFile ?? join(request.projectDir, 'runs', '.backend-cache.json');
  const cache = readCache(cacheFile);
  const machine = `${hostname()} ${cpus()[0]?.model ?? ''} ${accelerators.fingerprint}`;
  const keys = neural.map((candidate) => cacheKey(candidate, request.shapeKey, machine));
  const measure =
    options.measure ?? ((backend, candidates) => measureInWorkers(backend, candidates, request));
  const reasons = [...accelerators.reasons];
  const started = performance.now();
  let measured = false;

  // speeds[backend][candidate index]
  const speeds = new Map<BackendName, Array<Measurement | undefined>>();
  for (const backend of contenders) {
    const known: Array<Measurement | undefined> = keys.map((key) =>
      cache.entries[key]?.find((entry) => entry.backend === backend),
    );
    const missing = neural.filter((_, index) => known[index] === undefined);
    if (missing.length > 0) {
      measured = true;
      try {
        const fresh = await measure(backend, missing);
        let next = 0;
        for (const [index, key] of keys.entries()) {
          if (known[index] !== undefined) continue;
          const measurement = fresh[next++];
          known[index] = measurement;
          cache.entries[key] = [
            ...(cache.entries[key] ?? []).filter((entry) => entry.backend !== backend),
            { backend, samplesPerSecond: measurement.samplesPerSecond, ms: measurement.ms },
          ];
        }
      } catch (error) {
        reasons.push(error instanceof Error ? error.message : String(error));
        continue;
      }
    }
    speeds.set(backend, known);
  }
  if (measured) writeCache(cacheFile, cache);

  const cores = options.cores ?? cpus().length;
  const tasks = neural.length * request.folds;
  const estimates: Array<{ backend: BackendName; seconds: number }> = [];
  for (const [backend, known] of speeds) {
    if (known.some((entry) => entry === undefined)) continue;
    const parallel = Math.max(1, Math.min(request.workers ?? defaultPoolSize(backend, cores), tasks));
    let seconds = 0;
    for (const [index, candidate] of neural.entries()) {
      const samples = epochsOf(candidate, request.maxEpochs) * request.trainRows.length * request.folds;
      seconds += samples / known[index]!.samplesPerSecond / parallel;
    }
    estimates.push({ backend, seconds });
  }
  const probeMs = measured ? Math.round(performance.now() - started) : 0;
  if (estimates.length === 0) return { backend: 'auto', reasons, probeMs };
  estimates.sort((left, right) => left.seconds - right.seconds);
  const best = estimates[0];
  // The slowest model dominates the job, so its measurement is the one shown.
  const slowest = neural.reduce(
    (worst, candidate, index) =>
      epochsOf(candidate, request.maxEpochs) / speeds.get(best.backend)![index]!.samplesPerSecond >
      epochsOf(neural[worst], request.maxEpochs) / speeds.get(best.backend)![worst]!.samplesPerSecond
        ? index
        : worst,
    0,
  );
  const probe: BackendProbe[] = [...speeds]
    .filter(([, known]) => known[slowest] !== undefined)
    .map(([backend, known]) => ({
      backend,
      samplesPerSecond: Math.round(known[slowest]!.samplesPerSecond),
      ms: Math.round(known[slowest]!.ms),
      candidate: neural[slowest].name,
    }))
    .sort((left, right) => right.samplesPerSecond - left.samplesPerSecond);
  const summary = estimates.map((estimate) => `${estimate.backend} ~${formatSeconds(estimate.seconds)}`);
  reasons.push(
    `auto measured ${measured ? 'now' : 'earlier (runs/.backend-cache.json)'}: estimated training time ${summary.join(', ')}; chose ${best.backend}`,
  );
  return { backend: best.backend, probe, reasons, probeMs };
}

/** Adds what `auto` measured to the backend the workers reported. */
export function withProbe(info: BackendInfo, choice: BackendChoice | undefined): BackendInfo {
  if (choice === undefined) return info;
  const merged: BackendInfo = { ...info, reasons: [...choice.reasons, ...info.reasons] };
  if (choice.probe) merged.probe = choice.probe;
  return merged;
}

function epochsOf(candidate: CandidateConfig, maxEpochs: number | undefined): number {
  const epochs = (candidate as { epochs?: number }).epochs ?? 1;
  return maxEpochs === undefined ? epochs : Math.min(epochs, maxEpochs);
}

function formatSeconds(seconds: number): string {
  return seconds < 100 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds / 60)} min`;
}

/** Model shape and batch size: everything but the name, the epochs and early stopping. */
function cacheKey(candidate: CandidateConfig, shapeKey: string, machine: string): string {
  const {
    name: _name,
    epochs: _epochs,
    earlyStopping: _early,
    ...shape
  } = candidate as CandidateConfig & {
    epochs?: number;
    earlyStopping?: unknown;
  };
  const text = JSON.stringify({ version: CACHE_VERSION, shape, shapeKey, machine });
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

function readCache(file: string): CacheFile {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    if (parsed.version === CACHE_VERSION && typeof parsed.entries === 'object') return parsed;
  } catch {
    // Missing or unreadable: measure again.
  }
  return { version: CACHE_VERSION, entries: {} };
}

function writeCache(file: string, cache: CacheFile): void {
  try {
    if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(cache, null, 1)}\n`);
    renameSync(temporary, file);
  } catch {
    // A cache that cannot be written only means measuring again next time.
  }
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
  request: ProbeRequest,
): Promise<Measurement[]> {
  const pool = new WorkerPool({ size: 1, backend, projectDir: request.projectDir });
  const started = performance.now();
  // A worker that could not load its backend exits by itself; asking it to shut down could write to a closed pipe.
  let workerGone = false;
  try {
    const results: Measurement[] = [];
    for (const candidate of candidates) {
      const candidateStarted = performance.now();
      const batchSize = (candidate as { batchSize?: number }).batchSize ?? 32;
      const { earlyStopping: _early, ...plain } = candidate as CandidateConfig & { earlyStopping?: unknown };
      const probeCandidate = { ...plain, epochs: 1 } as unknown as FoldTask['candidate'];
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
        const outcome = await withTimeout(pool.run(task), TASK_TIMEOUT_MS, backend, () => pool.cancelAll());
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
      reject(new Error(`${backend}: not measured (a few batches took over ${milliseconds / 1000} s)`));
    }, milliseconds);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

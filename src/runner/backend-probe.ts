/**
 * `auto` measures before it chooses. At the start of a job it times a few training batches of the job's own
 * models on each backend worth trying, in short-lived worker processes (the same code path as training, and a
 * crash in a GPU driver cannot take the job down), then picks the backend that finishes the whole job first:
 * one worker's speed times the workers that backend runs in parallel. Measurements are cached per model shape
 * and batch size in `runs/.backend-cache.json`, so a project pays for them once.
 *
 * What it costs stays small: machines with only wasm and cpu skip the measuring (except for small dense networks
 * at small batches on tfjs' loop, where plain JavaScript can beat wasm's per-call overhead), and so do jobs of under a million
 * training samples; wasm is measured first, a GPU is skipped for jobs under 30 s on wasm and otherwise gets 5% of
 * the wasm estimate (at least 10 s) before it is left out.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { CandidateConfig, PrepareOp, ProjectConfig } from '../core/config';
import { NEURAL_MODELS } from '../core/models/zoo';
import { writeFileAtomic } from '../core/runs/files';
import type { BackendInfo, BackendName, BackendProbe } from '../protocol/records';
import { findGpuApart } from './backend-webgpu';
import { measureInWorkers, type Measurement } from './backend-measure';
import { defaultPoolSize } from './pool';

/** At or below this batch size a small dense network may train faster on cpu than on wasm. */
export const SMALL_BATCH = 8;
/** A job that trains fewer samples than this (epochs × rows × folds, over its neural candidates) is not measured. */
export const MIN_SAMPLES = 1_000_000;
/** A job that trains in less than this on wasm is not worth measuring a GPU for (seconds). */
export const SHORT_JOB_SECONDS = 30;
/** Measuring an accelerator may take this share of the job's estimated time on wasm... */
export const BUDGET_SHARE = 0.05;
/** ...but at least this long (ms): starting a GPU and compiling its kernels takes seconds. */
export const MIN_BUDGET_MS = 10_000;
/** Cache format; a change invalidates old entries. */
const CACHE_VERSION = 1;

/**
 * Times each candidate on `backend`, in order, within `budgetMs` when given; rejects (the reason in the message)
 * when the backend cannot run or runs out of time.
 */
export type Measure = (
  backend: BackendName,
  candidates: CandidateConfig[],
  budgetMs?: number,
) => Promise<Measurement[]>;

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
  const gpu = await findGpuApart(projectDir);
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

/**
 * Dense networks small enough that tfjs' per-call overhead dominates: cpu may beat wasm at small batches. With Adam
 * or SGD they train in Topdown's own typed-array loop on both (neural.ts): nothing to compare.
 */
function smallDense(candidate: CandidateConfig): boolean {
  if (candidate.model !== 'linear' && candidate.model !== 'mlp') return false;
  const optimizer = candidate.optimizer ?? 'adam';
  if (optimizer === 'adam' || optimizer === 'sgd') return false;
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
  const samples = neural.reduce(
    (sum, candidate) =>
      sum + epochsOf(candidate, request.maxEpochs) * request.trainRows.length * request.folds,
    0,
  );
  const skipped = `auto did not measure: the job trains ${samples.toLocaleString('en')} samples, too few for another backend to gain much`;
  // A small job is not worth even looking for a GPU (loading Dawn costs up to 0.1 s and logs on some drivers).
  if (samples < MIN_SAMPLES && !options.accelerators)
    return { backend: 'auto', reasons: [skipped], probeMs: 0 };
  const accelerators = options.accelerators ?? (await findAccelerators(request.projectDir));
  // wasm first: its estimate sets how long the accelerators may take to measure.
  const contenders: BackendName[] = ['wasm', ...(neural.every(smallDense) ? ['cpu' as const] : [])];
  contenders.push(...accelerators.names);
  if (contenders.length === 1) return { backend: 'auto', reasons: accelerators.reasons, probeMs: 0 };
  if (samples < MIN_SAMPLES)
    return { backend: 'auto', reasons: [...accelerators.reasons, skipped], probeMs: 0 };

  const cacheFile = options.cacheFile ?? join(request.projectDir, 'runs', '.backend-cache.json');
  const cache = readCache(cacheFile);
  const machine = `${hostname()} ${cpus()[0]?.model ?? ''} ${accelerators.fingerprint}`;
  const keys = neural.map((candidate) => cacheKey(candidate, request.shapeKey, machine));
  const measure: Measure =
    options.measure ??
    ((backend, candidates, budgetMs) => measureInWorkers(backend, candidates, request, budgetMs));
  const cores = options.cores ?? cpus().length;
  const estimate = (backend: BackendName, known: Array<Measurement | undefined>): number | undefined =>
    estimateSeconds(request, neural, known, backend, cores);
  const reasons = [...accelerators.reasons];
  const started = performance.now();
  const { speeds, measured } = await measureContenders(contenders, {
    neural,
    keys,
    cache,
    measure,
    wasmEstimate: (speedsSoFar) => estimate('wasm', speedsSoFar.get('wasm') ?? []),
    reasons,
  });
  if (measured) writeCache(cacheFile, cache);

  const estimates: Array<{ backend: BackendName; seconds: number }> = [];
  for (const [backend, known] of speeds) {
    const seconds = estimate(backend, known);
    if (seconds !== undefined) estimates.push({ backend, seconds });
  }
  const probeMs = measured ? Math.round(performance.now() - started) : 0;
  if (estimates.length === 0) return { backend: 'auto', reasons, probeMs };
  estimates.sort((left, right) => left.seconds - right.seconds);
  const best = estimates[0];
  const probe = probeTable(speeds, neural, best.backend, request.maxEpochs);
  const summary = estimates.map((estimate) => `${estimate.backend} ~${formatSeconds(estimate.seconds)}`);
  reasons.push(
    `auto measured ${measured ? 'now' : 'earlier (runs/.backend-cache.json)'}: estimated training time ${summary.join(', ')}; chose ${best.backend}`,
  );
  return { backend: best.backend, probe, reasons, probeMs };
}

/** Speeds per backend, one entry per neural candidate (index as in `neural`). */
type Speeds = Map<BackendName, Array<Measurement | undefined>>;

/** What measureContenders needs from chooseBackend. */
interface MeasureContext {
  neural: CandidateConfig[];
  /** Cache key of each neural candidate. */
  keys: string[];
  cache: ReturnType<typeof readCache>;
  measure: Measure;
  /** The job's estimated seconds on wasm from the speeds measured so far (undefined until wasm is known). */
  wasmEstimate: (speeds: Speeds) => number | undefined;
  /** Why a backend was left out, appended to. */
  reasons: string[];
}

/**
 * Each contender's speed on every neural candidate, from the cache or measured now (wasm first; an accelerator
 * only when the job is long enough on wasm, within a budget). A backend that fails is left out with its reason.
 */
async function measureContenders(
  contenders: readonly BackendName[],
  context: MeasureContext,
): Promise<{ speeds: Speeds; measured: boolean }> {
  const { neural, keys, cache, reasons } = context;
  const speeds: Speeds = new Map();
  let measured = false;
  for (const backend of contenders) {
    const known: Array<Measurement | undefined> = keys.map((key) =>
      cache.entries[key]?.find((entry) => entry.backend === backend),
    );
    const missing = neural.filter((_, index) => known[index] === undefined);
    if (missing.length > 0) {
      let budgetMs: number | undefined;
      const wasmSeconds = backend === 'wasm' || backend === 'cpu' ? undefined : context.wasmEstimate(speeds);
      if (wasmSeconds !== undefined) {
        if (wasmSeconds < SHORT_JOB_SECONDS) {
          reasons.push(
            `${backend}: not measured: the job trains in about ${formatSeconds(wasmSeconds)} on wasm, too short to gain`,
          );
          continue;
        }
        budgetMs = Math.max(MIN_BUDGET_MS, BUDGET_SHARE * wasmSeconds * 1000);
      }
      measured = true;
      try {
        const fresh = await context.measure(backend, missing, budgetMs);
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
  return { speeds, measured };
}

/**
 * The probe shown in the run record: every measured backend's speed on the candidate that is slowest on the
 * chosen backend (the slowest model dominates the job), fastest first.
 */
function probeTable(
  speeds: Speeds,
  neural: CandidateConfig[],
  chosen: BackendName,
  maxEpochs: number | undefined,
): BackendProbe[] {
  const seconds = (index: number): number =>
    epochsOf(neural[index], maxEpochs) / speeds.get(chosen)![index]!.samplesPerSecond;
  const slowest = neural.reduce((worst, _, index) => (seconds(index) > seconds(worst) ? index : worst), 0);
  return [...speeds]
    .filter(([, known]) => known[slowest] !== undefined)
    .map(([backend, known]) => ({
      backend,
      samplesPerSecond: Math.round(known[slowest]!.samplesPerSecond),
      ms: Math.round(known[slowest]!.ms),
      candidate: neural[slowest].name,
    }))
    .sort((left, right) => right.samplesPerSecond - left.samplesPerSecond);
}

/** Training time of the job's neural candidates on a backend: samples over one worker's speed, over the workers. */
function estimateSeconds(
  request: ProbeRequest,
  neural: CandidateConfig[],
  known: Array<Measurement | undefined>,
  backend: BackendName,
  cores: number,
): number | undefined {
  if (known.length < neural.length || known.some((entry) => entry === undefined)) return undefined;
  const tasks = neural.length * request.folds;
  const parallel = Math.max(1, Math.min(request.workers ?? defaultPoolSize(backend, cores), tasks));
  let seconds = 0;
  for (const [index, candidate] of neural.entries()) {
    const samples = epochsOf(candidate, request.maxEpochs) * request.trainRows.length * request.folds;
    seconds += samples / known[index]!.samplesPerSecond / parallel;
  }
  return seconds;
}

/**
 * ProbeRequest.shapeKey for a project: what decides the models' input and output shapes (the problem, the
 * preparation steps, the measured candidates' own pipelines and the table's column count), and nothing that
 * changes more often, such as other candidates.
 */
export function probeShapeKey(
  config: Pick<ProjectConfig, 'problem' | 'prepare'>,
  columnCount: number,
  ownPrepares: ReadonlyArray<readonly PrepareOp[]> = [],
): string {
  const shape = { problem: config.problem, prepare: config.prepare ?? [], columnCount };
  const text = JSON.stringify(ownPrepares.length > 0 ? { ...shape, ownPrepares } : shape);
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
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
    writeFileAtomic(file, `${JSON.stringify(cache, null, 1)}\n`);
  } catch {
    // A cache that cannot be written only means measuring again next time.
  }
}

/** Re-exported for callers that measure one backend themselves. */
export { measureInWorkers, type Measurement };

/** Pieces every step job shares: run records, sessions, summaries, the result shape of `--json`. */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import type { Project } from '../../core/project';
import { resolveMetric } from '../../core/config';
import { loadProjectData, projectFolds, projectSeed, type ProjectData } from '../../core/steps/data';
import { foldHash, type Fold } from '../../core/folds';
import { summarize } from '../../core/metrics';
import { processStartTime, type RunStore } from '../../core/runs/store';
import { toErrorInfo } from '../../core/errors';
import {
  RUN_SCHEMA_VERSION,
  type BackendInfo,
  type BackendName,
  type FoldRecord,
  type RunRecord,
  type StepName,
} from '../../protocol/records';
import type { Reporter } from '../reporter';
import type { QueueTarget } from '../queue/connection';
import type { PoolFactory } from '../task-pool';
import type { WriteFunction } from '../../core/runs/files';
import { TOPDOWN_VERSION } from '../version';

/** Options every job accepts (from CLI flags or the VS Code settings). */
export interface JobOptions {
  backend: BackendName | 'auto';
  /** Pool size; default one per core (wasm/cpu) or one (tensorflow). */
  workers?: number;
  /** Fewer folds (3) and epochs (5): same code path, for tests and a first look. */
  quick?: boolean;
  /** Only these candidates (names). */
  candidates?: string[];
  reporter: Reporter;
  signal?: AbortSignal;
  /** Makes the pool training tasks run on; default the local worker processes (`WorkerPool`). */
  createPool?: PoolFactory;
  /** Training on queue workers (`--queue`): createPool makes remote pools, and the workers choose the backend. */
  queue?: QueueTarget;
  /** The write call of the run store's file writes (default: the system's); fault tests inject ENOSPC. */
  write?: WriteFunction;
}

/** Quick mode's caps. */
export const QUICK = { folds: 3, epochs: 5 } as const;

/** A new session id: groups the runs one command starts. */
export function newSessionId(): string {
  const now = new Date();
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Number of cores, for the default pool size. */
export function coreCount(): number {
  return Math.max(1, cpus().length);
}

/** A fresh `running` record for a step (and candidate). */
export function startRecord(
  project: Project,
  store: RunStore,
  step: StepName,
  session: string,
  fields: {
    candidate?: string;
    model?: string;
    config?: Record<string, unknown>;
    data?: ProjectData;
    foldHash?: string;
    backend?: BackendInfo;
  } = {},
): RunRecord {
  const record: RunRecord = {
    schemaVersion: RUN_SCHEMA_VERSION,
    id: store.newRunId(step, fields.candidate),
    step,
    session,
    status: 'running',
    pid: process.pid,
    createdAt: new Date().toISOString(),
    config: fields.config ?? {},
    seed: projectSeed(project),
    metric: resolveMetric(project.config.problem),
    dataHash: fields.data?.dataHash ?? '',
    projectHash: project.hash,
    backend: fields.backend ?? { name: 'none', reasons: [] },
    folds: [],
    topdownVersion: TOPDOWN_VERSION,
  };
  const started = processStartTime(process.pid);
  if (started !== undefined) record.pidStart = started;
  if (fields.candidate !== undefined) record.candidate = fields.candidate;
  if (fields.model !== undefined) record.model = fields.model;
  if (fields.foldHash !== undefined) record.foldHash = fields.foldHash;
  return record;
}

/**
 * Marks a record finished, with its summary computed from its folds. A failed run gets no summary: a mean over
 * the folds that happened to finish before one failed is not the candidate's score.
 */
export function finishRecord(record: RunRecord, status: RunRecord['status'], error?: unknown): RunRecord {
  record.status = status;
  delete record.pid;
  delete record.pidStart;
  record.endedAt = new Date().toISOString();
  record.wallMs = Date.parse(record.endedAt) - Date.parse(record.createdAt);
  // A candidate's own compute time, not the queue wait before its first fold ran (issue: naive Bayes read 10.7 s).
  record.durationMs =
    record.folds.length > 0
      ? record.folds.reduce((sum, fold) => sum + (fold.durationMs ?? 0), 0)
      : record.wallMs;
  const scores = record.folds.map((fold) => fold.score).filter((score) => Number.isFinite(score));
  if (scores.length > 0 && status !== 'failed') record.summary = summarize(scores);
  else delete record.summary;
  if (error !== undefined) record.error = toErrorInfo(error);
  return record;
}

/**
 * The status a run ends with when `error` stopped it: `interrupted` when the queue (Redis) was lost, since the
 * run was cut off rather than failed, as when its process dies; `failed` otherwise.
 */
export function failedStatus(error: unknown): 'failed' | 'interrupted' {
  return toErrorInfo(error).code === 'QUEUE_LOST' ? 'interrupted' : 'failed';
}

/** Records a new run and tells the host. */
export function begin(store: RunStore, record: RunRecord, reporter: Reporter): void {
  store.create(record);
  reporter.emit({ type: 'run/updated', run: structuredClone(record) });
}

/** Saves a record and tells the host. */
export function publish(store: RunStore, record: RunRecord, reporter: Reporter): void {
  store.save(record);
  reporter.emit({ type: 'run/updated', run: structuredClone(record) });
}

/** Fold records sorted by fold index. */
export function sortFolds(folds: FoldRecord[]): FoldRecord[] {
  return folds.sort((a, b) => a.index - b.index);
}

/** Rounds for display and JSON. */
export function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * The project's data and its folds for a step that runs candidates. When either cannot be had (a bad CSV, a
 * class smaller than the folds), the step is recorded as failed so the history shows why, and nothing else in
 * runs/ is touched.
 */
export async function loadDataAndFolds(
  project: Project,
  store: RunStore,
  step: 'evaluate' | 'improve',
  session: string,
  options: JobOptions,
): Promise<{ data: ProjectData; folds: Fold[]; hash: string }> {
  try {
    const data = await loadProjectData(project);
    const folds = projectFolds(project, data, { maxFolds: options.quick ? QUICK.folds : undefined });
    return { data, folds, hash: foldHash(folds) };
  } catch (error) {
    const record = startRecord(project, store, step, session);
    finishRecord(record, 'failed', error);
    begin(store, record, options.reporter);
    throw error;
  }
}

/**
 * Reading run records for the report, defensively: a step may not have run, a run may have failed, and the
 * fields steps 4–5 add to run.json (params, tuning, verdict, holdout, bundle) may be absent in older runs.
 */
import type { RunStore } from '../../core/runs/store';
import type { RunEvent, RunRecord, StepName } from '../../protocol/records';

/** A run record with the optional fields steps 4 and 5 may write (read, never required). */
export type ReportRunRecord = RunRecord & {
  params?: Record<string, unknown>;
  verdict?: { rank?: string; baseline?: string; explanation?: string };
  tuning?: {
    of?: string;
    keep?: 'tuned' | 'untuned';
    chosen?: string;
    untunedRunId?: string;
    message?: string;
    method?: string;
  };
  repeats?: { message?: string };
  holdout?: { score?: number; metrics?: Record<string, number>; size?: number };
  bundle?: string;
};

/** Reads a run, or undefined when it cannot be read (deleted, corrupt, from a newer Topdown). */
export function readRun(store: RunStore, runId: string): ReportRunRecord | undefined {
  try {
    return store.get(runId);
  } catch {
    return undefined;
  }
}

/**
 * Every readable run (any status) of the newest session of a step in which a candidate completed, oldest
 * first: a session cancelled or failed before any candidate completed does not hide the last one that
 * has results. The newest session when none has; undefined when the step never ran.
 */
export function latestSession(
  store: RunStore,
  step: StepName,
): { session: string; runs: ReportRunRecord[] } | undefined {
  const [newest] = store.list({ step });
  if (!newest) return undefined;
  const completed = store
    .list({ step, status: 'completed' })
    .find((entry) => entry.model !== 'baseline' && entry.candidate !== undefined);
  const session = completed?.session ?? newest.session;
  const runs = store
    .list({ step, session })
    .reverse()
    .map((entry) => readRun(store, entry.id))
    .filter((record): record is ReportRunRecord => record !== undefined);
  return { session, runs };
}

/** The newest completed run of a step, read; undefined when none. */
export function latestCompleted(store: RunStore, step: StepName): ReportRunRecord | undefined {
  for (const entry of store.list({ step, status: 'completed' })) {
    const record = readRun(store, entry.id);
    if (record) return record;
  }
  return undefined;
}

/** Fold scores in fold order. */
export function scoresOf(record: RunRecord): number[] {
  return [...record.folds].sort((a, b) => a.index - b.index).map((fold) => fold.score);
}

/** Mean rows in the training and validation parts of a run's folds (for the corrected t-test). */
export function foldSizes(records: readonly RunRecord[]): { trainSize: number; testSize: number } {
  const folds = records.flatMap((record) => record.folds);
  if (folds.length === 0) return { trainSize: 1, testSize: 1 };
  const average = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
  return {
    trainSize: Math.max(1, average(folds.map((fold) => fold.trainSize))),
    testSize: Math.max(1, average(folds.map((fold) => fold.validationSize))),
  };
}

/** Mean over folds, per epoch, of one log key; undefined when no epoch logged it. */
export function meanCurve(events: readonly RunEvent[], key: string): number[] | undefined {
  const sums: number[] = [];
  const counts: number[] = [];
  for (const event of events) {
    if (event.type !== 'epoch') continue;
    const value = event.logs[key];
    if (value === undefined || !Number.isFinite(value)) continue;
    sums[event.epoch] = (sums[event.epoch] ?? 0) + value;
    counts[event.epoch] = (counts[event.epoch] ?? 0) + 1;
  }
  if (counts.length === 0) return undefined;
  return Array.from({ length: counts.length }, (_unused, epoch) =>
    counts[epoch] ? sums[epoch] / counts[epoch] : Number.NaN,
  );
}

/** Folds that logged at least one epoch. */
export function foldsWithEpochs(events: readonly RunEvent[]): number {
  return new Set(events.filter((event) => event.type === 'epoch').map((event) => event.fold)).size;
}

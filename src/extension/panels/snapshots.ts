/**
 * Builds panel messages from run records and events. Plain functions of their inputs (no vscode, no disk),
 * so the host code that reads the store stays thin and these are unit-tested.
 */
import type { JobEvent } from '../../protocol/host';
import { correctedResampledTTest } from '../../core/stats';
import type {
  CompareRun,
  CompareTest,
  ConfigDifference,
  EvaluateCandidate,
  EvaluateSnapshot,
  TrainingCurve,
  TrainingPoint,
  TrainingRun,
} from '../../protocol/panels';
import type { AdviceSummary, RunAdvice, RunEvent, RunRecord } from '../../protocol/records';
import type { MetricName } from '../../core/config';
import { compareCandidates } from '../../core/improve/verdicts';
import type { SignificanceVerdicts } from '../../protocol/panels';
import { foldMetrics } from './metrics';

const lowerIsBetter = new Set(['rmse', 'mse', 'mae', 'log-loss', 'logLoss', 'loss']);

/** Whether a larger value of the metric is better (accuracy, r2) or worse (rmse, log-loss). */
export function higherIsBetter(metric: string): boolean {
  return !lowerIsBetter.has(metric);
}

/** The log key a metric appears under in Keras-shaped logs (`accuracy` may be logged as `acc`). */
export function metricLogKey(metric: string, logKeys: Iterable<string>): string | undefined {
  const keys = new Set(logKeys);
  const aliases: Record<string, string[]> = {
    accuracy: ['accuracy', 'acc'],
    'log-loss': ['loss'],
    mse: ['mse', 'meanSquaredError'],
    mae: ['mae', 'meanAbsoluteError'],
  };
  return (aliases[metric] ?? [metric]).find((key) => keys.has(key));
}

/** Learning curves from a run's events, column by column per fold (epochs are 0-based indices). */
export function curvesFromEvents(events: readonly RunEvent[]): TrainingCurve[] {
  const byFold = new Map<number, TrainingCurve>();
  for (const event of events) {
    if (event.type !== 'epoch') continue;
    let curve = byFold.get(event.fold);
    if (!curve) byFold.set(event.fold, (curve = { fold: event.fold, logs: {} }));
    for (const [key, value] of Object.entries(event.logs)) {
      const values = (curve.logs[key] ??= []);
      while (values.length < event.epoch) values.push(NaN);
      values[event.epoch] = value;
    }
  }
  return [...byFold.values()].sort((a, b) => a.fold - b.fold);
}

/** Time a run took, or has taken so far. */
export function elapsedMs(record: RunRecord, now: number): number {
  if (record.durationMs !== undefined) return record.durationMs;
  const started = Date.parse(record.createdAt);
  if (!Number.isFinite(started)) return 0;
  const ended = record.endedAt ? Date.parse(record.endedAt) : now;
  return Math.max(0, (Number.isFinite(ended) ? ended : now) - started);
}

/** The advisor's words a panel shows (not its evidence numbers). */
export function adviceSummary(advice: RunAdvice): AdviceSummary {
  return { diagnosis: advice.diagnosis, message: advice.message, nextStep: advice.nextStep };
}

/** One run for the training panel. */
export function trainingRun(record: RunRecord, events: readonly RunEvent[], now = Date.now()): TrainingRun {
  const curves = curvesFromEvents(events);
  const configuredEpochs = record.config.epochs;
  const foldStarts = new Set(
    events.filter((event) => event.type === 'fold/start').map((event) => event.fold),
  );
  const logKeys = curves.flatMap((curve) => Object.keys(curve.logs));
  const baselineKey = metricLogKey(record.metric, logKeys);
  const run: TrainingRun = {
    runId: record.id,
    candidate: record.candidate ?? record.step,
    label: record.label,
    status: record.status,
    metric: record.metric,
    epochs: typeof configuredEpochs === 'number' ? configuredEpochs : 0,
    folds: Math.max(record.folds.length, foldStarts.size, curves.length),
    foldsEnded: record.folds.map((fold) => fold.index),
    createdAt: record.createdAt,
    elapsedMs: elapsedMs(record, now),
    baseline: record.baseline && baselineKey ? { key: baselineKey, value: record.baseline.mean } : undefined,
    curves,
  };
  if (record.advice) run.advice = adviceSummary(record.advice);
  if (record.step === 'present') run.finalFit = true;
  const epochless = curves.every((curve) => Object.values(curve.logs).every((values) => values.length === 0));
  if (epochless && record.status !== 'running') run.foldScores = record.folds.map((fold) => fold.score);
  return run;
}

/** A live epoch as a training-panel point. */
export function trainingPoint(event: Extract<JobEvent, { type: 'run/epoch' }>): TrainingPoint {
  const point: TrainingPoint = { runId: event.runId, fold: event.fold, epoch: event.epoch, logs: event.logs };
  if (event.folds !== undefined) point.folds = event.folds;
  return point;
}

/** One candidate of an evaluate session; running runs also count folds that ended since run.json was saved. */
export function evaluateCandidate(record: RunRecord, events: readonly RunEvent[] = []): EvaluateCandidate {
  const scores = new Map<number, number>();
  for (const event of events) if (event.type === 'fold/end') scores.set(event.fold, event.score);
  for (const fold of record.folds) scores.set(fold.index, fold.score);
  const candidate: EvaluateCandidate = {
    runId: record.id,
    candidate: record.candidate ?? record.id,
    model: record.model ?? '',
    status: record.status,
    scores: [...scores.entries()].sort((a, b) => a[0] - b[0]).map(([, score]) => score),
    durationMs: record.durationMs ?? record.folds.reduce((sum, fold) => sum + fold.durationMs, 0),
    backend: record.backend.name,
    metrics: foldMetrics(record.folds),
  };
  if (record.advice) candidate.advice = adviceSummary(record.advice);
  return candidate;
}

/** Whether a run is the session's baseline (drawn as the line, not as a box). */
export function isBaseline(record: RunRecord): boolean {
  return record.model === 'baseline';
}

/** The baseline of a session: from a baseline run's scores, or from what candidates recorded. */
export function sessionBaseline(records: readonly RunRecord[]): { mean: number; std: number } | undefined {
  const baselineRun = records.find((record) => isBaseline(record) && record.summary);
  if (baselineRun?.summary) return { mean: baselineRun.summary.mean, std: baselineRun.summary.std };
  return records.find((record) => record.baseline)?.baseline;
}

/** The evaluate panel's snapshot of one session (records in the order of topdown.json, or creation). */
export function evaluateSnapshot(
  session: string,
  records: readonly RunRecord[],
  eventsOf: (runId: string) => readonly RunEvent[] = () => [],
): EvaluateSnapshot {
  const ordered = [...records].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  );
  const metric = ordered[0]?.metric ?? 'score';
  const snapshot: EvaluateSnapshot = {
    session,
    metric,
    higherIsBetter: higherIsBetter(metric),
    baseline: sessionBaseline(ordered),
    baselineMetrics: foldMetrics(ordered.find(isBaseline)?.folds ?? []),
    candidates: ordered
      .filter((record) => !isBaseline(record))
      .map((record) => evaluateCandidate(record, eventsOf(record.id))),
  };
  const verdicts = sessionVerdicts(ordered);
  if (verdicts) snapshot.verdicts = verdicts;
  return snapshot;
}

/**
 * "Is the difference real?" for a finished session: the corrected resampled t-test of every completed
 * candidate against the best and against the baseline run, over their shared folds. Undefined until the
 * session has a completed baseline and two or more folds per candidate.
 */
export function sessionVerdicts(
  records: readonly RunRecord[],
  alpha = 0.05,
): SignificanceVerdicts | undefined {
  const baseline = records.find((record) => isBaseline(record) && record.status === 'completed');
  const foldCount = baseline?.folds.length ?? 0;
  const candidates = records.filter(
    (record) => !isBaseline(record) && record.status === 'completed' && record.folds.length === foldCount,
  );
  if (!baseline || foldCount < 2 || candidates.length === 0) return undefined;
  const folds = baseline.folds;
  const verdicts = compareCandidates({
    metric: baseline.metric as MetricName,
    candidates: candidates.map((record) => ({
      name: record.candidate ?? record.id,
      folds: record.folds.map((f) => f.score),
    })),
    baseline: folds.map((fold) => fold.score),
    trainSize: folds.reduce((sum, fold) => sum + fold.trainSize, 0) / folds.length,
    testSize: folds.reduce((sum, fold) => sum + fold.validationSize, 0) / folds.length,
    alpha,
  });
  const best = verdicts.find((verdict) => verdict.verdict === 'best');
  if (!best) return undefined;
  return {
    test: 'corrected resampled t-test',
    alpha,
    best: best.name,
    verdicts: verdicts.map((verdict) => ({
      candidate: verdict.name,
      betterThanBaseline: verdict.baselineVerdict === 'better than baseline',
      pBaseline: verdict.versusBaseline.pValue,
      indistinguishableFromBest: verdict.verdict !== 'worse than the best',
      pBest: verdict.versusBest?.pValue ?? 1,
    })),
  };
}

/** Mean over folds per epoch, per log key. */
export function meanCurves(curves: readonly TrainingCurve[]): Record<string, number[]> {
  const keys = new Set(curves.flatMap((curve) => Object.keys(curve.logs)));
  const result: Record<string, number[]> = {};
  for (const key of keys) {
    const series = curves.map((curve) => curve.logs[key] ?? []);
    const length = Math.max(...series.map((values) => values.length));
    result[key] = Array.from({ length }, (_unused, epoch) => {
      const values = series
        .map((values) => values[epoch])
        .filter((value) => value !== undefined && Number.isFinite(value));
      return values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : NaN;
    });
  }
  return result;
}

/** One run for the compare panel. */
export function compareRun(record: RunRecord, events: readonly RunEvent[]): CompareRun {
  return {
    runId: record.id,
    name: record.label ?? record.candidate ?? record.id,
    step: record.step,
    model: record.model,
    status: record.status,
    metric: record.metric,
    summary: record.summary,
    durationMs: record.durationMs,
    backend: record.backend.name,
    createdAt: record.createdAt,
    meanCurves: meanCurves(curvesFromEvents(events)),
  };
}

function flatten(value: unknown, path: string, into: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, path ? `${path}.${key}` : key, into);
  } else if (value !== undefined) {
    into.set(path, JSON.stringify(value));
  }
}

/** The settings that are not the same in every run: config (flattened, its name left out), seed, metric, data and folds. */
export function configDifferences(records: readonly RunRecord[]): ConfigDifference[] {
  const flattened = records.map((record) => {
    const values = new Map<string, string>();
    flatten(
      {
        config: record.config,
        seed: record.seed,
        metric: record.metric,
        dataHash: record.dataHash,
        foldHash: record.foldHash,
        backend: record.backend.name,
      },
      '',
      values,
    );
    return values;
  });
  // The candidate's name is what the columns are headed with, not a setting.
  const paths = [...new Set(flattened.flatMap((values) => [...values.keys()]))]
    .filter((path) => path !== 'config.name')
    .sort();
  return paths
    .map((path) => ({ path, values: flattened.map((values) => values.get(path)) }))
    .filter((difference) => new Set(difference.values).size > 1);
}

/**
 * "Is the difference real?" for two runs: the corrected resampled t-test of the second against the first over
 * their folds, when both completed on the same folds (same fold hash and count, at least two) under one metric.
 */
export function compareTest(records: readonly RunRecord[]): CompareTest | undefined {
  if (records.length !== 2) return undefined;
  const [first, second] = records;
  const shared =
    first.foldHash !== undefined &&
    first.foldHash === second.foldHash &&
    first.metric === second.metric &&
    first.folds.length >= 2 &&
    first.folds.length === second.folds.length &&
    records.every((record) => record.status === 'completed');
  if (!shared) return undefined;
  const byIndex = (record: RunRecord) => [...record.folds].sort((a, b) => a.index - b.index);
  const folds = byIndex(first);
  const result = correctedResampledTTest(
    byIndex(second).map((fold) => fold.score),
    folds.map((fold) => fold.score),
    {
      trainSize: folds.reduce((sum, fold) => sum + fold.trainSize, 0) / folds.length,
      testSize: folds.reduce((sum, fold) => sum + fold.validationSize, 0) / folds.length,
    },
  );
  return {
    test: 'corrected resampled t-test',
    folds: folds.length,
    meanDifference: result.meanDifference,
    pValue: result.pValue,
  };
}

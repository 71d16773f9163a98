/**
 * Step 4 tuning of one candidate: grid, random or successive-halving search over its declared space, on the
 * same folds as step 3, with the untuned configuration kept in the comparison. Tuning is kept only when it beats
 * the untuned configuration in a corrected t-test; otherwise Topdown says so and keeps the untuned one.
 */
import { join, relative } from 'node:path';
import type { CandidateConfig, MetricName } from '../../core/config';
import { resolveCandidate } from '../../core/models/zoo';
import {
  applyConfiguration,
  decideTuning,
  gridConfigurations,
  halvingSchedule,
  randomConfigurations,
  selectTop,
  type ParameterValues,
  type ResolvedImproveConfig,
  type SearchSpace,
} from '../../core/improve';
import { higherIsBetter } from '../../core/metrics';
import { writeFileAtomic } from '../../core/runs/files';
import type { RunStore } from '../../core/runs/store';
import type { ImproveResults, Trial } from '../../protocol/panel-improve';
import type { RunRecord, TuningRecord } from '../../protocol/records';
import { runCandidates, type CandidateBatch, type CandidateRun } from './candidates';
import type { JobOptions } from './common';
import { trialNumber } from '../../shared/trials';

/** The outcome of tuning one candidate. */
export interface TuningOutcome {
  candidate: string;
  method: ResolvedImproveConfig['method'];
  /** Every trial run, all rungs. */
  trials: CandidateRun[];
  /** Trials of the last rung (the ones compared at full length). */
  finalists: CandidateRun[];
  best?: CandidateRun;
  /** Tuning beat the untuned configuration (or not), and why. */
  decision?: TuningRecord;
  /** The configuration to keep: the best trial's when tuning won, else the untuned one. */
  chosen: CandidateConfig;
}

/** Scores of a completed run in fold order, or undefined when it did not complete every fold. */
export function foldScores(record: RunRecord, foldCount: number): number[] | undefined {
  if (record.status !== 'completed' || record.folds.length !== foldCount) return undefined;
  return record.folds.map((fold) => fold.score);
}

/** The best completed run by mean score. */
export function bestRun(runs: readonly CandidateRun[], metric: MetricName): CandidateRun | undefined {
  const ranked = runs.filter((run) => run.record.status === 'completed' && run.record.summary);
  const sign = higherIsBetter(metric) ? 1 : -1;
  return ranked.sort((a, b) => sign * (b.record.summary!.mean - a.record.summary!.mean))[0];
}

/** What tuning one candidate shares across its phases. */
type TuningBatch = Omit<CandidateBatch, 'candidates' | 'params' | 'epochs'>;

/** Tunes `base` with its search space; `untuned` is the untuned candidate's completed run on the same folds. */
export async function tuneCandidate(
  base: CandidateConfig,
  untuned: RunRecord,
  improve: ResolvedImproveConfig,
  batch: TuningBatch,
  sizes: { trainSize: number; testSize: number },
  options: JobOptions,
): Promise<TuningOutcome> {
  const metric = untuned.metric as MetricName;
  const space = improve.space[base.name];
  const configurations =
    improve.method === 'grid'
      ? gridConfigurations(space)
      : randomConfigurations(space, improve.trials, improve.seed);
  const trials = configurations.map((params, index) => applyConfiguration(base, params, index + 1));
  const params = new Map<string, ParameterValues>(
    trials.map((trial, index) => [trial.name, configurations[index]]),
  );
  const { all, finalists } =
    improve.method === 'halving'
      ? await runHalving(base, trials, { improve, batch, params, metric, options })
      : await runAllTrials(trials, { batch, params, options });
  const best = bestRun(finalists, metric);
  const foldCount = untuned.folds.length;
  const untunedScores = foldScores(untuned, foldCount);
  const bestScores = best ? foldScores(best.record, foldCount) : undefined;
  if (!best || !untunedScores || !bestScores) {
    return { candidate: base.name, method: improve.method, trials: all, finalists, best, chosen: base };
  }
  const decision = decideTuning({
    metric,
    untuned: { name: base.name, folds: untunedScores },
    tuned: { name: best.candidate.name, folds: bestScores },
    ...sizes,
    alpha: improve.alpha,
  });
  const tuning: TuningRecord = {
    of: base.name,
    keep: decision.keep,
    chosen: decision.chosen,
    untunedRunId: untuned.id,
    pValue: Number.isFinite(decision.comparison.pValue) ? decision.comparison.pValue : null,
    message: decision.message,
    method: improve.method,
    trials: trials.length,
  };
  options.reporter.emit({ type: 'log', level: 'info', message: decision.message });
  return {
    candidate: base.name,
    method: improve.method,
    trials: all,
    finalists,
    best,
    decision: tuning,
    chosen: decision.keep === 'tuned' ? { ...best.candidate, name: base.name } : base,
  };
}

/** Every trial run, and the ones compared at full length. */
interface TrialRuns {
  all: CandidateRun[];
  finalists: CandidateRun[];
}

/** Grid and random search: every configuration at full length, all of them finalists. */
async function runAllTrials(
  trials: CandidateConfig[],
  context: { batch: TuningBatch; params: Map<string, ParameterValues>; options: JobOptions },
): Promise<TrialRuns> {
  const finalists = await runCandidates(
    { ...context.batch, candidates: trials, params: context.params },
    context.options,
  );
  return { all: [...finalists], finalists };
}

/** Successive halving: every rung trains the survivors longer and keeps the best share for the next. */
async function runHalving(
  base: CandidateConfig,
  trials: CandidateConfig[],
  context: {
    improve: ResolvedImproveConfig;
    batch: TuningBatch;
    params: Map<string, ParameterValues>;
    metric: MetricName;
    options: JobOptions;
  },
): Promise<TrialRuns> {
  const { improve, options } = context;
  const maxEpochs =
    improve.halving.maxEpochs ?? (resolveCandidate(base) as { epochs?: number }).epochs ?? 100;
  const rungs = halvingSchedule(trials.length, { ...improve.halving, maxEpochs });
  const all: CandidateRun[] = [];
  let finalists: CandidateRun[] = [];
  let survivors = trials;
  for (let rung = 0; rung < rungs.length; rung++) {
    options.reporter.emit({
      type: 'log',
      level: 'info',
      message: `${base.name}: halving rung ${rung + 1}/${rungs.length}, ${survivors.length} configurations × ${rungs[rung].epochs} epochs`,
    });
    const runs = await runCandidates(
      { ...context.batch, candidates: survivors, params: context.params, epochs: rungs[rung].epochs },
      options,
    );
    all.push(...runs);
    finalists = runs;
    if (rung === rungs.length - 1 || options.signal?.aborted) break;
    const scored = runs.map((run) => ({ run, score: run.record.summary?.mean ?? NaN }));
    const keep = selectTop(scored, rungs[rung + 1].configs / scored.length, higherIsBetter(context.metric));
    survivors = keep.map((entry) => trials.find((trial) => trial.name === entry.run.candidate.name)!);
  }
  return { all, finalists };
}

/** Writes the Improve panel's file (ImproveResults) beside the best trial and links it from every trial. */
export function recordTuning(
  store: RunStore,
  projectDir: string,
  outcome: TuningOutcome,
  untuned: RunRecord,
  searchSpace: SearchSpace,
): string | undefined {
  if (!outcome.best) return undefined;
  const space = Object.keys(searchSpace);
  const trial = (run: CandidateRun | { record: RunRecord }, index: number, isUntuned: boolean): Trial => ({
    index,
    name: isUntuned ? undefined : run.record.candidate,
    params: isUntuned
      ? Object.fromEntries(
          space
            .map((name) => [name, untuned.config[name] as Trial['params'][string]])
            .filter(([, v]) => v !== undefined),
        )
      : ((run.record.params ?? {}) as Trial['params']),
    mean: run.record.summary?.mean ?? NaN,
    std: run.record.summary?.std ?? NaN,
    scores: run.record.folds.map((fold) => fold.score),
    untuned: isUntuned || undefined,
    status:
      run.record.status === 'completed'
        ? 'completed'
        : run.record.status === 'running'
          ? 'running'
          : 'failed',
  });
  const finalists = outcome.finalists;
  // A trial's index is its number in the search (`mlp-small#3` is 3, the untuned one 0), so the panel, the
  // Runs view, the CLI and REPORT.md number it alike even when halving kept only some trials.
  const numberOf = (run: CandidateRun, position: number) => trialNumber(run.record.candidate) ?? position + 1;
  const trials = [
    trial({ record: untuned }, 0, true),
    ...finalists.map((run, position) => trial(run, numberOf(run, position), false)),
  ];
  const bestIndex = numberOf(outcome.best, finalists.indexOf(outcome.best));
  const results: ImproveResults = {
    runId: outcome.best.record.id,
    candidate: outcome.candidate,
    metric: untuned.metric,
    higherIsBetter: higherIsBetter(untuned.metric as MetricName),
    tuned: space,
    trials,
    bestIndex,
  };
  const logScale = space.filter((name) => 'logUniform' in searchSpace[name]);
  if (logScale.length > 0) results.logScale = logScale;
  if (outcome.decision) {
    const { keep, message, pValue } = outcome.decision;
    results.decision = { keep, chosenIndex: keep === 'tuned' ? bestIndex : 0, message, pValue };
  }
  const file = join(store.runDir(outcome.best.record.id), 'improve.json');
  writeFileAtomic(file, `${JSON.stringify(results, null, 2)}\n`);
  const relativePath = relative(projectDir, file);
  for (const run of outcome.trials) {
    run.record.outputs = { ...run.record.outputs, improve: relativePath };
    if (run === outcome.best && outcome.decision) run.record.tuning = outcome.decision;
    store.save(run.record);
  }
  return file;
}

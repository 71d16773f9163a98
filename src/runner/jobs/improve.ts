/**
 * Step 4, Improve Results: tune the promising candidates, try ensembles, and say whether each difference is
 * real (corrected resampled t-test over the shared folds) — against the best and against the baseline.
 */
import { isDeepStrictEqual } from 'node:util';
import { resolveMetric, type CandidateConfig, type Task } from '../../core/config';
import { TopdownError } from '../../core/errors';
import {
  compareCandidates,
  resolveImproveConfig,
  summarizeRepeats,
  type CandidateVerdict,
} from '../../core/improve';
import { higherIsBetter, summarize } from '../../core/metrics';
import { resolveCandidate } from '../../core/models/zoo';
import { loadProject, locateInProject } from '../../core/project';
import { RunStore } from '../../core/runs/store';
import { projectSeed } from '../../core/steps/data';
import type { RunRecord } from '../../protocol/records';
import { baselineFolds } from './baseline';
import { runCandidates, type CandidateRun } from './candidates';
import { loadDataAndFolds, newSessionId, publish, round, type JobOptions } from './common';
import { evaluateEnsemble } from './ensembles';
import { foldScores, recordTuning, tuneCandidate, type TuningOutcome } from './tuning';
import { candidateSummary, type CandidateSummary } from './evaluate';

/** One candidate of `topdown improve --json`: the evaluate shape plus its verdict. */
export interface ImprovedCandidate extends CandidateSummary {
  /** `untuned` (the configuration in topdown.json), `trial`, `ensemble`, or `evaluated` (from step 3). */
  role: 'untuned' | 'trial' | 'ensemble' | 'evaluated';
  params?: Record<string, unknown>;
  verdict?: string;
  baselineVerdict?: string;
  pBest?: number | null;
  pBaseline?: number | null;
  explanation?: string;
}

/** What `topdown improve --json` prints. */
export interface ImproveResult {
  step: 'improve';
  metric: string;
  higherIsBetter: boolean;
  baseline: { mean: number; std: number };
  candidates: ImprovedCandidate[];
  tuning: Array<{
    candidate: string;
    method: string;
    trials: number;
    keep: 'tuned' | 'untuned' | null;
    chosen: string;
    best: {
      name: string;
      runId: string;
      mean: number | null;
      std: number | null;
      params?: Record<string, unknown>;
    } | null;
    untuned: { runId: string; mean: number | null; std: number | null };
    pValue: number | null;
    message: string;
  }>;
  ensembles: Array<{
    name: string;
    runId: string;
    members: string[];
    method: string;
    mean: number | null;
    std: number | null;
    status: string;
  }>;
  repeats: Array<{ candidate: string; seeds: number; mean: number; std: number; message: string }>;
  best: string | null;
  session: string;
  foldHash: string;
  folds: number;
  quick: boolean;
}

/** Runs step 4 for the project in `projectDir`. */
export async function improveJob(projectDir: string, options: JobOptions): Promise<ImproveResult> {
  const project = await loadProject(projectDir);
  const problem = project.config.problem;
  const metric = resolveMetric(problem);
  const candidates = project.config.evaluate.candidates;
  let improve;
  try {
    improve = resolveImproveConfig(project.config.improve, {
      candidates,
      task: problem.task,
      seed: projectSeed(project),
    });
  } catch (error) {
    throw locateInProject(project, error);
  }
  if (improve.candidates.length === 0 && improve.ensembles.length === 0) {
    throw new TopdownError(
      'USAGE',
      `Nothing to improve: ${project.file} has no search space and no ensemble.`,
      {
        file: project.file,
        field: '/improve',
        hint: 'Add an "improve" section, e.g. { "space": { "mlp-small": { "learningRate": { "logUniform": [0.0001, 0.01] } } } }.',
      },
    );
  }
  const store = new RunStore(project.dir);
  const session = newSessionId();
  const { data, folds, hash } = await loadDataAndFolds(project, store, 'improve', session, options);
  const sizes = {
    trainSize: folds.reduce((sum, fold) => sum + fold.train.length, 0) / folds.length,
    testSize: folds.reduce((sum, fold) => sum + fold.validation.length, 0) / folds.length,
  };
  const batch = { project, data, folds, foldHash: hash, session, store, step: 'improve' as const };
  const byName = new Map(candidates.map((candidate) => [candidate.name, candidate]));

  // The untuned configurations: reuse step 3's run when it used these folds, this data and this config.
  const untuned = new Map<string, RunRecord>();
  const rerun: CandidateConfig[] = [];
  for (const name of improve.candidates) {
    const previous = reusableRun(
      store,
      byName.get(name)!,
      project.config.problem.task,
      data.dataHash,
      hash,
      folds.length,
    );
    if (previous) untuned.set(name, previous);
    else rerun.push(byName.get(name)!);
  }
  const rerunRuns = rerun.length > 0 ? await runCandidates({ ...batch, candidates: rerun }, options) : [];
  for (const run of rerunRuns) untuned.set(run.candidate.name, run.record);

  const outcomes: TuningOutcome[] = [];
  for (const name of improve.candidates) {
    if (options.signal?.aborted) break;
    const reference = untuned.get(name)!;
    if (!foldScores(reference, folds.length)) {
      options.reporter.emit({
        type: 'log',
        level: 'warn',
        message: `${name}: the untuned run did not complete, so tuning is skipped.`,
      });
      continue;
    }
    const outcome = await tuneCandidate(byName.get(name)!, reference, improve, batch, sizes, options);
    recordTuning(store, project.dir, outcome, reference, Object.keys(improve.space[name]));
    outcomes.push(outcome);
  }

  // Ensembles: members retrained with their validation predictions kept (tuned configuration where tuning won).
  const chosen = new Map<string, CandidateConfig>(
    outcomes.map((outcome) => [outcome.candidate, outcome.chosen]),
  );
  const ensembleRecords: Array<{ config: (typeof improve.ensembles)[number]; record: RunRecord }> = [];
  if (improve.ensembles.length > 0 && !options.signal?.aborted) {
    const memberNames = [...new Set(improve.ensembles.flatMap((ensemble) => ensemble.members))];
    const memberConfigs = memberNames.map((name) => chosen.get(name) ?? byName.get(name)!);
    const memberRuns = await runCandidates(
      { ...batch, candidates: memberConfigs, keepPredictions: true },
      options,
    );
    const memberByName = new Map(memberRuns.map((run) => [run.candidate.name, run]));
    for (const ensemble of improve.ensembles) {
      const members = ensemble.members.map((name) => memberByName.get(name)!);
      const record = evaluateEnsemble(
        ensemble,
        members,
        { project, data, store, session, foldHash: hash },
        options,
      );
      ensembleRecords.push({ config: ensemble, record });
    }
    rerunRuns.push(...memberRuns.filter((run) => !untuned.has(run.candidate.name)));
  }

  // Repeats across seeds: run-to-run noise of the kept configurations.
  const repeats: ImproveResult['repeats'] = [];
  if (improve.repeats > 0 && !options.signal?.aborted) {
    for (const outcome of outcomes) {
      const reference =
        outcome.decision?.keep === 'tuned' ? outcome.best!.record : untuned.get(outcome.candidate)!;
      const scores = [foldScores(reference, folds.length)!];
      for (let repeat = 1; repeat <= improve.repeats; repeat++) {
        const [run] = await runCandidates(
          {
            ...batch,
            candidates: [{ ...outcome.chosen, name: `${outcome.candidate}~seed${repeat}` }],
            seedSalt: repeat,
          },
          options,
        );
        const repeated = foldScores(run.record, folds.length);
        if (repeated) scores.push(repeated);
      }
      const summary = summarizeRepeats(scores);
      reference.repeats = {
        seeds: scores.length,
        means: summary.means,
        mean: summary.mean,
        std: summary.std,
        message: summary.message,
      };
      publish(store, reference, options.reporter);
      repeats.push({
        candidate: outcome.candidate,
        seeds: scores.length,
        mean: summary.mean,
        std: summary.std,
        message: summary.message,
      });
    }
  }

  // Is the difference real? Every candidate of this session and step 3's on the same folds, against the best and the baseline.
  const baselineScores = await baselineScoresFor(store, project, data, folds, hash);
  const compared = comparable(
    store,
    hash,
    data.dataHash,
    folds.length,
    session,
    outcomes,
    ensembleRecords.map((e) => e.record),
    rerunRuns,
    untuned,
  );
  const verdicts =
    compared.length > 0
      ? compareCandidates({
          metric,
          candidates: compared.map(({ name, record }) => ({
            name,
            folds: foldScores(record, folds.length)!,
          })),
          baseline: baselineScores,
          ...sizes,
          alpha: improve.alpha,
        })
      : [];
  const verdictByName = new Map(verdicts.map((verdict) => [verdict.name, verdict]));
  const baselineSummary = summarize(baselineScores);
  for (const { name, record } of compared) {
    const verdict = verdictByName.get(name);
    if (verdict && record.session === session) {
      record.verdict = toRunVerdict(verdict);
      record.baseline = { mean: baselineSummary.mean, std: baselineSummary.std };
      publish(store, record, options.reporter);
    }
  }

  const summarizeRun = (
    record: RunRecord,
    role: ImprovedCandidate['role'],
    name = record.candidate ?? record.id,
  ): ImprovedCandidate => {
    const verdict = verdictByName.get(name);
    const entry: ImprovedCandidate = { ...candidateSummary(record, name, record.model ?? ''), role };
    if (record.params) entry.params = record.params;
    if (verdict) {
      entry.verdict = verdict.verdict;
      entry.baselineVerdict = verdict.baselineVerdict;
      entry.pBest = finiteOrNull(verdict.versusBest?.pValue);
      entry.pBaseline = finiteOrNull(verdict.versusBaseline.pValue);
      entry.explanation = verdict.explanation;
    }
    return entry;
  };
  const seen = new Set<string>();
  const listed: ImprovedCandidate[] = [];
  const add = (entry: ImprovedCandidate): void => {
    if (!seen.has(entry.runId)) listed.push(entry);
    seen.add(entry.runId);
  };
  for (const [name, record] of untuned) add(summarizeRun(record, 'untuned', name));
  for (const outcome of outcomes) for (const run of outcome.trials) add(summarizeRun(run.record, 'trial'));
  for (const { record } of ensembleRecords) add(summarizeRun(record, 'ensemble'));
  for (const { name, record } of compared)
    add(summarizeRun(record, record.session === session ? 'untuned' : 'evaluated', name));

  const best = verdicts.find((verdict) => verdict.verdict === 'best')?.name ?? null;
  return {
    step: 'improve',
    metric,
    higherIsBetter: higherIsBetter(metric),
    baseline: { mean: round(baselineSummary.mean), std: round(baselineSummary.std) },
    candidates: listed,
    tuning: outcomes.map((outcome) => {
      const reference = untuned.get(outcome.candidate)!;
      return {
        candidate: outcome.candidate,
        method: outcome.method,
        trials: new Set(outcome.trials.map((trial) => trial.candidate.name)).size,
        keep: outcome.decision?.keep ?? null,
        chosen: outcome.decision?.chosen ?? outcome.candidate,
        best: outcome.best
          ? {
              name: outcome.best.candidate.name,
              runId: outcome.best.record.id,
              mean: outcome.best.record.summary ? round(outcome.best.record.summary.mean) : null,
              std: outcome.best.record.summary ? round(outcome.best.record.summary.std) : null,
              params: outcome.best.record.params,
            }
          : null,
        untuned: {
          runId: reference.id,
          mean: reference.summary ? round(reference.summary.mean) : null,
          std: reference.summary ? round(reference.summary.std) : null,
        },
        pValue: outcome.decision?.pValue ?? null,
        message:
          outcome.decision?.message ??
          `No trial of ${outcome.candidate} completed, so the untuned configuration stays.`,
      };
    }),
    ensembles: ensembleRecords.map(({ config, record }) => ({
      name: config.name,
      runId: record.id,
      members: config.members,
      method: config.method ?? 'average',
      mean: record.summary ? round(record.summary.mean) : null,
      std: record.summary ? round(record.summary.std) : null,
      status: record.status,
    })),
    repeats,
    best,
    session,
    foldHash: hash,
    folds: folds.length,
    quick: options.quick ?? false,
  };
}

/** The latest completed step-3 run of `candidate` on these folds, this data and this exact configuration. */
function reusableRun(
  store: RunStore,
  candidate: CandidateConfig,
  task: Task,
  dataHash: string,
  hash: string,
  foldCount: number,
): RunRecord | undefined {
  const resolved = resolveCandidate(candidate, task);
  for (const entry of store.list({ step: 'evaluate', candidate: candidate.name, status: 'completed' })) {
    const record = store.get(entry.id);
    if (
      record.foldHash === hash &&
      record.dataHash === dataHash &&
      record.folds.length === foldCount &&
      isDeepStrictEqual(record.config, resolved)
    ) {
      return record;
    }
  }
  return undefined;
}

/** The baseline's fold scores on these folds: from a recorded run when there is one, else computed now. */
async function baselineScoresFor(
  store: RunStore,
  project: Parameters<typeof baselineFolds>[0],
  data: Parameters<typeof baselineFolds>[1],
  folds: Parameters<typeof baselineFolds>[2],
  hash: string,
): Promise<number[]> {
  for (const entry of store.list({ status: 'completed' })) {
    if (entry.step !== 'define' && !(entry.step === 'evaluate' && entry.model === 'baseline')) continue;
    const record = store.get(entry.id);
    if (
      record.foldHash === hash &&
      record.dataHash === data.dataHash &&
      record.folds.length === folds.length
    ) {
      return record.folds.map((fold) => fold.score);
    }
  }
  return (await baselineFolds(project, data, folds)).map((fold) => fold.score);
}

/** Runs to compare: this session's finalists, ensembles and untuned runs, and step 3's latest run per candidate on these folds. */
function comparable(
  store: RunStore,
  hash: string,
  dataHash: string,
  foldCount: number,
  session: string,
  outcomes: TuningOutcome[],
  ensembles: RunRecord[],
  rerunRuns: CandidateRun[],
  untuned: Map<string, RunRecord>,
): Array<{ name: string; record: RunRecord }> {
  const byName = new Map<string, RunRecord>();
  for (const entry of store.list({ step: 'evaluate', status: 'completed' })) {
    if (!entry.candidate || entry.model === 'baseline' || byName.has(entry.candidate)) continue;
    const record = store.get(entry.id);
    if (record.foldHash === hash && record.dataHash === dataHash) byName.set(entry.candidate, record);
  }
  for (const [name, record] of untuned) byName.set(name, record);
  for (const run of rerunRuns)
    if (run.record.session === session && run.candidate.model !== 'baseline')
      byName.set(run.candidate.name, run.record);
  for (const outcome of outcomes)
    for (const run of outcome.finalists) byName.set(run.candidate.name, run.record);
  for (const record of ensembles) byName.set(record.candidate!, record);
  return [...byName.entries()]
    .filter(([, record]) => foldScores(record, foldCount) !== undefined)
    .map(([name, record]) => ({ name, record }));
}

function toRunVerdict(verdict: CandidateVerdict): NonNullable<RunRecord['verdict']> {
  return {
    rank: verdict.verdict,
    baseline: verdict.baselineVerdict,
    pBest: finiteOrNull(verdict.versusBest?.pValue),
    pBaseline: finiteOrNull(verdict.versusBaseline.pValue),
    explanation: verdict.explanation,
  };
}

function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

/**
 * Step 4, Improve Results: tune the promising candidates, try ensembles, and say whether each difference is
 * real (corrected resampled t-test over the shared folds) — against the best and against the baseline.
 */
import { isDeepStrictEqual } from 'node:util';
import { resolveMetric, type CandidateConfig, type MetricName, type Task } from '../../core/config';
import { TopdownError } from '../../core/errors';
import {
  compareCandidates,
  compareWithBestSingle,
  resolveImproveConfig,
  type EnsembleComparison,
  summarizeRepeats,
  type CandidateVerdict,
  type RankVerdict,
  type ResolvedImproveConfig,
} from '../../core/improve';
import { higherIsBetter, summarize } from '../../core/metrics';
import { resolveCandidate } from '../../core/models/zoo';
import { ENSEMBLE_MODEL } from '../../core/present/choose';
import type { Fold } from '../../core/folds';
import { loadProject, locateInProject, type Project } from '../../core/project';
import { RunStore } from '../../core/runs/store';
import { projectSeed, type ProjectData } from '../../core/steps/data';
import type { RunRecord } from '../../protocol/records';
import { baselineFolds } from './baseline';
import { runCandidates, type CandidateBatch, type CandidateRun } from './candidates';
import { loadDataAndFolds, newSessionId, publish, round, type JobOptions } from './common';
import { evaluateEnsemble } from './ensembles';
import { foldScores, recordTuning, tuneCandidate, type TuningOutcome } from './tuning';
import { candidateSummary, type CandidateSummary } from './evaluate';

/** One candidate of `topdown improve --json`: the evaluate shape plus its verdict. */
export interface ImprovedCandidate extends CandidateSummary {
  /** `untuned` (the configuration in topdown.json), `trial`, `ensemble`, or `evaluated` (from step 3). */
  role: 'untuned' | 'trial' | 'ensemble' | 'evaluated';
  params?: Record<string, unknown>;
  verdict?: RankVerdict;
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
    /** The ensemble against the best single model of the comparison (absent when it could not be compared). */
    versusBestSingle?: EnsembleComparison;
  }>;
  repeats: Array<{ candidate: string; seeds: number; mean: number; std: number; message: string }>;
  best: string | null;
  session: string;
  foldHash: string;
  folds: number;
  quick: boolean;
}

/** What every phase of step 4 reads and adds to. */
interface ImproveContext {
  project: Project;
  store: RunStore;
  session: string;
  options: JobOptions;
  metric: MetricName;
  improve: ResolvedImproveConfig;
  /** The candidates of topdown.json by name. */
  byName: Map<string, CandidateConfig>;
  data: ProjectData;
  folds: Fold[];
  /** The folds' hash. */
  hash: string;
  /** Mean training and validation sizes per fold, for the corrected t-test. */
  sizes: { trainSize: number; testSize: number };
  /** What every batch of candidates shares. */
  batch: Omit<CandidateBatch, 'candidates'>;
  /** The untuned configuration's run per tuned candidate (step 3's, or rerun now). */
  untuned: Map<string, RunRecord>;
  /** The runs this session trained outside tuning (untuned reruns, ensemble members). */
  rerunRuns: CandidateRun[];
  outcomes: TuningOutcome[];
  ensembles: Array<{ config: ResolvedImproveConfig['ensembles'][number]; record: RunRecord }>;
}

/** The verdicts of step 4 over the runs compared. */
interface Judgement {
  compared: Array<{ name: string; record: RunRecord }>;
  verdicts: CandidateVerdict[];
  verdictByName: Map<string, CandidateVerdict>;
  baseline: { mean: number; std: number };
}

/** Runs step 4 for the project in `projectDir`. */
export async function improveJob(projectDir: string, options: JobOptions): Promise<ImproveResult> {
  const context = await openImprove(projectDir, options);
  await prepareUntuned(context);
  await tuneCandidates(context);
  await runEnsembles(context);
  const repeats = await runRepeats(context);
  const judgement = await judge(context);
  return improveResult(context, judgement, repeats);
}

/** The project's improve section, resolved against its candidates; a usage error when there is nothing to do. */
function improveConfig(project: Project): ResolvedImproveConfig {
  const problem = project.config.problem;
  let improve: ResolvedImproveConfig;
  try {
    improve = resolveImproveConfig(project.config.improve, {
      candidates: project.config.evaluate.candidates,
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
  return improve;
}

/** Loads the project, its improve section, data and folds, and opens the session. */
async function openImprove(projectDir: string, options: JobOptions): Promise<ImproveContext> {
  const project = await loadProject(projectDir);
  const improve = improveConfig(project);
  const store = new RunStore(project.dir);
  const session = newSessionId();
  const { data, folds, hash } = await loadDataAndFolds(project, store, 'improve', session, options);
  const sizes = {
    trainSize: folds.reduce((sum, fold) => sum + fold.train.length, 0) / folds.length,
    testSize: folds.reduce((sum, fold) => sum + fold.validation.length, 0) / folds.length,
  };
  return {
    project,
    store,
    session,
    options,
    metric: resolveMetric(project.config.problem),
    improve,
    byName: new Map(project.config.evaluate.candidates.map((candidate) => [candidate.name, candidate])),
    data,
    folds,
    hash,
    sizes,
    batch: { project, data, folds, foldHash: hash, session, store, step: 'improve' },
    untuned: new Map(),
    rerunRuns: [],
    outcomes: [],
    ensembles: [],
  };
}

/** The untuned configurations: reuse step 3's run when it used these folds, this data and this config. */
async function prepareUntuned(context: ImproveContext): Promise<void> {
  const { store, project, data, hash, folds, byName, untuned } = context;
  const rerun: CandidateConfig[] = [];
  for (const name of context.improve.candidates) {
    const candidate = byName.get(name)!;
    const previous = reusableRun(
      store,
      candidate,
      project.config.problem.task,
      data.dataHash,
      hash,
      folds.length,
    );
    if (previous) untuned.set(name, previous);
    else rerun.push(candidate);
  }
  if (rerun.length > 0)
    context.rerunRuns.push(
      ...(await runCandidates({ ...context.batch, candidates: rerun }, context.options)),
    );
  for (const run of context.rerunRuns) untuned.set(run.candidate.name, run.record);
}

/** Tunes every candidate with a search space whose untuned run completed. */
async function tuneCandidates(context: ImproveContext): Promise<void> {
  const { improve, options } = context;
  for (const name of improve.candidates) {
    if (options.signal?.aborted) break;
    const reference = context.untuned.get(name)!;
    if (!foldScores(reference, context.folds.length)) {
      options.reporter.emit({
        type: 'log',
        level: 'warn',
        message: `${name}: the untuned run did not complete, so tuning is skipped.`,
      });
      continue;
    }
    const candidate = context.byName.get(name)!;
    const outcome = await tuneCandidate(candidate, reference, improve, context.batch, context.sizes, options);
    recordTuning(context.store, context.project.dir, outcome, reference, improve.space[name]);
    context.outcomes.push(outcome);
  }
}

/** Ensembles: members retrained with their validation predictions kept (tuned configuration where tuning won). */
async function runEnsembles(context: ImproveContext): Promise<void> {
  const { improve, options, byName } = context;
  if (improve.ensembles.length === 0 || options.signal?.aborted) return;
  const chosen = new Map(context.outcomes.map((outcome) => [outcome.candidate, outcome.chosen]));
  const memberNames = [...new Set(improve.ensembles.flatMap((ensemble) => ensemble.members))];
  const memberConfigs = memberNames.map((name) => chosen.get(name) ?? byName.get(name)!);
  const memberRuns = await runCandidates(
    { ...context.batch, candidates: memberConfigs, keepPredictions: true },
    options,
  );
  const memberByName = new Map(memberRuns.map((run) => [run.candidate.name, run]));
  const { project, data, store, session, hash } = context;
  for (const ensemble of improve.ensembles) {
    const members = ensemble.members.map((name) => memberByName.get(name)!);
    const record = evaluateEnsemble(
      ensemble,
      members,
      { project, data, store, session, foldHash: hash },
      options,
    );
    context.ensembles.push({ config: ensemble, record });
  }
  context.rerunRuns.push(...memberRuns.filter((run) => !context.untuned.has(run.candidate.name)));
}

/** Repeats across seeds: run-to-run noise of the kept configurations. */
async function runRepeats(context: ImproveContext): Promise<ImproveResult['repeats']> {
  const { improve, options, folds } = context;
  const repeats: ImproveResult['repeats'] = [];
  if (improve.repeats <= 0 || options.signal?.aborted) return repeats;
  for (const outcome of context.outcomes) {
    const reference =
      outcome.decision?.keep === 'tuned' ? outcome.best!.record : context.untuned.get(outcome.candidate)!;
    const scores = [foldScores(reference, folds.length)!];
    for (let repeat = 1; repeat <= improve.repeats; repeat++) {
      const [run] = await runCandidates(
        {
          ...context.batch,
          candidates: [{ ...outcome.chosen, name: `${outcome.candidate}~seed${repeat}` }],
          seedSalt: repeat,
        },
        options,
      );
      const repeated = foldScores(run.record, folds.length);
      if (repeated) scores.push(repeated);
    }
    const summary = summarizeRepeats(scores);
    const { mean, std, message } = summary;
    reference.repeats = { seeds: scores.length, means: summary.means, mean, std, message };
    publish(context.store, reference, options.reporter);
    repeats.push({ candidate: outcome.candidate, seeds: scores.length, mean, std, message });
  }
  return repeats;
}

/**
 * Is the difference real? Every candidate of this session and step 3's on the same folds, against the best and
 * the baseline; this session's runs record their verdict.
 */
async function judge(context: ImproveContext): Promise<Judgement> {
  const { store, project, data, folds, hash, session } = context;
  const baselineScores = await baselineScoresFor(store, project, data, folds, hash);
  const compared = comparable(context);
  const verdicts =
    compared.length > 0
      ? compareCandidates({
          metric: context.metric,
          candidates: compared.map(({ name, record }) => ({
            name,
            folds: foldScores(record, folds.length)!,
          })),
          baseline: baselineScores,
          ...context.sizes,
          alpha: context.improve.alpha,
        })
      : [];
  const verdictByName = new Map(verdicts.map((verdict) => [verdict.name, verdict]));
  const { mean, std } = summarize(baselineScores);
  for (const { name, record } of compared) {
    const verdict = verdictByName.get(name);
    if (verdict && record.session === session) {
      record.verdict = toRunVerdict(verdict);
      const versusBestSingle =
        record.model === ENSEMBLE_MODEL ? ensembleVersusSingles(context, compared, record) : undefined;
      if (versusBestSingle) record.verdict.versusBestSingle = versusBestSingle;
      record.baseline = { mean, std };
      publish(store, record, context.options.reporter);
    }
  }
  return { compared, verdicts, verdictByName, baseline: { mean, std } };
}

/** An ensemble's run against the best single model among the runs compared (none: undefined). */
function ensembleVersusSingles(
  context: ImproveContext,
  compared: Judgement['compared'],
  ensemble: RunRecord,
): EnsembleComparison | undefined {
  const count = context.folds.length;
  return compareWithBestSingle({
    metric: context.metric,
    ensemble: { name: ensemble.candidate ?? ensemble.id, folds: foldScores(ensemble, count)! },
    singles: compared
      .filter(({ record }) => record.model !== ENSEMBLE_MODEL)
      .map(({ name, record }) => ({ name, folds: foldScores(record, count)! })),
    ...context.sizes,
    alpha: context.improve.alpha,
  });
}

/** One run as `topdown improve --json` lists it, with its verdict when it has one. */
function summarizeRun(
  judgement: Judgement,
  record: RunRecord,
  role: ImprovedCandidate['role'],
  name = record.candidate ?? record.id,
): ImprovedCandidate {
  const verdict = judgement.verdictByName.get(name);
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
}

/** Every run of the session once (untuned, trials, ensembles) and step 3's compared runs. */
function listCandidates(context: ImproveContext, judgement: Judgement): ImprovedCandidate[] {
  const seen = new Set<string>();
  const listed: ImprovedCandidate[] = [];
  const add = (entry: ImprovedCandidate): void => {
    if (!seen.has(entry.runId)) listed.push(entry);
    seen.add(entry.runId);
  };
  for (const [name, record] of context.untuned) add(summarizeRun(judgement, record, 'untuned', name));
  for (const outcome of context.outcomes)
    for (const run of outcome.trials) add(summarizeRun(judgement, run.record, 'trial'));
  for (const { record } of context.ensembles) add(summarizeRun(judgement, record, 'ensemble'));
  for (const { name, record } of judgement.compared)
    add(summarizeRun(judgement, record, record.session === context.session ? 'untuned' : 'evaluated', name));
  return listed;
}

/** A run's mean and standard deviation, rounded, or nulls when it has no summary. */
function roundedSummary(record: RunRecord): { mean: number | null; std: number | null } {
  return {
    mean: record.summary ? round(record.summary.mean) : null,
    std: record.summary ? round(record.summary.std) : null,
  };
}

/** One tuned candidate in `topdown improve --json`. */
function tuningSummary(context: ImproveContext, outcome: TuningOutcome): ImproveResult['tuning'][number] {
  const reference = context.untuned.get(outcome.candidate)!;
  const best = outcome.best;
  return {
    candidate: outcome.candidate,
    method: outcome.method,
    trials: new Set(outcome.trials.map((trial) => trial.candidate.name)).size,
    keep: outcome.decision?.keep ?? null,
    chosen: outcome.decision?.chosen ?? outcome.candidate,
    best: best
      ? {
          name: best.candidate.name,
          runId: best.record.id,
          ...roundedSummary(best.record),
          params: best.record.params,
        }
      : null,
    untuned: { runId: reference.id, ...roundedSummary(reference) },
    pValue: outcome.decision?.pValue ?? null,
    message:
      outcome.decision?.message ??
      `No trial of ${outcome.candidate} completed, so the untuned configuration stays.`,
  };
}

/** What `topdown improve --json` prints. */
function improveResult(
  context: ImproveContext,
  judgement: Judgement,
  repeats: ImproveResult['repeats'],
): ImproveResult {
  return {
    step: 'improve',
    metric: context.metric,
    higherIsBetter: higherIsBetter(context.metric),
    baseline: { mean: round(judgement.baseline.mean), std: round(judgement.baseline.std) },
    candidates: listCandidates(context, judgement),
    tuning: context.outcomes.map((outcome) => tuningSummary(context, outcome)),
    ensembles: context.ensembles.map(({ config, record }) => ({
      name: config.name,
      runId: record.id,
      members: config.members,
      method: config.method ?? 'average',
      ...roundedSummary(record),
      status: record.status,
      ...(record.verdict?.versusBestSingle ? { versusBestSingle: record.verdict.versusBestSingle } : {}),
    })),
    repeats,
    best: judgement.verdicts.find((verdict) => verdict.verdict === 'best')?.name ?? null,
    session: context.session,
    foldHash: context.hash,
    folds: context.folds.length,
    quick: context.options.quick ?? false,
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
function comparable(context: ImproveContext): Array<{ name: string; record: RunRecord }> {
  const { store, hash, data, session } = context;
  const byName = new Map<string, RunRecord>();
  for (const entry of store.list({ step: 'evaluate', status: 'completed' })) {
    if (!entry.candidate || entry.model === 'baseline' || byName.has(entry.candidate)) continue;
    const record = store.get(entry.id);
    if (record.foldHash === hash && record.dataHash === data.dataHash) byName.set(entry.candidate, record);
  }
  for (const [name, record] of context.untuned) byName.set(name, record);
  for (const run of context.rerunRuns)
    if (run.record.session === session && run.candidate.model !== 'baseline')
      byName.set(run.candidate.name, run.record);
  for (const outcome of context.outcomes)
    for (const run of outcome.finalists) byName.set(run.candidate.name, run.record);
  for (const { record } of context.ensembles) byName.set(record.candidate!, record);
  return [...byName.entries()]
    .filter(([, record]) => foldScores(record, context.folds.length) !== undefined)
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

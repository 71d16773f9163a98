/**
 * Gathers ReportData from a project's run store and files: topdown.json, the define run's profile, the
 * newest evaluate and improve sessions, the newest present run (or model bundle), and the README's credit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { resolveMetric, type MetricName, type ProjectConfig, type ValidationConfig } from '../../core/config';
import { higherIsBetter, summarize } from '../../core/metrics';
import type { Project } from '../../core/project';
import { extractCredit } from '../../core/report/credit';
import type {
  ReportBaseline,
  ReportData,
  ReportLearningCurves,
  ReportProfile,
  ReportReproduce,
  ReportSpotCheck,
} from '../../core/report/types';
import type { RunStore } from '../../core/runs/store';
import type { DataProfile } from '../../protocol/profile';
import { addVerdicts, bestCandidate, candidateOf } from './candidates';
import { finalResult, tuningResults } from './gather-steps';
import {
  foldsWithEpochs,
  latestCompleted,
  latestSession,
  meanCurve,
  scoresOf,
  type ReportRunRecord,
} from './records';

/** Options of buildReportData. */
export interface BuildReportOptions {
  /** Topdown version writing the report. */
  topdownVersion: string;
  /** The report's time. Default: now. */
  now?: Date;
}

/** Runs of a step 3 session, as gathered. */
interface SpotCheckRuns {
  spotCheck: ReportSpotCheck;
  records: ReportRunRecord[];
}

/** Everything the report shows, from the project and its run store. Never throws for a missing step. */
export function buildReportData(store: RunStore, project: Project, options: BuildReportOptions): ReportData {
  const config = project.config;
  const metric = resolveMetric(config.problem);
  const define = latestCompleted(store, 'define');
  const profile = define ? readProfile(store, define) : undefined;
  const evaluate = spotCheckRuns(store, project, define);
  const baseline = evaluate?.baseline ?? defineBaseline(define);
  const data: ReportData = {
    title: config.name ?? basename(project.dir),
    description: config.description,
    generatedAt: (options.now ?? new Date()).toISOString(),
    topdownVersion: options.topdownVersion,
    problem: {
      data: config.problem.data,
      target: config.problem.target,
      task: config.problem.task,
      metric,
      higherIsBetter: higherIsBetter(metric),
      positiveClass: config.problem.positiveClass,
      rows: profile?.rows,
      columns: profile?.columns,
      holdoutFraction: config.problem.holdout,
      validation: describeValidation(config.evaluate.validation, foldsOf(evaluate?.runs.records ?? [])),
    },
    profile,
    baseline,
    spotCheck: evaluate?.runs.spotCheck,
    learningCurves: evaluate ? learningCurves(store, evaluate.runs) : undefined,
    tuning: tuningResults(store, project, baseline),
    final: finalResult(store, project),
    reproduce: reproduce(config, define, evaluate?.runs.records ?? []),
  };
  const credit = readCredit(project.dir);
  if (credit) data.credit = credit;
  return data;
}

/**
 * "stratified 10-fold", "3 × 10-fold", "80/20 split", "walk-forward, 5 steps". `foldsRun`: the folds the
 * step's runs have; fewer than the scheme makes means `--quick`, and the text says so ("stratified 3-fold
 * cross-validation (quick mode; the project asks for 10 folds)").
 */
export function describeValidation(validation: ValidationConfig, foldsRun?: number): string {
  const configured = configuredFolds(validation);
  if (foldsRun !== undefined && foldsRun > 0 && foldsRun < configured) {
    const quick = describeScheme({ ...validation, folds: foldsRun, repeats: 1 }).replace(/^1 × /, '');
    return `${quick} (quick mode; the project asks for ${configured} folds)`;
  }
  return describeScheme(validation);
}

function describeScheme(validation: ValidationConfig): string {
  switch (validation.scheme) {
    case 'kfold':
      return `${validation.folds ?? 10}-fold cross-validation`;
    case 'stratified-kfold':
      return `stratified ${validation.folds ?? 10}-fold cross-validation`;
    case 'repeated-kfold':
      return `${validation.repeats ?? 3} × ${validation.folds ?? 10}-fold cross-validation`;
    case 'split': {
      const test = Math.round((validation.testFraction ?? 0.2) * 100);
      return `one ${100 - test}/${test} train/validation split`;
    }
    case 'walk-forward':
      return `walk-forward validation, ${validation.folds ?? 5} steps`;
  }
}

function readProfile(store: RunStore, define: ReportRunRecord): ReportProfile | undefined {
  const candidates = [define.outputs?.profile, join(store.runDir(define.id), 'profile.json')];
  const file = candidates.find((path): path is string => path !== undefined && existsSync(path));
  if (!file) return undefined;
  let profile: DataProfile;
  try {
    profile = JSON.parse(readFileSync(file, 'utf8')) as DataProfile;
  } catch {
    return undefined;
  }
  const columnTypes: Record<string, number> = {};
  for (const column of profile.columns) columnTypes[column.type] = (columnTypes[column.type] ?? 0) + 1;
  const topCorrelations = profile.columns
    .filter((column) => column.role === 'feature' && Number.isFinite(column.targetCorrelation))
    .map((column) => ({ column: column.name, correlation: column.targetCorrelation as number }))
    .sort((a, b) => Math.abs(b.correlation) - Math.abs(a.correlation))
    .slice(0, 5);
  const result: ReportProfile = {
    runId: define.id,
    rows: profile.rows,
    columns: profile.columns.length,
    features: profile.columns.filter((column) => column.role === 'feature').length,
    missingCells: profile.columns.reduce((sum, column) => sum + column.missing, 0),
    columnTypes,
    topCorrelations,
    warnings: profile.warnings.map((warning) => warning.message),
  };
  if (profile.target.classes) result.classes = profile.target.classes;
  if (profile.images) result.images = profile.images;
  const text = profile.columns.flatMap((column) =>
    column.role === 'feature' && column.text ? [{ column: column.name, profile: column.text }] : [],
  );
  if (text.length > 0) result.text = text;
  const spread = profile.target.distribution;
  if (spread)
    result.targetDistribution = { min: spread.min, max: spread.max, mean: spread.mean, std: spread.std };
  return result;
}

function defineBaseline(define: ReportRunRecord | undefined): ReportBaseline | undefined {
  if (!define) return undefined;
  const mean = define.baseline?.mean ?? define.summary?.mean;
  const std = define.baseline?.std ?? define.summary?.std;
  if (mean === undefined || std === undefined) return undefined;
  const scores = scoresOf(define);
  return { mean, std, scores: scores.length > 0 ? scores : undefined, runId: define.id };
}

/** The baseline of an evaluate session: its baseline run's folds, else step 1's on the same folds. */
function sessionBaseline(
  records: readonly ReportRunRecord[],
  define: ReportRunRecord | undefined,
): ReportBaseline | undefined {
  const run = records.find((record) => record.model === 'baseline' && record.status === 'completed');
  if (run) {
    const summary = summarize(scoresOf(run));
    return { mean: summary.mean, std: summary.std, scores: scoresOf(run), runId: run.id };
  }
  const foldHash = records.find((record) => record.foldHash)?.foldHash;
  if (define && define.foldHash === foldHash) return defineBaseline(define);
  const recorded = records.find((record) => record.baseline)?.baseline;
  return recorded ? { mean: recorded.mean, std: recorded.std } : defineBaseline(define);
}

function candidateOrder(config: ProjectConfig): (name: string) => number {
  const names = config.evaluate.candidates.map((candidate) => candidate.name);
  return (name) => {
    const index = names.indexOf(name);
    return index === -1 ? names.length : index;
  };
}

function spotCheckRuns(
  store: RunStore,
  project: Project,
  define: ReportRunRecord | undefined,
): { runs: SpotCheckRuns; baseline: ReportBaseline | undefined } | undefined {
  const session = latestSession(store, 'evaluate');
  if (!session || session.runs.length === 0) return undefined;
  const metric = resolveMetric(project.config.problem);
  const order = candidateOrder(project.config);
  const records = session.runs
    .filter((record) => record.model !== 'baseline')
    .sort((a, b) => order(a.candidate ?? '') - order(b.candidate ?? ''));
  const baseline = sessionBaseline(session.runs, define);
  const candidates = records.map((record) => candidateOf(record, baseline));
  addVerdicts(candidates, baseline, records, metric);
  const folds = Math.max(0, ...session.runs.map((record) => record.folds.length));
  const best = bestCandidate(candidates, higherIsBetter(metric));
  return {
    runs: { spotCheck: { session: session.session, folds, candidates, best: best?.name }, records },
    baseline,
  };
}

/** Mean train/validation loss per epoch of the best candidate that logged epochs. */
function learningCurves(store: RunStore, runs: SpotCheckRuns): ReportLearningCurves | undefined {
  const higher = higherIsBetter(runs.records[0]?.metric as MetricName);
  const ranked = runs.spotCheck.candidates
    .filter((candidate) => candidate.mean !== undefined && Number.isFinite(candidate.mean))
    .sort((a, b) => (higher ? b.mean! - a.mean! : a.mean! - b.mean!));
  for (const candidate of ranked) {
    const events = store.readEvents(candidate.runId);
    const train = meanCurve(events, 'loss');
    if (!train) continue;
    const curves: ReportLearningCurves = {
      candidate: candidate.name,
      model: candidate.model,
      runId: candidate.runId,
      key: 'loss',
      folds: foldsWithEpochs(events),
      train,
    };
    const validation = meanCurve(events, 'val_loss');
    if (validation) curves.validation = validation;
    return curves;
  }
  return undefined;
}

/** Folds the validation scheme makes when not in quick mode. */
function configuredFolds(validation: ValidationConfig): number {
  switch (validation.scheme) {
    case 'kfold':
    case 'stratified-kfold':
      return validation.folds ?? 10;
    case 'repeated-kfold':
      return (validation.folds ?? 10) * (validation.repeats ?? 3);
    case 'split':
      return 1;
    case 'walk-forward':
      return validation.folds ?? 5;
  }
}

/** The most folds any of the step's runs has (0 without runs). */
function foldsOf(records: readonly ReportRunRecord[]): number {
  return Math.max(0, ...records.map((record) => record.folds.length));
}

function reproduce(
  config: ProjectConfig,
  define: ReportRunRecord | undefined,
  records: readonly ReportRunRecord[],
): ReportReproduce {
  // Runs with fewer folds than configured came from `--quick`: the same flag gets the same numbers.
  const folds = foldsOf(records);
  const quick = folds > 0 && folds < configuredFolds(config.evaluate.validation) ? ' --quick' : '';
  const commands = [`topdown define${quick}`];
  if (config.prepare && config.prepare.length > 0) commands.push(`topdown prepare${quick}`);
  commands.push(`topdown evaluate${quick}`);
  if (config.improve) commands.push(`topdown improve${quick}`);
  commands.push('topdown present');
  const reference = records.find((record) => record.status === 'completed') ?? records[0] ?? define;
  const trained = records.find((record) => record.backend.name !== 'none');
  const result: ReportReproduce = { commands };
  if (reference) {
    result.topdownVersion = reference.topdownVersion;
    result.seed = reference.seed;
    if (reference.dataHash) result.dataHash = reference.dataHash;
    if (reference.foldHash) result.foldHash = reference.foldHash;
  } else if (config.evaluate.seed !== undefined) {
    result.seed = config.evaluate.seed;
  }
  if (trained) {
    const version = trained.backend.tfjsVersion;
    result.backend = version ? `${trained.backend.name} (tfjs ${version})` : trained.backend.name;
  }
  return result;
}

function readCredit(projectDir: string): string | undefined {
  const file = join(projectDir, 'README.md');
  if (!existsSync(file)) return undefined;
  try {
    return extractCredit(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Step 5, Present Results: refit the chosen candidate on every sample outside the holdout (in a worker, with
 * tfjs), score it once on the holdout, write the model bundle `models/<name>/` atomically, and record the run.
 * An ensemble of step 4 refits each of its members the same way (in parallel), scores their combined
 * predictions once on the holdout, and writes one member bundle per member inside its own bundle.
 */
import { writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { resolveMetric, type CandidateConfig, type MetricName } from '../../core/config';
import type { EnsembleMethod } from '../../core/improve/types';
import { higherIsBetter } from '../../core/metrics';
import {
  createStagingDir,
  discardStaging,
  installBundle,
  writeManifest,
  HOLDOUT_PREDICTIONS_FILE,
  METRICS_FILE,
  type BundleEnsembleMember,
  type BundleManifest,
  type CrossValidationSummary,
} from '../../core/present/bundle';
import {
  checkHoldoutClasses,
  chooseCandidateRun,
  chooseEnsembleMemberRuns,
  ENSEMBLE_MODEL,
} from '../../core/present/choose';
import { combineHoldouts } from '../../core/present/ensemble';
import { loadProject, type Project } from '../../core/project';
import { RunStore } from '../../core/runs/store';
import { tableTimeLabels } from '../../core/data/series';
import { loadProjectData, projectSeed, type ProjectData } from '../../core/steps/data';
import { TopdownError } from '../../core/errors';
import { metricLabel } from '../../shared/format';
import type { HoldoutResult, RunRecord } from '../../protocol/records';
import type { FinalTask, FinalTaskResult } from '../../protocol/runner';
import { defaultPoolSize } from '../pool';
import type { FinalOutcome } from '../task-pool';
import {
  begin,
  coreCount,
  failedStatus,
  finishRecord,
  newSessionId,
  publish,
  QUICK,
  round,
  startRecord,
  type JobOptions,
} from './common';
import {
  bundleName,
  createMemberDirs,
  crossValidationOf,
  ensembleManifest,
  holdoutCsv,
  holdoutSummary,
  manifestFor,
  readPipeline,
  writeMemberBundle,
  writeMetrics,
  type ManifestParts,
} from './present-bundle';
import { withTaskRunner } from './task-runner';
import { CONFUSED_PAIRS_OUTPUT, writeConfusedPairs } from './present-confused';
import { TEXT_RESULTS_OUTPUT, writeTextResults } from './present-text';

/** Renders the report after the present run is recorded (the integrator passes src/runner/report's renderReport). */
export type PresentReportRenderer = (projectDir: string) => Promise<{ markdown: string; html: string }>;

/** Options of presentJob. */
export interface PresentOptions extends JobOptions {
  /** The candidate to present; default `present.candidate`, else the best completed run by the metric. */
  candidate?: string;
  /** Writes REPORT.md/report.html; called when `present.report` is not false. */
  renderReport?: PresentReportRenderer;
}

/** What `topdown present --json` prints. */
export interface PresentResult {
  step: 'present';
  runId: string;
  candidate: string;
  model: string;
  /** The evaluate/improve run the candidate's config and CV estimate come from. */
  sourceRunId: string;
  /** Absolute folder of the bundle. */
  bundle: string;
  metric: string;
  higherIsBetter: boolean;
  cv: { mean: number; std: number };
  holdout: { score: number; metrics: Record<string, number>; size: number } | null;
  /** One sentence comparing the holdout score with the CV estimate (or saying there is no holdout). */
  message: string;
  /** Absolute path of holdout-predictions.csv, when written. */
  predictions: string | null;
  report: { markdown: string; html: string } | null;
  backend: string;
  quick: boolean;
  /** Ensembles: how the members' predictions are combined. */
  method?: EnsembleMethod;
  /** Ensembles: each member, refitted from its own run, with its own CV estimate and holdout score. */
  members?: PresentedMember[];
}

/** One member of a presented ensemble, in `topdown present --json`. */
export interface PresentedMember {
  name: string;
  model: string;
  /** The evaluate/improve run its config and CV estimate come from. */
  sourceRunId: string;
  /** Absolute folder of its own bundle, inside the ensemble's. */
  bundle: string;
  cv: { mean: number; std: number };
  /** The member alone on the holdout (the project metric); null without a holdout. */
  holdout: number | null;
}

/** Caps a trained candidate's epochs in quick mode. */
function quickConfig(config: Record<string, unknown>, quick: boolean | undefined): Record<string, unknown> {
  if (!quick || typeof config.epochs !== 'number') return config;
  return { ...config, epochs: Math.min(config.epochs, QUICK.epochs) };
}

/** One refit of step 5: the candidate itself, or one member of an ensemble, from the run its config comes from. */
interface Fit {
  name: string;
  source: RunRecord;
  config: CandidateConfig;
}

/** The bundle's own result, and the members it holds (an ensemble's; undefined for a single candidate). */
interface Assembled {
  result: FinalTaskResult;
  members?: BundleEnsembleMember[];
}

/** What every phase of step 5 reads. */
interface PresentContext {
  project: Project;
  store: RunStore;
  options: PresentOptions;
  /** The evaluate/improve run presented. */
  source: RunRecord;
  candidateName: string;
  shape: PresentShape;
  fits: Fit[];
  /** The run record's config. */
  recordConfig: Record<string, unknown>;
  data: ProjectData;
  metric: MetricName;
  cv: CrossValidationSummary;
  record: RunRecord;
  finalDir: string;
  staging: string;
  /** Where each fit writes its model files. */
  outputDirs: string[];
}

/** What writeBundle wrote. */
interface WrittenBundle {
  holdout: HoldoutResult | null;
  /** Absolute path of holdout-predictions.csv in the installed bundle, when written. */
  predictionsFile: string | null;
}

/**
 * What differs between presenting one candidate and an ensemble. Every phase else treats a candidate as an
 * ensemble of one member (`fits = [source]`).
 */
interface PresentShape {
  /** The fits: the candidate itself, or each member from the run its configuration comes from. */
  fits(context: { store: RunStore; project: Project; source: RunRecord }): RunRecord[];
  /** The run record's config. */
  recordConfig(source: RunRecord, fits: Fit[]): Record<string, unknown>;
  /** Where each fit writes its model: the bundle itself, or one member folder each. */
  outputDirs(staging: string, fits: Fit[]): string[];
  taskId(recordId: string, memberIndex: number): string;
  /** The message of a failed fit's error. */
  failure(context: PresentContext, memberIndex: number, message: string): string;
  /** The bundle's result from the fits' results (an ensemble also writes its member bundles). */
  assemble(context: PresentContext, results: FinalTaskResult[]): Assembled;
  /** The bundle's manifest. */
  manifest(
    context: PresentContext,
    assembled: Assembled,
    parts: Omit<ManifestParts, 'pipeline'>,
  ): BundleManifest;
}

/** Presenting one candidate: its one fit is the bundle. */
const SINGLE: PresentShape = {
  fits: ({ source }) => [source],
  recordConfig: (_source, fits) => fits[0].config,
  outputDirs: (staging) => [staging],
  taskId: (recordId) => `${recordId}/final`,
  failure: (_context, _memberIndex, message) => message,
  assemble: (_context, results) => ({ result: results[0] }),
  manifest: (context, _assembled, parts) =>
    manifestFor({ ...parts, pipeline: readPipeline(context.staging) }),
};

/** How an ensemble's members' predictions combine. */
function ensembleMethod(source: RunRecord): EnsembleMethod {
  return source.config.method === 'vote' ? 'vote' : 'average';
}

/** Presenting an ensemble: each member refitted into its own member bundle, their holdout predictions combined. */
const ENSEMBLE: PresentShape = {
  fits: ({ store, project, source }) => chooseEnsembleMemberRuns(store, project.config, project.file, source),
  recordConfig: (source, fits) => ({
    name: source.candidate!,
    model: ENSEMBLE_MODEL,
    method: ensembleMethod(source),
    members: fits.map((fit) => fit.name),
    memberConfigs: Object.fromEntries(fits.map((fit) => [fit.name, fit.config])),
  }),
  outputDirs: (staging, fits) =>
    createMemberDirs(
      staging,
      fits.map((fit) => fit.name),
    ),
  taskId: (recordId, memberIndex) => `${recordId}/final/${memberIndex}`,
  failure: (context, memberIndex, message) =>
    `The final fit of "${context.fits[memberIndex].name}", a member of the ensemble "${context.candidateName}", failed: ${message}`,
  assemble: assembleEnsemble,
  manifest: (context, assembled, parts) =>
    ensembleManifest({
      ...parts,
      method: ensembleMethod(context.source),
      members: assembled.members!,
      memberPipelines: context.outputDirs.map((dir) => readPipeline(dir)),
    }),
};

/** Runs step 5 for the project in `projectDir`. */
export async function presentJob(projectDir: string, options: PresentOptions): Promise<PresentResult> {
  const context = await openPresent(projectDir, options);
  const { store, record } = context;
  try {
    const results = await fitAll(context);
    const assembled = context.shape.assemble(context, results);
    const bundle = writeBundle(context, assembled);
    recordPresent(context, assembled.result, bundle);
    const message = compare(context.metric, context.cv, bundle.holdout, assembled.members);
    options.reporter.emit({ type: 'log', level: 'info', message });
    const report = await writeReport(context);
    return presentResult(context, assembled, bundle, message, report);
  } catch (error) {
    discardStaging(context.staging);
    if (record.status === 'running') {
      finishRecord(record, failedStatus(error), error);
      publish(store, record, options.reporter);
    }
    throw error;
  }
}

/** Chooses what to present, loads the data, starts the run record and the staging bundle. */
async function openPresent(projectDir: string, options: PresentOptions): Promise<PresentContext> {
  const project = await loadProject(projectDir);
  const config = project.config;
  const store = new RunStore(project.dir);
  const source = chooseCandidateRun(
    store,
    config,
    project.file,
    options.candidate ?? config.present?.candidate,
  );
  const candidateName = source.candidate!;
  const shape = source.model === ENSEMBLE_MODEL ? ENSEMBLE : SINGLE;
  const fits = shape.fits({ store, project, source }).map((run) => ({
    name: run.candidate!,
    source: run,
    config: quickConfig(run.config, options.quick) as CandidateConfig,
  }));
  const recordConfig = shape.recordConfig(source, fits);
  const data = await loadProjectData(project);
  checkHoldoutClasses(config, project.file, data.holdout, data.labels, data.classes);
  const cv = crossValidationOf(source);
  const record = startRecord(project, store, 'present', newSessionId(), {
    candidate: candidateName,
    model: source.model,
    config: recordConfig,
    data,
  });
  if (source.baseline) record.baseline = source.baseline;
  begin(store, record, options.reporter);
  const finalDir = join(project.dir, 'models', bundleName(config.present?.name ?? candidateName));
  const staging = createStagingDir(finalDir);
  const outputDirs = shape.outputDirs(staging, fits);
  const metric = resolveMetric(config.problem);
  return {
    project,
    store,
    options,
    source,
    candidateName,
    shape,
    fits,
    recordConfig,
    data,
    metric,
    cv,
    record,
    finalDir,
    staging,
    outputDirs,
  };
}

/**
 * Refits every fit in parallel, as a single candidate would be (fold 0, the project seed, the same rows); an
 * ensemble's epochs are reported with the member's index as the fold. One fit failing fails them all: the
 * record is finished and the error thrown.
 */
async function fitAll(context: PresentContext): Promise<FinalTaskResult[]> {
  const { project, options, record, fits, data } = context;
  const setup = {
    store: context.store,
    projectDir: project.dir,
    backend: options.backend,
    size: Math.min(fits.length, options.workers ?? defaultPoolSize(options.backend, coreCount())),
  };
  const tasks: FinalTask[] = fits.map((fit, memberIndex) => ({
    taskId: context.shape.taskId(record.id, memberIndex),
    projectDir: project.dir,
    projectHash: project.hash,
    candidate: fit.config,
    foldIndex: 0,
    trainRows: data.rest,
    validationRows: data.holdout,
    seed: projectSeed(project),
    dataHash: data.dataHash,
    outputDir: context.outputDirs[memberIndex],
  }));
  const outcomes = await withTaskRunner(setup, options, async (runner) => {
    const done = await runner.group(tasks, (task, memberIndex) => {
      const fit = fits[memberIndex];
      const epochs = 'epochs' in fit.config ? (fit.config.epochs ?? 0) : 0;
      const target = { runId: record.id, candidate: context.candidateName, epochs, fold: memberIndex };
      return runner.pool.runFinal(task, runner.epochListener(target));
    });
    if (runner.backend) record.backend = runner.backend;
    return done;
  });
  if (outcomes.every((outcome) => outcome.status === 'done'))
    return outcomes.map((outcome) => outcome.result);
  throw failFits(context, outcomes);
}

/** Records the present run as failed (naming the fit that failed) or cancelled; the error to throw. */
function failFits(context: PresentContext, outcomes: FinalOutcome[]): TopdownError {
  const failedIndex = outcomes.findIndex((outcome) => outcome.status === 'failed');
  const failed = outcomes[failedIndex];
  const error =
    failed?.status === 'failed'
      ? new TopdownError(
          failed.error.code,
          context.shape.failure(context, failedIndex, failed.error.message),
          failed.error,
        )
      : new TopdownError('RUN_CANCELLED', 'The final fit was cancelled.');
  discardStaging(context.staging);
  finishRecord(context.record, failed ? failedStatus(error) : 'cancelled', error);
  publish(context.store, context.record, context.options.reporter);
  return error;
}

/** An ensemble's member bundles, and its own result: the members' holdout predictions combined. */
function assembleEnsemble(context: PresentContext, results: FinalTaskResult[]): Assembled {
  const { record, data, metric, fits, source } = context;
  const baseline = source.baseline ?? null;
  const members = fits.map((fit, memberIndex) =>
    writeMemberBundle(
      { ...fit, result: results[memberIndex], dir: context.outputDirs[memberIndex] },
      { record, data, metric, baseline },
    ),
  );
  const combined = combineHoldouts(
    ensembleMethod(source),
    fits.map((fit, memberIndex) => ({ name: fit.name, result: results[memberIndex] })),
    context.project.config.problem,
  );
  const result: FinalTaskResult = {
    ...results[0],
    taskId: `${record.id}/final`,
    epochs: results.reduce((sum, member) => sum + member.epochs, 0),
    durationMs: results.reduce((sum, member) => sum + member.durationMs, 0),
    files: [],
  };
  delete result.lastLogs;
  // Every member was fitted on the same rows, so the baseline beside the ensemble is any member's.
  const { baseline: holdoutBaseline, baselinePredictions } = results[0].holdout ?? {};
  if (combined) {
    result.holdout = holdoutBaseline ? { ...combined, baseline: holdoutBaseline } : combined;
    if (baselinePredictions) result.holdout.baselinePredictions = baselinePredictions;
  } else delete result.holdout;
  return { result, members };
}

/** Writes the holdout predictions, metrics and manifest into the staging bundle, then installs it. */
function writeBundle(context: PresentContext, assembled: Assembled): WrittenBundle {
  const { project, staging, finalDir, metric, cv, source } = context;
  const { result, members } = assembled;
  const config = project.config;
  const holdout = holdoutSummary(result);
  const writePredictions = config.present?.predictions !== false && result.holdout !== undefined;
  const files = [...result.files];
  if (writePredictions) {
    const times = tableTimeLabels(context.data.table, config.problem.timeColumn);
    writeFileSync(join(staging, HOLDOUT_PREDICTIONS_FILE), holdoutCsv(result, config.problem.target, times));
    files.push(HOLDOUT_PREDICTIONS_FILE);
  }
  const baseline = source.baseline ?? null;
  writeMetrics(staging, metric, {
    cv,
    holdout,
    baseline,
    ...(members ? { method: ensembleMethod(source), members } : {}),
  });
  files.push(METRICS_FILE);
  const parts = {
    record: context.record,
    candidate: { name: context.candidateName, config: context.recordConfig as CandidateConfig },
    result,
    data: context.data,
    cv,
    holdout,
    files,
    dir: staging,
    name: basename(finalDir),
  };
  writeManifest(staging, context.shape.manifest(context, assembled, parts));
  installBundle(staging, finalDir);
  return { holdout, predictionsFile: writePredictions ? join(finalDir, HOLDOUT_PREDICTIONS_FILE) : null };
}

/** Completes the run record: the bundle and predictions (project-relative, so a project folder can move), the holdout as its one fold. */
function recordPresent(context: PresentContext, result: FinalTaskResult, bundle: WrittenBundle): void {
  const { project, record } = context;
  const { holdout, predictionsFile } = bundle;
  record.bundle = relative(project.dir, context.finalDir);
  record.outputs = { bundle: record.bundle };
  if (predictionsFile) record.outputs.predictions = relative(project.dir, predictionsFile);
  const confused = writeConfusedPairs(context.store, record.id, context.data.table, result);
  if (confused) record.outputs[CONFUSED_PAIRS_OUTPUT] = relative(project.dir, confused);
  const { target, ignore } = project.config.problem;
  const source = { table: context.data.table, target, ignore, bundleDir: context.finalDir };
  const text = writeTextResults(context.store, record.id, source, result);
  if (text) record.outputs[TEXT_RESULTS_OUTPUT] = relative(project.dir, text);
  if (holdout) {
    record.holdout = holdout;
    record.folds = [
      {
        index: 0,
        score: holdout.score,
        metrics: holdout.metrics,
        ...(holdout.confusion ? { confusion: holdout.confusion } : {}),
        trainSize: result.trainSize,
        validationSize: holdout.size,
        epochs: result.epochs,
        durationMs: result.durationMs,
        ...(result.lastLogs ? { lastLogs: result.lastLogs } : {}),
      },
    ];
  }
  finishRecord(record, 'completed');
  publish(context.store, record, context.options.reporter);
}

/** Writes REPORT.md and report.html unless `present.report` is false, and links them from the record. */
async function writeReport(context: PresentContext): Promise<PresentResult['report']> {
  const { project, record, options } = context;
  if (project.config.present?.report === false || !options.renderReport) return null;
  const report = await options.renderReport(project.dir);
  record.outputs!.report = relative(project.dir, report.markdown);
  record.outputs!.reportHtml = relative(project.dir, report.html);
  publish(context.store, record, options.reporter);
  return report;
}

/** What `topdown present --json` prints. */
function presentResult(
  context: PresentContext,
  assembled: Assembled,
  bundle: WrittenBundle,
  message: string,
  report: PresentResult['report'],
): PresentResult {
  const { record, source, metric, cv, finalDir } = context;
  const { holdout } = bundle;
  const presented: PresentResult = {
    step: 'present',
    runId: record.id,
    candidate: context.candidateName,
    model: String(source.model),
    sourceRunId: source.id,
    bundle: finalDir,
    metric,
    higherIsBetter: higherIsBetter(metric),
    cv: { mean: round(cv.mean), std: round(cv.std) },
    holdout: holdout ? { score: round(holdout.score), metrics: holdout.metrics, size: holdout.size } : null,
    message,
    predictions: bundle.predictionsFile,
    report,
    backend: record.backend.name,
    quick: context.options.quick ?? false,
  };
  if (assembled.members) {
    presented.method = ensembleMethod(source);
    presented.members = assembled.members.map((member, memberIndex) => ({
      name: member.name,
      model: member.model,
      sourceRunId: member.sourceRunId,
      bundle: join(finalDir, member.path),
      cv: {
        mean: round(context.fits[memberIndex].source.summary!.mean),
        std: round(context.fits[memberIndex].source.summary!.std),
      },
      holdout: member.holdoutScore === null ? null : round(member.holdoutScore),
    }));
  }
  return presented;
}

/** The holdout score beside the CV estimate, in one sentence (and, for an ensemble, each member's alone). */
function compare(
  metric: string,
  cv: CrossValidationSummary,
  holdout: HoldoutResult | null,
  members?: BundleEnsembleMember[],
): string {
  const estimate = `${round(cv.mean)} ± ${round(cv.std)} over ${cv.folds} folds`;
  if (!holdout)
    return `No holdout: the CV estimate (${metricLabel(metric)} ${estimate}) is the only estimate.`;
  const inside = Math.abs(holdout.score - cv.mean) <= 2 * cv.std;
  const alone = members
    ? ` Alone, its members score ${members.map((member) => `${member.name} ${member.holdoutScore === null ? '–' : round(member.holdoutScore)}`).join(', ')}.`
    : '';
  return `On the holdout (${holdout.size} samples) the final ${members ? 'ensemble' : 'model'} scores ${metricLabel(metric)} ${round(holdout.score)}; the CV estimate was ${estimate}${inside ? ', so the holdout agrees with it' : ', so the holdout is more than two standard deviations away: look at the holdout size and the data'}.${alone}`;
}

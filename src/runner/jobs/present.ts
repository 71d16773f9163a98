/**
 * Step 5, Present Results: refit the chosen candidate on every sample outside the holdout (in a worker, with
 * tfjs), score it once on the holdout, write the model bundle `models/<name>/` atomically, and record the run.
 */
import { writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { resolveMetric, type CandidateConfig } from '../../core/config';
import { findColumn } from '../../core/data/table';
import { higherIsBetter } from '../../core/metrics';
import {
  createStagingDir,
  describeFiles,
  discardStaging,
  installBundle,
  writeManifest,
  BUNDLE_SCHEMA_VERSION,
  HOLDOUT_PREDICTIONS_FILE,
  METRICS_FILE,
  type BundleFile,
  type BundleManifest,
  type CrossValidationSummary,
} from '../../core/present/bundle';
import { checkHoldoutClasses, chooseCandidateRun } from '../../core/present/choose';
import { PIPELINE_FILE } from '../../core/present/final';
import { formatCsv } from '../../core/present/predict';
import { readJsonFile } from '../../core/models/persist';
import { windowSettings, type PipelineState } from '../../core/prepare/pipeline';
import { loadProject } from '../../core/project';
import { RunStore } from '../../core/runs/store';
import { loadProjectData, projectSeed, type ProjectData } from '../../core/steps/data';
import { TopdownError } from '../../core/errors';
import type { HoldoutResult, RunRecord } from '../../protocol/records';
import type { FinalTask, FinalTaskResult } from '../../protocol/runner';
import { WorkerPool } from '../pool';
import { TOPDOWN_VERSION } from '../version';
import {
  begin,
  finishRecord,
  newSessionId,
  publish,
  QUICK,
  round,
  startRecord,
  type JobOptions,
} from './common';

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
}

/** A folder name from a candidate name: letters, digits, dot, dash, underscore. */
function bundleName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '') || 'model';
}

/** Caps a trained candidate's epochs in quick mode. */
function quickConfig(config: Record<string, unknown>, quick: boolean | undefined): Record<string, unknown> {
  if (!quick || typeof config.epochs !== 'number') return config;
  return { ...config, epochs: Math.min(config.epochs, QUICK.epochs) };
}

/** Runs step 5 for the project in `projectDir`. */
export async function presentJob(projectDir: string, options: PresentOptions): Promise<PresentResult> {
  const project = await loadProject(projectDir);
  const config = project.config;
  const store = new RunStore(project.dir);
  const session = newSessionId();
  const reporter = options.reporter;
  const source = chooseCandidateRun(
    store,
    config,
    project.file,
    options.candidate ?? config.present?.candidate,
  );
  const candidateName = source.candidate!;
  const candidate = quickConfig(source.config, options.quick) as CandidateConfig;
  const data = await loadProjectData(project);
  checkHoldoutClasses(config, project.file, data.holdout, data.labels, data.classes);
  const metric = resolveMetric(config.problem);
  const cv: CrossValidationSummary = {
    runId: source.id,
    step: source.step,
    mean: source.summary!.mean,
    std: source.summary!.std,
    folds: source.folds.length,
  };

  const record = startRecord(project, store, 'present', session, {
    candidate: candidateName,
    model: source.model,
    config: candidate as unknown as Record<string, unknown>,
    data,
  });
  if (source.baseline) record.baseline = source.baseline;
  begin(store, record, reporter);

  const finalDir = join(project.dir, 'models', bundleName(config.present?.name ?? candidateName));
  const staging = createStagingDir(finalDir);
  const pool = new WorkerPool({
    size: 1,
    backend: options.backend,
    projectDir: project.dir,
    onBackend: (info) => reporter.emit({ type: 'job/backend', backend: info }),
    onLog: (line) => reporter.emit({ type: 'log', level: 'warn', message: line }),
  });
  const onAbort = (): void => pool.cancelAll();
  options.signal?.addEventListener('abort', onAbort);
  try {
    const epochsPlanned =
      typeof candidate === 'object' && 'epochs' in candidate ? (candidate.epochs ?? 0) : 0;
    const outcome = await pool.runFinal(
      {
        taskId: `${record.id}/final`,
        projectDir: project.dir,
        projectHash: project.hash,
        candidate: candidate as unknown as FinalTask['candidate'],
        foldIndex: 0,
        trainRows: data.rest,
        validationRows: data.holdout,
        seed: projectSeed(project),
        outputDir: staging,
      },
      (_taskId, fold, epoch, logs) => {
        store.appendEvents(record.id, [{ type: 'epoch', time: new Date().toISOString(), fold, epoch, logs }]);
        reporter.emit({
          type: 'run/epoch',
          runId: record.id,
          candidate: candidateName,
          fold,
          epoch,
          epochs: epochsPlanned,
          logs,
        });
      },
    );
    if (pool.backend) record.backend = pool.backend;
    if (outcome.status !== 'done') {
      const error =
        outcome.status === 'failed'
          ? outcome.error
          : new TopdownError('RUN_CANCELLED', 'The final fit was cancelled.');
      discardStaging(staging);
      finishRecord(record, outcome.status === 'failed' ? 'failed' : 'cancelled', error);
      publish(store, record, reporter);
      if (outcome.status === 'failed')
        throw new TopdownError(outcome.error.code, outcome.error.message, outcome.error);
      throw error;
    }
    const result = outcome.result;
    const holdout: HoldoutResult | null = result.holdout
      ? { score: result.holdout.score, metrics: result.holdout.metrics, size: result.holdout.size }
      : null;
    if (holdout && result.holdout?.confusion) holdout.confusion = result.holdout.confusion;
    const writePredictions = config.present?.predictions !== false && result.holdout !== undefined;
    const files = [...result.files];
    if (writePredictions) {
      writeFileSync(join(staging, HOLDOUT_PREDICTIONS_FILE), holdoutCsv(result, config.problem.target));
      files.push(HOLDOUT_PREDICTIONS_FILE);
    }
    const higher = higherIsBetter(metric);
    writeFileSync(
      join(staging, METRICS_FILE),
      JSON.stringify(
        { metric, higherIsBetter: higher, cv, holdout, baseline: source.baseline ?? null },
        null,
        2,
      ) + '\n',
    );
    files.push(METRICS_FILE);
    const pipeline = readJsonFile<PipelineState>(join(staging, PIPELINE_FILE));
    const described = describeFiles(staging, files);
    writeManifest(
      staging,
      manifestFor(record, source, candidate, result, pipeline, data, cv, holdout, described, finalDir),
    );
    installBundle(staging, finalDir);

    // Project-relative, so a project folder can move (as every step's outputs).
    const predictionsFile = writePredictions ? join(finalDir, HOLDOUT_PREDICTIONS_FILE) : null;
    record.bundle = relative(project.dir, finalDir);
    record.outputs = { bundle: record.bundle };
    if (predictionsFile) record.outputs.predictions = relative(project.dir, predictionsFile);
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
    publish(store, record, reporter);

    const message = compare(metric, cv, holdout);
    reporter.emit({ type: 'log', level: 'info', message });
    let report: PresentResult['report'] = null;
    if (config.present?.report !== false && options.renderReport) {
      report = await options.renderReport(project.dir);
      record.outputs.report = relative(project.dir, report.markdown);
      record.outputs.reportHtml = relative(project.dir, report.html);
      publish(store, record, reporter);
    }
    return {
      step: 'present',
      runId: record.id,
      candidate: candidateName,
      model: String(source.model),
      sourceRunId: source.id,
      bundle: finalDir,
      metric,
      higherIsBetter: higher,
      cv: { mean: round(cv.mean), std: round(cv.std) },
      holdout: holdout ? { score: round(holdout.score), metrics: holdout.metrics, size: holdout.size } : null,
      message,
      predictions: predictionsFile,
      report,
      backend: record.backend.name,
      quick: options.quick ?? false,
    };
  } catch (error) {
    discardStaging(staging);
    if (record.status === 'running') {
      finishRecord(record, 'failed', error);
      publish(store, record, reporter);
    }
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
}

/** The holdout score beside the CV estimate, in one sentence. */
function compare(metric: string, cv: CrossValidationSummary, holdout: HoldoutResult | null): string {
  const estimate = `${round(cv.mean)} ± ${round(cv.std)} over ${cv.folds} folds`;
  if (!holdout) return `No holdout: the CV estimate (${metric} ${estimate}) is the only estimate.`;
  const inside = Math.abs(holdout.score - cv.mean) <= 2 * cv.std;
  return `On the holdout (${holdout.size} samples) the final model scores ${metric} ${round(holdout.score)}; the CV estimate was ${estimate}${inside ? ', so the holdout agrees with it' : ', so the holdout is more than two standard deviations away: look at the holdout size and the data'}.`;
}

function manifestFor(
  record: RunRecord,
  source: RunRecord,
  candidate: CandidateConfig,
  result: FinalTaskResult,
  pipeline: PipelineState,
  data: ProjectData,
  cv: CrossValidationSummary,
  holdout: HoldoutResult | null,
  files: BundleFile[],
  finalDir: string,
): BundleManifest {
  const problem = pipeline.problem;
  const table = data.table;
  const idColumns = table.columns
    .filter(
      (column) =>
        column.name !== problem.target &&
        (column.type === 'identifier' || (problem.ignore ?? []).includes(column.name)),
    )
    .map((column) => column.name);
  const manifest: BundleManifest = {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    topdownVersion: TOPDOWN_VERSION,
    createdAt: new Date().toISOString(),
    name: basename(finalDir),
    runId: record.id,
    candidate: {
      name: source.candidate!,
      model: candidate.model,
      config: candidate as unknown as Record<string, unknown>,
    },
    task: problem.task,
    target: problem.target,
    featureNames: result.featureNames,
    inputShape: result.inputShape,
    outputUnits: result.outputUnits,
    inputs: pipeline.inputs.map((input) => ({
      name: input.name,
      type: findColumn(table, input.name)?.type ?? (input.kind === 'numeric' ? 'numeric' : 'categorical'),
    })),
    idColumns,
    metric: resolveMetric(problem),
    higherIsBetter: higherIsBetter(resolveMetric(problem)),
    cv,
    holdout,
    trainSize: result.trainSize,
    seed: record.seed,
    data: problem.data,
    dataHash: data.dataHash,
    files,
  };
  if (result.classes) manifest.classes = result.classes;
  if (problem.positiveClass) manifest.positiveClass = problem.positiveClass;
  if (problem.missing) manifest.missing = problem.missing;
  if (problem.timeColumn) manifest.timeColumn = problem.timeColumn;
  const window = windowSettings(problem, pipeline.ops);
  if (window) manifest.window = window;
  return manifest;
}

/** holdout-predictions.csv: one line per holdout sample (per horizon step for time series). */
function holdoutCsv(result: FinalTaskResult, target: string): string {
  const holdout = result.holdout!;
  const width = result.outputUnits;
  const classes = result.classes;
  if (classes) {
    const header = ['row', target, 'prediction', ...classes.map((label) => `p_${label}`)];
    const rows = holdout.rows.map((tableRow, sample) => {
      const probabilities = holdout.predictions.slice(sample * width, (sample + 1) * width);
      const best = probabilities.indexOf(Math.max(...probabilities));
      return [tableRow + 2, classes[holdout.truth[sample]], classes[best], ...probabilities];
    });
    return formatCsv({ header, rows });
  }
  const header = width > 1 ? ['row', 'step', target, 'prediction'] : ['row', target, 'prediction'];
  const rows = holdout.rows.flatMap((tableRow, sample) =>
    Array.from({ length: width }, (_, step) => {
      const cells = [holdout.truth[sample * width + step], holdout.predictions[sample * width + step]];
      return width > 1 ? [tableRow + 2, step + 1, ...cells] : [tableRow + 2, ...cells];
    }),
  );
  return formatCsv({ header, rows });
}

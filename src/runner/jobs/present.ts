/**
 * Step 5, Present Results: refit the chosen candidate on every sample outside the holdout (in a worker, with
 * tfjs), score it once on the holdout, write the model bundle `models/<name>/` atomically, and record the run.
 * An ensemble of step 4 refits each of its members the same way (in parallel), scores their combined
 * predictions once on the holdout, and writes one member bundle per member inside its own bundle.
 */
import { writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { resolveMetric, type CandidateConfig } from '../../core/config';
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
  type CrossValidationSummary,
} from '../../core/present/bundle';
import {
  checkHoldoutClasses,
  chooseCandidateRun,
  chooseEnsembleMemberRuns,
  ENSEMBLE_MODEL,
} from '../../core/present/choose';
import { combineHoldouts } from '../../core/present/ensemble';
import { loadProject } from '../../core/project';
import { RunStore } from '../../core/runs/store';
import { loadProjectData, projectSeed } from '../../core/steps/data';
import { TopdownError } from '../../core/errors';
import type { BackendInfo, HoldoutResult } from '../../protocol/records';
import type { FinalTask } from '../../protocol/runner';
import { defaultPoolSize, WorkerPool } from '../pool';
import { RemotePool } from '../queue/remote-pool';
import {
  begin,
  coreCount,
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
} from './present-bundle';

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
  const ensemble = source.model === ENSEMBLE_MODEL;
  // An ensemble refits each member from the run its configuration comes from; a candidate refits itself.
  const memberRuns = ensemble ? chooseEnsembleMemberRuns(store, config, project.file, source) : [source];
  const fits = memberRuns.map((run) => ({
    name: run.candidate!,
    source: run,
    config: quickConfig(run.config, options.quick) as CandidateConfig,
  }));
  const method: EnsembleMethod = source.config.method === 'vote' ? 'vote' : 'average';
  const recordConfig: Record<string, unknown> = ensemble
    ? {
        name: candidateName,
        model: ENSEMBLE_MODEL,
        method,
        members: fits.map((fit) => fit.name),
        memberConfigs: Object.fromEntries(fits.map((fit) => [fit.name, fit.config])),
      }
    : (fits[0].config as unknown as Record<string, unknown>);
  const data = await loadProjectData(project);
  checkHoldoutClasses(config, project.file, data.holdout, data.labels, data.classes);
  const metric = resolveMetric(config.problem);
  const cv = crossValidationOf(source);

  const record = startRecord(project, store, 'present', session, {
    candidate: candidateName,
    model: source.model,
    config: recordConfig,
    data,
  });
  if (source.baseline) record.baseline = source.baseline;
  begin(store, record, reporter);

  const finalDir = join(project.dir, 'models', bundleName(config.present?.name ?? candidateName));
  const staging = createStagingDir(finalDir);
  const outputDirs = ensemble
    ? createMemberDirs(
        staging,
        fits.map((fit) => fit.name),
      )
    : [staging];
  const poolOptions = {
    onBackend: (info: BackendInfo) => reporter.emit({ type: 'job/backend', backend: info }),
    onLog: (line: string) => reporter.emit({ type: 'log', level: 'warn', message: line }),
  };
  const pool = options.queue
    ? await RemotePool.open({ ...options.queue, ...poolOptions, project }).catch((error: unknown) => {
        // Redis cannot be reached: the run was cut off before it began, as if its process had died.
        discardStaging(staging);
        publish(store, finishRecord(record, 'interrupted', error), reporter);
        throw error;
      })
    : new WorkerPool({
        ...poolOptions,
        size: ensemble
          ? Math.min(fits.length, options.workers ?? defaultPoolSize(options.backend, coreCount()))
          : 1,
        backend: options.backend,
        projectDir: project.dir,
      });
  const onAbort = (): void => pool.cancelAll();
  options.signal?.addEventListener('abort', onAbort);
  try {
    // Every member is refitted as a single candidate would be (fold 0, the project seed, the same rows); an
    // ensemble's epochs are reported with the member's index as the fold.
    const outcomes = await Promise.all(
      fits.map((fit, memberIndex) => {
        const epochsPlanned = 'epochs' in fit.config ? (fit.config.epochs ?? 0) : 0;
        return pool
          .runFinal(
            {
              taskId: ensemble ? `${record.id}/final/${memberIndex}` : `${record.id}/final`,
              projectDir: project.dir,
              projectHash: project.hash,
              candidate: fit.config as unknown as FinalTask['candidate'],
              foldIndex: 0,
              trainRows: data.rest,
              validationRows: data.holdout,
              seed: projectSeed(project),
              outputDir: outputDirs[memberIndex],
            },
            (_taskId, fold, epoch, logs) => {
              const reported = ensemble ? memberIndex : fold;
              store.appendEvents(record.id, [
                { type: 'epoch', time: new Date().toISOString(), fold: reported, epoch, logs },
              ]);
              reporter.emit({
                type: 'run/epoch',
                runId: record.id,
                candidate: candidateName,
                fold: reported,
                epoch,
                epochs: epochsPlanned,
                logs,
              });
            },
          )
          .then((outcome) => {
            // One member failing fails the ensemble: stop the others instead of finishing them.
            if (outcome.status !== 'done') pool.cancelAll();
            return outcome;
          });
      }),
    );
    if (pool.backend) record.backend = pool.backend;
    const failedIndex = outcomes.findIndex((outcome) => outcome.status === 'failed');
    const failed = outcomes[failedIndex];
    if (failed?.status === 'failed' || outcomes.some((outcome) => outcome.status !== 'done')) {
      // An ensemble's error names the member whose fit failed.
      const error =
        failed?.status === 'failed'
          ? new TopdownError(
              failed.error.code,
              ensemble
                ? `The final fit of "${fits[failedIndex].name}", a member of the ensemble "${candidateName}", failed: ${failed.error.message}`
                : failed.error.message,
              failed.error,
            )
          : new TopdownError('RUN_CANCELLED', 'The final fit was cancelled.');
      discardStaging(staging);
      const status = !failed ? 'cancelled' : error.code === 'QUEUE_LOST' ? 'interrupted' : 'failed';
      finishRecord(record, status, error);
      publish(store, record, reporter);
      throw error;
    }
    const results = outcomes.map(
      (outcome) => (outcome as Extract<typeof outcome, { status: 'done' }>).result,
    );
    const baseline = source.baseline ?? null;
    let result = results[0];
    let members: BundleEnsembleMember[] = [];
    if (ensemble) {
      members = fits.map((fit, memberIndex) =>
        writeMemberBundle(
          { ...fit, result: results[memberIndex], dir: outputDirs[memberIndex] },
          { record, data, metric, baseline },
        ),
      );
      const combined = combineHoldouts(
        method,
        fits.map((fit, memberIndex) => ({ name: fit.name, result: results[memberIndex] })),
        config.problem,
      );
      result = {
        ...results[0],
        taskId: `${record.id}/final`,
        epochs: results.reduce((sum, member) => sum + member.epochs, 0),
        durationMs: results.reduce((sum, member) => sum + member.durationMs, 0),
        files: [],
      };
      delete result.lastLogs;
      if (combined) result.holdout = combined;
      else delete result.holdout;
    }
    const holdout = holdoutSummary(result);
    const writePredictions = config.present?.predictions !== false && result.holdout !== undefined;
    const files = [...result.files];
    if (writePredictions) {
      writeFileSync(join(staging, HOLDOUT_PREDICTIONS_FILE), holdoutCsv(result, config.problem.target));
      files.push(HOLDOUT_PREDICTIONS_FILE);
    }
    const higher = higherIsBetter(metric);
    writeMetrics(staging, metric, {
      cv,
      holdout,
      baseline,
      ...(ensemble ? { method, members } : {}),
    });
    files.push(METRICS_FILE);
    const parts = {
      record,
      candidate: { name: candidateName, config: recordConfig as unknown as CandidateConfig },
      result,
      data,
      cv,
      holdout,
      files,
      dir: staging,
      name: basename(finalDir),
    };
    writeManifest(
      staging,
      ensemble
        ? ensembleManifest({
            ...parts,
            method,
            members,
            memberPipelines: outputDirs.map((dir) => readPipeline(dir)),
          })
        : manifestFor({ ...parts, pipeline: readPipeline(staging) }),
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

    const message = compare(metric, cv, holdout, ensemble ? members : undefined);
    reporter.emit({ type: 'log', level: 'info', message });
    let report: PresentResult['report'] = null;
    if (config.present?.report !== false && options.renderReport) {
      report = await options.renderReport(project.dir);
      record.outputs.report = relative(project.dir, report.markdown);
      record.outputs.reportHtml = relative(project.dir, report.html);
      publish(store, record, reporter);
    }
    const presented: PresentResult = {
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
    if (ensemble) {
      presented.method = method;
      presented.members = members.map((member, memberIndex) => ({
        name: member.name,
        model: member.model,
        sourceRunId: member.sourceRunId,
        bundle: join(finalDir, member.path),
        cv: {
          mean: round(fits[memberIndex].source.summary!.mean),
          std: round(fits[memberIndex].source.summary!.std),
        },
        holdout: member.holdoutScore === null ? null : round(member.holdoutScore),
      }));
    }
    return presented;
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

/** The holdout score beside the CV estimate, in one sentence (and, for an ensemble, each member's alone). */
function compare(
  metric: string,
  cv: CrossValidationSummary,
  holdout: HoldoutResult | null,
  members?: BundleEnsembleMember[],
): string {
  const estimate = `${round(cv.mean)} ± ${round(cv.std)} over ${cv.folds} folds`;
  if (!holdout) return `No holdout: the CV estimate (${metric} ${estimate}) is the only estimate.`;
  const inside = Math.abs(holdout.score - cv.mean) <= 2 * cv.std;
  const alone = members
    ? ` Alone, its members score ${members.map((member) => `${member.name} ${member.holdoutScore === null ? '–' : round(member.holdoutScore)}`).join(', ')}.`
    : '';
  return `On the holdout (${holdout.size} samples) the final ${members ? 'ensemble' : 'model'} scores ${metric} ${round(holdout.score)}; the CV estimate was ${estimate}${inside ? ', so the holdout agrees with it' : ', so the holdout is more than two standard deviations away: look at the holdout size and the data'}.${alone}`;
}

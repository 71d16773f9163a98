/**
 * The files of a step 5 bundle besides the model: the manifest (`bundle.json`), the metrics, the holdout
 * predictions; and, for an ensemble, each member's own single-model bundle under `members/<name>/`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { resolveMetric, type CandidateConfig } from '../../core/config';
import { findColumn, type Column } from '../../core/data/table';
import type { EnsembleMethod } from '../../core/improve/types';
import { higherIsBetter } from '../../core/metrics';
import { readJsonFile } from '../../core/models/persist';
import {
  describeFiles,
  writeManifest,
  ENSEMBLE_BUNDLE_VERSION,
  MANIFEST_FILE,
  METRICS_FILE,
  SINGLE_MODEL_BUNDLE_VERSION,
  type BundleEnsembleMember,
  type BundleInput,
  type BundleManifest,
  type CrossValidationSummary,
} from '../../core/present/bundle';
import { PIPELINE_FILE } from '../../core/present/final';
import { formatCsv, formatFloat32, formatProbability } from '../../core/present/predict';
import { windowSettings, type PipelineState } from '../../core/prepare/pipeline';
import type { ProjectData } from '../../core/steps/data';
import type { HoldoutResult, RunRecord } from '../../protocol/records';
import type { FinalTaskResult } from '../../protocol/runner';
import { TOPDOWN_VERSION } from '../version';

/** Folder of an ensemble's members inside its bundle. */
export const MEMBERS_FOLDER = 'members';

/** A folder name from a candidate name: letters, digits, dot, dash, underscore. */
export function bundleName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '') || 'model';
}

/** Distinct folder names for an ensemble's members (two names may map to the same folder name). */
export function memberFolders(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name, index) => {
    let folder = bundleName(name);
    if (used.has(folder)) folder = `${folder}-${index + 1}`;
    used.add(folder);
    return folder;
  });
}

/** The holdout result a run record and a manifest keep (no per-row predictions). */
export function holdoutSummary(result: FinalTaskResult): HoldoutResult | null {
  if (!result.holdout) return null;
  const holdout: HoldoutResult = {
    score: result.holdout.score,
    metrics: result.holdout.metrics,
    size: result.holdout.size,
  };
  if (result.holdout.confusion) holdout.confusion = result.holdout.confusion;
  if (result.holdout.baseline) holdout.baseline = result.holdout.baseline;
  return holdout;
}

/** The CV estimate of an evaluate or improve run. */
export function crossValidationOf(source: RunRecord): CrossValidationSummary {
  return {
    runId: source.id,
    step: source.step,
    mean: source.summary!.mean,
    std: source.summary!.std,
    folds: source.folds.length,
  };
}

/** Writes metrics.json into `dir` (the CV estimate beside the holdout result, plus `extra`). */
export function writeMetrics(
  dir: string,
  metric: string,
  fields: { cv: CrossValidationSummary; holdout: HoldoutResult | null; baseline: unknown } & Record<
    string,
    unknown
  >,
): void {
  const higher = higherIsBetter(metric as Parameters<typeof higherIsBetter>[0]);
  writeFileSync(
    join(dir, METRICS_FILE),
    JSON.stringify({ metric, higherIsBetter: higher, ...fields }, null, 2) + '\n',
  );
}

/** What a single model's manifest is made from. */
export interface ManifestParts {
  record: RunRecord;
  /** Name and config of the candidate as the manifest states it. */
  candidate: { name: string; config: CandidateConfig };
  result: FinalTaskResult;
  pipeline: PipelineState;
  data: ProjectData;
  cv: CrossValidationSummary;
  holdout: HoldoutResult | null;
  /** Files of the bundle (besides bundle.json), relative to `dir`. */
  files: string[];
  dir: string;
  /** The bundle's name (its final folder's name). */
  name: string;
}

/** Whether every row has its own non-missing value in the column. */
function uniquePerRow(column: Column): boolean {
  const seen = new Set<string | number>();
  for (const value of column.values) {
    if (value === null || (typeof value === 'number' && Number.isNaN(value)) || seen.has(value)) return false;
    seen.add(value);
  }
  return seen.size > 0;
}

/** The manifest of a single-model bundle (format 1). */
export function manifestFor(parts: ManifestParts): BundleManifest {
  const { record, result, pipeline, data } = parts;
  const problem = pipeline.problem;
  const table = data.table;
  // Ids are columns that name each row: identifiers, or ignored columns with a value of their own per row (an
  // ignored constant or category is no id and is not copied into predictions).
  const idColumns = table.columns
    .filter(
      (column) =>
        column.name !== problem.target &&
        (column.type === 'identifier' ||
          ((problem.ignore ?? []).includes(column.name) && uniquePerRow(column))),
    )
    .map((column) => column.name);
  const manifest: BundleManifest = {
    schemaVersion: SINGLE_MODEL_BUNDLE_VERSION,
    topdownVersion: TOPDOWN_VERSION,
    createdAt: new Date().toISOString(),
    name: parts.name,
    runId: record.id,
    candidate: {
      name: parts.candidate.name,
      model: parts.candidate.config.model,
      config: parts.candidate.config,
    },
    task: problem.task,
    target: problem.target,
    featureNames: result.featureNames,
    inputShape: result.inputShape,
    outputUnits: result.outputUnits,
    inputs: inputsOf(pipeline, data),
    idColumns,
    metric: resolveMetric(problem),
    higherIsBetter: higherIsBetter(resolveMetric(problem)),
    cv: parts.cv,
    holdout: parts.holdout,
    trainSize: result.trainSize,
    seed: record.seed,
    data: problem.data,
    dataHash: data.dataHash,
    files: describeFiles(parts.dir, parts.files),
  };
  if (result.classes) manifest.classes = result.classes;
  if (problem.positiveClass) manifest.positiveClass = problem.positiveClass;
  if (problem.missing) manifest.missing = problem.missing;
  if (problem.timeColumn) manifest.timeColumn = problem.timeColumn;
  const window = windowSettings(problem, pipeline.ops);
  if (window) manifest.window = window;
  return manifest;
}

function inputsOf(pipeline: PipelineState, data: ProjectData): BundleInput[] {
  return pipeline.inputs.map((input) => ({
    name: input.name,
    type: findColumn(data.table, input.name)?.type ?? (input.kind === 'numeric' ? 'numeric' : 'categorical'),
  }));
}

/** Reads the fitted pipeline a final fit wrote into `dir`. */
export function readPipeline(dir: string): PipelineState {
  return readJsonFile<PipelineState>(join(dir, PIPELINE_FILE));
}

/** One refitted member of an ensemble, its files already in `dir`. */
export interface FittedMember {
  name: string;
  source: RunRecord;
  config: CandidateConfig;
  result: FinalTaskResult;
  /** Its folder, `members/<folder>` inside the staging bundle. */
  dir: string;
}

/**
 * Completes a member's folder into a single-model bundle: its metrics (its own CV estimate and holdout score)
 * and its manifest. Returns its entry in the ensemble's manifest.
 */
export function writeMemberBundle(
  member: FittedMember,
  context: { record: RunRecord; data: ProjectData; metric: string; baseline: unknown },
): BundleEnsembleMember {
  const cv = crossValidationOf(member.source);
  const holdout = holdoutSummary(member.result);
  writeMetrics(member.dir, context.metric, { cv, holdout, baseline: context.baseline });
  const manifest = manifestFor({
    record: context.record,
    candidate: { name: member.name, config: member.config },
    result: member.result,
    pipeline: readPipeline(member.dir),
    data: context.data,
    cv,
    holdout,
    files: [...member.result.files, METRICS_FILE],
    dir: member.dir,
    name: basename(member.dir),
  });
  writeManifest(member.dir, manifest);
  return {
    name: member.name,
    model: member.config.model,
    path: `${MEMBERS_FOLDER}/${basename(member.dir)}`,
    sourceRunId: member.source.id,
    holdoutScore: holdout ? holdout.score : null,
  };
}

/** Creates `members/<folder>` in a staging bundle for each member. */
export function createMemberDirs(staging: string, names: readonly string[]): string[] {
  return memberFolders(names).map((folder) => {
    const dir = join(staging, MEMBERS_FOLDER, folder);
    mkdirSync(dir, { recursive: true });
    return dir;
  });
}

/**
 * The manifest of an ensemble bundle (format 2): the ensemble as the candidate, its CV estimate and combined
 * holdout score, the members and how they combine, every column a member reads, and the SHA-256 of its own
 * files and of each member's manifest (each member's manifest covers the member's files).
 */
export function ensembleManifest(
  parts: Omit<ManifestParts, 'pipeline'> & {
    method: EnsembleMethod;
    members: BundleEnsembleMember[];
    memberPipelines: PipelineState[];
  },
): BundleManifest {
  const base = manifestFor({ ...parts, pipeline: parts.memberPipelines[0], files: [] });
  const inputs = new Map<string, BundleInput>();
  for (const pipeline of parts.memberPipelines)
    for (const input of inputsOf(pipeline, parts.data))
      if (!inputs.has(input.name)) inputs.set(input.name, input);
  return {
    ...base,
    schemaVersion: ENSEMBLE_BUNDLE_VERSION,
    candidate: {
      name: parts.candidate.name,
      model: 'ensemble',
      config: parts.candidate.config,
    },
    inputs: [...inputs.values()],
    files: describeFiles(parts.dir, [
      ...parts.files,
      ...parts.members.map((member) => `${member.path}/${MANIFEST_FILE}`),
    ]),
    ensemble: { method: parts.method, members: parts.members },
  };
}

/**
 * holdout-predictions.csv: one line per holdout sample (per horizon step for time series). A time series adds the
 * persistence forecast (its baseline) and, with a time column, the time of the row each line forecasts.
 */
export function holdoutCsv(result: FinalTaskResult, target: string, times?: string[]): string {
  const holdout = result.holdout!;
  const width = result.outputUnits;
  const classes = result.classes;
  if (classes) {
    const header = ['row', target, 'prediction', ...classes.map((label) => `p_${label}`)];
    const rows = holdout.rows.map((tableRow, sample) => {
      const probabilities = holdout.predictions.slice(sample * width, (sample + 1) * width);
      const best = probabilities.indexOf(Math.max(...probabilities));
      return [
        tableRow + 1,
        classes[holdout.truth[sample]],
        classes[best],
        ...probabilities.map(formatProbability),
      ];
    });
    return formatCsv({ header, rows });
  }
  const persistence = holdout.baselinePredictions;
  const header = [
    ...(width > 1 ? ['row', 'step', target, 'prediction'] : ['row', target, 'prediction']),
    ...(persistence ? ['persistence'] : []),
    ...(times ? ['time'] : []),
  ];
  const rows = holdout.rows.flatMap((tableRow, sample) =>
    Array.from({ length: width }, (_, step) => {
      const at = sample * width + step;
      const values = [holdout.truth[at], holdout.predictions[at], ...(persistence ? [persistence[at]] : [])];
      const cells = values.map(formatFloat32);
      // The row this line forecasts: the sample's first target row plus the step.
      const time = times ? [times[tableRow + step] ?? ''] : [];
      return [...(width > 1 ? [tableRow + 1, step + 1] : [tableRow + 1]), ...cells, ...time];
    }),
  );
  return formatCsv({ header, rows });
}

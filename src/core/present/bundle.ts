/**
 * A model bundle, `models/<name>/`: everything needed to predict again without the project. `bundle.json` is
 * the manifest (what was trained on what, how well it did, and the SHA-256 of every other file);
 * `estimator.json` + `model.json` + `weights.bin` (networks) or `estimator.json` alone (classic models) hold
 * the model (see src/core/models/persist.ts), `pipeline.json` the fitted preparation, `metrics.json` the CV
 * estimate and the holdout result. A bundle is built in a staging folder beside its final place and moved
 * there in one rename, so a reader never sees half a bundle and an older bundle is replaced only by a whole one.
 *
 * An ensemble of step 4 (format 2) is a folder of single-model bundles, `members/<member>/`, each loadable on
 * its own, beside a manifest with `ensemble` (method and members) and no model or pipeline of its own; it
 * predicts by combining its members' predictions as step 4 did. Single-model bundles are still written as
 * format 1, so an older Topdown reads them.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { ColumnType } from '../data/table';
import type { MetricName, ProblemConfig, Task } from '../config';
import { TopdownError } from '../errors';
import type { EnsembleMethod } from '../improve/types';
import {
  ESTIMATOR_FILE,
  readJsonFile,
  savedModelNeedsTensorflow,
  TOPOLOGY_FILE,
  WEIGHTS_FILE,
} from '../models/persist';
import { PIPELINE_STATE_VERSION, type PipelineState } from '../prepare/pipeline';
import { pipelineStateProblem } from '../prepare/state-check';
import { removeStaleTemporaries, temporaryPath } from './staging';
import type { HoldoutResult } from '../../protocol/records';
import { isContainedRelativePath } from '../paths';
import {
  bundleInvalid,
  MAX_MANIFEST_BYTES,
  readContainedText,
  realBundleDir,
  requireListed,
  verifyBundleFiles,
  type BundleFile,
} from './bundle-files';
import { PIPELINE_FILE } from './final';

/** Newest version of bundle.json this Topdown reads (2: ensembles); a newer one is refused with SCHEMA_TOO_NEW. */
export const BUNDLE_SCHEMA_VERSION = 2;
/** The version single-model bundles are written with: format 2 changed nothing for them. */
export const SINGLE_MODEL_BUNDLE_VERSION = 1;
/** The version ensemble bundles are written with (older Topdown refuses them instead of misreading them). */
export const ENSEMBLE_BUNDLE_VERSION = 2;
/** The manifest's file name. */
export const MANIFEST_FILE = 'bundle.json';
/** CV estimate and holdout result, for people and tools that read only numbers. */
export const METRICS_FILE = 'metrics.json';
/** The final model's predictions on the holdout (when `present.predictions` is not false). */
export const HOLDOUT_PREDICTIONS_FILE = 'holdout-predictions.csv';

/** A CSV column the model reads, with the type it had in the training data. */
export interface BundleInput {
  name: string;
  type: ColumnType;
}

/** The cross-validation estimate the final model is reported beside. */
export interface CrossValidationSummary {
  /** The evaluate or improve run it comes from. */
  runId: string;
  step: string;
  mean: number;
  std: number;
  folds: number;
}

export type { BundleFile } from './bundle-files';

/** One member of an ensemble bundle. */
export interface BundleEnsembleMember {
  name: string;
  model: string;
  /** Its single-model bundle, relative to the ensemble's folder (`members/<name>`). */
  path: string;
  /** The evaluate or improve run its configuration (and CV estimate) comes from. */
  sourceRunId: string;
  /** The member alone on the holdout (the project metric); null without a holdout. */
  holdoutScore: number | null;
}

/** An ensemble bundle's recipe: how the members' predictions are combined (see combinePredictions). */
export interface BundleEnsemble {
  method: EnsembleMethod;
  members: BundleEnsembleMember[];
}

/**
 * `bundle.json`. For an ensemble, `ensemble` is set, `candidate` is the ensemble, `cv` its step 4 estimate and
 * `holdout` the combined predictions' score; `inputs` are every column a member reads, and `featureNames` and
 * `inputShape` those of the first member (each member's own are in its bundle).
 */
export interface BundleManifest {
  schemaVersion: number;
  topdownVersion: string;
  createdAt: string;
  /** The bundle's folder name. */
  name: string;
  /** The present run that built it. */
  runId: string;
  candidate: { name: string; model: string; config: Record<string, unknown> };
  task: Task;
  target: string;
  /** Classification: class labels, in the order of the probability columns. */
  classes?: string[];
  positiveClass?: string;
  /** Names of the last feature dimension the model reads (after one-hot expansion etc.). */
  featureNames: string[];
  inputShape: number[];
  outputUnits: number;
  /** CSV columns the preparation reads (a time series' target among them), with their training types. */
  inputs: BundleInput[];
  /** Identifier columns of the training data: copied into prediction files when the input has them. */
  idColumns: string[];
  /** The project's missing-value markers (`problem.missing`), applied when reading input files. */
  missing?: ProblemConfig['missing'];
  /** Time series: rows are ordered by this column when the input has it. */
  timeColumn?: string;
  /** Time series: rows of history per forecast and steps forecast. */
  window?: { lookBack: number; horizon: number };
  metric: MetricName;
  higherIsBetter: boolean;
  cv: CrossValidationSummary | null;
  holdout: HoldoutResult | null;
  /** Samples the final model was fitted on (every sample outside the holdout). */
  trainSize: number;
  seed: number;
  /** The data file (project-relative) and its SHA-256. */
  data: string;
  dataHash: string;
  files: BundleFile[];
  /** Ensemble bundles (format 2): the members and how they are combined. */
  ensemble?: BundleEnsemble;
}

/** A single-model bundle read from disk and checked. */
export interface LoadedBundle {
  dir: string;
  manifest: BundleManifest;
  pipeline: PipelineState;
}

/** An ensemble bundle read from disk and checked, with each member's bundle. */
export interface LoadedEnsembleBundle {
  dir: string;
  manifest: BundleManifest & { ensemble: BundleEnsemble };
  members: LoadedBundle[];
}

/** Whether a loaded bundle is an ensemble's. */
export function isEnsembleBundle(
  bundle: LoadedBundle | LoadedEnsembleBundle,
): bundle is LoadedEnsembleBundle {
  return 'members' in bundle;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * A staging folder beside `finalDir`, for building a bundle that replaces it in one rename. Staging and old
 * bundle folders there that a killed `present` left behind are removed first (see staging.ts).
 */
export function createStagingDir(finalDir: string): string {
  mkdirSync(dirname(finalDir), { recursive: true });
  removeStaleTemporaries(dirname(finalDir));
  const staging = temporaryPath(finalDir, 'staging');
  mkdirSync(staging);
  return staging;
}

/** Describes the files in `dir` (sizes and SHA-256), for the manifest. */
export function describeFiles(dir: string, names: string[]): BundleFile[] {
  return names.map((name) => {
    const file = join(dir, name);
    return { path: name, bytes: statSync(file).size, sha256: sha256(file) };
  });
}

/** Writes the manifest into a staging folder. */
export function writeManifest(dir: string, manifest: BundleManifest): void {
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
}

/**
 * Moves a complete staging folder to `finalDir`. An existing bundle there is first moved aside, then removed
 * once the new one is in place (put back if the move fails).
 */
export function installBundle(stagingDir: string, finalDir: string): void {
  const old = existsSync(finalDir) ? temporaryPath(finalDir, 'old') : undefined;
  if (old) renameSync(finalDir, old);
  try {
    renameSync(stagingDir, finalDir);
  } catch (error) {
    if (old) renameSync(old, finalDir);
    throw error;
  }
  if (old) rmSync(old, { recursive: true, force: true });
}

/** Removes a staging folder left by a failed build. */
export function discardStaging(stagingDir: string): void {
  rmSync(stagingDir, { recursive: true, force: true });
}

const invalid = bundleInvalid;

/**
 * Reads and checks a bundle: the manifest (SCHEMA_TOO_NEW for a newer version), every listed file inside the
 * bundle, of its recorded size and SHA-256 (see bundle-files.ts), every file the loader reads among them, and
 * the pipeline state; for an ensemble, each member's bundle the same way. Every refusal is a TopdownError.
 */
export function readBundle(dir: string): LoadedBundle | LoadedEnsembleBundle {
  const { manifest, listed } = readManifest(dir);
  if (manifest.ensemble !== undefined) return readEnsemble(dir, manifest, listed);
  const manifestFile = join(dir, MANIFEST_FILE);
  requireListed(manifestFile, listed, [PIPELINE_FILE, ESTIMATOR_FILE]);
  if (savedModelNeedsTensorflow(dir)) requireListed(manifestFile, listed, [TOPOLOGY_FILE, WEIGHTS_FILE]);
  return { dir, manifest, pipeline: readPipeline(dir) };
}

/** The manifest's fields predict reads, checked for their JSON types (a manifest is untrusted data). */
function checkManifestShape(manifestFile: string, manifest: BundleManifest): void {
  const strings = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');
  const problems: string[] = [];
  if (typeof manifest.task !== 'string') problems.push('task');
  if (typeof manifest.target !== 'string') problems.push('target');
  if (typeof manifest.outputUnits !== 'number') problems.push('outputUnits');
  if (typeof manifest.candidate !== 'object' || manifest.candidate === null) problems.push('candidate');
  if (!strings(manifest.idColumns)) problems.push('idColumns');
  if (manifest.classes !== undefined && !strings(manifest.classes)) problems.push('classes');
  const inputs = manifest.inputs as unknown;
  if (
    !Array.isArray(inputs) ||
    !inputs.every((input: { name?: unknown; type?: unknown } | null) => typeof input?.name === 'string')
  )
    problems.push('inputs');
  if (problems.length > 0) {
    throw invalid(manifestFile, `${manifestFile} has no valid ${problems.join(', ')}.`);
  }
}

/** The manifest of the bundle in `dir`, its version and its files checked; `listed` are the checked paths. */
function readManifest(dir: string): { manifest: BundleManifest; listed: Set<string> } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new TopdownError('BUNDLE_INVALID', `There is no model bundle at ${dir}.`, {
      file: dir,
      hint: 'Run `topdown present` to build one; bundles are folders under models/.',
    });
  }
  const manifestFile = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestFile) && existsSync(join(dir, 'topdown.json'))) {
    // A project folder given where a bundle was meant: name the project's bundles.
    const models = join(dir, 'models');
    const bundles = existsSync(models)
      ? readdirSync(models).filter((name) => existsSync(join(models, name, MANIFEST_FILE)))
      : [];
    throw new TopdownError('BUNDLE_INVALID', `${dir} is a Topdown project, not a model bundle.`, {
      file: dir,
      hint:
        bundles.length > 0
          ? `Pass one of its bundles: ${bundles.map((name) => join(dir, 'models', name)).join(', ')}.`
          : 'Run `topdown present` in it first; the model bundle is written under models/<candidate>.',
    });
  }
  const root = realBundleDir(dir);
  const manifest = parseManifest(
    manifestFile,
    readContainedText(dir, root, MANIFEST_FILE, MAX_MANIFEST_BYTES),
  );
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.schemaVersion !== 'number') {
    throw invalid(manifestFile, `${manifestFile} is not a Topdown model bundle manifest.`);
  }
  if (manifest.schemaVersion > BUNDLE_SCHEMA_VERSION) {
    throw new TopdownError(
      'SCHEMA_TOO_NEW',
      `The bundle ${dir} was made by Topdown ${manifest.topdownVersion ?? '(unknown)'} with bundle format ${manifest.schemaVersion}; this Topdown reads up to ${BUNDLE_SCHEMA_VERSION}.`,
      { file: manifestFile, hint: 'Update Topdown to use this bundle.' },
    );
  }
  checkManifestShape(manifestFile, manifest);
  return { manifest, listed: verifyBundleFiles(dir, root, manifestFile, manifest.files) };
}

function parseManifest(manifestFile: string, text: string): BundleManifest {
  try {
    return JSON.parse(text) as BundleManifest;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(manifestFile, `The model file ${manifestFile} is not valid JSON (${reason}).`);
  }
}

function readPipeline(dir: string): PipelineState {
  const pipelineFile = join(dir, PIPELINE_FILE);
  const pipeline = readJsonFile<PipelineState | null>(pipelineFile);
  if (typeof pipeline?.version === 'number' && pipeline.version > PIPELINE_STATE_VERSION) {
    throw new TopdownError(
      'SCHEMA_TOO_NEW',
      `${pipelineFile} has version ${pipeline.version}; this Topdown reads up to ${PIPELINE_STATE_VERSION}.`,
      { file: pipelineFile, hint: 'Update Topdown to use this bundle.' },
    );
  }
  // Checked to the last field the transform reads: a state that passes cannot fail it on its types.
  const problem = pipelineStateProblem(pipeline);
  if (problem !== undefined)
    throw invalid(pipelineFile, `${pipelineFile} is not a fitted preparation pipeline: ${problem}.`);
  return pipeline as PipelineState;
}

/** An ensemble's members: single-model bundles inside its folder, read and checked one by one. */
function readEnsemble(
  dir: string,
  manifest: BundleManifest,
  listed: ReadonlySet<string>,
): LoadedEnsembleBundle {
  const manifestFile = join(dir, MANIFEST_FILE);
  const ensemble = manifest.ensemble!;
  if (
    (ensemble.method !== 'average' && ensemble.method !== 'vote') ||
    !Array.isArray(ensemble.members) ||
    ensemble.members.length === 0
  ) {
    throw invalid(manifestFile, `${manifestFile} describes an ensemble without members or method.`);
  }
  const members = ensemble.members.map((member) => {
    const path = typeof member?.path === 'string' ? member.path : '';
    // Members live inside the ensemble's folder: a path that leaves it is not one Topdown wrote.
    if (!isContainedRelativePath(path)) {
      throw invalid(manifestFile, `${manifestFile} lists a member outside the bundle: "${path}".`);
    }
    // The member's manifest is checked by the ensemble's, and covers the member's own files.
    requireListed(manifestFile, listed, [`${path.replace(/\\/g, '/').replace(/\/+$/, '')}/${MANIFEST_FILE}`]);
    const loaded = readBundle(join(dir, path));
    if (isEnsembleBundle(loaded)) {
      throw invalid(
        join(dir, path, MANIFEST_FILE),
        `The ensemble member ${join(dir, path)} is an ensemble itself.`,
      );
    }
    return loaded;
  });
  return { dir, manifest: manifest as LoadedEnsembleBundle['manifest'], members };
}

/**
 * `topdown predict <bundle> <input.csv> [--output <file>]`: predictions from a model bundle, in this process
 * (one model, or an ensemble's few; no folds: no worker pool). TensorFlow.js is loaded only when a network
 * predicts.
 */
import { join, resolve } from 'node:path';
import { TopdownError } from '../../core/errors';
import { writeFileAtomic } from '../../core/runs/files';
import { loadEstimator, savedModelNeedsTensorflow } from '../../core/models/persist';
import { isEnsembleBundle, readBundle, type LoadedBundle } from '../../core/present/bundle';
import { Pipeline } from '../../core/prepare/pipeline';
import { formatCsv, predictEnsembleInput, predictInput } from '../../core/present/predict';
import type { Task } from '../../core/config';
import type { InputScore } from '../../core/present/score-input';
import { formatScore, metricLabel } from '../../shared/format';
import { defaultPredictionsPath } from '../../shared/predictions';
import type { EnsembleMethod } from '../../core/improve/types';
import type { Estimator, TF } from '../../core/models/types';
import type { BackendName } from '../../protocol/records';
import { loadBackend } from '../backend';
import type { Reporter } from '../reporter';

/** Options of predictJob. */
export interface PredictOptions {
  /** Where to write the predictions; default `<input>.predictions.csv` beside the input; `-`: stdout. */
  output?: string;
  backend: BackendName | 'auto';
  reporter: Reporter;
}

/** What `topdown predict --json` prints. */
export interface PredictResult {
  step: 'predict';
  /** Absolute bundle folder. */
  bundle: string;
  /** Absolute input: the CSV, or the first image folder or file. */
  input: string;
  /** Absolute inputs, all of them (image files may be several). */
  inputs: string[];
  /** Absolute predictions CSV, or `-` when they went to stdout. */
  output: string;
  /** Lines of predictions written (horizon steps for time series). */
  rows: number;
  task: Task;
  candidate: string;
  /** Classification: the classes, in the order of the `p_<class>` columns. */
  classes?: string[];
  /** The backend that ran the model (`none` for models without TensorFlow.js). */
  backend: string;
  /** Ensemble bundles: how the members' predictions are combined. */
  method?: EnsembleMethod;
  /** Ensemble bundles: the members that predicted, in order. */
  members?: string[];
  /** When the input holds the target column: the predictions scored against its actual values. */
  score?: InputScore;
}

/** `--output -`: the predictions CSV goes to stdout, to pipe into another program. */
export const STDOUT = '-';

/** Writes the CSV whole (or not at all) to `output`, or to stdout for `-`; returns the absolute path or `-`. */
function writePredictions(csv: string, output: string): string {
  if (output === STDOUT) {
    process.stdout.write(csv);
    return STDOUT;
  }
  const path = resolve(output);
  writeFileAtomic(path, csv);
  return path;
}

/**
 * Predicts the input with the bundle in `bundleDir` and writes the predictions CSV: a CSV file, or for an image
 * bundle a folder of images, image files or an IDX images file.
 */
export async function predictJob(
  bundleDir: string,
  inputPaths: string | readonly string[],
  options: PredictOptions,
): Promise<PredictResult> {
  const dir = resolve(bundleDir);
  const inputs = (typeof inputPaths === 'string' ? [inputPaths] : inputPaths).map((path) => resolve(path));
  const input = inputs[0];
  const bundle = readBundle(dir);
  // An ensemble predicts with each of its members' bundles; a single model is its own only member.
  const models = isEnsembleBundle(bundle) ? bundle.members : [bundle];
  let backend = 'none';
  let tf;
  if (models.some((model) => savedModelNeedsTensorflow(model.dir))) {
    const loaded = await loadBackend(options.backend);
    tf = loaded.tf;
    backend = loaded.info.name;
    options.reporter.emit({ type: 'job/backend', backend: loaded.info });
  }
  const estimators: Estimator[] = [];
  try {
    for (const model of models) estimators.push(await loadModel(model, tf));
    const table = isEnsembleBundle(bundle)
      ? await predictEnsembleInput(bundle, estimators, inputs)
      : await predictInput(bundle, estimators[0], inputs);
    const output = writePredictions(formatCsv(table), options.output ?? defaultPredictionsPath(input));
    options.reporter.emit({
      type: 'log',
      level: 'info',
      message: `Wrote ${table.rows.length} predictions to ${output === STDOUT ? 'stdout' : output}.`,
    });
    const result: PredictResult = {
      step: 'predict',
      bundle: dir,
      input,
      inputs,
      output,
      rows: table.rows.length,
      task: bundle.manifest.task,
      candidate: bundle.manifest.candidate.name,
      backend,
    };
    if (bundle.manifest.classes) result.classes = bundle.manifest.classes;
    if (table.score) {
      result.score = table.score;
      options.reporter.emit({ type: 'log', level: 'info', message: describeScore(table.score) });
    }
    if (isEnsembleBundle(bundle)) {
      result.method = bundle.manifest.ensemble.method;
      result.members = bundle.manifest.ensemble.members.map((member) => member.name);
    }
    return result;
  } finally {
    for (const estimator of estimators) estimator.dispose();
  }
}

/**
 * A model's estimator, read from its bundle folder, after checking that its saved preparation rebuilds. What
 * fails here is the bundle's own content, so it is a damaged bundle (BUNDLE_INVALID); errors after it (the
 * input file, the disk, a bug) keep their own codes.
 */
async function loadModel(model: LoadedBundle, tf: TF | undefined): Promise<Estimator> {
  try {
    Pipeline.fromState(model.pipeline);
    return await loadEstimator(model.dir, { tf });
  } catch (error) {
    throw damagedBundle(error, model.dir);
  }
}

/** The score of predictions against the input's actual values, in one sentence. */
export function describeScore(score: InputScore): string {
  const left = score.skipped > 0 ? ` (${score.skipped} without a known ${score.target} left out)` : '';
  return `The input holds ${score.target}: against its actual values the predictions score ${metricLabel(score.metric)} ${formatScore(score.value)} on ${score.rows} rows${left}.`;
}

/**
 * A bundle is data: whatever its checked files still hold that the loader cannot use (a string where a list of
 * weights belongs, say) is a damaged bundle, located at its manifest, not an internal error.
 */
function damagedBundle(error: unknown, dir: string): unknown {
  if (error instanceof TopdownError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new TopdownError('BUNDLE_INVALID', `The model bundle in ${dir} cannot be used (${reason}).`, {
    file: join(dir, 'bundle.json'),
    hint: 'It was changed or damaged after `topdown present` wrote it: run `topdown present` again.',
  });
}

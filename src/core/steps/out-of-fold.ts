/**
 * Out-of-fold predictions: a fold's validation predictions in the compact form step 3 keeps in each run's folder
 * (`out-of-fold.json`, format in `protocol/out-of-fold.ts`), the whole file from a run's folds, and the one
 * reader that checks a file read back from disk before a view uses it.
 */
import { argmax } from '../data/images/confused';
import {
  OUT_OF_FOLD_SCHEMA_VERSION,
  type FoldPredictions,
  type OutOfFoldFile,
} from '../../protocol/out-of-fold';

/** Decimals of a stored probability. */
const PROBABILITY_DECIMALS = 4;

/** A probability rounded to the stored decimals. */
function roundProbability(value: number): number {
  const scale = 10 ** PROBABILITY_DECIMALS;
  return Math.round(value * scale) / scale;
}

/** A float32 value at the digits float32 carries (36.2, not 36.20000076293945). */
function float32Value(value: number): number {
  return Number.isFinite(value) ? Number(Math.fround(value).toPrecision(7)) : value;
}

/**
 * The compact form of one fold's validation predictions. Classification: `predictions` are probabilities
 * [samples, classes] row-major and `truth` class indices; else both are values [samples, outputs] in target
 * units. `rows` gives each sample's table row.
 */
export function compactFoldPredictions(
  index: number,
  scored: { predictions: ArrayLike<number>; truth: ArrayLike<number> },
  rows: ArrayLike<number>,
  classification: boolean,
): FoldPredictions {
  const samples = rows.length;
  const fold: FoldPredictions = { index, rows: Array.from(rows), truth: [], predicted: [] };
  if (!classification) {
    fold.truth = Array.from(scored.truth, float32Value);
    fold.predicted = Array.from(scored.predictions, float32Value);
    return fold;
  }
  const width = samples > 0 ? scored.predictions.length / samples : 0;
  fold.probability = [];
  fold.truthProbability = [];
  for (let sample = 0; sample < samples; sample++) {
    const offset = sample * width;
    const truth = scored.truth[sample];
    const predicted = argmax(scored.predictions, offset, width);
    fold.truth.push(truth);
    fold.predicted.push(predicted);
    fold.probability.push(roundProbability(scored.predictions[offset + predicted]));
    fold.truthProbability.push(roundProbability(scored.predictions[offset + truth]));
  }
  return fold;
}

/** The file of a run from its folds' compact predictions (in fold order, whatever order they finished in). */
export function outOfFoldFile(
  run: { candidate: string; task: string; outputs: number; classes?: readonly string[] },
  folds: Iterable<FoldPredictions>,
): OutOfFoldFile {
  const file: OutOfFoldFile = {
    schemaVersion: OUT_OF_FOLD_SCHEMA_VERSION,
    candidate: run.candidate,
    task: run.task,
    outputs: run.outputs,
    folds: [...folds].sort((left, right) => left.index - right.index),
  };
  if (run.classes) file.classes = [...run.classes];
  return file;
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'number');
}

/** Whether one fold read back is whole: arrays of numbers whose lengths agree. */
function isFold(value: unknown, outputs: number, classification: boolean): value is FoldPredictions {
  if (!value || typeof value !== 'object') return false;
  const fold = value as Partial<FoldPredictions>;
  if (!Number.isInteger(fold.index) || !isNumberArray(fold.rows)) return false;
  if (!isNumberArray(fold.truth) || !isNumberArray(fold.predicted)) return false;
  const width = classification ? 1 : outputs;
  const values = fold.rows.length * width;
  if (fold.truth.length !== values || fold.predicted.length !== values) return false;
  if (!classification) return true;
  return (
    isNumberArray(fold.probability) &&
    isNumberArray(fold.truthProbability) &&
    fold.probability.length === fold.rows.length &&
    fold.truthProbability.length === fold.rows.length
  );
}

/**
 * The out-of-fold file in `text`, or undefined when it is not one this version reads (another schema version, a
 * cut or edited file): a view then shows nothing rather than wrong predictions. Class indices are checked
 * against `classes`.
 */
export function parseOutOfFold(text: string): OutOfFoldFile | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const file = value as Partial<OutOfFoldFile>;
  if (file.schemaVersion !== OUT_OF_FOLD_SCHEMA_VERSION) return undefined;
  if (typeof file.candidate !== 'string' || typeof file.task !== 'string') return undefined;
  if (!Number.isInteger(file.outputs) || (file.outputs as number) < 1 || !Array.isArray(file.folds))
    return undefined;
  const classes = file.classes;
  if (classes !== undefined && !(Array.isArray(classes) && classes.every((name) => typeof name === 'string')))
    return undefined;
  const classification = classes !== undefined;
  if (!file.folds.every((fold) => isFold(fold, file.outputs!, classification))) return undefined;
  if (classification) {
    const valid = (index: number): boolean => Number.isInteger(index) && index >= 0 && index < classes.length;
    if (!file.folds.every((fold) => fold.truth.every(valid) && fold.predicted.every(valid))) return undefined;
  }
  return file as OutOfFoldFile;
}

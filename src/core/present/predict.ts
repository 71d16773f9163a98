/**
 * Predictions from a model bundle for a new CSV, applying exactly the saved preparation (Pipeline.fromState).
 * The input needs the columns the model reads, with the types they had in training; the target may be there
 * (it is ignored) or not. Classifiers give the predicted class and one `p_<class>` probability per class;
 * regression gives the value in target units. Time series: the bundle forecasts the next `horizon` values from
 * the last `lookBack` rows of the input (ordered by the time column when the input has it), so the input is
 * the recent history of the series, target column included. An ensemble bundle predicts with each member
 * and combines their predictions. A bundle trained on images predicts images (a folder, image files, or an IDX
 * file, read through the data-source seam at the training size); an IDX file's labels are kept beside them.
 */
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { isClassification } from '../config';
import { readCsv } from '../data/csv';
import { loadImageInput } from '../data/source';
import { closestName } from '../data/infer';
import { encodingError, StrictUtf8 } from '../data/encoding';
import { selectRows, type Column, type ColumnType, type Table } from '../data/table';
import type { Dataset } from '../dataset';
import { TopdownError } from '../errors';
import { modelInput } from '../models/kinds';
import type { Estimator } from '../models/types';
import { DIVERGED_HINT, firstNonFinite } from '../models/diverged';
import { combinePredictions } from '../improve/ensemble';
import { Pipeline, type OpState } from '../prepare/pipeline';
import { scoreInput, type InputScore } from './score-input';
import { MANIFEST_FILE, type BundleManifest, type LoadedBundle, type LoadedEnsembleBundle } from './bundle';

/** A table of predictions, ready to be written as CSV. */
export interface PredictionTable {
  header: string[];
  rows: Array<Array<string | number>>;
  /** When the input holds the target column: the predictions scored against its actual values. */
  score?: InputScore;
}

/** The header of a CSV file (trimmed names), read from its first 64 KB. */
export function readCsvHeader(file: string): string[] {
  if (!existsSync(file)) {
    throw new TopdownError('CSV_NOT_FOUND', `Input file not found: ${file}`, {
      file,
      hint: 'Check the path of the CSV to predict.',
    });
  }
  if (!statSync(file).isFile()) {
    throw new TopdownError('CSV_NOT_FOUND', `The input ${file} is not a file.`, {
      file,
      hint: 'Give the path of the CSV file to predict.',
    });
  }
  const buffer = Buffer.alloc(65536);
  const handle = openSync(file, 'r');
  let length: number;
  try {
    length = readSync(handle, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(handle);
  }
  // Strict UTF-8 as the CSV reader decodes it: a UTF-16 file is CSV_ENCODING, not a header of garbled names.
  const decoded = new StrictUtf8().decode(buffer.subarray(0, length), length < buffer.length);
  if (typeof decoded !== 'string') throw encodingError(file, decoded.before.split('\n').length, decoded);
  const text = decoded.replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { preview: 1 });
  return (parsed.data[0] ?? []).map((name) => name.trim());
}

/** The CSV columns a bundle reads from an input file (the target only for time series). */
function requiredInputs(bundle: LoadedBundle): Array<{ name: string; type: ColumnType }> {
  const { manifest } = bundle;
  return manifest.inputs.filter((input) => manifest.task === 'time-series' || input.name !== manifest.target);
}

/**
 * What to predict: a CSV file; or, for a bundle trained on images, a folder of images, image files, or one IDX
 * images file.
 */
export type PredictInput = string | readonly string[];

/**
 * Reads the input: images through the data-source seam at the bundle's image size; a CSV with the training types
 * forced, after checking that every needed column is there.
 */
async function readInput(bundle: LoadedBundle, input: PredictInput): Promise<Table> {
  const paths = typeof input === 'string' ? [input] : input;
  const images = bundle.pipeline.images;
  if (images) return loadImageInput(paths, images, bundle.pipeline.problem.classNames);
  if (paths.length !== 1) {
    throw new TopdownError('USAGE', `This model reads one CSV file; got ${paths.length} inputs.`, {
      hint: 'Give one CSV file with the columns the model reads.',
    });
  }
  return readCsvInput(bundle, paths[0]);
}

async function readCsvInput(bundle: LoadedBundle, file: string): Promise<Table> {
  const { manifest } = bundle;
  const header = readCsvHeader(file);
  const required = requiredInputs(bundle);
  const names = required.map((input) => input.name);
  for (const input of required) {
    if (header.includes(input.name)) continue;
    const closest = closestName(input.name, header);
    throw new TopdownError(
      'COLUMN_NOT_FOUND',
      `The input ${file} has no column "${input.name}", which the model needs.`,
      {
        file,
        column: input.name,
        suggestion: closest,
        hint: `${closest ? `Did you mean "${closest}"? ` : ''}The model reads: ${names.join(', ')}.`,
      },
    );
  }
  const types: Record<string, ColumnType> = {};
  for (const input of required) types[input.name] = input.type === 'numeric' ? 'numeric' : 'categorical';
  for (const name of manifest.idColumns) if (header.includes(name)) types[name] = 'identifier';
  // Markers for columns the input lacks (its target, say) would be refused by readCsv.
  const missing = Object.fromEntries(
    Object.entries(manifest.missing ?? {}).filter(([name]) => name === '*' || header.includes(name)),
  );
  return readCsv(file, { missing, types });
}

/** The input as the pipeline reads it: the needed columns plus a placeholder target where it is not a feature. */
function modelTable(bundle: LoadedBundle, input: Table): Table {
  const { manifest } = bundle;
  const byName = new Map(input.columns.map((column) => [column.name, column]));
  const columns: Column[] = requiredInputs(bundle).map((required) => byName.get(required.name) as Column);
  if (manifest.task !== 'time-series') {
    // The pipeline checks and encodes a target; predictions never read it, so any valid value will do.
    const placeholder: Column = isClassification(manifest.task)
      ? {
          name: manifest.target,
          type: 'categorical',
          values: new Array<string>(input.rowCount).fill(manifest.classes?.[0] ?? ''),
        }
      : { name: manifest.target, type: 'numeric', values: new Float32Array(input.rowCount) };
    columns.push(placeholder);
  }
  const table: Table = { file: input.file, columns, rowCount: input.rowCount };
  if (input.images) table.images = input.images;
  return table;
}

/** Time series: rows ordered by time, then `horizon` copies of the last row so the last window is complete. */
function forecastTable(bundle: LoadedBundle, input: Table, table: Table): Table {
  const { manifest } = bundle;
  const window = manifest.window ?? { lookBack: 1, horizon: 1 };
  if (table.rowCount < window.lookBack) {
    throw new TopdownError(
      'PREPARE_INVALID',
      `The model forecasts from the last ${window.lookBack} rows of history; ${input.file} has ${table.rowCount}.`,
      { file: input.file, hint: `Give at least ${window.lookBack} rows of the series, oldest first.` },
    );
  }
  const order = Array.from({ length: table.rowCount }, (_, row) => row);
  const time = manifest.timeColumn
    ? input.columns.find((column) => column.name === manifest.timeColumn)
    : undefined;
  if (time && (time.type === 'numeric' || time.type === 'date')) {
    const values = time.values;
    order.sort((a, b) => values[a] - values[b] || a - b);
  }
  const last = order[order.length - 1];
  for (let step = 0; step < window.horizon; step++) order.push(last);
  return selectRows(table, order);
}

/** Known values of a category column in the fitted pipeline, for an unseen-category error. */
function knownCategories(bundle: LoadedBundle, column: string): string[] | undefined {
  for (const step of bundle.pipeline.steps as OpState[]) {
    if (step.op !== 'onehot' && step.op !== 'ordinal') continue;
    const position = step.columns.indexOf(column);
    if (position >= 0) return step.categories[position];
  }
  return undefined;
}

/** Pipeline errors reworded for an input file: the fix is in the file, not in topdown.json. */
function inputError(bundle: LoadedBundle, error: unknown): unknown {
  if (!(error instanceof TopdownError) || error.column === undefined) return error;
  const where = { file: error.file, row: error.row, column: error.column };
  if (error.code === 'UNSEEN_CATEGORY') {
    const known = knownCategories(bundle, error.column);
    return new TopdownError(error.code, error.message, {
      ...where,
      hint: `Known values: ${(known ?? []).join(', ')}. Fix the value, or present a model whose onehot op has "unknown": "ignore".`,
    });
  }
  if (error.code === 'PREPARE_INVALID' && error.row !== undefined) {
    return new TopdownError(
      error.code,
      `Column "${error.column}" is empty in row ${error.row}, and the model's preparation fills no missing values there.`,
      { ...where, hint: 'Fill in the value, or present a model whose preparation imputes this column.' },
    );
  }
  return error;
}

/** Prepares the input exactly as the bundle's pipeline was fitted to. */
export async function prepareInput(
  bundle: LoadedBundle,
  inputFile: PredictInput,
): Promise<{ dataset: Dataset; pipeline: Pipeline; input: Table }> {
  const input = await readInput(bundle, inputFile);
  let table = modelTable(bundle, input);
  if (bundle.manifest.task === 'time-series') table = forecastTable(bundle, input, table);
  const pipeline = Pipeline.fromState(bundle.pipeline);
  try {
    const prepared = pipeline.transform(table);
    const dataset = bundle.manifest.task === 'time-series' ? lastWindow(prepared) : prepared;
    return { dataset, pipeline, input };
  } catch (error) {
    throw inputError(bundle, error);
  }
}

/** The last window of a windowed Dataset: the one whose history is the input's last rows. */
function lastWindow(windows: Dataset): Dataset {
  const count = windows.xShape[0];
  const size = windows.x.length / count;
  const horizon = windows.yShape[1] ?? 1;
  return {
    ...windows,
    x: windows.x.slice((count - 1) * size),
    xShape: [1, ...windows.xShape.slice(1)],
    y: windows.y.slice((count - 1) * horizon),
    yShape: [1, horizon],
    rowIndex: windows.rowIndex.slice(count - 1),
    persistence: windows.persistence?.slice((count - 1) * horizon),
  };
}

/** A model's predictions for an input file: probabilities, or values in target units. */
interface RawPredictions {
  predictions: Float32Array;
  /** The input row (0-based) of each prediction row; the CSV's `row` column counts data rows from 1. */
  rowIndex: ArrayLike<number>;
  input: Table;
}

async function predictRaw(
  bundle: LoadedBundle,
  estimator: Estimator,
  inputFile: PredictInput,
): Promise<RawPredictions> {
  const prepared = await prepareInput(bundle, inputFile);
  const { pipeline, input } = prepared;
  const dataset = modelInput(prepared.dataset, estimator.kind);
  let predictions = await estimator.predict(dataset);
  if (!isClassification(bundle.manifest.task)) predictions = pipeline.inverseTarget(predictions);
  checkPredictions(bundle, input.file, predictions, dataset.rowIndex);
  return { predictions, rowIndex: dataset.rowIndex, input };
}

/**
 * DIVERGED, naming the input row, when a bundle's model predicts a value that is not a finite number (its
 * training diverged): no NaN probability is ever written.
 */
function checkPredictions(
  bundle: LoadedBundle,
  inputFile: string,
  predictions: Float32Array,
  rowIndex: ArrayLike<number>,
): void {
  const bad = firstNonFinite(predictions);
  if (bad < 0) return;
  const width = Math.max(1, Math.round(predictions.length / Math.max(1, rowIndex.length)));
  const row = rowIndex[Math.floor(bad / width)] + 2; // 1-based, after the header row
  throw new TopdownError(
    'DIVERGED',
    `The model in ${bundle.dir} predicts ${predictions[bad]} for row ${row} of ${inputFile}: its training diverged.`,
    { file: inputFile, row, hint: `Present the model again after fixing its training: ${DIVERGED_HINT}` },
  );
}

/** Predicts the input with a loaded estimator: one row per input row (one per horizon step for time series). */
export async function predictInput(
  bundle: LoadedBundle,
  estimator: Estimator,
  inputFile: PredictInput,
): Promise<PredictionTable> {
  return predictionTable(bundle.manifest, await predictRaw(bundle, estimator, inputFile));
}

/**
 * Predicts the input with an ensemble bundle: each member applies its own saved preparation and model, and
 * their predictions are combined as step 4 scored them (`average` or `vote`, see combinePredictions).
 * `estimators` are the members' loaded estimators, in the bundle's member order.
 */
export async function predictEnsembleInput(
  bundle: LoadedEnsembleBundle,
  estimators: readonly Estimator[],
  inputFile: PredictInput,
): Promise<PredictionTable> {
  const { manifest } = bundle;
  const raw: RawPredictions[] = [];
  for (let index = 0; index < bundle.members.length; index++)
    raw.push(await predictRaw(bundle.members[index], estimators[index], inputFile));
  const rows = Array.from(raw[0].rowIndex);
  raw.forEach((member, index) => {
    const same =
      member.rowIndex.length === rows.length && rows.every((row, at) => member.rowIndex[at] === row);
    if (!same) {
      throw new TopdownError(
        'BUNDLE_INVALID',
        `The ensemble members "${manifest.ensemble.members[0].name}" and "${manifest.ensemble.members[index].name}" predict different rows of ${String(inputFile)}, so their predictions cannot be combined.`,
        { file: join(bundle.dir, MANIFEST_FILE), hint: 'Run `topdown present` again to rebuild the bundle.' },
      );
    }
  });
  const predictions = combinePredictions(
    manifest.ensemble.method,
    raw.map((member) => member.predictions),
    manifest.outputUnits,
    manifest.task,
  );
  return predictionTable(manifest, { ...raw[0], predictions });
}

/** The predictions CSV for a manifest's task: ids and class probabilities, or values, or forecast steps. */
function predictionTable(manifest: BundleManifest, raw: RawPredictions): PredictionTable {
  const table = predictionRows(manifest, raw);
  const score = scoreInput(manifest, raw.input, raw.predictions, raw.rowIndex);
  return score ? { ...table, score } : table;
}

function predictionRows(manifest: BundleManifest, raw: RawPredictions): PredictionTable {
  const { predictions, rowIndex, input } = raw;
  if (manifest.task === 'time-series') {
    return {
      header: ['step', 'prediction'],
      rows: Array.from(predictions, (value, step) => [step + 1, value]),
    };
  }
  // Labelled images (an IDX file) keep their label beside the prediction, so the file scores itself.
  const labelled = input.images ? [manifest.target] : [];
  const ids = [...manifest.idColumns, ...labelled]
    .map((name) => input.columns.find((column) => column.name === name))
    .filter((column): column is Column => column !== undefined);
  const classes = manifest.classes ?? [];
  const header = ['row', ...ids.map((column) => column.name), 'prediction'];
  if (isClassification(manifest.task)) header.push(...classes.map((label) => `p_${label}`));
  const rows = Array.from(rowIndex, (tableRow, sample) => {
    const row: Array<string | number> = [tableRow + 1];
    for (const column of ids) row.push(cellText(column, tableRow));
    if (isClassification(manifest.task)) {
      const probabilities = Array.from(
        predictions.subarray(sample * classes.length, (sample + 1) * classes.length),
      );
      let best = 0;
      for (let index = 1; index < probabilities.length; index++)
        if (probabilities[index] > probabilities[best]) best = index;
      row.push(classes[best], ...probabilities.map(formatProbability));
    } else {
      row.push(formatFloat32(predictions[sample]));
    }
    return row;
  });
  return { header, rows };
}

/**
 * A float32 value at the precision it was stored with: the fewest significant digits that read back as the same
 * float32 (36.2, not 36.2000008), so values print as the data wrote them.
 */
export function formatFloat32(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const stored = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const text = String(Number(value.toPrecision(digits)));
    if (Math.fround(Number(text)) === stored) return text;
  }
  return String(Number(value.toPrecision(9)));
}

/** Probabilities with six decimals in plain notation: 1.000000 and 0.000005, never 1.3e-18 beside 1. */
export function formatProbability(value: number): string {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)).toFixed(6) : String(value);
}

function cellText(column: Column, row: number): string | number {
  const value = column.values[row];
  if (value === null) return '';
  return typeof value === 'number' && Number.isNaN(value) ? '' : value;
}

/** A text that is just a number (`-1.5`, `+3`, `2e-4`): spreadsheets read it as one, never as a formula. */
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A text cell a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return, as ids and class labels from a CSV may) gets a leading `'`, so it shows as text (CSV injection).
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/**
 * A CSV text (header + rows), quoting fields that hold a comma, a quote or a line break. Text cells (ids, class
 * labels, column names: all from the data) are neutralised against formulas; numbers are written as numbers.
 */
export function formatCsv(table: PredictionTable): string {
  const field = (value: string | number): string => {
    const text = typeof value === 'number' ? String(Number(value.toPrecision(9))) : neutraliseFormula(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [table.header, ...table.rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}

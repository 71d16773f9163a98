/**
 * The planner's step 2: which zeros mean "missing", and the preparation pipeline (impute, one-hot encode,
 * standardize; the image op for images; scaling and windows for a series), each op with its reason.
 */
import type { DatePart, PrepareOp, ProblemConfig, Task } from '../config';
import type { Table } from '../data/table';
import type { PlanChoice } from './candidates';
import type { ColumnSummary } from './columns';
import { imageShape, lookBackFor } from './task';
import { chooseDateParts, datePartNames } from '../prepare/dates';

/** Zeros that mean missing (into problem.missing) and the columns that need imputing. */
export function chooseMissing(
  kept: ColumnSummary[],
  task: Task,
  problem: ProblemConfig,
  choices: PlanChoice[],
): Set<string> {
  const missing = new Set<string>();
  const zeros: Record<string, number[]> = {};
  for (const column of kept) {
    if (column.missingZeros > 0 && task !== 'image') {
      zeros[column.name] = [0];
      missing.add(column.name);
      choices.push({
        topic: 'missing values',
        choice: `a 0 in "${column.name}" means missing`,
        why: `"${column.name}" has ${column.missingZerosWhy ?? `${column.missingZeros} zeros`} (as Pima's glucose). Remove "${column.name}" from problem.missing if 0 is a real value.`,
      });
    }
    if (column.missing > 0) missing.add(column.name);
  }
  if (Object.keys(zeros).length > 0) problem.missing = zeros;
  return missing;
}

/** The prepare ops: impute, one-hot, standardize; or image / minmax + window for those tasks. */
export function choosePreparation(
  table: Table,
  kept: ColumnSummary[],
  target: ColumnSummary,
  task: Task,
  missing: Set<string>,
  choices: PlanChoice[],
  timeColumn?: string,
  nonNegative = false,
): { prepare: PrepareOp[]; featureCount: number; lookBack?: number; imageSide?: number } {
  const features = kept.filter((column) => column.type !== 'date');
  if (task === 'image') return imagePreparation(features, choices);
  const prepare: PrepareOp[] = [];
  const dated = kept.filter((column) => column.type === 'date' && column.name !== timeColumn);
  const dates = planDates(table, dated, missing, prepare, choices);
  const numeric = features.filter((column) => column.type === 'numeric');
  const codes = numeric.filter((column) => column.codes);
  const categorical = features.filter((column) => column.type === 'categorical');
  const missingNumeric = [
    ...numeric.filter((column) => missing.has(column.name)).map((column) => column.name),
    ...dates.missing,
  ];
  const missingText = categorical.filter((column) => missing.has(column.name)).map((column) => column.name);
  if (task === 'time-series' && target.missing > 0) missingNumeric.push(target.name);
  imputeOps(missingNumeric, missingText, task, prepare, choices);
  const onehot = [...codes, ...categorical].map((column) => column.name);
  let featureCount = numeric.length - codes.length + dates.features;
  for (const column of [...codes, ...categorical]) featureCount += column.distinct;
  if (onehot.length > 0) onehotOp(onehot, codes, prepare, choices);
  const scaled = numeric.filter((column) => !column.codes).map((column) => column.name);
  if (task === 'time-series') {
    const lookBack = lookBackFor(table, kept, table.rowCount);
    prepare.push({ op: 'minmax' }, { op: 'window', lookBack: lookBack.value });
    choices.push({
      topic: 'preparation',
      choice: `scale to 0–1, then windows of ${lookBack.value} rows`,
      why: `Recurrent networks train best on small values; the series is scaled (learned on the training part) and scores are reported back in its own units. ${lookBack.why}`,
    });
    return { prepare, featureCount: (featureCount + 1) * lookBack.value, lookBack: lookBack.value };
  }
  scaleOp(scaled, nonNegative, prepare, choices);
  return { prepare, featureCount };
}

/** Images: the pixel columns, in file order, become one image per row, divided by the largest value. */
function imagePreparation(
  features: ColumnSummary[],
  choices: PlanChoice[],
): { prepare: PrepareOp[]; featureCount: number; imageSide: number } {
  const shape = imageShape(features.length) as { side: number; channels: number };
  const scale = Math.max(...features.map((column) => column.max));
  choices.push({
    topic: 'preparation',
    choice: `image ${shape.side}×${shape.side}×${shape.channels}, pixels divided by ${scale}`,
    why: 'The pixel columns, in file order, become one image per row; dividing by the largest value puts pixels between 0 and 1.',
  });
  return {
    prepare: [{ op: 'image', rows: shape.side, cols: shape.side, channels: shape.channels, scale }],
    featureCount: features.length,
    imageSide: shape.side,
  };
}

/** Imputes missing numbers (median; mean for a series) and missing categories (the most frequent). */
function imputeOps(
  missingNumeric: string[],
  missingText: string[],
  task: Task,
  prepare: PrepareOp[],
  choices: PlanChoice[],
): void {
  if (missingNumeric.length > 0) {
    prepare.push({
      op: 'impute',
      columns: missingNumeric,
      strategy: task === 'time-series' ? 'mean' : 'median',
    });
    choices.push({
      topic: 'preparation',
      choice: `impute the ${task === 'time-series' ? 'mean' : 'median'} of ${list(missingNumeric)}`,
      why: 'Models need a number in every cell; the median (learned on each training fold only) is robust to outliers.',
    });
  }
  if (missingText.length > 0) {
    prepare.push({ op: 'impute', columns: missingText, strategy: 'most-frequent' });
    choices.push({
      topic: 'preparation',
      choice: `fill ${list(missingText)} with the most frequent category`,
      why: 'An empty category cell becomes the commonest one, learned on each training fold.',
    });
  }
}

/** One-hot encodes categories and the numeric columns that read like category codes. */
function onehotOp(
  onehot: string[],
  codes: ColumnSummary[],
  prepare: PrepareOp[],
  choices: PlanChoice[],
): void {
  prepare.push({ op: 'onehot', columns: onehot, unknown: 'ignore' });
  choices.push({
    topic: 'preparation',
    choice: `one-hot encode ${list(onehot)}`,
    why: `Categories become one 0/1 column each, so no order is invented between them; a category seen only in a validation fold becomes all zeros.${codes.length > 0 ? ` ${list(codes.map((column) => column.name))} ${codes.length > 1 ? 'hold' : 'holds'} a few whole numbers starting at 0 or 1 (${codes.map((column) => `${column.min}–${column.max}`).join(', ')}): those read like category codes (as auto-mpg's origin 1/2/3). If the order means something (a rating, a count), move ${codes.length > 1 ? 'them' : 'it'} to the standardize op.` : ''}`,
  });
}

/** Scales the numeric columns: to 0–1 beside text features (non-negative), else standardized. */
function scaleOp(scaled: string[], nonNegative: boolean, prepare: PrepareOp[], choices: PlanChoice[]): void {
  if (scaled.length > 0 && nonNegative) {
    prepare.push({ op: 'minmax', columns: scaled });
    choices.push({
      topic: 'preparation',
      choice: `scale ${list(scaled)} to 0–1`,
      why: 'Each numeric column is scaled by its training minimum and maximum, so no column dominates by its units and every feature stays non-negative beside the text weights (multinomial naive Bayes needs that).',
    });
  } else if (scaled.length > 0) {
    prepare.push({ op: 'standardize', columns: scaled });
    choices.push({
      topic: 'preparation',
      choice: `standardize ${list(scaled)}`,
      why: 'Each numeric column gets mean 0 and standard deviation 1 (learned on each training fold), so no column dominates by its units and networks train faster.',
    });
  }
}

/** Words for the parts a date op derives. */
const PART_WORDS: Record<DatePart, string> = {
  year: 'the year',
  month: 'the month',
  dayOfYear: 'the day of the year',
  weekday: 'the weekday',
  hour: 'the hour',
};

/**
 * A date op for the date columns that are not a series' time axis (the caller leaves that one out): which parts
 * the dates carry, and the derived columns that need imputing where dates are missing.
 */
function planDates(
  table: Table,
  dates: ColumnSummary[],
  missing: Set<string>,
  prepare: PrepareOp[],
  choices: PlanChoice[],
): { features: number; missing: string[] } {
  if (dates.length === 0) return { features: 0, missing: [] };
  const derived = dates.map((summary) => {
    const column = table.columns.find((candidate) => candidate.name === summary.name);
    const parts = chooseDateParts(column?.type === 'date' ? column.values : new Float64Array());
    return { name: summary.name, parts, names: datePartNames(summary.name, parts) };
  });
  prepare.push({ op: 'date', columns: dates.map((column) => column.name) });
  for (const entry of derived) {
    choices.push({
      topic: 'preparation',
      choice: `derive ${entry.parts.map((part) => PART_WORDS[part]).join(', ')} from "${entry.name}"`,
      why: `A date as it is means nothing to a model, but its parts carry signal: the year for a trend, the season and the weekday for cycles. Periodic parts become a sine and a cosine, so 31 December sits next to 1 January; the parts were chosen from the dates (${describeSpan(entry.parts)}).`,
    });
  }
  return {
    features: derived.reduce((sum, entry) => sum + entry.names.length, 0),
    missing: derived.filter((entry) => missing.has(entry.name)).flatMap((entry) => entry.names),
  };
}

function describeSpan(parts: DatePart[]): string {
  const reasons: string[] = [];
  if (parts.includes('year')) reasons.push('they span several years');
  if (parts.includes('dayOfYear')) reasons.push('more than a month');
  if (parts.includes('weekday')) reasons.push('they are less than a week apart');
  if (parts.includes('hour')) reasons.push('they have times of day');
  return reasons.join(', ') || 'one year';
}

function list(names: string[]): string {
  const quoted = names.map((name) => `"${name}"`);
  if (quoted.length <= 6) return quoted.join(', ');
  return `${quoted.slice(0, 5).join(', ')} and ${quoted.length - 5} more`;
}

/**
 * What the planner needs to know about each column of a CSV: its type, how many values are missing, how many
 * distinct values it has, and whether it is an identifier, a constant, a set of category codes, or a numeric
 * column whose zeros stand for "missing". Pure functions over a {@link Table}.
 */
import { isRowIdentifier } from '../data/infer';
import type { Column, ColumnType, Table } from '../data/table';

/** Category codes: integers 0..k-1 or 1..k with at most this many values (e.g. origin 1/2/3). */
export const MAX_CODE_VALUES = 8;

/** A column is mostly empty, and left out, when at least this fraction of its cells are missing. */
export const MOSTLY_EMPTY_FRACTION = 0.9;

/** Zeros count as "missing" only when the column's zero stands this many typical steps below its other values. */
const ZERO_GAP_STEPS = 5;
/** ... and the smallest positive value is at least this fraction of the median positive value. */
const ZERO_GAP_MEDIAN_FRACTION = 0.1;

/** The facts about one column that the planner's choices rest on. */
export interface ColumnSummary {
  name: string;
  type: ColumnType;
  /** Cells that are not missing. */
  present: number;
  /** Cells that are missing (empty or a missing marker). */
  missing: number;
  /** Distinct non-missing values. */
  distinct: number;
  /** Numeric columns whose values are all whole numbers. */
  integer: boolean;
  /** Smallest and largest value (numeric columns; NaN otherwise). */
  min: number;
  max: number;
  /** One value (or none) in every row. */
  constant: boolean;
  /** A name or row number per row: it cannot generalise. Says why, or undefined. */
  identifier?: string;
  /** Integer codes (0..k-1 or 1..k, k ≤ {@link MAX_CODE_VALUES}, at least 3) that look like categories. */
  codes: boolean;
  /** Numeric column whose zeros look like "missing" (they sit far below every other value); how many. */
  missingZeros: number;
  /** Smallest value above zero (numeric columns; NaN otherwise). */
  smallestPositive: number;
  /** Non-decreasing over the rows (dates and numbers): the column orders the rows. */
  ordered: boolean;
}

/** Names that say "identifier": `id`, `row_id`, `customer.key`, `CustomerId`, `ID_number`. */
const ID_NAMES = [
  /(^|[_\s.-])(id|uuid|guid|key|index)$/i,
  /^(id|uuid|guid|index)([_\s.-]|$)/i,
  /[a-z](Id|ID)$/,
];

/** Summaries of every column, in table order. */
export function summarizeColumns(table: Table): ColumnSummary[] {
  return table.columns.map((column) => summarizeColumn(column, table.rowCount));
}

/** The summary of one column. */
export function summarizeColumn(column: Column, rowCount: number): ColumnSummary {
  const summary: ColumnSummary = {
    name: column.name,
    type: column.type,
    present: 0,
    missing: 0,
    distinct: 0,
    integer: false,
    min: NaN,
    max: NaN,
    constant: false,
    codes: false,
    missingZeros: 0,
    smallestPositive: NaN,
    ordered: false,
  };
  if (column.type === 'numeric' || column.type === 'date') {
    summarizeNumbers(summary, column.values);
    if (column.type === 'numeric') {
      if (isRowIdentifier(column.values)) summary.identifier = 'it counts the rows (1, 2, 3, ...)';
      else if (
        summary.integer &&
        summary.distinct === rowCount &&
        rowCount >= 10 &&
        ID_NAMES.some((pattern) => pattern.test(column.name))
      )
        summary.identifier = 'its name says it is an identifier and every row has its own value';
      summary.codes = looksLikeCodes(summary);
      summary.missingZeros = countMissingZeros(column.values, summary);
    }
  } else {
    const distinct = new Set<string>();
    for (const value of column.values) {
      if (value === null) summary.missing++;
      else {
        summary.present++;
        distinct.add(value);
      }
    }
    summary.distinct = distinct.size;
    if (column.type === 'identifier')
      summary.identifier = 'most rows have their own text value (a name or code)';
  }
  summary.constant = summary.distinct <= 1;
  return summary;
}

function summarizeNumbers(summary: ColumnSummary, values: Float32Array | Float64Array): void {
  const distinct = new Set<number>();
  let integer = true;
  let ordered = true;
  let previous = -Infinity;
  let min = Infinity;
  let max = -Infinity;
  let smallestPositive = Infinity;
  for (const value of values) {
    if (Number.isNaN(value)) {
      summary.missing++;
      ordered = false;
      continue;
    }
    summary.present++;
    distinct.add(value);
    if (integer && !Number.isInteger(value)) integer = false;
    if (value < previous) ordered = false;
    previous = value;
    if (value < min) min = value;
    if (value > max) max = value;
    if (value > 0 && value < smallestPositive) smallestPositive = value;
  }
  summary.distinct = distinct.size;
  summary.integer = integer && summary.present > 0;
  summary.ordered = ordered && summary.present > 1;
  summary.min = summary.present > 0 ? min : NaN;
  summary.max = summary.present > 0 ? max : NaN;
  summary.smallestPositive = Number.isFinite(smallestPositive) ? smallestPositive : NaN;
}

function looksLikeCodes(summary: ColumnSummary): boolean {
  if (!summary.integer || summary.distinct < 3 || summary.distinct > MAX_CODE_VALUES) return false;
  const span = summary.max - summary.min + 1;
  return span === summary.distinct && (summary.min === 0 || summary.min === 1);
}

/**
 * Zeros that mean "missing" (Pima's glucose of 0): a non-negative column with two or more zeros (fewer than
 * half the values), where the smallest positive value sits more than {@link ZERO_GAP_STEPS} typical steps above zero and
 * is at least a tenth of the median positive value (a measurement such as Sonar's energies, with values
 * spread down to 0.001, has its zero close to the rest).
 * A count such as "pregnancies" (0, 1, 2, ...) has its zero one step below the rest, so it stays a value.
 */
function countMissingZeros(values: Float32Array, summary: ColumnSummary): number {
  if (!(summary.min === 0) || !(summary.smallestPositive > 0) || summary.distinct < 10) return 0;
  let zeros = 0;
  const positives: number[] = [];
  for (const value of values) {
    if (value === 0) zeros++;
    else if (value > 0) positives.push(value);
  }
  // A single zero is too little evidence; half the values or more is not a gap but the bulk of the column.
  if (zeros < 2 || zeros * 2 >= summary.present) return 0;
  positives.sort((a, b) => a - b);
  const distinct = positives.filter((value, index) => index === 0 || value !== positives[index - 1]);
  const steps = distinct.slice(1).map((value, index) => value - distinct[index]);
  steps.sort((a, b) => a - b);
  const typicalStep = steps[Math.floor(steps.length / 2)];
  const medianPositive = positives[Math.floor(positives.length / 2)];
  const farFromZero =
    summary.smallestPositive > ZERO_GAP_STEPS * typicalStep &&
    summary.smallestPositive >= ZERO_GAP_MEDIAN_FRACTION * medianPositive;
  return farFromZero ? zeros : 0;
}

/** True when every row holds the same values in every column (nothing varies, nothing can be learned). */
export function allRowsIdentical(table: Table): boolean {
  if (table.rowCount < 2) return false;
  return table.columns.every((column) => {
    const first = column.values[0];
    for (let row = 1; row < table.rowCount; row++) {
      const value = column.values[row];
      const same =
        typeof value === 'number'
          ? value === first || (Number.isNaN(value) && Number.isNaN(first as number))
          : value === first;
      if (!same) return false;
    }
    return true;
  });
}

/** Why a column cannot be the target, or undefined when it can. */
export function unusableTargetReason(summary: ColumnSummary): string | undefined {
  if (summary.present === 0) return 'it has no values';
  if (summary.identifier) return `it is an identifier (${summary.identifier})`;
  if (summary.type === 'date') return 'it holds dates';
  if (summary.constant) return `it has a single value in every row`;
  return undefined;
}

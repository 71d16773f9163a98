/**
 * What the planner needs to know about each column of a CSV: its type, how many values are missing, how many
 * distinct values it has, and whether it is an identifier, a constant, a set of category codes, or a numeric
 * column whose zeros stand for "missing". Pure functions over a {@link Table}.
 */
import { isRowIdentifier } from '../data/infer';
import type { Column, ColumnType, Table } from '../data/table';
import { suspectZeros, suspectZerosReason } from '../data/zeros';

/** Category codes: integers 0..k-1 or 1..k with at most this many values (e.g. origin 1/2/3). */
export const MAX_CODE_VALUES = 8;

/** A column is mostly empty, and left out, when at least this fraction of its cells are missing. */
export const MOSTLY_EMPTY_FRACTION = 0.9;

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
  /** Numeric column whose zeros look like "missing" by the one rule of `data/zeros.ts`; how many. */
  missingZeros: number;
  /** Why those zeros look like blanks, in words (when missingZeros > 0). */
  missingZerosWhy?: string;
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
  const suspects = suspectZeros(table);
  return table.columns.map((column) => {
    const summary = summarizeColumn(column, table.rowCount);
    const suspect = suspects.get(column.name);
    if (suspect) {
      summary.missingZeros = suspect.zeros;
      summary.missingZerosWhy = suspectZerosReason(suspect);
    }
    return summary;
  });
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

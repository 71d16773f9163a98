/**
 * The one rule for "zeros that mean missing", used by step 1's profile warning and by the planner of
 * `new --from-csv` alike, so the two never disagree. Conservative on purpose: a real zero wrongly imputed
 * changes the data, while a missed blank only leaves a warning unsaid.
 *
 * A numeric column's zeros are suspect only when
 * 1. a zero is implausible for the column: nothing is negative, there are at least two zeros but fewer than half
 *    the values, the column has at least {@link MIN_DISTINCT_POSITIVE} distinct positive values, and the smallest
 *    positive value sits more than {@link GAP_STEPS} typical steps above 0 and at least
 *    {@link GAP_MEDIAN_FRACTION} of the median positive value (Pima's glucose: 0, then 44, 56, 57…); and
 * 2. the zeros do not form a pattern with a related column: when nearly all of its zero rows
 *    ({@link PATTERN_FRACTION}) are zero in another column whose own zero is plausible (it passes no gap test),
 *    the zeros are taken as real (breast-cancer concavity: 13 rows with 0 in all six concavity measurements).
 */
import type { Table } from './table';

/** The smallest positive value must stand more than this many typical steps above 0... */
export const GAP_STEPS = 5;
/** ...and be at least this fraction of the median positive value. */
export const GAP_MEDIAN_FRACTION = 0.1;
/** Fewer distinct positive values than this say too little about the column's spacing. */
export const MIN_DISTINCT_POSITIVE = 9;
/** Zeros that fall on another column's zero rows at least this often are a pattern, not blanks. */
export const PATTERN_FRACTION = 0.9;

/** Why a column's zeros look like blanks: the numbers behind the verdict. */
export interface SuspectZeros {
  column: string;
  zeros: number;
  /** Smallest value above zero. */
  smallestPositive: number;
  /** Median gap between neighbouring distinct positive values. */
  typicalStep: number;
  /** Median of the positive values. */
  medianPositive: number;
}

/** Zeros whose real meaning is a value: they fall on the zero rows of a column where 0 is ordinary. */
interface ZeroGap extends SuspectZeros {
  rows: Int32Array;
}

/**
 * Every numeric column (of those named, or all) whose zeros probably mean "missing", by the rule above, keyed
 * by column name.
 */
export function suspectZeros(table: Table, columns?: ReadonlySet<string>): Map<string, SuspectZeros> {
  const gaps: ZeroGap[] = [];
  const plausible: Array<{ name: string; values: Float32Array }> = [];
  for (const column of table.columns) {
    if (column.type !== 'numeric') continue;
    const gap = zeroGap(column.name, column.values);
    if (gap) gaps.push(gap);
    else if (hasZero(column.values)) plausible.push({ name: column.name, values: column.values });
  }
  const suspects = new Map<string, SuspectZeros>();
  for (const { rows, ...gap } of gaps) {
    if (columns !== undefined && !columns.has(gap.column)) continue;
    if (!plausible.some((other) => zeroShare(other.values, rows) >= PATTERN_FRACTION)) {
      suspects.set(gap.column, gap);
    }
  }
  return suspects;
}

/** Words for a person: what the numbers say about the column's zeros. */
export function suspectZerosReason(suspect: SuspectZeros): string {
  const at = (value: number): number => Number(value.toPrecision(4));
  return (
    `${suspect.zeros} zeros, while every other value is at least ${at(suspect.smallestPositive)} ` +
    `(typical step ${at(suspect.typicalStep)}, median ${at(suspect.medianPositive)}), and no related column is 0 ` +
    `on the same rows: a zero that far below the rest is usually a blank filled in`
  );
}

function hasZero(values: Float32Array): boolean {
  for (const value of values) if (value === 0) return true;
  return false;
}

function zeroShare(values: Float32Array, rows: Int32Array): number {
  let zeros = 0;
  for (const row of rows) if (values[row] === 0) zeros++;
  return rows.length === 0 ? 0 : zeros / rows.length;
}

/** Test 1 of the rule: the column's zero is implausible (it sits far below every other value). */
function zeroGap(column: string, values: Float32Array): ZeroGap | undefined {
  const zeroRows: number[] = [];
  const positives: number[] = [];
  let present = 0;
  for (let row = 0; row < values.length; row++) {
    const value = values[row];
    if (Number.isNaN(value)) continue;
    if (value < 0) return undefined;
    present++;
    if (value === 0) zeroRows.push(row);
    else positives.push(value);
  }
  if (zeroRows.length < 2 || zeroRows.length * 2 >= present) return undefined;
  positives.sort((left, right) => left - right);
  const distinct = positives.filter((value, index) => index === 0 || value !== positives[index - 1]);
  if (distinct.length < MIN_DISTINCT_POSITIVE) return undefined;
  const steps = distinct.slice(1).map((value, index) => value - distinct[index]);
  steps.sort((left, right) => left - right);
  const typicalStep = steps[Math.floor(steps.length / 2)];
  const medianPositive = positives[Math.floor(positives.length / 2)];
  const smallestPositive = distinct[0];
  const far =
    smallestPositive > GAP_STEPS * typicalStep && smallestPositive >= GAP_MEDIAN_FRACTION * medianPositive;
  if (!far) return undefined;
  return {
    column,
    zeros: zeroRows.length,
    smallestPositive,
    typicalStep,
    medianPositive,
    rows: Int32Array.from(zeroRows),
  };
}

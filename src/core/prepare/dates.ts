/**
 * The `date` op: a date column becomes numbers a model can use. The year counts from the first year of the
 * training part (so it stays small); the periodic parts (month, day of year, weekday, hour) become a sine and a
 * cosine each, so December sits next to January and Sunday next to Monday. Dates are UTC epoch milliseconds
 * (as the CSV reader parses them); a missing date gives missing parts, for a later impute op.
 */
import type { DatePart } from '../config';
import type { Frame, FrameColumn, NumericFrameColumn } from './frame';

/** Every part the op can derive, in output order. */
export const DATE_PARTS: readonly DatePart[] = ['year', 'month', 'dayOfYear', 'weekday', 'hour'];

/** The fitted state of a date op. */
export interface DateOpState {
  op: 'date';
  columns: string[];
  /** The parts derived from every column, in {@link DATE_PARTS} order. */
  parts: DatePart[];
  /** Per column: the first year of the training part (year 0). */
  origins: number[];
}

const DAY = 86_400_000;

/** Periods of the cyclic parts, in the unit each is counted in. */
const PERIODS: Record<Exclude<DatePart, 'year'>, number> = {
  month: 12,
  dayOfYear: 365.25,
  weekday: 7,
  hour: 24,
};

/** The value of one part of a date (UTC): year as is, cyclic parts from 0 (January, 1 January, Sunday, midnight). */
export function datePart(time: number, part: DatePart): number {
  const date = new Date(time);
  switch (part) {
    case 'year':
      return date.getUTCFullYear();
    case 'month':
      return date.getUTCMonth();
    case 'dayOfYear':
      return (time - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY;
    case 'weekday':
      return date.getUTCDay();
    case 'hour':
      return date.getUTCHours() + date.getUTCMinutes() / 60 + date.getUTCSeconds() / 3600;
  }
}

/**
 * The parts worth deriving from the training dates, when the op names none: the year when they span more than
 * one, the day of the year when they span more than a month, the weekday when dates are less than a week apart,
 * the hour when any time is not midnight.
 */
export function chooseDateParts(times: Float64Array): DatePart[] {
  const present = [...times].filter((time) => Number.isFinite(time)).sort((a, b) => a - b);
  if (present.length === 0) return ['year'];
  const parts: DatePart[] = [];
  const first = present[0];
  const last = present[present.length - 1];
  if (new Date(first).getUTCFullYear() !== new Date(last).getUTCFullYear()) parts.push('year');
  if (last - first > 31 * DAY) parts.push('dayOfYear');
  let smallestGap = Infinity;
  for (let index = 1; index < present.length; index++) {
    const gap = present[index] - present[index - 1];
    if (gap > 0 && gap < smallestGap) smallestGap = gap;
  }
  if (smallestGap < 7 * DAY) parts.push('weekday');
  if (present.some((time) => time % DAY !== 0)) parts.push('hour');
  return parts.length > 0 ? parts : ['year'];
}

/** Learns the parts (when not given) and each column's first year from the training frame. */
export function fitDate(
  columns: NumericFrameColumn[],
  parts: DatePart[] | undefined,
): Omit<DateOpState, 'op' | 'columns'> {
  const chosen = parts ?? chooseDateParts(Float64Array.from(columns.flatMap((column) => [...column.values])));
  const ordered = DATE_PARTS.filter((part) => chosen.includes(part));
  const origins = columns.map((column) => {
    let first = Infinity;
    for (const time of column.values) if (Number.isFinite(time)) first = Math.min(first, time);
    return Number.isFinite(first) ? new Date(first).getUTCFullYear() : 0;
  });
  return { parts: ordered, origins };
}

/** The names of the numbers a date column becomes. */
export function datePartNames(column: string, parts: DatePart[]): string[] {
  return parts.flatMap((part) =>
    part === 'year' ? [`${column}.year`] : [`${column}.${part}.sin`, `${column}.${part}.cos`],
  );
}

/** Replaces each date column (epoch milliseconds) by its parts, in place of the column. */
export function applyDate(state: DateOpState, frame: Frame): Frame {
  const columns = frame.columns.flatMap((column): FrameColumn[] => {
    const index = state.columns.indexOf(column.name);
    if (index < 0 || column.kind !== 'numeric') return [column];
    return state.parts.flatMap((part) => deriveColumns(column, part, state.origins[index]));
  });
  return { ...frame, columns };
}

function deriveColumns(column: NumericFrameColumn, part: DatePart, origin: number): NumericFrameColumn[] {
  const count = column.values.length;
  if (part === 'year') {
    const values = new Float64Array(count);
    for (let row = 0; row < count; row++) {
      const time = column.values[row];
      values[row] = Number.isFinite(time) ? datePart(time, 'year') - origin : NaN;
    }
    return [{ name: `${column.name}.year`, kind: 'numeric', values }];
  }
  const sin = new Float64Array(count);
  const cos = new Float64Array(count);
  const radians = (2 * Math.PI) / PERIODS[part];
  for (let row = 0; row < count; row++) {
    const time = column.values[row];
    const angle = Number.isFinite(time) ? datePart(time, part) * radians : NaN;
    sin[row] = Math.sin(angle);
    cos[row] = Math.cos(angle);
  }
  return [
    { name: `${column.name}.${part}.sin`, kind: 'numeric', values: sin },
    { name: `${column.name}.${part}.cos`, kind: 'numeric', values: cos },
  ];
}

/**
 * The planner's guesses about the target: the task it suggests, its classes, the positive class of a binary
 * target, and for series and images the window length and the image shape.
 */
import type { Task } from '../config';
import { findColumn, type Table } from '../data/table';
import type { ColumnSummary } from './columns';

/** A numeric target with whole-number values and at most this many of them is taken as classes. */
export const MAX_INTEGER_CLASSES = 10;

/** The guessed task with its reason. */
export interface TaskGuess {
  task: Task;
  why: string;
}

/**
 * Classification for a text target or a whole-number target with few values (binary when two), regression
 * for any other numeric target. Time series and images are never guessed: the person confirms them.
 */
export function guessTask(target: ColumnSummary): TaskGuess {
  if (target.type === 'numeric') {
    if (target.integer && target.distinct <= MAX_INTEGER_CLASSES) {
      const task = target.distinct === 2 ? 'binary' : 'multiclass';
      return {
        task,
        why: `"${target.name}" holds ${target.distinct} whole-number values (${target.min}–${target.max}), which read as classes. If it is a quantity, pass --task regression.`,
      };
    }
    return {
      task: 'regression',
      why: `"${target.name}" is a number with ${target.distinct} different values${target.integer ? '' : ', not all whole'}: predicting it is regression.`,
    };
  }
  return {
    task: target.distinct === 2 ? 'binary' : 'multiclass',
    why: `"${target.name}" holds ${target.distinct} categories${target.distinct === 2 ? ' (two: binary)' : ''}: predicting it is classification.`,
  };
}

/** Rows per class of a target column (text as is; numbers as short text, as the pipeline names classes). */
export function classCounts(table: Table, target: string): Map<string, number> {
  const counts = new Map<string, number>();
  const column = findColumn(table, target);
  if (!column) return counts;
  for (let row = 0; row < table.rowCount; row++) {
    const raw = column.values[row];
    const label = typeof raw === 'number' ? numberLabel(raw) : raw;
    if (label === null) continue;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return counts;
}

/** A numeric class as short text (0.1, not 0.10000000149011612), as the pipeline names classes; null for NaN. */
function numberLabel(value: number): string | null {
  return Number.isNaN(value) ? null : String(Number(value.toPrecision(7)));
}

const POSITIVE_NAMES = [
  '1',
  'yes',
  'y',
  'true',
  'pos',
  'positive',
  'm',
  'malignant',
  'spam',
  'fraud',
  'churn',
];

/** The positive class of a binary target: a conventional name (1, yes, true, pos) if present, else the rarer class. */
export function positiveClassOf(counts: Map<string, number>): string {
  const labels = [...counts.keys()];
  const named = labels.find((label) => POSITIVE_NAMES.includes(label.toLowerCase()));
  if (named !== undefined) return named;
  return labels.sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0) || a.localeCompare(b))[0];
}

/** The square image a number of pixel columns makes: one channel, or three (RGB); undefined otherwise. */
export function imageShape(pixels: number): { side: number; channels: number } | undefined {
  for (const channels of [1, 3]) {
    if (pixels % channels !== 0) continue;
    const side = Math.round(Math.sqrt(pixels / channels));
    if (side >= 2 && side * side * channels === pixels) return { side, channels };
  }
  return undefined;
}

const DAY = 86_400_000;

/**
 * Rows of history per window, from the spacing of the dates: a year of months (12), a week of days (7), a day
 * of hours (24), a year of quarters (4) or of weeks (52); otherwise 10. Never more than a fifth of the rows.
 */
export function lookBackFor(
  table: Table,
  kept: ColumnSummary[],
  rows: number,
): { value: number; why: string } {
  const timeSummary = kept.find((column) => column.type === 'date' && column.ordered);
  const column = timeSummary ? findColumn(table, timeSummary.name) : undefined;
  let value = 10;
  let why = 'Ten rows of history per window is a neutral start; try the length of a season.';
  if (column && column.type === 'date' && column.values.length > 1) {
    const steps: number[] = [];
    for (let row = 1; row < column.values.length; row++)
      steps.push(column.values[row] - column.values[row - 1]);
    steps.sort((a, b) => a - b);
    const step = steps[Math.floor(steps.length / 2)] / DAY;
    const seasons: Array<[number, number, number, string]> = [
      [0.03, 0.05, 24, 'hourly rows: a window of 24 covers one day'],
      [0.9, 1.1, 7, 'daily rows: a window of 7 covers one week'],
      [6.5, 7.5, 52, 'weekly rows: a window of 52 covers one year'],
      [27, 32, 12, 'monthly rows: a window of 12 covers one year, so the seasons repeat inside it'],
      [88, 93, 4, 'quarterly rows: a window of 4 covers one year'],
    ];
    const season = seasons.find(([low, high]) => step >= low && step <= high);
    if (season) {
      value = season[2];
      why = `The dates are ${season[3]}.`;
    }
  }
  const limit = Math.max(1, Math.floor(rows / 5));
  if (value > limit) {
    why += ` Shortened to ${limit} so that enough windows remain (${rows} rows).`;
    value = limit;
  }
  return { value, why };
}

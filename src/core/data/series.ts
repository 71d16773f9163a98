/**
 * A time series as a forecaster looks at it: the target over time, labelled by the time column, with the
 * walk-forward folds' training and validation ranges on it (for the Data profile), and the time label of any
 * table row (for predictions keyed by their time instead of a row number).
 */
import type { Fold } from '../folds';
import type { SeriesProfile } from '../../protocol/profile';
import { formatDates } from '../../shared/format';
import { findColumn, type Column, type Table } from './table';

/** The window of a time-series pipeline: rows of history per sample, and values forecast. */
export interface SeriesWindow {
  lookBack: number;
  horizon: number;
}

/** The time of every row of a column as text: dates at the precision they carry, numbers and text as they are. */
export function timeLabels(column: Column): string[] {
  if (column.type === 'date') return formatDates(column.values);
  if (column.type === 'numeric') {
    return Array.from(column.values, (value) => (Number.isFinite(value) ? String(value) : '—'));
  }
  return column.values.map((value) => value ?? '—');
}

/** The time labels of a table's rows by `timeColumn`, or undefined when the table has no such column. */
export function tableTimeLabels(table: Table, timeColumn: string | undefined): string[] | undefined {
  const column = timeColumn === undefined ? undefined : findColumn(table, timeColumn);
  return column && timeLabels(column);
}

/**
 * The rows a sample range forecasts: sample s reads rows s..s+lookBack-1 and forecasts rows
 * s+lookBack..s+lookBack+horizon-1; clipped to the table's last row.
 */
function forecastRows(samples: number[], window: SeriesWindow, rows: number): [number, number] {
  let first = Infinity;
  let last = -Infinity;
  for (const sample of samples) {
    first = Math.min(first, sample);
    last = Math.max(last, sample);
  }
  return [first + window.lookBack, Math.min(rows - 1, last + window.lookBack + window.horizon - 1)];
}

/**
 * The series of `table` (already ordered by time): the target per row with its time, and each fold's training
 * and validation ranges as the rows their samples forecast. `folds` hold sample indices of this table's windows.
 */
export function seriesProfile(
  table: Table,
  options: { timeColumn: string; target: string; window: SeriesWindow },
  folds: readonly Fold[],
): SeriesProfile | undefined {
  const times = tableTimeLabels(table, options.timeColumn);
  const target = findColumn(table, options.target);
  if (!times || !target || target.type !== 'numeric') return undefined;
  const values = Array.from(target.values, (value) => (Number.isFinite(value) ? value : null));
  return {
    time: options.timeColumn,
    times,
    values,
    folds: folds
      .filter((fold) => fold.train.length > 0 && fold.validation.length > 0)
      .map((fold) => ({
        index: fold.index,
        train: forecastRows(fold.train, options.window, table.rowCount),
        validation: forecastRows(fold.validation, options.window, table.rowCount),
      })),
  };
}

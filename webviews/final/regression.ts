/**
 * The Final results panel's parts for regression and time series, and for every task the baseline beside the
 * model: the holdout rows as residuals (largest first, the worst marked, numbers right-aligned at the data's
 * precision, no classification columns), the baseline's columns in the metrics table, and the plain warning when
 * the model is not reliably better than the baseline.
 */
import type { FinalResults } from '../../src/protocol/panels';
import { formatNumber, h } from '../shared/dom';
import type { PanelShell } from '../shared/panel';
import { SortableTable, type TableColumn, type TableSort } from '../shared/table';

/** Holdout rows the residuals table shows (the largest errors). */
export const RESIDUAL_ROWS = 50;
/** Rows marked as the worst predictions. */
export const WORST_ROWS = 5;

/** One holdout row of a regression. */
export interface ResidualRow {
  /** Data row (1-based) or the row's key (a time); the rank when the run recorded neither. */
  key: string | number;
  actual: number;
  predicted: number;
  /** predicted − actual. */
  residual: number;
  /** 0 for the largest error. */
  rank: number;
}

/** The residual rows, largest error first, at most RESIDUAL_ROWS. */
export function residualRows(results: FinalResults): ResidualRow[] {
  return (results.residuals ?? [])
    .map((point, index) => ({
      key: point.time ?? point.row ?? index + 1,
      actual: point.actual,
      predicted: point.predicted,
      residual: point.predicted - point.actual,
      rank: 0,
    }))
    .sort((left, right) => Math.abs(right.residual) - Math.abs(left.residual))
    .slice(0, RESIDUAL_ROWS)
    .map((row, rank) => ({ ...row, rank }));
}

/** A number at the data's precision (a sign on residuals); the general format without one. */
export function atPrecision(value: number, decimals: number | undefined, signed = false): string {
  if (decimals === undefined) return formatNumber(value);
  const text = value.toFixed(decimals);
  return signed && value > 0 ? `+${text}` : text;
}

/** The residuals table: Row, Actual, Predicted, Residual, right-aligned, the worst rows marked. */
export function residualTable(
  shell: PanelShell<unknown>,
  results: FinalResults,
  sort: TableSort | undefined,
  onSort: (sort: TableSort) => void,
): SortableTable<ResidualRow> {
  const decimals = results.decimals;
  const number = (key: 'actual' | 'predicted' | 'residual', title: string): TableColumn<ResidualRow> => ({
    key,
    title,
    value: (row) => row[key],
    format: (row) => atPrecision(row[key], decimals, key === 'residual'),
    numeric: true,
  });
  const table = new SortableTable<ResidualRow>(
    shell,
    `Largest errors on the holdout (${Math.min(RESIDUAL_ROWS, results.residuals?.length ?? 0)} of ${results.residuals?.length ?? 0} rows)`,
    [
      {
        key: 'row',
        // A time series' rows are keyed by the time they forecast.
        title: results.forecast?.time ?? 'Row',
        value: (row) => row.key,
        numeric: typeof residualRows(results)[0]?.key === 'number',
      },
      number('actual', 'Actual'),
      number('predicted', 'Predicted'),
      number('residual', 'Residual'),
    ],
    sort,
    { name: 'predictions', onSort, rowClass: (row) => (row.rank < WORST_ROWS ? 'worst' : '') },
  );
  table.setRows(residualRows(results));
  return table;
}

/**
 * The metrics table's baseline columns, each beside the model's: its holdout score and its CV mean, named
 * ("Baseline (mean) holdout"); `format` gives a metric's row notation.
 */
export function baselineColumns(
  results: FinalResults,
  format: (name: string) => (value: number | undefined) => string,
): { holdout?: TableColumn<string>; cv?: TableColumn<string> } {
  const baseline = results.baseline;
  if (!baseline) return {};
  const columns: { holdout?: TableColumn<string>; cv?: TableColumn<string> } = {};
  const holdout = baseline.holdout;
  if (holdout && Object.keys(results.holdout).length > 0) {
    columns.holdout = {
      key: 'baselineHoldout',
      title: `Baseline (${baseline.name}) holdout`,
      value: (name) => holdout[name],
      format: (name) => format(name)(holdout[name]),
      numeric: true,
    };
  }
  const cv = baseline.crossValidation;
  if (cv) {
    columns.cv = {
      key: 'baselineCv',
      title: `Baseline (${baseline.name}) CV mean`,
      value: (name) => (name === results.metric ? cv.mean : undefined),
      format: (name) => (name === results.metric ? format(name)(cv.mean) : '—'),
      numeric: true,
    };
  }
  return columns;
}

/** The warning when the model is not reliably better than the baseline; nothing otherwise. */
export function reliabilityNotice(results: FinalResults): HTMLElement | null {
  if (!results.notReliablyBetter) return null;
  return h('p', { class: 'notice notice-warn', 'data-warning': 'baseline' }, results.notReliablyBetter);
}

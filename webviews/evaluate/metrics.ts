/**
 * The Evaluate panel's table of every metric: each candidate's CV mean ± std of the project metric and of the
 * others its folds recorded (regression: rmse, mae, r2, mse), with the named baseline's row to compare against.
 */
import type { EvaluateSnapshot } from '../../src/protocol/panels';
import { formatMeanStd } from '../shared/dom';
import type { PanelShell } from '../shared/panel';
import { SortableTable, type TableColumn } from '../shared/table';
import { metricLabel } from '../../src/shared/format';

/** One row: a candidate, or the baseline. */
export interface MetricRow {
  name: string;
  runId?: string;
  metrics: Record<string, { mean: number; std: number }>;
  baseline: boolean;
}

/** The metric names, the project metric first, then the others in a fixed order. */
export function metricNames(snapshot: EvaluateSnapshot): string[] {
  const names = new Set<string>();
  for (const candidate of snapshot.candidates)
    for (const name of Object.keys(candidate.metrics ?? {})) names.add(name);
  for (const name of Object.keys(snapshot.baselineMetrics ?? {})) names.add(name);
  names.delete(snapshot.metric);
  return [snapshot.metric, ...[...names].sort()];
}

/** The rows: the baseline first, then the candidates in the session's order. */
export function metricRows(snapshot: EvaluateSnapshot): MetricRow[] {
  const rows: MetricRow[] = snapshot.candidates.map((candidate) => ({
    name: candidate.candidate,
    runId: candidate.runId,
    metrics: candidate.metrics ?? {},
    baseline: false,
  }));
  if (snapshot.baselineMetrics && Object.keys(snapshot.baselineMetrics).length > 0) {
    rows.unshift({
      name: `baseline (${snapshot.baselineName ?? 'baseline'})`,
      metrics: snapshot.baselineMetrics,
      baseline: true,
    });
  }
  return rows;
}

/** The table, or null when the folds recorded no metric beyond the project's. */
export function metricsTable(
  shell: PanelShell<unknown>,
  snapshot: EvaluateSnapshot,
): SortableTable<MetricRow> | null {
  const names = metricNames(snapshot);
  if (names.length < 2) return null;
  const columns: Array<TableColumn<MetricRow>> = [
    { key: 'candidate', title: 'Candidate', value: (row) => row.name },
    ...names.map((name) => ({
      key: `metric-${name}`,
      title: `${metricLabel(name)} (mean ± std)`,
      value: (row: MetricRow) => row.metrics[name]?.mean,
      format: (row: MetricRow) =>
        row.metrics[name] ? formatMeanStd(row.metrics[name].mean, row.metrics[name].std) : '—',
      numeric: true,
    })),
  ];
  const table = new SortableTable<MetricRow>(shell, 'Every metric (cross-validation)', columns, undefined, {
    name: 'metrics',
    rowClass: (row) => (row.baseline ? 'baseline-row' : ''),
    onRowClick: (row) => {
      if (row.runId) shell.post({ type: 'panel/openRun', runId: row.runId });
    },
  });
  table.setRows(metricRows(snapshot));
  return table;
}

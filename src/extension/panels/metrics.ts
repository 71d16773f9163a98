/**
 * Every metric a run's folds recorded, as the panels show it beside the project metric: mean ± std over the
 * folds (regression: rmse, mae, r2; classification: accuracy, f1, ...).
 */
import { summarize } from '../../core/metrics';
import type { FoldRecord } from '../../protocol/records';

/** Mean ± std of each metric over the folds that recorded it; empty when no fold did. */
export function foldMetrics(folds: readonly FoldRecord[]): Record<string, { mean: number; std: number }> {
  const values = new Map<string, number[]>();
  for (const fold of folds) {
    for (const [name, value] of Object.entries(fold.metrics ?? {})) {
      if (Number.isFinite(value)) values.set(name, [...(values.get(name) ?? []), value]);
    }
  }
  return Object.fromEntries(
    [...values.entries()].map(([name, scores]) => {
      const { mean, std } = summarize(scores);
      return [name, { mean, std }];
    }),
  );
}

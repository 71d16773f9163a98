/**
 * What the Final results panel shows beside the model's scores: every metric's cross-validation estimate (from
 * the run the model was chosen by), the baseline by name with its cross-validated and holdout scores, and the
 * plain warning when the model is not reliably better than that baseline (src/core/present/reliable.ts).
 */
import type { BundleManifest } from '../../core/present/bundle';
import { notReliablyBetter } from '../../core/present/reliable';
import type { FinalResults } from '../../protocol/panel-final';
import type { RunRecord } from '../../protocol/records';
import { baselineName } from '../../shared/baseline';
import type { RunStore } from '../runStore';
import { foldMetrics } from './metrics';

/** The comparison part of the panel's results for a present run `record` and its bundle's manifest. */
export function finalComparison(
  store: RunStore,
  manifest: BundleManifest,
  record: RunRecord,
): Pick<FinalResults, 'crossValidation' | 'baseline' | 'notReliablyBetter'> {
  const metric = manifest.metric;
  let source: RunRecord | undefined;
  try {
    source = manifest.cv ? store.get(manifest.cv.runId) : undefined;
  } catch {
    source = undefined;
  }
  const crossValidation = {
    ...(source ? foldMetrics(source.folds) : {}),
    ...(manifest.cv ? { [metric]: { mean: manifest.cv.mean, std: manifest.cv.std } } : {}),
  };
  const holdoutBaseline = manifest.holdout?.baseline;
  const baselineCv = record.baseline ?? source?.baseline;
  const session = source ? store.list({ session: source.session }).map((entry) => store.get(entry.id)) : [];
  const warning = source ? notReliablyBetter(source, session, manifest.task) : undefined;
  return {
    crossValidation,
    baseline: {
      name: baselineName(manifest.task),
      ...(baselineCv ? { crossValidation: { mean: baselineCv.mean, std: baselineCv.std } } : {}),
      ...(holdoutBaseline
        ? { holdout: { ...holdoutBaseline.metrics, [metric]: holdoutBaseline.score } }
        : {}),
    },
    ...(warning ? { notReliablyBetter: warning } : {}),
  };
}

/**
 * Whether the model step 5 presents is reliably better than the baseline, in one plain sentence when it is not:
 * step 4's significance test when the presented run has a verdict, else the same corrected resampled t-test
 * against the baseline run of its session over their shared folds. The Final results panel and the report show
 * the sentence as a warning.
 */
import type { MetricName } from '../config';
import { mean } from '../stats';
import { compareCandidates } from '../improve/verdicts';
import { baselineName } from '../../shared/baseline';
import { formatScore } from '../../shared/format';
import type { RunRecord } from '../../protocol/records';

const meanStd = (summary: { mean: number; std: number }) =>
  `${formatScore(summary.mean)} ± ${formatScore(summary.std)}`;

function sentence(name: string, task: string | undefined, reason: string): string {
  return `${name} is not reliably better than the baseline (${baselineName(task)}): ${reason} Present it as no better than the baseline, or improve it first.`;
}

/**
 * The warning for a presented candidate whose cross-validation run is `source`, or undefined when it is reliably
 * better (or when there is nothing to test it against: no completed baseline run with the same folds).
 * `session` holds the runs of the session `source` belongs to; `task` names the baseline.
 */
export function notReliablyBetter(
  source: RunRecord,
  session: readonly RunRecord[],
  task: string | undefined,
  alpha = 0.05,
): string | undefined {
  const name = source.candidate ?? source.id;
  if (source.verdict) {
    if (source.verdict.baseline === 'better than baseline') return undefined;
    return sentence(
      name,
      task,
      `step 4's test says "${source.verdict.baseline}" (${source.verdict.explanation}).`,
    );
  }
  const baseline = session.find((record) => record.model === 'baseline' && record.status === 'completed');
  if (!baseline?.summary || !source.summary || baseline.folds.length < 2) return undefined;
  if (baseline.folds.length !== source.folds.length) return undefined;
  const [verdict] = compareCandidates({
    metric: source.metric as MetricName,
    candidates: [{ name, folds: source.folds.map((fold) => fold.score) }],
    baseline: baseline.folds.map((fold) => fold.score),
    trainSize: mean(baseline.folds.map((fold) => fold.trainSize)),
    testSize: mean(baseline.folds.map((fold) => fold.validationSize)),
    alpha,
  });
  if (!verdict || verdict.baselineVerdict === 'better than baseline') return undefined;
  const p = verdict.versusBaseline.pValue;
  return sentence(
    name,
    task,
    `its cross-validated ${source.metric} ${meanStd(source.summary)} against the baseline's ${meanStd(baseline.summary)} over ${baseline.folds.length} folds is ${verdict.baselineVerdict === 'worse than baseline' ? 'worse' : 'within the noise'} (corrected resampled t-test, p = ${formatScore(p)}).`,
  );
}

/** Candidates as report rows: scores, difference to the baseline, and the corrected t-test verdicts. */
import type { MetricName } from '../../core/config';
import { compareCandidates, rankWords } from '../../core/improve/verdicts';
import { baselineWords } from '../../shared/verdicts';
import { summarize } from '../../core/metrics';
import type { ReportBaseline, ReportCandidate } from '../../core/report/types';
import { foldSizes, scoresOf, type ReportRunRecord } from './records';

/** The op names of a run's own pipeline (its candidate's `prepare`), or undefined when it used the project's. */
function ownPipeline(config: Record<string, unknown> | undefined): string[] | undefined {
  const prepare = config?.prepare;
  if (!Array.isArray(prepare)) return undefined;
  return prepare.map((op: unknown) => String((op as { op?: unknown } | null)?.op ?? '?'));
}

/** A run as a row of a candidates table, without a verdict. */
export function candidateOf(record: ReportRunRecord, baseline: ReportBaseline | undefined): ReportCandidate {
  const scores = scoresOf(record);
  const completed = record.status === 'completed' && scores.length > 0;
  const summary = completed ? (record.summary ?? summarize(scores)) : undefined;
  const candidate: ReportCandidate = {
    name: record.candidate ?? record.id,
    model: record.model ?? '',
    runId: record.id,
    status: record.status,
    scores,
    durationMs: record.durationMs,
  };
  if (summary) {
    candidate.mean = summary.mean;
    candidate.std = summary.std;
    if (baseline) candidate.versusBaseline = summary.mean - baseline.mean;
  }
  const own = ownPipeline(record.config);
  if (own) candidate.pipeline = own;
  if (record.error) candidate.error = record.error.message;
  if (record.verdict?.versusBestSingle) candidate.versusBestSingle = record.verdict.versusBestSingle;
  if (record.advice) {
    const { diagnosis, message, nextStep } = record.advice;
    candidate.advice = { diagnosis, message, nextStep };
  }
  return candidate;
}

/**
 * Adds the corrected t-test verdicts to completed candidates that share the baseline's folds: against the
 * baseline, and (when `rank`) against the best of these candidates.
 */
export function addVerdicts(
  candidates: ReportCandidate[],
  baseline: ReportBaseline | undefined,
  records: readonly ReportRunRecord[],
  metric: MetricName,
  rank = true,
): void {
  const scores = baseline?.scores;
  if (!scores) return;
  const testable = candidates.filter(
    (candidate) => candidate.mean !== undefined && candidate.scores.length === scores.length,
  );
  if (testable.length === 0) return;
  const verdicts = compareCandidates({
    metric,
    candidates: testable.map((candidate) => ({ name: candidate.name, folds: candidate.scores })),
    baseline: scores,
    ...foldSizes(records),
  });
  testable.forEach((candidate, index) => {
    const verdict = verdicts[index];
    const versusBaseline = baselineWords(verdict.folds, verdict.baselineVerdict);
    candidate.verdict = rank ? `${versusBaseline}; ${rankWords(verdict)}` : versusBaseline;
    candidate.explanation = verdict.explanation;
  });
}

/** The best completed candidate by mean, in the metric's direction. */
export function bestCandidate(
  candidates: readonly ReportCandidate[],
  higher: boolean,
): ReportCandidate | undefined {
  let best: ReportCandidate | undefined;
  for (const candidate of candidates) {
    if (candidate.mean === undefined || !Number.isFinite(candidate.mean)) continue;
    if (!best || (higher ? candidate.mean > best.mean! : candidate.mean < best.mean!)) best = candidate;
  }
  return best;
}

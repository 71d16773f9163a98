/**
 * What the Evaluate panel shows from a session's out-of-fold predictions (`runs/<id>/out-of-fold.json`): a time
 * series' forecasts per fold against the actual values and persistence, and a text classifier's misclassified
 * documents over its folds (`text-results.json`, written beside the predictions by step 3).
 */
import { parseOutOfFold } from '../../core/steps/out-of-fold';
import { OUT_OF_FOLD_OUTPUT, type OutOfFoldFile } from '../../protocol/out-of-fold';
import type { CandidateTextResults, FoldForecasts } from '../../protocol/panel-evaluate';
import type { SeriesProfile, TextResults } from '../../protocol/profile';
import type { RunRecord } from '../../protocol/records';
import { readOutput, readOutputText } from './provider';

/** One run's out-of-fold predictions, read and checked. */
export interface RunPredictions {
  runId: string;
  candidate: string;
  /** The baseline's run (persistence, for a time series). */
  baseline: boolean;
  file: OutOfFoldFile;
}

/** The completed runs of a session whose out-of-fold file reads back whole. */
export function sessionPredictions(projectDir: string, records: readonly RunRecord[]): RunPredictions[] {
  const runs: RunPredictions[] = [];
  for (const record of records) {
    if (record.status !== 'completed') continue;
    const text = readOutputText(projectDir, record, OUT_OF_FOLD_OUTPUT);
    const file = text === undefined ? undefined : parseOutOfFold(text);
    if (!file) continue;
    const candidate = record.candidate ?? file.candidate;
    runs.push({ runId: record.id, candidate, baseline: record.model === 'baseline', file });
  }
  return runs;
}

/** Per validated table row, the value a run forecast one step ahead and the fold that validated it. */
function stepOne(
  file: OutOfFoldFile,
  of: 'truth' | 'predicted',
): Map<number, { value: number; fold: number }> {
  const byRow = new Map<number, { value: number; fold: number }>();
  for (const fold of file.folds) {
    fold.rows.forEach((row, sample) =>
      byRow.set(row, { value: fold[of][sample * file.outputs], fold: fold.index }),
    );
  }
  return byRow;
}

/**
 * The forecasts per fold of a time series' session; undefined without a run that kept its predictions. `series`
 * (the define run's profile of the same data) names each row by its time; without it rows are named "row N"
 * (1-based).
 */
export function foldForecasts(
  runs: readonly RunPredictions[],
  series?: Pick<SeriesProfile, 'time' | 'times'>,
): FoldForecasts | undefined {
  if (runs.length === 0) return undefined;
  const actualByRow = new Map<number, number>();
  for (const run of runs)
    for (const [row, entry] of stepOne(run.file, 'truth')) actualByRow.set(row, entry.value);
  const rows = [...actualByRow.keys()].sort((left, right) => left - right);
  const named = series !== undefined && rows.every((row) => row < series.times.length);
  const aligned = (byRow: Map<number, { value: number; fold: number }>, key: 'value' | 'fold') =>
    rows.map((row) => byRow.get(row)?.[key] ?? null);
  const view: FoldForecasts = {
    time: named ? series.time : 'row',
    horizon: runs[0].file.outputs,
    times: rows.map((row) => (named ? series.times[row] : `row ${row + 1}`)),
    actual: rows.map((row) => actualByRow.get(row)!),
    candidates: runs
      .filter((run) => !run.baseline)
      .map((run) => {
        const byRow = stepOne(run.file, 'predicted');
        return {
          runId: run.runId,
          candidate: run.candidate,
          folds: aligned(byRow, 'fold'),
          predicted: aligned(byRow, 'value'),
        };
      }),
  };
  const baseline = runs.find((run) => run.baseline);
  if (baseline) view.persistence = aligned(stepOne(baseline.file, 'predicted'), 'value');
  return view;
}

/** Whether a value read from disk looks like text results (the panel shows nothing for anything else). */
function isTextResults(value: unknown): value is TextResults {
  const results = value as Partial<TextResults> | undefined;
  return (
    typeof results?.column === 'string' &&
    typeof results.holdout === 'number' &&
    typeof results.misclassified === 'number' &&
    Array.isArray(results.documents)
  );
}

/** The misclassified documents over the folds of each completed candidate (baseline excluded) that has them. */
export function candidateTextResults(
  projectDir: string,
  records: readonly RunRecord[],
): CandidateTextResults[] {
  const results: CandidateTextResults[] = [];
  for (const record of records) {
    if (record.status !== 'completed' || record.model === 'baseline' || record.step !== 'evaluate') continue;
    let value: unknown;
    try {
      value = readOutput(projectDir, record, 'textResults');
    } catch {
      continue; // a cut or edited file: nothing to show for this run
    }
    if (isTextResults(value))
      results.push({ runId: record.id, candidate: record.candidate ?? record.id, results: value });
  }
  return results;
}

/**
 * Step 5 for a text classifier: the misclassified holdout documents and, for a logistic model, the words that push
 * towards each class, written beside the present run's record as `text-results.json` for the Final results panel
 * and the report.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Table, TextColumn } from '../../core/data/table';
import { ESTIMATOR_FILE, readJsonFile, type SavedEstimator } from '../../core/models/persist';
import { writeFileAtomic } from '../../core/runs/files';
import type { RunStore } from '../../core/runs/store';
import { savedLinearWeights, textResults } from '../../core/text/results';
import type { FinalTaskResult } from '../../protocol/runner';

/** The file's name in the run folder, and its key in the run record's `outputs`. */
export const TEXT_RESULTS_FILE = 'text-results.json';
export const TEXT_RESULTS_OUTPUT = 'textResults';

/** The first free-text column the models read (not the target, not ignored), if any. */
export function textFeatureColumn(
  table: Table,
  target: string,
  ignore: readonly string[] = [],
): TextColumn | undefined {
  return table.columns.find(
    (column): column is TextColumn =>
      column.type === 'text' && column.name !== target && !ignore.includes(column.name),
  );
}

/**
 * Writes the text results of a classifier's holdout over a table with a text feature into the run's folder;
 * `bundleDir` holds the final model (its estimator.json gives a logistic model's weights). Returns the file's
 * path, or undefined when there is nothing to write (no text column, no classes, no holdout).
 */
export function writeTextResults(
  store: RunStore,
  runId: string,
  source: { table: Table; target: string; ignore?: string[]; bundleDir: string },
  result: FinalTaskResult,
): string | undefined {
  const column = textFeatureColumn(source.table, source.target, source.ignore);
  if (!column || !result.classes || !result.holdout) return undefined;
  const estimatorFile = join(source.bundleDir, ESTIMATOR_FILE);
  const model = existsSync(estimatorFile)
    ? savedLinearWeights(readJsonFile<SavedEstimator>(estimatorFile), result.featureNames, result.classes)
    : undefined;
  const results = textResults(column, result.holdout, result.classes, model);
  const file = join(store.runDir(runId), TEXT_RESULTS_FILE);
  writeFileAtomic(file, `${JSON.stringify(results)}\n`);
  return file;
}

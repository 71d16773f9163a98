/**
 * Step 3 keeps each completed candidate's validation predictions, fold by fold, in its run folder
 * (`out-of-fold.json`): the workers (local or on the queue) return them in compact form with each fold's result,
 * and only the orchestrator writes them, whole or not at all.
 */
import { relative } from 'node:path';
import { isClassification } from '../../core/config';
import type { Project } from '../../core/project';
import type { RunStore } from '../../core/runs/store';
import { outOfFoldFile } from '../../core/steps/out-of-fold';
import type { Table } from '../../core/data/table';
import { outOfFoldTextResults } from '../../core/text/results';
import { OUT_OF_FOLD_FILE, OUT_OF_FOLD_OUTPUT, type FoldPredictions } from '../../protocol/out-of-fold';
import type { RunRecord } from '../../protocol/records';
import { TEXT_RESULTS_FILE, TEXT_RESULTS_OUTPUT, textFeatureColumn } from './present-text';

/** Values per sample of the folds' predictions (a time series' horizon; 1 otherwise). */
function outputsOf(folds: readonly FoldPredictions[], classification: boolean): number {
  if (classification) return 1;
  const fold = folds.find((entry) => entry.rows.length > 0);
  return fold ? Math.max(1, Math.round(fold.truth.length / fold.rows.length)) : 1;
}

/**
 * Writes a completed run's out-of-fold file and names it in the run's `outputs`; nothing when a fold's
 * predictions are missing (a worker of an older version), since a partial file would mislead the views.
 */
export function keepOutOfFold(
  batch: {
    project: Project;
    store: RunStore;
    folds: readonly unknown[];
    data: { classes?: string[]; table: Table };
  },
  record: RunRecord,
  predictions: ReadonlyMap<number, FoldPredictions>,
): void {
  if (predictions.size !== batch.folds.length) return;
  const { project, store } = batch;
  const task = project.config.problem.task;
  const classification = isClassification(task);
  const folds = [...predictions.values()];
  const content = outOfFoldFile(
    {
      candidate: record.candidate ?? record.model ?? '',
      task,
      outputs: outputsOf(folds, classification),
      classes: classification ? batch.data.classes : undefined,
    },
    folds,
  );
  const file = store.writeOutput(record.id, OUT_OF_FOLD_FILE, `${JSON.stringify(content)}\n`);
  record.outputs = { ...record.outputs, [OUT_OF_FOLD_OUTPUT]: relative(project.dir, file) };
  if (content.classes) keepTextResults(batch, record, content.folds, content.classes);
}

/**
 * A text classifier: the documents the candidate misclassified in its folds, with snippets, beside its out-of-fold
 * file (`text-results.json`, as step 5 writes for the holdout), for the Evaluate panel.
 */
function keepTextResults(
  batch: { project: Project; store: RunStore; data: { table: Table } },
  record: RunRecord,
  folds: readonly FoldPredictions[],
  classes: readonly string[],
): void {
  const { target, ignore } = batch.project.config.problem;
  const column = textFeatureColumn(batch.data.table, target, ignore);
  if (!column) return;
  const text = `${JSON.stringify(outOfFoldTextResults(column, folds, classes))}\n`;
  const file = batch.store.writeOutput(record.id, TEXT_RESULTS_FILE, text);
  record.outputs = { ...record.outputs, [TEXT_RESULTS_OUTPUT]: relative(batch.project.dir, file) };
}

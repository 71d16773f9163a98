/**
 * The Training panel for runs without epochs (k-NN, a random forest, a step that trains nothing): each fold's
 * score and their mean ± std, instead of an empty learning curve.
 */
import type { TrainingRun } from '../../src/protocol/panels';
import { columnFormat, metricLabel } from '../../src/shared/format';
import { h } from '../shared/dom';
import type { PanelShell } from '../shared/panel';
import { SortableTable } from '../shared/table';

/** Whether no shown run has an epoch to draw and none is still running: the panel shows fold scores. */
export function epochless(runs: readonly TrainingRun[]): boolean {
  return (
    runs.length > 0 &&
    runs.every((run) => run.foldScores !== undefined) &&
    runs.every((run) =>
      run.curves.every((curve) => Object.values(curve.logs).every((values) => !values.length)),
    )
  );
}

interface FoldRow {
  run: string;
  fold: number;
  score: number;
}

function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance =
    values.length > 1 ? values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(variance) };
}

/** One line per run: "knn: accuracy 0.846 ± 0.050 over 5 folds", or why there is nothing to show. */
function summary(run: TrainingRun): HTMLElement {
  const name = run.label ?? run.candidate;
  const scores = run.foldScores ?? [];
  if (scores.length === 0) {
    return h('li', {}, `${name}: no learning curve and no fold scores (this run trains no model).`);
  }
  const { mean, std } = meanStd(scores);
  const format = columnFormat([mean, std]);
  const folds = `${scores.length} fold${scores.length === 1 ? '' : 's'}`;
  return h(
    'li',
    { 'data-run': run.runId },
    `${name}: ${metricLabel(run.metric)} ${format(mean)} ± ${format(std)} over ${folds}. It trains in one pass, without epochs, so there is no learning curve.`,
  );
}

/** The fold scores card: a line per run, then every fold's score (`table[data-table="fold-scores"]`). */
export function foldScoresCard(shell: PanelShell<unknown>, runs: readonly TrainingRun[]): HTMLElement {
  const rows: FoldRow[] = runs.flatMap((run) =>
    (run.foldScores ?? []).map((score, index) => ({
      run: run.label ?? run.candidate,
      fold: index + 1,
      score,
    })),
  );
  const table = new SortableTable<FoldRow>(
    shell,
    'Fold scores',
    [
      { key: 'run', title: 'Run', value: (row) => row.run },
      { key: 'fold', title: 'Fold', value: (row) => row.fold, numeric: true },
      {
        key: 'score',
        title: runs[0]?.metric ?? 'Score',
        value: (row) => row.score,
        score: true,
        numeric: true,
      },
    ],
    undefined,
    { name: 'fold-scores' },
  );
  table.setRows(rows);
  return h(
    'div',
    { 'data-role': 'fold-scores' },
    h('ul', { class: 'facts' }, ...runs.map(summary)),
    rows.length > 0 ? table.element : null,
  );
}

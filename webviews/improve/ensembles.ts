/**
 * The Improve panel's ensembles: each ensemble step 4 built, its score beside the best single model's, and step
 * 4's verdict in its own words (the sentence `topdown improve` prints and REPORT.md lists).
 */
import type { ImproveEnsemble, ImproveResults } from '../../src/protocol/panels';
import { formatPValue, formatScore, metricLabel } from '../../src/shared/format';
import { h } from '../shared/dom';
import type { PanelShell } from '../shared/panel';
import { SortableTable, type TableColumn, type TableSort } from '../shared/table';

/** "average of mlp-small, knn". */
function combines(ensemble: ImproveEnsemble): string {
  return `${ensemble.method === 'vote' ? 'majority vote' : 'average'} of ${ensemble.members.join(', ')}`;
}

/** "+0.012" / "−0.004": the ensemble's mean minus the best single model's. */
function signed(value: number): string {
  const text = formatScore(Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

/** What step 4 said of the ensemble against the best single model, or why it has nothing to say. */
function verdictWords(ensemble: ImproveEnsemble): string {
  if (ensemble.status !== 'completed') return ensemble.error ?? ensemble.status;
  return ensemble.verdict?.versusBestSingle?.verdict ?? 'not compared';
}

function columns(results: ImproveResults): Array<TableColumn<ImproveEnsemble>> {
  const single = (ensemble: ImproveEnsemble) => ensemble.verdict?.versusBestSingle;
  return [
    { key: 'name', title: 'Ensemble', value: (ensemble) => ensemble.name },
    { key: 'combines', title: 'Combines', value: combines },
    {
      key: 'mean',
      title: `${metricLabel(results.metric)} (mean ± std)`,
      value: (ensemble) => ensemble.mean,
      format: (ensemble) =>
        ensemble.mean === undefined
          ? ensemble.status
          : `${formatScore(ensemble.mean)} ± ${formatScore(ensemble.std ?? Number.NaN)}`,
      numeric: true,
    },
    {
      key: 'single',
      title: 'Best single model',
      value: (ensemble) => single(ensemble)?.name,
      format: (ensemble) => {
        const best = single(ensemble);
        return best ? `${best.name} ${formatScore(best.mean)} ± ${formatScore(best.std)}` : '—';
      },
    },
    {
      key: 'difference',
      title: 'Difference',
      value: (ensemble) => single(ensemble)?.meanDifference,
      format: (ensemble) => {
        const best = single(ensemble);
        return best ? signed(best.meanDifference) : '—';
      },
      tooltip: (ensemble) => {
        const best = single(ensemble);
        return best ? `${formatPValue(best.pValue ?? Number.NaN)}, corrected resampled t-test` : undefined;
      },
      numeric: true,
    },
    {
      key: 'verdict',
      title: 'Verdict',
      value: verdictWords,
      tooltip: (ensemble) => ensemble.verdict?.explanation,
    },
  ];
}

/** The ensembles card, or nothing when the session built none. */
export function ensemblesCard(
  shell: PanelShell<unknown>,
  results: ImproveResults,
  sort: TableSort | undefined,
  onSort: (sort: TableSort) => void,
): HTMLElement | undefined {
  const ensembles = results.ensembles ?? [];
  if (ensembles.length === 0) return undefined;
  const table = new SortableTable<ImproveEnsemble>(shell, 'Ensembles', columns(results), sort, {
    name: 'ensembles',
    onSort,
    rowClass: (ensemble) =>
      ensemble.verdict?.versusBestSingle?.verdict === 'better than the best single model' ? 'best' : '',
  });
  table.setRows(ensembles);
  const sentences = ensembles
    .map((ensemble) => ensemble.verdict?.versusBestSingle?.explanation)
    .filter((sentence): sentence is string => sentence !== undefined);
  if (sentences.length > 0) {
    table.element.append(
      h(
        'ul',
        { class: 'facts', 'data-role': 'ensemble-verdicts' },
        ...sentences.map((sentence) => h('li', { 'data-role': 'ensemble-verdict' }, sentence)),
      ),
    );
  }
  table.element.setAttribute('data-role', 'ensembles');
  return table.element;
}

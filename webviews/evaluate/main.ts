/** Evaluate panel: a box plot of fold scores per candidate against the baseline, a table and verdicts. */
import { BoxAndWiskers, BoxPlotController } from '@sgratzl/chartjs-chart-boxplot';
import type { ChartConfiguration } from 'chart.js';
import type { EvaluateCandidate, EvaluateMessage, EvaluateSnapshot } from '../../src/protocol/panels';
import { Chart, ChartCard, baseOptions, pngName } from '../shared/charts';
import { assertNever, formatDuration, formatNumber, h, meanStd, replaceChildren } from '../shared/dom';
import { foldScoreBoxPlot } from '../../src/shared/charts';
import { startPanel, type PanelShell } from '../shared/panel';
import { SortableTable, type TableSort } from '../shared/table';
import { withAlpha, type Theme } from '../shared/theme';
import { metricRows, metricsTable, type MetricRow } from './metrics';

Chart.register(BoxPlotController, BoxAndWiskers);

interface Ui {
  sort?: TableSort;
}

interface Row {
  candidate: EvaluateCandidate;
  mean: number;
  std: number;
  min: number;
  max: number;
  verdict: string;
}

let model: EvaluateSnapshot | undefined;
let chart: ChartCard | undefined;
let table: SortableTable<Row> | undefined;
let metrics: SortableTable<MetricRow> | null = null;

function boxConfiguration(theme: Theme): ChartConfiguration {
  const snapshot = model as EvaluateSnapshot;
  const { labels, datasets, range } = foldScoreBoxPlot(
    snapshot.metric,
    snapshot.candidates.map((candidate) => ({ name: candidate.candidate, scores: candidate.scores })),
    snapshot.baseline?.mean,
    { ...theme, translucent: withAlpha },
  );
  return {
    type: 'boxplot',
    data: { labels, datasets },
    options: {
      ...baseOptions(theme),
      scales: {
        y: { title: { display: true, text: snapshot.metric }, ...range },
      },
      onClick: (_event, elements) => {
        const hit = elements.find((element) => element.datasetIndex === 0);
        const candidate = hit && snapshot.candidates[hit.index];
        if (candidate) shell.post({ type: 'panel/openRun', runId: candidate.runId });
      },
    },
  } as ChartConfiguration;
}

function verdictText(candidateName: string): string {
  const verdicts = model?.verdicts;
  const verdict = verdicts?.verdicts.find((item) => item.candidate === candidateName);
  if (!verdicts || !verdict) return '';
  const parts = [
    verdict.betterThanBaseline
      ? `better than baseline (p=${formatNumber(verdict.pBaseline)})`
      : `not better than baseline (p=${formatNumber(verdict.pBaseline)})`,
  ];
  if (verdicts.best === candidateName) parts.push('best');
  else if (verdict.indistinguishableFromBest)
    parts.push(`indistinguishable from the best (p=${formatNumber(verdict.pBest)})`);
  else parts.push(`worse than the best (p=${formatNumber(verdict.pBest)})`);
  return parts.join('; ');
}

function rows(): Row[] {
  return (model?.candidates ?? []).map((candidate) => ({
    candidate,
    ...meanStd(candidate.scores),
    verdict: verdictText(candidate.candidate),
  }));
}

function bestRunId(): string | undefined {
  const list = rows().filter((row) => Number.isFinite(row.mean));
  if (!model || list.length === 0) return undefined;
  const sign = model.higherIsBetter ? 1 : -1;
  return list.reduce((best, row) => (sign * (row.mean - best.mean) > 0 ? row : best)).candidate.runId;
}

function render(): void {
  if (!model) return;
  const snapshot = model;
  chart?.destroy();
  chart = new ChartCard(
    shell,
    `Fold ${snapshot.metric} per candidate`,
    pngName('evaluate', snapshot.session),
    boxConfiguration,
    {
      name: 'boxplot',
    },
  );
  table = new SortableTable<Row>(
    shell,
    'Candidates',
    [
      { key: 'candidate', title: 'Candidate', value: (row) => row.candidate.candidate },
      { key: 'model', title: 'Model', value: (row) => row.candidate.model },
      { key: 'folds', title: 'Folds', value: (row) => row.candidate.scores.length, numeric: true },
      {
        key: 'mean',
        title: 'Mean',
        value: (row) => row.mean,
        format: (row) => formatNumber(row.mean),
        numeric: true,
      },
      {
        key: 'std',
        title: 'Std',
        value: (row) => row.std,
        format: (row) => formatNumber(row.std),
        numeric: true,
      },
      {
        key: 'min',
        title: 'Min',
        value: (row) => row.min,
        format: (row) => formatNumber(row.min),
        numeric: true,
      },
      {
        key: 'max',
        title: 'Max',
        value: (row) => row.max,
        format: (row) => formatNumber(row.max),
        numeric: true,
      },
      {
        key: 'time',
        title: 'Time',
        value: (row) => row.candidate.durationMs,
        format: (row) => formatDuration(row.candidate.durationMs),
        numeric: true,
      },
      { key: 'backend', title: 'Backend', value: (row) => row.candidate.backend },
      { key: 'status', title: 'Status', value: (row) => row.candidate.status },
      { key: 'verdict', title: 'Verdict', value: (row) => row.verdict },
    ],
    shell.ui.sort ?? { key: 'mean', descending: snapshot.higherIsBetter },
    {
      name: 'candidates',
      onSort: (sort) => {
        shell.ui.sort = sort;
        shell.saveState();
      },
      onRowClick: (row) => shell.post({ type: 'panel/openRun', runId: row.candidate.runId }),
      rowClass: (row) => (row.candidate.runId === bestRunId() ? 'best' : ''),
    },
  );
  const baseline = snapshot.baseline
    ? h(
        'p',
        { class: 'baseline', 'data-baseline': snapshot.baseline.mean },
        `Baseline${snapshot.baselineName ? ` (${snapshot.baselineName})` : ''}: ${formatNumber(snapshot.baseline.mean)} ± ${formatNumber(snapshot.baseline.std)} (${snapshot.metric}, ${snapshot.higherIsBetter ? 'higher' : 'lower'} is better)`,
      )
    : h('p', { class: 'baseline' }, 'No baseline in this session.');
  const verdicts = snapshot.verdicts
    ? h(
        'p',
        { class: 'verdicts' },
        `Significance: ${snapshot.verdicts.test}, alpha ${snapshot.verdicts.alpha}. Best: ${snapshot.verdicts.best}.`,
      )
    : null;
  metrics = metricsTable(shell, snapshot);
  replaceChildren(shell.content, baseline, verdicts, chart.element, table.element, metrics?.element);
  chart.draw();
  table.setRows(rows());
}

function upsert(candidate: EvaluateCandidate): void {
  if (!model) return;
  const index = model.candidates.findIndex((existing) => existing.runId === candidate.runId);
  if (index >= 0) model.candidates[index] = candidate;
  else model.candidates.push(candidate);
}

function handle(message: EvaluateMessage): void {
  switch (message.type) {
    case 'evaluate/snapshot':
      model = message.snapshot;
      render();
      break;
    case 'evaluate/candidate': {
      if (!model) return;
      const known = model.candidates.some((existing) => existing.runId === message.candidate.runId);
      upsert(message.candidate);
      if (message.baseline) model.baseline = message.baseline;
      if (!known || message.baseline) render();
      else {
        const index = model.candidates.findIndex((existing) => existing.runId === message.candidate.runId);
        const dataset = chart?.chart?.data.datasets[0];
        if (dataset) (dataset.data as unknown[])[index] = message.candidate.scores;
        chart?.update();
        table?.setRows(rows());
        metrics?.setRows(metricRows(model));
      }
      break;
    }
    case 'evaluate/verdicts':
      if (!model) return;
      model.verdicts = message.verdicts;
      render();
      break;
    default:
      assertNever(message);
  }
  shell.saveState();
}

const shell: PanelShell<Ui> = startPanel<EvaluateMessage, EvaluateSnapshot, Ui>({
  kind: 'evaluate',
  defaultUi: {},
  handle,
  snapshot: () => model,
  restore: (snapshot) => {
    model = snapshot;
    queueMicrotask(render);
  },
  themeChanged: () => chart?.draw(),
});

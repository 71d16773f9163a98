/** Evaluate panel: a box plot of fold scores per candidate against the baseline, a table and verdicts. */
import { BoxAndWiskers, BoxPlotController } from '@sgratzl/chartjs-chart-boxplot';
import type { ChartConfiguration } from 'chart.js';
import type { EvaluateCandidate, EvaluateMessage, EvaluateSnapshot } from '../../src/protocol/panels';
import { Chart, ChartCard, baseOptions, pngName } from '../shared/charts';
import { assertNever, formatDuration, formatNumber, h, meanStd, replaceChildren } from '../shared/dom';
import { foldScoreBoxPlot } from '../../src/shared/charts';
import { definePanel, type Panel } from '../shared/panel';
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

type State = EvaluateSnapshot | undefined;

/** What the panel keeps between draws: the chart and table on screen, and the runs the chart was drawn with. */
interface View {
  chart?: ChartCard;
  table?: SortableTable<Row>;
  /** Every metric per candidate and for the baseline (when the folds recorded more than one). */
  metrics?: SortableTable<MetricRow> | null;
  drawn: string[];
}

type EvaluatePanel = Panel<State, Ui, View>;

/** The box plot of the session now in the state (a redraw after a theme change shows the latest folds). */
function boxConfiguration(panel: EvaluatePanel, theme: Theme): ChartConfiguration {
  const snapshot = panel.state as EvaluateSnapshot;
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
        if (candidate) panel.post({ type: 'panel/openRun', runId: candidate.runId });
      },
    },
  } as ChartConfiguration;
}

function verdictText(snapshot: EvaluateSnapshot, candidateName: string): string {
  const verdicts = snapshot.verdicts;
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

function rows(snapshot: EvaluateSnapshot): Row[] {
  return snapshot.candidates.map((candidate) => ({
    candidate,
    ...meanStd(candidate.scores),
    verdict: verdictText(snapshot, candidate.candidate),
  }));
}

function bestRunId(snapshot: EvaluateSnapshot): string | undefined {
  const list = rows(snapshot).filter((row) => Number.isFinite(row.mean));
  if (list.length === 0) return undefined;
  const sign = snapshot.higherIsBetter ? 1 : -1;
  return list.reduce((best, row) => (sign * (row.mean - best.mean) > 0 ? row : best)).candidate.runId;
}

function draw(panel: EvaluatePanel, snapshot: EvaluateSnapshot): void {
  const view = panel.view;
  view.chart?.destroy();
  const chart = new ChartCard(
    panel,
    `Fold ${snapshot.metric} per candidate`,
    pngName('evaluate', snapshot.session),
    (theme) => boxConfiguration(panel, theme),
    {
      name: 'boxplot',
    },
  );
  const table = new SortableTable<Row>(
    panel,
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
    panel.ui.sort ?? { key: 'mean', descending: snapshot.higherIsBetter },
    {
      name: 'candidates',
      onSort: (sort) => {
        panel.ui.sort = sort;
        panel.saveState();
      },
      onRowClick: (row) => panel.post({ type: 'panel/openRun', runId: row.candidate.runId }),
      rowClass: (row) => (row.candidate.runId === bestRunId(panel.state ?? snapshot) ? 'best' : ''),
    },
  );
  Object.assign(view, { chart, table, drawn: snapshot.candidates.map((candidate) => candidate.runId) });
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
  view.metrics = metricsTable(panel, snapshot);
  replaceChildren(panel.content, baseline, verdicts, chart.element, table.element, view.metrics?.element);
  chart.draw();
  table.setRows(rows(snapshot));
}

function upsert(snapshot: EvaluateSnapshot, candidate: EvaluateCandidate): EvaluateSnapshot {
  const known = snapshot.candidates.some((existing) => existing.runId === candidate.runId);
  return {
    ...snapshot,
    candidates: known
      ? snapshot.candidates.map((existing) => (existing.runId === candidate.runId ? candidate : existing))
      : [...snapshot.candidates, candidate],
  };
}

function reduce(state: State, message: EvaluateMessage): State {
  switch (message.type) {
    case 'evaluate/snapshot':
      return message.snapshot;
    case 'evaluate/candidate': {
      if (!state) return state;
      const next = upsert(state, message.candidate);
      return message.baseline ? { ...next, baseline: message.baseline } : next;
    }
    case 'evaluate/verdicts':
      return state && { ...state, verdicts: message.verdicts };
    default:
      return assertNever(message);
  }
}

/** Draws the session; a known candidate's new fold only moves its box and the table. */
function render(panel: EvaluatePanel, change?: EvaluateMessage): void {
  const snapshot = panel.state;
  if (!snapshot) return;
  const { chart, table, drawn } = panel.view;
  if (change?.type === 'evaluate/candidate' && !change.baseline && drawn.includes(change.candidate.runId)) {
    const index = snapshot.candidates.findIndex((existing) => existing.runId === change.candidate.runId);
    const dataset = chart?.chart?.data.datasets[0];
    if (dataset) (dataset.data as unknown[])[index] = change.candidate.scores;
    chart?.update();
    table?.setRows(rows(snapshot));
    panel.view.metrics?.setRows(metricRows(snapshot));
  } else draw(panel, snapshot);
}

definePanel<EvaluateMessage, State, Ui, View>({
  kind: 'evaluate',
  defaultUi: {},
  initial: undefined,
  reduce,
  view: () => ({ drawn: [] }),
  render,
  themeChanged: (panel) => panel.view.chart?.draw(),
});

/**
 * Evaluate panel: the number to beat, a box plot of fold scores per candidate (best first, the best marked)
 * against the baseline, a legend, the next step, and a table in the same order with the verdicts in words.
 */
import { BoxAndWiskers, BoxPlotController } from '@sgratzl/chartjs-chart-boxplot';
import type { ChartConfiguration } from 'chart.js';
import type { EvaluateCandidate, EvaluateMessage, EvaluateSnapshot } from '../../src/protocol/panels';
import { Chart, ChartCard, baseOptions, lineLegendLabels, pngName } from '../shared/charts';
import { assertNever, formatDuration, h, meanStd, replaceChildren } from '../shared/dom';
import { foldScoreBoxPlot } from '../../src/shared/charts';
import { definePanel, type Panel } from '../shared/panel';
import { SortableTable, scoreColumns, type TableSort } from '../shared/table';
import { withAlpha, type Theme } from '../shared/theme';
import { bestCandidate, chartLegend, nextStep, numberToBeat, rankedCandidates, verdictOf } from './standing';
import { metricRows, metricsTable, type MetricRow } from './metrics';
import { foldForecastView, misclassifiedView, type OutOfFoldUi } from './outOfFold';
import { metricLabel } from '../../src/shared/format';

Chart.register(BoxPlotController, BoxAndWiskers);

interface Ui extends OutOfFoldUi {
  sort?: TableSort;
}

interface Row {
  candidate: EvaluateCandidate;
  mean: number;
  std: number;
  min: number;
  max: number;
  verdict: string;
  /** The test behind the verdict (its tooltip). */
  verdictDetail: string;
  /** The baseline's row: the number to beat, among the candidates in score order. */
  baseline?: boolean;
}

type State = EvaluateSnapshot | undefined;

/** What the panel keeps between draws: the chart and table on screen, and the runs the chart was drawn with. */
interface View {
  chart?: ChartCard;
  table?: SortableTable<Row>;
  /** Every metric per candidate and for the baseline (when the folds recorded more than one). */
  metrics?: SortableTable<MetricRow> | null;
  /** Time series: the picked candidate's forecasts per fold. */
  foldForecast?: ChartCard;
  drawn: string[];
}

type EvaluatePanel = Panel<State, Ui, View>;

/** The box plot of the session now in the state (a redraw after a theme change shows the latest folds). */
function boxConfiguration(panel: EvaluatePanel, theme: Theme): ChartConfiguration {
  const snapshot = panel.state as EvaluateSnapshot;
  const ranked = rankedCandidates(snapshot);
  const best = bestCandidate(snapshot);
  const { labels, datasets, range } = foldScoreBoxPlot(
    snapshot.metric,
    ranked.map((candidate) => ({
      name: candidate === best ? `★ ${candidate.candidate}` : candidate.candidate,
      scores: candidate.scores,
    })),
    snapshot.baseline?.mean,
    { ...theme, translucent: withAlpha },
  );
  markBest(datasets[0], ranked.indexOf(best as EvaluateCandidate), theme);
  const options = baseOptions(theme);
  return {
    type: 'boxplot',
    data: { labels, datasets },
    options: {
      ...options,
      plugins: {
        ...options?.plugins,
        // The boxes' colours, dots and mean are explained by the legend below the chart; Chart.js' own legend
        // keeps the baseline alone, drawn as the dashed line it is.
        legend: {
          ...options?.plugins?.legend,
          labels: {
            ...lineLegendLabels(theme),
            filter: (item) => datasets[item.datasetIndex ?? 0]?.type === 'line',
          },
        },
      },
      scales: {
        y: { title: { display: true, text: metricLabel(snapshot.metric) }, ...range },
      },
      onClick: (_event, elements) => {
        const hit = elements.find((element) => element.datasetIndex === 0);
        const candidate = hit && ranked[hit.index];
        if (candidate) panel.post({ type: 'panel/openRun', runId: candidate.runId });
      },
    },
  } as ChartConfiguration;
}

/** Draws the best candidate's box, its dots included, in the highlight colour. */
function markBest(boxes: Record<string, unknown> | undefined, index: number, theme: Theme): void {
  if (!boxes || index < 0) return;
  const colours: Record<string, string> = {
    borderColor: theme.highlight,
    outlierBackgroundColor: theme.highlight,
    backgroundColor: withAlpha(theme.highlight, 0.35),
    itemBackgroundColor: withAlpha(theme.highlight, 0.8),
  };
  for (const [key, colour] of Object.entries(colours)) {
    const list = boxes[key];
    if (Array.isArray(list)) list[index] = colour;
  }
}

function rows(snapshot: EvaluateSnapshot): Row[] {
  const candidates: Row[] = snapshot.candidates.map((candidate) => {
    const verdict = verdictOf(snapshot, candidate.candidate);
    return { candidate, ...meanStd(candidate.scores), verdict: verdict.words, verdictDetail: verdict.detail };
  });
  if (!snapshot.baseline) return candidates;
  const { mean, std } = snapshot.baseline;
  const baseline: Row = {
    candidate: {
      runId: '',
      candidate: 'baseline',
      model: 'baseline',
      status: 'completed',
      scores: [],
      durationMs: NaN,
      backend: '',
    },
    mean,
    std,
    min: NaN,
    max: NaN,
    verdict: 'number to beat',
    verdictDetail: 'The baseline under the same folds: a candidate must beat it to be worth anything.',
    baseline: true,
  };
  return [...candidates, baseline];
}

/** The candidates with their verdicts, scores, time and curve diagnosis, the baseline as the last row. */
function candidatesTable(panel: EvaluatePanel, snapshot: EvaluateSnapshot): SortableTable<Row> {
  return new SortableTable<Row>(
    panel,
    'Candidates',
    [
      { key: 'candidate', title: 'Candidate', value: (row) => row.candidate.candidate },
      {
        key: 'verdict',
        title: 'Verdict',
        value: (row) => row.verdict,
        tooltip: (row) => row.verdictDetail || undefined,
      },
      ...scoreColumns<Row>((row, key) => row[key]),
      {
        key: 'folds',
        title: 'Folds',
        value: (row) => (row.baseline ? undefined : row.candidate.scores.length),
        numeric: true,
      },
      {
        key: 'time',
        title: 'Time',
        value: (row) => (row.baseline ? undefined : row.candidate.durationMs),
        format: (row) => (row.baseline ? '—' : formatDuration(row.candidate.durationMs)),
        numeric: true,
      },
      {
        key: 'curves',
        title: 'Curves',
        value: (row) => row.candidate.advice?.diagnosis.replace(/-/g, ' '),
        tooltip: (row) =>
          row.candidate.advice && `${row.candidate.advice.message} Next: ${row.candidate.advice.nextStep}`,
      },
      { key: 'model', title: 'Model', value: (row) => row.candidate.model },
      { key: 'backend', title: 'Backend', value: (row) => row.candidate.backend || undefined },
      { key: 'status', title: 'Status', value: (row) => (row.baseline ? undefined : row.candidate.status) },
    ],
    panel.ui.sort ?? { key: 'mean', descending: snapshot.higherIsBetter },
    {
      name: 'candidates',
      onSort: (sort) => {
        panel.ui.sort = sort;
        panel.saveState();
      },
      onRowClick: (row) => {
        if (!row.baseline) panel.post({ type: 'panel/openRun', runId: row.candidate.runId });
      },
      rowClass: (row) =>
        row.baseline
          ? 'baseline-row'
          : row.candidate === bestCandidate(panel.state ?? snapshot)
            ? 'best'
            : '',
    },
  );
}

/** Which test made the verdicts, at which alpha. */
function verdictsLine(snapshot: EvaluateSnapshot): HTMLElement | null {
  if (!snapshot.verdicts) return null;
  return h(
    'p',
    { class: 'verdicts facts' },
    `Verdicts: ${snapshot.verdicts.test} over the shared folds, alpha ${snapshot.verdicts.alpha} (hover a verdict for its p-values).`,
  );
}

function draw(panel: EvaluatePanel, snapshot: EvaluateSnapshot): void {
  const view = panel.view;
  view.chart?.destroy();
  view.foldForecast?.destroy();
  const chart = new ChartCard(
    panel,
    `Fold ${metricLabel(snapshot.metric)} per candidate`,
    pngName('evaluate', snapshot.session),
    (theme) => boxConfiguration(panel, theme),
    {
      name: 'boxplot',
    },
  );
  const table = candidatesTable(panel, snapshot);
  Object.assign(view, { chart, table, drawn: drawnOrder(snapshot) });
  const next = nextStep(bestCandidate(snapshot), (candidate) =>
    panel.post({ type: 'evaluate/improve', candidate }),
  );
  view.metrics = metricsTable(panel, snapshot);
  const redraw = (): void => draw(panel, snapshot);
  const forecast = foldForecastView(panel, snapshot, redraw);
  view.foldForecast = forecast?.chart;
  replaceChildren(
    panel.content,
    numberToBeat(snapshot),
    next,
    chart.element,
    chartLegend(),
    verdictsLine(snapshot),
    table.element,
    view.metrics?.element,
    forecast?.element,
    ...misclassifiedView(panel, snapshot, redraw),
  );
  chart.draw();
  forecast?.chart.draw();
  table.setRows(rows(snapshot));
}

/** The runs in the order the chart draws them, the best marked (a new order or best means a full draw). */
function drawnOrder(snapshot: EvaluateSnapshot): string[] {
  const best = bestCandidate(snapshot)?.runId;
  return rankedCandidates(snapshot).map((candidate) =>
    candidate.runId === best ? `*${best}` : candidate.runId,
  );
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
  const sameOrder = drawnOrder(snapshot).join('\u0000') === drawn.join('\u0000');
  if (change?.type === 'evaluate/candidate' && !change.baseline && sameOrder) {
    const index = drawn.indexOf(change.candidate.runId);
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
  themeChanged: (panel) => {
    panel.view.chart?.draw();
    panel.view.foldForecast?.draw();
  },
});

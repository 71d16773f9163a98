/** Final results panel (step 5): holdout beside the CV estimate, confusion heat map or residuals, predictions. */
import type { ChartConfiguration, Plugin } from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import type { FinalMessage, FinalResults, PredictionSample } from '../../src/protocol/panels';
import { Chart, ChartCard, baseOptions, pngName } from '../shared/charts';
import { button } from '../shared/controls';
import { assertNever, formatNumber, h, replaceChildren } from '../shared/dom';
import { definePanel, type Panel } from '../shared/panel';
import { confusedPairsCard } from './confusedPairs';
import { forecastCharts } from './forecast';
import { classifiedColumns, textResultsCards } from './textResults';
import { SortableTable, type TableSort } from '../shared/table';
import { withAlpha, type Theme } from '../shared/theme';
import { baselineColumns, reliabilityNotice, residualTable } from './regression';

Chart.register(MatrixController, MatrixElement);

interface Ui {
  sort?: TableSort;
}

interface Cell {
  x: string;
  y: string;
  v: number;
}

type State = FinalResults | undefined;

/** The chart on screen. */
interface View {
  chart?: ChartCard;
  /** Time series: the forecast over time and the error by horizon step. */
  forecast: ChartCard[];
}

type FinalPanel = Panel<State, Ui, View>;

/** Writes each cell's count in its middle, in a colour that reads on the cell. */
const cellCounts: Plugin<'matrix'> = {
  id: 'cellCounts',
  afterDatasetsDraw(target) {
    const context = target.ctx;
    const meta = target.getDatasetMeta(0);
    const cells = target.data.datasets[0].data as unknown as Cell[];
    const maximum = Math.max(1, ...cells.map((cell) => cell.v));
    context.save();
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    meta.data.forEach((element, index) => {
      const { x, y } = element.getProps(['x', 'y'], true) as { x: number; y: number };
      const { width, height } = element.getProps(['width', 'height'], true) as {
        width: number;
        height: number;
      };
      context.fillStyle =
        cells[index].v / maximum > 0.55 ? '#ffffff' : String(target.options.color ?? '#888888');
      context.fillText(String(cells[index].v), x + width / 2, y + height / 2);
    });
    context.restore();
  },
};

function confusionChart(results: FinalResults, theme: Theme): ChartConfiguration<'matrix'> {
  const classes = results.classes ?? [];
  const confusion = results.confusion ?? [];
  const cells: Cell[] = confusion.flatMap((row, actual) =>
    row.map((count, predicted) => ({ x: classes[predicted], y: classes[actual], v: count })),
  );
  const maximum = Math.max(1, ...cells.map((cell) => cell.v));
  const size = classes.length || 1;
  return {
    type: 'matrix',
    data: {
      datasets: [
        {
          label: 'holdout counts',
          data: cells,
          backgroundColor: (context) =>
            withAlpha(theme.palette[0], 0.1 + (0.9 * ((context.raw as Cell | undefined)?.v ?? 0)) / maximum),
          borderColor: theme.grid,
          borderWidth: 1,
          width: ({ chart: target }) => (target.chartArea?.width ?? 0) / size - 2,
          height: ({ chart: target }) => (target.chartArea?.height ?? 0) / size - 2,
        },
      ],
    },
    options: {
      ...(baseOptions(theme) as ChartConfiguration<'matrix'>['options']),
      color: theme.foreground,
      plugins: { legend: { display: false } },
      scales: {
        x: {
          type: 'category',
          labels: classes,
          offset: true,
          title: { display: true, text: 'predicted' },
          grid: { display: false },
        },
        y: {
          type: 'category',
          labels: classes,
          offset: true,
          reverse: false,
          title: { display: true, text: 'actual' },
          grid: { display: false },
        },
      },
    },
    plugins: [cellCounts],
  };
}

function residualChart(results: FinalResults, theme: Theme): ChartConfiguration {
  const points = (results.residuals ?? []).map((item) => ({ x: item.actual, y: item.predicted }));
  const values = points.flatMap((point) => [point.x, point.y]);
  const low = Math.min(...values);
  const high = Math.max(...values);
  return {
    type: 'scatter',
    data: {
      datasets: [
        {
          label: 'holdout rows',
          data: points,
          backgroundColor: withAlpha(theme.palette[0], 0.7),
          pointRadius: 3,
        },
        {
          type: 'line',
          label: 'perfect prediction',
          data: [
            { x: low, y: low },
            { x: high, y: high },
          ],
          borderColor: theme.baseline,
          borderDash: [6, 4],
          pointRadius: 0,
        },
      ],
    },
    options: {
      ...baseOptions(theme),
      scales: {
        x: { type: 'linear', title: { display: true, text: 'actual' } },
        y: { title: { display: true, text: 'predicted' } },
      },
    },
  } as ChartConfiguration;
}

/** The holdout chart: the confusion matrix for classes, actual vs predicted for numbers. */
function resultChart(panel: FinalPanel, results: FinalResults): ChartCard | undefined {
  if (results.confusion && results.classes) {
    return new ChartCard(
      panel,
      'Confusion matrix (holdout)',
      pngName('final', results.candidate, 'confusion'),
      (theme) => confusionChart(results, theme) as unknown as ChartConfiguration,
      { name: 'confusion', height: 60 + 48 * results.classes.length },
    );
  } else if (results.residuals) {
    return new ChartCard(
      panel,
      'Actual vs predicted (holdout)',
      pngName('final', results.candidate, 'residuals'),
      (theme) => residualChart(results, theme),
      { name: 'residuals' },
    );
  }
  return undefined;
}

/** Each metric on the holdout next to its cross-validation mean and std (and the baseline's). */
function metricsTable(panel: FinalPanel, results: FinalResults): HTMLElement {
  const names = [...new Set([...Object.keys(results.holdout), ...Object.keys(results.crossValidation)])];
  const metrics = new SortableTable<string>(
    panel,
    'Holdout vs cross-validation',
    [
      { key: 'metric', title: 'Metric', value: (name) => name },
      {
        key: 'holdout',
        title: 'Holdout',
        value: (name) => results.holdout[name],
        format: (name) => formatNumber(results.holdout[name]),
        numeric: true,
      },
      {
        key: 'cv',
        title: 'CV mean',
        value: (name) => results.crossValidation[name]?.mean,
        format: (name) => formatNumber(results.crossValidation[name]?.mean),
        numeric: true,
      },
      {
        key: 'cvStd',
        title: 'CV std',
        value: (name) => results.crossValidation[name]?.std,
        format: (name) => formatNumber(results.crossValidation[name]?.std),
        numeric: true,
      },
      ...baselineColumns(results),
    ],
    undefined,
    { name: 'metrics', rowClass: (name) => (name === results.metric ? 'best' : '') },
  );
  metrics.setRows(names);
  return metrics.element;
}

/** Buttons that open the report and the saved model, when there are. */
function actionsBar(panel: FinalPanel, results: FinalResults): HTMLElement {
  return h(
    'div',
    { class: 'toolbar' },
    results.hasReport
      ? button('Open report', () => panel.post({ type: 'final/open', target: 'report' }), {
          name: 'open-report',
        })
      : null,
    results.hasModel
      ? button('Open model folder', () => panel.post({ type: 'final/open', target: 'model' }), {
          secondary: true,
          name: 'open-model',
        })
      : null,
  );
}

function render(panel: FinalPanel): void {
  const results = panel.state;
  if (!results) return;
  const view = panel.view;
  view.chart?.destroy();
  view.chart = resultChart(panel, results);
  for (const chart of view.forecast) chart.destroy();
  view.forecast = forecastCharts(panel, results);
  const onSort = (sort: TableSort) => {
    panel.ui.sort = sort;
    panel.saveState();
  };
  const predictions = results.residuals
    ? residualTable(panel, results, panel.ui.sort, onSort)
    : classificationPredictions(panel, results, onSort);
  replaceChildren(
    panel.content,
    h('p', { class: 'facts' }, facts(results)),
    reliabilityNotice(results),
    actionsBar(panel, results),
    metricsTable(panel, results),
    ...view.forecast.map((chart) => chart.element),
    view.chart?.element,
    confusedPairsCard(results.confusedPairs),
    ...textResultsCards(panel, results.textResults),
    predictions.element,
  );
  for (const chart of view.forecast) chart.draw();
  view.chart?.draw();
}

/** Classification: a sample of holdout predictions with the predicted class's probability, misses marked. */
function classificationPredictions(
  panel: FinalPanel,
  results: FinalResults,
  onSort: (sort: TableSort) => void,
): SortableTable<PredictionSample> {
  const predictions = new SortableTable<PredictionSample>(
    panel,
    'Sample of predictions',
    classifiedColumns<PredictionSample>(),
    panel.ui.sort,
    {
      name: 'predictions',
      onSort,
      rowClass: (item) => (String(item.actual) !== String(item.predicted) ? 'untuned' : ''),
    },
  );
  predictions.setRows(results.predictions);
  return predictions;
}

/** The model, its task and metric; an ensemble's members and how they combine. */
function facts(results: FinalResults): string {
  const ensemble = results.ensemble
    ? ` (${results.ensemble.method === 'vote' ? 'majority vote' : 'average'} of ${results.ensemble.members.join(', ')})`
    : '';
  return `${results.candidate}${ensemble} · ${results.task} · ranked by ${results.metric}`;
}

function reduce(state: State, message: FinalMessage): State {
  switch (message.type) {
    case 'final/snapshot':
      return message.results;
    default:
      return assertNever(message.type);
  }
}

definePanel<FinalMessage, State, Ui, View>({
  kind: 'final',
  defaultUi: {},
  initial: undefined,
  reduce,
  view: () => ({ forecast: [] }),
  render,
  themeChanged: (panel) => [...panel.view.forecast, panel.view.chart].forEach((chart) => chart?.draw()),
});

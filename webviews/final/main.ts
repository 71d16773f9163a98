/** Final results panel (step 5): holdout beside the CV estimate, confusion heat map or residuals, predictions. */
import type { ChartConfiguration, Plugin } from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import type { FinalMessage, FinalResults, PredictionSample } from '../../src/protocol/panels';
import { Chart, ChartCard, baseOptions, lineLegendLabels, pngName } from '../shared/charts';
import { button } from '../shared/controls';
import { columnFormat, formatScore, metricLabel } from '../../src/shared/format';
import { assertNever, h, replaceChildren } from '../shared/dom';
import { definePanel, type Panel } from '../shared/panel';
import { confusedPairsCard } from './confusedPairs';
import { forecastCharts } from './forecast';
import { classifiedColumns, textResultsCards } from './textResults';
import { SortableTable, type TableColumn, type TableSort } from '../shared/table';
import { withAlpha, type Theme } from '../shared/theme';
import { baselineColumns, reliabilityNotice, residualTable } from './regression';

Chart.register(MatrixController, MatrixElement);

interface Ui {
  sort?: TableSort;
}

interface Cell {
  x: string;
  y: string;
  /** The count. */
  v: number;
  /** The count's share of its row (the actual class), 0 to 1. */
  r: number;
}

/** Height of the confusion matrix chart for `classes` classes; its width is kept close to it (square cells). */
export function confusionHeight(classes: number): number {
  return Math.min(560, Math.max(260, 90 + 60 * classes));
}

type State = FinalResults | undefined;

/** The chart on screen. */
interface View {
  chart?: ChartCard;
  /** Time series: the forecast over time and the error by horizon step. */
  forecast: ChartCard[];
}

type FinalPanel = Panel<State, Ui, View>;

/**
 * Square cells: the plot area is as wide as it is tall. The axes' labels take a width the card cannot know
 * before Chart.js lays them out, so a wider plot area narrows the card by the difference (the chart then
 * resizes once). The plot area's size is written on the canvas (`data-plot="w×h"`) for tests.
 */
const squareCells: Plugin<'matrix'> = {
  id: 'squareCells',
  afterLayout(target) {
    const { width, height } = target.chartArea;
    target.canvas.dataset.plot = `${Math.round(width)}×${Math.round(height)}`;
    const box = target.canvas.parentElement;
    if (box && width - height > 2) box.style.maxWidth = `${Math.floor(target.width - (width - height))}px`;
  },
};

/** Writes each cell's count and its row percentage in its middle, in a colour that reads on the cell. */
const cellCounts: Plugin<'matrix'> = {
  id: 'cellCounts',
  afterDatasetsDraw(target) {
    const context = target.ctx;
    const meta = target.getDatasetMeta(0);
    const cells = target.data.datasets[0].data as unknown as Cell[];
    context.save();
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    meta.data.forEach((element, index) => {
      const { x, y } = element.getProps(['x', 'y'], true) as { x: number; y: number };
      const { width, height } = element.getProps(['width', 'height'], true) as {
        width: number;
        height: number;
      };
      context.fillStyle = cells[index].r > 0.55 ? '#ffffff' : String(target.options.color ?? '#888888');
      const middle = y + height / 2;
      const percent = `${Math.round(100 * cells[index].r)}%`;
      const twoLines = height >= 30;
      context.font = `600 ${twoLines ? 13 : 11}px sans-serif`;
      context.fillText(String(cells[index].v), x + width / 2, twoLines ? middle - 7 : middle);
      if (twoLines) {
        context.font = '11px sans-serif';
        context.fillText(percent, x + width / 2, middle + 8);
      }
    });
    context.restore();
  },
};

function confusionChart(results: FinalResults, theme: Theme): ChartConfiguration<'matrix'> {
  const classes = results.classes ?? [];
  const confusion = results.confusion ?? [];
  const cells: Cell[] = confusion.flatMap((row, actual) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    return row.map((count, predicted) => ({
      x: classes[predicted],
      y: classes[actual],
      v: count,
      r: total > 0 ? count / total : 0,
    }));
  });
  const size = classes.length || 1;
  return {
    type: 'matrix',
    data: {
      datasets: [
        {
          label: 'holdout counts (row %: share of the actual class)',
          data: cells,
          backgroundColor: (context) =>
            withAlpha(theme.palette[0], 0.1 + 0.9 * ((context.raw as Cell | undefined)?.r ?? 0)),
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
    plugins: [cellCounts, squareCells],
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
          pointStyle: 'circle',
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
          pointStyle: 'line',
        },
      ],
    },
    options: {
      ...baseOptions(theme),
      // Each entry as drawn: a dot for the rows, a dashed line for the diagonal.
      plugins: {
        ...baseOptions(theme)?.plugins,
        legend: { labels: lineLegendLabels(theme) },
      },
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
      {
        name: 'confusion',
        height: confusionHeight(results.classes.length),
        maxWidth: confusionHeight(results.classes.length) + 70,
      },
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

/** Buttons that open the report and the saved model, and predict with that model, when there are. */
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
    results.hasModel
      ? button('Predict…', () => panel.post({ type: 'final/predict' }), { secondary: true, name: 'predict' })
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
    : results.predictions.length > 0
      ? classificationPredictions(panel, results, onSort)
      : undefined;
  replaceChildren(
    panel.content,
    h('p', { class: 'facts' }, facts(results)),
    reliabilityNotice(results),
    noHoldoutNotice(results),
    actionsBar(panel, results),
    metricsTable(panel, results).element,
    ...view.forecast.map((chart) => chart.element),
    view.chart?.element,
    confusedPairsCard(results.confusedPairs),
    ...textResultsCards(panel, results.textResults),
    predictions?.element,
  );
  for (const chart of view.forecast) chart.draw();
  view.chart?.draw();
}

/** Whether step 5 scored the model on a holdout (topdown.json's `problem.holdout`). */
function hasHoldout(results: FinalResults): boolean {
  return Object.keys(results.holdout).length > 0;
}

/**
 * The metrics, the project's first, in words: the holdout beside the baseline's holdout, then the CV estimate
 * beside the baseline's; each metric's values in one notation. Without a holdout, only the CV estimate.
 */
function metricsTable(panel: FinalPanel, results: FinalResults): SortableTable<string> {
  const others = [...Object.keys(results.holdout), ...Object.keys(results.crossValidation)];
  const names = [...new Set([results.metric, ...others])].filter(
    (name) => name in results.holdout || name in results.crossValidation,
  );
  const rowFormat = (name: string) =>
    columnFormat([
      results.holdout[name],
      results.crossValidation[name]?.mean,
      results.crossValidation[name]?.std,
      results.baseline?.holdout?.[name],
      name === results.metric ? results.baseline?.crossValidation?.mean : undefined,
    ]);
  const number = (key: string, title: string, value: (name: string) => number | undefined) => ({
    key,
    title,
    value,
    format: (name: string) => rowFormat(name)(value(name)),
    numeric: true,
  });
  const baseline = baselineColumns(results, rowFormat);
  const holdout = hasHoldout(results);
  const columns: Array<TableColumn<string>> = [
    { key: 'metric', title: 'Metric', value: (name) => name, format: (name) => metricLabel(name) },
    ...(holdout ? [number('holdout', 'Holdout', (name) => results.holdout[name])] : []),
    ...(baseline.holdout ? [baseline.holdout] : []),
    number('cv', 'CV mean', (name) => results.crossValidation[name]?.mean),
    number('cvStd', 'CV std', (name) => results.crossValidation[name]?.std),
    ...(baseline.cv ? [baseline.cv] : []),
  ];
  const table = new SortableTable<string>(
    panel,
    holdout ? 'Holdout vs cross-validation' : 'Cross-validation estimate',
    columns,
    undefined,
    { name: 'metrics', rowClass: (name) => (name === results.metric ? 'best' : '') },
  );
  table.setRows(names);
  return table;
}

/** Without a holdout: says so, gives the CV estimate as the number to trust, and how to add a holdout. */
function noHoldoutNotice(results: FinalResults): HTMLElement | null {
  if (hasHoldout(results)) return null;
  const cv = results.crossValidation[results.metric];
  const estimate = cv
    ? ` Its cross-validation estimate is ${metricLabel(results.metric)} ${formatScore(cv.mean)} ± ${formatScore(cv.std)}.`
    : '';
  return h(
    'section',
    { class: 'card', 'data-role': 'no-holdout' },
    h('h2', {}, 'No holdout'),
    h(
      'p',
      {},
      `${results.candidate} was not scored on rows kept aside, so there is no holdout result to show.${estimate}`,
    ),
    h(
      'p',
      { class: 'facts' },
      'To check the model on rows it never saw, set "holdout": 0.2 under "problem" in topdown.json and run all steps again.',
    ),
  );
}

/**
 * The probability column of the predictions: binary, the positive class's ("Probability of M"); otherwise the
 * predicted class's.
 */
function probabilityColumn(results: FinalResults): TableColumn<PredictionSample> {
  const positive = results.positiveClass;
  const probability = (item: PredictionSample): number | undefined => {
    if (item.probability === undefined || positive === undefined) return item.probability;
    return String(item.predicted) === positive ? item.probability : 1 - item.probability;
  };
  const format = columnFormat(results.predictions.map(probability));
  return {
    key: 'probability',
    title: positive === undefined ? 'Probability of the predicted class' : `Probability of ${positive}`,
    value: probability,
    format: (item) => format(probability(item)),
    numeric: true,
  };
}

/** Classification: a sample of holdout predictions with their probability, misses marked. */
function classificationPredictions(
  panel: FinalPanel,
  results: FinalResults,
  onSort: (sort: TableSort) => void,
): SortableTable<PredictionSample> {
  const predictions = new SortableTable<PredictionSample>(
    panel,
    'Sample of predictions',
    classifiedColumns<PredictionSample>().map((column) =>
      column.key === 'probability' ? probabilityColumn(results) : column,
    ),
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
  return `${results.candidate}${ensemble} · ${results.task} · ranked by ${metricLabel(results.metric)}`;
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

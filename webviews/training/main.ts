/** Training panel: learning curves per fold (or their mean and band), live while a job runs. */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { TrainingMessage, TrainingPoint, TrainingRun } from '../../src/protocol/panels';
import { epochsSoFar, formatTrainingProgress, runProgress } from '../../src/shared/progress';
import { ChartCard, baseOptions, lineLegendLabels, pngName } from '../shared/charts';
import { checkbox, select } from '../shared/controls';
import { assertNever, formatDuration, h, replaceChildren } from '../shared/dom';
import { epochless, foldScoresCard } from './foldScores';
import { adviceList } from './advice';
import { definePanel, type Panel } from '../shared/panel';
import type { Theme } from '../shared/theme';
import { timeLeft, type Point } from './curves';
import { CurveLayer, seriesSize, type Series } from './layer';
import { curveWidth, legendEntry, runSeries, valueRange, type SeriesOptions } from './series';

interface Ui {
  key: string;
  /** One line per fold; by default each run's fold mean with its min–max band. */
  showFolds?: boolean;
  smoothing: number;
  logScale: boolean;
}

interface Model {
  runs: TrainingRun[];
  live: boolean;
}

/** What the panel keeps between draws. */
interface View {
  /** When each run's elapsed time was last reported, to keep the clock going between reports. */
  reportedAt: Map<string, number>;
  chart?: ChartCard<'line'>;
  /** Draws the curves of the chart now on screen. */
  layer?: CurveLayer;
  toolbar: HTMLElement;
  /** The curve keys the toolbar offers, to offer new ones as live epochs bring them. */
  keys?: string;
  progress: HTMLElement;
  /** The learning-curve advice of the runs that ended with it. */
  advice: HTMLElement;
}

type TrainingPanel = Panel<Model, Ui, View>;

function keys(model: Model): string[] {
  const found = new Set<string>();
  for (const run of model.runs) {
    for (const curve of run.curves)
      for (const key of Object.keys(curve.logs)) found.add(key.replace(/^val_/, ''));
  }
  return [...found].sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b)));
}

function showFolds(panel: TrainingPanel): boolean {
  // A final fit has a single curve: its "mean" would only repeat it.
  return panel.ui.showFolds ?? panel.state.runs.every((run) => run.finalFit === true);
}

function baselineDatasets(
  panel: TrainingPanel,
  theme: Theme,
  lastEpoch: number,
): Array<ChartDataset<'line', Point[]>> {
  const model = panel.state;
  const values = new Set(
    model.runs.flatMap((run) =>
      run.baseline && run.baseline.key === panel.ui.key ? [run.baseline.value] : [],
    ),
  );
  return [...values].map(
    (value) =>
      ({
        label: `baseline ${value.toFixed(3)}`,
        data: [
          { x: 1, y: value },
          { x: Math.max(2, lastEpoch), y: value },
        ],
        borderColor: theme.baseline,
        backgroundColor: theme.baseline,
        borderWidth: theme.lineWidth,
        borderDash: [8, 4],
        pointRadius: 0,
        fill: false,
        parsing: false,
      }) as ChartDataset<'line', Point[]>,
  );
}

/**
 * The last epoch to show: the longest curve, or for a running run its planned epochs (a quarter more once it
 * passes them), so that appends fit the axis and need no new scales.
 */
function lastEpoch(model: Model): number {
  return Math.max(
    1,
    ...model.runs.map((run) => {
      const longest = Math.max(
        0,
        ...run.curves.flatMap((curve) => Object.values(curve.logs).map((values) => values.length)),
      );
      if (run.status !== 'running') return longest;
      return longest <= run.epochs ? run.epochs : Math.ceil(longest * 1.25);
    }),
  );
}

function seriesOptions(panel: TrainingPanel, theme: Theme): SeriesOptions {
  const model = panel.state;
  const { key, smoothing } = panel.ui;
  const folds = showFolds(panel);
  const single = model.runs.length === 1;
  return { key, smoothing, showFolds: folds, single, width: curveWidth(model.runs, folds, theme) };
}

function allSeries(panel: TrainingPanel, theme: Theme): Series[] {
  const options = seriesOptions(panel, theme);
  return panel.state.runs.flatMap((run, index) => runSeries(run, index, theme, options));
}

/** Chart.js' datasets and scales for the series the layer holds. */
function chartData(
  panel: TrainingPanel,
  theme: Theme,
  series: readonly Series[],
): {
  datasets: ChartConfiguration<'line'>['data']['datasets'];
  x: { min: number; max: number };
  y: { suggestedMin?: number; suggestedMax?: number };
} {
  const last = Math.max(2, lastEpoch(panel.state));
  const range = valueRange(series, panel.ui.logScale);
  return {
    datasets: [
      ...series.map(legendEntry),
      ...baselineDatasets(panel, theme, last),
    ] as ChartConfiguration<'line'>['data']['datasets'],
    x: { min: 1, max: last },
    y: { suggestedMin: range.min, suggestedMax: range.max },
  };
}

function configuration(panel: TrainingPanel, theme: Theme): ChartConfiguration<'line'> {
  const layer = new CurveLayer(theme);
  panel.view.layer = layer;
  const series = allSeries(panel, theme);
  layer.setSeries(series);
  const data = chartData(panel, theme, series);
  const options = baseOptions(theme) as ChartConfiguration<'line'>['options'];
  return {
    type: 'line',
    data: { datasets: data.datasets },
    plugins: [layer.plugin],
    options: {
      ...options,
      spanGaps: true,
      plugins: {
        ...options?.plugins,
        // The layer labels the curve point under the pointer; Chart.js knows only the baseline's points.
        tooltip: { enabled: false },
        legend: {
          ...options?.plugins?.legend,
          // Past a few dozen entries a legend hides the chart; the hover label names each line instead.
          display: panel.state.runs.length <= 12,
          labels: { ...lineLegendLabels(theme), filter: (item) => !item.text.endsWith(' band') },
        },
      },
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: 'epoch' },
          // Epoch 1 is the axis' start, not a tick crowding the "2" beside it.
          ticks: { includeBounds: false },
          ...data.x,
        },
        y: {
          type: panel.ui.logScale ? 'logarithmic' : 'linear',
          title: { display: true, text: panel.ui.key },
          ...data.y,
        },
      },
    },
  };
}

function elapsed(panel: TrainingPanel, run: TrainingRun): number {
  const since = panel.view.reportedAt.get(run.runId);
  return run.status === 'running' && since !== undefined
    ? run.elapsedMs + (performance.now() - since)
    : run.elapsedMs;
}

function renderProgress(panel: TrainingPanel): void {
  const model = panel.state;
  const lines = model.runs
    // In a live panel a run keeps its line when it ends, with how it ended.
    .filter((run) => model.live || run.status === 'running' || model.runs.length === 1)
    .slice(0, 10)
    .map((run) => {
      const progress = runProgress(run);
      const done = epochsSoFar(progress);
      const spent = elapsed(panel, run);
      const left = run.status === 'running' ? timeLeft(spent, done, run.epochs * run.folds) : undefined;
      const parts = [
        `${run.label ?? run.candidate}: ${run.status}`,
        // The status bar says the same, in the same words (src/shared/progress.ts).
        formatTrainingProgress(progress),
        `elapsed ${formatDuration(spent)}`,
        left !== undefined ? `about ${formatDuration(left)} left` : undefined,
      ];
      return h('span', { 'data-run': run.runId }, parts.filter(Boolean).join(' · '));
    });
  replaceChildren(panel.view.progress, ...lines);
}

function renderToolbar(panel: TrainingPanel): void {
  const found = keys(panel.state);
  panel.view.keys = found.join('|');
  // Before the first epoch the selector still names the curve the chart will show.
  const options = (found.length > 0 ? found : [panel.ui.key]).map((key) => ({ value: key, label: key }));
  if (!options.some((option) => option.value === panel.ui.key) && options.length > 0)
    panel.ui.key = options[0].value;
  const change = (update: Partial<Ui>): void => {
    panel.ui = { ...panel.ui, ...update };
    panel.saveState();
    renderToolbar(panel);
    panel.view.chart?.draw();
  };
  replaceChildren(
    panel.view.toolbar,
    select('Curve', options, panel.ui.key, (key) => change({ key }), 'key'),
    select(
      'Smoothing',
      [0, 0.6, 0.8, 0.9, 0.95].map((weight) => ({
        value: String(weight),
        label: weight === 0 ? 'none' : String(weight),
      })),
      String(panel.ui.smoothing),
      (weight) => change({ smoothing: Number(weight) }),
      'smoothing',
    ),
    checkbox('One line per fold', showFolds(panel), (checked) => change({ showFolds: checked }), 'folds'),
    checkbox('Log scale', panel.ui.logScale, (checked) => change({ logScale: checked }), 'log'),
  );
}

function draw(panel: TrainingPanel): void {
  const model = panel.state;
  const view = panel.view;
  if (epochless(model.runs)) {
    view.chart?.destroy();
    view.chart = undefined;
    view.layer = undefined;
    renderProgress(panel);
    return replaceChildren(panel.content, view.progress, foldScoresCard(panel, model.runs));
  }
  const title =
    model.runs.length === 1
      ? `Learning curves: ${model.runs[0].label ?? model.runs[0].candidate}`
      : 'Learning curves';
  const name = model.runs.length === 1 ? model.runs[0].runId : 'training';
  view.chart?.destroy();
  const chart: ChartCard<'line'> = new ChartCard<'line'>(
    panel,
    title,
    pngName(name, panel.ui.key),
    (theme) => configuration(panel, theme),
    {
      name: 'curves',
      height: 380,
      elements: () => {
        const live = chart.chart;
        const series = view.layer?.all() ?? [];
        const extra = live
          ? live.data.datasets.slice(series.length).map((dataset) => dataset.data.length)
          : [];
        return [...series.map(seriesSize), ...extra];
      },
    },
  );
  view.chart = chart;
  renderToolbar(panel);
  renderProgress(panel);
  replaceChildren(panel.content, view.toolbar, view.progress, chart.element, view.advice);
  replaceChildren(view.advice, ...adviceList(model.runs));
  chart.draw();
}

/** Restarts the clock of each run from the elapsed time the host reported now. */
function reported(panel: TrainingPanel, runs: readonly TrainingRun[]): void {
  const now = performance.now();
  for (const run of runs) panel.view.reportedAt.set(run.runId, now);
}

/** Adds the points to their runs' curves, in place (a live run gets an append every 100 ms). */
function appendPoints(model: Model, points: readonly TrainingPoint[]): Model {
  for (const point of points) {
    const run = model.runs.find((candidate) => candidate.runId === point.runId);
    if (!run) continue;
    if (point.folds !== undefined) run.folds = Math.max(run.folds, point.folds);
    let curve = run.curves.find((candidate) => candidate.fold === point.fold);
    if (!curve) {
      curve = { fold: point.fold, logs: {} };
      run.curves.push(curve);
      run.curves.sort((a, b) => a.fold - b.fold);
    }
    for (const [key, value] of Object.entries(point.logs)) {
      const values = (curve.logs[key] ??= []);
      while (values.length < point.epoch) values.push(NaN);
      values[point.epoch] = value;
    }
  }
  return model;
}

/** Draws what an append added: only the touched runs' curves are rebuilt, onto the chart as it is. */
function drawAppended(panel: TrainingPanel, points: readonly TrainingPoint[]): void {
  const model = panel.state;
  const touched = new Set(
    points.map((point) => point.runId).filter((runId) => model.runs.some((run) => run.runId === runId)),
  );
  if (touched.size === 0) return;
  const { chart, layer } = panel.view;
  const live = chart?.chart;
  if (!live || !chart || !layer) return draw(panel);
  let rescale = false;
  const options = seriesOptions(panel, panel.theme);
  model.runs.forEach((run, index) => {
    if (touched.has(run.runId) && !layer.replaceRun(run.runId, runSeries(run, index, panel.theme, options)))
      rescale = true;
  });
  // The first epochs of a live run bring its curves' keys (accuracy beside loss): the selector offers them.
  if (keys(model).join('|') !== panel.view.keys) renderToolbar(panel);
  if (rescale) {
    const series = allSeries(panel, panel.theme);
    layer.setSeries(series);
    const data = chartData(panel, panel.theme, series);
    live.data.datasets = data.datasets;
    const scales = live.options.scales ?? {};
    Object.assign(scales.x ?? {}, data.x);
    Object.assign(scales.y ?? {}, data.y);
    chart.update();
  } else chart.redraw();
  renderProgress(panel);
}

function reduce(model: Model, message: TrainingMessage): Model {
  switch (message.type) {
    case 'training/snapshot':
      return { runs: message.runs, live: message.live };
    case 'training/append':
      return appendPoints(model, message.points);
    case 'training/runAdded':
      return {
        ...model,
        runs: [...model.runs.filter((run) => run.runId !== message.run.runId), message.run],
      };
    case 'training/status':
      return {
        ...model,
        runs: model.runs.map((run) =>
          run.runId === message.runId
            ? {
                ...run,
                status: message.status,
                elapsedMs: message.elapsedMs,
                ...(message.foldsEnded && { foldsEnded: message.foldsEnded }),
                ...(message.advice && { advice: message.advice }),
              }
            : run,
        ),
      };
    default:
      return assertNever(message);
  }
}

function render(panel: TrainingPanel, change?: TrainingMessage): void {
  switch (change?.type) {
    case 'training/append':
      return drawAppended(panel, change.points);
    case 'training/status': {
      const run = panel.state.runs.find((candidate) => candidate.runId === change.runId);
      if (!run) return;
      if (change.status !== 'running') panel.view.layer?.settle(run.runId);
      reported(panel, [run]);
      replaceChildren(panel.view.advice, ...adviceList(panel.state.runs));
      return renderProgress(panel);
    }
    case 'training/runAdded':
      reported(panel, [change.run]);
      return draw(panel);
    default:
      reported(panel, panel.state.runs);
      return draw(panel);
  }
}

definePanel<TrainingMessage, Model, Ui, View>({
  kind: 'training',
  defaultUi: { key: 'loss', smoothing: 0, logScale: false },
  initial: { runs: [], live: false },
  reduce,
  view: (panel) => {
    // Keep the clock and the estimate moving between host updates while something runs.
    setInterval(() => {
      if (panel.state.runs.some((run) => run.status === 'running')) renderProgress(panel);
    }, 1000);
    return {
      reportedAt: new Map(),
      toolbar: h('div', { class: 'toolbar' }),
      progress: h('div', { class: 'facts', 'data-progress': '' }),
      advice: h('div', {}),
    };
  },
  render,
  themeChanged: (panel) => panel.view.chart?.draw(),
});

/** Training panel: learning curves per fold (or their mean and band), live while a job runs. */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { TrainingMessage, TrainingPoint, TrainingRun } from '../../src/protocol/panels';
import { ChartCard, baseOptions, pngName } from '../shared/charts';
import { checkbox, select } from '../shared/controls';
import { assertNever, formatDuration, h, replaceChildren } from '../shared/dom';
import { startPanel, type PanelShell } from '../shared/panel';
import type { Theme } from '../shared/theme';
import { timeLeft, type Point } from './curves';
import { CurveLayer, seriesSize, type Series } from './layer';
import { curveWidth, legendEntry, runSeries, valueRange, type SeriesOptions } from './series';

interface Ui {
  key: string;
  /** Undefined: one line per fold for a single run, mean and band for several. */
  showFolds?: boolean;
  smoothing: number;
  logScale: boolean;
}

interface Model {
  runs: TrainingRun[];
  live: boolean;
}

let model: Model = { runs: [], live: false };
/** When each run's elapsed time was last reported, to keep the clock going between reports. */
const reportedAt = new Map<string, number>();
let chart: ChartCard<'line'> | undefined;
const toolbar = h('div', { class: 'toolbar' });
const progress = h('div', { class: 'facts', 'data-progress': '' });

function keys(): string[] {
  const found = new Set<string>();
  for (const run of model.runs) {
    for (const curve of run.curves)
      for (const key of Object.keys(curve.logs)) found.add(key.replace(/^val_/, ''));
  }
  return [...found].sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b)));
}

function showFolds(): boolean {
  return shell.ui.showFolds ?? model.runs.length <= 1;
}

function baselineDatasets(theme: Theme, lastEpoch: number): Array<ChartDataset<'line', Point[]>> {
  const values = new Set(
    model.runs.flatMap((run) =>
      run.baseline && run.baseline.key === shell.ui.key ? [run.baseline.value] : [],
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
function lastEpoch(): number {
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

/** Draws the curves of the chart now on screen. */
let layer: CurveLayer | undefined;

function seriesOptions(theme: Theme): SeriesOptions {
  const { key, smoothing } = shell.ui;
  const folds = showFolds();
  const single = model.runs.length === 1;
  return { key, smoothing, showFolds: folds, single, width: curveWidth(model.runs, folds, theme) };
}

function allSeries(theme: Theme): Series[] {
  const options = seriesOptions(theme);
  return model.runs.flatMap((run, index) => runSeries(run, index, theme, options));
}

/** Chart.js' datasets and scales for the series the layer holds. */
function chartData(
  theme: Theme,
  series: readonly Series[],
): {
  datasets: ChartConfiguration<'line'>['data']['datasets'];
  x: { min: number; max: number };
  y: { suggestedMin?: number; suggestedMax?: number };
} {
  const last = Math.max(2, lastEpoch());
  const range = valueRange(series, shell.ui.logScale);
  return {
    datasets: [
      ...series.map(legendEntry),
      ...baselineDatasets(theme, last),
    ] as ChartConfiguration<'line'>['data']['datasets'],
    x: { min: 1, max: last },
    y: { suggestedMin: range.min, suggestedMax: range.max },
  };
}

function configuration(theme: Theme): ChartConfiguration<'line'> {
  layer = new CurveLayer(theme);
  const series = allSeries(theme);
  layer.setSeries(series);
  const data = chartData(theme, series);
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
          display: model.runs.length <= 12,
          labels: { color: theme.foreground, boxWidth: 12, filter: (item) => !item.text.endsWith(' band') },
        },
      },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'epoch' }, ...data.x },
        y: {
          type: shell.ui.logScale ? 'logarithmic' : 'linear',
          title: { display: true, text: shell.ui.key },
          ...data.y,
        },
      },
    },
  };
}

function elapsed(run: TrainingRun): number {
  const since = reportedAt.get(run.runId);
  return run.status === 'running' && since !== undefined
    ? run.elapsedMs + (performance.now() - since)
    : run.elapsedMs;
}

function renderProgress(): void {
  const lines = model.runs
    .filter((run) => run.status === 'running' || model.runs.length === 1)
    .slice(0, 10)
    .map((run) => {
      const done = run.curves.reduce(
        (sum, curve) => sum + Math.max(0, ...Object.values(curve.logs).map((values) => values.length)),
        0,
      );
      const total = run.epochs * run.folds;
      const spent = elapsed(run);
      const left = run.status === 'running' ? timeLeft(spent, done, total) : undefined;
      const parts = [
        `${run.label ?? run.candidate}: ${run.status}`,
        total > 0 ? `${done}/${total} epochs` : `${done} epochs`,
        `elapsed ${formatDuration(spent)}`,
        left !== undefined ? `about ${formatDuration(left)} left` : undefined,
      ];
      return h('span', { 'data-run': run.runId }, parts.filter(Boolean).join(' · '));
    });
  replaceChildren(progress, ...lines);
}

function renderToolbar(): void {
  const options = keys().map((key) => ({ value: key, label: key }));
  if (!options.some((option) => option.value === shell.ui.key) && options.length > 0)
    shell.ui.key = options[0].value;
  const change = (update: Partial<Ui>): void => {
    shell.ui = { ...shell.ui, ...update };
    shell.saveState();
    renderToolbar();
    chart?.draw();
  };
  replaceChildren(
    toolbar,
    select('Curve', options, shell.ui.key, (key) => change({ key }), 'key'),
    select(
      'Smoothing',
      [0, 0.6, 0.8, 0.9, 0.95].map((weight) => ({
        value: String(weight),
        label: weight === 0 ? 'none' : String(weight),
      })),
      String(shell.ui.smoothing),
      (weight) => change({ smoothing: Number(weight) }),
      'smoothing',
    ),
    checkbox('One line per fold', showFolds(), (checked) => change({ showFolds: checked }), 'folds'),
    checkbox('Log scale', shell.ui.logScale, (checked) => change({ logScale: checked }), 'log'),
  );
}

function render(): void {
  const title =
    model.runs.length === 1
      ? `Learning curves: ${model.runs[0].label ?? model.runs[0].candidate}`
      : 'Learning curves';
  const name = model.runs.length === 1 ? model.runs[0].runId : 'training';
  chart?.destroy();
  chart = new ChartCard<'line'>(shell, title, pngName(name, shell.ui.key), configuration, {
    name: 'curves',
    height: 380,
    elements: () => {
      const live = chart?.chart;
      const series = layer?.all() ?? [];
      const extra = live ? live.data.datasets.slice(series.length).map((dataset) => dataset.data.length) : [];
      return [...series.map(seriesSize), ...extra];
    },
  });
  renderToolbar();
  renderProgress();
  replaceChildren(shell.content, toolbar, progress, chart.element);
  chart.draw();
}

function setRuns(runs: TrainingRun[]): void {
  const now = performance.now();
  for (const run of runs) reportedAt.set(run.runId, now);
  model.runs = runs;
}

function appendPoints(points: TrainingPoint[]): void {
  const touched = new Set<string>();
  for (const point of points) {
    const run = model.runs.find((candidate) => candidate.runId === point.runId);
    if (!run) continue;
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
    touched.add(run.runId);
  }
  if (touched.size === 0) return;
  const live = chart?.chart;
  if (!live || !chart || !layer) return render();
  // Only the touched runs' curves are rebuilt; the layer draws what they added onto the chart as it is.
  let rescale = false;
  const options = seriesOptions(shell.theme);
  model.runs.forEach((run, index) => {
    if (touched.has(run.runId) && !layer?.replaceRun(run.runId, runSeries(run, index, shell.theme, options)))
      rescale = true;
  });
  if (rescale) {
    const series = allSeries(shell.theme);
    layer.setSeries(series);
    const data = chartData(shell.theme, series);
    live.data.datasets = data.datasets;
    const scales = live.options.scales ?? {};
    Object.assign(scales.x ?? {}, data.x);
    Object.assign(scales.y ?? {}, data.y);
    chart.update();
  } else chart.redraw();
  renderProgress();
}

function handle(message: TrainingMessage): void {
  switch (message.type) {
    case 'training/snapshot':
      model = { runs: [], live: message.live };
      setRuns(message.runs);
      render();
      break;
    case 'training/append':
      appendPoints(message.points);
      break;
    case 'training/runAdded':
      setRuns([...model.runs.filter((run) => run.runId !== message.run.runId), message.run]);
      render();
      break;
    case 'training/status': {
      const run = model.runs.find((candidate) => candidate.runId === message.runId);
      if (!run) return;
      run.status = message.status;
      if (message.status !== 'running') layer?.settle(run.runId);
      run.elapsedMs = message.elapsedMs;
      reportedAt.set(run.runId, performance.now());
      renderProgress();
      break;
    }
    default:
      assertNever(message);
  }
  shell.saveState();
}

const shell: PanelShell<Ui> = startPanel<TrainingMessage, Model, Ui>({
  kind: 'training',
  defaultUi: { key: 'loss', smoothing: 0, logScale: false },
  handle,
  snapshot: () => model,
  restore: (snapshot) => {
    queueMicrotask(() => {
      setRuns(snapshot.runs);
      model.live = snapshot.live;
      render();
    });
  },
  themeChanged: () => chart?.draw(),
});

// Keep the clock and the estimate moving between host updates while something runs.
setInterval(() => {
  if (model.runs.some((run) => run.status === 'running')) renderProgress();
}, 1000);

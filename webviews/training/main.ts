/** Training panel: learning curves per fold (or their mean and band), live while a job runs. */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { TrainingMessage, TrainingPoint, TrainingRun } from '../../src/protocol/panels';
import { ChartCard, baseOptions, pngName } from '../shared/charts';
import { checkbox, select } from '../shared/controls';
import { assertNever, formatDuration, h, replaceChildren } from '../shared/dom';
import { startPanel, type PanelShell } from '../shared/panel';
import { withAlpha, type Theme } from '../shared/theme';
import { foldStatistics, smooth, timeLeft, toPoints, type Point } from './curves';

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

function line(
  label: string,
  colour: string,
  data: Point[],
  theme: Theme,
  dashed: boolean,
): ChartDataset<'line', Point[]> {
  return {
    label,
    data,
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: theme.lineWidth,
    borderDash: dashed ? [5, 3] : undefined,
    pointRadius: 0,
    fill: false,
    parsing: false,
  } as ChartDataset<'line', Point[]>;
}

/** The datasets of one run for the selected key. */
function runDatasets(run: TrainingRun, runIndex: number, theme: Theme): Array<ChartDataset<'line', Point[]>> {
  const key = shell.ui.key;
  const weight = shell.ui.smoothing;
  const name = run.label ?? run.candidate;
  const single = model.runs.length === 1;
  const datasets: Array<ChartDataset<'line', Point[]>> = [];
  const variants = [
    { key, suffix: 'train', dashed: false },
    { key: `val_${key}`, suffix: 'validation', dashed: true },
  ].filter((variant) => run.curves.some((curve) => curve.logs[variant.key]));
  for (const variant of variants) {
    const series = run.curves.map((curve) => smooth(curve.logs[variant.key] ?? [], weight));
    if (showFolds() && single) {
      run.curves.forEach((curve, index) => {
        const colour = theme.palette[curve.fold % theme.palette.length];
        const label = `${name} fold ${curve.fold + 1} ${variant.suffix}`;
        datasets.push(line(label, colour, toPoints(series[index]), theme, variant.dashed));
      });
    } else if (showFolds()) {
      // One dataset per run and variant, folds separated by gaps: Chart.js slows down with the square of the
      // number of datasets, and the folds of one run share its colour anyway.
      const colour = theme.palette[runIndex % theme.palette.length];
      const points = series.flatMap((values) => [...toPoints(values), { x: values.length, y: NaN }]);
      datasets.push({
        ...line(`${name} folds ${variant.suffix}`, colour, points, theme, variant.dashed),
        spanGaps: false,
      });
    } else {
      const colour = theme.palette[runIndex % theme.palette.length];
      const statistics = foldStatistics(series);
      datasets.push(
        line(`${name} ${variant.suffix} mean`, colour, toPoints(statistics.mean), theme, variant.dashed),
      );
      // The band is one closed shape: the minimum forward, then the maximum backward.
      const outline = [...toPoints(statistics.low), ...toPoints(statistics.high).reverse()];
      datasets.push({
        ...line(`${name} ${variant.suffix} band`, withAlpha(colour, 0.15), outline, theme, false),
        borderWidth: 0,
        fill: 'shape',
      } as ChartDataset<'line', Point[]>);
    }
  }
  return datasets;
}

function baselineDatasets(theme: Theme, lastEpoch: number): Array<ChartDataset<'line', Point[]>> {
  const values = new Set(
    model.runs.flatMap((run) =>
      run.baseline && run.baseline.key === shell.ui.key ? [run.baseline.value] : [],
    ),
  );
  return [...values].map((value) => ({
    ...line(
      `baseline ${value.toFixed(3)}`,
      theme.baseline,
      [
        { x: 1, y: value },
        { x: Math.max(2, lastEpoch), y: value },
      ],
      theme,
      true,
    ),
    borderDash: [8, 4],
  }));
}

function lastEpoch(): number {
  return Math.max(
    1,
    ...model.runs.flatMap((run) =>
      run.curves.flatMap((curve) => Object.values(curve.logs).map((values) => values.length)),
    ),
  );
}

/** Each run's datasets, kept until the run changes (an append rebuilds only the runs it touched). */
const runCache = new Map<string, Array<ChartDataset<'line', Point[]>>>();

function datasets(theme: Theme): Array<ChartDataset<'line', Point[]>> {
  return [
    ...model.runs.flatMap((run, index) => {
      let cached = runCache.get(run.runId);
      if (!cached) runCache.set(run.runId, (cached = runDatasets(run, index, theme)));
      return cached;
    }),
    ...baselineDatasets(theme, lastEpoch()),
  ];
}

function configuration(theme: Theme): ChartConfiguration<'line'> {
  runCache.clear();
  const options = baseOptions(theme) as ChartConfiguration<'line'>['options'];
  return {
    type: 'line',
    data: { datasets: datasets(theme) as ChartConfiguration<'line'>['data']['datasets'] },
    options: {
      ...options,
      spanGaps: true,
      interaction: { mode: 'nearest', intersect: false },
      plugins: {
        ...options?.plugins,
        legend: {
          ...options?.plugins?.legend,
          // Past a few dozen entries a legend hides the chart; the tooltip names each line instead.
          display: model.runs.length <= 12,
          labels: { color: theme.foreground, boxWidth: 12, filter: (item) => !item.text.endsWith(' band') },
        },
      },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'epoch' }, min: 1 },
        y: {
          type: shell.ui.logScale ? 'logarithmic' : 'linear',
          title: { display: true, text: shell.ui.key },
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
    runCache.delete(run.runId);
  }
  if (touched.size === 0) return;
  const live = chart?.chart;
  if (!live) return render();
  // Rebuild the datasets in place; the chart keeps its scales and redraws once.
  live.data.datasets = datasets(shell.theme) as typeof live.data.datasets;
  chart?.update();
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

/** Compare runs panel: mean curves overlaid, a metrics table, and only the settings that differ. */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { CompareMessage, CompareRun, ConfigDifference } from '../../src/protocol/panels';
import { ChartCard, baseOptions, pngName } from '../shared/charts';
import { select } from '../shared/controls';
import { assertNever, formatDuration, formatNumber, h, replaceChildren } from '../shared/dom';
import { startPanel, type PanelShell } from '../shared/panel';
import { SortableTable, type TableSort } from '../shared/table';
import type { Theme } from '../shared/theme';

interface Ui {
  key: string;
  sort?: TableSort;
}

interface Model {
  runs: CompareRun[];
  higherIsBetter: boolean;
  differences: ConfigDifference[];
}

let model: Model | undefined;
let chart: ChartCard | undefined;

function keys(runs: CompareRun[]): string[] {
  const found = new Set(
    runs.flatMap((run) => Object.keys(run.meanCurves).map((key) => key.replace(/^val_/, ''))),
  );
  return [...found].sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b)));
}

function curves(theme: Theme): ChartConfiguration {
  const runs = model?.runs ?? [];
  const key = shell.ui.key;
  const datasets: Array<ChartDataset<'line', Array<{ x: number; y: number }>>> = [];
  runs.forEach((run, index) => {
    const colour = theme.palette[index % theme.palette.length];
    for (const [curveKey, suffix, dash] of [
      [key, 'train', undefined],
      [`val_${key}`, 'validation', [5, 3]],
    ] as const) {
      const values = run.meanCurves[curveKey];
      if (!values) continue;
      datasets.push({
        label: `${run.name} ${suffix}`,
        data: values.flatMap((value, epoch) => (Number.isFinite(value) ? [{ x: epoch + 1, y: value }] : [])),
        borderColor: colour,
        backgroundColor: colour,
        borderDash: dash ? [...dash] : undefined,
        borderWidth: theme.lineWidth,
        pointRadius: 0,
      });
    }
  });
  return {
    type: 'line',
    data: { datasets },
    options: {
      ...baseOptions(theme),
      scales: {
        x: { type: 'linear', title: { display: true, text: 'epoch' } },
        y: { title: { display: true, text: key } },
      },
    },
  } as ChartConfiguration;
}

function render(): void {
  if (!model) return;
  const { runs, differences, higherIsBetter } = model;
  const available = keys(runs);
  if (!available.includes(shell.ui.key) && available.length > 0) shell.ui.key = available[0];
  chart?.destroy();
  chart =
    available.length > 0
      ? new ChartCard(shell, 'Mean learning curves', pngName('compare', shell.ui.key), curves, {
          name: 'curves',
        })
      : undefined;
  const metrics = new SortableTable<CompareRun>(
    shell,
    'Metrics',
    [
      { key: 'name', title: 'Run', value: (run) => run.name },
      { key: 'step', title: 'Step', value: (run) => run.step },
      { key: 'model', title: 'Model', value: (run) => run.model },
      { key: 'status', title: 'Status', value: (run) => run.status },
      { key: 'metric', title: 'Metric', value: (run) => run.metric },
      {
        key: 'mean',
        title: 'Mean',
        value: (run) => run.summary?.mean,
        format: (run) => formatNumber(run.summary?.mean),
        numeric: true,
      },
      {
        key: 'std',
        title: 'Std',
        value: (run) => run.summary?.std,
        format: (run) => formatNumber(run.summary?.std),
        numeric: true,
      },
      {
        key: 'min',
        title: 'Min',
        value: (run) => run.summary?.min,
        format: (run) => formatNumber(run.summary?.min),
        numeric: true,
      },
      {
        key: 'max',
        title: 'Max',
        value: (run) => run.summary?.max,
        format: (run) => formatNumber(run.summary?.max),
        numeric: true,
      },
      {
        key: 'time',
        title: 'Time',
        value: (run) => run.durationMs,
        format: (run) => formatDuration(run.durationMs),
        numeric: true,
      },
      { key: 'backend', title: 'Backend', value: (run) => run.backend },
      { key: 'created', title: 'Started', value: (run) => run.createdAt },
    ],
    shell.ui.sort ?? { key: 'mean', descending: higherIsBetter },
    {
      name: 'metrics',
      onSort: (sort) => {
        shell.ui.sort = sort;
        shell.saveState();
      },
      onRowClick: (run) => shell.post({ type: 'panel/openRun', runId: run.runId }),
    },
  );
  metrics.setRows(runs);
  const diff = new SortableTable<ConfigDifference>(
    shell,
    'Settings that differ',
    [
      { key: 'path', title: 'Setting', value: (item) => item.path },
      ...runs.map((run, index) => ({
        key: `run-${index}`,
        title: run.name,
        value: (item: ConfigDifference) => item.values[index] ?? '(not set)',
      })),
    ],
    undefined,
    { name: 'differences' },
  );
  diff.setRows(differences);
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    available.length > 0
      ? select(
          'Curve',
          available.map((key) => ({ value: key, label: key })),
          shell.ui.key,
          (key) => {
            shell.ui.key = key;
            shell.saveState();
            render();
          },
          'key',
        )
      : null,
  );
  const sameNote =
    differences.length === 0 ? h('p', { class: 'diff-same' }, 'The configurations are the same.') : null;
  replaceChildren(shell.content, toolbar, chart?.element, metrics.element, sameNote ?? diff.element);
  chart?.draw();
}

function handle(message: CompareMessage): void {
  switch (message.type) {
    case 'compare/snapshot':
      model = {
        runs: message.runs,
        higherIsBetter: message.higherIsBetter,
        differences: message.differences,
      };
      render();
      break;
    default:
      assertNever(message.type);
  }
  shell.saveState();
}

const shell: PanelShell<Ui> = startPanel<CompareMessage, Model, Ui>({
  kind: 'compare',
  defaultUi: { key: 'loss' },
  handle,
  snapshot: () => model,
  restore: (snapshot) => {
    model = snapshot;
    queueMicrotask(render);
  },
  themeChanged: () => chart?.draw(),
});

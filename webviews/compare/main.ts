/** Compare runs panel: mean curves overlaid, a metrics table, and only the settings that differ. */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { CompareMessage, CompareRun, ConfigDifference } from '../../src/protocol/panels';
import { ChartCard, baseOptions, pngName } from '../shared/charts';
import { select } from '../shared/controls';
import { assertNever, formatDuration, formatNumber, h, replaceChildren } from '../shared/dom';
import { definePanel, type Panel } from '../shared/panel';
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

type State = Model | undefined;

/** The chart on screen. */
interface View {
  chart?: ChartCard;
}

type ComparePanel = Panel<State, Ui, View>;

function keys(runs: CompareRun[]): string[] {
  const found = new Set(
    runs.flatMap((run) => Object.keys(run.meanCurves).map((key) => key.replace(/^val_/, ''))),
  );
  return [...found].sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b)));
}

function curves(panel: ComparePanel, theme: Theme): ChartConfiguration {
  const runs = panel.state?.runs ?? [];
  const key = panel.ui.key;
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

function render(panel: ComparePanel): void {
  if (!panel.state) return;
  const { runs, differences, higherIsBetter } = panel.state;
  const view = panel.view;
  const available = keys(runs);
  if (!available.includes(panel.ui.key) && available.length > 0) panel.ui.key = available[0];
  view.chart?.destroy();
  view.chart =
    available.length > 0
      ? new ChartCard(
          panel,
          'Mean learning curves',
          pngName('compare', panel.ui.key),
          (theme) => curves(panel, theme),
          {
            name: 'curves',
          },
        )
      : undefined;
  const metrics = new SortableTable<CompareRun>(
    panel,
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
    panel.ui.sort ?? { key: 'mean', descending: higherIsBetter },
    {
      name: 'metrics',
      onSort: (sort) => {
        panel.ui.sort = sort;
        panel.saveState();
      },
      onRowClick: (run) => panel.post({ type: 'panel/openRun', runId: run.runId }),
    },
  );
  metrics.setRows(runs);
  const diff = new SortableTable<ConfigDifference>(
    panel,
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
          panel.ui.key,
          (key) => {
            panel.ui.key = key;
            panel.saveState();
            render(panel);
          },
          'key',
        )
      : null,
  );
  const sameNote =
    differences.length === 0 ? h('p', { class: 'diff-same' }, 'The configurations are the same.') : null;
  replaceChildren(panel.content, toolbar, view.chart?.element, metrics.element, sameNote ?? diff.element);
  view.chart?.draw();
}

function reduce(_state: State, message: CompareMessage): State {
  switch (message.type) {
    case 'compare/snapshot':
      return {
        runs: message.runs,
        higherIsBetter: message.higherIsBetter,
        differences: message.differences,
      };
    default:
      return assertNever(message.type);
  }
}

definePanel<CompareMessage, State, Ui, View>({
  kind: 'compare',
  defaultUi: { key: 'loss' },
  initial: undefined,
  reduce,
  view: () => ({}),
  render,
  themeChanged: (panel) => panel.view.chart?.draw(),
});

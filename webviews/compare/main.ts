/** Compare runs panel: mean curves overlaid, a metrics table, and only the settings that differ. */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { CompareMessage, CompareRun, CompareTest, ConfigDifference } from '../../src/protocol/panels';
import { columnFormat, formatWhen, metricLabel } from '../../src/shared/format';
import { ChartCard, baseOptions, lineLegendLabels, pngName } from '../shared/charts';
import { select } from '../shared/controls';
import { assertNever, formatDuration, formatNumber, h, replaceChildren } from '../shared/dom';
import { definePanel, type Panel } from '../shared/panel';
import { SortableTable, scoreColumns, type TableColumn, type TableSort } from '../shared/table';
import type { Theme } from '../shared/theme';

interface Ui {
  key: string;
  sort?: TableSort;
}

interface Model {
  runs: CompareRun[];
  higherIsBetter: boolean;
  differences: ConfigDifference[];
  test?: CompareTest;
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
      plugins: { ...baseOptions(theme)?.plugins, legend: { labels: lineLegendLabels(theme) } },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'epoch' } },
        y: { title: { display: true, text: key } },
      },
    },
  } as ChartConfiguration;
}

/** A setting as topdown.json names it: `layers`, not `config.layers`. */
function settingName(path: string): string {
  return path.replace(/^config\./, '');
}

/** Each run's mean minus the first run's, in the notation of the means; none for a single run. */
function differenceColumn(runs: readonly CompareRun[]): Array<TableColumn<CompareRun>> {
  const reference = runs[0]?.summary?.mean;
  if (runs.length < 2 || reference === undefined) return [];
  const format = columnFormat(runs.map((run) => run.summary?.mean));
  const difference = (run: CompareRun) =>
    run === runs[0] || run.summary === undefined ? undefined : run.summary.mean - reference;
  return [
    {
      key: 'difference',
      title: `vs ${runs[0].name}`,
      value: difference,
      format: (run) => {
        const value = difference(run);
        return value === undefined ? '—' : `${value > 0 ? '+' : ''}${format(value)}`;
      },
      numeric: true,
    },
  ];
}

/** Whether two runs' difference is real, in words, with the p-value; why there is no test otherwise. */
function testLine(model: Model | undefined): HTMLElement | null {
  const runs = model?.runs ?? [];
  if (runs.length !== 2) return null;
  const test = model?.test;
  if (!test)
    return h(
      'p',
      { class: 'compare-test' },
      'The two runs do not share their folds, so no test says whether the difference is real.',
    );
  const format = columnFormat(runs.map((run) => run.summary?.mean));
  const real = test.pValue < 0.05;
  return h(
    'p',
    { class: 'compare-test', 'data-p': test.pValue },
    `${runs[1].name} − ${runs[0].name}: ${test.meanDifference > 0 ? '+' : ''}${format(test.meanDifference)} ${metricLabel(runs[0].metric)}, ` +
      `${real ? 'a real difference' : 'not a reliable difference'} (p = ${formatNumber(test.pValue)}, ${test.test} over ${test.folds} shared folds).`,
  );
}

/** Each run's status, summary scores, time and backend, sortable; a click opens the run. */
function metricsTable(panel: ComparePanel, runs: CompareRun[], higherIsBetter: boolean): HTMLElement {
  const metrics = new SortableTable<CompareRun>(
    panel,
    'Metrics',
    [
      { key: 'name', title: 'Run', value: (run) => run.name },
      { key: 'step', title: 'Step', value: (run) => run.step },
      { key: 'model', title: 'Model', value: (run) => run.model },
      { key: 'status', title: 'Status', value: (run) => run.status },
      { key: 'metric', title: 'Metric', value: (run) => run.metric },
      ...scoreColumns<CompareRun>((run, key) => run.summary?.[key]),
      {
        key: 'time',
        title: 'Time',
        value: (run) => run.durationMs,
        format: (run) => formatDuration(run.durationMs),
        numeric: true,
      },
      { key: 'backend', title: 'Backend', value: (run) => run.backend },
      ...differenceColumn(runs),
      {
        key: 'created',
        title: 'Started',
        value: (run) => run.createdAt,
        format: (run) => formatWhen(run.createdAt),
      },
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
  return metrics.element;
}

/** The settings that differ, one column per run; a line saying so when the configurations are the same. */
function differencesTable(
  panel: ComparePanel,
  runs: CompareRun[],
  differences: ConfigDifference[],
): HTMLElement {
  if (differences.length === 0) return h('p', { class: 'diff-same' }, 'The configurations are the same.');
  const diff = new SortableTable<ConfigDifference>(
    panel,
    'Settings that differ',
    [
      { key: 'path', title: 'Setting', value: (item) => settingName(item.path) },
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
  return diff.element;
}

/** The curve picker (loss, accuracy, ...), when the runs recorded curves. */
function curveToolbar(panel: ComparePanel, available: string[]): HTMLElement {
  return h(
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
  replaceChildren(
    panel.content,
    curveToolbar(panel, available),
    view.chart?.element,
    metricsTable(panel, runs, higherIsBetter),
    testLine(panel.state),
    differencesTable(panel, runs, differences),
  );
  view.chart?.draw();
}

function reduce(_state: State, message: CompareMessage): State {
  switch (message.type) {
    case 'compare/snapshot':
      return {
        runs: message.runs,
        higherIsBetter: message.higherIsBetter,
        differences: message.differences,
        test: message.test,
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

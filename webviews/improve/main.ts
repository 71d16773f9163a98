/**
 * Improve panel: the engine's decision, the session's ensembles, the trials of a tuning run, score against each
 * tuned parameter.
 */
import type { ChartConfiguration } from 'chart.js';
import type { ImproveMessage, ImproveResults, Trial } from '../../src/protocol/panels';
import { ChartCard, baseOptions, pngName } from '../shared/charts';
import { assertNever, h, replaceChildren } from '../shared/dom';
import { definePanel, type Panel } from '../shared/panel';
import { SortableTable, type TableColumn, type TableSort } from '../shared/table';
import type { Theme } from '../shared/theme';
import { keptTrial, trialLabel, trialNumber } from '../../src/shared/trials';
import { decisionCard, showValue } from './decision';
import { ensemblesCard } from './ensembles';
import { metricLabel } from '../../src/shared/format';

interface Ui {
  sort?: TableSort;
  /** The ensembles table's order. */
  ensembleSort?: TableSort;
}

type State = ImproveResults | undefined;

/** The charts on screen. */
interface View {
  charts: ChartCard[];
}

type ImprovePanel = Panel<State, Ui, View>;

function bestTrial(model: ImproveResults): Trial | undefined {
  if (model.bestIndex !== undefined) return model.trials.find((trial) => trial.index === model.bestIndex);
  const sign = model.higherIsBetter ? 1 : -1;
  return model.trials
    .filter((trial) => trial.status === 'completed' && Number.isFinite(trial.mean))
    .reduce<Trial | undefined>(
      (best, trial) => (!best || sign * (trial.mean - best.mean) > 0 ? trial : best),
      undefined,
    );
}

function scatter(panel: ImprovePanel, parameter: string) {
  return (theme: Theme): ChartConfiguration => {
    const results = panel.state as ImproveResults;
    const kept = keptTrial(results);
    const completed = results.trials.filter((trial) => trial.status === 'completed');
    const numeric = completed.every((trial) => typeof trial.params[parameter] === 'number');
    const point = (trial: Trial) => ({
      x: numeric ? trial.params[parameter] : showValue(trial.params[parameter]),
      y: trial.mean,
    });
    const group = (label: string, trials: Trial[], colour: string, style: string, radius: number) => ({
      label,
      data: trials.map(point),
      backgroundColor: colour,
      borderColor: colour,
      pointStyle: style,
      pointRadius: radius,
      // A trial at the edge of the range is drawn whole, not cut at the axis.
      clip: false,
    });
    const logAxis =
      numeric &&
      results.logScale?.includes(parameter) === true &&
      completed.every((trial) => (trial.params[parameter] as number) > 0);
    const labels = numeric
      ? undefined
      : [...new Set(completed.map((trial) => showValue(trial.params[parameter])))].sort();
    return {
      type: 'scatter',
      data: {
        labels,
        datasets: [
          group(
            'trials',
            completed.filter((trial) => !trial.untuned && trial !== kept),
            theme.palette[0],
            'circle',
            4,
          ),
          group(
            'untuned',
            completed.filter((trial) => trial.untuned && trial !== kept),
            theme.palette[1],
            'rectRot',
            7,
          ),
          group('kept', kept ? [kept] : [], theme.highlight, 'triangle', 8),
        ],
      },
      options: {
        ...baseOptions(theme),
        // Room for the largest marker (the kept trial's triangle) inside the canvas.
        layout: { padding: 10 },
        plugins: {
          ...baseOptions(theme)?.plugins,
          // The legend shows each group's marker shape, as the chart draws it.
          legend: { labels: { color: theme.foreground, usePointStyle: true } },
        },
        scales: {
          x: {
            type: logAxis ? 'logarithmic' : numeric ? 'linear' : 'category',
            offset: !numeric,
            grace: numeric ? '5%' : undefined,
            title: { display: true, text: logAxis ? `${parameter} (log scale)` : parameter },
          },
          y: { grace: '5%', title: { display: true, text: metricLabel(results.metric) } },
        },
      },
    } as ChartConfiguration;
  };
}

/** One row per trial: its tuned values, mean and std, and which trial is kept and which has the best mean. */
function trialsTable(
  panel: ImprovePanel,
  results: ImproveResults,
  best: Trial | undefined,
  kept: Trial | undefined,
): SortableTable<Trial> {
  const columns: Array<TableColumn<Trial>> = [
    {
      key: 'index',
      title: 'Trial',
      value: (trial) => (trial.untuned ? 0 : (trialNumber(trial.name) ?? trial.index)),
      format: (trial) => trialLabel(trial),
    },
    ...results.tuned.map((parameter) => ({
      key: `param-${parameter}`,
      title: parameter,
      value: (trial: Trial) => {
        const value = trial.params[parameter];
        return typeof value === 'number' ? value : value === undefined ? undefined : String(value);
      },
      format: (trial: Trial) => showValue(trial.params[parameter]),
    })),
    {
      key: 'mean',
      title: 'Mean',
      value: (trial) => trial.mean,
      score: true,
      numeric: true,
    },
    {
      key: 'std',
      title: 'Std',
      value: (trial) => trial.std,
      score: 'mean',
      numeric: true,
    },
    {
      key: 'note',
      title: 'Note',
      value: (trial) =>
        [
          trial === kept ? 'kept' : '',
          trial === best ? 'best mean' : '',
          trial.untuned ? 'untuned' : '',
          trial.status === 'completed' ? '' : trial.status,
        ]
          .filter(Boolean)
          .join(', '),
    },
  ];
  const table = new SortableTable<Trial>(
    panel,
    'Trials',
    columns,
    panel.ui.sort ?? { key: 'mean', descending: results.higherIsBetter },
    {
      name: 'trials',
      onSort: (sort) => {
        panel.ui.sort = sort;
        panel.saveState();
      },
      rowClass: (trial) => (trial === kept ? 'best' : trial.untuned ? 'untuned' : ''),
    },
  );
  table.setRows(results.trials);
  return table;
}

/** The ensembles card of the session, sorted as the person left it. */
function ensembles(panel: ImprovePanel, results: ImproveResults): HTMLElement | undefined {
  return ensemblesCard(panel, results, panel.ui.ensembleSort, (sort) => {
    panel.ui.ensembleSort = sort;
    panel.saveState();
  });
}

function draw(panel: ImprovePanel, results: ImproveResults): void {
  for (const chart of panel.view.charts) chart.destroy();
  panel.view.charts = [];
  // A session that built ensembles and tuned nothing: no decision, no trials.
  if (results.trials.length === 0) return replaceChildren(panel.content, ensembles(panel, results));
  const best = bestTrial(results);
  const kept = keptTrial(results);
  const charts = results.tuned.map(
    (parameter) =>
      new ChartCard(
        panel,
        `${metricLabel(results.metric)} by ${parameter}`,
        pngName('improve', results.candidate, parameter),
        scatter(panel, parameter),
        {
          name: `scatter-${parameter}`,
          height: 260,
        },
      ),
  );
  const table = trialsTable(panel, results, best, kept);
  const summary = decisionCard(results, (trialIndex) => panel.post({ type: 'improve/useTrial', trialIndex }));
  replaceChildren(
    panel.content,
    summary,
    ensembles(panel, results),
    h('div', { class: 'grid' }, ...charts.map((chart) => chart.element)),
    table.element,
  );
  panel.view.charts = charts;
  for (const chart of charts) chart.draw();
}

function reduce(state: State, message: ImproveMessage): State {
  switch (message.type) {
    case 'improve/snapshot':
      return message.results;
    case 'improve/applied':
      return state;
    default:
      return assertNever(message);
  }
}

function render(panel: ImprovePanel, change?: ImproveMessage): void {
  if (change?.type === 'improve/applied') {
    const trial = panel.state?.trials.find((candidate) => candidate.index === change.trialIndex);
    const what = trial?.untuned ? 'The untuned configuration' : (trial?.name ?? 'The kept configuration');
    return panel.notice('info', `${what} written into ${change.file}.`);
  }
  if (panel.state) draw(panel, panel.state);
}

definePanel<ImproveMessage, State, Ui, View>({
  kind: 'improve',
  defaultUi: {},
  initial: undefined,
  reduce,
  view: () => ({ charts: [] }),
  render,
  themeChanged: (panel) => panel.view.charts.forEach((chart) => chart.draw()),
});

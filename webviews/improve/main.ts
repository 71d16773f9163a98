/** Improve panel: the engine's decision, the trials of a tuning run, score against each tuned parameter. */
import type { ChartConfiguration } from 'chart.js';
import type { ImproveMessage, ImproveResults, Trial } from '../../src/protocol/panels';
import { ChartCard, baseOptions, pngName } from '../shared/charts';
import { assertNever, formatNumber, h, replaceChildren } from '../shared/dom';
import { startPanel, type PanelShell } from '../shared/panel';
import { SortableTable, type TableColumn, type TableSort } from '../shared/table';
import type { Theme } from '../shared/theme';
import { decisionCard, keptTrial, showValue } from './decision';

interface Ui {
  sort?: TableSort;
}

let model: ImproveResults | undefined;
let charts: ChartCard[] = [];

function bestTrial(): Trial | undefined {
  if (!model) return undefined;
  if (model.bestIndex !== undefined) return model.trials.find((trial) => trial.index === model?.bestIndex);
  const sign = model.higherIsBetter ? 1 : -1;
  return model.trials
    .filter((trial) => trial.status === 'completed' && Number.isFinite(trial.mean))
    .reduce<Trial | undefined>(
      (best, trial) => (!best || sign * (trial.mean - best.mean) > 0 ? trial : best),
      undefined,
    );
}

function scatter(parameter: string) {
  return (theme: Theme): ChartConfiguration => {
    const results = model as ImproveResults;
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
    });
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
        scales: {
          x: {
            type: numeric ? 'linear' : 'category',
            offset: !numeric,
            title: { display: true, text: parameter },
          },
          y: { title: { display: true, text: results.metric } },
        },
      },
    } as ChartConfiguration;
  };
}

function render(): void {
  if (!model) return;
  const results = model;
  const best = bestTrial();
  const kept = keptTrial(results);
  for (const chart of charts) chart.destroy();
  charts = results.tuned.map(
    (parameter) =>
      new ChartCard(
        shell,
        `${results.metric} by ${parameter}`,
        pngName('improve', results.candidate, parameter),
        scatter(parameter),
        {
          name: `scatter-${parameter}`,
          height: 260,
        },
      ),
  );
  const columns: Array<TableColumn<Trial>> = [
    { key: 'index', title: 'Trial', value: (trial) => trial.index + 1, numeric: true },
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
      format: (trial) => formatNumber(trial.mean),
      numeric: true,
    },
    {
      key: 'std',
      title: 'Std',
      value: (trial) => trial.std,
      format: (trial) => formatNumber(trial.std),
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
    shell,
    'Trials',
    columns,
    shell.ui.sort ?? { key: 'mean', descending: results.higherIsBetter },
    {
      name: 'trials',
      onSort: (sort) => {
        shell.ui.sort = sort;
        shell.saveState();
      },
      rowClass: (trial) => (trial === kept ? 'best' : trial.untuned ? 'untuned' : ''),
    },
  );
  table.setRows(results.trials);
  const summary = decisionCard(results, (trialIndex) => shell.post({ type: 'improve/useTrial', trialIndex }));
  replaceChildren(
    shell.content,
    summary,
    h('div', { class: 'grid' }, ...charts.map((chart) => chart.element)),
    table.element,
  );
  for (const chart of charts) chart.draw();
}

function handle(message: ImproveMessage): void {
  switch (message.type) {
    case 'improve/snapshot':
      model = message.results;
      render();
      break;
    case 'improve/trial': {
      if (!model) return;
      model.trials = [
        ...model.trials.filter((trial) => trial.index !== message.trial.index),
        message.trial,
      ].sort((a, b) => a.index - b.index);
      if (message.bestIndex !== undefined) model.bestIndex = message.bestIndex;
      render();
      break;
    }
    case 'improve/applied':
      shell.notice('info', `Trial ${message.trialIndex + 1} written into ${message.file}.`);
      break;
    default:
      assertNever(message);
  }
  shell.saveState();
}

const shell: PanelShell<Ui> = startPanel<ImproveMessage, ImproveResults, Ui>({
  kind: 'improve',
  defaultUi: {},
  handle,
  snapshot: () => model,
  restore: (snapshot) => {
    model = snapshot;
    queueMicrotask(render);
  },
  themeChanged: () => charts.forEach((chart) => chart.draw()),
});

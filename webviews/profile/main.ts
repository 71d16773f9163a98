/** Data profile panel (step 1): columns, warnings, target distribution and correlation with the target. */
import type { ChartConfiguration } from 'chart.js';
import type { ProfileMessage } from '../../src/protocol/panels';
import type { ColumnProfile, DataProfile } from '../../src/protocol/profile';
import { ChartCard, baseOptions, pngName } from '../shared/charts';
import { select } from '../shared/controls';
import { assertNever, formatNumber, h, replaceChildren } from '../shared/dom';
import { definePanel, type Panel } from '../shared/panel';
import { binLabels, columnFormat, formatDates, metricLabel } from '../../src/shared/format';
import { classImageGrid } from './imageGrid';
import { seriesCharts } from './series';
import { textProfileCard } from './textColumn';
import { SortableTable, type TableColumn, type TableSort } from '../shared/table';
import { withAlpha, type Theme } from '../shared/theme';

interface Ui {
  sort?: TableSort;
  column?: string;
}

interface Model {
  runId: string;
  profile: DataProfile;
  baseline?: { mean: number; std: number; metric: string };
}

type State = Model | undefined;

/**
 * A statistic's column in the columns table; a data column's statistics share one notation (min, max, mean,
 * std: 3 significant digits of the largest). A date column's min and max read as dates (not epoch
 * milliseconds); its mean and std mean nothing.
 */
function statistic(key: 'min' | 'max' | 'mean' | 'std', title: string): TableColumn<ColumnProfile> {
  const dateless = key === 'mean' || key === 'std';
  return {
    key,
    title,
    value: (item) => (item.type === 'date' && dateless ? undefined : item[key]),
    format: (item) => {
      if (item.type === 'date') return dateless ? '—' : dateText(item, key as 'min' | 'max');
      return columnFormat([item.min, item.max, item.mean, item.std])(item[key]);
    },
    numeric: true,
  };
}

/** The charts on screen. */
interface View {
  charts: ChartCard[];
}

type ProfilePanel = Panel<State, Ui, View>;

function bars(label: string, labels: string[], values: number[], colour: string, horizontal = false) {
  return (theme: Theme): ChartConfiguration => ({
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label,
          data: values,
          backgroundColor: withAlpha(colour === 'palette' ? theme.palette[0] : colour, 0.7),
          borderColor: theme.palette[0],
        },
      ],
    },
    options: {
      ...baseOptions(theme),
      indexAxis: horizontal ? 'y' : 'x',
      // The bars are counts: whole-number ticks only (no "3.5 rows").
      scales: { [horizontal ? 'x' : 'y']: { ticks: { precision: 0 } } },
      plugins: { legend: { display: false } },
    },
  });
}

function targetChart(panel: ProfilePanel, profile: DataProfile): ChartCard | undefined {
  const target = profile.target;
  const name = pngName('profile', target.name);
  if (target.classes) {
    return new ChartCard(
      panel,
      `Class balance of ${target.name}`,
      name,
      bars(
        'rows',
        target.classes.map((item) => item.value),
        target.classes.map((item) => item.count),
        'palette',
      ),
      { name: 'target', height: 240 },
    );
  }
  if (target.distribution) {
    const histogram = target.distribution.histogram;
    return new ChartCard(
      panel,
      `Distribution of ${target.name}`,
      name,
      bars('rows', binLabels(histogram.edges), histogram.counts, 'palette'),
      { name: 'target', height: 240 },
    );
  }
  return undefined;
}

/**
 * Correlations as horizontal bars coloured by sign (positive in the first palette colour, negative in the second,
 * both named in the legend), so a strong negative correlation does not read like a positive one.
 */
function signedBars(columns: readonly ColumnProfile[], theme: Theme): ChartConfiguration {
  const values = columns.map((column) => column.targetCorrelation ?? 0);
  const [positive, negative] = theme.palette;
  const colours = values.map((value) => (value < 0 ? negative : positive));
  const base = baseOptions(theme);
  return {
    type: 'bar',
    data: {
      labels: columns.map((column) => column.name),
      datasets: [{ label: 'correlation', data: values, backgroundColor: colours, borderColor: colours }],
    },
    options: {
      ...base,
      indexAxis: 'y',
      scales: {
        x: { min: -1, max: 1, title: { display: true, text: 'correlation with the target' } },
        // Every bar keeps its name: the chart is as tall as its bars need, so no label is skipped.
        y: { ticks: { autoSkip: false } },
      },
      plugins: {
        ...base?.plugins,
        legend: {
          display: true,
          labels: {
            color: theme.foreground,
            boxWidth: 12,
            generateLabels: () =>
              [
                ['positive', positive],
                ['negative', negative],
              ].map(([text, colour]) => ({
                text,
                fillStyle: colour,
                strokeStyle: colour,
                fontColor: theme.foreground,
              })),
          },
        },
      },
    },
  };
}

function correlationChart(panel: ProfilePanel, profile: DataProfile): ChartCard | undefined {
  const columns = profile.columns
    .filter((column) => column.role === 'feature' && column.targetCorrelation !== undefined)
    .sort((a, b) => Math.abs(b.targetCorrelation ?? 0) - Math.abs(a.targetCorrelation ?? 0))
    .slice(0, 30);
  if (columns.length === 0) return undefined;
  return new ChartCard(
    panel,
    `Correlation with ${profile.target.name}`,
    pngName('profile', 'correlation'),
    (theme) => signedBars(columns, theme),
    // The legend and the x axis with its title take about 100 px; each bar gets 24 px beside them.
    { name: 'correlation', height: 100 + 24 * Math.max(columns.length, 3) },
  );
}

function columnChart(panel: ProfilePanel, column: ColumnProfile): ChartCard | undefined {
  const name = pngName('profile', column.name);
  if (column.histogram) {
    return new ChartCard(
      panel,
      `${column.name}: histogram`,
      name,
      bars('rows', binLabels(column.histogram.edges), column.histogram.counts, 'palette'),
      { name: 'column', height: 220 },
    );
  }
  if (column.text) {
    const histogram = column.text.words.histogram;
    return new ChartCard(
      panel,
      `${column.name}: words per document`,
      name,
      bars('documents', binLabels(histogram.edges), histogram.counts, 'palette'),
      { name: 'column', height: 220 },
    );
  }
  if (column.top) {
    const top = column.top;
    return new ChartCard(
      panel,
      `${column.name}: top categories`,
      name,
      bars(
        'rows',
        top.map((item) => item.value),
        top.map((item) => item.count),
        'palette',
        true,
      ),
      { name: 'column', height: Math.max(140, 24 * top.length) },
    );
  }
  return undefined;
}

/** A date column's min or max (epoch ms) as a date, both at one precision. */
function dateText(column: ColumnProfile, end: 'min' | 'max'): string {
  if (column.min === undefined || column.max === undefined) return '—';
  const [min, max] = formatDates([column.min, column.max]);
  return end === 'min' ? min : max;
}

/** The columns' sortable table; a click on a row picks the column whose chart is shown. */
function columnsTable(
  panel: ProfilePanel,
  profile: DataProfile,
  selected: ColumnProfile | undefined,
): SortableTable<ColumnProfile> {
  const table = new SortableTable<ColumnProfile>(
    panel,
    'Columns',
    [
      { key: 'name', title: 'Column', value: (item) => item.name },
      { key: 'type', title: 'Type', value: (item) => item.type },
      { key: 'role', title: 'Role', value: (item) => item.role },
      { key: 'missing', title: 'Missing', value: (item) => item.missing, numeric: true },
      { key: 'zeros', title: 'Zeros', value: (item) => item.zeros, numeric: true },
      { key: 'distinct', title: 'Distinct', value: (item) => item.distinct, numeric: true },
      statistic('min', 'Min'),
      statistic('max', 'Max'),
      statistic('mean', 'Mean'),
      statistic('std', 'Std'),
      {
        key: 'correlation',
        title: 'Corr. with target',
        value: (item) => item.targetCorrelation,
        score: true,
        numeric: true,
      },
    ],
    panel.ui.sort,
    {
      name: 'columns',
      onSort: (sort) => {
        panel.ui.sort = sort;
        panel.saveState();
      },
      onRowClick: (item) => selectColumn(panel, item.name),
      rowClass: (item) => (item.name === selected?.name ? 'best' : ''),
    },
  );
  table.setRows(profile.columns);
  return table;
}

/** Shows another column's chart (from the table or the picker). */
function selectColumn(panel: ProfilePanel, name: string): void {
  panel.ui.column = name;
  panel.saveState();
  render(panel);
}

/** File, rows, columns and target in one line. */
function facts(profile: DataProfile): HTMLElement {
  return h(
    'p',
    { class: 'facts' },
    h('span', {}, `File: ${profile.file}`),
    h('span', {}, `Rows: ${profile.rows}`),
    h('span', {}, `Columns: ${profile.columns.length}`),
    h('span', {}, `Target: ${profile.target.name} (${profile.target.task})`),
  );
}

/** The baseline's score, large (as the Evaluate panel's number to beat), when the profile run measured one. */
function baselineLine(model: Model): HTMLElement | null {
  if (!model.baseline) return null;
  return h(
    'p',
    { class: 'baseline number-to-beat', 'data-baseline': model.baseline.mean },
    h('span', { class: 'label' }, 'Number to beat'),
    h('span', { class: 'figure', 'data-role': 'number-to-beat' }, formatNumber(model.baseline.mean)),
    h(
      'span',
      { class: 'facts' },
      `± ${formatNumber(model.baseline.std)} · the baseline's ${metricLabel(model.baseline.metric)} under cross-validation`,
    ),
  );
}

/** The profile's warnings as a card, or a line saying there are none. */
function warningsCard(profile: DataProfile): HTMLElement {
  if (profile.warnings.length === 0) return h('p', {}, 'No warnings.');
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Look at these'),
    h(
      'ul',
      { class: 'warnings' },
      ...profile.warnings.map((warning) => h('li', { 'data-code': warning.code }, warning.message)),
    ),
  );
}

function render(panel: ProfilePanel): void {
  const model = panel.state;
  if (!model) return;
  const profile = model.profile;
  for (const chart of panel.view.charts) chart.destroy();
  const selected =
    profile.columns.find((column) => column.name === panel.ui.column) ??
    profile.columns.find((column) => column.role === 'feature') ??
    profile.columns[0];
  const target = targetChart(panel, profile);
  const correlation = correlationChart(panel, profile);
  const column = selected ? columnChart(panel, selected) : undefined;
  const series = seriesCharts(panel, profile.series, profile.target.name);
  const charts = [...series, target, correlation, column].filter(
    (chart): chart is ChartCard => chart !== undefined,
  );
  panel.view.charts = charts;
  const table = columnsTable(panel, profile, selected);
  const picker = select(
    'Column',
    profile.columns.map((item) => ({ value: item.name, label: item.name })),
    selected?.name ?? '',
    (name) => selectColumn(panel, name),
    'column',
  );
  replaceChildren(
    panel.content,
    facts(profile),
    baselineLine(model),
    warningsCard(profile),
    ...series.map((chart) => chart.element),
    h(
      'div',
      { class: 'grid' },
      ...[target, correlation].filter((chart) => chart !== undefined).map((chart) => chart.element),
    ),
    classImageGrid(profile),
    h('div', { class: 'toolbar' }, picker),
    column?.element,
    selected ? textProfileCard(selected) : undefined,
    table.element,
  );
  for (const chart of charts) chart.draw();
}

function reduce(_state: State, message: ProfileMessage): State {
  switch (message.type) {
    case 'profile/snapshot':
      return { runId: message.runId, profile: message.profile, baseline: message.baseline };
    default:
      return assertNever(message.type);
  }
}

definePanel<ProfileMessage, State, Ui, View>({
  kind: 'profile',
  defaultUi: {},
  initial: undefined,
  reduce,
  view: () => ({ charts: [] }),
  render,
  themeChanged: (panel) => panel.view.charts.forEach((chart) => chart.draw()),
});

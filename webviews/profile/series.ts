/**
 * Data profile of a time series: the target over time, and under it the walk-forward folds, each a bar from
 * its first to its last training month and one for its validation months, on the same time axis.
 */
import type { ChartConfiguration } from 'chart.js';
import type { SeriesProfile } from '../../src/protocol/profile';
import { ChartCard, baseOptions, pngName } from '../shared/charts';
import type { PanelShell } from '../shared/panel';
import { withAlpha, type Theme } from '../shared/theme';

/** The series as a line over time. */
function seriesConfig(series: SeriesProfile, target: string) {
  return (theme: Theme): ChartConfiguration<'line'> => ({
    type: 'line',
    data: {
      labels: series.times,
      datasets: [
        {
          label: target,
          data: series.values,
          borderColor: theme.palette[0],
          backgroundColor: theme.palette[0],
          pointRadius: 0,
          spanGaps: false,
        },
      ],
    },
    options: {
      ...(baseOptions(theme) as ChartConfiguration<'line'>['options']),
      plugins: { legend: { display: false } },
      scales: { x: { title: { display: true, text: series.time }, ticks: { maxTicksLimit: 12 } } },
    },
  });
}

/** A bar over rows first..last, from half a row before to half after, so adjacent ranges meet. */
function span([first, last]: [number, number]): [number, number] {
  return [first - 0.5, last + 0.5];
}

/** The folds as floating bars over the same rows: training, then validation, per fold. */
function foldsConfig(series: SeriesProfile) {
  const label = (value: number | string) => series.times[Math.round(Number(value))] ?? '';
  return (theme: Theme): ChartConfiguration<'bar'> => ({
    type: 'bar',
    data: {
      labels: series.folds.map((fold) => `Fold ${fold.index + 1}`),
      datasets: [
        {
          label: 'training',
          data: series.folds.map((fold) => span(fold.train)),
          backgroundColor: withAlpha(theme.palette[0], 0.45),
          borderColor: theme.palette[0],
          borderWidth: 1,
        },
        {
          label: 'validation',
          data: series.folds.map((fold) => span(fold.validation)),
          backgroundColor: withAlpha(theme.palette[1] ?? theme.palette[0], 0.75),
          borderColor: theme.palette[1] ?? theme.palette[0],
          borderWidth: 1,
        },
      ],
    },
    options: {
      ...(baseOptions(theme) as ChartConfiguration<'bar'>['options']),
      indexAxis: 'y',
      scales: {
        x: { min: -0.5, max: series.times.length - 0.5, ticks: { callback: label, maxTicksLimit: 12 } },
        y: { stacked: true },
      },
      plugins: {
        tooltip: {
          callbacks: {
            label: (item) => {
              const [from, to] = (item.raw as [number, number]).map((edge) => Math.round(edge));
              return `${item.dataset.label}: ${series.times[from]} – ${series.times[to - 1]}`;
            },
          },
        },
      },
    },
  });
}

/** The series and its folds, or nothing for a profile that is not a time series. */
export function seriesCharts(
  panel: PanelShell<unknown>,
  series: SeriesProfile | undefined,
  target: string,
): ChartCard[] {
  if (!series) return [];
  const charts: ChartCard[] = [
    new ChartCard(panel, `${target} over time`, pngName('profile', 'series'), seriesConfig(series, target), {
      name: 'series',
      height: 260,
    }) as unknown as ChartCard,
  ];
  if (series.folds.length > 0) {
    charts.push(
      new ChartCard(
        panel,
        'Walk-forward folds: training and validation months',
        pngName('profile', 'folds'),
        foldsConfig(series),
        { name: 'folds', height: Math.max(120, 34 * series.folds.length + 60) },
      ) as unknown as ChartCard,
    );
  }
  return charts;
}

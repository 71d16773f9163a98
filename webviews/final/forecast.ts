/**
 * The Final results panel of a time series: the holdout forecast over time against the actual values, with the
 * persistence forecast (the baseline) drawn as a forecast too, and the error by horizon step when the model
 * forecasts more than one value.
 */
import type { ChartConfiguration } from 'chart.js';
import type { FinalResults, ForecastView } from '../../src/protocol/panels';
import { metricLabel } from '../../src/shared/format';
import { ChartCard, baseOptions, lineLegendLabels, pngName } from '../shared/charts';
import type { PanelShell } from '../shared/panel';
import { withAlpha, type Theme } from '../shared/theme';

/** Actual, forecast and persistence over the holdout's times. */
function forecastConfig(forecast: ForecastView, candidate: string) {
  const persistence = forecast.points.some((point) => point.persistence !== undefined);
  return (theme: Theme): ChartConfiguration<'line'> => ({
    type: 'line',
    data: {
      labels: forecast.points.map((point) => point.time),
      datasets: [
        {
          label: 'actual',
          data: forecast.points.map((point) => point.actual),
          borderColor: theme.foreground,
          backgroundColor: theme.foreground,
          pointRadius: 2,
        },
        {
          label: `${candidate} forecast`,
          data: forecast.points.map((point) => point.predicted),
          borderColor: theme.palette[0],
          backgroundColor: theme.palette[0],
          pointRadius: 2,
        },
        ...(persistence
          ? [
              {
                label: 'persistence forecast (baseline)',
                data: forecast.points.map((point) => point.persistence ?? null),
                borderColor: withAlpha(theme.palette[1] ?? theme.palette[0], 0.8),
                backgroundColor: theme.palette[1] ?? theme.palette[0],
                borderDash: [5, 4],
                pointRadius: 0,
              },
            ]
          : []),
      ],
    },
    options: {
      ...(baseOptions(theme) as ChartConfiguration<'line'>['options']),
      plugins: { ...baseOptions(theme)?.plugins, legend: { labels: lineLegendLabels(theme) } },
      scales: { x: { title: { display: true, text: forecast.time }, ticks: { maxTicksLimit: 12 } } },
    },
  });
}

/** RMSE per step ahead: the model's bars beside persistence's. */
function horizonConfig(forecast: ForecastView, candidate: string, metric: 'rmse' | 'mae') {
  const steps = forecast.steps ?? [];
  return (theme: Theme): ChartConfiguration<'bar'> => ({
    type: 'bar',
    data: {
      labels: steps.map((step) => `+${step.step}`),
      datasets: [
        {
          label: candidate,
          data: steps.map((step) => step[metric]),
          backgroundColor: withAlpha(theme.palette[0], 0.75),
        },
        ...(steps.every((step) => step.persistence)
          ? [
              {
                label: 'persistence (baseline)',
                data: steps.map((step) => step.persistence?.[metric] ?? null),
                backgroundColor: withAlpha(theme.palette[1] ?? theme.palette[0], 0.6),
              },
            ]
          : []),
      ],
    },
    options: {
      ...(baseOptions(theme) as ChartConfiguration<'bar'>['options']),
      scales: {
        x: { title: { display: true, text: 'steps ahead' } },
        y: { beginAtZero: true, title: { display: true, text: metricLabel(metric) } },
      },
    },
  });
}

/** The forecast charts of a time series' results; none for other tasks. */
export function forecastCharts(panel: PanelShell<unknown>, results: FinalResults): ChartCard[] {
  const forecast = results.forecast;
  if (!forecast || forecast.points.length === 0) return [];
  const charts: ChartCard[] = [
    new ChartCard(
      panel,
      forecast.horizon > 1 ? 'Forecast vs actual, one step ahead (holdout)' : 'Forecast vs actual (holdout)',
      pngName('final', results.candidate, 'forecast'),
      forecastConfig(forecast, results.candidate),
      { name: 'forecast', height: 300 },
    ) as unknown as ChartCard,
  ];
  if (forecast.steps && forecast.steps.length > 1) {
    const metric = results.metric === 'mae' ? 'mae' : 'rmse';
    charts.push(
      new ChartCard(
        panel,
        `Error by horizon step (${metricLabel(metric)}, holdout)`,
        pngName('final', results.candidate, 'horizon'),
        horizonConfig(forecast, results.candidate, metric),
        { name: 'horizon', height: 240 },
      ) as unknown as ChartCard,
    );
  }
  return charts;
}

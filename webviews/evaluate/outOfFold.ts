/**
 * The Evaluate panel's views of the candidates' out-of-fold predictions: for a time series, one candidate's
 * forecasts per fold against the actual values and the persistence baseline (`canvas[data-chart="fold-forecast"]`);
 * for a text classifier, one candidate's misclassified documents over its folds (the Final panel's
 * `section[data-name="misclassified-documents"]`). A picker chooses the candidate, the best one first.
 */
import type { ChartConfiguration } from 'chart.js';
import type { EvaluateSnapshot, FoldForecasts } from '../../src/protocol/panels';
import { ChartCard, baseOptions, lineLegendLabels, pngName } from '../shared/charts';
import { select } from '../shared/controls';
import { h } from '../shared/dom';
import type { PanelShell } from '../shared/panel';
import { withAlpha, type Theme } from '../shared/theme';
import { textResultsCards } from '../final/textResults';
import { bestCandidate } from './standing';

/** Which candidate each view shows, as the picker left it. */
export interface OutOfFoldUi {
  forecastCandidate?: string;
  textCandidate?: string;
}

/** The picked candidate if it is there, else the session's best that is, else the first. */
function chosen(snapshot: EvaluateSnapshot, names: string[], picked: string | undefined): string | undefined {
  if (picked !== undefined && names.includes(picked)) return picked;
  const best = bestCandidate(snapshot)?.candidate;
  return best !== undefined && names.includes(best) ? best : names[0];
}

/** Actual values, the candidate's forecast of each fold as its own line, and persistence dashed. */
function foldForecastConfig(forecasts: FoldForecasts, name: string) {
  const run = forecasts.candidates.find((candidate) => candidate.candidate === name)!;
  const folds = [...new Set(run.folds.filter((fold): fold is number => fold !== null))].sort((a, b) => a - b);
  return (theme: Theme): ChartConfiguration<'line'> => ({
    type: 'line',
    data: {
      labels: forecasts.times,
      datasets: [
        {
          label: 'actual',
          data: forecasts.actual,
          borderColor: theme.foreground,
          backgroundColor: theme.foreground,
          pointRadius: 1.5,
        },
        ...folds.map((fold, position) => {
          const colour = theme.palette[position % theme.palette.length];
          return {
            label: `${name} fold ${fold + 1}`,
            data: run.predicted.map((value, index) => (run.folds[index] === fold ? value : null)),
            borderColor: colour,
            backgroundColor: colour,
            pointRadius: 1.5,
            spanGaps: false,
          };
        }),
        ...(forecasts.persistence
          ? [
              {
                label: 'persistence forecast (baseline)',
                data: forecasts.persistence,
                borderColor: withAlpha(theme.foreground, 0.45),
                backgroundColor: withAlpha(theme.foreground, 0.45),
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
      scales: { x: { title: { display: true, text: forecasts.time }, ticks: { maxTicksLimit: 12 } } },
    },
  });
}

/** The picker of one view: `data-control` names it for tests. */
function candidatePicker(
  names: string[],
  value: string,
  control: string,
  onChange: (name: string) => void,
): HTMLElement {
  return select(
    'Candidate',
    names.map((name) => ({ value: name, label: name })),
    value,
    onChange,
    control,
  );
}

/**
 * The forecast per fold of the picked candidate, with its picker; undefined for a session without forecasts.
 * `redraw` draws the panel again after a pick.
 */
export function foldForecastView(
  panel: PanelShell<OutOfFoldUi>,
  snapshot: EvaluateSnapshot,
  redraw: () => void,
): { element: HTMLElement; chart: ChartCard } | undefined {
  const forecasts = snapshot.foldForecasts;
  const names = forecasts?.candidates.map((candidate) => candidate.candidate) ?? [];
  const name = forecasts && chosen(snapshot, names, panel.ui.forecastCandidate);
  if (!forecasts || name === undefined || forecasts.times.length === 0) return undefined;
  const title =
    forecasts.horizon > 1
      ? 'Forecast vs actual per fold, one step ahead (cross-validation)'
      : 'Forecast vs actual per fold (cross-validation)';
  const chart = new ChartCard(
    panel,
    title,
    pngName('evaluate', snapshot.session, name, 'fold-forecast'),
    foldForecastConfig(forecasts, name),
    { name: 'fold-forecast', height: 300 },
  ) as unknown as ChartCard;
  const picker = candidatePicker(names, name, 'fold-forecast-candidate', (picked) => {
    panel.ui.forecastCandidate = picked;
    panel.saveState();
    redraw();
  });
  chart.element.querySelector('header')?.after(h('div', { class: 'toolbar' }, picker));
  return { element: chart.element, chart };
}

/** The picked candidate's misclassified documents over its folds, with its picker; none without text results. */
export function misclassifiedView(
  panel: PanelShell<OutOfFoldUi>,
  snapshot: EvaluateSnapshot,
  redraw: () => void,
): HTMLElement[] {
  const all = snapshot.textResults ?? [];
  const names = all.map((entry) => entry.candidate);
  const name = chosen(snapshot, names, panel.ui.textCandidate);
  const entry = all.find((candidate) => candidate.candidate === name);
  if (!entry) return [];
  const picker = candidatePicker(names, entry.candidate, 'misclassified-candidate', (picked) => {
    panel.ui.textCandidate = picked;
    panel.saveState();
    redraw();
  });
  return [
    h('div', { class: 'toolbar', 'data-name': 'misclassified-picker' }, picker),
    ...textResultsCards(panel as PanelShell<unknown>, entry.results),
  ];
}

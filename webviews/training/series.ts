/** The training panel's curves as series for the curve layer: per fold, or a fold mean with its band. */
import type { ChartDataset } from 'chart.js';
import type { TrainingRun } from '../../src/protocol/panels';
import { withAlpha, type Theme } from '../shared/theme';
import { foldStatistics, smooth, toPoints, type Point } from './curves';
import type { Series } from './layer';

/** A Chart.js dataset that only carries a series' legend entry and visibility; the layer draws the curve. */
export function legendEntry(series: Series): ChartDataset<'line', Point[]> {
  return {
    label: series.label,
    data: [],
    borderColor: series.colour,
    backgroundColor: series.colour,
    borderWidth: series.width,
    borderDash: series.dashed ? [5, 3] : undefined,
    pointRadius: 0,
    fill: false,
    parsing: false,
  } as ChartDataset<'line', Point[]>;
}

/**
 * Many curves are drawn one pixel wide: canvas draws such hairlines about ten times faster than wider lines,
 * and hundreds of overlapping lines read better thin. High contrast themes keep their heavy lines.
 */
export function curveWidth(runs: TrainingRun[], showFolds: boolean, theme: Theme): number {
  const lines = showFolds ? runs.reduce((sum, run) => sum + run.curves.length * 2, 0) : runs.length * 2;
  return lines > 50 && theme.lineWidth < 2 ? 1 : theme.lineWidth;
}

/** What the panel shows: which log, how smoothed, per fold or as a mean, how wide. */
export interface SeriesOptions {
  key: string;
  smoothing: number;
  showFolds: boolean;
  /** The panel shows this run alone (its folds get the palette's colours). */
  single: boolean;
  width: number;
}

/** The series of one run (the `runIndex`-th, which picks its colour) for the selected key. */
export function runSeries(
  run: TrainingRun,
  runIndex: number,
  theme: Theme,
  options: SeriesOptions,
): Series[] {
  const key = options.key;
  const weight = options.smoothing;
  const name = run.label ?? run.candidate;
  const single = options.single;
  const folds = options.showFolds;
  const result: Series[] = [];
  const variants = [
    { key, suffix: 'train', dashed: false },
    { key: `val_${key}`, suffix: 'validation', dashed: true },
  ].filter((variant) => run.curves.some((curve) => curve.logs[variant.key]));
  const style = { runId: run.runId, width: options.width };
  for (const variant of variants) {
    const series = run.curves.map((curve) => smooth(curve.logs[variant.key] ?? [], weight));
    const dashed = variant.dashed;
    if (folds && single) {
      run.curves.forEach((curve, index) => {
        const colour = theme.palette[curve.fold % theme.palette.length];
        const part = run.finalFit ? 'final fit' : `fold ${curve.fold + 1}`;
        const label = `${name} ${part} ${variant.suffix}`;
        result.push({ ...style, label, colour, dashed, lines: [toPoints(series[index])] });
      });
    } else if (folds) {
      // One series per run and variant: the folds of one run share its colour and its legend entry.
      const colour = theme.palette[runIndex % theme.palette.length];
      const label = `${name} folds ${variant.suffix}`;
      result.push({ ...style, label, colour, dashed, lines: series.map(toPoints) });
    } else {
      const colour = theme.palette[runIndex % theme.palette.length];
      const statistics = foldStatistics(series);
      const mean = toPoints(statistics.mean);
      result.push({ ...style, label: `${name} ${variant.suffix} mean`, colour, dashed, lines: [mean] });
      result.push({
        ...style,
        label: `${name} ${variant.suffix} band`,
        colour: withAlpha(colour, 0.15),
        dashed: false,
        lines: [],
        band: { low: toPoints(statistics.low), high: toPoints(statistics.high) },
      });
    }
  }
  return result;
}

/** The y range of the series with a margin, so that the next epochs seldom need new scales. */
export function valueRange(series: readonly Series[], logScale: boolean): { min?: number; max?: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const entry of series) {
    for (const points of entry.band ? [entry.band.low, entry.band.high] : entry.lines) {
      for (const point of points) {
        if (!Number.isFinite(point.y) || (logScale && point.y <= 0)) continue;
        if (point.y < min) min = point.y;
        if (point.y > max) max = point.y;
      }
    }
  }
  if (min > max) return {};
  if (logScale) return { min: min / 1.1, max: max * 1.1 };
  const margin = (max - min) * 0.05;
  // A loss or a score never below zero keeps an axis that does not go below zero.
  return { min: min >= 0 ? Math.max(0, min - margin) : min - margin, max: max + margin };
}

/**
 * Chart configuration both renderers draw the same way: the report's charts (Chart.js on a Node canvas) and the
 * panels' (Chart.js in a webview). Plain objects only, DOM-free and Node-free; each side adds its own options
 * (theme, title, click handling) and types the result with its own Chart.js import.
 */
import { formatScore } from './format';

/** What the shared charts take from a theme. */
export interface ChartStyle {
  /** Series colours, in order. */
  palette: readonly string[];
  /** The baseline's reference line. */
  baseline: string;
  lineWidth: number;
  /** Makes a colour translucent; default `withAlpha` below (`#rrggbb` only). A webview's theme colours can be any CSS colour. */
  translucent?: (colour: string, alpha: number) => string;
}

/** `#rrggbb` as `rgba(r, g, b, alpha)`. */
export function withAlpha(colour: string, alpha: number): string {
  const red = Number.parseInt(colour.slice(1, 3), 16);
  const green = Number.parseInt(colour.slice(3, 5), 16);
  const blue = Number.parseInt(colour.slice(5, 7), 16);
  return `rgba(${red}, ${green}, ${blue}, ${alpha})`;
}

/** Pads a score axis around the values: a box plot's axis starts at zero otherwise. */
export function scoreAxisRange(values: readonly number[]): { min?: number; max?: number } {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return {};
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  const pad = (high - low) * 0.08 || Math.abs(high) * 0.05 || 0.05;
  return { min: low - pad, max: high + pad };
}

/** One candidate's box: its fold scores. */
export interface FoldScores {
  name: string;
  scores: number[];
}

/** A Chart.js dataset as plain data: its type, label and values, and its style properties. */
export type PlainDataset = { type: 'boxplot' | 'line'; label: string; data: number[] | number[][] } & Record<
  string,
  unknown
>;

/** The box plot of fold scores: the x labels, the datasets, and the score axis' range. */
export interface FoldScoreBoxPlot {
  labels: string[];
  datasets: PlainDataset[];
  range: { min?: number; max?: number };
}

/**
 * Fold scores per candidate as boxes (one colour each, every fold's score drawn as a point) with the baseline's
 * mean as a dashed line across them.
 */
export function foldScoreBoxPlot(
  metric: string,
  candidates: readonly FoldScores[],
  baseline: number | undefined,
  style: ChartStyle,
): FoldScoreBoxPlot {
  const labels = candidates.map((candidate) => candidate.name);
  const colours = candidates.map((_candidate, index) => style.palette[index % style.palette.length]);
  const translucent = style.translucent ?? withAlpha;
  const datasets: PlainDataset[] = [
    {
      type: 'boxplot',
      label: `${metric} per fold`,
      data: candidates.map((candidate) => candidate.scores),
      backgroundColor: colours.map((colour) => translucent(colour, 0.35)),
      borderColor: colours,
      borderWidth: style.lineWidth,
      outlierBackgroundColor: colours,
      itemRadius: 2,
      itemBackgroundColor: colours.map((colour) => translucent(colour, 0.8)),
    },
  ];
  const values = candidates.flatMap((candidate) => candidate.scores);
  if (baseline !== undefined) {
    values.push(baseline);
    datasets.push({
      type: 'line',
      label: `baseline ${formatScore(baseline)}`,
      data: labels.map(() => baseline),
      borderColor: style.baseline,
      backgroundColor: style.baseline,
      borderDash: [6, 4],
      borderWidth: style.lineWidth + 0.5,
      pointRadius: 0,
    });
  }
  return { labels, datasets, range: scoreAxisRange(values) };
}

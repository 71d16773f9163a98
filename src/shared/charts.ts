/**
 * Chart configuration both renderers draw the same way: the report's charts (Chart.js on a Node canvas) and the
 * panels' (Chart.js in a webview). Plain objects only, DOM-free and Node-free; each side adds its own options
 * (theme, title, click handling) and types the result with its own Chart.js import.
 */
import { formatScore, metricLabel } from './format';

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

/** `#rrggbb` (or `rgb(…)`, read by {@link rgbOf}) as `rgba(r, g, b, alpha)`. */
export function withAlpha(colour: string, alpha: number): string {
  const [red, green, blue] = rgbOf(colour) ?? [NaN, NaN, NaN];
  return `rgba(${red}, ${green}, ${blue}, ${alpha})`;
}

/** `#rrggbb` or `rgb(a)(r, g, b, …)` as its red, green and blue; undefined for anything else. */
export function rgbOf(colour: string): [number, number, number] | undefined {
  const text = colour.trim();
  if (/^#[0-9a-f]{6}$/i.test(text))
    return [1, 3, 5].map((start) => Number.parseInt(text.slice(start, start + 2), 16)) as [
      number,
      number,
      number,
    ];
  const channels = /^rgba?\(([^)]*)\)$/i
    .exec(text)?.[1]
    .split(/[\s,/]+/)
    .filter(Boolean)
    .map(Number);
  return channels && channels.length >= 3 && channels.slice(0, 3).every(Number.isFinite)
    ? [channels[0], channels[1], channels[2]]
    : undefined;
}

/**
 * How far apart two colours look: the "redmean" weighted RGB distance (0 the same, about 765 black to white),
 * close to CIE Lab's judgement at a fraction of its cost. Unreadable colours are far from everything.
 */
export function colourDistance(first: string, second: string): number {
  const a = rgbOf(first);
  const b = rgbOf(second);
  if (!a || !b) return Infinity;
  const redMean = (a[0] + b[0]) / 2;
  const [red, green, blue] = [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
  return Math.sqrt((2 + redMean / 256) * red ** 2 + 4 * green ** 2 + (2 + (255 - redMean) / 256) * blue ** 2);
}

/** Colours closer than this look alike beside each other in a chart (a theme's orange and yellow, say). */
export const MIN_COLOUR_DISTANCE = 80;

/**
 * The series colours a chart may use: `colours` in order, less those that look like an earlier one or like a
 * `reserved` colour (the best-candidate highlight, the baseline), so no series can pass for the best or for
 * another series.
 */
export function distinctColours(colours: readonly string[], reserved: readonly string[]): string[] {
  const kept: string[] = [];
  for (const colour of colours) {
    if ([...reserved, ...kept].every((other) => colourDistance(colour, other) >= MIN_COLOUR_DISTANCE))
      kept.push(colour);
  }
  return kept;
}

/** A score axis' range: suggested ends, so that Chart.js rounds them to its own ticks. */
export interface ScoreAxisRange {
  suggestedMin?: number;
  suggestedMax?: number;
  /** A box plot's value axis starts at zero otherwise. */
  beginAtZero?: false;
}

/**
 * Pads a score axis around the values. The ends are suggestions, not fixed ends: a fixed end such as 1.04 becomes
 * a tick of its own, labelled "1.0" beside the real 1.0. Scores between 0 and 1 keep an axis between 0 and 1.
 */
export function scoreAxisRange(values: readonly number[]): ScoreAxisRange {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return {};
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  const pad = (high - low) * 0.08 || Math.abs(high) * 0.05 || 0.05;
  const unit = low >= 0 && high <= 1;
  return {
    beginAtZero: false,
    suggestedMin: unit ? Math.max(0, low - pad) : low - pad,
    suggestedMax: unit ? Math.min(1, high + pad) : high + pad,
  };
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
  range: ScoreAxisRange;
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
      label: `${metricLabel(metric)} per fold`,
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

/** What `lineLegendItems` reads of a Chart.js chart. */
export interface LegendChart {
  data: { datasets: readonly object[] };
  isDatasetVisible(index: number): boolean;
}

/**
 * Legend entries for a line chart, each a short line in its dataset's colour, width and dash (Chart.js' own
 * entries with `usePointStyle` take the dash of the points, none, so a dashed line showed solid or as a box); a
 * dataset of markers with a `pointStyle` keeps its marker.
 */
export function lineLegendItems(chart: LegendChart, textColour: string) {
  return chart.data.datasets.map((entry, index) => {
    const dataset = entry as Record<string, unknown> & { label?: string };
    const colour = (dataset.borderColor ?? dataset.backgroundColor) as string | undefined;
    return {
      text: dataset.label ?? '',
      datasetIndex: index,
      hidden: !chart.isDatasetVisible(index),
      fillStyle: colour,
      strokeStyle: colour,
      fontColor: textColour,
      lineWidth: typeof dataset.borderWidth === 'number' ? dataset.borderWidth : 1.5,
      lineDash: Array.isArray(dataset.borderDash) ? (dataset.borderDash as number[]) : [],
      // A dataset of markers (a scatter beside the line) keeps its marker.
      pointStyle:
        typeof dataset.pointStyle === 'string' && dataset.type !== 'line' ? dataset.pointStyle : 'line',
    };
  });
}

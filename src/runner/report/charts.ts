/**
 * The report's charts, rendered headless in Node: Chart.js on an @napi-rs/canvas canvas (a prebuilt binary
 * from the npm registry; nothing is downloaded at install). The canvas module is loaded lazily and may be
 * missing: then there are no images, and the reason is returned instead of an error.
 *
 * Style: the webview charts' (webviews/evaluate, webviews/training) in VS Code's light theme colours.
 */
import type { Chart, ChartConfiguration, Plugin } from 'chart.js' with { 'resolution-mode': 'import' };
import { foldScoreBoxPlot, lineLegendItems, type LegendChart } from '../../shared/charts';
import { scoredCandidates, type ReportChartName, type ReportData } from '../../core/report/types';

/** What the charts need from @napi-rs/canvas. */
export interface CanvasModule {
  createCanvas(width: number, height: number): { toBuffer(mime: 'image/png'): Buffer };
}

/** Light theme: the webviews' fallbacks for text and grid, VS Code Light's chart colours for series. */
export const REPORT_THEME = {
  foreground: '#333333',
  background: '#ffffff',
  grid: 'rgba(0,0,0,0.12)',
  palette: ['#1a85ff', '#d18616', '#388a34', '#652d90', '#bf8803', '#0598bc', '#bc05bc', '#0451a5'],
  baseline: '#e51400',
  fontFamily: 'sans-serif',
  fontSize: 13,
  lineWidth: 1.5,
} as const;

/** Chart size in CSS pixels; PNGs are twice this (devicePixelRatio 2). */
export const CHART_SIZE = { width: 800, height: 420 } as const;

/** The charts that were drawn, and why none were when the canvas could not be loaded. */
export interface RenderedCharts {
  images: Partial<Record<ReportChartName, Buffer>>;
  unavailable?: string;
}

/** Loads @napi-rs/canvas, or says why it cannot be loaded. */
export function loadCanvasModule(): CanvasModule | { reason: string } {
  try {
    // Lazy and external to the bundle: a missing native binary must not stop the CLI from starting.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@napi-rs/canvas') as CanvasModule;
  } catch (error) {
    return {
      reason: `the chart renderer @napi-rs/canvas could not be loaded (${(error as Error).message.split('\n')[0]}). To get the images, reinstall Topdown: "npm install" for the CLI, or the .vsix built for this platform (npm run package) for the extension.`,
    };
  }
}

/** Paints the background first: PNGs are transparent otherwise, and unreadable on dark pages. */
const background: Plugin = {
  id: 'reportBackground',
  beforeDraw(chart) {
    const context = chart.ctx;
    context.save();
    context.fillStyle = REPORT_THEME.background;
    context.fillRect(0, 0, chart.width, chart.height);
    context.restore();
  },
};

function baseOptions(title: string): ChartConfiguration['options'] {
  return {
    animation: false,
    responsive: false,
    devicePixelRatio: 2,
    color: REPORT_THEME.foreground,
    borderColor: REPORT_THEME.grid,
    font: { family: REPORT_THEME.fontFamily, size: REPORT_THEME.fontSize },
    plugins: {
      title: {
        display: true,
        text: title,
        color: REPORT_THEME.foreground,
        font: { size: 15, weight: 'bold' },
      },
      legend: { labels: { color: REPORT_THEME.foreground, boxWidth: 12 } },
      tooltip: { enabled: false },
    },
  } as ChartConfiguration['options'];
}

function axis(title: string, range: object = {}): Record<string, unknown> {
  return {
    ...range,
    title: { display: true, text: title, color: REPORT_THEME.foreground },
    ticks: { color: REPORT_THEME.foreground },
    grid: { color: REPORT_THEME.grid },
  };
}

/** Box plot of fold scores per candidate, with the baseline as a dashed line (as in the Evaluate panel). */
export function foldScoresConfiguration(data: ReportData): ChartConfiguration | undefined {
  const candidates = scoredCandidates(data);
  if (candidates.length === 0) return undefined;
  const { labels, datasets, range } = foldScoreBoxPlot(
    data.problem.metric,
    candidates,
    data.baseline?.mean,
    REPORT_THEME,
  );
  return {
    type: 'boxplot',
    data: { labels, datasets },
    options: {
      ...baseOptions(
        `${data.problem.metric} per fold (${data.problem.higherIsBetter ? 'higher' : 'lower'} is better)`,
      ),
      scales: { x: axis('candidate'), y: axis(data.problem.metric, range) },
    },
    plugins: [background],
  } as unknown as ChartConfiguration;
}

/** Epoch numbers level, as many as fit (rotated labels are hard to read). */
export function epochAxis(): Record<string, unknown> {
  const base = axis('epoch');
  return { ...base, ticks: { ...(base.ticks as object), maxRotation: 0, autoSkipPadding: 16 } };
}

/** A line chart's options: the legend draws each entry as a short line, dashed where the line is. */
function learningCurvesOptions(title: string): ChartConfiguration['options'] {
  const options = baseOptions(title) as { plugins: Record<string, unknown> };
  const labels = {
    color: REPORT_THEME.foreground,
    usePointStyle: true,
    pointStyleWidth: 28,
    generateLabels: (chart: LegendChart) => lineLegendItems(chart, REPORT_THEME.foreground),
  };
  return {
    ...options,
    plugins: { ...options.plugins, legend: { labels } },
  } as unknown as ChartConfiguration['options'];
}

/** Mean training (solid) and validation (dashed) loss per epoch, as in the Training panel. */
export function learningCurvesConfiguration(data: ReportData): ChartConfiguration | undefined {
  const curves = data.learningCurves;
  if (!curves || curves.train.length === 0) return undefined;
  const colour = REPORT_THEME.palette[0];
  const length = Math.max(curves.train.length, curves.validation?.length ?? 0);
  const line = (
    label: string,
    values: number[],
    dashed: boolean,
    lineColour: string,
  ): Record<string, unknown> => ({
    type: 'line',
    label,
    data: values.map((value) => (Number.isFinite(value) ? value : null)),
    borderColor: lineColour,
    backgroundColor: lineColour,
    borderWidth: REPORT_THEME.lineWidth + 0.5,
    borderDash: dashed ? [5, 3] : undefined,
    pointRadius: 0,
    fill: false,
  });
  const datasets = [line(`${curves.candidate} training ${curves.key}`, curves.train, false, colour)];
  if (curves.validation) {
    datasets.push(line(`${curves.candidate} validation ${curves.key}`, curves.validation, true, colour));
  }
  return {
    type: 'line',
    data: { labels: Array.from({ length }, (_unused, epoch) => String(epoch + 1)), datasets },
    options: {
      ...learningCurvesOptions(`${curves.candidate}: mean ${curves.key} across ${curves.folds} folds`),
      scales: { x: epochAxis(), y: axis(curves.key) },
    },
    plugins: [background],
  } as unknown as ChartConfiguration;
}

let chartClass: Promise<typeof Chart> | undefined;

/** Chart.js with the box plot registered, loaded on first use (both are ES modules). */
function loadChart(): Promise<typeof Chart> {
  chartClass ??= Promise.all([import('chart.js'), import('@sgratzl/chartjs-chart-boxplot')]).then(
    ([chartJs, boxplot]) => {
      chartJs.Chart.register(...chartJs.registerables, boxplot.BoxPlotController, boxplot.BoxAndWiskers);
      return chartJs.Chart;
    },
  );
  return chartClass;
}

function draw(
  ChartClass: typeof Chart,
  canvasModule: CanvasModule,
  configuration: ChartConfiguration,
): Buffer {
  const canvas = canvasModule.createCanvas(CHART_SIZE.width, CHART_SIZE.height);
  // Chart.js draws on any object with getContext(); in Node it uses its basic platform (no DOM).
  const chart = new ChartClass(canvas as unknown as ConstructorParameters<typeof Chart>[0], configuration);
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}

/**
 * Draws the report's charts as PNGs (skipping a chart that has no data). `canvasModule`: the module to draw
 * with (tests pass one, or a reason to simulate a missing one); default: @napi-rs/canvas, loaded
 * only when there is a chart to draw.
 */
export async function renderCharts(
  data: ReportData,
  canvasModule?: CanvasModule | { reason: string },
): Promise<RenderedCharts> {
  const configurations: Array<[ReportChartName, ChartConfiguration]> = [];
  const foldScores = foldScoresConfiguration(data);
  if (foldScores) configurations.push(['fold-scores', foldScores]);
  const curves = learningCurvesConfiguration(data);
  if (curves) configurations.push(['learning-curves', curves]);
  if (configurations.length === 0) return { images: {} };
  const canvas = canvasModule ?? loadCanvasModule();
  if ('reason' in canvas) return { images: {}, unavailable: canvas.reason };
  let ChartClass: typeof Chart;
  try {
    ChartClass = await loadChart();
  } catch (error) {
    chartClass = undefined;
    return { images: {}, unavailable: `Chart.js could not be loaded (${(error as Error).message}).` };
  }
  const images: RenderedCharts['images'] = {};
  for (const [name, configuration] of configurations) {
    try {
      images[name] = draw(ChartClass, canvas, configuration);
    } catch (error) {
      return { images, unavailable: `drawing the ${name} chart failed (${(error as Error).message}).` };
    }
  }
  return { images };
}

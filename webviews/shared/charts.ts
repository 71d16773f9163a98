/** Chart.js set up for panels: themed defaults, no animation, a card with "Save PNG". */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
  type LegendItem,
} from 'chart.js';
import { drawPoint } from 'chart.js/helpers';
import { lineLegendItems, type LegendChart } from '../../src/shared/charts';
import { button } from './controls';
import { h } from './dom';
import type { PanelShell } from './panel';
import type { Theme } from './theme';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
);

export { Chart };

/** Applies the theme to Chart.js' global defaults (text colour, grid, font). */
export function applyTheme(theme: Theme): void {
  Chart.defaults.color = theme.foreground;
  Chart.defaults.borderColor = theme.grid;
  Chart.defaults.font.family = theme.fontFamily;
  Chart.defaults.font.size = theme.fontSize;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.elements.line.borderWidth = theme.lineWidth;
}

/** A titled chart with a "Save PNG" button; the chart is rebuilt from `build` on every `draw`. */
export class ChartCard<Type extends ChartType = ChartType> {
  /** The card, to place in the page. */
  readonly element: HTMLElement;
  /** The drawing surface. */
  readonly canvas: HTMLCanvasElement;
  /** The live chart, once drawn. */
  chart: Chart<Type> | undefined;

  constructor(
    private readonly shell: PanelShell<unknown>,
    readonly title: string,
    private readonly fileName: string,
    private readonly build: (theme: Theme) => ChartConfiguration<Type>,
    private readonly options: {
      height?: number;
      /** At most this wide (a square matrix stays square in a wide panel); the panel's width otherwise. */
      maxWidth?: number;
      name?: string;
      /** Points per dataset, for charts that draw their data themselves (default: Chart.js' elements). */
      elements?: () => number[];
    } = {},
  ) {
    this.canvas = h('canvas', { role: 'img', 'aria-label': title, 'data-chart': options.name ?? fileName });
    this.element = h(
      'section',
      { class: 'card chart-card' },
      h(
        'header',
        {},
        h('h2', {}, title),
        button('Save PNG', () => this.save(), {
          secondary: true,
          name: 'save-png',
          title: `Save as report/${fileName}`,
        }),
      ),
      h('div', { class: 'chart-box' }, this.canvas),
    );
    // A style attribute would break the CSP (no 'unsafe-inline'); CSSOM changes are allowed.
    (this.canvas.parentElement as HTMLElement).style.height = `${options.height ?? 320}px`;
    if (options.maxWidth) (this.canvas.parentElement as HTMLElement).style.maxWidth = `${options.maxWidth}px`;
  }

  /** Draws the chart from scratch (first paint, new data, new theme). */
  draw(): void {
    applyTheme(this.shell.theme);
    this.chart?.destroy();
    this.chart = new Chart(this.canvas, this.build(this.shell.theme));
    this.describe();
  }

  /** Redraws after data were changed in place on `chart.data`. */
  update(): void {
    if (!this.chart) return this.draw();
    this.chart.update('none');
    this.describe();
  }

  /** Paints again without updating: for changes a plugin draws itself, with the same scales. */
  redraw(): void {
    if (!this.chart) return this.draw();
    this.chart.draw();
    this.describe();
  }

  /** Writes what the chart shows into data attributes (for screen readers and tests). */
  private describe(): void {
    const chart = this.chart;
    if (!chart) return;
    const visible = chart.data.datasets.filter((_dataset, index) => chart.isDatasetVisible(index));
    this.canvas.dataset.datasets = String(visible.length);
    this.canvas.dataset.labels = visible.map((dataset) => dataset.label ?? '').join('|');
    // Each dataset's line colours, one per element where they differ (a box plot's boxes): "c1,c2|c3".
    this.canvas.dataset.colours = visible
      .map((dataset) => [(dataset as { borderColor?: unknown }).borderColor].flat().map(String).join(','))
      .join('|');
    this.canvas.dataset.categories = (chart.data.labels ?? []).map(String).join('|');
    const elements =
      this.options.elements?.() ??
      chart.data.datasets.map((_dataset, index) => chart.getDatasetMeta(index).data.length);
    this.canvas.dataset.elements = elements.join(',');
    // Each axis' type, lowest value and tick labels (data-scale-y="linear", data-min-y, data-ticks-y="0|0.5|1").
    for (const scale of Object.values(chart.scales)) {
      this.canvas.dataset[`scale${capitalised(scale.id)}`] = scale.type;
      this.canvas.dataset[`min${capitalised(scale.id)}`] = String(scale.min);
      this.canvas.dataset[`ticks${capitalised(scale.id)}`] = scale.ticks.map((tick) => tick.label).join('|');
    }
    // How the legend draws each entry: a marker shape, 'line', 'dashed' (a dashed line) or 'box'.
    const items = chart.legend?.legendItems ?? [];
    this.canvas.dataset.legend = items
      .map((item) => {
        const marker =
          item.pointStyle instanceof HTMLCanvasElement ? item.pointStyle.dataset.marker : undefined;
        const style =
          marker ?? (typeof item.pointStyle === 'string' && this.usesPointStyle() ? item.pointStyle : 'box');
        return style === 'line' && (item.lineDash?.length ?? 0) > 0 ? 'dashed' : style;
      })
      .join('|');
  }

  private usesPointStyle(): boolean {
    return this.chart?.options?.plugins?.legend?.labels?.usePointStyle === true;
  }

  /** Sends the chart, on the theme's background, to the host to save as `report/<fileName>`. */
  save(): void {
    const copy = document.createElement('canvas');
    copy.width = this.canvas.width;
    copy.height = this.canvas.height;
    const context = copy.getContext('2d');
    if (!context) return;
    context.fillStyle = this.shell.theme.background;
    context.fillRect(0, 0, copy.width, copy.height);
    context.drawImage(this.canvas, 0, 0);
    this.shell.post({ type: 'panel/savePng', fileName: this.fileName, dataUrl: copy.toDataURL('image/png') });
  }

  /** Frees the chart. */
  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Options every panel chart shares; `extra` is merged in. */
export function baseOptions(theme: Theme): ChartConfiguration['options'] {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    normalized: true,
    plugins: {
      legend: { labels: { color: theme.foreground, boxWidth: 12 } },
      tooltip: { enabled: true },
    },
  };
}

/**
 * Legend labels for a line chart: each entry a short line in its dataset's colour and dash (a dashed validation
 * or baseline line reads as dashed in the legend, not as a filled box).
 */
export function lineLegendLabels(theme: Theme) {
  return {
    color: theme.foreground,
    usePointStyle: true,
    pointStyleWidth: 28,
    generateLabels: (chart: Chart) =>
      // Chart.js' PointStyle is a union of names; ours come from the datasets' own pointStyle or 'line'.
      (lineLegendItems(chart as unknown as LegendChart, theme.foreground) as LegendItem[]).map((item) =>
        markerItem(item, chart),
      ),
  };
}

/**
 * A marker's entry drawn as a small picture of the marker: with `pointStyleWidth` (which makes lines long enough
 * to show their dash) Chart.js would stretch a circle into an oval and a diamond into a flat rhombus.
 */
function markerItem(item: LegendItem, chart: Chart): LegendItem {
  const style = item.pointStyle;
  if (typeof style !== 'string' || style === 'line') return item;
  const dataset = chart.data.datasets[item.datasetIndex ?? 0] as { pointRadius?: unknown } | undefined;
  const radius = Math.max(4, typeof dataset?.pointRadius === 'number' ? dataset.pointRadius : 4);
  const size = Math.ceil(radius * 2 + 2);
  const canvas = h('canvas', { width: size, height: size, 'data-marker': style });
  const context = canvas.getContext('2d');
  if (!context) return item;
  context.fillStyle = String(item.fillStyle ?? '');
  context.strokeStyle = String(item.strokeStyle ?? '');
  drawPoint(context, { pointStyle: style, radius, rotation: 0, borderWidth: 0 }, size / 2, size / 2);
  return { ...item, pointStyle: canvas };
}

/** A file name safe for `report/`: lower case letters, digits and dashes. */
export function pngName(...parts: string[]): string {
  const stem = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${stem || 'chart'}.png`;
}

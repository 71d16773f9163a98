/**
 * The learning curves, drawn by a Chart.js plugin straight onto the chart's canvas. Chart.js keeps the axes,
 * legend and baseline; it would reprocess every point of every curve on each update, which a live panel with
 * hundreds of thousands of points cannot afford per epoch. Here the curves of settled runs are kept as a bitmap
 * that appends extend segment by segment; runs whose past points change (a fold mean at an epoch other folds
 * already reached) are redrawn on every frame until they stop running. The layer paints before Chart.js draws its
 * datasets, so the baseline's dashed line lies over the curves and the fold bands, never tinted by them.
 */
import type { Chart, ChartArea, ChartEvent, Plugin, Scale } from 'chart.js';
import type { Point } from './curves';

/** One legend entry's drawing: polylines in one style, or a band filled between two edges. */
export interface Series {
  /** The run it belongs to. */
  runId: string;
  label: string;
  colour: string;
  width: number;
  dashed: boolean;
  /** Polylines drawn alike (one per fold when the folds of a run share a colour); empty for a band. */
  lines: Point[][];
  /** A band's lower and upper edges, point by point at the same epochs, filled between. */
  band?: { low: Point[]; high: Point[] };
}

/** How many points a series holds (what the canvas' `data-elements` reports). */
export function seriesSize(series: Series): number {
  if (series.band) return series.band.low.length + series.band.high.length;
  return series.lines.reduce((sum, line) => sum + line.length, 0);
}

/** The curve point nearest the pointer. */
interface Hover {
  label: string;
  colour: string;
  point: Point;
  x: number;
  y: number;
}

const dash = [5, 3];
/** How long one slice of a background redraw may hold the page. */
const sliceMs = 8;

/** `before` is where `after` starts (appends only added points after it). */
function isPrefix(before: Point[], after: Point[]): boolean {
  if (after.length < before.length) return false;
  for (let index = 0; index < before.length; index += 1) {
    if (!Object.is(before[index].x, after[index].x) || !Object.is(before[index].y, after[index].y))
      return false;
  }
  return true;
}

/** Draws the curves of a chart; `plugin` goes into the chart's configuration. */
export class CurveLayer {
  /** The Chart.js plugin that draws the layer and the hover label. */
  readonly plugin: Plugin<'line'>;
  private series: Series[] = [];
  /** Runs drawn afresh on every frame. */
  private readonly live = new Set<string>();
  /** The settled runs' curves at the chart's device pixel size. */
  private readonly bitmap = document.createElement('canvas');
  private valid = false;
  /** A bitmap being redrawn in slices without the runs that went live; it replaces `bitmap` when done. */
  private rebuild: { canvas: HTMLCanvasElement; next: number; timer: number } | undefined;
  private chart: Chart<'line'> | undefined;
  private hover: Hover | undefined;

  constructor(private readonly colours: { foreground: string; background: string; grid: string }) {
    this.plugin = {
      id: 'topdownCurves',
      afterInit: (chart) => {
        this.chart = chart;
      },
      afterUpdate: () => {
        this.invalidate();
        this.hover = undefined;
      },
      beforeDatasetsDraw: (chart) => this.paint(chart),
      afterEvent: (chart, args) => {
        if (this.pointer(chart, args.event, args.inChartArea)) args.changed = true;
      },
      afterDraw: (chart) => this.label(chart),
    };
  }

  /** Replaces every series (index `i` is shown while dataset `i` of the chart is visible). */
  setSeries(series: Series[]): void {
    this.series = series;
    this.invalidate();
  }

  /** The bitmap is redrawn in full on the next paint. */
  private invalidate(): void {
    this.valid = false;
    if (this.rebuild) clearTimeout(this.rebuild.timer);
    this.setRebuild(undefined);
  }

  /** The redraw in slices, begun or ended: the canvas carries `data-redrawing` meanwhile (tests wait for it). */
  private setRebuild(rebuild: CurveLayer['rebuild']): void {
    this.rebuild = rebuild;
    const canvas = this.chart?.canvas;
    if (canvas && rebuild) canvas.dataset.redrawing = '';
    else if (canvas) delete canvas.dataset.redrawing;
  }

  /** Every series, in dataset order. */
  all(): readonly Series[] {
    return this.series;
  }

  /**
   * Replaces one run's series and draws what changed, ready for `chart.draw()`. Returns false when the chart
   * must update instead: the series no longer match its datasets, or a point falls outside the scales.
   */
  replaceRun(runId: string, next: Series[]): boolean {
    const start = this.series.findIndex((series) => series.runId === runId);
    const previous = start < 0 ? [] : this.series.slice(start, start + next.length);
    const chart = this.chart;
    const matches =
      start >= 0 &&
      previous.length === next.length &&
      previous.every((series, index) => series.runId === runId && series.label === next[index].label);
    if (!matches || !chart) {
      this.invalidate();
      return false;
    }
    let appendOnly = true;
    const added: Array<{ index: number; series: Series; from: number[] }> = [];
    next.forEach((series, offset) => {
      const before = previous[offset];
      const pairs: Array<[Point[], Point[]]> = series.band
        ? [
            [before.band?.low ?? [], series.band.low],
            [before.band?.high ?? [], series.band.high],
          ]
        : series.lines.map((line, index) => [before.lines[index] ?? [], line]);
      if (series.lines.length < before.lines.length || Boolean(series.band) !== Boolean(before.band))
        appendOnly = false;
      const from = pairs.map(([old, line]) => {
        if (!isPrefix(old, line)) appendOnly = false;
        return Math.max(0, old.length - 1);
      });
      added.push({ index: start + offset, series, from });
    });
    // Points outside the current scales need new scales, so the chart updates.
    const area = chart.chartArea;
    const { x: xScale, y: yScale } = chart.scales;
    for (const { series, from } of added) {
      const edges = series.band ? [series.band.low, series.band.high] : series.lines;
      for (let line = 0; line < edges.length; line += 1) {
        for (let index = appendOnly ? from[line] : 0; index < edges[line].length; index += 1) {
          const point = edges[line][index];
          const x = xScale.getPixelForValue(point.x);
          const y = yScale.getPixelForValue(point.y);
          if (!(
            x >= area.left - 0.5 &&
            x <= area.right + 0.5 &&
            y >= area.top - 0.5 &&
            y <= area.bottom + 0.5
          )) {
            this.series.splice(start, next.length, ...next);
            this.invalidate();
            return false;
          }
        }
      }
    }
    this.series.splice(start, next.length, ...next);
    if (!this.valid || this.live.has(runId)) return true;
    if (!appendOnly) {
      // Past points moved: from now on this run is drawn per frame, over the bitmap (where its old curve shows
      // through until a bitmap without it, redrawn in slices between messages, takes its place).
      this.live.add(runId);
      // A redraw that has not reached this run's series yet leaves them out anyway.
      if (!this.rebuild || start < this.rebuild.next) this.startRebuild(chart);
      return true;
    }
    for (const target of this.targets(chart)) {
      for (const { index, series, from } of added) {
        if (index < target.upTo && chart.isDatasetVisible(index))
          this.drawSeries(target.context, chart, series, from);
      }
      target.context.restore();
    }
    return true;
  }

  /** The bitmaps to draw onto: the one shown, and the part of one being redrawn that is done. */
  private targets(chart: Chart<'line'>): Array<{ context: CanvasRenderingContext2D; upTo: number }> {
    const targets = [{ context: this.context(this.bitmap, chart), upTo: this.series.length }];
    if (this.rebuild)
      targets.push({ context: this.context(this.rebuild.canvas, chart), upTo: this.rebuild.next });
    return targets;
  }

  /** Redraws the bitmap in slices of a few milliseconds, so that no message waits long for the page. */
  private startRebuild(chart: Chart<'line'>): void {
    if (this.rebuild) clearTimeout(this.rebuild.timer);
    const canvas = document.createElement('canvas');
    canvas.width = chart.canvas.width;
    canvas.height = chart.canvas.height;
    const step = (): void => {
      const rebuild = this.rebuild;
      if (!rebuild || !chart.ctx) return;
      const context = this.context(rebuild.canvas, chart);
      const started = performance.now();
      while (rebuild.next < this.series.length && performance.now() - started < sliceMs) {
        const series = this.series[rebuild.next];
        if (!this.live.has(series.runId) && chart.isDatasetVisible(rebuild.next))
          this.drawSeries(context, chart, series);
        rebuild.next += 1;
      }
      context.restore();
      if (rebuild.next < this.series.length) {
        rebuild.timer = window.setTimeout(step, 0);
        return;
      }
      this.setRebuild(undefined);
      this.bitmap.getContext('2d')?.clearRect(0, 0, this.bitmap.width, this.bitmap.height);
      this.bitmap.getContext('2d')?.drawImage(canvas, 0, 0);
      chart.draw();
    };
    this.setRebuild({ canvas, next: 0, timer: window.setTimeout(step, 0) });
  }

  /** A run stopped: it joins the bitmap instead of being redrawn per frame. */
  settle(runId: string): void {
    if (!this.live.delete(runId) || !this.valid || !this.chart) return;
    const chart = this.chart;
    for (const target of this.targets(chart)) {
      this.series.forEach((series, index) => {
        if (series.runId === runId && index < target.upTo && chart.isDatasetVisible(index))
          this.drawSeries(target.context, chart, series);
      });
      target.context.restore();
    }
  }

  /** Clipped to the plot area, in CSS pixels. */
  private context(canvas: HTMLCanvasElement, chart: Chart<'line'>): CanvasRenderingContext2D {
    const context = canvas.getContext('2d') as CanvasRenderingContext2D;
    context.save();
    context.setTransform(chart.currentDevicePixelRatio, 0, 0, chart.currentDevicePixelRatio, 0, 0);
    clip(context, chart.chartArea);
    return context;
  }

  private paint(chart: Chart<'line'>): void {
    this.chart = chart;
    if (!this.valid) {
      this.bitmap.width = chart.canvas.width;
      this.bitmap.height = chart.canvas.height;
      const context = this.context(this.bitmap, chart);
      this.series.forEach((series, index) => {
        if (!this.live.has(series.runId) && chart.isDatasetVisible(index))
          this.drawSeries(context, chart, series);
      });
      context.restore();
      this.valid = true;
    }
    const context = chart.ctx;
    context.drawImage(this.bitmap, 0, 0, chart.width, chart.height);
    if (this.live.size === 0) return;
    context.save();
    clip(context, chart.chartArea);
    this.series.forEach((series, index) => {
      if (this.live.has(series.runId) && chart.isDatasetVisible(index))
        this.drawSeries(context, chart, series);
    });
    context.restore();
  }

  /** Draws a series from point `from[i]` of each line (or band edge) on. */
  private drawSeries(
    context: CanvasRenderingContext2D,
    chart: Chart<'line'>,
    series: Series,
    from?: number[],
  ): void {
    const { x: xScale, y: yScale } = chart.scales;
    if (series.band) {
      const start = from?.[0] ?? 0;
      const { low, high } = series.band;
      if (low.length - start < 2) return;
      context.beginPath();
      for (let index = start; index < low.length; index += 1)
        context.lineTo(xScale.getPixelForValue(low[index].x), yScale.getPixelForValue(low[index].y));
      for (let index = high.length - 1; index >= start; index -= 1)
        context.lineTo(xScale.getPixelForValue(high[index].x), yScale.getPixelForValue(high[index].y));
      context.closePath();
      context.fillStyle = series.colour;
      context.fill();
      return;
    }
    context.strokeStyle = series.colour;
    context.lineWidth = series.width;
    context.lineJoin = 'round';
    context.setLineDash(series.dashed ? dash : []);
    series.lines.forEach((line, index) => {
      const start = from?.[index] ?? 0;
      if (line.length - start < 2) return;
      // A continued dashed line keeps its pattern: the offset is the length drawn so far.
      context.lineDashOffset = series.dashed && start > 0 ? pathLength(line, start, xScale, yScale) : 0;
      context.beginPath();
      let pen = false;
      for (let point = start; point < line.length; point += 1) {
        const x = xScale.getPixelForValue(line[point].x);
        const y = yScale.getPixelForValue(line[point].y);
        if (!Number.isFinite(x) || !Number.isFinite(y)) {
          pen = false;
          continue;
        }
        if (pen) context.lineTo(x, y);
        else context.moveTo(x, y);
        pen = true;
      }
      context.stroke();
    });
  }

  /** Finds the curve point nearest the pointer; true when that changed. */
  private pointer(chart: Chart<'line'>, event: ChartEvent, inside: boolean): boolean {
    const before = this.hover;
    let found: Hover | undefined;
    if (event.type === 'mousemove' && inside && event.x !== null && event.y !== null) {
      const { x: xScale, y: yScale } = chart.scales;
      const epoch = xScale.getValueForPixel(event.x) ?? NaN;
      let best = Infinity;
      for (let index = 0; index < this.series.length; index += 1) {
        const series = this.series[index];
        if (series.band || !chart.isDatasetVisible(index)) continue;
        for (const line of series.lines) {
          const point = nearestByX(line, epoch);
          if (!point) continue;
          const x = xScale.getPixelForValue(point.x);
          const y = yScale.getPixelForValue(point.y);
          const distance = Math.hypot(x - event.x, y - event.y);
          if (distance < best) {
            best = distance;
            found = { label: series.label, colour: series.colour, point, x, y };
          }
        }
      }
    }
    this.hover = found;
    // Screen readers and tests read what the label says.
    if (chart.canvas)
      chart.canvas.dataset.hover = found
        ? `${found.label} · epoch ${found.point.x}: ${formatValue(found.point.y)}`
        : '';
    return before?.x !== this.hover?.x || before?.y !== this.hover?.y || before?.label !== this.hover?.label;
  }

  /** The hovered point and a label naming its curve, epoch and value. */
  private label(chart: Chart<'line'>): void {
    const hover = this.hover;
    if (!hover) return;
    const context = chart.ctx;
    const lines = [hover.label, `epoch ${hover.point.x}: ${formatValue(hover.point.y)}`];
    context.save();
    context.fillStyle = hover.colour;
    context.beginPath();
    context.arc(hover.x, hover.y, 3, 0, Math.PI * 2);
    context.fill();
    context.font = `${chart.options.font?.size ?? 12}px ${chart.options.font?.family ?? 'sans-serif'}`;
    const lineHeight = (chart.options.font?.size ?? 12) + 4;
    const width = Math.max(...lines.map((text) => context.measureText(text).width)) + 12;
    const height = lines.length * lineHeight + 8;
    const left = Math.min(hover.x + 8, chart.chartArea.right - width);
    const top = Math.max(chart.chartArea.top, hover.y - height - 8);
    context.fillStyle = this.colours.background;
    context.strokeStyle = this.colours.grid;
    context.lineWidth = 1;
    context.fillRect(left, top, width, height);
    context.strokeRect(left, top, width, height);
    context.fillStyle = this.colours.foreground;
    context.textBaseline = 'top';
    lines.forEach((text, index) => context.fillText(text, left + 6, top + 4 + index * lineHeight));
    context.restore();
  }
}

function clip(context: CanvasRenderingContext2D, area: ChartArea): void {
  context.beginPath();
  context.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
  context.clip();
}

function pathLength(line: Point[], end: number, xScale: Scale, yScale: Scale): number {
  let length = 0;
  for (let index = 1; index <= end; index += 1) {
    const dx = xScale.getPixelForValue(line[index].x) - xScale.getPixelForValue(line[index - 1].x);
    const dy = yScale.getPixelForValue(line[index].y) - yScale.getPixelForValue(line[index - 1].y);
    if (Number.isFinite(dx) && Number.isFinite(dy)) length += Math.hypot(dx, dy);
  }
  return length;
}

/** The point whose x is nearest `x` (points sorted by x). */
function nearestByX(line: Point[], x: number): Point | undefined {
  if (line.length === 0 || !Number.isFinite(x)) return undefined;
  let low = 0;
  let high = line.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (line[middle].x < x) low = middle + 1;
    else high = middle;
  }
  const after = line[low];
  const before = line[low - 1];
  return before && Math.abs(before.x - x) < Math.abs(after.x - x) ? before : after;
}

function formatValue(value: number): string {
  return Math.abs(value) >= 1000 || Math.abs(value) < 0.001 ? value.toPrecision(4) : value.toFixed(4);
}

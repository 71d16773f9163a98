/**
 * REPORT.md's charts as Chart.js lays them out on the report's canvas: epoch numbers level (not rotated), the
 * legend's dashed validation line drawn as a dashed line, and a score axis with one "1.0".
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import type { Chart, ChartConfiguration } from 'chart.js' with { 'resolution-mode': 'import' };
import type { ReportData } from '../../src/core/report/types';
import {
  CHART_SIZE,
  foldScoresConfiguration,
  learningCurvesConfiguration,
} from '../../src/runner/report/charts';

let ChartClass: typeof Chart;

before(async () => {
  // Both are ES modules, loaded as the report loads them.
  const [chartJs, boxplot] = await Promise.all([
    import('chart.js'),
    import('@sgratzl/chartjs-chart-boxplot'),
  ]);
  chartJs.Chart.register(...chartJs.registerables, boxplot.BoxPlotController, boxplot.BoxAndWiskers);
  ChartClass = chartJs.Chart;
});

/** Lays the chart out on a report-sized canvas and hands it to `inspect`. */
function laidOut(configuration: ChartConfiguration | undefined, inspect: (chart: Chart) => void): void {
  assert.ok(configuration);
  const canvas = createCanvas(CHART_SIZE.width, CHART_SIZE.height);
  const chart = new ChartClass(canvas as unknown as HTMLCanvasElement, configuration);
  try {
    inspect(chart);
  } finally {
    chart.destroy();
  }
}

describe('report charts', () => {
  it('writes 200 epochs level on the learning curves, and the dashed validation line as a line', () => {
    const train = Array.from({ length: 200 }, (_, epoch) => 1 / (epoch + 1));
    const learningCurves = {
      candidate: 'mlp',
      model: 'mlp',
      runId: 'r1',
      key: 'loss',
      folds: 5,
      train,
      validation: train.map((value) => value * 1.2),
    };
    laidOut(learningCurvesConfiguration({ learningCurves } as unknown as ReportData), (chart) => {
      assert.equal(chart.scales.x.labelRotation, 0);
      assert.ok(chart.scales.y.min >= 0);
      const items = chart.legend?.legendItems ?? [];
      assert.deepEqual(
        items.map((item) => [item.pointStyle, item.lineDash?.length ?? 0]),
        [
          ['line', 0],
          ['line', 2],
        ],
      );
    });
  });

  it('labels a score axis that reaches 1.0 with distinct ticks, none above 1', () => {
    const data = {
      problem: { metric: 'accuracy', higherIsBetter: true },
      baseline: { mean: 0.9 },
      spotCheck: {
        candidates: [
          { name: 'mlp', status: 'completed', scores: [1, 0.97, 0.95, 1, 0.92], mean: 0.968 },
          { name: 'knn', status: 'completed', scores: [0.93, 0.96, 0.94, 0.99, 0.95], mean: 0.954 },
        ],
      },
    } as unknown as ReportData;
    laidOut(foldScoresConfiguration(data), (chart) => {
      const labels = chart.scales.y.ticks.map((tick) => String(tick.label));
      assert.equal(new Set(labels).size, labels.length, labels.join(' '));
      assert.ok(chart.scales.y.max <= 1, `axis top ${chart.scales.y.max}`);
    });
  });
});

/** The runtime-neutral modules the report and the panels share: number formatting and the fold-score box plot. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  colourDistance,
  distinctColours,
  foldScoreBoxPlot,
  MIN_COLOUR_DISTANCE,
  rgbOf,
  scoreAxisRange,
  withAlpha,
} from '../../src/shared/charts';
import { formatDuration, formatNumber, formatScore } from '../../src/shared/format';

describe('shared formatting', () => {
  it('writes metric values with 3 decimals below 10, 2 below 1000, none above', () => {
    assert.deepEqual([0.84612, 12.3456, 1234.5, -0.5].map(formatScore), ['0.846', '12.35', '1235', '-0.500']);
    assert.equal(formatScore(Number.NaN), 'NaN');
  });

  it('writes other numbers as integers, fixed decimals or exponents, and a dash when missing', () => {
    assert.deepEqual(
      [42, 0.12345, 0.0000123, 2.5e7, undefined, Number.POSITIVE_INFINITY].map((value) =>
        formatNumber(value),
      ),
      ['42', '0.123', '1.23e-5', '2.50e+7', '—', '—'],
    );
  });

  it('writes durations from milliseconds to hours', () => {
    assert.deepEqual([850, 12_400, 185_000, 3_725_000, undefined].map(formatDuration), [
      '850 ms',
      '12.4 s',
      '3 min 05 s',
      '1 h 02 min',
      '—',
    ]);
  });
});

describe('foldScoreBoxPlot', () => {
  const style = { palette: ['#ff0000', '#00ff00'], baseline: '#0000ff', lineWidth: 2 };

  it('draws one box per candidate in palette order and the baseline as a dashed line labelled with its score', () => {
    const plot = foldScoreBoxPlot(
      'accuracy',
      [
        { name: 'mlp', scores: [0.8, 0.9] },
        { name: 'knn', scores: [0.7, 0.75] },
        { name: 'tree', scores: [0.6] },
      ],
      0.5,
      style,
    );
    assert.deepEqual(plot.labels, ['mlp', 'knn', 'tree']);
    const [boxes, baseline] = plot.datasets;
    assert.equal(boxes.type, 'boxplot');
    assert.equal(boxes.label, 'accuracy per fold');
    assert.deepEqual(boxes.data, [[0.8, 0.9], [0.7, 0.75], [0.6]]);
    assert.deepEqual(boxes.borderColor, ['#ff0000', '#00ff00', '#ff0000']);
    assert.deepEqual(boxes.backgroundColor, [
      'rgba(255, 0, 0, 0.35)',
      'rgba(0, 255, 0, 0.35)',
      'rgba(255, 0, 0, 0.35)',
    ]);
    assert.equal(baseline.type, 'line');
    assert.equal(baseline.label, 'baseline 0.500');
    assert.deepEqual(baseline.data, [0.5, 0.5, 0.5]);
    assert.deepEqual(baseline.borderDash, [6, 4]);
    assert.equal(baseline.borderWidth, 2.5);
    // The axis covers the scores and the baseline, padded.
    assert.ok(plot.range.suggestedMin! < 0.5 && plot.range.suggestedMax! > 0.9);
  });

  it("has no baseline line without a baseline, and uses a panel's own colour function", () => {
    const plot = foldScoreBoxPlot('rmse', [{ name: 'linear', scores: [3, 4] }], undefined, {
      ...style,
      translucent: (colour, alpha) => `${colour}@${alpha}`,
    });
    assert.equal(plot.datasets.length, 1);
    assert.deepEqual(plot.datasets[0].backgroundColor, ['#ff0000@0.35']);
    assert.deepEqual(plot.datasets[0].itemBackgroundColor, ['#ff0000@0.8']);
  });
});

describe('chart helpers', () => {
  it('pads the score axis by 8% of the spread, or around a single value, as suggested ends', () => {
    const range = scoreAxisRange([2, 2.5, Number.NaN]);
    assert.equal(range.beginAtZero, false);
    assert.ok(Math.abs(range.suggestedMin! - 1.96) < 1e-12 && Math.abs(range.suggestedMax! - 2.54) < 1e-12);
    const single = scoreAxisRange([2]);
    assert.ok(Math.abs(single.suggestedMin! - 1.9) < 1e-12 && Math.abs(single.suggestedMax! - 2.1) < 1e-12);
    assert.deepEqual(scoreAxisRange([]), {});
  });

  it('keeps scores between 0 and 1 on an axis between 0 and 1', () => {
    const range = scoreAxisRange([0.5, 1]);
    assert.ok(Math.abs(range.suggestedMin! - 0.46) < 1e-12);
    assert.equal(range.suggestedMax, 1);
    assert.equal(scoreAxisRange([0, 0.02]).suggestedMin, 0);
  });

  it('turns #rrggbb into rgba with the alpha', () => {
    assert.equal(withAlpha('#1a85ff', 0.5), 'rgba(26, 133, 255, 0.5)');
  });
});

describe('distinctColours', () => {
  // VS Code's default light theme: its chart orange and yellow look alike, its green marks the best candidate.
  const light = { blue: '#1a85ff', orange: '#c27d1a', green: '#388a34', yellow: '#bf8803', red: '#e51400' };

  it('measures look-alikes as near and different hues as far', () => {
    assert.equal(colourDistance('#123456', 'rgb(18, 52, 86)'), 0);
    assert.ok(colourDistance(light.orange, light.yellow) < MIN_COLOUR_DISTANCE);
    assert.ok(colourDistance(light.blue, light.orange) > MIN_COLOUR_DISTANCE * 3);
    assert.equal(rgbOf('rgba(1, 2, 3, 0.5)')?.join(','), '1,2,3');
    assert.equal(rgbOf('red'), undefined);
  });

  it('drops the reserved colours and any look-alike of a colour kept before it, keeping the order', () => {
    const palette = distinctColours(
      [light.blue, light.orange, light.green, light.yellow, '#652d90', light.red],
      [light.red, light.green],
    );
    assert.deepEqual(palette, [light.blue, light.orange, '#652d90']);
    for (const [index, colour] of palette.entries())
      for (const other of [...palette.slice(index + 1), light.red, light.green])
        assert.ok(colourDistance(colour, other) >= MIN_COLOUR_DISTANCE, `${colour} ~ ${other}`);
  });
});

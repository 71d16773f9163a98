import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMeanStd as reportFormatMeanStd } from '../../src/core/report/format';
import { formatMeanStd as extensionFormatMeanStd, stepTooltip } from '../../src/extension/models/format';
import { binLabels } from '../../src/shared/format';
import { columnFormat, formatMeanStd } from '../../src/shared/format';

/** Decimals of a fixed-notation number ("0.846" → 3). */
const decimals = (text: string): number => text.split('.')[1]?.length ?? 0;

describe('columnFormat', () => {
  it('gives scores 3 significant digits and every value of the column the same decimals', () => {
    const format = columnFormat([0.8802380952380953, 0.0123, 0.5]);
    assert.deepEqual([0.8802380952380953, 0.0123, 0.5].map(format), ['0.880', '0.012', '0.500']);
    const errors = columnFormat([23.456789, 7.1]);
    assert.deepEqual([23.456789, 7.1].map(errors), ['23.5', '7.1']);
    assert.deepEqual([1234.5678, 12.3].map(columnFormat([1234.5678, 12.3])), ['1235', '12']);
  });

  it('writes a column of very small or large values all in exponent notation', () => {
    const tiny = columnFormat([0.00012, 0.0000034]);
    assert.deepEqual([0.00012, 0.0000034].map(tiny), ['1.20e-4', '3.40e-6']);
    assert.deepEqual([2.5e7].map(columnFormat([2.5e7, 3e6])), ['2.50e+7']);
  });

  it('keeps whole numbers whole and writes a dash for what is missing', () => {
    assert.deepEqual([10, 3].map(columnFormat([10, 3])), ['10', '3']);
    const format = columnFormat([0.5, undefined, NaN]);
    assert.deepEqual([undefined, NaN, 0.25].map(format), ['—', '—', '0.250']);
  });

  it('never prints a long float, whatever the column holds', () => {
    for (const values of [
      [0.06079644819292308, 0.8802380952380953],
      [123.456789123, 0.001234567],
      [1e-9, 5],
    ]) {
      const format = columnFormat(values);
      const texts = values.map(format);
      for (const text of texts) assert.ok(text.replace(/e[+-]\d+$/, '').length <= 8, text);
      const notations = new Set(texts.map((text) => (text.includes('e') ? 'exponent' : decimals(text))));
      assert.equal(notations.size, 1, texts.join(', '));
    }
  });
});

describe('stepTooltip', () => {
  it('writes the number to beat and the best so far as scores, not raw floats', () => {
    const text = stepTooltip({
      label: 'Evaluate Algorithms',
      status: 'done',
      numberToBeat: 0.5336538461538461,
      best: {
        runId: 'r1',
        session: 's1',
        name: 'mlp-large',
        mean: 0.8802380952380953,
        std: 0.06079644819292308,
      },
    });
    assert.equal(
      text,
      'Evaluate Algorithms: done\nNumber to beat (baseline): 0.534\nBest of the latest session: mlp-large, 0.880 ± 0.061',
    );
  });

  it('says when the best score is from an outdated session', () => {
    const text = stepTooltip({
      label: 'Evaluate Algorithms',
      status: 'stale',
      best: { runId: 'r1', session: 's1', name: 'mlp', mean: 0.9, std: 0.02, outdated: 'the data changed' },
    });
    assert.match(text, /Best of the latest session: mlp, 0\.900 ± 0\.020 \(outdated: the data changed\)$/);
  });
});

describe('binLabels', () => {
  it('labels bins in one notation with enough digits that neighbouring edges differ', () => {
    assert.deepEqual(binLabels([0, 50, 100, 150]), ['0–50', '50–100', '100–150']);
    assert.deepEqual(binLabels([0, 0.25, 0.5]), ['0.000–0.250', '0.250–0.500']);
    // 3 significant digits of 12.5 would read 12.0–12.0: more digits until the edges differ.
    const narrow = binLabels([12, 12.01, 12.02, 12.03]);
    assert.deepEqual(narrow, ['12.00–12.01', '12.01–12.02', '12.02–12.03']);
    for (const label of narrow) {
      const [low, high] = label.split('–');
      assert.notEqual(low, high);
    }
  });
});

describe('formatMeanStd', () => {
  it('writes an estimate one way for the report, the views and the panels', () => {
    assert.equal(formatMeanStd(0.84612, 0.05678), '0.846 ± 0.057');
    assert.equal(formatMeanStd(31.94, 0.0004), '31.94 ± 0.000');
    assert.equal(formatMeanStd(0.5, undefined), '0.500');
    assert.equal(formatMeanStd(undefined, 0.1), '—');
    assert.equal(formatMeanStd(Number.NaN, 0.1), '—');
  });

  it('is the one function the report and the extension re-export', () => {
    assert.equal(reportFormatMeanStd, formatMeanStd);
    assert.equal(extensionFormatMeanStd, formatMeanStd);
  });
});

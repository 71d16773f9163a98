/** Prediction CSVs print values as the data wrote them and probabilities in one notation. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFloat32, formatProbability } from '../../src/core/present/predict';

describe('prediction formatting', () => {
  it('prints a float32 at the precision it was stored with, not with float32 noise', () => {
    assert.equal(formatFloat32(Math.fround(36.2)), '36.2');
    assert.equal(formatFloat32(Math.fround(0.1)), '0.1');
    assert.equal(
      formatFloat32(Math.fround(1234.5678)),
      '1234.5677',
      'the shortest text that reads back as the same float32',
    );
    assert.equal(formatFloat32(-0.5), '-0.5');
    assert.equal(formatFloat32(NaN), 'NaN');
  });

  it('prints probabilities with six decimals in plain notation', () => {
    assert.equal(formatProbability(1), '1.000000');
    assert.equal(formatProbability(1.35783807e-18), '0.000000');
    assert.equal(formatProbability(0.00000523126073), '0.000005');
    assert.equal(formatProbability(1.0000001), '1.000000', 'rounding above 1 is clamped');
  });
});

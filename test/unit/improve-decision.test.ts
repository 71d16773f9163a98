/**
 * The Improve panel's decision is the engine's (decideTuning), never the panel's own pick, and "Use this"
 * changes topdown.json only where the kept configuration differs from it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parameterChanges,
  textWithParameters,
  withChanges,
  withDecision,
} from '../../src/extension/panels/improveDecision';
import { smallestReplacement } from '../../src/extension/panels/replacement';
import type { ImproveResults } from '../../src/protocol/panels';
import type { TuningRecord } from '../../src/protocol/records';

const topdown =
  '{\n  // the zoo\n  "evaluate": {\n    "candidates": [\n      { "name": "base", "model": "baseline" },\n      { "name": "mlp", "model": "mlp", "layers": [16], "learningRate": 0.001 }\n    ]\n  }\n}\n';

/** A session like the issue's: trial 2 has the best mean of the trials, and the untuned 0.849 beats them all. */
function results(): ImproveResults {
  return {
    runId: 'r-best',
    candidate: 'mlp',
    metric: 'accuracy',
    higherIsBetter: true,
    tuned: ['learningRate', 'epochs'],
    trials: [
      {
        index: 0,
        params: { learningRate: 0.001, epochs: 100 },
        mean: 0.849,
        std: 0.05,
        untuned: true,
        status: 'completed',
      },
      {
        index: 1,
        name: 'mlp#1',
        params: { learningRate: 0.01, epochs: 50 },
        mean: 0.81,
        std: 0.06,
        status: 'completed',
      },
      {
        index: 2,
        name: 'mlp#2',
        params: { learningRate: 0.003, epochs: 200 },
        mean: 0.832,
        std: 0.04,
        status: 'completed',
      },
    ],
    bestIndex: 2,
  };
}

function tuning(keep: 'tuned' | 'untuned'): TuningRecord {
  return {
    of: 'mlp',
    keep,
    chosen: keep === 'tuned' ? 'mlp#2' : 'mlp',
    untunedRunId: 'r-untuned',
    pValue: 0.334,
    message: 'Tuning did not beat the untuned mlp: … keeping the untuned configuration.',
    method: 'random',
    trials: 2,
  };
}

describe('withDecision', () => {
  it('keeps the untuned trial when the engine kept it, even though another trial has the best mean', () => {
    const decided = withDecision(results(), tuning('untuned'));
    assert.deepEqual(decided.decision, {
      keep: 'untuned',
      chosenIndex: 0,
      message: tuning('untuned').message,
      pValue: 0.334,
    });
    assert.equal(decided.bestIndex, 2, 'the best-looking trial is still reported as such');
  });

  it('points at the best trial when tuning won, and prefers the decision improve.json already carries', () => {
    assert.equal(withDecision(results(), tuning('tuned')).decision?.chosenIndex, 2);
    const own = {
      ...results(),
      decision: { keep: 'untuned' as const, chosenIndex: 0, message: 'own', pValue: 0.5 },
    };
    assert.equal(withDecision(own, tuning('tuned')).decision?.message, 'own');
    assert.equal(withDecision(results(), undefined).decision, undefined, 'no decision is invented');
  });
});

describe('parameterChanges', () => {
  it('is empty when topdown.json already has the kept untuned configuration (omitted values count as the defaults used)', () => {
    const decided = withDecision(results(), tuning('untuned'));
    assert.deepEqual(parameterChanges(topdown, decided), []);
    assert.deepEqual(withChanges(decided, topdown).decision?.changes, []);
  });

  it('lists each parameter of a kept trial that differs, with the value topdown.json has now', () => {
    const decided = withDecision(results(), tuning('tuned'));
    assert.deepEqual(parameterChanges(topdown, decided), [
      { parameter: 'learningRate', current: 0.001, kept: 0.003 },
      { parameter: 'epochs', current: 100, kept: 200 },
    ]);
  });

  it('offers the untuned configuration back when topdown.json has moved away from it', () => {
    const edited = topdown.replace('"learningRate": 0.001', '"learningRate": 0.05');
    const decided = withDecision(results(), tuning('untuned'));
    assert.deepEqual(parameterChanges(edited, decided), [
      { parameter: 'learningRate', current: 0.05, kept: 0.001 },
    ]);
  });

  it('is unknown (undefined) when topdown.json does not parse or lacks the candidate', () => {
    const decided = withDecision(results(), tuning('tuned'));
    assert.equal(parameterChanges('{ "evaluate": ', decided), undefined);
    assert.equal(parameterChanges(topdown.replace('"mlp"', '"net"'), decided), undefined);
    assert.equal(withChanges(decided, undefined).decision?.changes, undefined);
  });
});

describe('textWithParameters', () => {
  it('sets the parameters on the named candidate and keeps the comments', () => {
    const text = textWithParameters(topdown, 'mlp', { learningRate: 0.003, layers: [64, 32] });
    assert.match(text, /\/\/ the zoo/);
    assert.match(text, /"learningRate": 0\.003/);
    assert.doesNotMatch(text.split('"mlp"')[0], /learningRate/);
    assert.match(text, /"layers": \[\s*64,\s*32\s*\]/);
  });

  it('sets a custom model option inside options', () => {
    const text = textWithParameters(
      '{ "evaluate": { "candidates": [{ "name": "c", "model": "custom", "module": "m.js" }] } }',
      'c',
      { 'options.units': 8 },
    );
    assert.deepEqual(JSON.parse(text).evaluate.candidates[0].options, { units: 8 });
  });

  it('names the candidate when topdown.json has none by that name', () => {
    assert.throws(() => textWithParameters(topdown, 'cnn', { epochs: 3 }), /no candidate named "cnn"/);
  });
});

describe('smallestReplacement', () => {
  it('replaces only the changed middle, and applying it gives the new text', () => {
    const before = topdown;
    const after = textWithParameters(topdown, 'mlp', { learningRate: 0.003 });
    const edit = smallestReplacement(before, after);
    assert.equal(before.slice(0, edit.offset) + edit.text + before.slice(edit.offset + edit.length), after);
    assert.ok(edit.length <= 5, `replaced ${edit.length} characters`);
    assert.deepEqual(smallestReplacement('same', 'same'), { offset: 4, length: 0, text: '' });
    assert.deepEqual(smallestReplacement('aXa', 'aa'), { offset: 1, length: 1, text: '' });
  });
});

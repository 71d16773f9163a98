import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CandidateConfig } from '../../src/core/config';
import { TopdownError } from '../../src/core/errors';
import {
  applyConfiguration,
  gridConfigurations,
  gridSize,
  halvingSchedule,
  randomConfigurations,
  selectTop,
  validateSearchSpace,
} from '../../src/core/improve/search';
import type { SearchSpace } from '../../src/core/improve/types';

const mlp: CandidateConfig = {
  name: 'mlp-small',
  model: 'mlp',
  layers: [30],
  epochs: 100,
  learningRate: 0.001,
};
const knn: CandidateConfig = { name: 'neighbours', model: 'knn', k: 5 };
const pointer = '/improve/space/mlp-small';

function expectInvalid(action: () => void, field: string, messagePattern: RegExp): TopdownError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof TopdownError, `expected a TopdownError, got ${String(caught)}`);
  assert.equal(caught.code, 'PROJECT_INVALID');
  assert.equal(caught.field, field);
  assert.match(caught.message, messagePattern);
  return caught;
}

describe('validateSearchSpace', () => {
  it('accepts a mixed space for random search', () => {
    const space = {
      learningRate: { logUniform: [1e-4, 1e-2] },
      layers: { choice: [[30], [60, 30]] },
      dropout: { uniform: [0, 0.5] },
      batchSize: { choice: [5, 16] },
      epochs: { int: [50, 200], step: 50 },
    };
    assert.doesNotThrow(() => validateSearchSpace(space, mlp, pointer));
  });

  it('names an unknown parameter and suggests the closest one', () => {
    const error = expectInvalid(
      () => validateSearchSpace({ learningrate: { choice: [0.1] } }, mlp, pointer),
      '/improve/space/mlp-small/learningrate',
      /"learningrate" is not a parameter of "mlp-small" \(a mlp model\)/,
    );
    assert.match(error.hint ?? '', /Did you mean "learningRate"\?/);
  });

  it('rejects a parameter that belongs to another model kind', () => {
    expectInvalid(
      () => validateSearchSpace({ layers: { choice: [[8]] } }, knn, '/improve/space/neighbours'),
      '/improve/space/neighbours/layers',
      /not a parameter of "neighbours" \(a knn model\)/,
    );
  });

  it('rejects an empty choice', () => {
    expectInvalid(
      () => validateSearchSpace({ batchSize: { choice: [] } }, mlp, pointer),
      `${pointer}/batchSize/choice`,
      /non-empty/,
    );
  });

  it('rejects a choice value of the wrong type, pointing at the value', () => {
    expectInvalid(
      () => validateSearchSpace({ layers: { choice: [[30], [60, 0]] } }, mlp, pointer),
      `${pointer}/layers/choice/1`,
      /positive integers/,
    );
    expectInvalid(
      () => validateSearchSpace({ optimizer: { choice: ['adam', 'adamw'] } }, mlp, pointer),
      `${pointer}/optimizer/choice/1`,
      /"adamw" must be one of/,
    );
  });

  it('rejects a range whose low bound is not below its high bound', () => {
    expectInvalid(
      () => validateSearchSpace({ dropout: { uniform: [0.5, 0.1] } }, mlp, pointer),
      `${pointer}/dropout/uniform`,
      /\[0.5, 0.1\] is empty/,
    );
  });

  it('rejects logUniform starting at zero or below', () => {
    expectInvalid(
      () => validateSearchSpace({ learningRate: { logUniform: [0, 0.1] } }, mlp, pointer),
      `${pointer}/learningRate/logUniform`,
      /positive low bound/,
    );
  });

  it('rejects bounds outside what the parameter accepts', () => {
    expectInvalid(
      () => validateSearchSpace({ dropout: { uniform: [0, 1.5] } }, mlp, pointer),
      `${pointer}/dropout/uniform`,
      /bound 1.5 must be less than 1/,
    );
  });

  it('asks for int on integer parameters', () => {
    expectInvalid(
      () => validateSearchSpace({ k: { uniform: [1, 9] } }, knn, '/improve/space/neighbours'),
      '/improve/space/neighbours/k/uniform',
      /takes integers; use \{ "int": \[1, 9\] \}/,
    );
  });

  it('rejects a domain with two kinds at once', () => {
    expectInvalid(
      () => validateSearchSpace({ dropout: { uniform: [0, 0.5], choice: [0.1] } }, mlp, pointer),
      `${pointer}/dropout`,
      /exactly one of/,
    );
  });

  it('rejects continuous ranges without steps in a grid', () => {
    const error = expectInvalid(
      () => validateSearchSpace({ dropout: { uniform: [0, 0.5] } }, mlp, pointer, 'grid'),
      `${pointer}/dropout/uniform`,
      /cannot enumerate the continuous range of "dropout"/,
    );
    assert.match(error.hint ?? '', /steps/);
  });

  it('rejects a grid of more than 1000 points, naming the count', () => {
    const space = { epochs: { int: [1, 100] }, batchSize: { int: [1, 20] } };
    expectInvalid(
      () => validateSearchSpace(space, mlp, pointer, 'grid'),
      pointer,
      /2000 points; the limit is 1000/,
    );
    assert.doesNotThrow(() => validateSearchSpace(space, mlp, pointer, 'random'));
  });

  it('lets custom models tune their options', () => {
    const custom: CandidateConfig = {
      name: 'mine',
      model: 'custom',
      module: 'model.js',
      options: { units: 8 },
    };
    assert.doesNotThrow(() =>
      validateSearchSpace({ 'options.units': { choice: [8, 16] } }, custom, '/improve/space/mine'),
    );
  });
});

describe('gridConfigurations', () => {
  it('enumerates every point with the last parameter varying fastest', () => {
    const space: SearchSpace = {
      layers: { choice: [[30], [60, 30]] },
      dropout: { uniform: [0, 0.4], steps: 3 },
    };
    assert.deepEqual(gridConfigurations(space), [
      { layers: [30], dropout: 0 },
      { layers: [30], dropout: 0.2 },
      { layers: [30], dropout: 0.4 },
      { layers: [60, 30], dropout: 0 },
      { layers: [60, 30], dropout: 0.2 },
      { layers: [60, 30], dropout: 0.4 },
    ]);
  });

  it('spaces logUniform steps geometrically and int ranges by their step', () => {
    const space: SearchSpace = {
      learningRate: { logUniform: [1e-4, 1e-2], steps: 3 },
      epochs: { int: [10, 30], step: 10 },
    };
    assert.equal(gridSize(space), 9);
    const points = gridConfigurations(space);
    assert.deepEqual([...new Set(points.map((point) => point.learningRate))], [0.0001, 0.001, 0.01]);
    assert.deepEqual(
      points.slice(0, 3).map((point) => point.epochs),
      [10, 20, 30],
    );
  });
});

describe('randomConfigurations', () => {
  const space: SearchSpace = {
    learningRate: { logUniform: [1e-4, 1e-2] },
    dropout: { uniform: [0, 0.5] },
    batchSize: { choice: [5, 16] },
    epochs: { int: [10, 50], step: 10 },
  };

  it('gives the same configurations for the same seed and different ones for another seed', () => {
    const first = randomConfigurations(space, 20, 1);
    assert.deepEqual(randomConfigurations(space, 20, 1), first);
    assert.notDeepEqual(randomConfigurations(space, 20, 2), first);
    assert.equal(first.length, 20);
  });

  it('keeps every value inside its domain', () => {
    for (const point of randomConfigurations(space, 200, 3)) {
      const learningRate = point.learningRate as number;
      const dropout = point.dropout as number;
      assert.ok(learningRate >= 1e-4 && learningRate <= 1e-2, `learningRate ${learningRate}`);
      assert.ok(dropout >= 0 && dropout <= 0.5, `dropout ${dropout}`);
      assert.ok([5, 16].includes(point.batchSize as number));
      assert.ok([10, 20, 30, 40, 50].includes(point.epochs as number));
    }
  });

  it('samples learning rates evenly in log space', () => {
    const rates = randomConfigurations({ learningRate: { logUniform: [1e-4, 1e-2] } }, 400, 5).map(
      (point) => point.learningRate as number,
    );
    const belowMiddle = rates.filter((rate) => rate < 1e-3).length;
    // Uniform in log space puts half below the geometric middle 1e-3; uniform in linear space would put ~9%.
    assert.ok(belowMiddle > 160 && belowMiddle < 240, `below 1e-3: ${belowMiddle} of 400`);
  });

  it('samples continuous ranges freely even when they declare grid steps', () => {
    const points = randomConfigurations({ dropout: { uniform: [0, 0.5], steps: 3 } }, 10, 4);
    assert.equal(points.length, 10);
    assert.ok(points.some((point) => ![0, 0.25, 0.5].includes(point.dropout as number)));
  });

  it('never repeats a configuration and stops at the size of a small discrete space', () => {
    const small: SearchSpace = { batchSize: { choice: [5, 16] }, epochs: { int: [10, 30], step: 10 } };
    const points = randomConfigurations(small, 20, 1);
    assert.equal(points.length, 6);
    assert.equal(new Set(points.map((point) => JSON.stringify(point))).size, 6);
  });
});

describe('halvingSchedule', () => {
  it('keeps a third with three times the epochs and ends at the full length', () => {
    assert.deepEqual(halvingSchedule(27, { minEpochs: 5, maxEpochs: 100, factor: 3 }), [
      { configs: 27, epochs: 5 },
      { configs: 9, epochs: 15 },
      { configs: 3, epochs: 45 },
      { configs: 1, epochs: 100 },
    ]);
  });

  it('stops early when the epochs reach the maximum', () => {
    assert.deepEqual(halvingSchedule(27, { minEpochs: 5, maxEpochs: 20, factor: 3 }), [
      { configs: 27, epochs: 5 },
      { configs: 9, epochs: 15 },
      { configs: 3, epochs: 20 },
    ]);
  });

  it('runs a single configuration once at full length', () => {
    assert.deepEqual(halvingSchedule(1, { minEpochs: 5, maxEpochs: 50, factor: 3 }), [
      { configs: 1, epochs: 50 },
    ]);
  });

  it('rejects a factor of 1, which would never halve', () => {
    assert.throws(() => halvingSchedule(10, { minEpochs: 5, maxEpochs: 50, factor: 1 }), TopdownError);
  });
});

describe('selectTop', () => {
  const results = [
    { name: 'a', score: 0.7 },
    { name: 'b', score: Number.NaN },
    { name: 'c', score: 0.9 },
    { name: 'd', score: 0.8 },
    { name: 'e', score: 0.9 },
    { name: 'f', score: 0.6 },
  ];

  it('keeps the best fraction with higher-is-better scores, ties in input order', () => {
    assert.deepEqual(
      selectTop(results, 1 / 3, true).map((result) => result.name),
      ['c', 'e'],
    );
  });

  it('keeps the lowest scores for losses and ranks NaN last', () => {
    assert.deepEqual(
      selectTop(results, 1, false).map((result) => result.name),
      ['f', 'a', 'd', 'c', 'e', 'b'],
    );
  });

  it('keeps at least one result', () => {
    assert.equal(selectTop(results, 0.01, true).length, 1);
  });
});

describe('applyConfiguration', () => {
  it('names the trial and overrides only the tuned parameters', () => {
    const applied = applyConfiguration(mlp, { learningRate: 0.003, layers: [60, 30] }, 3);
    assert.deepEqual(applied, {
      name: 'mlp-small#3',
      model: 'mlp',
      layers: [60, 30],
      epochs: 100,
      learningRate: 0.003,
    });
    assert.equal(mlp.name, 'mlp-small');
  });

  it('puts custom options inside options', () => {
    const custom: CandidateConfig = {
      name: 'mine',
      model: 'custom',
      module: 'model.js',
      options: { units: 8, depth: 2 },
    };
    const applied = applyConfiguration(custom, { 'options.units': 16, epochs: 20 }, 1);
    assert.deepEqual(applied, {
      name: 'mine#1',
      model: 'custom',
      module: 'model.js',
      options: { units: 16, depth: 2 },
      epochs: 20,
    });
  });
});

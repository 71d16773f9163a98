import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CandidateConfig, Task } from '../../src/core/config';
import type { Dataset } from '../../src/core/dataset';
import { TopdownError } from '../../src/core/errors';
import { minimize } from '../../src/core/models/lbfgs';
import { LogisticEstimator } from '../../src/core/models/sparse-linear';
import { modelInput } from '../../src/core/models/kinds';
import { createEstimator } from '../../src/core/models/zoo';
import { denseToCsr } from '../../src/core/sparse';
import { close } from './prepare-helpers';

// Reference values: scikit-learn 1.x, LogisticRegression(tol=1e-10, max_iter=1000) and MultinomialNB() on X, y.
const X = [2, 0, 1, 3, 1, 0, 0, 2, 1, 1, 3, 0, 0, 0, 4, 1, 0, 3, 2, 1, 1, 0, 1, 2];
const Y = [0, 0, 1, 1, 2, 2, 0, 1];

function data(labels: number[], sparse: boolean): Dataset {
  const classes = labels.some((label) => label === 2) ? ['a', 'b', 'c'] : ['a', 'b'];
  const base: Dataset = {
    x: Float32Array.from(X),
    xShape: [8, 3],
    y: Float32Array.from(labels),
    yShape: [8],
    featureNames: ['free', 'meeting', 'money'],
    classes,
    rowIndex: Int32Array.from({ length: 8 }, (_, row) => row),
  };
  return sparse ? { ...base, x: new Float32Array(0), sparse: denseToCsr(X, 8, 3) } : base;
}

function fitted(candidate: CandidateConfig, labels: number[]) {
  const classes = labels.some((label) => label === 2) ? 3 : 2;
  const task: Task = classes === 2 ? 'binary' : 'multiclass';
  const context = { task, inputShape: [3], outputUnits: classes, seed: 1, projectDir: '.' };
  return createEstimator(candidate, context);
}

const binary = Y.map((label) => (label === 1 ? 1 : 0));

describe('logistic (L-BFGS)', () => {
  it('finds scikit-learn LogisticRegression weights and probabilities, binary and multinomial', async () => {
    const candidate: CandidateConfig = { name: 'lr', model: 'logistic', maxIterations: 1000 };
    const two = fitted(candidate, binary) as LogisticEstimator;
    await two.fit(data(binary, true));
    const { weights, outputs } = two.coefficients();
    assert.equal(outputs, 1);
    [-0.988059, 0.873232, -0.399111].forEach((value, index) => close(weights[index], value, 2e-3));
    const probabilities = await two.predict(data(binary, true));
    [0.89966, 0.10034, 0.870926, 0.129074].forEach((value, index) =>
      close(probabilities[index], value, 1e-3),
    );

    const three = fitted(candidate, Y) as LogisticEstimator;
    await three.fit(data(Y, true));
    const multi = three.coefficients().weights;
    [0.77373, -0.28484, -0.497989, -0.705528, 0.676862, -0.309115].forEach((value, index) =>
      close(multi[index], value, 2e-3),
    );
    const rows = await three.predict(data(Y, true));
    [0.819466, 0.085658, 0.094876, 0.940091, 0.048485, 0.011424].forEach((value, index) =>
      close(rows[index], value, 1e-3),
    );
  });

  it('gives the same model on dense and sparse features', async () => {
    const sparse = fitted({ name: 'lr', model: 'logistic' }, binary);
    const dense = fitted({ name: 'lr', model: 'logistic' }, binary);
    await sparse.fit(data(binary, true));
    await dense.fit(data(binary, false));
    assert.deepEqual(await sparse.predict(data(binary, false)), await dense.predict(data(binary, true)));
  });

  it('refuses data with another number of features than it was fitted on', async () => {
    const model = fitted({ name: 'lr', model: 'logistic' }, binary);
    await model.fit(data(binary, true));
    const wider = { ...data(binary, true), sparse: denseToCsr(new Float32Array(32), 8, 4) };
    await assert.rejects(
      () => model.predict(wider),
      (error: unknown) => error instanceof TopdownError && error.code === 'MODEL_INVALID',
    );
  });
});

describe('minimize (L-BFGS)', () => {
  it('finds the minimum of a badly scaled quadratic', () => {
    const point = new Float64Array([5, -3]);
    const result = minimize(
      (at, gradient) => {
        gradient[0] = 2 * (at[0] - 1);
        gradient[1] = 200 * (at[1] + 2);
        return (at[0] - 1) ** 2 + 100 * (at[1] + 2) ** 2;
      },
      point,
      { maxIterations: 100, tolerance: 1e-8 },
    );
    assert.ok(result.converged);
    close(point[0], 1, 1e-6);
    close(point[1], -2, 1e-6);
  });

  it('finds the Rosenbrock minimum when it keeps fewer correction pairs than it takes steps', () => {
    // Rosenbrock's valley takes dozens of steps: with memory 3 the oldest pairs are dropped (and their arrays
    // reused) many times over.
    const rosenbrock = (at: Float64Array, gradient: Float64Array) => {
      const [x, y] = at;
      gradient[0] = -2 * (1 - x) - 400 * x * (y - x * x);
      gradient[1] = 200 * (y - x * x);
      return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    };
    for (const memory of [1, 3, 10]) {
      const point = new Float64Array([-1.2, 1]);
      const result = minimize(rosenbrock, point, { maxIterations: 500, tolerance: 1e-7, memory });
      assert.ok(result.iterations > memory + 5, `${result.iterations} steps with memory ${memory}`);
      close(point[0], 1, 1e-4);
      close(point[1], 1, 1e-4);
    }
  });
});

describe('multinomial-nb', () => {
  it('gives scikit-learn MultinomialNB probabilities, binary and three classes', async () => {
    const two = fitted({ name: 'nb', model: 'multinomial-nb' }, binary);
    await two.fit(data(binary, true));
    const probabilities = await two.predict(data(binary, true));
    [0.945679, 0.054321, 0.888091, 0.111909, 0.136372, 0.863628].forEach((value, index) =>
      close(probabilities[index], value, 1e-6),
    );
    const three = fitted({ name: 'nb', model: 'multinomial-nb' }, Y);
    await three.fit(data(Y, false));
    const rows = await three.predict(data(Y, false));
    [0.750104, 0.078072, 0.171824, 0.945047, 0.046343, 0.00861].forEach((value, index) =>
      close(rows[index], value, 1e-6),
    );
  });

  it('refuses negative features, naming the feature and the row', async () => {
    const model = fitted({ name: 'nb', model: 'multinomial-nb' }, binary);
    const negative = data(binary, false);
    negative.x[4] = -1;
    await assert.rejects(
      () => model.fit(negative),
      (error: unknown) =>
        error instanceof TopdownError &&
        error.code === 'MODEL_INVALID' &&
        /"meeting" is -1 in training row 2/.test(error.message),
    );
  });
});

describe('modelInput', () => {
  // 6,000 documents of a 20,000-token vocabulary: 120 million values if made dense.
  const rows = 6000;
  const wide: Dataset = {
    x: new Float32Array(0),
    xShape: [rows, 20000],
    y: Float32Array.from({ length: rows }, (_, row) => (row % 3 === 0 ? 1 : 0)),
    yShape: [rows],
    featureNames: Array.from({ length: 20000 }, (_, index) => `text:w${index}`),
    classes: ['ham', 'spam'],
    rowIndex: Int32Array.from({ length: rows }, (_, row) => row),
    sparse: {
      rows,
      cols: 20000,
      indptr: Int32Array.from({ length: rows + 1 }, (_, row) => row),
      indices: Int32Array.from({ length: rows }, (_, row) => row % 20000),
      values: new Float32Array(rows).fill(1),
    },
  };

  it('keeps large text features sparse for the baseline, which reads only the targets', async () => {
    const input = modelInput(wide, 'baseline');
    assert.equal(input.sparse, wide.sparse);
    const context = {
      task: 'binary' as const,
      inputShape: [20000],
      outputUnits: 2,
      seed: 1,
      projectDir: '.',
    };
    const baseline = createEstimator({ name: 'baseline', model: 'baseline' }, context);
    await baseline.fit(input);
    const predicted = await baseline.predict(input);
    assert.deepEqual(Array.from(predicted.subarray(0, 2)), [4000 / 6000, 2000 / 6000].map(Math.fround));
  });

  it('refuses to make them dense for a kind that reads dense input, naming the kind', () => {
    assert.throws(
      () => modelInput(wide, 'knn'),
      (error: unknown) =>
        error instanceof TopdownError &&
        error.code === 'MODEL_INVALID' &&
        /6000 × 20000: too large to make dense .* for model "knn"/.test(error.message),
    );
  });
});

/**
 * Saving a fitted estimator and loading it back: every kind predicts the same values as before saving.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { CandidateConfig } from '../../src/core/config';
import { TopdownError } from '../../src/core/errors';
import { loadEstimator, saveEstimator, WEIGHTS_FILE, ESTIMATOR_FILE } from '../../src/core/models/persist';
import { createEstimator } from '../../src/core/models/zoo';
import { loadBackend } from '../../src/runner/backend';
import { blobs, contextFor, plane, sine, type Problem } from '../fixtures/models/datasets';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'topdown-persist-'));
}

/** Fits, saves, loads, and returns predictions before and after on the test part. */
async function roundTrip(candidate: CandidateConfig, problem: Problem, withTf: boolean) {
  const context = contextFor(problem, withTf ? tf : undefined);
  const estimator = createEstimator(candidate, context);
  await estimator.fit(problem.train);
  const before = await estimator.predict(problem.test);
  const dir = tempDir();
  const files = await saveEstimator(
    estimator,
    {
      task: context.task,
      inputShape: context.inputShape,
      outputUnits: context.outputUnits,
      classes: context.classes,
      seed: context.seed,
    },
    dir,
  );
  estimator.dispose();
  const loaded = await loadEstimator(dir, { tf: withTf ? tf : undefined });
  const after = await loaded.predict(problem.test);
  loaded.dispose();
  return { before, after, files, dir };
}

function assertClose(actual: Float32Array, expected: Float32Array): void {
  assert.equal(actual.length, expected.length);
  for (let index = 0; index < expected.length; index++) {
    assert.ok(
      Math.abs(actual[index] - expected[index]) <= 1e-6,
      `value ${index}: ${actual[index]} vs ${expected[index]}`,
    );
  }
}

describe('saveEstimator and loadEstimator', () => {
  before(async () => {
    await loadBackend('cpu');
  });

  it('gives an mlp classifier the same probabilities after loading, from model.json and weights.bin', async () => {
    const {
      before: expected,
      after,
      files,
    } = await roundTrip({ name: 'net', model: 'mlp', layers: [6], epochs: 3 }, blobs(3), true);
    assert.deepEqual(files, ['estimator.json', 'model.json', 'weights.bin']);
    assertClose(after, expected);
  });

  it('restores the target scaling of a regression network', async () => {
    const { before: expected, after } = await roundTrip(
      { name: 'net', model: 'mlp', layers: [4], epochs: 2 },
      plane(),
      true,
    );
    assertClose(after, expected);
  });

  it('reloads a recurrent network over windows', async () => {
    const { before: expected, after } = await roundTrip(
      { name: 'rnn', model: 'gru', units: [4], epochs: 2 },
      sine(),
      true,
    );
    assertClose(after, expected);
  });

  it("records a time-series network's change forecasting and adds persistence back after loading", async () => {
    const problem = sine();
    const {
      before: expected,
      after,
      dir,
    } = await roundTrip(
      { name: 'rnn', model: 'lstm', units: [4], epochs: 2, forecast: 'change' },
      problem,
      true,
    );
    assertClose(after, expected);
    const file = join(dir, ESTIMATOR_FILE);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as {
      params: { forecast?: string };
      network: { forecast?: string };
    };
    assert.equal(saved.params.forecast, 'change');
    assert.equal(saved.network.forecast, 'change');
    // A bundle saved before the flag existed forecasts levels: the same network, without persistence added.
    writeFileSync(file, JSON.stringify({ ...saved, network: { ...saved.network, forecast: undefined } }));
    const level = await loadEstimator(dir, { tf });
    const raw = await level.predict(problem.test);
    level.dispose();
    const persistence = problem.test.persistence!;
    assertClose(
      raw.map((value, index) => value + persistence[index]),
      expected,
    );
  });

  for (const [label, candidate, problem] of [
    ['knn', { name: 'knn', model: 'knn', k: 3 }, blobs(3)],
    ['random-forest classifier', { name: 'rf', model: 'random-forest', trees: 5 }, blobs(3)],
    ['random-forest regression', { name: 'rf', model: 'random-forest', trees: 5 }, plane()],
    ['decision-tree', { name: 'tree', model: 'decision-tree', maxDepth: 4 }, blobs(2)],
    ['naive-bayes', { name: 'nb', model: 'naive-bayes' }, blobs(3)],
    ['baseline classifier', { name: 'base', model: 'baseline' }, blobs(3)],
    ['baseline regression', { name: 'base', model: 'baseline' }, plane()],
  ] as Array<[string, CandidateConfig, Problem]>) {
    it(`gives a ${label} the same predictions after loading, without TensorFlow.js`, async () => {
      const { before: expected, after, files } = await roundTrip(candidate, problem, false);
      assert.deepEqual(files, ['estimator.json']);
      assertClose(after, expected);
    });
  }

  it('refuses truncated weights with BUNDLE_INVALID naming weights.bin', async () => {
    const { dir } = await roundTrip({ name: 'net', model: 'mlp', layers: [3], epochs: 1 }, blobs(2), true);
    const weights = join(dir, WEIGHTS_FILE);
    writeFileSync(weights, readFileSync(weights).subarray(0, 10));
    await assert.rejects(
      () => loadEstimator(dir, { tf }),
      (error: unknown) =>
        error instanceof TopdownError && error.code === 'BUNDLE_INVALID' && error.file === weights,
    );
  });

  it('refuses an estimator.json from a newer Topdown with SCHEMA_TOO_NEW', async () => {
    const { dir } = await roundTrip({ name: 'knn', model: 'knn' }, blobs(2), false);
    const file = join(dir, ESTIMATOR_FILE);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { version: number };
    writeFileSync(file, JSON.stringify({ ...saved, version: 99 }));
    await assert.rejects(
      () => loadEstimator(dir),
      (error: unknown) =>
        error instanceof TopdownError && error.code === 'SCHEMA_TOO_NEW' && error.file === file,
    );
  });
});

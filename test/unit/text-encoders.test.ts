/**
 * The embedding model's encoders (average, conv, lstm, gru): each zoo network trains in the typed-array loop,
 * tells two vocabularies apart and predicts the same once saved and loaded; the encoder's own parameters get their defaults, and one given to another encoder
 * is refused by the zoo and by the project checks, at its field.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { CandidateConfig, EmbeddingEncoder } from '../../src/core/config';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopdownError } from '../../src/core/errors';
import { loadEstimator, saveEstimator } from '../../src/core/models/persist';
import { loopTrainerFor } from '../../src/core/models/loop/trainer';
import { prepareLoopKernels } from '../../src/core/models/loop/gemm-simd';
import { resolveTraining } from '../../src/core/models/resolve';
import { createEstimator, resolveCandidate } from '../../src/core/models/zoo';
import { validateProjectText } from '../../src/core/project';
import { accuracy, contextFor, tokenSequences } from '../fixtures/models/datasets';
import { assertClose } from '../helpers/close';

type EmbeddingCandidate = Extract<CandidateConfig, { model: 'embedding' }>;

/** The fitted tfjs network of an estimator (what saving and prediction use). */
function networkOf(estimator: unknown): tf.LayersModel {
  return (estimator as { exportFitted(): { model: tf.LayersModel } }).exportFitted().model;
}

describe('embedding encoders in the zoo', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await prepareLoopKernels();
  });

  const cases: Array<{ encoder: EmbeddingEncoder; layers: string[]; extra: Partial<EmbeddingCandidate> }> = [
    {
      encoder: 'conv',
      layers: ['Embedding', 'Conv1D', 'GlobalMaxPooling1D', 'Dense'],
      extra: { filters: 6 },
    },
    { encoder: 'lstm', layers: ['Embedding', 'LSTM', 'Dense'], extra: { units: 6 } },
    { encoder: 'gru', layers: ['Embedding', 'GRU', 'Dense'], extra: { units: 6 } },
  ];
  for (const { encoder, layers, extra } of cases) {
    it(`${encoder}: builds ${layers.join(' → ')}, which the loop trains, and learns two vocabularies apart`, async () => {
      const problem = tokenSequences();
      const context = contextFor(problem, tf, 3);
      const candidate: EmbeddingCandidate = {
        name: 'words',
        model: 'embedding',
        encoder,
        embeddingDim: 6,
        epochs: 12,
        ...extra,
      };
      const estimator = createEstimator(candidate, context);
      const fit = await estimator.fit(problem.train);
      assert.equal(fit.history.length, 12);
      const network = networkOf(estimator);
      assert.deepEqual(
        network.layers.map((layer) => layer.getClassName()),
        layers,
      );
      assert.deepEqual(network.outputs[0].shape, [null, 2]);
      const training = resolveTraining(resolveCandidate(candidate, 'binary') as EmbeddingCandidate);
      assert.ok(loopTrainerFor(network, training, true), 'the typed-array loop takes the network');
      const predicted = await estimator.predict(problem.test);
      const dir = mkdtempSync(join(tmpdir(), `topdown-${encoder}-`));
      await saveEstimator(estimator, contextFor(problem, undefined, 3), dir);
      estimator.dispose();
      const loaded = await loadEstimator(dir, { tf });
      assertClose(await loaded.predict(problem.test), predicted, 'the saved model');
      loaded.dispose();
      const score = accuracy(predicted, problem.test, 2);
      assert.ok(score >= 0.85, `accuracy ${score}`);
    });
  }

  it("trains an lstm encoder through tfjs' fit where the loop does not (rmsprop), and it still learns", async () => {
    const problem = tokenSequences();
    const context = contextFor(problem, tf, 3);
    const candidate: EmbeddingCandidate = {
      name: 'words',
      model: 'embedding',
      encoder: 'lstm',
      embeddingDim: 6,
      units: 6,
      optimizer: 'rmsprop',
      epochs: 12,
    };
    const estimator = createEstimator(candidate, context);
    let fitCalls = 0;
    const originalFit = tf.LayersModel.prototype.fit;
    tf.LayersModel.prototype.fit = function (this: tf.LayersModel, ...args: Parameters<typeof originalFit>) {
      fitCalls++;
      return originalFit.apply(this, args);
    };
    try {
      await estimator.fit(problem.train);
    } finally {
      tf.LayersModel.prototype.fit = originalFit;
    }
    assert.equal(fitCalls, 1, "tfjs' fit trained it");
    const score = accuracy(await estimator.predict(problem.test), problem.test, 2);
    estimator.dispose();
    assert.ok(score >= 0.85, `accuracy ${score}`);
  });

  it('fills in the encoder’s own parameters only', () => {
    const resolve = (encoder?: EmbeddingEncoder) =>
      resolveCandidate({ name: 'words', model: 'embedding', ...(encoder ? { encoder } : {}) });
    const average = resolve();
    assert.equal((average as EmbeddingCandidate).encoder, 'average');
    for (const name of ['filters', 'kernelSize', 'units']) assert.ok(!(name in average), name);
    const conv = resolve('conv') as EmbeddingCandidate;
    assert.deepEqual([conv.filters, conv.kernelSize, conv.units], [64, 5, undefined]);
    assert.equal((resolve('gru') as EmbeddingCandidate).units, 32);
    const given = resolveCandidate({ name: 'w', model: 'embedding', encoder: 'conv', filters: 8 });
    assert.equal((given as EmbeddingCandidate).filters, 8);
  });

  it('defaults the learning rate by encoder: 0.01 to pool, 0.001 for a recurrent layer; a given one is kept', () => {
    const rate = (candidate: EmbeddingCandidate): number | undefined =>
      (resolveCandidate(candidate) as EmbeddingCandidate).learningRate;
    assert.equal(rate({ name: 'w', model: 'embedding' }), 0.01);
    assert.equal(rate({ name: 'w', model: 'embedding', encoder: 'conv' }), 0.01);
    assert.equal(rate({ name: 'w', model: 'embedding', encoder: 'lstm' }), 0.001);
    assert.equal(rate({ name: 'w', model: 'embedding', encoder: 'gru' }), 0.001);
    assert.equal(rate({ name: 'w', model: 'embedding', encoder: 'lstm', learningRate: 0.02 }), 0.02);
  });

  it('refuses a parameter of another encoder, naming it and the encoder it belongs to', () => {
    const problem = tokenSequences();
    const context = contextFor(problem, tf, 3);
    const refused: Array<[EmbeddingCandidate, RegExp]> = [
      [
        { name: 'w', model: 'embedding', filters: 8 },
        /`filters` applies to encoder `conv` only \(encoder is `average`\)/,
      ],
      [
        { name: 'w', model: 'embedding', encoder: 'conv', units: 8 },
        /`units` applies to encoder `lstm` or `gru` only/,
      ],
      [
        { name: 'w', model: 'embedding', encoder: 'lstm', kernelSize: 3 },
        /`kernelSize` applies to encoder `conv`/,
      ],
    ];
    for (const [candidate, message] of refused)
      assert.throws(
        () => createEstimator(candidate, context),
        (error: unknown) =>
          error instanceof TopdownError && error.code === 'MODEL_INVALID' && message.test(error.message),
        JSON.stringify(candidate),
      );
  });
});

/** A text project whose candidates are `candidates` (JSON lines). */
function textProject(candidates: string[]): string {
  return [
    '{',
    '  "problem": { "data": "d.csv", "target": "label", "task": "binary" },',
    '  "prepare": [{ "op": "sequences", "columns": ["text"], "length": 50 }],',
    '  "evaluate": {',
    '    "validation": { "scheme": "stratified-kfold", "folds": 5 },',
    '    "candidates": [',
    ...candidates,
    '    ]',
    '  }',
    '}',
  ].join('\n');
}

describe('embedding encoders in topdown.json', () => {
  it('accepts each encoder with its own parameters', () => {
    const text = textProject([
      '      { "name": "avg", "model": "embedding" },',
      '      { "name": "cnn", "model": "embedding", "encoder": "conv", "filters": 32, "kernelSize": 3 },',
      '      { "name": "lstm", "model": "embedding", "encoder": "lstm", "units": 16 },',
      '      { "name": "gru", "model": "embedding", "encoder": "gru" }',
    ]);
    assert.deepEqual(
      validateProjectText(text, 'topdown.json').filter((problem) => problem.severity === 'error'),
      [],
    );
  });

  it('points at a parameter given for another encoder', () => {
    const text = textProject([
      '      { "name": "cnn", "model": "embedding", "encoder": "lstm", "filters": 32 }',
    ]);
    const errors = validateProjectText(text, 'topdown.json').filter(
      (problem) => problem.severity === 'error',
    );
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].field, '/evaluate/candidates/0/filters');
    assert.match(errors[0].message, /`filters` applies to encoder `conv` only \(encoder is `lstm`\)/);
    assert.equal(errors[0].line, 7);
  });

  it('names the encoders when one is unknown', () => {
    const text = textProject(['      { "name": "bad", "model": "embedding", "encoder": "transformer" }']);
    const errors = validateProjectText(text, 'topdown.json').filter(
      (problem) => problem.severity === 'error',
    );
    assert.equal(errors[0]?.field, '/evaluate/candidates/0/encoder', JSON.stringify(errors));
    assert.match(errors[0].message, /average, conv, lstm, gru/);
  });
});

/**
 * Diverged training (learningRate 1e30 on a tiny dataset): the network's weights or predictions are no longer
 * finite numbers, so step 5 writes no bundle from it, and predict never writes a NaN probability.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TopdownError } from '../../src/core/errors';
import { readBundle, type LoadedBundle } from '../../src/core/present/bundle';
import { predictInput } from '../../src/core/present/predict';
import type { Estimator } from '../../src/core/models/types';
import { RunStore } from '../../src/core/runs/store';
import { presentJob } from '../../src/runner/jobs/present';
import { memoryReporter } from '../../src/runner/reporter';
import { binaryProject, tempDir, writeBinaryCsv, writeProject } from '../helpers/cli';
import { rejectsWith } from '../helpers/errors';
import { recordCompletedRun } from '../helpers/runs';

const EXPLODING = { name: 'exploding', model: 'mlp', layers: [8], epochs: 5, learningRate: 1e30 };

describe('a diverged network', () => {
  it('fails step 5 with DIVERGED and a hint, and leaves no bundle', async () => {
    const dir = writeProject(
      tempDir('diverged'),
      binaryProject([EXPLODING], { present: { candidate: 'exploding' } }),
    );
    writeBinaryCsv(join(dir, 'data', 'data.csv'), 40);
    await recordCompletedRun(dir, 'evaluate', EXPLODING, [0.9, 0.9, 0.9]);
    // Which check fires first depends on the training loop's arithmetic: a NaN loss (LOSS_NAN), or a finite loss
    // with non-finite weights or predictions (DIVERGED). Either way the run fails and no bundle is written.
    const error = await presentJob(dir, { backend: 'cpu', workers: 1, reporter: memoryReporter() }).then(
      () => assert.fail('present should fail'),
      (thrown: unknown) => thrown as TopdownError,
    );
    assert.ok(error instanceof TopdownError, String(error));
    assert.ok(['DIVERGED', 'LOSS_NAN'].includes(error.code), error.code);
    assert.match(error.message, /diverged/);
    assert.match(error.hint ?? '', /Lower the learning rate/);
    assert.deepEqual(readdirSync(join(dir, 'models')), [], 'no bundle and no staging folder');
    const [present] = new RunStore(dir).list({ step: 'present' });
    assert.equal(present.status, 'failed');
    assert.equal(new RunStore(dir).get(present.id).error?.code, error.code);
  });
});

describe('predict from a bundle whose model predicts NaN', () => {
  it('refuses with DIVERGED naming the input row instead of writing NaN probabilities', async () => {
    const dir = writeProject(
      tempDir('diverged-predict'),
      binaryProject([{ name: 'knn', model: 'knn', k: 3 }], { present: { candidate: 'knn' } }),
    );
    writeBinaryCsv(join(dir, 'data', 'data.csv'), 40);
    await recordCompletedRun(dir, 'evaluate', { name: 'knn', model: 'knn', k: 3 }, [0.9, 0.9, 0.9]);
    const presented = await presentJob(dir, { backend: 'cpu', workers: 1, reporter: memoryReporter() });
    const bundle = readBundle(presented.bundle) as LoadedBundle;
    const input = join(dir, 'input.csv');
    const rows = readFileSync(join(dir, 'data', 'data.csv'), 'utf8')
      .split('\n')
      .slice(0, 6);
    writeFileSync(input, rows.join('\n') + '\n');
    const nanAtThirdRow: Estimator = {
      kind: 'mlp',
      getParams: () => ({}),
      fit: () => Promise.reject(new Error('not used')),
      predict: (data) =>
        Promise.resolve(
          Float32Array.from({ length: data.xShape[0] * 2 }, (_, index) => (index === 5 ? NaN : 0.5)),
        ),
      dispose: () => undefined,
    };
    const error = await rejectsWith('DIVERGED', () => predictInput(bundle, nanAtThirdRow, input));
    assert.equal(error.file, input);
    assert.equal(error.row, 4, 'the third data row, after the header');
    assert.ok(!existsSync(join(dir, 'predictions.csv')));
  });
});

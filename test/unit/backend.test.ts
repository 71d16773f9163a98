import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CandidateConfig } from '../../src/core/config';
import { TopdownError } from '../../src/core/errors';
import { createEstimator } from '../../src/core/models/zoo';
import { loadBackend, setTrainingSeed } from '../../src/runner/backend';
import { contextFor, halves, sine, type Problem } from '../fixtures/models/datasets';

const ROOT = join(__dirname, '..', '..');

/** Whether the native backend package is installed beside Topdown on this machine (it usually cannot be). */
function nativeInstalled(): boolean {
  try {
    createRequire(join(ROOT, 'package.json')).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

/** A project folder whose node_modules holds a broken @tensorflow/tfjs-node, as after a failed binary download. */
function projectWithBrokenNative(): string {
  const project = mkdtempSync(join(tmpdir(), 'topdown-backend-'));
  const packageDir = join(project, 'node_modules', '@tensorflow', 'tfjs-node');
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(join(project, 'package.json'), '{"name":"project"}');
  writeFileSync(join(packageDir, 'package.json'), '{"name":"@tensorflow/tfjs-node","main":"index.js"}');
  writeFileSync(
    join(packageDir, 'index.js'),
    "throw new Error('libtensorflow.so.2: cannot open shared object file');\n",
  );
  return project;
}

async function expectUnavailable(work: () => Promise<unknown>): Promise<TopdownError> {
  try {
    await work();
  } catch (error) {
    assert.ok(error instanceof TopdownError);
    assert.equal(error.code, 'BACKEND_UNAVAILABLE');
    return error;
  }
  assert.fail('expected BACKEND_UNAVAILABLE');
}

describe('loadBackend', () => {
  it('auto picks wasm when tfjs-node is missing, and says how to add it', async (context) => {
    const project = mkdtempSync(join(tmpdir(), 'topdown-backend-'));
    const { tf, info } = await loadBackend('auto', { projectDir: project });
    if (nativeInstalled()) {
      context.diagnostic('@tensorflow/tfjs-node is installed here, so auto picks it');
      assert.equal(info.name, 'tensorflow');
      return;
    }
    assert.equal(info.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(info.tfjsVersion, tf.version.tfjs);
    assert.deepEqual(info.reasons, [
      'tensorflow: @tensorflow/tfjs-node is not installed; run `topdown install native` to add it',
    ]);
  });

  it('looks in the project first and reports a tfjs-node that fails to load', async () => {
    const { info } = await loadBackend('auto', { projectDir: projectWithBrokenNative() });
    assert.equal(info.name, 'wasm');
    assert.match(
      info.reasons[0],
      /^tensorflow: @tensorflow\/tfjs-node is installed but failed to load \(libtensorflow\.so\.2/,
    );
  });

  it('throws BACKEND_UNAVAILABLE for a forced tensorflow backend that cannot load', async () => {
    const error = await expectUnavailable(() =>
      loadBackend('tensorflow', { projectDir: projectWithBrokenNative() }),
    );
    assert.match(error.message, /tfjs-node is installed but failed to load/);
    assert.match(error.hint ?? '', /topdown install native/);
  });

  it('throws BACKEND_UNAVAILABLE for forced wasm when the .wasm files are missing, naming the folder', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'topdown-wasm-'));
    const error = await expectUnavailable(() => loadBackend('wasm', { wasmDir: empty }));
    assert.ok(error.message.includes(empty), error.message);
  });

  it('falls back to cpu in auto when wasm cannot start', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'topdown-wasm-'));
    const { tf, info } = await loadBackend('auto', { projectDir: empty, wasmDir: empty });
    if (nativeInstalled()) return;
    assert.equal(info.name, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    assert.equal(info.reasons.length, 2);
    assert.match(info.reasons[1], /^wasm: tfjs-backend-wasm-simd\.wasm was not found/);
  });

  it('prints nothing on stdout or stderr while loading and training on cpu and wasm', () => {
    const script = [
      "const { loadBackend } = require('./src/runner/backend');",
      '(async () => {',
      "  for (const name of ['cpu', 'wasm']) {",
      '    const { tf } = await loadBackend(name);',
      '    tf.tensor([1, 2, 3]).square().dataSync();',
      '  }',
      '})();',
    ].join('\n');
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, '');
  });
});

describe('setTrainingSeed', () => {
  it('makes Math.random repeat for the same seed', () => {
    const previous = Math.random;
    try {
      setTrainingSeed(42);
      const first = [Math.random(), Math.random()];
      setTrainingSeed(42);
      assert.deepEqual([Math.random(), Math.random()], first);
      setTrainingSeed(43);
      assert.notDeepEqual([Math.random(), Math.random()], first);
    } finally {
      Math.random = previous;
    }
  });
});

describe('training on wasm', () => {
  const cases: Array<[CandidateConfig, Problem]> = [
    [{ name: 'conv', model: 'cnn', filters: [4, 4], dense: [4], dropout: 0.1, epochs: 1 }, halves()],
    [{ name: 'rnn', model: 'lstm', units: [4, 3], dropout: 0.1, epochs: 1 }, sine()],
    [{ name: 'rnn', model: 'gru', units: [4], dense: [3], epochs: 1 }, sine()],
  ];
  for (const [candidate, problem] of cases) {
    it(`trains a ${candidate.model} one epoch with finite loss and predictions`, async () => {
      const { tf, info } = await loadBackend('wasm');
      assert.equal(info.name, 'wasm');
      const estimator = createEstimator(candidate, contextFor(problem, tf));
      const result = await estimator.fit(problem.train, { validation: problem.test });
      const predictions = await estimator.predict(problem.test);
      estimator.dispose();
      assert.ok(Number.isFinite(result.history[0].loss) && Number.isFinite(result.history[0].val_loss));
      assert.equal(predictions.length, problem.test.xShape[0] * problem.outputUnits);
      assert.ok(predictions.every(Number.isFinite));
    });
  }
});

import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CandidateConfig } from '../../src/core/config';
import { TopdownError } from '../../src/core/errors';
import type { TF } from '../../src/core/models/types';
import { createEstimator } from '../../src/core/models/zoo';
import { loadBackend, setTrainingSeed } from '../../src/runner/backend';
import {
  findGpu,
  findWebgpuPackage,
  summariseAdapter,
  type GpuLookup,
} from '../../src/runner/backend-webgpu';
import { installGpu, WEBGPU_SPEC } from '../../src/runner/commands/install';
import { blobs, contextFor, halves, type Problem } from '../fixtures/models/datasets';
import { projectWithWebgpu } from '../helpers/webgpu';

/** Largest absolute difference between two equally long arrays. */
function largestGap(left: ArrayLike<number>, right: ArrayLike<number>): number {
  assert.equal(left.length, right.length);
  let gap = 0;
  for (let index = 0; index < left.length; index++) gap = Math.max(gap, Math.abs(left[index] - right[index]));
  return gap;
}

/** A few epochs of a zoo model from the same seed: per-epoch losses and the predictions on the test part. */
async function train(
  tf: TF,
  candidate: CandidateConfig,
  problem: Problem,
): Promise<{ losses: number[]; predictions: Float32Array }> {
  setTrainingSeed(5);
  const estimator = createEstimator(candidate, contextFor(problem, tf, 13));
  try {
    const result = await estimator.fit(problem.train);
    return {
      losses: result.history.map((logs) => logs.loss),
      predictions: await estimator.predict(problem.test),
    };
  } finally {
    estimator.dispose();
  }
}

async function unavailable(work: () => Promise<unknown>): Promise<TopdownError> {
  try {
    await work();
  } catch (error) {
    assert.ok(error instanceof TopdownError, String(error));
    assert.equal(error.code, 'BACKEND_UNAVAILABLE');
    return error;
  }
  assert.fail('expected BACKEND_UNAVAILABLE');
}

/** A project whose node_modules holds a `webgpu` that fails to load, as with a binary for another platform. */
function projectWithBrokenWebgpu(): string {
  return projectWithWebgpu("throw new Error('dawn.node: invalid ELF header');\n");
}

describe('the webgpu backend', () => {
  let gpu: GpuLookup;
  before(async () => {
    gpu = await findGpu(undefined);
  });

  it('trains a dense and a conv model to the cpu backend’s numbers, or says why no GPU can be used', async (context) => {
    const cases: Array<[CandidateConfig, Problem]> = [
      // rmsprop keeps cpu on tfjs' own training loop (Adam and SGD MLPs and CNNs take Topdown's typed-array loop there).
      [
        { name: 'dense', model: 'mlp', layers: [8, 4], epochs: 2, batchSize: 32, optimizer: 'rmsprop' },
        blobs(3),
      ],
      [
        {
          name: 'conv',
          model: 'cnn',
          filters: [4],
          dense: [6],
          epochs: 2,
          batchSize: 40,
          optimizer: 'rmsprop',
        },
        halves(),
      ],
    ];
    if (!gpu.ok) {
      // No Vulkan device here (CI installs Mesa's llvmpipe so that the comparison below runs).
      const error = await unavailable(() => loadBackend('webgpu'));
      assert.ok(error.message.includes(gpu.reason), error.message);
      assert.match(error.hint ?? '', /topdown install gpu/);
      return;
    }
    const expected: Array<Awaited<ReturnType<typeof train>>> = [];
    const { tf: cpu } = await loadBackend('cpu');
    for (const [candidate, problem] of cases) expected.push(await train(cpu, candidate, problem));
    const { tf, info } = await loadBackend('webgpu');
    assert.equal(tf.getBackend(), 'webgpu');
    assert.equal(info.device, gpu.adapter.description);
    for (const [index, [candidate, problem]] of cases.entries()) {
      const actual = await train(tf, candidate, problem);
      assert.equal(actual.losses.length, expected[index].losses.length);
      // float32 on another device may sum in another order; llvmpipe matches cpu to the last bit or two.
      const lossGap = largestGap(actual.losses, expected[index].losses);
      assert.ok(lossGap < 1e-4 * expected[index].losses[0], `${candidate.name}: losses differ by ${lossGap}`);
      const predictionGap = largestGap(actual.predictions, expected[index].predictions);
      context.diagnostic(
        `${candidate.name} on ${info.device}: loss gap ${lossGap}, prediction gap ${predictionGap}`,
      );
      assert.ok(predictionGap < 1e-3, `${candidate.name}: predictions differ by ${predictionGap}`);
      // Training moved the weights: the comparison is not of two untrained models.
      assert.ok(
        expected[index].losses[0] - expected[index].losses.at(-1)! > 1e-3,
        `${candidate.name} learned`,
      );
    }
    await loadBackend('cpu');
  });

  it('resolves the webgpu package from the project before Topdown’s own', () => {
    const project = projectWithBrokenWebgpu();
    assert.equal(findWebgpuPackage(project), join(project, 'node_modules', 'webgpu', 'index.js'));
  });

  it('throws BACKEND_UNAVAILABLE naming the package when the project’s webgpu fails to load', async () => {
    const error = await unavailable(() => loadBackend('webgpu', { projectDir: projectWithBrokenWebgpu() }));
    assert.match(
      error.message,
      /webgpu package is installed but failed to load \(dawn\.node: invalid ELF header\)/,
    );
    assert.match(error.hint ?? '', /topdown install gpu/);
  });

  it('tells a software renderer from a GPU, so auto does not measure llvmpipe', () => {
    const llvmpipe = summariseAdapter({
      info: { vendor: 'mesa', architecture: '', description: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6) 0.0.1' },
    });
    assert.equal(llvmpipe.software, true);
    const nvidia = summariseAdapter({
      info: { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB HBM3' },
    });
    assert.deepEqual(nvidia, {
      description: 'NVIDIA H100 80GB HBM3',
      vendor: 'nvidia',
      architecture: 'hopper',
      software: false,
    });
    assert.equal(
      summariseAdapter({ info: { device: 'Basic Render' }, isFallbackAdapter: true }).software,
      true,
    );
    if (gpu.ok && /llvmpipe/.test(gpu.adapter.description)) assert.equal(gpu.adapter.software, true);
  });
});

describe('topdown install gpu', () => {
  it('refuses a folder without topdown.json, naming it, before running npm', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'topdown-install-'));
    const events: unknown[] = [];
    await assert.rejects(installGpu(folder, { emit: (event) => events.push(event) }), (error: unknown) => {
      assert.ok(error instanceof TopdownError);
      assert.equal(error.code, 'PROJECT_NOT_FOUND');
      assert.equal(error.file, folder);
      assert.ok(error.message.includes(folder));
      return true;
    });
    assert.deepEqual(events, []);
  });

  it('installs the Dawn binding version the backend was tested with', () => {
    assert.equal(
      WEBGPU_SPEC,
      `webgpu@${JSON.parse(readFileSync(join(findWebgpuPackage(undefined)!, '..', 'package.json'), 'utf8')).version}`,
    );
  });
});

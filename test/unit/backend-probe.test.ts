import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CandidateConfig } from '../../src/core/config';
import { resolveCandidate } from '../../src/core/models/zoo';
import type { BackendName } from '../../src/protocol/records';
import {
  chooseBackend,
  findAccelerators,
  measureInWorkers,
  probeShapeKey,
  withProbe,
  type Measure,
  type ProbeOptions,
  type ProbeRequest,
} from '../../src/runner/backend-probe';
import { scaffoldTemplate } from '../../src/runner/scaffold';

const cnn: CandidateConfig = { name: 'cnn', model: 'cnn', filters: [32, 64], epochs: 10, batchSize: 200 };
const mlp: CandidateConfig = { name: 'mlp', model: 'mlp', layers: [60, 30], epochs: 100, batchSize: 5 };
const knn: CandidateConfig = { name: 'knn', model: 'knn', k: 5 };

function request(candidates: CandidateConfig[], overrides: Partial<ProbeRequest> = {}): ProbeRequest {
  return {
    projectDir: mkdtempSync(join(tmpdir(), 'topdown-probe-')),
    candidates,
    trainRows: Array.from({ length: 10_000 }, (_, index) => index),
    validationRows: [],
    seed: 7,
    folds: 10,
    shapeKey: 'digits',
    ...overrides,
  };
}

/** A measure that answers from a table of samples/s per backend and candidate, counting its calls. */
function fakeMeasure(
  speeds: Record<string, Partial<Record<BackendName, number>>>,
): Measure & { calls: string[]; budgets: Array<number | undefined> } {
  const calls: string[] = [];
  const budgets: Array<number | undefined> = [];
  const measure = async (backend: BackendName, candidates: CandidateConfig[], budgetMs?: number) => {
    calls.push(`${backend}:${candidates.map((candidate) => candidate.name).join(',')}`);
    budgets.push(budgetMs);
    return candidates.map((candidate) => {
      const samplesPerSecond = speeds[candidate.name]?.[backend];
      if (samplesPerSecond === undefined) throw new Error(`${backend}: not measured (failed to start)`);
      return { samplesPerSecond, ms: 400 };
    });
  };
  return Object.assign(measure, { calls, budgets });
}

const gpuMachine = (cacheFile: string): ProbeOptions => ({
  cacheFile,
  cores: 2,
  accelerators: { names: ['webgpu'], reasons: [], fingerprint: 'webgpu 0.6.2 NVIDIA H200' },
});

function cacheIn(job: ProbeRequest): string {
  return join(job.projectDir, 'runs', '.backend-cache.json');
}

describe('chooseBackend', () => {
  it('picks webgpu for a large CNN and records every measurement, fastest first', async () => {
    const job = request([cnn, knn]);
    const measure = fakeMeasure({ cnn: { webgpu: 5600, wasm: 530 } });
    const choice = await chooseBackend(job, { ...gpuMachine(cacheIn(job)), measure });
    assert.equal(choice.backend, 'webgpu');
    assert.deepEqual(choice.probe, [
      { backend: 'webgpu', samplesPerSecond: 5600, ms: 400, candidate: 'cnn' },
      { backend: 'wasm', samplesPerSecond: 530, ms: 400, candidate: 'cnn' },
    ]);
    assert.deepEqual(measure.calls, ['wasm:cnn', 'webgpu:cnn']);
    assert.match(
      choice.reasons.at(-1)!,
      /auto measured now: estimated training time webgpu ~.*, wasm ~.*; chose webgpu/,
    );
  });

  it('keeps wasm for a small MLP at batch 5, where the GPU is slower', async () => {
    const job = request([mlp]);
    const choice = await chooseBackend(job, {
      ...gpuMachine(cacheIn(job)),
      measure: fakeMeasure({ mlp: { webgpu: 245, wasm: 3400, cpu: 2000 } }),
    });
    assert.equal(choice.backend, 'wasm');
    assert.deepEqual(
      choice.probe?.map((entry) => entry.backend),
      ['wasm', 'webgpu'],
    );
  });

  it('counts the workers each backend runs in parallel: two wasm workers beat one slightly faster GPU', async () => {
    const speeds = { cnn: { webgpu: 900, wasm: 600 } };
    const parallel = request([cnn]);
    const choice = await chooseBackend(parallel, {
      ...gpuMachine(cacheIn(parallel)),
      measure: fakeMeasure(speeds),
    });
    assert.equal(choice.backend, 'wasm');
    const single = request([cnn], { workers: 1 });
    const forced = await chooseBackend(single, {
      ...gpuMachine(cacheIn(single)),
      measure: fakeMeasure(speeds),
    });
    assert.equal(forced.backend, 'webgpu');
  });

  it('measures once per model shape and batch size, then answers from runs/.backend-cache.json', async () => {
    const job = request([cnn]);
    const first = fakeMeasure({ cnn: { webgpu: 5600, wasm: 530 } });
    const measured = await chooseBackend(job, { ...gpuMachine(cacheIn(job)), measure: first });
    assert.ok(existsSync(cacheIn(job)));
    assert.ok(measured.probeMs >= 0);

    const second = fakeMeasure({});
    const cached = await chooseBackend(
      { ...job, candidates: [{ ...cnn, name: 'renamed', epochs: 30 }] },
      { ...gpuMachine(cacheIn(job)), measure: second },
    );
    assert.deepEqual(second.calls, []);
    assert.equal(cached.backend, 'webgpu');
    assert.equal(cached.probeMs, 0);
    assert.match(cached.reasons.at(-1)!, /measured earlier/);

    const third = fakeMeasure({ cnn: { webgpu: 4000, wasm: 500 } });
    await chooseBackend(
      { ...job, candidates: [{ ...cnn, batchSize: 32 }] },
      { ...gpuMachine(cacheIn(job)), measure: third },
    );
    assert.deepEqual(third.calls, ['wasm:cnn', 'webgpu:cnn']);
    const stored = JSON.parse(readFileSync(cacheIn(job), 'utf8')) as { entries: Record<string, unknown[]> };
    assert.equal(Object.keys(stored.entries).length, 2);
  });

  it('gives a GPU at most 5% of the job’s wasm time to measure, and at least 10 s', async () => {
    const long = request([{ ...cnn, epochs: 100 }]);
    const measure = fakeMeasure({ cnn: { webgpu: 5600, wasm: 500 } });
    await chooseBackend(long, { ...gpuMachine(cacheIn(long)), measure });
    // wasm: 100 epochs x 10,000 rows x 10 folds / 500 samples/s / 2 workers = 10,000 s; 5% of it is 500 s.
    assert.deepEqual(measure.budgets, [undefined, 500_000]);
    const short = request([cnn]);
    const shortMeasure = fakeMeasure({ cnn: { webgpu: 5600, wasm: 10_000 } });
    await chooseBackend(short, { ...gpuMachine(cacheIn(short)), measure: shortMeasure });
    assert.deepEqual(shortMeasure.budgets, [undefined, 10_000]);
  });

  it('does not measure a GPU for a job that trains in seconds on wasm', async () => {
    const job = request([cnn]);
    const measure = fakeMeasure({ cnn: { webgpu: 5600, wasm: 53_000 } });
    const choice = await chooseBackend(job, { ...gpuMachine(cacheIn(job)), measure });
    assert.deepEqual(measure.calls, ['wasm:cnn']);
    assert.equal(choice.backend, 'wasm');
    assert.ok(
      choice.reasons.some((reason) =>
        /^webgpu: not measured: the job trains in about 9\.4 s on wasm/.test(reason),
      ),
      choice.reasons.join('\n'),
    );
  });

  it('measures nothing for a job of few samples', async () => {
    const job = request([{ ...cnn, epochs: 1 }, knn]);
    const measure = fakeMeasure({});
    const choice = await chooseBackend(job, { ...gpuMachine(cacheIn(job)), measure });
    assert.equal(choice.backend, 'auto');
    assert.deepEqual(measure.calls, []);
    assert.match(choice.reasons.at(-1)!, /^auto did not measure: the job trains 100,000 samples/);
  });

  it('does not measure cpu for Adam MLPs, which train in the same JavaScript loop on wasm and cpu', async () => {
    const job = request([mlp]);
    const measure = fakeMeasure({});
    const choice = await chooseBackend(job, {
      cacheFile: cacheIn(job),
      measure,
      accelerators: { names: [], reasons: [], fingerprint: '' },
    });
    assert.equal(choice.backend, 'auto');
    assert.deepEqual(measure.calls, []);
  });

  it('measures nothing on a machine with only wasm and cpu, keeping wasm before cpu', async () => {
    const job = request([cnn, { ...mlp, batchSize: 32 }]);
    const measure = fakeMeasure({});
    const choice = await chooseBackend(job, {
      cacheFile: cacheIn(job),
      measure,
      accelerators: { names: [], reasons: ['webgpu: llvmpipe is a software renderer'], fingerprint: '' },
    });
    assert.equal(choice.backend, 'auto');
    assert.deepEqual(measure.calls, []);
    assert.deepEqual(choice.reasons, ['webgpu: llvmpipe is a software renderer']);
    assert.equal(existsSync(cacheIn(job)), false);
  });

  it('measures cpu against wasm for small dense networks at small batches on tfjs’ loop', async () => {
    const job = request([
      { ...mlp, optimizer: 'rmsprop' },
      { name: 'tiny', model: 'linear', epochs: 50, batchSize: 1, optimizer: 'adagrad' },
    ]);
    const measure = fakeMeasure({ mlp: { wasm: 700, cpu: 1300 }, tiny: { wasm: 180, cpu: 340 } });
    const choice = await chooseBackend(job, {
      cacheFile: cacheIn(job),
      cores: 2,
      measure,
      accelerators: { names: [], reasons: [], fingerprint: '' },
    });
    assert.deepEqual(measure.calls, ['wasm:mlp,tiny', 'cpu:mlp,tiny']);
    assert.equal(choice.backend, 'cpu');
  });

  it('leaves out a backend that fails while measuring, with its reason', async () => {
    const job = request([cnn]);
    const choice = await chooseBackend(job, {
      ...gpuMachine(cacheIn(job)),
      measure: fakeMeasure({ cnn: { wasm: 530 } }),
    });
    assert.equal(choice.backend, 'wasm');
    assert.ok(choice.reasons.includes('webgpu: not measured (failed to start)'), choice.reasons.join('\n'));
    assert.deepEqual(
      choice.probe?.map((entry) => entry.backend),
      ['wasm'],
    );
  });

  it('does not measure jobs without neural networks', async () => {
    const measure = fakeMeasure({});
    const job = request([knn, { name: 'tree', model: 'decision-tree' }]);
    const choice = await chooseBackend(job, { ...gpuMachine(cacheIn(job)), measure });
    assert.equal(choice.backend, 'auto');
    assert.deepEqual(measure.calls, []);
  });

  it('keys the cache on what shapes the models: problem, preparation and column count', () => {
    const problem = { data: 'data/digits.csv', target: 'label', task: 'image' as const };
    const prepare = [{ op: 'standardize' as const }];
    const key = probeShapeKey({ problem, prepare }, 65);
    assert.equal(probeShapeKey({ problem: { ...problem }, prepare: [...prepare] }, 65), key);
    assert.notEqual(probeShapeKey({ problem, prepare: [] }, 65), key);
    assert.notEqual(probeShapeKey({ problem, prepare }, 66), key);
    assert.notEqual(probeShapeKey({ problem: { ...problem, target: 'digit' }, prepare }, 65), key);
    const own = [{ op: 'minmax' as const }];
    assert.equal(probeShapeKey({ problem, prepare }, 65, []), key);
    assert.notEqual(probeShapeKey({ problem, prepare }, 65, [own]), key, "a candidate's own pipeline");
  });

  it('puts its reasons and measurements into the run record’s backend info', () => {
    const info = withProbe(
      { name: 'webgpu', reasons: [], device: 'NVIDIA H200' },
      {
        backend: 'webgpu',
        reasons: ['auto measured now: ...; chose webgpu'],
        probe: [{ backend: 'webgpu', samplesPerSecond: 5600, ms: 400 }],
        probeMs: 900,
      },
    );
    assert.deepEqual(info, {
      name: 'webgpu',
      reasons: ['auto measured now: ...; chose webgpu'],
      device: 'NVIDIA H200',
      probe: [{ backend: 'webgpu', samplesPerSecond: 5600, ms: 400 }],
    });
  });
});

describe('measuring in worker processes', () => {
  it('times a template’s own MLP on wasm and cpu in samples per second', async (context) => {
    const project = scaffoldTemplate('iris', join(mkdtempSync(join(tmpdir(), 'topdown-probe-')), 'iris'));
    const candidate = resolveCandidate({ name: 'mlp-small', model: 'mlp', layers: [8], batchSize: 16 });
    const job = request([candidate], {
      projectDir: project,
      trainRows: Array.from({ length: 120 }, (_, index) => index),
      validationRows: Array.from({ length: 30 }, (_, index) => 120 + index),
    });
    for (const backend of ['wasm', 'cpu'] as const) {
      const [measurement] = await measureInWorkers(backend, [candidate], job);
      context.diagnostic(
        `${backend}: ${Math.round(measurement.samplesPerSecond)} samples/s, ${Math.round(measurement.ms)} ms`,
      );
      assert.ok(
        Number.isFinite(measurement.samplesPerSecond) && measurement.samplesPerSecond > 0,
        `${backend}: ${measurement.samplesPerSecond}`,
      );
      assert.ok(measurement.ms > 0);
    }
  });

  it('rejects with the reason when the backend cannot start in the worker', async () => {
    const project = scaffoldTemplate('iris', join(mkdtempSync(join(tmpdir(), 'topdown-probe-')), 'iris'));
    const candidate = resolveCandidate({ name: 'mlp-small', model: 'mlp', layers: [8] });
    await assert.rejects(
      measureInWorkers('tensorflow', [candidate], request([candidate], { projectDir: project })),
      /^Error: tensorflow: not measured \(.*tfjs-node/,
    );
  });

  it('reports why webgpu is not measured when there is no hardware GPU', async (context) => {
    const found = await findAccelerators(mkdtempSync(join(tmpdir(), 'topdown-probe-')));
    context.diagnostic(found.reasons.join('; '));
    if (found.names.includes('webgpu')) {
      assert.match(found.fingerprint, /webgpu \S+ /);
    } else {
      assert.match(found.reasons.join('\n'), /^webgpu: .*(software renderer|not installed|no GPU adapter)/m);
    }
  });
});

/**
 * A model bundle is data from anywhere: loading it never runs code from it, reads only the files its manifest
 * lists, and only inside its folder. Each crafted bundle below re-signs its manifest (the SHA-256 list is in the
 * same unsigned file), as an attacker would.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { CandidateConfig } from '../../src/core/config';
import { loadEstimator, saveEstimator } from '../../src/core/models/persist';
import { createEstimator } from '../../src/core/models/zoo';
import { readBundle } from '../../src/core/present/bundle';
import { predictJob } from '../../src/runner/jobs/predict';
import { presentJob } from '../../src/runner/jobs/present';
import { memoryReporter } from '../../src/runner/reporter';
import { tempDir, writeBinaryCsv, binaryProject, writeProject } from '../helpers/cli';
import { rejectsWith } from '../helpers/errors';
import { recordCompletedRun } from '../helpers/runs';
import { blobs, contextFor } from '../fixtures/models/datasets';

interface Manifest {
  files: Array<{ path: string; bytes: number; sha256: string }>;
  [key: string]: unknown;
}

let project: string;
let bundle: string;
let input: string;

/** A copy of the presented bundle to tamper with. */
function copyBundle(name: string): string {
  const copy = join(tempDir(`crafted-${name}`), 'bundle');
  cpSync(bundle, copy, { recursive: true });
  return copy;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8')) as Manifest;
}

/** Rewrites the manifest with `files` (default: those it lists), each re-hashed where it is a readable file. */
function resign(dir: string, paths?: string[], edit: (manifest: Manifest) => void = () => undefined): void {
  const manifest = readManifest(dir);
  manifest.files = (paths ?? manifest.files.map((file) => file.path)).map((path) => {
    const file = join(dir, path);
    let bytes = 0;
    let sha256 = createHash('sha256').update('').digest('hex');
    // Regular files (or links to one) inside are hashed; never a device such as /dev/zero. Others keep placeholders.
    if (!path.startsWith('..') && existsSync(file) && statSync(file).isFile()) {
      bytes = statSync(file).size;
      sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    }
    return { path, bytes, sha256 };
  });
  edit(manifest);
  writeFileSync(join(dir, 'bundle.json'), JSON.stringify(manifest, null, 2));
}

function predict(dir: string) {
  return predictJob(dir, input, {
    backend: 'cpu',
    reporter: memoryReporter(),
    output: join(dir, '..', 'p.csv'),
  });
}

/** A module that leaves a marker file when anything loads it. */
function markerModule(folder: string): { module: string; marker: string } {
  const marker = join(folder, 'module-ran.txt');
  const module = join(folder, 'evil.js');
  writeFileSync(
    module,
    `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\nexports.build = () => { throw new Error('built'); };\n`,
  );
  return { module, marker };
}

/** Makes estimator.json describe a custom model with `module`, keeping `kind` (default: as saved). */
function craftCustomEstimator(dir: string, module: string, kind?: string): void {
  const file = join(dir, 'estimator.json');
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { kind: string; params: Record<string, unknown> };
  saved.params = { ...saved.params, model: 'custom', module };
  if (kind) saved.kind = kind;
  writeFileSync(file, JSON.stringify(saved));
}

describe('bundle security', () => {
  before(async () => {
    project = writeProject(
      tempDir('bundle-security'),
      binaryProject([{ name: 'knn', model: 'knn', k: 3 }], { name: 'bundle-security' }),
    );
    writeBinaryCsv(join(project, 'data', 'data.csv'), 60, 2);
    await recordCompletedRun(project, 'evaluate', { name: 'knn', model: 'knn', k: 3 }, [0.9, 0.9, 0.9]);
    const result = await presentJob(project, { backend: 'cpu', reporter: memoryReporter() });
    bundle = result.bundle;
    input = join(project, 'data', 'data.csv');
  });

  it('predicts with the untouched bundle (the crafted copies below differ from it in one way each)', async () => {
    const dir = copyBundle('control');
    const result = await predict(dir);
    assert.equal(result.rows, 60);
  });

  describe('a bundle is data only', () => {
    it('refuses a classic estimator.json whose params name a custom module, and never loads the module', async () => {
      const dir = copyBundle('custom-params');
      const { module, marker } = markerModule(join(dir, '..'));
      craftCustomEstimator(dir, module);
      resign(dir);
      const error = await rejectsWith('BUNDLE_INVALID', () => predict(dir));
      assert.match(error.message, /kind "knn" but its parameters describe a "custom" model/);
      assert.equal(error.file, join(dir, 'estimator.json'));
      // With TensorFlow.js loaded (another ensemble member is a network), the builder used to load the module.
      await rejectsWith('BUNDLE_INVALID', () => loadEstimator(dir, { tf }));
      assert.equal(existsSync(marker), false, 'the module never ran');
    });

    it('refuses a custom kind with a module inside the bundle and no network files, and never loads it', async () => {
      const dir = copyBundle('custom-kind');
      const { marker } = markerModule(dir);
      craftCustomEstimator(dir, 'evil.js', 'custom');
      resign(dir, [...readManifest(dir).files.map((file) => file.path), 'evil.js']);
      const error = await rejectsWith('BUNDLE_INVALID', () => predict(dir));
      assert.match(error.message, /does not list model\.json, weights\.bin/);
      assert.equal(existsSync(marker), false, 'the module never ran');
    });

    it('refuses an estimator.json of an unknown kind', async () => {
      const dir = copyBundle('unknown-kind');
      const file = join(dir, 'estimator.json');
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      writeFileSync(file, JSON.stringify({ ...saved, kind: 'shell', params: { model: 'shell' } }));
      resign(dir);
      const error = await rejectsWith('BUNDLE_INVALID', () => loadEstimator(dir));
      assert.match(error.message, /unknown model kind "shell"/);
    });
  });

  describe('bundle files stay inside the bundle', () => {
    it('refuses a listed path that climbs out with ..', async () => {
      const dir = copyBundle('dotdot');
      resign(dir, [...readManifest(dir).files.map((file) => file.path), '../../../../../../etc/passwd']);
      const error = await rejectsWith('BUNDLE_INVALID', () => readBundle(dir));
      assert.match(error.message, /outside its folder: "\.\.\/\.\.\/.*etc\/passwd"/);
      assert.equal(error.file, join(dir, 'bundle.json'));
    });

    it('refuses an absolute path such as /dev/zero without reading it', async () => {
      const dir = copyBundle('dev-zero');
      resign(dir, undefined, (manifest) =>
        manifest.files.push({ path: '/dev/zero', bytes: 1024, sha256: 'a'.repeat(64) }),
      );
      const error = await rejectsWith('BUNDLE_INVALID', () => readBundle(dir));
      assert.match(error.message, /outside its folder: "\/dev\/zero"/);
    });

    it('refuses a listed file that is a link to a copy outside the bundle, even with the right hash', async () => {
      const dir = copyBundle('symlink');
      const outside = join(dir, '..', 'pipeline-outside.json');
      cpSync(join(dir, 'pipeline.json'), outside);
      rmSync(join(dir, 'pipeline.json'));
      symlinkSync(outside, join(dir, 'pipeline.json'));
      resign(dir);
      const error = await rejectsWith('BUNDLE_INVALID', () => readBundle(dir));
      assert.match(error.message, /is a link that leaves the bundle's folder/);
      assert.equal(error.file, join(dir, 'pipeline.json'));
    });

    it('refuses a dangling link and a link to a device', async () => {
      const dangling = copyBundle('dangling');
      rmSync(join(dangling, 'metrics.json'));
      symlinkSync(join(dangling, 'nowhere.json'), join(dangling, 'metrics.json'));
      resign(dangling);
      const missing = await rejectsWith('BUNDLE_INVALID', () => readBundle(dangling));
      assert.match(missing.message, /metrics\.json is missing \(or is a link to nothing\)/);

      const device = copyBundle('device');
      rmSync(join(device, 'metrics.json'));
      symlinkSync('/dev/zero', join(device, 'metrics.json'));
      resign(device);
      const leaves = await rejectsWith('BUNDLE_INVALID', () => readBundle(device));
      assert.match(leaves.message, /link that leaves/);
    });

    it('refuses an empty file list instead of skipping the integrity check', async () => {
      const dir = copyBundle('empty-files');
      resign(dir, []);
      const error = await rejectsWith('BUNDLE_INVALID', () => predict(dir));
      assert.match(error.message, /does not list pipeline\.json, estimator\.json/);
    });

    it('refuses a file list that is not a list, and entries without size or hash', async () => {
      const dir = copyBundle('bad-list');
      resign(dir, undefined, (manifest) => ((manifest as Record<string, unknown>).files = 'everything'));
      await rejectsWith('BUNDLE_INVALID', () => readBundle(dir));
      const partial = copyBundle('partial-entry');
      resign(partial, undefined, (manifest) =>
        manifest.files.push({ path: 'metrics.json' } as Manifest['files'][0]),
      );
      const error = await rejectsWith('BUNDLE_INVALID', () => readBundle(partial));
      assert.match(error.message, /without a path, a size in bytes and a SHA-256/);
    });

    it('refuses a file larger than the manifest records, and a recorded size over the cap, before hashing', async () => {
      const dir = copyBundle('sizes');
      resign(dir);
      writeFileSync(
        join(dir, 'metrics.json'),
        readFileSync(join(dir, 'metrics.json'), 'utf8') + ' '.repeat(100),
      );
      const grown = await rejectsWith('BUNDLE_INVALID', () => readBundle(dir));
      assert.match(grown.message, /metrics\.json holds \d+ bytes; the manifest records \d+/);
      resign(dir, undefined, (manifest) => (manifest.files[0].bytes = 2 ** 40));
      const huge = await rejectsWith('BUNDLE_INVALID', () => readBundle(dir));
      assert.match(huge.message, /more than the \d+ a bundle file may hold/);
    });

    it('refuses a manifest whose fields predict reads have the wrong types', async () => {
      const dir = copyBundle('shape');
      resign(dir, undefined, (manifest) => {
        manifest.inputs = 'a,b';
        manifest.idColumns = [1];
      });
      const error = await rejectsWith('BUNDLE_INVALID', () => readBundle(dir));
      assert.match(error.message, /has no valid idColumns, inputs/);
    });
  });
});

describe('custom models at present', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });
  const doubler = `exports.build = (tf, { inputShape, outputUnits }) => {
  class Doubler extends tf.layers.Layer {
    call(inputs) { return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, 2); }
    computeOutputShape(shape) { return shape; }
    static get className() { return 'SecurityTestDoubler'; }
  }
  tf.serialization.registerClass(Doubler);
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape, units: 4 }));
  model.add(new Doubler({}));
  model.add(tf.layers.dense({ units: outputUnits, activation: 'softmax' }));
  return model;
};`;
  const builtin = `exports.build = (tf, { inputShape, outputUnits }) => {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape, units: 4, activation: 'relu' }));
  model.add(tf.layers.dense({ units: outputUnits, activation: 'softmax' }));
  return model;
};`;

  async function fitAndSave(source: string): Promise<string> {
    const projectDir = tempDir('custom-layer');
    writeFileSync(join(projectDir, 'model.js'), source);
    const problem = blobs(2);
    const context = contextFor(problem, tf, 11, projectDir);
    const estimator = createEstimator(
      { name: 'mine', model: 'custom', module: 'model.js', epochs: 1 } as CandidateConfig,
      context,
    );
    await estimator.fit(problem.train);
    const dir = tempDir('custom-layer-bundle');
    try {
      const { task, inputShape, outputUnits, classes, seed } = context;
      await saveEstimator(estimator, { task, inputShape, outputUnits, classes, seed }, dir);
    } finally {
      estimator.dispose();
    }
    return dir;
  }

  it('refuses to save a custom model whose layer class its module registered, naming the class', async () => {
    const error = await rejectsWith('CUSTOM_MODEL_FAILED', () => fitAndSave(doubler));
    assert.match(error.message, /layer class SecurityTestDoubler/);
    assert.match(error.hint ?? '', /built-in TensorFlow\.js layers/);
  });

  it('saves a custom model of built-in layers as topology and weights that load without its module', async () => {
    const dir = await fitAndSave(builtin);
    const loaded = await loadEstimator(dir, { tf });
    assert.equal(loaded.kind, 'custom');
    loaded.dispose();
  });
});

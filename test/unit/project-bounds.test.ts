import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CandidateConfig } from '../../src/core/config';
import { TopdownError } from '../../src/core/errors';
import { createEstimator, MAX_EPOCHS, MAX_LAYER_UNITS } from '../../src/core/models/zoo';
import {
  loadProject,
  MAX_PROJECT_BYTES,
  MAX_PROJECT_DEPTH,
  PROJECT_SCHEMA,
  ProjectInvalidError,
  validateProjectText,
} from '../../src/core/project';

const SONAR_TEXT = readFileSync(
  join(__dirname, '..', 'fixtures', 'project', 'sonar', 'topdown.json'),
  'utf8',
);
const FILE = '/projects/demo/topdown.json';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function projectDir(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'topdown-project-bounds-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'topdown.json'), text);
  return dir;
}

async function loadRejection(dir: string): Promise<ProjectInvalidError> {
  try {
    await loadProject(dir);
  } catch (error) {
    assert.ok(error instanceof ProjectInvalidError, `expected PROJECT_INVALID, got ${String(error)}`);
    return error;
  }
  assert.fail('loadProject should have failed');
}

/** The sonar project with its second candidate replaced by `candidate`. */
function withCandidate(candidate: Record<string, unknown>): string {
  const config = JSON.parse(SONAR_TEXT) as { evaluate: { candidates: unknown[] } };
  config.evaluate.candidates[1] = candidate;
  return JSON.stringify(config, null, 2);
}

describe('project file bounds', () => {
  it('gives a 5,000-deep nested file a located error instead of overflowing the stack', async () => {
    const config = JSON.parse(SONAR_TEXT) as Record<string, unknown>;
    config.description = 'x';
    const text = JSON.stringify(config, null, 2).replace('"x"', '['.repeat(5000) + ']'.repeat(5000));
    const line = text.split('\n').findIndex((entry) => entry.includes('[[[')) + 1;
    const problems = validateProjectText(text, FILE);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, new RegExp(`nested more than ${MAX_PROJECT_DEPTH} levels deep`));
    assert.equal(problems[0].line, line);
    const error = await loadRejection(projectDir(text));
    assert.equal(error.code, 'PROJECT_INVALID');
    assert.equal(error.line, line);
    assert.ok((error.character ?? 0) > MAX_PROJECT_DEPTH, 'points at the bracket past the limit');
  });

  it('counts brackets inside strings as text, not as nesting', () => {
    const config = JSON.parse(SONAR_TEXT) as Record<string, unknown>;
    config.description = '['.repeat(500) + '{'.repeat(500) + '\\"[';
    assert.deepEqual(validateProjectText(JSON.stringify(config), FILE), []);
  });

  it('refuses a file over the size limit before reading it, stating the limit', async () => {
    const config = JSON.parse(SONAR_TEXT) as Record<string, unknown>;
    config.description = 'x'.repeat(MAX_PROJECT_BYTES + 10);
    const text = JSON.stringify(config);
    const error = await loadRejection(projectDir(text));
    assert.equal(error.line, 1);
    assert.match(error.message, /1\.0 MB; a project file may be at most 1 MB/);
    assert.match(validateProjectText(text, FILE)[0].message, /at most 1 MB/);
  });

  it('refuses absurd epochs and layer sizes at the field, stating the maximum', () => {
    const epochs = validateProjectText(
      withCandidate({ name: 'mlp', model: 'mlp', layers: [8], epochs: 1e12 }),
      FILE,
    );
    assert.equal(epochs[0]?.field, '/evaluate/candidates/1/epochs');
    assert.match(epochs[0].message, new RegExp(`at most ${MAX_EPOCHS}`));
    const layers = validateProjectText(withCandidate({ name: 'mlp', model: 'mlp', layers: [1e9] }), FILE);
    assert.equal(layers[0]?.field, '/evaluate/candidates/1/layers/0');
    assert.match(layers[0].message, new RegExp(`at most ${MAX_LAYER_UNITS}`));
    const units = validateProjectText(withCandidate({ name: 'gru', model: 'gru', units: [50, 1e6] }), FILE);
    assert.ok(units.some((problem) => problem.field === '/evaluate/candidates/1/units/1'));
  });

  it('keeps the schema maxima and the model checks in step', () => {
    const definitions = PROJECT_SCHEMA.definitions as Record<string, { maximum?: number }>;
    assert.equal(definitions.epochs.maximum, MAX_EPOCHS);
    assert.equal(definitions.layerUnits.maximum, MAX_LAYER_UNITS);
  });

  it('refuses the same limits in configurations that bypass the file (tuned candidates)', () => {
    const context = { task: 'binary' as const, inputShape: [4], outputUnits: 2, seed: 1, projectDir: '.' };
    const refused = (candidate: CandidateConfig): TopdownError => {
      try {
        createEstimator(candidate, context);
      } catch (error) {
        assert.ok(error instanceof TopdownError);
        return error;
      }
      assert.fail('createEstimator should have failed');
    };
    const epochs = refused({
      name: 'mlp',
      model: 'mlp',
      layers: [8],
      epochs: MAX_EPOCHS + 1,
    } as CandidateConfig);
    assert.equal(epochs.code, 'MODEL_INVALID');
    assert.match(epochs.message, /epochs must be a whole number from 1 to 100000/);
    const layers = refused({ name: 'mlp', model: 'mlp', layers: [MAX_LAYER_UNITS + 1] } as CandidateConfig);
    assert.match(layers.message, /layers must hold whole numbers from 1 to 16384, got 16385/);
  });

  it('says a folder that does not exist does not exist, instead of offering its parent', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'topdown-project-bounds-'));
    dirs.push(parent);
    const missing = join(parent, 'nosuchdir');
    await assert.rejects(loadProject(missing), (error: unknown) => {
      assert.ok(error instanceof TopdownError);
      assert.equal(error.code, 'PROJECT_NOT_FOUND');
      assert.equal(error.message, `The folder ${missing} does not exist.`);
      assert.equal(error.file, missing);
      assert.doesNotMatch(error.hint ?? '', new RegExp(`new sonar ${parent}\\b`));
      return true;
    });
  });
});

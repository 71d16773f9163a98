import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import type { CandidateConfig } from '../../src/core/config';
import { TopdownError } from '../../src/core/errors';
import projectSchema from '../../schemas/topdown.schema.json';

const improveSchema = projectSchema.properties.improve;
import { resolveImproveConfig } from '../../src/core/improve/validate';

const candidates: CandidateConfig[] = [
  { name: 'baseline', model: 'baseline' },
  { name: 'mlp-small', model: 'mlp', layers: [30], epochs: 100 },
  { name: 'forest', model: 'random-forest', trees: 50 },
];
const context = { candidates, task: 'binary' as const, seed: 7 };

const example = {
  candidates: ['mlp-small'],
  search: { method: 'halving', trials: 27, seed: 1, halving: { minEpochs: 5, factor: 3 } },
  space: {
    'mlp-small': {
      learningRate: { logUniform: [1e-4, 1e-2] },
      layers: { choice: [[30], [60, 30]] },
      dropout: { uniform: [0, 0.5] },
      batchSize: { choice: [5, 16] },
    },
  },
  ensembles: [{ name: 'avg', members: ['mlp-small', 'forest'], method: 'average' }],
  repeats: 2,
};

function expectInvalid(improve: unknown, field: string, messagePattern: RegExp): TopdownError {
  try {
    resolveImproveConfig(improve, context);
  } catch (error) {
    assert.ok(error instanceof TopdownError, String(error));
    assert.equal(error.code, 'PROJECT_INVALID');
    assert.equal(error.field, field);
    assert.match(error.message, messagePattern);
    return error;
  }
  assert.fail('expected resolveImproveConfig to throw');
}

describe('the improve section of topdown.schema.json', () => {
  // The same ajv options as src/core/schema-errors.ts.
  const ajv = new Ajv({
    allErrors: true,
    allowUnionTypes: true,
    logger: false,
    keywords: ['markdownDescription', 'enumDescriptions'],
  });
  const validate = ajv.compile(improveSchema);

  it('accepts the documented example', () => {
    assert.equal(validate(example), true, JSON.stringify(validate.errors));
  });

  it('rejects an unknown search method and a domain with an unknown kind', () => {
    assert.equal(validate({ search: { method: 'bayes' } }), false);
    assert.equal(validate({ space: { 'mlp-small': { dropout: { normal: [0, 1] } } } }), false);
  });

  it('rejects an ensemble with one member', () => {
    assert.equal(validate({ ensembles: [{ name: 'solo', members: ['forest'] }] }), false);
  });
});

describe('resolveImproveConfig', () => {
  it('resolves the documented example and fills in the defaults', () => {
    const resolved = resolveImproveConfig(example, context);
    assert.deepEqual(resolved.candidates, ['mlp-small']);
    assert.equal(resolved.method, 'halving');
    assert.equal(resolved.seed, 1);
    assert.deepEqual(resolved.halving, { minEpochs: 5, factor: 3 });
    assert.equal(resolved.alpha, 0.05);
    assert.equal(resolved.repeats, 2);
  });

  it('treats a missing section as nothing to tune, with the project seed', () => {
    assert.deepEqual(resolveImproveConfig(undefined, context), {
      candidates: [],
      method: 'random',
      trials: 20,
      seed: 7,
      halving: { minEpochs: 5, factor: 3 },
      space: {},
      ensembles: [],
      repeats: 0,
      alpha: 0.05,
    });
  });

  it('tunes every candidate with a space when none are listed', () => {
    const resolved = resolveImproveConfig(
      { space: { forest: { trees: { int: [10, 100], step: 10 } } } },
      context,
    );
    assert.deepEqual(resolved.candidates, ['forest']);
  });

  it('names a space for an unknown candidate and suggests the closest name', () => {
    const error = expectInvalid(
      { space: { 'mlp-smal': { epochs: { int: [10, 20] } } } },
      '/improve/space/mlp-smal',
      /unknown candidate "mlp-smal"/,
    );
    assert.equal(error.hint, 'Did you mean "mlp-small"?');
  });

  it('reports a bad range inside a space with its full pointer', () => {
    expectInvalid(
      { space: { 'mlp-small': { learningRate: { logUniform: [-1, 0.1] } } } },
      '/improve/space/mlp-small/learningRate/logUniform',
      /positive low bound/,
    );
  });

  it('rejects a listed candidate without a space', () => {
    expectInvalid(
      { candidates: ['forest'], space: {} },
      '/improve/candidates/0',
      /"forest" is listed for tuning but has no search space/,
    );
  });

  it('rejects halving for a model that trains without epochs', () => {
    expectInvalid(
      { search: { method: 'halving' }, space: { forest: { trees: { int: [10, 100] } } } },
      '/improve/search/method',
      /"forest" is a random-forest model, which trains without epochs/,
    );
  });

  it('rejects a grid with continuous ranges, naming the range', () => {
    expectInvalid(
      { search: { method: 'grid' }, space: { 'mlp-small': { dropout: { uniform: [0, 0.5] } } } },
      '/improve/space/mlp-small/dropout/uniform',
      /cannot enumerate/,
    );
  });

  it('names an ensemble member that is not a candidate', () => {
    const error = expectInvalid(
      { ensembles: [{ name: 'avg', members: ['mlp-small', 'forests'] }] },
      '/improve/ensembles/0/members/1',
      /unknown candidate "forests"/,
    );
    assert.equal(error.hint, 'Did you mean "forest"?');
  });

  it('rejects unknown settings and out-of-range numbers', () => {
    expectInvalid(
      { search: { method: 'random', trails: 10 } },
      '/improve/search/trails',
      /Unknown setting "trails"/,
    );
    expectInvalid({ search: { trials: 0 } }, '/improve/search/trials', /at least 1/);
    expectInvalid({ alpha: 0.9 }, '/improve/alpha', /at most 0\.5/);
  });

  it('names the continuous range in a real topdown.json that asks for a grid', () => {
    const file = join(__dirname, '..', 'fixtures', 'improve', 'topdown.json');
    const project = JSON.parse(readFileSync(file, 'utf8'));
    const error = (() => {
      try {
        resolveImproveConfig(project.improve, {
          candidates: project.evaluate.candidates,
          task: project.problem.task,
          seed: project.evaluate.seed,
        });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assert.ok(error instanceof TopdownError);
    assert.equal(error.field, '/improve/space/mlp-small/dropout/uniform');
    assert.match(error.hint ?? '', /"steps"/);
  });
});

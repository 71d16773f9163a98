/**
 * The bundles validate topdown.json with the validator compiled at build time (scripts/schema-validator.mjs);
 * unbundled code compiles it at run time (src/core/schema-validator.ts). Both must say the same of every file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import type { ValidateFunction } from 'ajv';
import { compileProjectValidator } from '../../src/core/schema-validator';

const root = join(__dirname, '..', '..');

/** The build-time validator, loaded as esbuild would bundle it (its one runtime helper from ajv). */
async function precompiled(): Promise<ValidateFunction> {
  const { projectValidatorSource } = await import('../../scripts/schema-validator.mjs');
  const module = { exports: {} as { compileProjectValidator: () => ValidateFunction } };
  runInNewContext(projectValidatorSource(), { module, exports: module.exports, require });
  return module.exports.compileProjectValidator();
}

/** Every template's topdown.json, and broken variants of one: wrong types, unknown fields, bad branches. */
function documents(): Array<[string, unknown]> {
  const templates = readdirSync(join(root, 'templates')).map((name): [string, unknown] => [
    name,
    JSON.parse(readFileSync(join(root, 'templates', name, 'topdown.json'), 'utf8')),
  ]);
  const iris = JSON.parse(readFileSync(join(root, 'templates', 'iris', 'topdown.json'), 'utf8')) as {
    problem: Record<string, unknown>;
    evaluate: { candidates: Array<Record<string, unknown>> };
  };
  const broken = (change: (copy: typeof iris) => void): typeof iris => {
    const copy = structuredClone(iris);
    change(copy);
    return copy;
  };
  return [
    ...templates,
    ['unknown field', broken((copy) => (copy.evaluate.candidates[0].epoch = 3))],
    ['wrong type', broken((copy) => (copy.problem.target = 7))],
    ['unknown model', broken((copy) => (copy.evaluate.candidates[0].model = 'perceptron'))],
    ['missing problem', broken((copy) => delete (copy as Partial<typeof iris>).problem)],
    ['not an object', []],
  ];
}

describe('the project validator compiled at build time', () => {
  it('accepts and rejects what the runtime compile does, with the same errors', async () => {
    const runtime = compileProjectValidator();
    const built = await precompiled();
    let rejected = 0;
    for (const [name, document] of documents()) {
      const expected = runtime(document);
      assert.equal(built(document), expected, name);
      // Plain copies: the build-time errors come from another realm.
      assert.deepEqual(
        JSON.parse(JSON.stringify(built.errors)),
        JSON.parse(JSON.stringify(runtime.errors)),
        name,
      );
      if (!expected) rejected += 1;
    }
    assert.equal(rejected, 5, 'every broken document is rejected');
  });
});

/**
 * What the extension host parses at activation (#15 item 13): dist/extension.js (built by `npm run build`, which
 * `npm test` runs first) keeps the project validator, ajv, the JSON schema and the model registry out, and the
 * lazy bundle it requires on first use works on its own.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const dist = resolve(__dirname, '..', '..', 'dist');
/** The built bundle, loaded as the extension host loads it. */
const requireBundle = createRequire(__filename);

describe('extension bundle', () => {
  const extension = readFileSync(join(dist, 'extension.js'), 'utf8');

  it('leaves ajv, the schema and the model registry to a lazy bundle it requires on first use', () => {
    assert.equal(extension.includes('strictSchema'), false, 'ajv is in dist/extension.js');
    assert.equal(
      extension.includes('Topdown project (topdown.json)'),
      false,
      'the schema is in dist/extension.js',
    );
    assert.equal(
      extension.includes('Your own TensorFlow.js model from a JS module.'),
      false,
      'the model registry is in dist/extension.js',
    );
    assert.match(extension, /require\("\.\/lazy\/core-project\.js"\)/);
    assert.ok(existsSync(join(dist, 'lazy', 'core-project.js')));
  });

  it('validates topdown.json from the lazy bundle alone', () => {
    const lazy = requireBundle(join(dist, 'lazy', 'core-project.js')) as {
      validateProjectText: (text: string, path: string) => Array<{ field: string; message: string }>;
    };
    const problems = lazy.validateProjectText('{"problem": {"task": "sorting"}}', '/p/topdown.json');
    const task = problems.find((problem) => problem.field === '/problem/task');
    assert.match(task?.message ?? '', /must be one of: binary, .*\(got "sorting"\)/);
  });
});

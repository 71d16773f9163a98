/**
 * Fuzz: a model bundle with any value at any field of its JSON files, hostile file paths or damaged bytes ends
 * in predictions or a located TopdownError: never a crash, a hang (`/dev/zero`), or code from the bundle run.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { predictJob } from '../../src/runner/jobs/predict';
import { memoryReporter } from '../../src/runner/reporter';
import { assertLocated, fuzzParameters, jsonPaths, withValueAt } from '../helpers/fuzz';

const FIXTURE = join(__dirname, '..', 'fixtures', 'bundles', 'v1-knn');
const root = mkdtempSync(join(tmpdir(), 'topdown-fuzz-bundle-'));
const MARKER = join(root, 'code-ran');
after(() => rmSync(root, { recursive: true, force: true }));

const JSON_FILES = ['bundle.json', 'estimator.json', 'pipeline.json'] as const;
type JsonFile = (typeof JSON_FILES)[number];

/** A module that leaves a marker when anything requires it. */
const EVIL = `require('node:fs').writeFileSync(${JSON.stringify(MARKER)}, 'ran');\nmodule.exports = { build() {} };\n`;

const originals = Object.fromEntries(
  JSON_FILES.map((name) => [name, JSON.parse(readFileSync(join(FIXTURE, 'knn', name), 'utf8')) as unknown]),
) as Record<JsonFile, unknown>;
const fieldPaths = JSON_FILES.flatMap((name) =>
  jsonPaths(originals[name])
    .filter((path) => path.length > 0)
    .map((path) => ({ name, path })),
);

const hostilePath = fc.constantFrom(
  '../../../../etc/passwd',
  '/etc/passwd',
  '/dev/zero',
  '../knn/bundle.json',
  'evil.js',
  '',
  '.',
  'no-such-file',
  'estimator.json/../../expected-predictions.csv',
);

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  hostilePath,
  fc.constantFrom('custom', 'network', 'mlp', 1e12, -1, null, [], {}, { module: 'evil.js' }, [1e9]),
);

/** One change to the bundle: a JSON value, a listed file's path, the file list, or a file's bytes. */
type Change =
  | {
      kind: 'value';
      field: { name: JsonFile; path: Array<string | number> };
      value: unknown;
      rehash: boolean;
    }
  | { kind: 'path'; index: number; path: string }
  | { kind: 'no-files' }
  | { kind: 'bytes'; name: JsonFile; at: number; bytes: Uint8Array; rehash: boolean };

const change: fc.Arbitrary<Change> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('value' as const),
      field: fc.constantFrom(...fieldPaths),
      value: hostileValue,
      rehash: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('path' as const), index: fc.nat(3), path: hostilePath }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'no-files' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      name: fc.constantFrom(...JSON_FILES),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
      rehash: fc.boolean(),
    }),
  },
);

/** Writes the change into the bundle at `dir`; `rehash` records the changed file's new SHA-256 in bundle.json. */
function apply(dir: string, edit: Change): void {
  const manifestFile = join(dir, 'bundle.json');
  const manifest = (): Record<string, unknown> =>
    JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
  const rehash = (name: string): void => {
    const document = manifest();
    const files = document.files as Array<{ path: string; sha256: string; bytes: number }>;
    const entry = Array.isArray(files) ? files.find((file) => file?.path === name) : undefined;
    if (entry === undefined) return;
    const bytes = readFileSync(join(dir, name));
    entry.sha256 = createHash('sha256').update(bytes).digest('hex');
    entry.bytes = bytes.length;
    writeFileSync(manifestFile, JSON.stringify(document));
  };
  switch (edit.kind) {
    case 'value':
      writeFileSync(
        join(dir, edit.field.name),
        JSON.stringify(withValueAt(originals[edit.field.name], edit.field.path, edit.value)),
      );
      if (edit.rehash && edit.field.name !== 'bundle.json') rehash(edit.field.name);
      break;
    case 'path': {
      const document = manifest();
      const files = document.files as Array<{ path: string }>;
      files[edit.index % files.length].path = edit.path;
      writeFileSync(manifestFile, JSON.stringify(document));
      break;
    }
    case 'no-files':
      writeFileSync(manifestFile, JSON.stringify({ ...manifest(), files: [] }));
      break;
    case 'bytes': {
      const file = join(dir, edit.name);
      const bytes = readFileSync(file);
      const at = edit.at % (bytes.length + 1);
      writeFileSync(
        file,
        Buffer.concat([bytes.subarray(0, at), edit.bytes, bytes.subarray(at + edit.bytes.length)]),
      );
      if (edit.rehash && edit.name !== 'bundle.json') rehash(edit.name);
      break;
    }
  }
}

describe('fuzz: model bundles', () => {
  it('predicts or refuses with a located error, and never runs code from the bundle', async (context) => {
    const outcomes = { predicted: 0, refused: 0 };
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(change, async (edit) => {
        const dir = join(root, `case-${++tried}`);
        cpSync(FIXTURE, dir, { recursive: true });
        const bundle = join(dir, 'knn');
        writeFileSync(join(bundle, 'evil.js'), EVIL);
        apply(bundle, edit);
        try {
          const result = await predictJob(bundle, join(dir, 'input.csv'), {
            backend: 'cpu',
            reporter: memoryReporter(),
            output: join(dir, 'predictions.csv'),
          });
          assert.ok(result.rows > 0);
          outcomes.predicted++;
        } catch (error) {
          assertLocated(error);
          outcomes.refused++;
        }
        assert.ok(!existsSync(MARKER), `code from the bundle ran (${JSON.stringify(edit)})`);
        rmSync(dir, { recursive: true, force: true });
      }),
      { ...fuzzParameters(120), timeout: 10_000 },
    );
    context.diagnostic(
      `fuzz bundles: ${tried} inputs, ${outcomes.predicted} predicted, ${outcomes.refused} refused`,
    );
    assert.ok(outcomes.predicted > 0 && outcomes.refused > 0);
  });
});

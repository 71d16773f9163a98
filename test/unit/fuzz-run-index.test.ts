/**
 * Fuzz: a damaged run index (cut, garbage, NUL bytes, random lines) never hides or changes an earlier run: the
 * store lists every run folder, reads every record unchanged, and keeps them when it records the next run.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { RunStore } from '../../src/core/runs/store';
import { assertLocated, fuzzParameters } from '../helpers/fuzz';
import { makeRecord } from '../fixtures/project/run-records';

const root = mkdtempSync(join(tmpdir(), 'topdown-fuzz-index-'));
after(() => rmSync(root, { recursive: true, force: true }));

const RUNS = 6;
const template = join(root, 'template');
const ids = Array.from(
  { length: RUNS },
  (_, index) => `20250101-1200${String(index).padStart(2, '0')}-000-evaluate-mlp-00${index}a`,
);
{
  const store = new RunStore(template);
  ids.forEach((id, index) =>
    store.create(makeRecord({ id, createdAt: `2025-01-01T12:00:${String(index).padStart(2, '0')}.000Z` })),
  );
  store.setLabel(ids[1], 'kept');
  store.delete(ids[5]);
}
const kept = ids.slice(0, RUNS - 1);

function checksums(dir: string): Map<string, string> {
  return new Map(
    kept.map((id) => [
      id,
      createHash('sha256')
        .update(readFileSync(join(dir, 'runs', id, 'run.json')))
        .digest('hex'),
    ]),
  );
}
const before = checksums(template);

type Damage =
  | { kind: 'cut'; at: number }
  | { kind: 'splice'; at: number; bytes: Uint8Array }
  | { kind: 'line'; at: number; line: string }
  | { kind: 'whole'; bytes: Uint8Array };

/** Damage to the index file: cut it, splice in bytes, replace a line, or replace it whole. */
const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.nat(),
    bytes: fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 16 }),
      fc.constantFrom(new Uint8Array([0, 0, 0]), new Uint8Array([10]), new Uint8Array([0x7b, 10])),
      fc.string({ maxLength: 40 }).map((text) => new Uint8Array(Buffer.from(text))),
    ),
  }),
  fc.record({
    kind: fc.constant('line' as const),
    at: fc.nat(),
    line: fc.oneof(
      fc.json({ maxDepth: 2 }),
      fc.string({ maxLength: 30 }),
      fc.constantFrom('{"id":"../x"}', '{}', 'null'),
    ),
  }),
  fc.record({ kind: fc.constant('whole' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
);

function hurt(file: string, change: Damage): void {
  const text = readFileSync(file);
  switch (change.kind) {
    case 'cut':
      writeFileSync(file, text.subarray(0, change.at % (text.length + 1)));
      break;
    case 'splice': {
      const at = change.at % (text.length + 1);
      writeFileSync(file, Buffer.concat([text.subarray(0, at), change.bytes, text.subarray(at)]));
      break;
    }
    case 'line': {
      const lines = text.toString('utf8').split('\n');
      lines[change.at % lines.length] = change.line;
      writeFileSync(file, lines.join('\n'));
      break;
    }
    case 'whole':
      writeFileSync(file, change.bytes);
      break;
  }
}

describe('fuzz: the run index', () => {
  it('lists and keeps every earlier run whatever is done to the index', (context) => {
    let tried = 0;
    let refused = 0;
    fc.assert(
      fc.property(damage, fc.boolean(), (change, appendAfter) => {
        const dir = join(root, `case-${++tried}`);
        cpSync(template, dir, { recursive: true });
        const store = new RunStore(dir);
        hurt(store.indexFile, change);
        try {
          const listed = store.list().map((entry) => entry.id);
          assert.deepEqual(
            listed.slice().sort(),
            kept.slice().sort(),
            'every run folder is listed, none invented',
          );
          assert.equal(store.get(ids[1]).label, 'kept');
          if (appendAfter) {
            const next = '20250101-130000-000-evaluate-knn-0fff';
            store.create(makeRecord({ id: next, createdAt: '2025-01-01T13:00:00.000Z', candidate: 'knn' }));
            assert.deepEqual(new RunStore(dir).list()[0].id, next);
            assert.equal(new RunStore(dir).list().length, kept.length + 1);
          }
        } catch (error) {
          assertLocated(error);
          refused++;
        }
        assert.deepEqual(checksums(dir), before, 'earlier run records are unchanged');
        assert.ok(!existsSync(join(dir, 'runs', ids[5])), 'a deleted run stays deleted');
        rmSync(dir, { recursive: true, force: true });
      }),
      fuzzParameters(150),
    );
    context.diagnostic(`fuzz run index: ${tried} inputs, ${refused} refused with a located error`);
  });
});

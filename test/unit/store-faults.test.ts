import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopdownError } from '../../src/core/errors';
import { appendLines, writeFileAtomic, type WriteFunction } from '../../src/core/runs/files';
import { RunStore } from '../../src/core/runs/store';
import { makeFolds, makeRecord } from '../fixtures/project/run-records';
import { checksums, diskFullAfter, fillDisk, shortWrites } from '../helpers/writes';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'topdown-faults-'));
}

function isWriteError(code: string, file: string): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof TopdownError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.file, file);
    assert.ok(error.message.includes(file), error.message);
    assert.ok(error.hint);
    return true;
  };
}

const LARGE_TEXT = JSON.stringify({ rows: Array.from({ length: 3000 }, (_, index) => `row ${index}`) });

describe('writeFileAtomic', () => {
  it('writes every byte when the system writes a few bytes per call', () => {
    const file = join(tempDir(), 'run.json');
    writeFileAtomic(file, LARGE_TEXT, shortWrites(100));
    assert.equal(readFileSync(file, 'utf8'), LARGE_TEXT);
  });

  it('leaves the old file untouched, removes its temp file and reports DISK_FULL when the disk fills up', () => {
    const dir = tempDir();
    const file = join(dir, 'run.json');
    writeFileSync(file, '{"old":true}\n');
    assert.throws(
      () => writeFileAtomic(file, LARGE_TEXT, diskFullAfter(8192)),
      isWriteError('DISK_FULL', file),
    );
    assert.equal(readFileSync(file, 'utf8'), '{"old":true}\n');
    assert.deepEqual(readdirSync(dir), ['run.json']);
  });

  it('reports WRITE_FAILED with the system code when a write makes no progress or the folder is not writable', () => {
    const dir = tempDir();
    const file = join(dir, 'index.jsonl');
    assert.throws(
      () => writeFileAtomic(file, 'text', () => 0),
      (error: unknown) => isWriteError('WRITE_FAILED', file)(error) && /EIO/.test((error as Error).message),
    );
    assert.deepEqual(readdirSync(dir), []);
    const missing = join(dir, 'gone', 'run.json');
    assert.throws(() => writeFileAtomic(missing, 'text'), isWriteError('WRITE_FAILED', missing));
  });
});

describe('appendLines', () => {
  it('takes back a partial append when the disk fills up, so the file ends where it did', () => {
    const file = join(tempDir(), 'events.jsonl');
    writeFileSync(file, '{"n":1}\n');
    const lines = Array.from({ length: 500 }, (_, index) =>
      JSON.stringify({ n: index, pad: 'x'.repeat(40) }),
    );
    assert.throws(() => appendLines(file, lines, diskFullAfter(5000)), isWriteError('DISK_FULL', file));
    assert.equal(readFileSync(file, 'utf8'), '{"n":1}\n');
    appendLines(file, ['{"n":2}'], shortWrites(3));
    assert.equal(readFileSync(file, 'utf8'), '{"n":1}\n{"n":2}\n');
  });

  it('never cuts off a damaged last line: new lines start on a line of their own', () => {
    const file = join(tempDir(), 'index.jsonl');
    writeFileSync(file, '{"n":1}\n{"n":2}');
    appendLines(file, ['{"n":3}']);
    assert.equal(readFileSync(file, 'utf8'), '{"n":1}\n{"n":2}\n{"n":3}\n');
  });
});

describe('RunStore on a full disk', () => {
  it('keeps the old run.json and index when a save runs out of space, and reports DISK_FULL', () => {
    const projectDir = tempDir();
    let write: WriteFunction = shortWrites(64);
    const store = new RunStore(projectDir, { write: (...args) => write(...args) });
    store.create(makeRecord({ id: 'run-1', folds: makeFolds(3, 0.5) }));
    store.create(makeRecord({ id: 'run-2', folds: makeFolds(3, 0.6) }));
    assert.equal(store.get('run-1').folds.length, 3, 'short writes still write whole records');
    const event = {
      type: 'log',
      time: '2025-01-01T00:00:00.000Z',
      level: 'info',
      message: 'x'.repeat(100),
    } as const;
    store.appendEvents('run-2', [event]);
    const before = checksums(projectDir);

    write = diskFullAfter(1000);
    const runFile = join(store.runDir('run-2'), 'run.json');
    assert.throws(
      () => store.save(makeRecord({ id: 'run-2', folds: makeFolds(400, 0.7) })),
      isWriteError('DISK_FULL', runFile),
    );
    write = diskFullAfter(10);
    const eventsFile = join(store.runDir('run-2'), 'events.jsonl');
    assert.throws(() => store.appendEvents('run-2', [event]), isWriteError('DISK_FULL', eventsFile));
    write = diskFullAfter(0);
    assert.throws(
      () => store.setLabel('run-1', 'label'),
      isWriteError('DISK_FULL', join(store.runDir('run-1'), 'run.json')),
    );

    assert.deepEqual(checksums(projectDir), before, 'every file as it was');
    assert.deepEqual(
      new RunStore(projectDir)
        .list()
        .map((entry) => entry.id)
        .sort(),
      ['run-1', 'run-2'],
    );
  });

  it(
    'on a real 64 KiB tmpfs: fails with DISK_FULL and changes no earlier run',
    {
      skip: process.getuid?.() !== 0 && 'mounting a tmpfs needs root (CI runs as root)',
    },
    () => {
      const mountPoint = tempDir();
      const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]);
      assert.equal(mounted.status, 0, String(mounted.stderr));
      try {
        const store = new RunStore(mountPoint);
        store.create(makeRecord({ id: 'run-1', folds: makeFolds(2, 0.5) }));
        store.create(makeRecord({ id: 'run-2', folds: makeFolds(2, 0.6) }));
        const before = checksums(mountPoint);
        fillDisk(join(mountPoint, 'filler'), 12 * 1024);

        const bigRecord = makeRecord({ id: 'run-2', folds: makeFolds(200, 0.7) });
        assert.throws(
          () => store.save(bigRecord),
          isWriteError('DISK_FULL', join(store.runDir('run-2'), 'run.json')),
        );
        const events = Array.from({ length: 200 }, (_, index) => ({
          type: 'epoch' as const,
          time: '2025-01-01T00:00:00.000Z',
          fold: 0,
          epoch: index,
          logs: { loss: 0.1, acc: 0.9 },
        }));
        const eventsFile = join(store.runDir('run-1'), 'events.jsonl');
        assert.throws(() => store.appendEvents('run-1', events), isWriteError('DISK_FULL', eventsFile));
        const newRecord = makeRecord({ id: 'run-3', folds: makeFolds(200, 0.8) });
        assert.throws(
          () => store.create(newRecord),
          isWriteError('DISK_FULL', join(store.runDir('run-3'), 'run.json')),
        );
        assert.deepEqual(
          readdirSync(store.dir).sort(),
          ['index.jsonl', 'run-1', 'run-2'],
          'no half-created run',
        );

        rmSync(join(mountPoint, 'filler'));
        const after = checksums(mountPoint);
        after.delete(join('runs', 'run-1', 'events.jsonl'));
        assert.equal(statSync(eventsFile).size, 0, 'the failed append was taken back');
        assert.deepEqual(after, before, 'every earlier file as it was');
        assert.deepEqual(
          new RunStore(mountPoint)
            .list()
            .map((entry) => entry.id)
            .sort(),
          ['run-1', 'run-2'],
        );
      } finally {
        spawnSync('umount', [mountPoint]);
      }
    },
  );
});

describe('the run index is a cache of the run folders', () => {
  /** A project with 62 runs, one a second, and its intact index text. */
  function sixtyTwoRuns(): { store: RunStore; ids: string[]; index: string } {
    const store = new RunStore(tempDir());
    const ids: string[] = [];
    for (let index = 0; index < 62; index++) {
      const id = `run-${String(index).padStart(2, '0')}`;
      store.create(makeRecord({ id, createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, index)).toISOString() }));
      ids.push(id);
    }
    return { store, ids, index: readFileSync(store.indexFile, 'utf8') };
  }

  const damages: [string, (index: string) => string][] = [
    ['truncated mid-line', (index) => index.slice(0, Math.floor(index.length * 0.8))],
    ['with a garbage last line', (index) => index + 'garbage\n'],
    ['with NUL bytes in place of its tail', (index) => index.slice(0, -200) + '\u0000'.repeat(200)],
    ['replaced by three NUL bytes', () => '\u0000\u0000\u0000'],
    ['with a line of the wrong shape', (index) => index.replace('"status":"completed"', '"status":7')],
    ['missing lines that the folders hold', (index) => index.split('\n').slice(0, 30).join('\n') + '\n'],
  ];
  for (const [name, damage] of damages) {
    it(`lists all 62 runs from an index ${name}, and an append keeps them`, () => {
      const { store, ids, index } = sixtyTwoRuns();
      writeFileSync(store.indexFile, damage(index));
      const reader = new RunStore(join(store.dir, '..'));
      assert.deepEqual(
        reader.list().map((entry) => entry.id),
        [...ids].reverse(),
      );

      writeFileSync(store.indexFile, damage(index));
      const writer = new RunStore(join(store.dir, '..'));
      writer.setLabel('run-00', 'kept');
      const listed = new RunStore(join(store.dir, '..')).list();
      assert.equal(listed.length, 62);
      assert.equal(listed.at(-1)?.label, 'kept');
      assert.ok(
        indexText(store)
          .split('\n')
          .filter(Boolean)
          .every((line) => JSON.parse(line)),
      );
    });
  }

  it('lists from the folders when the damaged index cannot be rewritten (a read-only folder)', () => {
    const { store, ids } = sixtyTwoRuns();
    writeFileSync(store.indexFile, '\u0000\u0000\u0000');
    const readOnly: WriteFunction = () => {
      throw Object.assign(new Error('EROFS: read-only file system, write'), { code: 'EROFS' });
    };
    const reader = new RunStore(join(store.dir, '..'), { write: readOnly });
    assert.equal(reader.list().length, ids.length);
    assert.equal(indexText(store), '\u0000\u0000\u0000', 'the reader wrote nothing');
  });

  it('drops a run whose folder was removed and keeps an unreadable run folder known without rebuilding again', () => {
    const { store } = sixtyTwoRuns();
    rmSync(store.runDir('run-05'), { recursive: true });
    writeFileSync(join(store.runDir('run-06'), 'run.json'), '{ not json');
    const listed = new RunStore(join(store.dir, '..')).list();
    assert.equal(listed.length, 60);
    assert.ok(!listed.some((entry) => entry.id === 'run-05' || entry.id === 'run-06'));
    const rebuilt = indexText(store);
    assert.match(rebuilt, /"id":"run-06","unreadable":true/);
    assert.equal(new RunStore(join(store.dir, '..')).list().length, 60);
    assert.equal(indexText(store), rebuilt, 'a consistent index is not rewritten');
  });
});

function indexText(store: RunStore): string {
  return readFileSync(store.indexFile, 'utf8');
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopdownError } from '../../src/core/errors';
import { newRunId, slugify } from '../../src/core/runs/ids';
import { processStartTime, RunStore } from '../../src/core/runs/store';
import type { RunIndexEntry } from '../../src/protocol/records';
import { makeFolds, makeRecord } from '../fixtures/project/run-records';

function tempProject(): string {
  return mkdtempSync(join(tmpdir(), 'topdown-store-'));
}

function indexLines(store: RunStore): string[] {
  return readFileSync(store.indexFile, 'utf8').split('\n').filter(Boolean);
}

/** A process id that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  assert.equal(child.status, 0);
  return child.pid;
}

function assertTopdownError(code: string, fileFragment: string): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof TopdownError, String(error));
    assert.equal(error.code, code);
    assert.ok(error.file?.includes(fileFragment), `file ${error.file} should include ${fileFragment}`);
    assert.ok(error.message.includes(fileFragment), `message "${error.message}" should name ${fileFragment}`);
    return true;
  };
}

describe('newRunId', () => {
  it('writes the UTC time to the millisecond, the step, the candidate slug and 4 hex digits', () => {
    const id = newRunId('evaluate', 'MLP 2×64 (wide)', new Date('2025-03-04T05:06:07.089Z'), 'beef');
    assert.equal(id, '20250304-050607-089-evaluate-mlp-2-64-wide-beef');
    assert.equal(
      newRunId('define', undefined, new Date('2025-03-04T05:06:07.089Z'), '0a1b'),
      '20250304-050607-089-define-0a1b',
    );
  });

  it('sorts ids as strings in time order', () => {
    const times = ['2025-12-31T23:59:59.999Z', '2025-01-01T00:00:00.000Z', '2025-06-15T12:00:00.500Z'];
    const ids = times.map((time) => newRunId('evaluate', 'knn', new Date(time)));
    assert.deepEqual(ids.slice().sort(), [ids[1], ids[2], ids[0]]);
    assert.match(ids[0], /^20251231-235959-999-evaluate-knn-[0-9a-f]{4}$/);
  });

  it('leaves out a candidate name without ASCII letters or digits', () => {
    assert.equal(slugify('日本'), '');
    assert.match(newRunId('evaluate', '日本'), /^\d{8}-\d{6}-\d{3}-evaluate-[0-9a-f]{4}$/);
  });
});

describe('RunStore', () => {
  it('reads back what it created and saved, and lists it', () => {
    const store = new RunStore(tempProject());
    const id = store.newRunId('evaluate', 'mlp');
    store.create(makeRecord({ id, status: 'running', pid: process.pid }));
    store.save(
      makeRecord({
        id,
        status: 'completed',
        folds: makeFolds(3, 0.8),
        summary: { mean: 0.8, std: 0, min: 0.8, max: 0.8 },
      }),
    );
    const record = store.get(id);
    assert.equal(record.status, 'completed');
    assert.equal(record.folds.length, 3);
    const [entry] = store.list();
    assert.equal(entry.id, id);
    assert.equal(entry.status, 'completed');
    assert.deepEqual(entry.summary, { mean: 0.8, std: 0, min: 0.8, max: 0.8 });
    assert.equal(indexLines(store).length, 2);
  });

  it('refuses to create a run whose id exists', () => {
    const store = new RunStore(tempProject());
    store.create(makeRecord({ id: 'run-a' }));
    assert.throws(() => store.create(makeRecord({ id: 'run-a' })), /already exists/);
  });

  it('refuses ids that are not plain folder names', () => {
    const store = new RunStore(tempProject());
    assert.throws(
      () => store.get('../outside'),
      (error: unknown) => error instanceof TopdownError && error.code === 'USAGE',
    );
  });

  it('never leaves run.json half-written when the writing process is killed, and ignores torn appends', async () => {
    const projectDir = tempProject();
    const runId = '20250101-120000-000-evaluate-mlp-abcd';
    const script = join(__dirname, '..', 'fixtures', 'project', 'store-writer.ts');
    for (const delayMs of [5, 30, 60]) {
      const child = fork(script, [projectDir, runId], { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      });
      child.removeAllListeners('exit');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;

      const store = new RunStore(projectDir);
      const record = store.get(runId);
      assert.equal(record.folds.length, 400);
      const generations = new Set(record.folds.map((fold) => fold.score));
      assert.equal(generations.size, 1, 'every fold comes from the same save');
      assert.ok([...generations][0] >= 3);
      assert.equal(record.status, 'interrupted', 'the killed writer no longer runs');
      const events = store.readEvents(runId);
      assert.ok(events.length >= 3);
      assert.ok(events.every((event) => event.type === 'epoch'));
    }
    // A torn index line as a killed append leaves it: ignored on read, cut off by the next append.
    const store = new RunStore(projectDir);
    appendFileSync(store.indexFile, '{"id":"20250101-120001-000-evaluate-knn-ffff","step":"eval');
    assert.deepEqual(
      store.list().map((entry) => [entry.id, entry.status]),
      [[runId, 'interrupted']],
    );
    store.setLabel(runId, 'after the crash');
    assert.ok(indexLines(store).every((line) => JSON.parse(line)));
    assert.equal(store.list()[0].label, 'after the crash');
  });

  it('skips a torn last line of events.jsonl and keeps appending whole lines after it', () => {
    const store = new RunStore(tempProject());
    store.create(makeRecord({ id: 'run-e' }));
    const event = { type: 'log', time: '2025-01-01T00:00:00.000Z', level: 'info', message: 'one' } as const;
    store.appendEvents('run-e', [event]);
    appendFileSync(join(store.runDir('run-e'), 'events.jsonl'), '{"type":"log","ti');
    assert.deepEqual(store.readEvents('run-e'), [event]);
    store.appendEvents('run-e', [{ ...event, message: 'two' }]);
    assert.deepEqual(
      store.readEvents('run-e').map((item) => (item.type === 'log' ? item.message : '')),
      ['one', 'two'],
    );
  });

  it('reports a running run whose process died as interrupted, and one whose process lives as running', () => {
    const store = new RunStore(tempProject());
    store.create(
      makeRecord({
        id: 'run-dead',
        status: 'running',
        pid: deadPid(),
        createdAt: '2025-01-01T00:00:01.000Z',
      }),
    );
    store.create(
      makeRecord({
        id: 'run-alive',
        status: 'running',
        pid: process.pid,
        createdAt: '2025-01-01T00:00:02.000Z',
      }),
    );
    assert.equal(store.get('run-dead').status, 'interrupted');
    assert.equal(store.get('run-alive').status, 'running');
    assert.deepEqual(
      store.list().map((entry) => [entry.id, entry.status]),
      [
        ['run-alive', 'running'],
        ['run-dead', 'interrupted'],
      ],
    );
    assert.deepEqual(
      store.list({ status: 'interrupted' }).map((entry) => entry.id),
      ['run-dead'],
    );
  });

  it("takes a live process that reuses a dead owner's pid for what it is: the run reads as interrupted", () => {
    const store = new RunStore(tempProject());
    const started = processStartTime(process.pid);
    if (process.platform === 'linux')
      assert.match(started ?? '', /^[0-9a-f-]*:\d+$/, 'Linux says when it started');
    store.create(makeRecord({ id: 'run-owner', status: 'running', pid: process.pid, pidStart: started }));
    // The same pid, recorded by a process that started at another time (before a reboot, or long dead).
    store.create(
      makeRecord({ id: 'run-reused', status: 'running', pid: process.pid, pidStart: 'another-boot:12345' }),
    );
    assert.equal(store.get('run-owner').status, 'running');
    const expected = started === undefined ? 'running' : 'interrupted';
    assert.equal(store.get('run-reused').status, expected);
    const listed = new Map(store.list().map((entry) => [entry.id, entry.status]));
    assert.equal(listed.get('run-owner'), 'running');
    assert.equal(listed.get('run-reused'), expected);
  });

  it('rebuilds a missing index from the run folders', () => {
    const store = new RunStore(tempProject());
    for (const [index, id] of ['run-1', 'run-2', 'run-3'].entries()) {
      store.create(
        makeRecord({ id, createdAt: `2025-01-0${index + 1}T00:00:00.000Z`, label: `label ${index}` }),
      );
    }
    rmSync(store.indexFile);
    assert.deepEqual(
      store.list().map((entry) => [entry.id, entry.label]),
      [
        ['run-3', 'label 2'],
        ['run-2', 'label 1'],
        ['run-1', 'label 0'],
      ],
    );
    assert.equal(indexLines(store).length, 3);
  });

  it('rebuilds an index with an unreadable line in the middle', () => {
    const store = new RunStore(tempProject());
    store.create(makeRecord({ id: 'run-1', createdAt: '2025-01-01T00:00:00.000Z' }));
    store.create(makeRecord({ id: 'run-2', createdAt: '2025-01-02T00:00:00.000Z' }));
    const [first, second] = indexLines(store);
    writeFileSync(store.indexFile, `${first}\n\u0000garbage\n${second}\n`);
    rmSync(store.runDir('run-2'), { recursive: true });
    assert.deepEqual(
      store.list().map((entry) => entry.id),
      ['run-1'],
    );
    assert.equal(readFileSync(store.indexFile, 'utf8').includes('garbage'), false);
  });

  it('refuses a run.json from a newer Topdown with SCHEMA_TOO_NEW naming the file', () => {
    const store = new RunStore(tempProject());
    store.create(makeRecord({ id: 'run-new' }));
    const file = join(store.runDir('run-new'), 'run.json');
    writeFileSync(file, JSON.stringify(makeRecord({ id: 'run-new', schemaVersion: 2 })));
    assert.throws(() => store.get('run-new'), assertTopdownError('SCHEMA_TOO_NEW', file));
    try {
      store.get('run-new');
    } catch (error) {
      assert.match((error as TopdownError).hint ?? '', /update/i);
    }
  });

  it('names the file of a corrupt or missing run.json', () => {
    const store = new RunStore(tempProject());
    store.create(makeRecord({ id: 'run-bad' }));
    const file = join(store.runDir('run-bad'), 'run.json');
    writeFileSync(file, '{"schemaVersion": 1, "id": "run-bad", "fol');
    assert.throws(() => store.get('run-bad'), assertTopdownError('RUN_NOT_FOUND', file));
    assert.throws(() => store.get('run-bad'), /corrupt/);
    writeFileSync(file, JSON.stringify({ id: 'run-bad' }));
    assert.throws(() => store.get('run-bad'), /no valid schemaVersion/);
    rmSync(file);
    assert.throws(() => store.get('run-bad'), assertTopdownError('RUN_NOT_FOUND', file));
    assert.throws(() => store.get('run-never'), assertTopdownError('RUN_NOT_FOUND', 'run-never'));
  });

  it('labels, annotates and deletes runs', () => {
    const store = new RunStore(tempProject());
    store.create(makeRecord({ id: 'run-1', createdAt: '2025-01-01T00:00:00.000Z' }));
    store.create(makeRecord({ id: 'run-2', createdAt: '2025-01-02T00:00:00.000Z' }));
    store.setLabel('run-1', 'first try');
    store.setNote('run-1', 'learning rate too high');
    assert.equal(store.get('run-1').label, 'first try');
    assert.equal(store.get('run-1').note, 'learning rate too high');
    assert.equal(store.list().find((entry) => entry.id === 'run-1')?.label, 'first try');
    store.setLabel('run-1', undefined);
    assert.equal('label' in store.get('run-1'), false);

    store.delete('run-2');
    assert.equal(existsSync(store.runDir('run-2')), false);
    assert.deepEqual(
      store.list().map((entry) => entry.id),
      ['run-1'],
    );
    assert.equal(JSON.parse(indexLines(store).at(-1) ?? '{}').deleted, true);
    assert.throws(() => store.get('run-2'), assertTopdownError('RUN_NOT_FOUND', 'run-2'));
    assert.throws(() => store.delete('run-2'), assertTopdownError('RUN_NOT_FOUND', 'run-2'));
    assert.throws(
      () => store.save(makeRecord({ id: 'run-2' })),
      assertTopdownError('RUN_NOT_FOUND', 'run-2'),
    );
  });

  it('finds the latest completed run of a step and candidate', () => {
    const store = new RunStore(tempProject());
    store.create(makeRecord({ id: 'a', candidate: 'mlp', createdAt: '2025-01-01T00:00:00.000Z' }));
    store.create(makeRecord({ id: 'b', candidate: 'knn', createdAt: '2025-01-02T00:00:00.000Z' }));
    store.create(
      makeRecord({ id: 'c', candidate: 'mlp', status: 'failed', createdAt: '2025-01-03T00:00:00.000Z' }),
    );
    assert.equal(store.latest('evaluate', 'mlp')?.id, 'a');
    assert.equal(store.latest('evaluate', 'mlp', 'any')?.id, 'c');
    assert.equal(store.latest('evaluate')?.id, 'b');
    assert.equal(store.latest('present'), undefined);
  });

  it('lists 10,000 runs from the index, newest first, with tombstones and updates applied', () => {
    const projectDir = tempProject();
    const store = new RunStore(projectDir);
    mkdirSync(store.dir, { recursive: true });
    const steps = ['define', 'prepare', 'evaluate', 'improve', 'present'] as const;
    const lines: string[] = [];
    const start = Date.UTC(2025, 0, 1);
    for (let index = 0; index < 10_000; index++) {
      const entry: RunIndexEntry = {
        id: `run-${index}`,
        step: steps[index % 5],
        candidate: index % 5 === 2 ? `candidate-${index % 7}` : undefined,
        session: `session-${Math.floor(index / 100)}`,
        status: 'completed',
        createdAt: new Date(start + index * 1000).toISOString(),
        metric: 'accuracy',
        backend: 'cpu',
      };
      lines.push(JSON.stringify(entry));
      if (index % 10 === 0) lines.push(JSON.stringify({ ...entry, label: `label ${index}` }));
      if (index % 1000 === 999) lines.push(JSON.stringify({ ...entry, deleted: true }));
      // The index is a cache of the run folders: each live run has its folder.
      else mkdirSync(store.runDir(entry.id));
    }
    writeFileSync(store.indexFile, lines.join('\n') + '\n');
    const all = store.list();
    assert.equal(all.length, 9_990);
    assert.equal(all[0].id, 'run-9998');
    assert.equal(all.at(-1)?.id, 'run-0');
    assert.equal(all.find((entry) => entry.id === 'run-10')?.label, 'label 10');
    assert.equal(store.list({ step: 'evaluate' }).length, 2_000);
    assert.equal(store.list({ step: 'evaluate', candidate: 'candidate-3' }).length, 286);
    assert.equal(store.list({ session: 'session-42' }).length, 100);
  });

  it('compacts the index once superseded lines dominate it', () => {
    const store = new RunStore(tempProject());
    store.create(makeRecord({ id: 'run-1' }));
    const line = indexLines(store)[0];
    appendFileSync(store.indexFile, `${line}\n`.repeat(1_000));
    store.setLabel('run-1', 'compacted');
    const lines = indexLines(store);
    assert.equal(lines.length, 1);
    assert.equal(JSON.parse(lines[0]).label, 'compacted');
  });
});

/**
 * The Project view's data hash: taken from a cache keyed by modification time and size, computed on a worker
 * thread, never by reading the data file on the host's path.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256File } from '../../src/core/data/hash';
import { DataHashCache, dataStamp, hashInWorker } from '../../src/extension/models/dataHash';
import { hashDataPathSync } from '../../src/core/data/source-hash';
import { readProjectHashes } from '../../src/extension/models/projectSteps';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let dir: string;
let dataFile: string;

/** A hasher that counts its calls and answers when the test resolves it. */
function countingHasher() {
  const calls: string[] = [];
  const answers: Array<(hash: string) => void> = [];
  const hasher = (path: string) => {
    calls.push(path);
    return new Promise<string>((resolve) => answers.push(resolve));
  };
  return { calls, answers, hasher };
}

describe('DataHashCache', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'topdown-datahash-'));
    dataFile = join(dir, 'data.csv');
    writeFileSync(dataFile, 'x,y\n1,a\n');
    writeFileSync(join(dir, 'topdown.json'), '{ "problem": { "data": "data.csv", "target": "y" } }\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers unknown at first, hashes in the background once, then answers from the cache without hashing', async () => {
    const { calls, answers, hasher } = countingHasher();
    let redraws = 0;
    const cache = new DataHashCache(() => redraws++, hasher);
    assert.equal(cache.current(dataFile), undefined);
    assert.equal(cache.current(dataFile), undefined, 'a hash under way is not started twice');
    assert.deepEqual(calls, [dataFile]);
    answers[0]('abc');
    await Promise.resolve();
    assert.equal(redraws, 1);
    for (let refresh = 0; refresh < 5; refresh++) assert.equal(cache.current(dataFile), 'abc');
    assert.equal(calls.length, 1, 'a fresh cache never hashes (or reads) the file again');
  });

  it('hashes again when the modification time or the size changes, and drops an answer that came too late', async () => {
    const { calls, answers, hasher } = countingHasher();
    const cache = new DataHashCache(() => undefined, hasher);
    cache.current(dataFile);
    answers[0]('first');
    await Promise.resolve();
    assert.equal(cache.current(dataFile), 'first');

    const later = new Date(Date.now() + 60_000);
    utimesSync(dataFile, later, later);
    assert.equal(cache.current(dataFile), undefined);
    assert.equal(calls.length, 2);
    writeFileSync(dataFile, 'x,y\n1,a\n2,b\n');
    assert.equal(cache.current(dataFile), undefined);
    assert.equal(calls.length, 3);
    answers[1]('stale answer');
    answers[2]('second');
    await Promise.resolve();
    assert.equal(cache.current(dataFile), 'second');
  });

  it('answers unknown for a missing file and after a failed hash, without throwing', async () => {
    const cache = new DataHashCache(
      () => undefined,
      () => Promise.reject(new Error('gone')),
    );
    assert.equal(cache.current(join(dir, 'missing.csv')), undefined);
    assert.equal(cache.current(dataFile), undefined);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(cache.current(dataFile), undefined);
  });

  it('hashes on a worker thread to the same hash a run records, for a CSV and an image folder', async () => {
    writeFileSync(dataFile, 'x,y\n1,a\n2,b\n3,a\n');
    assert.equal(await hashInWorker(dataFile), await sha256File(dataFile));
    assert.equal(await hashInWorker(dataFile), sha256('x,y\n1,a\n2,b\n3,a\n'));
    const folder = join(dir, 'images');
    mkdirSync(join(folder, 'cat'), { recursive: true });
    writeFileSync(join(folder, 'cat', 'a.png'), 'not really a png');
    assert.equal(await hashInWorker(folder), hashDataPathSync(folder));
    await assert.rejects(hashInWorker(join(dir, 'missing.csv')));
  });

  it("stamps an image folder by its own and its class folders' modification times", () => {
    const folder = join(dir, 'stamped');
    mkdirSync(join(folder, 'dog'), { recursive: true });
    const before = dataStamp(folder);
    const later = new Date(Date.now() + 120_000);
    utimesSync(join(folder, 'dog'), later, later);
    assert.notEqual(dataStamp(folder), before, 'an image added to a class folder changes its time');
  });

  it('gives readProjectHashes the data path and keeps its answer, reading only topdown.json', async () => {
    const { calls, answers, hasher } = countingHasher();
    let redraws = 0;
    const cache = new DataHashCache(() => redraws++, hasher);
    const first = readProjectHashes(dir, (path) => cache.current(path));
    assert.equal(first.dataHash, undefined);
    assert.equal(typeof first.projectHash, 'string');
    answers[0]('from-the-worker');
    await Promise.resolve();
    assert.equal(redraws, 1);
    assert.equal(readProjectHashes(dir, (path) => cache.current(path)).dataHash, 'from-the-worker');
    assert.deepEqual(calls, [dataFile]);
  });
});

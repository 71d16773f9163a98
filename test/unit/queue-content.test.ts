/**
 * The queue's parts that need no Redis server: the URL and its redaction, the content store (over an in-memory
 * stand-in for the few Redis commands it sends), and a project's manifest rebuilt in a worker's folder.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject, type Project } from '../../src/core/project';
import { TopdownError } from '../../src/core/errors';
import { parseQueueUrl, redactUrl, type RedisClient } from '../../src/runner/queue/connection';
import { ContentStore, safePath, sha256 } from '../../src/runner/queue/content';
import { buildManifest, materialize, projectFiles } from '../../src/runner/queue/manifest';
import { binaryProject, tempDir, writeBinaryCsv, writeProject } from '../helpers/cli';
import { syntheticImages, writeIdx, writeImageFolder } from '../helpers/images';

/** The Redis commands the content store sends, kept in a Map. */
function memoryRedis(): RedisClient & { data: Map<string, Buffer> } {
  const data = new Map<string, Buffer>();
  const client = {
    data,
    status: 'ready',
    set: (key: string, value: string | Buffer, ...args: Array<string | number>) => {
      if (args.includes('NX') && data.has(key)) return Promise.resolve(null);
      data.set(key, Buffer.from(value));
      return Promise.resolve('OK');
    },
    getBuffer: (key: string) => Promise.resolve(data.get(key) ?? null),
    expire: () => Promise.resolve(1),
  };
  return client as unknown as RedisClient & { data: Map<string, Buffer> };
}

function codeOf(error: unknown): string | undefined {
  return error instanceof TopdownError ? error.code : undefined;
}

describe('parseQueueUrl', () => {
  it('reads host, port, database, TLS and the password, and never shows the password', () => {
    const connection = parseQueueUrl('rediss://user:p%40ss@redis.example:6380/3', {});
    assert.equal(connection.host, 'redis.example');
    assert.equal(connection.port, 6380);
    assert.equal(connection.db, 3);
    assert.equal(connection.tls, true);
    assert.equal(connection.username, 'user');
    assert.equal(connection.password, 'p@ss');
    assert.equal(connection.display, 'rediss://user:***@redis.example:6380/3');
  });

  it('takes the password from TOPDOWN_REDIS_PASSWORD when the URL has none, with the defaults', () => {
    const connection = parseQueueUrl('redis://10.0.0.5', { TOPDOWN_REDIS_PASSWORD: 'from-env' });
    assert.deepEqual(
      { port: connection.port, db: connection.db, tls: connection.tls, password: connection.password },
      { port: 6379, db: 0, tls: false, password: 'from-env' },
    );
    assert.equal(connection.display.includes('from-env'), false);
  });

  it('refuses another scheme or database with a USAGE error that hides the password', () => {
    for (const url of ['http://:hunter2@host:6379', 'redis://:hunter2@host:6379/x', 'not a url']) {
      assert.throws(
        () => parseQueueUrl(url, {}),
        (error: unknown) => codeOf(error) === 'USAGE' && !(error as Error).message.includes('hunter2'),
      );
    }
    assert.equal(redactUrl('redis://:hunter2@host:1'), 'redis://:***@host:1');
  });
});

describe('ContentStore', () => {
  it('returns the bytes it was given, stored once under their hash', async () => {
    const redis = memoryRedis();
    const store = new ContentStore(redis);
    const bytes = Buffer.from('a,b\n1,2\n');
    const ref = await store.put(bytes, 'data.csv');
    await store.put(bytes, 'data.csv');
    assert.deepEqual(ref, { sha256: sha256(bytes), size: bytes.length, store: 'redis' });
    assert.equal(redis.data.size, 1);
    assert.deepEqual(await store.get(ref, 'data.csv'), bytes);
  });

  it('refuses content that does not match its hash', async () => {
    const redis = memoryRedis();
    const store = new ContentStore(redis);
    const ref = await store.put(Buffer.from('original'), 'data.csv');
    for (const key of redis.data.keys()) redis.data.set(key, Buffer.from('tampered'));
    await assert.rejects(store.get(ref, 'data.csv'), (error: unknown) => codeOf(error) === 'QUEUE_CONTENT');
  });

  it('sends files above the inline limit through the shared folder, and needs one', async () => {
    const bytes = Buffer.alloc(64, 7);
    const small = new ContentStore(memoryRedis(), { inlineLimit: 16 });
    await assert.rejects(small.put(bytes, 'big.bin'), (error: unknown) => codeOf(error) === 'QUEUE_CONTENT');
    const shared = tempDir('queue-shared');
    const redis = memoryRedis();
    const store = new ContentStore(redis, { inlineLimit: 16, sharedDir: shared });
    const ref = await store.put(bytes, 'big.bin');
    assert.equal(ref.store, 'shared');
    assert.equal(redis.data.size, 0);
    assert.deepEqual(readdirSync(shared), [ref.sha256]);
    assert.deepEqual(await store.get(ref, 'big.bin'), bytes);
  });
});

describe('project manifest', () => {
  function project(): string {
    const dir = writeProject(
      tempDir('queue-manifest'),
      binaryProject([{ name: 'own', model: 'custom', module: 'models/own.js' }]),
    );
    writeBinaryCsv(join(dir, 'data', 'data.csv'), 20);
    writeFileSync(join(dir, 'models', 'own.js'), 'exports.build = () => null;\n');
    writeFileSync(join(dir, 'notes.txt'), 'not needed by any task\n');
    return dir;
  }

  it('lists topdown.json, the data and the custom modules, nothing else', async () => {
    const loaded = await loadProject(project());
    assert.deepEqual(await projectFiles(loaded, ['models/own.js']), [
      'data/data.csv',
      'models/own.js',
      'topdown.json',
    ]);
    await assert.rejects(
      projectFiles(loaded, ['../elsewhere.js']),
      (error: unknown) => codeOf(error) === 'QUEUE_CONTENT',
    );
  });

  it('lists every file an image folder or an IDX source reads', async () => {
    const dir = tempDir('queue-images');
    const images = syntheticImages(2);
    writeImageFolder(join(dir, 'images'), images);
    writeIdx(join(dir, 'idx'), 'train', images);
    const projectWith = (data: string): Project =>
      ({ dir, file: join(dir, 'topdown.json'), config: { problem: { data } } }) as unknown as Project;
    const folder = await projectFiles(projectWith('images'), []);
    assert.equal(folder.length, 1 + images.labels.length);
    assert.ok(folder.includes('images/class-0/00000.png'), folder.join(', '));
    assert.deepEqual(await projectFiles(projectWith('idx/train-images-idx3-ubyte'), []), [
      'idx/train-images-idx3-ubyte',
      'idx/train-labels-idx1-ubyte',
      'topdown.json',
    ]);
  });

  it('rebuilds the same files in the worker folder, once per content', async () => {
    const dir = project();
    const loaded = await loadProject(dir);
    const store = new ContentStore(memoryRedis());
    const manifest = await buildManifest(loaded, ['models/own.js'], store);
    const cache = tempDir('queue-cache');
    const [first, second] = await Promise.all([
      materialize(manifest, store, cache),
      materialize(manifest, store, cache),
    ]);
    assert.equal(first, second);
    for (const file of ['topdown.json', 'data/data.csv', 'models/own.js'])
      assert.deepEqual(readFileSync(join(first, file)), readFileSync(join(dir, file)));
    assert.equal(existsSync(join(first, 'notes.txt')), false);
    assert.deepEqual(readdirSync(cache), [first.slice(cache.length + 1)]);
  });

  it('refuses paths that would leave the worker folder', () => {
    for (const path of ['../x', '/etc/passwd', 'a/../../b', 'a\\b', 'C:/x', ''])
      assert.throws(
        () => safePath(path),
        (error: unknown) => codeOf(error) === 'QUEUE_CONTENT',
        path,
      );
    assert.equal(safePath('data/images/cat.png'), 'data/images/cat.png');
  });
});

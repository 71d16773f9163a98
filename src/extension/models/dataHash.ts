/**
 * The data file's SHA-256 for the Project view, without hashing on the extension host's thread: a hash is
 * cached with the file's modification time and size, so a refresh costs one `stat`; when those change (or on
 * first sight) the file is hashed by a worker thread in the background, and the view is redrawn when the hash
 * is ready. Until then the data file's freshness is simply unknown (the step shows its other state).
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** Hashes a file off the calling thread; resolves to lowercase hex. */
export type FileHasher = (path: string) => Promise<string>;

// Plain CommonJS run by the worker thread (`eval`): streams the file through SHA-256, as the runner's
// sha256File does, so the hashes compare equal.
const HASH_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const hash = createHash('sha256');
createReadStream(workerData, { highWaterMark: 1 << 20 })
  .on('data', (chunk) => hash.update(chunk))
  .on('error', (error) => parentPort.postMessage({ error: error.message }))
  .on('end', () => parentPort.postMessage({ hash: hash.digest('hex') }));
`;

/** SHA-256 of a file's bytes, computed on a worker thread. */
export function hashInWorker(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(HASH_WORKER_SOURCE, { eval: true, workerData: path });
    worker.once('message', (message: { hash?: string; error?: string }) => {
      if (message.hash) resolve(message.hash);
      else reject(new Error(message.error ?? 'hashing failed'));
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

interface Entry {
  path: string;
  mtimeMs: number;
  size: number;
  /** Set once the worker answered for this stamp. */
  hash?: string;
}

/** One project's data-file hash, cached by path, modification time and size. */
export class DataHashCache {
  private entry?: Entry;

  /**
   * @param onHashed called when a hash computed in the background is ready (redraw the view).
   * @param hashFile hashes off the host's thread; a worker thread by default.
   */
  constructor(
    private readonly onHashed: () => void,
    private readonly hashFile: FileHasher = hashInWorker,
  ) {}

  /**
   * The hash of the file as it is now, when known for its current modification time and size; otherwise
   * undefined, with the hash started in the background. Reads only the file's metadata, never its bytes.
   */
  current(path: string): string | undefined {
    let stamp: { mtimeMs: number; size: number };
    try {
      const stats = statSync(path);
      stamp = { mtimeMs: stats.mtimeMs, size: stats.size };
    } catch {
      this.entry = undefined;
      return undefined;
    }
    const entry = this.entry;
    if (entry && entry.path === path && entry.mtimeMs === stamp.mtimeMs && entry.size === stamp.size) {
      return entry.hash;
    }
    const fresh: Entry = { path, ...stamp };
    this.entry = fresh;
    this.hashFile(path).then(
      (hash) => {
        // A newer stamp replaced this one meanwhile: its own hash is on the way.
        if (this.entry !== fresh) return;
        fresh.hash = hash;
        this.onHashed();
      },
      () => {
        if (this.entry === fresh) this.entry = undefined;
      },
    );
    return undefined;
  }
}

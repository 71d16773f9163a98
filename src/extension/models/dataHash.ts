/**
 * The data source's hash for the Project view, without reading data on the extension host's thread: a hash is
 * cached with the source's stamp (modification times and sizes), so a refresh costs a `stat` or two; when the
 * stamp changes (or on first sight) the source is hashed by a worker thread in the background, as a run records
 * it (`hashDataPathSync`), and the view is redrawn when the hash is ready. Until then the data's freshness is
 * unknown (the step shows its other state).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { idxLabelsFile, isIdxImagesFile } from '../../core/data/images/names';

/** Hashes a data source off the calling thread; resolves to lowercase hex. */
export type FileHasher = (path: string) => Promise<string>;

/** Where the worker entry is: beside the bundled extension, or the TypeScript source under tsx (tests). */
function workerEntry(): { script: string; execArgv: string[] } {
  const bundled = join(__dirname, 'hash-worker.js');
  if (__filename.endsWith('.js') && existsSync(bundled)) return { script: bundled, execArgv: [] };
  return { script: join(__dirname, 'hashWorker.ts'), execArgv: ['--require', 'tsx/cjs'] };
}

/** The source hash of a data path (a CSV, an image folder, IDX files), computed on a worker thread. */
export function hashInWorker(path: string): Promise<string> {
  const { script, execArgv } = workerEntry();
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: path, execArgv });
    worker.once('message', (message: { hash?: string }) => {
      if (message.hash) resolve(message.hash);
      else reject(new Error(`${path} could not be read`));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', () => reject(new Error('the hash worker stopped')));
  });
}

/**
 * What tells a data source changed, from metadata only: a file's modification time and size (both files of an
 * IDX pair); an image folder's modification time and each class folder's (adding, removing or renaming an image
 * changes them; an image rewritten in place is seen at the next start).
 */
export function dataStamp(path: string): string {
  const stats = statSync(path);
  const stamp = `${stats.mtimeMs}:${stats.size}`;
  if (stats.isDirectory()) {
    const folders = readdirSync(path, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    return [
      stamp,
      ...folders.map((entry) => `${entry.name}@${statSync(join(path, entry.name)).mtimeMs}`),
    ].join('|');
  }
  if (isIdxImagesFile(path)) {
    const labels = statSync(idxLabelsFile(path));
    return `${stamp}|${labels.mtimeMs}:${labels.size}`;
  }
  return stamp;
}

interface Entry {
  path: string;
  stamp: string;
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
   * The hash of the source as it is now, when known for its current stamp; otherwise undefined, with the hash
   * started in the background. Reads only metadata, never the data's bytes.
   */
  current(path: string): string | undefined {
    let stamp: string;
    try {
      stamp = dataStamp(path);
    } catch {
      this.entry = undefined;
      return undefined;
    }
    const entry = this.entry;
    if (entry && entry.path === path && entry.stamp === stamp) return entry.hash;
    const fresh: Entry = { path, stamp };
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

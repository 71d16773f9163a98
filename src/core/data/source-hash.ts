/**
 * The content hash of a data source, the same whether it is computed while loading (steps, worker) or from the
 * files alone (the editor's stale-step check): a CSV's bytes; an image folder's relative file names and bytes in
 * sorted order; an IDX pair's two files. Kept free of image decoders so the extension host can use it.
 */
import { createHash, type Hash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { idxLabelsFile, imageFolderFiles, isIdxImagesFile } from './images/names';

/** Builds a source hash from its files, fed in order. */
export class SourceHasher {
  private readonly hash: Hash = createHash('sha256');
  private files = 0;

  /** Adds one file: its name (relative to the source) and bytes. */
  addFile(name: string, bytes: Uint8Array): this {
    this.hash.update(`${name}\n${bytes.length}\n`);
    this.hash.update(bytes);
    this.files++;
    return this;
  }

  /** The hash as lowercase hex. */
  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * The source hash of a path, read synchronously from its files; undefined when it cannot be read. A CSV's is
 * the SHA-256 of its bytes, as `sha256File` gives.
 */
export function hashDataPathSync(path: string): string | undefined {
  try {
    if (statSync(path).isDirectory()) {
      const hasher = new SourceHasher();
      for (const file of imageFolderFiles(path)) hasher.addFile(file, readFileSync(join(path, file)));
      return hasher.digest();
    }
    if (isIdxImagesFile(path)) {
      return new SourceHasher()
        .addFile('images', readFileSync(path))
        .addFile('labels', readFileSync(idxLabelsFile(path)))
        .digest();
    }
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/**
 * A bundle's files are data from anywhere (a download, a colleague, a pull request), so the loader reads only
 * what the manifest lists, and only inside the bundle: each listed path is relative, has no `..`, resolves
 * (symbolic links followed) inside the bundle's real folder, is a regular file of exactly the size the manifest
 * records, under a per-file and a per-bundle cap, with the recorded SHA-256. Every error is BUNDLE_INVALID
 * naming the file as the manifest wrote it.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TopdownError } from '../errors';
import { isContainedRelativePath, isWithin } from '../paths';

/** The largest file a bundle may list (a network's weights.bin is the big one). */
export const MAX_BUNDLE_FILE_BYTES = 1024 * 1024 * 1024;
/** The most bytes all files of one bundle (or one ensemble member) may hold together. */
export const MAX_BUNDLE_BYTES = 2 * 1024 * 1024 * 1024;
/** The largest manifest (bundle.json) the loader reads. */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** One file of the bundle besides the manifest, as bundle.json lists it. */
export interface BundleFile {
  path: string;
  bytes: number;
  sha256: string;
}

const HINT = 'Rebuild the bundle with `topdown present`, or point at another models/<name> folder.';

/** BUNDLE_INVALID naming `file`, with the rebuild hint. */
export function bundleInvalid(file: string, message: string): TopdownError {
  return new TopdownError('BUNDLE_INVALID', message, { file, hint: HINT });
}

/** The real path of the bundle folder, or BUNDLE_INVALID when it cannot be resolved. */
export function realBundleDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    throw bundleInvalid(dir, `There is no model bundle at ${dir}.`);
  }
}

/**
 * Opens `path` (relative to the bundle) for reading after checking that it resolves inside `root` (the bundle's
 * real folder) and is a regular file of at most `maxBytes`. Returns the descriptor and the file's size.
 */
function openContained(
  dir: string,
  root: string,
  path: string,
  maxBytes: number,
): { handle: number; size: number; file: string } {
  const file = join(dir, path);
  if (!isContainedRelativePath(path)) {
    throw bundleInvalid(join(dir, 'bundle.json'), `The bundle lists a file outside its folder: "${path}".`);
  }
  let real: string;
  try {
    lstatSync(file);
    real = realpathSync(file);
  } catch {
    throw bundleInvalid(file, `The bundle file ${file} is missing (or is a link to nothing).`);
  }
  if (!isWithin(root, real)) {
    throw bundleInvalid(file, `The bundle file ${file} is a link that leaves the bundle's folder.`);
  }
  // Checked before opening too: opening a FIFO would wait for a writer.
  if (!statSync(real).isFile()) throw bundleInvalid(file, `The bundle file ${file} is not a regular file.`);
  const handle = openSync(real, 'r');
  const stat = fstatSync(handle);
  if (!stat.isFile()) {
    closeSync(handle);
    throw bundleInvalid(file, `The bundle file ${file} is not a regular file.`);
  }
  if (stat.size > maxBytes) {
    closeSync(handle);
    throw bundleInvalid(
      file,
      `The bundle file ${file} holds ${stat.size} bytes, more than ${maxBytes} allowed.`,
    );
  }
  return { handle, size: stat.size, file };
}

/** Reads at most `bytes` bytes of an open file, feeding each chunk to `use`. */
function readChunks(handle: number, bytes: number, use: (chunk: Buffer) => void): number {
  const buffer = Buffer.alloc(Math.min(bytes, 1024 * 1024) || 1);
  let done = 0;
  while (done < bytes) {
    const read = readSync(handle, buffer, 0, Math.min(buffer.length, bytes - done), done);
    if (read === 0) break;
    use(buffer.subarray(0, read));
    done += read;
  }
  return done;
}

/** A small text file of the bundle (its manifest), confined and size-capped like every listed file. */
export function readContainedText(dir: string, root: string, path: string, maxBytes: number): string {
  const { handle, size } = openContained(dir, root, path, maxBytes);
  const parts: Buffer[] = [];
  try {
    readChunks(handle, size, (chunk) => parts.push(Buffer.from(chunk)));
  } finally {
    closeSync(handle);
  }
  return Buffer.concat(parts).toString('utf8');
}

function checkEntryShape(manifestFile: string, entry: unknown): BundleFile {
  const candidate = entry as Partial<BundleFile> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.path !== 'string' ||
    typeof candidate.bytes !== 'number' ||
    !Number.isInteger(candidate.bytes) ||
    candidate.bytes < 0 ||
    typeof candidate.sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(candidate.sha256)
  ) {
    throw bundleInvalid(
      manifestFile,
      `${manifestFile} lists a file without a path, a size in bytes and a SHA-256: ${JSON.stringify(entry)?.slice(0, 200)}.`,
    );
  }
  return candidate as BundleFile;
}

/**
 * Checks every file the manifest lists (see the module comment) and returns their paths, normalised to `/`.
 * `files` is the manifest's `files` value as parsed.
 */
export function verifyBundleFiles(
  dir: string,
  root: string,
  manifestFile: string,
  files: unknown,
): Set<string> {
  if (!Array.isArray(files)) throw bundleInvalid(manifestFile, `${manifestFile} has no list of files.`);
  const listed = new Set<string>();
  let total = 0;
  for (const raw of files) {
    const entry = checkEntryShape(manifestFile, raw);
    if (entry.bytes > MAX_BUNDLE_FILE_BYTES) {
      throw bundleInvalid(
        join(dir, entry.path),
        `${manifestFile} records ${entry.bytes} bytes for ${entry.path}, more than the ${MAX_BUNDLE_FILE_BYTES} a bundle file may hold.`,
      );
    }
    total += entry.bytes;
    if (total > MAX_BUNDLE_BYTES) {
      throw bundleInvalid(
        manifestFile,
        `${manifestFile} lists more than ${MAX_BUNDLE_BYTES} bytes of files.`,
      );
    }
    const { handle, size, file } = openContained(dir, root, entry.path, MAX_BUNDLE_FILE_BYTES);
    const hash = createHash('sha256');
    try {
      if (size !== entry.bytes) {
        throw bundleInvalid(
          file,
          `The bundle file ${file} holds ${size} bytes; the manifest records ${entry.bytes}.`,
        );
      }
      readChunks(handle, entry.bytes, (chunk) => hash.update(chunk));
    } finally {
      closeSync(handle);
    }
    if (hash.digest('hex') !== entry.sha256) {
      throw bundleInvalid(
        file,
        `The bundle file ${file} has changed since the bundle was made (its SHA-256 differs).`,
      );
    }
    listed.add(entry.path.replace(/\\/g, '/').replace(/^(\.\/)+/, ''));
  }
  return listed;
}

/** BUNDLE_INVALID unless every file the loader will read is among those the manifest lists (and so checked). */
export function requireListed(
  manifestFile: string,
  listed: ReadonlySet<string>,
  needed: readonly string[],
): void {
  const unlisted = needed.filter((path) => !listed.has(path));
  if (unlisted.length > 0) {
    throw bundleInvalid(
      manifestFile,
      `${manifestFile} does not list ${unlisted.join(', ')}, which the model needs, so it cannot be checked.`,
    );
  }
}

/**
 * Crash-safe file writes for the run store: whole files are replaced atomically (temp file in the same
 * folder, every byte written, fsync, rename, fsync of the folder), and JSON-lines files are appended to in
 * whole lines. A write that fails (a full disk, a read-only folder) leaves the old content as it was and
 * throws a located TopdownError: DISK_FULL, or WRITE_FAILED naming the system's error code.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  fstatSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { TopdownError } from '../errors';

/**
 * Writes up to `length` bytes of `buffer` from `offset` to a file descriptor and returns how many it wrote,
 * as `fs.writeSync` does; it may write fewer (a short write) or throw (ENOSPC). Tests inject failing ones.
 */
export type WriteFunction = (
  descriptor: number,
  buffer: Uint8Array,
  offset: number,
  length: number,
) => number;

/** The system's write. */
export const systemWrite: WriteFunction = (descriptor, buffer, offset, length) =>
  writeSync(descriptor, buffer, offset, length);

/** System error codes that mean the disk (or the user's quota on it) is full. */
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

/**
 * The located error for a failed write of `file`: DISK_FULL when the disk is full, WRITE_FAILED with the
 * system's code otherwise. A TopdownError passes through unchanged.
 */
export function writeError(error: unknown, file: string): TopdownError {
  if (error instanceof TopdownError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && FULL_CODES.has(code)) {
    return new TopdownError('DISK_FULL', `Could not write ${file}: the disk is full (${code}).`, {
      file,
      hint: 'Free space on the disk that holds the project, then run the command again; earlier runs are unchanged.',
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new TopdownError('WRITE_FAILED', `Could not write ${file} (${code ?? 'error'}: ${reason}).`, {
    file,
    hint: 'Check that the project folder is writable and its disk is healthy, then run the command again.',
  });
}

/** Writes every byte of `bytes`, looping over short writes; a write that makes no progress is an error. */
function writeAll(descriptor: number, bytes: Uint8Array, write: WriteFunction): void {
  let offset = 0;
  while (offset < bytes.length) {
    const written = write(descriptor, bytes, offset, bytes.length - offset);
    if (!(written > 0)) {
      throw Object.assign(new Error(`the system wrote no bytes (${offset} of ${bytes.length} written)`), {
        code: 'EIO',
      });
    }
    offset += written;
  }
}

/**
 * Replaces `file` with `content` (text as UTF-8, or bytes) so that a reader sees either the old or the new content, never a mix, even
 * when the process is killed mid-write or the disk fills up: the text goes to a temp file in the same folder,
 * every byte is written and flushed to disk, and the temp file is renamed over the target (rename is atomic
 * within a file system). On any failure the temp file is removed, `file` keeps its old content, and a
 * DISK_FULL or WRITE_FAILED error naming `file` is thrown.
 */
export function writeFileAtomic(
  file: string,
  text: string | Uint8Array,
  write: WriteFunction = systemWrite,
): void {
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const descriptor = openSync(temp, 'w');
    try {
      writeAll(descriptor, typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text), write);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw writeError(error, file);
  }
  syncDirectory(dirname(file));
}

/** Flushes a folder's entries (the rename) to disk; some platforms cannot open folders, which is harmless. */
function syncDirectory(dir: string): void {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(dir, 'r');
    fsyncSync(descriptor);
  } catch {
    // Windows cannot fsync a folder; the rename is still atomic there.
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/**
 * Appends lines (each without its newline) to a JSON-lines file. Nothing already in the file is ever cut
 * off: when the file does not end with a newline (a writer was killed mid-line, or the file was damaged),
 * the new lines start on a line of their own, so the damaged line stays one unreadable line that readers
 * skip and never joins a good one. A failed append (a full disk) takes back the bytes it wrote, so the file
 * ends where it ended before, and throws DISK_FULL or WRITE_FAILED naming the file.
 */
export function appendLines(
  file: string,
  lines: readonly string[],
  write: WriteFunction = systemWrite,
): void {
  if (lines.length === 0) return;
  let descriptor: number | undefined;
  let sizeBefore: number | undefined;
  try {
    descriptor = openSync(file, 'a+');
    sizeBefore = fstatSync(descriptor).size;
    const separator = sizeBefore > 0 && !endsWithNewline(descriptor, sizeBefore) ? '\n' : '';
    writeAll(descriptor, Buffer.from(separator + lines.map((line) => line + '\n').join(''), 'utf8'), write);
  } catch (error) {
    if (descriptor !== undefined && sizeBefore !== undefined) takeBack(descriptor, sizeBefore);
    throw writeError(error, file);
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

function endsWithNewline(descriptor: number, size: number): boolean {
  const last = Buffer.alloc(1);
  readSync(descriptor, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

/** Cuts a failed append's partial bytes off again; if even that fails, readers skip the torn line. */
function takeBack(descriptor: number, size: number): void {
  try {
    ftruncateSync(descriptor, size);
  } catch {
    // The torn line stays; appendLines starts the next append on a new line, and readers skip it.
  }
}

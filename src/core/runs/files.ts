/**
 * Crash-safe file writes for the run store: whole files are replaced atomically (temp file in the same
 * folder, fsync, rename), and JSON-lines files are appended to after cutting off a torn last line that a
 * killed process left behind.
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

/**
 * Replaces `file` with `content` (text as UTF-8, or bytes) so that a reader sees either the old or the new content, never a mix, even
 * when the process is killed mid-write: the text goes to a temp file in the same folder, is flushed to disk,
 * and is renamed over the target (rename is atomic within a file system).
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const descriptor = openSync(temp, 'w');
  try {
    // writeSync may write fewer bytes than asked: loop until every byte is down.
    for (let offset = 0; offset < bytes.length;)
      offset += writeSync(descriptor, bytes, offset, bytes.length - offset);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
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
 * Appends lines (each without its newline) to a JSON-lines file in one write. If the file does not end with
 * a newline, a writer was killed mid-line: that torn line is cut off first, so it never joins a good line.
 */
export function appendLines(file: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  const descriptor = openSync(file, 'a+');
  try {
    cutTornTail(descriptor);
    writeSync(descriptor, lines.map((line) => line + '\n').join(''));
  } finally {
    closeSync(descriptor);
  }
}

const CHUNK = 64 * 1024;

function cutTornTail(descriptor: number): void {
  const size = fstatSync(descriptor).size;
  if (size === 0) return;
  const last = Buffer.alloc(1);
  readSync(descriptor, last, 0, 1, size - 1);
  if (last[0] === 0x0a) return;
  // Search backwards for the last newline; everything after it is the torn line.
  const buffer = Buffer.alloc(CHUNK);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - CHUNK);
    const length = end - start;
    readSync(descriptor, buffer, 0, length, start);
    const index = buffer.subarray(0, length).lastIndexOf(0x0a);
    if (index >= 0) {
      ftruncateSync(descriptor, start + index + 1);
      return;
    }
    end = start;
  }
  ftruncateSync(descriptor, 0);
}

/**
 * Disk faults for tests: write functions that behave as a nearly full disk does (injected where Topdown writes
 * files), a filler for a real small file system, and checksums to show that earlier files did not change.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, statfsSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { WriteFunction } from '../../src/core/runs/files';

/** The system's write, at most `chunk` bytes per call (the short writes of a nearly full disk). */
export function shortWrites(chunk: number): WriteFunction {
  return (descriptor, buffer, offset, length) =>
    writeSync(descriptor, buffer, offset, Math.min(length, chunk));
}

/** Writes `budget` bytes (in short writes), then fails every call with ENOSPC, as a disk that fills up does. */
export function diskFullAfter(budget: number): WriteFunction {
  let left = budget;
  return (descriptor, buffer, offset, length) => {
    if (left <= 0)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const written = writeSync(descriptor, buffer, offset, Math.min(length, left, 4096));
    left -= written;
    return written;
  };
}

/** SHA-256 of every file under `dir`, by relative path. */
export function checksums(dir: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    sums.set(relative(dir, file), createHash('sha256').update(readFileSync(file)).digest('hex'));
  }
  return sums;
}

/** Fills the file system holding `file` until only `leave` bytes (or less) remain free. */
export function fillDisk(file: string, leave: number): void {
  const descriptor = openSync(file, 'w');
  const block = Buffer.alloc(4096);
  try {
    for (;;) {
      const free = statfsFree(file);
      if (free <= leave) return;
      writeSync(descriptor, block, 0, Math.min(block.length, free - leave));
    }
  } finally {
    closeSync(descriptor);
  }
}

function statfsFree(file: string): number {
  const stats = statfsSync(file);
  return stats.bavail * stats.bsize;
}

/**
 * The system's write, but ENOSPC for a file whose content starts with `prefix`: a disk with room for the small
 * files and not for that one (each atomic write hands its whole content to the first call).
 */
export function diskFullFor(prefix: string): WriteFunction {
  const start = Buffer.from(prefix, 'utf8');
  return (descriptor, buffer, offset, length) => {
    if (offset === 0 && Buffer.from(buffer.buffer, buffer.byteOffset, start.length).equals(start))
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return writeSync(descriptor, buffer, offset, length);
  };
}

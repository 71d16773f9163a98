/** Write functions that behave as a nearly full disk does, injected where Topdown writes files. */
import { writeSync } from 'node:fs';
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

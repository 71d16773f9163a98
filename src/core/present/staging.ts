/**
 * Names of the temporary folders a bundle build leaves beside its final place (`.<name>.staging-…` while it is
 * built, `.<name>.old-…` for the bundle it replaces), and their cleanup. Each name carries its owner: the
 * process id and a short hash of the process's start time (the run store's pid/pidStart convention), so the
 * next `present` removes the folders of a killed build and never one that a running build still owns.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isRunOwnerAlive, processStartTime } from '../runs/store';

/** What a temporary folder holds: a bundle being built, or the bundle it replaces. */
export type TemporaryKind = 'staging' | 'old';

/** `.<name>.<kind>-<pid>-<start hash or x>-<6 hex>`, the owner being the folder name's pid and start hash. */
const TEMPORARY_NAME = /^\..+\.(?:staging|old)-(\d+)-([0-9a-f]{8}|x)-[0-9a-f]{6}$/;

/** A short hash of a process's start time (which holds the boot id: long, and with a colon). */
function startHash(started: string | undefined): string {
  return started === undefined ? 'x' : createHash('sha256').update(started).digest('hex').slice(0, 8);
}

/** The path of a new temporary folder beside `finalDir`, owned by this process. */
export function temporaryPath(finalDir: string, kind: TemporaryKind): string {
  const owner = `${process.pid}-${startHash(processStartTime(process.pid))}`;
  return join(dirname(finalDir), `.${basename(finalDir)}.${kind}-${owner}-${randomBytes(3).toString('hex')}`);
}

/**
 * Removes the temporary folders in `dir` (the models folder) whose owner process is gone: left by a
 * `present` that was killed. Folders of a live owner, and every other entry, stay. Returns the removed names.
 */
export function removeStaleTemporaries(
  dir: string,
  isAlive: (pid: number, started?: string) => boolean = isOwnerAlive,
): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // no models folder yet
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMPORARY_NAME.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (isAlive(pid, match[2] === 'x' ? undefined : match[2])) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Whether the process `pid` is alive and, when a start hash is given and the system can tell, started then. */
function isOwnerAlive(pid: number, started?: string): boolean {
  if (!isRunOwnerAlive(pid)) return false;
  if (started === undefined) return true;
  const current = processStartTime(pid);
  return current === undefined || startHash(current) === started;
}

/**
 * Run ids: `<yyyymmdd-hhmmss-mmm>-<step>[-<candidate slug>]-<4 hex>`, in UTC, so sorting ids as strings sorts
 * runs by start time, and an id is a safe folder name on every platform.
 */
import { randomBytes } from 'node:crypto';
import type { StepName } from '../../protocol/records';

/** The longest candidate slug kept in an id (folder names stay short on Windows). */
const MAX_SLUG_LENGTH = 40;

/** A candidate name as an id part: lower case ASCII letters, digits and single dashes (`MLP 2×64` → `mlp-2-64`). */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `yyyymmdd-hhmmss-mmm` of a time, in UTC. */
export function timeStamp(time: Date): string {
  const date = `${time.getUTCFullYear()}${pad(time.getUTCMonth() + 1, 2)}${pad(time.getUTCDate(), 2)}`;
  const clock = `${pad(time.getUTCHours(), 2)}${pad(time.getUTCMinutes(), 2)}${pad(time.getUTCSeconds(), 2)}`;
  return `${date}-${clock}-${pad(time.getUTCMilliseconds(), 3)}`;
}

/**
 * A new run id, e.g. `20250101-120000-042-evaluate-mlp-9f3c`. The candidate part is left out when there is
 * no candidate or its name has no ASCII letter or digit. `now` and `random` are for tests.
 */
export function newRunId(
  step: StepName,
  candidate?: string,
  now: Date = new Date(),
  random: string = randomBytes(2).toString('hex'),
): string {
  const slug = candidate === undefined ? '' : slugify(candidate);
  return [timeStamp(now), step, ...(slug ? [slug] : []), random].join('-');
}

/**
 * Whether a string may name a run folder: letters, digits, dots, dashes and underscores, not starting with a
 * dot. Guards the store against ids such as `../x` coming from a message or a command line.
 */
export function isSafeRunId(id: string): boolean {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(id) && id.length <= 200;
}

/**
 * Reads run.json content of any known version into the current RunRecord shape. Every read of a run record
 * goes through migrate(): when RUN_SCHEMA_VERSION is bumped, add a step to MIGRATIONS that turns version
 * n into n + 1.
 */
import { TopdownError } from '../errors';
import { RUN_SCHEMA_VERSION } from '../../protocol/records';
import type { RunRecord } from '../../protocol/records';

type RawRecord = Record<string, unknown>;

/** Upgrades from version `key` to `key + 1`. Empty while version 1 is the only one. */
const MIGRATIONS: Record<number, (raw: RawRecord) => RawRecord> = {};

/**
 * The error for a run.json that cannot be read as a record (code RUN_NOT_FOUND: the run cannot be opened;
 * the message says the file is corrupt, and names it).
 */
export function corruptRunError(file: string, detail: string): TopdownError {
  return new TopdownError('RUN_NOT_FOUND', `Run record ${file} is corrupt: ${detail}`, {
    file,
    hint: 'Delete this run (its folder) or restore the file; other runs are not affected.',
  });
}

/**
 * A run record from parsed run.json content. Throws SCHEMA_TOO_NEW when a newer Topdown wrote it, and a
 * corrupt-run error (see corruptRunError) when it is not a run record; both name `file`.
 */
export function migrate(raw: unknown, file: string): RunRecord {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw corruptRunError(file, 'it does not hold a JSON object');
  }
  let record = raw as RawRecord;
  const version = record.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw corruptRunError(file, 'it has no valid schemaVersion');
  }
  if (version > RUN_SCHEMA_VERSION) {
    throw new TopdownError(
      'SCHEMA_TOO_NEW',
      `Run record ${file} has schemaVersion ${version}; this Topdown reads up to version ${RUN_SCHEMA_VERSION}`,
      { file, hint: 'A newer Topdown wrote this run: update the Topdown extension or CLI to open it.' },
    );
  }
  for (let step = version; step < RUN_SCHEMA_VERSION; step++) {
    const upgrade = MIGRATIONS[step];
    if (!upgrade) throw corruptRunError(file, `no migration from schemaVersion ${step}`);
    record = { ...upgrade(record), schemaVersion: step + 1 };
  }
  for (const key of ['id', 'step', 'status', 'createdAt', 'session'] as const) {
    if (typeof record[key] !== 'string') throw corruptRunError(file, `field \`${key}\` is missing`);
  }
  return {
    ...record,
    config: isObject(record.config) ? record.config : {},
    folds: Array.isArray(record.folds) ? record.folds : [],
    backend: isObject(record.backend) ? record.backend : { name: 'none', reasons: [] },
    metric: typeof record.metric === 'string' ? record.metric : '',
    seed: typeof record.seed === 'number' ? record.seed : 0,
    dataHash: typeof record.dataHash === 'string' ? record.dataHash : '',
    topdownVersion: typeof record.topdownVersion === 'string' ? record.topdownVersion : '',
  } as unknown as RunRecord;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
